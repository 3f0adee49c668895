/*
 * The VM bundle: a cpio "newc" archive (the SVR4 portable format with
 * ASCII-hex headers, magic 070701) passed to nestvisor as its initrd.
 */
#ifndef NV_CPIO_H
#define NV_CPIO_H

#include <nv/types.h>

struct cpio_file {
	const char *name; /* NUL-terminated, inside the archive */
	const void *data;
	size_t size;
	u32 mode;
};

enum cpio_status {
	CPIO_OK,
	CPIO_END,     /* the TRAILER!!! entry */
	CPIO_CORRUPT, /* bad magic, a field that is not hex, or out of bounds */
};

/*
 * Reads the entry at *pos and advances *pos past it. Every length is
 * checked against the archive's size.
 */
enum cpio_status cpio_next(const void *archive, size_t len, size_t *pos,
			   struct cpio_file *f);
/* Finds a regular file by name; false if absent or the archive is corrupt. */
bool cpio_find(const void *archive, size_t len, const char *name,
	       struct cpio_file *f);

#endif
