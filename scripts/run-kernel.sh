#!/usr/bin/env bash
# Boots any kernel image (Linux Image, ELF or flat binary) as a VM of
# nestvisor, with a description generated from the arguments.
#   scripts/run-kernel.sh [--initrd FILE] [--cmdline TEXT] [--vcpus N] [--mem SIZE] [--el2] KERNEL
#   scripts/run-kernel.sh --from-env
# --from-env (make run KERNEL=...) takes the same from NV_RUN_KERNEL,
# NV_RUN_INITRD, NV_RUN_CMDLINE (unset: no --cmdline), NV_RUN_VCPUS,
# NV_RUN_MEM and NV_RUN_EL2 (1: --el2; empty or 0: not). --el2 gives the VM
# a virtual EL2 (`virtual-el2;`): the kernel is entered at EL2, which
# needs nestvisor booted with nested=nv or nv2 (NV_ARGS). Without --cmdline the guest's command line is console=ttyAMA0;
# --cmdline "" gives it an empty one. The command line reaches the guest
# byte for byte (it is written into the description as bytes, never
# through a shell or dtc's string escapes), at most 511 bytes.
# VCPUS: default 1 (nestvisor checks the range, 1 to 8). MEM: the VM's RAM
# in MiB or with a G/M suffix (default 512M). NV_ARGS: nestvisor's own
# boot parameters; NV_IMAGE: the nestvisor image.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
	echo "usage: run-kernel.sh [--initrd FILE] [--cmdline TEXT] [--vcpus N] [--mem SIZE] [--el2] KERNEL" >&2
	echo "       run-kernel.sh --from-env" >&2
	exit 2
}
die() { echo "run-kernel: $*" >&2; exit 2; }

CMDLINE_MAX=511 # VM_CMDLINE_MAX - 1 (include/nv/vm_desc.h)
kernel="" initrd="" cmdline="console=ttyAMA0" vcpus=1 mem=512M el2=0
if [ "${1:-}" = --from-env ]; then
	[ $# -eq 1 ] || usage
	kernel=${NV_RUN_KERNEL:-} initrd=${NV_RUN_INITRD:-}
	vcpus=${NV_RUN_VCPUS:-1} mem=${NV_RUN_MEM:-512M}
	[ -n "${NV_RUN_CMDLINE+set}" ] && cmdline=$NV_RUN_CMDLINE
	case "${NV_RUN_EL2:-}" in
	''|0) ;;
	1) el2=1 ;;
	*) die "EL2 must be 1 (or empty, 0), not '${NV_RUN_EL2}'" ;;
	esac
else
	while [ $# -gt 0 ]; do
		case "$1" in
		--initrd) [ $# -ge 2 ] || usage; initrd=$2; shift 2 ;;
		--cmdline) [ $# -ge 2 ] || usage; cmdline=$2; shift 2 ;;
		--vcpus) [ $# -ge 2 ] || usage; vcpus=$2; shift 2 ;;
		--mem) [ $# -ge 2 ] || usage; mem=$2; shift 2 ;;
		--el2) el2=1; shift ;;
		-*) echo "run-kernel: unknown option $1" >&2; usage ;;
		*) [ -z "$kernel" ] || usage; kernel=$1; shift ;;
		esac
	done
fi
[ -n "$kernel" ] || usage
[ -f "$kernel" ] || die "no such kernel '$kernel'"
[ -z "$initrd" ] || [ -f "$initrd" ] || die "no such initrd '$initrd'"
case "$vcpus" in ''|*[!0-9]*) die "VCPUS must be a number (1 to 8), not '$vcpus'" ;; esac
case "$mem" in
*[Gg]) mib=${mem%[Gg]}; unit=1024 ;;
*[Mm]) mib=${mem%[Mm]}; unit=1 ;;
*) mib=$mem; unit=1 ;;
esac
case "$mib" in ''|*[!0-9]*) die "MEM must be a size like 512M or 4G, not '$mem'" ;; esac
[ "${#mib}" -le 7 ] || die "MEM '$mem' is too large"
mib=$(( 10#$mib * unit ))
[ "${#vcpus}" -le 4 ] || vcpus=9999 # out of range either way: nestvisor says so
vcpus=$(( 10#$vcpus ))
bytes=$(printf '%s' "$cmdline" | wc -c)
[ "$bytes" -le "$CMDLINE_MAX" ] ||
	die "CMDLINE is $bytes bytes; a VM's command line holds at most $CMDLINE_MAX"

mkdir -p build/scenarios
dts=build/scenarios/user.dts
size=$(( mib * 1024 * 1024 ))
# The command line as a byte string, NUL-terminated: no escaping to get wrong.
bootargs=$(printf '%s' "$cmdline" | od -An -v -tx1 | tr -s ' \n' ' ')
{
	echo '/dts-v1/;'
	echo '/ {'
	echo '	compatible = "nestvisor,scenario";'
	echo '	user {'
	echo '		compatible = "nestvisor,vm";'
	echo "		vcpus = <$vcpus>;"
	# Two 64-bit values: base and size, two cells each.
	printf '		memory = <0x0 0x40000000 0x%x 0x%x>;\n' $(( size >> 32 )) $(( size & 0xffffffff ))
	[ "$el2" = 1 ] && echo '		virtual-el2;'
	echo '		kernel = "kernel";'
	[ -n "$initrd" ] && echo '		initrd = "initrd";'
	echo "		bootargs = [${bootargs}00];"
	echo '		gic = <0x0 0x08000000 0x0 0x080a0000>;'
	echo '		uart = <0x0 0x09000000>;'
	echo '		uart-interrupt = <1>;'
	echo '		console-input;'
	echo '	};'
	echo '};'
} >"$dts"
dtc -q -I dts -O dtb -o build/scenarios/user.dtb "$dts"
files=("scenario.dtb=build/scenarios/user.dtb" "kernel=$kernel")
[ -n "$initrd" ] && files+=("initrd=$initrd")
scripts/mkbundle.sh -o build/scenarios/user.cpio "${files[@]}" >/dev/null
# QEMU gets the VM's RAM plus room for nestvisor and the bundle.
qemu_mib=$(( mib + 256 + ($(stat -c %s "$kernel") + $( [ -n "$initrd" ] && stat -c %s "$initrd" || echo 0)) / 1048576 * 2 ))
# As many CPUs as vCPUs, 1 to 4: a VCPUS nestvisor refuses (0, 9) is
# refused by nestvisor, with its message, not by QEMU's -smp.
smp=$(( vcpus < 1 ? 1 : vcpus < 4 ? vcpus : 4 ))
exec scripts/qemu.sh --smp "$smp" --mem "${qemu_mib}M" --initrd build/scenarios/user.cpio \
	--append "${NV_ARGS:-}" -- "${NV_IMAGE:-build/gcc/nestvisor.bin}"
