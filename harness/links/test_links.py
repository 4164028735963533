"""Link tests: salesync on emulated links that are slow, go dark mid-transfer, or flap.

Each test ends by bringing the link back and checking that the head office holds exactly the
branch's rows. Figures (exit codes, seconds from dark to exit, line-rate ratios) are appended to
$SALESYNC_RESULTS for the notes; the assertions are the contract: exit 75, a run never
outlives its deadline by more than 10 s, a dead link is noticed within a bounded time.
"""
import os
import random
import signal
import time

import pytest

from linklab import ROOT, Link, Sites, sh

RESULTS = os.environ.get("SALESYNC_RESULTS", "/tmp/salesync-link-results.md")
HEARTBEAT = 4  # seconds; a dead link must be noticed within about twice this


def note(line):
    with open(RESULTS, "a") as f:
        f.write(line + "\n")


@pytest.fixture(scope="module")
def link():
    if os.geteuid() != 0:
        pytest.fail("the link tests need root (network namespaces, tc)")
    tag = "%05x" % random.getrandbits(20)
    lk = Link(tag, random.randint(1, 250))
    yield lk
    lk.remove()


@pytest.fixture
def sites(link):
    link.light()
    link.unshape()
    s = Sites(link, heartbeat=f"{HEARTBEAT}s")
    yield s
    link.light()
    link.unshape()
    s.remove()


def finish_and_compare(sites):
    """Link back up, the head office ingesting: everything arrives once and matches."""
    sites.link.light()
    sites.link.unshape()
    r = sites.settle("run", "--ack-wait", "20s")
    assert r.returncode == 0, r.stderr
    same, b, h = sites.head_office_matches()
    assert same, f"branch {b} head office {h}"
    assert sites.salesync("--config", sites.path("ho"), "verify", "--full", check=False).returncode == 0


def backlog(sites, rows, rate="256kbit"):
    """A snapshot first, then `rows` sales exported as a delta, waiting to cross a slow link."""
    sites.branch("export")
    sites.sell(rows, noisy=True)
    sites.branch("export")
    sites.link.shape(rate)


def timed_run(sites, args, dark_after=None, signal_after=None):
    """Starts salesync at the branch; optionally takes the link dark or sends SIGTERM after a
    while. Returns (exit code, stderr, seconds from start to exit, seconds from the event to exit)."""
    start = time.monotonic()
    p = sites.branch_popen(*args)
    event = None
    while p.poll() is None:
        t = time.monotonic() - start
        if dark_after is not None and event is None and t >= dark_after:
            sites.link.dark()
            event = time.monotonic()
        if signal_after is not None and event is None and t >= signal_after:
            # ip netns exec runs salesync as its child: signal the whole group's salesync.
            os.system(f"pkill -TERM -f '{sites.path('bo1')} {args[0]}'")
            event = time.monotonic()
        if t > 300:
            p.kill()
            pytest.fail("salesync still running after 300 s")
        time.sleep(0.05)
    end = time.monotonic()
    return p.returncode, p.stderr.read(), end - start, (end - event) if event else None


def test_slow_link_uses_the_line(link):
    """256 kbit/s: a day's delta and a backlog, elapsed time against the line rate. A 15 s
    heartbeat, as a real slow link would be configured: the lab's 4 s one makes TCP give up after
    8 s without an acknowledgement, which a saturated 256 kbit/s queue can exceed under load."""
    link.light()
    link.unshape()
    sites = Sites(link, heartbeat="15s")
    try:
        sites.branch("export")                       # the (empty) snapshot: what follows is a delta
        sites.start_ingest()
        sites.branch("drain", "--ack-wait", "20s")
        for rows in (20_000, 60_000):
            sites.sell(rows, noisy=True)
            sites.branch("export")
            sites.link.shape("256kbit")
            up0, down0, _ = sites.relay.bytes()
            t0 = time.monotonic()
            r = sites.branch("drain", check=False)         # sends; the acks come later
            elapsed = time.monotonic() - t0
            assert r.returncode == 0 or "not yet acknowledged" in r.stderr, r.stderr
            up1, down1, _ = sites.relay.bytes()
            sites.link.unshape()
            wire = (up1 - up0) + (down1 - down0)
            line = (up1 - up0) * 8 / 256_000
            note(f"| slow link 256 kbit/s, {rows} rows | {up1 - up0} bytes up, {down1 - down0} down | {elapsed:.1f} s | line rate {line:.1f} s | ratio {elapsed / line:.2f} |")
            assert elapsed < 3 * line + 10, "the drain took far longer than the line needs"
        finish_and_compare(sites)
    finally:
        link.light()
        link.unshape()
        sites.remove()


