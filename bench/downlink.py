#!/usr/bin/env python3
"""The downlink's figures (issue #26), on the servers of scripts/services.sh, in one run:

1. Export for many branches against one: two head offices, one with BRANCHES branches and one
   with a single branch, each with the same PRODUCTS-product catalogue (products, prices). After
   every branch has had its first copy, PERCENT % of the prices change; `salesync export` at the
   head office (capture, master bundle, every branch's bundle) is timed, median of REPEATS
   rounds of changes. Target: BRANCHES branches ≤ 1.2 × one branch.
2. Bytes per changed row on the wire: one branch's delta bundle against `xz -6` of the same
   rows (the changed prices rows as TSV, as `mariadb -B` prints them). Target ≤ 1.0.
3. Apply rate at a branch: `salesync ingest --from DIR` of that delta at a real branch database
   (the USB procedure: the same apply as from the broker), against `LOAD DATA LOCAL INFILE …
   REPLACE` of the same rows into a copy of the branch's table by the mariadb client. Target ≥ 0.8
   for the rate of the work: the bundle's transaction (logged by `ingest`) against the statement
   (timed on the server); the whole commands, start-up included, are shown beside it. Odd rounds with the default `check_every` (the whole-table comparison hourly), even rounds
   comparing with every bundle.

    python3 bench/downlink.py [PRODUCTS [BRANCHES [PERCENT [REPEATS]]]]   (default 100000 200 10 10)

Prints a markdown table and writes it to bench/results/downlink-LATEST.md.
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchkit import BIN, ENV, ROOT, SOCK, linkage, site_config, sql, workdir, write as write_in  # noqa: E402
from linklab import sh  # noqa: E402

PRODUCTS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
BRANCHES = int(sys.argv[2]) if len(sys.argv) > 2 else 200
PERCENT = int(sys.argv[3]) if len(sys.argv) > 3 else 10
REPEATS = int(sys.argv[4]) if len(sys.argv) > 4 else 10
TAG, W = workdir("dl")


def write(name, text):
    return write_in(W, name, text)


def config(role, site, db, top="", more=""):
    return site_config(W, role, site, db, ENV["SALESYNC_RABBIT_URL"], top=top, more=more)


def salesync(conf, *args):
    r = sh(BIN, "--config", conf, *args, check=False)
    if r.returncode != 0:
        raise SystemExit(f"salesync {' '.join(args)} ({conf}): exit {r.returncode}: {r.stderr.strip()}")
    return r


def transaction_ms(log):
    """The apply's transaction time, from `ingest`'s log line "downlink bundle applied … ms=…"."""
    for line in log.splitlines():
        if "downlink bundle applied" in line:
            return float(re.search(r"\bms=([0-9.]+)", line).group(1))
    raise SystemExit(f"ingest --from logged no applied bundle:\n{log}")


def timed(conf, *args):
    t0 = time.monotonic()
    salesync(conf, *args)
    return time.monotonic() - t0


def site(i):
    return f"b{i:04d}"


def head_office(name, branches, branch_pub, ho_key):
    """A head office database with the catalogue and `branches` branches, initialised."""
    db = f"{TAG}_{name}"
    sql(f"CREATE DATABASE `{db}`")
    sql(f"""CREATE TABLE products (id INT PRIMARY KEY, name VARCHAR(80) NOT NULL, category VARCHAR(40) NOT NULL,
                                   tax_rate DECIMAL(4,2) NOT NULL);
        CREATE TABLE prices (product_id INT PRIMARY KEY, price DECIMAL(10,2) NOT NULL, valid_from DATE NOT NULL);
        INSERT INTO products SELECT seq, CONCAT('item ', LEFT(MD5(seq), 12)), ELT(1 + CRC32(seq) % 12, 'grocery', 'dairy',
               'bakery', 'drinks', 'frozen', 'household', 'hygiene', 'pets', 'baby', 'garden', 'toys', 'stationery'),
               ELT(1 + seq % 3, 5.5, 10, 20) FROM seq_1_to_{PRODUCTS};
        INSERT INTO prices SELECT seq, 0.5 + CRC32(CONCAT('p', seq)) % 5000 / 100, '2026-11-01' FROM seq_1_to_{PRODUCTS}""", db=db)
    text = config("head-office", name, db, top=f'key_file = "{ho_key}"',
                  more='\n[downlink]\ntables = ["products", "prices"]\nexport_every = "0"\n')
    text += "".join(f'\n[branches.{site(i)}]\npublic_key = "{branch_pub}"\n' for i in range(branches))
    conf = write(f"{name}.toml", text)
    salesync(conf, "init")
    return conf, db


def change_prices(db, round_):
    """PERCENT % of the prices change (a different set each round), from a new date."""
    sql(f"""UPDATE prices SET price = ROUND(price * (0.9 + (CRC32(CONCAT('r', product_id, {round_})) % 20) / 100) + 0.01, 2),
                valid_from = DATE_ADD('2026-12-01', INTERVAL {round_} DAY)
            WHERE CRC32(CONCAT('pick', product_id, {round_})) % 100 < {PERCENT}""", db=db)
    return f"CRC32(CONCAT('pick', product_id, {round_})) % 100 < {PERCENT}"


def main():
    subprocess.run(["bash", os.path.join(ROOT, "scripts/services.sh"), "up"], check=True, capture_output=True)
    branch_pub = sh(BIN, "keygen", "--out", f"{W}/branch.key").stdout.strip()
    ho_pub = sh(BIN, "keygen", "--out", f"{W}/ho.key").stdout.strip()
    many, many_db = head_office("homany", BRANCHES, branch_pub, f"{W}/ho.key")
    one, one_db = head_office("hoone", 1, branch_pub, f"{W}/ho.key")
    first_many = timed(many, "export")
    first_one = timed(one, "export")
    print(f"first copies: {BRANCHES} branches {first_many:.1f} s, one branch {first_one:.1f} s", file=sys.stderr)

    # A real branch for the single head office: its first copy by the USB procedure.
    bdb = f"{TAG}_b0000"
    sql(f"CREATE DATABASE `{bdb}`")
    sql(open(os.path.join(ROOT, "samples/product_sales.sql")).read(), db=bdb)
    bconf = write("b0000.toml", config("branch", site(0), bdb, top=f'key_file = "{W}/branch.key"',
                                       more=f'\n[downlink]\nhead_office_key = "{ho_pub}"\n'))
    salesync(bconf, "init")
    # The same branch comparing its whole copy with every bundle (check_every = "0"), every other round.
    bconf_checked = write("b0000-checked.toml", open(bconf).read().replace("[downlink]\n", '[downlink]\ncheck_every = "0"\n'))
    usb = os.path.join(W, "usb")
    salesync(one, "export", "--to", usb)
    salesync(bconf, "ingest", "--from", usb)
    salesync(one, "acks", "--from", usb)

    t_many, t_one, apply_s, checked_s, load_s, bytes_row, xz_row, changed = [], [], [], [], [], [], [], 0
    apply_tx, load_stmt = [], []
    for r in range(1, REPEATS + 1):
        where = change_prices(many_db, r)
        change_prices(one_db, r)
        changed = int(sql(f"SELECT COUNT(*) FROM prices WHERE {where}", db=one_db))
        t_many.append(timed(many, "export"))
        t_one.append(timed(one, "export"))

        # The branch's delta on the wire, against xz -6 of the same rows.
        seq = sql("SELECT MAX(seq) FROM salesync_downlink", db=one_db).strip()
        size = int(sql(f"SELECT bytes FROM salesync_downlink WHERE seq = {seq}", db=one_db))
        tsv = os.path.join(W, "changed.tsv")
        with open(tsv, "w") as f:
            f.write(sql(f"SELECT product_id, price, valid_from FROM prices WHERE {where}", db=one_db))
        xz = len(subprocess.run(["xz", "-6", "-c", tsv], capture_output=True, check=True).stdout)
        bytes_row.append(size / changed)
        xz_row.append(xz / changed)

        # Applying it at the branch, against LOAD DATA of the same rows into a copy of its table.
        shutil.rmtree(usb, ignore_errors=True)
        salesync(one, "export", "--to", usb)
        sql("DROP TABLE IF EXISTS prices_copy; CREATE TABLE prices_copy LIKE prices; INSERT INTO prices_copy SELECT * FROM prices", db=bdb)
        t0 = time.monotonic()
        out = salesync(bconf_checked if r % 2 == 0 else bconf, "ingest", "--from", usb, "--verbose")
        (checked_s if r % 2 == 0 else apply_s).append(time.monotonic() - t0)
        if r % 2:
            apply_tx.append(transaction_ms(out.stderr) / 1000)
        t0 = time.monotonic()
        out = sh("mariadb", "--protocol=socket", "-S", SOCK, "-uroot", "--local-infile=1", "-N", "-B", bdb, "-e",
                 f"SET @t = NOW(6); LOAD DATA LOCAL INFILE '{tsv}' REPLACE INTO TABLE prices_copy; "
                 "SELECT TIMESTAMPDIFF(MICROSECOND, @t, NOW(6))")
        load_s.append(time.monotonic() - t0)
        load_stmt.append(int(out.stdout.strip()) / 1e6)
        salesync(one, "acks", "--from", usb)

    same = sql("SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', product_id, price, valid_from))) FROM prices", db=bdb) == \
        sql("SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', product_id, price, valid_from))) FROM prices", db=one_db)
    copy_same = sql("SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', product_id, price, valid_from))) FROM prices", db=bdb) == \
        sql("SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', product_id, price, valid_from))) FROM prices_copy", db=bdb)
    if not (same and copy_same):
        raise SystemExit("the branch's prices differ from the head office's (or from LOAD DATA's copy)")
    # Every branch of the many got what the single branch got (its copy may span several bundles).
    each = int(sql("SELECT COUNT(*) FROM salesync_downlink", db=one_db))
    bundles = int(sql("SELECT COUNT(*) FROM salesync_downlink", db=many_db))
    if bundles != BRANCHES * each:
        raise SystemExit(f"{bundles} bundles at the head office of {BRANCHES} branches, expected {BRANCHES * each}")

    med = statistics.median
    rate, load_rate = changed / med(apply_s), changed / med(load_s)
    checked_rate = changed / med(checked_s) if checked_s else 0
    tx_rate, stmt_rate = changed / med(apply_tx), changed / med(load_stmt)
    lines = [
        f"# Downlink: {PRODUCTS} products, {PERCENT} % of prices changed ({changed} rows), {BRANCHES} branches, median of {REPEATS}",
        "",
        "| measure | salesync | against | ratio | target |",
        "|---|---|---|---|---|",
        f"| export at the head office, {BRANCHES} branches vs 1 | {med(t_many):.2f} s | {med(t_one):.2f} s | "
        f"{med(t_many) / med(t_one):.2f} | ≤ 1.2 |",
        f"| bytes per changed row, one branch's bundle vs xz -6 of the rows | {med(bytes_row):.2f} | {med(xz_row):.2f} | "
        f"{med(bytes_row) / med(xz_row):.2f} | ≤ 1.0 |",
        f"| apply at a branch, rows/s: the bundle's transaction vs the `LOAD DATA … REPLACE` statement | {tx_rate:,.0f} | "
        f"{stmt_rate:,.0f} | {tx_rate / stmt_rate:.2f} | ≥ 0.8 |",
        f"| the same, whole commands: `salesync ingest --from` vs `mariadb -e 'LOAD DATA …'` | {rate:,.0f} | {load_rate:,.0f} | "
        f"{rate / load_rate:.2f} | |",
        f"| the same command, comparing the whole table with every bundle (`check_every = \"0\"`) | {checked_rate:,.0f} | "
        f"{load_rate:,.0f} | {checked_rate / load_rate:.2f} | |",
        f"| first copies (snapshot), {BRANCHES} branches vs 1 | {first_many:.2f} s | {first_one:.2f} s | "
        f"{first_many / first_one:.2f} | |",
        "",
        f"Runs: export {BRANCHES} branches {', '.join(f'{x:.2f}' for x in t_many)} s; one branch "
        f"{', '.join(f'{x:.2f}' for x in t_one)} s; apply {', '.join(f'{x:.3f}' for x in apply_s)} s "
        f"(with the whole-table comparison {', '.join(f'{x:.3f}' for x in checked_s)} s); "
        f"LOAD DATA {', '.join(f'{x:.3f}' for x in load_s)} s. Transactions: apply "
        f"{', '.join(f'{x:.4f}' for x in apply_tx)} s; LOAD DATA statement {', '.join(f'{x:.4f}' for x in load_stmt)} s. "
        f"Binary: {BIN} ({linkage()}).",
        "",
        "The apply's transaction (from `ingest`'s log line, `ms=`: begin, load, bookkeeping, commit) against the",
        "statement on the server's clock (`NOW(6)` before and after, autocommit, so its commit included) is the",
        "rate of the work per row. The whole commands add each process's start-up, connection and checks, and",
        "salesync's run record and acknowledgement on the stick: a fixed cost per command, here "
        f"{(med(apply_s) - med(apply_tx)) * 1000:.0f} ms against the client's {(med(load_s) - med(load_stmt)) * 1000:.0f} ms.",
    ]
    print("\n".join(lines))
    with open(os.path.join(ROOT, "bench/results/downlink-LATEST.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    try:
        main()
    finally:
        for db in sql(f"SHOW DATABASES LIKE '{TAG}%'").split():
            sql(f"DROP DATABASE `{db}`")
        shutil.rmtree(W, ignore_errors=True)
