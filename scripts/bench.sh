#!/usr/bin/env bash
# make bench: deterministic counts, never wall-clock time. Each workload runs
# under QEMU -icount (shift=0: one instruction is one nanosecond of virtual
# time; sleep=off: idle time is skipped, not waited). nestvisor prints, at
# the end, every VM's exits by reason and the counter; this script gathers
# them into a table (also written to build/bench.txt).
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
} | tee "$out"
echo "(linux: median of $runs runs; its count varies by well under 1% between runs)"
