#!/usr/bin/env bash
# The package on a PC that has never seen Swift: installs salesync_*.deb into a minimal Debian 12
# root (harness/package/rootfs.sh: debootstrap, cached outside the clone) with
# `apt-get install ./….deb`, then, inside that root: --version, --help of every command, and a
# real branch (init, export, drain) against the test servers over TCP, after which the head
# office (the host's build) ingests and must hold exactly the branch's rows. Also: removing keeps
# /etc/salesync and /var/lib/salesync, reinstalling keeps the config, purging deletes them.
#
#   harness/package/clean-system.sh DEB
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEB=$(readlink -f "${1:?usage: clean-system.sh DEB}")
eval "$("$ROOT/scripts/services.sh" env)"
HOST_BIN=${SALESYNC_BIN:-$ROOT/.build/debug/salesync}
say() { echo "clean-system: $*" >&2; }
. "$ROOT/harness/compare.sh"

TARBALL=$("$ROOT/harness/package/rootfs.sh")

R=$(mktemp -d /tmp/salesync-root.XXXXXX)
WORK=$(mktemp -d /tmp/salesync-pkgtest.XXXXXX)
TAG="pk$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')"
SITE=${TAG}b1
cleanup() {
    umount "$R/proc" 2>/dev/null || true
    rm -rf "$R" "$WORK"
    "$ROOT/scripts/services.sh" mariadb -e "DROP DATABASE IF EXISTS \`${TAG}_bo1\`; DROP DATABASE IF EXISTS \`${TAG}_ho\`" || true
    for q in "salesync.bundles.$SITE" "salesync.acks.$SITE"; do "$ROOT/scripts/services.sh" rabbitmqctl delete_queue "$q" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
tar -C "$R" -xf "$TARBALL"
mount -t proc proc "$R/proc"
cp /etc/resolv.conf "$R/etc/resolv.conf"
cp "$DEB" "$R/tmp/"
in_root() { chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }

say "apt-get install ./$(basename "$DEB")"
in_root apt-get update -qq >"$WORK/apt.log" 2>&1
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "/tmp/$(basename "$DEB")" >>"$WORK/apt.log" 2>&1 \
    || { tail -20 "$WORK/apt.log" >&2; exit 1; }

say "no Swift inside; every library resolved from the system"
if in_root sh -c 'command -v swift || ls -d /usr/lib/swift /opt/swift' >/dev/null 2>&1; then say "a Swift toolchain is in the root"; exit 1; fi
in_root ldd /usr/bin/salesync > "$WORK/ldd.txt"
if grep -q "not found" "$WORK/ldd.txt"; then cat "$WORK/ldd.txt" >&2; exit 1; fi
if grep -E "=> /" "$WORK/ldd.txt" | grep -vE "=> /(usr/)?lib/x86_64-linux-gnu/" >&2; then say "a library outside the system's directories"; exit 1; fi

say "--version and --help of every command"
in_root salesync --version
for c in "" init keygen export drain run acks ingest status verify quarantine "quarantine list" "quarantine retry" \
         "quarantine drop" bundle "bundle inspect" "bundle verify"; do
    # shellcheck disable=SC2086
    in_root salesync $c --help > "$WORK/help.txt" || { say "salesync $c --help failed"; exit 1; }
    grep -q "USAGE" "$WORK/help.txt" || { say "salesync $c --help printed no usage"; exit 1; }
done
[ -d "$R/etc/salesync" ] && [ "$(stat -c %a "$R/etc/salesync")" = 750 ] && [ "$(stat -c %a "$R/var/lib/salesync")" = 750 ]
[ -s "$R/usr/share/man/man1/salesync.1.gz" ] && [ -s "$R/usr/share/bash-completion/completions/salesync" ]
[ -f "$R/lib/systemd/system/salesync-branch.timer" ] && [ ! -e "$R/etc/systemd/system/timers.target.wants/salesync-branch.timer" ]
if ! { [ -f "$R/etc/logrotate.d/salesync" ] && [ -f "$R/lib/systemd/system/salesync-console.service" ] \
       && [ ! -e "$R/etc/systemd/system/multi-user.target.wants/salesync-console.service" ]; }; then
    say "logrotate file or console unit missing (or the unit enabled)"; exit 1
fi
for d in architecture configuration console packaging reliability; do
    ls "$R/usr/share/doc/salesync/docs/" | grep -q "^$d.md" || { say "docs/$d.md not installed"; exit 1; }
done

say "a real branch inside the root, the head office on the host"
"$ROOT/scripts/services.sh" mariadb -e "CREATE DATABASE \`${TAG}_bo1\`; CREATE DATABASE \`${TAG}_ho\`"
"$ROOT/scripts/services.sh" mariadb "${TAG}_bo1" < "$ROOT/samples/product_sales.sql"
cp "$SALESYNC_MARIADB_PASSWORD_FILE" "$R/etc/salesync/db.password"
cp "$SALESYNC_RABBIT_PASSWORD_FILE" "$R/etc/salesync/mq.password"
chmod 600 "$R/etc/salesync/"*.password
PUB=$(in_root salesync keygen --out /etc/salesync/bo1.key)
common() { # role site db state_dir mq_password_file db_password_file
    printf 'role = "%s"\nsite = "%s"\nstate_dir = "%s"\n%s\n[database]\nhost = "%s"\nport = %s\nuser = "%s"\npassword_file = "%s"\nname = "%s"\ntables = ["product_sales"]\n\n[rabbitmq]\nurl = "%s"\npassword_file = "%s"\n' \
        "$1" "$2" "$4" "${7:-}" "$SALESYNC_MARIADB_HOST" "$SALESYNC_MARIADB_PORT" "$SALESYNC_MARIADB_USER" "$6" "$3" "$SALESYNC_RABBIT_URL" "$5"
}
common branch "$SITE" "${TAG}_bo1" /var/lib/salesync /etc/salesync/mq.password /etc/salesync/db.password 'key_file = "/etc/salesync/bo1.key"' > "$R/etc/salesync/salesync.toml"
chmod 600 "$R/etc/salesync/salesync.toml"
{ common head-office ho "${TAG}_ho" "$WORK/ho-state" "$SALESYNC_RABBIT_PASSWORD_FILE" "$SALESYNC_MARIADB_PASSWORD_FILE"; printf '\n[branches.%s]\npublic_key = "%s"\n' "$SITE" "$PUB"; } > "$WORK/ho.toml"
chmod 600 "$WORK/ho.toml"
in_root salesync init
"$HOST_BIN" --config "$WORK/ho.toml" init
"$ROOT/scripts/services.sh" mariadb "${TAG}_bo1" -e "INSERT INTO product_sales (sale_date, region, product, qty, cost, amt, tax, total)
    SELECT DATE_ADD('2026-01-01', INTERVAL seq % 365 DAY), 'North', CONCAT('p', seq % 97), 1 + seq % 9, 2.50, 2.50 * (1 + seq % 9), 0.50, 3.00 * (1 + seq % 9) FROM seq_1_to_5000"
in_root salesync export
in_root salesync drain || [ $? -eq 75 ]          # sent; the acknowledgement comes after the ingest
"$HOST_BIN" --config "$WORK/ho.toml" ingest --once
in_root salesync drain --ack-wait 20s
B=$(same_rows "${TAG}_bo1" "${TAG}_ho" "$SITE")
say "head office matches the branch ($B)"

say "remove keeps configs and state; reinstall keeps the config; purge deletes both"
in_root env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq salesync >>"$WORK/apt.log" 2>&1
[ -f "$R/etc/salesync/salesync.toml" ] && [ -d "$R/var/lib/salesync/outbox" ] && [ ! -e "$R/usr/bin/salesync" ]
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "/tmp/$(basename "$DEB")" >>"$WORK/apt.log" 2>&1
in_root salesync status > /dev/null
in_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq salesync >>"$WORK/apt.log" 2>&1
[ ! -e "$R/etc/salesync" ] && [ ! -e "$R/var/lib/salesync" ]
say "OK"
