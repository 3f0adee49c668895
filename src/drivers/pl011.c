/* PL011 UART output for nestvisor's console (PL011 TRM: UARTDR, UARTFR). */
#include <nv/arch.h>
#include <nv/console.h>
#include <nv/pl011.h>

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTFR_RXFE BIT(4)
#define UARTFR_TXFF BIT(5)
#define UARTIMSC 0x038
#define UARTICR 0x044
#define UART_INT_RX BIT(4)
#define UART_INT_RT BIT(6)

static void pl011_putc(paddr_t base, char c)
{
	/* Bounded wait: a wedged UART must not hang nestvisor. */
	for (unsigned spin = 0; spin < 1000000; spin++)
		if (!(mmio_read32(base + UARTFR) & UARTFR_TXFF))
			break;
	mmio_write32(base + UARTDR, (u8)c);
}

static void pl011_write(void *ctx, const char *s, size_t n)
{
	paddr_t base = (paddr_t)(uintptr_t)ctx;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			pl011_putc(base, '\r');
		pl011_putc(base, s[i]);
	}
}

static struct console_backend pl011_console = { "pl011", pl011_write, NULL };

void pl011_console_init(paddr_t base)
{
	pl011_console.ctx = (void *)(uintptr_t)base;
	console_register(&pl011_console);
}

void pl011_rx_enable(void)
{
	paddr_t base = (paddr_t)(uintptr_t)pl011_console.ctx;

	if (!base)
		return;
	mmio_write32(base + UARTICR, 0x7ff);
	mmio_write32(base + UARTIMSC, (u32)(UART_INT_RX | UART_INT_RT));
}

bool pl011_getc(u8 *c)
{
	paddr_t base = (paddr_t)(uintptr_t)pl011_console.ctx;

	if (!base || (mmio_read32(base + UARTFR) & UARTFR_RXFE))
		return false;
	*c = (u8)mmio_read32(base + UARTDR);
	return true;
}
