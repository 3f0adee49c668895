/* Device-tree parsing of the machine nestvisor runs on (libfdt). */
#include <libfdt.h>
#include <string.h>
#include <nv/fdt_check.h>
#include <nv/fmt.h>
#include <nv/platform.h>

#define PERR(...) (nv_snprintf(err, errlen, "device tree: " __VA_ARGS__), false)

static u64 read_cells(const fdt32_t *c, int n)
{
	u64 v = 0;

	for (int i = 0; i < n; i++)
		v = (v << 32) | fdt32_to_cpu(c[i]);
	return v;
}

/*
 * Reads the idx'th (address, size) pair of a node's reg. Only identity
 * bus mappings are supported: every ancestor below the root must have an
 * empty 'ranges' (true of QEMU virt and most SoCs nestvisor targets).
 */
static int dt_reg(const void *fdt, int node, int idx, struct mem_region *r)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac, sc, len;
	const fdt32_t *reg;

	if (parent < 0)
		return -1;
	ac = fdt_address_cells(fdt, parent);
	sc = fdt_size_cells(fdt, parent);
	if (ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return -1;
	for (int a = parent; a > 0; a = fdt_parent_offset(fdt, a)) {
		const void *ranges = fdt_getprop(fdt, a, "ranges", &len);

		if (!ranges || len != 0)
			return -2;
	}
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < 0)
		return -1;
	if ((size_t)len < (size_t)(idx + 1) * (size_t)(ac + sc) * 4)
		return -1;
	reg += idx * (ac + sc);
	r->base = read_cells(reg, ac);
	r->size = read_cells(reg + ac, sc);
	return 0;
}

static int dt_reg_count(const void *fdt, int node)
{
	int parent = fdt_parent_offset(fdt, node);
	int len, cells;

	if (parent < 0 || !fdt_getprop(fdt, node, "reg", &len) || len <= 0)
		return 0;
	cells = fdt_address_cells(fdt, parent) + fdt_size_cells(fdt, parent);
	return cells > 0 ? len / (cells * 4) : 0;
}

static void node_path(const void *fdt, int node, char *buf, int len)
{
	if (fdt_get_path(fdt, node, buf, len) < 0)
		nv_snprintf(buf, (size_t)len, "(node at %d)", node);
}

static bool add_reserved(struct platform *p, paddr_t base, u64 size)
{
	if (!size)
		return true;
	if (p->nr_reserved >= PLAT_MAX_RESERVED)
		return false;
	p->reserved[p->nr_reserved].base = base;
	p->reserved[p->nr_reserved].size = size;
	p->nr_reserved++;
	return true;
}

static bool region_ok(const struct mem_region *r)
{
	return r->size && r->base + r->size > r->base;
}

static bool parse_memory(const void *fdt, struct platform *p, char *err,
			 size_t errlen)
{
	int node;

	p->nr_mem = 0;
	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		int n;

		if (!type || strcmp(type, "memory"))
			continue;
		n = dt_reg_count(fdt, node);
		for (int i = 0; i < n; i++) {
			struct mem_region r;
			char path[64];

			if (dt_reg(fdt, node, i, &r) || !region_ok(&r)) {
				node_path(fdt, node, path, sizeof(path));
				return PERR("%s: reg entry %d is malformed", path, i);
			}
			if (p->nr_mem >= PLAT_MAX_MEM)
				return PERR("more than %d memory ranges", PLAT_MAX_MEM);
			p->mem[p->nr_mem++] = r;
		}
	}
	if (!p->nr_mem)
		return PERR("no memory node (device_type = \"memory\") with a usable reg");
	return true;
}

static bool parse_reserved(const void *fdt, struct platform *p, char *err,
			   size_t errlen)
{
	int n = fdt_num_mem_rsv(fdt), node;

	for (int i = 0; i < n; i++) {
		uint64_t a, s;

		if (fdt_get_mem_rsv(fdt, i, &a, &s) || !add_reserved(p, a, s))
			return PERR("/memreserve/ entry %d unusable", i);
	}
	node = fdt_path_offset(fdt, "/reserved-memory");
	if (node < 0)
		return true;
	fdt_for_each_subnode(n, fdt, node) {
		struct mem_region r;

		if (dt_reg(fdt, n, 0, &r) == 0 && !add_reserved(p, r.base, r.size))
			return PERR("too many reserved memory ranges");
	}
	return true;
}

static bool parse_cpus(const void *fdt, struct platform *p, char *err,
		       size_t errlen)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node;
	int ac;

	if (cpus < 0)
		return PERR("no /cpus node");
	ac = fdt_address_cells(fdt, cpus);
	if (ac < 1 || ac > 2)
		return PERR("/cpus: #address-cells is %d, must be 1 or 2", ac);
	p->nr_cpus = 0;
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const fdt32_t *reg;
		int len;
		char path[64];

		if (!type || strcmp(type, "cpu"))
			continue;
		node_path(fdt, node, path, sizeof(path));
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || len != ac * 4)
			return PERR("%s: reg missing or not %d cells", path, ac);
		if (p->nr_cpus >= NR_CPUS)
			return PERR("more than %d CPUs (NR_CPUS)", NR_CPUS);
		p->cpu_mpidr[p->nr_cpus++] = read_cells(reg, ac);
	}
	if (!p->nr_cpus)
		return PERR("/cpus has no cpu node");
	return true;
}

