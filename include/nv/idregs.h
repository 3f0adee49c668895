/*
 * The ID registers a guest reads (the "ID group 3" space op0=3, op1=0,
 * CRn=0, CRm=1..7, trapped by HCR_EL2.TID3): the host's values reduced to
 * what nestvisor really virtualises, minus what the VM description hides.
 * Whitelist: a field is passed through only if this table says so.
 */
#ifndef NV_IDREGS_H
#define NV_IDREGS_H

#include <nv/types.h>

#define IDREG_SPACE 56 /* CRm 1..7 x op2 0..7 */

static inline unsigned idreg_index(unsigned crm, unsigned op2)
{
	return (crm - 1) * 8 + op2;
}

struct idreg_cfg {
	unsigned ipa_bits;       /* the VM's IPA size, shown as PARange */
	u32 hidden_features;     /* vm_desc.hidden_features */
	bool vel2;               /* the VM has a virtual EL2 (virtual-el2) */
	/* With vel2, what its guest hypervisor may use (vm_desc.l1_*). */
	bool l1_vhe;             /* FEAT_VHE, if the host has it */
	bool l1_e2h0;            /* FEAT_E2H0 */
	bool l1_nv1;             /* FEAT_NV1 (false only with l1_e2h0 false) */
};

/* The guest's value of ID register (crm, op2) given the host's values. */
u64 idreg_guest_value(unsigned crm, unsigned op2, const u64 *host,
		      const struct idreg_cfg *cfg);
/* Arch: reads the host's ID group 3 registers (index idreg_index()). */
void arch_read_idreg_space(u64 *out);

#endif
