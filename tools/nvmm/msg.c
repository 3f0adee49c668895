/* nvmm's own lines, "nvmm: ...", on standard error (or nvmm_log). */
#define _GNU_SOURCE /* vasprintf */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "nvmm.h"

FILE *nvmm_log;

FILE *nvmm_log_file(void)
{
	return nvmm_log ? nvmm_log : stderr;
}

/*
 * prefix, the message and a newline in one fprintf: on the unbuffered
 * standard error that is one write, which the guest's console output
 * (standard output, written by the vCPU threads) cannot split.
 */
static void line(const char *prefix, const char *fmt, va_list ap)
{
	FILE *f = nvmm_log_file();
	char *text;
	va_list again;

	va_copy(again, ap);
	if (vasprintf(&text, fmt, ap) >= 0) {
		fprintf(f, "%s%s\n", prefix, text);
		free(text);
	} else {
		fputs(prefix, f);
		vfprintf(f, fmt, again);
		fputc('\n', f);
	}
	va_end(again);
}

void nvmm_verr(const char *fmt, va_list ap)
{
	line("nvmm: error: ", fmt, ap);
}

void nvmm_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	line("nvmm: error: ", fmt, ap);
	va_end(ap);
}

void nvmm_msg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	line("nvmm: ", fmt, ap);
	va_end(ap);
}
