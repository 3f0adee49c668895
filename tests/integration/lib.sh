# Helpers for integration cases: boot nestvisor in QEMU (always with a
# timeout), then check its exit status and what it printed.
# A case is a shell function named t_<name> that returns non-zero on failure,
# or $SKIP_RC (77) when it cannot run here (tests/run.sh counts it skipped).

NV_IMAGE=${NV_IMAGE:-build/gcc/nestvisor.bin}
LOG_DIR=${LOG_DIR:-build/test-logs}
SKIP_RC=77
mkdir -p "$LOG_DIR"

# boot NAME [qemu.sh options...]: runs QEMU, output in $LOG_DIR/NAME.log,
# exit status in $BOOT_RC.
boot() {
	local name=$1
	shift
	LOG="$LOG_DIR/$name.log"
	set +e
	scripts/qemu.sh --timeout "${NV_CASE_TIMEOUT:-60}" "$@" -- "$NV_IMAGE" >"$LOG" 2>&1
	BOOT_RC=$?
	set -e
	tr -d '\r' <"$LOG" >"$LOG.tmp" && mv "$LOG.tmp" "$LOG"
}

fail() {
	echo "    FAIL: $*"
	echo "    --- last lines of $LOG ---"
	tail -n 15 "$LOG" | sed 's/^/    | /'
	return 1
}

expect_rc() {
	[ "$BOOT_RC" -eq "$1" ] || fail "exit status $BOOT_RC, expected $1 (124 means timeout)"
}

# expect REGEX: some line of the log matches (grep -E).
expect() {
	grep -qE -- "$1" "$LOG" || fail "no line matches /$1/"
}

expect_not() {
	! grep -qE -- "$1" "$LOG" || fail "unexpected line matching /$1/"
}

# count REGEX N: exactly N lines match.
expect_count() {
	local n
	n=$(grep -cE -- "$1" "$LOG" || true)
	[ "$n" -eq "$2" ] || fail "$n lines match /$1/, expected $2"
}

# make_dtb NAME SMP CPU: dumps the DTB QEMU would pass for these options.
make_dtb() {
	local out="$LOG_DIR/$1.dtb"
	timeout 30 qemu-system-aarch64 -M "virt,virtualization=on,gic-version=3,dumpdtb=$out" \
		-cpu "$3" -smp "$2" -m 1G -display none -nic none >/dev/null 2>&1 </dev/null
	echo "$out"
}

# dt_find DTB COMPATIBLE: path of the first root child with that compatible.
dt_find() {
	local node
	for node in $(fdtget -l "$1" /); do
		if fdtget "$1" "/$node" compatible 2>/dev/null | tr ' ' '\n' | grep -qx -- "$2"; then
			echo "/$node"
			return 0
		fi
	done
	return 1
}

# skip_case REASON: says why, returns $SKIP_RC (write `skip_case ...; return`).
skip_case() {
	echo "    SKIP: $*"
	return "$SKIP_RC"
}

# Runs of QEMU alone at its real EL2 (virtualization=on, no nestvisor):
# qemu_el2 CASE IMAGE [QEMU options], the output in $LOG_DIR/CASE.log,
# status in $BOOT_RC (a later -cpu replaces -cpu max).
qemu_el2() {
	LOG="$LOG_DIR/$1.log"
	set +e
	timeout --foreground -k 5 60 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 \
		-cpu max -smp 2 -m 256M -display none -monitor none -serial stdio -nic none \
		-kernel "$2" "${@:3}" </dev/null 2>&1 | tr -d '\r' >"$LOG"
	BOOT_RC=${PIPESTATUS[0]}
	set -e
}
