# libFuzzer harnesses (tests/fuzz/fuzz_*.c): the generic sources of the
# image (GENERIC_SRCS, Makefile) with the fake arch, built for the host
# with clang, coverage-instrumented, under ASan and UBSan.
#   make fuzz-build                 build them all
#   make fuzz [FUZZ=name] [FUZZ_TIME=seconds] [FUZZ_RUNS=n]
#                                   run each harness (or the one named) that
#                                   long or that many executions (0: unbounded)

FUZZ_BUILD := build/fuzz
FUZZ_CC := clang
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=gnu11 -O1 -g -Iinclude $(WARNINGS) -Wno-missing-prototypes \
	$(FUZZ_SAN) -fsanitize=fuzzer-no-link -fno-omit-frame-pointer
FUZZ_LIB_OBJS := $(patsubst %.c,$(FUZZ_BUILD)/%.o,$(GENERIC_SRCS) src/arch/fake/fake_arch.c)
FUZZ_LIB := $(FUZZ_BUILD)/libnv-fuzz.a
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS := $(addprefix $(FUZZ_BUILD)/fuzz_,$(FUZZ_NAMES))
FUZZ_TIME ?= 60
FUZZ_RUNS ?= 0
FUZZ ?=

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJS)
	@rm -f $@
	@ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIB)
	@echo "  FUZZLD $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -MMD -MP $< -o $@ \
		$(FUZZ_LIB) $(HOST_LIBFDT)

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BINS)

# The values reach run.sh through the environment, unexpanded, as for
# `make run`: never through a shell command line.
fuzz: export NV_FUZZ = $(value FUZZ)
fuzz: export NV_FUZZ_TIME = $(value FUZZ_TIME)
fuzz: export NV_FUZZ_RUNS = $(value FUZZ_RUNS)
fuzz: setup
	@$(MAKE) --no-print-directory -s fuzz-build
	@tests/fuzz/run.sh --time "$$NV_FUZZ_TIME" --runs "$$NV_FUZZ_RUNS" $${NV_FUZZ:+"$$NV_FUZZ"}

-include $(FUZZ_LIB_OBJS:.o=.d) $(FUZZ_BINS:=.d)
