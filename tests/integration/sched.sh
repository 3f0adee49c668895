# Integration cases for the run loop: how a run ends when VMs power off in
# any order on any CPU. Sourced by tests/run.sh.

# poweroff_scenario CASE SMP DELAY...: one 1-vCPU VM per DELAY (the
# poweroff guest, staying on that many ms), vm0, vm1, ... assigned to the
# CPUs round robin from the boot CPU. Boots it; the log is $LOG.
poweroff_scenario() {
	local case=$1 smp=$2 dts="$LOG_DIR/$1.dts" i=0 d
	shift 2
	{
		echo "/dts-v1/; / { compatible = \"nestvisor,scenario\";"
		for d in "$@"; do
			echo "vm$i { compatible = \"nestvisor,vm\"; vcpus = <1>;"
			echo "  memory = <0x0 0x40000000 0x0 0x2000000>; kernel = \"guest.bin\";"
			echo "  bootargs = \"strict delay-ms=$d\";"
			echo "  gic = <0x0 0x08000000 0x0 0x080a0000>; uart = <0x0 0x09000000>; uart-interrupt = <1>; };"
			i=$((i + 1))
		done
		echo "};"
	} >"$dts"
	make --no-print-directory -s -C tests/guests >/dev/null || return 1
	dtc -q -I dts -O dtb -o "$LOG_DIR/$case.dtb" "$dts" || return 1
	scripts/mkbundle.sh -o "$LOG_DIR/$case.cpio" "scenario.dtb=$LOG_DIR/$case.dtb" \
		guest.bin=tests/guests/build/poweroff.bin >/dev/null || return 1
	NV_CASE_TIMEOUT=${NV_CASE_TIMEOUT:-40} boot "$case" --smp "$smp" --mem 512M \
		--initrd "$LOG_DIR/$case.cpio"
}

# last_off VM N: N VMs powered off, VM the last of them, then the run ended.
last_off() {
	local order
	order=$(sed -n "s/^nestvisor: vm '\([^']*\)' powered off (PSCI SYSTEM_OFF)$/\1/p" "$LOG")
	[ "$(echo "$order" | tail -1)" = "$1" ] && [ "$(echo "$order" | wc -l)" -eq "$2" ] ||
		{ fail "VMs went off in the order '$(echo $order)', expected $2 with '$1' last"; return 1; }
	expect_count "^\[vm[0-9]\] # guest poweroff: 1 passed, 0 failed" "$2" &&
		expect "nestvisor: every VM is off; powering off" && expect_rc 0
}

# Two 1-vCPU VMs on 2 CPUs: the one on CPU 1 (vm1) goes off last, so the
# boot CPU sleeps with nothing to run when the run ends; then the reverse.
t_poweroff_cpu1_last() { poweroff_scenario poweroff_cpu1_last 2 0 500 && last_off vm1 2; }
t_poweroff_cpu0_last() { poweroff_scenario poweroff_cpu0_last 2 500 0 && last_off vm0 2; }
# The only VM left is one whose only vCPU is on the last CPU of four.
t_poweroff_cpu3_last() { poweroff_scenario poweroff_cpu3_last 4 0 0 0 500 && last_off vm3 4; }
# Many small VMs sharing 2 CPUs (vm0, vm2 on CPU 0; vm1, vm3 on CPU 1),
# the last on CPU 1.
t_poweroff_many_vms() { poweroff_scenario poweroff_many_vms 2 0 0 0 800 && last_off vm3 4; }
