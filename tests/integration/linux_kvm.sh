# Integration cases for Linux KVM as a guest hypervisor: the Debian kernel
# at a virtual EL2 (L1) runs the same kernel as a nested VM (L2) with the
# in-tree VMM, nvmm (docs/VMM.md), from the initramfs of
# scripts/mk-linux-kvm.sh: scenarios/linux-kvm (KVM in VHE mode, the
# default make run) and linux-kvm-nvhe (kvm-arm.mode=nvhe), under nv and
# nv2. Sourced by tests/run.sh (make_run: user_kernel.sh, vm_powered_off:
# vms.sh, nestvisor_survived: nested.sh).

# linux_kvm_ran MODE vhe|nvhe: what each level prints, in order of the
# run, and the clean power-off of both.
linux_kvm_ran() {
	local mode=$1 init="Hyp nVHE mode initialized successfully"
	[ "$2" = vhe ] && init="VHE mode initialized successfully"
	expect_rc 0 && expect "Nesting: +$mode " && expect "CPU: All CPU\(s\) started at EL2" &&
		expect "kvm \[1\]: $init" &&
		expect "^nvmm-l1: userspace up" &&
		expect "^nvmm-l1: /dev/kvm present; starting L2" &&
		expect "^nvmm: 2 vCPU\(s\), 256 MiB at 0x40000000" &&
		expect "^nvmm-l2: Linux .* userspace up in L1's KVM VM, nproc 2" &&
		expect "^nvmm-l2: marker L2-USERSPACE-OK" &&
		expect "^nvmm-l2: read from the console: 'typed into L2 by L1'" &&
		expect "^nvmm: the guest powered off \(vCPU [01]: PSCI SYSTEM_OFF\)" &&
		expect "^nvmm-l1: nvmm exited with status 0" &&
		expect "^nvmm-l1: powering off" && vm_powered_off l1 &&
		expect "vm 'l1' l2 exits: total=[1-9]" && nestvisor_survived && tlbis_cheap
}

# L1's stage-2 TLBIs over the whole run (the shadow stage 2 invalidated),
# its VMM's tear-down of L2's stage 2 among them, took nestvisor under 1 s
# in all (KVM as L0 stalls for minutes there, unmapping the whole IPA
# space in 1 GiB steps).
tlbis_cheap() {
	local us
	us=$(sed -nE "s/^nestvisor: vm 'l1' l1 stage-2 TLBIs: [0-9]+, ([0-9]+) us in nestvisor.*/\1/p" "$LOG")
	[ -n "$us" ] || { fail "no line of L1's stage-2 TLBIs"; return 1; }
	[ "$us" -lt 1000000 ] || { fail "L1's stage-2 TLBIs took nestvisor $us us (1 s at most)"; return 1; }
}

# make run SCENARIO=linux-kvm[-nvhe] NESTED=MODE (the default make run is
# linux-kvm with nested=auto, nv2 here: t_make_run_default). Here, under
# nv2: VHE about 80 s, nVHE about 3 minutes; under nv: VHE about 3, nVHE
# about 7 minutes (nearly all of it L2's boot, whose exits go to L1's
# hypervisor at vEL2, whose EL2 register accesses trap).
t_linux_kvm_nvhe_nv2() {
	NV_CASE_TIMEOUT=600 make_run linux_kvm_nvhe_nv2 SCENARIO=linux-kvm-nvhe NESTED=nv2 &&
		linux_kvm_ran nv2 nvhe
}
t_linux_kvm_nvhe_nv() {
	NV_CASE_TIMEOUT=900 make_run linux_kvm_nvhe_nv SCENARIO=linux-kvm-nvhe NESTED=nv &&
		linux_kvm_ran nv nvhe
}
t_linux_kvm_vhe_nv() {
	NV_CASE_TIMEOUT=900 make_run linux_kvm_vhe_nv SCENARIO=linux-kvm NESTED=nv &&
		linux_kvm_ran nv vhe
}
