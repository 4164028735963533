#!/usr/bin/env bash
# The steady state (#16), run by bench/run.sh after its own figures: a branch's daily export
# through the change log, the cost of capture at the till (by mode: bench/capture.sh), bytes per row on other shapes of
# data, and a day's round trip. Prints a markdown section; every figure has its baseline from
# this same run.
#
#   bench/steady.sh ROWS TSV WORKDIR BIN
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
ROWS=$1 TSV=$2 W=$3 BIN=$4
eval "$(scripts/services.sh env)"
export SALESYNC_BIN=$BIN
sql() { scripts/services.sh mariadb "$@"; }
now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN{printf "%.3f", a-b}'; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
COLS="(sale_date, region, product, qty, cost, amt, tax, total)"
S=$W/steady; rm -rf "$S"; mkdir -p "$S"
fresh_site() { # site database role [branches...]: empty database with the table, provisioned and initialised
    local site=$1 db=$2 role=$3; shift 3
    sql -e "DROP DATABASE IF EXISTS \`$db\`; CREATE DATABASE \`$db\`"
    [ "$role" = branch ] && sql "$db" < samples/product_sales.sql
    for q in salesync.bundles.$site salesync.acks.$site; do scripts/services.sh rabbitmqctl delete_queue "$q" >/dev/null 2>&1 || true; done
    scripts/provision.sh "$role" "$site" "$db" "$S/sites" "$@" >/dev/null
}

# 1. Capture at the till, bulk: LOAD DATA of the rows with capture on and off.
echo "steady state: LOAD DATA with and without capture" >&2
fresh_site steady steady_cap branch
$BIN -c "$S/sites/steady.toml" init >/dev/null
$BIN -c "$S/sites/steady.toml" export >/dev/null   # the empty table's snapshot: later exports read the log
sql -e "DROP DATABASE IF EXISTS steady_plain; CREATE DATABASE steady_plain"; sql steady_plain < samples/product_sales.sql
s=$(now); sql steady_plain -e "LOAD DATA INFILE '$TSV' INTO TABLE product_sales CHARACTER SET utf8mb4 $COLS"; t_load_plain=$(since "$s")
s=$(now); sql steady_cap -e "LOAD DATA INFILE '$TSV' INTO TABLE product_sales CHARACTER SET utf8mb4 $COLS"; t_load_cap=$(since "$s")

# 2. The incremental export of those rows (change log, pruning included), against the snapshot
#    export and mariadb-dump | gzip -6 of the same rows.
echo "steady state: incremental export" >&2
/usr/bin/time -f "%e %M" -o "$S/inc.time" "$BIN" -c "$S/sites/steady.toml" export --defer-prune
read -r t_inc m_inc < "$S/inc.time"
b_inc=$(cat "$S/sites/state/steady/outbox/"*.ssb | wc -c)
s=$(now); "$BIN" -c "$S/sites/steady.toml" export; t_prune=$(since "$s")   # nothing new: deletes the exported entries
rm -f "$S/sites/state/steady/outbox/"*.ssb; sql steady_cap -e "DELETE FROM salesync_bundles"
/usr/bin/time -f "%e %M" -o "$S/snap.time" "$BIN" -c "$S/sites/steady.toml" export --snapshot
read -r t_snap _ < "$S/snap.time"
s=$(now)
mariadb-dump --protocol=socket -S "$SALESYNC_MARIADB_SOCKET" -uroot --no-create-info --skip-comments steady_cap product_sales | gzip -6 > "$S/dump.gz"
t_dump=$(since "$s")

# 2b. The same day with `[capture] mode = "compare"`: the load as the till runs it (nothing of
#     salesync's on its path), then the export that compares the table with what it last exported;
#     then a quiet day (1,000 corrections) on the same table.
echo "steady state: the same day, comparing" >&2
fresh_site steadycmp steady_cmp branch
printf '\n[capture]\nmode = "compare"\n' >> "$S/sites/steadycmp.toml"
$BIN -c "$S/sites/steadycmp.toml" init >/dev/null
$BIN -c "$S/sites/steadycmp.toml" export >/dev/null
s=$(now); sql steady_cmp -e "LOAD DATA INFILE '$TSV' INTO TABLE product_sales CHARACTER SET utf8mb4 $COLS"; t_load_cmp=$(since "$s")
/usr/bin/time -f "%e %M" -o "$S/cmp.time" "$BIN" -c "$S/sites/steadycmp.toml" export > /dev/null
read -r t_cmp m_cmp < "$S/cmp.time"
sql steady_cmp -e "UPDATE product_sales SET qty = qty + 1 WHERE id % 100 = 0 LIMIT 1000"
s=$(now); "$BIN" -c "$S/sites/steadycmp.toml" export > /dev/null; t_cmp_quiet=$(since "$s")
sql -e "DROP DATABASE steady_cmp"

