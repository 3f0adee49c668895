/*
 * Host tests of the emulated PL011 (src/vdev/vpl011.c), through the VM's
 * MMIO bus as the data-abort handler reaches it: console output (line
 * buffering, the VM-name prefix, wrapping), the flag register, the receive
 * FIFO, the RX/TX interrupts on the vGIC's SPI, the identification
 * registers, refused widths and reset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <nv/fake_arch.h>
#include <nv/vcpu.h>
#include <nv/vgic.h>
#include <nv/vm.h>
#include <nv/vpl011.h>
#include "helpers.h"

#define DIST 0x08000000u
#define REDIST 0x080a0000u
#define UART 0x09000000u
#define UART_SPI 5 /* INTID 37 */

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTIBRD 0x024
#define UARTFBRD 0x028
#define UARTLCR_H 0x02c
#define UARTCR 0x030
#define UARTIFLS 0x034
#define UARTIMSC 0x038
#define UARTRIS 0x03c
#define UARTMIS 0x040
#define UARTICR 0x044
#define UARTDMACR 0x048

#define FR_RXFE 0x10u
#define FR_TXFF 0x20u
#define FR_RXFF 0x40u
#define FR_TXFE 0x80u
#define INT_RX 0x10u
#define INT_TX 0x20u
#define INT_RT 0x40u

static struct vm vm;
static struct vcpu vcpu;
static struct vpl011 uart;

static int setup(void **state)
{
	char err[128];

	(void)state;
	memset(&fake_arch, 0, sizeof(fake_arch));
	ut_vm_init(&vm, &vcpu, 1);
	strcpy(vm.desc.name, "guest");
	vm.desc.uart_base = UART;
	vm.desc.uart_spi = UART_SPI;
	ut_vgic_init(&vm, DIST, REDIST, 32);
	err[0] = '\0';
	assert_true(vpl011_init(&vm, &uart, err, sizeof(err)));
	assert_string_equal(err, "");
	vm.uart = &uart;
	vpl011_set_prefixed(false);
	capture_start();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	vpl011_set_prefixed(false);
	capture_stop();
	return 0;
}

/* One access at UART + off, which must reach the UART's region. */
static bool mmio(u64 off, unsigned size, bool write, u64 *data)
{
	const struct mmio_region *r = mmio_bus_find(&vm.mmio, UART + off, size);

	assert_non_null(r);
	assert_int_equal(r->base, UART);
	assert_int_equal(r->size, VM_UART_SIZE);
	return ut_mmio(&vm, &vcpu, UART + off, size, write, data);
}

static u64 rd(u64 off)
{
	u64 v = 0;

	assert_true(mmio(off, 4, false, &v));
	return v;
}

static void wr(u64 off, u64 val)
{
	assert_true(mmio(off, 4, true, &val));
}

static void put(const char *s)
{
	for (; *s; s++)
		wr(UARTDR, (u8)*s);
}

/* The level of the UART's SPI at the vGIC. */
static bool spi_level(void)
{
	return vm.vgic.spi[UART_SPI].level;
}

static void test_registered(void **state)
{
	(void)state;
	assert_int_equal(uart.intid, 32 + UART_SPI);
	assert_null(mmio_bus_find(&vm.mmio, UART + VM_UART_SIZE, 4));
	assert_null(mmio_bus_find(&vm.mmio, UART - 4, 4));
	/* Reset values: UARTEN off, TXE and RXE on, FIFO level 1/2. */
	assert_int_equal(rd(UARTCR), 0x300);
	assert_int_equal(rd(UARTIFLS), 0x12);
	assert_int_equal(rd(UARTIMSC), 0);
	assert_int_equal(rd(UARTRIS), 0);
}

static void test_init_overlap(void **state)
{
	struct vpl011 u2;
	char err[128];

	(void)state;
	assert_false(vpl011_init(&vm, &u2, err, sizeof(err)));
	assert_string_equal(err, "vm 'guest': property 'uart': overlaps another device");
}

/* One VM: guest bytes unchanged, no prefix, a line at a time. */
static void test_output_unprefixed(void **state)
{
	(void)state;
	put("hello\r\n");
	assert_string_equal(capture_text(), "hello\r\n");
	capture_reset();
	/* A partial line waits for the newline, or for a flush (the guest
	 * waits for input after a prompt). */
	put("$ ");
	assert_string_equal(capture_text(), "");
	vpl011_flush(&uart);
	assert_string_equal(capture_text(), "$ ");
	vpl011_flush(&uart);
	assert_string_equal(capture_text(), "$ ");
	put("x");
	vpl011_flush(&uart);
	assert_string_equal(capture_text(), "$ x");
	/* Byte and halfword writes of UARTDR take the low byte. */
	capture_reset();
	{
		u64 c = 0x4141;

		assert_true(mmio(UARTDR, 1, true, &c));
		c = 0x0a42;
		assert_true(mmio(UARTDR, 2, true, &c));
	}
	vpl011_flush(&uart);
	assert_string_equal(capture_text(), "AB");
	assert_int_equal(capture_writes(), 1);
}

