/* The freestanding subset of <stdlib.h> nestvisor and libfdt use. */
#ifndef NV_LIBC_STDLIB_H
#define NV_LIBC_STDLIB_H
#include <stddef.h>
unsigned long strtoul(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
#endif
