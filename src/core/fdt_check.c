/* A device tree checked whole before libfdt walks it (see fdt_check.h). */
#include <libfdt.h>
#include <nv/fdt_check.h>

static u32 be32_at(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* The structure block's tokens (DTSpec 5.4.1), each 4-byte aligned. */
static int check_struct(const u8 *s, u64 len)
{
	u64 off = 0;
	unsigned depth = 0;
	bool root_done = false;

	while (off + 4 <= len) {
		u32 tag = be32_at(s + off);
		u64 p = off + 4;

		switch (tag) {
		case FDT_BEGIN_NODE:
			if (root_done || (off && !depth))
				return -FDT_ERR_BADSTRUCTURE;
			while (p < len && s[p])
				p++;
			if (p >= len)
				return -FDT_ERR_BADSTRUCTURE;
			p++;
			depth++;
			break;
		case FDT_END_NODE:
			if (!depth)
				return -FDT_ERR_BADSTRUCTURE;
			root_done = --depth == 0;
			break;
		case FDT_PROP:
			/* len, nameoff, then len bytes of value */
			if (!depth || len - p < 8 || be32_at(s + p) > len - p - 8)
				return -FDT_ERR_BADSTRUCTURE;
			p += 8 + be32_at(s + p);
			break;
		case FDT_NOP:
			if (!off)
				return -FDT_ERR_BADSTRUCTURE;
			break;
		case FDT_END:
			return root_done ? 0 : -FDT_ERR_BADSTRUCTURE;
		default:
			return -FDT_ERR_BADSTRUCTURE;
		}
		off = (p + 3) & ~(u64)3;
	}
	return -FDT_ERR_TRUNCATED;
}

int fdt_check_blob(const void *fdt, size_t size)
{
	int rc;

	if (size < sizeof(struct fdt_header))
		return -FDT_ERR_TRUNCATED;
	rc = fdt_check_header(fdt);
	if (rc)
		return rc;
	if (fdt_totalsize(fdt) > size)
		return -FDT_ERR_TRUNCATED;
	if (fdt_version(fdt) < 17)
		return -FDT_ERR_BADVERSION;
	if ((u64)fdt_off_dt_struct(fdt) + fdt_size_dt_struct(fdt) > fdt_totalsize(fdt) ||
	    fdt_off_dt_struct(fdt) % 4)
		return -FDT_ERR_BADSTRUCTURE;
	rc = check_struct((const u8 *)fdt + fdt_off_dt_struct(fdt),
			  fdt_size_dt_struct(fdt));
	if (rc)
		return rc;
	/* What is left: string offsets, memory reservations. */
	return fdt_check_full(fdt, size);
}