bool gic_dt_intid(u32 type, u32 num, u32 *intid)
{
	/* GIC binding: cell 0 is 0 for SPI (INTID 32+n), 1 for PPI (16+n). */
	if (type == 0 && num < 988)
		*intid = num + 32;
	else if (type == 1 && num < 16)
		*intid = num + 16;
	else
		return false;
	return true;
}

static bool parse_gic(const void *fdt, struct platform *p, char *err,
		      size_t errlen)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	struct platform_gic *g = &p->gic;
	const fdt32_t *prop;
	int len, nregs, nredist = 1;

	if (node < 0)
		return PERR("no GICv3 node (compatible \"arm,gic-v3\"); nestvisor needs a GICv3");
	node_path(fdt, node, g->path, sizeof(g->path));
	prop = fdt_getprop(fdt, node, "#redistributor-regions", &len);
	if (prop && len == 4)
		nredist = (int)fdt32_to_cpu(*prop);
	if (nredist < 1 || nredist > PLAT_MAX_REDIST)
		return PERR("%s: #redistributor-regions is %d, must be 1..%d",
			    g->path, nredist, PLAT_MAX_REDIST);
	nregs = dt_reg_count(fdt, node);
	if (nregs < 1 + nredist)
		return PERR("%s: reg has %d entries, need the distributor and %d redistributor region(s)",
			    g->path, nregs, nredist);
	if (dt_reg(fdt, node, 0, &g->dist) || !region_ok(&g->dist) ||
	    g->dist.size < SZ_64K)
		return PERR("%s: distributor reg is malformed", g->path);
	for (int i = 0; i < nredist; i++) {
		if (dt_reg(fdt, node, 1 + i, &g->redist[i]) ||
		    !region_ok(&g->redist[i]) || g->redist[i].size < 2 * SZ_64K)
			return PERR("%s: redistributor region %d is malformed",
				    g->path, i);
	}
	g->nr_redist = (unsigned)nredist;
	prop = fdt_getprop(fdt, node, "redistributor-stride", &len);
	g->redist_stride = (prop && len == 8) ? read_cells(prop, 2) : 0;
	g->maint_intid = 0;
	prop = fdt_getprop(fdt, node, "interrupts", &len);
	if (prop && len >= 12 &&
	    !gic_dt_intid(fdt32_to_cpu(prop[0]), fdt32_to_cpu(prop[1]),
			  &g->maint_intid))
		return PERR("%s: maintenance interrupt specifier is malformed",
			    g->path);
	return true;
}

static bool parse_timer(const void *fdt, struct platform *p, char *err,
			size_t errlen)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");
	u32 *slots[] = { &p->timer.sec_phys_intid, &p->timer.phys_intid,
			 &p->timer.virt_intid, &p->timer.hyp_phys_intid,
			 &p->timer.hyp_virt_intid };
	const fdt32_t *prop;
	char path[64];
	int len, n;

	if (node < 0)
		return PERR("no architected timer node (compatible \"arm,armv8-timer\")");
	node_path(fdt, node, path, sizeof(path));
	prop = fdt_getprop(fdt, node, "interrupts", &len);
	n = prop ? len / 12 : 0;
	if (n < 4)
		return PERR("%s: interrupts has %d entries, need at least 4 (secure, non-secure, virtual, hypervisor)",
			    path, n);
	memset(&p->timer, 0, sizeof(p->timer));
	for (int i = 0; i < n && i < 5; i++) {
		if (!gic_dt_intid(fdt32_to_cpu(prop[i * 3]),
				  fdt32_to_cpu(prop[i * 3 + 1]), slots[i]) ||
		    *slots[i] >= 32)
			return PERR("%s: interrupt %d is not a PPI", path, i);
	}
	prop = fdt_getprop(fdt, node, "clock-frequency", &len);
	if (prop && len == 4)
		p->timer.dt_freq = fdt32_to_cpu(*prop);
	return true;
}

static bool parse_uart(const void *fdt, struct platform *p, char *err,
		       size_t errlen)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *sp = chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", NULL) : NULL;
	const fdt32_t *irq;
	int node = -1, len;

	p->has_uart = false;
	if (sp) {
		const char *colon = strchr(sp, ':');
		int plen = colon ? (int)(colon - sp) : (int)strlen(sp);

		if (sp[0] == '/') {
			node = fdt_path_offset_namelen(fdt, sp, plen);
		} else {
			const char *alias = fdt_get_alias_namelen(fdt, sp, plen);

			node = alias ? fdt_path_offset(fdt, alias) : -1;
		}
	}
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
	if (node < 0)
		return true; /* no console: the caller decides */
	node_path(fdt, node, p->uart.path, sizeof(p->uart.path));
	if (fdt_node_check_compatible(fdt, node, "arm,pl011"))
		return PERR("%s: stdout-path names a device that is not an arm,pl011",
			    p->uart.path);
	if (dt_reg(fdt, node, 0, &p->uart.reg) || !region_ok(&p->uart.reg))
		return PERR("%s: reg is malformed", p->uart.path);
	irq = fdt_getprop(fdt, node, "interrupts", &len);
	p->uart.intid = 0;
	if (irq && len >= 12 &&
	    (!gic_dt_intid(fdt32_to_cpu(irq[0]), fdt32_to_cpu(irq[1]), &p->uart.intid) ||
	     p->uart.intid < 32))
		return PERR("%s: interrupts must name an SPI", p->uart.path);
	p->has_uart = true;
	return true;
}

