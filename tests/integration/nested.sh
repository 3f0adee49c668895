# Integration cases for nesting: a guest hypervisor (tests/guests/hv,
# hv_hostile) at nestvisor's virtual EL2, differentially against the same
# binary at QEMU's real EL2 (hv_at_real_el2, vms.sh), and a virtual-el2 VM
# refused with nested=off. Sourced by tests/run.sh.

# guest_lines LOG [VM]: one guest's own output, normalised for comparison:
# with VM, the lines nestvisor prefixed "[VM] " (prefix removed), else
# every line; of those the guest library's forms only (ok, not ok, "# ",
# the plan, Bail out!), trailing blanks removed, and not the lines the
# guest marks as depending on the platform (ending " # ENV": lib/guest.h
# ENV_MARK).
guest_lines() {
	local log=$1 vm=${2:-}
	if [ -n "$vm" ]; then
		sed -n "s/^\[$vm\] //p" "$log"
	else
		cat "$log"
	fi | grep -E '^(ok |not ok |# |1\.\.[0-9]|Bail out!)' | sed -E 's/[[:space:]]+$//' |
		grep -v ' # ENV$' || true
}

# same_lines REF RUN [VM]: the guest's lines in RUN (nestvisor's log, VM's
# prefix) are those of the reference run REF (QEMU's real EL2), line for
# line but the ENV ones; a unified diff when not.
same_lines() {
	local ref=$1 run=$2 vm=${3:-} d
	[ -n "$(guest_lines "$ref")" ] || { LOG=$ref fail "no guest lines in the reference run"; return 1; }
	d=$(diff -u --label "QEMU real EL2 ($ref)" --label "nestvisor virtual EL2 ($run${vm:+, [$vm]})" \
		<(guest_lines "$ref") <(guest_lines "$run" "$vm")) && return 0
	echo "    the guest's lines differ between QEMU's real EL2 and nestvisor's virtual EL2:"
	echo "$d" | head -80 | sed 's/^/    | /'
	[ "$(echo "$d" | wc -l)" -le 80 ] || echo "    | ... (diff -u of guest_lines of both logs for the rest)"
	return 1
}

# No crash report of nestvisor's own (cpu/crash.c) in the log.
nestvisor_survived() {
	expect_not '^\*\*\* nestvisor: unhandled .* exception'
}

# scenario_bundle CASE DTS FILE=PATH...: a bundle of a description of
# tests/integration and the files it names, in $LOG_DIR/CASE.cpio.
scenario_bundle() {
	local case=$1 dts=$2 dtb="$LOG_DIR/$1.dtb"
	shift 2
	dtc -q -I dts -O dtb -o "$dtb" "$dts" || return 1
	scripts/mkbundle.sh -o "$LOG_DIR/$case.cpio" "scenario.dtb=$dtb" "$@" >/dev/null
}

# The test hypervisor at QEMU's real EL2, then as the l1 VM of
# scenarios/nested at nestvisor's virtual EL2 (nested=nv): both pass every
# check and print the same lines but the ENV ones; nestvisor counts the
# exits of each level, and some of L2's went to L1.
t_nested_testhv() {
	hv_at_real_el2 nested_testhv_el2 hv || return 1
	local ref=$LOG bundle
	bundle=$(scripts/run-scenario.sh nested --bundle-only) || return 1
	cp "$bundle" "$LOG_DIR/nested_testhv.cpio"
	NV_CASE_TIMEOUT=120 boot nested_testhv --smp 2 --initrd "$LOG_DIR/nested_testhv.cpio" \
		--append "nested=nv"
	# The diff too when another check failed: it shows where the runs part.
	local rc=0
	expect_rc 0 && guest_passed hv && expect_not "# SKIP" && nestvisor_survived &&
		expect "nestvisor: vm 'l1' powered off \(PSCI SYSTEM_OFF\)" &&
		expect "nestvisor: vm 'l1' l1 exits: total=[1-9][0-9]* .*sysreg=[1-9]" &&
		expect "nestvisor: vm 'l1' l2 exits: total=[1-9][0-9]* .* forwarded-to-l1=[1-9]" || rc=1
	same_lines "$ref" "$LOG" || rc=1
	return "$rc"
}

