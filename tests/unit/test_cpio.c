/*
 * Host tests of the cpio newc reader (src/core/cpio.c) on archives built
 * in memory. Each archive is parsed from a heap block of exactly its size,
 * so that ASan reports any read beyond its end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <nv/cpio.h>

#define HDR_LEN 110
#define MODE_FILE 0100644u
#define MODE_DIR 040755u

/* Offsets of header fields: "070701" then 13 fields of 8 hex digits. */
enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
       F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK };
#define FIELD_OFF(f) (6 + 8 * (f))

struct ar {
	char buf[4096];
	size_t len;
};

static void pad4(struct ar *a)
{
	while (a->len % 4)
		a->buf[a->len++] = '\0';
}

/* Appends one entry; namesize counts the NUL. */
static void add(struct ar *a, const char *name, u32 mode, const void *data,
		size_t size)
{
	size_t nsz = strlen(name) + 1;
	char hdr[HDR_LEN + 1];

	assert_true(a->len + HDR_LEN + nsz + size + 8 <= sizeof(a->buf));
	snprintf(hdr, sizeof(hdr),
		 "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		 0x100u + (unsigned)a->len, mode, 0u, 0u, 1u, 0x5f000000u,
		 (unsigned)size, 0u, 0u, 0u, 0u, (unsigned)nsz, 0u);
	assert_int_equal(strlen(hdr), HDR_LEN);
	memcpy(a->buf + a->len, hdr, HDR_LEN);
	a->len += HDR_LEN;
	memcpy(a->buf + a->len, name, nsz);
	a->len += nsz;
	pad4(a);
	if (size)
		memcpy(a->buf + a->len, data, size);
	a->len += size;
	pad4(a);
}

static void trailer(struct ar *a)
{
	add(a, "TRAILER!!!", 0, NULL, 0);
}

/* Rewrites a header field of the entry at off. */
static void set_field(struct ar *a, size_t off, int field, const char *hex8)
{
	assert_int_equal(strlen(hex8), 8);
	memcpy(a->buf + off + FIELD_OFF(field), hex8, 8);
}

/* A heap copy of the first len bytes, exactly that big. */
static char *exact(const struct ar *a, size_t len)
{
	char *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, a->buf, len);
	return p;
}

static const char image[] = "KERNEL"; /* 7 bytes with the NUL */
static const char initrd[] = "0123456789abcdef"; /* 17 */
static const char scen[] = { 1, 2, 3, 4 };

/* ".", "Image", "./initrd", "dir" (directory), "dir/scen", trailer. */
static void sample(struct ar *a)
{
	a->len = 0;
	add(a, ".", MODE_DIR, NULL, 0);
	add(a, "Image", MODE_FILE, image, sizeof(image));
	add(a, "./initrd", MODE_FILE, initrd, sizeof(initrd));
	add(a, "dir", MODE_DIR, NULL, 0);
	add(a, "dir/scen", MODE_FILE, scen, sizeof(scen));
	trailer(a);
}

static void test_find(void **state)
{
	struct ar a;
	struct cpio_file f;
	char *p;

	(void)state;
	sample(&a);
	p = exact(&a, a.len);

	assert_true(cpio_find(p, a.len, "Image", &f));
	assert_string_equal(f.name, "Image");
	assert_int_equal(f.size, sizeof(image));
	assert_int_equal(f.mode, MODE_FILE);
	assert_memory_equal(f.data, image, sizeof(image));
	/* Data inside the archive, 4-byte aligned from its start. */
	assert_true((const char *)f.data > p &&
		    (const char *)f.data + f.size <= p + a.len);
	assert_int_equal(((const char *)f.data - p) % 4, 0);

	/* A "./" prefix in the archive is ignored. */
	assert_true(cpio_find(p, a.len, "initrd", &f));
	assert_string_equal(f.name, "./initrd");
	assert_int_equal(f.size, sizeof(initrd));
	assert_memory_equal(f.data, initrd, sizeof(initrd));

	assert_true(cpio_find(p, a.len, "dir/scen", &f));
	assert_int_equal(f.size, 4);
	assert_memory_equal(f.data, scen, 4);

	assert_false(cpio_find(p, a.len, "missing", &f));
	assert_false(cpio_find(p, a.len, "Imag", &f));
	assert_false(cpio_find(p, a.len, "Image2", &f));
	assert_false(cpio_find(p, a.len, "scen", &f));
	assert_false(cpio_find(p, a.len, "", &f));
	/* Directories are not files, nor is the trailer. */
	assert_false(cpio_find(p, a.len, "dir", &f));
	assert_false(cpio_find(p, a.len, ".", &f));
	assert_false(cpio_find(p, a.len, "TRAILER!!!", &f));
	free(p);
}

