#!/usr/bin/env bash
# A plain `salesync export` (USB, or by hand) in the steady state, day after day, against
# `mariadb-dump | gzip -6` of the same rows (#25): each day's sales are loaded with capture on,
# then exported. Since an export deletes the change-log entries earlier exports read beside its
# own work (on a connection of its own) and leaves its own to the next one, the clean-up overlaps
# the export instead of adding to it; day 2's export is the one that pays for it.
#
#   bash bench/plain-export.sh [ROWS] [REPEATS]      (release build; default 1,000,000 rows, 3 repeats)
#   CAPTURE_MODE=binlog bash bench/plain-export.sh   the same with `[capture] mode = "binlog"`: the
#                                                    export reads the day from the binary log first
#   CAPTURE_MODE=compare bash bench/plain-export.sh  with `mode = "compare"`: the export compares the
#                                                    whole table with what it last exported
# A last, quiet day (1,000 corrections in the table of two days' rows) shows what an export costs
# when little changed: with triggers or the binary log it reads the changes, comparing reads the table.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
ROWS=${1:-1000000} REPEATS=${2:-3} MODE=${CAPTURE_MODE:-triggers}
scripts/services.sh up >/dev/null
eval "$(scripts/services.sh env)"
BIN=${SALESYNC_BIN:-$ROOT/.build/release/salesync}
[ -x "$BIN" ] || swift build -c release --static-swift-stdlib --product salesync >/dev/null
W=$SALESYNC_STATE/bench-plain; rm -rf "$W"; mkdir -p "$W"
GEN=$ROOT/../shared/bench/gen_sales.py
[ -f "$GEN" ] || GEN=$ROOT/samples/sales.py
python3 "$GEN" "$ROWS" > "$W/sales.tsv"
sql() { scripts/services.sh mariadb "$@"; }
now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN{printf "%.3f", a-b}'; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
load() { sql "$1" -e "LOAD DATA INFILE '$W/sales.tsv' INTO TABLE product_sales CHARACTER SET utf8mb4 (sale_date, region, product, qty, cost, amt, tax, total)"; }

# The baseline: the same rows in a table of their own, dumped and compressed.
sql -e "DROP DATABASE IF EXISTS plain_dump; CREATE DATABASE plain_dump"; sql plain_dump < samples/product_sales.sql; load plain_dump
for _ in $(seq "$REPEATS"); do
    s=$(now)
    mariadb-dump --protocol=socket -S "$SALESYNC_MARIADB_SOCKET" -uroot --no-create-info --skip-comments plain_dump product_sales | gzip -6 > "$W/dump.gz"
    since "$s" >> "$W/dump.t"; echo >> "$W/dump.t"
done

for _ in $(seq "$REPEATS"); do
    sql -e "DROP DATABASE IF EXISTS plain_cap; CREATE DATABASE plain_cap"; sql plain_cap < samples/product_sales.sql
    scripts/services.sh rabbitmqctl delete_queue salesync.bundles.plain >/dev/null 2>&1 || true
    scripts/provision.sh branch plain plain_cap "$W/sites" >/dev/null
    [ "$MODE" = triggers ] || printf '\n[capture]\nmode = "%s"\n' "$MODE" >> "$W/sites/plain.toml"
    [ "$MODE" = binlog ] && sql -e "GRANT REPLICATION SLAVE ON *.* TO 'salesync_plain'@'127.0.0.1'"
    rm -rf "$W/sites/state/plain"
    "$BIN" -c "$W/sites/plain.toml" init >/dev/null
    "$BIN" -c "$W/sites/plain.toml" export >/dev/null                 # the empty table's snapshot
    load plain_cap
    s=$(now); "$BIN" -c "$W/sites/plain.toml" export; since "$s" >> "$W/day1.t"; echo >> "$W/day1.t"
    load plain_cap
    left=$(sql -N plain_cap -e "SELECT COUNT(*) FROM salesync_log_1")   # none when comparing: nothing goes through the log
    s=$(now); "$BIN" -c "$W/sites/plain.toml" export; since "$s" >> "$W/day2.t"; echo >> "$W/day2.t"
    after=$(sql -N plain_cap -e "SELECT COUNT(*) FROM salesync_log_1")
    echo "log entries before day 2's export: $left; after it: $after (day 2's own)" >&2
    # Nothing new: this export only deletes day 2's entries (what the clean-up alone costs).
    s=$(now); "$BIN" -c "$W/sites/plain.toml" export; since "$s" >> "$W/prune.t"; echo >> "$W/prune.t"
    sql plain_cap -e "UPDATE product_sales SET qty = qty + 1 WHERE id % 2000 = 0 LIMIT 1000"
    s=$(now); "$BIN" -c "$W/sites/plain.toml" export; since "$s" >> "$W/quiet.t"; echo >> "$W/quiet.t"
done
td=$(median < "$W/dump.t") t1=$(median < "$W/day1.t") t2=$(median < "$W/day2.t") tp=$(median < "$W/prune.t") tq=$(median < "$W/quiet.t")
awk -v r="$ROWS" -v td="$td" -v t1="$t1" -v t2="$t2" -v tp="$tp" -v tq="$tq" -v mode="$MODE" 'BEGIN {
    printf "Capture mode: %s.\n\n", mode
    printf "| figure | salesync rows/s | `mariadb-dump \\| gzip -6` rows/s | ratio | target |\n|---|---|---|---|---|\n"
    if (mode == "compare") {
        # Nothing goes through the change log: no entries to delete, the table is read instead.
        printf "| plain `export`, first day (comparing the table of %\047d rows) | %\047d | %\047d | %.2f | |\n", r, r/t1, r/td, td/t1
        printf "| plain `export`, next day (comparing the table of %\047d rows) | %\047d | %\047d | %.2f | ≥ 1.0 |\n", 2 * r, r/t2, r/td, td/t2
        printf "\nMedians of %s run(s), %\047d rows a day: dump|gzip %.2f s, day 1 %.2f s, day 2 %.2f s, an export with nothing new %.2f s;\n", "'"$REPEATS"'", r, td, t1, t2, tp
    } else {
        printf "| plain `export`, first day (nothing earlier to delete) | %\047d | %\047d | %.2f | |\n", r/t1, r/td, td/t1
        printf "| plain `export`, next day (deleting the previous day'\''s %\047d entries beside it) | %\047d | %\047d | %.2f | ≥ 1.0 |\n", r, r/t2, r/td, td/t2
        printf "| the same, had the export deleted its entries after itself (day 1 + deleting %\047d entries alone) | %\047d | %\047d | %.2f | |\n", r, r/(t1+tp), r/td, td/(t1+tp)
        printf "\nMedians of %s run(s), %\047d rows a day: dump|gzip %.2f s, day 1 %.2f s, day 2 %.2f s, deleting a day of entries alone %.2f s;\n", "'"$REPEATS"'", r, td, t1, t2, tp
    }
    printf "a quiet day (1,000 corrections among %\047d rows): %.2f s.\n", 2 * r, tq
}'
