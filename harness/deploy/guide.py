#!/usr/bin/env python3
"""docs/deployment.md, run as written: a head office and two shops, each a clean Debian 12 root
(harness/package/rootfs.sh) in its own network namespace, joined by a bridge, so that they reach
each other by name and port as real hosts do (ho.example.net, bo1.example.net, bo2.example.net).

The guide's commands are its fenced blocks whose info string names a host: "```sh ho" runs at the
head office, "```sh shop" at each shop. Between `<!-- guide: each shop -->` and
`<!-- guide: end each shop -->` the blocks are repeated for every shop in turn, with $SITE set to
the shop's id (head-office blocks there too). `<!-- guide: carry HOST:PATH HOST:PATH -->` copies a
file between hosts, as the reader would by scp or USB stick. Each block runs with bash -euo pipefail
in /root: a command that fails fails the test, naming the block.

What the harness provides, and the guide does not describe because a real site has it already:
- each shop's till: MariaDB with the database `till` and its `product_sales` table (samples/), and
  sales in it, before the guide starts;
- the network: an HTTP proxy on the bridge for apt (the namespaces have no route out), /etc/hosts;
- systemd: the roots are chroots, so harness/deploy/systemctl stands in for it;
- the package: salesync_*.deb in each host's /root, as the guide says to copy it there.

At the end: every shop's rows at the head office (count and checksum), a second day's sales synced
by the shipped cron line, the console answering over HTTPS with the guide's certificate, the broker
hardened as the guide says (no guest, no plain AMQP from a shop, its open-files limit).

    python3 harness/deploy/guide.py DEB          (root; needs iproute2, curl; CI: .ci/run)
"""
import http.client
import http.server
import os
import re
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GUIDE = os.path.join(ROOT, "docs", "deployment.md")
CACHE = os.environ.get("SALESYNC_ROOTFS_CACHE", "/var/cache/salesync-test")
BRIDGE, HOST_IP, PROXY_PORT = "sgguide0", "10.89.0.254", 3142
HOSTS = {"ho": "10.89.0.1", "bo1": "10.89.0.11", "bo2": "10.89.0.12"}
SHOPS = ["bo1", "bo2"]
DOMAIN = "example.net"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def say(msg):
    print(f"[{time.strftime('%H:%M:%S')}] guide: {msg}", flush=True)


def sh(*args, check=True, **kw):
    return subprocess.run(list(args), check=check, capture_output=True, text=True, **kw)


# --- The guide's steps ---------------------------------------------------------------------------

def steps(text):
    """The guide as a list of ("run", host, script, line) and ("carry", src, dst, line), with the
    per-shop stretches as ("each shop", [steps], line)."""
    out, stack, block, lineno = [], [], None, 0
    for lineno, line in enumerate(text.splitlines(), 1):
        if block is not None:
            if line.strip() == "```":
                out.append(("run", block[0], "\n".join(block[1]), block[2]))
                block = None
            else:
                block[1].append(line)
            continue
        m = re.match(r"^```sh (ho|shop)\s*$", line)
        if m:
            block = (m.group(1), [], lineno)
            continue
        m = re.match(r"^<!-- guide: (.*?) -->\s*$", line)
        if not m:
            continue
        d = m.group(1).split()
        if d == ["each", "shop"]:
            stack.append((out, lineno))
            out = []
        elif d == ["end", "each", "shop"]:
            outer, start = stack.pop()
            outer.append(("each shop", out, start))
            out = outer
        elif d[0] == "carry" and len(d) == 3:
            out.append(("carry", d[1], d[2], lineno))
        else:
            raise SystemExit(f"{GUIDE}:{lineno}: unknown guide directive {m.group(1)!r}")
    if block is not None or stack:
        raise SystemExit(f"{GUIDE}: a code block or an 'each shop' stretch is not closed")
    return out


# --- The hosts ----------------------------------------------------------------------------------

