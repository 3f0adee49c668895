# Integration cases for VMs at EL1: the in-tree test guests under nestvisor
# and on plain QEMU (the oracle), Linux, two VMs, user kernels, bad
# descriptions. Sourced by tests/run.sh.

# guest_summary NAME: the guest's own verdict line, with no failure.
guest_passed() {
	expect "^# guest $1: [0-9]+ passed, 0 failed" && expect_not "^not ok"
}

# boot_guest CASE GUEST [qemu.sh options]: a test guest as a 2-vCPU VM.
boot_guest() {
	local case=$1 guest=$2 bundle
	shift 2
	bundle=$(GUEST=$guest scripts/run-scenario.sh test-guest --bundle-only) || return 1
	cp "$bundle" "$LOG_DIR/$case.cpio"
	boot "$case" --smp 2 --initrd "$LOG_DIR/$case.cpio" "$@"
}

# The same guest on QEMU alone (EL1, no nestvisor): the reference run.
oracle_guest() {
	local case=$1 guest=$2
	LOG="$LOG_DIR/$case.log"
	set +e
	timeout --foreground -k 5 60 qemu-system-aarch64 -M virt,gic-version=3 -cpu max -smp 2 \
		-m 256M -display none -monitor none -serial stdio -nic none \
		-kernel "tests/guests/build/$guest.bin" </dev/null 2>&1 | tr -d '\r' >"$LOG"
	BOOT_RC=${PIPESTATUS[0]}
	set -e
}

# Every check as "verdict - description", numbers (test numbers, measured
# times, addresses) blanked so two runs can be compared.
verdicts() {
	grep -E '^(ok|not ok) [0-9]+ ' "$1" |
		sed -E 's/^(not ok|ok) [0-9]+ - /\1 - /; s/(0x)?[0-9a-f]*[0-9][0-9a-f]*/N/g' | sort
}

# The documented differences for one guest (tests/integration/oracle-differences.txt).
allowed_differences() {
	awk -F'\t' -v g="$1" '!/^#/ && $1 == g {print $2}' tests/integration/oracle-differences.txt
}

# same_verdicts GUEST REF RUN: every check of the QEMU reference run REF is
# in RUN with the same verdict (RUN may have more: devices only nestvisor
# has), but for the documented differences.
same_verdicts() {
	local missing
	[ "$(verdicts "$2" | wc -l)" -gt 0 ] || { LOG=$2 fail "no verdicts at all"; return 1; }
	missing=$(comm -23 <(verdicts "$2") <(verdicts "$3") |
		grep -vxF -f <(allowed_differences "$1"; echo "#none") || true)
	if [ -n "$missing" ]; then
		echo "    checks of the QEMU reference run $2 missing or different under nestvisor:"
		echo "$missing" | head -20 | sed 's/^/    | /'
		return 1
	fi
}

vm_powered_off() {
	expect_rc 0 && expect "nestvisor: vm '$1' powered off \(PSCI SYSTEM_OFF\)" &&
		expect "nestvisor: every VM is off; powering off"
}