def test_dark_mid_publish_with_deadline(sites):
    backlog(sites, 60_000)
    code, err, total, after = timed_run(sites, ["drain", "--max-duration", "15s"], dark_after=4)
    note(f"| dark mid-publish, --max-duration 15s | exit {code} | {after:.1f} s from dark to exit | {total:.1f} s in all |")
    assert code == 75, err
    assert total <= 15 + 10, f"ran {total:.1f} s against a 15 s deadline"
    assert "deadline" in err or "link" in err, err
    finish_and_compare(sites)


def test_deadline_comes_before_the_link_is_declared_dead(link):
    """A long heartbeat (60 s) and a short deadline: nothing but the watchdog's interrupt of the
    blocked send can end the run on time."""
    link.light()
    link.unshape()
    s = Sites(link, heartbeat="60s")
    try:
        backlog(s, 60_000)
        code, err, total, after = timed_run(s, ["drain", "--max-duration", "10s"], dark_after=3)
        note(f"| dark mid-publish, heartbeat 60 s, --max-duration 10s | exit {code} | {after:.1f} s from dark to exit | {total:.1f} s in all: {err.strip()[-90:]} |")
        assert code == 75, err
        assert total <= 10 + 10, f"ran {total:.1f} s against a 10 s deadline"
        assert "deadline reached" in err, err
        finish_and_compare(s)
    finally:
        link.light()
        link.unshape()
        s.remove()


def test_dark_mid_publish_without_deadline(sites):
    backlog(sites, 60_000)
    code, err, total, after = timed_run(sites, ["drain"], dark_after=4)
    note(f"| dark mid-publish, no deadline (heartbeat {HEARTBEAT} s) | exit {code} | {after:.1f} s from dark to exit | {err.strip()[-160:]} |")
    assert code == 75, err
    assert after <= 2 * HEARTBEAT + 10, f"took {after:.1f} s to notice the dark link"
    assert "while sending bundle" in err or "while waiting for publisher confirms" in err, err
    finish_and_compare(sites)


def test_dark_while_waiting_for_acks(sites):
    sites.branch("export")
    sites.sell(2_000)
    sites.branch("export")
    # No ingest at the head office yet: the drain sends, then waits for acknowledgements.
    code, err, total, after = timed_run(sites, ["drain", "--ack-wait", "60s", "--max-duration", "12s"], dark_after=4)
    note(f"| dark while waiting for acks, --max-duration 12s | exit {code} | {after:.1f} s from dark to exit | {total:.1f} s in all |")
    assert code == 75, err
    assert total <= 12 + 10
    sites.link.light()
    code, err, total, after = timed_run(sites, ["drain", "--ack-wait", "60s"], dark_after=3)
    note(f"| dark while waiting for acks, no deadline | exit {code} | {after:.1f} s from dark to exit | {err.strip()[-120:]} |")
    assert code == 75, err
    assert after <= 2 * HEARTBEAT + 10
    finish_and_compare(sites)


