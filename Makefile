# nestvisor: build, run and test. `make help` lists the targets.

CROSS ?= aarch64-linux-gnu-
ifeq ($(origin CC),default)
CC := $(CROSS)gcc
endif
HOSTCC ?= gcc

ifneq ($(findstring clang,$(notdir $(CC))),)
COMPILER := clang
TARGET_FLAGS := --target=aarch64-none-elf
LD := ld.lld
else
COMPILER := gcc
TARGET_FLAGS := -mno-outline-atomics -fno-tree-loop-distribute-patterns
LD := $(CROSS)ld
LD_EXTRA := --no-warn-rwx-segments
endif
OBJCOPY := $(CROSS)objcopy

BUILD ?= build/$(COMPILER)
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wconversion -Wsign-conversion \
	-Wstrict-prototypes -Wmissing-prototypes -Wundef -Wvla
CFLAGS_HYP := $(TARGET_FLAGS) -std=gnu11 -O2 -g -ffreestanding -fno-builtin \
	-nostdinc -isystem $(shell $(CC) $(TARGET_FLAGS) -print-file-name=include) \
	-Iinclude -Iinclude/libc -I$(BUILD)/gen -isystem $(BUILD)/fdtinc \
	-march=armv8-a -mgeneral-regs-only -mstrict-align -fpie \
	-fno-stack-protector -fno-omit-frame-pointer -fno-common \
	-ffunction-sections -fdata-sections $(WARNINGS) \
	-MMD -MP
ASFLAGS_HYP := $(TARGET_FLAGS) -nostdinc -Iinclude -D__ASSEMBLY__ -MMD -MP
LDFLAGS_HYP := -pie --no-dynamic-linker -z notext -z norelro -z noexecstack \
	-Bsymbolic --build-id=none -nostdlib --gc-sections $(LD_EXTRA)

LIBFDT_A := /usr/lib/aarch64-linux-gnu/libfdt.a

# Every source is listed once. Generic code runs on the host too: the image,
# the unit tests (tests/unit/unit.mk) and the fuzzers (tests/fuzz/fuzz.mk)
# all build GENERIC_SRCS, the host ones with src/arch/fake. IMAGE_SRCS is
# generic code only the image links (boot, SMP, power, the run loop, the
# host drivers, libc), then the AArch64 arch layer.
GENERIC_SRCS := \
	src/core/bootparam.c src/core/console.c src/core/log.c \
	src/core/platform.c src/core/fdt_check.c src/core/cpio.c \
	src/core/vm_desc.c src/core/vm.c src/core/loader.c src/core/guest_fdt.c \
	src/core/mmio_bus.c \
	src/core/sched_policy.c \
	src/cpu/cpufeature.c src/cpu/esr.c src/cpu/vcpu.c src/cpu/exit.c \
	src/cpu/sysreg_trap.c src/cpu/idregs.c src/cpu/vpsci.c src/cpu/exit_fast.c \
	src/cpu/trap_forward.c src/cpu/vel2_regs.c src/cpu/exc_entry.c \
	src/cpu/el2_ctl.c src/cpu/vel2.c src/cpu/vel2_sysreg.c src/cpu/nested_exit.c \
	src/cpu/vel2_at.c \
	src/mem/pgtable.c src/mem/palloc.c src/mem/stage2.c src/mem/s2_walk.c \
	src/mem/s1_walk.c \
	src/mem/shadow_s2.c src/mem/vmid.c \
	src/irq/irq.c src/irq/gicv3.c src/irq/vgic.c src/irq/vgic_lr.c src/irq/vgic_dist.c \
	src/irq/vgic_redist.c src/irq/vgic_nested.c src/irq/vgic_nested_lr.c \
	src/timer/vtimer.c src/timer/emu_timer.c src/timer/vtimer_nested.c \
	src/vdev/vdev.c src/vdev/vpl011.c src/vdev/testdev.c \
	src/lib/fmt.c
IMAGE_SRCS := \
	src/core/main.c src/core/power.c src/core/smp.c src/core/sched.c \
	src/core/scenario.c src/cpu/crash.c src/timer/timer.c \
	src/drivers/pl011.c src/drivers/psci.c \
	src/lib/string.c src/lib/stack_protector.c
ARCH_SRCS := \
	src/arch/aarch64/arch.c src/arch/aarch64/exception.c \
	src/arch/aarch64/gic_cpuif.c src/arch/aarch64/el2_timer.c \
	src/arch/aarch64/mmu.c src/arch/aarch64/semihost.c \
	src/arch/aarch64/smccc.c src/arch/aarch64/stacks.c \
	src/arch/aarch64/vcpu_context.c src/arch/aarch64/vcpu_debug.c \
	src/arch/aarch64/tlb.c src/arch/aarch64/vcpu_nested.c