class Host:
    """A Debian 12 root in its own network namespace, on the bridge at `ip`."""

    def __init__(self, name, ip, tarball, work):
        self.name, self.ip = name, ip
        self.ns = f"sgg-{name}"
        self.root = os.path.join(work, name)
        self.log = os.path.join(work, f"{name}.log")
        os.makedirs(self.root)
        sh("tar", "-C", self.root, "-xf", tarball)
        os.chmod(self.root, 0o755)  # the cached tar may carry mktemp -d's 0700 for "/"
        for what, where, opts in (("proc", "proc", ["-t", "proc"]), ("sysfs", "sys", ["-t", "sysfs", "-o", "ro"]),
                                  ("tmpfs", "dev/shm", ["-t", "tmpfs"])):
            sh("mount", *opts, what, os.path.join(self.root, where))
        # The downloaded packages survive the run (apt keeps them), one cache per host.
        archives = os.path.join(CACHE, f"apt-{name}")
        os.makedirs(archives, exist_ok=True)
        sh("mount", "--bind", archives, os.path.join(self.root, "var/cache/apt/archives"))
        with open(os.path.join(self.root, "etc/hosts"), "w") as f:
            f.write(f"127.0.0.1 localhost\n127.0.1.1 {os.uname().nodename}\n")
            for h, a in HOSTS.items():
                f.write(f"{a} {h}.{DOMAIN} {h}\n")
        with open(os.path.join(self.root, "etc/apt/apt.conf.d/00proxy"), "w") as f:
            f.write(f'Acquire::http::Proxy "http://{HOST_IP}:{PROXY_PORT}";\n')
        shutil.copy(os.path.join(ROOT, "harness/deploy/systemctl"), os.path.join(self.root, "usr/local/sbin/systemctl"))
        self.syslog = Syslog(self.path("/dev/log"), self.path("/var/log/syslog"))
        sh("ip", "netns", "add", self.ns)
        hv, nv = f"sgg{name}h", f"sgg{name}n"
        sh("ip", "link", "add", hv, "type", "veth", "peer", "name", nv)
        sh("ip", "link", "set", hv, "master", BRIDGE, "up")
        sh("ip", "link", "set", nv, "netns", self.ns)
        for c in (["ip", "addr", "add", f"{ip}/24", "dev", nv], ["ip", "link", "set", nv, "up"], ["ip", "link", "set", "lo", "up"]):
            sh("ip", "netns", "exec", self.ns, *c)

    def path(self, p):
        return os.path.join(self.root, p.lstrip("/"))

    def run(self, script, env=None, timeout=900, what="", check=True):
        """`script` with bash -euo pipefail in /root, inside the root and the namespace. Output goes
        to a file: daemons the script starts may keep their inherited descriptors open."""
        envs = [f"PATH={PATH}", "HOME=/root", "LANG=C.UTF-8", "DEBIAN_FRONTEND=noninteractive", "TERM=dumb"]
        envs += [f"{k}={v}" for k, v in (env or {}).items()]
        with open(self.log, "a") as log:
            log.write(f"\n===== {what or 'harness'} =====\n{script}\n----- output -----\n")
            log.flush()
            t0 = time.time()
            p = subprocess.run(["ip", "netns", "exec", self.ns, "chroot", self.root, "/usr/bin/env", "-i", *envs,
                                "bash", "-euo", "pipefail", "-c", f"cd /root\n{script}"],
                               stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, timeout=timeout)
            log.write(f"----- exit {p.returncode} after {time.time() - t0:.1f} s -----\n")
        if check and p.returncode != 0:
            raise StepFailed(f"{self.name}: {what or script.splitlines()[0]} exited {p.returncode}", self.log)
        return p.returncode

    def out(self, script):
        return subprocess.run(["ip", "netns", "exec", self.ns, "chroot", self.root, "/usr/bin/env", "-i", f"PATH={PATH}",
                               "HOME=/root", "bash", "-euo", "pipefail", "-c", script],
                              check=True, capture_output=True, text=True, timeout=300).stdout.strip()

    def remove(self):
        self.syslog.sock.close()
        for pid in sh("ip", "netns", "pids", self.ns, check=False).stdout.split():
            sh("kill", "-9", pid, check=False)
        time.sleep(0.5)
        for where in ("var/cache/apt/archives", "dev/shm", "sys", "proc"):
            sh("umount", "-l", os.path.join(self.root, where), check=False)
        sh("ip", "netns", "del", self.ns, check=False)
        sh("ip", "link", "del", f"sgg{self.name}h", check=False)
        shutil.rmtree(self.root, ignore_errors=True)


class Syslog:
    """/dev/log, as journald or rsyslog gives it on a real host: the init scripts log through
    `logger`, and mysqld_safe's server dies of a broken pipe when nothing is listening."""

    def __init__(self, sock_path, file_path):
        import socket
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        if os.path.lexists(sock_path):
            os.unlink(sock_path)
        self.sock.bind(sock_path)
        os.chmod(sock_path, 0o666)
        self.file = file_path
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                return
            with open(self.file, "ab") as f:
                f.write(data.rstrip(b"\n") + b"\n")


class StepFailed(Exception):
    def __init__(self, msg, log):
        super().__init__(msg)
        self.logfile = log


# --- apt's way out: a forward proxy for plain HTTP on the bridge ---------------------------------