t_guest_psci() {
	boot_guest guest_psci psci && guest_passed psci && vm_powered_off test &&
		expect "^ok [0-9]+ - first start: " &&
		expect "^ok [0-9]+ - .*NOT_SUPPORTED"
}
t_guest_reset() {
	boot_guest guest_reset reset && guest_passed reset &&
		expect "nestvisor: vm 'test' resets \(PSCI SYSTEM_RESET\)" &&
		expect "^ok [0-9]+ - second boot after SYSTEM_RESET" && vm_powered_off test
}
t_oracle_reset() {
	oracle_guest oracle_reset reset && expect_rc 0 && guest_passed reset &&
		boot_guest guest_reset_again reset && same_verdicts reset "$LOG_DIR/oracle_reset.log" "$LOG"
}
# A guest that misbehaves: UNDEFs and aborts come back to it, a vCPU that
# loops through aborts cannot flood the console, nestvisor keeps running.
t_guest_hostile() {
	boot_guest guest_hostile hostile && guest_passed hostile && vm_powered_off test &&
		expect "vcpu1: further warnings about this vCPU are suppressed" &&
		expect_count "vm 'test' vcpu1: instruction fetch from" 16 &&
		expect "vcpu0: access to 0x8000000 \(FAR 0x8000000\) without a syndrome \(ISV=0\)"
}
# SPIs: a level and an edge SPI from the test device, pending/active via
# the distributor, routing to the second vCPU (nestvisor only: the device).
t_guest_spi() {
	boot_guest guest_spi spi && guest_passed spi && vm_powered_off test &&
		expect "^ok [0-9]+ - routed by GICD_IROUTER to the second CPU: taken there"
}
t_guest_gic() { boot_guest guest_gic gic && guest_passed gic && vm_powered_off test; }
# A guest that never touches GICR_WAKER still gets its SGIs and timer PPIs.
t_guest_gicmin() { boot_guest guest_gicmin gicmin && guest_passed gicmin && vm_powered_off test; }
# Level interrupts (both timers, the test device's line) follow their source.
t_guest_level() {
	boot_guest guest_level level && guest_passed level && vm_powered_off test && expect_not "# SKIP"
}
# A vCPU in WFI is woken at once by another vCPU's write that makes an
# interrupt deliverable to it (the kick SGI), not at its next time slice;
# under -icount (1 us = 1000 instructions) the bound does not depend on
# the host's load.
t_guest_wake() {
	NV_QEMU_EXTRA="-icount shift=0,sleep=off" boot_guest guest_wake wake &&
		guest_passed wake && vm_powered_off test
}
t_oracle_wake() {
	oracle_guest oracle_wake wake && expect_rc 0 && guest_passed wake &&
		NV_QEMU_EXTRA="-icount shift=0,sleep=off" boot_guest guest_wake_again wake &&
		same_verdicts wake "$LOG_DIR/oracle_wake.log" "$LOG"
}
t_guest_timer() { boot_guest guest_timer timer && guest_passed timer && vm_powered_off test; }
t_guest_mmio() {
	boot_guest guest_mmio mmio && guest_passed mmio && vm_powered_off test &&
		expect_not "# SKIP" &&
		expect "external abort"
}

# The oracle: each guest passes on QEMU's own EL1 and reaches exactly the
# same verdicts under nestvisor.
t_oracle_psci() {
	oracle_guest oracle_psci psci && expect_rc 0 && guest_passed psci &&
		boot_guest guest_psci_again psci && same_verdicts psci "$LOG_DIR/oracle_psci.log" "$LOG"
}
t_oracle_gic() {
	oracle_guest oracle_gic gic && expect_rc 0 && guest_passed gic &&
		boot_guest guest_gic_again gic && same_verdicts gic "$LOG_DIR/oracle_gic.log" "$LOG"
}
t_oracle_gicmin() {
	oracle_guest oracle_gicmin gicmin && expect_rc 0 && guest_passed gicmin &&
		boot_guest guest_gicmin_again gicmin && same_verdicts gicmin "$LOG_DIR/oracle_gicmin.log" "$LOG"
}
t_oracle_level() {
	oracle_guest oracle_level level && expect_rc 0 && guest_passed level &&
		boot_guest guest_level_again level && same_verdicts level "$LOG_DIR/oracle_level.log" "$LOG"
}
t_oracle_timer() {
	oracle_guest oracle_timer timer && expect_rc 0 && guest_passed timer &&
		boot_guest guest_timer_again timer && same_verdicts timer "$LOG_DIR/oracle_timer.log" "$LOG"
}

t_oracle_mmio() {
	oracle_guest oracle_mmio mmio && expect_rc 0 && guest_passed mmio &&
		expect "# SKIP" &&
		boot_guest guest_mmio_again mmio && same_verdicts mmio "$LOG_DIR/oracle_mmio.log" "$LOG"
}

