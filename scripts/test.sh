#!/usr/bin/env bash
# README command 2: installs what is missing, starts private MariaDB and RabbitMQ, builds, and
# runs every test (unit and integration, against the real servers).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
scripts/services.sh up
eval "$(scripts/services.sh env)"
if ! command -v swift >/dev/null; then echo "Swift 6 is needed (swift not on PATH)" >&2; exit 1; fi
# phase NAME: prints how long the run has taken so far (CI must stay under 30 minutes).
phase() { echo "[$(printf '%4d' "$SECONDS") s] $*"; }
swift build --build-tests
phase "built"
# The tree as swift-format leaves it (.swift-format): formatting never drifts.
if swift format --version >/dev/null 2>&1; then
    tmp=$(mktemp -d); cp -r Sources Tests "$tmp/"
    (cd "$tmp" && cp "$ROOT/.swift-format" . && swift format -i -r Sources Tests)
    if ! diff -r -q Sources "$tmp/Sources" >/dev/null || ! diff -r -q Tests "$tmp/Tests" >/dev/null; then
        echo "not formatted (run: swift format -i -r Sources Tests):"; diff -r -q Sources "$tmp/Sources"; diff -r -q Tests "$tmp/Tests"; exit 1
    fi
    rm -rf "$tmp"
fi
# A small benchmark run (debug build, 10,000 rows, once) so the benchmark cannot rot.
phase "benchmark smoke run:"
SALESYNC_BENCH_BUILD=debug SALESYNC_BENCH_OUT="$ROOT/.state/bench-smoke.md" bash bench/run.sh 10000 1 > "$ROOT/.state/bench-smoke.log" 2>&1 \
    || { echo "benchmark smoke run failed:"; tail -20 "$ROOT/.state/bench-smoke.log"; exit 1; }
grep -E "^\| (export|ingest|bytes)" "$ROOT/.state/bench-smoke.md" || true
# Many branches at one head office, small (bench/branches.py: groups, two ingest services, exactness).
phase "many-branch benchmark smoke run:"
SALESYNC_BIN="$ROOT/.build/debug/salesync" SALESYNC_BENCH_IDLE_SECONDS=3 python3 bench/branches.py 8 400 40 > "$ROOT/.state/branches-smoke.log" 2>&1 \
    || { echo "many-branch benchmark smoke run failed:"; tail -20 "$ROOT/.state/branches-smoke.log"; exit 1; }
grep -E "branches ×" "$ROOT/.state/branches-smoke.log" || true
# A short crash-and-check soak (kill -9 at random instants and at named fault points).
phase "fault soak:"
bash harness/faults/soak.sh --trials 10 > "$ROOT/.state/soak-smoke.log" 2>&1 \
    || { echo "fault soak failed:"; tail -20 "$ROOT/.state/soak-smoke.log"; exit 1; }
