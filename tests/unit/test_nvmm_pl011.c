/*
 * Host tests of nvmm's PL011 (tools/nvmm/pl011.c) through its MMIO
 * accessors, the UART's output on a pipe and its interrupt line on a
 * recording callback: reset values, UARTDR's bytes going out at once (not
 * in loopback), the flags of always-empty FIFOs, the bits each register
 * keeps, the transmit interrupt through UARTIMSC, UARTRIS and UARTMIS,
 * the identification registers and the accesses it ignores; the receive
 * side: the receiver's enables, the holding register and the FIFO, its
 * trigger levels and interrupts, and a writer waiting for room.
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "nvmm.h"

#define UARTDR 0x000
#define UARTRSR 0x004
#define UARTFR 0x018
#define UARTILPR 0x020
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
#define FR_RXFF 0x40u
#define FR_TXFE 0x80u
#define INT_RX 0x10u
#define INT_TX 0x20u
#define INT_RT 0x40u
#define CR_LBE 0x80u
#define CR_ON 0x301u /* UARTEN, TXE, RXE */
#define LCRH_FEN 0x10u

static struct pl011 uart;
static int out[2]; /* the UART writes out[1]; the test reads out[0] */

/* The interrupt line as the UART drives it. */
static struct {
	unsigned calls;
	int level;
	void *ctx;
} line;

static void set_irq(void *ctx, int level)
{
	line.calls++;
	line.level = level;
	line.ctx = ctx;
}

static int setup(void **state)
{
	(void)state;
	assert_int_equal(pipe2(out, O_NONBLOCK | O_CLOEXEC), 0);
	memset(&line, 0, sizeof(line));
	pl011_init(&uart, out[1], set_irq, &line);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pthread_mutex_destroy(&uart.lock);
	pthread_cond_destroy(&uart.rx_space);
	close(out[0]);
	close(out[1]);
	return 0;
}

/* What the UART has written since the last call, NUL-terminated. */
static const char *output(void)
{
	static char buf[256];
	ssize_t n = read(out[0], buf, sizeof(buf) - 1);

	if (n < 0) {
		assert_int_equal(errno, EAGAIN);
		n = 0;
	}
	buf[n] = '\0';
	return buf;
}

static void test_reset_values(void **state)
{
	(void)state;
	assert_int_equal(pl011_read(&uart, UARTCR), 0x300); /* TXE, RXE */
	assert_int_equal(pl011_read(&uart, UARTIFLS), 0x12);
	assert_int_equal(pl011_read(&uart, UARTFR), FR_TXFE | FR_RXFE);
	assert_int_equal(pl011_read(&uart, UARTRIS), INT_TX);
	assert_int_equal(pl011_read(&uart, UARTMIS), 0);
	static const uint64_t zero[] = { UARTDR, UARTRSR, UARTILPR, UARTIBRD, UARTFBRD,
					 UARTLCR_H, UARTIMSC, UARTICR, UARTDMACR };
	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		assert_int_equal(pl011_read(&uart, zero[i]), 0);
	assert_int_equal(line.calls, 0);
}

static void test_dr_writes_go_out(void **state)
{
	(void)state;
	pl011_write(&uart, UARTDR, 'h');
	pl011_write(&uart, UARTDR, 'i');
	pl011_write(&uart, UARTDR, '\n');
	assert_string_equal(output(), "hi\n");
	/* The data byte only: bits 8-11 of a write are not data. */
	pl011_write(&uart, UARTDR, 0xf41);
	assert_string_equal(output(), "A");
	/* Never full nor busy: the byte has gone out. */
	assert_int_equal(pl011_read(&uart, UARTFR), FR_TXFE | FR_RXFE);
	/* Nothing has been received. */
	assert_int_equal(pl011_read(&uart, UARTDR), 0);
	assert_int_equal(pl011_read(&uart, UARTRIS) & INT_RX, 0);
}

static void test_loopback_keeps_output(void **state)
{
	(void)state;
	pl011_write(&uart, UARTCR, 0x300 | CR_LBE);
	pl011_write(&uart, UARTDR, 'x');
	assert_string_equal(output(), "");
	assert_int_equal(pl011_read(&uart, UARTDR), 0);
	pl011_write(&uart, UARTCR, 0x301);
	pl011_write(&uart, UARTDR, 'y');
	assert_string_equal(output(), "y");
}

