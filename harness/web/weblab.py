"""The web console's laboratory: a head office and two branches on the test servers (databases
and queues of their own), a console user of each role at each site, and `salesync serve` running
for the head office and for branch 1. Also a headless Chromium driven by Selenium.

Reads the test servers' addresses from `scripts/services.sh env`; screenshots go to
$SALESYNC_SCREENSHOTS (default .state/web-screenshots).
"""
import os
import random
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "harness", "links"))
from linklab import TestSites, services_env, sh, site_toml  # noqa: E402

PASSWORDS = {"manager": "manager-secret-1", "viewer": "viewer-secret-1", "clerk": "clerk-secret-1", "watcher": "watcher-secret-1",
             "cashier": "cashier-secret-1"}

# The head office's catalogue: products with their tax rate, and prices from a day on.
CATALOGUE = (
    "CREATE TABLE products (id INT PRIMARY KEY, name VARCHAR(80) NOT NULL, tax_rate DECIMAL(4,2) NOT NULL)",
    "CREATE TABLE prices (product_id INT NOT NULL, valid_from DATE NOT NULL, price DECIMAL(10,2) NOT NULL, PRIMARY KEY (product_id, valid_from))",
    "INSERT INTO products VALUES (1, 'Espresso', 10.00), (2, 'Croissant', 5.50), (3, 'Umbrella', 20.00)",
    "INSERT INTO prices VALUES (1, '2026-11-01', 1.90), (1, '2026-12-01', 2.10), (2, '2026-11-01', 1.80), (3, '2026-11-01', 12.00)",
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sites(TestSites):
    """Head office `ho` and branches `b1`, `b2`, with sales already synced once."""

    def __init__(self):
        self.env = services_env()
        self.tag = "wb" + "%06x" % random.getrandbits(24)
        self.dir = tempfile.mkdtemp(prefix=f"salesync-{self.tag}-")
        self.sock = os.path.join(ROOT, ".state/mariadb/mariadb.sock")
        self.bin = os.environ.get("SALESYNC_BIN", os.path.join(ROOT, ".build/debug/salesync"))
        self.db = {s: f"{self.tag}_{s}" for s in ("ho", "b1", "b2")}
        self.site = {s: f"{self.tag}{s}" for s in ("b1", "b2")}
        self.sql(*[f"CREATE DATABASE `{d}` CHARACTER SET utf8mb4" for d in self.db.values()])
        keys = {}
        # The head office's catalogue and prices flow down (docs/downlink.md); b2's sale form uses them.
        self.sql(*CATALOGUE, db=self.db["ho"])
        self.ho_key = self.salesync("keygen", "--out", f"{self.dir}/ho.key").stdout.strip()
        downlink = f'\n[downlink]\nhead_office_key = "{self.ho_key}"\n'
        for b in ("b1", "b2"):
            with open(os.path.join(ROOT, "samples/product_sales.sql")) as f:
                self.sql(f.read(), db=self.db[b])
            keys[b] = self.salesync("keygen", "--out", f"{self.dir}/{b}.key").stdout.strip()
            web = "\n[web.catalogue]\n" if b == "b2" else ""
            self.write(f"{b}.toml", self.config("branch", self.site[b], self.db[b], f'key_file = "{self.dir}/{b}.key"', web) + downlink)
        self.keys = keys
        self.write_ho("ho.toml", keys)
        for b, seed in (("b1", 31), ("b2", 32)):
            self.load_sales(b, 400, seed)
            self.salesync("--config", self.path(b), "init")
        self.salesync("--config", self.path("ho"), "init")
        for name, (site, role) in {"manager": ("ho", "operator"), "viewer": ("ho", "viewer"),
                                   "clerk": ("b1", "operator"), "watcher": ("b1", "viewer"), "cashier": ("b2", "operator")}.items():
            sh(self.bin, "--config", self.path(site), "user", "add", name, "--role", role, input=PASSWORDS[name] + "\n")
        for b in ("b1", "b2"):
            self.sync(b)
        self.servers = {}

    def config(self, role, site, db, extra, web=""):
        rabbit = f'''url = "{self.env["SALESYNC_RABBIT_URL"]}"
password_file = "{self.env["SALESYNC_RABBIT_PASSWORD_FILE"]}"'''
        return site_toml(self.dir, self.sock, role, site, db, extra, rabbit, f'[web]\nusers_file = "{self.dir}/users-{site}"\n{web}')

    def write_ho(self, name, keys, web=""):
        # b2 declares a one-hour window that opens two hours from now: silent now, it is "waiting".
        start = (time.localtime().tm_hour + 2) % 24
        self.window = f"{start:02d}:00-{(start + 1) % 24:02d}:00"
        extra = {"b1": "", "b2": f'window = "{self.window}"\n'}
        branches = "".join(f'\n[branches.{self.site[b]}]\npublic_key = "{keys[b]}"\n{extra[b]}' for b in ("b1", "b2"))
        downlink = '\n[downlink]\ntables = ["products", "prices"]\n'
        self.write(name, self.config("head-office", f"{self.tag}ho", self.db["ho"], f'key_file = "{self.dir}/ho.key"', web) + branches + downlink)

    def scalar(self, statement, db):
        return self.sql(statement, db=self.db[db]).strip()

    def load_sales(self, b, n, seed):
        tsv = os.path.join(self.dir, f"sales-{b}.tsv")
        with open(tsv, "w") as f:
            f.write(sh("python3", os.path.join(ROOT, "samples/sales.py"), str(n), str(seed)).stdout)
        self.sql(f"LOAD DATA LOCAL INFILE '{tsv}' INTO TABLE product_sales CHARACTER SET utf8mb4 "
                 "(sale_date, region, product, qty, cost, amt, tax, total)", db=self.db[b])

    def sync(self, b, config=None):
        """A branch's run, the head office's ingest, the branch collecting its acknowledgement."""
        self.salesync("--config", self.path(b), "run", "--max-duration", "60s", check=False)
        self.ingest(config)
        self.salesync("--config", self.path(b), "drain", "--ack-wait", "10s", check=False)

    def ingest(self, config=None):
        return self.salesync("--config", config or self.path("ho"), "ingest", "--once")

    def serve(self, site, config=None, https=False):
        port = free_port()
        log = open(os.path.join(self.dir, f"serve-{site}.log"), "w")
        p = subprocess.Popen([self.bin, "--config", config or self.path(site), "serve", "--listen", f"127.0.0.1:{port}"],
                             stdout=log, stderr=subprocess.STDOUT)
        url = f"{'https' if https else 'http'}://127.0.0.1:{port}"
        insecure = ssl._create_unverified_context() if https else None  # the test's own self-signed certificate
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/login", timeout=1, context=insecure)
                break
            except OSError:
                if p.poll() is not None:
                    raise RuntimeError(f"serve {site} exited {p.returncode}: {open(log.name).read()}")
                time.sleep(0.1)
        self.servers[site + (":tls" if https else "")] = p
        return url

    def same_rows(self, b):
        """The head office holds exactly branch `b`'s rows (count and content)."""
        cols = "id, sale_date, region, product, qty, cost, amt, tax, total"
        digest = f"SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', {cols}))), 0) FROM product_sales"
        return self.sql(digest, db=self.db[b]).split() == self.sql(digest + f" WHERE branch_id = '{self.site[b]}'", db=self.db["ho"]).split()

    def remove(self):
        for p in self.servers.values():
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        self.sql(*[f"DROP DATABASE IF EXISTS `{d}`" for d in self.db.values()])
        for b in self.site.values():
            for q in (f"salesync.bundles.{b}", f"salesync.acks.{b}", f"salesync.dead.{b}", f"salesync.downlink.{b}"):
                sh("bash", os.path.join(ROOT, "scripts/services.sh"), "rabbitmqctl", "delete_queue", q, check=False)


def browser():
    """Headless Chromium from Debian's packages under Selenium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        opts.add_argument(a)
    opts.binary_location = "/usr/bin/chromium"
    opts.set_capability("acceptInsecureCerts", True)  # the HTTPS test's self-signed certificate
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    d.implicitly_wait(5)  # a lookup right after a click waits for the next page
    return d
