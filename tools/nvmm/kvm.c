/*
 * The VM through /dev/kvm (Documentation/virt/kvm/api.rst): RAM, the
 * in-kernel GICv3, the vCPUs on their threads, each taking its exits to
 * vcpu_exit.c (the PL011's MMIO, the end of the run).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "nvmm.h"

/* Newer than some installed UAPI headers: the values of Linux's own. */
#ifndef KVM_CAP_ARM_EL2
#define KVM_CAP_ARM_EL2 240
#endif
#ifndef KVM_ARM_VCPU_HAS_EL2
#define KVM_ARM_VCPU_HAS_EL2 7
#endif

#define REG_CORE(field) \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(field))
#define REG_MPIDR_EL1 ARM64_SYS_REG(3, 0, 0, 0, 5)

struct vcpu {
	struct vm *vm;
	unsigned int index;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	uint64_t mpidr;
};

struct vm {
	int kvm_fd, vm_fd, gic_fd;
	size_t run_size;
	uint8_t *ram;
	struct layout layout;
	struct pl011 uart;
	struct vcpu vcpus[NVMM_MAX_CPUS];
	unsigned int ncpus;

	pthread_mutex_t done_lock;
	pthread_cond_t done_cond;
	int done;
	int status;
};

static int kvm_check(int fd, long cap)
{
	int r = ioctl(fd, KVM_CHECK_EXTENSION, cap);
	return r < 0 ? 0 : r;
}

static void finish(struct vm *vm, int status)
{
	pthread_mutex_lock(&vm->done_lock);
	if (!vm->done) {
		vm->done = 1;
		vm->status = status;
		pthread_cond_signal(&vm->done_cond);
	}
	pthread_mutex_unlock(&vm->done_lock);
}

/* Ctrl-A x on the console (console.c). */
static void console_quit(void *ctx)
{
	finish(ctx, NVMM_EXIT_OK);
}

static void uart_set_irq(void *ctx, int level)
{
	struct vm *vm = ctx;
	struct kvm_irq_level irq = {
		.irq = (KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) | (32U + GUEST_UART_SPI),
		.level = (uint32_t)level,
	};
	if (ioctl(vm->vm_fd, KVM_IRQ_LINE, &irq) < 0)
		nvmm_err("KVM_IRQ_LINE (UART SPI %u): %s", GUEST_UART_SPI, strerror(errno));
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *c = arg;
	struct kvm_run *r = c->run;

	for (;;) {
		if (ioctl(c->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			nvmm_err("vCPU %u: KVM_RUN: %s", c->index, strerror(errno));
			finish(c->vm, NVMM_EXIT_ERROR);
			return NULL;
		}
		int status = vcpu_exit(&c->vm->uart, c->index, r);
		if (status != VCPU_RUN_AGAIN) {
			finish(c->vm, status);
			return NULL;
		}
	}
}

static int set_reg(struct vcpu *c, uint64_t id, uint64_t val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)&val };
	return ioctl(c->fd, KVM_SET_ONE_REG, &reg);
}

static int get_reg(struct vcpu *c, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)val };
	return ioctl(c->fd, KVM_GET_ONE_REG, &reg);
}

static int open_kvm(struct vm *vm)
{
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0) {
		if (errno == ENOENT)
			nvmm_err("/dev/kvm does not exist: this kernel has no KVM, or KVM did not "
				 "initialise (is the kernel entered at EL2? see its 'kvm [1]:' lines)");
		else
			nvmm_err("cannot open /dev/kvm: %s", strerror(errno));
		return -1;
	}
	int v = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (v != KVM_API_VERSION) {
		nvmm_err("/dev/kvm reports API version %d; nvmm needs %d", v, KVM_API_VERSION);
		return -1;
	}
	return 0;
}

static int create_vm(struct vm *vm, const struct nvmm_opts *o)
{
	int max = kvm_check(vm->kvm_fd, KVM_CAP_ARM_VM_IPA_SIZE);
	unsigned int bits;
	char err[128];

	if (ipa_plan(GUEST_RAM_BASE + vm->layout.ram_size, max, &bits, err, sizeof(err))) {
		nvmm_err("--mem %lu %s", o->mem_mb, err);
		return -1;
	}
	/* Type 0 is KVM's default, a 40-bit IPA space. */
	unsigned long type = max > 0 ? KVM_VM_TYPE_ARM_IPA_SIZE(bits) : 0;
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, type);
	if (vm->vm_fd < 0) {
		nvmm_err("KVM_CREATE_VM (IPA %u bits): %s", bits, strerror(errno));
		return -1;
	}
	int rs = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (rs <= 0) {
		nvmm_err("KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
		return -1;
	}
	vm->run_size = (size_t)rs;
	return 0;
}

