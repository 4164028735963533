#!/usr/bin/env python3
"""Many branches at one head office (issue #14's figures), on the servers of scripts/services.sh:

1. The single-branch rate: one branch's bundle of BRANCHES × ROWS rows applied by one `ingest`.
2. BRANCHES branches with ROWS rows each, all exported and drained first, then applied by two
   `ingest` services at once (as on two hosts): time until every branch's bundle is applied,
   rows/s against (1), and checks that each bundle was applied exactly once.
3. The idle cost with IDLE configured branches: the ingest service's CPU and RSS over 30 s with
   nothing arriving, and its bytes per second to the broker (counted by bench/wirecount.py).
4. A day's round trip: with the head office's ingest service running, `salesync run --ack-wait 30s`
   for a ROWS-row delta until it returns with the acknowledgement (median of 5).

    python3 bench/branches.py [BRANCHES [ROWS [IDLE]]]      (default 200 5000 1000)
"""
import os
import random
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "harness", "links"))
from linklab import Relay, services_env, sh  # noqa: E402

BRANCHES = int(sys.argv[1]) if len(sys.argv) > 1 else 200
ROWS = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
IDLE = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
BIN = os.environ.get("SALESYNC_BIN", os.path.join(ROOT, ".build/release/salesync"))
ENV = services_env()
SOCK = os.path.join(ROOT, ".state/mariadb/mariadb.sock")
TAG = "mb%04x" % random.getrandbits(16)
W = tempfile.mkdtemp(prefix=f"salesync-{TAG}-")


def sql(statements, db=None):
    args = ["mariadb", "--protocol=socket", "-S", SOCK, "-uroot", "-N", "-B"] + ([db] if db else [])
    return sh(*args, input=statements + ";\n").stdout


def config(role, site, db, url=None, extra="", queue_type="quorum"):
    return f'''role = "{role}"
site = "{site}"
state_dir = "{W}/state-{site}"
{extra}
[database]
socket = "{SOCK}"
user = "root"
name = "{db}"
tables = ["product_sales"]

[rabbitmq]
url = "{url or ENV['SALESYNC_RABBIT_URL']}"
password_file = "{ENV['SALESYNC_RABBIT_PASSWORD_FILE']}"
queue_type = "{queue_type}"
'''


def write(name, text):
    p = os.path.join(W, name)
    with open(p, "w") as f:
        f.write(text)
    os.chmod(p, 0o600)
    return p


def salesync(conf, *args, check=True):
    return sh(BIN, "--config", conf, *args, check=check)


def make_branch(site, rows):
    """A branch database with `rows` sales, its key and config, initialised, exported, drained."""
    db = f"{TAG}_{site}"
    sql(f"CREATE DATABASE `{db}`")
    sql(open(os.path.join(ROOT, "samples/product_sales.sql")).read(), db=db)
    sql(f"""INSERT INTO product_sales (sale_date, region, product, qty, cost, amt, tax, total)
        SELECT DATE_ADD('2026-01-01', INTERVAL seq % 365 DAY), ELT(1 + seq % 5, 'N', 'S', 'E', 'W', 'C'),
               CONCAT('product-', seq % 997), 1 + seq % 20, (seq % 5000) / 100 + 1, ((seq % 5000) / 100 + 1) * (1 + seq % 20),
               0, 0 FROM seq_1_to_{rows}""", db=db)
    pub = sh(BIN, "keygen", "--out", f"{W}/{site}.key").stdout.strip()
    conf = write(f"{site}.toml", config("branch", site, db, extra=f'key_file = "{W}/{site}.key"'))
    salesync(conf, "init")
    salesync(conf, "export")
    salesync(conf, "drain", check=False)        # 75: sent, not acknowledged yet
    return pub


def head_office(name, branches, url=None, queue_type="quorum"):
    db = f"{TAG}_{name}"
    sql(f"CREATE DATABASE IF NOT EXISTS `{db}`")
    text = config("head-office", name, db, url=url, queue_type=queue_type)
    text += "".join(f'\n[branches.{b}]\npublic_key = "{pub}"\n' for b, pub in branches)
    conf = write(f"{name}.toml", text)
    salesync(conf, "init")
    return conf, db


def wait_applied(db, count, timeout=1800):
    """Seconds until `count` branches have their bundle applied; prints when the first was."""
    t0 = time.monotonic()
    first = None
    while time.monotonic() - t0 < timeout:
        n = int(sql("SELECT COUNT(*) FROM salesync_branches WHERE last_seq >= 1", db=db).strip() or 0)
        if n and first is None:
            first = time.monotonic() - t0
            print(f"first bundle applied {first:.1f} s after the services started", file=sys.stderr)
        if n >= count:
            return time.monotonic() - t0
        time.sleep(0.1)
    raise SystemExit(f"only {n} of {count} branches applied after {timeout} s")


