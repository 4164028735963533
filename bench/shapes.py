#!/usr/bin/env python3
"""Sales data of other shapes than the shared generator's, for bytes-per-row comparisons (#16).

    python3 bench/shapes.py SHAPE N [SEED] > rows.tsv

Writes N rows as TSV for LOAD DATA into samples/shapes.sql's table of that shape (\\N is NULL):
- `catalog`: a big catalogue (20,000 products with UTF-8 names), irregular prices and discounts,
  dates in no order (late entries, corrections), 3% NULL discounts, wide decimals.
- `notes`: a till that records a customer, a long free-text note in several languages (often
  NULL), a card reference and quantities in grams.
- `shop`: a small shop's till over two years: a few hundred products, each sold at a handful of
  prices (the list price and discounts), quantities 1-10, three tax rates (by how the sale is
  taken, not by product): whole (product, price, quantity, amount, tax, total) tuples recur, far
  apart, and are more than an eighth of a block's rows.
"""
import datetime
import random
import sys

WORDS = ("café crème brûlée straße größe naïve façade smörgåsbord jalapeño piñata déjà vu "
         "розетка кабель зарядка пакет чай кофе 茶 咖啡 电池 纸巾 μπαταρία χαρτί "
         "delivery returned damaged gift wrap customer asked invoice later discount loyalty "
         "card declined cash paid pickup tomorrow morning evening fragile spare parts box "
         "large small blue red green black white size colour model warranty exchange").split()


def catalog(r, n):
    names = [" ".join(r.choice(WORDS) for _ in range(r.randint(2, 5))) + f" {r.randint(1, 999)}" for _ in range(20000)]
    prices = [round(r.lognormvariate(3, 1.2), 4) for _ in names]
    base = datetime.date(2023, 1, 1)
    for i in range(n):
        p = r.randrange(len(names))
        q = r.randint(1, 500) if r.random() < 0.9 else r.randint(-5, -1)
        price = prices[p] * (1 + r.uniform(-0.05, 0.05))
        disc = "\\N" if r.random() < 0.03 else f"{r.choice([0, 0, 0, 5, 10, 12.5, 33.3333]):.4f}"
        amt = q * price
        d = base + datetime.timedelta(days=i * 700 // n + r.randint(-30, 3))
        store = r.choice(["Zürich Hbf", "Genève Cornavin", "Basel SBB", "Lugano", "Köln Dom"])
        yield [str(d), store, names[p], str(q), f"{price:.4f}", disc, f"{amt:.4f}", f"{amt * 0.081:.6f}"]


def notes(r, n):
    first = ["Anna", "José", "Zoë", "Łukasz", "Ólafur", "Søren", "Ирина", "明", "Αλέξης", "Chloé", "Mehmet", "Nguyễn"]
    last = ["Müller", "García", "O'Brien", "Dvořák", "Smith", "Иванова", "王", "Παπαδόπουλος", "Öztürk", "Lefèvre"]
    t0 = datetime.datetime(2024, 3, 1, 8, 0, 0)
    t = t0
    for i in range(n):
        t += datetime.timedelta(seconds=r.expovariate(1 / 40))
        cust = "\\N" if r.random() < 0.4 else f"{r.choice(first)} {r.choice(last)}"
        note = "\\N" if r.random() < 0.7 else " ".join(r.choice(WORDS) for _ in range(r.randint(3, 40)))
        card = "\\N" if r.random() < 0.3 else "%04d-%06d" % (r.randint(0, 9999), r.randint(0, 999999))
        grams = r.randint(50, 250000)
        price = round(r.uniform(0.1, 90), 2)
        yield [t.strftime("%Y-%m-%d %H:%M:%S"), cust, note, card, str(grams), f"{price:.2f}",
               f"{grams * price / 1000:.2f}"]


def shop(r, n):
    products = []
    for p in range(r.randint(250, 450)):
        name = " ".join(r.choice(WORDS) for _ in range(r.randint(1, 3))) + f" {p}"
        list_price = round(r.lognormvariate(2.2, 0.9), 2)
        prices = [list_price] + [round(list_price * (1 - d), 2) for d in r.sample([0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.5], r.randint(1, 4))]
        products.append((name, prices))
    base = datetime.date(2024, 1, 1)
    for i in range(n):
        name, prices = r.choice(products)
        price = prices[0] if r.random() < 0.7 else r.choice(prices[1:])
        qty = r.randint(1, 10)
        rate = r.choice([2.5, 7.7, 8.1])
        amount = round(price * qty, 2)
        tax = round(amount * rate / 100, 2)
        d = base + datetime.timedelta(days=i * 730 // n)
        yield [str(d), name, f"{price:.2f}", str(qty), f"{amount:.2f}", f"{rate:.1f}", f"{tax:.2f}", f"{amount + tax:.2f}"]


def main():
    shape, n = sys.argv[1], int(sys.argv[2])
    r = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    gen = {"catalog": catalog, "notes": notes, "shop": shop}[shape]
    out = sys.stdout
    for row in gen(r, n):
        out.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
