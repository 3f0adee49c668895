/*
 * The boot-parameter parser (src/core/bootparam.c) on any /chosen/bootargs
 * string: the first byte sizes the error buffer (1..256, for truncation),
 * the rest is the command line (at most 511 bytes, as platform.c keeps
 * it). Checks: the error message stays inside its buffer and is
 * terminated; a parsed line gives values inside their enums, and the
 * canonical line for those values parses to the same result.
 */
#include <nv/bootparam.h>
#include <nv/log.h>
#include "fuzz.h"

static const char *const log_names[] = { "error", "warn", "info", "debug" };
static const char *const selftest_names[] = { "none", "crash" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	size_t errlen = (size_t)fuzz_u8(&in) + 1;
	char line[512], again[128], err[257];
	struct bootparams bp, bp2;
	size_t n = in.n < sizeof(line) - 1 ? in.n : sizeof(line) - 1;

	fuzz_quiet_console();
	memcpy(line, in.p, n);
	line[n] = '\0';
	memset(err, 'x', sizeof(err));
	if (!bootparams_parse(line, &bp, err, errlen)) {
		FUZZ_CHECK(fuzz_terminated(err, errlen));
		FUZZ_CHECK(err[errlen] == 'x');
		return 0;
	}
	FUZZ_CHECK((unsigned)bp.nested <= NESTED_AUTO);
	FUZZ_CHECK((unsigned)bp.loglevel < 4);
	FUZZ_CHECK((unsigned)bp.selftest < 2);
	snprintf(again, sizeof(again), "nested=%s loglevel=%s selftest=%s",
		 nested_mode_name(bp.nested), log_names[bp.loglevel],
		 selftest_names[bp.selftest]);
	FUZZ_CHECK(bootparams_parse(again, &bp2, err, sizeof(err)));
	FUZZ_CHECK(bp2.nested == bp.nested && bp2.loglevel == bp.loglevel &&
		   bp2.selftest == bp.selftest);
	return 0;
}
