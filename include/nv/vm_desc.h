/*
 * A VM as its description file says (a device-tree source per scenario,
 * compiled with dtc): everything nestvisor needs to build and boot it.
 */
#ifndef NV_VM_DESC_H
#define NV_VM_DESC_H

#include <nv/types.h>

#define VM_NAME_MAX 32
#define VM_FILE_MAX 64
#define VM_CMDLINE_MAX 512
#define VM_MAX_VCPUS 8

struct vm_desc {
	char name[VM_NAME_MAX];
	unsigned nr_vcpus;
	u64 ram_base;
	u64 ram_size;
	char kernel[VM_FILE_MAX];
	char initrd[VM_FILE_MAX]; /* empty: none */
	char cmdline[VM_CMDLINE_MAX];
	u64 gicd_base;
	u64 gicr_base;
	u64 uart_base;
	u32 uart_spi;     /* SPI number (INTID - 32) of the UART */
	bool console_input;
	bool virtual_el2; /* the VM gets a virtual EL2 */
	/*
	 * What a guest hypervisor (L1) at the virtual EL2 may use, from
	 * virtual-el2-features: all true for a virtual-el2 VM without the
	 * property, all false for a VM without virtual-el2. l1_vhe: FEAT_VHE
	 * shown (ID_AA64MMFR1_EL1.VH); l1_e2h0: HCR_EL2.E2H can be 0
	 * (FEAT_E2H0), else it is RES1 and l1_vhe is set; l1_nv1: FEAT_NV1,
	 * false only with l1_e2h0 false (both in ID_AA64MMFR4_EL1.E2H0).
	 */
	bool l1_vhe;
	bool l1_e2h0;
	bool l1_nv1;
	u64 test_dev_base; /* nestvisor,test-mmio device, 0 if none */
	u32 hidden_features; /* bit per entry of the feature table (idregs.c) */
};

/* Sizes of the guest-visible device frames. */
#define VM_GICD_SIZE 0x10000u
#define VM_GICR_SIZE_PER_VCPU 0x20000u
#define VM_UART_SIZE 0x1000u
#define VM_TEST_DEV_SIZE 0x1000u

/*
 * Parses one VM node (compatible "nestvisor,vm") of a scenario device
 * tree. On error returns false with a message naming the VM, the property
 * and the problem. A VM whose name (the node name without its unit
 * address) is that of an earlier VM node is refused.
 */
bool vm_desc_parse(const void *fdt, int node, struct vm_desc *d, char *err,
		   size_t errlen);

/*
 * Checks a whole scenario blob of size bytes before any node is read
 * (libfdt's fdt_check_full: header, structure block, string offsets).
 * False with libfdt's own error in err.
 */
bool vm_desc_check_scenario(const void *fdt, size_t size, char *err,
			    size_t errlen);

struct cpu_features;

/*
 * Whether the host CPU can give the VM what its description asks for:
 * "vhe" in virtual-el2-features (the default for a virtual-el2 VM) needs
 * FEAT_VHE on the host. False with a message naming the VM and the
 * property. For vm_create to call before it takes anything.
 */
bool vm_desc_check_host(const struct vm_desc *d, const struct cpu_features *f,
			char *err, size_t errlen);

/* Feature names a description may hide (hide-cpu-features). */
int vm_feature_lookup(const char *name);

#endif
