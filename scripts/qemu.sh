#!/usr/bin/env bash
# Boots a nestvisor image on QEMU virt with EL2, FEAT_NV/NV2 (-cpu max) and
# GICv3. Every run has a timeout.
#   scripts/qemu.sh [--smp N] [--mem SIZE] [--cpu MODEL] [--append ARGS]
#                   [--dtb FILE] [--timeout SECONDS] [--initrd FILE] -- IMAGE [extra qemu args]
set -euo pipefail

smp=4 mem=1G cpu=max append="" dtb="" timeout_s=${NV_QEMU_TIMEOUT:-120} initrd=""
while [ $# -gt 0 ]; do
	case "$1" in
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--cpu) cpu=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--dtb) dtb=$2; shift 2 ;;
	--initrd) initrd=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "qemu.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
image=${1:?usage: qemu.sh [options] -- IMAGE}
shift

args=(-M virt,virtualization=on,gic-version=3 -cpu "$cpu" -smp "$smp" -m "$mem"
	-display none -monitor none -serial stdio -nic none
	-semihosting-config enable=on,target=native
	-kernel "$image")
[ -n "$append" ] && args+=(-append "$append")
[ -n "$dtb" ] && args+=(-dtb "$dtb")
[ -n "$initrd" ] && args+=(-initrd "$initrd")
# NV_QEMU_EXTRA: more QEMU options (e.g. "-icount shift=0,sleep=off" for make bench).
# shellcheck disable=SC2206
[ -n "${NV_QEMU_EXTRA:-}" ] && args+=($NV_QEMU_EXTRA)

# --foreground: QEMU keeps the terminal; -k: a QEMU that ignores TERM is killed.
# A terminal stays QEMU's input (console input for a VM); anything else is not read.
if [ -t 0 ]; then
	exec timeout --foreground -k 5 "$timeout_s" qemu-system-aarch64 "${args[@]}" "$@"
fi
exec timeout --foreground -k 5 "$timeout_s" qemu-system-aarch64 "${args[@]}" "$@" </dev/null
