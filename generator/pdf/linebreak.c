/*
 * Japanese line breaking for the PDF renderer.  libharu cannot break
 * Japanese text (HPDF_Page_TextRect fails, MeasureText cuts UTF-8
 * sequences), so paragraphs are laid out here and the device only draws
 * finished lines.
 *
 * Break opportunities come from ICU's line BreakIterator with the locale
 * "ja@lb=strict": it keeps small kana, ー and 々 with the previous
 * character, keeps （株） and numbers whole and breaks URLs after '/'.
 * The 行頭禁則 and 行末禁則 lists of JIS X 4051 / JLReq are applied again
 * on top, so that a change in ICU's data cannot put 。 at the start of a
 * line.  Lines are filled greedily; when a character that must not start
 * a line would start one, the last allowed break before it is taken
 * (追い出し).  Punctuation never hangs into the margin: table cells have
 * rules right next to the text.  Wrapped lines are justified by spreading
 * the remaining space over the gaps between characters, for the device
 * to apply with Tc.
 *
 * Measuring goes through struct pia_measure, so this file knows nothing
 * about fonts and tests can use a fake fixed-width font.  The breaker
 * holds only an ICU iterator and scratch buffers; there is no global
 * state.
 */

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utypes.h>

#include "pdf_int.h"

/*
 * Widths are sums of doubles: 10 × 10.5 pt may come out a hair above
 * 105 pt.  A millionth of a point is far below anything visible.
 */
#define EPS	1e-6

struct pia_breaker {
	UBreakIterator	*bi;
	size_t		 cap;	/* entries in cp, off, w, brk, u16, u2c */
	size_t		 n;	/* code points in the current text */
	uint32_t	*cp;	/* code points */
	size_t		*off;	/* byte offset of each; off[n] is the length */
	double		*w;	/* advance of each, in points */
	unsigned char	*brk;	/* brk[i]: a line may start at code point i */
	UChar		*u16;	/* the text in UTF-16, for ICU */
	size_t		*u2c;	/* UTF-16 index -> code point index */
};

/*
 * Characters that must not start a line (行頭禁則), sorted: closing
 * brackets and quotes, hyphens ‐ ゠ 〜, dividing punctuation ？！,
 * middle dots ・：；, full stops and commas, iteration marks 々 ゝ ヽ,
 * the prolonged sound mark ー and small kana, each in its full-width,
 * half-width and ASCII forms (JLReq cl-02 to cl-07, cl-09 to cl-11).
 * The small katakana U+31F0–U+31FF and half-width ｧ–ｯ are ranges below.
 */
static const uint32_t nostart_cps[] = {
	0x0021, 0x0029, 0x002C, 0x002E, 0x003A, 0x003B, 0x003F, 0x005D,
	0x007D, 0x00BB,
	0x2010, 0x2013, 0x2019, 0x201D, 0x203C, 0x2047, 0x2048, 0x2049,
	0x3001, 0x3002, 0x3005, 0x3009, 0x300B, 0x300D, 0x300F, 0x3011,
	0x3015, 0x3017, 0x3019, 0x301C, 0x301F, 0x303B,
	0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083, 0x3085,
	0x3087, 0x308E, 0x3095, 0x3096, 0x309B, 0x309C, 0x309D, 0x309E,
	0x30A0, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30C3, 0x30E3,
	0x30E5, 0x30E7, 0x30EE, 0x30F5, 0x30F6, 0x30FB, 0x30FC, 0x30FD,
	0x30FE,
	0xFF01, 0xFF09, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF3D,
	0xFF5D, 0xFF60, 0xFF61, 0xFF63, 0xFF64, 0xFF65, 0xFF70,
};

/*
 * Characters that must not end a line (行末禁則, JLReq cl-01), sorted;
 * also the hyphen-minus: text extraction (pdftotext, copying from a
 * viewer) takes a hyphen at a line end for word hyphenation and drops
 * it, which would cut 「Ⅱ(1)-4-委託事項2-⑥委託先名」.
 */
