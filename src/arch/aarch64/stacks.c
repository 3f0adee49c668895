/* Boot stacks: STACK_SIZE per CPU, indexed by logical CPU (head.S). */
#include <nv/config.h>
#include <nv/types.h>

u8 boot_stacks[NR_CPUS][STACK_SIZE] __aligned(16);