/* Each plain register keeps the bits it has, as written. */
static void test_register_bits(void **state)
{
	static const struct {
		uint64_t off;
		uint32_t mask;
	} regs[] = {
		{ UARTILPR, 0xff }, { UARTIBRD, 0xffff }, { UARTFBRD, 0x3f },
		{ UARTLCR_H, 0xff }, { UARTCR, 0xffff },  { UARTIFLS, 0x3f },
		{ UARTIMSC, 0x7ff }, { UARTDMACR, 0x7 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		pl011_write(&uart, regs[i].off, 0xffffffff);
		assert_int_equal(pl011_read(&uart, regs[i].off), regs[i].mask);
		pl011_write(&uart, regs[i].off, 0x5a5a5a5a);
		assert_int_equal(pl011_read(&uart, regs[i].off), 0x5a5a5a5a & regs[i].mask);
	}
	/* A baud rate as Linux sets it, then the line control. */
	pl011_write(&uart, UARTIBRD, 13);
	pl011_write(&uart, UARTFBRD, 1);
	pl011_write(&uart, UARTLCR_H, 0x70);
	assert_int_equal(pl011_read(&uart, UARTIBRD), 13);
	assert_int_equal(pl011_read(&uart, UARTFBRD), 1);
	assert_int_equal(pl011_read(&uart, UARTLCR_H), 0x70);
	assert_string_equal(output(), "");
}

/* The read-only and write-only registers are not changed by writes. */
static void test_writes_ignored(void **state)
{
	(void)state;
	pl011_write(&uart, UARTIMSC, INT_TX);
	line.calls = 0;
	pl011_write(&uart, UARTRSR, 0xf);
	pl011_write(&uart, UARTFR, 0);
	pl011_write(&uart, UARTRIS, 0);
	pl011_write(&uart, UARTMIS, 0);
	pl011_write(&uart, UARTICR, 0x7ff); /* clears nothing: the TX FIFO is empty */
	pl011_write(&uart, 0xfe0, 0);
	assert_int_equal(pl011_read(&uart, UARTRSR), 0);
	assert_int_equal(pl011_read(&uart, UARTFR), FR_TXFE | FR_RXFE);
	assert_int_equal(pl011_read(&uart, UARTRIS), INT_TX);
	assert_int_equal(pl011_read(&uart, UARTMIS), INT_TX);
	assert_int_equal(pl011_read(&uart, UARTICR), 0);
	assert_int_equal(pl011_read(&uart, 0xfe0), 0x11);
	assert_int_equal(line.calls, 0);
	assert_int_equal(line.level, 1);
	assert_string_equal(output(), "");
}

/* UARTPeriphID0-3 and UARTPCellID0-3, what the AMBA bus probes. */
static void test_id_registers(void **state)
{
	static const uint32_t id[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

	(void)state;
	for (unsigned int i = 0; i < 8; i++)
		assert_int_equal(pl011_read(&uart, 0xfe0 + 4 * i), id[i]);
	uint32_t periph = 0, cell = 0;
	for (unsigned int i = 0; i < 4; i++) {
		periph |= pl011_read(&uart, 0xfe0 + 4 * i) << (8 * i);
		cell |= pl011_read(&uart, 0xff0 + 4 * i) << (8 * i);
	}
	assert_int_equal(periph & 0xfff, 0x011);         /* part number */
	assert_int_equal((periph >> 12) & 0xff, 0x41);  /* designer: Arm */
	assert_int_equal(cell, 0xb105f00d);
}

/* The line follows UARTMIS = UARTRIS & UARTIMSC, called on changes only. */
static void test_tx_interrupt(void **state)
{
	(void)state;
	pl011_write(&uart, UARTIMSC, INT_TX);
	assert_int_equal(line.calls, 1);
	assert_int_equal(line.level, 1);
	assert_ptr_equal(line.ctx, &line);
	assert_int_equal(pl011_read(&uart, UARTMIS), INT_TX);

	/* Writing data or clearing TX keeps it raised: the FIFO stays empty. */
	pl011_write(&uart, UARTDR, 'z');
	pl011_write(&uart, UARTICR, INT_TX);
	pl011_write(&uart, UARTIMSC, INT_TX | INT_RX);
	assert_int_equal(line.calls, 1);
	assert_int_equal(pl011_read(&uart, UARTMIS), INT_TX);
	assert_string_equal(output(), "z");

	/* Masked: lowered, once. */
	pl011_write(&uart, UARTIMSC, INT_RX);
	assert_int_equal(line.calls, 2);
	assert_int_equal(line.level, 0);
	assert_int_equal(pl011_read(&uart, UARTMIS), 0);
	assert_int_equal(pl011_read(&uart, UARTRIS), INT_TX);
	pl011_write(&uart, UARTIMSC, 0);
	assert_int_equal(line.calls, 2);

	/* Every interrupt unmasked: only TX is ever raised. */
	pl011_write(&uart, UARTIMSC, 0x7ff);
	assert_int_equal(line.calls, 3);
	assert_int_equal(line.level, 1);
	assert_int_equal(pl011_read(&uart, UARTMIS), INT_TX);
}

/* Unaligned offsets and registers not there: reads zero, writes dropped. */
static void test_other_accesses(void **state)
{
	(void)state;
	for (uint64_t off = 1; off < 4; off++) {
		pl011_write(&uart, UARTDR + off, 'u');
		pl011_write(&uart, UARTCR + off, 0xffff);
		pl011_write(&uart, UARTIMSC + off, INT_TX);
		assert_int_equal(pl011_read(&uart, UARTFR + off), 0);
		assert_int_equal(pl011_read(&uart, 0xfe0 + off), 0);
	}
	assert_string_equal(output(), "");
	assert_int_equal(pl011_read(&uart, UARTCR), 0x300);
	assert_int_equal(line.calls, 0);
	static const uint64_t absent[] = { 0x008, 0x014, 0x01c, 0x04c, 0x080, 0x800, 0xfdc, 0x1000 };
	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		pl011_write(&uart, absent[i], 0xffffffff);
		assert_int_equal(pl011_read(&uart, absent[i]), 0);
	}
	assert_int_equal(pl011_read(&uart, UARTCR), 0x300);
	assert_int_equal(pl011_read(&uart, UARTIFLS), 0x12);
	assert_string_equal(output(), "");
}

/* Without an interrupt callback the registers behave the same. */
static void test_no_irq_callback(void **state)
{
	(void)state;
	pl011_init(&uart, out[1], NULL, NULL);
	pl011_write(&uart, UARTIMSC, INT_TX);
	assert_int_equal(pl011_read(&uart, UARTMIS), INT_TX);
	pl011_write(&uart, UARTDR, 'n');
	assert_string_equal(output(), "n");
	assert_int_equal(line.calls, 0);
}

static const uint8_t text[] = "0123456789abcdefghijklmnopqrstuvwxyzABCD"; /* 40 */

/* UARTCR.UARTEN and RXE both: the receiver takes nothing before. */
static void test_rx_needs_receiver(void **state)
{
	(void)state;
	assert_int_equal(pl011_receive(&uart, text, 1), 0); /* reset: UARTEN clear */
	pl011_write(&uart, UARTCR, 0x101);                  /* RXE clear */
	assert_int_equal(pl011_receive(&uart, text, 1), 0);
	pl011_write(&uart, UARTCR, CR_ON);
	assert_int_equal(pl011_receive(&uart, text, 1), 1);
	assert_int_equal(pl011_read(&uart, UARTDR), '0');
}

/* Without UARTLCR_H.FEN: one holding register, full at one character. */
static void test_rx_holding_register(void **state)
{
	(void)state;
	pl011_write(&uart, UARTCR, CR_ON);
	assert_int_equal(pl011_receive(&uart, text, 2), 1);
	assert_int_equal(pl011_read(&uart, UARTFR), FR_TXFE | FR_RXFF);
	assert_int_equal(pl011_read(&uart, UARTRIS), INT_TX | INT_RX | INT_RT);
	assert_int_equal(pl011_receive(&uart, text + 1, 1), 0);
	assert_int_equal(pl011_read(&uart, UARTDR), '0');
	assert_int_equal(pl011_read(&uart, UARTFR), FR_TXFE | FR_RXFE);
	assert_int_equal(pl011_read(&uart, UARTRIS), INT_TX);
	assert_int_equal(pl011_read(&uart, UARTDR), 0); /* empty */
	assert_int_equal(pl011_receive(&uart, text + 1, 1), 1);
	assert_int_equal(pl011_read(&uart, UARTDR), '1');
}

/* With the FIFO: 32 characters in order; RXRIS at UARTIFLS's level. */
static void test_rx_fifo(void **state)
{
	(void)state;
	pl011_write(&uart, UARTCR, CR_ON);
	pl011_write(&uart, UARTLCR_H, 0x60 | LCRH_FEN);
	/* The reset level, RXIFLSEL = 0b010: half full, 16 characters. */
	assert_int_equal(pl011_receive(&uart, text, 15), 15);
	assert_int_equal(pl011_read(&uart, UARTRIS), INT_TX | INT_RT);
	assert_int_equal(pl011_receive(&uart, text + 15, 1), 1);
	assert_int_equal(pl011_read(&uart, UARTRIS), INT_TX | INT_RX | INT_RT);
	assert_int_equal(pl011_read(&uart, UARTFR), FR_TXFE);
	assert_int_equal(pl011_receive(&uart, text + 16, 24), 16);
	assert_int_equal(pl011_read(&uart, UARTFR), FR_TXFE | FR_RXFF);
	for (unsigned int i = 0; i < 32; i++)
		assert_int_equal(pl011_read(&uart, UARTDR), text[i]);
	assert_int_equal(pl011_read(&uart, UARTFR), FR_TXFE | FR_RXFE);
	assert_int_equal(pl011_read(&uart, UARTRIS), INT_TX);

	/* RXIFLSEL 0b000 (1/8: 4) and 0b100 (7/8: 28). */
	static const struct { uint32_t ifls; unsigned int level; } lv[] = {
		{ 0x00, 4 }, { 0x08, 8 }, { 0x18, 24 }, { 0x20, 28 },
	};
	for (size_t i = 0; i < sizeof(lv) / sizeof(lv[0]); i++) {
		pl011_write(&uart, UARTIFLS, lv[i].ifls);
		assert_int_equal(pl011_receive(&uart, text, lv[i].level - 1), lv[i].level - 1);
		assert_int_equal(pl011_read(&uart, UARTRIS) & INT_RX, 0);
		assert_int_equal(pl011_receive(&uart, text, 1), 1);
		assert_int_equal(pl011_read(&uart, UARTRIS) & INT_RX, INT_RX);
		for (unsigned int k = 0; k < lv[i].level; k++)
			pl011_read(&uart, UARTDR);
		assert_int_equal(pl011_read(&uart, UARTFR) & FR_RXFE, FR_RXFE);
	}
	/* Switching the FIFO off keeps what the holding register holds. */
	assert_int_equal(pl011_receive(&uart, text, 3), 3);
	pl011_write(&uart, UARTLCR_H, 0x60);
	assert_int_equal(pl011_read(&uart, UARTDR), '0');
	assert_int_equal(pl011_read(&uart, UARTFR), FR_TXFE | FR_RXFE);
}

/* The line with RXIM and RTIM, as Linux's driver sets them: up while
 * there is something to read, whatever UARTICR does, down once empty. */
static void test_rx_interrupt(void **state)
{
	(void)state;
	pl011_write(&uart, UARTCR, CR_ON);
	pl011_write(&uart, UARTLCR_H, LCRH_FEN);
	pl011_write(&uart, UARTIMSC, INT_RX | INT_RT);
	assert_int_equal(line.calls, 0);
	assert_int_equal(pl011_receive(&uart, text, 2), 2);
	assert_int_equal(line.calls, 1);
	assert_int_equal(line.level, 1);
	assert_int_equal(pl011_read(&uart, UARTMIS), INT_RT);
	pl011_write(&uart, UARTICR, INT_RX | INT_RT);
	assert_int_equal(pl011_read(&uart, UARTMIS), INT_RT);
	assert_int_equal(pl011_read(&uart, UARTDR), '0');
	assert_int_equal(line.level, 1);
	assert_int_equal(pl011_read(&uart, UARTDR), '1');
	assert_int_equal(line.calls, 2);
	assert_int_equal(line.level, 0);
	assert_int_equal(pl011_read(&uart, UARTMIS), 0);
}

static void *writer(void *arg)
{
	(void)arg;
	pl011_receive_all(&uart, text, 40);
	return NULL;
}

/* pl011_receive_all waits while the FIFO is full, and loses nothing. */
static void test_rx_receive_all_waits(void **state)
{
	pthread_t t;
	unsigned int got = 0;

	(void)state;
	pl011_write(&uart, UARTCR, CR_ON);
	pl011_write(&uart, UARTLCR_H, LCRH_FEN);
	assert_int_equal(pthread_create(&t, NULL, writer, NULL), 0);
	while (got < 40) {
		if (pl011_read(&uart, UARTFR) & FR_RXFE) {
			sched_yield();
			continue;
		}
		assert_int_equal(pl011_read(&uart, UARTDR), text[got]);
		got++;
	}
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(pl011_read(&uart, UARTFR) & FR_RXFE, FR_RXFE);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reset_values),
		T(test_dr_writes_go_out),
		T(test_loopback_keeps_output),
		T(test_register_bits),
		T(test_writes_ignored),
		T(test_id_registers),
		T(test_tx_interrupt),
		T(test_other_accesses),
		T(test_no_irq_callback),
		T(test_rx_needs_receiver),
		T(test_rx_holding_register),
		T(test_rx_fifo),
		T(test_rx_interrupt),
		T(test_rx_receive_all_waits),
	};

	return cmocka_run_group_tests_name("nvmm_pl011", tests, NULL, NULL);
}
