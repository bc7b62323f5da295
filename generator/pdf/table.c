/*
 * The ruled grid of the 様式: rows of cells (label columns, value
 * columns, table columns), each cell a box of paragraphs.  A label may
 * span the rows below it (使用の主体 over 使用部署 and 使用者数): those
 * rows hold an empty continuation cell pointing back at it.
 *
 * A row that does not fit on a page is split at a line boundary: every
 * value cell keeps the lines that fit, labels stay whole, and the rest of
 * the row goes on the next page with each label repeated as
 * 「①事務の内容（続き）」.  The split keeps at least two lines on each
 * side (no orphan, no widow) unless the row is taller than a page.
 * Table header rows and page placement are paginate.c's business.
 */

#include <stdlib.h>
#include <string.h>

#include "pdf_int.h"
#include "util.h"

/* Lines may overshoot a cut by this much (rounding of summed heights). */
#define EPS		0.01
/* Fewest lines left on either side of a split. */
#define MINLINES	2

static const char cont_text[] = "（続き）";

struct pia_grow *
pia_flow_row(struct pia_flow *fl, unsigned flags)
{
	struct pia_grow	*r;

	if (fl->n == fl->cap) {
		fl->cap = fl->cap ? fl->cap * 2 : 256;
		fl->v = xrealloc(fl->v, fl->cap * sizeof(*fl->v));
	}
	r = xcalloc(1, sizeof(*r));
	r->flags = flags;
	r->outline = -1;
	fl->v[fl->n++] = r;
	return r;
}

struct pia_gcell *
pia_row_cell(struct pia_grow *r, double x0, double x1, float fill,
    unsigned flags)
{
	struct pia_gcell	*c;

	if (r->ncells == PIA_MAXCELLS)
		return NULL;
	c = &r->cells[r->ncells++];
	memset(c, 0, sizeof(*c));
	c->x0 = x0;
	c->x1 = x1;
	c->fill = fill;
	c->flags = flags;
	return c;
}

static double
cwidth(const struct pia_gcell *c)
{
	double	 w = c->x1 - c->x0 - 2 * PIA_HPAD;

	return w > 1 ? w : 1;
}

int
pia_row_layout(struct pia_typesetter *ts, struct pia_grow *r)
{
	struct pia_gcell	*c;
	size_t			 i;
	double			 h = 0;

	for (i = 0; i < r->ncells; i++) {
		c = &r->cells[i];
		if (c->flags & PIA_CELL_CONT)
			continue;
		if (pia_layout(ts, &c->content, cwidth(c), &c->laid) == -1)
			return -1;
		if (c->laid.height > h)
			h = c->laid.height;
	}
	r->height = h + 2 * PIA_VPAD;
	if (r->height < r->minh)
		r->height = r->minh;
	return 0;
}

/*
 * Copy a paragraph, text, spans and marker.  The copy repeats text printed
 * once already, so none of it counts as source text (PIA_SP_VALUE).
 */
static void
copypara(struct pia_content *dst, const struct pia_para *p)
{
	struct pia_para	*q;
	size_t		 i;

	q = pia_content_para(dst, p->size, p->align);
	q->lead = p->lead;
	q->indent = p->indent;
	q->before = p->before;
	q->list = p->list;
	for (i = 0; i < p->nspans; i++)
		pia_para_put(q, p->text + p->spans[i].off, p->spans[i].len,
		    p->spans[i].font, p->spans[i].flags & ~PIA_SP_VALUE);
	if (p->marker != NULL)
		pia_para_marker(q, p->marker, p->mx, p->mfont,
		    p->mflags & ~PIA_SP_VALUE);
}

const struct pia_laid *
pia_cell_cont(struct pia_typesetter *ts, struct pia_gcell *c)
{
	const struct pia_para	*last;
	struct pia_para		*q;
	enum pia_font_kind	 font = PIA_FONT_GOTHIC;
	size_t			 i;

	if ((c->flags & PIA_CELL_CONT) && c->span != NULL)
		c = c->span;
	if (c->hascont)
		return &c->claid;
	for (i = 0; i < c->content.n; i++)
		copypara(&c->ccontent, &c->content.v[i]);
	if (c->ccontent.n == 0)
		pia_content_para(&c->ccontent, 8.5, PIA_AL_LEFT);
	q = &c->ccontent.v[c->ccontent.n - 1];
	last = q;
	if (last->nspans > 0)
		font = last->spans[last->nspans - 1].font;
	pia_para_put(q, cont_text, sizeof(cont_text) - 1, font, 0);
	if (pia_layout(ts, &c->ccontent, cwidth(c), &c->claid) == -1)
		return NULL;
	c->hascont = 1;
	return &c->claid;
}

