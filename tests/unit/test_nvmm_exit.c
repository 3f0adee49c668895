/*
 * Host tests of what nvmm does with a vCPU's exit from KVM_RUN
 * (tools/nvmm/vcpu_exit.c), on a struct kvm_run filled as KVM fills it:
 * MMIO to the PL011 in its 4 KiB (little-endian data of 1 to 8 bytes) and
 * to nothing elsewhere, the guest's power-off, reset and crash to nvmm's
 * exit statuses 0, 0 and 3 with their lines, and the exits that end the
 * run as an error (status 1).
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <linux/kvm.h>
#include "nvmm.h"
#include "nvmm_helpers.h"

#define UART GUEST_UART_BASE

static struct pl011 uart;
static struct kvm_run run;
static int out[2]; /* the UART writes out[1]; the test reads out[0] */
static int irq_level = -1;

static void set_irq(void *ctx, int level)
{
	(void)ctx;
	irq_level = level;
}

static int setup(void **state)
{
	(void)state;
	assert_int_equal(pipe2(out, O_NONBLOCK | O_CLOEXEC), 0);
	irq_level = -1;
	pl011_init(&uart, out[1], set_irq, NULL);
	memset(&run, 0, sizeof(run));
	nvmm_capture_start();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	nvmm_capture_stop();
	pthread_mutex_destroy(&uart.lock);
	close(out[0]);
	close(out[1]);
	return 0;
}

/* What the UART has written since the last call, NUL-terminated. */
static const char *output(void)
{
	static char buf[64];
	ssize_t n = read(out[0], buf, sizeof(buf) - 1);

	if (n < 0) {
		assert_int_equal(errno, EAGAIN);
		n = 0;
	}
	buf[n] = '\0';
	return buf;
}

/* An MMIO exit of len bytes at addr; data written, or the read's fill. */
static int mmio(uint64_t addr, uint32_t len, int write, const uint8_t *data)
{
	run.exit_reason = KVM_EXIT_MMIO;
	run.mmio.phys_addr = addr;
	run.mmio.len = len;
	run.mmio.is_write = (uint8_t)write;
	memcpy(run.mmio.data, data, sizeof(run.mmio.data));
	return vcpu_exit(&uart, 0, &run);
}

