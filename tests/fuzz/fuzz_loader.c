/*
 * The image loader (src/core/loader.c) on any kernel file: a Linux Image,
 * an ELF64 or a flat binary, for a few RAM layouts and initrd sizes.
 * Checks on an accepted plan: every segment comes from inside the file and
 * goes inside RAM below the device tree, the entry point is an aligned
 * instruction in RAM, the initrd lies between the kernel and the device
 * tree, and the device tree takes the last LOADER_FDT_MAX bytes of RAM.
 */
#include <nv/loader.h>
#include "fuzz.h"

static const struct {
	u64 base, size;
} rams[] = {
	{ 0x40000000, 2 * SZ_2M },          /* the smallest RAM accepted */
	{ 0x40000000, 256 * SZ_2M },
	{ 0x80000000, 8 * SZ_2M },
	{ UINT64_C(0xffff00000000), 0xffe00000 }, /* high, near 48 bits */
};
static const size_t initrds[] = { 0, 1, SZ_2M + 1 };

static bool within(u64 a, u64 n, u64 base, u64 end)
{
	return a >= base && a <= end && n <= end - a;
}

static void check_plan(const struct load_plan *p, size_t len, size_t initrd,
		       u64 base, u64 size, const u8 *img)
{
	u64 end = base + size;

	FUZZ_CHECK(p->format <= IMAGE_FLAT && image_format_name(p->format));
	FUZZ_CHECK(p->nseg >= 1 && p->nseg <= LOADER_MAX_SEGS);
	FUZZ_CHECK(p->fdt_ipa == end - LOADER_FDT_MAX);
	for (unsigned i = 0; i < p->nseg; i++) {
		const struct load_seg *s = &p->seg[i];

		FUZZ_CHECK(s->off <= len && s->filesz <= len - s->off);
		FUZZ_CHECK(s->filesz <= s->memsz);
		FUZZ_CHECK(within(s->ipa, s->memsz, base, p->fdt_ipa));
		FUZZ_CHECK(s->ipa + s->memsz <= p->kernel_end);
		/* What vm.c copies: ASan checks these bytes are the file's. */
		if (s->filesz) {
			volatile u8 first = img[s->off], last = img[s->off + s->filesz - 1];
			(void)first;
			(void)last;
		}
	}
	FUZZ_CHECK(within(p->entry, 4, base, p->fdt_ipa) && !(p->entry & 3));
	if (initrd) {
		FUZZ_CHECK(p->initrd_ipa >= p->kernel_end);
		FUZZ_CHECK(within(p->initrd_ipa, initrd, base, p->fdt_ipa));
	} else {
		FUZZ_CHECK(!p->initrd_ipa);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 *img = malloc(size ? size : 1);

	fuzz_quiet_console();
	memcpy(img, data, size);
	for (unsigned r = 0; r < ARRAY_SIZE(rams); r++) {
		for (unsigned i = 0; i < ARRAY_SIZE(initrds); i++) {
			struct load_plan p;
			char err[256];

			memset(err, 0, sizeof(err));
			if (loader_plan(img, size, initrds[i], rams[r].base,
					rams[r].size, &p, err, sizeof(err)))
				check_plan(&p, size, initrds[i], rams[r].base,
					   rams[r].size, img);
			else
				FUZZ_CHECK(err[0] && fuzz_terminated(err, sizeof(err)));
		}
	}
	free(img);
	return 0;
}