# More vCPUs than physical CPUs: 2 vCPUs on 1 CPU, time-sliced.
t_guest_overcommit() {
	boot_guest overcommit gic --smp 1 && guest_passed gic && vm_powered_off test
}

# The two first arch_timer counts of /proc/interrupts (before and after sleep 1).
timer_counts_grow() {
	local before after
	before=$(grep -E "GICv3 +27 Level +arch_timer" "$LOG" | head -1 | awk '{print $2}')
	after=$(grep -E "GICv3 +27 Level +arch_timer" "$LOG" | sed -n 2p | awk '{print $2}')
	[ -n "$before" ] && [ -n "$after" ] && [ "$after" -gt "$before" ] ||
		fail "arch_timer count on CPU0 did not grow across sleep 1 ('$before' -> '$after')"
}

t_linux_boots() {
	scripts/fetch-linux.sh >/dev/null || return 1
	NV_CASE_TIMEOUT=240 boot_scenario linux linux &&
		expect "nestvisor-guest: userspace up" &&
		expect "nestvisor-guest: cpus online 0-1" &&
		expect "^nestvisor-guest: cpu Features.* fp asimd" &&
		expect_not "^nestvisor-guest: cpu Features.* (sve|sme|mte)( |$)" &&
		expect "GICv3 +27 Level +arch_timer" &&
		expect "Function call interrupts" &&
		timer_counts_grow &&
		expect "nestvisor-guest: powering off" && vm_powered_off linux &&
		expect_not "unemulated|unhandled exit"
}

t_two_vms() {
	scripts/fetch-linux.sh >/dev/null || return 1
	NV_CASE_TIMEOUT=300 boot_scenario two_vms two-vms &&
		expect "^\[alpha\] nestvisor-guest: userspace up" &&
		expect "^\[beta\] nestvisor-guest: userspace up" &&
		expect "^\[alpha\] nestvisor-guest: cpus online 0-1" &&
		expect "^\[beta\] nestvisor-guest: cpus online 0$" &&
		expect "^\[alpha\] nestvisor-guest: cpu Features.* atomics" &&
		expect "^\[beta\] nestvisor-guest: cpu Features" &&
		expect_not "^\[beta\] nestvisor-guest: cpu Features.* atomics( |$)" &&
		expect "nestvisor: vm 'alpha' powered off" &&
		expect "nestvisor: vm 'beta' powered off" &&
		expect_rc 0 && expect "every VM is off; powering off"
}

# boot_scenario CASE NAME: a scenario of scenarios/ through its runner.
boot_scenario() {
	local case=$1 name=$2 bundle
	bundle=$(scripts/run-scenario.sh "$name" --bundle-only) || return 1
	cp "$bundle" "$LOG_DIR/$case.cpio"
	# shellcheck source=/dev/null
	local QEMU_SMP=2 QEMU_MEM=1G NEEDS FILES
	. "scenarios/$name.conf"
	boot "$case" --smp "$QEMU_SMP" --mem "$QEMU_MEM" --initrd "$LOG_DIR/$case.cpio"
}


