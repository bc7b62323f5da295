/*
 * Unit tests of the PDF layout passes (generator/pdf/para.c, table.c,
 * paginate.c) on the Debian IPAex fonts, without libharu: paragraph
 * runs and justification, row splitting (labels whole, no orphan or widow
 * line, （続き）), keep-with-next, repeated table headers, page numbers.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "util.h"
#include "../../generator/pdf/pdf_int.h"

static struct pia_typesetter ts;

/* A paragraph of n repetitions of s. */
static void
fill(struct pia_gcell *c, const char *s, int n, double size)
{
	struct pia_para	*p = pia_content_para(&c->content, size, PIA_AL_JUSTIFY);
	int		 i;

	for (i = 0; i < n; i++)
		pia_para_puts(p, s, PIA_FONT_MINCHO, PIA_SP_VALUE);
}

static struct pia_grow *
item(struct pia_flow *fl, const char *label, const char *text, int n)
{
	struct pia_grow		*r = pia_flow_row(fl, 0);
	struct pia_gcell	*c;

	c = pia_row_cell(r, 0, 148, 0.95f, PIA_CELL_LABEL);
	pia_para_puts(pia_content_para(&c->content, 8.5, PIA_AL_LEFT), label,
	    PIA_FONT_GOTHIC, 0);
	c = pia_row_cell(r, 148, PIA_WIDTH, 1, 0);
	fill(c, text, n, 9);
	return r;
}

static struct pia_grow *
heading(struct pia_flow *fl, const char *text)
{
	struct pia_grow		*r = pia_flow_row(fl, PIA_ROW_KEEP |
				    PIA_ROW_NOSPLIT);
	struct pia_gcell	*c = pia_row_cell(r, 0, PIA_WIDTH, 0.9f, 0);

	pia_para_puts(pia_content_para(&c->content, 9, PIA_AL_LEFT), text,
	    PIA_FONT_GOTHIC, 0);
	return r;
}

/* The page (0-based) of the first text op that starts with s, or -1. */
static long
page_of(const struct pia_doc *doc, const char *s, size_t from)
{
	size_t	 i, j, l = strlen(s);

	for (i = from; i < doc->npages; i++)
		for (j = 0; j < doc->pages[i].n; j++) {
			const struct pia_op *o = &doc->pages[i].ops[j];
			if (o->kind == PIA_OP_TEXT && o->len >= l &&
			    memcmp(o->text, s, l) == 0)
				return (long)i;
		}
	return -1;
}

/* Text ops of a page that contain s. */
static int
count_on(const struct pia_doc *doc, size_t page, const char *s)
{
	size_t	 j;
	int	 n = 0;

	for (j = 0; j < doc->pages[page].n; j++) {
		const struct pia_op *o = &doc->pages[page].ops[j];
		if (o->kind == PIA_OP_TEXT && memmem(o->text, o->len, s,
		    strlen(s)) != NULL)
			n++;
	}
	return n;
}

static void
test_justify(void)
{
	struct pia_content	 c = { 0 };
	struct pia_laid		 l = { 0 };
	struct pia_para		*p;
	const struct pia_lline	*ln;
	const struct pia_run	*r;
	double			 end;
	size_t			 k;

	p = pia_content_para(&c, 9, PIA_AL_JUSTIFY);
	pia_para_puts(p, "特定個人情報ファイルの取扱いの委託に係る", PIA_FONT_MINCHO, 0);
	pia_para_puts(p, "重要な", PIA_FONT_GOTHIC, 0);
	pia_para_puts(p, "事項を定め、その遵守を確認する。委託先における取扱いを監督する。",
	    PIA_FONT_MINCHO, 0);
	EXPECT_INT(pia_layout(&ts, &c, 200, &l), 0);
	EXPECT(l.nlines >= 2);
	/* The first line is wrapped: its runs fill the width exactly. */
	ln = &l.lines[0];
	r = &l.runs[ln->run0 + ln->nruns - 1];
	end = r->x + pia_text_width(&ts, r->text, r->len, r->font, r->size) +
	    r->tc * (double)(pia_utf8_count(r->text, r->len) - 1);
	EXPECT(end > 199.99 && end < 200.01);
	/* Gothic for the strong run, Mincho around it. */
	for (k = 0; k < l.nruns; k++)
		if (l.runs[k].len == strlen("重要な") &&
		    memcmp(l.runs[k].text, "重要な", l.runs[k].len) == 0)
			EXPECT_INT(l.runs[k].font, PIA_FONT_GOTHIC);
	/* The last line is not stretched. */
	EXPECT(l.runs[l.nruns - 1].tc == 0);
	pia_laid_free(&l);
	pia_content_free(&c);
}

