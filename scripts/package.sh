#!/usr/bin/env bash
# Builds salesync's Debian package: a release binary with the Swift runtime linked statically
# (only Debian's own libmariadb3, librabbitmq4, zlib1g, OpenSSL and libc at run time), its man
# page and shell completions, the cron files and systemd units (installed, not enabled), and the
# sample configs.
#
#   scripts/package.sh [OUTDIR]      -> OUTDIR/salesync_VERSION_amd64.deb (default OUTDIR: .state/package)
#
# VERSION: $SALESYNC_VERSION, else the newest git tag vX.Y.Z (with +N.gHASH past it), else the
# last release stored for the mixed-version test (harness/upgrade/previous-vX.Y.Z.tar.xz) as
# X.Y.Z+gitDATE.HASH, which apt ranks above that release (a clone without tags builds what came
# after it). Needs dpkg-dev (dpkg-shlibdeps) and, to check the result, lintian.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=${1:-$ROOT/.state/package}
mkdir -p "$OUT"

for p in dpkg-dev fakeroot; do
    dpkg -s "$p" >/dev/null 2>&1 || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dpkg-dev fakeroot >/dev/null; break; }
done

version() {
    if [ -n "${SALESYNC_VERSION:-}" ]; then echo "$SALESYNC_VERSION"; return; fi
    local d; d=$(git describe --tags --match 'v[0-9]*' 2>/dev/null || true)
    if [ -n "$d" ]; then echo "$d" | sed -E 's/^v//; s/-([0-9]+)-g([0-9a-f]+)$/+\1.g\2/'; return; fi
    local last; last=$(ls harness/upgrade/previous-v*.tar.xz 2>/dev/null | sed -E 's/.*previous-v(.*)\.tar\.xz$/\1/' | head -1)
    echo "${last:-0.0.0}+git$(git log -1 --format=%cd --date=format:%Y%m%d).$(git rev-parse --short HEAD)"
}
VERSION=$(version)
echo "package: salesync $VERSION" >&2

# The version goes into the binary for the build only; the file is put back whatever happens.
VFILE=Sources/salesync/Version.swift
cp "$VFILE" "$OUT/.Version.swift.orig"
trap 'cp "$OUT/.Version.swift.orig" "$ROOT/$VFILE"; rm -f "$OUT/.Version.swift.orig"' EXIT
sed -i "s/static let current = \".*\"/static let current = \"$VERSION\"/" "$VFILE"
# -z now: full RELRO (lintian's hardening-no-bindnow).
swift build -c release --static-swift-stdlib -Xlinker -z -Xlinker now --product salesync 2>&1 | grep -E "error|warning: unre|Compiling salesync|Build complete" >&2 || true
BIN=$ROOT/.build/release/salesync
[ -x "$BIN" ] && "$BIN" --version | grep -qx "$VERSION" || { echo "package: the release build failed" >&2; exit 1; }

STAGE=$(mktemp -d)
trap 'cp "$OUT/.Version.swift.orig" "$ROOT/$VFILE"; rm -f "$OUT/.Version.swift.orig"; rm -rf "$STAGE"' EXIT
PKG=$STAGE/salesync
DOC=$PKG/usr/share/doc/salesync
install -d "$PKG/DEBIAN" "$PKG/usr/bin" "$DOC/examples" "$PKG/usr/share/man/man1" "$PKG/usr/share/salesync/cron" \
    "$PKG/lib/systemd/system" "$PKG/usr/share/bash-completion/completions" "$PKG/usr/share/zsh/vendor-completions" \
    "$PKG/usr/share/fish/vendor_completions.d"
install -m 0755 "$BIN" "$PKG/usr/bin/salesync"
strip --strip-unneeded --remove-section=.comment "$PKG/usr/bin/salesync"

