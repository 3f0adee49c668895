/*
 * The VM description parser. A scenario is a device tree (compiled with
 * dtc) whose root holds one node per VM:
 *
 *	linux {                                              // the VM's name
 *		compatible = "nestvisor,vm";
 *		vcpus = <2>;
 *		memory = <0x0 0x40000000 0x0 0x10000000>;    // base, size
 *		kernel = "Image";                            // bundle entry
 *		initrd = "initrd";                           // optional
 *		bootargs = "console=ttyAMA0";                // optional
 *		gic = <0x0 0x08000000 0x0 0x080a0000>;       // GICD, GICR base
 *		uart = <0x0 0x09000000>;
 *		uart-interrupt = <1>;                        // SPI number
 *		console-input;                               // optional
 *		test-mmio = <0x0 0x0a000000>;                // optional
 *		hide-cpu-features = "pauth", "lse";          // optional
 *		virtual-el2;                                 // optional
 *		virtual-el2-features = "vhe", "e2h0", "nv1"; // optional
 *	};
 *
 * Addresses and sizes are always two cells. Every property is checked;
 * an unknown property is an error too, so a typo is never ignored.
 *
 * virtual-el2-features, only with virtual-el2, says what a guest
 * hypervisor (L1) at the virtual EL2 may use, and so which ID registers
 * it reads (cpu/idregs.c): "vhe" FEAT_VHE (ID_AA64MMFR1_EL1.VH = 1),
 * "e2h0" FEAT_E2H0 (HCR_EL2.E2H can be 0), "nv1" FEAT_NV1 (HCR_EL2.NV1).
 * Absent, all three. Each at most once, the list not empty, and two rules
 * of the architecture: without FEAT_E2H0 HCR_EL2.E2H is RES1, which only a
 * CPU with FEAT_VHE can have ("e2h0" left out needs "vhe"); and
 * ID_AA64MMFR4_EL1.E2H0 encodes "no FEAT_NV1" only as 0b1110, which also
 * says "no FEAT_E2H0" ("nv1" left out needs "e2h0" left out). Whether the
 * host CPU has FEAT_VHE is vm_desc_check_host's, at VM creation.
 */
#include <libfdt.h>
#include <string.h>
#include <nv/cpufeature.h>
#include <nv/fdt_check.h>
#include <nv/fmt.h>
#include <nv/pgtable.h>
#include <nv/vm_desc.h>

#define VERR(prop, ...)                                                      \
	(verr(d, err, errlen, prop), nv_snprintf(err + strlen(err),           \
						  errlen - strlen(err),       \
						  __VA_ARGS__),               \
	 false)

static void verr(const struct vm_desc *d, char *err, size_t errlen,
		 const char *prop)
{
	nv_snprintf(err, errlen, "vm '%s': property '%s': ", d->name, prop);
}

static const char *const known_props[] = {
	"compatible", "vcpus", "memory", "kernel", "initrd",
	"bootargs", "gic", "uart", "uart-interrupt", "console-input",
	"test-mmio", "hide-cpu-features", "virtual-el2", "virtual-el2-features",
};

static const char *const feature_names[] = {
	"pauth", "lse", "crc32", "aes", "sha", "fp16", "dotprod", "rdm", "bti",
};

int vm_feature_lookup(const char *name)
{
	for (unsigned i = 0; i < ARRAY_SIZE(feature_names); i++)
		if (!strcmp(name, feature_names[i]))
			return (int)i;
	return -1;
}

static u64 be_cells(const fdt32_t *p, int n)
{
	u64 v = 0;

	for (int i = 0; i < n; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

/* A property of exactly n 64-bit values (2 cells each). */
static bool get_u64s(const void *fdt, int node, const char *prop, u64 *out,
		     int n, bool required, struct vm_desc *d, char *err,
		     size_t errlen)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);

	if (!p) {
		if (required)
			return VERR(prop, "missing");
		return true;
	}
	if (len != n * 8)
		return VERR(prop, "has %d bytes, expected %d (%d two-cell value%s)",
			    len, n * 8, n, n > 1 ? "s" : "");
	for (int i = 0; i < n; i++)
		out[i] = be_cells(p + 2 * i, 2);
	return true;
}

