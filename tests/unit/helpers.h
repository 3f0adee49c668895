/*
 * Helpers shared by the host unit tests (tests/unit/test_*.c), built once
 * into helpers.o and linked into every test binary. Their assertions are
 * cmocka's: a failing one ends the current test.
 *
 * Only types and forward declarations here: some tests define names of
 * their own that <nv/mmio.h> or <nv/vm.h> would clash with.
 */
#ifndef NV_TESTS_UNIT_HELPERS_H
#define NV_TESTS_UNIT_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <nv/types.h>

struct vcpu;
struct vm;

/* --- Fixtures --- */

/* Reads FIXTURE_DIR/name into malloc'd memory (free it); its size to *len if len. */
void *fixture_load(const char *name, size_t *len);

/* --- Strings --- */

/* Fails the test unless needle occurs in haystack. */
void assert_contains(const char *haystack, const char *needle);
/* Fails the test if needle occurs in haystack. */
void assert_not_contains(const char *haystack, const char *needle);
/* How many times needle occurs in haystack, without overlaps. */
unsigned count_occurrences(const char *haystack, const char *needle);

/* --- Console capture (one 16 KiB buffer, truncated when full) --- */

/* Empties the capture and registers it as the console backend. */
void capture_start(void);
/* Unregisters the console backend (console_register(NULL)). */
void capture_stop(void);
/* Empties the captured text and zeroes the count of write calls. */
void capture_reset(void);
/* The text written to the console since the last reset, NUL-terminated. */
const char *capture_text(void);
/* How many console write calls since the last reset. */
unsigned capture_writes(void);
/* How many times needle occurs in the captured text. */
unsigned capture_count(const char *needle);

/* --- A VM and its vCPUs --- */

/* Zeroes vm and vcpus[0..n), then links them: vCPU i has id i and MPIDR i. */
void ut_vm_init(struct vm *vm, struct vcpu *vcpus, unsigned n);
/* Powers on vcpus[0..n) at pc with pstate. */
void ut_vcpus_power_on(struct vcpu *vcpus, unsigned n, u64 pc, u64 pstate);
/* Sets 4 list registers and creates the VM's vGIC, which must succeed. */
void ut_vgic_init(struct vm *vm, u64 dist, u64 redist, unsigned nr_spis);

/* --- Page tables from the host heap, counted --- */

#define UT_ALLOC_SLOTS 256

/*
 * An allocator of zeroed 4 KiB tables for struct pgtable_mm (ut_alloc_table)
 * and struct shadow_env (ut_free_table), ctx pointing at it. tables[] holds
 * the live ones, each in the first slot free when it was allocated (NULL
 * once freed): tables[0] is the first table while it lives.
 */
struct ut_alloc {
	void *tables[UT_ALLOC_SLOTS];
	unsigned count;	/* tables allocated */
	unsigned freed;	/* tables given back through ut_free_table() */
	int fail_after;	/* -1: never fail; else allow this many more */
};

/* A zeroed 4 KiB table, or NULL once fail_after allocations have been made. */
void *ut_alloc_table(void *ctx);
/* Frees table, which must be a live one of ctx. */
void ut_free_table(void *ctx, void *table);
/* Whether addr is one of a's live tables. */
bool ut_alloc_owns(const struct ut_alloc *a, u64 addr);
/* Frees every live table of a (at a test's end). */
void ut_alloc_release(struct ut_alloc *a);

/* --- MMIO through the VM's bus, as the data-abort handler does it --- */

/* One access at IPA addr from vcpu (the region must exist); the device's verdict. */
bool ut_mmio(struct vm *vm, struct vcpu *vcpu, u64 addr, unsigned size,
	     bool write, u64 *data);
/* A read the device must accept; the value read. */
u64 ut_mmio_read(struct vm *vm, struct vcpu *vcpu, u64 addr, unsigned size);
/* A write the device must accept. */
void ut_mmio_write(struct vm *vm, struct vcpu *vcpu, u64 addr, unsigned size,
		   u64 val);

#endif
