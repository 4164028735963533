#!/usr/bin/env bash
# The cost of capture at the till, by capture mode, on one private MariaDB started for the run
# with its binary log on (ROW, binlog_row_metadata = FULL, sync_binlog = 1: what a binlog capture
# would need to lose nothing on a power cut) and innodb_flush_log_at_trx_commit = 1:
#   off       the table alone, the session not binlogged (SET sql_log_bin = 0): the baseline;
#   triggers  salesync's capture triggers (`salesync init`), not binlogged;
#   compare   the table set up by `salesync init` with `[capture] mode = "compare"`, not binlogged:
#             nothing of salesync's on the till's path (each export compares the table instead);
#   binlog    the table alone, binlogged: what `[capture] mode = "binlog"` costs the till (it adds
#             nothing to a write but the binary log itself, which salesync reads at export time);
#   binlog0   the same with sync_binlog = 0: a power cut may then lose the log's last transactions
#             although InnoDB kept them, so a capture from it would have to find and repair that
#             (not built: shown for what such a capture could cost).
# Writes: N autocommit single-row INSERTs, UPDATEs and DELETEs through one client connection,
# and a bulk LOAD DATA of M rows; each mode REPEAT times, interleaved, medians reported.
#
#   bench/capture.sh [N] [M] [REPEAT]       (no other server needed: `init --offline` contacts no broker)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
N=${1:-5000} M=${2:-200000} REPEAT=${3:-3}
BIN=${SALESYNC_BIN:-$ROOT/.build/release/salesync}
OUT=${SALESYNC_BENCH_OUT:-$ROOT/bench/results/capture-LATEST.md}
W=$(mktemp -d /tmp/salesync-capture.XXXXXX)
SOCK=$W/mariadb.sock
cleanup() { [ -f "$W/pid" ] && kill "$(cat "$W/pid")" 2>/dev/null; sleep 1; rm -rf "$W"; }
trap cleanup EXIT
sql() { mariadb --protocol=socket -S "$SOCK" -uroot "$@"; }
now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN{printf "%.3f", a-b}'; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

mariadb-install-db --user=root --datadir="$W/data" --auth-root-authentication-method=normal --skip-test-db > "$W/install.log" 2>&1
mariadbd --no-defaults --user=root --datadir="$W/data" --socket="$SOCK" --skip-networking \
    --pid-file="$W/pid" --log-error="$W/error.log" --secure-file-priv="$W" --innodb-buffer-pool-size=512M \
    --innodb-log-file-size=256M --innodb-flush-log-at-trx-commit=1 --log-bin="$W/binlog" --binlog-format=ROW \
    --binlog-row-image=FULL --binlog-row-metadata=FULL --sync-binlog=1 --server-id=1 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_bin > /dev/null 2>&1 &
# Its socket only (no TCP port to collide with another server on this machine).
for _ in $(seq 1 120); do sql -e 'SELECT 1' > /dev/null 2>&1 && break; sleep 0.5; done
sql -e 'SELECT 1' > /dev/null 2>&1 || { echo "capture: the private MariaDB did not start:" >&2; tail -5 "$W/error.log" >&2; exit 1; }

python3 - "$W" "$N" "$M" <<'PY'
import sys
d, n, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(f"{d}/insert.sql", "w") as f:
    for i in range(1, n + 1):
        f.write(f"INSERT INTO product_sales (id, sale_date, region, product, qty, cost, amt, tax, total) VALUES "
                f"({i}, '2026-11-26', 'Till', 'Item {i % 97}', {1 + i % 9}, 2.50, {2.5 * (1 + i % 9):.2f}, 0.18, 1.00);\n")
with open(f"{d}/update.sql", "w") as f:
    for i in range(1, n + 1):
        f.write(f"UPDATE product_sales SET qty = qty + 1, amt = amt + 2.50 WHERE id = {i};\n")
with open(f"{d}/delete.sql", "w") as f:
    for i in range(1, n + 1):
        f.write(f"DELETE FROM product_sales WHERE id = {i};\n")
with open(f"{d}/bulk.tsv", "w") as f:
    for i in range(n + 1, n + m + 1):
        f.write(f"{i}\t2026-11-{1 + i % 28:02d}\tNorth\tItem {i % 211}\t{1 + i % 9}\t2.50\t{2.5 * (1 + i % 9):.2f}\t0.18\t1.00\n")
PY

# The triggers' database gets salesync's capture from `salesync init` itself.
sql -e "CREATE DATABASE cap_off; CREATE DATABASE cap_triggers; CREATE DATABASE cap_compare; CREATE DATABASE cap_binlog; CREATE DATABASE cap_binlog0; CREATE DATABASE cap_floor"
for db in cap_off cap_triggers cap_compare cap_binlog cap_binlog0 cap_floor; do sql "$db" < samples/product_sales.sql; done
# The floor of any trigger-based capture: triggers that do nothing (no log row, no hash).
for op in INSERT UPDATE DELETE; do
    sql cap_floor -e "CREATE TRIGGER floor_${op,,} AFTER $op ON product_sales FOR EACH ROW SET @salesync_floor = 1"
done
printf 'role = "branch"\nsite = "capbench"\nstate_dir = "%s/state"\nkey_file = "%s/key"\n[database]\nsocket = "%s"\nuser = "root"\nname = "cap_triggers"\ntables = ["product_sales"]\n[rabbitmq]\nurl = "%s"\npassword_file = "%s"\n' \
    "$W" "$W" "$SOCK" "amqp://salesync@127.0.0.1:1/" "$W/rabbit.password" > "$W/branch.toml"
