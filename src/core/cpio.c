/* Reader for cpio newc archives (the format of the VM bundle). */
#include <string.h>
#include <nv/cpio.h>

#define CPIO_HDR_LEN 110
#define CPIO_FIELDS 13
#define S_IFMT 0170000u
#define S_IFREG 0100000u

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
       F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK };

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

enum cpio_status cpio_next(const void *archive, size_t len, size_t *pos,
			   struct cpio_file *f)
{
	const char *a = archive;
	const char *h = a + *pos;
	u32 fld[CPIO_FIELDS];
	size_t name_off, data_off, end;

	if (*pos > len || len - *pos < CPIO_HDR_LEN || memcmp(h, "070701", 6))
		return CPIO_CORRUPT;
	for (int i = 0; i < CPIO_FIELDS; i++)
		if (!hex8(h + 6 + 8 * i, &fld[i]))
			return CPIO_CORRUPT;
	name_off = *pos + CPIO_HDR_LEN;
	if (fld[F_NAMESIZE] == 0 || fld[F_NAMESIZE] > len - name_off ||
	    a[name_off + fld[F_NAMESIZE] - 1] != '\0')
		return CPIO_CORRUPT;
	data_off = ALIGN_UP(name_off + fld[F_NAMESIZE], (size_t)4);
	if (data_off > len || fld[F_FILESIZE] > len - data_off)
		return CPIO_CORRUPT;
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

bool cpio_find(const void *archive, size_t len, const char *name,
	       struct cpio_file *f)
{
	size_t pos = 0;

	for (;;) {
		enum cpio_status st = cpio_next(archive, len, &pos, f);
		const char *n;

		if (st != CPIO_OK)
			return false;
		n = f->name;
		if (n[0] == '.' && n[1] == '/')
			n += 2;
		if (!strcmp(n, name) && (f->mode & S_IFMT) == S_IFREG)
			return true;
	}
}
