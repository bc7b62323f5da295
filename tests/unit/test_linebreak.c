/*
 * Unit tests of generator/pdf/linebreak.c with a fake fixed-width font:
 * every non-ASCII character is 10 pt wide, every ASCII one 5 pt, so the
 * expected lines can be worked out by hand.  Exact splits for short cases,
 * then invariants (禁則, widths, justification, no lost text) over tricky
 * paragraphs at many widths and over random text.  The 禁則 lists here are
 * written independently of the implementation's.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uclean.h>

#include "unit.h"
#include "../../generator/pdf/pdf_int.h"

/* Must not start a line / must not end a line (JIS X 4051, JLReq). */
static const char nostart_chars[] =
    "、。，．）」』】〕〉》・：；？！ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ"
    "ヵヶー々ゝゞヽヾ";
static const char noend_chars[] = "（「『【〔〈《";

/* The fake font; counts calls and remembers the code points seen. */
struct fake {
	size_t		 calls;
	uint32_t	 seen[64];
};

static double
fake_width(void *arg, uint32_t cp)
{
	struct fake	*fk = arg;

	if (fk != NULL) {
		if (fk->calls < sizeof(fk->seen) / sizeof(fk->seen[0]))
			fk->seen[fk->calls] = cp;
		fk->calls++;
	}
	return cp < 0x80 ? 5.0 : 10.0;
}

static const struct pia_measure fake = { NULL, fake_width };

/* dabs() without -lm: each test must build with the flags in the brief. */
static double
dabs(double d)
{
	return d < 0 ? -d : d;
}

/*
 * Length of the UTF-8 sequence at s (n bytes left); sets *cp.  A bad
 * sequence is one byte, U+FFFD, as in the breaker (overlong forms aside,
 * which the tests do not use).
 */
static size_t
dec(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 k, i;
	uint32_t		 c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	k = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
	if (k == 0 || k > n)
		goto bad;
	c = s[0] & (0x7F >> k);
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		c = c << 6 | (s[i] & 0x3F);
	}
	*cp = c;
	return k;
bad:
	*cp = 0xFFFD;
	return 1;
}

/* Whether the character at s (n bytes left) is one of the chars in set. */
static int
charin(const char *s, size_t n, const char *set)
{
	uint32_t	 cp;
	size_t		 k = dec(s, n, &cp);
	const char	*p;

	for (p = set; *p != '\0'; p += dec(p, strlen(p), &cp))
		if (strncmp(p, s, k) == 0)
			return 1;
	return 0;
}

/* Byte offset of the last character of line l. */
static size_t
lastchar(const char *text, const struct pia_line *l)
{
	size_t	 i = l->off + l->len - 1;

	while (i > l->off && ((unsigned char)text[i] & 0xC0) == 0x80)
		i--;
	return i;
}

static struct pia_breaker	*br;
static struct pia_lines		 ls;

/* Break text at maxw and return the lines joined with '|'. */
static const char *
split(const char *text, double maxw)
{
	static char	 buf[4096];
	size_t		 i, k = 0;

	buf[0] = '\0';
	if (pia_linebreak_para(br, text, strlen(text), maxw, &fake, &ls)
	    == -1)
		return "(error)";
	for (i = 0; i < ls.n; i++) {
		if (i > 0)
			buf[k++] = '|';
		memcpy(buf + k, text + ls.v[i].off, ls.v[i].len);
		k += ls.v[i].len;
	}
	buf[k] = '\0';
	return buf;
}

/*
 * Invariants that hold at any width: lines in order, the bytes between
 * them only spaces and line ends, width and nchars as measured, no line
 * wider than maxw unless it holds one character (after any indentation),
 * justification filling wrapped lines exactly, no line ending in a space,
 * no wrapped line starting with one or empty.  Returns the number of
 * failures and prints the first.
 */
#define BAD(cond, why) do { \
	if (cond) { \
		if (bad++ == 0) \
			fprintf(stderr, "line %zu: %s at %g: %s\n", i, \
			    (why), maxw, text); \
	} \
} while (0)

