/*
 * UTF-8 decoding and the few character classes pia needs before ICU is
 * involved (column counting, soft-break joining of Japanese text).
 */
#include <string.h>

#include "util.h"

size_t
pia_utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c;
	size_t len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
		return 0;
	*cp = c;
	return len;
}

int
pia_utf8_valid(const char *s, size_t n, size_t *bad)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		if (s[i] == '\0' || (k = pia_utf8_decode(s + i, n - i, &cp)) == 0) {
			if (bad)
				*bad = i;
			return 0;
		}
		i += k;
	}
	return 1;
}

size_t
pia_utf8_count(const char *s, size_t n)
{
	size_t i = 0, k, count = 0;
	uint32_t cp;

	while (i < n) {
		k = pia_utf8_decode(s + i, n - i, &cp);
		i += k ? k : 1;
		count++;
	}
	return count;
}

/*
 * Wide characters for the purpose of joining lines: a line break between
 * two of these is dropped rather than turned into a space (libs.md §5.2).
 */
int
pia_cp_is_wide(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115F) ||	/* Hangul Jamo */
	    (cp >= 0x2460 && cp <= 0x24FF) ||		/* ①… */
	    (cp >= 0x2160 && cp <= 0x217F) ||		/* Ⅰ… */
	    (cp >= 0x2E80 && cp <= 0x303E) ||		/* CJK radicals, punctuation */
	    (cp >= 0x3041 && cp <= 0x33FF) ||		/* kana, CJK symbols */
	    (cp >= 0x3400 && cp <= 0x4DBF) ||
	    (cp >= 0x4E00 && cp <= 0x9FFF) ||
	    (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) ||
	    (cp >= 0xFF00 && cp <= 0xFF60) ||		/* fullwidth forms */
	    (cp >= 0xFFE0 && cp <= 0xFFE6) ||
	    (cp >= 0x20000 && cp <= 0x3FFFD) ||
	    cp == 0x203B;				/* ※ */
}

/* Code points of s into v (at most max); returns the count. */
static size_t
cps(const char *s, uint32_t *v, size_t max)
{
	size_t n = 0, k, len = strlen(s);

	while (*s && n < max) {
		if ((k = pia_utf8_decode(s, len, &v[n])) == 0)
			k = 1;
		else
			n++;
		s += k;
		len -= k;
	}
	return n;
}

size_t
pia_utf8_distance(const char *a, const char *b)
{
	uint32_t x[128], y[128];
	size_t n = cps(a, x, 128), m = cps(b, y, 128), i, j;
	size_t row[129], prev, tmp;

	for (j = 0; j <= m; j++)
		row[j] = j;
	for (i = 1; i <= n; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= m; j++) {
			tmp = row[j];
			row[j] = x[i - 1] == y[j - 1] ? prev :
			    1 + (prev < row[j] ? (prev < row[j - 1] ? prev : row[j - 1]) :
			    (row[j] < row[j - 1] ? row[j] : row[j - 1]));
			prev = tmp;
		}
	}
	return row[m];
}
