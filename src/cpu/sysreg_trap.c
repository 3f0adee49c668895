/*
 * Trapped system register accesses (EC 0x18; ISS: Op0 [21:20], Op2
 * [19:17], Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1], Direction [0],
 * Arm ARM D19.2 "ISS encoding for an exception from MSR, MRS, or System
 * instruction execution"). One row per register, as the spec lists them.
 */
#include <nv/bits.h>
#include <nv/esr.h>
#include <nv/exit.h>
#include <nv/idregs.h>
#include <nv/log.h>
#include <nv/vcpu.h>
#include <nv/vcpu_arch.h>
#include <nv/vgic.h>
#include <nv/vm.h>
#include <nv/vtimer.h>

/* Rows are keyed by the packed encoding of include/nv/esr.h. */
#define ENC SYSREG_ENC

struct sysreg_access {
	u32 enc;
	bool read;
	u64 val; /* the value written, or to return */
};

typedef bool (*sysreg_fn)(struct vcpu *vcpu, struct sysreg_access *a);

static u64 host_idregs[IDREG_SPACE];

void sysreg_trap_init(void)
{
	arch_read_idreg_space(host_idregs);
}

/* ICC_SGI1R_EL1 (GIC spec 12.11.22): write-only. */
static bool acc_sgi1r(struct vcpu *vcpu, struct sysreg_access *a)
{
	if (a->read)
		return false;
	vgic_write_sgi1r(vcpu, a->val);
	return true;
}

/* ICC_ASGI1R_EL1, ICC_SGI0R_EL1: Group 0 / other-security-state SGIs,
 * which a single-security-state Group-1 guest cannot receive: WI. */
static bool acc_sgi_ignored(struct vcpu *vcpu, struct sysreg_access *a)
{
	(void)vcpu;
	return !a->read;
}

static bool acc_ptimer(struct vcpu *vcpu, struct sysreg_access *a, unsigned reg)
{
	if (a->read)
		a->val = vtimer_ptimer_read(vcpu, reg);
	else
		vtimer_ptimer_write(vcpu, reg, a->val);
	return true;
}

/* CNTP_CTL_EL0, CNTP_CVAL_EL0, CNTP_TVAL_EL0 (Arm ARM D19.12). */
static bool acc_cntp_ctl(struct vcpu *v, struct sysreg_access *a)
{
	return acc_ptimer(v, a, PTIMER_CTL);
}

static bool acc_cntp_cval(struct vcpu *v, struct sysreg_access *a)
{
	return acc_ptimer(v, a, PTIMER_CVAL);
}

static bool acc_cntp_tval(struct vcpu *v, struct sysreg_access *a)
{
	return acc_ptimer(v, a, PTIMER_TVAL);
}

/*
 * ICC_SRE_EL1 (GIC spec 12.11.x), trapped by ICC_SRE_EL2.Enable = 0: the
 * system register interface is always on, bypasses disabled; writes are
 * ignored (SRE is RAO/WI where the hypervisor requires it).
 */
static bool acc_icc_sre(struct vcpu *vcpu, struct sysreg_access *a)
{
	(void)vcpu;
	if (a->read)
		a->val = 0x7;
	return true;
}

/*
 * OSLAR_EL1 (Arm ARM D19.3, trapped by MDCR_EL2.TDOSA): write-only; bit 0
 * sets or clears the OS Lock (OSLSR_EL1.OSLK), which then masks the
 * vCPU's debug exceptions on the CPU too. A read is UNDEFINED.
 */
static bool acc_oslar(struct vcpu *vcpu, struct sysreg_access *a)
{
	if (a->read)
		return false;
	vcpu->debug.os_lock = (a->val & 1) != 0;
	arch_os_lock_write(vcpu->debug.os_lock);
	return true;
}

/*
 * OSLSR_EL1 (TDOSA): read-only. OSLM = 0b10 (bits [3] and [0]: the OS Lock
 * is implemented, FEAT_DoubleLock-free model), nTT = 0, OSLK bit [1]:
 * 0xa after reset, as KVM reports it. A write is UNDEFINED.
 */
static bool acc_oslsr(struct vcpu *vcpu, struct sysreg_access *a)
{
	if (!a->read)
		return false;
	a->val = BIT(3) | (vcpu->debug.os_lock ? BIT(1) : 0);
	return true;
}

/*
 * OSDLR_EL1 (the OS Double Lock) and DBGPRCR_EL1 (powerdown request),
 * trapped by TDOSA: RAZ/WI as KVM has them, so no guest can double-lock
 * or keep the physical core's debug powered.
 *
 * The Debug Communications Channel (Arm ARM D24.3: DBGDTR_EL0,
 * DBGDTRRX_EL0/DBGDTRTX_EL0, which share one encoding, and their OS Lock
 * save/restore views OSDTRRX_EL1 and OSDTRTX_EL1), trapped by
 * MDCR_EL2.TDCC where the CPU has FEAT_FGT: no external debugger is
 * there, so the channel takes nothing and holds nothing: RAZ/WI, as KVM
 * has the DCC registers.
 */
