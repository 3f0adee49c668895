/* Helpers of the host tests of nvmm (nvmm_helpers.h). */
#define _GNU_SOURCE /* open_memstream */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

static char tmp_dir[256];

const char *nvmm_tmp_path(const char *name)
{
	static char path[512];

	if (!tmp_dir[0]) {
		const char *base = getenv("TMPDIR");
		snprintf(tmp_dir, sizeof(tmp_dir), "%s/nvmm-test-XXXXXX", base && *base ? base : "/tmp");
		assert_non_null(mkdtemp(tmp_dir));
	}
	snprintf(path, sizeof(path), "%s/%s", tmp_dir, name);
	return path;
}

const char *nvmm_tmp_write(const char *name, const void *data, size_t len)
{
	const char *path = nvmm_tmp_path(name);
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

void nvmm_tmp_cleanup(void)
{
	char path[512];
	DIR *d;
	struct dirent *e;

	if (!tmp_dir[0])
		return;
	d = opendir(tmp_dir);
	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(path, sizeof(path), "%s/%s", tmp_dir, e->d_name);
			assert_int_equal(unlink(path), 0);
		}
	closedir(d);
	assert_int_equal(rmdir(tmp_dir), 0);
	tmp_dir[0] = '\0';
}
