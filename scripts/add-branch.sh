#!/usr/bin/env bash
# Adds a branch: one command at the branch, one at the head office, scriptable for the 201st.
#
# At the branch (root; MariaDB on this machine; salesync installed):
#   scripts/add-branch.sh branch SITE DATABASE BROKER_URL [CONFIG_DIR]
#     - a MariaDB user salesync_SITE@127.0.0.1 with only the grants salesync needs on DATABASE
#       (password generated into CONFIG_DIR/SITE-db.password, mode 0600);
#     - a broker password (CONFIG_DIR/SITE-mq.password) and the signing key (CONFIG_DIR/SITE.key);
#     - the config CONFIG_DIR/salesync.toml (0600); for an amqps:// BROKER_URL, the head office's
#       CA certificate must be in CONFIG_DIR/ca.pem first (the config names it);
#     - CONFIG_DIR/SITE-enrol.json for the head office: the branch's public key and its broker
#       user's definitions (a salted hash of the password, never the password).
#   It does not run `salesync init` (that needs the broker user the head-office step creates)
#   nor install the schedule: after the head-office step, run `salesync init` at the branch and
#   copy /usr/share/salesync/cron/salesync-branch to /etc/cron.d/ (docs/deployment.md).
# At the head office (root; rabbitmqctl reaches the broker; the config lists the branches):
#   scripts/add-branch.sh head-office SITE-enrol.json [HO_CONFIG]
#     - the broker user, confined to the branch's own exchanges and queues;
#     - [branches.SITE] with its public key, appended to HO_CONFIG (once);
#     - `salesync init` (declares the branch's queues); restart the ingest service to serve it.
# CONFIG_DIR defaults to /etc/salesync, HO_CONFIG to /etc/salesync/salesync.toml. Commands used:
# $SALESYNC (default salesync), $MARIADB (default: mariadb as root), $RABBITMQCTL (default rabbitmqctl).
set -euo pipefail
# rabbit_definitions.py sits beside this script (scripts/ here, /usr/share/salesync/ in the package).
DEFS=$(cd "$(dirname "$0")" && pwd)/rabbit_definitions.py
SALESYNC=${SALESYNC:-salesync}
read -r -a MARIADB <<< "${MARIADB:-mariadb -uroot}"
read -r -a RABBITMQCTL <<< "${RABBITMQCTL:-rabbitmqctl}"
die() { echo "add-branch: $*" >&2; exit 1; }

secret() { [ -s "$1" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=\n' > "$1"); }

branch() {
    local site=$1 db=$2 url=$3 dir=${4:-/etc/salesync}
    [[ $site =~ ^[A-Za-z0-9_-]{1,64}$ ]] || die "SITE: expected 1-64 letters, digits, _ or -, got \"$site\""
    [[ $url =~ ^amqps?:// ]] || die "BROKER_URL: expected amqp://host:port/vhost, got \"$url\""
    local tls=""
    if [[ $url =~ ^amqps:// ]]; then
        [ -s "$dir/ca.pem" ] || die "BROKER_URL is amqps://: copy the head office's CA certificate to $dir/ca.pem first"
        tls="ca_file = \"$dir/ca.pem\""
    fi
    install -d -m 0750 "$dir"
    secret "$dir/$site-db.password"
    secret "$dir/$site-mq.password"
    local user="salesync_$site"
    "${MARIADB[@]}" <<SQL
CREATE USER IF NOT EXISTS '$user'@'127.0.0.1' IDENTIFIED BY '$(cat "$dir/$site-db.password")';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER, TRIGGER, CREATE TEMPORARY TABLES ON \`$db\`.* TO '$user'@'127.0.0.1';
GRANT PROCESS ON *.* TO '$user'@'127.0.0.1';
SQL
    [ -s "$dir/$site.key" ] || "$SALESYNC" keygen --out "$dir/$site.key" > "$dir/$site.pub"
    local port; port=$("${MARIADB[@]}" -N -e "SELECT @@port")
    local host_url; host_url=$(echo "$url" | sed -E "s#^(amqps?://)([^@/]*@)?#\1$user@#")
    (umask 077; cat > "$dir/salesync.toml" <<TOML
# salesync branch $site (scripts/add-branch.sh; every key: /usr/share/doc/salesync/examples/bo1.toml)
role = "branch"
site = "$site"
state_dir = "${SALESYNC_STATE_DIR:-/var/lib/salesync}"
key_file = "$dir/$site.key"

[database]
host = "127.0.0.1"
port = $port
user = "$user"
password_file = "$dir/$site-db.password"
name = "$db"
tables = ["product_sales"]

[rabbitmq]
url = "$host_url"
password_file = "$dir/$site-mq.password"
$tls

[web]
users_file = "$dir/console-users"      # salesync user add NAME --role operator|viewer
TOML
    )
    python3 - "$site" "$(cat "$dir/$site.pub")" "$dir/$site-mq.password" "$DEFS" > "$dir/$site-enrol.json" <<'PY'
import json, subprocess, sys
site, pub, pwfile, defs = sys.argv[1:5]
with open(pwfile) as f:
    d = subprocess.run(["python3", defs, "branch", f"salesync_{site}", "-", site], stdin=f, capture_output=True, text=True, check=True)
print(json.dumps({"site": site, "public_key": pub, "broker": json.loads(d.stdout)}))
PY
    echo "add-branch: branch $site ready; carry $dir/$site-enrol.json to the head office; after its step, run here: salesync init" >&2
    echo "$dir/$site-enrol.json"
}

head_office() {
    local enrol=$1 conf=${2:-/etc/salesync/salesync.toml}
    [ -r "$enrol" ] || die "$enrol: cannot read"
    [ -w "$conf" ] || die "$conf: cannot write the head office's config"
    local site pub
    site=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["site"])' "$enrol")
    pub=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["public_key"])' "$enrol")
    [[ $site =~ ^[A-Za-z0-9_-]{1,64}$ ]] || die "$enrol: bad site \"$site\""
    local defs; defs=$(mktemp); chmod 644 "$defs"
    python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["broker"]))' "$enrol" > "$defs"
    "${RABBITMQCTL[@]}" import_definitions "$defs" >/dev/null
    rm -f "$defs"
    if grep -q "^\[branches\.$site\]" "$conf"; then
        echo "add-branch: $site already in $conf" >&2
    else
        printf '\n[branches.%s]\npublic_key = "%s"\n' "$site" "$pub" >> "$conf"
    fi
    "$SALESYNC" --config "$conf" init
    echo "add-branch: head office serves $site; restart the ingest service (systemctl restart salesync-ingest) to consume its queue" >&2
}

case "${1:-}" in
    branch) shift; [ $# -ge 3 ] || die "usage: add-branch.sh branch SITE DATABASE BROKER_URL [CONFIG_DIR]"; branch "$@" ;;
    head-office) shift; [ $# -ge 1 ] || die "usage: add-branch.sh head-office SITE-enrol.json [HO_CONFIG]"; head_office "$@" ;;
    *) die "usage: add-branch.sh branch SITE DATABASE BROKER_URL [CONFIG_DIR] | head-office SITE-enrol.json [HO_CONFIG]" ;;
esac
