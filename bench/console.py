#!/usr/bin/env python3
"""The web console at a head office holding ROWS sales (issue #13's figures), on the servers of
scripts/services.sh: ROWS/2 rows of the shared generator's data for each of two branches, then
`salesync serve` answering, as a signed-in user, N times each:

- the sales page filtered to one branch and one month (its page of rows, totals, chart),
- the totals of that filter from the JSON API,
- the Branches page,

reporting median and 95th percentile against the 200 ms target, and the server's peak RSS (also
after a CSV download of one branch's rows, to show memory stays flat).

    python3 bench/console.py [ROWS [N]]        (default 2000000 30)
"""
import http.cookiejar
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "harness", "web"))
from weblab import free_port, services_env, sh  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
N = int(sys.argv[2]) if len(sys.argv) > 2 else 30
BIN = os.environ.get("SALESYNC_BIN", os.path.join(ROOT, ".build/release/salesync"))
SOCK = os.path.join(ROOT, ".state/mariadb/mariadb.sock")
TAG = "cb%04x" % random.getrandbits(16)
W = tempfile.mkdtemp(prefix=f"salesync-{TAG}-", dir=os.path.join(ROOT, ".state"))
DB = f"{TAG}_ho"
ENV = services_env()


def sql(statements, db=None):
    args = ["mariadb", "--protocol=socket", "-S", SOCK, "-uroot", "-N", "-B"] + ([db] if db else [])
    return sh(*args, input=statements + ";\n").stdout


def setup():
    """The head office's table as salesync makes it, plus the console's recommended index."""
    keys = [sh(BIN, "keygen", "--out", f"{W}/b{i}.key").stdout.strip() for i in (1, 2)]
    with open(f"{W}/ho.toml", "w") as f:
        f.write(f'''role = "head-office"
site = "{TAG}ho"
state_dir = "{W}/state"
[database]
socket = "{SOCK}"
user = "root"
name = "{DB}"
tables = ["product_sales"]
[rabbitmq]
url = "{ENV["SALESYNC_RABBIT_URL"]}"
password_file = "{ENV["SALESYNC_RABBIT_PASSWORD_FILE"]}"
[web]
users_file = "{W}/users"
[branches.b1]
public_key = "{keys[0]}"
[branches.b2]
public_key = "{keys[1]}"
''')
    sql(f"CREATE DATABASE `{DB}` CHARACTER SET utf8mb4")
    sh(BIN, "--config", f"{W}/ho.toml", "init")
    sql("""CREATE TABLE product_sales (
      branch_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL, id BIGINT UNSIGNED NOT NULL,
      sale_date DATE NOT NULL, region VARCHAR(32) NOT NULL, product VARCHAR(64) NOT NULL, qty INT NOT NULL,
      cost DECIMAL(12,2) NOT NULL, amt DECIMAL(14,2) NOT NULL, tax DECIMAL(12,2) NOT NULL, total DECIMAL(14,2) NOT NULL,
      PRIMARY KEY (branch_id, id), KEY branch_date (branch_id, sale_date)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""", db=DB)
    tsv = f"{W}/sales.tsv"
    with open(tsv, "w") as f:
        subprocess.run(["python3", os.path.join(ROOT, "../shared/bench/gen_sales.py"), str(ROWS // 2), "13"], stdout=f, check=True)
    for b in ("b1", "b2"):
        sql(f"""SET @n = 0; LOAD DATA INFILE '{tsv}' INTO TABLE product_sales CHARACTER SET utf8mb4
            (sale_date, region, product, qty, cost, amt, tax, total) SET branch_id = '{b}', id = (@n := @n + 1)""", db=DB)
        sql(f"INSERT INTO salesync_table_state (branch_id, table_name, state_rows) VALUES ('{b}', 'product_sales', {ROWS // 2})", db=DB)
    os.remove(tsv)
    sh(BIN, "--config", f"{W}/ho.toml", "user", "add", "bench", "--role", "viewer", input="bench-password\n")


def session(url):
    jar = http.cookiejar.CookieJar()
    op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    token = re.search(r'name="csrf" value="([^"]+)"', op.open(url + "/login").read().decode()).group(1)
    op.open(url + "/login", urllib.parse.urlencode({"csrf": token, "next": "/", "user": "bench", "password": "bench-password"}).encode())
    return op


def timed(op, url, n):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        body = op.open(url).read()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), sorted(times)[int(len(times) * 0.95) - 1], len(body)


def rss_peak(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1)) / 1024


def main():
    setup()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    p = subprocess.Popen([BIN, "--config", f"{W}/ho.toml", "serve", "--listen", f"127.0.0.1:{port}"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/login", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        op = session(url)
        month = sql("SELECT DATE_FORMAT(MAX(sale_date) - INTERVAL 6 MONTH, '%Y-%m') FROM product_sales WHERE branch_id = 'b1'", db=DB).strip()
        in_month = sql(f"SELECT COUNT(*) FROM product_sales WHERE branch_id = 'b1' AND DATE_FORMAT(sale_date, '%Y-%m') = '{month}'", db=DB).strip()
        q = urllib.parse.urlencode({"branch": "b1", "month": month})
        basic = urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(pw := urllib.request.HTTPPasswordMgrWithDefaultRealm()))
        pw.add_password(None, url, "bench", "bench-password")
        timed(op, f"{url}/sales?{q}", 2)  # warm the buffer pool
        rows = [
            (f"sales page, branch b1, month {month} ({in_month} rows): page, totals, chart", timed(op, f"{url}/sales?{q}", N)),
            ("JSON totals, same filter (/api/sales/totals)", timed(basic, f"{url}/api/sales/totals?{q}", N)),
            ("branches page (/)", timed(op, f"{url}/", N)),
        ]
        rss_before = rss_peak(p.pid)
        t = time.perf_counter()
        csv_bytes = len(op.open(f"{url}/sales.csv?branch=b1").read())
        csv_s = time.perf_counter() - t
        rss_after = rss_peak(p.pid)
    finally:
        p.terminate()
        p.wait(10)
        sql(f"DROP DATABASE `{DB}`")
    print(f"# Console benchmark: {ROWS:,} rows at the head office, {N} requests each\n")
    print("| request | median ms | p95 ms | target | bytes |")
    print("|---|---|---|---|---|")
    for name, (med, p95, size) in rows:
        print(f"| {name} | {med:.1f} | {p95:.1f} | ≤ 200 ms median: {'met' if med <= 200 else 'NOT met'} | {size:,} |")
    print(f"\nServer peak RSS after the page requests: {rss_before:.1f} MB; after a CSV download of branch b1 "
          f"({csv_bytes / 1e6:.1f} MB in {csv_s:.1f} s): {rss_after:.1f} MB (target < 100 MB: {'met' if rss_after < 100 else 'NOT met'}).")


if __name__ == "__main__":
    main()
