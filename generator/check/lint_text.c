/*
 * The text lint (domain.md §6 C, privacy): rules over one text at a time,
 * with the text decoded into code points.  Each rule reports at most a few
 * messages per text, at the place of the first offending character (found
 * again in the source file when the context locates).  The safe fixes are
 * found by the same scanners that report them (lint_find_fixes), so the
 * fix and the warning always agree.
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "diag.h"
#include "lint_int.h"
#include "util.h"
#include "wareki.h"

/* At most this many messages of one rule per text. */
#define PER_TEXT	5

void
utext_init(struct utext *t, const char *s, size_t len)
{
	size_t i = 0, k;
	uint32_t cp;

	t->s = s;
	t->len = len;
	t->cp = xmalloc((len + 1) * sizeof(*t->cp));
	t->off = xmalloc((len + 1) * sizeof(*t->off));
	t->n = 0;
	while (i < len) {
		if ((k = pia_utf8_decode(s + i, len - i, &cp)) == 0) {
			cp = 0xFFFD;
			k = 1;
		}
		t->cp[t->n] = cp;
		t->off[t->n++] = i;
		i += k;
	}
	t->off[t->n] = len;
}

void
utext_free(struct utext *t)
{
	free(t->cp);
	free(t->off);
}

/* ---- character classes ------------------------------------------------ */

int
lint_is_kanji(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	    (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF) ||
	    c == 0x3005 || c == 0x3006;
}

int
lint_is_katakana(uint32_t c)
{
	return (c >= 0x30A1 && c <= 0x30FA) || (c >= 0x30FC && c <= 0x30FF) ||
	    (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9D);
}

int
lint_is_hiragana(uint32_t c)
{
	return c >= 0x3041 && c <= 0x309F;
}

static int
is_cjk(uint32_t c)
{
	return lint_is_kanji(c) || lint_is_katakana(c) || lint_is_hiragana(c);
}

static int
is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0;
}

