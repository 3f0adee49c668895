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

# listed_checks GUEST MODE: the descriptions of GUEST's checks whose
# outcome under nested=MODE may differ from QEMU's real EL2 by the
# architecture (tests/integration/nv2-differences.txt; none under nv).
listed_checks() {
	[ "$2" = nv2 ] || return 0
	awk -F'\t' -v g="$1" '!/^#/ && $1 == g {print $2}' tests/integration/nv2-differences.txt
}

# drop_listed LIST: guest lines (stdin) without the checks LIST (a file of
# descriptions) names, their diagnostic lines ("#   ...") and the verdict
# line ("# guest G: ..."), which counts them.
drop_listed() {
	awk -v list="$1" '
		BEGIN { while ((getline l < list) > 0) drop[l] = 1 }
		/^#   / && skip { next }
		{ skip = 0 }
		/^# guest [^ ]+: [0-9]+ passed, [0-9]+ failed/ && n { next }
		{
			d = $0; sub(/^(not )?ok [0-9]+ - /, "", d)
			if ($0 ~ /^(not )?ok [0-9]+ - / && (d in drop)) { skip = 1; n = 1; next }
			print
		}'
}

# same_lines REF RUN [VM] [LIST]: the guest's lines in RUN (nestvisor's log,
# VM's prefix) are those of the reference run REF (QEMU's real EL2), line
# for line but the ENV ones and the checks LIST names (drop_listed); a
# unified diff when not.
same_lines() {
	local ref=$1 run=$2 vm=${3:-} list=${4:-/dev/null} d
	[ -n "$(guest_lines "$ref")" ] || { LOG=$ref fail "no guest lines in the reference run"; return 1; }
	d=$(diff -u --label "QEMU real EL2 ($ref)" --label "nestvisor virtual EL2 ($run${vm:+, [$vm]})" \
		<(guest_lines "$ref" | drop_listed "$list") <(guest_lines "$run" "$vm" | drop_listed "$list")) &&
		return 0
	echo "    the guest's lines differ between QEMU's real EL2 and nestvisor's virtual EL2:"
	echo "$d" | head -80 | sed 's/^/    | /'
	[ "$(echo "$d" | wc -l)" -le 80 ] || echo "    | ... (diff -u of guest_lines of both logs for the rest)"
	return 1
}

