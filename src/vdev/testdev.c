/*
 * nestvisor,test-mmio: a device for checking MMIO emulation from inside a
 * guest. 0x000-0x0ff: 256 bytes of scratch memory, any naturally aligned
 * access of 1, 2, 4 or 8 bytes, little-endian. 0x100-0x107: read-only,
 * behaves like memory holding 0x0123456789abcdef. 0x200: interrupt
 * line, write-only: bits [9:0] an SPI's INTID, bit 31 the level the
 * device drives on it (a way for guests to test SPI delivery). The rest
 * reads as zero and ignores writes. A misaligned access is refused
 * (external abort), as it would be for a real device register.
 */
#include <string.h>
#include <nv/fmt.h>
#include <nv/bits.h>
#include <nv/testdev.h>
#include <nv/vgic.h>
#include <nv/vm.h>

#define TESTDEV_CONST UINT64_C(0x0123456789abcdef)
#define TESTDEV_IRQ_LINE 0x200
#define IRQ_LINE_INTID GENMASK(9, 0)
#define IRQ_LINE_LEVEL BIT(31)

static bool testdev_access(struct vcpu *vcpu, void *dev, u64 off,
			   struct mmio_access *a)
{
	struct testdev *t = dev;
	u64 mask = a->size == 8 ? ~UINT64_C(0) : (UINT64_C(1) << (8 * a->size)) - 1;

	(void)vcpu;
	if (off & (a->size - 1))
		return false;
	if (off + a->size <= sizeof(t->scratch)) {
		if (a->write) {
			for (unsigned i = 0; i < a->size; i++)
				t->scratch[off + i] = (u8)(a->data >> (8 * i));
		} else {
			a->data = 0;
			for (unsigned i = 0; i < a->size; i++)
				a->data |= (u64)t->scratch[off + i] << (8 * i);
		}
		return true;
	}
	if (off == TESTDEV_IRQ_LINE && a->write && a->size == 4) {
		u32 intid = (u32)field_get(IRQ_LINE_INTID, a->data);

		/* SPIs only; the vGIC ignores INTIDs the VM does not have. */
		if (intid >= 32)
			vgic_set_level(t->vm, NULL, intid, (a->data & IRQ_LINE_LEVEL) != 0);
		return true;
	}
	if (!a->write)
		a->data = off >= 0x100 && off < 0x108 ?
				  (TESTDEV_CONST >> (8 * (off & 7))) & mask : 0;
	return true;
}

static const struct mmio_ops testdev_ops = { testdev_access };

bool testdev_init(struct vm *vm, struct testdev *t, char *err, size_t errlen)
{
	memset(t, 0, sizeof(*t));
	t->vm = vm;
	if (!vm->desc.test_dev_base)
		return true;
	if (!mmio_bus_register(&vm->mmio, vm->desc.test_dev_base,
			       VM_TEST_DEV_SIZE, &testdev_ops, t, "test-mmio")) {
		nv_snprintf(err, errlen, "vm '%s': property 'test-mmio': overlaps another device",
			    vm->desc.name);
		return false;
	}
	return true;
}
