/*
 * Pages: the flow of grid rows placed onto A4 pages, then drawn into the
 * display list the device writes.
 *
 * Placement, row by row:
 *  - a row flagged BREAK starts a new page (sections, files);
 *  - a heading (KEEP) goes to the next page unless it fits together with
 *    the headings that follow it and the first piece of the next row, so
 *    no heading or label is left alone at a page foot;
 *  - a row that does not fit is split at a line boundary (table.c) and
 *    continues on the next page, labels repeated with （続き）;
 *  - a table's header rows are repeated at the top of each page it runs
 *    on, and a label spanning rows is repeated with （続き） above the
 *    first of its rows on a new page.
 * Then the page numbers rows ask for (項目一覧, the ページ column of the
 * 変更箇所) are filled in: they are one line each, so heights stay.
 * Drawing adds the running header (評価書名), the footer 「x / y」,
 * bookmarks and the links of the 項目一覧.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "pdf_int.h"
#include "util.h"

#define EPS		0.01
#define AVAIL		(PIA_TOP - PIA_BOTTOM)

struct placed {
	struct pia_frag		 f;
	size_t			 page;
};

struct pstate {
	struct pia_typesetter	*ts;
	struct pia_flow		*fl;
	struct placed		*v;
	size_t			 n, cap;
	size_t			 page;	/* current page, 0-based */
	double			 used;	/* height used on it */
	int			 body;	/* it holds more than repeated headers */
};

static void
place(struct pstate *S, struct pia_grow *r, const size_t lo[],
    const size_t hi[], int cont, int spanhead, double h)
{
	struct placed	*p;
	size_t		 i;

	if (S->n == S->cap) {
		S->cap = S->cap ? S->cap * 2 : 512;
		S->v = xrealloc(S->v, S->cap * sizeof(*S->v));
	}
	p = &S->v[S->n++];
	memset(p, 0, sizeof(*p));
	p->page = S->page;
	p->f.row = r;
	p->f.y = PIA_TOP - S->used;
	p->f.h = h;
	p->f.cont = cont;
	p->f.spanhead = spanhead;
	for (i = 0; i < r->ncells; i++) {
		p->f.lo[i] = lo[i];
		p->f.hi[i] = hi[i];
	}
	if (r->page == 0) {
		r->page = (unsigned)S->page + 1;
		r->ytop = p->f.y;
	}
	S->used += h;
	if (!(r->flags & PIA_ROW_HEADER))
		S->body = 1;
}

/* Lines to the end of every cell. */
static void
all_lines(const struct pia_grow *r, size_t hi[])
{
	size_t	 i;

	for (i = 0; i < r->ncells; i++)
		hi[i] = r->cells[i].laid.nlines;
}

static void
newpage(struct pstate *S, const struct pia_grow *r)
{
	static const size_t	 zero[PIA_MAXCELLS];
	struct pia_grow		*h;
	size_t			 i, hi[PIA_MAXCELLS];

	S->page++;
	S->used = 0;
	S->body = 0;
	/* A table running on: its header rows first. */
	if (r == NULL || r->nthead == 0 || (r->flags & PIA_ROW_HEADER))
		return;
	for (i = 0; i < r->nthead && r->thead + i < S->fl->n; i++) {
		h = S->fl->v[r->thead + i];
		all_lines(h, hi);
		place(S, h, zero, hi, 0, 0, h->height);
	}
}

/*
 * The least first piece of a row: labels whole and two lines of each
 * value cell (or all of a short one).
 */
static double
minpiece(struct pstate *S, struct pia_grow *r)
{
	static const size_t	 zero[PIA_MAXCELLS];
	size_t			 hi[PIA_MAXCELLS];
	double			 h;

	if (r->height <= 4 * 14.0)
		return r->height;
	h = pia_row_split(S->ts, r, zero, 0, !S->body, 4 * 14.0, 0, hi);
	return h > 0 ? h : r->height;
}

/* Height a keep-with-next chain starting at row i needs. */
static double
chain(struct pstate *S, size_t i)
{
	struct pia_grow	*r;
	double		 h = 0;
	size_t		 j;

	for (j = i; j < S->fl->n; j++) {
		r = S->fl->v[j];
		if (j > i && (r->flags & PIA_ROW_BREAK))
			return h;
		if (j > i)
			h += r->before;
		if (!(r->flags & PIA_ROW_KEEP))
			return h + minpiece(S, r);
		h += r->height;
	}
	return h;
}

