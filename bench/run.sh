#!/usr/bin/env bash
# salesync against the tools a user would otherwise use, on the same rows, in one run.
#
#   bench/run.sh [ROWS] [REPEATS]      defaults: 1000000 rows, 3 repeats (median reported)
#
# Uses scripts/services.sh (private MariaDB and RabbitMQ), ../shared/bench/gen_sales.py (or
# samples/sales.py when shared/ is absent) and a release build. Prints one table and writes it to
# bench/results/LATEST.md. Timed steps: salesync export (a branch's first export of the table),
# salesync ingest --once of those bundles from the queue; beside them mariadb-dump | gzip -6,
# importing that dump, LOAD DATA INFILE into an empty table, and gzip/zstd/xz of the TSV.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
ROWS=${1:-1000000}
REPS=${2:-3}
BUILD=${SALESYNC_BENCH_BUILD:-release}

scripts/services.sh up >/dev/null 2>&1
eval "$(scripts/services.sh env)"
W=$SALESYNC_STATE/bench
rm -rf "$W"; mkdir -p "$W"
echo "building ($BUILD)..." >&2
# A release build as the Debian package links it (scripts/package.sh): the Swift runtime inside,
# which starts each command some 30 ms sooner than the shared libraries do.
STATIC=(); [ "$BUILD" = release ] && STATIC=(--static-swift-stdlib)
swift build -c "$BUILD" "${STATIC[@]}" 2>&1 | tail -1 >&2
BIN=$ROOT/.build/$BUILD/salesync
export SALESYNC_BIN=$BIN
sql() { scripts/services.sh mariadb "$@"; }
for t in zstd xz; do command -v $t >/dev/null || { apt-get install -y -qq $t >/dev/null 2>&1 || true; }; done

GEN=$ROOT/../shared/bench/gen_sales.py
[ -f "$GEN" ] || GEN=$ROOT/samples/sales.py
echo "generating $ROWS rows with $(basename "$GEN")..." >&2
python3 "$GEN" "$ROWS" > "$W/sales.tsv"
tsv_bytes=$(stat -c %s "$W/sales.tsv")

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# time_cmd OUT -- command...: elapsed seconds and peak RSS (KiB) of a command, into OUT.
time_cmd() { local out=$1; shift; /usr/bin/time -f "%e %M" -o "$out" "$@"; }

load_branch() { # database [tsv file]
    sql -e "DROP DATABASE IF EXISTS \`$1\`; CREATE DATABASE \`$1\`"
    sql "$1" < "$ROOT/samples/product_sales.sql"
    sql "$1" -e "LOAD DATA INFILE '${2:-$W/sales.tsv}' INTO TABLE product_sales CHARACTER SET utf8mb4 (sale_date, region, product, qty, cost, amt, tax, total)"
}

