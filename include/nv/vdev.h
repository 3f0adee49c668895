/* The emulated devices of a VM, created and reset together. */
#ifndef NV_VDEV_H
#define NV_VDEV_H

#include <nv/types.h>

struct vm;
struct vm_host;

/* vGIC, PL011, test device, timers; false with a message on failure. */
bool vdev_init_vm(struct vm *vm, const struct vm_host *host, char *err,
		  size_t errlen);
void vdev_reset_vm(struct vm *vm);

#endif
