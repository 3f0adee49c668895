#!/usr/bin/env bash
# Boots any kernel image (Linux Image, ELF or flat binary) as a VM of
# nestvisor, with a description generated from the arguments.
#   scripts/run-kernel.sh KERNEL [INITRD] [CMDLINE] [VCPUS] [MEM]
# MEM is the VM's RAM in MiB or with a G/M suffix (default 512M).
set -euo pipefail
cd "$(dirname "$0")/.."

kernel=${1:?usage: run-kernel.sh KERNEL [INITRD] [CMDLINE] [VCPUS] [MEM]}
initrd=${2:-} cmdline=${3:-console=ttyAMA0} vcpus=${4:-1} mem=${5:-512M}
[ -f "$kernel" ] || { echo "run-kernel: no such kernel '$kernel'" >&2; exit 2; }
[ -z "$initrd" ] || [ -f "$initrd" ] || { echo "run-kernel: no such initrd '$initrd'" >&2; exit 2; }
case "$vcpus" in ''|*[!0-9]*) echo "run-kernel: VCPUS must be a number" >&2; exit 2 ;; esac
case "$mem" in
*[Gg]) mib=$(( ${mem%[Gg]} * 1024 )) ;;
*[Mm]) mib=${mem%[Mm]} ;;
*) mib=$mem ;;
esac
case "$mib" in ''|*[!0-9]*) echo "run-kernel: MEM must be a size like 512M or 1G" >&2; exit 2 ;; esac
esc=$(printf '%s' "$cmdline" | sed 's/\\/\\\\/g; s/"/\\"/g')

mkdir -p build/scenarios
dts=build/scenarios/user.dts
{
	echo '/dts-v1/;'
	echo '/ {'
	echo '	compatible = "nestvisor,scenario";'
	echo '	user {'
	echo '		compatible = "nestvisor,vm";'
	echo "		vcpus = <$vcpus>;"
	printf '		memory = <0x0 0x40000000 0x0 0x%x>;\n' $(( mib * 1024 * 1024 ))
	echo '		kernel = "kernel";'
	[ -n "$initrd" ] && echo '		initrd = "initrd";'
	echo "		bootargs = \"$esc\";"
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
smp=$(( vcpus < 4 ? vcpus : 4 ))
# NV_ARGS: nestvisor's own boot parameters (make run ARGS="...").
exec scripts/qemu.sh --smp "$smp" --mem "${qemu_mib}M" --initrd build/scenarios/user.cpio \
	--append "${NV_ARGS:-}" -- "${NV_IMAGE:-build/gcc/nestvisor.bin}"
