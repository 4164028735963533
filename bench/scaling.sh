#!/usr/bin/env bash
# Scaling: one export and one ingest at 100k, 1M and 5M rows (or the sizes given), to show time
# grows linearly and peak memory stays flat. Called by bench/run.sh for full runs; prints a table.
#   bench/scaling.sh [ROWS...]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
eval "$(scripts/services.sh env)"
BUILD=${SALESYNC_BENCH_BUILD:-release}
BIN=$ROOT/.build/$BUILD/salesync
export SALESYNC_BIN=$BIN
W=$SALESYNC_STATE/bench-scaling
rm -rf "$W"; mkdir -p "$W"
sql() { scripts/services.sh mariadb "$@"; }
GEN=$ROOT/../shared/bench/gen_sales.py
[ -f "$GEN" ] || GEN=$ROOT/samples/sales.py
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000 5000000)
echo "| rows | export s | export rows/s | export peak RSS MB | ingest s | ingest rows/s | ingest peak RSS MB |"
echo "|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
    python3 "$GEN" "$n" > "$W/sales.tsv"
    sql -e "DROP DATABASE IF EXISTS bench_sc_b; DROP DATABASE IF EXISTS bench_sc_ho; CREATE DATABASE bench_sc_b"
    sql bench_sc_b < samples/product_sales.sql
    sql bench_sc_b -e "LOAD DATA INFILE '$W/sales.tsv' INTO TABLE product_sales CHARACTER SET utf8mb4 (sale_date, region, product, qty, cost, amt, tax, total)"
    for q in salesync.bundles.sc salesync.acks.sc; do scripts/services.sh rabbitmqctl delete_queue "$q" >/dev/null 2>&1 || true; done
    rm -rf "$W/sites/state"
    scripts/provision.sh branch sc bench_sc_b "$W/sites" >/dev/null
    scripts/provision.sh head-office scho bench_sc_ho "$W/sites" sc >/dev/null
    $BIN -c "$W/sites/sc.toml" init
    $BIN -c "$W/sites/scho.toml" init
    /usr/bin/time -f "%e %M" -o "$W/e.time" "$BIN" -c "$W/sites/sc.toml" export
    $BIN -c "$W/sites/sc.toml" drain || [ $? -eq 75 ]
    /usr/bin/time -f "%e %M" -o "$W/i.time" "$BIN" -c "$W/sites/scho.toml" ingest --once
    read -r et em < "$W/e.time"; read -r it im < "$W/i.time"
    got=$(sql -N -e "SELECT COUNT(*) FROM bench_sc_ho.product_sales")
    [ "$got" = "$n" ] || { echo "scaling check failed at $n rows: $got at the head office" >&2; exit 1; }
    awk -v n="$n" -v et="$et" -v em="$em" -v it="$it" -v im="$im" 'BEGIN {
        printf "| %d | %.2f | %.0f | %.0f | %.2f | %.0f | %.0f |\n", n, et, n / et, em / 1024, it, n / it, im / 1024 }'
    sql -e "DROP DATABASE bench_sc_b; DROP DATABASE bench_sc_ho"
done