static const uint32_t noend_cps[] = {
	0x0028, 0x002D, 0x005B, 0x007B, 0x00AB, 0x2018, 0x201C,
	0x3008, 0x300A, 0x300C, 0x300E, 0x3010, 0x3014, 0x3016, 0x3018,
	0x301D, 0xFF08, 0xFF3B, 0xFF5B, 0xFF5F, 0xFF62,
};

static int
incps(const uint32_t *v, size_t n, uint32_t c)
{
	size_t	 lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid] == c)
			return 1;
		if (v[mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int
nostart(uint32_t c)
{
	int	 lb;

	if ((c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF67 && c <= 0xFF6F))
		return 1;
	if (incps(nostart_cps, sizeof(nostart_cps) / sizeof(nostart_cps[0]),
	    c))
		return 1;
	/* A combining mark or variation selector belongs to its base. */
	lb = u_getIntPropertyValue((UChar32)c, UCHAR_LINE_BREAK);
	return lb == U_LB_COMBINING_MARK || lb == U_LB_ZWJ;
}

static int
noend(uint32_t c)
{
	return incps(noend_cps, sizeof(noend_cps) / sizeof(noend_cps[0]), c);
}

/* The spaces a wrapped line sheds at its ends. */
static int
isspc(uint32_t c)
{
	return c == 0x20 || c == 0x3000;
}

/*
 * Decode one UTF-8 sequence of s[0, n), n > 0.  Returns its length and
 * sets *cp; an invalid or truncated sequence (overlong, surrogate, above
 * U+10FFFF) is one byte read as U+FFFD, so that every byte is consumed and
 * byte offsets stay exact.
 */
static size_t
u8dec(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t	 c;
	size_t		 len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xC2)
		goto bad;
	else if (s[0] < 0xE0) {
		len = 2;
		c = s[0] & 0x1F;
	} else if (s[0] < 0xF0) {
		len = 3;
		c = s[0] & 0x0F;
	} else if (s[0] < 0xF5) {
		len = 4;
		c = s[0] & 0x07;
	} else
		goto bad;
	if (n < len)
		goto bad;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) ||
	    (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		goto bad;
	*cp = c;
	return len;
bad:
	*cp = 0xFFFD;
	return 1;
}

struct pia_breaker *
pia_linebreak_new(void)
{
	struct pia_breaker	*br;
	UErrorCode		 st = U_ZERO_ERROR;

	if ((br = calloc(1, sizeof(*br))) == NULL)
		return NULL;
	br->bi = ubrk_open(UBRK_LINE, "ja@lb=strict", NULL, 0, &st);
	if (U_FAILURE(st) || br->bi == NULL) {
		free(br);
		return NULL;
	}
	return br;
}

void
pia_linebreak_free(struct pia_breaker *br)
{
	if (br == NULL)
		return;
	if (br->bi != NULL)
		ubrk_close(br->bi);
	free(br->cp);
	free(br->off);
	free(br->w);
	free(br->brk);
	free(br->u16);
	free(br->u2c);
	free(br);
}

void
pia_linebreak_lines_free(struct pia_lines *ls)
{
	if (ls == NULL)
		return;
	free(ls->v);
	ls->v = NULL;
	ls->n = ls->cap = 0;
}

/*
 * Make room for a text of len bytes: it has at most len code points and
 * at most len UTF-16 units (only 4-byte sequences need 2 units), plus the
 * end entries.
 */
static int
reserve(struct pia_breaker *br, size_t len)
{
	size_t	 cap;
	void	*p;

	if (len < br->cap)
		return 0;
	cap = br->cap ? br->cap : 256;
	while (cap <= len) {
		if (cap > SIZE_MAX / 2 / sizeof(double))
			return -1;
		cap *= 2;
	}
#define GROW(f) do { \
	if ((p = realloc(br->f, cap * sizeof(*br->f))) == NULL) \
		return -1; \
	br->f = p; \
} while (0)
	GROW(cp);
	GROW(off);
	GROW(w);
	GROW(brk);
	GROW(u16);
	GROW(u2c);
#undef GROW
	br->cap = cap;
	return 0;
}

/*
 * Decode and measure the text, and give ICU its break opportunities,
 * filtered through the 禁則 lists.  Returns 0 or -1.
 */