static int map_ram(struct vm *vm)
{
	void *p = mmap(NULL, vm->layout.ram_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		nvmm_err("cannot allocate %llu MiB of guest RAM: %s",
			 (unsigned long long)(vm->layout.ram_size >> 20), strerror(errno));
		return -1;
	}
	vm->ram = p;
	struct kvm_userspace_memory_region mr = {
		.slot = 0,
		.guest_phys_addr = vm->layout.ram_base,
		.memory_size = vm->layout.ram_size,
		.userspace_addr = (uint64_t)(uintptr_t)p,
	};
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &mr) < 0) {
		nvmm_err("KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int gic_attr(struct vm *vm, uint32_t group, uint64_t attr, void *val, const char *what)
{
	struct kvm_device_attr a = {
		.group = group, .attr = attr, .addr = (uint64_t)(uintptr_t)val,
	};
	if (ioctl(vm->gic_fd, KVM_SET_DEVICE_ATTR, &a) < 0) {
		nvmm_err("vGICv3 %s: %s", what, strerror(errno));
		return -1;
	}
	return 0;
}

static int create_gic(struct vm *vm)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	if (ioctl(vm->vm_fd, KVM_CREATE_DEVICE, &cd) < 0) {
		nvmm_err("KVM_CREATE_DEVICE (in-kernel GICv3): %s%s", strerror(errno),
			 errno == ENODEV ? " (this host has no GICv3 virtualization)" : "");
		return -1;
	}
	vm->gic_fd = (int)cd.fd;
	uint64_t dist = GUEST_GICD_BASE, redist = GUEST_GICR_BASE;
	if (gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &dist, "distributor address") ||
	    gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist, "redistributor address"))
		return -1;
	return 0;
}