chmod 600 "$W/branch.toml"
"$BIN" keygen --out "$W/key" > /dev/null
(umask 077; echo unused > "$W/rabbit.password")   # never read: nothing here contacts a broker
sed -e 's/cap_triggers/cap_compare/' -e 's/capbench/capcompare/' -e "s|$W/state|$W/state-compare|" "$W/branch.toml" > "$W/compare.toml"
printf '[capture]\nmode = "compare"\n' >> "$W/compare.toml"
chmod 600 "$W/compare.toml"
for c in branch compare; do
    "$BIN" --config "$W/$c.toml" init --offline > /dev/null
    "$BIN" --config "$W/$c.toml" export > /dev/null   # the empty table's snapshot: later changes go through the log
done

# Each mode starts on a quiet server: InnoDB's purge of the rows just deleted, and its flushing
# of the pages they dirtied, would otherwise run beside the next mode's writes (and its flushes).
quiesce() {
    sql -e "SET GLOBAL innodb_max_purge_lag_wait = 0; SET GLOBAL innodb_max_dirty_pages_pct = 0"
    for _ in $(seq 1 300); do
        [ "$(sql -N -e "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'" | cut -f2)" = 0 ] && break
        sleep 0.1
    done
    sql -e "SET GLOBAL innodb_max_dirty_pages_pct = 90"
}
declare -A T
for r in $(seq 1 "$REPEAT"); do
    for mode in off triggers compare binlog binlog0 floor; do
        db=cap_$mode
        logbin=$([[ "$mode" == binlog* ]] && echo 1 || echo 0)
        sql -e "SET GLOBAL sync_binlog = $([ "$mode" = binlog0 ] && echo 0 || echo 1)"
        for op in insert update delete; do
            s=$(now); { echo "SET sql_log_bin = $logbin;"; cat "$W/$op.sql"; } | sql "$db"; T[$mode.$op]+="$(since "$s") "
        done
        s=$(now)
        sql "$db" -e "SET sql_log_bin = $logbin; LOAD DATA INFILE '$W/bulk.tsv' INTO TABLE product_sales CHARACTER SET utf8mb4"
        T[$mode.bulk]+="$(since "$s") "
        sql "$db" -e "SET sql_log_bin = $logbin; DELETE FROM product_sales"   # the next repetition starts empty
        [ "$mode" = triggers ] && "$BIN" --config "$W/branch.toml" export > /dev/null   # the log consumed, as each night
        [ "$mode" = compare ] && "$BIN" --config "$W/compare.toml" export > /dev/null
        quiesce
    done
done
med() { tr ' ' '\n' <<< "${T[$1]}" | grep . | median; }
{
    echo "# Capture at the till, by mode ($(date -u '+%Y-%m-%d %H:%M UTC'); $N single-row writes, $M-row LOAD DATA, median of $REPEAT)"
    echo
    echo "One MariaDB $(sql -N -e 'SELECT VERSION()'), innodb_flush_log_at_trx_commit = 1, binary log on with sync_binlog = 1 (ROW, FULL);"
    echo "\`triggers\` is \`[capture] mode = \"triggers\"\`, \`compare\` is \`mode = \"compare\"\` (no trigger; the table is compared at export),"
    echo "\`binlog\` what \`mode = \"binlog\"\` costs the till (no trigger; the log is read at export);"
    echo "\`off\`, \`triggers\`, \`compare\` and \`empty triggers\` run with sql_log_bin = 0, \`binlog\` with it on; \`empty triggers\`"
    echo "do nothing (SET @x = 1): the floor of any capture by triggers, whatever they write. \`binlog, sync 0\` is"
    echo "\`binlog\` with sync_binlog = 0, which a power cut can leave short of what InnoDB kept (salesync refuses it)."
    echo
    echo "| writes | off (s) | triggers (s) | compare (s) | binlog (s) | binlog, sync 0 (s) | empty triggers (s) | triggers / off | compare / off | binlog / off | binlog, sync 0 / off | empty triggers / off | target | triggers' cost per row (µs) |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    for op in insert update delete bulk; do
        o=$(med off.$op) t=$(med triggers.$op) c=$(med compare.$op) b=$(med binlog.$op) b0=$(med binlog0.$op) e=$(med floor.$op)
        label=$([ $op = bulk ] && echo "LOAD DATA of $M rows" || echo "$N autocommit single-row ${op^^}s")
        target=$([ $op = bulk ] && echo "≤ 1.5" || echo "≤ 1.10")
        rows=$([ $op = bulk ] && echo "$M" || echo "$N")
        awk -v l="$label" -v o="$o" -v t="$t" -v c="$c" -v b="$b" -v b0="$b0" -v e="$e" -v g="$target" -v n="$rows" \
            'BEGIN { printf "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %.1f |\n", l, o, t, c, b, b0, e, t/o, c/o, b/o, b0/o, e/o, g, (t-o)*1e6/n }'
    done
    echo
    # The ratio is the triggers' cost over the write's own, most of which is the commit's flush:
    # the same triggers weigh less on a disk that flushes slower than this one.
    awk -v o="$(med off.insert)" -v n="$N" 'BEGIN { printf "Without capture a single-row autocommit write took %.0f µs here (its commit flushed included).\n", o*1e6/n }'
} | tee "$OUT"