tail -1 "$ROOT/.state/soak-smoke.log"
# Adding a branch: one command at each end (scripts/add-branch.sh).
bash harness/enrol/test.sh 2>/dev/null | tail -1 || { echo "add-branch test failed"; bash harness/enrol/test.sh 2>&1 | tail -20; exit 1; }
# pytest_suite NAME DIR: one directory of pytest tests, its log in .state/NAME.log; the figures
# the tests append to $SALESYNC_RESULTS (.state/NAME-results.md) are printed for the notes.
pytest_suite() {
    phase "$1 tests:"
    export SALESYNC_RESULTS="$ROOT/.state/$1-results.md"
    rm -f "$SALESYNC_RESULTS"
    if ! python3 -m pytest -q -p no:cacheprovider --durations=0 "$2" > "$ROOT/.state/$1.log" 2>&1; then
        echo "$1 tests failed:"; tail -40 "$ROOT/.state/$1.log"; exit 1
    fi
    grep -E "^[0-9.]+s call" "$ROOT/.state/$1.log" | head -4 | sed 's/^/  slowest: /' || true
    tail -1 "$ROOT/.state/$1.log"
    if [ -s "$SALESYNC_RESULTS" ]; then cat "$SALESYNC_RESULTS"; fi
}
python3 -m pytest --version >/dev/null 2>&1 || python3 -m pip install -q pytest
# The Debian package's self-contained release build is long and CPU-bound, while the link and web
# tests mostly wait on shaped links and a browser: it builds meanwhile, at low priority.
missing=(); for p in lintian debootstrap dpkg-dev fakeroot; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; fi
phase "package build started (in the background)"
nice -n 10 bash scripts/package.sh "$ROOT/.state/package" > "$ROOT/.state/package.out" 2> "$ROOT/.state/package.log" &
package_build=$!
# The previous release (its sources in harness/upgrade/), built once per machine and cached, for
# the mixed-version test below; also in the background.
nice -n 10 bash harness/upgrade/previous.sh > "$ROOT/.state/previous.out" 2> "$ROOT/.state/previous.log" &
previous_build=$!
# Emulated links (network namespaces, tc): slow, dark mid-transfer, flapping, stopped by signal.
pytest_suite link harness/links
# The web console in a real browser: Debian's chromium + chromium-driver under Selenium.
missing=(); for p in chromium chromium-driver; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; fi
python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q selenium
export SALESYNC_SCREENSHOTS="$ROOT/.state/web-screenshots"
pytest_suite web harness/web
echo "screenshots of every page: $SALESYNC_SCREENSHOTS"
# Mixed versions: the previous release with this build, both ways, and upgrades in place.
phase "mixed versions:"
wait "$previous_build" || { echo "building the previous release failed:"; tail -20 "$ROOT/.state/previous.log"; exit 1; }
bash harness/upgrade/mixed.sh > "$ROOT/.state/mixed.log" 2>&1 || { echo "mixed-version test failed:"; tail -30 "$ROOT/.state/mixed.log"; exit 1; }
tail -1 "$ROOT/.state/mixed.log"
# The Debian package: lintian, and a clean Debian 12 root with no Swift.
phase "package:"
wait "$package_build" || { echo "packaging failed:"; tail -20 "$ROOT/.state/package.log"; exit 1; }
DEB=$(tail -1 "$ROOT/.state/package.out")
lintian --fail-on error,warning "$DEB" 2>&1 | grep -v "root privileges" || true
lintian --fail-on error,warning "$DEB" >/dev/null 2>&1 || { echo "lintian found errors or warnings"; exit 1; }
bash harness/package/clean-system.sh "$DEB" > "$ROOT/.state/clean-system.log" 2>&1 \
    || { echo "clean-system test failed:"; tail -30 "$ROOT/.state/clean-system.log"; exit 1; }
echo "$(basename "$DEB"): $(du -h "$DEB" | cut -f1); installed in a clean Debian 12 root, branch synced, head office matches"
# docs/deployment.md as written: a head office and two shops, each a clean Debian 12 root in its
# own network namespace, from the package to both shops' sales at the head office over TLS.
phase "deployment guide:"
python3 harness/deploy/guide.py "$DEB" > "$ROOT/.state/guide.log" 2>&1 \
    || { echo "deployment guide test failed:"; tail -60 "$ROOT/.state/guide.log"; exit 1; }
tail -1 "$ROOT/.state/guide.log"
# A three-node RabbitMQ cluster: the leader of a branch's quorum queue killed mid-drain and
# mid-ingest, the majority lost and back. Stopped afterwards to give its memory back.
scripts/services.sh cluster-up > "$ROOT/.state/cluster-up.log" 2>&1 || { echo "cluster did not start:"; tail -20 "$ROOT/.state/cluster-up.log"; exit 1; }
pytest_suite cluster harness/cluster
scripts/services.sh cluster-down > /dev/null 2>&1 || true
phase "swift test:"
set +e
swift test 2>&1 | tee "$ROOT/.state/test.log" | grep -vE '^(◇|\[)|^✔ Test [^r].* passed after'
code=${PIPESTATUS[0]}
set -e
phase "done (exit $code)"
exit "$code"