static bool acc_raz_wi(struct vcpu *vcpu, struct sysreg_access *a)
{
	(void)vcpu;
	if (a->read)
		a->val = 0;
	return true;
}

/*
 * MDCCSR_EL0 (D24.3.16, TDCC): the DCC status, RAZ with the channel
 * (RXfull [30] = TXfull [29] = 0: nothing to read, room to write).
 * Read-only: an MSR to it is UNDEFINED.
 */
static bool acc_mdccsr(struct vcpu *vcpu, struct sysreg_access *a)
{
	return a->read && acc_raz_wi(vcpu, a);
}

/*
 * MDCCINT_EL1 (D24.3.15, TDCC): the DCC interrupt enables RX [30] and TX
 * [29], kept per vCPU as KVM keeps it (read as written, reset 0); the
 * CPU's own stays 0, so no guest asks for COMMIRQ on it.
 */
static bool acc_mdccint(struct vcpu *vcpu, struct sysreg_access *a)
{
	if (a->read)
		a->val = vcpu->debug.mdccint;
	else
		vcpu->debug.mdccint = a->val;
	return true;
}

/*
 * OSECCR_EL1 (D24.3.26, trapped by HDFGRTR_EL2/HDFGWTR_EL2.OSECCR_EL1):
 * the OS Lock view of EDECCR, per vCPU, bits [31:0] (cold reset 0, [63:32]
 * RES0). While the vCPU's OS Lock is locked it reads what was written;
 * unlocked, the architecture gives an UNKNOWN read and ignores writes:
 * RAZ/WI then, as KVM has DBGOSECCR.
 */
static bool acc_oseccr(struct vcpu *vcpu, struct sysreg_access *a)
{
	struct vcpu_debug *d = &vcpu->debug;

	if (a->read)
		a->val = d->os_lock ? d->oseccr : 0;
	else if (d->os_lock)
		d->oseccr = a->val & 0xffffffffu;
	return true;
}

/*
 * ACTLR_EL1 (IMPLEMENTATION DEFINED, trapped by HCR_EL2.TACR): reads
 * return the host's value, writes are ignored, as KVM does; the CPU's
 * own auxiliary controls stay nestvisor's.
 */
static bool acc_actlr(struct vcpu *vcpu, struct sysreg_access *a)
{
	(void)vcpu;
	if (a->read)
		a->val = arch_host_actlr();
	return true;
}

struct sysreg_row {
	u32 enc;
	const char *name;
	sysreg_fn fn;
};

/* op0 = 2: the debug registers that trap (MDCR_EL2.TDOSA, TDCC, HDFGxTR_EL2). */
static const struct sysreg_row debug_regs[] = {
	{ ENC(2, 0, 0, 0, 2), "OSDTRRX_EL1", acc_raz_wi },
	{ ENC(2, 0, 0, 2, 0), "MDCCINT_EL1", acc_mdccint },
	{ ENC(2, 0, 0, 3, 2), "OSDTRTX_EL1", acc_raz_wi },
	{ ENC(2, 0, 0, 6, 2), "OSECCR_EL1", acc_oseccr },
	{ ENC(2, 0, 1, 0, 4), "OSLAR_EL1", acc_oslar },
	{ ENC(2, 0, 1, 1, 4), "OSLSR_EL1", acc_oslsr },
	{ ENC(2, 0, 1, 3, 4), "OSDLR_EL1", acc_raz_wi },
	{ ENC(2, 0, 1, 4, 4), "DBGPRCR_EL1", acc_raz_wi },
	{ ENC(2, 3, 0, 1, 0), "MDCCSR_EL0", acc_mdccsr },
	{ ENC(2, 3, 0, 4, 0), "DBGDTR_EL0", acc_raz_wi },
	{ ENC(2, 3, 0, 5, 0), "DBGDTRRX_EL0/DBGDTRTX_EL0", acc_raz_wi },
};

