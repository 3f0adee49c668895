/*
 * printf on the PL011 console, formatted by nestvisor's nv_vsnprintf
 * (src/lib/fmt.c). The console is the UART of
 * /chosen/stdout-path, else the first "arm,pl011" node. Only UARTDR writes
 * and UARTFR reads are used (the UART is left as the loader set it up).
 */
#include <libfdt.h>
#include <string.h>

#include "guest.h"

/* src/lib/fmt.c (its header would clash with guest.h's helpers). */
size_t nv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#define UARTDR		0x00
#define UARTFR		0x18
#define UARTFR_TXFF	BIT(5)

static u64 uart_base;
static volatile u32 print_lock;

/* The formatter is nestvisor's own (src/lib/fmt.c). */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return (int)nv_vsnprintf(buf, size, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void uart_putc(char c)
{
	unsigned spins = 1000000;

	while ((mmio_read32(uart_base + UARTFR) & UARTFR_TXFF) && --spins)
		cpu_relax();
	mmio_write32(uart_base + UARTDR, (u8)c);
}

/* Bounded: a CPU that died holding the lock must not silence the others. */
static void lock_print(void)
{
	unsigned spins = 10000000;

	while (__atomic_exchange_n(&print_lock, 1, __ATOMIC_ACQUIRE) && --spins)
		cpu_relax();
}

static void unlock_print(void)
{
	__atomic_store_n(&print_lock, 0, __ATOMIC_RELEASE);
}

int printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!uart_base)
		return n;
	lock_print();
	for (const char *p = buf; *p; p++) {
		if (*p == '\n')
			uart_putc('\r');
		uart_putc(*p);
	}
	unlock_print();
	return n;
}

static bool is_pl011(int node)
{
	return node >= 0 && fdt_node_check_compatible(guest_fdt, node, "arm,pl011") == 0;
}

bool console_init(void)
{
	int node = -1, len;
	const char *path = fdt_getprop(guest_fdt, fdt_path_offset(guest_fdt, "/chosen"),
				       "stdout-path", &len);
	u64 size;

	if (path && len > 0) {
		const char *colon = memchr(path, ':', (size_t)len);
		int plen = colon ? (int)(colon - path) : (int)strnlen(path, (size_t)len);

		node = fdt_path_offset_namelen(guest_fdt, path, plen);
	}
	if (!is_pl011(node))
		node = dt_find_compatible("arm,pl011");
	if (node < 0 || !dt_reg(node, 0, &uart_base, &size))
		return false;
	return true;
}

u64 console_base(void)
{
	return uart_base;
}
