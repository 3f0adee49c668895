#!/usr/bin/env bash
# Runs the libFuzzer harnesses built by `make fuzz-build` (build/fuzz/fuzz_*).
#   tests/fuzz/run.sh [--time SECONDS] [--runs N] [NAME...]
# Each harness runs SECONDS (default 60) or N executions, whichever ends
# first (0: no bound of that kind), from its seed corpus in
# tests/fuzz/corpus/NAME (read only) and the inputs it found before in
# build/fuzz/corpus/NAME, with tests/fuzz/NAME.dict if there is one. It
# prints one line per harness: executions, executions per second,
# coverage (edges, features) and the verdict. A crash, a sanitizer report
# or a failed check leaves the input in build/fuzz/artifacts/ and makes the
# exit status 1. libFuzzer's own output goes to $FUZZ_LOGS/NAME.log
# (default build/fuzz/logs).
set -uo pipefail
cd "$(dirname "$0")/../.."

time_s=60 runs=0 names=()
while [ $# -gt 0 ]; do
	case "$1" in
	--time) time_s=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	-*) echo "fuzz: unknown option $1" >&2; exit 2 ;;
	*) names+=("$1"); shift ;;
	esac
done
if [ ${#names[@]} -eq 0 ]; then
	for b in build/fuzz/fuzz_*; do
		[ -x "$b" ] && [ "${b%.d}" = "$b" ] && names+=("${b#build/fuzz/fuzz_}")
	done
fi
[ ${#names[@]} -gt 0 ] || { echo "fuzz: no harness built (make fuzz-build)" >&2; exit 2; }

logs=${FUZZ_LOGS:-build/fuzz/logs}
mkdir -p build/fuzz/artifacts "$logs"
status=0
for n in "${names[@]}"; do
	bin=build/fuzz/fuzz_$n
	[ -x "$bin" ] || { echo "fuzz: no harness '$n' (have: $(cd build/fuzz && ls -d fuzz_*[!d] 2>/dev/null | sed 's/fuzz_//' | tr '\n' ' '))" >&2; status=1; continue; }
	work=build/fuzz/corpus/$n seeds=tests/fuzz/corpus/$n log=$logs/$n.log
	mkdir -p "$work"
	opts=(-max_total_time="$time_s" -runs="$runs" -timeout=10 -print_final_stats=1
	      -artifact_prefix="build/fuzz/artifacts/$n-")
	[ "$runs" -gt 0 ] || opts[1]=-runs=-1
	[ -f "tests/fuzz/$n.dict" ] && opts+=(-dict="tests/fuzz/$n.dict")
	dirs=("$work")
	[ -d "$seeds" ] && dirs+=("$seeds")
	"$bin" "${opts[@]}" "${dirs[@]}" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
	if [ "$rc" -eq 0 ]; then
		verdict=clean
	else
		verdict="FAILED (exit $rc): $(grep -m1 -E 'ERROR: |check failed|runtime error' "$log" | cut -c1-160); log $log"
		status=1
	fi
	printf 'fuzz_%s: %s executions, %s/s, %s, %s\n' "$n" "${execs:-?}" "${rate:-?}" \
		"${cov:-cov: ?}" "$verdict"
done
exit $status