static void test_next_order(void **state)
{
	static const struct {
		const char *name;
		size_t size;
		u32 mode;
	} want[] = {
		{ ".", 0, MODE_DIR },
		{ "Image", sizeof(image), MODE_FILE },
		{ "./initrd", sizeof(initrd), MODE_FILE },
		{ "dir", 0, MODE_DIR },
		{ "dir/scen", sizeof(scen), MODE_FILE },
	};
	struct ar a;
	struct cpio_file f;
	size_t pos = 0, prev;
	char *p;

	(void)state;
	sample(&a);
	p = exact(&a, a.len);
	for (unsigned i = 0; i < ARRAY_SIZE(want); i++) {
		prev = pos;
		assert_int_equal(cpio_next(p, a.len, &pos, &f), CPIO_OK);
		assert_string_equal(f.name, want[i].name);
		assert_int_equal(f.size, want[i].size);
		assert_int_equal(f.mode, want[i].mode);
		/* The name follows the header; pos moves past the padded data. */
		assert_ptr_equal(f.name, p + prev + HDR_LEN);
		assert_int_equal(pos % 4, 0);
		assert_int_equal(pos, ((size_t)((const char *)f.data - p) +
				       f.size + 3) & ~(size_t)3);
	}
	assert_int_equal(cpio_next(p, a.len, &pos, &f), CPIO_END);
	assert_string_equal(f.name, "TRAILER!!!");
	assert_int_equal(pos, a.len);
	/* Nothing more: reading on is an error, not a read past the end. */
	assert_int_equal(cpio_next(p, a.len, &pos, &f), CPIO_CORRUPT);
	pos = a.len + 1;
	assert_int_equal(cpio_next(p, a.len, &pos, &f), CPIO_CORRUPT);
	free(p);
}

static void test_stops_at_trailer(void **state)
{
	struct ar a;
	struct cpio_file f;
	char *p;

	(void)state;
	a.len = 0;
	add(&a, "a", MODE_FILE, "x", 1);
	trailer(&a);
	add(&a, "after", MODE_FILE, "y", 1);
	/* Block padding as cpio(1) writes it. */
	memset(a.buf + a.len, 0, 512 - a.len % 512);
	a.len += 512 - a.len % 512;
	p = exact(&a, a.len);
	assert_true(cpio_find(p, a.len, "a", &f));
	assert_false(cpio_find(p, a.len, "after", &f));
	free(p);
}

static void test_uppercase_hex_and_exact_end(void **state)
{
	struct ar a;
	struct cpio_file f;
	size_t pos = 0;
	char *p;

	(void)state;
	/* A last file whose data ends the archive, unpadded, no trailer. */
	a.len = 0;
	add(&a, "big", MODE_FILE, initrd, 13);
	set_field(&a, 0, F_MODE, "000081A4"); /* 0100644 in upper case */
	a.len -= 3; /* 13 bytes of data, not 16 */
	p = exact(&a, a.len);
	assert_int_equal(cpio_next(p, a.len, &pos, &f), CPIO_OK);
	assert_int_equal(f.mode, MODE_FILE);
	assert_int_equal(f.size, 13);
	assert_memory_equal(f.data, initrd, 13);
	assert_int_equal(pos, a.len);
	assert_true(cpio_find(p, a.len, "big", &f));
	/* Without a trailer, a name that is absent runs into the end. */
	assert_false(cpio_find(p, a.len, "other", &f));
	free(p);
}

/* A corrupt archive of len bytes: cpio_next and cpio_find refuse it. */
static void expect_corrupt(const struct ar *a, size_t len)
{
	struct cpio_file f;
	size_t pos = 0;
	char *p = exact(a, len);

	assert_int_equal(cpio_next(p, len, &pos, &f), CPIO_CORRUPT);
	assert_int_equal(pos, 0);
	assert_false(cpio_find(p, len, "file", &f));
	free(p);
}

static void one_file(struct ar *a)
{
	a->len = 0;
	add(a, "file", MODE_FILE, "contents", 8);
}