static int create_vcpus(struct vm *vm, const struct nvmm_opts *o)
{
	struct kvm_vcpu_init init;

	if (ioctl(vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0) {
		nvmm_err("KVM_ARM_PREFERRED_TARGET: %s", strerror(errno));
		return -1;
	}
	for (unsigned int i = 0; i < vm->ncpus; i++) {
		struct vcpu *c = &vm->vcpus[i];
		c->vm = vm;
		c->index = i;
		c->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, (unsigned long)i);
		if (c->fd < 0) {
			nvmm_err("KVM_CREATE_VCPU %u: %s", i, strerror(errno));
			return -1;
		}
		void *run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
		if (run == MAP_FAILED) {
			nvmm_err("mmap of vCPU %u's kvm_run: %s", i, strerror(errno));
			return -1;
		}
		c->run = run;
		struct kvm_vcpu_init vi = { .target = init.target };
		vi.features[0] = 1U << KVM_ARM_VCPU_PSCI_0_2;
		if (i > 0)
			vi.features[0] |= 1U << KVM_ARM_VCPU_POWER_OFF;
		if (o->el2)
			vi.features[0] |= 1U << KVM_ARM_VCPU_HAS_EL2;
		if (ioctl(c->fd, KVM_ARM_VCPU_INIT, &vi) < 0) {
			nvmm_err("KVM_ARM_VCPU_INIT of vCPU %u (target %u%s): %s", i, init.target,
				 o->el2 ? ", with EL2" : "", strerror(errno));
			return -1;
		}
		if (get_reg(c, REG_MPIDR_EL1, &c->mpidr) < 0) {
			nvmm_err("vCPU %u: reading MPIDR_EL1: %s", i, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int load_guest(struct vm *vm, const struct nvmm_opts *o, const struct blob *kernel,
		      const struct blob *initrd)
{
	const struct layout *l = &vm->layout;
	uint64_t mpidr[NVMM_MAX_CPUS];

	memcpy(vm->ram + (l->kernel_addr - l->ram_base), kernel->data, kernel->size);
	if (initrd)
		memcpy(vm->ram + (l->initrd_addr - l->ram_base), initrd->data, initrd->size);
	for (unsigned int i = 0; i < vm->ncpus; i++)
		mpidr[i] = vm->vcpus[i].mpidr;
	struct fdt_params fp = {
		.layout = l, .cmdline = o->cmdline, .cpus = vm->ncpus, .mpidr = mpidr, .el2 = o->el2,
	};
	int rc = fdt_build(vm->ram + (l->dtb_addr - l->ram_base), l->dtb_max, &fp);
	if (rc < 0) {
		nvmm_err("building the device tree: libfdt error %d", rc);
		return -1;
	}
	/* The boot protocol: x0 the DTB, x1-x3 zero, at the Image's first byte. */
	struct vcpu *boot = &vm->vcpus[0];
	if (set_reg(boot, REG_CORE(regs.pc), l->kernel_addr) < 0 ||
	    set_reg(boot, REG_CORE(regs.regs[0]), l->dtb_addr) < 0) {
		nvmm_err("KVM_SET_ONE_REG (PC, X0 of vCPU 0): %s", strerror(errno));
		return -1;
	}
	return 0;
}

int vmm_run(const struct nvmm_opts *o, const struct blob *kernel, const struct blob *initrd)
{
	static struct vm vm;
	char err[256];

	vm.ncpus = o->cpus;
	vm.kvm_fd = vm.vm_fd = vm.gic_fd = -1;
	pthread_mutex_init(&vm.done_lock, NULL);
	pthread_cond_init(&vm.done_cond, NULL);
	if (layout_plan(&vm.layout, (uint64_t)o->mem_mb << 20, kernel, initrd ? initrd->size : 0,
			err, sizeof(err))) {
		nvmm_err("%s: %s", o->kernel, err);
		return NVMM_EXIT_ERROR;
	}
	if (open_kvm(&vm))
		return NVMM_EXIT_ERROR;
	if (o->el2 && !kvm_check(vm.kvm_fd, KVM_CAP_ARM_EL2)) {
		nvmm_err("--el2: this host's KVM does not offer nested virtualization "
			 "(KVM_CAP_ARM_EL2 absent: needs FEAT_NV and kvm-arm.mode=nested)");
		return NVMM_EXIT_ERROR;
	}
	int max_vcpus = kvm_check(vm.kvm_fd, KVM_CAP_MAX_VCPUS);
	if (max_vcpus > 0 && o->cpus > (unsigned int)max_vcpus) {
		nvmm_err("--cpus %u: this host's KVM allows at most %d vCPUs", o->cpus, max_vcpus);
		return NVMM_EXIT_ERROR;
	}
	if (create_vm(&vm, o) || map_ram(&vm) || create_gic(&vm) || create_vcpus(&vm, o))
		return NVMM_EXIT_ERROR;
	if (gic_attr(&vm, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL, "initialisation"))
		return NVMM_EXIT_ERROR;
	if (load_guest(&vm, o, kernel, initrd))
		return NVMM_EXIT_ERROR;
	pl011_init(&vm.uart, STDOUT_FILENO, uart_set_irq, &vm);
	if (console_start(&vm.uart, STDIN_FILENO, console_quit, &vm))
		return NVMM_EXIT_ERROR;

	nvmm_msg("%u vCPU(s)%s, %lu MiB at 0x%llx, kernel at 0x%llx, initrd %llu bytes at 0x%llx, DTB at 0x%llx",
		 vm.ncpus, o->el2 ? " at EL2" : "", o->mem_mb,
		 (unsigned long long)vm.layout.ram_base, (unsigned long long)vm.layout.kernel_addr,
		 (unsigned long long)vm.layout.initrd_size, (unsigned long long)vm.layout.initrd_addr,
		 (unsigned long long)vm.layout.dtb_addr);
	for (unsigned int i = 0; i < vm.ncpus; i++) {
		int rc = pthread_create(&vm.vcpus[i].thread, NULL, vcpu_thread, &vm.vcpus[i]);
		if (rc) {
			nvmm_err("starting the thread of vCPU %u: %s", i, strerror(rc));
			return NVMM_EXIT_ERROR;
		}
	}
	pthread_mutex_lock(&vm.done_lock);
	while (!vm.done)
		pthread_cond_wait(&vm.done_cond, &vm.done_lock);
	int status = vm.status;
	pthread_mutex_unlock(&vm.done_lock);
	/* The other vCPUs may sit in KVM_RUN; leaving the process ends them. */
	return status;
}