static int
prepare(struct pia_breaker *br, const char *text, size_t len,
    const struct pia_measure *m)
{
	const unsigned char	*s = (const unsigned char *)text;
	UErrorCode		 st = U_ZERO_ERROR;
	size_t			 i, n = 0, n16 = 0, k;
	int32_t			 p;
	uint32_t		 c;
	double			 w;

	if (len >= INT32_MAX || reserve(br, len) == -1)
		return -1;
	for (i = 0; i < len; i += k, n++) {
		k = u8dec(s + i, len - i, &c);
		br->cp[n] = c;
		br->off[n] = i;
		w = m->width(m->arg, c);
		/* Never trust a callback with a negative or NaN width. */
		br->w[n] = w > 0 ? w : 0;
		br->brk[n] = 0;
		if (c < 0x10000) {
			br->u2c[n16] = n;
			br->u16[n16++] = (UChar)c;
		} else {
			br->u2c[n16] = n;
			br->u16[n16++] = (UChar)(0xD7C0 + (c >> 10));
			/* ICU never breaks between surrogates. */
			br->u2c[n16] = SIZE_MAX;
			br->u16[n16++] = (UChar)(0xDC00 | (c & 0x3FF));
		}
	}
	br->off[n] = len;
	br->n = n;
	if (n == 0)
		return 0;

	ubrk_setText(br->bi, br->u16, (int32_t)n16, &st);
	if (U_FAILURE(st))
		return -1;
	ubrk_first(br->bi);
	while ((p = ubrk_next(br->bi)) != UBRK_DONE)
		if (p > 0 && (size_t)p < n16 && br->u2c[p] != SIZE_MAX)
			br->brk[br->u2c[p]] = 1;
	/* The iterator points into u16, which is scratch: let go of it. */
	ubrk_setText(br->bi, NULL, 0, &st);

	for (i = 1; i < n; i++)
		if (br->brk[i] &&
		    (nostart(br->cp[i]) || noend(br->cp[i - 1])))
			br->brk[i] = 0;
	return 0;
}

/*
 * Whether a line [s, k) with the next one starting at k (both within the
 * hard line ending at b) honours 禁則 at its edges, spaces aside.
 */
static int
okbreak(const struct pia_breaker *br, size_t s, size_t k, size_t b)
{
	size_t	 p = k, q = k;

	while (p > s && isspc(br->cp[p - 1]))
		p--;
	if (p == s || noend(br->cp[p - 1]))
		return 0;
	while (q < b && isspc(br->cp[q]))
		q++;
	return q == b || !nostart(br->cp[q]);
}

/*
 * Whether the fragment that starts at c (up to the next break opportunity)
 * is wider than a whole line by itself, so must be broken anyway.
 */
static int
toowide(const struct pia_breaker *br, size_t c, size_t b, double maxw)
{
	double	 x = 0, xt = 0;
	size_t	 i;

	for (i = c; i < b; i++) {
		if (i > c && br->brk[i])
			break;
		x += br->w[i];
		if (!isspc(br->cp[i]))
			xt = x;
		if (xt > maxw + EPS)
			return 1;
	}
	return 0;
}

/*
 * Break [s, b) between characters, for a fragment too wide for any line:
 * take the longest prefix that fits (at least one character besides any
 * indentation), then move back to a position that honours 禁則, but not
 * to lo or before (lo > s is a real break opportunity, taken instead when
 * nothing better exists).
 */
static size_t
charbreak(const struct pia_breaker *br, size_t s, size_t b, size_t lo,
    double maxw)
{
	double	 x = 0, xt = 0;
	size_t	 j, k;
	int	 vis = 0;

	for (j = s; j < b; j++) {
		x += br->w[j];
		if (!isspc(br->cp[j]))
			xt = x;
		if (xt > maxw + EPS)
			break;
		vis |= !isspc(br->cp[j]);
	}
	if (j == b)
		return b;
	/* Spaces never overflow, so cp[j] is visible: keep it. */
	if (!vis)
		return j + 1;
	for (k = j; k > s && k > lo; k--)
		if (okbreak(br, s, k, b))
			return k;
	return lo > s ? lo : j;
}

