#!/usr/bin/env bash
# Fetches the Linux guest assets into cache/ (git-ignored):
#   cache/linux/Image               uncompressed arm64 Image (Debian 6.12 kernel)
#   cache/linux/initramfs.cpio.gz   busybox initramfs whose /init prints markers
#                                   and the interrupt counts, then powers off
# The kernel package is resolved with apt-cache (never hard-coded): the one
# linux-image-arm64:arm64 from bookworm-backports depends on, else the one
# the meta package linux-image-6.12-arm64:arm64 depends on.
# Idempotent: what is already in cache/ is kept. --force rebuilds the outputs
# (downloads already in cache/debs are still reused).
#   scripts/fetch-linux.sh [--force]
set -euo pipefail
cd "$(dirname "$0")/.."

force=0
case "${1:-}" in
--force) force=1 ;;
"") ;;
*) echo "usage: scripts/fetch-linux.sh [--force]" >&2; exit 2 ;;
esac

CACHE=cache
DEBS=$CACHE/debs
OUT=$CACHE/linux
mkdir -p "$DEBS" "$OUT"

log() { echo "fetch-linux: $*"; }
die() { echo "fetch-linux: error: $*" >&2; exit 1; }

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	die "the arm64 dpkg architecture is not enabled (run scripts/setup.sh)"
fi

apt_updated=0
apt_update_once() {
	if [ "$apt_updated" = 0 ] && [ "$(id -u)" = 0 ]; then
		log "apt-get update"
		apt-get update -qq || true
		apt_updated=1
	fi
}

# pkg_dep META [SUITE]: the linux-image-6.12.* package META depends on (its
# candidate version, or its version from SUITE), empty if none.
pkg_dep() {
	local meta=$1 suite=${2:-} ver=""
	if [ -n "$suite" ]; then
		ver=$({ apt-cache madison "$meta" 2>/dev/null || true; } |
			awk -F'|' -v s="$suite" '$3 ~ s {gsub(/ /, "", $2); print $2; exit}')
		[ -n "$ver" ] || return 0
		meta="$meta=$ver"
	fi
	{ apt-cache depends "$meta" 2>/dev/null || true; } |
		sed -n 's/^ *Depends: \(linux-image-6\.12\.[^ ]*-arm64\)\(:arm64\)\{0,1\}$/\1/p' | head -1
}

resolve_kernel() {
	local p
	p=$(pkg_dep linux-image-arm64:arm64 bookworm-backports)
	[ -n "$p" ] || p=$(pkg_dep linux-image-6.12-arm64:arm64)
	echo "$p"
}

# download PKG: the .deb of PKG (arm64) in $DEBS, downloaded if missing.
# Prints the path of the .deb.
download() {
	local pkg=$1 name ver deb
	name=${pkg%%:*}
	ver=$(apt-cache policy "$name:arm64" 2>/dev/null | sed -n 's/^ *Candidate: //p')
	[ -n "$ver" ] && [ "$ver" != "(none)" ] || die "no candidate version of $name:arm64"
	# dpkg file names encode an epoch's ':' as %3a.
	deb="$DEBS/${name}_${ver//:/%3a}_arm64.deb"
	if [ ! -s "$deb" ]; then
		log "downloading $name:arm64 $ver" >&2
		# As root, apt's _apt sandbox user cannot write into this tree.
		local sandbox=()
		[ "$(id -u)" != 0 ] || sandbox=(-o APT::Sandbox::User=root)
		(cd "$DEBS" && apt-get download -q "${sandbox[@]}" "$name:arm64=$ver" >/dev/null) ||
			die "apt-get download $name:arm64=$ver failed"
	fi
	[ -s "$deb" ] || die "expected $deb after download"
	echo "$deb"
}

# unpack DEB DIR: dpkg-deb -x into DIR, once.
unpack() {
	if [ ! -f "$2/.unpacked" ]; then
		rm -rf "$2"
		mkdir -p "$2"
		dpkg-deb -x "$1" "$2"
		touch "$2/.unpacked"
	fi
}