static void test_output_prefixed(void **state)
{
	(void)state;
	vpl011_set_prefixed(true);
	put("hello\r\nworld\n");
	assert_string_equal(capture_text(), "[guest] hello\n[guest] world\n");
	assert_int_equal(capture_writes(), 2);
	capture_reset();
	/* Partial lines are not flushed: another VM's line could follow. */
	put("abc");
	vpl011_flush(&uart);
	assert_string_equal(capture_text(), "");
	put("\n");
	assert_string_equal(capture_text(), "[guest] abc\n");
	/* An empty line is still a line. */
	capture_reset();
	put("\n");
	assert_string_equal(capture_text(), "[guest] \n");
}

/* A line longer than the buffer is cut into lines of VPL011_LINE - 1. */
static void test_long_line_wraps(void **state)
{
	char line[400], expect[600];
	size_t n;

	(void)state;
	memset(line, 0, sizeof(line));
	for (unsigned i = 0; i < 200; i++)
		line[i] = (char)('a' + i % 26);

	vpl011_set_prefixed(true);
	put(line);
	n = (size_t)snprintf(expect, sizeof(expect), "[guest] %.*s\n",
			     VPL011_LINE - 1, line);
	assert_string_equal(capture_text(), expect);
	put("\n");
	snprintf(expect + n, sizeof(expect) - n, "[guest] %s\n",
		 line + VPL011_LINE - 1);
	assert_string_equal(capture_text(), expect);

	/* Unprefixed: the same cut, no newline added. */
	vpl011_set_prefixed(false);
	capture_reset();
	put(line);
	snprintf(expect, sizeof(expect), "%.*s", VPL011_LINE - 1, line);
	assert_string_equal(capture_text(), expect);
	vpl011_flush(&uart);
	assert_string_equal(capture_text(), line);
}

static void test_flags(void **state)
{
	(void)state;
	assert_int_equal(rd(UARTFR), FR_TXFE | FR_RXFE);
	put("x");
	assert_int_equal(rd(UARTFR), FR_TXFE | FR_RXFE);
	assert_true(vpl011_push_input(&uart, 'a'));
	assert_int_equal(rd(UARTFR), FR_TXFE);
	for (unsigned i = 1; i < VPL011_RX_FIFO; i++)
		assert_true(vpl011_push_input(&uart, (u8)('a' + i % 26)));
	assert_int_equal(rd(UARTFR), FR_TXFE | FR_RXFF);
	assert_false(vpl011_push_input(&uart, '!'));
	rd(UARTDR);
	assert_int_equal(rd(UARTFR), FR_TXFE);
}

static void test_rx_fifo_order(void **state)
{
	(void)state;
	/* Wrap around the ring: fill, drain half, fill again. */
	for (unsigned i = 0; i < VPL011_RX_FIFO; i++)
		assert_true(vpl011_push_input(&uart, (u8)i));
	for (unsigned i = 0; i < VPL011_RX_FIFO / 2; i++)
		assert_int_equal(rd(UARTDR), i);
	for (unsigned i = 0; i < VPL011_RX_FIFO / 2; i++)
		assert_true(vpl011_push_input(&uart, (u8)(100 + i)));
	assert_false(vpl011_push_input(&uart, 0xff));
	for (unsigned i = VPL011_RX_FIFO / 2; i < VPL011_RX_FIFO; i++)
		assert_int_equal(rd(UARTDR), i);
	for (unsigned i = 0; i < VPL011_RX_FIFO / 2; i++)
		assert_int_equal(rd(UARTDR), 100 + i);
	assert_int_equal(rd(UARTFR) & FR_RXFE, FR_RXFE);
	/* Empty: reads 0. */
	assert_int_equal(rd(UARTDR), 0);

	/* A byte read of UARTDR pops too. */
	{
		u64 c = 0;

		assert_true(vpl011_push_input(&uart, 0xc3));
		assert_true(mmio(UARTDR, 1, false, &c));
		assert_int_equal(c, 0xc3);
	}
	assert_int_equal(rd(UARTFR) & FR_RXFE, FR_RXFE);
}

static void test_rx_interrupt(void **state)
{
	unsigned kicks;

	(void)state;
	/* Masked: raw status only. */
	assert_true(vpl011_push_input(&uart, 'a'));
	assert_int_equal(rd(UARTRIS), INT_RX | INT_RT);
	assert_int_equal(rd(UARTMIS), 0);
	assert_false(spi_level());

	/* Unmasking raises the SPI. */
	kicks = fake_arch.kicks;
	wr(UARTIMSC, INT_RX);
	assert_int_equal(rd(UARTMIS), INT_RX);
	assert_true(spi_level());
	assert_true(fake_arch.kicks > kicks);

	/* More input keeps it up; draining the FIFO drops it. */
	assert_true(vpl011_push_input(&uart, 'b'));
	assert_true(spi_level());
	assert_int_equal(rd(UARTDR), 'a');
	assert_true(spi_level());
	assert_int_equal(rd(UARTDR), 'b');
	assert_false(spi_level());
	assert_int_equal(rd(UARTRIS), 0);

	/* Input while unmasked raises it at once. */
	assert_true(vpl011_push_input(&uart, 'c'));
	assert_true(spi_level());
	/* Masking drops it. */
	wr(UARTIMSC, 0);
	assert_false(spi_level());
}

