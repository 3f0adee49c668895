/*
 * Helpers of the host tests of nvmm (tests/unit/test_nvmm_*.c), linked
 * into each of them: nvmm's own lines (tools/nvmm/msg.c) captured in
 * memory instead of going to standard error.
 */
#ifndef NVMM_TESTS_UNIT_HELPERS_H
#define NVMM_TESTS_UNIT_HELPERS_H

/* Sends nvmm's lines to an empty memory stream (nvmm_log). */
void nvmm_capture_start(void);
/* The lines nvmm has written since the start, NUL-terminated. */
const char *nvmm_captured(void);
/* Closes the stream; nvmm's lines go to standard error again. */
void nvmm_capture_stop(void);

#endif