# 3. Capture at the till by mode (triggers, binary log), single-row writes and a bulk load:
#    bench/capture.sh, on a private server of its own with the binary log on.
echo "steady state: capture at the till by mode" >&2
if [ "$ROWS" -lt 100000 ]; then CAP=(1000 "$ROWS" 1); else CAP=(5000 200000 3); fi
SALESYNC_BENCH_OUT="$S/capture.md" bash bench/capture.sh "${CAP[@]}" > /dev/null

# 4. Bytes per row on other shapes of data, against the same rows as TSV under gzip, zstd, xz.
echo "steady state: bytes per row on other shapes" >&2
SROWS=$(( ROWS < 500000 ? ROWS : 500000 ))
shape_line() { # name tsv bundle-bytes rows [cached sizes file]
    local gz zs xzb
    if [ -s "${5:-}" ]; then read -r gz zs xzb < "$5"
    else gz=$(gzip -6 -c "$2" | wc -c); zs=$(zstd -19 -q -c "$2" | wc -c); xzb=$(xz -6 -c "$2" | wc -c); fi
    echo "$1 $4 $(stat -c %s "$2") $gz $zs $xzb $3"
}
{
    # (bench/run.sh has compressed this TSV already)
    shape_line "shared generator" "$TSV" "$(stat -c %s "$S/sites/state/steady/outbox/"*.ssb | awk '{s+=$1} END {print s}')" "$ROWS" \
        "${SALESYNC_BENCH_SIZES:-}"
    for shape in catalog notes shop; do
        python3 bench/shapes.py "$shape" "$SROWS" > "$S/$shape.tsv"
        fresh_site "shape$shape" "steady_$shape" branch
        sql "steady_$shape" < samples/shapes.sql
        sed -i "s/^tables = .*/tables = [\"sales_$shape\"]/" "$S/sites/shape$shape.toml"
        cols=$(python3 -c "print({'catalog': '(sale_date, store, product, qty, price, discount, amount, vat)', 'notes': '(sold_at, customer, note, card, grams, price_per_kg, total)', 'shop': '(sale_date, product, price, qty, amount, tax_rate, tax, total)'}['$shape'])")
        sql "steady_$shape" -e "LOAD DATA INFILE '$S/$shape.tsv' INTO TABLE sales_$shape CHARACTER SET utf8mb4 $cols"
        $BIN -c "$S/sites/shape$shape.toml" init >/dev/null
        $BIN -c "$S/sites/shape$shape.toml" export
        shape_line "$shape" "$S/$shape.tsv" "$(cat "$S/sites/state/shape$shape/outbox/"*.ssb | wc -c)" "$SROWS"
        sql -e "DROP DATABASE steady_$shape"
    done
} > "$S/shapes.txt"

# 5. A day's round trip: the head office's ingest service running, `run --ack-wait 30s` for a
#    5,000-row delta until it returns with the acknowledgement (median of 5).
echo "steady state: round trip" >&2
fresh_site steadyrt steady_rt branch
fresh_site steadyho steady_ho head-office steadyrt
$BIN -c "$S/sites/steadyho.toml" init >/dev/null; $BIN -c "$S/sites/steadyrt.toml" init >/dev/null
$BIN -c "$S/sites/steadyrt.toml" run --ack-wait 30s >/dev/null 2>&1 || true
$BIN -c "$S/sites/steadyho.toml" ingest > "$S/ingest.log" 2>&1 & HO=$!
trap 'kill $HO 2>/dev/null || true' EXIT
sleep 1
RT=()
for i in 1 2 3 4 5; do
    sql steady_rt -e "INSERT INTO product_sales (sale_date, region, product, qty, cost, amt, tax, total)
        SELECT '2026-11-26', 'RT', CONCAT('P', seq % 50), 1 + seq % 9, 2.50, 2.50 * (1 + seq % 9), 0.18, 1.00 FROM seq_1_to_5000"
    s=$(now); $BIN -c "$S/sites/steadyrt.toml" run --ack-wait 30s; RT+=("$(since "$s")")
