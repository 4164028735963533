#!/usr/bin/env bash
# A three-node RabbitMQ cluster on this machine, for the cluster tests (quorum queues, a node lost
# mid-drain or mid-ingest, the majority lost and back). Reached through scripts/services.sh:
#
#   scripts/services.sh cluster-up            start (or resume) nodes 1-3 and join them
#   scripts/services.sh cluster-down          stop them (data kept)
#   scripts/services.sh cluster-env           export lines: SALESYNC_CLUSTER_URLS and one per node
#   scripts/services.sh cluster-node N start|stop|kill|leader QUEUE
#
# Each node has its own name (salesync-cN@localhost), AMQP and distribution ports, data and log
# directories under $SALESYNC_STATE/cluster/cN; all share one Erlang cookie (one HOME) and the
# epmd of scripts/services.sh. Runs as root, without systemd. The admin account is the one
# services.sh made (its password file), imported into the cluster.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
STATE=${SALESYNC_STATE:-$ROOT/.state}
BASE_PORT=${SALESYNC_CLUSTER_PORT:-56761}      # node N listens on BASE_PORT + N - 1
DIST_BASE=${SALESYNC_CLUSTER_DIST_PORT:-25761}
EPMD_PORT=${SALESYNC_EPMD_PORT:-43691}
C=$STATE/cluster
log() { echo "cluster: $*" >&2; }

node_env() { # N
    export HOME=$C/home
    export RABBITMQ_NODENAME=salesync-c$1@localhost
    export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    export RABBITMQ_NODE_PORT=$((BASE_PORT + $1 - 1))
    export RABBITMQ_DIST_PORT=$((DIST_BASE + $1 - 1))
    export ERL_EPMD_PORT=$EPMD_PORT
    export RABBITMQ_MNESIA_BASE=$C/c$1/mnesia
    export RABBITMQ_LOG_BASE=$C/c$1/log
    export RABBITMQ_ENABLED_PLUGINS_FILE=$C/enabled_plugins
    export RABBITMQ_CONFIG_FILE=$C/c$1/rabbitmq
    export RABBITMQ_PID_FILE=$C/c$1/rabbitmq.pid
}
ctl() { local n=$1; shift; (node_env "$n"; /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "salesync-c$n@localhost" "$@"); }
running() { [ -f "$C/c$1/rabbitmq.pid" ] && ctl "$1" status >/dev/null 2>&1; }

start_node() { # N
    running "$1" && return
    mkdir -p "$C/c$1/mnesia" "$C/c$1/log"
    printf 'listeners.tcp.default = 127.0.0.1:%s\nloopback_users = none\ndisk_free_limit.absolute = 50MB\n' \
        "$((BASE_PORT + $1 - 1))" > "$C/c$1/rabbitmq.conf"
    (node_env "$1"; nohup /usr/lib/rabbitmq/bin/rabbitmq-server >"$C/c$1/log/startup.log" 2>&1 &)
    for _ in $(seq 1 120); do
        ctl "$1" await_startup --timeout 5 >/dev/null 2>&1 && return
        sleep 1
    done
    log "node $1 did not start; see $C/c$1/log"; tail -20 "$C/c$1/log/startup.log" >&2; exit 1
}

up() {
    mkdir -p "$C/home"
    if [ ! -s "$C/home/.erlang.cookie" ]; then
        (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$C/home/.erlang.cookie")
    fi
    chmod 400 "$C/home/.erlang.cookie"
    echo "[]." > "$C/enabled_plugins"
    for n in 1 2 3; do start_node "$n"; done
    for n in 2 3; do
        if ! ctl "$n" cluster_status 2>/dev/null | grep -q "salesync-c1@localhost"; then
            log "joining node $n to node 1"
            ctl "$n" stop_app; ctl "$n" join_cluster salesync-c1@localhost; ctl "$n" start_app
        fi
    done
    local pw; pw=$(cat "$STATE/secrets/rabbitmq-admin.password")
    printf "%s\n" "$pw" | python3 "$ROOT/scripts/rabbit_definitions.py" admin salesync_admin - > "$C/admin-defs.json"
    chmod 600 "$C/admin-defs.json"
    ctl 1 import_definitions "$C/admin-defs.json" >/dev/null
    rm -f "$C/admin-defs.json"
    log "three nodes on 127.0.0.1:$BASE_PORT-$((BASE_PORT + 2))"
}

node() { # N start|stop|kill|leader QUEUE
    local n=$1 what=$2
    case $what in
        start) start_node "$n" ;;
        stop) ctl "$n" stop >/dev/null 2>&1 || true ;;
        kill) [ -f "$C/c$n/rabbitmq.pid" ] && kill -9 "$(cat "$C/c$n/rabbitmq.pid")" 2>/dev/null || true ;;
        leader) # the node number that leads quorum queue $3, asked of any running node
            for m in 1 2 3; do
                if out=$(ctl "$m" list_queues name leader 2>/dev/null); then
                    echo "$out" | awk -v q="$3" '$1 == q { sub(/^salesync-c/, "", $2); sub(/@.*/, "", $2); print $2 }'
                    return
                fi
            done ;;
        *) echo "usage: cluster-node N start|stop|kill|leader QUEUE" >&2; exit 2 ;;
    esac
}

case "${1:-}" in
    up) up ;;
    down) for n in 3 2 1; do node "$n" stop; done ;;
    env)
        printf "export SALESYNC_CLUSTER_URLS='amqp://salesync_admin@127.0.0.1:%s/%%2F amqp://salesync_admin@127.0.0.1:%s/%%2F amqp://salesync_admin@127.0.0.1:%s/%%2F'\n" \
            "$BASE_PORT" "$((BASE_PORT + 1))" "$((BASE_PORT + 2))" ;;
    node) shift; node "$@" ;;
    *) echo "usage: cluster.sh up|down|env|node N start|stop|kill|leader QUEUE" >&2; exit 2 ;;
esac
