/* Helpers of the host tests of nvmm (nvmm_helpers.h). */
#define _GNU_SOURCE /* open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "nvmm.h"
#include "nvmm_helpers.h"

static char *text;
static size_t text_len;

void nvmm_capture_start(void)
{
	nvmm_capture_stop();
	nvmm_log = open_memstream(&text, &text_len);
	assert_non_null(nvmm_log);
}

const char *nvmm_captured(void)
{
	assert_non_null(nvmm_log);
	assert_int_equal(fflush(nvmm_log), 0);
	return text;
}

void nvmm_capture_stop(void)
{
	if (nvmm_log)
		fclose(nvmm_log);
	nvmm_log = NULL;
	free(text);
	text = NULL;
	text_len = 0;
}