# only_listed_failed GUEST VM LIST: GUEST (VM's lines) gave its verdict,
# and every check of it that failed is one LIST names.
only_listed_failed() {
	local g=$1 vm=$2 list=$3 bad
	expect "^(\[$vm\] )?# guest $g: [0-9]+ passed, [0-9]+ failed" || return 1
	bad=$(guest_lines "$LOG" "$vm" | grep '^not ok ' | sed -E 's/^not ok [0-9]+ - //' |
		grep -vxF -f "$list" || true)
	[ -z "$bad" ] && return 0
	fail "checks of $g failed that no documented difference covers: $(echo "$bad" | head -3 | tr '\n' ';')"
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

# nested_testhv CASE MODE [vhe]: the test hypervisor at QEMU's real EL2,
# then as the l1 VM of scenarios/nested (with vhe: its VHE mode, both
# runs, scenarios/nested-vhe) at nestvisor's virtual EL2 (nested=MODE):
# both pass every check and print the same lines but the ENV ones;
# nestvisor counts the exits of each level, and some of L2's went to L1.
nested_testhv() {
	local case=$1 mode=$2 vhe=${3:-} scenario=nested
	if [ -n "$vhe" ]; then
		hv_at_real_el2 "${case}_el2" hv -append vhe || return 1
		scenario=nested-vhe
	else
		hv_at_real_el2 "${case}_el2" hv || return 1
	fi
	local ref=$LOG bundle
	bundle=$(scripts/run-scenario.sh "$scenario" --bundle-only) || return 1
	cp "$bundle" "$LOG_DIR/$case.cpio"
	NV_CASE_TIMEOUT=120 boot "$case" --smp 2 --initrd "$LOG_DIR/$case.cpio" \
		--append "nested=$mode"
	# The diff too when another check failed: it shows where the runs part.
	local rc=0
	expect_rc 0 && guest_passed hv && expect_not "# SKIP" && nestvisor_survived &&
		expect "Nesting: +$mode " &&
		{ [ -z "$vhe" ] || expect "^ok [0-9]+ - HCR_EL2.E2H and TGE are 1"; } &&
		expect "nestvisor: vm 'l1' powered off \(PSCI SYSTEM_OFF\)" &&
		expect "nestvisor: vm 'l1' l1 exits: total=[1-9][0-9]* .*sysreg=[1-9]" &&
		expect "nestvisor: vm 'l1' l2 exits: total=[1-9][0-9]* .* forwarded-to-l1=[1-9]" || rc=1
	same_lines "$ref" "$LOG" || rc=1
	return "$rc"
}

t_nested_testhv() { nested_testhv nested_testhv nv; }

# The same under nested=nv2: L1's VNCR-backed EL2 registers are its VNCR
# page, written without an exit.
t_nested_testhv_nv2() { nested_testhv nested_testhv_nv2 nv2; }

# A VHE guest hypervisor (E2H 1, TGE 1 for its host side and its own EL0
# task) under nv and nv2: the same lines as its VHE run at real EL2.
t_nested_testhv_vhe() { nested_testhv nested_testhv_vhe nv vhe; }
t_nested_testhv_vhe_nv2() { nested_testhv nested_testhv_vhe_nv2 nv2 vhe; }

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

# hostile_l1_nested CASE MODE: the hostile test hypervisor at a virtual
# EL2 beside a plain test guest (nested=MODE): both pass, hv_hostile's
# lines are those of its run at QEMU's real EL2, and nestvisor survives it.
hostile_l1_nested() {
	local case=$1 mode=$2
	hv_at_real_el2 "${case}_el2" hv_hostile || return 1
	local ref=$LOG rc=0 list="$LOG_DIR/$case.listed"
	listed_checks hv_hostile "$mode" >"$list"
	scenario_bundle "$case" tests/integration/hostile-nested.dts \
		hv_hostile.bin=tests/guests/build/hv_hostile.bin \
		psci.bin=tests/guests/build/psci.bin || return 1
	NV_CASE_TIMEOUT=120 boot "$case" --smp 2 --initrd "$LOG_DIR/$case.cpio" \
		--append "nested=$mode"
	expect_rc 0 && expect "Nesting: +$mode " &&
		only_listed_failed hv_hostile hostile_l1 "$list" &&
		expect "^\[plain\] # guest psci: [0-9]+ passed, 0 failed$" && expect_not "^\[plain\] not ok" &&
		expect_not "^\[hostile_l1\] # SKIP" && nestvisor_survived &&
		expect "nestvisor: vm 'hostile_l1' powered off \(PSCI SYSTEM_OFF\)" &&
		expect "nestvisor: vm 'plain' powered off \(PSCI SYSTEM_OFF\)" &&
		expect "nestvisor: every VM is off; powering off" || rc=1
	same_lines "$ref" "$LOG" hostile_l1 "$list" || rc=1
	return "$rc"
}

t_hostile_l1_nested() { hostile_l1_nested hostile_l1_nested nv; }
t_hostile_l1_nested_nv2() { hostile_l1_nested hostile_l1_nested_nv2 nv2; }

# linux_at_vel2 CASE MODE [vhe]: the Debian Linux kernel as a guest
# hypervisor, entered at a virtual EL2 (make run KERNEL=... EL2=1
# NESTED=MODE) on two vCPUs: it reports that every CPU started at EL2, KVM
# initialises its nVHE hypervisor there (at vEL2, its host kernel then
# running as the vCPU's L2 context; with vhe, the kernel's default, KVM
# in VHE mode, the host kernel at vEL2 itself), userspace comes up on both CPUs and the VM powers
# off; nestvisor counts exits at both levels. (A nested Linux VM inside
# it: tests/integration/linux_kvm.sh.)
linux_at_vel2() {
	local case=$1 mode=$2 kvm=${3:-nvhe} cmdline="console=ttyAMA0 kvm-arm.mode=nvhe"
	local init="Hyp nVHE mode initialized successfully"
	if [ "$kvm" = vhe ]; then
		cmdline="console=ttyAMA0" init="VHE mode initialized successfully"
	fi
	scripts/fetch-linux.sh >/dev/null || return 1
	NV_CASE_TIMEOUT=300 make_run "$case" KERNEL=cache/linux/Image \
		INITRD=cache/linux/initramfs.cpio.gz EL2=1 NESTED="$mode" VCPUS=2 MEM=512M \
		CMDLINE="$cmdline" &&
		expect_rc 0 && expect "Nesting: +$mode " && expect "CPU: All CPU\(s\) started at EL2" &&
		expect "kvm \[1\]: $init" &&
		expect "nestvisor-guest: cpus online 0-1" &&
		expect "nestvisor-guest: powering off" && vm_powered_off user &&
		expect "vm 'user' l1 exits: total=[1-9]" &&
		expect "vm 'user' l2 exits: total=[1-9]" && nestvisor_survived
}

t_linux_at_vel2() { linux_at_vel2 linux_vel2 nv; }
t_linux_at_vel2_nv2() { linux_at_vel2 linux_vel2_nv2 nv2; }
# Its default: KVM in VHE mode (the guest hypervisor's HCR_EL2.E2H 1).
t_linux_at_vel2_vhe() { linux_at_vel2 linux_vel2_vhe nv2 vhe; }