static const uint8_t ff[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void test_mmio_write_uart(void **state)
{
	static const uint8_t h[8] = { 'h' }, i4[8] = { 'i', 0, 0, 0 }, nl8[8] = { '\n' };
	static const uint8_t imsc[8] = { 0x20, 0x00, 0x00, 0x00 };

	(void)state;
	assert_int_equal(mmio(UART + 0x000, 1, 1, h), VCPU_RUN_AGAIN);
	assert_int_equal(mmio(UART + 0x000, 4, 1, i4), VCPU_RUN_AGAIN);
	assert_int_equal(mmio(UART + 0x000, 8, 1, nl8), VCPU_RUN_AGAIN);
	assert_string_equal(output(), "hi\n");
	/* A 32-bit UARTIMSC write, little-endian: the TX interrupt raised. */
	assert_int_equal(mmio(UART + 0x038, 4, 1, imsc), VCPU_RUN_AGAIN);
	assert_int_equal(irq_level, 1);
	assert_int_equal(pl011_read(&uart, 0x038), 0x20);
	/* Two bytes of UARTIBRD. */
	static const uint8_t ibrd[8] = { 0x34, 0x12, 0xff, 0xff };
	assert_int_equal(mmio(UART + 0x024, 2, 1, ibrd), VCPU_RUN_AGAIN);
	assert_int_equal(pl011_read(&uart, 0x024), 0x1234);
	assert_string_equal(nvmm_captured(), "");
}

static void test_mmio_read_uart(void **state)
{
	static const uint8_t fr[8] = { 0x90, 0, 0, 0, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t cell3[8] = { 0xb1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t cr8[8] = { 0x00, 0x03, 0, 0, 0, 0, 0, 0 };

	(void)state;
	/* UARTFR, 32 bits: only the access's bytes are written. */
	assert_int_equal(mmio(UART + 0x018, 4, 0, ff), VCPU_RUN_AGAIN);
	assert_memory_equal(run.mmio.data, fr, 8);
	/* The last register of the UART's 4 KiB, one byte. */
	assert_int_equal(mmio(UART + 0xffc, 1, 0, ff), VCPU_RUN_AGAIN);
	assert_memory_equal(run.mmio.data, cell3, 8);
	/* 64 bits of UARTCR, and a length beyond the 8 data bytes taken as 8. */
	assert_int_equal(mmio(UART + 0x030, 8, 0, ff), VCPU_RUN_AGAIN);
	assert_memory_equal(run.mmio.data, cr8, 8);
	assert_int_equal(mmio(UART + 0x030, 200, 0, ff), VCPU_RUN_AGAIN);
	assert_memory_equal(run.mmio.data, cr8, 8);
	assert_string_equal(nvmm_captured(), "");
}

/* Outside the UART nothing is there: reads zero, writes go nowhere. */
static void test_mmio_elsewhere(void **state)
{
	static const uint8_t zero[8];
	static const uint64_t addrs[] = {
		UART - 4, UART + GUEST_UART_SIZE, GUEST_GICD_BASE, GUEST_RAM_BASE - 8, 0,
		UINT64_MAX - 7,
	};
	static const uint8_t x[8] = { 'x', 'x', 'x', 'x' };

	(void)state;
	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		assert_int_equal(mmio(addrs[i], 4, 0, ff), VCPU_RUN_AGAIN);
		assert_memory_equal(run.mmio.data, zero, 8);
		assert_int_equal(mmio(addrs[i], 4, 1, x), VCPU_RUN_AGAIN);
	}
	assert_string_equal(output(), "");
	assert_int_equal(irq_level, -1);
	assert_string_equal(nvmm_captured(), "");
}

static void test_interrupted(void **state)
{
	(void)state;
	run.exit_reason = KVM_EXIT_INTR;
	assert_int_equal(vcpu_exit(&uart, 0, &run), VCPU_RUN_AGAIN);
	assert_string_equal(nvmm_captured(), "");
}

static int system_event(unsigned int vcpu, uint32_t type)
{
	nvmm_capture_start();
	memset(&run, 0, sizeof(run));
	run.exit_reason = KVM_EXIT_SYSTEM_EVENT;
	run.system_event.type = type;
	return vcpu_exit(&uart, vcpu, &run);
}

/* The guest's end, on any vCPU, to nvmm's exit status and its line. */
static void test_power_off_and_reset(void **state)
{
	(void)state;
	assert_int_equal(system_event(0, KVM_SYSTEM_EVENT_SHUTDOWN), NVMM_EXIT_OK);
	assert_int_equal(NVMM_EXIT_OK, 0);
	assert_string_equal(nvmm_captured(), "nvmm: the guest powered off (vCPU 0: PSCI SYSTEM_OFF)\n");
	assert_int_equal(system_event(5, KVM_SYSTEM_EVENT_SHUTDOWN), 0);
	assert_string_equal(nvmm_captured(), "nvmm: the guest powered off (vCPU 5: PSCI SYSTEM_OFF)\n");
	/* A reset ends the run too: nvmm does not reboot the guest. */
	assert_int_equal(system_event(1, KVM_SYSTEM_EVENT_RESET), 0);
	assert_string_equal(nvmm_captured(),
			    "nvmm: the guest reset (vCPU 1: PSCI SYSTEM_RESET); stopping\n");
}

static void test_crash(void **state)
{
	(void)state;
	assert_int_equal(system_event(2, KVM_SYSTEM_EVENT_CRASH), NVMM_EXIT_CRASH);
	assert_int_equal(NVMM_EXIT_CRASH, 3);
	assert_string_equal(nvmm_captured(), "nvmm: the guest crashed (vCPU 2: system event CRASH)\n");
}

static void test_other_system_events(void **state)
{
	(void)state;
	assert_int_equal(system_event(0, KVM_SYSTEM_EVENT_WAKEUP), NVMM_EXIT_ERROR);
	assert_int_equal(NVMM_EXIT_ERROR, 1);
	assert_string_equal(nvmm_captured(), "nvmm: vCPU 0: unexpected system event type 4\n");
	assert_int_equal(system_event(3, KVM_SYSTEM_EVENT_SUSPEND), 1);
	assert_string_equal(nvmm_captured(), "nvmm: vCPU 3: unexpected system event type 5\n");
	assert_int_equal(system_event(0, 0), 1);
	assert_string_equal(nvmm_captured(), "nvmm: vCPU 0: unexpected system event type 0\n");
}

static void test_errors(void **state)
{
	(void)state;
	run.exit_reason = KVM_EXIT_FAIL_ENTRY;
	run.fail_entry.hardware_entry_failure_reason = 0x1234;
	assert_int_equal(vcpu_exit(&uart, 3, &run), NVMM_EXIT_ERROR);
	assert_string_equal(nvmm_captured(), "nvmm: error: vCPU 3: entry failed (hardware reason 0x1234)\n");

	nvmm_capture_start();
	memset(&run, 0, sizeof(run));
	run.exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run.internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
	assert_int_equal(vcpu_exit(&uart, 0, &run), NVMM_EXIT_ERROR);
	assert_string_equal(nvmm_captured(), "nvmm: error: vCPU 0: KVM internal error (suberror 1)\n");

	/* Exits nvmm does not expect of arm64 KVM. */
	static const uint32_t others[] = { KVM_EXIT_UNKNOWN, KVM_EXIT_HYPERCALL, KVM_EXIT_DEBUG,
					   KVM_EXIT_ARM_NISV, 1000 };
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		char want[80];
		nvmm_capture_start();
		memset(&run, 0, sizeof(run));
		run.exit_reason = others[i];
		assert_int_equal(vcpu_exit(&uart, 1, &run), NVMM_EXIT_ERROR);
		snprintf(want, sizeof(want), "nvmm: error: vCPU 1: unhandled exit reason %u\n", others[i]);
		assert_string_equal(nvmm_captured(), want);
	}
	assert_string_equal(output(), "");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_mmio_write_uart),
		T(test_mmio_read_uart),
		T(test_mmio_elsewhere),
		T(test_interrupted),
		T(test_power_off_and_reset),
		T(test_crash),
		T(test_other_system_events),
		T(test_errors),
	};

	return cmocka_run_group_tests_name("nvmm_exit", tests, NULL, NULL);
}