/* op0 = 3; the frequent ones (ICC_SGI1R_EL1, CNTP_*) not behind the debug rows. */
static const struct sysreg_row sysregs[] = {
	{ ENC(3, 0, 12, 12, 5), "ICC_SRE_EL1", acc_icc_sre },
	{ ENC(3, 0, 1, 0, 1), "ACTLR_EL1", acc_actlr },
	{ ENC(3, 0, 12, 11, 5), "ICC_SGI1R_EL1", acc_sgi1r },
	{ ENC(3, 0, 12, 11, 6), "ICC_ASGI1R_EL1", acc_sgi_ignored },
	{ ENC(3, 0, 12, 11, 7), "ICC_SGI0R_EL1", acc_sgi_ignored },
	{ ENC(3, 3, 14, 2, 0), "CNTP_TVAL_EL0", acc_cntp_tval },
	{ ENC(3, 3, 14, 2, 1), "CNTP_CTL_EL0", acc_cntp_ctl },
	{ ENC(3, 3, 14, 2, 2), "CNTP_CVAL_EL0", acc_cntp_cval },
};

static bool dispatch(const struct sysreg_row *t, size_t n, struct vcpu *vcpu,
		     struct sysreg_access *a)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].enc == a->enc)
			return t[i].fn(vcpu, a);
	return false;
}

u64 vcpu_idreg(const struct vcpu *vcpu, unsigned crm, unsigned op2)
{
	struct idreg_cfg cfg = {
		.ipa_bits = 64 - (unsigned)(vcpu->vm->vtcr & 0x3f),
		.hidden_features = vcpu->vm->desc.hidden_features,
		.vel2 = vcpu->vm->desc.virtual_el2,
		.l1_vhe = vcpu->vm->desc.l1_vhe,
		.l1_e2h0 = vcpu->vm->desc.l1_e2h0,
		.l1_nv1 = vcpu->vm->desc.l1_nv1,
	};

	return idreg_guest_value(crm, op2, host_idregs, &cfg);
}

static bool emulate(struct vcpu *vcpu, struct sysreg_access *a, unsigned op0,
		    unsigned op1, unsigned crn, unsigned crm, unsigned op2)
{
	if (op0 == 2)
		return dispatch(debug_regs, ARRAY_SIZE(debug_regs), vcpu, a);
	/* The ID group 3 space (HCR_EL2.TID3): read-only, sanitised. */
	if (op0 == 3 && op1 == 0 && crn == 0 && crm >= 1 && crm <= 7) {
		if (!a->read)
			return false;
		a->val = vcpu_idreg(vcpu, crm, op2);
		return true;
	}
	/*
	 * UNDEFINED, as KVM answers them: the IMPLEMENTATION DEFINED space
	 * (op0 3, CRn 11 and 15; HCR_EL2.TIDCP), the RAS error records
	 * (ERRIDR, ERRSELR, ERX*: op0 3, op1 0, CRn 5, CRm 3..5; HCR_EL2.TERR)
	 * the guest's ID registers do not offer (ID_AA64PFR0_EL1.RAS = 0),
	 * and the statistical profiling registers (PMS*, PMB*: op0 3, op1 0,
	 * CRn 9, CRm 9..10; MDCR_EL2.TPMS) of the SPE it does not have.
	 */
	if (op0 == 3 && (crn == 11 || crn == 15))
		return false;
	if (op0 == 3 && op1 == 0 && crn == 5 && crm >= 3 && crm <= 5)
		return false;
	if (op0 == 3 && op1 == 0 && crn == 9 && (crm == 9 || crm == 10))
		return false;
	return dispatch(sysregs, ARRAY_SIZE(sysregs), vcpu, a);
}

enum exit_action handle_sysreg(struct vcpu *vcpu, u64 esr)
{
	unsigned op0 = (unsigned)field_get(ESR_SYS_OP0, esr);
	unsigned op1 = (unsigned)field_get(ESR_SYS_OP1, esr);
	unsigned crn = (unsigned)field_get(ESR_SYS_CRN, esr);
	unsigned crm = (unsigned)field_get(ESR_SYS_CRM, esr);
	unsigned op2 = (unsigned)field_get(ESR_SYS_OP2, esr);
	unsigned rt = (unsigned)field_get(ESR_SYS_RT, esr);
	struct sysreg_access a = {
		.enc = ENC(op0, op1, crn, crm, op2),
		.read = (esr & ESR_SYS_READ) != 0,
		.val = rt == 31 ? 0 : vcpu->regs.x[rt],
	};

	if (!emulate(vcpu, &a, op0, op1, crn, crm, op2)) {
		vcpu_warn(vcpu, "%s of unemulated system register S%u_%u_C%u_C%u_%u at 0x%llx: UNDEF",
			  a.read ? "read" : "write",
			op0, op1, crn, crm, op2,
			(unsigned long long)vcpu->regs.pc);
		inject_undef(vcpu);
		return EXIT_CONTINUE;
	}
	vcpu->exit_reasons[EXIT_R_SYSREG]++;
	if (a.read && rt != 31)
		vcpu->regs.x[rt] = a.val;
	vcpu->regs.pc += 4;
	return EXIT_CONTINUE;
}
