/* From the bundle to running VMs. */
#include <libfdt.h>
#include <string.h>
#include <nv/palloc.h>
#include <nv/pgtable.h>
#include <nv/cpio.h>
#include <nv/exit.h>
#include <nv/fmt.h>
#include <nv/irq.h>
#include <nv/log.h>
#include <nv/pl011.h>
#include <nv/percpu.h>
#include <nv/power.h>
#include <nv/scenario.h>
#include <nv/sched.h>
#include <nv/vcpu.h>
#include <nv/vm.h>
#include <nv/vpl011.h>
#include <nv/vtimer.h>
#include <nv/vtimer_nested.h>

static struct vm *input_vm;

/* The host UART's receive interrupt: its characters go to one VM. */
static bool console_rx_irq(u32 intid, void *arg)
{
	u8 c;

	(void)intid;
	(void)arg;
	while (pl011_getc(&c))
		if (input_vm && input_vm->state == VM_RUNNING)
			vpl011_push_input(input_vm->uart, c);
	return true;
}

/* The VM marked console-input, else the first one. */
static void route_console_input(const struct platform *p)
{
	for (unsigned i = 0; i < vm_count() && !input_vm; i++)
		if (vm_get(i)->desc.console_input)
			input_vm = vm_get(i);
	if (!input_vm)
		input_vm = vm_get(0);
	if (!p->has_uart || !p->uart.intid || !input_vm)
		return;
	irq_register(p->uart.intid, console_rx_irq, NULL);
	gicv3_enable_spi(p->uart.intid);
	pl011_rx_enable();
	pr_info("console input goes to vm '%s'\n", input_vm->desc.name);
}

static __noreturn void bundle_fail(const char *msg)
{
	pr_err("bundle: %s\n", msg);
	power_off(POWER_FAILURE);
}

static unsigned create_vms(const void *fdt, const void *bundle, size_t blen,
			   const struct vm_host *host)
{
	char err[384];
	unsigned made = 0;
	int node;

	fdt_for_each_subnode(node, fdt, 0) {
		struct vm_desc d;
		struct vm *vm;

		if (fdt_node_check_compatible(fdt, node, "nestvisor,vm"))
			continue;
		if (!vm_desc_parse(fdt, node, &d, err, sizeof(err)) ||
		    !(vm = vm_create(&d, bundle, blen, host, err, sizeof(err)))) {
			pr_err("%s; this VM does not start\n", err);
			sched_note_failure();
			continue;
		}
		for (unsigned i = 0; i < vm->nr_vcpus; i++)
			sched_add_vcpu(vm->vcpus[i]);
		made++;
	}
	return made;
}

void scenario_run(const struct platform *p, const struct cpu_features *f,
		  const struct id_regs *id, enum nested_mode nested)
{
	const void *bundle = (const void *)(uintptr_t)p->initrd.base;
	size_t blen = (size_t)p->initrd.size;
	struct cpio_file sc;
	struct cpio_error cerr;
	char why[256];
	unsigned order;
	void *copy;
	unsigned cpus[NR_CPUS], n = 0;
	struct vm_host host = {
		.features = f,
		.id = id,
		.vtimer_intid = p->timer.virt_intid,
		.ptimer_intid = p->timer.phys_intid,
		.hyp_ptimer_intid = p->timer.hyp_phys_intid,
		.hyp_vtimer_intid = p->timer.hyp_virt_intid,
		.nested = nested,
	};

	switch (cpio_lookup(bundle, blen, SCENARIO_FILE, &sc, &cerr)) {
	case CPIO_OK:
		break;
	case CPIO_CORRUPT:
		if (cerr.offset) {
			cpio_error_format(&cerr, why, sizeof(why));
			bundle_fail(why);
		}
		/* Not even a first header: not a bundle at all. */
		nv_snprintf(why, sizeof(why),
			    "the initrd is not a cpio archive holding " SCENARIO_FILE
			    " (%s at offset 0)", cerr.what);
		bundle_fail(why);
	case CPIO_END:
		bundle_fail("the initrd is not a cpio archive holding " SCENARIO_FILE);
	}
	/* cpio aligns data to 4 bytes; libfdt wants 8: take a copy. */
	order = 0;
	while ((PAGE_SIZE << order) < sc.size && order < 8)
		order++;
	copy = (void *)(uintptr_t)palloc_pages(order);
	if (!copy || sc.size > (PAGE_SIZE << order))
		bundle_fail(SCENARIO_FILE " is too large");
	memcpy(copy, sc.data, sc.size);
	if (!vm_desc_check_scenario(copy, sc.size, why, sizeof(why))) {
		char msg[sizeof(why) + sizeof(SCENARIO_FILE) + 1];

		nv_snprintf(msg, sizeof(msg), SCENARIO_FILE " %s", why);
		bundle_fail(msg);
	}
	for (unsigned i = 0; i < p->nr_cpus; i++)
		if (percpu[i].state == CPU_ONLINE)
			cpus[n++] = i;
	sched_init(cpus, n, p->gic.maint_intid);
	vtimer_init(p->timer.virt_intid, p->timer.phys_intid);
	vtimer_nested_init(p->timer.virt_intid, p->timer.phys_intid,
			   p->timer.hyp_phys_intid, p->timer.hyp_virt_intid);
	sysreg_trap_init();
	if (!create_vms(copy, bundle, blen, &host)) {
		pr_err("bundle: no VM could be started\n");
		power_off(POWER_FAILURE);
	}
	vpl011_set_prefixed(vm_count() > 1);
	route_console_input(p);
	sched_start();
	sched_run();
}
