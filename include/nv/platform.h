/*
 * The machine nestvisor runs on, as described by the device tree the boot
 * loader passes in x0. Parsed once at boot; nothing here is hard-coded.
 */
#ifndef NV_PLATFORM_H
#define NV_PLATFORM_H

#include <nv/config.h>
#include <nv/types.h>

#define PLAT_MAX_MEM 8
#define PLAT_MAX_RESERVED 16
#define PLAT_MAX_REDIST 4

struct mem_region {
	paddr_t base;
	u64 size;
};

enum psci_conduit {
	PSCI_CONDUIT_NONE,
	PSCI_CONDUIT_SMC,
	PSCI_CONDUIT_HVC,
};

struct platform_gic {
	struct mem_region dist;
	struct mem_region redist[PLAT_MAX_REDIST];
	unsigned nr_redist;
	u64 redist_stride; /* 0: discover from GICR_TYPER.VLPIS */
	u32 maint_intid;   /* 0 if the node does not give one */
	char path[64];
};

/* Timer PPIs as INTIDs, in the order of the arm,armv8-timer binding. */
struct platform_timer {
	u32 sec_phys_intid;
	u32 phys_intid;     /* EL1 physical timer */
	u32 virt_intid;     /* EL1 virtual timer */
	u32 hyp_phys_intid; /* EL2 physical timer */
	u32 hyp_virt_intid; /* EL2 virtual timer, 0 if absent */
	u32 dt_freq;        /* clock-frequency property, 0 if absent */
};

struct platform_uart {
	struct mem_region reg;
	u32 intid; /* its SPI as an INTID, 0 if the node gives none */
	char path[64];
};

struct platform {
	struct mem_region mem[PLAT_MAX_MEM];
	unsigned nr_mem;
	struct mem_region reserved[PLAT_MAX_RESERVED];
	unsigned nr_reserved;
	u64 cpu_mpidr[NR_CPUS];
	unsigned nr_cpus;
	struct platform_gic gic;
	struct platform_timer timer;
	struct platform_uart uart;
	bool has_uart;
	enum psci_conduit psci;
	char bootargs[512];
	struct mem_region initrd;
	bool has_initrd;
	struct mem_region fdt;
};

/*
 * Fills p from the flattened device tree. On a missing or malformed node
 * returns false with a message naming the node and the problem in err.
 */
bool platform_parse(const void *fdt, struct platform *p, char *err,
		    size_t errlen);

/* INTID from a 3-cell GIC interrupt specifier (GIC DT binding). */
bool gic_dt_intid(u32 type, u32 num, u32 *intid);

/* True if [base, base+size) lies inside RAM. */
bool platform_is_ram(const struct platform *p, paddr_t base, u64 size);

#endif
