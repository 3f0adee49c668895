/*
 * Reader for cpio newc archives (the format of the VM bundle): the SVR4
 * portable format with an ASCII-hex header of 110 bytes (magic 070701,
 * thirteen 8-digit fields), the name padded to 4 bytes, then the data
 * padded to 4 bytes; the entry named TRAILER!!! ends the archive.
 */
#include <string.h>
#include <nv/cpio.h>
#include <nv/fmt.h>

#define CPIO_HDR_LEN 110
#define CPIO_FIELDS 13
#define S_IFMT 0170000u
#define S_IFREG 0100000u

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
       F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK };

static const char *const field_names[CPIO_FIELDS] = {
	"c_ino", "c_mode", "c_uid", "c_gid", "c_nlink", "c_mtime",
	"c_filesize", "c_devmajor", "c_devminor", "c_rdevmajor",
	"c_rdevminor", "c_namesize", "c_check",
};

static bool hex8(const char *s, u32 *out)
{
	u32 v = 0;

	for (int i = 0; i < 8; i++) {
		char c = s[i];
		u32 d;

		if (c >= '0' && c <= '9')
			d = (u32)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (u32)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (u32)(c - 'A' + 10);
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

/*
 * One entry at *pos. On CPIO_CORRUPT, e (if not NULL) says what is wrong;
 * e->name is the entry's name when the header got that far.
 */
static enum cpio_status read_entry(const void *archive, size_t len,
				   size_t *pos, struct cpio_file *f,
				   struct cpio_error *e)
{
	const char *a = archive;
	const char *h = a + *pos;
	u32 fld[CPIO_FIELDS];
	size_t name_off, data_off, end;

	if (e) {
		e->offset = *pos;
		e->name = NULL;
	}
#define CORRUPT(...) \
	(e ? (void)nv_snprintf(e->what, sizeof(e->what), __VA_ARGS__) : (void)0, \
	 CPIO_CORRUPT)
	if (*pos >= len)
		return CORRUPT("the archive ends without its TRAILER!!! entry");
	if (len - *pos < CPIO_HDR_LEN)
		return CORRUPT("the archive ends inside an entry header (%zu of %u bytes)",
			       len - *pos, CPIO_HDR_LEN);
	if (memcmp(h, "070701", 6))
		return CORRUPT("no newc header magic 070701");
	for (int i = 0; i < CPIO_FIELDS; i++)
		if (!hex8(h + 6 + 8 * i, &fld[i]))
			return CORRUPT("header field %s is not 8 hex digits",
				       field_names[i]);
	name_off = *pos + CPIO_HDR_LEN;
	if (fld[F_NAMESIZE] == 0 || fld[F_NAMESIZE] > len - name_off)
		return CORRUPT("name size 0x%x runs past the end of the archive (0x%zx bytes)",
			       fld[F_NAMESIZE], len);
	if (a[name_off + fld[F_NAMESIZE] - 1] != '\0')
		return CORRUPT("the name is not NUL-terminated within its c_namesize");
	if (e)
		e->name = a + name_off;
	data_off = ALIGN_UP(name_off + fld[F_NAMESIZE], (size_t)4);
	if (data_off > len || fld[F_FILESIZE] > len - data_off)
		return CORRUPT("file size 0x%x runs past the end of the archive: only 0x%zx bytes follow its name",
			       fld[F_FILESIZE], data_off > len ? 0 : len - data_off);
#undef CORRUPT
	end = ALIGN_UP(data_off + fld[F_FILESIZE], (size_t)4);
	f->name = a + name_off;
	f->data = a + data_off;
	f->size = fld[F_FILESIZE];
	f->mode = fld[F_MODE];
	*pos = end < len ? end : len;
	if (!strcmp(f->name, "TRAILER!!!"))
		return CPIO_END;
	return CPIO_OK;
}

enum cpio_status cpio_next(const void *archive, size_t len, size_t *pos,
			   struct cpio_file *f)
{
	return read_entry(archive, len, pos, f, NULL);
}

enum cpio_status cpio_lookup(const void *archive, size_t len, const char *name,
			     struct cpio_file *f, struct cpio_error *e)
{
	size_t pos = 0;

	for (;;) {
		enum cpio_status st = read_entry(archive, len, &pos, f, e);
		const char *n;

		if (st != CPIO_OK)
			return st;
		n = f->name;
		if (n[0] == '.' && n[1] == '/')
			n += 2;
		if (!strcmp(n, name) && (f->mode & S_IFMT) == S_IFREG)
			return CPIO_OK;
	}
}

bool cpio_find(const void *archive, size_t len, const char *name,
	       struct cpio_file *f)
{
	return cpio_lookup(archive, len, name, f, NULL) == CPIO_OK;
}

size_t cpio_error_format(const struct cpio_error *e, char *buf, size_t size)
{
	if (e->name)
		return nv_snprintf(buf, size,
				   "the bundle is truncated or malformed at offset 0x%zx (entry '%.40s'): %s",
				   e->offset, e->name, e->what);
	return nv_snprintf(buf, size,
			   "the bundle is truncated or malformed at offset 0x%zx: %s",
			   e->offset, e->what);
}