static int
check_lines(const char *text, double maxw)
{
	size_t		 len = strlen(text), pos = 0, i = 0, j, k, nc, vis;
	double		 w;
	uint32_t	 cp;
	int		 bad = 0;

	if (pia_linebreak_para(br, text, len, maxw, &fake, &ls) == -1)
		return 1;
	for (i = 0; i < ls.n; i++) {
		const struct pia_line *l = &ls.v[i];

		for (; pos < l->off; pos += k) {
			k = dec(text + pos, len - pos, &cp);
			BAD(cp != ' ' && cp != 0x3000 && cp != '\n' &&
			    cp != '\r', "text lost before line");
		}
		BAD(l->off < pos || l->off + l->len > len, "bad range");
		for (w = 0, nc = vis = 0, j = l->off; j < l->off + l->len;
		    j += k) {
			k = dec(text + j, len - j, &cp);
			w += fake_width(NULL, cp);
			nc++;
			vis += cp != ' ' && cp != 0x3000;
		}
		BAD(nc != l->nchars, "nchars");
		BAD(dabs(w - l->width) > 1e-9, "width");
		BAD(l->gaps != (nc ? nc - 1 : 0), "gaps");
		BAD(l->width > maxw + 1e-9 && vis > 1, "too wide");
		if (l->end == PIA_LINE_WRAP && l->gaps > 0 &&
		    l->width <= maxw)
			BAD(dabs(l->width + l->gaps * l->extra - maxw) > 1e-9,
			    "justification");
		else
			BAD(l->extra != 0, "extra on an unjustified line");
		BAD(l->end == PIA_LINE_WRAP && vis == 0, "blank wrapped line");
		if (l->len > 0) {
			dec(text + lastchar(text, l), 4, &cp);
			BAD(cp == ' ' || cp == 0x3000, "ends with a space");
			dec(text + l->off, l->len, &cp);
			BAD(i > 0 && ls.v[i - 1].end == PIA_LINE_WRAP &&
			    (cp == ' ' || cp == 0x3000),
			    "wrapped line starts with a space");
		}
		BAD((l->end == PIA_LINE_LAST) != (i + 1 == ls.n), "last");
		pos = l->off + l->len;
	}
	for (; pos < len; pos += k) {
		k = dec(text + pos, len - pos, &cp);
		BAD(cp != ' ' && cp != 0x3000 && cp != '\n' && cp != '\r',
		    "text lost at the end");
	}
	return bad;
}

/* 禁則: no line starts with nostart_chars or ends with noend_chars. */
static int
check_kinsoku(const char *text, double maxw)
{
	size_t	 i, len = strlen(text);
	int	 bad = 0;

	if (pia_linebreak_para(br, text, len, maxw, &fake, &ls) == -1)
		return 1;
	for (i = 0; i < ls.n; i++) {
		const struct pia_line *l = &ls.v[i];

		if (l->len == 0)
			continue;
		if (i > 0 && charin(text + l->off, len - l->off,
		    nostart_chars)) {
			bad++;
			fprintf(stderr, "line starts with forbidden char at "
			    "%g: %.*s\n", maxw, (int)l->len, text + l->off);
		}
		if (l->end == PIA_LINE_WRAP &&
		    charin(text + lastchar(text, l), 4, noend_chars)) {
			bad++;
			fprintf(stderr, "line ends with opening bracket at "
			    "%g: %.*s\n", maxw, (int)l->len, text + l->off);
		}
	}
	return bad;
}

/* No line boundary falls strictly inside the first occurrence of word. */
static int
check_whole(const char *text, double maxw, const char *word)
{
	const char	*p = strstr(text, word);
	size_t		 a, b, i, end;

	if (p == NULL)
		return 1;
	a = (size_t)(p - text);
	b = a + strlen(word);
	if (pia_linebreak_para(br, text, strlen(text), maxw, &fake, &ls) == -1)
		return 1;
	for (i = 0; i < ls.n; i++) {
		end = ls.v[i].off + ls.v[i].len;
		if ((ls.v[i].off > a && ls.v[i].off < b) ||
		    (end > a && end < b)) {
			fprintf(stderr, "\"%s\" split at %g\n", word, maxw);
			return 1;
		}
	}
	return 0;
}

