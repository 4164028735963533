#!/usr/bin/env bash
# The self-contained binary against the dynamically linked one: the time a snapshot export of
# ROWS rows takes in a new process (the branch's first export, as after installing the package),
# REPEATS times each, alternating which goes first; medians and their ratio.
#
#   bash bench/static.sh [ROWS] [REPEATS]      (default 1000000 3; release builds of both)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
ROWS=${1:-1000000}
REPS=${2:-3}
scripts/services.sh up >/dev/null
eval "$(scripts/services.sh env)"
W=$SALESYNC_STATE/bench-static
rm -rf "$W"; mkdir -p "$W"
echo "building both (release)..." >&2
swift build -c release --static-swift-stdlib --product salesync 2>&1 | tail -1 >&2
swift build -c release --scratch-path .build-dynamic --product salesync 2>&1 | tail -1 >&2
STATIC=$ROOT/.build/release/salesync
DYNAMIC=$ROOT/.build-dynamic/release/salesync
sql() { scripts/services.sh mariadb "$@"; }
GEN=$ROOT/../shared/bench/gen_sales.py
[ -f "$GEN" ] || GEN=$ROOT/samples/sales.py
python3 "$GEN" "$ROWS" > "$W/sales.tsv"
sql -e "DROP DATABASE IF EXISTS bench_static; CREATE DATABASE bench_static"
sql bench_static < samples/product_sales.sql
sql bench_static -e "LOAD DATA INFILE '$W/sales.tsv' INTO TABLE product_sales CHARACTER SET utf8mb4 (sale_date, region, product, qty, cost, amt, tax, total)"
scripts/provision.sh branch bstatic bench_static "$W/sites" >/dev/null
"$STATIC" -c "$W/sites/bstatic.toml" init
declare -a TS TD
for r in $(seq 1 "$REPS"); do
    order=(static dynamic); ((r % 2 == 0)) && order=(dynamic static)
    for which in "${order[@]}"; do
        bin=$STATIC; [ "$which" = dynamic ] && bin=$DYNAMIC
        /usr/bin/time -f "%e" -o "$W/t" "$bin" -c "$W/sites/bstatic.toml" export --snapshot
        t=$(cat "$W/t"); echo "repeat $r $which: $t s" >&2
        if [ "$which" = static ]; then TS+=("$t"); else TD+=("$t"); fi
    done
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms=$(median "${TS[@]}"); md=$(median "${TD[@]}")
echo "| snapshot export of $ROWS rows, median of $REPS | static $ms s | dynamic $md s | static/dynamic $(awk -v a="$ms" -v b="$md" 'BEGIN{printf "%.3f", a/b}') |"
echo "| binary size | static $(stat -c %s "$STATIC") bytes | dynamic $(stat -c %s "$DYNAMIC") bytes | libraries outside /lib, /usr/lib: static $(ldd "$STATIC" | grep '=> /' | grep -vcE '=> /(usr/)?lib/x86_64-linux-gnu/' || true), dynamic $(ldd "$DYNAMIC" | grep '=> /' | grep -vcE '=> /(usr/)?lib/x86_64-linux-gnu/' || true) |"
sql -e "DROP DATABASE bench_static"
