/* The PL011 UART as nestvisor's console. */
#ifndef NV_PL011_H
#define NV_PL011_H

#include <nv/types.h>

void pl011_console_init(paddr_t base);
/* Console input: receive interrupts on, and a non-blocking read. */
void pl011_rx_enable(void);
bool pl011_getc(u8 *c);

#endif