static void
test_split(void)
{
	struct pia_flow		 fl = { 0 };
	struct pia_grow		*r;
	size_t			 lo[PIA_MAXCELLS] = { 0 }, hi[PIA_MAXCELLS];
	double			 h, line;

	r = item(&fl, "①事務の内容", "住民基本台帳の記載を正確に行う。", 40);
	EXPECT_INT(pia_row_layout(&ts, r), 0);
	line = r->cells[1].laid.lines[0].height;
	EXPECT(r->cells[1].laid.nlines > 10);
	/* Room for one line only: an orphan, so no split... */
	h = pia_row_split(&ts, r, lo, 0, 0, line * 1.5 + 2 * PIA_VPAD, 0, hi);
	EXPECT(h < 0);
	/* ...unless forced. */
	h = pia_row_split(&ts, r, lo, 0, 0, line * 1.5 + 2 * PIA_VPAD, 1, hi);
	EXPECT(h > 0);
	EXPECT_INT(hi[1], 1);
	/* Room for five lines. */
	h = pia_row_split(&ts, r, lo, 0, 0, line * 5 + 2 * PIA_VPAD + 0.1, 0,
	    hi);
	EXPECT_INT(hi[1], 5);
	EXPECT_INT(hi[0], r->cells[0].laid.nlines);
	/* Leaving a single line for the next page is a widow: keep two. */
	lo[1] = 0;
	h = pia_row_split(&ts, r, lo, 0, 0, r->height - line + 0.5, 0, hi);
	EXPECT_INT(r->cells[1].laid.nlines - hi[1], 2);
	/* The continued label says （続き）. */
	EXPECT(pia_cell_cont(&ts, &r->cells[0]) != NULL);
	EXPECT(memmem(r->cells[0].ccontent.v[0].text,
	    r->cells[0].ccontent.v[0].len, "（続き）", strlen("（続き）")) != NULL);
	/* A copy is layout, not source text. */
	EXPECT_INT(r->cells[0].ccontent.v[0].spans[0].flags & PIA_SP_VALUE, 0);
	pia_flow_free(&fl);
}

/*
 * A kept paragraph (a box and its label, 「[　] 電子記録媒体（フラッシュメモリ
 * を除く。）」) is never split between pages: the cut moves above it.
 */
static void
test_keep(void)
{
	struct pia_flow		 fl = { 0 };
	struct pia_grow		*r;
	struct pia_gcell	*c;
	struct pia_para		*p;
	size_t			 lo[PIA_MAXCELLS] = { 0 }, hi[PIA_MAXCELLS], k;
	double			 line;

	r = pia_flow_row(&fl, 0);
	c = pia_row_cell(r, 0, 148, 0.95f, PIA_CELL_LABEL);
	pia_para_puts(pia_content_para(&c->content, 8.5, PIA_AL_LEFT), "②入手方法",
	    PIA_FONT_GOTHIC, 0);
	/* Narrow: the label of the fourth box takes three lines. */
	c = pia_row_cell(r, 148, 228, 1, 0);
	for (k = 0; k < 6; k++) {
		p = pia_content_para(&c->content, 9, PIA_AL_LEFT);
		p->keep = 1;
		pia_para_puts(p, k == 3 ? "電子記録媒体（フラッシュメモリを除く。）" :
		    "紙", PIA_FONT_MINCHO, PIA_SP_VALUE);
	}
	EXPECT_INT(pia_row_layout(&ts, r), 0);
	EXPECT_INT(c->laid.nlines, 8);
	EXPECT(c->laid.lines[4].glued && c->laid.lines[5].glued);
	EXPECT(!c->laid.lines[3].glued && !c->laid.lines[6].glued);
	line = c->laid.lines[0].height;
	/* Room for five lines: the cut would fall inside the label, so it goes above. */
	EXPECT(pia_row_split(&ts, r, lo, 0, 0, line * 5 + 2 * PIA_VPAD + 0.1, 0,
	    hi) > 0);
	EXPECT_INT(hi[1], 3);
	/* Without keep the same room takes five lines. */
	for (k = 0; k < c->content.n; k++)
		c->content.v[k].keep = 0;
	EXPECT_INT(pia_row_layout(&ts, r), 0);
	EXPECT(pia_row_split(&ts, r, lo, 0, 0, line * 5 + 2 * PIA_VPAD + 0.1, 0,
	    hi) > 0);
	EXPECT_INT(hi[1], 5);
	pia_flow_free(&fl);
}

