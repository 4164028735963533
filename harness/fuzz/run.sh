#!/usr/bin/env bash
# Coverage-guided fuzzing of the bundle reader with libFuzzer and AddressSanitizer.
#
#   harness/fuzz/run.sh [SECONDS]      default 600; corpus kept in .state/fuzz/corpus
#
# Prints libFuzzer's statistics and a summary line; exits non-zero (and leaves the crashing
# input in .state/fuzz/) on a finding. Replay one: .build-fuzz/release/bundle-fuzzer FILE
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_TO_RUN=${1:-600}
OUT=$ROOT/.state/fuzz
mkdir -p "$OUT/corpus" "$OUT/seeds"
cd "$ROOT/harness/fuzz"
echo "building the fuzzer (release, -sanitize=fuzzer,address)..." >&2
swift build -c release --scratch-path "$ROOT/.build-fuzz" --product BundleFuzzer \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -g 2>&1 | tail -1 >&2
BIN=$ROOT/.build-fuzz/release/bundle-fuzzer
swiftc "$ROOT/.build-fuzz/release/libBundleFuzzer.a" -sanitize=fuzzer,address -g -o "$BIN" \
    $(pkg-config --libs libmariadb librabbitmq zlib) -lstdc++ 2>&1 | grep -v "Cannot export local symbol" >&2 || true
# Seeds come from the fuzzer itself (real bundles in each input mode).
SALESYNC_FUZZ_SEEDS=$OUT/seeds "$BIN" -runs=0 "$OUT/seeds" >/dev/null 2>&1 || true
cd "$OUT"
set +e
"$BIN" "$OUT/corpus" "$OUT/seeds" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$OUT/" 2> "$OUT/fuzz.log"
rc=$?
set -e
grep -E "^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb|new_units_added)|cov:" "$OUT/fuzz.log" | tail -6
execs=$(awk '/^stat::number_of_executed_units/ {print $2}' "$OUT/fuzz.log")
if [ $rc -eq 0 ]; then
    echo "fuzz: ${execs:-?} executions in ${SECONDS_TO_RUN} s, 0 crashes (libFuzzer, ASan; corpus $(ls "$OUT/corpus" | wc -l) inputs)"
else
    echo "fuzz: FINDING after ${execs:-?} executions; see $OUT/fuzz.log and the crash-* file in $OUT" >&2
fi
exit $rc
