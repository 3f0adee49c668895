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

/* Where and why an archive is unreadable. */
struct cpio_error {
	size_t offset;    /* of the entry's header */
	const char *name; /* the entry's name, NULL if not readable */
	char what[128];
};

/*
 * Like cpio_find, saying why not: CPIO_END when the archive is whole and
 * holds no such regular file; CPIO_CORRUPT when it is truncated or
 * malformed before the file is found, with *e (if not NULL) saying where.
 */
enum cpio_status cpio_lookup(const void *archive, size_t len, const char *name,
			     struct cpio_file *f, struct cpio_error *e);
/* "the bundle is truncated or malformed at offset 0x... (entry '...'): ..." */
size_t cpio_error_format(const struct cpio_error *e, char *buf, size_t size);

#endif
