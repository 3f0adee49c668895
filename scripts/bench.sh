#!/usr/bin/env bash
# make bench: deterministic counts, never wall-clock time. Each workload runs
# under QEMU -icount (shift=0: one instruction is one nanosecond of virtual
# time; sleep=off: idle time is skipped, not waited). nestvisor prints, at
# the end, every VM's exits by reason and the counter; this script gathers
# them into a table (also written to build/bench.txt).
#
# Then the cost of one guest operation, from the bench test guest: exits
# per operation (nestvisor's NV_HC_EXIT_COUNT call) and instructions per
# operation (the guest's virtual counter around N operations: with
# shift=0 one instruction is one nanosecond, the guest converts ticks with
# CNTFRQ; all CPUs' instructions count). In the 2-vCPU test-guest VM and in
# the bench-large VM (8 vCPUs, 988 SPIs), twice each with sleep=off (the
# spread between runs is shown) and three times with sleep=on (QEMU's
# default; the spread of the three is shown).
#
# Last, exits per nested operation under nested=nv and nested=nv2 side by
# side, with the ratio: the hv_bench guest
# hypervisor at a virtual EL2 (scenario bench-nested) counts nestvisor's
# exits around N operations of its own guest (L2) that it handles: a
# hypercall, an emulated MMIO load, a stage-2 fault it resolves, a
# virtual timer interrupt it injects, an IPI between its guest's two
# vCPUs; then nestvisor's exits of the run by level (l1: the guest
# hypervisor at vEL2, l2: its guest).
# Then the linux-kvm scenario (scripts/bench-linux-kvm.sh): wall-clock
# times of its levels against the same L1 at QEMU's real EL2 (median of
# NV_BENCH_KVM_RUNS runs, default 3) and its exits by level and reason.
#   scripts/bench.sh [--runs N]     N runs of Linux, median shown (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
[ "${1:-}" = --runs ] && runs=$2
export NV_QEMU_EXTRA="-icount shift=0,sleep=off"
out=build/bench.txt
mkdir -p build

# run NAME CMD...: the exits line and the counter of one run.
run() {
	local log
	log=$("${@:2}" 2>&1 </dev/null) || { echo "bench: $1 failed" >&2; echo "$log" | tail -5 >&2; return 1; }
	echo "$log" | grep -E "^nestvisor: vm '[^']*' exits:|^nestvisor: counter at the end:"
}

# row LABEL LINES: one table row from run()'s lines.
row() {
	local label=$1 lines=$2 counter
	counter=$(echo "$lines" | sed -n 's/^nestvisor: counter at the end: //p')
	echo "$lines" | grep "exits:" | sed -E "s/^nestvisor: vm '([^']*)' exits: //" |
		awk -v l="$label" -v c="$counter" '{
			printf "%-22s", l;
			for (i = 1; i <= NF; i++) { split($i, kv, "="); printf " %8s", kv[2] }
			printf " %14s\n", c }'
}


# ops SCENARIO QEMU_ICOUNT: "op exits insns" lines of one bench guest run.
ops() {
	local log
	log=$(GUEST=bench NV_QEMU_EXTRA="-icount $2" scripts/run-scenario.sh "$1" 2>&1 </dev/null | tr -d '\r') ||
		{ echo "bench: the bench guest failed in $1 ($2)" >&2; echo "$log" | tail -5 >&2; return 1; }
	echo "$log" | sed -nE 's/^bench ([a-z-]+): ([0-9.]+) exits\/op .*, ([0-9]+) insns\/op$/\1 \2 \3/p'
}

# spread N...: the largest minus the smallest count in per cent of the smallest (one decimal).
spread() { echo "$@" | awk '{ lo = hi = $1; for (i = 2; i <= NF; i++) { if ($i < lo) lo = $i; if ($i > hi) hi = $i }
	printf "%.1f", (lo > 0 ? 100 * (hi - lo) / lo : 0) }'; }

