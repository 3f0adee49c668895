/* nestvisor,test-mmio: a scratch device for MMIO emulation tests. */
#ifndef NV_TESTDEV_H
#define NV_TESTDEV_H

#include <nv/types.h>

struct vm;

struct testdev {
	struct vm *vm;
	u8 scratch[256];
};

bool testdev_init(struct vm *vm, struct testdev *t, char *err, size_t errlen);

#endif