# nested=off: the virtual-el2 VM is refused with its name and the reason,
# the plain VM beside it runs to success; the run ends as a failure (a VM
# was refused). The plain VM is alone then, so its lines have no prefix.
t_nested_off_refused() {
	scenario_bundle nested_off tests/integration/nested-off.dts \
		hv.bin=tests/guests/build/hv.bin psci.bin=tests/guests/build/psci.bin || return 1
	boot nested_off --smp 2 --initrd "$LOG_DIR/nested_off.cpio" --append "nested=off"
	expect_rc 1 &&
		expect "vm 'guesthyp': virtual-el2 needs nested=nv or nv2 \(booted with nested=off\)" &&
		expect_not "# nestvisor test guest 'hv'" &&
		expect "^(\[plain\] )?# guest psci: [0-9]+ passed, 0 failed" && expect_not "not ok" &&
		expect "nestvisor: vm 'plain' powered off \(PSCI SYSTEM_OFF\)" &&
		expect "every VM is off \(at least one failed\)" && nestvisor_survived
}

# The hostile test hypervisor at a virtual EL2 beside a plain test guest
# (nested=nv): both pass, hv_hostile's lines are those of its run at QEMU's
# real EL2, and nestvisor survives it.
t_hostile_l1_nested() {
	hv_at_real_el2 hostile_l1_nested_el2 hv_hostile || return 1
	local ref=$LOG rc=0
	scenario_bundle hostile_l1_nested tests/integration/hostile-nested.dts \
		hv_hostile.bin=tests/guests/build/hv_hostile.bin \
		psci.bin=tests/guests/build/psci.bin || return 1
	NV_CASE_TIMEOUT=120 boot hostile_l1_nested --smp 2 --initrd "$LOG_DIR/hostile_l1_nested.cpio" \
		--append "nested=nv"
	expect_rc 0 &&
		expect "^\[hostile_l1\] # guest hv_hostile: [0-9]+ passed, 0 failed$" &&
		expect "^\[plain\] # guest psci: [0-9]+ passed, 0 failed$" && expect_not "not ok" &&
		expect_not "^\[hostile_l1\] # SKIP" && nestvisor_survived &&
		expect "nestvisor: vm 'hostile_l1' powered off \(PSCI SYSTEM_OFF\)" &&
		expect "nestvisor: vm 'plain' powered off \(PSCI SYSTEM_OFF\)" &&
		expect "nestvisor: every VM is off; powering off" || rc=1
	same_lines "$ref" "$LOG" hostile_l1 || rc=1
	return "$rc"
}

# The Debian Linux kernel as a guest hypervisor: entered at a virtual EL2
# (make run KERNEL=... EL2=1 NESTED=nv) on two vCPUs, it reports that every
# CPU started at EL2, KVM initialises its nVHE hypervisor there (at vEL2,
# its host kernel then running as the vCPU's L2 context), userspace comes
# up on both CPUs and the VM powers off; nestvisor counts exits at both
# levels. (A nested Linux VM inside it needs an in-tree VMM: issue 9.)
t_linux_at_vel2() {
	scripts/fetch-linux.sh >/dev/null || return 1
	NV_CASE_TIMEOUT=300 make_run linux_vel2 KERNEL=cache/linux/Image \
		INITRD=cache/linux/initramfs.cpio.gz EL2=1 NESTED=nv VCPUS=2 MEM=512M \
		CMDLINE="console=ttyAMA0 kvm-arm.mode=nvhe" &&
		expect_rc 0 && expect "CPU: All CPU\(s\) started at EL2" &&
		expect "kvm \[1\]: Hyp nVHE mode initialized successfully" &&
		expect "nestvisor-guest: cpus online 0-1" &&
		expect "nestvisor-guest: powering off" && vm_powered_off user &&
		expect "vm 'user' l1 exits: total=[1-9]" &&
		expect "vm 'user' l2 exits: total=[1-9]" && nestvisor_survived
}
