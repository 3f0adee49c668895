/* Semihosting for AArch64 at EL2 (Arm semihosting spec, HLT #0xF000). */
#include <nv/console.h>
#include <nv/esr.h>
#include <nv/semihost.h>

#define SYS_WRITEC 0x03
#define SYS_WRITE0 0x04
#define SYS_ERRNO 0x13
#define SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static bool present;
static volatile bool probing;

static u64 semihost_call(u64 op, u64 arg)
{
	register u64 x0 __asm__("x0") = op;
	register u64 x1 __asm__("x1") = arg;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
}

bool semihost_probe(void)
{
	present = true;
	probing = true;
	semihost_call(SYS_ERRNO, 0);
	probing = false;
	return present;
}

bool semihost_available(void)
{
	return present;
}

bool semihost_fixup(struct trap_frame *f)
{
	/* Without semihosting, HLT is UNDEFINED: EC 0 at the HLT itself. */
	if (!probing || esr_ec(f->esr) != EC_UNKNOWN)
		return false;
	present = false;
	f->elr += 4;
	return true;
}

void semihost_write(const char *s, size_t n)
{
	char buf[128];

	if (!present)
		return;
	while (n) {
		size_t k = n < sizeof(buf) - 1 ? n : sizeof(buf) - 1;

		for (size_t i = 0; i < k; i++)
			buf[i] = s[i];
		buf[k] = '\0';
		semihost_call(SYS_WRITE0, (u64)(uintptr_t)buf);
		s += k;
		n -= k;
	}
}

void semihost_exit(unsigned code)
{
	u64 block[2] = { ADP_STOPPED_APPLICATION_EXIT, code };

	if (present)
		semihost_call(SYS_EXIT, (u64)(uintptr_t)block);
}

static void semihost_console_write(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	semihost_write(s, n);
}

static const struct console_backend semihost_console = {
	"semihosting", semihost_console_write, NULL
};

void semihost_console_init(void)
{
	console_register(&semihost_console);
}
