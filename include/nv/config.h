/* Build-wide limits (usable from assembly). */
#ifndef NV_CONFIG_H
#define NV_CONFIG_H

/* Largest number of physical CPUs nestvisor manages. */
#define NR_CPUS 16
/* Per-CPU EL2 stack. */
#define STACK_SIZE 0x4000

#endif
