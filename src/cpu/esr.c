/* ESR_EL2 decoding: class names, fault status names, data abort ISS. */
#include <nv/esr.h>

static const char *const ec_names[64] = {
	[EC_UNKNOWN] = "unknown reason",
	[EC_WFX] = "WFI/WFE",
	[EC_CP15_32] = "AArch32 MCR/MRC cp15",
	[EC_CP15_64] = "AArch32 MCRR/MRRC cp15",
	[EC_CP14_MR] = "AArch32 MCR/MRC cp14",
	[EC_CP14_LS] = "AArch32 LDC/STC cp14",
	[EC_FP_ASIMD] = "FP/SIMD access",
	[EC_CP10_ID] = "AArch32 VMRS cp10",
	[EC_PAC] = "pointer authentication",
	[EC_LS64] = "LD64B/ST64B",
	[EC_CP14_64] = "AArch32 MRRC cp14",
	[EC_BTI] = "branch target",
	[EC_ILL] = "illegal execution state",
	[EC_SVC32] = "AArch32 SVC",
	[EC_HVC32] = "AArch32 HVC",
	[EC_SMC32] = "AArch32 SMC",
	[EC_SVC64] = "SVC",
	[EC_HVC64] = "HVC",
	[EC_SMC64] = "SMC",
	[EC_SYS64] = "MSR/MRS/system instruction",
	[EC_SVE] = "SVE access",
	[EC_ERET] = "ERET",
	[EC_FPAC] = "pointer authentication failure",
	[EC_SME] = "SME access",
	[EC_IABT_LOW] = "instruction abort, lower EL",
	[EC_IABT_CUR] = "instruction abort, same EL",
	[EC_PC_ALIGN] = "PC alignment",
	[EC_DABT_LOW] = "data abort, lower EL",
	[EC_DABT_CUR] = "data abort, same EL",
	[EC_SP_ALIGN] = "SP alignment",
	[EC_FP32] = "AArch32 FP exception",
	[EC_FP64] = "FP exception",
	[EC_SERROR] = "SError",
	[EC_BREAKPT_LOW] = "breakpoint, lower EL",
	[EC_BREAKPT_CUR] = "breakpoint, same EL",
	[EC_SOFTSTP_LOW] = "software step, lower EL",
	[EC_SOFTSTP_CUR] = "software step, same EL",
	[EC_WATCHPT_LOW] = "watchpoint, lower EL",
	[EC_WATCHPT_CUR] = "watchpoint, same EL",
	[EC_BKPT32] = "AArch32 BKPT",
	[EC_BRK64] = "BRK",
};

const char *esr_ec_name(unsigned ec)
{
	const char *n = ec < ARRAY_SIZE(ec_names) ? ec_names[ec] : NULL;

	return n ? n : "unknown EC";
}

/* DFSC/IFSC encodings, Arm ARM D19.2 (ISS for data aborts). */
const char *esr_fsc_name(unsigned fsc)
{
	static const char *const level_kinds[4] = {
		"address size fault", "translation fault",
		"access flag fault", "permission fault",
	};

	if (fsc < 0x10)
		return level_kinds[fsc >> 2];
	switch (fsc) {
	case 0x10:
		return "synchronous external abort";
	case 0x11:
		return "synchronous tag check fault";
	case 0x21:
		return "alignment fault";
	case 0x30:
		return "TLB conflict abort";
	case 0x31:
		return "unsupported atomic hardware update";
	default:
		if (fsc >= 0x14 && fsc <= 0x17)
			return "external abort on table walk";
		return "other fault";
	}
}

/* ISS.DFSC/IFSC kinds with a level (Arm ARM D19.2): 0b00xxLL, and the
 * level -1 encodings of FEAT_LPA2 (0x29 address size, 0x2b translation). */
enum fsc_kind { FSC_ADDR_SIZE, FSC_TRANSLATION, FSC_ACCESS, FSC_PERMISSION, FSC_OTHER };

static enum fsc_kind fsc_kind(unsigned fsc)
{
	if (fsc < 0x10)
		return (enum fsc_kind)(fsc >> 2);
	if (fsc == 0x29)
		return FSC_ADDR_SIZE;
	if (fsc == 0x2b)
		return FSC_TRANSLATION;
	return FSC_OTHER;
}

bool esr_hpfar_valid(u64 esr)
{
	unsigned ec = esr_ec(esr);

	if (ec != EC_DABT_LOW && ec != EC_IABT_LOW)
		return false;
	switch (fsc_kind(esr_iss(esr) & DABT_DFSC)) {
	case FSC_ADDR_SIZE:
	case FSC_TRANSLATION:
	case FSC_ACCESS:
		return true;
	case FSC_PERMISSION:
		return (esr & DABT_S1PTW) != 0;
	default:
		return false;
	}
}

bool esr_is_permission_fault(u64 esr)
{
	return fsc_kind(esr_iss(esr) & DABT_DFSC) == FSC_PERMISSION;
}

bool esr_decode_dabt(u64 esr, struct dabt_access *a)
{
	if (!(esr & DABT_ISV))
		return false;
	a->write = (esr & DABT_WNR) != 0;
	a->size = 1u << field_get(DABT_SAS, esr);
	a->reg = (unsigned)field_get(DABT_SRT, esr);
	a->sign_extend = (esr & DABT_SSE) != 0;
	a->sixty_four = (esr & DABT_SF) != 0;
	a->acq_rel = (esr & DABT_AR) != 0;
	return true;
}
