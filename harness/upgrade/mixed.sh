#!/usr/bin/env bash
# Mixed versions, as docs/deployment.md ("Upgrades") promises them, on the test servers:
#   1. a head office and a shop on the previous release (harness/upgrade/previous.sh) sync;
#   2. the head office is upgraded (this build, `init`): the shop, still on the previous release,
#      keeps syncing with it (inserts, updates, deletes; acknowledgements understood);
#   3. the reverse: a shop on this build syncs with a head office on the previous release;
#   4. the first shop is upgraded too (`init`) and carries on where it was;
#   5. rolling a shop back after `init`: refused (exit 78, "newer") when this build brought a
#      migration, as the guide says; else the previous release must simply work on.
# Each step ends with the head office holding exactly the shop's rows.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
eval "$("$ROOT/scripts/services.sh" env)"
NEW=${SALESYNC_BIN:-$ROOT/.build/debug/salesync}
OLD=$("$ROOT/harness/upgrade/previous.sh")
TAG="mx$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')"
W=$(mktemp -d)
say() { echo "mixed: $*" >&2; }
sql() { "$ROOT/scripts/services.sh" mariadb "$@"; }
. "$ROOT/harness/compare.sh"
cleanup() {
    for d in ho ho2 b1 b2; do sql -e "DROP DATABASE IF EXISTS \`${TAG}_$d\`" || true; done
    for s in b1 b2; do for q in bundles acks dead downlink; do
        "$ROOT/scripts/services.sh" rabbitmqctl delete_queue "salesync.$q.${TAG}$s" >/dev/null 2>&1 || true
    done; done
    rm -rf "$W"
}
trap cleanup EXIT

# config ROLE SITE DB [EXTRA]: a site's config on the test servers.
config() {
    printf 'role = "%s"\nsite = "%s"\nstate_dir = "%s"\n%s\n[database]\nhost = "%s"\nport = %s\nuser = "%s"\npassword_file = "%s"\nname = "%s"\ntables = ["product_sales"]\n\n[rabbitmq]\nurl = "%s"\npassword_file = "%s"\n' \
        "$1" "$2" "$W/state-$2" "${4:-}" "$SALESYNC_MARIADB_HOST" "$SALESYNC_MARIADB_PORT" "$SALESYNC_MARIADB_USER" \
        "$SALESYNC_MARIADB_PASSWORD_FILE" "$3" "$SALESYNC_RABBIT_URL" "$SALESYNC_RABBIT_PASSWORD_FILE" > "$W/$2.toml"
    chmod 600 "$W/$2.toml"
}
# sell DB N REGION: N sales, a few corrected and voided.
sell() {
    sql "$1" -e "INSERT INTO product_sales (sale_date, region, product, qty, cost, amt, tax, total)
        SELECT DATE_ADD('2026-01-01', INTERVAL seq % 365 DAY), '$3', CONCAT('p', seq % 41), 1 + seq % 5, 2.00, 2.00 * (1 + seq % 5), 0.40, 2.40 * (1 + seq % 5) FROM seq_1_to_$2;
        UPDATE product_sales SET qty = qty + 1 WHERE id % 53 = 0; DELETE FROM product_sales WHERE id % 67 = 0"
}
# sync BRANCH_BIN SITE HO_BIN HO_CONFIG: a window's run, the head office's ingest, the acks back.
sync() {
    "$1" --config "$W/$2.toml" run --max-duration 2m || [ $? -eq 75 ]
    "$3" --config "$4" ingest --once
    "$1" --config "$W/$2.toml" drain --ack-wait 20s
}

PREV=$(basename "$(dirname "$OLD")"); PREV=${PREV%-*}
THIS="$(git -C "$ROOT" describe --tags --always 2>/dev/null || echo HEAD)"
say "previous release: $PREV, this build: $THIS"
for d in ho ho2 b1 b2; do sql -e "CREATE DATABASE \`${TAG}_$d\`"; done
for d in b1 b2; do sql "${TAG}_$d" < "$ROOT/samples/product_sales.sql"; done
k1=$("$OLD" keygen --out "$W/b1.key")
k2=$("$NEW" keygen --out "$W/b2.key")
config branch "${TAG}b1" "${TAG}_b1" "key_file = \"$W/b1.key\""
config branch "${TAG}b2" "${TAG}_b2" "key_file = \"$W/b2.key\""
config head-office ho "${TAG}_ho"
printf '\n[branches.%s]\npublic_key = "%s"\n' "${TAG}b1" "$k1" >> "$W/ho.toml"
config head-office ho2 "${TAG}_ho2"
printf '\n[branches.%s]\npublic_key = "%s"\n' "${TAG}b2" "$k2" >> "$W/ho2.toml"

# day BRANCH_BIN SITE HO_BIN HO_CONFIG HO_DB N REGION: a day's sales at the shop, its sync, and the
# head office holding exactly its rows (checked by the head office's verify --full when on this build).
day() {
    sell "${2/#$TAG/${TAG}_}" "$6" "$7"
    sync "$1" "$2" "$3" "$4"
    if [ "$3" = "$NEW" ]; then "$NEW" --config "$4" verify --full >/dev/null; fi
    say "   in step: $(same_rows "${2/#$TAG/${TAG}_}" "$5" "$2")"
}

say "1. head office and shop on the previous release"
"$OLD" --config "$W/ho.toml" init
"$OLD" --config "$W/${TAG}b1.toml" init
day "$OLD" "${TAG}b1" "$OLD" "$W/ho.toml" "${TAG}_ho" 2000 old

say "2. the head office upgraded; the shop still on the previous release"
"$NEW" --config "$W/ho.toml" init
day "$OLD" "${TAG}b1" "$NEW" "$W/ho.toml" "${TAG}_ho" 700 mixed

say "3. a shop on this build with a head office on the previous release"
"$OLD" --config "$W/ho2.toml" init
"$NEW" --config "$W/${TAG}b2.toml" init
day "$NEW" "${TAG}b2" "$OLD" "$W/ho2.toml" "${TAG}_ho2" 900 newshop
day "$NEW" "${TAG}b2" "$OLD" "$W/ho2.toml" "${TAG}_ho2" 300 newshop2

say "4. the first shop upgraded too"
"$NEW" --config "$W/${TAG}b1.toml" init
day "$NEW" "${TAG}b1" "$NEW" "$W/ho.toml" "${TAG}_ho" 400 upgraded

say "5. the upgraded shop rolled back to the previous release (refused after a migration, else it runs)"
set +e
out=$("$OLD" --config "$W/${TAG}b1.toml" run --max-duration 1m 2>&1); code=$?
set -e
if [ "$code" -eq 0 ] || [ "$code" -eq 75 ]; then
    # The same migrations in both releases: nothing to refuse, and the old binary must still work.
    sync "$OLD" "${TAG}b1" "$NEW" "$W/ho.toml"
    say "   the previous release runs against it (no migration between the releases): $(same_rows "${TAG}_b1" "${TAG}_ho" "${TAG}b1")"
else
    [ "$code" -eq 78 ] && grep -q "newer" <<< "$out" || { say "expected exit 78 naming a newer salesync, got $code: $out"; exit 1; }
    say "   refused (78): ${out##*: }"
fi
echo "mixed versions: $PREV and $THIS in both directions, upgrades in place, exact at every step"
