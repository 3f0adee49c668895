/*
 * GICv3 CPU interface system registers at EL2 (GIC spec, chapter 12.11),
 * and the virtual CPU interface of a vCPU (ICH_*_EL2, GIC spec 12.4).
 */
#include <nv/bits.h>
#include <nv/irq.h>
#include <nv/percpu.h>
#include <nv/vcpu.h>
#include <nv/vcpu_arch.h>
#include <nv/vgic.h>
#include <nv/vgic_nested.h>
#include "sysreg.h"

#define ICC_SRE_SRE BIT(0)
#define ICC_SRE_ENABLE BIT(3)

void arch_gic_cpuif_init(void)
{
	/* ICC_SRE_EL2: system register interface for EL2, and EL1 may use it. */
	write_sysreg(SYS_ICC_SRE_EL2,
		     read_sysreg(SYS_ICC_SRE_EL2) | ICC_SRE_SRE | ICC_SRE_ENABLE);
	isb();
	write_sysreg(SYS_ICC_PMR_EL1, 0xff);
	write_sysreg(SYS_ICC_BPR1_EL1, 0);
	/* EOImode 1: EOIR drops priority, DIR deactivates (HW forwarding). */
	write_sysreg(SYS_ICC_CTLR_EL1, BIT(1));
	write_sysreg(SYS_ICC_IGRPEN1_EL1, 1);
	isb();
}

u32 arch_gic_ack(void)
{
	u32 intid = (u32)read_sysreg(SYS_ICC_IAR1_EL1) & 0xffffff;

	dsb(sy);
	return intid;
}

void arch_gic_eoi(u32 intid)
{
	write_sysreg(SYS_ICC_EOIR1_EL1, intid);
	isb();
}

void arch_gic_deactivate(u32 intid)
{
	write_sysreg(SYS_ICC_DIR_EL1, intid);
	isb();
}

/*
 * The LRs a CPU may still hold non-zero since its last load: only they
 * and the ones in use are written, only the ones in use are read back.
 */
static unsigned hw_lrs[NR_CPUS];

/*
 * ICH_VTR_EL2: ListRegs [4:0] is the number of list registers minus one;
 * PRIbits [31:29] the number of virtual priority bits minus one, which
 * sets how many ICH_AP0R<n>_EL2/ICH_AP1R<n>_EL2 exist (GIC spec,
 * ICH_AP1R<n>_EL2: n = 0 for 5 bits, 0-1 for 6, 0-3 for 7).
 */
void arch_vgic_cpu_init(void)
{
	u64 vtr = read_sysreg(SYS_ICH_VTR_EL2);

	vgic_ich_vtr = vtr;
	vgic_nr_lrs = (unsigned)field_get(ICH_VTR_LISTREGS, vtr) + 1;
	vgic_nr_aprs = vgic_aprs_for_pribits((unsigned)field_get(ICH_VTR_PRIBITS, vtr) + 1);
	/*
	 * ICH_LR<n>_EL2 reset to UNKNOWN values (GIC spec 12.4.6): the first
	 * load on this CPU clears every list register it does not use.
	 */
	hw_lrs[this_cpu()->id] = vgic_nr_lrs;
}

static u64 read_apr(unsigned group, unsigned n)
{
	switch (group * 4 + n) {
	case 0: return read_sysreg(SYS_ICH_AP0R0_EL2);
	case 1: return read_sysreg(SYS_ICH_AP0R1_EL2);
	case 2: return read_sysreg(SYS_ICH_AP0R2_EL2);
	case 3: return read_sysreg(SYS_ICH_AP0R3_EL2);
	case 4: return read_sysreg(SYS_ICH_AP1R0_EL2);
	case 5: return read_sysreg(SYS_ICH_AP1R1_EL2);
	case 6: return read_sysreg(SYS_ICH_AP1R2_EL2);
	default: return read_sysreg(SYS_ICH_AP1R3_EL2);
	}
}

static void write_apr(unsigned group, unsigned n, u64 v)
{
	switch (group * 4 + n) {
	case 0: write_sysreg(SYS_ICH_AP0R0_EL2, v); break;
	case 1: write_sysreg(SYS_ICH_AP0R1_EL2, v); break;
	case 2: write_sysreg(SYS_ICH_AP0R2_EL2, v); break;
	case 3: write_sysreg(SYS_ICH_AP0R3_EL2, v); break;
	case 4: write_sysreg(SYS_ICH_AP1R0_EL2, v); break;
	case 5: write_sysreg(SYS_ICH_AP1R1_EL2, v); break;
	case 6: write_sysreg(SYS_ICH_AP1R2_EL2, v); break;
	default: write_sysreg(SYS_ICH_AP1R3_EL2, v); break;
	}
}

/* ICH_VMCR_EL2 and every implemented ICH_AP0R<n>/AP1R<n>_EL2 written. */
static __inline_always void write_cpuif(u32 vmcr, const u32 *ap0r, const u32 *ap1r)
{
	write_sysreg(SYS_ICH_VMCR_EL2, vmcr);
	/* vgic_nr_aprs <= VGIC_MAX_APRS; the second bound is for the compiler. */
	for (unsigned n = 0; n < vgic_nr_aprs && n < VGIC_MAX_APRS; n++) {
		write_apr(0, n, ap0r[n]);
		write_apr(1, n, ap1r[n]);
	}
}

/* The same registers read back. */
static __inline_always void read_cpuif(u32 *vmcr, u32 *ap0r, u32 *ap1r)
{
	*vmcr = (u32)read_sysreg(SYS_ICH_VMCR_EL2);
	for (unsigned n = 0; n < vgic_nr_aprs && n < VGIC_MAX_APRS; n++) {
		ap0r[n] = (u32)read_apr(0, n);
		ap1r[n] = (u32)read_apr(1, n);
	}
}

