/*
 * A small vsnprintf (flags '-', '0', '#', width, l/ll/z/h length; d i u x X
 * p s c %) and the PL011 console it prints on. The console is the UART of
 * /chosen/stdout-path, else the first "arm,pl011" node. Only UARTDR writes
 * and UARTFR reads are used (the UART is left as the loader set it up).
 */
#include <libfdt.h>
#include <string.h>

#include "guest.h"

#define UARTDR		0x00
#define UARTFR		0x18
#define UARTFR_TXFF	BIT(5)

static u64 uart_base;
static volatile u32 print_lock;

struct sink {
	char *buf;
	size_t size, len;
};

static void put(struct sink *s, char c)
{
	if (s->len + 1 < s->size)
		s->buf[s->len] = c;
	s->len++;
}

static void put_str(struct sink *s, const char *str, size_t n, int width, bool left)
{
	size_t pad = width > 0 && (size_t)width > n ? (size_t)width - n : 0;

	if (!left)
		while (pad--)
			put(s, ' ');
	while (n--)
		put(s, *str++);
	if (left)
		while (pad--)
			put(s, ' ');
}

static void put_num(struct sink *s, u64 v, unsigned base, bool upper, bool neg,
		    const char *prefix, int width, bool zero, bool left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	size_t n = 0, plen = strlen(prefix), total;
	size_t w = width > 0 ? (size_t)width : 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	total = n + plen + (neg ? 1 : 0);
	if (!left && !zero)
		for (; total < w; w--)
			put(s, ' ');
	if (neg)
		put(s, '-');
	while (*prefix)
		put(s, *prefix++);
	if (!left && zero)
		for (; total < w; w--)
			put(s, '0');
	while (n)
		put(s, tmp[--n]);
	if (left)
		for (; total < w; w--)
			put(s, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { buf, size, 0 };

	for (; *fmt; fmt++) {
		bool left = false, zero = false, alt = false;
		int width = 0, lng = 0;

		if (*fmt != '%') {
			put(&s, *fmt);
			continue;
		}
		for (;; fmt++) {
			if (fmt[1] == '-')
				left = true;
			else if (fmt[1] == '0')
				zero = true;
			else if (fmt[1] == '#')
				alt = true;
			else
				break;
		}
		fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z' || *fmt == 'h') {
			if (*fmt != 'h')
				lng++;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			s64 v = lng ? va_arg(ap, s64) : va_arg(ap, int);
			u64 mag = v < 0 ? (u64)0 - (u64)v : (u64)v;

			put_num(&s, mag, 10, false, v < 0, "", width, zero, left);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			u64 v = lng ? va_arg(ap, u64) : va_arg(ap, unsigned);
			unsigned base = *fmt == 'u' ? 10 : 16;

			put_num(&s, v, base, *fmt == 'X', false,
				alt && base == 16 ? "0x" : "", width, zero, left);
			break;
		}
		case 'p':
			put_num(&s, (u64)(uintptr_t)va_arg(ap, void *), 16, false, false,
				"0x", width, zero, left);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);

			if (!str)
				str = "(null)";
			put_str(&s, str, strlen(str), width, left);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			put_str(&s, &c, 1, width, left);
			break;
		}
		case '%':
			put(&s, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&s, '%');
			put(&s, *fmt);
			break;
		}
	}
	if (size)
		buf[s.len < size ? s.len : size - 1] = '\0';
	return (int)s.len;
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
