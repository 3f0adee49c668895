/*
 * Physical interrupt handling at EL2: a handler per INTID, the GICv3
 * driver underneath (distributor, redistributors, ICC system registers).
 */
#ifndef NV_IRQ_H
#define NV_IRQ_H

#include <nv/platform.h>
#include <nv/types.h>

#define GIC_NR_PRIVATE 32
#define GIC_MAX_INTID 1019
#define GIC_SPURIOUS_FIRST 1020

/*
 * Returns true when nestvisor is done with the interrupt (it is then
 * deactivated), false when the deactivation is left to a guest: an
 * interrupt forwarded through a HW list register (GIC spec 4.4, with
 * ICC_CTLR_EL1.EOImode = 1 the EOI only drops the running priority).
 */
typedef bool (*irq_handler_t)(u32 intid, void *arg);

/* Registers the handler of an INTID (for SGIs and PPIs: on every CPU). */
bool irq_register(u32 intid, irq_handler_t h, void *arg);
/* Acknowledges and handles every pending interrupt (IRQ vector). */
void irq_handle(void);
u64 irq_spurious_count(void);

struct gic_info {
	unsigned nr_spis;   /* from GICD_TYPER.ITLinesNumber */
	unsigned arch_rev;  /* GICD_PIDR2.ArchRev: 3 or 4 */
	u64 redist_stride;
};

/* Distributor (boot CPU, once). False with a message in err on failure. */
bool gicv3_init_dist(const struct platform *p, struct gic_info *info,
		     char *err, size_t errlen);
/* This CPU's redistributor and CPU interface. */
bool gicv3_init_cpu(const struct platform *p, u64 mpidr, paddr_t *gicr,
		    char *err, size_t errlen);
/* Enables a PPI or SGI on the calling CPU's redistributor. */
void gicv3_enable_private(paddr_t gicr, u32 intid);
/* Enables an SPI at the distributor (routed to the boot CPU). */
void gicv3_enable_spi(u32 intid);
/* Active state of a private interrupt (GICR_ISACTIVER0/ICACTIVER0). */
bool gicv3_is_active(paddr_t gicr, u32 intid);
void gicv3_set_active(paddr_t gicr, u32 intid, bool active);
/* Disables an interrupt: private ones on the given redistributor. */
void gicv3_disable(paddr_t gicr, u32 intid);

/* ICC system register interface (arch). */
void arch_gic_cpuif_init(void);
u32 arch_gic_ack(void);
/* Priority drop (ICC_EOIR1_EL1; EOImode = 1). */
void arch_gic_eoi(u32 intid);
/* Deactivation (ICC_DIR_EL1). */
void arch_gic_deactivate(u32 intid);

#endif