static void
test_exact(void)
{
	/* Plain filling. */
	EXPECT_STR(split("あいうえおかきくけこさしすせそ", 50),
	    "あいうえお|かきくけこ|さしすせそ");
	EXPECT_STR(split("あいうえお", 100), "あいうえお");
	/* 追い出し: 。 may not start a line, お goes with it. */
	EXPECT_STR(split("あいうえお。かきく", 50), "あいうえ|お。かきく");
	/* 」。 at the boundary: both go down, with か. */
	EXPECT_STR(split("あいうえ「おか」。き", 80), "あいうえ「お|か」。き");
	/* An opening bracket does not end a line. */
	EXPECT_STR(split("あいうえ「おかき」", 50), "あいうえ|「おかき」");
	/* Small kana, ー, 々 at the boundary. */
	EXPECT_STR(split("あいうえおッか", 50), "あいうえ|おッか");
	EXPECT_STR(split("あいうえおーか", 50), "あいうえ|おーか");
	EXPECT_STR(split("あいうえ人々か", 50), "あいうえ|人々か");
	EXPECT_STR(split("ショッピング", 30), "ショッ|ピング");
	/* （株） stays whole. */
	EXPECT_STR(split("あいう（株）か", 50), "あいう|（株）か");
	/* A number stays whole, and with 年 when it fits. */
	EXPECT_STR(split("あいうえ2025年", 55), "あいうえ|2025年");
	/* ISO/IEC: break after the space; the space is dropped. */
	EXPECT_STR(split("ISO/IEC 27001に準拠", 50), "ISO/IEC|27001に準|拠");
	/* A URL longer than the line fills lines, then breaks by chars. */
	EXPECT_STR(split("詳細はhttps://www.example.jp/abcdefghijklmnopqrstuvwxyz"
	    "/index.htmlを参照", 100),
	    "詳細はhttps://|www.example.jp/abcde|fghijklmnopqrstuvwxy|"
	    "z/index.htmlを参照");
	/* Breaking by chars still avoids a forbidden start (')'). */
	EXPECT_STR(split("aaaaaaaaaa )bbb", 50), "aaaaaaaaa|a )bbb");
	/* A space at the start of a wrapped line is dropped. */
	EXPECT_STR(split("aaaaaaaaaa /bbb", 50), "aaaaaaaaaa|/bbb");
	/* An ideographic space at a wrap is dropped too. */
	EXPECT_STR(split("ああああ　いいいい", 40), "ああああ|いいいい");
	/* Latin words break at spaces only. */
	EXPECT_STR(split("This is a pen. これはペンです。", 60),
	    "This is a|pen. これは|ペンです。");
	/* A character wider than the line gets a line of its own. */
	EXPECT_STR(split("あいう", 5), "あ|い|う");
	EXPECT_INT(ls.n, 3);
	EXPECT(ls.v[0].width == 10.0);
}

static void
test_justify(void)
{
	split("あいうえお。かきく", 50);
	EXPECT_INT(ls.n, 2);
	EXPECT_INT(ls.v[0].end, PIA_LINE_WRAP);
	EXPECT_INT(ls.v[0].nchars, 4);
	EXPECT_INT(ls.v[0].gaps, 3);
	EXPECT(dabs(ls.v[0].width - 40.0) < 1e-9);
	EXPECT(dabs(ls.v[0].extra - 10.0 / 3.0) < 1e-9);
	EXPECT_INT(ls.v[1].end, PIA_LINE_LAST);
	EXPECT(ls.v[1].width == 50.0);
	EXPECT(ls.v[1].extra == 0.0);

	split("ISO/IEC 27001に準拠", 50);
	EXPECT_INT(ls.n, 3);
	EXPECT(dabs(ls.v[0].width - 35.0) < 1e-9);
	EXPECT_INT(ls.v[0].gaps, 6);
	EXPECT(dabs(ls.v[0].extra - 2.5) < 1e-9);
	EXPECT(dabs(ls.v[1].extra - 5.0 / 6.0) < 1e-9);
	/* The last line is never stretched, however short. */
	EXPECT(ls.v[2].extra == 0.0);

	/* A full line needs nothing; one character has no gap. */
	split("あいうえおかきくけこ", 50);
	EXPECT(ls.v[0].extra == 0.0);
	split("あいう", 5);
	EXPECT_INT(ls.v[0].gaps, 0);
	EXPECT(ls.v[0].extra == 0.0);
}