static bool get_string(const void *fdt, int node, const char *prop, char *out,
		       size_t max, bool required, struct vm_desc *d, char *err,
		       size_t errlen)
{
	int len;
	const char *p = fdt_getprop(fdt, node, prop, &len);

	if (!p) {
		if (required)
			return VERR(prop, "missing");
		out[0] = '\0';
		return true;
	}
	if (len < 1 || p[len - 1] != '\0' || strlen(p) + 1 != (size_t)len)
		return VERR(prop, "is not a single string");
	if ((size_t)len > max)
		return VERR(prop, "is longer than %zu characters", max - 1);
	if (required && !p[0])
		return VERR(prop, "is empty");
	memcpy(out, p, (size_t)len);
	return true;
}

/*
 * A boolean property (Devicetree Specification v0.4, 2.2.4: an empty
 * value means true, absence means false). A value, even <0>, is not a
 * boolean: refused rather than read either way.
 */
static bool get_flag(const void *fdt, int node, const char *prop, bool *out,
		     struct vm_desc *d, char *err, size_t errlen)
{
	int len;

	*out = fdt_getprop(fdt, node, prop, &len) != NULL;
	if (*out && len != 0)
		return VERR(prop, "takes no value (write '%s;'), has %d byte%s",
			    prop, len, len == 1 ? "" : "s");
	return true;
}

static bool valid_name(const char *n)
{
	if (!*n)
		return false;
	for (; *n; n++)
		if (!((*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z') ||
		      (*n >= '0' && *n <= '9') || *n == '-' || *n == '_'))
			return false;
	return true;
}

struct range {
	const char *what;
	u64 base, size;
};

static bool overlaps(const struct range *a, const struct range *b)
{
	return a->base < b->base + b->size && b->base < a->base + a->size;
}

static bool check_layout(struct vm_desc *d, char *err, size_t errlen)
{
	struct range r[5] = {
		{ "memory", d->ram_base, d->ram_size },
		{ "gic", d->gicd_base, VM_GICD_SIZE },
		{ "gic", d->gicr_base, (u64)VM_GICR_SIZE_PER_VCPU * d->nr_vcpus },
		{ "uart", d->uart_base, VM_UART_SIZE },
		{ "test-mmio", d->test_dev_base, VM_TEST_DEV_SIZE },
	};
	unsigned n = d->test_dev_base ? 5 : 4;

	for (unsigned i = 1; i < n; i++) {
		if (!IS_ALIGNED(r[i].base, PAGE_SIZE))
			return VERR(r[i].what, "address 0x%llx is not 4 KiB aligned",
				    (unsigned long long)r[i].base);
		if (r[i].base + r[i].size < r[i].base ||
		    r[i].base + r[i].size > (UINT64_C(1) << 48))
			return VERR(r[i].what, "address 0x%llx is out of range",
				    (unsigned long long)r[i].base);
	}
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = i + 1; j < n; j++)
			if (overlaps(&r[i], &r[j]))
				return VERR(r[j].what,
					    "[0x%llx, 0x%llx) overlaps %s [0x%llx, 0x%llx)",
					    (unsigned long long)r[j].base,
					    (unsigned long long)(r[j].base + r[j].size),
					    r[i].what,
					    (unsigned long long)r[i].base,
					    (unsigned long long)(r[i].base + r[i].size));
	return true;
}