static bool parse_psci(const void *fdt, struct platform *p, char *err,
		       size_t errlen)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	const char *method;

	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-1.0");
	if (node < 0)
		return PERR("no PSCI 0.2+ node (compatible \"arm,psci-0.2\" or \"arm,psci-1.0\")");
	method = fdt_getprop(fdt, node, "method", NULL);
	if (method && !strcmp(method, "smc"))
		p->psci = PSCI_CONDUIT_SMC;
	else if (method && !strcmp(method, "hvc"))
		p->psci = PSCI_CONDUIT_HVC;
	else
		return PERR("/psci: method is \"%s\", must be \"smc\" or \"hvc\"",
			    method ? method : "(missing)");
	return true;
}

static bool parse_chosen(const void *fdt, struct platform *p, char *err,
			 size_t errlen)
{
	int node = fdt_path_offset(fdt, "/chosen");
	const char *args;
	const fdt32_t *s, *e;
	int slen, elen;

	p->bootargs[0] = '\0';
	p->has_initrd = false;
	if (node < 0)
		return true;
	args = fdt_getprop(fdt, node, "bootargs", &slen);
	if (args) {
		if (slen < 1 || args[slen - 1] != '\0' ||
		    (size_t)slen > sizeof(p->bootargs))
			return PERR("/chosen/bootargs is not a string of at most %zu bytes",
				    sizeof(p->bootargs) - 1);
		memcpy(p->bootargs, args, (size_t)slen);
	}
	s = fdt_getprop(fdt, node, "linux,initrd-start", &slen);
	e = fdt_getprop(fdt, node, "linux,initrd-end", &elen);
	if (s && e) {
		u64 start, end;

		if ((slen != 4 && slen != 8) || (elen != 4 && elen != 8))
			return PERR("/chosen: linux,initrd-start/end must be 1 or 2 cells");
		start = read_cells(s, slen / 4);
		end = read_cells(e, elen / 4);
		if (end <= start)
			return PERR("/chosen: linux,initrd-end is not above linux,initrd-start");
		p->initrd.base = start;
		p->initrd.size = end - start;
		p->has_initrd = true;
	}
	return true;
}

bool platform_is_ram(const struct platform *p, paddr_t base, u64 size)
{
	for (unsigned i = 0; i < p->nr_mem; i++)
		if (base >= p->mem[i].base && size <= p->mem[i].size &&
		    base - p->mem[i].base <= p->mem[i].size - size)
			return true;
	return false;
}

bool platform_parse(const void *fdt, struct platform *p, char *err,
		    size_t errlen)
{
	int rc = fdt_check_header(fdt);

	memset(p, 0, sizeof(*p));
	if (rc)
		return PERR("bad header: %s", fdt_strerror(rc));
	/*
	 * Version 17, the Devicetree Specification's format (every loader
	 * writes it). fdt_check_blob refuses older ones too; this test stays
	 * for the message, which names the version.
	 */
	if (fdt_version(fdt) < 17)
		return PERR("format version %u is too old (17 needed)",
			    (unsigned)fdt_version(fdt));
	/* The whole blob before any walk: libfdt's walkers trust it. */
	rc = fdt_check_blob(fdt, fdt_totalsize(fdt));
	if (rc)
		return PERR("malformed structure: %s", fdt_strerror(rc));
	p->fdt.base = (paddr_t)(uintptr_t)fdt;
	p->fdt.size = fdt_totalsize(fdt);
	/* The console first, so that later errors can be shown. */
	if (!parse_uart(fdt, p, err, errlen) ||
	    !parse_memory(fdt, p, err, errlen) ||
	    !parse_reserved(fdt, p, err, errlen) ||
	    !parse_cpus(fdt, p, err, errlen) ||
	    !parse_gic(fdt, p, err, errlen) ||
	    !parse_timer(fdt, p, err, errlen) ||
	    !parse_psci(fdt, p, err, errlen) ||
	    !parse_chosen(fdt, p, err, errlen))
		return false;
	if (p->has_initrd && !platform_is_ram(p, p->initrd.base, p->initrd.size))
		return PERR("/chosen: initrd [0x%llx, +0x%llx) is not in RAM",
			    (unsigned long long)p->initrd.base,
			    (unsigned long long)p->initrd.size);
	return true;
}
