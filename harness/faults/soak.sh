#!/usr/bin/env bash
# Crash-and-check harness: two branches keep selling, correcting and cancelling while
# `salesync run` and `salesync ingest --once` are killed with SIGKILL at random instants, or
# stopped at named fault points; RabbitMQ and the head office's MariaDB are restarted now and
# then, and some drains are cut by their deadline. After the faults stop,
# one clean sync runs and the head office is compared with each branch row by row (SQL over both
# databases, independent of salesync's checksums).
#
#   harness/faults/soak.sh [--trials N] [--seed S]      (default 20 trials)
#
# Prints "N trials, L lost, D duplicated" and exits non-zero if anything was lost or doubled.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
TRIALS=20
SEED=$$
while [ $# -gt 0 ]; do
    case "$1" in
        --trials) TRIALS=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        *) echo "usage: $0 [--trials N] [--seed S]" >&2; exit 2 ;;
    esac
done
RANDOM=$SEED
scripts/services.sh up >/dev/null 2>&1
eval "$(scripts/services.sh env)"
swift build >/dev/null 2>&1 || swift build
BIN=$ROOT/.build/debug/salesync
export SALESYNC_BIN=$BIN
D=$SALESYNC_STATE/soak
sql() { scripts/services.sh mariadb "$@"; }

# Fresh sites.
for db in soak_ho soak_b1 soak_b2; do sql -e "DROP DATABASE IF EXISTS $db"; done
for q in salesync.bundles.sk1 salesync.bundles.sk2 salesync.acks.sk1 salesync.acks.sk2; do
    scripts/services.sh rabbitmqctl delete_queue "$q" >/dev/null 2>&1 || true
done
rm -rf "$D"; mkdir -p "$D"
for b in 1 2; do sql -e "CREATE DATABASE soak_b$b"; sql soak_b$b < samples/product_sales.sql; done
scripts/provision.sh branch sk1 soak_b1 "$D" >/dev/null
scripts/provision.sh branch sk2 soak_b2 "$D" >/dev/null
scripts/provision.sh head-office skho soak_ho "$D" sk1 sk2 >/dev/null
# Small bundles and chunks: more steps to be killed in.
for b in sk1 sk2; do printf '\n[export]\nmax_rows = 200\n\n[transfer]\nchunk_size = "2k"\nresend_after = "5s"\n' >> "$D/$b.toml"; done
for s in skho sk1 sk2; do $BIN -c "$D/$s.toml" init; done

# Continuous business at both branches: inserts, updates (some of the key), deletes.
business() {
    local db=$1
    while [ ! -f "$D/stop" ]; do
        sql "$db" -e "
          INSERT INTO product_sales (sale_date, region, product, qty, cost, amt, tax, total)
            SELECT '2026-11-25', ELT(1 + FLOOR(RAND() * 4), 'N', 'S', 'E', 'W'), 'Item', 1 + FLOOR(RAND() * 20), 2.50, 2.50, 0.18, 2.68
            FROM seq_1_to_20;
          UPDATE product_sales SET qty = qty + 1 WHERE id % 13 = FLOOR(RAND() * 13) LIMIT 5;
          DELETE FROM product_sales WHERE id % 17 = FLOOR(RAND() * 17) LIMIT 2;
          UPDATE product_sales SET id = id + 1000000 WHERE id < 1000000 AND id % 29 = FLOOR(RAND() * 29) LIMIT 1;" 2>/dev/null || true
        sleep 0.$((RANDOM % 5))
    done
}
business soak_b1 & P1=$!
business soak_b2 & P2=$!

faults=(export-bundle-written export-before-commit export-after-commit drain-chunk-confirmed drain-bundle-sent
        ingest-chunk-acked ingest-before-commit ingest-after-commit ingest-ack-sent)