# fig LINES OP: OP's instructions per operation in ops() LINES.
fig() { echo "$1" | awk -v o="$2" '$1 == o {print $3}'; }

per_operation() {
	local small small2 large large2 sleepy1 sleepy2 sleepy3 op exits i1 i2 l1 l2 s1 s2 s3
	small=$(ops test-guest shift=0,sleep=off) && small2=$(ops test-guest shift=0,sleep=off) &&
		large=$(ops bench-large shift=0,sleep=off) && large2=$(ops bench-large shift=0,sleep=off) &&
		sleepy1=$(ops test-guest shift=0,sleep=on) && sleepy2=$(ops test-guest shift=0,sleep=on) &&
		sleepy3=$(ops test-guest shift=0,sleep=on) || return 1
	[ -n "$small" ] || { echo "bench: no per-operation figures" >&2; return 1; }
	echo
	echo "per operation (bench test guest; insns: instructions retired by all CPUs, -icount shift=0):"
	printf "  %-20s %8s %10s %8s %12s %8s %10s %8s\n" operation exits/op insns/op spread \
		"large insns" large/% "sleep=on" spread
	while read -r op exits i1; do
		i2=$(fig "$small2" "$op") l1=$(fig "$large" "$op") l2=$(fig "$large2" "$op")
		s1=$(fig "$sleepy1" "$op") s2=$(fig "$sleepy2" "$op") s3=$(fig "$sleepy3" "$op")
		printf "  %-20s %8s %10s %7s%% %12s %7s%% %10s %7s%%\n" "$op" "$exits" "$i1" \
			"$(spread "$i1" "${i2:-0}")" "${l1:--}" \
			"$(awk -v a="$i1" -v b="${l1:-0}" 'BEGIN { printf "%+.1f", (a > 0 ? 100 * (b - a) / a : 0) }')" \
			"${s1:--}" "$(spread "${s1:-0}" "${s2:-0}" "${s3:-0}")"
		[ "$l1" = "$l2" ] || [ -z "$l1" ] || echo "  ($op in the large VM: $l1 then $l2)"
		[ "$s1" = "$s2" ] && [ "$s1" = "$s3" ] || echo "  ($op with sleep=on: $s1, $s2, $s3)"
	done <<<"$small"
	echo "  (spread: the second sleep=off run against the first, and the largest of"
	echo "   three sleep=on runs against the smallest; large: the bench-large VM, 8 vCPUs"
	echo "   and 988 SPIs, against the 2-vCPU VM. The WFI wake-up idles every CPU: with"
	echo "   sleep=on QEMU then waits in real time and counts it as virtual time)"
}

# nested_log MODE: the bench-nested run's log under nested=MODE.
nested_log() {
	local log
	log=$(scripts/run-scenario.sh bench-nested --append "nested=$1" 2>&1 </dev/null | tr -d '\r') ||
		{ echo "bench: the nested benchmark failed (nested=$1)" >&2; echo "$log" | tail -5 >&2; return 1; }
	echo "$log" | grep -qE "^# guest hv_bench: [0-9]+ passed, 0 failed" ||
		{ echo "bench: the nested benchmark's checks failed (nested=$1)" >&2; echo "$log" | grep "^not ok" >&2; return 1; }
	echo "$log"
}

