/*
 * What nvmm does with a vCPU's exit from KVM_RUN (struct kvm_run,
 * Documentation/virt/kvm/api.rst): an MMIO access reaches the PL011 or
 * nothing, a system event (the guest's PSCI SYSTEM_OFF or SYSTEM_RESET,
 * a crash) ends the run with its exit status, an entry failure, an
 * internal error or an exit nvmm does not know end it as an error.
 */
#include <string.h>

#include <linux/kvm.h>

#include "nvmm.h"

static uint64_t load_le(const uint8_t *p, uint32_t len)
{
	uint64_t v = 0;
	for (uint32_t i = len; i-- > 0;)
		v = (v << 8) | p[i];
	return v;
}

static void store_le(uint8_t *p, uint32_t len, uint64_t v)
{
	for (uint32_t i = 0; i < len; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static void handle_mmio(struct pl011 *uart, struct kvm_run *r)
{
	uint64_t a = r->mmio.phys_addr;
	uint32_t len = r->mmio.len > 8 ? 8 : r->mmio.len;

	if (a >= GUEST_UART_BASE && a < GUEST_UART_BASE + GUEST_UART_SIZE) {
		uint64_t off = a - GUEST_UART_BASE;
		if (r->mmio.is_write)
			pl011_write(uart, off, (uint32_t)load_le(r->mmio.data, len));
		else
			store_le(r->mmio.data, len, pl011_read(uart, off));
		return;
	}
	/* Nothing else is there: reads as zero, writes ignored. */
	if (!r->mmio.is_write)
		memset(r->mmio.data, 0, sizeof(r->mmio.data));
}

static int handle_system_event(unsigned int index, const struct kvm_run *r)
{
	switch (r->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		nvmm_msg("the guest powered off (vCPU %u: PSCI SYSTEM_OFF)", index);
		return NVMM_EXIT_OK;
	case KVM_SYSTEM_EVENT_RESET:
		nvmm_msg("the guest reset (vCPU %u: PSCI SYSTEM_RESET); stopping", index);
		return NVMM_EXIT_OK;
	case KVM_SYSTEM_EVENT_CRASH:
		nvmm_msg("the guest crashed (vCPU %u: system event CRASH)", index);
		return NVMM_EXIT_CRASH;
	default:
		nvmm_msg("vCPU %u: unexpected system event type %u", index, r->system_event.type);
		return NVMM_EXIT_ERROR;
	}
}

int vcpu_exit(struct pl011 *uart, unsigned int index, struct kvm_run *r)
{
	switch (r->exit_reason) {
	case KVM_EXIT_MMIO:
		handle_mmio(uart, r);
		return VCPU_RUN_AGAIN;
	case KVM_EXIT_INTR:
		return VCPU_RUN_AGAIN;
	case KVM_EXIT_SYSTEM_EVENT:
		return handle_system_event(index, r);
	case KVM_EXIT_FAIL_ENTRY:
		nvmm_err("vCPU %u: entry failed (hardware reason 0x%llx)", index,
			 (unsigned long long)r->fail_entry.hardware_entry_failure_reason);
		return NVMM_EXIT_ERROR;
	case KVM_EXIT_INTERNAL_ERROR:
		nvmm_err("vCPU %u: KVM internal error (suberror %u)", index, r->internal.suberror);
		return NVMM_EXIT_ERROR;
	default:
		nvmm_err("vCPU %u: unhandled exit reason %u", index, r->exit_reason);
		return NVMM_EXIT_ERROR;
	}
}
