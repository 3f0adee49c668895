/* Console multiplexer with an early buffer for output before a backend. */
#include <nv/console.h>
#include <string.h>

static const struct console_backend *backend;
static char early_buf[4096];
static size_t early_len;

void console_register(const struct console_backend *be)
{
	backend = be;
	if (be && early_len) {
		be->write(be->ctx, early_buf, early_len);
		early_len = 0;
	}
}

const struct console_backend *console_current(void)
{
	return backend;
}

void console_write(const char *s, size_t n)
{
	if (backend) {
		backend->write(backend->ctx, s, n);
		return;
	}
	if (n > sizeof(early_buf) - early_len)
		n = sizeof(early_buf) - early_len;
	memcpy(early_buf + early_len, s, n);
	early_len += n;
}