# Bad descriptions: each rejected with the VM, the property and the
# problem named; the good VM in the same scenario still runs; the run ends
# as a failure because VMs were rejected.
t_bad_descriptions() {
	local dtb="$LOG_DIR/bad.dtb" bundle="$LOG_DIR/bad.cpio"
	make --no-print-directory -s -C tests/guests >/dev/null || return 1
	dtc -q -I dts -O dtb -o "$dtb" tests/integration/bad-descriptions.dts || return 1
	scripts/mkbundle.sh -o "$bundle" "scenario.dtb=$dtb" \
		guest.bin=tests/guests/build/psci.bin >/dev/null || return 1
	boot bad --smp 2 --initrd "$bundle" && expect_rc 1 &&
		expect "error: vm 'nofile': property 'kernel': file 'missing.bin' is not in the bundle; this VM does not start" &&
		expect "error: vm 'overlap': property 'gic': \[0x40000000, 0x40010000\) overlaps memory" &&
		expect "error: vm 'novcpus': property 'vcpus': 0 is out of range 1..8" &&
		expect "error: vm 'badfeature': property 'hide-cpu-features': unknown feature 'warp-drive'" &&
		expect "error: vm 'typo': property 'vcpu': unknown property" &&
		expect "error: vm 'toolarge': out of memory" &&
		expect "error: vm 'flag_one': property 'console-input': takes no value \(write 'console-input;'\), has 4 bytes; this VM does not start" &&
		expect "error: vm 'flag_zero': property 'console-input': takes no value" &&
		expect "error: vm 'el2_value': property 'virtual-el2': takes no value" &&
		expect "error: vm 'el2feat_plain': property 'virtual-el2-features': needs virtual-el2 \(it says what a guest hypervisor at the virtual EL2 may use\); this VM does not start" &&
		expect "error: vm 'el2feat_unknown': property 'virtual-el2-features': unknown feature 'nv2'; valid: vhe, e2h0, nv1; this VM does not start" &&
		expect "error: vm 'good': property '\(node name\)': 'good' is already the name of an earlier VM \(node 'good'\); this VM does not start" &&
		expect_count "nestvisor: vm 'good' powered off" 1 &&
		guest_passed psci &&
		expect "nestvisor: vm 'good' powered off \(PSCI SYSTEM_OFF\)" &&
		expect "every VM is off \(at least one failed\)"
}