/*
 * The active priorities of both groups are the vCPU's: a Group 0 or
 * Group 1 interrupt a guest left active must not mask the next vCPU's
 * interrupts on this CPU (GIC spec, "Active priorities").
 */
void arch_vgic_cpuif_load(const struct vcpu *vcpu)
{
	write_cpuif(vcpu->vgic.vmcr, vcpu->vgic.ap0r, vcpu->vgic.ap1r);
}

void arch_vgic_cpuif_put(struct vcpu *vcpu)
{
	read_cpuif(&vcpu->vgic.vmcr, vcpu->vgic.ap0r, vcpu->vgic.ap1r);
}

static u64 read_lr(unsigned i)
{
	switch (i) {
#define LR(n, reg) case n: return read_sysreg(reg);
	LR(0, s3_4_c12_c12_0) LR(1, s3_4_c12_c12_1) LR(2, s3_4_c12_c12_2)
	LR(3, s3_4_c12_c12_3) LR(4, s3_4_c12_c12_4) LR(5, s3_4_c12_c12_5)
	LR(6, s3_4_c12_c12_6) LR(7, s3_4_c12_c12_7) LR(8, s3_4_c12_c13_0)
	LR(9, s3_4_c12_c13_1) LR(10, s3_4_c12_c13_2) LR(11, s3_4_c12_c13_3)
	LR(12, s3_4_c12_c13_4) LR(13, s3_4_c12_c13_5) LR(14, s3_4_c12_c13_6)
	LR(15, s3_4_c12_c13_7)
#undef LR
	default:
		return 0;
	}
}

static void write_lr(unsigned i, u64 v)
{
	switch (i) {
#define LR(n, reg) case n: write_sysreg(reg, v); break;
	LR(0, s3_4_c12_c12_0) LR(1, s3_4_c12_c12_1) LR(2, s3_4_c12_c12_2)
	LR(3, s3_4_c12_c12_3) LR(4, s3_4_c12_c12_4) LR(5, s3_4_c12_c12_5)
	LR(6, s3_4_c12_c12_6) LR(7, s3_4_c12_c12_7) LR(8, s3_4_c12_c13_0)
	LR(9, s3_4_c12_c13_1) LR(10, s3_4_c12_c13_2) LR(11, s3_4_c12_c13_3)
	LR(12, s3_4_c12_c13_4) LR(13, s3_4_c12_c13_5) LR(14, s3_4_c12_c13_6)
	LR(15, s3_4_c12_c13_7)
#undef LR
	default:
		break;
	}
}

/* The LRs in use, zeroes in the others this CPU may hold, then ICH_HCR_EL2. */
static void load_lrs(const u64 *lr, unsigned used, u32 hcr)
{
	unsigned cpu = this_cpu()->id, i;

	for (i = 0; i < used; i++)
		write_lr(i, lr[i]);
	for (; i < hw_lrs[cpu]; i++)
		write_lr(i, 0);
	hw_lrs[cpu] = used;
	write_sysreg(SYS_ICH_HCR_EL2, hcr);
	isb();
}

void arch_vgic_load(struct vcpu *vcpu)
{
	load_lrs(vcpu->vgic.lr, vcpu->vgic.used_lrs, vcpu->vgic.hcr);
}

/*
 * The LRs in use read back, then ICH_HCR_EL2, returned for its EOIcount
 * (GIC spec, ICH_HCR_EL2: EOIs of interrupts that were in no list
 * register) and cleared.
 */
static __inline_always u32 save_lrs(u64 *lr, unsigned used)
{
	u32 hcr;

	for (unsigned i = 0; i < used; i++)
		lr[i] = read_lr(i);
	hcr = (u32)read_sysreg(SYS_ICH_HCR_EL2);
	write_sysreg(SYS_ICH_HCR_EL2, 0);
	return hcr;
}

void arch_vgic_save(struct vcpu *vcpu)
{
	vcpu->vgic.hcr_exit = save_lrs(vcpu->vgic.lr, vcpu->vgic.used_lrs);
}

/*
 * L2's virtual CPU interface (vgic_nested.h): L1's own ICH_VMCR_EL2 and
 * active priorities are saved first (live since arch_vcpu_load, they
 * follow L1's ICC_PMR_EL1 and acknowledges), then L2's VMCR, APRs, LRs
 * and ICH_HCR_EL2 written, En last (GIC spec, ICH_HCR_EL2).
 */
void arch_vgic_nested_load(struct vcpu *vcpu, const struct vich_hw *hw)
{
	arch_vgic_cpuif_put(vcpu);
	write_cpuif(hw->vmcr, hw->ap0r, hw->ap1r);
	load_lrs(hw->lr, MIN(hw->used_lrs, (unsigned)VGIC_MAX_LRS), hw->hcr);
}

/*
 * L2's interface read back (its LRs, EOIcount, VMCR, active priorities),
 * the interface disabled (no maintenance interrupt at EL2), and L1's
 * VMCR and active priorities put back.
 */
void arch_vgic_nested_save(struct vcpu *vcpu, struct vich_hw *hw)
{
	hw->hcr_exit = save_lrs(hw->lr, MIN(hw->used_lrs, (unsigned)VGIC_MAX_LRS));
	read_cpuif(&hw->vmcr, hw->ap0r, hw->ap1r);
	arch_vgic_cpuif_load(vcpu);
	isb();
}
