#!/usr/bin/env bash
# Private MariaDB and RabbitMQ for salesync's demo, tests and benchmarks.
#
#   scripts/services.sh up       install what is missing, start both servers, print how to reach them
#   scripts/services.sh down     stop both servers (data is kept)
#   scripts/services.sh status   say whether each is running
#   scripts/services.sh env      print the environment (export lines) that tests read
#   scripts/services.sh reset    stop and delete all state
#
# Everything lives under $SALESYNC_STATE (default: <repo>/.state), on non-default ports, as root,
# without systemd. Passwords are generated into files under the state directory (mode 0600) and
# never appear in argv.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
STATE=${SALESYNC_STATE:-$ROOT/.state}
MARIADB_PORT=${SALESYNC_MARIADB_PORT:-33061}
RABBIT_PORT=${SALESYNC_RABBIT_PORT:-56721}
RABBIT_TLS_PORT=${SALESYNC_RABBIT_TLS_PORT:-56731}
RABBIT_DIST_PORT=${SALESYNC_RABBIT_DIST_PORT:-25721}
EPMD_PORT=${SALESYNC_EPMD_PORT:-43691}
NODE=${SALESYNC_RABBIT_NODE:-salesync@localhost}

DB_DIR=$STATE/mariadb
DB_SOCK=$DB_DIR/mariadb.sock
RMQ_DIR=$STATE/rabbitmq
SECRETS=$STATE/secrets

log() { echo "services: $*" >&2; }