done
kill $HO; wait $HO 2>/dev/null || true
n_ho=$(sql -N -e "SELECT COUNT(*) FROM steady_ho.product_sales")
[ "$n_ho" = 25000 ] || { echo "round trip check failed: $n_ho rows at the head office, expected 25000" >&2; exit 1; }
t_rt=$(printf '%s\n' "${RT[@]}" | median)

python3 - "$ROWS" "$t_load_plain" "$t_load_cap" "$t_inc" "$m_inc" "$b_inc" "$t_snap" "$t_dump" \
    "$t_rt" "$S/shapes.txt" "$t_prune" "$t_load_cmp" "$t_cmp" "$m_cmp" "$t_cmp_quiet" <<'PY'
import sys
a = sys.argv[1:]
rows = int(a[0]); f = float
lp, lc, ti, mi, bi, ts, td = f(a[1]), f(a[2]), f(a[3]), int(a[4]), int(a[5]), f(a[6]), f(a[7])
rt, shapes, tp = f(a[8]), a[9], f(a[10])
lcmp, tcmp, mcmp, tq = f(a[11]), f(a[12]), int(a[13]), f(a[14])
rps = lambda t: rows / max(t, 1e-9)
print(f"Steady state: {rows:,} sales written after `salesync init` (capture on), then the daily export.\n")
print("| figure | salesync | baseline | ratio | target |")
print("|---|---|---|---|---|")
print(f"| incremental export rows/s (vs `mariadb-dump \\| gzip -6` of the same rows) | {rps(ti):,.0f} | {rps(td):,.0f} | {rps(ti)/rps(td):.2f} | ≥ 1.0 |")
print(f"| the same, with deleting the exported change-log entries (`export` without `--defer-prune`) | {rps(ti + tp):,.0f} | {rps(td):,.0f} | {rps(ti + tp)/rps(td):.2f} | |")
print(f"| incremental export rows/s (vs the snapshot export of the same rows) | {rps(ti):,.0f} | {rps(ts):,.0f} | {rps(ti)/rps(ts):.2f} | ≥ 1.0 |")
print(f"| incremental export peak RSS (MB) | {mi/1024:.0f} | | | ≤ 100 |")
print(f"| `LOAD DATA` of {rows:,} rows, capture on (s; vs capture off) | {lc:.2f} | {lp:.2f} | {lc/lp:.2f} | ≤ 1.5 |")
print(f"| `mode = \"compare\"`: `LOAD DATA` of {rows:,} rows (s; vs no salesync) | {lcmp:.2f} | {lp:.2f} | {lcmp/lp:.2f} | ≤ 1.5 |")
print(f"| `mode = \"compare\"`: export rows/s, comparing the table (vs `mariadb-dump \\| gzip -6` of the same rows) | {rps(tcmp):,.0f} | {rps(td):,.0f} | {rps(tcmp)/rps(td):.2f} | ≥ 1.0 |")
print(f"| `mode = \"compare\"`: export peak RSS (MB) | {mcmp/1024:.0f} | | | ≤ 100 |")
print(f"| `mode = \"compare\"`: a quiet day's export, 1,000 corrections among {rows:,} rows (s) | {tq:.2f} | | | |")
print(f"| a day's round trip: `run --ack-wait 30s`, 5,000-row delta, ingest service running (s, median of 5) | {rt:.2f} | | | ≤ 0.3 |")
print("\nBytes per row on three shapes of data (bundles of a first export; TSV of the same rows without the key):\n")
print("| data | rows | raw TSV | gzip -6 | zstd -19 | xz -6 | salesync | salesync / xz |")
print("|---|---|---|---|---|---|---|---|")
for line in open(shapes):
    *name, r, raw, gz, zs, xz, sb = line.split()
    r = int(r); b = lambda x: int(x) / r
    print(f"| {' '.join(name)} | {r:,} | {b(raw):.2f} | {b(gz):.2f} | {b(zs):.2f} | {b(xz):.2f} | {b(sb):.2f} | {int(sb)/int(xz):.2f} |")
print(f"\nTimes (s): incremental export {ti:.2f} (`export --defer-prune`; `run` deletes the log entries beside its drain), deleting them {tp:.2f}, snapshot export {ts:.2f}, mariadb-dump|gzip {td:.2f}; bundle bytes of the incremental export {bi:,}.")
PY
echo; tail -n +3 "$S/capture.md"
sql -e "DROP DATABASE IF EXISTS steady_cap; DROP DATABASE IF EXISTS steady_plain; DROP DATABASE IF EXISTS steady_rt; DROP DATABASE IF EXISTS steady_ho"