declare -a T_LOAD T_DUMP T_IMPORT T_EXPORT T_INGEST M_EXPORT M_INGEST B_BUNDLE B_DUMP
load_branch bench_src
for r in $(seq 1 "$REPS"); do
    echo "repeat $r/$REPS" >&2
    # LOAD DATA INFILE into an empty table of the same server.
    sql -e "DROP DATABASE IF EXISTS bench_load; CREATE DATABASE bench_load"
    sql bench_load < "$ROOT/samples/product_sales.sql"
    s=$(date +%s.%N)
    sql bench_load -e "LOAD DATA INFILE '$W/sales.tsv' INTO TABLE product_sales CHARACTER SET utf8mb4 (sale_date, region, product, qty, cost, amt, tax, total)"
    T_LOAD+=("$(awk -v a="$(date +%s.%N)" -v b="$s" 'BEGIN{print a-b}')")

    # mariadb-dump | gzip -6, and importing that dump into an empty table.
    s=$(date +%s.%N)
    mariadb-dump --protocol=socket -S "$SALESYNC_MARIADB_SOCKET" -uroot --no-create-info --skip-comments bench_src product_sales | gzip -6 > "$W/dump.sql.gz"
    T_DUMP+=("$(awk -v a="$(date +%s.%N)" -v b="$s" 'BEGIN{print a-b}')")
    B_DUMP+=("$(stat -c %s "$W/dump.sql.gz")")
    sql -e "DROP DATABASE IF EXISTS bench_import; CREATE DATABASE bench_import"
    sql bench_import < "$ROOT/samples/product_sales.sql"
    s=$(date +%s.%N)
    gunzip -c "$W/dump.sql.gz" | sql bench_import
    T_IMPORT+=("$(awk -v a="$(date +%s.%N)" -v b="$s" 'BEGIN{print a-b}')")

    # salesync: a fresh branch holding the rows, its first export, drain, and a fresh head office.
    site=bench$r
    load_branch "bench_bo$r"
    sql -e "DROP DATABASE IF EXISTS bench_ho$r"
    for q in salesync.bundles.$site salesync.acks.$site; do scripts/services.sh rabbitmqctl delete_queue "$q" >/dev/null 2>&1 || true; done
    rm -rf "$W/sites/state/$site" "$W/sites/state/ho$r"
    scripts/provision.sh branch "$site" "bench_bo$r" "$W/sites" >/dev/null
    scripts/provision.sh head-office "ho$r" "bench_ho$r" "$W/sites" "$site" >/dev/null
    $BIN -c "$W/sites/$site.toml" init
    $BIN -c "$W/sites/ho$r.toml" init
    time_cmd "$W/export.time" "$BIN" -c "$W/sites/$site.toml" export
    read -r t m < "$W/export.time"; T_EXPORT+=("$t"); M_EXPORT+=("$m")
    B_BUNDLE+=("$(cat "$W/sites/state/$site/outbox/"*.ssb | wc -c)")
    $BIN -c "$W/sites/$site.toml" drain || [ $? -eq 75 ]
    time_cmd "$W/ingest.time" "$BIN" -c "$W/sites/ho$r.toml" ingest --once
    read -r t m < "$W/ingest.time"; T_INGEST+=("$t"); M_INGEST+=("$m")
    n=$(sql -N -e "SELECT COUNT(*) FROM bench_ho$r.product_sales")
    [ "$n" = "$ROWS" ] || { echo "ingest check failed: $n rows at the head office, expected $ROWS" >&2; exit 1; }
    sql -e "DROP DATABASE bench_bo$r; DROP DATABASE bench_ho$r"
done

# End to end: two branches export and drain at the same time into one head office that ingests
# as a service; from the first export's start until the last acknowledgement has reached both
# branches. Each repeat moves 2 × ROWS rows.
declare -a T_E2E_ALL
for r in $(seq 1 "$REPS"); do
    echo "end to end, two branches ($r/$REPS)" >&2
    for b in 1 2; do load_branch "bench_e2e_b$b"; done
    sql -e "DROP DATABASE IF EXISTS bench_e2e_ho"
    for q in salesync.bundles.e2e1 salesync.bundles.e2e2 salesync.acks.e2e1 salesync.acks.e2e2; do scripts/services.sh rabbitmqctl delete_queue "$q" >/dev/null 2>&1 || true; done
    rm -rf "$W/sites/state/e2e1" "$W/sites/state/e2e2" "$W/sites/state/e2eho"
    scripts/provision.sh branch e2e1 bench_e2e_b1 "$W/sites" >/dev/null
    scripts/provision.sh branch e2e2 bench_e2e_b2 "$W/sites" >/dev/null
    scripts/provision.sh head-office e2eho bench_e2e_ho "$W/sites" e2e1 e2e2 >/dev/null
    for s in e2eho e2e1 e2e2; do $BIN -c "$W/sites/$s.toml" init; done
    "$BIN" -c "$W/sites/e2eho.toml" ingest & HO=$!
    s=$(date +%s.%N)
    pids=()
    for b in 1 2; do
        "$BIN" -c "$W/sites/e2e$b.toml" run --ack-wait 600s --max-duration 20m & pids+=($!)
    done
    wait "${pids[@]}" || true
    T_E2E_ALL+=("$(awk -v a="$(date +%s.%N)" -v b="$s" 'BEGIN{print a-b}')")
    kill -TERM $HO; wait $HO || true
    n=$(sql -N -e "SELECT COUNT(*) FROM bench_e2e_ho.product_sales")
    [ "$n" = "$((2 * ROWS))" ] || { echo "end-to-end check failed: $n rows at the head office, expected $((2 * ROWS))" >&2; exit 1; }
    sql -e "DROP DATABASE bench_e2e_b1; DROP DATABASE bench_e2e_b2; DROP DATABASE bench_e2e_ho"
done
T_E2E=$(printf '%s\n' "${T_E2E_ALL[@]}" | median)