def test_flapping_link_back_to_back_runs(sites):
    sites.start_ingest()
    sites.link.shape("512kbit")
    worst = 0.0
    for i in range(6):
        sites.sell(3_000, start_day=i)
        start = time.monotonic()
        p = sites.branch_popen("run", "--max-duration", "8s", "--ack-wait", "5s")
        up = True
        while p.poll() is None:
            time.sleep(random.uniform(0.5, 2.5))
            up = not up
            (sites.link.light if up else sites.link.dark)()
        worst = max(worst, time.monotonic() - start - 8)
        assert p.returncode in (0, 75), p.stderr.read()
        assert time.monotonic() - start <= 8 + 10
        sites.link.light()
    note(f"| flapping link, 6 back-to-back runs of --max-duration 8s | exits 0/75 | worst overrun {worst:.1f} s | |")
    finish_and_compare(sites)


def test_stop_signal_ends_a_drain(sites):
    backlog(sites, 60_000)
    code, err, total, after = timed_run(sites, ["drain"], signal_after=3)
    note(f"| SIGTERM mid-drain | exit {code} | {after:.1f} s from signal to exit | |")
    assert code == 75, err
    # The documented bound: the watchdog ends a run still blocked 8 s after the signal. Most runs
    # end in about a second, but CI runs often end at the 8 s hard stop with the phase
    # "waiting for acknowledgements" (cause not found yet: see the session notes), so the test
    # holds the documented bound and reports the time in the results table.
    assert after <= 9, err
    status = sites.branch("status", "--json").stdout
    assert '"ended"' in status and "stopped" in status, status
    finish_and_compare(sites)


