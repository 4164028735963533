#!/usr/bin/env bash
# Sets up one salesync site against the private servers of scripts/services.sh: a database,
# a MariaDB user with only the grants salesync needs, a RabbitMQ user confined to the site's own
# queues, a signing key (branches), secrets in 0600 files, and a config file.
#
#   scripts/provision.sh branch SITE DATABASE DIR
#   scripts/provision.sh head-office SITE DATABASE DIR BRANCH...
#
# DIR receives SITE.toml, SITE.key (branches) and secrets/. A head office reads each branch's
# public key from DIR/BRANCH.pub, so provision branches first. Idempotent: re-running keeps keys.
# The same steps, by hand, are in README.md ("Deploying").
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVICES=$ROOT/scripts/services.sh
eval "$("$SERVICES" env)"
SALESYNC=${SALESYNC_BIN:-$ROOT/.build/debug/salesync}

role=$1 site=$2 database=$3 dir=$4
shift 4
mkdir -p "$dir/secrets" "$dir/state"
chmod 700 "$dir/secrets"
secret() {
    local f=$dir/secrets/$1
    [ -s "$f" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=\n' > "$f")
    echo "$f"
}
dbpw=$(secret "$site-mariadb.password")
mqpw=$(secret "$site-rabbitmq.password")

# MariaDB: database and a user limited to it (PROCESS lets a branch see open transactions,
# which is how it knows when a gap in the change log is settled; see docs/capture.md).
"$SERVICES" mariadb <<SQL
CREATE DATABASE IF NOT EXISTS \`$database\` CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS 'salesync_$site'@'127.0.0.1' IDENTIFIED BY '$(cat "$dbpw")';
ALTER USER 'salesync_$site'@'127.0.0.1' IDENTIFIED BY '$(cat "$dbpw")';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER, TRIGGER, CREATE TEMPORARY TABLES
  ON \`$database\`.* TO 'salesync_$site'@'127.0.0.1';
GRANT PROCESS ON *.* TO 'salesync_$site'@'127.0.0.1';
SQL

# RabbitMQ: the user's password goes in hashed, through a file (never argv).
kind=$role
defs=$dir/secrets/$site-rabbit-defs.json
if [ "$role" = branch ]; then
    python3 "$ROOT/scripts/rabbit_definitions.py" branch "salesync_$site" - "$site" < "$mqpw" > "$defs"
else
    python3 "$ROOT/scripts/rabbit_definitions.py" head-office "salesync_$site" - < "$mqpw" > "$defs"
fi
chmod 644 "$defs"   # read by the broker's own tool; holds a salted hash only
"$SERVICES" rabbitmqctl import_definitions "$defs" >/dev/null
rm -f "$defs"

port=${SALESYNC_MARIADB_PORT}
rport=$(echo "$SALESYNC_RABBIT_URL" | sed -E 's|.*:([0-9]+)/.*|\1|')
conf=$dir/$site.toml
common() {
    cat <<TOML
state_dir = "$dir/state/$site"
$1
[database]
host = "127.0.0.1"
port = $port
user = "salesync_$site"
password_file = "$dbpw"
name = "$database"
tables = ["product_sales"]

[rabbitmq]
url = "amqp://salesync_$site@127.0.0.1:$rport/%2F"
password_file = "$mqpw"

[web]
users_file = "$dir/secrets/$site-console-users"   # salesync user add NAME --role operator|viewer
TOML
}
if [ "$role" = branch ]; then
    [ -f "$dir/$site.key" ] || "$SALESYNC" keygen --out "$dir/$site.key" > "$dir/$site.pub"
    {
        printf '# salesync branch %s (made by scripts/provision.sh; see samples/bo1.toml for every key)\nrole = "branch"\nsite = "%s"\n' "$site" "$site"
        common "key_file = \"$dir/$site.key\""
    } > "$conf"
else
    {
        printf '# salesync head office %s (made by scripts/provision.sh; see samples/ho.toml for every key)\nrole = "head-office"\nsite = "%s"\n' "$site" "$site"
        common ""
        for b in "$@"; do
            printf '\n[branches.%s]\npublic_key = "%s"\n' "$b" "$(cat "$dir/$b.pub")"
        done
    } > "$conf"
fi
chmod 600 "$conf"
echo "$conf"