# patch_byte FILE OFFSET HEX: overwrites one byte of FILE.
patch_byte() {
	printf "\\x$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# Malformed images (made from the psci guest): each VM refused with its
# name, its file and the problem; the good VM after them runs.
t_bad_images() {
	local d="$LOG_DIR/bad_images" elf=tests/guests/build/psci.elf
	make --no-print-directory -s -C tests/guests >/dev/null || return 1
	rm -rf "$d" && mkdir -p "$d"
	head -c 40 "$elf" >"$d/elf-short"
	head -c 58 tests/guests/build/psci.bin >"$d/image-short" # ends in "AR" of the magic
	cp "$elf" "$d/elf-phdrs" && patch_byte "$d/elf-phdrs" 34 10 # e_phoff 0x100040
	head -c 4096 "$elf" >"$d/elf-segment"                     # headers only
	cp "$elf" "$d/elf-unaligned" && patch_byte "$d/elf-unaligned" 24 02 # e_entry + 2
	dtc -q -I dts -O dtb -o "$d/scenario.dtb" tests/integration/bad-images.dts || return 1
	scripts/mkbundle.sh -o "$d/bundle.cpio" "scenario.dtb=$d/scenario.dtb" \
		guest.bin=tests/guests/build/psci.bin elf-short="$d/elf-short" \
		image-short="$d/image-short" elf-phdrs="$d/elf-phdrs" \
		elf-segment="$d/elf-segment" elf-unaligned="$d/elf-unaligned" >/dev/null || return 1
	boot bad_images --smp 2 --initrd "$d/bundle.cpio" && expect_rc 1 &&
		expect "error: vm 'elf_short': kernel 'elf-short': ELF file of 40 bytes is shorter than its 64-byte ELF64 header \(truncated\); this VM does not start" &&
		expect "error: vm 'image_short': kernel 'image-short': Linux Image of 58 bytes is cut inside its 64-byte header" &&
		expect "error: vm 'elf_phdrs': kernel 'elf-phdrs': ELF program headers are out of the file" &&
		expect "error: vm 'elf_segment': kernel 'elf-segment': ELF segment 0 is out of the file" &&
		expect "error: vm 'elf_unaligned': kernel 'elf-unaligned': ELF: entry point 0x40080002 is not 4-byte aligned" &&
		guest_passed psci && expect_count "^nestvisor: vm '[a-z_]+' powered off" 1 &&
		expect "nestvisor: vm 'good' powered off \(PSCI SYSTEM_OFF\)" &&
		expect "every VM is off \(at least one failed\)"
}

# A 64 GiB VM first: refused for lack of memory, it gives everything back
# and the 16 MiB VM after it runs.
t_bad_big_vm_first() {
	local dtb="$LOG_DIR/big_first.dtb" bundle="$LOG_DIR/big_first.cpio"
	make --no-print-directory -s -C tests/guests >/dev/null || return 1
	dtc -q -I dts -O dtb -o "$dtb" tests/integration/big-vm-first.dts || return 1
	scripts/mkbundle.sh -o "$bundle" "scenario.dtb=$dtb" \
		guest.bin=tests/guests/build/psci.bin >/dev/null || return 1
	boot big_first --smp 2 --initrd "$bundle" && expect_rc 1 &&
		expect "error: vm 'big': out of memory for its 65536 MiB of RAM \([0-9]+ MiB free\); this VM does not start" &&
		expect "vm 'small': 2 vCPU\(s\), 16 MiB at 0x40000000, Linux Image 'guest.bin'.*, VMID 1," &&
		guest_passed psci && expect "nestvisor: vm 'small' powered off \(PSCI SYSTEM_OFF\)"
}

# A bundle cut in the middle of a file, or whose size field points past
# its end: the error says the archive is truncated or malformed, and where.
t_bad_bundle_truncated() {
	local d="$LOG_DIR/bad_bundle_truncated" size
	make --no-print-directory -s -C tests/guests >/dev/null || return 1
	mkdir -p "$d"
	dtc -q -I dts -O dtb -o "$d/scenario.dtb" scenarios/test-guest.dts || return 1
	scripts/mkbundle.sh -o "$d/whole.cpio" "scenario.dtb=$d/scenario.dtb" \
		guest.bin=tests/guests/build/psci.bin >/dev/null || return 1
	size=$(stat -c %s "$d/whole.cpio")
	head -c $((size - 2000)) "$d/whole.cpio" >"$d/cut.cpio"
	boot bad_bundle_cut --smp 1 --initrd "$d/cut.cpio" && expect_rc 1 &&
		expect "error: vm 'test': property 'kernel': file 'guest.bin': the bundle is truncated or malformed at offset 0x[0-9a-f]+ \(entry 'guest.bin'\): file size 0x[0-9a-f]+ runs past the end of the archive" &&
		expect_not "is not in the bundle" || return 1
	# The size field of guest.bin (the entry after scenario.dtb) 0x00f00000.
	cp "$d/whole.cpio" "$d/size.cpio"
	local off
	off=$(grep -boa "070701" "$d/size.cpio" | sed -n 2p | cut -d: -f1)
	printf '00f00000' | dd of="$d/size.cpio" bs=1 seek=$((off + 6 + 6 * 8)) conv=notrunc status=none
	boot bad_bundle_size --smp 1 --initrd "$d/size.cpio" && expect_rc 1 &&
		expect "error: vm 'test': property 'kernel': file 'guest.bin': the bundle is truncated or malformed at offset 0x$(printf %x "$off") \(entry 'guest.bin'\): file size 0xf00000 runs past the end"
}

# A corrupted scenario.dtb: libfdt's own error, not "no VM could be started".
t_bad_scenario_dtb() {
	local d="$LOG_DIR/bad_scenario_dtb" soff
	make --no-print-directory -s -C tests/guests >/dev/null || return 1
	mkdir -p "$d"
	dtc -q -I dts -O dtb -o "$d/good.dtb" scenarios/test-guest.dts || return 1
	# off_dt_struct (header word 2): the first tag there is FDT_BEGIN_NODE.
	soff=$((0x$(od -An -tx1 -j8 -N4 "$d/good.dtb" | tr -d ' \n')))
	cp "$d/good.dtb" "$d/nobegin.dtb" && patch_byte "$d/nobegin.dtb" $((soff + 3)) 09 # FDT_END
	cp "$d/good.dtb" "$d/strings.dtb" && patch_byte "$d/strings.dtb" $((soff + 16 + 2)) 7f # nameoff
	for bad in nobegin strings; do
		dtc -q -I dtb -O dts -o /dev/null "$d/$bad.dtb" 2>/dev/null &&
			{ fail "dtc accepts the corrupted $bad.dtb"; return 1; }
		scripts/mkbundle.sh -o "$d/$bad.cpio" "scenario.dtb=$d/$bad.dtb" \
			guest.bin=tests/guests/build/psci.bin >/dev/null || return 1
	done
	boot bad_scenario_nobegin --smp 1 --initrd "$d/nobegin.cpio" && expect_rc 1 &&
		expect "error: bundle: scenario.dtb is not a valid device tree: FDT_ERR_BADSTRUCTURE" &&
		expect_not "no VM could be started" || return 1
	boot bad_scenario_strings --smp 1 --initrd "$d/strings.cpio" && expect_rc 1 &&
		expect "error: bundle: scenario.dtb is not a valid device tree: FDT_ERR_BADOFFSET \(libfdt fdt_check_full\)" &&
		expect_not "no VM could be started"
}

# A bundle without a scenario is refused with a clear message.
t_bad_bundle() {
	local bundle="$LOG_DIR/nobundle.cpio"
	scripts/mkbundle.sh -o "$bundle" guest.bin=tests/guests/build/psci.bin >/dev/null || return 1
	boot bad_bundle --smp 1 --initrd "$bundle" && expect_rc 1 &&
		expect "error: bundle: the initrd is not a cpio archive holding scenario.dtb"
}

# Console input: a line typed on nestvisor's UART reaches the VM marked
# console-input (its init echoes it back). The line is sent once the guest
# asks for it: Linux's PL011 driver drains the receive FIFO when it starts.
t_console_input() {
	local bundle fifo="$LOG_DIR/console_input.fifo" qpid i
	scripts/fetch-linux.sh >/dev/null || return 1
	bundle=$(scripts/run-scenario.sh linux --bundle-only) || return 1
	LOG="$LOG_DIR/console_input.log"
	rm -f "$fifo" && mkfifo "$fifo"
	timeout --foreground -k 5 240 qemu-system-aarch64 \
		-M virt,virtualization=on,gic-version=3 -cpu max -smp 2 -m 1G \
		-display none -monitor none -serial stdio -nic none \
		-semihosting-config enable=on,target=native \
		-kernel "$NV_IMAGE" -initrd "$bundle" <"$fifo" >"$LOG" 2>&1 &
	qpid=$!
	exec 3>"$fifo"
	for i in $(seq 1 240); do
		grep -q "waiting 5 s for a line of console input" "$LOG" && break
		kill -0 "$qpid" 2>/dev/null || break
		sleep 1
	done
	printf 'hello-from-the-host\n' >&3
	set +e
	wait "$qpid"
	BOOT_RC=$?
	set -e
	exec 3>&-
	rm -f "$fifo"
	tr -d '\r' <"$LOG" >"$LOG.tmp" && mv "$LOG.tmp" "$LOG"
	expect "console input goes to vm 'linux'" &&
		expect "^nestvisor-guest: console input: hello-from-the-host$" &&
		vm_powered_off linux
}


# Exit accounting: under -icount the test guest's exits by reason are the
# same in two runs, and they add up to the total.
t_exit_accounting() {
	local a b
	NV_QEMU_EXTRA="-icount shift=0,sleep=off" boot_guest accounting1 gic && guest_passed gic || return 1
	a=$(grep "exits: total=" "$LOG") || { fail "no exits line"; return 1; }
	echo "$a" | awk '{ split($5, t, "="); s = 0; for (i = 6; i <= NF; i++) { split($i, kv, "="); s += kv[2] }
		exit !(s == t[2] && t[2] > 0) }' || { fail "the reasons do not add up to the total: $a"; return 1; }
	echo "$a" | grep -qE " mmio=[1-9]" || { fail "no MMIO exits counted: $a"; return 1; }
	NV_QEMU_EXTRA="-icount shift=0,sleep=off" boot_guest accounting2 gic && guest_passed gic || return 1
	b=$(grep "exits: total=" "$LOG")
	[ "$a" = "$b" ] || fail "two -icount runs differ: '$a' vs '$b'"
}

