#!/usr/bin/env bash
# The linux-kvm scenario measured (make bench runs it last): Linux KVM at
# nestvisor's virtual EL2 (L1) running a nested Linux (L2) with nvmm.
#  - Wall clock (noisy: the host's load counts), the median of N runs per
#    nesting mode: from QEMU's start to L1's userspace ("nvmm-l1: userspace
#    up"), from nvmm's start in L1 ("starting L2") to L2's userspace
#    ("nvmm-l2: ... userspace up"), and the whole run to QEMU's exit.
#  - The same L1 kernel and initramfs on QEMU alone at its real EL2 (no
#    nestvisor; L1's KVM then runs L2 on QEMU's EL2): the one-level
#    reference. Target: L1 at vEL2 reaches its userspace within 1.5 times
#    the reference's time.
#  - nestvisor's exits over the whole run by level (l1: L1 at vEL2 and its
#    own EL0, l2: its guests, which under an nVHE L1 include its host
#    kernel) and by reason, from one run under -icount shift=0,sleep=off
#    (deterministic: the count repeats within 1%).
#   scripts/bench-linux-kvm.sh [--runs N] [--modes "nv2 nv"]
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C
# Wall-clock runs without -icount (make bench sets it for its own runs).
export NV_QEMU_EXTRA=""

runs=3 modes="nv2 nv"
while [ $# -gt 0 ]; do
	case "$1" in
	--runs) runs=$2; shift 2 ;;
	--modes) modes=$2; shift 2 ;;
	*) echo "usage: scripts/bench-linux-kvm.sh [--runs N] [--modes \"nv2 nv\"]" >&2; exit 2 ;;
	esac
done
case "$runs" in ''|*[!0-9]*|0) echo "bench-linux-kvm: --runs takes a number above 0" >&2; exit 2 ;; esac

scripts/mk-linux-kvm.sh >/dev/null
make --no-print-directory -s all >/dev/null
# The scenario's bundle, as make run SCENARIO=linux-kvm boots it (its
# QEMU_SMP 2 and QEMU_MEM 2G, as the real-EL2 run below).
bundle=$(scripts/run-scenario.sh linux-kvm --bundle-only)

# stamp: each line of stdin with the wall clock (seconds) in front.
stamp() {
	local l
	while IFS= read -r l; do printf '%s %s\n' "$EPOCHREALTIME" "${l%$'\r'}"; done
}

# times T0: "to-L1-userspace VMM-to-L2-userspace total" (seconds) from a
# stamped log on stdin, or nothing if a marker is missing.
times() {
	awk -v t0="$1" '
		!a && /nvmm-l1: userspace up/ { a = $1 }
		!b && /nvmm-l1: \/dev\/kvm present; starting L2/ { b = $1 }
		!c && /nvmm-l2: .* userspace up/ { c = $1 }
		{ e = $1 }
		END { if (a && b && c) printf "%.1f %.1f %.1f\n", a - t0, c - b, e - t0 }'
}

# median: the median of the numbers on stdin (one per line).
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

# timed MODE: one timed run of the scenario under nested=MODE ("" for
# QEMU alone at its real EL2), its times() line.
timed() {
	local t0 log
	t0=$EPOCHREALTIME
	if [ -n "$1" ]; then
		# The bundle is built before (bundle=, below): both clocks start
		# at QEMU's start, with the files it loads ready.
		log=$(scripts/qemu.sh --smp 2 --mem 2G --timeout 900 --append "nested=$1" \
			--initrd "$bundle" -- build/gcc/nestvisor.bin </dev/null 2>&1 | stamp)
	else
		log=$(scripts/qemu.sh --smp 2 --mem 2G --timeout 900 --append console=ttyAMA0 \
			--initrd build/linux-kvm/l1-initramfs.cpio.gz -- cache/linux/Image </dev/null 2>&1 | stamp)
	fi
	grep -q "nvmm-l1: nvmm exited with status 0" <<<"$log" ||
		{ echo "bench-linux-kvm: the run (${1:-real EL2}) did not end well:" >&2; tail -5 <<<"$log" >&2; return 1; }
	times "$t0" <<<"$log"
}

# row LABEL TIMES...: the medians of runs' times() lines.
row() {
	local label=$1 l1 l2 all
	shift
	l1=$(printf '%s\n' "$@" | awk '{ print $1 }' | median)
	l2=$(printf '%s\n' "$@" | awk '{ print $2 }' | median)
	all=$(printf '%s\n' "$@" | awk '{ print $3 }' | median)
	printf "  %-30s %14s %16s %10s\n" "$label" "$l1" "$l2" "$all"
	echo "$l1" >"$tmp/$label.l1"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo
echo "linux-kvm: Linux KVM (VHE) at vEL2 running a nested Linux with nvmm; wall clock, seconds,"
echo "median of $runs run(s) (noisy: the host's load counts):"
printf "  %-30s %14s %16s %10s\n" run "to L1 userspace" "nvmm to L2 user" total
res=()
for i in $(seq 1 "$runs"); do res+=("$(timed "")") || exit 1; done
row "QEMU alone, real EL2" "${res[@]}"
ref=$(cat "$tmp/QEMU alone, real EL2.l1")
for m in $modes; do
	res=()
	for i in $(seq 1 "$runs"); do res+=("$(timed "$m")") || exit 1; done
	row "nestvisor, nested=$m" "${res[@]}"
	awk -v a="$(cat "$tmp/nestvisor, nested=$m.l1")" -v r="$ref" -v m="$m" 'BEGIN {
		printf "    L1 at vEL2 (%s) to its userspace: %.2f times the real-EL2 run (target 1.5): %s\n",
			m, a / r, a <= 1.5 * r ? "met" : "not met" }'
done

echo
echo "linux-kvm: nestvisor's exits over the whole run, by level and reason (-icount shift=0,sleep=off):"
for m in $modes; do
	log=$(NV_QEMU_EXTRA="-icount shift=0,sleep=off" NV_QEMU_TIMEOUT=1800 \
		scripts/run-scenario.sh linux-kvm --append "nested=$m" </dev/null 2>&1 | tr -d '\r')
	grep -q "nvmm-l1: nvmm exited with status 0" <<<"$log" ||
		{ echo "bench-linux-kvm: the -icount run (nested=$m) did not end well" >&2; exit 1; }
	grep -E "^nestvisor: vm 'l1' (exits|l1 exits|l2 exits):" <<<"$log" | sed "s/^nestvisor: /  $m: /"
done
