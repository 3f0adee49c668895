#!/usr/bin/env bash
# Runs every test: both compiler builds, the host unit tests (cmocka), a
# short run of every fuzz harness and the QEMU integration cases. Ends
# with "N passed, N failed" (then ", N skipped" when a case was skipped:
# an integration case that returns $SKIP_RC, 77, says it cannot run here
# and counts neither as passed nor as failed).
#   tests/run.sh [--unit-only] [--filter REGEX]
set -uo pipefail
cd "$(dirname "$0")/.."

unit_only=0 filter=""
while [ $# -gt 0 ]; do
	case "$1" in
	--unit-only) unit_only=1; shift ;;
	--filter) filter=$2; shift 2 ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
done

passed=0 failed=0 skipped=0
failures=()
SKIP_RC=77
LOG_DIR=build/test-logs
mkdir -p "$LOG_DIR"

record() { # NAME RC
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1)); echo "PASS $1"
	elif [ "$2" -eq "$SKIP_RC" ]; then
		skipped=$((skipped + 1)); echo "SKIP $1"
	else
		failed=$((failed + 1)); failures+=("$1"); echo "FAIL $1"
	fi
}

# selected NAME [LABEL]: the filter matches the case's name or the label
# its result line shows ("qemu: insns_targets" for t_insns_targets).
selected() {
	[ -z "$filter" ] || [[ "$1" =~ $filter ]] || { [ -n "${2:-}" ] && [[ "$2" =~ $filter ]]; }
}

# 1. Builds: both compilers, strict warnings as errors.
if selected build; then
	make --no-print-directory all >"$LOG_DIR/build-gcc.log" 2>&1
	record "build: cross gcc, -Werror" $?
	make --no-print-directory clang >"$LOG_DIR/build-clang.log" 2>&1
	record "build: clang, -Werror" $?
fi

# 2. Host unit tests: each cmocka case counts.
if make --no-print-directory unit-build >"$LOG_DIR/build-unit.log" 2>&1; then
	for t in build/host/tests/test_*; do
		[ -x "$t" ] && [ "${t%.d}" = "$t" ] || continue
		name=$(basename "$t")
		selected "$name" "unit: $name" || continue
		out="$LOG_DIR/$name.log"
		"$t" >"$out" 2>&1
		rc=$?
		p=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test(s)\..*/\1/p' "$out" | tail -1)
		f=$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) test(s), listed below.*/\1/p' "$out" | tail -1)
		p=${p:-0} f=${f:-0}
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi # crashed
		passed=$((passed + p)); failed=$((failed + f))
		echo "$([ "$f" -eq 0 ] && echo PASS || echo FAIL) unit: $name ($p passed, $f failed)"
		[ "$f" -eq 0 ] || { failures+=("unit: $name"); grep -E 'FAILED|ERROR|error' "$out" | head -20 | sed 's/^/    /'; }
	done
else
	record "build: host unit tests" 1
	tail -20 "$LOG_DIR/build-unit.log"
fi

# 3. Fuzzing: every libFuzzer harness (tests/fuzz/fuzz_NAME.c) for a few
# seconds (NV_FUZZ_TIME, default 3); a crash or sanitizer report fails it.
fuzz_names=()
if [ "$unit_only" -eq 0 ]; then
	for f in tests/fuzz/fuzz_*.c; do
		name=$(basename "$f" .c)
		selected "$name" "fuzz: ${name#fuzz_}" && fuzz_names+=("${name#fuzz_}")
	done
fi
if [ ${#fuzz_names[@]} -gt 0 ]; then
	if make --no-print-directory -j2 fuzz-build >"$LOG_DIR/build-fuzz.log" 2>&1; then
		for name in "${fuzz_names[@]}"; do
			line=$(FUZZ_LOGS=$LOG_DIR/fuzz tests/fuzz/run.sh --time "${NV_FUZZ_TIME:-3}" "$name")
			record "fuzz: $name" $?
			echo "    $line"
		done
	else
		record "build: fuzz harnesses" 1
		tail -20 "$LOG_DIR/build-fuzz.log"
	fi
fi

# 4. Integration: boot nestvisor in QEMU (the test guests built first).
if [ "$unit_only" -eq 0 ]; then
	make --no-print-directory -s -C tests/guests >"$LOG_DIR/build-guests.log" 2>&1
	record "build: test guests" $?
	source tests/integration/lib.sh
	for f in tests/integration/*.sh; do
		[ "$(basename "$f")" = lib.sh ] || source "$f"
	done
	for fn in $(declare -F | awk '$3 ~ /^t_/ {print $3}'); do
		name=${fn#t_}
		selected "$name" "qemu: $name" || continue
		( set -e; "$fn" )
		record "qemu: $name" $?
	done
fi

echo
if [ ${#failures[@]} -gt 0 ]; then
	echo "Failed:"
	printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed$([ "$skipped" -eq 0 ] || echo ", $skipped skipped")"
[ "$failed" -eq 0 ]
