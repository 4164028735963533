#!/usr/bin/env python3
"""Many branches at one head office (issue #14's figures), on the servers of scripts/services.sh:

1. The single-branch rates: one branch with BRANCHES × ROWS rows, its first snapshot and then a
   day's delta of as many changed rows (new sales, 3 % corrections, 1 % deletions), each applied
   by one `ingest --once`.
2. BRANCHES branches with ROWS rows each, the same two steps: every branch's bundle exported and
   drained first, then applied by two `ingest` services started at once (as on two hosts): time
   from their start until every branch's bundle is applied, rows/s against (1), and checks that
   each bundle was applied exactly once and every branch's rows equal the head office's.
3. The idle cost with IDLE configured branches: the ingest service's CPU and RSS over 30 s with
   nothing arriving, and its bytes per second to the broker (counted by bench/wirecount.py).
4. A day's round trip: with the head office's ingest service running, `salesync run --ack-wait 30s`
   for a ROWS-row delta until it returns with the acknowledgement (median of 5).

    python3 bench/branches.py [BRANCHES [ROWS [IDLE]]]      (default 200 5000 1000)

Everything runs in a RabbitMQ virtual host of its own, deleted at the end with its queues.
SALESYNC_BENCH_IDLE_SECONDS shortens the idle measurement (default 30) for a smoke run.
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchkit import BIN, ENV, ROOT, SOCK, site_config, sql, workdir, write as write_in  # noqa: E402
from linklab import Relay, sh  # noqa: E402

BRANCHES = int(sys.argv[1]) if len(sys.argv) > 1 else 200
ROWS = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
IDLE = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
TAG, W = workdir("mb")
VHOST = f"salesync-bench-{TAG}"
RABBIT_URL = ENV["SALESYNC_RABBIT_URL"].rsplit("/", 1)[0] + "/" + VHOST
IDLE_SECONDS = float(os.environ.get("SALESYNC_BENCH_IDLE_SECONDS", "30"))
FIRST_APPLIED = 0.0


def config(role, site, db, url=None, extra="", queue_type="quorum"):
    return site_config(W, role, site, db, url or RABBIT_URL, top=extra, more=f'queue_type = "{queue_type}"\n')


def write(name, text):
    return write_in(W, name, text)


def rabbitmqctl(*args):
    return sh("bash", os.path.join(ROOT, "scripts/services.sh"), "rabbitmqctl", *args)


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


def wait_applied(db, count, seq=1, timeout=1800):
    """Seconds until `count` branches have bundle `seq` applied; prints when the first was, and
    keeps it in FIRST_APPLIED (the services' start-up: 200 quorum-queue consumers take seconds)."""
    global FIRST_APPLIED
    t0 = time.monotonic()
    first = None
    while time.monotonic() - t0 < timeout:
        n = int(sql(f"SELECT COUNT(*) FROM salesync_branches WHERE last_seq >= {seq}", db=db).strip() or 0)
        if n and first is None:
            first = FIRST_APPLIED = time.monotonic() - t0
            print(f"first bundle applied {first:.1f} s after the services started", file=sys.stderr)
        if n >= count:
            return time.monotonic() - t0
        time.sleep(0.1)
    raise SystemExit(f"only {n} of {count} branches applied after {timeout} s")


def single_branch_rates():
    """One branch with BRANCHES × ROWS rows: its first snapshot, then a day's delta of as many
    changed rows, each applied by one `ingest --once`. Rows per second of each."""
    n = BRANCHES * ROWS
    pub = make_branch("solo", n)
    conf, db = head_office("hosolo", [("solo", pub)])
    t0 = time.monotonic()
    salesync(conf, "ingest", "--once")
    snapshot = n / (time.monotonic() - t0)
    last = int(sql("SELECT MAX(seq) FROM salesync_applied", db=db).strip())   # the snapshot comes in several bundles
    day_of_sales("solo", n)
    t0 = time.monotonic()
    salesync(conf, "ingest", "--once")
    elapsed = time.monotonic() - t0
    delta = int(sql(f"SELECT SUM(row_count) FROM salesync_applied WHERE seq > {last}", db=db).strip()) / elapsed
    return snapshot, delta


def day_of_sales(site, rows):
    """A day's delta of `rows` changed rows: new sales, 3 % corrections and 1 % deletions of
    earlier sales (kept apart, so that every key changes once); exported and drained."""
    db = f"{TAG}_{site}"
    corrected, deleted = rows // 33, rows // 100
    sql(f"UPDATE product_sales SET qty = qty + 1, total = total + 1 WHERE id % 33 = 0 LIMIT {corrected}", db=db)
    sql(f"DELETE FROM product_sales WHERE id % 100 = 50 AND id % 33 <> 0 LIMIT {deleted}", db=db)
    sql(f"""INSERT INTO product_sales (sale_date, region, product, qty, cost, amt, tax, total)
        SELECT DATE_ADD('2026-12-01', INTERVAL seq % 7 DAY), ELT(1 + seq % 5, 'N', 'S', 'E', 'W', 'C'),
               CONCAT('product-', seq % 991), 1 + seq % 17, (seq % 4000) / 100 + 1, ((seq % 4000) / 100 + 1) * (1 + seq % 17),
               0, 0 FROM seq_1_to_{rows - corrected - deleted}""", db=db)
    conf = os.path.join(W, f"{site}.toml")
    salesync(conf, "export")
    salesync(conf, "drain", check=False)        # 75: sent, not acknowledged yet


def two_services(conf, db, seq):
    """Seconds two `ingest` services, started now, take to apply bundle `seq` of every branch."""
    procs = [subprocess.Popen([BIN, "--config", conf, "ingest"], stderr=subprocess.DEVNULL) for _ in range(2)]
    try:
        return wait_applied(db, BRANCHES, seq=seq)
    finally:
        for p in procs:
            p.terminate()
            p.wait(60)


def many_branches():
    """BRANCHES branches' first snapshots, then their day's deltas, each applied by two ingest
    services started once all bundles wait in the queues. Checks exactness; returns the times
    and rows of both."""
    sites = [f"{TAG}b{i}" for i in range(BRANCHES)]
    t0 = time.monotonic()
    pubs = [(s, make_branch(s, ROWS)) for s in sites]
    conf, db = head_office("homany", pubs)
    print(f"set-up of {BRANCHES} branches: {time.monotonic() - t0:.0f} s", file=sys.stderr)
    first = (two_services(conf, db, 1), FIRST_APPLIED)
    for s in sites:
        day_of_sales(s, ROWS)
    second = (two_services(conf, db, 2), FIRST_APPLIED)
    applied = sql("SELECT COUNT(*), COUNT(DISTINCT branch_id, seq), SUM(seq = 2), SUM(IF(seq = 2, row_count, 0)) FROM salesync_applied", db=db).split()
    assert applied[:3] == [str(2 * BRANCHES), str(2 * BRANCHES), str(BRANCHES)], f"applied records {applied}"
    matched = int(sql("SELECT COUNT(*) FROM salesync_branches WHERE verdict = 'match'", db=db).strip())
    assert matched == BRANCHES, f"{matched} of {BRANCHES} branches match the head office"
    at_branches = sum(int(sql("SELECT COUNT(*) FROM product_sales", db=f"{TAG}_{s}").strip()) for s in sites)
    at_ho = int(sql("SELECT COUNT(*) FROM product_sales", db=db).strip())
    assert at_ho == at_branches, f"{at_ho} rows at the head office, {at_branches} at the branches"
    return (first, BRANCHES * ROWS), (second, int(applied[3])), pubs


def idle_cost(pubs):
    fake = [(f"{TAG}i{i}", pubs[0][1]) for i in range(max(0, IDLE - len(pubs)))]
    port = RABBIT_URL.rsplit(":", 1)[1].split("/")[0]
    relay = Relay("127.0.0.1", int(port), W)
    url = RABBIT_URL.replace(f":{port}/", f":{relay.port}/")
    # Classic queues for the 1,000: the broker's own cost of 3,000 quorum queues is not the point here.
    conf, _ = head_office("hoidle", pubs + fake, url=url, queue_type="classic")
    p = subprocess.Popen([BIN, "--config", conf, "ingest"], stderr=subprocess.DEVNULL)
    time.sleep(15)                                   # declared, subscribed, first sweep done
    def cpu():
        with open(f"/proc/{p.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    c0, b0, t0 = cpu(), sum(relay.bytes()[:2]), time.monotonic()
    time.sleep(IDLE_SECONDS)
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


def since_first(rows, times, solo):
    """The rate counted from the first bundle applied (the services' start-up left out)."""
    total, first = times
    if total - first < 0.1 * total:
        return f"all applied at once, {first:.1f} s after the start"
    return f"{rows / (total - first) / solo:.2f}× from the first bundle applied, {first:.1f} s after the start"


def main():
    rabbitmqctl("add_vhost", VHOST)
    user = RABBIT_URL.split("://", 1)[1].split("@", 1)[0]
    rabbitmqctl("set_permissions", "-p", VHOST, user, ".*", ".*", ".*")
    try:
        rt, rts = round_trip()
        print(f"| round trip: `run --ack-wait 30s`, {ROWS:,}-row delta, ingest service running | median {rt:.2f} s | runs {', '.join(f'{t:.2f}' for t in rts)} s | |")
        solo_snapshot, solo_delta = single_branch_rates()
        (t1, r1), (t2, r2), pubs = many_branches()
        cpu, rss, bps, n = idle_cost(pubs)
        print(f"| one branch, {BRANCHES * ROWS:,}-row first snapshot, one `ingest --once` | {solo_snapshot:,.0f} rows/s | | |")
        print(f"| {BRANCHES} branches × a {ROWS:,}-row first snapshot, two ingest services | {r1:,} rows in {t1[0]:.1f} s | {r1 / t1[0]:,.0f} rows/s | {r1 / t1[0] / solo_snapshot:.2f}× the single-branch rate ({since_first(r1, t1, solo_snapshot)}) |")
        print(f"| one branch, a day's delta of {BRANCHES * ROWS:,} rows on as many, one `ingest --once` | {solo_delta:,.0f} rows/s | | |")
        print(f"| {BRANCHES} branches × a day's delta of {ROWS:,} rows, two ingest services | {r2:,} rows in {t2[0]:.1f} s | {r2 / t2[0]:,.0f} rows/s | {r2 / t2[0] / solo_delta:.2f}× the single-branch rate ({since_first(r2, t2, solo_delta)}) |")
        print(f"| idle, {n} configured branches, {IDLE_SECONDS:.0f} s | CPU {cpu:.2f} % | RSS {rss:.0f} MB | {bps:,.0f} bytes/s to and from the broker (heartbeats) |")
    finally:
        for db in sql(f"SHOW DATABASES LIKE '{TAG}%'").split():
            sql(f"DROP DATABASE `{db}`")
        rabbitmqctl("delete_vhost", VHOST)


if __name__ == "__main__":
    main()
