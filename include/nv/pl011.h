/* The PL011 UART as nestvisor's console. */
#ifndef NV_PL011_H
#define NV_PL011_H

#include <nv/types.h>

void pl011_console_init(paddr_t base);

#endif
