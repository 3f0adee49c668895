/* Load planning for guest kernels (Linux Image, ELF64, flat binary). */
#include <string.h>
#include <nv/fmt.h>
#include <nv/loader.h>
#include <nv/pgtable.h>

#define ARM64_IMAGE_MAGIC 0x644d5241u /* "ARM\x64" at offset 0x38 */
#define EM_AARCH64 183
#define PT_LOAD 1

static u64 le64(const u8 *p)
{
	u64 v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static u32 le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static u16 le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

const char *image_format_name(enum image_format f)
{
	static const char *const names[] = { "Linux Image", "ELF", "flat binary" };

	return names[f];
}

static bool in_ram(u64 base, u64 size, u64 ram_base, u64 ram_size)
{
	return base >= ram_base && size <= ram_size &&
	       base - ram_base <= ram_size - size;
}

static bool plan_linux(const u8 *img, size_t len, u64 ram_base,
		       struct load_plan *p, char *err, size_t errlen)
{
	u64 text_offset = le64(img + 8), image_size = le64(img + 16);
	u64 flags = le64(img + 24);
	u64 load;

	/* image_size 0: a kernel older than 3.17, text_offset is 0x80000. */
	if (!image_size) {
		text_offset = 0x80000;
		image_size = len;
	}
	if ((flags & 1) != 0) {
		nv_snprintf(err, errlen, "Linux Image is big-endian (header flags bit 0)");
		return false;
	}
	if (text_offset >= SZ_2M || image_size < len) {
		nv_snprintf(err, errlen,
			    "Linux Image header is inconsistent: text_offset 0x%llx, image_size 0x%llx, file 0x%zx bytes",
			    (unsigned long long)text_offset,
			    (unsigned long long)image_size, len);
		return false;
	}
	/* A 2 MiB-aligned base as close to the start of RAM as possible. */
	load = ALIGN_UP(ram_base, SZ_2M) + text_offset;
	p->seg[0] = (struct load_seg){ load, 0, len, image_size };
	p->nseg = 1;
	p->entry = load;
	p->kernel_end = load + image_size;
	return true;
}

static bool plan_elf(const u8 *img, size_t len, struct load_plan *p,
		     char *err, size_t errlen)
{
	u64 phoff = le64(img + 32);
	u16 phentsize = le16(img + 54), phnum = le16(img + 56);

	if (img[4] != 2 || img[5] != 1 || le16(img + 18) != EM_AARCH64 ||
	    le16(img + 16) != 2) {
		nv_snprintf(err, errlen, "ELF is not a little-endian ELF64 AArch64 executable");
		return false;
	}
	if (phentsize < 56 || phnum == 0 || phoff > len ||
	    (u64)phnum * phentsize > len - phoff) {
		nv_snprintf(err, errlen, "ELF program headers are out of the file");
		return false;
	}
	p->nseg = 0;
	p->kernel_end = 0;
	for (unsigned i = 0; i < phnum; i++) {
		const u8 *ph = img + phoff + (u64)i * phentsize;
		u64 off = le64(ph + 8), paddr = le64(ph + 24);
		u64 filesz = le64(ph + 32), memsz = le64(ph + 40);

		if (le32(ph) != PT_LOAD || !memsz)
			continue;
		if (filesz > memsz || off > len || filesz > len - off) {
			nv_snprintf(err, errlen, "ELF segment %u is out of the file", i);
			return false;
		}
		if (p->nseg >= LOADER_MAX_SEGS) {
			nv_snprintf(err, errlen, "ELF has more than %d loadable segments",
				    LOADER_MAX_SEGS);
			return false;
		}
		p->seg[p->nseg++] = (struct load_seg){ paddr, (size_t)off,
						       (size_t)filesz, memsz };
		p->kernel_end = MAX(p->kernel_end, paddr + memsz);
	}
	if (!p->nseg) {
		nv_snprintf(err, errlen, "ELF has no loadable segment");
		return false;
	}
	p->entry = le64(img + 24);
	return true;
}

/*
 * A file shorter than the header of the format it announces: an ELF
 * (e_ident magic) under the 64 bytes of an ELF64 header, a Linux Image
 * under the 64 bytes of its header, recognised by the EFI stub's "MZ"
 * (every EFI-capable arm64 Image starts with it) or by a file that ends
 * inside the magic at 0x38 and matches it so far. Without this they
 * would be taken for flat binaries and run as code. A whole header
 * with "MZ" but without the arm64 magic is a damaged Image, or a PE
 * file of another architecture: refused too.
 */
static bool short_header(const u8 *img, size_t len, char *err, size_t errlen)
{
	static const u8 magic[4] = { 'A', 'R', 'M', 0x64 };

	if (len >= 64) {
		if (img[0] == 'M' && img[1] == 'Z' && memcmp(img + 0x38, magic, 4)) {
			nv_snprintf(err, errlen,
				    "starts with the EFI/PE signature \"MZ\" but has no arm64 Image magic at 0x38 (a damaged Linux Image or not an arm64 one)");
			return false;
		}
		return true;
	}
	if (len >= 4 && !memcmp(img, "\177ELF", 4)) {
		nv_snprintf(err, errlen,
			    "ELF file of %zu bytes is shorter than its 64-byte ELF64 header (truncated)",
			    len);
		return false;
	}
	if ((len >= 2 && img[0] == 'M' && img[1] == 'Z') ||
	    (len > 0x38 && !memcmp(img + 0x38, magic, MIN(len - 0x38, sizeof(magic))))) {
		nv_snprintf(err, errlen,
			    "Linux Image of %zu bytes is cut inside its 64-byte header (truncated)",
			    len);
		return false;
	}
	return true;
}

bool loader_plan(const void *image, size_t len, size_t initrd_len,
		 u64 ram_base, u64 ram_size, struct load_plan *p, char *err,
		 size_t errlen)
{
	const u8 *img = image;
	u64 ram_end = ram_base + ram_size;
	bool ok;

	memset(p, 0, sizeof(*p));
	if (!len) {
		nv_snprintf(err, errlen, "kernel image is empty");
		return false;
	}
	if (ram_size < 2 * LOADER_FDT_MAX) {
		nv_snprintf(err, errlen, "RAM of 0x%llx bytes is too small (at least 4 MiB)",
			    (unsigned long long)ram_size);
		return false;
	}
	if (!short_header(img, len, err, errlen))
		return false;
	if (len >= 64 && le32(img + 0x38) == ARM64_IMAGE_MAGIC) {
		p->format = IMAGE_LINUX;
		ok = plan_linux(img, len, ram_base, p, err, errlen);
	} else if (len >= 64 && !memcmp(img, "\177ELF", 4)) {
		p->format = IMAGE_ELF;
		ok = plan_elf(img, len, p, err, errlen);
	} else if (len < 4) {
		nv_snprintf(err, errlen,
			    "flat binary of %zu byte%s holds not even one instruction",
			    len, len == 1 ? "" : "s");
		return false;
	} else {
		p->format = IMAGE_FLAT;
		p->seg[0] = (struct load_seg){ ram_base, 0, len, len };
		p->nseg = 1;
		p->entry = ram_base;
		p->kernel_end = ram_base + len;
		ok = true;
	}
	if (!ok)
		return false;
	p->fdt_ipa = ram_end - LOADER_FDT_MAX;
	for (unsigned i = 0; i < p->nseg; i++) {
		if (!in_ram(p->seg[i].ipa, p->seg[i].memsz, ram_base,
			    p->fdt_ipa - ram_base)) {
			nv_snprintf(err, errlen,
				    "%s: [0x%llx, 0x%llx) does not fit in RAM [0x%llx, 0x%llx) below the device tree",
				    image_format_name(p->format),
				    (unsigned long long)p->seg[i].ipa,
				    (unsigned long long)(p->seg[i].ipa + p->seg[i].memsz),
				    (unsigned long long)ram_base,
				    (unsigned long long)p->fdt_ipa);
			return false;
		}
	}
	/* A64 instructions are 4-byte aligned: a PC that is not takes a PC
	 * alignment fault on its first fetch (Arm ARM D1.3.5.1). */
	if (p->entry & 3) {
		nv_snprintf(err, errlen, "%s: entry point 0x%llx is not 4-byte aligned",
			    image_format_name(p->format),
			    (unsigned long long)p->entry);
		return false;
	}
	if (!in_ram(p->entry, 4, ram_base, p->fdt_ipa - ram_base)) {
		nv_snprintf(err, errlen, "%s: entry point 0x%llx is not in RAM",
			    image_format_name(p->format),
			    (unsigned long long)p->entry);
		return false;
	}
	if (initrd_len) {
		u64 size = ALIGN_UP((u64)initrd_len, PAGE_SIZE);

		if ((u64)initrd_len > p->fdt_ipa - ram_base ||
		    size > p->fdt_ipa - ram_base ||
		    p->fdt_ipa - size < ALIGN_UP(p->kernel_end, PAGE_SIZE)) {
			nv_snprintf(err, errlen,
				    "initrd of %zu bytes does not fit between the kernel (ends 0x%llx) and the device tree (0x%llx)",
				    initrd_len, (unsigned long long)p->kernel_end,
				    (unsigned long long)p->fdt_ipa);
			return false;
		}
		p->initrd_ipa = p->fdt_ipa - size;
	}
	return true;
}
