#!/usr/bin/env bash
# Builds the initramfs of a Linux KVM host (L1) that runs a nested Linux
# (L2) with the in-tree VMM (tools/nvmm, docs/VMM.md):
#   build/linux-kvm/l2-initramfs.cpio.gz  L2's: fetch-linux.sh's busybox
#       initramfs with another /init (a banner, a marker, power-off)
#   build/linux-kvm/l1-initramfs.cpio.gz  L1's: the same busybox initramfs
#       plus /bin/nvmm, /l2/Image (cache/linux/Image, the kernel of both
#       levels), /l2/initramfs.cpio.gz, and an /init that runs nvmm on them
#       and powers off after it
# Each is fetch-linux.sh's archive followed by a second gzip'ed cpio
# archive whose files replace or add to the first one's (the kernel unpacks
# concatenated archives in order). Run it with:
#   make run KERNEL=cache/linux/Image INITRD=build/linux-kvm/l1-initramfs.cpio.gz \
#       EL2=1 NESTED=nv VCPUS=2 MEM=1G CMDLINE="console=ttyAMA0 kvm-arm.mode=nvhe"
# L2's options: NV_L2_CPUS (default 2), NV_L2_MEM (MiB, default 256),
# NV_L2_CMDLINE (default console=ttyAMA0).
# With --l0, also the initramfs of KVM as L0 (the reference of the
# benchmarks: a Linux with kvm-arm.mode=nested at QEMU's real EL2, from
# scripts/fetch-linux-l0.sh), which runs the same L1 with nvmm --el2:
#   build/linux-kvm/l0-initramfs.cpio.gz  the busybox initramfs plus
#       /bin/nvmm, /l1/Image, /l1/initramfs.cpio.gz (L1's, above) and an
#       /init that runs nvmm --el2 on them (NV_L1_CPUS, default 2;
#       NV_L1_MEM, MiB, default 1024) and powers off after it
#   scripts/mk-linux-kvm.sh [--l0]
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=build/linux-kvm
l0=0
case "${1:-}" in
--l0) l0=1 ;;
"") ;;
*) echo "usage: scripts/mk-linux-kvm.sh [--l0]" >&2; exit 2 ;;
esac
l2_cpus=${NV_L2_CPUS:-2} l2_mem=${NV_L2_MEM:-256} l2_cmdline=${NV_L2_CMDLINE:-console=ttyAMA0}
case "$l2_cpus$l2_mem" in *[!0-9]*) echo "mk-linux-kvm: NV_L2_CPUS and NV_L2_MEM are numbers" >&2; exit 2 ;; esac
case "$l2_cmdline" in *\"*|*\\*|*\$*|*\`*)
	echo "mk-linux-kvm: NV_L2_CMDLINE cannot hold \" \\ \$ or \` (it goes into a shell script)" >&2; exit 2 ;;
esac

scripts/fetch-linux.sh >/dev/null
make --no-print-directory vmm >/dev/null
base=cache/linux/initramfs.cpio.gz

# overlay DIR OUT: OUT is the base archive followed by DIR's files.
overlay() {
	{
		cat "$base"
		(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) | gzip -6n
	} >"$2.tmp"
	mv "$2.tmp" "$2"
}

rm -rf "$OUT/l2-root" "$OUT/l1-root"
mkdir -p "$OUT/l2-root" "$OUT/l1-root/bin" "$OUT/l1-root/l2"

# The base archive has /bin/busybox and the applets these use as links.
cat >"$OUT/l2-root/init" <<'INIT'
#!/bin/sh
# L2: the nested Linux guest of the VMM inside L1.
export PATH=/bin
mount -t proc proc /proc
echo "nvmm-l2: Linux $(uname -r) userspace up in L1's KVM VM, nproc $(nproc)"
echo "nvmm-l2: marker L2-USERSPACE-OK"
# Console input: L1's /init answers this line through nvmm's standard input.
echo "nvmm-l2: waiting for a line on the console"
if read -t 60 -r line; then
	echo "nvmm-l2: read from the console: '$line'"
else
	echo "nvmm-l2: nothing read from the console"
fi
echo "nvmm-l2: powering off"
# Let the tty drain from its TX interrupt before the VM stops (see fetch-linux.sh).
sleep 1
poweroff -f
INIT