static void
test_pages(void)
{
	struct pia_flow		 fl = { 0 };
	struct pia_doc		 doc = { 0 };
	struct pia_grow		*r, *h;
	struct pia_gcell	*c;
	size_t			 i, thead;
	long			 p1, p2;
	char			 buf[64];

	/* Fill most of page 1, then a heading and a long item. */
	for (i = 0; i < 36; i++)
		item(&fl, "②短い項目", "短い値。", 1);
	h = heading(&fl, "1. 見出しは次の行と離れない");
	r = item(&fl, "①長い項目", "長い値が次のページに続く。", 200);
	r->node = (const struct pia_node *)&fl;	/* any address: a node */
	/* A table of 120 rows with a header. */
	thead = fl.n;
	h = pia_flow_row(&fl, PIA_ROW_HEADER | PIA_ROW_KEEP | PIA_ROW_NOSPLIT);
	c = pia_row_cell(h, 0, 100, 0.9f, 0);
	pia_para_puts(pia_content_para(&c->content, 7.5, PIA_AL_CENTER), "表の見出し",
	    PIA_FONT_GOTHIC, 0);
	c = pia_row_cell(h, 100, PIA_WIDTH, 0.9f, 0);
	pia_para_puts(pia_content_para(&c->content, 7.5, PIA_AL_CENTER), "内容",
	    PIA_FONT_GOTHIC, 0);
	for (i = 0; i < 120; i++) {
		r = pia_flow_row(&fl, 0);
		r->thead = thead;
		r->nthead = 1;
		c = pia_row_cell(r, 0, 100, 1, PIA_CELL_LABEL);
		snprintf(buf, sizeof(buf), "行%zu", i + 1);
		pia_para_puts(pia_content_para(&c->content, 7.5, PIA_AL_LEFT), buf,
		    PIA_FONT_MINCHO, PIA_SP_VALUE);
		c = pia_row_cell(r, 100, PIA_WIDTH, 1, 0);
		fill(c, "表の値。", 3, 7.5);
	}
	/* A page reference to the long item. */
	r = pia_flow_row(&fl, 0);
	c = pia_row_cell(r, 0, 50, 1, 0);
	c->pageref = (const struct pia_node *)&fl;
	pia_para_puts(pia_content_para(&c->content, 8, PIA_AL_CENTER), "0",
	    PIA_FONT_GOTHIC, 0);

	EXPECT_INT(pia_paginate(&ts, &fl, "見出しの文字列", &doc), 0);
	EXPECT(doc.npages >= 4);
	/* The heading is on the page where its item starts. */
	p1 = page_of(&doc, "1. 見出しは", 0);
	p2 = page_of(&doc, "①長い項目", 0);
	EXPECT(p1 >= 0 && p1 == p2);
	/* The item goes on with （続き）. */
	p2 = page_of(&doc, "①長い項目（続き）", 0);
	EXPECT(p2 == p1 + 1);
	/* The table header is repeated at the top of every page the table is on. */
	p1 = page_of(&doc, "行1", 0);
	p2 = page_of(&doc, "行120", 0);
	EXPECT(p1 >= 0 && p2 > p1);
	for (i = (size_t)p1; p2 > p1 && i <= (size_t)p2; i++)
		EXPECT_INT(count_on(&doc, i, "表の見出し"), 1);
	/* Running header and 「x / y」 footer. */
	EXPECT_INT(count_on(&doc, 1, "見出しの文字列"), 1);
	snprintf(buf, sizeof(buf), "2 / %zu", doc.npages);
	EXPECT_INT(count_on(&doc, 1, buf), 1);
	/* The page number filled in. */
	EXPECT_INT(pia_flow_page(&fl, (const struct pia_node *)&fl),
	    page_of(&doc, "①長い項目", 0) + 1);
	snprintf(buf, sizeof(buf), "%ld", page_of(&doc, "①長い項目", 0) + 1);
	EXPECT_INT(strcmp(c->content.v[0].text, buf), 0);
	pia_doc_free(&doc);
	pia_flow_free(&fl);
}

int
main(void)
{
	const char	*why = NULL;

	ts.fonts[PIA_FONT_MINCHO] = pia_font_load(PIA_FONT_MINCHO, NULL, &why);
	ts.fonts[PIA_FONT_GOTHIC] = pia_font_load(PIA_FONT_GOTHIC, NULL, &why);
	ts.br = pia_linebreak_new();
	if (ts.fonts[0] == NULL || ts.fonts[1] == NULL || ts.br == NULL) {
		fprintf(stderr, "test_pdfgrid: cannot load the IPAex fonts (%s)\n",
		    why ? why : "ICU");
		return UNIT_DONE("pdfgrid") || 1;
	}
	test_justify();
	test_split();
	test_keep();
	test_pages();
	pia_linebreak_free(ts.br);
	pia_linebreak_lines_free(&ts.lines);
	pia_font_free(ts.fonts[0]);
	pia_font_free(ts.fonts[1]);
	return UNIT_DONE("pdfgrid");
}
