/* Leveled logging to the hypervisor console. */
#ifndef NV_LOG_H
#define NV_LOG_H

#include <nv/types.h>

enum log_level {
	LOG_ERROR,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
};

void log_set_level(enum log_level lvl);
enum log_level log_get_level(void);
void nv_log(enum log_level lvl, const char *fmt, ...) __printf(2, 3);
/* Unconditional output, no prefix (boot summary, reports). */
void nv_print(const char *fmt, ...) __printf(1, 2);

/* Raw console output (a guest's UART) that never splits a log line. */
void log_write_raw(const char *s, size_t n);

#define pr_err(...) nv_log(LOG_ERROR, __VA_ARGS__)
#define pr_warn(...) nv_log(LOG_WARN, __VA_ARGS__)
#define pr_info(...) nv_log(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) nv_log(LOG_DEBUG, __VA_ARGS__)

#endif
