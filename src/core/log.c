/* Leveled log lines; one lock keeps lines from several CPUs whole. */
#include <stdarg.h>
#include <nv/console.h>
#include <nv/fmt.h>
#include <nv/log.h>
#include <nv/spinlock.h>

static enum log_level level = LOG_INFO;
static struct spinlock log_lock = SPINLOCK_INIT;

static const char *const prefixes[] = {
	[LOG_ERROR] = "error: ",
	[LOG_WARN] = "warning: ",
	[LOG_INFO] = "",
	[LOG_DEBUG] = "debug: ",
};

void log_set_level(enum log_level lvl)
{
	level = lvl;
}

enum log_level log_get_level(void)
{
	return level;
}

static void emit(const char *prefix, const char *fmt, va_list ap)
{
	char line[512];
	size_t n = nv_snprintf(line, sizeof(line), "%s", prefix);

	if (n < sizeof(line))
		n += nv_vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	spin_lock(&log_lock);
	console_write(line, n);
	spin_unlock(&log_lock);
}

void nv_log(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	if (lvl > level)
		return;
	va_start(ap, fmt);
	emit(prefixes[lvl], fmt, ap);
	va_end(ap);
}

void nv_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("", fmt, ap);
	va_end(ap);
}

void log_write_raw(const char *s, size_t n)
{
	spin_lock(&log_lock);
	console_write(s, n);
	spin_unlock(&log_lock);
}