# Window economy: what a drain really puts on the wire (AMQP method, header and body frames,
# heartbeats), counted by a relay between the branch and the broker. First all ROWS rows without
# a limit (bytes per row on the wire), then a real `drain --bwlimit 32k` of at least 30 s on a
# part of them (480,000 rows: about 45 s at 2 bytes per row), to check that the rows per hour
# predicted from its bytes per row are what happens.
echo "window economy" >&2
RPORT=$(echo "$SALESYNC_RABBIT_URL" | sed -E 's|.*:([0-9]+)/.*|\1|')
PPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 "$ROOT/bench/wirecount.py" "$PPORT" "$RPORT" "$W/wire.counts" & RELAY=$!
trap 'kill $RELAY 2>/dev/null || true' EXIT
WROWS=$(( ROWS < 480000 ? ROWS : 480000 ))
head -n "$WROWS" "$W/sales.tsv" > "$W/window.tsv"
declare -A WIN_UP WIN_BUNDLE WIN_T
for site in win1 win2; do
    if [ $site = win1 ]; then load_branch bench_$site; else load_branch bench_$site "$W/window.tsv"; fi
    for q in salesync.bundles.$site salesync.acks.$site; do scripts/services.sh rabbitmqctl delete_queue "$q" >/dev/null 2>&1 || true; done
    rm -rf "$W/sites/state/$site"
    scripts/provision.sh branch "$site" "bench_$site" "$W/sites" >/dev/null
    sed -i "s|:$RPORT/|:$PPORT/|" "$W/sites/$site.toml"
    $BIN -c "$W/sites/$site.toml" init
    $BIN -c "$W/sites/$site.toml" export
    WIN_BUNDLE[$site]=$(cat "$W/sites/state/$site/outbox/"*.ssb | wc -c)
    read -r up0 _ < "$W/wire.counts"
    s=$(date +%s.%N)
    if [ $site = win1 ]; then $BIN -c "$W/sites/$site.toml" drain || [ $? -eq 75 ]
    else $BIN -c "$W/sites/$site.toml" drain --bwlimit 32k || [ $? -eq 75 ]; fi
    WIN_T[$site]=$(awk -v a="$(date +%s.%N)" -v b="$s" 'BEGIN{print a-b}')
    read -r up1 _ < "$W/wire.counts"
    WIN_UP[$site]=$((up1 - up0))
    for q in salesync.bundles.$site salesync.acks.$site; do scripts/services.sh rabbitmqctl delete_queue "$q" >/dev/null 2>&1 || true; done
    sql -e "DROP DATABASE bench_$site"
done
kill $RELAY 2>/dev/null || true

# Compressed sizes of the same TSV (the generator is deterministic: cached per row count and generator).
CACHE=$SALESYNC_STATE/bench-cache/$(basename "$GEN")-$ROWS.sizes
if [ ! -s "$CACHE" ]; then
    mkdir -p "$(dirname "$CACHE")"
    gz=$(gzip -6 -c "$W/sales.tsv" | wc -c)
    zs=$(command -v zstd >/dev/null && zstd -19 -q -c "$W/sales.tsv" | wc -c || echo 0)
    xzb=$(command -v xz >/dev/null && xz -6 -c "$W/sales.tsv" | wc -c || echo 0)
    echo "$gz $zs $xzb" > "$CACHE"
fi
read -r gz zs xzb < "$CACHE"

m() { printf '%s\n' "$@" | median; }
tl=$(m "${T_LOAD[@]}"); td=$(m "${T_DUMP[@]}"); ti=$(m "${T_IMPORT[@]}")
te=$(m "${T_EXPORT[@]}"); tg=$(m "${T_INGEST[@]}")
me=$(m "${M_EXPORT[@]}"); mg=$(m "${M_INGEST[@]}")
bb=$(m "${B_BUNDLE[@]}"); bd=$(m "${B_DUMP[@]}")

python3 - "$ROWS" "$REPS" "$tl" "$td" "$ti" "$te" "$tg" "$me" "$mg" "$bb" "$bd" "$tsv_bytes" "$gz" "$zs" "$xzb" "$T_E2E" \
    "${WIN_UP[win1]}" "${WIN_BUNDLE[win1]}" "$WROWS" "${WIN_UP[win2]}" "${WIN_BUNDLE[win2]}" "${WIN_T[win2]}" > "$W/table.md" <<'PY'