static void test_corrupt(void **state)
{
	struct ar a;

	(void)state;
	/* The unmodified entry is fine. */
	{
		struct cpio_file f;
		char *p;

		one_file(&a);
		p = exact(&a, a.len);
		assert_true(cpio_find(p, a.len, "file", &f));
		free(p);
	}

	/* Bad magic: the old binary/odc formats, or garbage. */
	one_file(&a);
	memcpy(a.buf, "070707", 6);
	expect_corrupt(&a, a.len);
	one_file(&a);
	memcpy(a.buf, "070702", 6); /* newc with CRC: not accepted */
	expect_corrupt(&a, a.len);

	/* A field that is not hex, in several places. */
	one_file(&a);
	a.buf[FIELD_OFF(F_FILESIZE) + 3] = 'g';
	expect_corrupt(&a, a.len);
	one_file(&a);
	a.buf[FIELD_OFF(F_NAMESIZE) + 7] = ' ';
	expect_corrupt(&a, a.len);
	one_file(&a);
	a.buf[FIELD_OFF(F_CHECK)] = 'x';
	expect_corrupt(&a, a.len);
	one_file(&a);
	a.buf[FIELD_OFF(F_INO)] = '\0';
	expect_corrupt(&a, a.len);

	/* namesize: 0, beyond the end, far beyond (no wrap-around). */
	one_file(&a);
	set_field(&a, 0, F_NAMESIZE, "00000000");
	expect_corrupt(&a, a.len);
	one_file(&a);
	set_field(&a, 0, F_NAMESIZE, "00000030"); /* 48 > 16 bytes left */
	expect_corrupt(&a, a.len);
	one_file(&a);
	set_field(&a, 0, F_NAMESIZE, "ffffffff");
	expect_corrupt(&a, a.len);
	/* The 14 bytes left after the header, plus one: its "NUL" would be
	 * the byte after the archive. */
	one_file(&a);
	assert_int_equal(a.len, HDR_LEN + 14);
	set_field(&a, 0, F_NAMESIZE, "0000000f");
	expect_corrupt(&a, a.len);

	/* A name without its NUL (namesize 4 for "file"). */
	one_file(&a);
	set_field(&a, 0, F_NAMESIZE, "00000004");
	expect_corrupt(&a, a.len);

	/* filesize beyond the end, by one byte and by far. */
	one_file(&a);
	set_field(&a, 0, F_FILESIZE, "00000009");
	expect_corrupt(&a, a.len);
	one_file(&a);
	set_field(&a, 0, F_FILESIZE, "fffffffc");
	expect_corrupt(&a, a.len);
	/* ... or the data missing entirely: the archive ends in the name,
	 * or in the padding after it even for an empty file. */
	one_file(&a);
	expect_corrupt(&a, HDR_LEN + 3);
	a.len = 0;
	add(&a, "file", MODE_FILE, NULL, 0);
	assert_int_equal(a.len, HDR_LEN + 6);
	expect_corrupt(&a, HDR_LEN + 5);

	/* Truncated headers, including an empty archive. */
	one_file(&a);
	expect_corrupt(&a, HDR_LEN - 1);
	expect_corrupt(&a, 6);
	expect_corrupt(&a, 0);
}

/* A corrupt entry after good ones: those are found, the rest is not. */
static void test_corrupt_later_entry(void **state)
{
	struct ar a;
	struct cpio_file f;
	size_t pos = 0, second;
	char *p;

	(void)state;
	a.len = 0;
	add(&a, "good", MODE_FILE, "1234", 4);
	second = a.len;
	add(&a, "bad", MODE_FILE, "5678", 4);
	trailer(&a);
	set_field(&a, second, F_FILESIZE, "00001000");
	p = exact(&a, a.len);
	assert_true(cpio_find(p, a.len, "good", &f));
	assert_false(cpio_find(p, a.len, "bad", &f));
	assert_false(cpio_find(p, a.len, "absent", &f));
	assert_int_equal(cpio_next(p, a.len, &pos, &f), CPIO_OK);
	assert_int_equal(pos, second);
	assert_int_equal(cpio_next(p, a.len, &pos, &f), CPIO_CORRUPT);
	assert_int_equal(pos, second);
	free(p);
}

/* cpio_lookup on the first len bytes of a: status, and the message in msg. */
static enum cpio_status lookup(const struct ar *a, size_t len, const char *name,
			       struct cpio_error *e, char *msg, size_t msglen)
{
	struct cpio_file f;
	char *p = exact(a, len);
	enum cpio_status st;

	memset(e, 0xa5, sizeof(*e));
	st = cpio_lookup(p, len, name, &f, e);
	msg[0] = '\0';
	if (st == CPIO_CORRUPT) {
		/* e->name points into the archive: format before freeing it. */
		cpio_error_format(e, msg, msglen);
		e->name = e->name ? "(set)" : NULL;
	}
	free(p);
	return st;
}

