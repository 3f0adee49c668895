#!/usr/bin/env bash
# Builds the bundle of a scenario (scenarios/NAME.dts compiled to
# scenario.dtb, plus the files scenarios/NAME.conf lists) and boots
# nestvisor with it. Extra arguments go to scripts/qemu.sh.
#   scripts/run-scenario.sh NAME [--bundle-only] [qemu.sh options...]
set -euo pipefail
cd "$(dirname "$0")/.."

name=${1:?usage: run-scenario.sh NAME [--bundle-only] [qemu.sh options]}
shift
bundle_only=0
if [ "${1:-}" = --bundle-only ]; then bundle_only=1; shift; fi
dts=scenarios/$name.dts conf=scenarios/$name.conf
if [ ! -f "$dts" ] || [ ! -f "$conf" ]; then
	echo "run-scenario: no scenario '$name'; there are:" \
		$(ls scenarios/*.dts | sed 's|scenarios/||; s|\.dts||') >&2
	exit 2
fi
NEEDS="" FILES="" QEMU_SMP=2 QEMU_MEM=1G QEMU_TIMEOUT=120
# shellcheck source=/dev/null
. "$conf"

for need in $NEEDS; do
	case "$need" in
	linux) scripts/fetch-linux.sh >/dev/null ;;
	linux-kvm) scripts/mk-linux-kvm.sh >/dev/null ;;
	guests) make --no-print-directory -s -C tests/guests >/dev/null ;;
	*) echo "run-scenario: unknown need '$need' in $conf" >&2; exit 2 ;;
	esac
done

mkdir -p build/scenarios
dtc -q -I dts -O dtb -o "build/scenarios/$name.dtb" "$dts"
bundle=build/scenarios/$name.cpio
# shellcheck disable=SC2086
scripts/mkbundle.sh -o "$bundle" "scenario.dtb=build/scenarios/$name.dtb" $FILES >/dev/null
[ "$bundle_only" = 1 ] && { echo "$bundle"; exit 0; }
# The scenario's timeout unless NV_QEMU_TIMEOUT says otherwise.
exec scripts/qemu.sh --smp "$QEMU_SMP" --mem "$QEMU_MEM" --initrd "$bundle" \
	--timeout "${NV_QEMU_TIMEOUT:-$QEMU_TIMEOUT}" "$@" \
	-- "${NV_IMAGE:-build/gcc/nestvisor.bin}"
