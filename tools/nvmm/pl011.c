/*
 * A PL011 UART seen through MMIO exits: what is written to UARTDR goes
 * to out_fd at once, so the transmit FIFO is always empty; what the host
 * gives pl011_receive waits in the receive FIFO (32 entries with
 * UARTLCR_H.FEN, 1 without) until the guest reads UARTDR. Register
 * offsets and bits: the PL011 Technical Reference Manual (ARM DDI 0183).
 */
#include <errno.h>
#include <unistd.h>

#include "nvmm.h"

/* The registers with side effects; the others are kept as written. */
enum {
	R_DR = 0x000 / 4,    /* UARTDR */
	R_FR = 0x018 / 4,    /* UARTFR */
	R_RIS = 0x03c / 4,   /* UARTRIS */
	R_MIS = 0x040 / 4,   /* UARTMIS */
	R_IMSC = 0x038 / 4,  /* UARTIMSC */
	R_CR = 0x030 / 4,    /* UARTCR */
	R_IFLS = 0x034 / 4,  /* UARTIFLS */
	R_ID = 0xfe0 / 4,    /* UARTPeriphID0..3, UARTPCellID0..3 */
};

/*
 * The bits a write keeps of the plain registers: ILPR, IBRD, FBRD,
 * LCR_H, CR, IFLS, IMSC, DMACR. Zero: read-only or not there.
 */
static const uint32_t write_mask[PL011_NREGS] = {
	[0x020 / 4] = 0xff, [0x024 / 4] = 0xffff, [0x028 / 4] = 0x3f, [0x02c / 4] = 0xff,
	[R_CR] = 0xffff, [R_IFLS] = 0x3f, [R_IMSC] = 0x7ff, [0x048 / 4] = 0x7,
};

#define FR_RXFE  (1U << 4)
#define FR_RXFF  (1U << 6)
#define FR_TXFE  (1U << 7)
#define INT_RX   (1U << 4)
#define INT_TX   (1U << 5)
#define INT_RT   (1U << 6)
#define CR_UARTEN (1U << 0)
#define CR_LBE   (1U << 7)
#define CR_RXE   (1U << 9)
#define LCRH_FEN (1U << 4)
#define R_LCRH   (0x02c / 4)

