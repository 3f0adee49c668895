/* Boot parameter parser: a table of parameters, each with its values. */
#include <string.h>
#include <nv/bootparam.h>
#include <nv/fmt.h>

#define MAX_VALUES 5

struct param {
	const char *name;
	const char *values[MAX_VALUES];
	void (*set)(struct bootparams *bp, unsigned idx);
};

static void set_nested(struct bootparams *bp, unsigned idx)
{
	bp->nested = (enum nested_mode)idx;
}

static void set_loglevel(struct bootparams *bp, unsigned idx)
{
	bp->loglevel = (enum log_level)idx;
}

static void set_selftest(struct bootparams *bp, unsigned idx)
{
	bp->selftest = (enum selftest)idx;
}

/* Value order matches the enums above. */
static const struct param params[] = {
	{ "nested", { "off", "nv", "nv2", "auto" }, set_nested },
	{ "loglevel", { "error", "warn", "info", "debug" }, set_loglevel },
	{ "selftest", { "none", "crash" }, set_selftest },
};

const char *nested_mode_name(enum nested_mode m)
{
	return (unsigned)m < 4 ? params[0].values[m] : "?";
}

static size_t describe_values(const struct param *p, char *buf, size_t len)
{
	size_t n = 0;

	for (unsigned i = 0; i < MAX_VALUES && p->values[i]; i++)
		n += nv_snprintf(buf + MIN(n, len), len - MIN(n, len), "%s%s",
				 i ? "|" : "", p->values[i]);
	return n;
}

static void describe_all(char *buf, size_t len)
{
	size_t n = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(params); i++) {
		n += nv_snprintf(buf + MIN(n, len), len - MIN(n, len), "%s%s=",
				 i ? " " : "", params[i].name);
		n += describe_values(&params[i], buf + MIN(n, len),
				     len - MIN(n, len));
	}
}

static bool parse_word(const char *w, size_t wlen, struct bootparams *bp,
		       char *err, size_t errlen)
{
	const char *eq = memchr(w, '=', wlen);
	size_t klen = eq ? (size_t)(eq - w) : wlen;
	char valid[256];

	for (unsigned i = 0; i < ARRAY_SIZE(params); i++) {
		const struct param *p = &params[i];

		if (strlen(p->name) != klen || strncmp(p->name, w, klen))
			continue;
		if (eq) {
			const char *v = eq + 1;
			size_t vlen = wlen - klen - 1;

			for (unsigned j = 0; j < MAX_VALUES && p->values[j]; j++) {
				if (strlen(p->values[j]) == vlen &&
				    !strncmp(p->values[j], v, vlen)) {
					p->set(bp, j);
					return true;
				}
			}
		}
		describe_values(p, valid, sizeof(valid));
		nv_snprintf(err, errlen,
			    "boot parameter '%.*s' is malformed: %s takes one of %s",
			    (int)wlen, w, p->name, valid);
		return false;
	}
	describe_all(valid, sizeof(valid));
	nv_snprintf(err, errlen,
		    "unknown boot parameter '%.*s'; valid parameters: %s",
		    (int)wlen, w, valid);
	return false;
}

bool bootparams_parse(const char *cmdline, struct bootparams *out, char *err,
		      size_t errlen)
{
	const char *s = cmdline ? cmdline : "";

	out->nested = NESTED_AUTO;
	out->loglevel = LOG_INFO;
	out->selftest = SELFTEST_NONE;
	if (errlen)
		err[0] = '\0';
	while (*s) {
		size_t n = 0;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		while (s[n] && s[n] != ' ' && s[n] != '\t' && s[n] != '\n')
			n++;
		if (n && !parse_word(s, n, out, err, errlen))
			return false;
		s += n;
	}
	return true;
}
