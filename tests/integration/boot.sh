# Integration cases for the foundation: boot at EL2, SMP, boot parameters,
# bad device trees, the crash report. Sourced by tests/run.sh.

# The boot summary every successful boot ends with.
summary_ok() {
	local cpus=$1
	expect_rc 0 &&
		expect "CPUs: +$cpus online of $cpus" &&
		expect "Timer: +[0-9]+ Hz, EL2 physical timer INTID 26 fired on $cpus of $cpus CPUs" &&
		expect_count "^cpu[0-9]+: EL2 physical timer interrupt \(INTID 26\) taken" "$cpus" &&
		expect "GIC: +GICv[34] distributor 0x8000000, [0-9]+ SPIs" &&
		expect "no VM to run; powering off"
}

t_boot_smp1() { boot smp1 --smp 1 && summary_ok 1; }
t_boot_smp2() { boot smp2 --smp 2 && summary_ok 2; }
t_boot_smp4() { boot smp4 --smp 4 && summary_ok 4; }
t_boot_smp8() { boot smp8 --smp 8 && summary_ok 8; }

t_boot_clang_image() {
	NV_IMAGE=build/clang/nestvisor.bin boot clang --smp 2 && summary_ok 2
}

t_boot_features_max() {
	boot features --smp 1 &&
		expect "Features: +EL2 yes, VHE yes, FEAT_NV yes, FEAT_NV2 yes, NV1 yes, FEAT_ECV yes, FEAT_FGT yes, GICv3 sysregs yes" &&
		expect "Memory: +PARange (48|52) bits, VMID 16 bits" &&
		expect "RAM: +1024 MiB in 1 range\(s\), first \[0x40000000, 0x80000000\)"
}

t_boot_ram_size() {
	boot ram --smp 1 --mem 512M && expect_rc 0 &&
		expect "RAM: +512 MiB in 1 range\(s\), first \[0x40000000, 0x60000000\)"
}

# auto is nv2 where the CPU has FEAT_NV2 (QEMU's max CPU has it).
t_param_nested_auto() {
	boot nested_auto --smp 1 --append "nested=auto" && expect_rc 0 &&
		expect "Nesting: +nv2 \(requested auto\)"
}
t_param_nested_default() {
	boot nested_default --smp 1 && expect_rc 0 &&
		expect "Nesting: +nv2 \(requested auto\)"
}
t_param_nested_off() {
	boot nested_off --smp 1 --append "nested=off" && expect_rc 0 &&
		expect "Nesting: +off \(requested off\)"
}
t_param_nested_nv() {
	boot nested_nv --smp 1 --append "nested=nv" && expect_rc 0 &&
		expect "Nesting: +nv \(requested nv\)"
}
t_param_nested_nv2() {
	boot nested_nv2 --smp 1 --append "nested=nv2" && expect_rc 0 &&
		expect "Nesting: +nv2 \(requested nv2\)"
}

# A CPU without FEAT_NV: auto falls back to off, an explicit nv2 is refused.
t_cpu_a57_auto_is_off() {
	boot a57_auto --smp 2 --cpu cortex-a57 && summary_ok 2 &&
		expect "FEAT_NV no, FEAT_NV2 no" &&
		expect "Nesting: +off \(requested auto\)"
}
t_cpu_a57_nv2_refused() {
	boot a57_nv2 --smp 1 --cpu cortex-a57 --append "nested=nv2" && expect_rc 1 &&
		expect "error: nested=nv2 requested but the CPU lacks FEAT_NV2" &&
		expect_not "boot summary"
}

t_param_loglevel_error() {
	boot loglevel_error --smp 2 --append "loglevel=error" && expect_rc 0 &&
		expect_not "^cpu[0-9]+: EL2 physical timer" &&
		expect_not "starting at EL2" && expect "CPUs: +2 online of 2"
}
t_param_loglevel_warn() {
	boot loglevel_warn --smp 1 --append "loglevel=warn" && expect_rc 0 &&
		expect_not "starting at EL2" && expect "CPUs: +1 online of 1"
}
t_param_loglevel_info() {
	boot loglevel_info --smp 1 --append "loglevel=info" && expect_rc 0 &&
		expect "starting at EL2" && expect_not "^debug:"
}
t_param_loglevel_debug() {
	boot loglevel_debug --smp 1 --append "loglevel=debug nested=off" && expect_rc 0 &&
		expect "^debug: " && expect "Boot args: +\"loglevel=debug nested=off\""
}