# Two VMs time-sliced on one CPU keep their own CPU state; a VM that
# leaves per-CPU state behind (OS Lock, double lock, claim tags, DISR,
# OSECCR_EL1, the DCC, ...) and powers off leaves nothing for the VM after
# it on that CPU. QEMU's DCC and OSECCR_EL1 are constant, so the leaving
# VM also checks that each access to them is one of nestvisor's exits.
t_isolation() {
	local dtb="$LOG_DIR/isolation.dtb" bundle="$LOG_DIR/isolation.cpio"
	dtc -q -I dts -O dtb -o "$dtb" tests/integration/isolation.dts || return 1
	scripts/mkbundle.sh -o "$bundle" "scenario.dtb=$dtb" \
		guest.bin=tests/guests/build/isolation.bin >/dev/null || return 1
	isolation_gic || return 1
	boot isolation --smp 1 --initrd "$bundle" && expect_rc 0 &&
		expect_count "^\[(left|right)\] # guest isolation: [0-9]+ passed, 0 failed" 2 &&
		expect "^\[dirty\] # guest isolation: [0-9]+ passed, 0 failed" &&
		expect "^\[clean\] # guest isolation: 15 passed, 0 failed" &&
		expect_not "not ok" &&
		expect "vm 'left' powered off" && expect "vm 'right' powered off" &&
		expect "vm 'clean' powered off" && dirty_before_clean
}

