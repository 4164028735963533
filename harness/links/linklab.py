"""The link laboratory: a branch in its own network namespace, joined to the host by a veth pair
that `tc tbf` shapes and that can go dark (one end down: the other side's packets vanish, no
reset), the way a failing 3G modem or VPN behaves. The branch reaches RabbitMQ through a relay on
the host end of the veth (bench/wirecount.py, which also counts the bytes on the wire) and its
database through MariaDB's unix socket, which network namespaces do not separate.

Needs root and iproute2; reads the test servers' addresses from `scripts/services.sh env`.
"""
import os
import random
import shutil
import signal
import subprocess
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def sh(*args, check=True, **kw):
    return subprocess.run(list(args), check=check, capture_output=True, text=True, **kw)


def services_env():
    out = sh("bash", os.path.join(ROOT, "scripts/services.sh"), "env").stdout
    env = {}
    for line in out.splitlines():
        if line.startswith("export "):
            k, _, v = line[len("export "):].partition("=")
            env[k] = v.strip("'\"")
    return env


def site_toml(workdir, sock, role, site, db, extra, rabbit, more=""):
    """A test site's config: its database through MariaDB's socket as root, `rabbit` as the body
    of [rabbitmq], `extra` top-level keys and `more` sections after."""
    return f'''role = "{role}"
site = "{site}"
state_dir = "{workdir}/state-{site}"
{extra}
[database]
socket = "{sock}"
user = "root"
name = "{db}"
tables = ["product_sales"]

[rabbitmq]
{rabbit}
{more}
'''


class Link:
    """A veth pair between the host and namespace `ns`, with an address at each end."""

    def __init__(self, tag, index):
        self.ns = f"sslk-{tag}"
        self.host_dev = f"slh{tag}"[:15]
        self.ns_dev = f"sln{tag}"[:15]
        self.host_ip = f"10.250.{index}.1"
        self.ns_ip = f"10.250.{index}.2"
        sh("ip", "netns", "add", self.ns)
        sh("ip", "link", "add", self.host_dev, "type", "veth", "peer", "name", self.ns_dev)
        sh("ip", "link", "set", self.ns_dev, "netns", self.ns)
        sh("ip", "addr", "add", f"{self.host_ip}/30", "dev", self.host_dev)
        sh("ip", "link", "set", self.host_dev, "up")
        self.nsexec("ip", "addr", "add", f"{self.ns_ip}/30", "dev", self.ns_dev)
        self.nsexec("ip", "link", "set", self.ns_dev, "up")
        self.nsexec("ip", "link", "set", "lo", "up")

    def nsexec(self, *args, check=True):
        return sh("ip", "netns", "exec", self.ns, *args, check=check)

    def shape(self, rate="256kbit"):
        """Both directions at `rate` (tbf: the qdisc this kernel has)."""
        for dev, run in ((self.host_dev, sh), (self.ns_dev, self.nsexec)):
            run("tc", "qdisc", "replace", "dev", dev, "root", "tbf", "rate", rate, "burst", "8kb", "latency", "2s")

    def unshape(self):
        sh("tc", "qdisc", "del", "dev", self.host_dev, "root", check=False)
        self.nsexec("tc", "qdisc", "del", "dev", self.ns_dev, "root", check=False)

    def dark(self):
        sh("ip", "link", "set", self.host_dev, "down")

    def light(self):
        sh("ip", "link", "set", self.host_dev, "up")
        # The address's route comes back with the link; wait until the namespace sees the host.
        for _ in range(50):
            if self.nsexec("ping", "-c1", "-W1", self.host_ip, check=False).returncode == 0:
                return
            time.sleep(0.1)

    def remove(self):
        sh("ip", "link", "del", self.host_dev, check=False)
        sh("ip", "netns", "del", self.ns, check=False)