static void
place_row(struct pstate *S, struct pia_grow *r)
{
	size_t	 lo[PIA_MAXCELLS], hi[PIA_MAXCELLS];
	double	 before, h, room;
	int	 cont = 0, spanhead;

	memset(lo, 0, sizeof(lo));
	if ((r->flags & PIA_ROW_BREAK) && (S->body || S->used > 0))
		newpage(S, r);
	before = S->used > 0 ? r->before : 0;
	for (;;) {
		spanhead = !S->body;
		h = pia_row_rest(S->ts, r, lo, cont, spanhead);
		room = AVAIL - S->used - before;
		if (h <= room + EPS) {
			S->used += before;
			all_lines(r, hi);
			place(S, r, lo, hi, cont, spanhead, h);
			return;
		}
		/* A short table row moves whole: its cells have no labels to repeat. */
		if (r->nthead > 0 && !cont && h < AVAIL / 4 && S->body)
			h = -1;
		else
			h = pia_row_split(S->ts, r, lo, cont, spanhead, room, 0,
			    hi);
		if (h < 0 && !S->body)
			h = pia_row_split(S->ts, r, lo, cont, spanhead, room,
			    1, hi);
		/*
		 * Not even a forced piece fits a fresh page (a label cell taller
		 * than the page, from a hostile 評価書名): place it whole, running
		 * off the page, rather than turn pages for ever.
		 */
		if (h < 0 && !S->body) {
			S->used += before;
			all_lines(r, hi);
			place(S, r, lo, hi, cont, spanhead,
			    pia_row_rest(S->ts, r, lo, cont, spanhead));
			return;
		}
		if (h < 0) {
			newpage(S, r);
			before = 0;
			continue;
		}
		S->used += before;
		place(S, r, lo, hi, cont, spanhead, h);
		memcpy(lo, hi, sizeof(lo));
		cont = 1;
		newpage(S, r);
		before = 0;
	}
}

static void
place_rows(struct pstate *S)
{
	struct pia_grow	*r;
	size_t		 i;
	double		 before;

	for (i = 0; i < S->fl->n; i++) {
		r = S->fl->v[i];
		if ((r->flags & PIA_ROW_KEEP) && S->body &&
		    !((r->flags & PIA_ROW_BREAK))) {
			before = S->used > 0 ? r->before : 0;
			if (S->used + before + chain(S, i) > AVAIL + EPS)
				newpage(S, r);
		}
		place_row(S, r);
	}
}

