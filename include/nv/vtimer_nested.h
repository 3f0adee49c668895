/*
 * The timers of a vCPU with a virtual EL2, as one set (Arm ARM D12, "The
 * Generic Timer"; the CNTHP_*, CNTHV_*, CNTHCTL_EL2 and CNTVOFF_EL2
 * register descriptions). Each member has its PPI in the VM's vGIC (the
 * vCPU's only interrupt controller: L1 takes them at vEL2, or puts them in
 * its list registers for L2), its counter offset and the context whose
 * registers it is:
 *
 *   EL1 virtual timer  CNTV_*_EL0   PPI 27  on the hardware  count - (poff + L1's CNTVOFF_EL2)
 *   EL1 physical timer CNTP_*_EL0   PPI 30  emulated         count - poff
 *   EL2 physical timer CNTHP_*_EL2  PPI 26  emulated         count - poff
 *   EL2 virtual timer  CNTHV_*_EL2  PPI 28  emulated         count - poff  (FEAT_VHE only)
 *
 * The two EL1 timers are the EL1 context's: L2's, and reached by L1 at
 * vEL2 as well, because with HCR_EL2.E2H = 0 an EL2 access to CNTV_* or
 * CNTP_* is an access to the EL1 timers (there is one of each per PE).
 * So while L1 runs at vEL2 the hardware EL1 virtual timer holds exactly
 * what L2 will find there: nothing is handed over at a switch, only the
 * EL2 controls change. The EL2 timers are L1's (vEL2 context) and always
 * emulated: their registers trap with HCR_EL2.NV.
 *
 * poff is the VM's counter offset: L1's physical count is the hardware
 * count - poff. It is 0 for every VM today: L1's CNTPCT_EL0 is the
 * hardware's, untrapped, and FEAT_ECV's CNTPOFF_EL2 is not offered. With
 * poff != 0 the counter reads are trapped (see vtimer_nested_hw()) and
 * emulated here. The plain VM's vm->cntvoff is not used: in a VM with a
 * virtual EL2, L1 owns the virtual offset (CNTVOFF_EL2), and adding
 * vm->cntvoff would break CNTVCT = CNTPCT - CNTVOFF_EL2 as L1 sees it.
 *
 * State: the EL2 timers' registers live in L1's EL2 register file
 * (struct vel2_file, cpu/vel2_regs.c: CNTHP_CTL/CVAL, CNTHV_CTL/CVAL,
 * CNTVOFF, CNTHCTL), the EL1 physical timer in vcpu->ptimer, the EL1
 * virtual timer in the hardware (loaded vCPU) or vcpu->sys.cntv_* (put).
 * struct vtimer_nested holds the rest. Host-tested; not yet wired in.
 */
#ifndef NV_VTIMER_NESTED_H
#define NV_VTIMER_NESTED_H

#include <nv/types.h>
#include <nv/vel2_regs.h>

struct vcpu;

/* The members of the set. */
enum vtn_timer {
	VTN_EL1_VIRT, /* CNTV_*_EL0 */
	VTN_EL1_PHYS, /* CNTP_*_EL0 */
	VTN_EL2_PHYS, /* CNTHP_*_EL2 */
	VTN_EL2_VIRT, /* CNTHV_*_EL2, FEAT_VHE */
	VTN_NR
};

/* A context of the vCPU: L1 at vEL2, or L2 (EL1/EL0 under L1). */
enum vtn_ctx { VTN_L1, VTN_L2 };

/* Per-vCPU state (struct vcpu_nested embeds it). */
struct vtimer_nested {
	u64 poff;     /* the VM's counter offset (see the top): 0 today */
	bool ecv;     /* FEAT_ECV shown to L1: CNTHCTL_EL2 EL1TVT, EL1TVCT, EVNTIS act */
	bool vhe;     /* FEAT_VHE shown to L1: CNTHV_* exist */
	bool e2h;     /* L1's HCR_EL2.E2H is 1 (with vhe): the E2H = 1 views */
	enum vtn_ctx ctx; /* the context the hardware is set up for */
};

/* One member as vtimer_nested_timer() describes it. */
struct vtn_timer_info {
	const char *name;  /* "CNTHP" ... */
	u32 intid;         /* its PPI in the VM's vGIC */
	enum vtn_ctx owner; /* VTN_L1: an EL2 timer; VTN_L2: an EL1 timer */
	bool on_hw;        /* runs on the hardware EL1 virtual timer */
	u64 offset;        /* its count is the hardware count - offset */
};

/* The EL2 controls a context runs with (E2H = 0 layout of CNTHCTL_EL2). */
struct vtn_hw {
	u64 cntvoff; /* CNTVOFF_EL2 */
	u64 cnthctl; /* CNTHCTL_EL2 */
};

