/* The freestanding <stdlib.h> subset the test guests and libfdt use. */
#ifndef GUEST_LIBC_STDLIB_H
#define GUEST_LIBC_STDLIB_H
#include <stddef.h>
unsigned long strtoul(const char *s, char **end, int base);
#endif