class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        if u.scheme != "http" or not u.hostname:
            self.send_error(400, "absolute http:// URLs only")
            return
        try:
            c = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=60)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection", "connection", "keep-alive")}
            c.request(self.command, u.path + (f"?{u.query}" if u.query else ""), headers=headers)
            r = c.getresponse()
            self.send_response(r.status, r.reason)
            for k, v in r.getheaders():
                if k.lower() not in ("connection", "keep-alive", "transfer-encoding"):
                    self.send_header(k, v)
            self.send_header("Connection", "close")
            self.end_headers()
            while self.command != "HEAD":
                chunk = r.read(65536)
                if not chunk:
                    break
                self.wfile.write(chunk)
            c.close()
        except OSError as e:
            self.send_error(502, str(e))

    do_HEAD = do_GET

    def log_message(self, *a):
        pass


class ProxyServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


# --- The run ------------------------------------------------------------------------------------

def carry(hosts, src, dst, site):
    (sh_, sp), (dh, dp) = (x.replace("$SITE", site or "").split(":", 1) for x in (src, dst))
    s = hosts[site if sh_ == "shop" else "ho"].path(sp)
    d = hosts[site if dh == "shop" else "ho"].path(dp)
    if d.endswith("/"):
        d = os.path.join(d, os.path.basename(s))
    shutil.copy2(s, d)


def play(hosts, guide_steps, site=None):
    for st in guide_steps:
        if st[0] == "each shop":
            for shop in SHOPS:
                say(f"guide line {st[2]}: the shop steps for {shop}")
                play(hosts, st[1], shop)
        elif st[0] == "carry":
            carry(hosts, st[1], st[2], site)
        else:
            _, who, script, line = st
            h = hosts[site if who == "shop" else "ho"]
            t0 = time.time()
            h.run(script, env={"SITE": site} if site else None, what=f"docs/deployment.md line {line} ({who})")
            say(f"line {line} at {h.name}: {script.splitlines()[0][:70]} ({time.time() - t0:.0f} s)")


def prepare_till(h, rows):
    """A shop as salesync finds it: MariaDB serving the till's database, with sales."""
    h.run("apt-get update -qq && apt-get install -y -qq mariadb-server >/dev/null && systemctl start mariadb",
          what="the till's MariaDB (harness)")
    shutil.copy(os.path.join(ROOT, "samples/product_sales.sql"), h.path("/root/till.sql"))
    h.run(f"""mariadb -e 'CREATE DATABASE till'
mariadb till < /root/till.sql
mariadb till -e "INSERT INTO product_sales (sale_date, region, product, qty, cost, amt, tax, total)
  SELECT DATE_ADD('2026-01-01', INTERVAL seq % 300 DAY), '{h.name}', CONCAT('p', seq % 53), 1 + seq % 7, 1.25,
         1.25 * (1 + seq % 7), 0.25, 1.50 * (1 + seq % 7) FROM seq_1_to_{rows}"
""", what="the till's sales (harness)")


def table_sum(h, db, where=""):
    q = f"SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', id, sale_date, region, product, qty, cost, amt, tax, total))), 0) FROM product_sales {where}"
    return h.out(f'mariadb -N {db} -e "{q}"')


def check_end(hosts, ca):
    ho = hosts["ho"]
    for shop in SHOPS:
        b, w = table_sum(hosts[shop], "till"), table_sum(ho, "ho", f"WHERE branch_id = '{shop}'")
        if b != w:
            raise StepFailed(f"{shop}: the head office holds {w} (count, checksum), the shop {b}", ho.log)
        say(f"{shop}: the head office holds exactly the shop's rows ({b.split()[0]})")
    # The console over HTTPS, checked with the guide's CA and the head office's name.
    url = f"https://ho.{DOMAIN}:8443/login"
    r = sh("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", ca, "--resolve", f"ho.{DOMAIN}:8443:{HOSTS['ho']}", url,
           check=False)
    if r.stdout != "200":
        raise StepFailed(f"{url}: expected 200 over HTTPS, got {r.stdout} {r.stderr.strip()}", ho.log)
    say(f"{url}: 200, certificate verified against the guide's CA")
    for shop in SHOPS:
        code = hosts[shop].out("python3 -c 'import urllib.request as u; print(u.urlopen(\"http://127.0.0.1:8080/login\").status)'")
        if code != "200":
            raise StepFailed(f"{shop}: the clerk's console at 127.0.0.1:8080 answered {code}", hosts[shop].log)
    say("the shops' consoles answer on their PCs (127.0.0.1:8080)")
    users = ho.out("rabbitmqctl -q list_users")
    if re.search(r"^guest\b", users, re.M):
        raise StepFailed("the broker still has the guest user", ho.log)
    # 65536 as the guide sets it, or this machine's hard limit when lower (a container's).
    want = min(65536, int(sh("bash", "-c", "ulimit -Hn").stdout))
    nofile = ho.out("grep 'Max open files' /proc/$(cat /var/run/rabbitmq/pid)/limits")
    if int(nofile.split()[3]) != want:
        raise StepFailed(f"the broker's open-files limit: {nofile} (expected {want})", ho.log)
    for port, expect in ((5672, False), (5671, True)):
        ok = hosts["bo1"].out(f"(exec 3<>/dev/tcp/ho.{DOMAIN}/{port}) 2>/dev/null && echo open || echo closed") == "open"
        if ok != expect:
            raise StepFailed(f"port {port} at the head office is {'open' if ok else 'closed'} to a shop", ho.log)
    say(f"broker: no guest, AMQP only over TLS (5671) from the shops, {want} open files")


