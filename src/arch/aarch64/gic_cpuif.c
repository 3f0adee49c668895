/* GICv3 CPU interface system registers at EL2 (GIC spec, chapter 12.11). */
#include <nv/irq.h>
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