static bool parse_features(const void *fdt, int node, struct vm_desc *d,
			   char *err, size_t errlen)
{
	int len, i = 0;
	const char *p = fdt_getprop(fdt, node, "hide-cpu-features", &len);

	d->hidden_features = 0;
	if (!p)
		return true;
	if (len < 1 || p[len - 1] != '\0')
		return VERR("hide-cpu-features", "is not a string list");
	while (i < len) {
		const char *s = p + i;
		int f = vm_feature_lookup(s);

		if (f < 0) {
			char valid[128];
			size_t n = 0;

			for (unsigned k = 0; k < ARRAY_SIZE(feature_names); k++)
				n += nv_snprintf(valid + MIN(n, sizeof(valid)),
						 sizeof(valid) - MIN(n, sizeof(valid)),
						 "%s%s", k ? ", " : "", feature_names[k]);
			return VERR("hide-cpu-features",
				    "unknown feature '%s'; known: %s", s, valid);
		}
		d->hidden_features |= 1u << f;
		i += (int)strlen(s) + 1;
	}
	return true;
}

/* virtual-el2-features names, in the order of the message's list. */
enum { L1_VHE, L1_E2H0, L1_NV1, NR_L1_FEATURES };

static const char *const l1_feature_names[NR_L1_FEATURES] = {
	[L1_VHE] = "vhe", [L1_E2H0] = "e2h0", [L1_NV1] = "nv1",
};

#define L1_FEATURES_VALID "vhe, e2h0, nv1"

static bool parse_l1_features(const void *fdt, int node, struct vm_desc *d,
			      char *err, size_t errlen)
{
	static const char prop[] = "virtual-el2-features";
	bool on[NR_L1_FEATURES] = { false };
	int len, i = 0;
	const char *p = fdt_getprop(fdt, node, prop, &len);

	/* Absent: everything a virtual EL2 can offer; nothing without one. */
	d->l1_vhe = d->l1_e2h0 = d->l1_nv1 = d->virtual_el2;
	if (!p)
		return true;
	if (!d->virtual_el2)
		return VERR(prop, "needs virtual-el2 (it says what a guest "
			    "hypervisor at the virtual EL2 may use)");
	if (!len)
		return VERR(prop, "is empty; list some of: " L1_FEATURES_VALID);
	if (p[len - 1] != '\0')
		return VERR(prop, "is not a string list");
	while (i < len) {
		const char *s = p + i;
		unsigned f = 0;

		while (f < NR_L1_FEATURES && strcmp(s, l1_feature_names[f]))
			f++;
		if (f == NR_L1_FEATURES)
			return VERR(prop, "unknown feature '%s'; valid: "
				    L1_FEATURES_VALID, s);
		if (on[f])
			return VERR(prop, "'%s' is listed twice", s);
		on[f] = true;
		i += (int)strlen(s) + 1;
	}
	/* HCR_EL2.E2H is RES1 without FEAT_E2H0 (ID_AA64MMFR4_EL1.E2H0 < 0),
	 * a layout only FEAT_VHE has. */
	if (!on[L1_E2H0] && !on[L1_VHE])
		return VERR(prop, "without 'e2h0' the guest hypervisor's "
			    "HCR_EL2.E2H is RES1, which needs 'vhe'");
	/* ID_AA64MMFR4_EL1.E2H0 = 0b1110 is the only "no FEAT_NV1": it says
	 * "no FEAT_E2H0" too. */
	if (!on[L1_NV1] && on[L1_E2H0])
		return VERR(prop, "'nv1' can be left out only if 'e2h0' is "
			    "too (ID_AA64MMFR4_EL1.E2H0 says no FEAT_NV1 only "
			    "as 0b1110, which says no FEAT_E2H0 as well)");
	d->l1_vhe = on[L1_VHE];
	d->l1_e2h0 = on[L1_E2H0];
	d->l1_nv1 = on[L1_NV1];
	return true;
}

