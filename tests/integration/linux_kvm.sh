# Integration case for Linux KVM as a guest hypervisor: the Debian kernel
# at a virtual EL2 (L1, nVHE KVM) runs the same kernel as a nested VM (L2)
# with the in-tree VMM, nvmm (docs/VMM.md), from the initramfs of
# scripts/mk-linux-kvm.sh. Sourced by tests/run.sh (make_run: user_kernel.sh,
# vm_powered_off: vms.sh, nestvisor_survived: nested.sh).

# linux_kvm_nested CASE MODE TIMEOUT [vhe]: L1 at vEL2 under nested=MODE,
# its KVM nVHE (kvm-arm.mode=nvhe), or VHE (the kernel's default) with vhe.
linux_kvm_nested() {
	local case=$1 mode=$2 cmdline="console=ttyAMA0 kvm-arm.mode=nvhe"
	local init="Hyp nVHE mode initialized successfully"
	if [ "${4:-}" = vhe ]; then
		cmdline="console=ttyAMA0" init="VHE mode initialized successfully"
	fi
	scripts/mk-linux-kvm.sh >/dev/null || return 1
	NV_CASE_TIMEOUT=$3 make_run "$case" KERNEL=cache/linux/Image \
		INITRD=build/linux-kvm/l1-initramfs.cpio.gz EL2=1 NESTED="$mode" VCPUS=2 MEM=1G \
		CMDLINE="$cmdline" &&
		expect_rc 0 && expect "Nesting: +$mode " && expect "CPU: All CPU\(s\) started at EL2" &&
		expect "kvm \[1\]: $init" &&
		expect "^nvmm-l1: userspace up" &&
		expect "^nvmm-l1: /dev/kvm present; starting L2" &&
		expect "^nvmm: 2 vCPU\(s\), 256 MiB at 0x40000000" &&
		expect "^nvmm-l2: Linux .* userspace up in L1's KVM VM, nproc 2" &&
		expect "^nvmm-l2: marker L2-USERSPACE-OK" &&
		expect "^nvmm: the guest powered off \(vCPU [01]: PSCI SYSTEM_OFF\)" &&
		expect "^nvmm-l1: nvmm exited with status 0" &&
		expect "^nvmm-l1: powering off" && vm_powered_off user &&
		expect "vm 'user' l2 exits: total=[1-9]" && nestvisor_survived
}

# About 7 minutes here under nv, nearly all of it L2's boot (its exits
# are forwarded to L1's hypervisor at vEL2, whose EL2 register accesses
# trap); about 3 under nv2.
t_linux_kvm_nested() { linux_kvm_nested linux_kvm nv 900; }
t_linux_kvm_nested_nv2() { linux_kvm_nested linux_kvm_nv2 nv2 600; }
# KVM in VHE mode (L1's HCR_EL2.E2H 1) under nv2: about 80 s here.
t_linux_kvm_nested_vhe() { linux_kvm_nested linux_kvm_vhe nv2 600 vhe; }
