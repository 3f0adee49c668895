/*
 * The hypervisor console. Output written before a backend is registered
 * is kept in a small buffer and replayed when one appears, so errors found
 * while the device tree is parsed are not lost.
 */
#ifndef NV_CONSOLE_H
#define NV_CONSOLE_H

#include <nv/types.h>

struct console_backend {
	const char *name;
	void (*write)(void *ctx, const char *s, size_t n);
	void *ctx;
};

void console_register(const struct console_backend *be);
const struct console_backend *console_current(void);
void console_write(const char *s, size_t n);

#endif
