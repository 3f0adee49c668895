/*
 * Placing a guest's kernel, initrd and device tree in its RAM. Accepts
 * arm64 Linux Images (header per Documentation/arch/arm64/booting.rst),
 * ELF64 AArch64 executables (PT_LOAD segments at their physical
 * addresses) and flat binaries (at the base of RAM).
 */
#ifndef NV_LOADER_H
#define NV_LOADER_H

#include <nv/types.h>

#define LOADER_MAX_SEGS 8

enum image_format {
	IMAGE_LINUX,
	IMAGE_ELF,
	IMAGE_FLAT,
};

struct load_seg {
	u64 ipa;      /* where it goes */
	size_t off;   /* where it comes from in the image */
	size_t filesz;
	u64 memsz;    /* the rest up to memsz is zeroed */
};

struct load_plan {
	enum image_format format;
	struct load_seg seg[LOADER_MAX_SEGS];
	unsigned nseg;
	u64 entry;
	u64 kernel_end; /* highest IPA the kernel may use (image_size, BSS) */
	u64 initrd_ipa; /* 0 if none */
	u64 fdt_ipa;
};

#define LOADER_FDT_MAX SZ_2M

/*
 * Plans the load of a kernel of len bytes and an initrd of initrd_len
 * bytes (0: none) into RAM [ram_base, ram_base + ram_size). The device
 * tree goes in the last 2 MiB, the initrd right below it. False with a
 * message when the image is malformed or does not fit.
 */
bool loader_plan(const void *img, size_t len, size_t initrd_len,
		 u64 ram_base, u64 ram_size, struct load_plan *p, char *err,
		 size_t errlen);
const char *image_format_name(enum image_format f);

#endif
