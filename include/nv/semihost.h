/*
 * Arm semihosting (the A64 HLT #0xF000 interface), used only to report an
 * exit status to the emulator and as a last-resort console. Probed at boot:
 * without it HLT is UNDEFINED and the probe's exception is absorbed.
 */
#ifndef NV_SEMIHOST_H
#define NV_SEMIHOST_H

#include <nv/trap.h>
#include <nv/types.h>

bool semihost_probe(void);
bool semihost_available(void);
void semihost_write(const char *s, size_t n);
/* Returns only if semihosting is not available. */
void semihost_exit(unsigned code);
/* Makes semihosting the console (when the device tree names no UART). */
void semihost_console_init(void);
/* Absorbs the UNDEF of a probe; true if f was the probe's exception. */
bool semihost_fixup(struct trap_frame *f);

#endif
