/* nestvisor's own boot parameters, read from /chosen/bootargs. */
#ifndef NV_BOOTPARAM_H
#define NV_BOOTPARAM_H

#include <nv/log.h>
#include <nv/types.h>

enum nested_mode {
	NESTED_OFF,
	NESTED_NV,  /* FEAT_NV (Armv8.3): L1's EL2 accesses trap to L0 */
	NESTED_NV2, /* FEAT_NV2 (Armv8.4): most go to the VNCR page */
	NESTED_AUTO,
};

enum selftest {
	SELFTEST_NONE,
	SELFTEST_CRASH, /* take a data abort at EL2: exercises the crash report */
};

struct bootparams {
	enum nested_mode nested;
	enum log_level loglevel;
	enum selftest selftest;
};

/*
 * Parses a space-separated list of key=value words. Words that are not
 * nestvisor's (none today) are errors. On error returns false and writes a
 * message naming the bad word and listing the valid parameters into err.
 */
bool bootparams_parse(const char *cmdline, struct bootparams *out, char *err,
		      size_t errlen);
const char *nested_mode_name(enum nested_mode m);

#endif
