/* printf-style formatting into a bounded buffer (subset of C11 7.21.6). */
#ifndef NV_FMT_H
#define NV_FMT_H

#include <stdarg.h>
#include <nv/types.h>

/*
 * Supports %% %c %s %d %i %u %x %X %p with flags '-' '0', a width, a
 * precision (also '*') and the length modifiers hh h l ll z. Returns the
 * length the full output would have, like vsnprintf.
 */
size_t nv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t nv_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
