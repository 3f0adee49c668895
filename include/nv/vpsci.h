/* PSCI 1.1 and SMCCC 1.1 for guests (Arm DEN 0022, Arm DEN 0028). */
#ifndef NV_VPSCI_H
#define NV_VPSCI_H

#include <nv/types.h>

struct vcpu;

enum vpsci_result {
	VPSCI_CONTINUE, /* result in x0, the vCPU goes on */
	VPSCI_SUSPEND,  /* CPU_SUSPEND: like WFI, then x0 = SUCCESS */
	VPSCI_VCPU_OFF, /* CPU_OFF: the vCPU stops */
	VPSCI_VM_OFF,   /* SYSTEM_OFF */
	VPSCI_VM_RESET, /* SYSTEM_RESET */
};

/*
 * nestvisor's own calls, in the SMCCC "vendor specific hypervisor
 * service" range (owner 6, SMC64 fast calls: Arm DEN 0028, 2.5).
 * NV_HC_EXIT_COUNT: x0 = the calling vCPU's exits so far (this call's
 * own exit included), x1 = its exits by interrupt, x2 = by MMIO, x3 = by
 * trapped system register: lets a guest measure exits per operation.
 */
#define NV_HC_EXIT_COUNT 0xc6000001u

#define SMCCC_VERSION 0x80000000u
#define SMCCC_ARCH_FEATURES 0x80000001u
#define SMCCC_VERSION_1_1 0x10001u
#define PSCI_VERSION_1_1 0x10001u

/* Handles the call in x0..x3 (HVC #0 or SMC #0); the result goes to x0. */
enum vpsci_result vpsci_call(struct vcpu *vcpu);
/*
 * Whether the call's answer needs nothing but the caller's registers and
 * read-only state (VERSION, FEATURES, AFFINITY_INFO, unknown IDs, ...):
 * every ID but CPU_ON/OFF/SUSPEND and SYSTEM_OFF/RESET.
 */
bool vpsci_is_pure(u32 fid);
/* Answers such a call: the result in x0..x3. */
void vpsci_fast_call(struct vcpu *vcpu);

#endif