declare -A count
kill_after() { # seconds command...: SIGKILL the command after a random delay
    local delay=$1; shift
    "$@" >>"$D/runs.log" 2>&1 & local pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null && count[sigkill]=$(( ${count[sigkill]:-0} + 1 )) || true
    wait "$pid" 2>/dev/null || true
}
for t in $(seq 1 "$TRIALS"); do
    b=sk$((1 + RANDOM % 2))
    case $((RANDOM % 7)) in
        0) f=${faults[$((RANDOM % ${#faults[@]}))]}
           count[$f]=$(( ${count[$f]:-0} + 1 ))
           if [[ $f == ingest-* ]]; then SALESYNC_FAULT=$f $BIN -c "$D/skho.toml" ingest --once >>"$D/runs.log" 2>&1 || true
           else SALESYNC_FAULT=$f $BIN -c "$D/$b.toml" run >>"$D/runs.log" 2>&1 || true; fi ;;
        1) kill_after "0.$((RANDOM % 10))" $BIN -c "$D/$b.toml" run ;;
        2) kill_after "0.$((RANDOM % 10))" $BIN -c "$D/skho.toml" ingest --once ;;
        3) if [ $((RANDOM % 4)) = 0 ]; then
               count[broker-restart]=$(( ${count[broker-restart]:-0} + 1 ))
               ( $BIN -c "$D/$b.toml" run >>"$D/runs.log" 2>&1 || true ) & rp=$!
               sleep 0.$((RANDOM % 10))
               scripts/services.sh rabbit-restart >/dev/null 2>&1
               wait $rp
           else $BIN -c "$D/$b.toml" run >>"$D/runs.log" 2>&1 || true; fi ;;
        4) $BIN -c "$D/skho.toml" ingest --once >>"$D/runs.log" 2>&1 || true ;;
        5) # The window closes mid-transfer.
           count[deadline]=$(( ${count[deadline]:-0} + 1 ))
           $BIN -c "$D/$b.toml" run --max-duration 0.$((RANDOM % 5))s --bwlimit 4k >>"$D/runs.log" 2>&1 || true ;;
        6) if [ $((RANDOM % 4)) = 0 ]; then
               # The head office's database goes away while it ingests: shut down, or killed.
               ( $BIN -c "$D/skho.toml" ingest --once >>"$D/runs.log" 2>&1 || true ) & ip=$!
               sleep 0.$((RANDOM % 5))
               if [ $((RANDOM % 2)) = 0 ]; then
                   count[database-restart]=$(( ${count[database-restart]:-0} + 1 ))
                   scripts/services.sh mariadb-stop >/dev/null 2>&1
               else
                   count[database-sigkill]=$(( ${count[database-sigkill]:-0} + 1 ))
                   scripts/services.sh mariadb-kill >/dev/null 2>&1
               fi
               wait $ip
               scripts/services.sh mariadb-start >/dev/null 2>&1
           else $BIN -c "$D/skho.toml" ingest --once >>"$D/runs.log" 2>&1 || true; fi ;;
    esac
done
touch "$D/stop"; wait $P1 $P2 2>/dev/null || true

# One clean sync until everything is acknowledged.
for round in $(seq 1 30); do
    left=0
    for b in sk1 sk2; do $BIN -c "$D/$b.toml" run --ack-wait 2s >>"$D/runs.log" 2>&1 || left=1; done
    $BIN -c "$D/skho.toml" ingest --once >>"$D/runs.log" 2>&1 || left=1
    for b in sk1 sk2; do $BIN -c "$D/$b.toml" drain --ack-wait 2s >>"$D/runs.log" 2>&1 || left=1; done
    [ $left = 0 ] && break
done

cols="id, sale_date, region, product, qty, cost, amt, tax, total"
lost=0; dup=0; rows=0
for b in 1 2; do
    site=sk$b
    l=$(sql -N -e "SELECT COUNT(*) FROM soak_b$b.product_sales s WHERE NOT EXISTS (SELECT 1 FROM soak_ho.product_sales h
        WHERE h.branch_id = '$site' AND (h.id, h.sale_date, h.region, h.product, h.qty, h.cost, h.amt, h.tax, h.total)
                                      = (s.id, s.sale_date, s.region, s.product, s.qty, s.cost, s.amt, s.tax, s.total))")
    x=$(sql -N -e "SELECT COUNT(*) FROM soak_ho.product_sales h WHERE h.branch_id = '$site' AND NOT EXISTS (SELECT 1 FROM soak_b$b.product_sales s
        WHERE (h.id, h.sale_date, h.region, h.product, h.qty, h.cost, h.amt, h.tax, h.total)
            = (s.id, s.sale_date, s.region, s.product, s.qty, s.cost, s.amt, s.tax, s.total))")
    n=$(sql -N -e "SELECT COUNT(*) FROM soak_b$b.product_sales")
    lost=$((lost + l)); dup=$((dup + x)); rows=$((rows + n))
done
printf 'faults injected:'; for k in "${!count[@]}"; do printf ' %s=%s' "$k" "${count[$k]}"; done; echo
echo "rows compared: $rows"
echo "$TRIALS trials, $lost lost, $dup duplicated"
[ "$lost" = 0 ] && [ "$dup" = 0 ]