def second_day(hosts):
    """The next day's sales travel by the schedule the guide installed: the cron line, run now
    with a window open now (the shipped 18:00-19:30 need not be)."""
    for shop in SHOPS:
        h = hosts[shop]
        line = h.out("grep -m1 -o '/usr/bin/salesync .* run --window [0-9:-]*' /etc/cron.d/salesync-branch")
        h.run(f"""mariadb till -e "INSERT INTO product_sales (sale_date, region, product, qty, cost, amt, tax, total)
  SELECT '2026-12-01', 'day2', CONCAT('q', seq), 2, 1.00, 2.00, 0.20, 2.20 FROM seq_1_to_250;
  UPDATE product_sales SET qty = qty + 1 WHERE id % 97 = 0; DELETE FROM product_sales WHERE id % 101 = 0"
w="$(date -d '-1 hour' +%H:%M)-$(date -d '+1 hour' +%H:%M)"
{re.sub(r'--window [0-9:-]*', '--window "$w"', line)} --ack-wait 60s""", what=f"{shop}: the cron line on a second day")
    say("second day: both shops' changes sent by the shipped cron line and acknowledged")


def main():
    deb = os.path.abspath(sys.argv[1])
    t_start = time.time()
    tarball = sh(os.path.join(ROOT, "harness/package/rootfs.sh")).stdout.strip()
    work = tempfile.mkdtemp(prefix="salesync-guide.")
    # What a run killed before its clean-up left: its namespaces (with their processes) and bridge.
    for name in HOSTS:
        for pid in sh("ip", "netns", "pids", f"sgg-{name}", check=False).stdout.split():
            sh("kill", "-9", pid, check=False)
        sh("ip", "netns", "del", f"sgg-{name}", check=False)
        sh("ip", "link", "del", f"sgg{name}h", check=False)
    sh("ip", "link", "del", BRIDGE, check=False)
    sh("ip", "link", "add", BRIDGE, "type", "bridge")
    sh("ip", "addr", "add", f"{HOST_IP}/24", "dev", BRIDGE, check=False)
    sh("ip", "link", "set", BRIDGE, "up")
    proxy = ProxyServer((HOST_IP, PROXY_PORT), Proxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    hosts = {}
    try:
        for name, ip in HOSTS.items():
            hosts[name] = Host(name, ip, tarball, work)
            shutil.copy(deb, hosts[name].path("/root/"))
        guide_steps = steps(open(GUIDE).read())
        # The shops' tills exist before salesync comes (in parallel: apt and dpkg, mostly waiting).
        errors = []

        def till(shop, rows):
            try:
                prepare_till(hosts[shop], rows)
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)
        threads = [threading.Thread(target=till, args=(s, 1500 + 500 * i)) for i, s in enumerate(SHOPS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]
        say(f"tills ready ({time.time() - t_start:.0f} s); the guide begins")
        t_guide = time.time()
        play(hosts, guide_steps)
        say(f"the guide ran as written in {time.time() - t_guide:.0f} s")
        check_end(hosts, hosts["ho"].path("/etc/salesync/tls/ca.pem"))
        second_day(hosts)
        check_end(hosts, hosts["ho"].path("/etc/salesync/tls/ca.pem"))
        print(f"deployment guide: head office + {len(SHOPS)} shops from docs/deployment.md as written, synced, "
              f"console over HTTPS; {time.time() - t_start:.0f} s in all")
    except StepFailed as e:
        print(f"deployment guide: FAILED: {e}", file=sys.stderr)
        with open(e.logfile) as f:
            print("".join(f.readlines()[-60:]), file=sys.stderr)
        for name in ("ho",):
            for unit in ("salesync-ingest", "salesync-console"):
                p = hosts[name].path(f"/var/log/unit-{unit}.log") if name in hosts else ""
                if p and os.path.exists(p):
                    print(f"--- {name} {unit} ---\n" + "".join(open(p).readlines()[-15:]), file=sys.stderr)
        sys.exit(1)
    finally:
        proxy.shutdown()
        if os.environ.get("SALESYNC_GUIDE_KEEP"):
            say(f"kept {work} (SALESYNC_GUIDE_KEEP)")
        else:
            for h in hosts.values():
                h.remove()
            sh("ip", "link", "del", BRIDGE, check=False)
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