/* PL011 r1p5: part number 0x011, designer 0x41 (Arm), revision 3. */
static const uint8_t uart_id[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

/* The receive FIFO's depth: 32 with UARTLCR_H.FEN, else one holding register. */
static unsigned int rx_depth(const struct pl011 *u)
{
	return (u->reg[R_LCRH] & LCRH_FEN) ? PL011_RX_FIFO : 1U;
}

/*
 * UARTIFLS.RXIFLSEL (bits 5:3): the receive interrupt fires at 1/8, 1/4,
 * 1/2, 3/4 or 7/8 of the FIFO; without the FIFO, at one character.
 */
static unsigned int rx_trigger(const struct pl011 *u)
{
	static const unsigned int eighths[8] = { 1, 2, 4, 6, 7, 7, 7, 7 };
	if (!(u->reg[R_LCRH] & LCRH_FEN))
		return 1;
	return PL011_RX_FIFO * eighths[(u->reg[R_IFLS] >> 3) & 7] / 8;
}

/*
 * Raw interrupts: the transmit FIFO is always at or below its trigger
 * level (TXRIS); RXRIS while the receive FIFO is at or above its trigger
 * level; RTRIS while it holds anything: the receive timeout of a UART
 * whose characters arrive in bursts, taken at once.
 */
static uint32_t raw_int(const struct pl011 *u)
{
	uint32_t v = INT_TX;
	if (u->rx_count >= rx_trigger(u))
		v |= INT_RX;
	if (u->rx_count)
		v |= INT_RT;
	return v;
}

/* UARTCR: the receiver takes characters while UARTEN and RXE are set. */
static int rx_enabled(const struct pl011 *u)
{
	return (u->reg[R_CR] & (CR_UARTEN | CR_RXE)) == (CR_UARTEN | CR_RXE);
}

static void update_irq(struct pl011 *u)
{
	int level = (raw_int(u) & u->reg[R_IMSC]) != 0;
	if (level != u->irq_level) {
		u->irq_level = level;
		if (u->set_irq)
			u->set_irq(u->irq_ctx, level);
	}
}

void pl011_init(struct pl011 *u, int out_fd, void (*set_irq)(void *, int), void *ctx)
{
	*u = (struct pl011){ .out_fd = out_fd, .set_irq = set_irq, .irq_ctx = ctx };
	pthread_mutex_init(&u->lock, NULL);
	pthread_cond_init(&u->rx_space, NULL);
	u->reg[R_CR] = 0x300; /* TXE, RXE: the reset values */
	u->reg[R_IFLS] = 0x12;
}

uint32_t pl011_read(struct pl011 *u, uint64_t off)
{
	uint64_t r = off / 4;
	uint32_t v = 0;

	if (off & 3)
		return 0;
	pthread_mutex_lock(&u->lock);
	if (r == R_DR) {
		if (u->rx_count) {
			v = u->rx[u->rx_head];
			u->rx_head = (u->rx_head + 1) % PL011_RX_FIFO;
			u->rx_count--;
			pthread_cond_broadcast(&u->rx_space);
			update_irq(u);
		}
	} else if (r == R_FR) {
		v = FR_TXFE;
		if (!u->rx_count)
			v |= FR_RXFE;
		if (u->rx_count >= rx_depth(u))
			v |= FR_RXFF;
	}
	else if (r == R_RIS)
		v = raw_int(u);
	else if (r == R_MIS)
		v = raw_int(u) & u->reg[R_IMSC];
	else if (r >= R_ID && r < R_ID + 8)
		v = uart_id[r - R_ID];
	else if (r < PL011_NREGS && write_mask[r])
		v = u->reg[r];
	pthread_mutex_unlock(&u->lock);
	return v; /* UARTDR's error bits and UARTRSR: no errors ever */
}

void pl011_write(struct pl011 *u, uint64_t off, uint32_t val)
{
	uint64_t r = off / 4;

	if (off & 3)
		return;
	pthread_mutex_lock(&u->lock);
	if (r == R_DR && !(u->reg[R_CR] & CR_LBE)) {
		uint8_t c = (uint8_t)val;
		while (write(u->out_fd, &c, 1) < 0 && errno == EINTR)
			;
	} else if (r < PL011_NREGS) {
		/*
		 * UARTICR clears nothing that stays clear: the TX FIFO is
		 * empty and the RX interrupts follow the FIFO's level.
		 */
		u->reg[r] = (u->reg[r] & ~write_mask[r]) | (val & write_mask[r]);
		/* A FIFO switched off keeps what fits its holding register. */
		if (u->rx_count > rx_depth(u))
			u->rx_count = rx_depth(u);
		pthread_cond_broadcast(&u->rx_space);
	}
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
}

/* What fits of buf[0..n) into the receive FIFO; u->lock held. */
static size_t rx_take(struct pl011 *u, const uint8_t *buf, size_t n)
{
	size_t k = 0;
	if (!rx_enabled(u))
		return 0;
	while (k < n && u->rx_count < rx_depth(u)) {
		u->rx[(u->rx_head + u->rx_count) % PL011_RX_FIFO] = buf[k++];
		u->rx_count++;
	}
	if (k)
		update_irq(u);
	return k;
}

size_t pl011_receive(struct pl011 *u, const uint8_t *buf, size_t n)
{
	pthread_mutex_lock(&u->lock);
	size_t k = rx_take(u, buf, n);
	pthread_mutex_unlock(&u->lock);
	return k;
}

void pl011_receive_all(struct pl011 *u, const uint8_t *buf, size_t n)
{
	pthread_mutex_lock(&u->lock);
	for (size_t k = 0; k < n;) {
		size_t got = rx_take(u, buf + k, n - k);
		k += got;
		if (k < n && !got)
			pthread_cond_wait(&u->rx_space, &u->lock);
	}
	pthread_mutex_unlock(&u->lock);
}
