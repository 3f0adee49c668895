# Integration cases for user kernels: scripts/run-kernel.sh and `make run
# KERNEL=...` (a description generated from the arguments). Sourced by
# tests/run.sh (guest_passed and vm_powered_off are in vms.sh).

# make run KERNEL=...: an ELF kernel (the psci guest's ELF) with a generated description.
t_user_kernel_elf() {
	LOG="$LOG_DIR/user_elf.log"
	set +e
	NV_QEMU_TIMEOUT=60 scripts/run-kernel.sh --cmdline "" --vcpus 2 --mem 256M tests/guests/build/psci.elf \
		>"$LOG" 2>&1 </dev/null
	BOOT_RC=$?
	set -e
	expect "vm 'user': 2 vCPU\(s\), 256 MiB at 0x40000000, ELF 'kernel'" &&
		guest_passed psci && vm_powered_off user
}
t_user_kernel_image() {
	LOG="$LOG_DIR/user_image.log"
	set +e
	NV_QEMU_TIMEOUT=60 scripts/run-kernel.sh --cmdline "" --vcpus 2 --mem 128M tests/guests/build/gic.bin \
		>"$LOG" 2>&1 </dev/null
	BOOT_RC=$?
	set -e
	expect "vm 'user': 2 vCPU\(s\), 128 MiB at 0x40000000, Linux Image 'kernel'" &&
		guest_passed gic && vm_powered_off user
}
# make run KERNEL=...: a flat binary, started at the base of RAM.
t_user_kernel_flat() {
	LOG="$LOG_DIR/user_flat.log"
	set +e
	NV_QEMU_TIMEOUT=60 scripts/run-kernel.sh --cmdline "" --vcpus 1 --mem 64M tests/guests/build/hello-flat.bin \
		>"$LOG" 2>&1 </dev/null
	BOOT_RC=$?
	set -e
	expect "vm 'user': 1 vCPU\(s\), 64 MiB at 0x40000000, flat binary 'kernel' entry 0x40000000" &&
		expect "^flat-binary guest: running at EL1" &&
		expect "^flat-binary guest: x0 points at a device tree" &&
		vm_powered_off user
}

# make_run CASE VAR=VALUE...: `make run` with a kernel, output in $LOG,
# status in $BOOT_RC. The values go to make as separate arguments, as a
# user's shell would pass them.
make_run() {
	local case=$1
	shift
	LOG="$LOG_DIR/$case.log"
	set +e
	NV_QEMU_TIMEOUT=${NV_CASE_TIMEOUT:-60} make --no-print-directory run "$@" >"$LOG" 2>&1 </dev/null
	BOOT_RC=$?
	set -e
	tr -d '\r' <"$LOG" >"$LOG.tmp" && mv "$LOG.tmp" "$LOG"
}

# hex TEXT: the bytes of TEXT as the bootargs guest prints them.
hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }

# The guest's /chosen/bootargs is exactly $1 (length and bytes).
bootargs_are() {
	expect "^# bootargs: $(printf '%s' "$1" | wc -c) bytes: $(hex "$1")\$"
}

# make run CMDLINE=...: quotes, backslashes, $, backquotes, $(...), make's
# own $(shell ...) and a tab reach the guest byte for byte, and nothing in
# them runs on the host; CMDLINE= is an empty command line, an unset
# CMDLINE the default console=ttyAMA0. The guest's device tree also
# carries the GIC maintenance interrupt.
t_user_kernel_cmdline() {
	local m="$LOG_DIR/cmdline-marker" cmd
	make --no-print-directory -s -C tests/guests >/dev/null || return 1
	rm -f "$m".*
	cmd="a \"q\" 'sq' \\b \\\\ \$HOME \${X} \`touch $m.1\` \$(touch $m.2) \$\$(shell touch $m.3) \$(shell touch $m.4)	tab; x=1 | y & #z"
	make_run user_cmdline KERNEL=tests/guests/build/bootargs.bin CMDLINE="$cmd" MEM=64M &&
		expect_rc 0 && guest_passed bootargs && bootargs_are "$cmd" &&
		expect "^ok [0-9]+ - the GIC node's maintenance interrupt is <1 9 4>" || return 1
	local f
	for f in "$m".*; do
		[ ! -e "$f" ] || { fail "the command line ran on the host: $f exists"; return 1; }
	done
	make_run user_cmdline_empty KERNEL=tests/guests/build/bootargs.bin CMDLINE= MEM=64M &&
		expect_rc 0 && guest_passed bootargs && bootargs_are "" || return 1
	make_run user_cmdline_default KERNEL=tests/guests/build/bootargs.bin MEM=64M &&
		expect_rc 0 && guest_passed bootargs && bootargs_are "console=ttyAMA0"
}