ASM_SRCS := src/arch/aarch64/head.S src/arch/aarch64/vectors.S \
	src/arch/aarch64/guest_entry.S src/arch/aarch64/fpsimd.S

OBJS := $(patsubst %.c,$(BUILD)/%.o,$(GENERIC_SRCS) $(IMAGE_SRCS) $(ARCH_SRCS)) \
	$(patsubst %.S,$(BUILD)/%.o,$(ASM_SRCS))

IMAGE := $(BUILD)/nestvisor.bin
ELF := $(BUILD)/nestvisor.elf

.PHONY: all clang setup run test unit integration clean help bench vmm
all: $(IMAGE)

$(BUILD)/fdtinc/libfdt.h:
	@mkdir -p $(BUILD)/fdtinc
	@for h in fdt.h libfdt.h libfdt_env.h; do ln -sf /usr/include/$$h $(BUILD)/fdtinc/$$h; done

# The version string, rewritten only when it changes.
$(BUILD)/gen/nv_version.h: FORCE
	@mkdir -p $(dir $@)
	@echo '#define NV_VERSION "$(VERSION)"' >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
FORCE:

$(BUILD)/src/core/main.o: $(BUILD)/gen/nv_version.h

$(BUILD)/%.o: %.c $(BUILD)/fdtinc/libfdt.h
	@mkdir -p $(dir $@)
	@echo "  CC [$(COMPILER)] $<"
	@$(CC) $(CFLAGS_HYP) -c $< -o $@

$(BUILD)/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS [$(COMPILER)] $<"
	@$(CC) $(ASFLAGS_HYP) -c $< -o $@

$(ELF): $(OBJS) src/arch/aarch64/nestvisor.ld
	@echo "  LD  $@"
	@$(LD) $(LDFLAGS_HYP) -T src/arch/aarch64/nestvisor.ld -o $@ $(OBJS) $(LIBFDT_A)
	@scripts/check-relocs.sh $@

$(IMAGE): $(ELF)
	@$(OBJCOPY) -O binary $< $@
	@echo "  IMAGE $@"

clang: $(BUILD)/fdtinc/libfdt.h
	@$(MAKE) --no-print-directory CC=clang
	@echo "  CLANG [vmm] tools/nvmm (checked, not linked: nvmm ships the gcc build)"
	@for f in $(VMM_SRCS); do \
		clang --target=aarch64-linux-gnu $(filter-out -MMD -MP -g,$(VMM_CFLAGS)) -fsyntax-only $$f || exit 1; \
	done

