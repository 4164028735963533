#!/usr/bin/env python3
"""A branch rebuilt from the head office (issue #28's figures), on the servers of scripts/services.sh.

A branch with ROWS rows of history syncs them to the head office; then its PC is replaced: an
empty database under the same site id, whose first bundle the head office recognises as a
branch that went back in time. Measured:

1. the head office's rejoin copy: its bytes, and the ingest run that prepares and publishes it;
2. `salesync rejoin` at the branch over loopback: fetching the copy from RabbitMQ and merging it;
3. the same copy over a 256 kbit/s link, as line time (bytes × 8 / 256,000) plus the merge
   measured in (2);
4. against `mariadb-dump --no-create-info` of the same rows at the head office, piped to gzip:
   its bytes, its time, and its line time at the same rate;

then checks that the head office holds exactly the branch's rows again (`verify --full`).

    python3 bench/rejoin.py [ROWS]      (default 1000000)

Writes bench/results/rejoin-LATEST.md.
"""
import glob
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchkit import BIN, ENV, ROOT, SOCK, site_config, sql, workdir, write  # noqa: E402
from linklab import sh  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
RATE = 256_000
TAG, W = workdir("rj")
B = f"{TAG}b1"
DBS = {"ho": f"{TAG}_ho", "b1": f"{TAG}_b1"}


def salesync(conf, *args, check=True):
    return sh(BIN, "--config", conf, *args, check=check)


def timed(f):
    t = time.monotonic()
    r = f()
    return r, time.monotonic() - t


def branch_db():
    sql(f"DROP DATABASE IF EXISTS `{DBS['b1']}`")
    sql(f"CREATE DATABASE `{DBS['b1']}`")
    sql(open(os.path.join(ROOT, "../shared/bench/schema.sql")).read(), db=DBS["b1"])


def main():
    url = ENV["SALESYNC_RABBIT_URL"]
    ho_pub = sh(BIN, "keygen", "--out", f"{W}/ho.key").stdout.strip()
    b_pub = sh(BIN, "keygen", "--out", f"{W}/b1.key").stdout.strip()
    sql(f"CREATE DATABASE `{DBS['ho']}`")
    ho = write(W, "ho.toml", site_config(W, "head-office", "ho", DBS["ho"], url, top=f'key_file = "{W}/ho.key"')
               + f'\n[branches.{B}]\npublic_key = "{b_pub}"\n')
    b1 = write(W, "b1.toml", site_config(W, "branch", B, DBS["b1"], url, top=f'key_file = "{W}/b1.key"')
               + f'\n[downlink]\nhead_office_key = "{ho_pub}"\n')
    branch_db()
    tsv = f"{W}/sales.tsv"
    with open(tsv, "w") as f:
        f.write(sh("python3", os.path.join(ROOT, "../shared/bench/gen_sales.py"), str(ROWS), "7").stdout)
    sql(f"LOAD DATA LOCAL INFILE '{tsv}' INTO TABLE product_sales CHARACTER SET utf8mb4 "
        "(sale_date, region, product, qty, cost, amt, tax, total)", db=DBS["b1"])
    for c in (ho, b1):
        salesync(c, "init")
    salesync(b1, "run", check=False)
    salesync(ho, "ingest", "--once")
    salesync(b1, "drain", "--ack-wait", "10s", check=False)
    held = sql(f"SELECT COUNT(*) FROM product_sales WHERE branch_id = '{B}'", db=DBS["ho"]).strip()
    assert held == str(ROWS), held

    # The disk dies: a new PC, the same site id and key.
    branch_db()
    sh("rm", "-rf", f"{W}/state-{B}")
    salesync(b1, "init")
    salesync(b1, "run", check=False)
    _, prepare = timed(lambda: salesync(ho, "ingest", "--once"))
    copy = glob.glob(f"{W}/state-ho/downlink/branches/{B}/ho-to-*.ssb")
    copy_bytes = os.path.getsize(copy[0])
    r, rejoin = timed(lambda: salesync(b1, "rejoin", "--max-duration", "30m"))
    report = r.stdout.splitlines()[0]
    salesync(b1, "run", "--ack-wait", "30s", check=False)
    salesync(ho, "ingest", "--once")
    salesync(b1, "drain", "--ack-wait", "10s", check=False)
    verify = salesync(ho, "verify", "--full", check=False)

    dump = f"{W}/dump.sql.gz"
    _, dump_time = timed(lambda: sh("bash", "-c", f"mariadb-dump -S {SOCK} -uroot --no-create-info "
                                                  f"--where=\"branch_id='{B}'\" {DBS['ho']} product_sales | gzip > {dump}"))
    dump_bytes = os.path.getsize(dump)
    line = lambda n: n * 8 / RATE

    rows = [
        ("rows of history", f"{ROWS:,}", ""),
        ("rejoin copy (bytes)", f"{copy_bytes:,}", f"{copy_bytes / ROWS:.2f} bytes/row"),
        ("mariadb-dump piped to gzip, same rows (bytes)", f"{dump_bytes:,}", f"{dump_bytes / ROWS:.2f} bytes/row"),
        ("copy / dump bytes", f"{copy_bytes / dump_bytes:.2f}×", "lower is better"),
        ("head office: ingest run that prepares and publishes the copy", f"{prepare:.1f} s", ""),
        ("mariadb-dump piped to gzip at the head office", f"{dump_time:.1f} s", ""),
        ("branch: `salesync rejoin` over loopback (fetch + merge)", f"{rejoin:.1f} s", f"{ROWS / rejoin:,.0f} rows/s"),
        ("over 256 kbit/s: copy line time + rejoin", f"{line(copy_bytes) + rejoin:.0f} s", f"line time {line(copy_bytes):.0f} s"),
        ("over 256 kbit/s: dump line time (no load)", f"{line(dump_bytes):.0f} s", ""),
        ("verify --full afterwards", "exit %d" % verify.returncode, verify.stdout.strip()[:80]),
    ]
    text = ("# bench/rejoin.py\n\n" + f"{report}\n\n| measure | figure | note |\n|---|---|---|\n"
            + "".join(f"| {a} | {b} | {c} |\n" for a, b, c in rows))
    print(text)
    with open(os.path.join(ROOT, "bench/results/rejoin-LATEST.md"), "w") as f:
        f.write(text)
    for db in DBS.values():
        sql(f"DROP DATABASE IF EXISTS `{db}`")
    if verify.returncode != 0:
        raise SystemExit("the head office does not hold exactly the branch's rows: " + verify.stdout + verify.stderr)


if __name__ == "__main__":
    main()
