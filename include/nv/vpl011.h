/* The PL011 UART a VM sees (PL011 TRM, ARM DDI 0183). */
#ifndef NV_VPL011_H
#define NV_VPL011_H

#include <nv/spinlock.h>
#include <nv/types.h>

#define VPL011_RX_FIFO 32
#define VPL011_LINE 160

struct vm;

struct vpl011 {
	struct vm *vm;
	u32 intid;
	struct spinlock lock;
	u8 rx[VPL011_RX_FIFO];
	unsigned rx_head, rx_count;
	u32 ris, imsc;
	u32 cr, lcr_h, ibrd, fbrd, ifls, dmacr;
	bool level;
	char line[VPL011_LINE];
	size_t line_len;
};

bool vpl011_init(struct vm *vm, struct vpl011 *u, char *err, size_t errlen);
void vpl011_reset(struct vpl011 *u);
/* Console input for this VM; false if its receive FIFO is full. */
bool vpl011_push_input(struct vpl011 *u, u8 c);
/* Writes out a partial line (the guest waits, e.g. after a prompt). */
void vpl011_flush(struct vpl011 *u);
/* Prefix console lines with the VM's name (more than one VM runs). */
void vpl011_set_prefixed(bool on);

#endif
