/* The arm64 Linux Image header and where the kernel, initrd and DTB go. */
#include <stdio.h>
#include <string.h>

#include "nvmm.h"

#define SZ_2M 0x200000ULL
#define SZ_4K 0x1000ULL

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/*
 * The Image header (Documentation/arch/arm64/booting.rst): text_offset at
 * byte 8, image_size at 16, flags at 24 (bit 0: big-endian), the magic
 * "ARM\x64" at 56. image_size 0 means a kernel older than 3.17, whose
 * text_offset is 0x80000 and whose size is not known beyond the file.
 */
int image_check(const struct blob *k, uint64_t *text_offset, uint64_t *image_size,
		char *err, size_t errlen)
{
	if (k->size < 64 || memcmp(k->data + 56, "ARM\x64", 4) != 0) {
		snprintf(err, errlen, "not an arm64 Linux Image (no ARM\\x64 magic at offset 56)");
		return -1;
	}
	uint64_t flags = le64(k->data + 24);
	*text_offset = le64(k->data + 8);
	*image_size = le64(k->data + 16);
	if (*image_size == 0) {
		*text_offset = 0x80000;
		*image_size = k->size;
	} else if (flags & 1) {
		snprintf(err, errlen, "the Image is big-endian; only little-endian kernels are supported");
		return -1;
	}
	if (*image_size < k->size) {
		snprintf(err, errlen, "the Image header's image_size (%llu) is smaller than the file (%zu bytes)",
			 (unsigned long long)*image_size, k->size);
		return -1;
	}
	if (*text_offset >= SZ_2M) {
		snprintf(err, errlen, "the Image header's text_offset 0x%llx is not below 2 MiB",
			 (unsigned long long)*text_offset);
		return -1;
	}
	return 0;
}

/*
 * RAM starts at GUEST_RAM_BASE (2 MiB aligned): the kernel at its
 * text_offset from there; the DTB in the last 2 MiB (at most 64 KiB of it
 * used; booting.rst wants it 8-byte aligned, within 2 MiB); the initrd
 * page-aligned just below the DTB.
 */
int layout_plan(struct layout *l, uint64_t ram_size, const struct blob *kernel,
		size_t initrd_size, char *err, size_t errlen)
{
	uint64_t text_offset, image_size;

	memset(l, 0, sizeof(*l));
	if (image_check(kernel, &text_offset, &image_size, err, errlen))
		return -1;
	l->ram_base = GUEST_RAM_BASE;
	l->ram_size = ram_size;
	l->kernel_addr = l->ram_base + text_offset;
	l->kernel_size = image_size;
	l->dtb_addr = l->ram_base + ram_size - SZ_2M;
	l->dtb_max = 0x10000;
	l->initrd_size = initrd_size;
	uint64_t kernel_end = l->kernel_addr + image_size;
	uint64_t below = l->dtb_addr;
	if (initrd_size) {
		if (initrd_size > below - l->ram_base) {
			snprintf(err, errlen, "the initrd (%zu bytes) does not fit in %llu MiB of RAM",
				 initrd_size, (unsigned long long)(ram_size >> 20));
			return -1;
		}
		l->initrd_addr = (below - initrd_size) & ~(SZ_4K - 1);
		below = l->initrd_addr;
	}
	if (kernel_end > below) {
		snprintf(err, errlen,
			 "the kernel (image_size %llu bytes)%s does not fit in %llu MiB of RAM "
			 "(needs at least %llu MiB; use a larger --mem)",
			 (unsigned long long)image_size, initrd_size ? " and the initrd" : "",
			 (unsigned long long)(ram_size >> 20),
			 (unsigned long long)((kernel_end - l->ram_base + (l->ram_base + ram_size - below) +
					       (1ULL << 20) - 1) >> 20));
		return -1;
	}
	return 0;
}

/* The IPA size a VM needs to reach address top - 1: at least KVM's 32. */
unsigned int ipa_bits_for(uint64_t top)
{
	unsigned int bits = 32;
	while (bits < 64 && (top - 1) >> bits)
		bits++;
	return bits;
}

/*
 * The IPA size of a VM whose RAM ends at top, on a KVM that offers up to
 * max bits (KVM_CAP_ARM_VM_IPA_SIZE), or, with max 0, only its default
 * 40: *bits, or -1 and why not in err.
 */
int ipa_plan(uint64_t top, int max, unsigned int *bits, char *err, size_t errlen)
{
	unsigned int need = ipa_bits_for(top);

	if (max > 0) {
		if (need > (unsigned int)max) {
			snprintf(err, errlen, "needs a %u-bit guest physical address space; this host's "
				 "KVM offers %d bits", need, max);
			return -1;
		}
		*bits = need;
		return 0;
	}
	if (need > 40) {
		snprintf(err, errlen, "needs a %u-bit guest physical address space; this KVM has "
			 "only the default 40 bits", need);
		return -1;
	}
	*bits = 40;
	return 0;
}
