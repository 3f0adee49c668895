/* nestvisor's own EL2 stage-1 identity map. */
#ifndef NV_MMU_H
#define NV_MMU_H

#include <nv/platform.h>
#include <nv/types.h>

/* The image's section boundaries (linker script). */
extern char _head[], _etext[], _erodata[], _end[];

/* Adds a device mapping to the boot map (the console, before the final map). */
bool mmu_boot_map_device(paddr_t base, u64 size);

/*
 * Replaces the boot map with the final one: RAM as Normal write-back
 * memory (never executable, except nestvisor's text, which is read-only),
 * the device tree's MMIO regions (GIC, UART) as Device-nGnRE.
 */
bool mmu_init_final(const struct platform *p, char *err, size_t errlen);

#endif
