/*
 * The fixture of the virtual-EL2 tests (test_vel2.c, test_vel2_sysreg.c,
 * test_nested_exit.c): a VM with one vCPU that has a virtual EL2, on the
 * fake arch, with a pool of shadow stage 2s. Built by helpers.c.
 */
#ifndef NV_TESTS_UNIT_VEL2_FIXTURE_H
#define NV_TESTS_UNIT_VEL2_FIXTURE_H

#include <nv/el2_ctl.h>
#include <nv/percpu.h>
#include <nv/shadow_s2.h>
#include <nv/vcpu.h>
#include <nv/vcpu_nested.h>
#include <nv/vm.h>
#include "helpers.h"

/*
 * PSTATE/SPSR fields as the tests write them, at their Arm ARM places
 * (C5.2.18, SPSR_EL2): M[3:0] of EL0t, EL1t/h, EL2t/h; D, A, I, F; IL;
 * N, Z, C, V.
 */
#define M_EL0T 0x0u
#define M_EL1T 0x4u
#define M_EL1H 0x5u
#define M_EL2T 0x8u
#define M_EL2H 0x9u
#define DAIF UINT64_C(0x3c0)
#define IL (UINT64_C(1) << 20)
#define NZCV(n) ((u64)(n) << 28)

/* The VM's vGIC: distributor, redistributors, SPIs. */
#define UT_VEL2_DIST 0x08000000u
#define UT_VEL2_REDIST 0x080a0000u
#define UT_VEL2_SPIS 32u
/* The VM's own stage 2 (VMID 0x7f7, 44-bit IPA). */
#define UT_VEL2_VTTBR (UINT64_C(0x7f7) << 48 | UINT64_C(0x44000000))
#define UT_VEL2_VTCR UINT64_C(0x80023514)

struct ut_vel2 {
	struct el2_policy policy; /* the test's: arch_el2_policy() gives it */
	struct vm vm;
	struct vcpu vcpu[1];
	struct vcpu_nested nested[1];
	u64 vncr[1][VEL2_VNCR_PAGE / 8]; /* their VNCR pages */
	struct shadow_pool pool;
	struct ut_alloc alloc; /* the shadows' tables */
	struct pgtable_mm mm;
	struct percpu cpu;
};

/*
 * cmocka setup with *state a struct ut_vel2 (cmocka_unit_test_prestate_
 * setup_teardown): the fake arch zeroed, its EL1 registers shared with
 * the exception registers (fake_arch.el1_shared), its EL2 policy the
 * fixture's; the fixture's VM (virtual-el2, a vGIC with 4 LRs, stage 2
 * UT_VEL2_VTTBR/VTCR, a shadow pool with tables from the host's heap,
 * 16-bit VMIDs of its own and TLB maintenance through the fake arch) and
 * its vCPU powered on, reset (vEL2h, L1's registers at their reset
 * values) and loaded on the fixture's CPU (id 0): its EL1 image in
 * fake_arch.el1, then vel2_load. The console is captured.
 */
int ut_vel2_setup(void **state);
/* Gives back the shadow the vCPU holds and the pool; the fake arch zeroed. */
int ut_vel2_teardown(void **state);
/* A case of the fixture f. */
#define UT_VEL2_TEST(fn, f) \
	cmocka_unit_test_prestate_setup_teardown(fn, ut_vel2_setup, ut_vel2_teardown, f)

#endif