/*
 * Where the line starting at s (within the hard line ending at b) ends:
 * the last break opportunity before the text overflows maxw.  Trailing
 * spaces do not count, as they will be trimmed.  Returns an index in
 * (s, b].
 */
static size_t
fitline(const struct pia_breaker *br, size_t s, size_t b, double maxw)
{
	double	 x = 0, xt = 0;
	size_t	 i, cand = s;
	int	 vis = 0;

	for (i = s; i < b; i++) {
		/*
		 * [s, i) fits, or the loop would have stopped; it is a line
		 * only if it has more than indentation.
		 */
		if (vis && br->brk[i])
			cand = i;
		x += br->w[i];
		if (!isspc(br->cp[i])) {
			xt = x;
			vis = 1;
		}
		if (xt > maxw + EPS)
			break;
	}
	if (i == b)
		return b;
	/*
	 * A fragment too wide for any line (a long URL) would leave this
	 * line short and stretched; fill it with the fragment's start.
	 */
	if (cand > s && !toowide(br, cand, b, maxw))
		return cand;
	return charbreak(br, s, b, cand, maxw);
}

static int
emit(const struct pia_breaker *br, size_t s, size_t e, enum pia_line_end end,
    double maxw, struct pia_lines *out)
{
	struct pia_line	*l;
	size_t		 i, cap;
	void		*p;

	if (out->n == out->cap) {
		cap = out->cap ? out->cap * 2 : 16;
		if (cap > SIZE_MAX / sizeof(*out->v))
			return -1;
		if ((p = realloc(out->v, cap * sizeof(*out->v))) == NULL)
			return -1;
		out->v = p;
		out->cap = cap;
	}
	while (e > s && isspc(br->cp[e - 1]))
		e--;
	l = &out->v[out->n++];
	memset(l, 0, sizeof(*l));
	l->off = br->off[s];
	l->len = br->off[e] - br->off[s];
	l->nchars = e - s;
	l->gaps = l->nchars ? l->nchars - 1 : 0;
	for (i = s; i < e; i++)
		l->width += br->w[i];
	l->end = end;
	if (end == PIA_LINE_WRAP && l->gaps > 0 && l->width < maxw)
		l->extra = (maxw - l->width) / (double)l->gaps;
	return 0;
}

/* Fill lines from the prepared text, hard line by hard line. */
static int
fill(const struct pia_breaker *br, double maxw, struct pia_lines *out)
{
	enum pia_line_end	 end;
	size_t			 n = br->n, a, b, z, s, e, i;
	int			 first;

	for (a = 0; a < n; a = b + 1) {
		for (b = a; b < n && br->cp[b] != '\n'; b++)
			continue;
		/* The last line, whether or not a '\n' follows it. */
		end = b + 1 >= n ? PIA_LINE_LAST : PIA_LINE_HARD;
		z = b;
		if (b < n && z > a && br->cp[z - 1] == '\r')
			z--;
		s = a;
		first = 1;
		do {
			/* Drop the spaces a wrap leaves at a line start. */
			if (!first)
				while (s < z && isspc(br->cp[s]))
					s++;
			e = s < z ? fitline(br, s, z, maxw) : z;
			/* Only spaces left: they end this line. */
			for (i = e; i < z && isspc(br->cp[i]); i++)
				continue;
			if (i == z)
				e = z;
			if (emit(br, s, e, e == z ? end : PIA_LINE_WRAP,
			    maxw, out) == -1)
				return -1;
			s = e;
			first = 0;
		} while (s < z);
	}
	return 0;
}

int
pia_linebreak_para(struct pia_breaker *br, const char *text, size_t len,
    double maxw, const struct pia_measure *m, struct pia_lines *out)
{
	struct pia_breaker	*tmp = NULL;
	int			 rc = -1;

	out->n = 0;
	if (len == 0)
		return 0;
	if (br == NULL && (br = tmp = pia_linebreak_new()) == NULL)
		return -1;
	if (prepare(br, text, len, m) == -1 || fill(br, maxw, out) == -1) {
		out->n = 0;
		goto out;
	}
	rc = 0;
out:
	pia_linebreak_free(tmp);
	return rc;
}
