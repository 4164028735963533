#!/usr/bin/env bash
# README command 1: a head office and two branches on private MariaDB and RabbitMQ, real sync.
#
# Installs what is missing, builds salesync, starts the servers (scripts/services.sh), makes
# the databases ho, branch1 and branch2 with sample sales, syncs the two branches as two
# concurrent processes, ingests at the head office, then changes and deletes sales and syncs
# again; finally compares every branch with the head office row by row. Safe to re-run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DEMO=${SALESYNC_DEMO_DIR:-$ROOT/.state/demo}

say() { printf '\n== %s\n' "$*"; }

say "servers"
scripts/services.sh up
eval "$(scripts/services.sh env)"

say "build"
if ! command -v swift >/dev/null; then echo "Swift 6 is needed (swift not on PATH)" >&2; exit 1; fi
swift build 2>&1 | tail -1
BIN=$ROOT/.build/debug/salesync
export SALESYNC_BIN=$BIN
sql() { scripts/services.sh mariadb "$@"; }

say "fresh demo databases and queues"
for db in ho branch1 branch2; do sql -e "DROP DATABASE IF EXISTS \`$db\`"; done
for q in salesync.bundles.bo1 salesync.bundles.bo2 salesync.acks.bo1 salesync.acks.bo2; do
    scripts/services.sh rabbitmqctl delete_queue "$q" >/dev/null 2>&1 || true
done
rm -rf "$DEMO/state"
mkdir -p "$DEMO"
for b in 1 2; do
    sql -e "CREATE DATABASE branch$b CHARACTER SET utf8mb4"
    sql branch$b < samples/product_sales.sql
done

say "provision sites (users, grants, keys, configs)"
scripts/provision.sh branch bo1 branch1 "$DEMO" >/dev/null
scripts/provision.sh branch bo2 branch2 "$DEMO" >/dev/null
scripts/provision.sh head-office ho ho "$DEMO" bo1 bo2 >/dev/null
ls "$DEMO"/*.toml

load_sales() { # branch rows seed
    python3 samples/sales.py "$2" "$3" > "$DEMO/sales-$1.tsv"
    sql "branch$1" -e "LOAD DATA INFILE '$DEMO/sales-$1.tsv' INTO TABLE product_sales
        CHARACTER SET utf8mb4 (sale_date, region, product, qty, cost, amt, tax, total)"
}

say "sales before salesync is installed (they arrive through the first snapshot)"
load_sales 1 1500 11
load_sales 2 900 22

say "init"
$BIN -c "$DEMO/ho.toml" init
$BIN -c "$DEMO/bo1.toml" init
$BIN -c "$DEMO/bo2.toml" init

say "more sales after init (captured by triggers)"
load_sales 1 500 12
load_sales 2 700 23

sync_round() {
    # The two branches run at the same time, as two offices would.
    ( $BIN -c "$DEMO/bo1.toml" run --max-duration 5m || [ $? -eq 75 ] ) &
    p1=$!
    ( $BIN -c "$DEMO/bo2.toml" run --max-duration 5m || [ $? -eq 75 ] ) &
    p2=$!
    wait $p1
    wait $p2
    $BIN -c "$DEMO/ho.toml" ingest --once --verbose
    # Back at the branches: collect the acknowledgements.
    $BIN -c "$DEMO/bo1.toml" drain --ack-wait 10s
    $BIN -c "$DEMO/bo2.toml" drain --ack-wait 10s
}

say "sync round 1: two branches in parallel, then the head office"
sync_round

say "a day of corrections: updates, deletes, a key change, new sales"
sql branch1 -e "UPDATE product_sales SET qty = qty + 1, amt = amt + cost, total = total + cost WHERE id % 7 = 0;
                DELETE FROM product_sales WHERE id % 11 = 0;
                UPDATE product_sales SET id = id + 100000 WHERE id = 5;"
sql branch2 -e "DELETE FROM product_sales WHERE region = 'Ost' AND qty < 5;
                UPDATE product_sales SET product = 'Tea sampler (large)' WHERE product = 'Tea sampler';"
load_sales 2 250 24

say "sync round 2"
sync_round

say "status"
$BIN -c "$DEMO/bo1.toml" status
$BIN -c "$DEMO/ho.toml" status

say "summary: the head office against each branch, row by row"
cols="id, sale_date, region, product, qty, cost, amt, tax, total"
ok=1
for b in 1 2; do
    site=bo$b
    n_branch=$(sql -N -e "SELECT COUNT(*) FROM branch$b.product_sales")
    n_ho=$(sql -N -e "SELECT COUNT(*) FROM ho.product_sales WHERE branch_id = '$site'")
    # Rows in one side but not the other, compared on every column.
    diff=$(sql -N -e "SELECT COUNT(*) FROM (
        SELECT $cols FROM branch$b.product_sales
        UNION ALL SELECT $cols FROM ho.product_sales WHERE branch_id = '$site') x
        GROUP BY $cols HAVING COUNT(*) <> 2" | wc -l)
    sum_branch=$(sql -N -e "SELECT SUM(total) FROM branch$b.product_sales")
    sum_ho=$(sql -N -e "SELECT SUM(total) FROM ho.product_sales WHERE branch_id = '$site'")
    verdict="identical"
    if [ "$n_branch" != "$n_ho" ] || [ "$diff" != 0 ]; then verdict="DIFFERENT ($diff rows differ)"; ok=0; fi
    printf '%s: branch %s rows (total %s), head office %s rows (total %s): %s\n' "$site" "$n_branch" "$sum_branch" "$n_ho" "$sum_ho" "$verdict"
done
if [ $ok = 1 ]; then echo "demo OK: the head office holds exactly what each branch holds"; else echo "demo FAILED" >&2; exit 1; fi

say "the web consoles (docs/console.md)"
# One operator at each site, with a password of its own in a 0600 file (never on a command line).
pwfile=$DEMO/secrets/console-password
[ -s "$pwfile" ] || (umask 077; head -c 12 /dev/urandom | base64 | tr -d '/+=\n' > "$pwfile")
$BIN -c "$DEMO/ho.toml" user add manager --role operator < "$pwfile"
$BIN -c "$DEMO/bo1.toml" user add clerk --role operator < "$pwfile"
$BIN -c "$DEMO/bo2.toml" user add clerk --role operator < "$pwfile"
cat <<EOF
Start a console and open it in a browser on this machine:
  head office: $BIN -c $DEMO/ho.toml serve --listen 127.0.0.1:8080    -> http://127.0.0.1:8080  user: manager
  branch bo1:  $BIN -c $DEMO/bo1.toml serve --listen 127.0.0.1:8081   -> http://127.0.0.1:8081  user: clerk
  branch bo2:  $BIN -c $DEMO/bo2.toml serve --listen 127.0.0.1:8082   -> http://127.0.0.1:8082  user: clerk
  password (all three): cat $pwfile
From another machine: ssh -L 8080:127.0.0.1:8080 root@THIS-HOST, then open http://127.0.0.1:8080.
EOF