def single_branch_rate():
    pub = make_branch("solo", BRANCHES * ROWS)
    conf, db = head_office("hosolo", [("solo", pub)])
    t0 = time.monotonic()
    salesync(conf, "ingest", "--once")
    return BRANCHES * ROWS / (time.monotonic() - t0)


def many_branches():
    sites = [f"{TAG}b{i}" for i in range(BRANCHES)]
    t0 = time.monotonic()
    pubs = [(s, make_branch(s, ROWS)) for s in sites]
    print(f"set-up of {BRANCHES} branches: {time.monotonic() - t0:.0f} s", file=sys.stderr)
    conf, db = head_office("homany", pubs)
    procs = [subprocess.Popen([BIN, "--config", conf, "ingest"], stderr=subprocess.DEVNULL) for _ in range(2)]
    try:
        elapsed = wait_applied(db, BRANCHES)
    finally:
        for p in procs:
            p.terminate()
            p.wait(60)
    applied = sql("SELECT COUNT(*), COUNT(DISTINCT branch_id, seq) FROM salesync_applied", db=db).split()
    rows = int(sql("SELECT COUNT(*) FROM product_sales", db=db).strip())
    assert applied == [str(BRANCHES), str(BRANCHES)], f"applied records {applied}"
    assert rows == BRANCHES * ROWS, f"{rows} rows at the head office"
    return elapsed, rows, pubs


def idle_cost(pubs):
    fake = [(f"{TAG}i{i}", pubs[0][1]) for i in range(max(0, IDLE - len(pubs)))]
    relay = Relay("127.0.0.1", int(ENV["SALESYNC_RABBIT_URL"].rsplit(":", 1)[1].split("/")[0]), W)
    url = ENV["SALESYNC_RABBIT_URL"].replace(ENV["SALESYNC_RABBIT_URL"].rsplit(":", 1)[1].split("/")[0], str(relay.port))
    # Classic queues for the 1,000: the broker's own cost of 3,000 quorum queues is not the point here.
    conf, _ = head_office("hoidle", pubs + fake, url=url, queue_type="classic")
    p = subprocess.Popen([BIN, "--config", conf, "ingest"], stderr=subprocess.DEVNULL)
    time.sleep(15)                                   # declared, subscribed, first sweep done
    def cpu():
        with open(f"/proc/{p.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    c0, b0, t0 = cpu(), sum(relay.bytes()[:2]), time.monotonic()
    time.sleep(30)
    c1, b1, t1 = cpu(), sum(relay.bytes()[:2]), time.monotonic()
    with open(f"/proc/{p.pid}/status") as f:
        rss = next(int(l.split()[1]) for l in f if l.startswith("VmRSS")) / 1024
    p.terminate()
    p.wait(60)
    relay.stop()
    return 100 * (c1 - c0) / (t1 - t0), rss, (b1 - b0) / (t1 - t0), len(pubs) + len(fake)


def round_trip():
    pub = make_branch("rt", 10)                       # initialised, first snapshot sent
    conf, db = head_office("hort", [("rt", pub)])
    p = subprocess.Popen([BIN, "--config", conf, "ingest"], stderr=subprocess.DEVNULL)
    try:
        branch = os.path.join(W, "rt.toml")
        salesync(branch, "drain", "--ack-wait", "30s")
        times = []
        for day in range(5):
            sql(f"""INSERT INTO product_sales (sale_date, region, product, qty, cost, amt, tax, total)
                SELECT DATE_ADD('2026-06-01', INTERVAL {day} DAY), 'N', CONCAT('p', seq % 50), 1, 2.00, 2.00, 0.40, 2.40
                FROM seq_1_to_{ROWS}""", db=f"{TAG}_rt")
            t0 = time.monotonic()
            salesync(branch, "run", "--ack-wait", "30s")
            times.append(time.monotonic() - t0)
        return sorted(times)[len(times) // 2], times
    finally:
        p.terminate()
        p.wait(60)


def main():
    try:
        rt, rts = round_trip()
        print(f"| round trip: `run --ack-wait 30s`, {ROWS:,}-row delta, ingest service running | median {rt:.2f} s | runs {', '.join(f'{t:.2f}' for t in rts)} s | |")
        solo = single_branch_rate()
        elapsed, rows, pubs = many_branches()
        cpu, rss, bps, n = idle_cost(pubs)
        print(f"| one branch, {BRANCHES * ROWS:,} rows, one ingest | {solo:,.0f} rows/s | | |")
        print(f"| {BRANCHES} branches × {ROWS:,} rows, two ingest services | {rows:,} rows in {elapsed:.1f} s | {rows / elapsed:,.0f} rows/s | {rows / elapsed / solo:.2f}× the single-branch rate |")
        print(f"| idle, {n} configured branches, 30 s | CPU {cpu:.2f} % | RSS {rss:.0f} MB | {bps:,.0f} bytes/s to and from the broker (heartbeats) |")
    finally:
        for db in sql(f"SHOW DATABASES LIKE '{TAG}%'").split():
            sql(f"DROP DATABASE `{db}`")


if __name__ == "__main__":
    main()
