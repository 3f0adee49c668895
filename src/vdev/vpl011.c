/*
 * The emulated PL011 (PL011 TRM r1p5, 3.3 "Register descriptions"): data,
 * flags, the interrupt mask/status set and the identification registers
 * Linux's AMBA bus probes. Transmission is instant, so TXFE is always set
 * and TXFF never; the TX interrupt is raised by each write to UARTDR and
 * cleared by UARTICR, like QEMU's model.
 */
#include <string.h>
#include <nv/console.h>
#include <nv/fmt.h>
#include <nv/log.h>
#include <nv/vgic.h>
#include <nv/vm.h>
#include <nv/vpl011.h>

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
#define UARTPERIPHID0 0xfe0

#define FR_RXFE BIT(4)
#define FR_TXFF BIT(5)
#define FR_RXFF BIT(6)
#define FR_TXFE BIT(7)
#define INT_RX BIT(4)
#define INT_TX BIT(5)
#define INT_RT BIT(6)
#define INT_ALL 0x7ffu

/* UARTPeriphID0-3 then UARTPCellID0-3 (TRM 3.3.14, 3.3.15). */
static const u8 id_regs[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static bool prefixed;

void vpl011_set_prefixed(bool on)
{
	prefixed = on;
}

static void update_irq(struct vpl011 *u)
{
	bool level = (u->ris & u->imsc) != 0;

	if (level != u->level) {
		u->level = level;
		vgic_set_level(u->vm, NULL, u->intid, level);
	}
}

/*
 * Guest output is written a line at a time, so that it never interleaves
 * with nestvisor's log lines or another VM's output mid-line: at a
 * newline, when the buffer is full, or (with a single VM, whose lines
 * carry no prefix) when the guest waits, so a prompt shows.
 */
static void flush_line(struct vpl011 *u)
{
	if (!u->line_len)
		return;
	if (prefixed)
		nv_print("[%s] %.*s", u->vm->desc.name, (int)u->line_len, u->line);
	else
		log_write_raw(u->line, u->line_len);
	u->line_len = 0;
}

void vpl011_flush(struct vpl011 *u)
{
	if (prefixed)
		return;
	spin_lock(&u->lock);
	flush_line(u);
	spin_unlock(&u->lock);
}

static void tx(struct vpl011 *u, u8 c)
{
	if (c == '\r' && prefixed)
		return;
	u->line[u->line_len++] = (char)c;
	if (c == '\n' || u->line_len == sizeof(u->line) - 1) {
		if (c != '\n' && prefixed)
			u->line[u->line_len++] = '\n';
		flush_line(u);
	}
}

static u32 rx_pop(struct vpl011 *u)
{
	u32 c;

	if (!u->rx_count)
		return 0;
	c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % VPL011_RX_FIFO;
	if (!--u->rx_count)
		u->ris &= ~(u32)(INT_RX | INT_RT);
	return c;
}

static u32 flags(const struct vpl011 *u)
{
	u32 fr = FR_TXFE;

	if (!u->rx_count)
		fr |= FR_RXFE;
	if (u->rx_count == VPL011_RX_FIFO)
		fr |= FR_RXFF;
	return fr;
}

static bool reg_read(struct vpl011 *u, u64 off, u64 *v)
{
	switch (off) {
	case UARTDR: *v = rx_pop(u); break;
	case UARTRSR: *v = 0; break;
	case UARTFR: *v = flags(u); break;
	case UARTILPR: *v = 0; break;
	case UARTIBRD: *v = u->ibrd; break;
	case UARTFBRD: *v = u->fbrd; break;
	case UARTLCR_H: *v = u->lcr_h; break;
	case UARTCR: *v = u->cr; break;
	case UARTIFLS: *v = u->ifls; break;
	case UARTIMSC: *v = u->imsc; break;
	case UARTRIS: *v = u->ris; break;
	case UARTMIS: *v = u->ris & u->imsc; break;
	case UARTDMACR: *v = u->dmacr; break;
	default:
		if (off >= UARTPERIPHID0 && off < 0x1000 && !(off & 3)) {
			*v = id_regs[(off - UARTPERIPHID0) / 4];
			break;
		}
		*v = 0; /* reserved: RAZ */
		break;
	}
	return true;
}

static bool reg_write(struct vpl011 *u, u64 off, u32 v)
{
	switch (off) {
	case UARTDR:
		tx(u, (u8)v);
		u->ris |= INT_TX;
		break;
	case UARTRSR: break; /* clears errors: none are modelled */
	case UARTIBRD: u->ibrd = v & 0xffff; break;
	case UARTFBRD: u->fbrd = v & 0x3f; break;
	case UARTLCR_H: u->lcr_h = v & 0xff; break;
	case UARTCR: u->cr = v & 0xffff; break;
	case UARTIFLS: u->ifls = v & 0x3f; break;
	case UARTIMSC: u->imsc = v & INT_ALL; break;
	case UARTICR: u->ris &= ~(v & INT_ALL); break;
	case UARTDMACR: u->dmacr = v & 7; break;
	default: break; /* read-only or reserved: WI */
	}
	return true;
}

static bool vpl011_access(struct vcpu *vcpu, void *dev, u64 off,
			  struct mmio_access *a)
{
	struct vpl011 *u = dev;
	bool ok;

	(void)vcpu;
	/* Registers are 32 bits wide; byte and halfword accesses are allowed. */
	if (a->size > 4)
		return false;
	off &= ~(u64)3;
	spin_lock(&u->lock);
	if (a->write) {
		ok = reg_write(u, off, (u32)a->data);
	} else {
		ok = reg_read(u, off, &a->data);
		a->data &= a->size == 4 ? 0xffffffffu : (UINT64_C(1) << (8 * a->size)) - 1;
	}
	update_irq(u);
	spin_unlock(&u->lock);
	return ok;
}

static const struct mmio_ops vpl011_ops = { vpl011_access };

void vpl011_reset(struct vpl011 *u)
{
	spin_lock(&u->lock);
	u->rx_head = u->rx_count = 0;
	u->ris = u->imsc = u->dmacr = 0;
	u->cr = 0x300; /* TXE | RXE */
	u->lcr_h = u->ibrd = u->fbrd = 0;
	u->ifls = 0x12;
	update_irq(u);
	spin_unlock(&u->lock);
}

bool vpl011_init(struct vm *vm, struct vpl011 *u, char *err, size_t errlen)
{
	memset(u, 0, sizeof(*u));
	u->vm = vm;
	u->intid = 32 + vm->desc.uart_spi;
	u->cr = 0x300;
	u->ifls = 0x12;
	if (!mmio_bus_register(&vm->mmio, vm->desc.uart_base, VM_UART_SIZE,
			       &vpl011_ops, u, "pl011")) {
		nv_snprintf(err, errlen, "vm '%s': property 'uart': overlaps another device",
			    vm->desc.name);
		return false;
	}
	return true;
}

bool vpl011_push_input(struct vpl011 *u, u8 c)
{
	bool ok = false;

	spin_lock(&u->lock);
	if (u->rx_count < VPL011_RX_FIFO) {
		u->rx[(u->rx_head + u->rx_count) % VPL011_RX_FIFO] = c;
		u->rx_count++;
		u->ris |= INT_RX | INT_RT;
		ok = true;
	}
	update_irq(u);
	spin_unlock(&u->lock);
	return ok;
}
