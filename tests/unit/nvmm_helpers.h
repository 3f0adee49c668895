/*
 * Helpers of the host tests of nvmm (tests/unit/test_nvmm_*.c), linked
 * into each of them: nvmm's own lines (tools/nvmm/msg.c) captured in
 * memory instead of going to standard error, and files in a temporary
 * directory of the test's own.
 */
#ifndef NVMM_TESTS_UNIT_HELPERS_H
#define NVMM_TESTS_UNIT_HELPERS_H

#include <stddef.h>

/* Sends nvmm's lines to an empty memory stream (nvmm_log). */
void nvmm_capture_start(void);
/* The lines nvmm has written since the start, NUL-terminated. */
const char *nvmm_captured(void);
/* Closes the stream; nvmm's lines go to standard error again. */
void nvmm_capture_stop(void);

/* The path of name in the test's temporary directory (made on first use,
 * under $TMPDIR or /tmp); a static buffer, valid until the next call. */
const char *nvmm_tmp_path(const char *name);
/* Writes len bytes of data to name in that directory; its path. */
const char *nvmm_tmp_write(const char *name, const void *data, size_t len);
/* Removes the directory and the files in it. */
void nvmm_tmp_cleanup(void);

#endif