# The GIC virtual interface: a VM that leaves Group 0 and Group 1
# interrupts active (ICH_AP0R/AP1R) beside one that needs its timers.
isolation_gic() {
	local dtb="$LOG_DIR/isolation-gic.dtb" bundle="$LOG_DIR/isolation-gic.cpio"
	dtc -q -I dts -O dtb -o "$dtb" tests/integration/isolation-gic.dts || return 1
	scripts/mkbundle.sh -o "$bundle" "scenario.dtb=$dtb" \
		gicleak.bin=tests/guests/build/gicleak.bin >/dev/null || return 1
	boot isolation_gic --smp 1 --initrd "$bundle" && expect_rc 0 &&
		expect "^\[leaky\] # guest gicleak: 5 passed, 0 failed" &&
		expect "^\[victim\] # guest gicleak: 5 passed, 0 failed" &&
		expect_not "not ok" && expect "vm 'victim' powered off"
}

# The clean VM's checks come after the dirty VM went off on the same CPU.
dirty_before_clean() {
	local off check
	off=$(grep -n "vm 'dirty' powered off" "$LOG" | head -1 | cut -d: -f1)
	check=$(grep -n "^\[clean\] ok [0-9]* - after another VM" "$LOG" | head -1 | cut -d: -f1)
	[ -n "$off" ] && [ -n "$check" ] && [ "$off" -lt "$check" ] ||
		fail "the clean VM checked (line '$check') before the dirty VM was off (line '$off')"
}

# Linux with 4 vCPUs on 2 CPUs: every vCPU comes online, and the power-off
# completes (the parked CPUs spin through WFI with IRQs masked and must not
# starve the one that powers off).
t_linux_overcommit() {
	scripts/fetch-linux.sh >/dev/null || return 1
	NV_CASE_TIMEOUT=240 boot_scenario linux_overcommit linux-overcommit &&
		expect "nestvisor-guest: cpus online 0-3" &&
		timer_counts_grow && vm_powered_off linux
}

