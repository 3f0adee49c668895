/*
 * The guest device-tree writer (src/core/guest_fdt.c) fed with random VM
 * descriptions (anything a struct vm_desc can hold, with the invariants
 * vm_desc_parse guarantees: terminated strings, 1 to VM_MAX_VCPUS vCPUs),
 * random MPIDRs, timer PPIs, initrd and buffer sizes. Checks: the blob
 * never outgrows its buffer (ASan: the buffer is exactly that size); it
 * is built exactly when the buffer holds what a large buffer needs; a
 * built blob passes fdt_check_full and says what the description says
 * (model, bootargs, one cpu node per vCPU with its MPIDR, memory, initrd).
 */
#include <libfdt.h>
#include <nv/guest_fdt.h>
#include "fuzz.h"

#define BIG 8192

/* FNV-1a: compares two blobs without libFuzzer tracing a long memcmp. */
static u64 hash(const u8 *p, size_t n)
{
	u64 h = UINT64_C(0xcbf29ce484222325);

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * UINT64_C(0x100000001b3);
	return h;
}

static u64 be64_at(const void *p)
{
	fdt64_t v;

	memcpy(&v, p, sizeof(v));
	return fdt64_to_cpu(v);
}

static void check_blob(const void *fdt, size_t len, const struct guest_fdt_info *gi)
{
	const struct vm_desc *d = gi->desc;
	const char *s;
	const fdt32_t *reg;
	int node, n, cpus, plen;
	unsigned count = 0;

	FUZZ_CHECK(fdt_check_full(fdt, len) == 0);
	FUZZ_CHECK(fdt_totalsize(fdt) == len);
	s = fdt_getprop(fdt, 0, "model", &plen);
	FUZZ_CHECK(s && !strcmp(s, d->name));
	node = fdt_path_offset(fdt, "/chosen");
	FUZZ_CHECK(node >= 0);
	s = fdt_getprop(fdt, node, "bootargs", &plen);
	FUZZ_CHECK(s && plen == (int)strlen(d->cmdline) + 1 && !strcmp(s, d->cmdline));
	s = fdt_getprop(fdt, node, "linux,initrd-start", &plen);
	FUZZ_CHECK(!gi->initrd_size == !s);
	if (s)
		FUZZ_CHECK(plen == 8 && be64_at(s) == gi->initrd_start);
	cpus = fdt_path_offset(fdt, "/cpus");
	FUZZ_CHECK(cpus >= 0);
	fdt_for_each_subnode(n, fdt, cpus) {
		reg = fdt_getprop(fdt, n, "reg", &plen);
		FUZZ_CHECK(count < d->nr_vcpus && reg && plen == 4);
		FUZZ_CHECK(fdt32_to_cpu(*reg) == (u32)gi->mpidrs[count]);
		count++;
	}
	FUZZ_CHECK(count == d->nr_vcpus);
	node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7);
	FUZZ_CHECK(node >= 0);
	reg = fdt_getprop(fdt, node, "reg", &plen);
	FUZZ_CHECK(reg && plen == 16 && be64_at(reg) == d->ram_base &&
		   be64_at(reg + 2) == d->ram_size);
}

/*
 * libfdt's sequential writer looks each property name up with a memcmp at
 * every offset of its string table; checking each call (and libFuzzer's
 * hook on it) halved the executions. Writes (memcpy, memmove, memset)
 * are still checked, and nothing of nestvisor's here calls memcmp.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "intercept_memcmp=0";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct vm_desc d;
	struct guest_fdt_info gi;
	u64 mpidrs[VM_MAX_VCPUS];
	size_t bufsize, need, got, cmdlen;
	static u8 big[BIG];
	u8 *buf;

	fuzz_quiet_console();
	memset(&d, 0, sizeof(d));
	memset(&gi, 0, sizeof(gi));
	fuzz_take(&in, d.name, sizeof(d.name) - 1);
	d.nr_vcpus = 1 + fuzz_u8(&in) % VM_MAX_VCPUS;
	d.ram_base = fuzz_u64(&in);
	d.ram_size = fuzz_u64(&in);
	d.gicd_base = fuzz_u64(&in);
	d.gicr_base = fuzz_u64(&in);
	d.uart_base = fuzz_u64(&in);
	d.uart_spi = fuzz_u32(&in);
	d.test_dev_base = fuzz_u8(&in) & 1 ? fuzz_u64(&in) : 0;
	for (unsigned i = 0; i < VM_MAX_VCPUS; i++)
		mpidrs[i] = fuzz_u64(&in);
	gi.initrd_start = fuzz_u64(&in);
	gi.initrd_size = fuzz_u8(&in) & 1 ? fuzz_u64(&in) : 0;
	gi.timer.phys = fuzz_u32(&in);
	gi.timer.virt = fuzz_u32(&in);
	gi.timer.hyp_phys = fuzz_u32(&in);
	gi.timer.hyp_virt = fuzz_u32(&in);
	bufsize = fuzz_u32(&in) % (BIG + 1);
	/* The rest is the command line, up to the longest a description allows. */
	cmdlen = in.n < sizeof(d.cmdline) - 1 ? in.n : sizeof(d.cmdline) - 1;
	fuzz_take(&in, d.cmdline, cmdlen);
	d.cmdline[strnlen(d.cmdline, cmdlen)] = '\0';
	gi.desc = &d;
	gi.mpidrs = mpidrs;

	need = guest_fdt_build(&gi, big, BIG);
	FUZZ_CHECK(need > 0 && need <= BIG);
	check_blob(big, need, &gi);
	buf = malloc(bufsize ? bufsize : 1);
	got = guest_fdt_build(&gi, buf, bufsize);
	FUZZ_CHECK(got == (bufsize >= need ? need : 0));
	if (got)
		FUZZ_CHECK(hash(buf, got) == hash(big, got));
	free(buf);
	return 0;
}
