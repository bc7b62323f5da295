/*
 * Unit tests for the redline of two texts (generator/changes/redline.c):
 * the pieces as one string, "=kept", "-deleted", "+inserted" joined by
 * "|", for kept texts, a changed word, insertions at both ends, short kept
 * runs folded into their edits, multi-byte and invalid UTF-8, an empty
 * side, texts too long to compare, and the PIA_CH_LONG threshold.
 */
#include <stdlib.h>

#include "changes.h"
#include "unit.h"
#include "util.h"

/* Before (SAME and DEL pieces) or after (SAME and INS) put back together. */
static int
rebuilds(const char *a, const char *b)
{
	struct pia_redline *R = pia_redline(a, b);
	struct pia_buf x = { 0 }, y = { 0 };
	size_t i;
	int ok;

	for (i = 0; i < R->n; i++) {
		if (R->v[i].op != PIA_CHOP_INS)
			pia_buf_puts(&x, R->v[i].text);
		if (R->v[i].op != PIA_CHOP_DEL)
			pia_buf_puts(&y, R->v[i].text);
		/* No empty piece, no two neighbours of one op. */
		if (R->v[i].text[0] == '\0' || (i > 0 && R->v[i].op == R->v[i - 1].op))
			x.len = (size_t)-1;
	}
	ok = x.len != (size_t)-1 && strcmp(x.data ? x.data : "", a) == 0 &&
	    strcmp(y.data ? y.data : "", b) == 0;
	pia_redline_free(R);
	pia_buf_free(&x);
	pia_buf_free(&y);
	return ok;
}

/* The redline as "=…|-…|+…".  Caller frees. */
static char *
show(const char *a, const char *b)
{
	struct pia_redline *R = pia_redline(a, b);
	struct pia_buf out = { 0 };
	size_t i;

	for (i = 0; i < R->n; i++) {
		if (i > 0)
			pia_buf_putc(&out, '|');
		pia_buf_putc(&out, R->v[i].op == PIA_CHOP_SAME ? '=' :
		    R->v[i].op == PIA_CHOP_DEL ? '-' : '+');
		pia_buf_puts(&out, R->v[i].text);
	}
	pia_redline_free(R);
	return out.data ? pia_buf_take(&out) : xstrdup("");
}

#define RED(a, b, want) do { char *g = show((a), (b)); EXPECT_STR(g, (want)); free(g); } while (0)

int
main(void)
{
	char *big, *big2;
	size_t i;

	RED("", "", "");
	RED("同じ文", "同じ文", "=同じ文");
	RED("", "追加した文", "+追加した文");
	RED("削除した文", "", "-削除した文");
	RED(NULL, "追加", "+追加");
	/* One word replaced in the middle. */
	RED("保健課長が管理する。", "健康福祉課長が管理する。", "-保健|+健康福祉|=課長が管理する。");
	RED("住民記録システムで管理する", "住民記録システム及び標準準拠システムで管理する",
	    "=住民記録システム|+及び標準準拠システム|=で管理する");
	/* A kept run of one or two characters between edits joins them. */
	RED("甲を乙に送る", "丙を丁に送る", "-甲を乙|+丙を丁|=に送る");
	/* Three kept characters stay kept. */
	RED("甲からの乙", "丙からの丁", "-甲|+丙|=からの|-乙|+丁");
	/* Insertions at the start and the end. */
	RED("管理する", "適切に管理する。", "+適切に|=管理する|+。");
	/* Lines: the line feed is a character like the others. */
	RED("一行目\n二行目", "一行目\n三行目", "=一行目\n|-二|+三|=行目");
	/* Lines first: kept lines stay whole, edits are paired within their stretch. */
	RED("甲\n乙\n丙", "甲\n丁\n丙", "=甲\n|-乙|+丁|=\n丙");
	RED("A", "A\nB", "=A|+\nB");
	RED("A\nB", "A", "=A|-\nB");
	RED("A\nB\n", "A\nB", "=A\nB|-\n");
	/* A phrase repeated in a later paragraph does not attract the edit. */
	RED("読み出せない状態にする。\n末尾", "読み出せない状態にする。\n追加の段落。\n復元できない状態にする。\n末尾",
	    "=読み出せない状態にする。\n|+追加の段落。\n復元できない状態にする。\n|=末尾");
	/* ASCII and full-width stay distinct. */
	RED("ISMAP", "ＩＳＭＡＰ", "-ISMAP|+ＩＳＭＡＰ");
	/* Invalid UTF-8 is compared as bytes, never split. */
	RED("a\xff" "b", "a\xff" "c", "=a\xff|-b|+c");

	/* Any pair of texts: the pieces give both back (a small alphabet, lines). */
	{
		static const char *const alpha[] = { "あ", "い", "\n", "a", "課" };
		unsigned seed = 1, k, bad = 0;
		char a[64], b[64];
		for (k = 0; k < 3000; k++) {
			size_t la, lb, m;
			a[0] = b[0] = '\0';
			seed = seed * 1103515245u + 12345u;
			la = (seed >> 16) % 9;
			for (m = 0; m < la; m++) {
				seed = seed * 1103515245u + 12345u;
				strcat(a, alpha[(seed >> 16) % 5]);
			}
			seed = seed * 1103515245u + 12345u;
			lb = (seed >> 16) % 9;
			for (m = 0; m < lb; m++) {
				seed = seed * 1103515245u + 12345u;
				strcat(b, alpha[(seed >> 16) % 5]);
			}
			if (!rebuilds(a, b))
				bad++;
		}
		EXPECT_INT(bad, 0);
	}

	/* Too long to compare: one deletion and one insertion of the middle. */
	big = xcalloc(3 * 12000 + 8, 1);
	big2 = xcalloc(3 * 12000 + 8, 1);
	for (i = 0; i < 12000; i++) {
		memcpy(big + 3 * i, i % 2 ? "あ" : "い", 3);
		memcpy(big2 + 3 * i, i % 3 ? "あ" : "い", 3);
	}
	{
		struct pia_redline *R = pia_redline(big, big2);
		EXPECT(R->n >= 2);
		EXPECT_INT(R->v[0].op, PIA_CHOP_SAME);
		EXPECT_STR(R->v[0].text, "いあ");
		EXPECT_INT(R->v[1].op, PIA_CHOP_DEL);
		EXPECT_INT(R->v[2].op, PIA_CHOP_INS);
		pia_redline_free(R);
	}
	free(big);
	free(big2);

	/* PIA_CH_LONG counts characters, not bytes, and not white space. */
	big = xcalloc(3 * (PIA_CH_LONG + 1) + 64, 1);
	for (i = 0; i < PIA_CH_LONG; i++)
		memcpy(big + 3 * i, "字", 3);
	EXPECT_INT(pia_changes_long(big), 0);
	strcat(big, " \n　");
	EXPECT_INT(pia_changes_long(big), 0);
	strcat(big, "字");
	EXPECT_INT(pia_changes_long(big), 1);
	EXPECT_INT(pia_changes_long(NULL), 0);
	free(big);
	return UNIT_DONE("redline");
}