/*
 * A truncated or malformed bundle is told apart from a missing file, and
 * the message says where: the offset of the entry's header and its name.
 */
static void test_lookup_says_where(void **state)
{
	struct ar a;
	struct cpio_error e;
	char msg[256], want[192];
	size_t second;

	(void)state;
	a.len = 0;
	add(&a, "scenario.dtb", MODE_FILE, "1234", 4);
	second = a.len;
	add(&a, "kernel", MODE_FILE, "0123456789abcdef", 16);
	trailer(&a);

	/* Whole: a file that is there, one that is not (CPIO_END, no message). */
	assert_int_equal(lookup(&a, a.len, "kernel", &e, msg, sizeof(msg)), CPIO_OK);
	assert_int_equal(lookup(&a, a.len, "absent", &e, msg, sizeof(msg)), CPIO_END);

	/* Cut in the middle of the kernel's data. */
	assert_int_equal(lookup(&a, second + HDR_LEN + 10 + 5, "kernel", &e, msg,
				sizeof(msg)), CPIO_CORRUPT);
	assert_int_equal(e.offset, second);
	snprintf(want, sizeof(want),
		 "the bundle is truncated or malformed at offset 0x%zx (entry 'kernel'): ",
		 second);
	if (strncmp(msg, want, strlen(want)))
		fail_msg("\"%s\" does not start with \"%s\"", msg, want);
	assert_non_null(strstr(msg, "file size 0x10 runs past the end of the archive: only 0x5 bytes follow its name"));
	/* The same for a file looked up after it: the archive is bad there. */
	assert_int_equal(lookup(&a, second + HDR_LEN + 10 + 5, "absent", &e, msg,
				sizeof(msg)), CPIO_CORRUPT);
	assert_int_equal(e.offset, second);
	/* A file before the damage is still found. */
	assert_int_equal(lookup(&a, second + 20, "scenario.dtb", &e, msg,
				sizeof(msg)), CPIO_OK);

	/* A size field pointing past the end of a whole archive. */
	set_field(&a, second, F_FILESIZE, "00100000");
	assert_int_equal(lookup(&a, a.len, "kernel", &e, msg, sizeof(msg)), CPIO_CORRUPT);
	assert_int_equal(e.offset, second);
	assert_non_null(strstr(msg, "(entry 'kernel'): file size 0x100000 runs past the end"));
	set_field(&a, second, F_FILESIZE, "00000010");

	/* Cut between entries: no trailer. */
	assert_int_equal(lookup(&a, second, "kernel", &e, msg, sizeof(msg)), CPIO_CORRUPT);
	assert_int_equal(e.offset, second);
	assert_null(e.name);
	snprintf(want, sizeof(want),
		 "the bundle is truncated or malformed at offset 0x%zx: the archive ends without its TRAILER!!! entry",
		 second);
	assert_string_equal(msg, want);

	/* Cut inside a header, inside a name. */
	assert_int_equal(lookup(&a, second + 50, "kernel", &e, msg, sizeof(msg)), CPIO_CORRUPT);
	assert_non_null(strstr(msg, "ends inside an entry header (50 of 110 bytes)"));
	assert_int_equal(lookup(&a, second + HDR_LEN + 3, "kernel", &e, msg, sizeof(msg)),
			 CPIO_CORRUPT);
	assert_non_null(strstr(msg, "name size 0x7 runs past the end of the archive"));
	assert_null(e.name);

	/* A bad magic or field in the second header. */
	memcpy(a.buf + second, "070707", 6);
	assert_int_equal(lookup(&a, a.len, "kernel", &e, msg, sizeof(msg)), CPIO_CORRUPT);
	assert_non_null(strstr(msg, "no newc header magic 070701"));
	memcpy(a.buf + second, "070701", 6);
	a.buf[second + FIELD_OFF(F_MTIME) + 2] = 'z';
	assert_int_equal(lookup(&a, a.len, "kernel", &e, msg, sizeof(msg)), CPIO_CORRUPT);
	assert_non_null(strstr(msg, "header field c_mtime is not 8 hex digits"));

	/* Nothing at all: offset 0. */
	assert_int_equal(lookup(&a, 0, "kernel", &e, msg, sizeof(msg)), CPIO_CORRUPT);
	assert_int_equal(e.offset, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_next_order),
		cmocka_unit_test(test_stops_at_trailer),
		cmocka_unit_test(test_uppercase_hex_and_exact_end),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_corrupt_later_entry),
		cmocka_unit_test(test_lookup_says_where),
	};

	return cmocka_run_group_tests_name("cpio", tests, NULL, NULL);
}