# Completions and the man page come from the same declarations as --help.
# (bash completions are sourced, not run: no #! line)
"$BIN" --generate-completion-script bash | sed '1{/^#!/d}' > "$PKG/usr/share/bash-completion/completions/salesync"
"$BIN" --generate-completion-script zsh > "$PKG/usr/share/zsh/vendor-completions/_salesync"
"$BIN" --generate-completion-script fish > "$PKG/usr/share/fish/vendor_completions.d/salesync.fish"
"$BIN" --experimental-dump-help > "$STAGE/help.json"
python3 scripts/manpage.py "$STAGE/help.json" "$VERSION" docs/configuration.md | gzip -9n > "$PKG/usr/share/man/man1/salesync.1.gz"

# Cron files and units: installed where an administrator copies or links them from, not enabled.
install -m 0644 cron/salesync-branch cron/salesync-head-office "$PKG/usr/share/salesync/cron/"
install -m 0755 scripts/add-branch.sh scripts/rabbit_definitions.py "$PKG/usr/share/salesync/"
install -m 0644 cron/*.service cron/*.timer "$PKG/lib/systemd/system/"
install -m 0644 samples/bo1.toml samples/ho.toml samples/product_sales.sql "$DOC/examples/"
install -m 0644 README.md "$DOC/README.md"
gzip -9n "$DOC/README.md"
# Every doc that --help, README or the man page names (docs/*.md), and the pictures README shows.
install -d "$DOC/docs/img"
install -m 0644 docs/*.md "$DOC/docs/"
install -m 0644 docs/img/*.png "$DOC/docs/img/"
for f in "$DOC"/docs/*.md; do [ "$(stat -c %s "$f")" -gt 4096 ] && gzip -9n "$f"; done
# Log rotation for the cron files' /var/log/salesync.log (a conffile: an administrator's edits stay).
install -d "$PKG/etc/logrotate.d"
install -m 0644 cron/salesync.logrotate "$PKG/etc/logrotate.d/salesync"
cat > "$DOC/copyright" <<COPY
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: salesync
Source: salesync's own repository

Files: *
Copyright: 2026 the salesync developers
License: Apache-2.0
 On Debian systems, the full text of the Apache License 2.0 is in
 /usr/share/common-licenses/Apache-2.0.
COPY
printf 'salesync (%s) stable; urgency=medium\n\n  * Release built by scripts/package.sh.\n\n -- salesync developers <maintainers@salesync.example.org>  %s\n' \
    "$VERSION" "$(date -R)" | gzip -9n > "$DOC/changelog.gz"   # a native package: changelog.gz

# Depends: exactly the shared libraries the binary links, as dpkg-shlibdeps resolves them.
mkdir -p "$STAGE/debian"
printf 'Source: salesync\n\nPackage: salesync\nArchitecture: amd64\n' > "$STAGE/debian/control"
DEPENDS=$(cd "$STAGE" && dpkg-shlibdeps -O -esalesync/usr/bin/salesync 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$DEPENDS" ] || { echo "package: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

cat > "$PKG/DEBIAN/control" <<CTRL
Package: salesync
Version: $VERSION
Architecture: amd64
Maintainer: salesync developers <maintainers@salesync.example.org>
Installed-Size: $(du -sk "$PKG" | cut -f1)
Depends: $DEPENDS, python3
Section: database
Priority: optional
Homepage: https://salesync.invalid/
Description: keeps a head office's sales database in step with its branches
 salesync captures the changes to a branch's MariaDB tables into compressed,
 signed bundle files, sends them to the head office over RabbitMQ (or a USB
 stick) during the branch's connectivity window, and applies them there
 exactly once, in order, with acknowledgements back to the branch.
CTRL
install -m 0755 scripts/debian/postinst scripts/debian/postrm "$PKG/DEBIAN/"
echo /etc/logrotate.d/salesync > "$PKG/DEBIAN/conffiles"
(cd "$PKG" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum > DEBIAN/md5sums)

DEB=$OUT/salesync_${VERSION}_amd64.deb
fakeroot dpkg-deb --root-owner-group -Zxz --build "$PKG" "$DEB" >/dev/null
echo "$DEB"