/* What vtimer_nested_sysreg() did. */
enum vtn_access {
	VTN_NOT_TIMER, /* not a register of this file: the caller goes on */
	VTN_DONE,      /* emulated (a read's value in *val) */
	VTN_RELOAD,    /* emulated; load vtimer_nested_hw() into the hardware */
	VTN_UNDEF,     /* the register does not exist for L1 (CNTHV_* without VHE) */
};

/* nestvisor's own CNTHCTL_EL2 for a guest: EL1PCTEN unless poff != 0. */
u64 vtimer_nested_own_cnthctl(const struct vtimer_nested *vt);

/* The PPIs (from the platform's timer node, as vtimer_init()). */
void vtimer_nested_init(u32 virt_intid, u32 phys_intid, u32 hyp_phys_intid,
			u32 hyp_virt_intid);
/* A vCPU's state at reset: context L1 (a virtual-EL2 vCPU starts at vEL2). */
void vtimer_nested_init_vcpu(struct vtimer_nested *vt, u64 poff, bool ecv,
			     bool vhe);

/* Member id (VTN_EL2_VIRT only with vhe); false for one that does not exist. */
bool vtimer_nested_timer(const struct vtimer_nested *vt, const struct vel2_file *el2,
			 enum vtn_timer id, struct vtn_timer_info *out);

/* L1's physical count (CNTPCT_EL0, CNTPCTSS_EL0 as L1 and L2 read them). */
u64 vtimer_nested_count(const struct vtimer_nested *vt, u64 hw_count);
/* CNTVOFF_EL2 for the hardware while L2 runs: poff + L1's, modulo 2^64. */
u64 vtimer_nested_cntvoff(const struct vtimer_nested *vt, const struct vel2_file *el2);

/*
 * An access, not forwarded to L1, to a timer register: from L1 at vEL2
 * (CNTVOFF_EL2, CNTHCTL_EL2, CNTHP_*, CNTHV_*, CNTP_*_EL0, CNTPCT_EL0,
 * CNTPCTSS_EL0) or from L2 (CNTP_*_EL0, and the counter when poff != 0).
 * enc is SYSREG_ENC; a read returns its value in *val, a write takes it.
 * Uses arch_counter(); a write that changes a timer's output updates its
 * PPI at once. VTN_RELOAD after a write of CNTVOFF_EL2 or CNTHCTL_EL2:
 * the hardware must get vtimer_nested_hw() before L1 runs on (L1's own
 * CNTVCT_EL0 at vEL2 uses its CNTVOFF_EL2).
 */
enum vtn_access vtimer_nested_sysreg(struct vcpu *vcpu, struct vtimer_nested *vt,
				     struct vel2_file *el2, u32 enc, bool write, u64 *val);

/* The EL2 controls for the context vt->ctx (at vCPU load, after VTN_RELOAD). */
struct vtn_hw vtimer_nested_hw(const struct vtimer_nested *vt, const struct vel2_file *el2);
/*
 * World switch between L1 and L2 (the vCPU loaded, between an exit and the
 * next entry): sets vt->ctx and returns what to load into CNTVOFF_EL2 and
 * CNTHCTL_EL2. The EL1 virtual timer's CNTV_CTL_EL0/CNTV_CVAL_EL0 stay in
 * the hardware as they are (see the top). With L1's HCR_EL2.E2H = 1 they
 * would change hands (L1's CNTV_* would name CNTHV); E2H stays 0 while
 * FEAT_VHE is not offered (vel2_reg_sanitise), and offering it is the VHE
 * issue's, with that hand-over.
 */
struct vtn_hw vtimer_nested_switch_to_l2(struct vtimer_nested *vt, const struct vel2_file *el2);
struct vtn_hw vtimer_nested_switch_to_l1(struct vtimer_nested *vt, const struct vel2_file *el2);

/*
 * Whether an L2 access to a timer or counter register goes to L1 by L1's
 * CNTHCTL_EL2 (enc SYSREG_ENC, read or write): the CNTHCTL rows of
 * cpu/trap_forward.c, asked with L1's CNTHCTL_EL2 alone.
 */
bool vtimer_nested_l2_trap(const struct vel2_file *el2, u32 enc, bool read);

/*
 * Resamples every member's output (D12.2.4: ENABLE 1, IMASK 0, ISTATUS 1)
 * into its PPI's level in the vGIC, for a loaded vCPU, before each entry
 * and after each exit (in place of vtimer_sync()). now: arch_counter().
 */
void vtimer_nested_sync(struct vcpu *vcpu, const struct vtimer_nested *vt,
			const struct vel2_file *el2, u64 now);
/*
 * The earliest hardware count at or after now at which a member's output
 * is high (now itself if one is high already), or ~0: for the EL2 timer of
 * a running vCPU (loaded: the EL1 virtual timer interrupts by itself) and
 * the wake-up of a put one (not loaded: its CNTV_* are in vcpu->sys).
 */
u64 vtimer_nested_next_deadline(const struct vcpu *vcpu,
				const struct vtimer_nested *vt, const struct vel2_file *el2,
				u64 now, bool loaded);

#endif
