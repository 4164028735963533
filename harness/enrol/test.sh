#!/usr/bin/env bash
# scripts/add-branch.sh end to end on the test servers: a head office already serving one branch
# takes a new one with one command at each end; the new branch then syncs and the head office
# holds exactly its rows. Also: the branch's broker user reaches its own queues only.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
eval "$("$ROOT/scripts/services.sh" env)"
BIN=${SALESYNC_BIN:-$ROOT/.build/debug/salesync}
TAG="en$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')"
W=$(mktemp -d)
sql() { "$ROOT/scripts/services.sh" mariadb "$@"; }
cleanup() {
    sql -e "DROP DATABASE IF EXISTS \`${TAG}_b\`; DROP DATABASE IF EXISTS \`${TAG}_ho\`; DROP USER IF EXISTS 'salesync_${TAG}b'@'127.0.0.1'" || true
    "$ROOT/scripts/services.sh" rabbitmqctl delete_user "salesync_${TAG}b" >/dev/null 2>&1 || true
    for q in bundles acks dead; do "$ROOT/scripts/services.sh" rabbitmqctl delete_queue "salesync.$q.${TAG}b" >/dev/null 2>&1 || true; done
    rm -rf "$W"
}
trap cleanup EXIT
export SALESYNC=$BIN MARIADB="$ROOT/scripts/services.sh mariadb" RABBITMQCTL="$ROOT/scripts/services.sh rabbitmqctl"

# A head office serving one branch already (its key only: it need not exist).
sql -e "CREATE DATABASE \`${TAG}_ho\`; CREATE DATABASE \`${TAG}_b\`"
sql "${TAG}_b" < "$ROOT/samples/product_sales.sql"
pre=$("$BIN" keygen --out "$W/pre.key")
cat > "$W/ho.toml" <<TOML
role = "head-office"
site = "ho"
state_dir = "$W/ho-state"
[database]
host = "127.0.0.1"
port = $SALESYNC_MARIADB_PORT
user = "$SALESYNC_MARIADB_USER"
password_file = "$SALESYNC_MARIADB_PASSWORD_FILE"
name = "${TAG}_ho"
tables = ["product_sales"]
[rabbitmq]
url = "$SALESYNC_RABBIT_URL"
password_file = "$SALESYNC_RABBIT_PASSWORD_FILE"

[branches.${TAG}pre]
public_key = "$pre"
TOML
chmod 600 "$W/ho.toml"
"$BIN" --config "$W/ho.toml" init

# One command at the branch, one at the head office.
enrol=$(SALESYNC_STATE_DIR="$W/branch-state" bash "$ROOT/scripts/add-branch.sh" branch "${TAG}b" "${TAG}_b" "$SALESYNC_RABBIT_URL" "$W/etc")
bash "$ROOT/scripts/add-branch.sh" head-office "$enrol" "$W/ho.toml"
grep -q "^\[branches\.${TAG}b\]" "$W/ho.toml"
[ "$(stat -c %a "$W/etc/salesync.toml")" = 600 ]
if grep -rq "$(cat "$W/etc/${TAG}b-mq.password")" "$enrol"; then echo "the enrolment file carries the broker password" >&2; exit 1; fi

# The new branch syncs through its own least-privilege users.
B="$W/etc/salesync.toml"
"$BIN" --config "$B" init
sql "${TAG}_b" -e "INSERT INTO product_sales (sale_date, region, product, qty, cost, amt, tax, total)
    SELECT DATE_ADD('2026-01-01', INTERVAL seq % 365 DAY), 'East', CONCAT('p', seq % 31), 1 + seq % 7, 1.25, 1.25 * (1 + seq % 7), 0.25, 1.50 * (1 + seq % 7) FROM seq_1_to_3000"
"$BIN" --config "$B" run || [ $? -eq 75 ]
"$BIN" --config "$W/ho.toml" ingest --once
"$BIN" --config "$B" drain --ack-wait 20s
. "$ROOT/harness/compare.sh"
b=$(same_rows "${TAG}_b" "${TAG}_ho" "${TAG}b")
echo "add-branch: enrolled ${TAG}b with one command at each end; synced, head office matches ($b)"