# The exits to nestvisor per nested operation under nv and nv2, the ratio,
# and what stays above the floor of 2 (L2's trap in, L1's ERET back) under
# nv2: each exit of L1 that is not its ERET is an EL2 register access the
# VNCR page does not hold (HPFAR_EL2, ICH_MISR/EISR/ELRSR_EL2, the EL2
# timers) or an instruction that traps under NV2 too (ICC_SGI1R_EL1, TLBI).
nested_operations() {
	local nv nv2
	nv=$(nested_log nv) || return 1
	nv2=$(nested_log nv2) || return 1
	echo
	echo "exits per nested operation (hv_bench at a virtual EL2; exits to nestvisor per operation of L2 that L1 handles):"
	printf "  %-24s %10s %10s %8s   %s\n" operation nested=nv nested=nv2 nv/nv2 "nv2: exits above the floor of 2, by reason"
	join <(echo "$nv" | sed -nE 's/^bench ([a-z0-9-]+): ([0-9.]+) exits\/op.*/\1 \2/p' | sort) \
		<(echo "$nv2" | sed -nE 's/^bench ([a-z0-9-]+): ([0-9.]+) exits\/op \(([0-9]+) l0 exits over ([0-9]+) ops: irq ([0-9]+), mmio ([0-9]+), sysreg ([0-9]+), other ([0-9]+)\).*/\1 \2 \4 \5 \6 \7 \8/p;
			s/^bench ([a-z0-9-]+): ([0-9.]+) exits\/op \(0 l0 exits.*/\1 \2 1 0 0 0 0/p' | sort) |
		awk 'BEGIN {
			note["nested-mmio"] = "L1 reads HPFAR_EL2 (no VNCR offset)";
			note["nested-s2-fault"] = "HPFAR_EL2; L2 retries and nestvisor fills the shadow stage 2";
			note["nested-sgi-cross"] = "ICC_SGI1R_EL1 (through nestvisor'"'"'s vGIC); vCPU 1 in L2 WFI, then woken";
			note["nested-vtimer-irq"] = "the timer'"'"'s interrupt (nestvisor takes it, then L1'"'"'s IRQ at vEL2)";
		}
		{
			r = $3 > 0 ? sprintf("%.1fx", $2 / $3) : "-";
			n = $4; why = "";
			if ($5 / n >= 0.01) why = why sprintf(" irq %.2f", $5 / n);
			if ($7 / n >= 0.01) why = why sprintf(" sysreg %.2f", $7 / n);
			if ($6 / n >= 0.01) why = why sprintf(" mmio %.2f", $6 / n);
			if ($3 <= 2) why = " none (at the floor)";
			else why = why ": " note[$1];
			printf "  %-24s %10s %10s %8s  %s\n", $1, $2, $3, r, why }'
	echo "  (the nested hypercall's target: nv/nv2 >= 5 and nv2 <= 5, within 3 of the floor)"
	echo "  the whole run, by level:"
	echo "$nv" | grep -E "^nestvisor: vm '[^']*' (l1|l2) exits:" | sed 's/^nestvisor: /    nv:  /'
	echo "$nv2" | grep -E "^nestvisor: vm '[^']*' (l1|l2) exits:" | sed 's/^nestvisor: /    nv2: /'
}

{
	printf "%-22s %8s %8s %8s %8s %8s %8s %8s %8s %8s %8s %14s\n" workload total irq wfx \
		hvc smc sysreg mmio abort undef serror "virtual-ns"
	make --no-print-directory -s -C tests/guests >/dev/null
	for g in psci gic timer mmio; do
		lines=$(GUEST=$g run "guest $g" scripts/run-scenario.sh test-guest) || exit 1
		row "guest $g" "$lines"
	done
	scripts/fetch-linux.sh >/dev/null
	rows=()
	for i in $(seq 1 "$runs"); do
		lines=$(run linux scripts/run-scenario.sh linux) || exit 1
		rows+=("$(row "linux boot+poweroff" "$lines")")
	done
	# The median run by total exits (field 3: the label is two words).
	printf '%s\n' "${rows[@]}" | sort -k3 -n | sed -n "$(( (runs + 1) / 2 ))p"
	echo
	echo "exits per operation (the bench test guest, nestvisor's NV_HC_EXIT_COUNT call):"
	GUEST=bench scripts/run-scenario.sh test-guest 2>&1 </dev/null | tr -d '\r' | grep "^bench " | sed 's/^bench /  /'
	per_operation || exit 1
	nested_operations || exit 1
	scripts/bench-linux-kvm.sh --runs "${NV_BENCH_KVM_RUNS:-3}" || exit 1
} | tee "$out"
echo "(linux: median of $runs runs; its count varies by well under 1% between runs)"