cat >"$OUT/l1-root/init" <<INIT
#!/bin/sh
# L1: a KVM host that runs L2 with nvmm, then powers off.
export PATH=/bin
mount -t proc proc /proc && mount -t devtmpfs devtmpfs /dev
echo "nvmm-l1: userspace up, kernel \$(uname -r), nproc \$(nproc)"
if [ -c /dev/kvm ]; then
	echo "nvmm-l1: /dev/kvm present; starting L2: nvmm --cpus $l2_cpus --mem $l2_mem"
	# nvmm's input is a FIFO that gets a line once L2 asks for it (after
	# its tty is open: Linux's PL011 driver drains the FIFO as it opens).
	mkfifo /nvmm-in
	{
		nvmm --kernel /l2/Image --initrd /l2/initramfs.cpio.gz --cpus $l2_cpus --mem $l2_mem \\
			--cmdline "$l2_cmdline" </nvmm-in
		echo "nvmm-l1: nvmm exited with status \$?"
	} | while IFS= read -r l; do
		echo "\$l"
		case "\$l" in *"nvmm-l2: waiting for a line"*)
			echo "typed into L2 by L1" >&3
			exec cat ;;
		esac
	done 3>/nvmm-in
else
	echo "nvmm-l1: no /dev/kvm"
fi
echo "nvmm-l1: powering off"
sleep 1
poweroff -f
INIT
chmod 755 "$OUT/l2-root/init" "$OUT/l1-root/init"

overlay "$OUT/l2-root" "$OUT/l2-initramfs.cpio.gz"
cp build/vmm/nvmm "$OUT/l1-root/bin/nvmm"
cp cache/linux/Image "$OUT/l1-root/l2/Image"
cp "$OUT/l2-initramfs.cpio.gz" "$OUT/l1-root/l2/initramfs.cpio.gz"
overlay "$OUT/l1-root" "$OUT/l1-initramfs.cpio.gz"
rm -rf "$OUT/l2-root" "$OUT/l1-root"
echo "mk-linux-kvm: L1 initramfs $OUT/l1-initramfs.cpio.gz ($(stat -c %s "$OUT/l1-initramfs.cpio.gz") bytes)"

[ "$l0" = 1 ] || exit 0
l1_cpus=${NV_L1_CPUS:-2} l1_mem=${NV_L1_MEM:-1024}
case "$l1_cpus$l1_mem" in *[!0-9]*) echo "mk-linux-kvm: NV_L1_CPUS and NV_L1_MEM are numbers" >&2; exit 2 ;; esac
rm -rf "$OUT/l0-root"
mkdir -p "$OUT/l0-root/bin" "$OUT/l0-root/l1"
cat >"$OUT/l0-root/init" <<INIT
#!/bin/sh
# L0: KVM (kvm-arm.mode=nested) running L1 at its EL2 with nvmm --el2.
export PATH=/bin
mount -t proc proc /proc && mount -t devtmpfs devtmpfs /dev
echo "nvmm-l0: userspace up, kernel \$(uname -r), nproc \$(nproc)"
if [ -c /dev/kvm ]; then
	echo "nvmm-l0: /dev/kvm present; starting L1: nvmm --el2 --cpus $l1_cpus --mem $l1_mem"
	nvmm --el2 --kernel /l1/Image --initrd /l1/initramfs.cpio.gz --cpus $l1_cpus \\
		--mem $l1_mem --cmdline "console=ttyAMA0"
	echo "nvmm-l0: nvmm exited with status \$?"
else
	echo "nvmm-l0: no /dev/kvm"
fi
echo "nvmm-l0: powering off"
sleep 1
poweroff -f
INIT
chmod 755 "$OUT/l0-root/init"
cp build/vmm/nvmm "$OUT/l0-root/bin/nvmm"
cp cache/linux/Image "$OUT/l0-root/l1/Image"
cp "$OUT/l1-initramfs.cpio.gz" "$OUT/l0-root/l1/initramfs.cpio.gz"
overlay "$OUT/l0-root" "$OUT/l0-initramfs.cpio.gz"
rm -rf "$OUT/l0-root"
echo "mk-linux-kvm: L0 initramfs $OUT/l0-initramfs.cpio.gz ($(stat -c %s "$OUT/l0-initramfs.cpio.gz") bytes)"
