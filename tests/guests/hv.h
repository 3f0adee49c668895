/*
 * Shared by the test hypervisor (hv.c, at EL2) and its EL1 guest
 * (hv_el1.S): the HVC immediates with which the guest's snippets come back,
 * and the SMC immediate of the trapped SMC.
 */
#ifndef HV_H
#define HV_H

#define HV_HVC_BASIC	0xa5c3	/* el1_basic: the first exit, registers as entered */
#define HV_HVC_ECHO	0x4802	/* el1_basic: x1 = ~x0, x2 = CurrentEL */
#define HV_HVC_IDS	0x4803	/* el1_ids: x0 = MIDR_EL1, x1 = MPIDR_EL1 */
#define HV_HVC_SMC	0x4804	/* el1_smc: after the SMC */
#define HV_HVC_WFI	0x4805	/* el1_wfi: after the WFI */
#define HV_HVC_ID	0x4806	/* el1_id_read: x3 = ID_AA64PFR0_EL1 */
#define HV_HVC_TVM	0x4807	/* el1_tvm: x5 = SCTLR_EL1 read back */
#define HV_HVC_S2	0x4808	/* el1_s2: x3 = the remapped page, x5 = the emulated load */
#define HV_HVC_CNT	0x4809	/* el1_cnt: x1 = CNTVCT_EL0, x2 = CNTV_CTL_EL0 */
#define HV_HVC_DONE	0x48ff	/* a snippet's end (it is not resumed) */
#define HV_HVC_EL1_EXC	0x48e1	/* an exception taken at EL1: x0 ESR_EL1, x1 ELR_EL1, x2 FAR_EL1, x3 vector */

#define HV_SMC_IMM	0x5a	/* el1_smc's SMC immediate */

#endif