static int
is_digit(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

static int
digit_value(uint32_t c)
{
	return c <= '9' ? (int)(c - '0') : (int)(c - 0xFF10);
}

static int
ascii_alpha(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
ascii_alnum(uint32_t c)
{
	return ascii_alpha(c) || (c >= '0' && c <= '9');
}

static int
is_circled(uint32_t c)
{
	return (c >= 0x2460 && c <= 0x2473) || (c >= 0x3251 && c <= 0x325F);
}

static int
is_dash(uint32_t c)
{
	return c == '-' || c == 0xFF0D || c == 0x2010 || c == 0x2011 || c == 0x2012 ||
	    c == 0x2013 || c == 0x2212;
}

uint32_t
lint_vertical_to(uint32_t c)
{
	static const uint32_t fe10[] = {
		0xFF0C, 0x3001, 0x3002, 0xFF1A, 0xFF1B, 0xFF01, 0xFF1F, 0x3016, 0x3017, 0x2026
	};
	static const uint32_t fe30[] = {
		0x2025, 0x2014, 0x2013, 0x005F, 0x005F, 0xFF08, 0xFF09, 0xFF5B, 0xFF5D, 0x3014,
		0x3015, 0x3010, 0x3011, 0x300A, 0x300B, 0x3008, 0x3009, 0x300C, 0x300D, 0x300E,
		0x300F, 0, 0, 0xFF3B, 0xFF3D
	};

	if (c >= 0xFE10 && c <= 0xFE19)
		return fe10[c - 0xFE10];
	if (c >= 0xFE30 && c <= 0xFE48)
		return fe30[c - 0xFE30];
	return 0;
}

int
lint_is_invisible(uint32_t c)
{
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F ||
	    (c >= 0x80 && c <= 0x9F) || c == 0xAD || (c >= 0x200B && c <= 0x200F) ||
	    (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) ||
	    (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

static int
is_pua(uint32_t c)
{
	return (c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000;
}

/* ---- scanners shared by reports and fixes ------------------------------ */

static const char *const romans[] = {
	"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"
};

/*
 * ASCII Roman numerals used as section numbers: "II(1)", "I-6②", "V-1①",
 * "III 特定個人情報…".  A lone I or V needs a following "-" or "(" and a
 * digit; X alone is a placeholder, never a numeral.  Returns 1…10.
 */
int
lint_roman_at(const struct utext *t, size_t i, size_t lo, size_t hi, size_t *len)
{
	size_t j = i, k, run;
	int v, hit = 0;
	uint32_t next, after;

	if (i > lo && (ascii_alnum(t->cp[i - 1]) || t->cp[i - 1] == '_' ||
	    t->cp[i - 1] == '.' || t->cp[i - 1] == '/'))
		return 0;
	while (j < hi && ascii_alpha(t->cp[j]))
		j++;
	run = j - i;
	if (run == 0 || run > 4)
		return 0;
	for (v = 1; v <= 10; v++) {
		if (strlen(romans[v]) != run)
			continue;
		for (k = 0; k < run && (uint32_t)romans[v][k] == t->cp[i + k]; k++)
			;
		if (k == run)
			break;
	}
	if (v > 10 || v == 10)
		return 0;
	next = j < hi ? t->cp[j] : 0;
	after = j + 1 < hi ? t->cp[j + 1] : 0;
	if (next == '(' || next == 0xFF08 || is_dash(next) || next == 0x30FC)
		hit = is_digit(after) || (is_dash(next) && (is_cjk(after) || is_circled(after)));
	else if (run >= 2 && (is_cjk(next) || is_circled(next) || is_digit(next)))
		hit = 1;
	else if (is_space(next)) {
		for (k = j; k < hi && is_space(t->cp[k]); k++)
			;
		/* "II 特定個人情報…", and "I 基本情報" at the start of a line. */
		if (k < hi && lint_is_kanji(t->cp[k]) &&
		    (run >= 2 || i == lo || t->cp[i - 1] == '\n' || is_space(t->cp[i - 1])))
			hit = 1;
	}
	if (!hit)
		return 0;
	*len = run;
	return v;
}

/* "令和1年": the index of the 1, or (size_t)-1. */
size_t
lint_gannen_at(const struct utext *t, size_t i, size_t hi)
{
	static const uint32_t eras[][2] = {
		{ 0x4EE4, 0x548C }, { 0x5E73, 0x6210 }, { 0x662D, 0x548C },
		{ 0x5927, 0x6B63 }, { 0x660E, 0x6CBB }
	};
	size_t e, k, d;

	if (i + 3 >= hi + 1)
		return (size_t)-1;
	for (e = 0; e < 5; e++)
		if (t->cp[i] == eras[e][0] && i + 1 < hi && t->cp[i + 1] == eras[e][1])
			break;
	if (e == 5)
		return (size_t)-1;
	for (k = i + 2; k < hi && is_space(t->cp[k]); k++)
		;
	if (k >= hi || (t->cp[k] != '1' && t->cp[k] != 0xFF11))
		return (size_t)-1;
	d = k++;
	while (k < hi && is_space(t->cp[k]))
		k++;
	if (k >= hi || t->cp[k] != 0x5E74)	/* 年 */
		return (size_t)-1;
	return d;
}

static void
utf8_put(char *buf, size_t size, uint32_t c)
{
	struct pia_buf b = { 0 };

	pia_buf_put_cp(&b, c);
	snprintf(buf, size, "%s", b.data ? b.data : "");
	pia_buf_free(&b);
}

static void
add_fix(struct lint_fix **v, size_t *n, size_t off, size_t len, const char *to,
    const char *what, const char *repl)
{
	struct lint_fix *f;

	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	f = &(*v)[(*n)++];
	f->off = off;
	f->len = len;
	snprintf(f->to, sizeof(f->to), "%s", to);
	snprintf(f->what, sizeof(f->what), "%s", what);
	snprintf(f->repl, sizeof(f->repl), "%s", repl);
}

static const char *const roman_cps[] = {
	"", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ", "Ⅶ", "Ⅷ", "Ⅸ", "Ⅹ"
};

void
lint_find_fixes(const struct utext *t, size_t i, size_t j, unsigned flags,
    struct lint_fix **v, size_t *n)
{
	size_t k, d, len;
	uint32_t c, h;
	char what[64], repl[64], *era;
	int r;

	(void)flags;
	for (k = i; k < j; k++) {
		c = t->cp[k];
		if (c == 0xA0) {
			add_fix(v, n, t->off[k], t->off[k + 1] - t->off[k], " ",
			    "ノーブレークスペース（U+00A0）", "空白");
		} else if ((h = lint_vertical_to(c)) != 0) {
			char to[8];
			snprintf(what, sizeof(what), "縦書き用の文字（U+%04X）", (unsigned)c);
			utf8_put(to, sizeof(to), h);
			snprintf(repl, sizeof(repl), "「%s」", to);
			add_fix(v, n, t->off[k], t->off[k + 1] - t->off[k], to, what, repl);
		} else if (lint_is_invisible(c)) {
			snprintf(what, sizeof(what), "見えない文字（U+%04X）", (unsigned)c);
			add_fix(v, n, t->off[k], t->off[k + 1] - t->off[k], "", what, "（削除）");
		} else if ((d = lint_gannen_at(t, k, j)) != (size_t)-1) {
			era = xstrndup(t->s + t->off[k], t->off[k + 2] - t->off[k]);
			snprintf(what, sizeof(what), "「%s1年」", era);
			snprintf(repl, sizeof(repl), "「%s元年」", era);
			free(era);
			add_fix(v, n, t->off[d], t->off[d + 1] - t->off[d], "元", what, repl);
			k = d;
		} else if (ascii_alpha(c) && (r = lint_roman_at(t, k, i, j, &len)) > 0) {
			snprintf(what, sizeof(what), "「%s」", romans[r]);
			snprintf(repl, sizeof(repl), "「%s」", roman_cps[r]);
			add_fix(v, n, t->off[k], t->off[k + len] - t->off[k], roman_cps[r], what, repl);
			k += len - 1;
		} else if (ascii_alpha(c)) {
			/* Skip the rest of a Latin word: "XII" is not "X" + "II". */
			while (k + 1 < j && ascii_alpha(t->cp[k + 1]))
				k++;
		}
	}
}

char *
lint_apply(const char *s, size_t len, const struct lint_fix *f, size_t n, size_t *outlen)
{
	struct pia_buf b = { 0 };
	size_t i, at = 0;

	for (i = 0; i < n; i++) {
		pia_buf_put(&b, s + at, f[i].off - at);
		pia_buf_puts(&b, f[i].to);
		at = f[i].off + f[i].len;
	}
	pia_buf_put(&b, s + at, len - at);
	if (outlen)
		*outlen = b.len;
	if (b.data == NULL)
		return xstrdup("");
	return pia_buf_take(&b);
}

/* ---- positions --------------------------------------------------------- */

struct lint_src *
lint_source(struct pia_lint *L, const char *path)
{
	struct lint_src *s;
	size_t i, cap;
	char *buf;
	size_t len;

	for (i = 0; i < L->nsrcs; i++)
		if (strcmp(L->srcs[i].path, path) == 0)
			return L->srcs[i].buf ? &L->srcs[i] : NULL;
	L->srcs = xrealloc(L->srcs, (L->nsrcs + 1) * sizeof(*L->srcs));
	s = &L->srcs[L->nsrcs++];
	memset(s, 0, sizeof(*s));
	s->path = xstrdup(path);
	if (pia_read_file(path, 64u * 1024 * 1024, &buf, &len) != 0)
		return NULL;
	s->buf = buf;
	s->len = len;
	cap = 64;
	s->lines = xmalloc(cap * sizeof(*s->lines));
	s->lines[0] = 0;
	s->nlines = 1;
	for (i = 0; i < len; i++)
		if (buf[i] == '\n') {
			if (s->nlines == cap) {
				cap *= 2;
				s->lines = xrealloc(s->lines, cap * sizeof(*s->lines));
			}
			s->lines[s->nlines++] = i + 1;
		}
	return s;
}

struct pia_pos
lint_src_pos(const struct lint_src *s, size_t off)
{
	struct pia_pos p = { s->path, 1, 1 };
	size_t lo = 0, hi = s->nlines, mid;

	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (s->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	p.line = (unsigned)lo + 1;
	p.col = (unsigned)pia_utf8_count(s->buf + s->lines[lo], off - s->lines[lo]) + 1;
	return p;
}

/*
 * The place of text[off…off+len] in the source: the same bytes searched
 * from the start of base's line on, skipping as many earlier occurrences
 * as the text has before off; within a window of about the text's size.
 * base when not found (an entity in XML, a line joined in Markdown).
 */
struct pia_pos
lint_where(struct pia_lint *L, const struct pia_pos *base, const char *text,
    size_t off, size_t len)
{
	struct lint_src *s;
	struct pia_pos p;
	const char *q, *start, *end, *t;
	size_t skip = 0, window;

	if (!L->locate || base == NULL || base->file == NULL || base->line == 0 || len == 0 ||
	    (s = lint_source(L, base->file)) == NULL || base->line > s->nlines)
		return base ? *base : (struct pia_pos){ NULL, 0, 0 };
	/* Occurrences of the snippet before this one in the text. */
	for (t = text; t < text + off; t = q + 1) {
		q = memmem(t, (size_t)(text + off + len - 1 - t), text + off, len);
		if (q == NULL || q >= text + off)
			break;
		skip++;
	}
	start = s->buf + s->lines[base->line - 1];
	window = strlen(text) * 2 + 4096;
	end = (size_t)(s->buf + s->len - start) > window ? start + window : s->buf + s->len;
	for (q = start;; q++) {
		q = memmem(q, (size_t)(end - q), text + off, len);
		if (q == NULL)
			return *base;
		if (skip-- == 0)
			break;
	}
	p = lint_src_pos(s, (size_t)(q - s->buf));
	p.file = base->file;
	return p;
}

/* ---- reporting helpers ------------------------------------------------- */

struct lctx {
	struct pia_lint		*L;
	const struct pia_pos	*base;
	const struct utext	*t;
	unsigned		 flags;
	const struct pia_date	*asof;
	struct pia_date		 stale;	/* what passed before this is stale */
};

static struct pia_pos
at(struct lctx *C, size_t i, size_t j)
{
	if (j > C->t->n)
		j = C->t->n;
	return lint_where(C->L, C->base, C->t->s, C->t->off[i], C->t->off[j] - C->t->off[i]);
}

static struct pia_pos
at_bytes(struct lctx *C, size_t off, size_t len)
{
	return lint_where(C->L, C->base, C->t->s, off, len);
}

/* Code points i…j as a string, at most max of them ("…" when cut); newlines as spaces. */
static char *
snip(const struct utext *t, size_t i, size_t j, size_t max)
{
	struct pia_buf b = { 0 };
	size_t k;

	if (j > t->n)
		j = t->n;
	for (k = i; k < j && k - i < max; k++)
		pia_buf_put_cp(&b, t->cp[k] == '\n' || t->cp[k] == '\t' ? ' ' : t->cp[k]);
	if (k < j)
		pia_buf_puts(&b, "…");
	return b.data ? pia_buf_take(&b) : xstrdup("");
}

/* The index of the code point at byte offset off. */
static size_t
cp_index(const struct utext *t, size_t off)
{
	size_t lo = 0, hi = t->n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (t->off[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* 1 when the occurrence of a (len la) at off lies inside an occurrence of b. */
static int
inside(const char *s, size_t slen, size_t off, size_t la, const char *b)
{
	size_t lb = strlen(b), p, from;

	if (lb <= la)
		return 0;
	from = off + la > lb ? off + la - lb : 0;
	for (p = from; p <= off && p + lb <= slen; p++)
		if (memcmp(s + p, b, lb) == 0)
			return 1;
	return 0;
}

/* ---- the rules --------------------------------------------------------- */

/* A dash or 一 after katakana that stands for ー (サーバ―, サ一バ). */
static int
is_choon_like(uint32_t c, uint32_t next)
{
	if (c == 0x4E00)
		return lint_is_katakana(next) && next != 0x30FC;
	if (c != 0x2015 && c != 0x2014 && c != 0x2500 && c != 0x2501 && c != 0xFF70 &&
	    c != 0x2212 && c != 0x2010 && c != 0xFF0D)
		return 0;
	/* "コード－2", "システム ― 概要": a dash between words. */
	return next != 0 && !is_digit(next) && next != '-' && !is_space(next) && next != '\n';
}

/* Legal item markers written in katakana: 第1号ロ, 同号ハ. */
static int
legal_marker(uint32_t c)
{
	return c == 0x53F7 || c == 0x9805 || c == 0x6761 || c == 0x6B04;
}

/* Characters one by one: NBSP, vertical forms, invisible, 外字, scripts, digits, 長音, OCR look-alikes. */
static void
rule_chars(struct lctx *C)
{
	const struct utext *t = C->t;
	size_t k, nbsp = 0, vert = 0, invis = 0, nbsp_at = 0, vert_at = 0, invis_at = 0;
	size_t fw_at = (size_t)-1;
	int ascii_digit = 0, pua = 0, script = 0, choon = 0;
	struct pia_pos p;
	uint32_t c, prev, next;
	char *s, buf[16];

	for (k = 0; k < t->n; k++) {
		c = t->cp[k];
		prev = k > 0 ? t->cp[k - 1] : 0;
		next = k + 1 < t->n ? t->cp[k + 1] : 0;
		if (c == 0xA0) {
			if (nbsp++ == 0)
				nbsp_at = k;
			continue;
		}
		if (lint_vertical_to(c)) {
			if (vert++ == 0)
				vert_at = k;
			continue;
		}
		if (lint_is_invisible(c)) {
			if (invis++ == 0)
				invis_at = k;
			continue;
		}
		if (is_pua(c)) {
			if (!pua++) {
				p = at(C, k, k + 1);
				pia_diag(C->L->d, &p, PIA_MSG_LINT_PUA, (unsigned)c);
			}
			continue;
		}
		if (c >= '0' && c <= '9')
			ascii_digit = 1;
		else if (c >= 0xFF10 && c <= 0xFF19 && fw_at == (size_t)-1)
			fw_at = k;
		if (c >= 0x80 && !script) {
			UErrorCode e = U_ZERO_ERROR;
			UScriptCode sc = uscript_getScript((UChar32)c, &e);
			if (U_SUCCESS(e) && sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED &&
			    sc != USCRIPT_HAN && sc != USCRIPT_HIRAGANA && sc != USCRIPT_KATAKANA &&
			    sc != USCRIPT_KATAKANA_OR_HIRAGANA && sc != USCRIPT_LATIN &&
			    sc != USCRIPT_GREEK) {
				script = 1;
				utf8_put(buf, sizeof(buf), c);
				p = at(C, k, k + 1);
				pia_diag(C->L->d, &p, PIA_MSG_LINT_SCRIPT, buf,
				    uscript_getName(sc), (unsigned)c);
			}
		}
		/* 長音: katakana followed by a dash or 一 in place of ー. */
		if (!choon && lint_is_katakana(prev) && prev != 0x30FC && is_choon_like(c, next)) {
			choon = 1;
			s = snip(t, k >= 3 ? k - 3 : 0, k + 2, 8);
			p = at(C, k, k + 1);
			pia_diag(C->L->d, &p, PIA_MSG_LINT_CHOON, s, (unsigned)c);
			free(s);
			continue;
		}
	}
	if (nbsp) {
		p = at(C, nbsp_at, nbsp_at + 1);
		pia_diag(C->L->d, &p, PIA_MSG_LINT_NBSP, (unsigned)nbsp);
	}
	if (vert) {
		char to[8];
		utf8_put(buf, sizeof(buf), t->cp[vert_at]);
		utf8_put(to, sizeof(to), lint_vertical_to(t->cp[vert_at]));
		p = at(C, vert_at, vert_at + 1);
		pia_diag(C->L->d, &p, PIA_MSG_LINT_VERTICAL, buf, (unsigned)t->cp[vert_at],
		    (unsigned)vert, to);
	}
	if (invis) {
		p = at(C, invis_at, invis_at + 1);
		pia_diag(C->L->d, &p, PIA_MSG_LINT_INVISIBLE, (unsigned)t->cp[invis_at],
		    (unsigned)invis);
	}
	if (ascii_digit && fw_at != (size_t)-1 && !(C->flags & PIA_LINT_PATH)) {
		size_t e = fw_at;
		while (e < t->n && t->cp[e] >= 0xFF10 && t->cp[e] <= 0xFF19)
			e++;
		s = snip(t, fw_at, e, 12);
		p = at(C, fw_at, e);
		pia_diag(C->L->d, &p, PIA_MSG_LINT_DIGITS, s);
		free(s);
	}
}

static void
rule_roman(struct lctx *C)
{
	const struct utext *t = C->t;
	size_t k, len, n = 0;
	struct pia_pos p;
	int r;

	for (k = 0; k < t->n && n < PER_TEXT; k++) {
		if (!ascii_alpha(t->cp[k]))
			continue;
		if ((r = lint_roman_at(t, k, 0, t->n, &len)) > 0) {
			p = at(C, k, k + len);
			pia_diag(C->L->d, &p, PIA_MSG_LINT_ROMAN, roman_cps[r], romans[r]);
			n++;
			k += len - 1;
		} else
			while (k + 1 < t->n && ascii_alpha(t->cp[k + 1]))
				k++;
	}
}

/*
 * A 和暦 date at i: era, year (digits or 元), 年 [度 | M月 [D日]].  Returns
 * the end index, or 0; *month tells whether a month was given, *fiscal a 年度.
 */
static size_t
date_span(const struct utext *t, size_t i, int *month, int *fiscal)
{
	static const uint32_t eras[][2] = {
		{ 0x4EE4, 0x548C }, { 0x5E73, 0x6210 }, { 0x662D, 0x548C },
		{ 0x5927, 0x6B63 }, { 0x660E, 0x6CBB }
	};
	size_t e, k, d;

	*month = *fiscal = 0;
	if (i + 1 >= t->n)
		return 0;
	for (e = 0; e < 5; e++)
		if (t->cp[i] == eras[e][0] && t->cp[i + 1] == eras[e][1])
			break;
	if (e == 5)
		return 0;
	for (k = i + 2; k < t->n && is_space(t->cp[k]); k++)
		;
	if (k < t->n && t->cp[k] == 0x5143)	/* 元 */
		k++;
	else {
		for (d = k; k < t->n && is_digit(t->cp[k]); k++)
			;
		if (k == d || k - d > 2)
			return 0;
	}
	while (k < t->n && is_space(t->cp[k]))
		k++;
	if (k >= t->n || t->cp[k] != 0x5E74)	/* 年 */
		return 0;
	k++;
	if (k < t->n && t->cp[k] == 0x5EA6) {	/* 度 */
		*fiscal = 1;
		return k + 1;
	}
	e = k;
	while (k < t->n && is_space(t->cp[k]))
		k++;
	for (d = k; k < t->n && is_digit(t->cp[k]); k++)
		;
	if (k == d || k - d > 2 || k >= t->n || t->cp[k] != 0x6708)	/* 月 */
		return e;
	*month = 1;
	e = ++k;
	while (k < t->n && is_space(t->cp[k]))
		k++;
	for (d = k; k < t->n && is_digit(t->cp[k]); k++)
		;
	if (k == d || k - d > 2 || k >= t->n || t->cp[k] != 0x65E5)	/* 日 */
		return e;
	return k + 1;
}

/* Dates in prose: 令和1年 (元年), impossible days, dates outside their era. */
static void
rule_dates(struct lctx *C)
{
	const struct utext *t = C->t;
	size_t k, end, d, n = 0;
	int month, fiscal;
	struct pia_pos p;
	char *s, *fixed;

	for (k = 0; k + 1 < t->n && n < PER_TEXT; k++) {
		if ((end = date_span(t, k, &month, &fiscal)) == 0)
			continue;
		s = snip(t, k, end, 40);
		if ((d = lint_gannen_at(t, k, end)) != (size_t)-1) {
			struct pia_buf b = { 0 };
			pia_buf_put(&b, t->s + t->off[k], t->off[d] - t->off[k]);
			pia_buf_puts(&b, "元");
			pia_buf_put(&b, t->s + t->off[d + 1], t->off[end] - t->off[d + 1]);
			fixed = pia_buf_take(&b);
			p = at(C, k, end);
			pia_diag(C->L->d, &p, PIA_MSG_DATE_GANNEN, s, fixed);
			free(fixed);
			n++;
		} else if (month) {
			enum pia_wareki_err e = pia_wareki_parse(s, PIA_WAREKI_YEARMONTH, NULL);
			if (e == PIA_WAREKI_IMPOSSIBLE || e == PIA_WAREKI_ERA) {
				p = at(C, k, end);
				pia_diag(C->L->d, &p, e == PIA_WAREKI_ERA ? PIA_MSG_DATE_ERA :
				    PIA_MSG_DATE_IMPOSSIBLE, s);
				n++;
			}
		}
		free(s);
		k = end - 1;
	}
}

int
lint_period(const char *s, struct pia_date *from, struct pia_date *to)
{
	struct utext t;
	size_t k, end = 0, j, d;
	int month, fiscal, v[2], nv, rc = -1;
	char *a;

	utext_init(&t, s, strlen(s));
	for (k = 0; k < t.n; k++)
		if ((end = date_span(&t, k, &month, &fiscal)) != 0 && month)
			break;
	if (k >= t.n)
		goto out;
	a = snip(&t, k, end, 40);
	if (pia_wareki_parse(a, PIA_WAREKI_DATE, from) > PIA_WAREKI_GANNEN) {
		free(a);
		goto out;
	}
	free(a);
	/* The last day: a full date, or "9月15日" / "15日" in the same era. */
	for (k = end; k < t.n; k++) {
		if ((j = date_span(&t, k, &month, &fiscal)) != 0 && month) {
			a = snip(&t, k, j, 40);
			if (pia_wareki_parse(a, PIA_WAREKI_DATE, to) <= PIA_WAREKI_GANNEN)
				rc = 0;
			free(a);
			goto out;
		}
		if (!is_digit(t.cp[k]))
			continue;
		for (nv = 0, j = k; j < t.n && nv < 2;) {
			for (v[nv] = 0, d = j; j < t.n && is_digit(t.cp[j]) && j - d < 3; j++)
				v[nv] = v[nv] * 10 + digit_value(t.cp[j]);
			if (j == d || j >= t.n)
				break;
			if (t.cp[j] == 0x6708 && nv == 0) {	/* 月 */
				nv++;
				j++;
			} else if (t.cp[j] == 0x65E5) {	/* 日 */
				*to = *from;
				if (nv == 1) {
					to->month = v[0];
					to->day = v[1];
					if (to->month < from->month)
						to->year++;
				} else
					to->day = v[0];
				rc = pia_date_valid(to) && to->day > 0 ? 0 : -1;
				goto out;
			} else
				break;
		}
		k = j > k ? j - 1 : k;
	}
out:
	utext_free(&t);
	return rc;
}

/*
 * The end of the period a date expression names, for plans: a day is
 * itself, a month its last day, a 年度 the 31 March after it, a year its
 * 31 December.  0 when s is not a date.
 */
static int
plan_end(const struct utext *t, size_t i, size_t end, struct pia_date *out)
{
	char *s = snip(t, i, end, 60);
	enum pia_wareki_err e;
	size_t k;
	int ok = 0;

	e = pia_wareki_parse(s, PIA_WAREKI_YEARMONTH, out);
	if (e == PIA_WAREKI_OK || e == PIA_WAREKI_GANNEN) {
		if (out->day == 0) {
			static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
			int y = out->year, m = out->month;
			out->day = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
		}
		ok = 1;
	} else if (e == PIA_WAREKI_FISCAL || e == PIA_WAREKI_SYNTAX) {
		/* 令和6年度 / 令和6年: parse "令和6年1月" for the year. */
		char *y;
		for (k = i; k < end && t->cp[k] != 0x5E74; k++)
			;
		y = xasprintf("%.*s1月", (int)(t->off[k + 1 < end ? k + 1 : end] - t->off[i]), t->s + t->off[i]);
		if (k < end && pia_wareki_parse(y, PIA_WAREKI_YEARMONTH, out) > PIA_WAREKI_GANNEN) {
			free(y);
			y = xasprintf("%.*s12月", (int)(t->off[k + 1] - t->off[i]), t->s + t->off[i]);
		}
		if (k < end && pia_wareki_parse(y, PIA_WAREKI_YEARMONTH, out) <= PIA_WAREKI_GANNEN) {
			if (e == PIA_WAREKI_FISCAL) {
				out->year++;
				out->month = 3;
				out->day = 31;
			} else {
				out->month = 12;
				out->day = 31;
			}
			ok = 1;
		}
		free(y);
	}
	free(s);
	return ok;
}

/* 予定 that has passed, 未定 left in. */
static void
rule_plans(struct lctx *C)
{
	const struct utext *t = C->t;
	const char *p;
	size_t k, i, end, best, best_end, n = 0;
	int month, fiscal;
	struct pia_date d;
	struct pia_pos pos;
	char *s, buf[64];

	for (p = t->s; C->asof != NULL && C->asof->year != 0 && n < PER_TEXT &&
	    (p = strstr(p, "予定")) != NULL; p += 6) {
		k = cp_index(t, (size_t)(p - t->s));
		/* "予定どおり" / "予定通り": it happened. */
		if (strncmp(p + 6, "どおり", 9) == 0 || strncmp(p + 6, "通り", 6) == 0)
			continue;
		best = (size_t)-1;
		best_end = 0;
		for (i = k >= 40 ? k - 40 : 0; i < k; i++) {
			if (t->cp[i] == 0x3002 || t->cp[i] == '\n')
				best = (size_t)-1;
			else if ((end = date_span(t, i, &month, &fiscal)) != 0 && end <= k) {
				best = i;
				best_end = end;
				i = end - 1;
			}
		}
		if (best == (size_t)-1 || !plan_end(t, best, best_end, &d))
			continue;
		if (pia_date_cmp(&d, &C->stale) < 0) {
			s = snip(t, best, k + 2, 40);
			pos = at(C, best, k + 2);
			pia_diag(C->L->d, &pos, PIA_MSG_DATE_PLAN_PAST, s,
			    pia_wareki_format(C->asof, buf, sizeof(buf)) ? buf : "");
			free(s);
			n++;
		}
	}
	if ((C->flags & PIA_LINT_CURRENT) && (p = strstr(t->s, "未定")) != NULL &&
	    strncmp(p + 6, "義", 3) != 0) {
		k = cp_index(t, (size_t)(p - t->s));
		/* From the start of its sentence, at most ten characters back. */
		for (i = k; i > 0 && k - i < 10 && t->cp[i - 1] != 0x3002 && t->cp[i - 1] != '\n' &&
		    t->cp[i - 1] != 0x3001; i--)
			;
		s = snip(t, i, k + 2, 20);
		pos = at(C, k, k + 2);
		pia_diag(C->L->d, &pos, PIA_MSG_LINT_UNDECIDED, s);
		free(s);
	}
}

/*
 * Known OCR and IME errors: the dictionary first, then one katakana between
 * kanji or one kanji between katakana that OCR confuses (協カ → 協力,
 * マ二ュアル → マニュアル).  A place is reported once, by the longest entry.
 */
static void
rule_typos(struct lctx *C)
{
	static const uint32_t kana_like[][2] = {	/* katakana read for a kanji */
		{ 0x30ED, 0x53E3 }, { 0x30AB, 0x529B }, { 0x30A8, 0x5DE5 }, { 0x30CB, 0x4E8C },
		{ 0x30CF, 0x516B }, { 0x30BF, 0x5915 }, { 0x30D8, 0x3078 }, { 0x30FC, 0x4E00 }
	};
	static const uint32_t kanji_like[][2] = {	/* a kanji read for katakana */
		{ 0x53E3, 0x30ED }, { 0x529B, 0x30AB }, { 0x5DE5, 0x30A8 }, { 0x4E8C, 0x30CB },
		{ 0x516B, 0x30CF }, { 0x5915, 0x30BF }, { 0x535C, 0x30C8 }
	};

	struct pia_lint *L = C->L;
	const struct utext *t = C->t;
	const char *s = t->s;
	size_t i, j, k, m, lw, n = 0, nm;
	struct lint_match *mv;
	unsigned char *used = xcalloc(t->len + 1, 1);
	struct pia_pos pos;
	uint32_t c, prev, next, to;
	char *w, *r;

	/* Per pattern, in the list's order: the first use not inside a right spelling. */
	nm = lint_finder_run(&L->find_typos, s, t->len, &mv);
	for (j = 0; j < nm && n < PER_TEXT; ) {
		size_t from = 0;

		i = mv[j].pat;
		lw = L->find_typos.lens[i];
		for (; j < nm && mv[j].pat == i; j++) {
			size_t o = mv[j].off;
			if (o < from)
				continue;
			from = o + lw;
			if (inside(s, t->len, o, lw, L->typos[i].right) ||
			    memchr(used + o, 1, lw) != NULL)
				continue;
			memset(used + o, 1, lw);
			pos = at_bytes(C, o, lw);
			pia_diag(L->d, &pos, PIA_MSG_LINT_TYPO, L->typos[i].wrong, L->typos[i].right);
			n++;
			break;
		}
		while (j < nm && mv[j].pat == i)
			j++;
	}
	free(mv);
	for (k = 1; k + 1 < t->n && n < PER_TEXT; k++) {
		c = t->cp[k];
		prev = t->cp[k - 1];
		next = t->cp[k + 1];
		to = 0;
		if (used[t->off[k]])
			continue;
		/*
		 * After a kanji, before a kanji, a kana or 、。 (入カは, 窓ロで);
		 * not a 一 that stands for ー (デ一タ: LINT_CHOON tells that),
		 * nor the counter カ (何カ所, 数カ月).
		 */
		if (lint_is_kanji(prev) && (lint_is_kanji(next) || lint_is_hiragana(next) ||
		    next == 0x3001 || next == 0x3002) && prev != 0x3005 && !legal_marker(prev) &&
		    !(prev == 0x4E00 && k >= 2 && lint_is_katakana(t->cp[k - 2])) &&
		    !(c == 0x30AB && (next == 0x6240 || next == 0x6708 || next == 0x56FD ||
		    next == 0x6761 || next == 0x5E74))) {
			for (m = 0; m < sizeof(kana_like) / sizeof(kana_like[0]); m++)
				if (kana_like[m][0] == c)
					to = kana_like[m][1];
		} else if (lint_is_katakana(prev) && lint_is_katakana(next) && next != 0x30FC) {
			for (m = 0; m < sizeof(kanji_like) / sizeof(kanji_like[0]); m++)
				if (kanji_like[m][0] == c)
					to = kanji_like[m][1];
		}
		if (to == 0)
			continue;
		{
			struct pia_buf b = { 0 };
			pia_buf_put_cp(&b, prev);
			pia_buf_put_cp(&b, to);
			pia_buf_put_cp(&b, next);
			r = pia_buf_take(&b);
		}
		w = snip(t, k - 1, k + 2, 3);
		pos = at(C, k - 1, k + 2);
		pia_diag(L->d, &pos, PIA_MSG_LINT_TYPO, w, r);
		free(w);
		free(r);
		n++;
	}
	free(used);
}

static int
is_placeholder_mark(uint32_t c)
{
	return c == 0x25CB || c == 0x3007 || c == 0x25EF || c == 0x25CF || c == 0x00D7 ||
	    c == 0x25B3 || c == 0x25B2;
}

static int
is_kanji_numeral(uint32_t c)
{
	static const uint32_t v[] = { 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D,
	    0x4E03, 0x516B, 0x4E5D, 0x5341, 0x3007, 0x767E, 0x5343 };
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (v[i] == c)
			return 1;
	return 0;
}

/* ○○, 〇年, XX, a checked その他（ ） with nothing inside. */
static void
rule_placeholders(struct lctx *C)
{
	const struct utext *t = C->t;
	size_t k, e, n = 0;
	uint32_t c, prev;
	struct pia_pos p;
	char *s;

	static const char units[] = "年月日件人回時間分名か箇";

	for (k = 0; k < t->n && n < PER_TEXT; k++) {
		c = t->cp[k];
		prev = k > 0 ? t->cp[k - 1] : 0;
		e = k;
		if (is_placeholder_mark(c) && !is_kanji_numeral(prev) && prev != '[' &&
		    prev != 0xFF3B) {
			if (k + 1 < t->n && t->cp[k + 1] == c && !(k + 2 < t->n &&
			    is_kanji_numeral(t->cp[k + 2]) && c == 0x3007)) {
				for (e = k; e < t->n && t->cp[e] == c; e++)
					;
			} else if (k + 1 < t->n && c != 0x00D7) {
				char u[8];
				utf8_put(u, sizeof(u), t->cp[k + 1]);
				if (t->cp[k + 1] >= 0x3000 && strstr(units, u) != NULL &&
				    (k + 2 >= t->n || !is_kanji_numeral(t->cp[k + 2])))
					e = k + 2;
			}
		} else if ((c == 'X' || c == 'x' || c == 0xFF38) && !ascii_alnum(prev)) {
			for (e = k; e < t->n && (t->cp[e] == 'X' || t->cp[e] == 'x' ||
			    t->cp[e] == 0xFF38); e++)
				;
			if (e - k < 2 || (e < t->n && ascii_alnum(t->cp[e])))
				e = k;
		}
		if (e > k) {
			s = snip(t, k, e + (e < t->n && t->cp[e] != '\n' ? 1 : 0), 12);
			p = at(C, k, e);
			pia_diag(C->L->d, &p, PIA_MSG_LINT_PLACEHOLDER, s);
			free(s);
			n++;
			k = e;
		} else if (ascii_alpha(c))
			while (k + 1 < t->n && ascii_alpha(t->cp[k + 1]))
				k++;
	}
	/* [○]その他（ ）: a checked box whose text is missing. */
	{
		const char *q = t->s;
		while ((q = strstr(q, "その他")) != NULL && n < PER_TEXT) {
			size_t i = cp_index(t, (size_t)(q - t->s)), j = i + 3, b, m;
			int checked = 0;
			for (b = i >= 6 ? i - 6 : 0; b < i; b++)
				if (t->cp[b] == 0x25CB || t->cp[b] == 0x2611 || t->cp[b] == 0x2713)
					checked = 1;
			while (j < t->n && is_space(t->cp[j]))
				j++;
			if (checked && j < t->n && (t->cp[j] == '(' || t->cp[j] == 0xFF08)) {
				for (m = j + 1; m < t->n && is_space(t->cp[m]); m++)
					;
				if (m < t->n && (t->cp[m] == ')' || t->cp[m] == 0xFF09)) {
					for (b = i >= 6 ? i - 6 : 0; b < i && t->cp[b] != '[' &&
					    t->cp[b] != 0xFF3B && t->cp[b] != 0x25CB; b++)
						;
					s = snip(t, b, m + 1, 20);
					p = at(C, i, m + 1);
					pia_diag(C->L->d, &p, PIA_MSG_LINT_PLACEHOLDER, s);
					free(s);
					n++;
				}
			}
			q += 9;
		}
	}
}

/*
 * Text without spaces and with ASCII parentheses, for elision markers;
 * map[k] (when not NULL, len + 1 entries) is the source offset of byte k.
 * Real lists bracket the mark every way: 「【略】」「〔略〕」「＜省略＞」
 * 「［図 省略］」 are read as 「(略)」.
 */
static int
open_bracket(uint32_t c)
{
	return c == 0xFF08 || c == 0x3010 || c == 0x3014 || c == 0xFF3B || c == 0x3008 ||
	    c == 0xFF1C || c == '<' || c == '[' || c == 0x3016;
}

static int
close_bracket(uint32_t c)
{
	return c == 0xFF09 || c == 0x3011 || c == 0x3015 || c == 0xFF3D || c == 0x3009 ||
	    c == 0xFF1E || c == '>' || c == ']' || c == 0x3017;
}

char *
lint_elision_norm(const char *s, size_t len, size_t *map)
{
	struct pia_buf b = { 0 };
	size_t i = 0, k, start;
	uint32_t c;

	while (i < len) {
		if ((k = pia_utf8_decode(s + i, len - i, &c)) == 0) {
			c = 0xFFFD;
			k = 1;
		}
		start = b.len;
		if (open_bracket(c))
			pia_buf_putc(&b, '(');
		else if (close_bracket(c))
			pia_buf_putc(&b, ')');
		else if (!is_space(c) && c != '\n' && c != '\r')
			pia_buf_put(&b, s + i, k);
		if (map != NULL)
			for (; start < b.len; start++)
				map[start] = i;
		i += k;
	}
	if (map != NULL)
		map[b.len] = len;
	return b.data ? pia_buf_take(&b) : xstrdup("");
}

static void
rule_elisions(struct lctx *C)
{
	struct pia_lint *L = C->L;
	size_t *map = xmalloc((C->t->len + 1) * sizeof(*map));
	char *norm = lint_elision_norm(C->t->s, C->t->len, map), *snippet;
	size_t i, j, lm, from, to, n = 0, nm;
	struct lint_match *mv;
	struct pia_pos pos;
	unsigned char *used = xcalloc(strlen(norm) + 1, 1);

	nm = lint_finder_run(&L->find_elisions, norm, strlen(norm), &mv);
	for (j = 0; j < nm && n < PER_TEXT; ) {
		size_t nextfrom = 0;

		i = mv[j].pat;
		lm = L->find_elisions.lens[i];
		for (; lm > 0 && j < nm && mv[j].pat == i; j++) {
			size_t o = mv[j].off;
			if (o < nextfrom)
				continue;
			nextfrom = o + lm;
			if (used[o])
				continue;
			memset(used + o, 1, lm);
			from = map[o];
			to = map[o + lm - 1];
			/* Through the end of the last character. */
			while (to < C->t->len && ((unsigned char)C->t->s[to] & 0xC0) == 0x80)
				to++;
			{
				uint32_t c;
				size_t k = pia_utf8_decode(C->t->s + to, C->t->len - to, &c);
				to += k ? k : 1;
			}
			snippet = xstrndup(C->t->s + from, to - from);
			pos = at_bytes(C, from, to - from);
			pia_diag(L->d, &pos, (C->flags & PIA_LINT_BODY) ? PIA_MSG_LINT_ELISION :
			    PIA_MSG_LINT_ELISION_ROW, snippet);
			free(snippet);
			n++;
			break;
		}
		while (j < nm && mv[j].pat == i)
			j++;
	}
	free(mv);
	free(used);
	free(norm);
	free(map);
}

/* HTML tags and entities; in plain text also ** and ----- lines. */
static void
rule_markup(struct lctx *C)
{
	const struct utext *t = C->t;
	size_t k, e;
	uint32_t c;
	struct pia_pos p;
	char *s;

	for (k = 0; k < t->n; k++) {
		c = t->cp[k];
		e = k;
		if (c == '<') {
			size_t j = k + 1;
			if (j < t->n && t->cp[j] == '/')
				j++;
			if (j < t->n && ascii_alpha(t->cp[j])) {
				while (j < t->n && ascii_alnum(t->cp[j]))
					j++;
				if (j < t->n && (t->cp[j] == '>' || t->cp[j] == ' ' || t->cp[j] == '/')) {
					while (j < t->n && t->cp[j] != '>' && j - k < 40)
						j++;
					e = j < t->n ? j + 1 : j;
				}
			}
		} else if (c == '&') {
			size_t j = k + 1;
			if (j < t->n && t->cp[j] == '#') {
				j++;
				if (j < t->n && (t->cp[j] == 'x' || t->cp[j] == 'X'))
					j++;
				while (j < t->n && (ascii_alnum(t->cp[j])) && j - k < 10)
					j++;
			} else
				while (j < t->n && ascii_alpha(t->cp[j]) && j - k < 10)
					j++;
			if (j > k + 2 && j < t->n && t->cp[j] == ';')
				e = j + 1;
		} else if ((C->flags & PIA_LINT_PLAIN) && c == '*' && k + 1 < t->n &&
		    t->cp[k + 1] == '*') {
			e = k + 2;
		} else if ((C->flags & PIA_LINT_PLAIN) && c == '-' && (k == 0 || t->cp[k - 1] == '\n' ||
		    is_space(t->cp[k - 1]))) {
			size_t j = k;
			while (j < t->n && (t->cp[j] == '-' || t->cp[j] == '|'))
				j++;
			if (j - k >= 5)
				e = j;
		}
		if (e > k) {
			s = snip(t, k, e, 30);
			p = at(C, k, e);
			pia_diag(C->L->d, &p, PIA_MSG_LINT_MARKUP, s);
			free(s);
			return;
		}
	}
}

static uint32_t
closer_of(uint32_t c)
{
	static const uint32_t pairs[][2] = {
		{ '(', ')' }, { 0xFF08, 0xFF09 }, { 0x300C, 0x300D }, { 0x300E, 0x300F },
		{ '[', ']' }, { 0xFF3B, 0xFF3D }, { '{', '}' }, { 0xFF5B, 0xFF5D },
		{ 0x3010, 0x3011 }, { 0xFF1C, 0xFF1E }, { 0x3008, 0x3009 }, { 0x300A, 0x300B },
		{ 0x3014, 0x3015 }, { 0x27E8, 0x27E9 }, { '<', '>' }, { 0x3016, 0x3017 }
	};
	size_t i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (pairs[i][0] == c)
			return pairs[i][1];
	return 0;
}

static int
is_closer(uint32_t c)
{
	return c == ')' || c == 0xFF09 || c == 0x300D || c == 0x300F || c == ']' ||
	    c == 0xFF3D || c == '}' || c == 0xFF5D || c == 0x3011 || c == 0xFF1E ||
	    c == 0x3009 || c == 0x300B || c == 0x3015 || c == 0x27E9 || c == '>' || c == 0x3017;
}

/* "1)", "ア)", "a）" at the start of a line or after a space: a list number, not a bracket. */
static int
enumerator_close(const struct utext *t, size_t k)
{
	size_t s = k;

	if (t->cp[k] != ')' && t->cp[k] != 0xFF09)
		return 0;
	while (s > 0 && k - s < 3 && (is_digit(t->cp[s - 1]) || ascii_alpha(t->cp[s - 1]) ||
	    (lint_is_katakana(t->cp[s - 1]) && t->cp[s - 1] != 0x30FC) ||
	    lint_is_hiragana(t->cp[s - 1]) || is_circled(t->cp[s - 1])))
		s--;
	if (s == k || (k - s > 1 && !is_digit(t->cp[s])))
		return 0;
	return s == 0 || is_space(t->cp[s - 1]) || t->cp[s - 1] == '\n' ||
	    t->cp[s - 1] == 0x3001 || t->cp[s - 1] == 0x3002 || t->cp[s - 1] == 0x30FB ||
	    t->cp[s - 1] == ':' || t->cp[s - 1] == 0xFF1A;
}

/* "<p" and "</b": a tag (reported by rule_markup), not a bracket. */
static int
tag_start(const struct utext *t, size_t k)
{
	size_t j = k + 1;

	if (j < t->n && t->cp[j] == '/')
		j++;
	return j < t->n && ascii_alpha(t->cp[j]);
}

static void
rule_brackets(struct lctx *C)
{
	const struct utext *t = C->t;
	size_t *stack = xmalloc((t->n + 1) * sizeof(*stack)), sp = 0, k, bad = (size_t)-1;
	uint32_t c;
	struct pia_pos p;
	char *s, br[8];
	int style = 0;

	for (k = 0; k < t->n && bad == (size_t)-1; k++) {
		c = t->cp[k];
		if (c == '<' && tag_start(t, k)) {
			while (k < t->n && t->cp[k] != '>')
				k++;
			continue;
		}
		if (c == '>' && k > 0 && (t->cp[k - 1] == '-' || t->cp[k - 1] == '='))
			continue;	/* an arrow "->" */
		if (closer_of(c) != 0) {
			stack[sp++] = k;
			continue;
		}
		if (!is_closer(c))
			continue;
		if (sp > 0 && closer_of(t->cp[stack[sp - 1]]) == c) {
			size_t o = stack[--sp];
			uint32_t oc = t->cp[o];
			/* 〈…〉, ⟨…⟩, <…> around Japanese: the house style is ＜…＞. */
			if (!style && (oc == 0x3008 || oc == 0x27E8 || oc == '<') && k > o + 1 &&
			    is_cjk(t->cp[o + 1])) {
				style = 1;
				s = snip(t, o, k + 1, 30);
				p = at(C, o, k + 1);
				pia_diag(C->L->d, &p, PIA_MSG_LINT_BRACKET_STYLE, s);
				free(s);
			}
			continue;
		}
		if (enumerator_close(t, k))
			continue;
		bad = k;
	}
	if (bad == (size_t)-1 && sp > 0)
		bad = stack[0];
	if (bad != (size_t)-1) {
		size_t from = bad, to = bad;
		/* The context: a few characters of its line around it. */
		while (from > 0 && bad - from < 6 && t->cp[from - 1] != '\n')
			from--;
		while (to < t->n && to - bad < 12 && t->cp[to] != '\n')
			to++;
		utf8_put(br, sizeof(br), t->cp[bad]);
		s = snip(t, from, to, 20);
		p = at(C, bad, bad + 1);
		pia_diag(C->L->d, &p, PIA_MSG_LINT_BRACKET, br, s);
		free(s);
	}
	free(stack);
}

/* FNV-1a over a unit's key. */
static size_t
key_hash(const char *s)
{
	size_t h = (size_t)14695981039346656037ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
	return h;
}

/* Sentences (。) and lines repeated within one text; "A、A" in a list. */
static void
rule_repeats(struct lctx *C)
{
	const struct utext *t = C->t;
	struct unit { size_t i, j; char *key; } *u = NULL;
	size_t nu = 0, cap = 0, k, start = 0, n = 0, mask, *seen;
	struct pia_pos p;
	char *s;

	for (k = 0; k <= t->n; k++) {
		if (k < t->n && t->cp[k] != 0x3002 && t->cp[k] != '\n')
			continue;
		{
			struct pia_buf b = { 0 };
			size_t m, len = 0;
			for (m = start; m < k; m++)
				if (!is_space(t->cp[m])) {
					pia_buf_put_cp(&b, t->cp[m]);
					len++;
				}
			if (len >= 12) {
				if (nu == cap) {
					cap = cap ? cap * 2 : 16;
					u = xrealloc(u, cap * sizeof(*u));
				}
				u[nu].i = start;
				u[nu].j = k < t->n ? k + 1 : k;
				u[nu++].key = pia_buf_take(&b);
			} else
				pia_buf_free(&b);
		}
		start = k + 1;
	}
	/*
	 * Units seen so far in a hash set of their keys: a text of 150,000
	 * lines (Markdown footnotes) must not compare every pair.
	 */
	for (mask = 16; mask < nu * 2; mask *= 2)
		;
	seen = xcalloc(mask, sizeof(*seen));
	mask--;
	for (k = 0; k < nu && n < PER_TEXT; k++) {
		size_t h = key_hash(u[k].key) & mask, lk = strlen(u[k].key), la;
		int dup = 0;
		for (; seen[h] != 0; h = (h + 1) & mask)
			if (strcmp(u[seen[h] - 1].key, u[k].key) == 0) {
				dup = 1;
				break;
			}
		if (!dup)
			seen[h] = k + 1;
		/* The tail of the unit just before ("…。A。A。" after a run-on). */
		if (!dup && k > 0 && (la = strlen(u[k - 1].key)) > lk &&
		    strcmp(u[k - 1].key + la - lk, u[k].key) == 0)
			dup = 1;
		if (dup) {
			size_t i = u[k].i;
			while (i < u[k].j && is_space(t->cp[i]))
				i++;
			s = snip(t, i, u[k].j, 24);
			p = at(C, i, u[k].j);
			pia_diag(C->L->d, &p, PIA_MSG_LINT_REPEAT, s);
			free(s);
			n++;
		}
	}
	free(seen);
	for (k = 0; k < nu; k++)
		free(u[k].key);
	free(u);
	/* "養護老人ホーム措置事務、養護老人ホーム措置事務": the same entry twice in a row. */
	for (k = 0, start = 0; k <= t->n && n < PER_TEXT; k++) {
		size_t e, len;
		if (k < t->n && t->cp[k] != 0x3001) {
			/* An entry never runs across the end of a sentence. */
			if (t->cp[k] == 0x3002 || t->cp[k] == '\n')
				start = k + 1;
			continue;
		}
		len = k - start;
		e = k + 1 + len;
		if (len >= 4 && e <= t->n && (e == t->n || t->cp[e] == 0x3001 ||
		    t->cp[e] == 0x3002 || t->cp[e] == '\n') &&
		    /* Byte lengths first: the same code point count can span
		       fewer bytes in the second entry, near the end of the text. */
		    t->off[k + 1 + len] - t->off[k + 1] == t->off[start + len] - t->off[start] &&
		    memcmp(t->s + t->off[start], t->s + t->off[k + 1],
		    t->off[start + len] - t->off[start]) == 0) {
			s = snip(t, k + 1, e, 24);
			p = at(C, k + 1, e);
			pia_diag(C->L->d, &p, PIA_MSG_LINT_REPEAT, s);
			free(s);
			n++;
		}
		start = k + 1;
	}
}

/* Legal references that ended before the date the text speaks as of. */
static void
rule_obsolete(struct lctx *C)
{
	struct pia_lint *L = C->L;
	const struct utext *t = C->t;
	const char *p;
	size_t i, j, k, s0, s1;
	struct pia_pos pos;

	if (C->asof == NULL || C->asof->year == 0)
		return;
	for (i = 0; i < L->nrefs; i++) {
		const struct lint_ref *r = &L->refs[i];
		if (r->since.year == 0 || pia_date_cmp(&C->stale, &r->since) <= 0)
			continue;
		for (p = t->s; *r->text && (p = strstr(p, r->text)) != NULL; p += strlen(r->text)) {
			int ok = r->context == NULL;
			k = cp_index(t, (size_t)(p - t->s));
			/* The sentence around it. */
			for (s0 = k; s0 > 0 && t->cp[s0 - 1] != 0x3002 && t->cp[s0 - 1] != '\n'; s0--)
				;
			for (s1 = k; s1 < t->n && t->cp[s1] != 0x3002 && t->cp[s1] != '\n'; s1++)
				;
			for (j = 0; !ok && r->context[j]; j++) {
				char *sent = xstrndup(t->s + t->off[s0], t->off[s1] - t->off[s0]);
				ok = strstr(sent, r->context[j]) != NULL;
				free(sent);
			}
			if (!ok)
				continue;
			pos = at_bytes(C, (size_t)(p - t->s), strlen(r->text));
			pia_diag(L->d, &pos, PIA_MSG_LINT_OBSOLETE, r->text, r->since_text, r->use);
			break;
		}
	}
}

/*
 * 個人番号: 12 digits (or 4-4-4 with spaces or hyphens) whose last digit is
 * the check digit of the other eleven (番号法施行令 第8条).
 */
static int
mynumber_ok(const int *d)
{
	int n, sum = 0, r;

	for (n = 1; n <= 11; n++)
		sum += d[11 - n] * (n <= 6 ? n + 1 : n - 5);
	r = sum % 11;
	return d[11] == (r <= 1 ? 0 : 11 - r);
}

static void
rule_mynumber(struct lctx *C)
{
	const struct utext *t = C->t;
	size_t k, j, group, n = 0;
	int d[13], nd, groups[4], ng, ok;
	struct pia_pos p;
	char masked[32];

	for (k = 0; k < t->n && n < PER_TEXT; k++) {
		if (!is_digit(t->cp[k]) || (k > 0 && (is_digit(t->cp[k - 1]) ||
		    t->cp[k - 1] == '.' || t->cp[k - 1] == ',')))
			continue;
		nd = ng = 0;
		group = 0;
		for (j = k; j < t->n && nd < 13; j++) {
			if (is_digit(t->cp[j])) {
				d[nd++] = digit_value(t->cp[j]);
				group++;
			} else if ((t->cp[j] == ' ' || t->cp[j] == '-' || t->cp[j] == 0xFF0D ||
			    t->cp[j] == 0x3000) && j + 1 < t->n && is_digit(t->cp[j + 1]) &&
			    group > 0 && ng < 3) {
				groups[ng++] = (int)group;
				group = 0;
			} else
				break;
		}
		if (ng < 4)
			groups[ng++] = (int)group;
		ok = nd == 12 && (j >= t->n || (!is_digit(t->cp[j]) && t->cp[j] != '.')) &&
		    (ng == 1 || (ng == 3 && groups[0] == 4 && groups[1] == 4 && groups[2] == 4));
		if (ok && mynumber_ok(d)) {
			snprintf(masked, sizeof(masked), "%d%d%d%d********", d[0], d[1], d[2], d[3]);
			p = at(C, k, j);
			pia_diag(C->L->d, &p, PIA_MSG_LINT_MYNUMBER, masked);
			n++;
		}
		k = j;
	}
}

static int
title_end(uint32_t c)
{
	static const char ends[] = "長官監幹事査任者佐理役員";
	char u[8];

	utf8_put(u, sizeof(u), c);
	return c >= 0x3000 && strstr(ends, u) != NULL;
}

/* A 役職名 with a person's name: "戸籍住民課長 本庄 秀行", "課長本庄秀行". */
static void
rule_person(struct lctx *C)
{
	const struct utext *t = C->t;
	size_t e = t->n, k, sp = (size_t)-1, name = 0, tokens = 0;
	struct pia_pos p;
	char *s;
	int hit = 0;

	while (e > 0 && (is_space(t->cp[e - 1]) || t->cp[e - 1] == '\n'))
		e--;
	/* Drop a final parenthesis: "市民部長（市民課長事務取扱）". */
	if (e > 0 && (t->cp[e - 1] == ')' || t->cp[e - 1] == 0xFF09)) {
		for (k = e - 1; k > 0 && t->cp[k] != '(' && t->cp[k] != 0xFF08; k--)
			;
		if (k > 0)
			e = k;
	}
	if (e == 0 || title_end(t->cp[e - 1]))
		return;
	for (k = 0; k < e; k++)
		if (is_space(t->cp[k])) {
			if (sp == (size_t)-1)
				sp = k;
		}
	if (sp != (size_t)-1 && sp > 0 && title_end(t->cp[sp - 1])) {
		/* After the title: one or two short words of kanji or kana. */
		hit = 1;
		for (k = sp; k < e; k++) {
			if (is_space(t->cp[k])) {
				if (name > 0)
					tokens++;
				name = 0;
			} else if (is_cjk(t->cp[k]))
				name++;
			else
				hit = 0;
			if (name > 5)
				hit = 0;
		}
		tokens++;
		if (tokens > 2)
			hit = 0;
	} else if (sp == (size_t)-1) {
		/* No space: a title ending in 長 followed by two to five kanji. */
		for (k = e; k > 0 && t->cp[k - 1] != 0x9577; k--)
			;
		if (k > 0 && e - k >= 2 && e - k <= 5) {
			hit = 1;
			for (name = k; name < e; name++)
				if (!lint_is_kanji(t->cp[name]))
					hit = 0;
		}
	}
	if (hit) {
		s = snip(t, 0, e, 30);
		p = at(C, 0, e);
		pia_diag(C->L->d, &p, PIA_MSG_LINT_PERSON, s);
		free(s);
	}
}

/* Count the spellings of each term (reported by pia_lint_terms). */
static void
count_terms(struct lctx *C)
{
	struct pia_lint *L = C->L;
	const char *s = C->t->s, *p;
	size_t i, j, o, ls;
	int covered;

	for (i = 0; i < L->nterms; i++) {
		struct lint_term *T = &L->terms[i];
		for (j = 0; j < T->n; j++) {
			ls = strlen(T->v[j]);
			for (p = s; ls > 0 && (p = strstr(p, T->v[j])) != NULL; p += ls) {
				covered = 0;
				for (o = 0; o < T->n && !covered; o++)
					if (o != j && inside(s, C->t->len, (size_t)(p - s), ls, T->v[o]))
						covered = 1;
				/* "サーバー" in "中間サーバー": a name of its own, not the generic word. */
				for (o = 0; o < L->nterms && !covered; o++) {
					size_t q;
					for (q = 0; o != i && q < L->terms[o].n && !covered; q++)
						if (inside(s, C->t->len, (size_t)(p - s), ls, L->terms[o].v[q]))
							covered = 1;
				}
				if (covered)
					continue;
				if (T->count[j]++ == 0)
					T->first[j] = at_bytes(C, (size_t)(p - s), ls);
			}
		}
	}
}

void
pia_lint_text(struct pia_lint *L, const struct pia_pos *pos, const char *text,
    unsigned flags, const struct pia_date *asof)
{
	struct utext t;
	struct lctx C;

	if (L == NULL || text == NULL || *text == '\0')
		return;
	utext_init(&t, text, strlen(text));
	C.L = L;
	C.base = pos;
	C.t = &t;
	C.flags = flags;
	C.asof = asof;
	/*
	 * A 変更前 was replaced on asof: it was stale if what it planned or
	 * cited had ended more than a year before (a city updates its report
	 * at least once a year, domain.md §4.2).
	 */
	memset(&C.stale, 0, sizeof(C.stale));
	if (asof != NULL)
		C.stale = (flags & PIA_LINT_OLD) ? pia_date_add_years(asof, -1) : *asof;
	rule_chars(&C);
	/* Item paths as cities write them ("II(1)…") are read as written; --fix still can. */
	if (!(flags & PIA_LINT_PATH))
		rule_roman(&C);
	rule_typos(&C);
	rule_markup(&C);
	if (!(flags & PIA_LINT_PATH)) {
		rule_dates(&C);
		rule_plans(&C);
		rule_placeholders(&C);
		rule_elisions(&C);
		rule_brackets(&C);
		rule_repeats(&C);
		rule_obsolete(&C);
		rule_mynumber(&C);
	}
	if (flags & PIA_LINT_HEAD)
		rule_person(&C);
	if (flags & PIA_LINT_TERMS)
		count_terms(&C);
	utext_free(&t);
}

void
pia_lint_terms(struct pia_lint *L)
{
	size_t i, j, top;

	for (i = 0; L != NULL && i < L->nterms; i++) {
		struct lint_term *T = &L->terms[i];
		for (top = 0, j = 1; j < T->n; j++)
			if (T->count[j] > T->count[top])
				top = j;
		for (j = 0; j < T->n; j++)
			if (j != top && T->count[j] > 0 && T->count[top] > 0)
				pia_diag(L->d, &T->first[j], PIA_MSG_LINT_TERM, T->v[top],
				    T->count[top], T->v[j], T->count[j]);
		memset(T->count, 0, T->n * sizeof(*T->count));
	}
}

char *
pia_lint_fix_text(struct pia_lint *L, const struct pia_pos *pos, const char *text,
    unsigned flags)
{
	struct utext t;
	struct lint_fix *v = NULL;
	size_t n = 0, i;
	char *out;

	if (text == NULL)
		return xstrdup("");
	utext_init(&t, text, strlen(text));
	lint_find_fixes(&t, 0, t.n, flags, &v, &n);
	for (i = 0; i < n && L != NULL; i++)
		pia_diag(L->d, pos, PIA_MSG_FIX_APPLIED, v[i].what, v[i].repl);
	out = lint_apply(text, t.len, v, n, NULL);
	free(v);
	utext_free(&t);
	return out;
}

enum pia_reason_how
pia_lint_reason(const struct pia_lint *L, const char *text, const char **value,
    size_t *start, size_t *len)
{
	const char *s = text, *p;
	size_t i;

	*value = NULL;
	*start = *len = 0;
	if (L == NULL || text == NULL)
		return PIA_REASON_NONE;
	for (i = 0; i < L->nphrases; i++)
		if ((p = strstr(s, L->phrases[i].text)) != NULL) {
			enum pia_reason_how how = L->phrases[i].how;
			*value = L->phrases[i].value;
			*start = (size_t)(p - text);
			*len = strlen(L->phrases[i].text);
			/* "1重要な変更", "1 重要な変更": an item number before the value. */
			if (how == PIA_REASON_EXACT && *start > 0) {
				const char *q = text;
				while (q < p && ((*q >= '0' && *q <= '9') || *q == ' ' || *q == '.'))
					q++;
				if (q == p) {
					*start = 0;
					*len += (size_t)(p - text);
					how = PIA_REASON_VARIANT;
				}
			}
			return how;
		}
	return PIA_REASON_NONE;
}

struct pia_lint *
pia_lint_new(struct pia_diag *d, int locate)
{
	struct pia_lint *L = xcalloc(1, sizeof(*L));

	L->d = d;
	L->locate = locate;
	if (lint_data_load(L) != 0) {
		pia_lint_free(L);
		return NULL;
	}
	return L;
}

void
pia_lint_free(struct pia_lint *L)
{
	size_t i;

	if (L == NULL)
		return;
	lint_data_free(L);
	for (i = 0; i < L->nsrcs; i++) {
		free(L->srcs[i].path);
		free(L->srcs[i].buf);
		free(L->srcs[i].lines);
	}
	free(L->srcs);
	free(L);
}
