#!/usr/bin/env bash
# Prints the path of the previous release's salesync binary: the newest tag vX.Y.Z that is an
# ancestor of HEAD and not HEAD itself, built once (debug) from `git archive` of that tag and
# cached outside the clone ($SALESYNC_ROOTFS_CACHE/releases/TAG), so that CI runs on one machine
# build each release once.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${SALESYNC_ROOTFS_CACHE:-/var/cache/salesync-test}/releases
head=$(git -C "$ROOT" rev-parse HEAD)
tag=""
for t in $(git -C "$ROOT" tag --merged HEAD --sort=-v:refname 'v[0-9]*'); do
    [ "$(git -C "$ROOT" rev-list -n1 "$t")" != "$head" ] && { tag=$t; break; }
done
[ -n "$tag" ] || { echo "previous: no release tag (vX.Y.Z) before HEAD" >&2; exit 1; }
dir=$CACHE/$tag
if [ ! -x "$dir/salesync" ]; then
    echo "previous: building $tag (once; cached in $dir)" >&2
    rm -rf "$dir/src"; mkdir -p "$dir/src"
    git -C "$ROOT" archive "$tag" | tar -x -C "$dir/src"
    (cd "$dir/src" && swift build --product salesync --scratch-path "$dir/build" > "$dir/build.log" 2>&1) \
        || { tail -20 "$dir/build.log" >&2; exit 1; }
    cp "$dir/build/debug/salesync" "$dir/salesync.tmp" && mv "$dir/salesync.tmp" "$dir/salesync"
    rm -rf "$dir/build" "$dir/src"
fi
echo "$dir/salesync"