bool vm_desc_check_host(const struct vm_desc *d, const struct cpu_features *f,
			char *err, size_t errlen)
{
	/*
	 * The guest hypervisor's ID_AA64MMFR1_EL1.VH is at most the host's
	 * (cpu/idregs.c): "vhe" on a CPU without FEAT_VHE would show it
	 * nothing, and without "e2h0" an E2H RES1 that is not there.
	 */
	if (d->l1_vhe && !f->vhe)
		return VERR("virtual-el2-features",
			    "'vhe' (also the default without the property) needs "
			    "FEAT_VHE, which this CPU does not have "
			    "(ID_AA64MMFR1_EL1.VH = 0); write "
			    "virtual-el2-features = \"e2h0\", \"nv1\";");
	/*
	 * A VHE guest hypervisor's CNTV_* and CNTVCT_EL0 at vEL2 name the EL2
	 * virtual timer and the count without CNTVOFF_EL2: nestvisor traps
	 * them with CNTHCTL_EL2.EL1TVT/EL1TVCT (timer/vtimer_nested.c).
	 */
	if (d->l1_vhe && !f->ecv)
		return VERR("virtual-el2-features",
			    "'vhe' (also the default without the property) needs "
			    "FEAT_ECV on this CPU (ID_AA64MMFR0_EL1.ECV = 0), "
			    "which nestvisor traps a VHE guest hypervisor's "
			    "virtual timer with; write "
			    "virtual-el2-features = \"e2h0\", \"nv1\";");
	return true;
}

static bool check_props(const void *fdt, int node, struct vm_desc *d,
			char *err, size_t errlen)
{
	int off;

	fdt_for_each_property_offset(off, fdt, node) {
		const char *name;
		bool known = false;

		if (!fdt_getprop_by_offset(fdt, off, &name, NULL))
			continue;
		for (unsigned i = 0; i < ARRAY_SIZE(known_props); i++)
			known |= !strcmp(name, known_props[i]);
		if (!known)
			return VERR(name, "unknown property");
	}
	return true;
}

/* Length of a node's name without its unit address ("good@1": 4). */
static size_t base_name_len(const char *n)
{
	return strcspn(n, "@");
}

/*
 * The name must not be that of an earlier VM node of the same parent:
 * "good" and "good@1" would both be VM 'good' (one console prefix, one
 * name in every message), and a blob not made by dtc may even hold two
 * nodes called exactly the same.
 */
static bool check_unique(const void *fdt, int node, struct vm_desc *d,
			 char *err, size_t errlen)
{
	int parent = fdt_parent_offset(fdt, node), other;

	if (parent < 0)
		return true;
	fdt_for_each_subnode(other, fdt, parent) {
		const char *n;

		if (other == node)
			break;
		if (fdt_node_check_compatible(fdt, other, "nestvisor,vm"))
			continue;
		n = fdt_get_name(fdt, other, NULL);
		if (n && base_name_len(n) == strlen(d->name) &&
		    !strncmp(n, d->name, strlen(d->name)))
			return VERR("(node name)",
				    "'%s' is already the name of an earlier VM (node '%s')",
				    d->name, n);
	}
	return true;
}

bool vm_desc_check_scenario(const void *fdt, size_t size, char *err,
			    size_t errlen)
{
	int rc;

	if (size < sizeof(struct fdt_header)) {
		nv_snprintf(err, errlen,
			    "is %zu bytes, shorter than a device tree header", size);
		return false;
	}
	/*
	 * fdt_check_full, after the checks libfdt 1.6.1 lacks (fdt_check.h),
	 * among them a structure block that does not begin with the root.
	 */
	rc = fdt_check_blob(fdt, size);
	if (rc) {
		nv_snprintf(err, errlen, "is not a valid device tree: %s (libfdt fdt_check_full)",
			    fdt_strerror(rc));
		return false;
	}
	return true;
}

