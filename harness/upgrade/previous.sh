#!/usr/bin/env bash
# Prints the path of the previous release's salesync binary, built once (debug) and cached outside
# the clone ($SALESYNC_ROOTFS_CACHE/releases/TAG-SUM), so that CI runs on one machine build each
# release once.
#
# The previous release's sources are committed beside this script (previous-vX.Y.Z.tar.xz:
# Package.swift, Sources, Tests), not taken from git, because the clone CI runs on has no tags (nor,
# perhaps, the history they point at). When a release is tagged, store it for the next one:
#   harness/upgrade/previous.sh --store vX.Y.Z     (replaces the archive; git add -A the change)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE=${SALESYNC_ROOTFS_CACHE:-/var/cache/salesync-test}/releases
if [ "${1:-}" = "--store" ]; then
    tag=${2:?usage: previous.sh --store vX.Y.Z}
    git -C "$ROOT" rev-parse -q --verify "refs/tags/$tag" >/dev/null || { echo "previous: no tag $tag" >&2; exit 1; }
    rm -f "$HERE"/previous-v*.tar.xz
    git -C "$ROOT" archive --prefix=src/ "$tag" -- Package.swift Sources Tests | xz -9e > "$HERE/previous-$tag.tar.xz"
    echo "$HERE/previous-$tag.tar.xz"
    exit 0
fi
archives=("$HERE"/previous-v*.tar.xz)
[ ${#archives[@]} -eq 1 ] && [ -f "${archives[0]}" ] \
    || { echo "previous: expected exactly one $HERE/previous-vX.Y.Z.tar.xz" >&2; exit 1; }
archive=${archives[0]}
tag=$(basename "$archive" .tar.xz); tag=${tag#previous-}
dir=$CACHE/$tag-$(sha256sum "$archive" | cut -c1-12)
if [ ! -x "$dir/salesync" ]; then
    echo "previous: building $tag (once; cached in $dir)" >&2
    rm -rf "$dir/src"; mkdir -p "$dir"
    tar -xJf "$archive" -C "$dir"
    (cd "$dir/src" && swift build --product salesync --scratch-path "$dir/build" > "$dir/build.log" 2>&1) \
        || { tail -20 "$dir/build.log" >&2; exit 1; }
    cp "$dir/build/debug/salesync" "$dir/salesync.tmp" && mv "$dir/salesync.tmp" "$dir/salesync"
    rm -rf "$dir/build" "$dir/src"
fi
echo "$dir/salesync"
