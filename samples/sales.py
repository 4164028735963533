#!/usr/bin/env python3
"""Prints N made-up product_sales rows as TSV for LOAD DATA (demo and tests).

Usage: sales.py N [SEED] [FIRST_DATE]
Columns: sale_date, region, product, qty, cost, amt, tax, total.
"""
import datetime
import random
import sys

n = int(sys.argv[1])
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
day = datetime.date.fromisoformat(sys.argv[3]) if len(sys.argv) > 3 else datetime.date(2026, 11, 2)
catalogue = [("Espresso beans 1kg", 18.40), ("Filter papers", 3.10), ("Milk frother", 42.00), ("Tea sampler", 11.25),
             ("Ceramic cup", 6.90), ("Grinder", 129.00), ("Kettle", 54.50), ("Descaler", 7.80), ("Syrup 😀 vanilla", 9.95)]
regions = ["Nord", "Süd", "Ost", "West", "Mitte"]
for i in range(n):
    product, cost = rng.choice(catalogue)
    qty = rng.randint(1, 40)
    amt = round(qty * cost, 2)
    tax = round(amt * 0.19, 2)
    print(f"{day + datetime.timedelta(days=i // 300)}\t{rng.choice(regions)}\t{product}\t{qty}\t{cost:.2f}\t{amt:.2f}\t{tax:.2f}\t{amt + tax:.2f}")