# The longest command line (511 bytes) arrives whole; one byte more is
# refused with a message before QEMU starts.
t_user_kernel_cmdline_max() {
	local long
	make --no-print-directory -s -C tests/guests >/dev/null || return 1
	long=$(printf 'x%.0s' $(seq 1 510))\$
	make_run user_cmdline_max KERNEL=tests/guests/build/bootargs.bin CMDLINE="$long" MEM=64M &&
		expect_rc 0 && guest_passed bootargs && bootargs_are "$long" || return 1
	make_run user_cmdline_too_long KERNEL=tests/guests/build/bootargs.bin CMDLINE="${long}y" MEM=64M &&
		expect "run-kernel: CMDLINE is 512 bytes; a VM's command line holds at most 511" &&
		expect_not "qemu-system"
}

# MEM=4G: the VM's memory size needs two cells (a 64-bit value).
t_user_kernel_mem_4g() {
	make --no-print-directory -s -C tests/guests >/dev/null || return 1
	NV_CASE_TIMEOUT=120 make_run user_mem_4g KERNEL=tests/guests/build/bootargs.bin MEM=4G &&
		expect_rc 0 && expect "vm 'user': 1 vCPU\(s\), 4096 MiB at 0x40000000" &&
		guest_passed bootargs && vm_powered_off user
}

# make run with no variable: the default demo, scenario linux-kvm (Linux
# KVM in VHE mode at a virtual EL2, nested=auto being nv2 here, running a
# nested Linux with nvmm to its userspace; about 80 s). Its defaults were
# once never applied (unexport defines what it names).
t_make_run_default() {
	NV_CASE_TIMEOUT=600 make_run make_run_default &&
		expect "Nesting: +nv2 \(requested auto\)" && linux_kvm_ran nv2 vhe
}

# make run KERNEL=... EL2=1 NESTED=nv: the generated description gives the
# VM a virtual EL2, and the test hypervisor, entered there, runs its own
# guest (one vCPU: its SMP checks are skipped, so SKIP lines are expected).
t_user_kernel_el2() {
	make --no-print-directory -s -C tests/guests >/dev/null || return 1
	NV_CASE_TIMEOUT=120 make_run user_el2 KERNEL=tests/guests/build/hv.bin EL2=1 NESTED=nv MEM=256M &&
		expect_rc 0 && expect "Nesting: +nv \(requested nv\)" &&
		expect "# nestvisor test guest 'hv': entered at EL2" &&
		guest_passed hv && vm_powered_off user
}

# VCPUS=0 (and 9): nestvisor's message about the description, not QEMU's
# topology error.
t_user_kernel_vcpus_range() {
	make --no-print-directory -s -C tests/guests >/dev/null || return 1
	# make's status 2: its recipe failed (nestvisor's QEMU run ended with 1).
	make_run user_vcpus0 KERNEL=tests/guests/build/bootargs.bin VCPUS=0 MEM=64M &&
		expect_rc 2 &&
		expect "error: vm 'user': property 'vcpus': 0 is out of range 1..8; this VM does not start" &&
		expect_not "Invalid SMP|qemu-system-aarch64:" || return 1
	make_run user_vcpus9 KERNEL=tests/guests/build/bootargs.bin VCPUS=9 MEM=64M &&
		expect_rc 2 &&
		expect "error: vm 'user': property 'vcpus': 9 is out of range 1..8"
}