# The in-tree VMM (tools/nvmm, docs/VMM.md): a KVM userspace for aarch64
# Linux, linked statically with the cross gcc's glibc and the arm64 libfdt.
VMM := build/vmm/nvmm
VMM_SRCS := $(wildcard tools/nvmm/*.c)
# The sources that need /dev/kvm or are the program itself: the rest is
# built for the host too and unit-tested (tests/unit/unit.mk, test_nvmm_*).
VMM_KVM_SRCS := tools/nvmm/main.c tools/nvmm/kvm.c
VMM_CFLAGS := -std=gnu11 -O2 -g -pthread -isystem $(BUILD)/fdtinc $(WARNINGS) -MMD -MP
vmm: $(VMM)

build/vmm/%.o: tools/nvmm/%.c $(BUILD)/fdtinc/libfdt.h
	@mkdir -p $(dir $@)
	@echo "  CC [vmm] $<"
	@$(CROSS)gcc $(VMM_CFLAGS) -c $< -o $@

$(VMM): $(patsubst tools/nvmm/%.c,build/vmm/%.o,$(VMM_SRCS))
	@echo "  LD  $@"
	@$(CROSS)gcc -static -pthread -o $@ $^ $(LIBFDT_A)


setup:
	@scripts/setup.sh

# make run                       the default demo: scenario linux-kvm (Linux KVM at vEL2 running a nested Linux)
# make run SCENARIO=none         boot, summary, power off (no VM)
# make run SCENARIO=two-vms      a scenario of scenarios/ (linux, two-vms, test-guest, ...)
# make run KERNEL=path [INITRD=path] [CMDLINE="..."] [VCPUS=n] [MEM=size] [EL2=1]
# make run SCENARIO=nested NESTED=nv   the test hypervisor at a virtual EL2
# make run SCENARIO=linux-kvm NESTED=nv2  the default demo under an explicit nesting mode
# ARGS="nested=... loglevel=..." are nestvisor's boot parameters; NESTED=mode
# appends nested=mode to them (every form above). EL2=1 gives the KERNEL=
# VM a virtual EL2 (virtual-el2; in its description).
#
# The values reach the scripts through the environment, unexpanded
# ($(value ...)): never through a shell command line, and make's own `$`
# is not interpreted, so CMDLINE='a "b" $c `d`' arrives byte for byte and
# nothing in it runs on the host. An unset CMDLINE means the script's
# default (console=ttyAMA0); CMDLINE= means an empty command line.
RUN_VARS := SMP QEMU_MEM ARGS NESTED SCENARIO KERNEL INITRD CMDLINE VCPUS MEM EL2 GUEST
CMDLINE_ORIGIN := $(origin CMDLINE)
# The defaults come before unexport, which defines a variable it names
# (empty) if nothing has: a ?= after it would never apply.
SMP ?= 4
QEMU_MEM ?= 1G
SCENARIO ?= linux-kvm
VCPUS ?= 1
MEM ?= 512M
unexport $(RUN_VARS)
run: export NV_RUN_SMP = $(value SMP)
run: export NV_RUN_QEMU_MEM = $(value QEMU_MEM)
run: export NV_ARGS = $(value ARGS)$(if $(value NESTED),$(if $(value ARGS), )nested=$(value NESTED))
run: export NV_RUN_SCENARIO = $(value SCENARIO)
run: export NV_RUN_KERNEL = $(value KERNEL)
run: export NV_RUN_INITRD = $(value INITRD)
run: export NV_RUN_VCPUS = $(value VCPUS)
run: export NV_RUN_MEM = $(value MEM)
run: export NV_RUN_EL2 = $(value EL2)
ifneq ($(CMDLINE_ORIGIN),undefined)
run: export NV_RUN_CMDLINE = $(value CMDLINE)
endif
run: export NV_RUN_GUEST = $(value GUEST)
run: setup
	@$(MAKE) --no-print-directory all
ifneq ($(value KERNEL),)
	@scripts/run-kernel.sh --from-env
else ifeq ($(value SCENARIO),none)
	@scripts/qemu.sh --smp "$$NV_RUN_SMP" --mem "$$NV_RUN_QEMU_MEM" --append "$$NV_ARGS" -- $(IMAGE)
else
	@GUEST="$$NV_RUN_GUEST" scripts/run-scenario.sh "$$NV_RUN_SCENARIO" --append "$$NV_ARGS"
endif

include tests/unit/unit.mk
include tests/fuzz/fuzz.mk

test: setup
	@tests/run.sh

unit:
	@tests/run.sh --unit-only

# Deterministic counts (exits by reason, -icount virtual time) per workload.
bench: setup
	@$(MAKE) --no-print-directory all
	@scripts/bench.sh

clean:
	rm -rf build

help:
	@echo "make            build build/gcc/nestvisor.bin (cross gcc)"
	@echo "make clang      build build/clang/nestvisor.bin (clang)"
	@echo "make run        install what is missing, build, boot the nested demo in QEMU: Linux KVM at a"
	@echo "                virtual EL2 running a nested Linux (SCENARIO=linux-kvm; linux-kvm-nvhe: KVM nVHE)"
	@echo "                SCENARIO=name (scenarios/), SCENARIO=none (no VM: SMP=n QEMU_MEM=size),"
	@echo "                KERNEL=path [INITRD=path CMDLINE=\"...\" VCPUS=n MEM=size EL2=1]"
	@echo "                (CMDLINE verbatim, at most 511 bytes; unset: console=ttyAMA0; CMDLINE=: empty),"
	@echo "                (EL2=1: the VM gets a virtual EL2), SCENARIO=nested (the test hypervisor"
	@echo "                at a virtual EL2), ARGS=\"nested=... loglevel=...\" (nestvisor's boot"
	@echo "                parameters), NESTED=off|nv|nv2|auto (adds nested=... to them)"
	@echo "make vmm        build build/vmm/nvmm, the KVM userspace for aarch64 Linux (docs/VMM.md)"
	@echo "make test       install what is missing, build, run every test"
	@echo "make bench      exits by reason and -icount time per workload"
	@echo "make fuzz       run every libFuzzer harness (tests/fuzz) FUZZ_TIME=seconds each"
	@echo "                (default 60), or FUZZ_RUNS=n executions; FUZZ=name for one"

-include $(OBJS:.o=.d) $(patsubst tools/nvmm/%.c,build/vmm/%.d,$(VMM_SRCS))