# The same Linux VM on an older host CPU (Cortex-A57: no VHE, NV, PAuth,
# FGT, ECV; 44-bit PARange): what nestvisor switches and traps adapts.
t_linux_on_cortex_a57() {
	local bundle
	scripts/fetch-linux.sh >/dev/null || return 1
	bundle=$(scripts/run-scenario.sh linux --bundle-only) || return 1
	cp "$bundle" "$LOG_DIR/linux_a57.cpio"
	NV_CASE_TIMEOUT=240 boot linux_a57 --cpu cortex-a57 --smp 2 --initrd "$LOG_DIR/linux_a57.cpio" &&
		expect "FEAT_NV no" && expect "nestvisor-guest: userspace up" &&
		expect "nestvisor-guest: cpus online 0-1" && timer_counts_grow &&
		vm_powered_off linux && expect_not "^warning|^error"
}

# Exits per operation (the bench guest, counted by nestvisor's
# NV_HC_EXIT_COUNT call, under -icount): one exit for each trapped access,
# interrupt or hypercall, two for a WFI woken by the timer. A regression
# in the exit path's efficiency fails here.
t_exits_per_operation() {
	NV_QEMU_EXTRA="-icount shift=0,sleep=off" boot_guest bench bench && guest_passed bench &&
		expect "^bench hvc-null: 1.00 exits/op" &&
		expect "^bench mmio-read: 1.00 exits/op \(irq 0, mmio 200," &&
		expect "^bench ptimer-ctl-read: 1.00 exits/op \(irq 0, mmio 0, sysreg 200" &&
		expect "^bench sgi-self: 1.00 exits/op" &&
		expect "^bench vtimer-irq: 1.00 exits/op \(irq 200," &&
		expect "^bench wfi-vtimer-wakeup: 2.00 exits/op"
}

# The test hypervisor at QEMU's real EL2: the reference run for nestvisor's
# virtual EL2 (which is not there yet; VMs with virtual-el2 are refused).
# Two CPUs: it runs a guest with two vCPUs, one on each.
# hv_at_real_el2 CASE GUEST [QEMU options]: a test hypervisor (hv,
# hv_hostile) on QEMU alone at its real EL2, passing every check with none
# skipped: the reference run t_nested_* compare nestvisor's virtual EL2 with.
hv_at_real_el2() {
	qemu_el2 "$1" "tests/guests/build/$2.bin" "${@:3}"
	expect_rc 0 && guest_passed "$2" && expect_not "# SKIP"
}

t_testhv_at_real_el2() { hv_at_real_el2 testhv_el2 hv; }

# hv's VHE mode (bootargs "vhe": HCR_EL2.E2H 1, TGE 1 for its host side and
# its EL0 task) at QEMU's real EL2: every check of the E2H 0 mode that
# applies, and the VHE ones, none skipped.
t_testhv_vhe_at_real_el2() {
	hv_at_real_el2 testhv_vhe_el2 hv -append vhe &&
		expect "^ok [0-9]+ - HCR_EL2.E2H and TGE are 1" &&
		expect "^ok [0-9]+ - TGE 1: the host's EL0 task's SVC is taken at EL2 with ESR_EL2.EC 0x15" &&
		expect "^ok [0-9]+ - SMP: CPU 1 runs its host side with HCR_EL2.E2H and TGE 1 too"
}

# Asked for vhe where ID_AA64MMFR1_EL1.VH is 0 (a Cortex-A57: EL2 without
# FEAT_VHE), hv says so and passes with no checks (as it will at a virtual
# EL2 that does not offer FEAT_VHE).
t_testhv_vhe_skipped_without_feat_vhe() {
	qemu_el2 testhv_vhe_no_vh tests/guests/build/hv.bin -cpu cortex-a57 -append vhe
	expect_rc 0 && expect "^# SKIP vhe: ID_AA64MMFR1_EL1.VH is 0" &&
		expect "^# guest hv: 0 passed, 0 failed" && expect_not "^ok "
}

t_hostile_l1_at_real_el2() { hv_at_real_el2 hostile_l1_el2 hv_hostile; }