int
pia_cell_settext(struct pia_typesetter *ts, struct pia_gcell *c,
    const char *s, enum pia_font_kind font, double size, enum pia_align al)
{
	struct pia_para	*p;

	pia_content_free(&c->content);
	p = pia_content_para(&c->content, size, al);
	pia_para_puts(p, s, font, 0);
	return pia_layout(ts, &c->content, cwidth(c), &c->laid);
}

const struct pia_laid *
pia_cell_shown(struct pia_typesetter *ts, struct pia_gcell *c, int cont,
    int spanhead)
{
	if (c->flags & PIA_CELL_CONT)
		return spanhead ? pia_cell_cont(ts, c) : NULL;
	if ((c->flags & PIA_CELL_LABEL) && cont)
		return pia_cell_cont(ts, c);
	return &c->laid;
}

static int
isvalue(const struct pia_gcell *c)
{
	return !(c->flags & (PIA_CELL_LABEL | PIA_CELL_CONT));
}

/* Height of lines [lo, hi) of a laid cell. */
static double
span_h(const struct pia_laid *l, size_t lo, size_t hi)
{
	if (lo >= hi || hi > l->nlines)
		return 0;
	return l->lines[hi - 1].top + l->lines[hi - 1].height -
	    l->lines[lo].top;
}

double
pia_row_rest(struct pia_typesetter *ts, struct pia_grow *r,
    const size_t lo[], int cont, int spanhead)
{
	const struct pia_laid	*l;
	size_t			 i;
	double			 h = 0, x;

	for (i = 0; i < r->ncells; i++) {
		if ((l = pia_cell_shown(ts, &r->cells[i], cont, spanhead)) == NULL)
			continue;
		x = isvalue(&r->cells[i]) ? span_h(l, lo[i], l->nlines) :
		    l->height;
		if (x > h)
			h = x;
	}
	h += 2 * PIA_VPAD;
	return h < r->minh ? r->minh : h;
}

double
pia_row_split(struct pia_typesetter *ts, struct pia_grow *r,
    const size_t lo[], int cont, int spanhead, double avail, int force,
    size_t hi[])
{
	const struct pia_laid	*l;
	struct pia_gcell	*c;
	size_t			 i, k, n, moved = 0, left = 0;
	double			 H = avail - 2 * PIA_VPAD, h = 0, x;

	if (H <= 0 || (r->flags & PIA_ROW_NOSPLIT))
		return -1;
	for (i = 0; i < r->ncells; i++) {
		c = &r->cells[i];
		hi[i] = lo[i];
		if ((l = pia_cell_shown(ts, c, cont, spanhead)) == NULL)
			continue;
		if (!isvalue(c)) {
			/* Labels are never cut. */
			if (l->height > H + EPS && !force)
				return -1;
			hi[i] = l->nlines;
			if (l->height > h)
				h = l->height;
			continue;
		}
		n = l->nlines;
		for (k = lo[i]; k < n; k++)
			if (span_h(l, lo[i], k + 1) > H + EPS)
				break;
		if (!force && k < n) {
			/* A widow: give the next page one more line. */
			if (n - k < MINLINES && k - lo[i] > MINLINES)
				k = n - MINLINES;
			/* An orphan: move the whole cell. */
			if (k - lo[i] < MINLINES && k - lo[i] < n - lo[i])
				k = lo[i];
		}
		/* Never between the lines of a kept paragraph (「[　] 電子記録媒体…」). */
		while (k > lo[i] && k < n && l->lines[k].glued)
			k--;
		hi[i] = k;
		moved += k - lo[i];
		left += n - k;
		if ((x = span_h(l, lo[i], k)) > h)
			h = x;
	}
	if (left == 0)
		return h + 2 * PIA_VPAD;
	if (moved == 0) {
		if (!force)
			return -1;
		/* Taller than a page and not one line fits: take one anyway. */
		for (i = 0; i < r->ncells && moved == 0; i++) {
			c = &r->cells[i];
			if (!isvalue(c) || lo[i] >= c->laid.nlines)
				continue;
			hi[i] = lo[i] + 1;
			moved = 1;
			if ((x = span_h(&c->laid, lo[i], hi[i])) > h)
				h = x;
		}
		if (moved == 0)
			return -1;
	}
	return h + 2 * PIA_VPAD;
}

void
pia_flow_free(struct pia_flow *fl)
{
	struct pia_grow	*r;
	size_t		 i, j;

	if (fl == NULL)
		return;
	for (i = 0; i < fl->n; i++) {
		r = fl->v[i];
		for (j = 0; j < r->ncells; j++) {
			pia_content_free(&r->cells[j].content);
			pia_laid_free(&r->cells[j].laid);
			pia_content_free(&r->cells[j].ccontent);
			pia_laid_free(&r->cells[j].claid);
		}
		free(r->otitle);
		free(r);
	}
	free(fl->v);
	memset(fl, 0, sizeof(*fl));
}