class Relay:
    """bench/wirecount.py on the host end of a link, forwarding to the broker on loopback."""

    def __init__(self, listen_host, target_port, workdir):
        self.port = random.randint(20000, 29999)
        self.counts = os.path.join(workdir, f"relay-{self.port}.counts")
        self.proc = subprocess.Popen(["python3", os.path.join(ROOT, "bench/wirecount.py"), str(self.port), str(target_port),
                                      self.counts, listen_host], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(50):
            if os.path.exists(self.counts):
                return
            time.sleep(0.1)

    def bytes(self):
        with open(self.counts) as f:
            up, down, conns = (int(x) for x in f.read().split())
        return up, down, conns

    def stop(self):
        self.proc.terminate()
        self.proc.wait(5)


class TestSites:
    """What every test's sites share: a work directory of configs (0600), SQL as root through the
    socket, the salesync binary. Subclasses set `dir`, `sock` and `bin`."""

    def write(self, name, text):
        p = os.path.join(self.dir, name)
        with open(p, "w") as f:
            f.write(text)
        os.chmod(p, 0o600)

    def path(self, site):
        return os.path.join(self.dir, f"{site}.toml")

    def sql(self, *statements, db=None):
        args = ["mariadb", "--protocol=socket", "-S", self.sock, "-uroot", "-N", "-B", "--local-infile=1"] + ([db] if db else [])
        return sh(*args, input=";\n".join(statements) + ";\n").stdout

    def salesync(self, *args, check=True):
        return sh(self.bin, *args, check=check)


class Sites(TestSites):
    """A head office and one branch on the test servers, the branch in `link`'s namespace (or,
    with no link, on this host, both reaching the broker's nodes `urls` directly)."""

    def __init__(self, link, heartbeat="4s", urls=None, extra="", catalogue=0):
        """`catalogue`: that many products (and a price each) at the head office, flowing down
        to the branch (docs/downlink.md); the ingest service exports them every second."""
        self.env = services_env()
        self.link = link
        self.tag = "lk" + "%06x" % random.getrandbits(24)
        self.dir = tempfile.mkdtemp(prefix=f"salesync-{self.tag}-")
        self.sock = os.path.join(ROOT, ".state/mariadb/mariadb.sock")
        self.bin = os.environ.get("SALESYNC_BIN", os.path.join(ROOT, ".build/debug/salesync"))
        # Names of its own (queues included), so that nothing left by another test or the demo meets it.
        self.site = f"{self.tag}b1"
        self.branch_db, self.ho_db = f"{self.tag}_bo1", f"{self.tag}_ho"
        self.relay = Relay(link.host_ip, int(self.env["SALESYNC_RABBIT_URL"].rsplit(":", 1)[1].split("/")[0]), self.dir) if link else None
        self.sql(f"CREATE DATABASE `{self.branch_db}`", f"CREATE DATABASE `{self.ho_db}`")
        with open(os.path.join(ROOT, "samples/product_sales.sql")) as f:
            self.sql(f.read(), db=self.branch_db)
        pub = self.salesync("keygen", "--out", f"{self.dir}/bo1.key").stdout.strip()
        ho_top, ho_down, bo_down = "", "", ""
        if catalogue:
            self.make_catalogue(catalogue)
            ho_pub = self.salesync("keygen", "--out", f"{self.dir}/ho.key").stdout.strip()
            ho_top = f'key_file = "{self.dir}/ho.key"'
            ho_down = '\n[downlink]\ntables = ["products", "prices"]\nexport_every = "1s"\n'
            bo_down = f'\n[downlink]\nhead_office_key = "{ho_pub}"\n'
        self.catalogue = catalogue
        mq_user = self.env["SALESYNC_RABBIT_URL"].split("//")[1].split("@")[0]
        mq_pw = self.env["SALESYNC_RABBIT_PASSWORD_FILE"]
        branch_urls = urls or [f"amqp://{mq_user}@{link.host_ip}:{self.relay.port}/%2F"]
        self.write("bo1.toml", self.config("branch", self.site, self.branch_db, f'key_file = "{self.dir}/bo1.key"',
                                           branch_urls, mq_pw, heartbeat, extra) + bo_down)
        self.write("ho.toml", self.config("head-office", "ho", self.ho_db, ho_top, urls or [self.env["SALESYNC_RABBIT_URL"]], mq_pw,
                                          heartbeat, extra) + f'\n[branches.{self.site}]\npublic_key = "{pub}"\n' + ho_down)
        self.branch("init")
        self.salesync("--config", self.path("ho"), "init")
        self.ingest_proc = None

    def config(self, role, site, db, extra, urls, pw, heartbeat, more=""):
        rabbit = f'''urls = [{", ".join(f'"{u}"' for u in urls)}]
password_file = "{pw}"
heartbeat = "{heartbeat}"'''
        return site_toml(self.dir, self.sock, role, site, db, extra, rabbit, more)

    def branch_argv(self, *args):
        """salesync at the branch: inside its namespace when it has a link."""
        netns = ["ip", "netns", "exec", self.link.ns] if self.link else []
        return netns + [self.bin, "--config", self.path("bo1"), *args]

    def branch(self, *args, check=True):
        return sh(*self.branch_argv(*args), check=check)

    def branch_popen(self, *args):
        return subprocess.Popen(self.branch_argv(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def sell(self, n, start_day=0, noisy=False):
        """Inserts `n` sales at the branch (MariaDB's sequence engine makes the rows). `noisy`
        rows take quantities, products and prices from a hash of their number instead of
        following it, so that they cost bytes on the wire as real sales do (rows that are
        functions of their number compress to a fraction of a byte each)."""
        if noisy:
            self.sql(f"""INSERT INTO product_sales (sale_date, region, product, qty, cost, amt, tax, total)
                SELECT DATE_ADD('2026-01-01', INTERVAL (seq DIV 500 + {start_day}) % 365 DAY), ELT(1 + h % 5, 'North', 'South', 'East', 'West', 'Centre'),
                       CONCAT('product-', h % 997), q, c, q * c, ROUND(q * c * 0.2, 2), ROUND(q * c * 1.2, 2)
                FROM (SELECT seq, CRC32(CONCAT('p', seq)) h, 1 + CRC32(CONCAT('q', seq)) % 120 q,
                             1 + (CRC32(CONCAT('c', seq)) % 9900) / 100 c FROM seq_1_to_{n}) x""", db=self.branch_db)
            return
        self.sql(f"""INSERT INTO product_sales (sale_date, region, product, qty, cost, amt, tax, total)
            SELECT DATE_ADD('2026-01-01', INTERVAL (seq + {start_day}) % 365 DAY), ELT(1 + seq % 5, 'North', 'South', 'East', 'West', 'Centre'),
                   CONCAT('product-', seq % 997), 1 + seq % 20, (seq % 5000) / 100 + 1, ((seq % 5000) / 100 + 1) * (1 + seq % 20),
                   ROUND(((seq % 5000) / 100 + 1) * (1 + seq % 20) * 0.2, 2), ROUND(((seq % 5000) / 100 + 1) * (1 + seq % 20) * 1.2, 2)
            FROM seq_1_to_{n}""", db=self.branch_db)

    def make_catalogue(self, n):
        """`n` products with names that cost bytes on the wire (a hash each) and a price each."""
        self.sql("CREATE TABLE products (id INT PRIMARY KEY, name VARCHAR(80) NOT NULL, tax_rate DECIMAL(4,2) NOT NULL)",
                 "CREATE TABLE prices (product_id INT NOT NULL, valid_from DATE NOT NULL, price DECIMAL(10,2) NOT NULL, "
                 "PRIMARY KEY (product_id, valid_from))",
                 f"INSERT INTO products SELECT seq, CONCAT('item ', LEFT(MD5(seq), 20)), ELT(1 + seq % 3, 5.5, 10, 20) FROM seq_1_to_{n}",
                 f"INSERT INTO prices SELECT seq, '2026-12-01', 1 + CRC32(seq) % 10000 / 100 FROM seq_1_to_{n}", db=self.ho_db)

    def reprice(self, percent, day):
        """A new price list from `day` for `percent` of the products."""
        self.sql(f"INSERT INTO prices SELECT id, '{day}', 1 + CRC32(CONCAT(id, '{day}')) % 10000 / 100 FROM products "
                 f"WHERE CRC32(CONCAT('pick', id, '{day}')) % 100 < {percent}", db=self.ho_db)

    def catalogue_matches(self):
        """The branch holds exactly the head office's products and prices."""
        digest = ["SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', id, name, tax_rate))), 0) FROM products",
                  "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', product_id, valid_from, price))), 0) FROM prices"]
        held = lambda db: [self.sql(d, db=db).split() if self.table_exists(db, d.split()[-1]) else ["0", "0"] for d in digest]
        b, h = held(self.branch_db), held(self.ho_db)
        return b == h, b, h

    def table_exists(self, db, table):
        return self.sql(f"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '{db}' AND table_name = '{table}'").strip() == "1"

    def downlink_sent(self):
        """The head office's downlink bundles for the branch by status, e.g. {'sent': 2}."""
        rows = self.sql("SELECT status, COUNT(*) FROM salesync_downlink GROUP BY status", db=self.ho_db)
        return {s: int(n) for s, n in (line.split() for line in rows.splitlines() if line.strip())}

    def wait_downlink_published(self, timeout=120):
        """Waits until the ingest service has exported and published everything to the broker."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            d = self.downlink_sent()
            if d and not d.get("pending"):
                return d
            time.sleep(0.5)
        raise AssertionError(f"the head office did not publish its downlink: {self.downlink_sent()}")

    def wait_downlink_unclaimed(self, timeout=90):
        """Waits until no consumer holds the branch's downlink queue: a connection cut by a dark
        link lives on at the broker until its heartbeat runs out, holding the chunks it had been
        sent; a real branch's next window is hours later."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = sh("bash", os.path.join(ROOT, "scripts/services.sh"), "rabbitmqctl", "list_queues", "name", "consumers").stdout
            if any(line.split() == [f"salesync.downlink.{self.site}", "0"] for line in out.splitlines()):
                return
            time.sleep(1)
        raise AssertionError("the broker kept the dead connection's consumer")

    def start_ingest(self):
        self.ingest_proc = subprocess.Popen([self.bin, "--config", self.path("ho"), "ingest"],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def stop_ingest(self):
        if self.ingest_proc and self.ingest_proc.poll() is None:
            self.ingest_proc.send_signal(signal.SIGTERM)
            self.ingest_proc.wait(30)

    def settle(self, *command, tries=6):
        """Runs `command` at the branch until it exits 0 (everything acknowledged), with the head
        office's ingest service running; returns the last result."""
        if self.ingest_proc is None or self.ingest_proc.poll() is not None:
            self.start_ingest()
        for _ in range(tries):
            r = self.branch(*command, check=False)
            if r.returncode == 0:
                break
        return r

    def head_office_matches(self):
        """The head office holds exactly the branch's rows: same count, same content hash."""
        cols = "id, sale_date, region, product, qty, cost, amt, tax, total"
        digest = f"SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', {cols}))), 0) FROM product_sales"
        b = self.sql(digest, db=self.branch_db).split()
        h = self.sql(digest + f" WHERE branch_id = '{self.site}'", db=self.ho_db).split()
        return b == h, b, h

    def remove(self):
        self.stop_ingest()
        if self.relay:
            self.relay.stop()
        for q in (f"salesync.bundles.{self.site}", f"salesync.acks.{self.site}", f"salesync.downlink.{self.site}"):
            sh("bash", os.path.join(ROOT, "scripts/services.sh"), "rabbitmqctl", "delete_queue", q, check=False)
        self.sql(f"DROP DATABASE IF EXISTS `{self.branch_db}`", f"DROP DATABASE IF EXISTS `{self.ho_db}`")
        shutil.rmtree(self.dir, ignore_errors=True)
