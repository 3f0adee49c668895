/*
 * Validation of a flattened device tree before libfdt walks it. libfdt
 * 1.6.1 trusts the structure block: a property whose length takes the
 * walk back to its own tag makes every walk (fdt_check_full included)
 * loop for ever, a tree that closes more nodes than it opens makes
 * fdt_get_path write before its buffer, and versions before 16 make
 * fdt_check_full read address 0.
 */
#ifndef NV_FDT_CHECK_H
#define NV_FDT_CHECK_H

#include <nv/types.h>

/*
 * 0 if the blob at fdt, of at most size bytes, is a version-17 device
 * tree whose structure block is well formed (Devicetree Specification
 * v0.4, 5.4: one root node at offset 0, nodes properly nested, every token
 * inside the block and moving forward, FDT_END last) and that
 * fdt_check_full accepts; else a negative libfdt error (-FDT_ERR_*).
 */
int fdt_check_blob(const void *fdt, size_t size);

#endif