# has_image_magic, le32, decompress, extract_image (log and die are ours).
. scripts/kernel-image.sh

# The /init of the initramfs (busybox sh).
write_init() {
	cat >"$1" <<'EOF'
#!/bin/sh
# nestvisor Linux test guest: show that userspace runs, the CPUs are online
# and the timer and GIC interrupts count, echo a line of console input if
# one comes, then power off.
/bin/busybox --install -s /bin 2>/dev/null
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "nestvisor-guest: userspace up"
echo "nestvisor-guest: kernel $(uname -r)"
echo "nestvisor-guest: nproc $(nproc)"
echo "nestvisor-guest: cpus online $(cat /sys/devices/system/cpu/online)"
echo "nestvisor-guest: cpu $(grep -m1 Features /proc/cpuinfo)"
echo "nestvisor-guest: /proc/interrupts before sleep"
cat /proc/interrupts
sleep 1
echo "nestvisor-guest: /proc/interrupts after sleep 1"
cat /proc/interrupts
# Console input: a line typed within 5 s is echoed back.
echo "nestvisor-guest: waiting 5 s for a line of console input"
if read -t 5 line; then
	echo "nestvisor-guest: console input: $line"
else
	echo "nestvisor-guest: no console input"
fi
echo "nestvisor-guest: powering off"
# The tty sends what echo wrote from the UART's TX interrupt, taken on CPU 0;
# poweroff -f stops the other CPUs at once, so without this pause the last
# lines can still be in the kernel's buffer when the VM powers off.
sleep 1
poweroff -f
EOF
	chmod 755 "$1"
}

# ---- kernel --------------------------------------------------------------
if [ "$force" = 1 ] || ! has_image_magic "$OUT/Image"; then
	kpkg=$(resolve_kernel)
	if [ -z "$kpkg" ]; then
		apt_update_once
		kpkg=$(resolve_kernel)
	fi
	[ -n "$kpkg" ] || die "cannot resolve the linux-image-6.12.*-arm64 package (apt sources need bookworm-backports or bookworm-security)"
	log "kernel package: $kpkg"
	kdeb=$(download "$kpkg")
	kdir=$CACHE/pkgs/${kpkg%%:*}
	unpack "$kdeb" "$kdir"
	vmlinuz=$(ls "$kdir"/boot/vmlinuz-* 2>/dev/null | head -1)
	[ -n "$vmlinuz" ] || die "no boot/vmlinuz-* in $kdeb"
	extract_image "$vmlinuz" "$OUT/Image"
	echo "${kpkg%%:*}" >"$OUT/Image.package"
fi

# ---- initramfs -------------------------------------------------------------
stage=$CACHE/pkgs/initramfs-root
init_new=$CACHE/pkgs/init.new
mkdir -p "$CACHE/pkgs"
write_init "$init_new"
if [ "$force" = 1 ] || [ ! -s "$OUT/initramfs.cpio.gz" ] ||
	! cmp -s "$init_new" "$stage/init"; then
	bdeb=$(download busybox-static)
	bdir=$CACHE/pkgs/busybox-static
	unpack "$bdeb" "$bdir"
	[ -x "$bdir/bin/busybox" ] || die "no bin/busybox in $bdeb"
	rm -rf "$stage"
	mkdir -p "$stage"/{bin,sbin,dev,proc,sys,tmp,root}
	cp "$bdir/bin/busybox" "$stage/bin/busybox"
	for a in sh mount cat echo nproc sleep poweroff uname ls grep; do
		ln -s busybox "$stage/bin/$a"
	done
	# The kernel's built-in initramfs already has /dev/console; add it here
	# too where this machine allows mknod.
	mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null || true
	cp "$init_new" "$stage/init"
	(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0) | gzip -9n >"$OUT/initramfs.cpio.gz.tmp"
	mv "$OUT/initramfs.cpio.gz.tmp" "$OUT/initramfs.cpio.gz"
fi
rm -f "$init_new"

log "kernel:    $OUT/Image ($(cat "$OUT/Image.package" 2>/dev/null || echo unknown package))"
log "initramfs: $OUT/initramfs.cpio.gz"
