#!/usr/bin/env bash
# Prints the path of a minimal Debian 12 root as a tar file (debootstrap --variant=minbase), made
# once and cached outside the clone ($SALESYNC_ROOTFS_CACHE, default /var/cache/salesync-test) so
# that the package test and the deployment guide's test on one machine share it.
set -euo pipefail
CACHE=${SALESYNC_ROOTFS_CACHE:-/var/cache/salesync-test}
TARBALL=$CACHE/bookworm-minbase.tar
if [ ! -s "$TARBALL" ]; then
    command -v debootstrap >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
    echo "rootfs: building a minimal Debian 12 root (once; cached in $CACHE)" >&2
    mkdir -p "$CACHE"
    B=$(mktemp -d); chmod 755 "$B"   # "/" of the root: daemons running as their own users traverse it
    debootstrap --variant=minbase bookworm "$B" http://deb.debian.org/debian >"$CACHE/debootstrap.log" 2>&1 \
        || { tail -20 "$CACHE/debootstrap.log" >&2; rm -rf "$B"; exit 1; }
    tar -C "$B" -cf "$TARBALL.tmp" . && mv "$TARBALL.tmp" "$TARBALL"
    rm -rf "$B"
fi
echo "$TARBALL"
