/* The emulated devices of each VM: vGIC, PL011, the test device, timers. */
#include <nv/fmt.h>
#include <nv/testdev.h>
#include <nv/vcpu.h>
#include <nv/vdev.h>
#include <nv/vm.h>
#include <nv/vpl011.h>
#include <nv/vtimer.h>

static struct vpl011 uarts[MAX_VMS];
static struct testdev testdevs[MAX_VMS];

static bool init_gic(struct vm *vm, char *err, size_t errlen)
{
	/* Enough SPIs for the UART's, in blocks of 32 (GICD_TYPER.ITLinesNumber). */
	unsigned spis = vm->desc.uart_spi + 1;

	if (spis > VGIC_MAX_SPIS) {
		nv_snprintf(err, errlen, "vm '%s': property 'uart-interrupt': SPI %u is above the vGIC's %u SPIs",
			    vm->desc.name, vm->desc.uart_spi, VGIC_MAX_SPIS);
		return false;
	}
	if (!vgic_init_vm(vm, vm->desc.gicd_base, vm->desc.gicr_base, spis)) {
		nv_snprintf(err, errlen, "vm '%s': property 'gic': the vGIC cannot be placed there",
			    vm->desc.name);
		return false;
	}
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		vtimer_init_vcpu(vm->vcpus[i]);
	return true;
}

bool vdev_init_vm(struct vm *vm, const struct vm_host *host, char *err,
		  size_t errlen)
{
	(void)host;
	if (!init_gic(vm, err, errlen))
		return false;
	vm->uart = &uarts[vm->id];
	if (!vpl011_init(vm, &uarts[vm->id], err, errlen))
		return false;
	return testdev_init(vm, &testdevs[vm->id], err, errlen);
}

void vdev_reset_vm(struct vm *vm)
{
	/* The MMIO ranges stay registered; the device state starts over. */
	vgic_reset_state(vm);
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		vtimer_init_vcpu(vm->vcpus[i]);
	vpl011_reset(vm->uart);
}