unsigned
pia_flow_page(const struct pia_flow *fl, const struct pia_node *n)
{
	size_t	 i;

	for (i = 0; i < fl->n; i++)
		if (fl->v[i]->node == n && fl->v[i]->page)
			return fl->v[i]->page;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Drawing                                                           */
/* ---------------------------------------------------------------- */

static struct pia_op *
op(struct pia_doc *doc, size_t page, enum pia_op_kind kind)
{
	struct pia_dpage	*p = &doc->pages[page];
	struct pia_op		*o;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 256;
		p->ops = xrealloc(p->ops, p->cap * sizeof(*o));
	}
	o = &p->ops[p->n++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->gray = 0;
	return o;
}

static void
line(struct pia_doc *doc, size_t page, double x0, double y0, double x1,
    double y1)
{
	struct pia_op	*o = op(doc, page, PIA_OP_LINE);

	o->x = x0;
	o->y = y0;
	o->w = x1 - x0;
	o->h = y1 - y0;
}

static const char *
keep(struct pia_doc *doc, char *s)
{
	if (doc->nstrs == doc->capstrs) {
		doc->capstrs = doc->capstrs ? doc->capstrs * 2 : 64;
		doc->strs = xrealloc(doc->strs, doc->capstrs * sizeof(char *));
	}
	doc->strs[doc->nstrs++] = s;
	return s;
}

static void
text(struct pia_doc *doc, size_t page, double x, double y, const char *s,
    enum pia_font_kind font, double size, unsigned flags)
{
	struct pia_op	*o = op(doc, page, PIA_OP_TEXT);

	o->x = x;
	o->y = y;
	o->text = s;
	o->len = strlen(s);
	o->font = font;
	o->size = size;
	o->flags = flags;
}

static size_t
dest(struct pia_doc *doc, size_t page, double y)
{
	if (doc->ndests == doc->capdests) {
		doc->capdests = doc->capdests ? doc->capdests * 2 : 64;
		doc->dests = xrealloc(doc->dests,
		    doc->capdests * sizeof(*doc->dests));
	}
	doc->dests[doc->ndests].page = page;
	doc->dests[doc->ndests].y = y;
	return doc->ndests++;
}

static void
draw_laid(struct pia_doc *doc, size_t page, const struct pia_laid *l,
    size_t lo, size_t hi, double x, double top, size_t srow, unsigned scell)
{
	const struct pia_lline	*ln;
	const struct pia_run	*r;
	struct pia_op		*o;
	size_t			 j, k;
	double			 y0;

	if (lo >= hi || hi > l->nlines)
		return;
	y0 = l->lines[lo].top;
	for (j = lo; j < hi; j++) {
		ln = &l->lines[j];
		for (k = 0; k < ln->nruns; k++) {
			r = &l->runs[ln->run0 + k];
			if (r->image != NULL) {
				o = op(doc, page, PIA_OP_IMAGE);
				o->x = x + r->x;
				o->y = top - (ln->base - y0);
				o->w = r->w;
				o->h = r->h;
				o->text = r->image;
				o->len = strlen(r->image);
				o->alt = r->alt;
				o->srow = srow;
				o->scell = scell;
				continue;
			}
			if (r->len == 0)
				continue;
			o = op(doc, page, PIA_OP_TEXT);
			o->x = x + r->x;
			o->y = top - (ln->base - y0);
			o->size = r->size;
			o->tc = r->tc;
			o->font = r->font;
			o->flags = r->flags;
			o->text = r->text;
			o->len = r->len;
			o->list = r->list;
			o->srow = srow;
			o->scell = scell;
		}
	}
}

static int
ruled(const struct placed *p)
{
	return !(p->f.row->flags & PIA_ROW_NORULE);
}

static void
draw_frag(struct pstate *S, struct pia_doc *doc, const struct placed *p)
{
	const struct pia_frag	*f = &p->f;
	struct pia_grow		*r = f->row;
	struct pia_gcell	*c;
	const struct pia_laid	*l;
	struct pia_op		*o;
	size_t			 i, lo, hi, srow;
	double			 x0, x1, dy, top = f->y, bot = f->y - f->h;
	float			 fill;
	int			 empty;

	for (i = 0; i < r->ncells; i++) {
		c = &r->cells[i];
		x0 = PIA_MARGIN_X + c->x0;
		x1 = PIA_MARGIN_X + c->x1;
		empty = (c->flags & PIA_CELL_CONT) && !f->spanhead;
		fill = (c->flags & PIA_CELL_CONT) && c->span ? c->span->fill :
		    c->fill;
		if (ruled(p) && fill < 1) {
			o = op(doc, p->page, PIA_OP_FILL);
			o->x = x0;
			o->y = bot;
			o->w = x1 - x0;
			o->h = f->h;
			o->gray = fill;
		}
		if (ruled(p)) {
			if (!empty && (!(c->flags & PIA_CELL_NOTOP) ||
			    f->spanhead))
				line(doc, p->page, x0, top, x1, top);
			if (!(c->flags & PIA_CELL_NOLEFT))
				line(doc, p->page, x0, top, x0, bot);
			if (i + 1 == r->ncells)
				line(doc, p->page, x1, top, x1, bot);
		}
		if ((l = pia_cell_shown(S->ts, c, f->cont, f->spanhead)) == NULL)
			continue;
		if (c->flags & (PIA_CELL_LABEL | PIA_CELL_CONT)) {
			lo = 0;
			hi = l->nlines;
		} else {
			lo = f->lo[i];
			hi = f->hi[i];
		}
		dy = 0;
		if ((c->flags & PIA_CELL_VCENTER) && !f->cont &&
		    hi == l->nlines && lo == 0 && l->height + 2 * PIA_VPAD < f->h)
			dy = (f->h - l->height - 2 * PIA_VPAD) / 2;
		/*
		 * Repeats are artifacts for the structure tree: a table's
		 * header row on a later page, a label's （続き） version, the
		 * label of a span repeated at the top of a page (a continued
		 * cell is only ever drawn as that repeat).
		 */
		srow = r->flowi + 1;
		if (((r->flags & PIA_ROW_HEADER) && p->page + 1 != r->page) ||
		    ((c->flags & PIA_CELL_LABEL) && f->cont) ||
		    (c->flags & PIA_CELL_CONT))
			srow = 0;
		draw_laid(doc, p->page, l, lo, hi, x0 + PIA_HPAD,
		    top - PIA_VPAD - dy, srow, (unsigned)i);
	}
}

/* Extent of a row's cells. */
static void
extent(const struct pia_grow *r, double *x0, double *x1)
{
	size_t	 i;

	*x0 = PIA_WIDTH;
	*x1 = 0;
	for (i = 0; i < r->ncells; i++) {
		if (r->cells[i].x0 < *x0)
			*x0 = r->cells[i].x0;
		if (r->cells[i].x1 > *x1)
			*x1 = r->cells[i].x1;
	}
}

/* The bottom rule of a piece, unless the next piece closes it. */
static void
draw_bottom(struct pia_doc *doc, const struct placed *p,
    const struct placed *next)
{
	double	 a0, a1, b0, b1, bot = p->f.y - p->f.h;

	if (!ruled(p))
		return;
	extent(p->f.row, &a0, &a1);
	if (next != NULL && next->page == p->page && ruled(next) &&
	    next->f.y > bot - EPS && next->f.y < bot + EPS) {
		extent(next->f.row, &b0, &b1);
		if (b0 <= a0 + EPS && b1 >= a1 - EPS)
			return;
	}
	line(doc, p->page, PIA_MARGIN_X + a0, bot, PIA_MARGIN_X + a1, bot);
}

/*
 * 下書き, boxed, in the bottom right corner beside the page number (the
 * running header says 【下書き】 too): a PDF made from sources with errors
 * is never mistaken for the published one.
 */
static void
draft_stamp(struct pia_typesetter *ts, struct pia_doc *doc, size_t page)
{
	static const char stamp[] = "下書き";
	static const char note[] = "エラーのある原稿から作成（公表用ではありません）";
	double w, wn, x0, x1, y0 = 18, y1 = 38;

	w = pia_text_width(ts, stamp, strlen(stamp), PIA_FONT_GOTHIC, 14);
	wn = pia_text_width(ts, note, strlen(note), PIA_FONT_GOTHIC, 6.5);
	x1 = PIA_PAGE_W - PIA_MARGIN_X;
	x0 = x1 - w - wn - 18;
	text(doc, page, x0 + 6, y0 + 5, stamp, PIA_FONT_GOTHIC, 14, 0);
	text(doc, page, x0 + w + 12, y0 + 7, note, PIA_FONT_GOTHIC, 6.5, 0);
	line(doc, page, x0, y0, x1, y0);
	line(doc, page, x0, y1, x1, y1);
	line(doc, page, x0, y0, x0, y1);
	line(doc, page, x1, y0, x1, y1);
}

static void
draw_page_frame(struct pia_typesetter *ts, struct pia_doc *doc, size_t page,
    size_t npages, const char *header)
{
	char	 buf[64];
	double	 w;

	if (page > 0 && header != NULL && *header != '\0') {
		text(doc, page, PIA_MARGIN_X, PIA_PAGE_H - 30, header,
		    PIA_FONT_GOTHIC, 7.5, 0);
		line(doc, page, PIA_MARGIN_X, PIA_PAGE_H - 35,
		    PIA_PAGE_W - PIA_MARGIN_X, PIA_PAGE_H - 35);
	}
	if (doc->draft)
		draft_stamp(ts, doc, page);
	snprintf(buf, sizeof(buf), "%zu / %zu", page + 1, npages);
	w = pia_text_width(ts, buf, strlen(buf), PIA_FONT_GOTHIC, 8);
	text(doc, page, (PIA_PAGE_W - w) / 2, 26, keep(doc, xstrdup(buf)),
	    PIA_FONT_GOTHIC, 8, 0);
}

/* Fill the page-number cells now that every row has its page. */
static int
pagerefs(struct pstate *S)
{
	const struct pia_node	*n;
	struct pia_gcell	*c;
	size_t			 i, j;
	unsigned		 pg;
	char			 buf[32];
	double			 size;

	for (i = 0; i < S->fl->n; i++)
		for (j = 0; j < S->fl->v[i]->ncells; j++) {
			c = &S->fl->v[i]->cells[j];
			if (c->pageref == NULL)
				continue;
			/* A node without a row of its own: its parent's page. */
			for (n = c->pageref, pg = 0; n != NULL && pg == 0;
			    n = n->parent)
				pg = pia_flow_page(S->fl, n);
			if (pg == 0)
				buf[0] = '\0';
			else
				snprintf(buf, sizeof(buf), "%u", pg);
			size = c->content.n ? c->content.v[0].size : 8;
			if (pia_cell_settext(S->ts, c, buf, PIA_FONT_GOTHIC,
			    size, PIA_AL_CENTER) == -1)
				return -1;
		}
	return 0;
}

int
pia_paginate(struct pia_typesetter *ts, struct pia_flow *fl,
    const char *header, struct pia_doc *doc)
{
	struct pstate	 S;
	struct pia_grow	*r;
	struct pia_op	*o;
	size_t		 i, j, d;
	int		 rc = -1;

	memset(&S, 0, sizeof(S));
	S.ts = ts;
	S.fl = fl;
	for (i = 0; i < fl->n; i++) {
		fl->v[i]->page = 0;
		fl->v[i]->flowi = i;
		if (pia_row_layout(ts, fl->v[i]) == -1)
			goto out;
	}
	place_rows(&S);
	if (pagerefs(&S) == -1)
		goto out;

	doc->npages = S.page + 1;
	doc->pages = xcalloc(doc->npages, sizeof(*doc->pages));
	doc->nsrows = fl->n;
	doc->srows = xcalloc(fl->n ? fl->n : 1, sizeof(*doc->srows));
	for (i = 0; i < fl->n; i++) {
		r = fl->v[i];
		doc->srows[i].outline = r->outline;
		doc->srows[i].ncells = (unsigned)r->ncells;
		doc->srows[i].header = (r->flags & PIA_ROW_HEADER) != 0;
		doc->srows[i].plain = (r->flags & PIA_ROW_NORULE) != 0;
		/*
		 * Labels: cells repeated as （続き）, and the gray cells of the
		 * 様式; a value cell without a rule on its left is the same
		 * cell to a reader as the one before (a choice list beside
		 * its value, columns of a list).
		 */
		for (j = 0; j < r->ncells; j++)
			if ((r->cells[j].flags & PIA_CELL_LABEL) ||
			    r->cells[j].fill < 1)
				doc->srows[i].label |= 1u << j;
			else if (j > 0 && (r->cells[j].flags & PIA_CELL_NOLEFT) &&
			    !((doc->srows[i].label >> (j - 1)) & 1))
				doc->srows[i].cont |= 1u << j;
	}
	for (i = 0; i < doc->npages; i++)
		draw_page_frame(ts, doc, i, doc->npages, header);
	for (i = 0; i < S.n; i++) {
		draw_frag(&S, doc, &S.v[i]);
		draw_bottom(doc, &S.v[i], i + 1 < S.n ? &S.v[i + 1] : NULL);
	}

	/* Bookmarks and links. */
	for (i = 0; i < fl->n; i++) {
		r = fl->v[i];
		if (r->outline < 0 || r->page == 0)
			continue;
		if (doc->noutl == doc->capoutl) {
			doc->capoutl = doc->capoutl ? doc->capoutl * 2 : 64;
			doc->outl = xrealloc(doc->outl,
			    doc->capoutl * sizeof(*doc->outl));
		}
		doc->outl[doc->noutl].title = xstrdup(r->otitle ?
		    r->otitle : "");
		doc->outl[doc->noutl].level = r->outline;
		doc->outl[doc->noutl].dest = dest(doc, r->page - 1, r->ytop);
		doc->noutl++;
	}
	for (i = 0; i < S.n; i++) {
		r = S.v[i].f.row;
		if (r->link == NULL)
			continue;
		for (j = 0; j < fl->n; j++)
			if (fl->v[j]->node == r->link && fl->v[j]->page)
				break;
		if (j == fl->n)
			continue;
		d = dest(doc, fl->v[j]->page - 1, fl->v[j]->ytop);
		o = op(doc, S.v[i].page, PIA_OP_LINK);
		o->srow = r->flowi + 1;
		o->x = PIA_MARGIN_X + r->cells[0].x0;
		o->y = S.v[i].f.y - S.v[i].f.h;
		o->w = r->cells[r->ncells - 1].x1 - r->cells[0].x0;
		o->h = S.v[i].f.h;
		o->dest = d;
	}
	rc = 0;
out:
	free(S.v);
	return rc;
}

void
pia_doc_free(struct pia_doc *doc)
{
	size_t	 i;

	if (doc == NULL)
		return;
	for (i = 0; i < doc->npages; i++)
		free(doc->pages[i].ops);
	free(doc->pages);
	free(doc->srows);
	free(doc->dests);
	for (i = 0; i < doc->noutl; i++)
		free(doc->outl[i].title);
	free(doc->outl);
	for (i = 0; i < doc->nstrs; i++)
		free(doc->strs[i]);
	free(doc->strs);
	memset(doc, 0, sizeof(*doc));
}
