# Host unit tests: the generic code built for the host with the fake arch,
# one cmocka executable per tests/unit/test_*.c; those named test_nvmm_*
# test nvmm (tools/nvmm) instead, linked with its host-built sources.

HOST_BUILD := build/host
HOST_CFLAGS := -std=gnu11 -O1 -g -Iinclude $(WARNINGS) -Wno-missing-prototypes \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer \
	-DFIXTURE_DIR='"$(HOST_BUILD)/fixtures"'
HOST_LIBFDT := $(firstword $(wildcard /usr/lib/$(shell $(HOSTCC) -print-multiarch)/libfdt.so.1 /usr/lib/libfdt.so.1))
HOST_LDLIBS := -lcmocka $(HOST_LIBFDT)

# The generic sources of the image (Makefile), with the fake arch.
HOST_LIB_SRCS := $(GENERIC_SRCS) src/arch/fake/fake_arch.c
HOST_LIB_OBJS := $(patsubst %.c,$(HOST_BUILD)/%.o,$(HOST_LIB_SRCS))
HOST_LIB := $(HOST_BUILD)/libnv-host.a

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
# Helpers shared by every test (tests/unit/helpers.h), compiled once.
UNIT_HELPERS := $(HOST_BUILD)/tests/helpers.o
UNIT_BINS := $(patsubst tests/unit/%.c,$(HOST_BUILD)/tests/%,$(UNIT_SRCS))
FIXTURES := $(patsubst tests/unit/fixtures/%.dts,$(HOST_BUILD)/fixtures/%.dtb,$(wildcard tests/unit/fixtures/*.dts))

$(HOST_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC $<"
	@$(HOSTCC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(HOST_LIB): $(HOST_LIB_OBJS)
	@rm -f $@
	@ar rcs $@ $^

$(UNIT_HELPERS): tests/unit/helpers.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC $<"
	@$(HOSTCC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(HOST_BUILD)/tests/%: tests/unit/%.c $(UNIT_HELPERS) $(HOST_LIB)
	@mkdir -p $(dir $@)
	@echo "  HOSTLD $@"
	@$(HOSTCC) $(HOST_CFLAGS) -MMD -MP $< -o $@ $(UNIT_HELPERS) $(HOST_LIB) $(HOST_LDLIBS)

$(HOST_BUILD)/fixtures/%.dtb: tests/unit/fixtures/%.dts
	@mkdir -p $(dir $@)
	@dtc -q -I dts -O dtb -o $@ $<

# nvmm on the host: every source of tools/nvmm but those that need
# /dev/kvm or are the program itself (VMM_KVM_SRCS, Makefile), into an
# archive each test_nvmm_* links (the more specific pattern rule below
# wins over the one above for them).
NVMM_HOST_SRCS := $(filter-out $(VMM_KVM_SRCS),$(VMM_SRCS))
NVMM_HOST_OBJS := $(patsubst %.c,$(HOST_BUILD)/%.o,$(NVMM_HOST_SRCS))
NVMM_HOST_LIB := $(HOST_BUILD)/libnvmm-host.a
# Helpers of the nvmm tests (tests/unit/nvmm_helpers.h).
NVMM_UNIT_HELPERS := $(HOST_BUILD)/tests/nvmm_helpers.o

$(NVMM_HOST_OBJS): HOST_CFLAGS += -pthread

$(NVMM_HOST_LIB): $(NVMM_HOST_OBJS)
	@rm -f $@
	@ar rcs $@ $^

$(NVMM_UNIT_HELPERS): tests/unit/nvmm_helpers.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC $<"
	@$(HOSTCC) $(HOST_CFLAGS) -Itools/nvmm -MMD -MP -c $< -o $@

$(HOST_BUILD)/tests/test_nvmm_%: tests/unit/test_nvmm_%.c $(NVMM_UNIT_HELPERS) $(NVMM_HOST_LIB)
	@mkdir -p $(dir $@)
	@echo "  HOSTLD $@"
	@$(HOSTCC) $(HOST_CFLAGS) -pthread -Itools/nvmm -MMD -MP $< -o $@ \
		$(NVMM_UNIT_HELPERS) $(NVMM_HOST_LIB) $(HOST_LDLIBS)

.PHONY: unit-build
unit-build: $(UNIT_BINS) $(FIXTURES)

-include $(HOST_LIB_OBJS:.o=.d) $(UNIT_HELPERS:.o=.d) $(UNIT_BINS:=.d) \
	$(NVMM_HOST_OBJS:.o=.d) $(NVMM_UNIT_HELPERS:.o=.d)
