/*
 * Exception Syndrome Register decoding (Arm ARM D19.2, ESR_EL2; the ISS
 * encodings of D19.2.45 onwards).
 */
#ifndef NV_ESR_H
#define NV_ESR_H

#include <nv/bits.h>
#include <nv/types.h>

#define ESR_EC_MASK GENMASK(31, 26)
#define ESR_IL BIT(25)
#define ESR_ISS_MASK GENMASK(24, 0)

/* Exception classes (ESR_ELx.EC). */
#define EC_UNKNOWN 0x00
#define EC_WFX 0x01
#define EC_CP15_32 0x03
#define EC_CP15_64 0x04
#define EC_CP14_MR 0x05
#define EC_CP14_LS 0x06
#define EC_FP_ASIMD 0x07
#define EC_CP10_ID 0x08
#define EC_PAC 0x09
#define EC_LS64 0x0a
#define EC_CP14_64 0x0c
#define EC_BTI 0x0d
#define EC_ILL 0x0e
#define EC_SVC32 0x11
#define EC_HVC32 0x12
#define EC_SMC32 0x13
#define EC_SVC64 0x15
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYS64 0x18
#define EC_SVE 0x19
#define EC_ERET 0x1a
#define EC_FPAC 0x1c
#define EC_SME 0x1d
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_PC_ALIGN 0x22
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define EC_SP_ALIGN 0x26
#define EC_FP32 0x28
#define EC_FP64 0x2c
#define EC_SERROR 0x2f
#define EC_BREAKPT_LOW 0x30
#define EC_BREAKPT_CUR 0x31
#define EC_SOFTSTP_LOW 0x32
#define EC_SOFTSTP_CUR 0x33
#define EC_WATCHPT_LOW 0x34
#define EC_WATCHPT_CUR 0x35
#define EC_BKPT32 0x38
#define EC_BRK64 0x3c

/*
 * ISS of EC 0x18, a trapped MSR, MRS or system instruction (Arm ARM D19.2,
 * "ISS encoding for an exception from MSR, MRS, or System instruction").
 */
#define ESR_SYS_OP0 GENMASK(21, 20)
#define ESR_SYS_OP2 GENMASK(19, 17)
#define ESR_SYS_OP1 GENMASK(16, 14)
#define ESR_SYS_CRN GENMASK(13, 10)
#define ESR_SYS_RT GENMASK(9, 5)
#define ESR_SYS_CRM GENMASK(4, 1)
#define ESR_SYS_READ BIT(0)

/* A system register's op0, op1, CRn, CRm, op2 packed into 16 bits: the
 * one key every register table of nestvisor is searched by. */
#define SYSREG_ENC(op0, op1, crn, crm, op2)                                   \
	((u32)((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2)))

static inline u32 esr_sysreg_enc(u64 esr)
{
	return SYSREG_ENC((u32)field_get(ESR_SYS_OP0, esr),
			  (u32)field_get(ESR_SYS_OP1, esr),
			  (u32)field_get(ESR_SYS_CRN, esr),
			  (u32)field_get(ESR_SYS_CRM, esr),
			  (u32)field_get(ESR_SYS_OP2, esr));
}

/* Data abort ISS (ISS encoding for an exception from a Data Abort). */
#define DABT_ISV BIT(24)
#define DABT_SAS GENMASK(23, 22)
#define DABT_SSE BIT(21)
#define DABT_SRT GENMASK(20, 16)
#define DABT_SF BIT(15)
#define DABT_AR BIT(14)
#define DABT_VNCR BIT(13)
#define DABT_FNV BIT(10)
#define DABT_EA BIT(9)
#define DABT_CM BIT(8)
#define DABT_S1PTW BIT(7)
#define DABT_WNR BIT(6)
#define DABT_DFSC GENMASK(5, 0)

/* Fault status codes (ISS.DFSC/IFSC [5:0]) nestvisor tells apart. */
#define FSC_SEA 0x10 /* synchronous external abort, not on a table walk */

static inline unsigned esr_ec(u64 esr)
{
	return (unsigned)field_get(ESR_EC_MASK, esr);
}

static inline u32 esr_iss(u64 esr)
{
	return (u32)field_get(ESR_ISS_MASK, esr);
}

/* Human-readable exception class, "unknown EC" for reserved values. */
const char *esr_ec_name(unsigned ec);
/* Fault status code name for a data or instruction abort (DFSC/IFSC). */
const char *esr_fsc_name(unsigned fsc);

/*
 * Whether HPFAR_EL2 holds the faulting IPA for this abort taken from a
 * lower EL (Arm ARM D19.2, HPFAR_EL2; the rule KVM follows): yes for a
 * stage-2 translation, access flag or address size fault, and for a
 * permission fault on a stage-1 table walk (S1PTW); no for anything else
 * (external aborts, alignment, TLB conflict, a permission fault not on a
 * walk), nor for an exception that is not an abort.
 */
bool esr_hpfar_valid(u64 esr);
/* A permission fault (ISS.DFSC/IFSC 0b0011LL), at any level. */
bool esr_is_permission_fault(u64 esr);

/*
 * A decoded data abort with a valid syndrome (ISV == 1): one struct for
 * every emulated access.
 */
struct dabt_access {
	bool write;
	unsigned size;    /* bytes: 1, 2, 4 or 8 */
	unsigned reg;     /* SRT: 0..30, 31 means XZR */
	bool sign_extend; /* SSE */
	bool sixty_four;  /* SF: the register is 64-bit */
	bool acq_rel;     /* AR */
};

/* Returns false when the syndrome has no instruction details (ISV == 0). */
bool esr_decode_dabt(u64 esr, struct dabt_access *a);

#endif
