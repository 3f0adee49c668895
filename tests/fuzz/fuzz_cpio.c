/*
 * The bundle reader (src/core/cpio.c) on any archive. Checks: every entry
 * cpio_next returns lies inside the archive (name NUL-terminated there,
 * data and size too), the position only moves forward and stays inside,
 * cpio_find answers the way a walk with cpio_next does, and cpio_lookup
 * agrees with both: the same file when there is one, CPIO_END when the
 * archive is whole, CPIO_CORRUPT with a place inside the archive and a
 * terminated reason otherwise; its message fits any buffer given.
 */
#include <nv/cpio.h>
#include "fuzz.h"

static bool inside(const u8 *a, size_t len, const void *p, size_t n)
{
	const u8 *q = p;

	return q >= a && (size_t)(q - a) <= len && n <= len - (size_t)(q - a);
}

static bool regular(const struct cpio_file *f)
{
	return (f->mode & 0170000u) == 0100000u;
}

/* The first regular file a walk finds under name (with or without "./"). */
static bool walk_find(const u8 *a, size_t len, const char *name,
		      struct cpio_file *out)
{
	size_t pos = 0;
	struct cpio_file f;

	while (cpio_next(a, len, &pos, &f) == CPIO_OK) {
		const char *n = f.name;

		if (n[0] == '.' && n[1] == '/')
			n += 2;
		if (!strcmp(n, name) && regular(&f)) {
			*out = f;
			return true;
		}
	}
	return false;
}

/* cpio_lookup for name, given the walk's final status st. */
static void check_lookup(const u8 *a, size_t len, const char *name,
			 enum cpio_status st)
{
	struct cpio_file f, g;
	struct cpio_error e;
	enum cpio_status r;
	char msg[300];
	size_t n;

	memset(&e, 0, sizeof(e));
	r = cpio_lookup(a, len, name, &g, &e);
	if (walk_find(a, len, name, &f)) {
		FUZZ_CHECK(r == CPIO_OK && g.data == f.data && g.size == f.size);
		return;
	}
	FUZZ_CHECK(r == (st == CPIO_END ? CPIO_END : CPIO_CORRUPT));
	if (r != CPIO_CORRUPT)
		return;
	FUZZ_CHECK(e.offset <= len);
	FUZZ_CHECK(fuzz_terminated(e.what, sizeof(e.what)) && e.what[0]);
	if (e.name)
		FUZZ_CHECK(inside(a, len, e.name, 1));
	for (size_t size = 1; size <= sizeof(msg); size += 97) {
		memset(msg, 'x', sizeof(msg));
		n = cpio_error_format(&e, msg, size);
		FUZZ_CHECK(fuzz_terminated(msg, size) && n > 0);
		FUZZ_CHECK(size == sizeof(msg) || msg[size] == 'x');
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy: ASan then sees any read past the archive. */
	u8 *a = malloc(size ? size : 1);
	size_t pos = 0, prev;
	struct cpio_file f, g, first = { 0 };
	unsigned entries = 0;
	enum cpio_status st;

	fuzz_quiet_console();
	memcpy(a, data, size);
	do {
		prev = pos;
		st = cpio_next(a, size, &pos, &f);
		if (st == CPIO_CORRUPT)
			break;
		FUZZ_CHECK(inside(a, size, f.name, 1));
		FUZZ_CHECK(memchr(f.name, 0, size - (size_t)((const u8 *)f.name - a)));
		FUZZ_CHECK(inside(a, size, f.data, f.size));
		FUZZ_CHECK(pos > prev && pos <= size);
		if (!entries++)
			first = f;
	} while (st == CPIO_OK);

	check_lookup(a, size, "scenario.dtb", st);
	if (cpio_find(a, size, "scenario.dtb", &g)) {
		FUZZ_CHECK(walk_find(a, size, "scenario.dtb", &f));
		FUZZ_CHECK(f.data == g.data && f.size == g.size && regular(&g));
	} else {
		FUZZ_CHECK(!walk_find(a, size, "scenario.dtb", &f));
	}
	if (entries && first.name[0] && strcmp(first.name, "./")) {
		const char *n = first.name[0] == '.' && first.name[1] == '/' ?
					first.name + 2 : first.name;
		bool found = cpio_find(a, size, n, &g);

		FUZZ_CHECK(found == walk_find(a, size, n, &f));
		FUZZ_CHECK(!found || (inside(a, size, g.data, g.size) && regular(&g)));
	}
	free(a);
	return 0;
}