bool vm_desc_parse(const void *fdt, int node, struct vm_desc *d, char *err,
		   size_t errlen)
{
	const char *nodename = fdt_get_name(fdt, node, NULL);
	const fdt32_t *p;
	u64 v[2];
	int len;

	memset(d, 0, sizeof(*d));
	if (nodename && base_name_len(nodename) >= sizeof(d->name)) {
		nv_snprintf(d->name, sizeof(d->name), "%.*s",
			    (int)sizeof(d->name) - 1, nodename);
		return VERR("(node name)", "longer than %zu characters",
			    sizeof(d->name) - 1);
	}
	/* The VM's name is its node's name, without a unit address. */
	nv_snprintf(d->name, sizeof(d->name), "%.*s",
		    nodename ? (int)base_name_len(nodename) : 1,
		    nodename ? nodename : "?");
	if (!valid_name(d->name))
		return VERR("(node name)", "'%s' may only use letters, digits, '-' and '_'",
			    d->name);
	if (!check_unique(fdt, node, d, err, errlen) ||
	    !check_props(fdt, node, d, err, errlen))
		return false;

	p = fdt_getprop(fdt, node, "vcpus", &len);
	if (!p)
		return VERR("vcpus", "missing");
	if (len != 4)
		return VERR("vcpus", "must be one cell");
	d->nr_vcpus = fdt32_to_cpu(*p);
	if (d->nr_vcpus < 1 || d->nr_vcpus > VM_MAX_VCPUS)
		return VERR("vcpus", "%u is out of range 1..%u", d->nr_vcpus,
			    VM_MAX_VCPUS);

	if (!get_u64s(fdt, node, "memory", v, 2, true, d, err, errlen))
		return false;
	d->ram_base = v[0];
	d->ram_size = v[1];
	if (!d->ram_size)
		return VERR("memory", "size is 0");
	if (!IS_ALIGNED(d->ram_base | d->ram_size, SZ_2M))
		return VERR("memory", "base 0x%llx and size 0x%llx must be 2 MiB aligned",
			    (unsigned long long)d->ram_base,
			    (unsigned long long)d->ram_size);
	if (d->ram_base + d->ram_size < d->ram_base ||
	    d->ram_base + d->ram_size > (UINT64_C(1) << 48))
		return VERR("memory", "[0x%llx, +0x%llx) is beyond the 48-bit IPA space",
			    (unsigned long long)d->ram_base,
			    (unsigned long long)d->ram_size);

	if (!get_string(fdt, node, "kernel", d->kernel, sizeof(d->kernel), true,
			d, err, errlen) ||
	    !get_string(fdt, node, "initrd", d->initrd, sizeof(d->initrd), false,
			d, err, errlen) ||
	    !get_string(fdt, node, "bootargs", d->cmdline, sizeof(d->cmdline),
			false, d, err, errlen))
		return false;

	if (!get_u64s(fdt, node, "gic", v, 2, true, d, err, errlen))
		return false;
	d->gicd_base = v[0];
	d->gicr_base = v[1];
	if (!get_u64s(fdt, node, "uart", v, 1, true, d, err, errlen))
		return false;
	d->uart_base = v[0];
	p = fdt_getprop(fdt, node, "uart-interrupt", &len);
	if (!p)
		return VERR("uart-interrupt", "missing");
	if (len != 4 || fdt32_to_cpu(*p) >= 988)
		return VERR("uart-interrupt", "must be one cell, an SPI number below 988");
	d->uart_spi = fdt32_to_cpu(*p);
	if (!get_flag(fdt, node, "console-input", &d->console_input, d, err,
		      errlen) ||
	    !get_flag(fdt, node, "virtual-el2", &d->virtual_el2, d, err, errlen))
		return false;
	if (!get_u64s(fdt, node, "test-mmio", v, 1, false, d, err, errlen))
		return false;
	d->test_dev_base = fdt_getprop(fdt, node, "test-mmio", NULL) ? v[0] : 0;
	if (fdt_getprop(fdt, node, "test-mmio", NULL) && !d->test_dev_base)
		return VERR("test-mmio", "address 0 is not allowed");
	if (!parse_features(fdt, node, d, err, errlen) ||
	    !parse_l1_features(fdt, node, d, err, errlen))
		return false;
	return check_layout(d, err, errlen);
}
