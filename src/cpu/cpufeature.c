/* Decoding of the ID registers into the features nestvisor relies on. */
#include <nv/arm_regs.h>
#include <nv/bits.h>
#include <nv/cpufeature.h>
#include <nv/fmt.h>

unsigned parange_to_bits(unsigned parange)
{
	static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52, 56 };

	return parange < ARRAY_SIZE(bits) ? bits[parange] : 0;
}

unsigned parange_from_bits(unsigned bits)
{
	unsigned p = 0;

	/* Up to 52 bits (0b0110); 56 bits (0b0111) needs FEAT_D128. */
	for (unsigned i = 1; i <= 6; i++)
		if (parange_to_bits(i) <= bits)
			p = i;
	return p;
}

void cpu_features_decode(const struct id_regs *r, struct cpu_features *f)
{
	unsigned nv = id_field(r->mmfr2, ID_MMFR2_NV_SHIFT);
	unsigned fgt = id_field(r->mmfr0, ID_MMFR0_FGT_SHIFT);
	unsigned pa = id_field(r->mmfr0, ID_MMFR0_PARANGE_SHIFT);

	f->el2 = id_field(r->pfr0, ID_PFR0_EL2_SHIFT) != 0;
	f->vhe = id_field(r->mmfr1, ID_MMFR1_VH_SHIFT) >= 1;
	f->nv = nv >= 1;
	f->nv2 = nv >= 2;
	/*
	 * ID_AA64MMFR4_EL1.E2H0 [27:24] is signed (Arm ARM D19.2): 0b0000
	 * FEAT_E2H0 (HCR_EL2.E2H may be 0); 0b1111 (-1) no FEAT_E2H0, E2H is
	 * RES1; 0b1110 (-2) no FEAT_E2H0 and no FEAT_NV1 (HCR_EL2.NV1 RES0).
	 */
	f->e2h0 = id_field_signed(r->mmfr4, ID_MMFR4_E2H0_SHIFT);
	f->e2h_res1 = f->e2h0 < 0 || (r->hcr_el2 & HCR_E2H) != 0;
	f->nv1 = f->nv && f->e2h0 != -2;
	f->ecv = id_field(r->mmfr0, ID_MMFR0_ECV_SHIFT);
	f->fgt = fgt >= 1 && fgt != 0xf;
	f->fgt2 = f->fgt && fgt >= 2;
	f->gicv3_sysregs = id_field(r->pfr0, ID_PFR0_GIC_SHIFT) >= 1;
	f->sve = id_field(r->pfr0, ID_PFR0_SVE_SHIFT) >= 1;
	/* Reserved PARange values: treat as the smallest (32 bits). */
	f->parange = parange_to_bits(pa) ? pa : 0;
	f->pa_bits = parange_to_bits(f->parange);
	f->vmid_bits =
		id_field(r->mmfr1, ID_MMFR1_VMIDBITS_SHIFT) == 2 ? 16 : 8;
}

bool cpu_features_supported(const struct cpu_features *f, char *err,
			    size_t errlen)
{
	if (f->e2h_res1) {
		nv_snprintf(err, errlen,
			    "CPU: HCR_EL2.E2H is RES1 (ID_AA64MMFR4_EL1.E2H0 = %d%s): nestvisor runs its EL2 with E2H = 0 only and does not start",
			    f->e2h0, f->e2h0 ? "" : ", but HCR_EL2.E2H reads 1 after a write of 0");
		return false;
	}
	return true;
}

bool nested_mode_resolve(enum nested_mode req, const struct cpu_features *f,
			 enum nested_mode *out, char *err, size_t errlen)
{
	switch (req) {
	case NESTED_AUTO:
		*out = f->nv2 ? NESTED_NV2 : f->nv ? NESTED_NV : NESTED_OFF;
		return true;
	case NESTED_NV2:
		if (!f->nv2) {
			nv_snprintf(err, errlen,
				    "nested=nv2 requested but the CPU lacks FEAT_NV2 (ID_AA64MMFR2_EL1.NV < 2)");
			return false;
		}
		break;
	case NESTED_NV:
		if (!f->nv) {
			nv_snprintf(err, errlen,
				    "nested=nv requested but the CPU lacks FEAT_NV (ID_AA64MMFR2_EL1.NV == 0)");
			return false;
		}
		break;
	case NESTED_OFF:
		break;
	}
	*out = req;
	return true;
}