install_packages() {
    local missing=()
    for p in mariadb-server mariadb-client rabbitmq-server librabbitmq-dev libmariadb-dev zlib1g-dev openssl python3 time iproute2 iputils-ping; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    if ((${#missing[@]})); then
        log "installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

# A fresh random password in a 0600 file, made once.
secret() {
    local f=$SECRETS/$1
    mkdir -p "$SECRETS"; chmod 700 "$SECRETS"
    if [ ! -s "$f" ]; then
        (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=\n' > "$f")
    fi
    echo "$f"
}

mariadb_root() { mariadb --protocol=socket -S "$DB_SOCK" -uroot "$@"; }

# Refuses to start a server on a port something else listens on (another checkout's servers, a
# stale node after kill -9): the server's own error would come later and say less.
port_free() {
    local port=$1 what=$2 listening holder
    listening=$(ss -Hltnp "sport = :$port" 2>/dev/null || true)
    [ -z "$listening" ] && return 0
    holder=$(grep -oE 'users:\(\("[^"]+",pid=[0-9]+' <<< "$listening" | head -1 | sed -E 's/users:\(\("([^"]+)",pid=([0-9]+)/\1 (pid \2)/' || true)
    log "port $port for $what is taken by ${holder:-another process}; stop it, or choose other ports (SALESYNC_MARIADB_PORT, SALESYNC_RABBIT_PORT, SALESYNC_RABBIT_TLS_PORT, SALESYNC_RABBIT_DIST_PORT, SALESYNC_EPMD_PORT)"
    exit 1
}

mariadb_running() { [ -S "$DB_SOCK" ] && mariadb_root -e 'select 1' >/dev/null 2>&1; }

mariadb_up() {
    if mariadb_running; then return; fi
    mkdir -p "$DB_DIR"
    if [ ! -d "$DB_DIR/data/mysql" ]; then
        log "initialising MariaDB in $DB_DIR/data"
        mariadb-install-db --user=root --datadir="$DB_DIR/data" --auth-root-authentication-method=normal \
            --skip-test-db >"$DB_DIR/install.log" 2>&1
    fi
    port_free "$MARIADB_PORT" "MariaDB"
    log "starting MariaDB on 127.0.0.1:$MARIADB_PORT"
    # local-infile: salesync ingests with LOAD DATA LOCAL; secure-file-priv: the benchmark's
    # LOAD DATA INFILE baseline reads from the state directory. The binary log, in rows with
    # column names and flushed at each commit, is what `[capture] mode = "binlog"` reads
    # (docs/capture.md); the tests' branches use both modes on this one server. With a binary
    # log, MariaDB lets a user without SUPER make triggers only with log_bin_trust_function_creators.
    nohup mariadbd --no-defaults --user=root --datadir="$DB_DIR/data" --socket="$DB_SOCK" \
        --port="$MARIADB_PORT" --bind-address=127.0.0.1 --pid-file="$DB_DIR/mariadb.pid" \
        --log-error="$DB_DIR/error.log" --local-infile=1 --secure-file-priv="$STATE" \
        --innodb-buffer-pool-size=512M --innodb-log-file-size=256M --max-allowed-packet=256M \
        --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
        --server-id=1 --log-bin="$DB_DIR/data/binlog" --binlog-format=ROW --binlog-row-metadata=FULL \
        --sync-binlog=1 --binlog-expire-logs-seconds=86400 --log-bin-trust-function-creators=1 \
        >/dev/null 2>&1 &
    for _ in $(seq 1 120); do
        mariadb_running && break
        sleep 0.5
    done
    mariadb_running || { log "MariaDB did not start; see $DB_DIR/error.log"; tail -20 "$DB_DIR/error.log" >&2; exit 1; }
    # An administrative account for the demo, tests and benchmarks, reachable over TCP.
    local pw; pw=$(cat "$(secret mariadb-admin.password)")
    mariadb_root <<SQL
CREATE USER IF NOT EXISTS 'salesync_admin'@'127.0.0.1' IDENTIFIED BY '$pw';
ALTER USER 'salesync_admin'@'127.0.0.1' IDENTIFIED BY '$pw';
GRANT ALL PRIVILEGES ON *.* TO 'salesync_admin'@'127.0.0.1' WITH GRANT OPTION;
SQL
}

mariadb_down() { # [signal]: TERM shuts down cleanly; KILL is a crash (InnoDB recovers on start)
    local sig=${1:-TERM}
    if [ -f "$DB_DIR/mariadb.pid" ]; then
        local pid; pid=$(cat "$DB_DIR/mariadb.pid" 2>/dev/null || true)
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            log "stopping MariaDB (SIG$sig)"
            kill -"$sig" "$pid"
            for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        fi
    fi
}

rabbit_env() {
    export HOME=$RMQ_DIR/home
    export RABBITMQ_NODENAME=$NODE
    export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    export RABBITMQ_NODE_PORT=$RABBIT_PORT
    export RABBITMQ_DIST_PORT=$RABBIT_DIST_PORT
    export ERL_EPMD_PORT=$EPMD_PORT
    export RABBITMQ_MNESIA_BASE=$RMQ_DIR/mnesia
    export RABBITMQ_LOG_BASE=$RMQ_DIR/log
    export RABBITMQ_ENABLED_PLUGINS_FILE=$RMQ_DIR/enabled_plugins
    export RABBITMQ_CONFIG_FILE=$RMQ_DIR/rabbitmq
    # One pid file per node: two nodes started from one state directory (other ports, another
    # node name) must not take each other's for their own.
    export RABBITMQ_PID_FILE=$RMQ_DIR/$NODE.pid
}

rabbitmqctl_() { (rabbit_env; /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "$NODE" "$@"); }

rabbit_running() { [ -f "$RMQ_DIR/$NODE.pid" ] && rabbitmqctl_ status >/dev/null 2>&1; }

# TLS material for the amqps listener: a private CA, a server certificate for localhost, a client certificate.
make_tls() {
    local d=$RMQ_DIR/tls
    [ -f "$d/server.pem" ] && return
    mkdir -p "$d"
    (
        cd "$d"
        openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=salesync test CA" -keyout ca.key -out ca.pem 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > san.ext
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -extfile san.ext -out server.pem 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -subj "/CN=salesync client" -keyout client.key -out client.csr 2>/dev/null
        openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -out client.pem 2>/dev/null
        # A second CA that signed nothing: connecting with it must fail.
        openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=wrong CA" -keyout wrong-ca.key -out wrong-ca.pem 2>/dev/null
        chmod 600 ./*.key
    )
}

rabbit_up() {
    if rabbit_running; then return; fi
    mkdir -p "$RMQ_DIR/home" "$RMQ_DIR/mnesia" "$RMQ_DIR/log"
    if [ ! -s "$RMQ_DIR/home/.erlang.cookie" ]; then
        (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$RMQ_DIR/home/.erlang.cookie")
    fi
    chmod 400 "$RMQ_DIR/home/.erlang.cookie"
    echo "[]." > "$RMQ_DIR/enabled_plugins"
    make_tls
    cat > "$RMQ_DIR/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$RABBIT_PORT
listeners.ssl.default = 127.0.0.1:$RABBIT_TLS_PORT
ssl_options.cacertfile = $RMQ_DIR/tls/ca.pem
ssl_options.certfile = $RMQ_DIR/tls/server.pem
ssl_options.keyfile = $RMQ_DIR/tls/server.key
ssl_options.verify = verify_peer
ssl_options.fail_if_no_peer_cert = false
loopback_users = none
disk_free_limit.absolute = 50MB
CONF
    port_free "$RABBIT_PORT" "RabbitMQ (AMQP)"
    port_free "$RABBIT_TLS_PORT" "RabbitMQ (AMQPS)"
    port_free "$RABBIT_DIST_PORT" "RabbitMQ's node distribution"
    log "starting RabbitMQ node $NODE on 127.0.0.1:$RABBIT_PORT (TLS $RABBIT_TLS_PORT)"
    (rabbit_env; nohup /usr/lib/rabbitmq/bin/rabbitmq-server >"$RMQ_DIR/log/startup.log" 2>&1 &)
    local ok=""
    for _ in $(seq 1 120); do
        if rabbitmqctl_ await_startup --timeout 5 >/dev/null 2>&1; then ok=1; break; fi
        sleep 1
    done
    [ -n "$ok" ] || { log "RabbitMQ did not start; see $RMQ_DIR/log"; tail -30 "$RMQ_DIR/log/startup.log" >&2; exit 1; }
    rabbit_admin_user
}

# The administrative broker account, made through import_definitions from a 0600 file so that
# its password never appears in argv.
rabbit_admin_user() {
    local pw; pw=$(cat "$(secret rabbitmq-admin.password)")
    printf "%s\n" "$pw" | python3 "$ROOT/scripts/rabbit_definitions.py" admin salesync_admin - > "$RMQ_DIR/admin-defs.json"
    chmod 600 "$RMQ_DIR/admin-defs.json"
    rabbitmqctl_ import_definitions "$RMQ_DIR/admin-defs.json" >/dev/null
    rm -f "$RMQ_DIR/admin-defs.json"
}

rabbit_down() {
    if rabbit_running; then
        log "stopping RabbitMQ"
        rabbitmqctl_ stop >/dev/null 2>&1 || true
    fi
    # epmd was started for our private port; leave nothing behind.
    (rabbit_env; epmd -port "$EPMD_PORT" -kill >/dev/null 2>&1 || true)
}

print_env() {
    cat <<ENV
export SALESYNC_STATE='$STATE'
export SALESYNC_MARIADB_HOST=127.0.0.1
export SALESYNC_MARIADB_PORT=$MARIADB_PORT
export SALESYNC_MARIADB_SOCKET='$DB_SOCK'
export SALESYNC_MARIADB_USER=salesync_admin
export SALESYNC_MARIADB_PASSWORD_FILE='$SECRETS/mariadb-admin.password'
export SALESYNC_RABBIT_URL='amqp://salesync_admin@127.0.0.1:$RABBIT_PORT/%2F'
export SALESYNC_RABBIT_TLS_URL='amqps://salesync_admin@localhost:$RABBIT_TLS_PORT/%2F'
export SALESYNC_RABBIT_PASSWORD_FILE='$SECRETS/rabbitmq-admin.password'
export SALESYNC_RABBIT_TLS_DIR='$RMQ_DIR/tls'
export SALESYNC_RABBIT_NODE='$NODE'
export SALESYNC_SERVICES='$ROOT/scripts/services.sh'
ENV
}

case "${1:-}" in
    up)
        install_packages
        mkdir -p "$STATE"
        mariadb_up
        rabbit_up
        log "MariaDB  127.0.0.1:$MARIADB_PORT (socket $DB_SOCK), user salesync_admin, password in $SECRETS/mariadb-admin.password"
        log "RabbitMQ amqp://salesync_admin@127.0.0.1:$RABBIT_PORT/ (amqps on $RABBIT_TLS_PORT), password in $SECRETS/rabbitmq-admin.password"
        log "for tests: eval \"\$(scripts/services.sh env)\""
        ;;
    down) bash "$ROOT/scripts/cluster.sh" down || true; rabbit_down; mariadb_down ;;
    status)
        if mariadb_running; then echo "mariadb: running on 127.0.0.1:$MARIADB_PORT"; else echo "mariadb: stopped"; fi
        if rabbit_running; then echo "rabbitmq: running on 127.0.0.1:$RABBIT_PORT"; else echo "rabbitmq: stopped"; fi
        ;;
    env) print_env ;;
    rabbitmqctl) shift; rabbitmqctl_ "$@" ;;
    mariadb) shift; mariadb_root "$@" ;;
    rabbit-restart) rabbit_down; rabbit_up ;;
    rabbit-stop) rabbit_down ;;
    rabbit-start) rabbit_up ;;
    mariadb-stop) mariadb_down ;;
    mariadb-kill) mariadb_down KILL ;;
    mariadb-start) mariadb_up ;;
    cluster-up) rabbit_up; shift; exec bash "$ROOT/scripts/cluster.sh" up ;;
    cluster-down) exec bash "$ROOT/scripts/cluster.sh" down ;;
    cluster-env) exec bash "$ROOT/scripts/cluster.sh" env ;;
    cluster-node) shift; exec bash "$ROOT/scripts/cluster.sh" node "$@" ;;
    reset) bash "$ROOT/scripts/cluster.sh" down || true; rabbit_down; mariadb_down; rm -rf "$STATE" ;;
    *) echo "usage: $0 up|down|status|env|reset|mariadb|rabbitmqctl|rabbit-restart|mariadb-stop|mariadb-kill|mariadb-start|cluster-up|cluster-down|cluster-env|cluster-node" >&2; exit 2 ;;
esac