static void test_tx_interrupt(void **state)
{
	(void)state;
	wr(UARTIMSC, INT_TX);
	assert_false(spi_level());
	put("a");
	assert_int_equal(rd(UARTRIS), INT_TX);
	assert_int_equal(rd(UARTMIS), INT_TX);
	assert_true(spi_level());
	/* ICR of another bit leaves it. */
	wr(UARTICR, INT_RX);
	assert_true(spi_level());
	wr(UARTICR, INT_TX);
	assert_int_equal(rd(UARTRIS), 0);
	assert_false(spi_level());
	/* The next write raises it again. */
	put("b");
	assert_true(spi_level());
	wr(UARTICR, 0x7ff);
	assert_false(spi_level());
}

static void test_id_registers(void **state)
{
	static const u8 ids[8] = { 0x11, 0x10, 0x14, 0x00,
				   0x0d, 0xf0, 0x05, 0xb1 };

	(void)state;
	for (unsigned i = 0; i < 8; i++) {
		u64 b = 0;

		assert_int_equal(rd(0xfe0 + 4 * i), ids[i]);
		assert_true(mmio(0xfe0 + 4 * i, 1, false, &b));
		assert_int_equal(b, ids[i]);
	}
	/* Writes are ignored. */
	wr(0xfe0, 0xff);
	assert_int_equal(rd(0xfe0), 0x11);
	/* Reserved space reads as zero. */
	assert_int_equal(rd(0x050), 0);
	assert_int_equal(rd(0xfdc), 0);
}

static void test_control_registers(void **state)
{
	(void)state;
	wr(UARTIBRD, 0xffffffff);
	wr(UARTFBRD, 0xffffffff);
	wr(UARTLCR_H, 0xffffffff);
	wr(UARTCR, 0xffffffff);
	wr(UARTIFLS, 0xffffffff);
	wr(UARTIMSC, 0xffffffff);
	wr(UARTDMACR, 0xffffffff);
	assert_int_equal(rd(UARTIBRD), 0xffff);
	assert_int_equal(rd(UARTFBRD), 0x3f);
	assert_int_equal(rd(UARTLCR_H), 0xff);
	assert_int_equal(rd(UARTCR), 0xffff);
	assert_int_equal(rd(UARTIFLS), 0x3f);
	assert_int_equal(rd(UARTIMSC), 0x7ff);
	assert_int_equal(rd(UARTDMACR), 7);
	/* Read-only: FR and RIS/MIS ignore writes. */
	wr(UARTFR, 0);
	wr(UARTRIS, 0x7ff);
	assert_int_equal(rd(UARTFR), FR_TXFE | FR_RXFE);
	assert_int_equal(rd(UARTRIS), 0);
	assert_false(spi_level());
}

static void test_wide_access_refused(void **state)
{
	u64 v = 'x';

	(void)state;
	assert_false(mmio(UARTDR, 8, true, &v));
	assert_false(mmio(UARTFR, 8, false, &v));
	assert_true(vpl011_push_input(&uart, 'q'));
	assert_false(mmio(UARTDR, 8, false, &v));
	/* Nothing happened: no output, the byte is still there. */
	vpl011_flush(&uart);
	assert_string_equal(capture_text(), "");
	assert_int_equal(rd(UARTDR), 'q');
}

static void test_reset(void **state)
{
	(void)state;
	wr(UARTIMSC, INT_RX | INT_TX);
	wr(UARTCR, 0x301);
	wr(UARTIBRD, 13);
	wr(UARTLCR_H, 0x70);
	wr(UARTIFLS, 0x24);
	wr(UARTDMACR, 3);
	assert_true(vpl011_push_input(&uart, 'a'));
	assert_true(spi_level());
	vpl011_reset(&uart);
	assert_false(spi_level());
	assert_int_equal(rd(UARTFR), FR_TXFE | FR_RXFE);
	assert_int_equal(rd(UARTDR), 0);
	assert_int_equal(rd(UARTIMSC), 0);
	assert_int_equal(rd(UARTRIS), 0);
	assert_int_equal(rd(UARTCR), 0x300);
	assert_int_equal(rd(UARTIFLS), 0x12);
	assert_int_equal(rd(UARTIBRD), 0);
	assert_int_equal(rd(UARTLCR_H), 0);
	assert_int_equal(rd(UARTDMACR), 0);
	/* The FIFO works again after the reset. */
	assert_true(vpl011_push_input(&uart, 'z'));
	assert_int_equal(rd(UARTDR), 'z');
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_registered),
		T(test_init_overlap),
		T(test_output_unprefixed),
		T(test_output_prefixed),
		T(test_long_line_wraps),
		T(test_flags),
		T(test_rx_fifo_order),
		T(test_rx_interrupt),
		T(test_tx_interrupt),
		T(test_id_registers),
		T(test_control_registers),
		T(test_wide_access_refused),
		T(test_reset),
	};

	return cmocka_run_group_tests_name("vpl011", tests, NULL, NULL);
}
