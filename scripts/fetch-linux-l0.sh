#!/usr/bin/env bash
# Fetches the kernel of the KVM side of the benchmarks, the reference
# nestvisor is measured against: a Linux with KVM's nested virtualization
# (6.16 or later, kvm-arm.mode=nested), which bookworm does not have, as L0
# at QEMU's real EL2 running the same guests with nvmm. From the Debian
# arm64 packages of a later suite, into the git-ignored cache:
#   cache/linux-l0/Image     uncompressed arm64 Image
#   cache/linux-l0/version   its package and version
# apt runs with a private configuration under cache/apt-l0/ (its own
# sources list, lists and archives): the machine's apt sources and state
# are neither read for packages nor changed. The archive's address is the
# one the machine's own sources use for bookworm; the suite is
# NV_L0_SUITE (default trixie-backports), signed by the Debian archive
# keyring the machine has. The package is the one the suite's
# linux-image-arm64 depends on (never hard-coded). Idempotent: what is in
# the cache is kept; --force fetches again.
#   scripts/fetch-linux-l0.sh [--force]
set -euo pipefail
cd "$(dirname "$0")/.."

force=0
case "${1:-}" in
--force) force=1 ;;
"") ;;
*) echo "usage: scripts/fetch-linux-l0.sh [--force]" >&2; exit 2 ;;
esac

SUITE=${NV_L0_SUITE:-trixie-backports}
APT=cache/apt-l0
OUT=cache/linux-l0
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

log() { echo "fetch-linux-l0: $*"; }
die() { echo "fetch-linux-l0: error: $*" >&2; exit 1; }

. scripts/kernel-image.sh

if [ "$force" = 0 ] && [ -s "$OUT/Image" ] && [ -s "$OUT/version" ]; then
	log "kernel: $OUT/Image ($(cat "$OUT/version"))"
	exit 0
fi
[ -r "$KEYRING" ] || die "$KEYRING is missing (package debian-archive-keyring)"

# The Debian archive's address as the machine's sources give it for
# bookworm (deb822 .sources files or one-line sources.list entries).
archive_uri() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk '/^URIs:/ { u = $2 } /^Suites:/ && / bookworm( |$)/ { s = 1 }
		     /^$/ { if (u && s) { print u; exit } u = ""; s = 0 }
		     END { if (u && s) print u }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		sed -nE 's/^deb +(\[[^]]*\] +)?([^ ]+) +bookworm +.*/\2/p' "$f"
	done
}
uri=$(archive_uri | head -1)
[ -n "$uri" ] || die "no apt source for bookworm on this machine to take the archive's address from"

mkdir -p "$APT/etc" "$APT/lists/partial" "$APT/archives/partial" "$OUT"
echo "deb [arch=arm64 signed-by=$KEYRING] $uri $SUITE main" >"$APT/etc/sources.list"
opts=(-o "Dir::Etc::SourceList=$PWD/$APT/etc/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State=$PWD/$APT" -o "Dir::State::Lists=$PWD/$APT/lists"
	-o Dir::State::status=/dev/null -o "Dir::Cache=$PWD/$APT"
	-o "Dir::Cache::Archives=$PWD/$APT/archives" -o APT::Architecture=arm64
	-o APT::Architectures::=arm64 -q)
# As root, apt's _apt sandbox user cannot write into this tree.
[ "$(id -u)" != 0 ] || opts+=(-o APT::Sandbox::User=root)

log "apt-get update ($SUITE, private configuration in $APT)"
apt-get "${opts[@]}" update >/dev/null || die "apt-get update of $SUITE failed"

# dep PKG PATTERN: the first dependency of PKG (its candidate) matching PATTERN.
dep() {
	apt-cache "${opts[@]}" depends "$1" 2>/dev/null |
		sed -nE "s/^ *Depends: ($2)(:arm64)?\$/\\1/p" | head -1
}
image=$(dep linux-image-arm64 'linux-image-[0-9][^ ]*-arm64')
[ -n "$image" ] || die "linux-image-arm64 of $SUITE depends on no linux-image-*-arm64"
# From Linux 7 on, Debian's image package holds no kernel: its
# linux-binary-* dependency does.
binary=$(dep "$image" 'linux-binary-[0-9][^ ]*-arm64')
pkg=${binary:-$image}
ver=$(apt-cache "${opts[@]}" policy "$pkg" | sed -n 's/^ *Candidate: //p')
[ -n "$ver" ] && [ "$ver" != "(none)" ] || die "no candidate version of $pkg in $SUITE"
kver=${image#linux-image-}
kver=${kver%-arm64}
case "$kver" in
[0-5].* | 6.[0-9].* | 6.1[0-5].*) die "$SUITE has Linux $kver: KVM's nested virtualization needs 6.16 or later" ;;
esac

log "downloading $pkg $ver"
rm -rf "$APT/dl" && mkdir -p "$APT/dl"
(cd "$APT/dl" && apt-get "${opts[@]}" download "$pkg=$ver" >/dev/null) || die "apt-get download $pkg=$ver failed"
deb=$(ls "$APT"/dl/*.deb)
rm -rf "$APT/x" && mkdir -p "$APT/x"
dpkg-deb -x "$deb" "$APT/x"
vmlinuz=$(find "$APT/x" -name 'vmlinuz*' -type f | head -1)
[ -n "$vmlinuz" ] || die "$pkg holds no vmlinuz"
extract_image "$vmlinuz" "$OUT/Image"
echo "$pkg $ver" >"$OUT/version"
rm -rf "$APT/x" "$APT/dl"
log "kernel: $OUT/Image ($pkg $ver)"