static void
test_hard(void)
{
	EXPECT_STR(split("あい\n\nう\n", 50), "あい||う");
	EXPECT_INT(ls.n, 3);
	EXPECT_INT(ls.v[0].end, PIA_LINE_HARD);
	EXPECT_INT(ls.v[1].end, PIA_LINE_HARD);
	EXPECT_INT(ls.v[1].len, 0);
	EXPECT_INT(ls.v[2].end, PIA_LINE_LAST);
	EXPECT_INT(ls.v[2].off, strlen("あい\n\n"));

	/* A hard line is not justified, even when it wraps before. */
	split("あいうえおかき\nく", 50);
	EXPECT_INT(ls.n, 3);
	EXPECT_INT(ls.v[0].end, PIA_LINE_WRAP);
	EXPECT_INT(ls.v[1].end, PIA_LINE_HARD);
	EXPECT(ls.v[1].extra == 0.0);

	/* Indentation after '\n' is kept; "\r\n" is one break. */
	EXPECT_STR(split("\n　字下げ", 100), "|　字下げ");
	EXPECT_INT(ls.v[1].nchars, 4);
	EXPECT_STR(split("a\r\nb", 100), "a|b");
	EXPECT_STR(split("\n", 100), "");
	EXPECT_INT(ls.n, 1);
	EXPECT_INT(ls.v[0].end, PIA_LINE_LAST);
	EXPECT_STR(split("   ", 100), "");
	EXPECT_INT(ls.n, 1);
}

static void
test_edges(void)
{
	struct fake		 fk;
	struct pia_measure	 m = { &fk, fake_width };
	const char		*s;

	/* Empty text: no lines, success. */
	EXPECT_INT(pia_linebreak_para(br, "", 0, 100, &fake, &ls), 0);
	EXPECT_INT(ls.n, 0);
	EXPECT_INT(pia_linebreak_para(br, NULL, 0, 100, &fake, &ls), 0);

	/* width() once per code point, in order, '\n' included. */
	memset(&fk, 0, sizeof(fk));
	s = "あa\n𩸽";
	EXPECT_INT(pia_linebreak_para(br, s, strlen(s), 100, &m, &ls), 0);
	EXPECT_INT(fk.calls, 4);
	EXPECT_INT(fk.seen[0], 0x3042);
	EXPECT_INT(fk.seen[1], 'a');
	EXPECT_INT(fk.seen[2], '\n');
	EXPECT_INT(fk.seen[3], 0x29E3D);
	EXPECT_INT(ls.n, 2);
	EXPECT_INT(ls.v[1].len, 4);
	EXPECT_INT(ls.v[1].nchars, 1);

	/* Invalid UTF-8: each bad byte is one U+FFFD, offsets stay exact. */
	memset(&fk, 0, sizeof(fk));
	s = "あ\xff\xe3\x81いう";
	EXPECT_INT(pia_linebreak_para(br, s, strlen(s), 30, &m, &ls), 0);
	EXPECT_INT(fk.calls, 6);
	EXPECT_INT(fk.seen[1], 0xFFFD);
	EXPECT_INT(fk.seen[2], 0xFFFD);
	EXPECT_INT(fk.seen[3], 0xFFFD);
	EXPECT(check_lines(s, 30) == 0);

	/* A NULL breaker works the same, just slower. */
	s = "あいうえお。かきく";
	EXPECT_INT(pia_linebreak_para(NULL, s, strlen(s), 50, &fake, &ls), 0);
	EXPECT_INT(ls.n, 2);
	EXPECT_INT(ls.v[1].off, strlen("あいうえ"));

	/* Zero or negative width: one character per line, no loop. */
	EXPECT_STR(split("あいう", 0), "あ|い|う");
	EXPECT_STR(split("ab", -10), "a|b");
}