t_param_unknown() {
	boot param_unknown --smp 1 --append "nested=nv frobnicate=1" && expect_rc 1 &&
		expect "error: unknown boot parameter 'frobnicate=1'; valid parameters: nested=off\|nv\|nv2\|auto loglevel=error\|warn\|info\|debug" &&
		expect_not "boot summary"
}
t_param_bad_value() {
	boot param_bad --smp 1 --append "nested=bogus" && expect_rc 1 &&
		expect "error: boot parameter 'nested=bogus' is malformed: nested takes one of off\|nv\|nv2\|auto"
}
t_param_no_value() {
	boot param_novalue --smp 1 --append "loglevel" && expect_rc 1 &&
		expect "error: boot parameter 'loglevel' is malformed: loglevel takes one of error\|warn\|info\|debug"
}

t_crash_report() {
	boot crash --smp 2 --append "selftest=crash" && expect_rc 1 &&
		expect "unhandled synchronous exception from EL2 on CPU 0" &&
		expect "ESR_EL2 +0x0000000096000006 +EC 0x25 \(data abort, same EL\)" &&
		expect "translation fault" &&
		expect "FAR_EL2 +0x0000000000000010" &&
		expect "ELR_EL2 +0x00000000[0-9a-f]{8}" &&
		expect "^x30 0x[0-9a-f]{16} +sp +0x[0-9a-f]{16}" &&
		expect_not "boot summary"
}

# Device trees with a node removed or broken: a clear error, a clean stop.
t_dtb_missing_gic() {
	local dtb gic
	dtb=$(make_dtb nogic 2 max) && gic=$(dt_find "$dtb" arm,gic-v3) || return 1
	fdtput -r "$dtb" "$gic" || return 1
	boot dtb_nogic --smp 2 --dtb "$dtb" && expect_rc 1 &&
		expect "error: device tree: no GICv3 node \(compatible \"arm,gic-v3\"\)" &&
		expect "stopping after a failure"
}
t_dtb_gic_bad_reg() {
	local dtb gic
	dtb=$(make_dtb gicreg 1 max) && gic=$(dt_find "$dtb" arm,gic-v3) || return 1
	fdtput -t x "$dtb" "$gic" reg 0 0x8000000 0 0x10000 || return 1
	boot dtb_gicreg --smp 1 --dtb "$dtb" && expect_rc 1 &&
		expect "error: device tree: $gic: reg has 1 entries, need the distributor and 1 redistributor region"
}
t_dtb_missing_timer_irqs() {
	local dtb timer
	dtb=$(make_dtb notimer 1 max) && timer=$(dt_find "$dtb" arm,armv8-timer) || return 1
	fdtput -d "$dtb" "$timer" interrupts || return 1
	boot dtb_notimer --smp 1 --dtb "$dtb" && expect_rc 1 &&
		expect "error: device tree: $timer: interrupts has 0 entries, need at least 4"
}
# QEMU rewrites /psci and /memory in a -dtb it is given, so those two
# are covered by the unit tests (tests/unit/test_platform.c) instead.
t_dtb_redist_too_small() {
	local dtb gic
	dtb=$(make_dtb gicsmall 1 max) && gic=$(dt_find "$dtb" arm,gic-v3) || return 1
	fdtput -t x "$dtb" "$gic" reg 0 0x8000000 0 0x10000 0 0x80a0000 0 0x1000 || return 1
	boot dtb_gicsmall --smp 1 --dtb "$dtb" && expect_rc 1 &&
		expect "error: device tree: $gic: redistributor region 0 is malformed"
}
# Without a UART the console falls back to semihosting: the boot still
# reports, and still succeeds.
t_dtb_no_uart_semihosting_console() {
	local dtb uart
	dtb=$(make_dtb nouart 2 max) && uart=$(dt_find "$dtb" arm,pl011) || return 1
	fdtput -r "$dtb" "$uart" && fdtput -d "$dtb" /chosen stdout-path || return 1
	boot dtb_nouart --smp 2 --dtb "$dtb" && summary_ok 2 &&
		expect "Console: +none"
}
t_dtb_cpu_without_reg() {
	local dtb
	dtb=$(make_dtb cpureg 2 max) || return 1
	fdtput -d "$dtb" /cpus/cpu@1 reg || return 1
	boot dtb_cpureg --smp 2 --dtb "$dtb" && expect_rc 1 &&
		expect "error: device tree: /cpus/cpu@1: reg missing or not 1 cells"
}
