/* printf-style formatter used by the log and the device-tree generator. */
#include <nv/fmt.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, size_t n)
{
	while (n--)
		put(o, c);
}

struct spec {
	bool left;
	bool zero;
	size_t width;
	int prec; /* -1: none */
};

static void emit_str(struct out *o, const struct spec *sp, const char *s)
{
	size_t n = 0;

	if (!s)
		s = "(null)";
	while (s[n] && (sp->prec < 0 || n < (size_t)sp->prec))
		n++;
	if (!sp->left && sp->width > n)
		pad(o, ' ', sp->width - n);
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left && sp->width > n)
		pad(o, ' ', sp->width - n);
}

static void emit_num(struct out *o, const struct spec *sp, u64 v, bool neg,
		     unsigned base, bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	size_t n = 0, plen = 0, total;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		prefix = "-";
	while (prefix && prefix[plen])
		plen++;
	total = n + plen;
	if (!sp->left && !sp->zero && sp->width > total)
		pad(o, ' ', sp->width - total);
	for (size_t i = 0; i < plen; i++)
		put(o, prefix[i]);
	if (!sp->left && sp->zero && sp->width > total)
		pad(o, '0', sp->width - total);
	while (n)
		put(o, tmp[--n]);
	if (sp->left && sp->width > total)
		pad(o, ' ', sp->width - total);
}

size_t nv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		struct spec sp = { false, false, 0, -1 };
		int lng = 0; /* -2 hh, -1 h, 0 int, 1 long, 2 long long */

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '0')
				sp.zero = true;
			else
				break;
		}
		if (*fmt == '*') {
			int w = va_arg(ap, int);
			sp.width = w < 0 ? 0 : (size_t)w;
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			sp.width = sp.width * 10 + (size_t)(*fmt++ - '0');
		if (*fmt == '.') {
			fmt++;
			sp.prec = 0;
			if (*fmt == '*') {
				sp.prec = va_arg(ap, int);
				fmt++;
			}
			while (*fmt >= '0' && *fmt <= '9')
				sp.prec = sp.prec * 10 + (*fmt++ - '0');
		}
		for (;; fmt++) {
			if (*fmt == 'l')
				lng++;
			else if (*fmt == 'h')
				lng--;
			else if (*fmt == 'z')
				lng = 1;
			else
				break;
		}
		switch (*fmt) {
		case '\0':
			fmt--;
			break;
		case '%':
			put(&o, '%');
			break;
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case 's':
			emit_str(&o, &sp, va_arg(ap, const char *));
			break;
		case 'p':
			sp.zero = false;
			emit_num(&o, &sp, (u64)(uintptr_t)va_arg(ap, void *),
				 false, 16, false, "0x");
			break;
		case 'd':
		case 'i': {
			s64 v;

			if (lng >= 2)
				v = va_arg(ap, long long);
			else if (lng == 1)
				v = va_arg(ap, long);
			else
				v = va_arg(ap, int);
			if (lng == -1)
				v = (short)v;
			else if (lng <= -2)
				v = (signed char)v;
			emit_num(&o, &sp, v < 0 ? (u64)0 - (u64)v : (u64)v,
				 v < 0, 10, false, NULL);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			u64 v;

			if (lng >= 2)
				v = va_arg(ap, unsigned long long);
			else if (lng == 1)
				v = va_arg(ap, unsigned long);
			else
				v = va_arg(ap, unsigned int);
			if (lng == -1)
				v = (unsigned short)v;
			else if (lng <= -2)
				v = (unsigned char)v;
			emit_num(&o, &sp, v, false, *fmt == 'u' ? 10 : 16,
				 *fmt == 'X', NULL);
			break;
		}
		default:
			/* Unknown conversion: print it verbatim. */
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}

size_t nv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = nv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
