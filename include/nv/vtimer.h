/*
 * Guest timers (Arm ARM D12, "The Generic Timer"). The EL1 virtual timer
 * runs on the hardware with CNTVOFF_EL2 per VM; its interrupt is taken by
 * nestvisor and forwarded with the list register's HW bit, so the guest's
 * EOI deactivates the physical interrupt. The EL1 physical timer is
 * emulated: CNTHCTL_EL2.EL1PCEN = 0 traps CNTP_*_EL0, and its state lives
 * in the vCPU; nestvisor's EL2 timer makes sure an exit happens at its
 * deadline.
 *
 * The nested half (EL2 physical and virtual timers of a guest hypervisor)
 * sits beside this one in vtimer_nested.c (nv/vtimer_nested.h).
 */
#ifndef NV_VTIMER_H
#define NV_VTIMER_H

#include <nv/emu_timer.h>
#include <nv/types.h>

struct vcpu;
struct vm_host;

/* The host's timer PPIs (set once from the platform). */
void vtimer_init(u32 virt_intid, u32 phys_intid);
void vtimer_init_vcpu(struct vcpu *vcpu);
/* Enables the virtual timer PPI on the calling CPU. */
void vtimer_enable_cpu(void);

/* CNTP_CTL_EL0 / CNTP_CVAL_EL0 / CNTP_TVAL_EL0 accesses of the guest. */
u64 vtimer_ptimer_read(struct vcpu *vcpu, unsigned reg);
void vtimer_ptimer_write(struct vcpu *vcpu, unsigned reg, u64 val);
enum { PTIMER_CTL = TIMER_CTL, PTIMER_CVAL = TIMER_CVAL, PTIMER_TVAL = TIMER_TVAL };

/* Gives a timer's PPI of vcpu the level of its output, if that changed. */
void vtimer_set_line(struct vcpu *vcpu, u32 intid, bool level);
/* Updates the physical timer's interrupt line. */
void vtimer_sync_ptimer(struct vcpu *vcpu, u64 now);
/*
 * Resamples both timers' interrupt lines of a loaded vCPU (the virtual
 * timer's from CNTV_CTL_EL0), before each entry and after each exit.
 */
void vtimer_sync(struct vcpu *vcpu, u64 now);
/*
 * After vgic_flush() before an entry: releases the virtual timer's
 * physical PPI if its vIRQ left the list registers with its level low.
 */
void vtimer_flushed(struct vcpu *vcpu);
/* The earliest counter value at which a timer of this vCPU fires, or ~0. */
u64 vtimer_next_deadline(const struct vcpu *vcpu, bool loaded);
/* True if a timer of this (not loaded) vCPU has fired: WFI wake-up. */
bool vtimer_expired(const struct vcpu *vcpu, u64 now);

/* Physical active state of the vtimer PPI, saved across vCPU switches. */
void vtimer_put(struct vcpu *vcpu);
void vtimer_load(struct vcpu *vcpu);


#endif