def test_head_office_link_dark_while_ingest_runs(link):
    """The ingest service's own link goes dark: it notices, reconnects when the link returns,
    and applies what arrived meanwhile. Here the head office sits in the namespace."""
    link.light()
    link.unshape()
    s = Sites(link, heartbeat=f"{HEARTBEAT}s")
    try:
        # Swap roles: the head office reaches the broker through the relay from the namespace.
        ho = open(s.path("ho")).read().replace(s.env["SALESYNC_RABBIT_URL"].split("@")[1].split("/")[0],
                                               f"{link.host_ip}:{s.relay.port}")
        s.write("ho.toml", ho)
        bo = open(s.path("bo1")).read().replace(f"{link.host_ip}:{s.relay.port}",
                                                s.env["SALESYNC_RABBIT_URL"].split("@")[1].split("/")[0])
        s.write("bo1.toml", bo)
        import subprocess
        s.ingest_proc = subprocess.Popen(["ip", "netns", "exec", link.ns, s.bin, "--config", s.path("ho"), "ingest"],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        run = lambda *a: s.salesync("--config", s.path("bo1"), *a, check=False)
        s.sell(1_000)
        assert run("run", "--ack-wait", "30s").returncode == 0
        link.dark()
        s.sell(1_000, start_day=7)
        assert run("run", "--ack-wait", "3s").returncode == 75     # sent; the head office cannot ack
        time.sleep(2 * HEARTBEAT + 4)                                 # the service notices meanwhile
        assert s.ingest_proc.poll() is None, "the ingest service died instead of waiting for the link"
        link.light()
        t0 = time.monotonic()
        r = run("drain", "--ack-wait", "60s")
        note(f"| head office link dark {2 * HEARTBEAT + 4} s while ingest runs | branch exit {r.returncode} | acked {time.monotonic() - t0:.1f} s after the link returned | |")
        assert r.returncode == 0, r.stderr
        same, b, h = s.head_office_matches()
        assert same, f"branch {b} head office {h}"
    finally:
        s.remove()


# The downlink (docs/downlink.md): the head office's catalogue crossing the same link, the other way.

def downlink_lab(link, products, sales):
    """A branch with `sales` noisy sales to send and a head office with `products` products to
    send down, both waiting behind the 256 kbit/s link: the ingest service has exported and
    published the catalogue, the branch's sales are exported."""
    link.light()
    link.unshape()
    s = Sites(link, heartbeat="15s", catalogue=products)
    s.branch("export")
    s.sell(sales, noisy=True)
    s.branch("export")
    s.start_ingest()
    s.wait_downlink_published()
    link.shape("256kbit")
    return s


def wait_downlink_acknowledged(sites, timeout=60):
    """The head office has every downlink bundle acknowledged with `match`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if set(sites.downlink_sent()) == {"acked"}:
            break
        time.sleep(0.5)
    verdicts = sites.sql("SELECT DISTINCT verdict FROM salesync_downlink", db=sites.ho_db).split()
    assert set(sites.downlink_sent()) == {"acked"} and verdicts == ["match"], (sites.downlink_sent(), verdicts)


def finish_both(sites):
    """Link back up: the sales at the head office, the catalogue at the branch, each exactly."""
    finish_and_compare(sites)
    same, b, h = sites.catalogue_matches()
    assert same, f"catalogue: branch {b} head office {h}"
    wait_downlink_acknowledged(sites)


def test_uplink_and_downlink_in_one_window(link):
    """Sales up and the catalogue down in one run over 256 kbit/s: the two directions go at
    once, so the window lasts about as long as the larger of the two, not their sum."""
    s = downlink_lab(link, 20_000, 20_000)
    try:
        up0, down0, _ = s.relay.bytes()
        t0 = time.monotonic()
        r = s.branch("run", "--max-duration", "120s", "--ack-wait", "30s", check=False)
        elapsed = time.monotonic() - t0
        up1, down1, _ = s.relay.bytes()
        up, down = (up1 - up0) * 8 / 256_000, (down1 - down0) * 8 / 256_000
        note(f"| uplink and downlink in one run, 256 kbit/s | {up1 - up0} bytes up, {down1 - down0} down | {elapsed:.1f} s | "
             f"line rate up {up:.1f} s, down {down:.1f} s | ratio to the larger {elapsed / max(up, down):.2f} |")
        assert r.returncode == 0, r.stderr
        assert elapsed < 120, "the run outlived its deadline"
        # One after the other takes the sum (17 s here, measured before the two overlapped).
        assert elapsed < max(up, down) + 0.5 * min(up, down) + 3, "the directions went one after the other"
        same, b, h = s.head_office_matches()
        assert same, f"sales: branch {b} head office {h}"
        same, b, h = s.catalogue_matches()
        assert same, f"catalogue: branch {b} head office {h}"
        link.unshape()
        wait_downlink_acknowledged(s)
    finally:
        link.light()
        link.unshape()
        s.remove()


def test_dark_mid_downlink_resumes_next_window(link):
    """The link goes dark while the catalogue comes down: the run ends by its deadline, the
    chunks that arrived are kept, and the next window fetches only the rest."""
    s = downlink_lab(link, 60_000, 0)
    try:
        code, err, total, after = timed_run(s, ["run", "--max-duration", "30s"], dark_after=10)
        note(f"| dark mid-downlink, --max-duration 30s | exit {code} | {after:.1f} s from dark to exit | {total:.1f} s in all |")
        assert code == 75, err
        assert total <= 30 + 10, f"ran {total:.1f} s against a 30 s deadline"
        kept = int(s.sql("SELECT COUNT(*) FROM salesync_inbox", db=s.branch_db))
        assert kept > 0, "no chunk of the cut transfer was kept"
        link.light()
        link.unshape()
        s.wait_downlink_unclaimed()
        _, down0, _ = s.relay.bytes()
        r = s.branch("run", "--ack-wait", "20s", check=False)
        _, down1, _ = s.relay.bytes()
        total_bytes = int(s.sql("SELECT SUM(bytes) FROM salesync_downlink", db=s.ho_db))
        note(f"| dark mid-downlink, next window | exit {r.returncode} | {kept} chunk(s) kept | {down1 - down0} of {total_bytes} bytes fetched |")
        assert r.returncode == 0, r.stderr
        assert down1 - down0 < total_bytes - 30_000, "the next window fetched the whole catalogue again"
        finish_both(s)
    finally:
        link.light()
        link.unshape()
        s.remove()


def test_short_window_sends_the_sales_first(link):
    """A window too short for both: the branch's sales all reach the head office; the catalogue
    waits for the next window."""
    s = downlink_lab(link, 80_000, 20_000)
    try:
        code, err, total, _ = timed_run(s, ["run", "--max-duration", "20s", "--ack-wait", "10s"])
        held = s.sql("SELECT COUNT(*) FROM products", db=s.branch_db).strip() if s.table_exists(s.branch_db, "products") else "0"
        note(f"| window too short for both, --max-duration 20s | exit {code} | {total:.1f} s | products at the branch {held} of 80000 | {err.strip()[-200:]} |")
        assert code == 75, err
        assert total <= 20 + 10
        same, b, h = s.head_office_matches()
        assert same, f"the sales did not all go first: branch {b} head office {h}"
        assert int(held) < 80_000
        finish_both(s)
    finally:
        link.light()
        link.unshape()
        s.remove()


def test_dark_mid_rejoin_then_completed(link):
    """A new PC under the old site id rejoins over 256 kbit/s; the link goes dark while the head
    office's copy comes down: the rejoin ends by its deadline having merged nothing, the chunks
    that arrived are kept, and the next rejoin fetches the rest and completes."""
    link.light()
    link.unshape()
    s = Sites(link, heartbeat="15s", catalogue=10)
    try:
        s.sell(40_000, noisy=True)
        s.start_ingest()
        assert s.settle("run", "--ack-wait", "20s").returncode == 0
        # The disk dies: an empty database and state_dir, salesync installed anew, a few sales.
        s.sql(f"DROP DATABASE `{s.branch_db}`", f"CREATE DATABASE `{s.branch_db}`")
        with open(os.path.join(ROOT, "samples/product_sales.sql")) as f:
            s.sql(f.read(), db=s.branch_db)
        sh("rm", "-rf", os.path.join(s.dir, f"state-{s.site}"))
        s.branch("init")
        s.sell(5, start_day=100, noisy=True)  # other sales than the lost ones, under their ids
        s.branch("run", "--ack-wait", "20s", check=False)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and s.sql(
                "SELECT COUNT(*) FROM salesync_downlink WHERE kind = 'rejoin' AND status = 'sent'", db=s.ho_db).strip() != "1":
            time.sleep(0.5)
        copy_bytes = int(s.sql("SELECT bytes FROM salesync_downlink WHERE kind = 'rejoin'", db=s.ho_db))
        link.shape("256kbit")
        code, err, total, after = timed_run(s, ["rejoin", "--max-duration", "30s"], dark_after=8)
        kept = int(s.sql("SELECT COUNT(*) FROM salesync_inbox", db=s.branch_db))
        note(f"| dark mid-rejoin ({copy_bytes} byte copy), --max-duration 30s | exit {code} | {after:.1f} s from dark to exit | "
             f"{total:.1f} s in all | {kept} chunk(s) kept |")
        assert code == 75, err
        assert total <= 30 + 10, f"ran {total:.1f} s against a 30 s deadline"
        assert kept > 0, "no chunk of the cut copy was kept"
        assert s.sql("SELECT COUNT(*) FROM product_sales", db=s.branch_db).strip() == "5", "merged from half a copy"
        link.light()
        link.unshape()
        s.wait_downlink_unclaimed()
        r = s.branch("rejoin", "--max-duration", "120s", check=False)
        assert r.returncode == 0, r.stderr
        assert "re-keyed" in r.stdout, r.stdout
        finish_and_compare(s)
        assert s.sql("SELECT COUNT(*) FROM product_sales", db=s.branch_db).strip() == "40005"
    finally:
        link.light()
        link.unshape()
        s.remove()