static const char *const tricky[] = {
	"本件は「特定個人情報保護評価」。次に「（株）ＡＢＣ」と締結した。",
	"ショッピングセンターの人々がコンピューターを使った。ヴァイオリン、ウィッシュ。",
	"委託先は（株）情報処理センター（以下「委託先」という。）です。",
	"2025年4月1日から2026年3月31日まで、約30,000人を対象とする。",
	("詳細はhttps://www.ppc.go.jp/legal/policy/answer/index.htmlを参照"
	    "してください。"),
	"ISO/IEC 27001及びISO/IEC 27017に準拠し、JIS Q 15001も参照する。",
	"The quick brown fox は素早い茶色の狐です。Lorem ipsum dolor sit.",
	"え？！　本当？「はい」、『そう』。……――【注】〔参考〕〈例〉《書名》",
	"ｼｮｯﾋﾟﾝｸﾞ・ｾﾝﾀｰ、ﾃﾞｰﾀ。「番号法」第19条第1号及び第2号",
	"第１　評価実施機関名\n　　市長　山田太郎\n\n第２　特定個人情報ファイル名",
};

static void
test_tricky(void)
{
	size_t	 i;
	double	 w;
	int	 bad_inv = 0, bad_kin = 0, bad_whole = 0;

	for (i = 0; i < sizeof(tricky) / sizeof(tricky[0]); i++)
		for (w = 1; w <= 400; w += 2.5) {
			bad_inv += check_lines(tricky[i], w);
			/* Below 6 characters 「（株）」 cannot be kept legal. */
			if (w >= 60)
				bad_kin += check_kinsoku(tricky[i], w);
		}
	for (w = 60; w <= 400; w += 2.5) {
		bad_whole += check_whole(tricky[3], w, "2025");
		bad_whole += check_whole(tricky[3], w, "30,000");
		bad_whole += check_whole(tricky[5], w, "27001");
		bad_whole += check_whole(tricky[2], w, "（株）");
		bad_whole += check_whole(tricky[6], w, "quick");
		bad_whole += check_whole(tricky[6], w, "ipsum");
		bad_whole += check_whole(tricky[7], w, "……");
		bad_whole += check_whole(tricky[7], w, "――");
	}
	EXPECT_INT(bad_inv, 0);
	EXPECT_INT(bad_kin, 0);
	EXPECT_INT(bad_whole, 0);
}

/* Random text from a nasty alphabet: invariants must hold at any width. */
static void
test_random(void)
{
	static const char *const alpha[] = {
		"あ", "漢", "、", "。", "「", "」", "（", "）", "ッ", "ー",
		"々", " ", "　", "\n", "a", "Z", "1", "/", ".", "-", "(", ")",
		"𩸽", "\xcc\x81", "…", "―", "？", "！", "・", "ｯ",
	};
	char		 buf[512];
	uint32_t	 x = 2463534242u;
	size_t		 k, len, n = sizeof(alpha) / sizeof(alpha[0]);
	int		 i, bad = 0;
	double		 w;

	for (i = 0; i < 3000; i++) {
		len = 0;
		for (k = 0; k < 60; k++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			strcpy(buf + len, alpha[x % n]);
			len += strlen(alpha[x % n]);
		}
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		w = (double)(x % 2000) / 10.0;
		bad += check_lines(buf, w);
	}
	EXPECT_INT(bad, 0);
}

int
main(void)
{
	br = pia_linebreak_new();
	EXPECT(br != NULL);
	if (br == NULL)
		return UNIT_DONE("linebreak");
	test_exact();
	test_justify();
	test_hard();
	test_edges();
	test_tricky();
	test_random();
	pia_linebreak_lines_free(&ls);
	EXPECT(ls.v == NULL && ls.n == 0);
	pia_linebreak_lines_free(NULL);
	pia_linebreak_free(br);
	pia_linebreak_free(NULL);
	u_cleanup();
	return UNIT_DONE("linebreak");
}