import sys, datetime
(rows, reps, tl, td, ti, te, tg, me, mg, bb, bd, tsv, gz, zs, xz, t2e, wup, wbb, wrows, lup, lbb, lt) = sys.argv[1:]
rows = int(rows); f = float
rps = lambda t: rows / max(f(t), 1e-9)
bpr = lambda b: int(b) / rows
out = []
out.append(f"# salesync benchmark, {rows:,} rows, median of {reps} ({datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC)\n")
out.append("| figure | salesync | baseline | ratio | target |")
out.append("|---|---|---|---|---|")
out.append(f"| export rows/s (vs `mariadb-dump \\| gzip -6`) | {rps(te):,.0f} | {rps(td):,.0f} | {rps(te)/rps(td):.2f} | ≥ 1.0 |")
out.append(f"| bytes/row on disk (vs `mariadb-dump \\| gzip -6`) | {bpr(bb):.2f} | {bpr(bd):.2f} | {bpr(bb)/bpr(bd):.2f} | ≤ 0.38 |")
out.append(f"| ingest rows/s from the queue (vs `LOAD DATA INFILE`) | {rps(tg):,.0f} | {rps(tl):,.0f} | {rps(tg)/rps(tl):.2f} | ≥ 0.8 |")
out.append(f"| ingest rows/s (vs importing the dump) | {rps(tg):,.0f} | {rps(ti):,.0f} | {rps(tg)/rps(ti):.2f} | |")
out.append(f"| end to end, 2 branches × {rows:,} rows, rows/s (first export to last ack) | {2 * rows / max(f(t2e), 1e-9):,.0f} | | | ≥ 150,000 |")
out.append(f"| peak RSS export / ingest (MB) | {int(me)/1024:.0f} / {int(mg)/1024:.0f} | | | ≤ 150 |")
wire_bpr = int(wup) / rows
per_hour = 32000 * 3600 / wire_bpr
out.append(f"| rows through a 1-hour window at 256 kbit/s (from {wire_bpr:.2f} wire bytes/row; `mariadb-dump \\| gzip -6` at its bytes/row) | {per_hour:,.0f} | {32000 * 3600 / bpr(bd):,.0f} | {bpr(bd) / wire_bpr:.2f}× | |")
out.append("")
limit = 32 * 1024
lrows, lt, lup = int(wrows), f(lt), int(lup)
predicted = limit * 3600 / (lup / lrows)  # from the limited drain's own wire bytes per row
measured = lrows / lt * 3600
out.append("Window economy (bytes counted by a relay between the drain and the broker, AMQP frames included; one unlimited drain and one 30 s+ check):")
out.append("")
out.append("| drain | rows | bundle bytes | wire bytes up | overhead | seconds | wire bytes/s |")
out.append("|---|---|---|---|---|---|---|")
out.append(f"| unlimited | {rows:,} | {int(wbb):,} | {int(wup):,} | {int(wup) / max(int(wbb), 1) - 1:+.1%} | | |")
out.append(f"| `--bwlimit 32k` | {lrows:,} | {int(lbb):,} | {lup:,} | {lup / max(int(lbb), 1) - 1:+.1%} | {lt:.1f} | {lup / lt:,.0f} (limit {limit:,}) |")
out.append("")
out.append(f"At 32 KiB/s the bytes per row predict {predicted:,.0f} rows/hour; the real drain moved {measured:,.0f} rows/hour ({measured / predicted:.2f} of the prediction).")
out.append("")
out.append("| TSV compressed by | bytes/row |")
out.append("|---|---|")
out.append(f"| raw TSV | {bpr(tsv):.2f} |")
out.append(f"| gzip -6 | {bpr(gz):.2f} |")
if int(zs): out.append(f"| zstd -19 | {bpr(zs):.2f} |")
if int(xz): out.append(f"| xz -6 | {bpr(xz):.2f} |")
out.append(f"| salesync bundles | {bpr(bb):.2f} |")
out.append("")
out.append(f"Times (s, median): export {f(te):.2f}, ingest {f(tg):.2f}, mariadb-dump|gzip {f(td):.2f}, dump import {f(ti):.2f}, LOAD DATA INFILE {f(tl):.2f}, end to end {f(t2e):.2f}.")
print("\n".join(out))
PY
echo "steady state..." >&2
{ echo; SALESYNC_BENCH_SIZES=$CACHE bash "$ROOT/bench/steady.sh" "$ROWS" "$W/sales.tsv" "$W" "$BIN"; } >> "$W/table.md"
if [ "$ROWS" -ge 1000000 ] && [ "${SALESYNC_BENCH_SCALING:-1}" != 0 ]; then
    echo "scaling..." >&2
    { echo; echo "Scaling (one export and one ingest per size):"; echo; bash "$ROOT/bench/scaling.sh"; } >> "$W/table.md"
fi
cat "$W/table.md"
OUT=${SALESYNC_BENCH_OUT:-$ROOT/bench/results/LATEST.md}
mkdir -p "$(dirname "$OUT")"
cp "$W/table.md" "$OUT"
