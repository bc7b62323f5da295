/*
 * The PDF renderer: a report's model to the rows of the 様式 grid, then
 * pages (paginate.c) and the file (device.c).
 *
 * The layout follows the printed 様式 (reference/domain.md §3):
 *  - a cover: 様式 stamp, title, 評価書番号 | 評価書名, the declaration,
 *    特記事項, 評価実施機関名, 承認日, 公表日, then the 項目一覧 with page
 *    numbers and links;
 *  - each section, annex and file on a new page under a title bar;
 *    numbered groups (1. …, リスク1 …) as heading rows; items as rows of
 *    a label column and a value column; a group numbered like an item
 *    (⑦使用の主体, 再委託) as a label spanning the rows of its items;
 *  - values by type, one action each (pdf_acts[]): choices as
 *    「[ 値 ]  ＜選択肢＞ 1) … 2) …」, check boxes as [○] / [　] with
 *    その他（ … ） and （ N ）件, counts as （ N ）件, Markdown as
 *    paragraphs, lists and ＜…における措置＞ sub-headings with strong
 *    text in Gothic; numbered lists (記録項目) in columns, tables (別紙)
 *    and the 変更箇所 as tables with their header repeated.
 * The renderer knows value types, form node kinds and roles, never item
 * keys: a new 様式 revision needs no change here.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmark.h>

#include "diag.h"
#include "form.h"
#include "md.h"
#include "model.h"
#include "pdf.h"
#include "pdf_int.h"
#include "pdf_render.h"
#include "pia.h"
#include "util.h"

#define LABW		148.0	/* the label column */
#define GRPW		62.0	/* the outer label of a nested group */
#define COVW		200.0	/* the cover's label column */
#define OSIZE		7.5	/* choice lists */
#define MINH		19.0	/* an empty value's row */

/* ---------------------------------------------------------------- */
/* Small helpers                                                     */
/* ---------------------------------------------------------------- */

/* Append text with tabs as spaces and without carriage returns. */
void
pia_rs_put(struct pia_para *p, const char *s, enum pia_font_kind f, unsigned fl)
{
	const char	*a;

	if (s == NULL)
		return;
	for (a = s; *s != '\0'; s++)
		if (*s == '\t' || *s == '\r') {
			pia_para_put(p, a, (size_t)(s - a), f, fl);
			if (*s == '\t')
				pia_para_put(p, " ", 1, f, fl);
			a = s + 1;
		}
	pia_para_put(p, a, (size_t)(s - a), f, fl);
}

/* A circled number (①…⑳, ㉑…), or none. */
static int
circled(const char *no)
{
	uint32_t	 cp;

	if (no == NULL)
		return 1;
	if (pia_utf8_decode(no, strlen(no), &cp) == 0)
		return 0;
	return (cp >= 0x2460 && cp <= 0x2473) || (cp >= 0x3251 && cp <= 0x325F);
}

/*
 * Number and label as the 様式 prints them: 「①事務の名称」 (a circled
 * number runs into its label), 「1. 基本情報」, 「Ⅰ 基本情報」,
 * 「リスク1： 目的外の入手…」.
 */
static void
put_title(struct pia_buf *b, const struct pia_fnode *f)
{
	const char *no = f->no, *label = f->label;

	if (no != NULL && *no != '\0') {
		pia_buf_puts(b, no);
		if (label != NULL && *label != '\0' && !circled(no))
			pia_buf_puts(b, f->flags & PIA_FF_NAMEDNO ? "： " : " ");
	}
	if (label != NULL)
		pia_buf_puts(b, label);
}

/* A repeat entry's own title, "システム1", "(1)": its pattern with {n}. */
void
pia_rs_put_entry(struct pia_buf *b, const struct pia_node *n)
{
	const char	*p;

	for (p = n->f->entry; *p != '\0'; p++)
		if (strncmp(p, "{n}", 3) == 0) {
			pia_buf_printf(b, "%u", n->index);
			p += 2;
		} else
			pia_buf_putc(b, *p);
}

/* The printed label of a node: number, label, ※ and note.  Caller frees. */
static char *
label_of(const struct pia_node *n)
{
	const struct pia_fnode	*f = n->f;
	struct pia_buf		 b = { 0 };

	if (n->index > 0 && f->entry != NULL)
		pia_rs_put_entry(&b, n);
	else
		put_title(&b, f);
	if (pia_fnode_mark_shown(f))
		pia_buf_puts(&b, " ※");
	if (f->note != NULL) {
		pia_buf_putc(&b, ' ');
		pia_buf_puts(&b, f->note);
	}
	return pia_buf_take(&b);
}

/* The item naming a repeat entry (ファイル名, 委託事項), or NULL. */
static const struct pia_node *
title_item(const struct pia_node *n)
{
	const struct pia_node	*c;

	for (c = n->child; c != NULL; c = c->next)
		if (c->f->kind == PIA_F_ITEM && (c->f->flags & PIA_FF_TITLE))
			return c;
	return NULL;
}

/*
 * A group printed as a label spanning its items' rows (⑦使用の主体,
 * 再委託): one that is numbered like an item, or not numbered, inside
 * another group.
 */
static int
nested(const struct pia_node *n)
{
	return n->f->kind == PIA_F_GROUP && !(n->f->flags & PIA_FF_REPEAT) &&
	    n->parent != NULL && n->parent->f->kind == PIA_F_GROUP &&
	    circled(n->f->no);
}

/* An item numbered like a heading ("3.", "8.") directly in a section. */
static int
heading_item(const struct pia_node *n)
{
	const char	*no = n->f->no;

	return n->parent != NULL && (n->parent->f->kind == PIA_F_SECTION ||
	    n->parent->f->kind == PIA_F_ANNEX) && no != NULL && *no != '\0' &&
	    no[strlen(no) - 1] == '.';
}

/* One-paragraph contents. */
struct pia_para *
pia_rs_para(struct pia_gcell *c, double size, enum pia_align al)
{
	return pia_content_para(&c->content, size, al);
}

struct pia_gcell *
pia_rs_cell(struct pia_grow *row, double x0, double x1, float fill,
    unsigned flags, const char *s, enum pia_font_kind font, double size,
    enum pia_align al, unsigned spflags)
{
	struct pia_gcell	*c;

	if ((c = pia_row_cell(row, x0, x1, fill, flags)) == NULL)
		return NULL;
	pia_rs_put(pia_rs_para(c, size, al), s, font, spflags);
	return c;
}

/* A full-width heading row. */
struct pia_grow *
pia_rs_heading(struct rs *S, const char *s, double size, float fill, unsigned flags,
    const struct pia_node *n, int outline)
{
	struct pia_grow	*row;

	row = pia_flow_row(S->fl, flags | PIA_ROW_KEEP | PIA_ROW_NOSPLIT);
	pia_rs_cell(row, 0, W, fill, 0, s, FG, size, PIA_AL_LEFT, 0);
	row->node = n;
	if (outline >= 0) {
		row->outline = outline;
		row->otitle = xstrdup(s);
	}
	return row;
}

/* Outline level of a heading node. */
static int
level(const struct rs *S, const struct pia_node *n)
{
	int	 lv = -1;

	for (; n != NULL && n->f->kind != PIA_F_FORM; n = n->parent)
		if (!nested(n))
			lv++;
	return lv + (S->perfile ? 1 : 0);
}

/* ---------------------------------------------------------------- */
/* Values, per type                                                  */
/* ---------------------------------------------------------------- */

struct mdstate {
	struct pia_content	*c;
	size_t			 cur;		/* paragraph being filled + 1, or 0 */
	int			 strong;
	double			 indent;
	double			 size;
	char			 marker[32];	/* for the next paragraph */
	double			 mx;
	struct {
		int		 ordered, n;
		char		 delim;
		double		 indent, hang;
	}			 lists[8];
	int			 nlists;
};

static struct pia_para *
mdpara(struct mdstate *ms, enum pia_align al)
{
	struct pia_para	*p;

	p = pia_content_para(ms->c, ms->size, al);
	p->indent = ms->indent;
	p->before = 2.5;
	/* Inside a list item: its depth, for the tags (L, LI, Lbl, LBody). */
	p->list = (unsigned)ms->nlists;
	if (ms->marker[0] != '\0') {
		pia_para_marker(p, ms->marker, ms->mx, FM, 0);
		ms->marker[0] = '\0';
	}
	ms->cur = ms->c->n;
	return p;
}

static struct pia_para *
curpara(struct mdstate *ms)
{
	if (ms->cur == 0)
		mdpara(ms, PIA_AL_JUSTIFY);
	return &ms->c->v[ms->cur - 1];
}

/* An image block for a Markdown image the preflight found readable. */
static void
md_image(struct mdstate *ms, const char *dir, const char *url,
    cmark_node *n)
{
	struct pia_image	 im;
	struct pia_para		*p;
	const char		*why;
	char			*path = xasprintf("%s/%s", dir, url);

	if (pia_image_read(path, &im, &why) == 0) {
		/* 96 pixels an inch: 0.75 pt a pixel. */
		p = pia_content_image(ms->c, path, im.w * 0.75, im.h * 0.75);
		p->indent = ms->indent;
		p->before = 4;
		/* The Figure's /Alt in the tagged PDF. */
		p->alt = pia_md_plain(n);
		mdpara(ms, PIA_AL_LEFT);
	}
	free(path);
}

/*
 * A Markdown value: paragraphs justified; ＜…における措置＞ paragraphs and
 * headings as Gothic sub-headings; lists with their numbers or a bullet
 * hanging (• and ◦, not ・, which must not start a line); strong and code
 * in Gothic; soft breaks between Japanese characters dropped (libs.md
 * §5.2); a link's address after its text.
 */
static void
md_content(struct pia_content *c, cmark_node *doc, double size,
    const char *dir)
{
	struct mdstate		 ms;
	cmark_iter		*it;
	cmark_event_type	 ev;
	cmark_node		*n, *m;
	struct pia_para		*p;
	const char		*s;
	enum pia_font_kind	 f;
	double			 hang;
	int			 k, last;

	memset(&ms, 0, sizeof(ms));
	ms.c = c;
	ms.size = size;
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		f = ms.strong > 0 ? FG : FM;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_PARAGRAPH:
			if (ev == CMARK_EVENT_EXIT) {
				ms.cur = 0;
				break;
			}
			if (pia_md_is_measure_heading(n)) {
				p = mdpara(&ms, PIA_AL_LEFT);
				p->before = 5;
				ms.strong++;
			} else
				mdpara(&ms, PIA_AL_JUSTIFY);
			break;
		case CMARK_NODE_HEADING:
			if (ev == CMARK_EVENT_ENTER) {
				p = mdpara(&ms, PIA_AL_LEFT);
				p->before = 5;
				ms.strong++;
			} else {
				ms.strong--;
				ms.cur = 0;
			}
			break;
		case CMARK_NODE_LIST:
			if (ev == CMARK_EVENT_ENTER && ms.nlists < 8) {
				k = ms.nlists++;
				ms.lists[k].ordered = cmark_node_get_list_type(n) ==
				    CMARK_ORDERED_LIST;
				ms.lists[k].n = cmark_node_get_list_start(n);
				ms.lists[k].delim = cmark_node_get_list_delim(n) ==
				    CMARK_PAREN_DELIM ? ')' : '.';
				ms.lists[k].indent = ms.indent;
				/* Room for the widest number of the list. */
				last = ms.lists[k].n;
				for (m = cmark_node_first_child(n); m != NULL;
				    m = cmark_node_next(m))
					last++;
				ms.lists[k].hang = !ms.lists[k].ordered ? size :
				    last > 100 ? size * 2.6 : last > 10 ? size * 2.1 :
				    size * 1.6;
			} else if (ev == CMARK_EVENT_EXIT && ms.nlists > 0) {
				ms.indent = ms.lists[--ms.nlists].indent;
				ms.cur = 0;
			}
			break;
		case CMARK_NODE_ITEM:
			if (ev != CMARK_EVENT_ENTER || ms.nlists == 0)
				break;
			k = ms.nlists - 1;
			if (ms.lists[k].ordered)
				snprintf(ms.marker, sizeof(ms.marker), "%d%c",
				    ms.lists[k].n++, ms.lists[k].delim);
			else
				snprintf(ms.marker, sizeof(ms.marker), "%s",
				    ms.nlists > 1 ? "◦" : "•");
			hang = ms.lists[k].hang;
			ms.mx = ms.lists[k].indent;
			ms.indent = ms.lists[k].indent + hang;
			ms.cur = 0;
			break;
		case CMARK_NODE_BLOCK_QUOTE:
			ms.indent += ev == CMARK_EVENT_ENTER ? size : -size;
			ms.cur = 0;
			break;
		case CMARK_NODE_CUSTOM_INLINE:
			/* A footnote reference "注N": in Gothic, to stand out of the text. */
			if (pia_md_note_no(n) > 0)
				ms.strong += ev == CMARK_EVENT_ENTER ? 1 : -1;
			break;
		case CMARK_NODE_CUSTOM_BLOCK:
			/* A footnote: printed after the value (footnote.c). */
			if (ev == CMARK_EVENT_ENTER)
				cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			ms.cur = 0;
			break;
		case CMARK_NODE_CODE_BLOCK:
		case CMARK_NODE_HTML_BLOCK:
			s = cmark_node_get_literal(n);
			p = mdpara(&ms, PIA_AL_LEFT);
			if (s != NULL) {
				size_t l = strlen(s);
				while (l > 0 && s[l - 1] == '\n')
					l--;
				pia_para_put(p, s, l,
				    cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK ?
				    FG : FM, SV);
			}
			ms.cur = 0;
			break;
		case CMARK_NODE_TEXT:
		case CMARK_NODE_HTML_INLINE:
			pia_rs_put(curpara(&ms), cmark_node_get_literal(n), f, SV);
			break;
		case CMARK_NODE_CODE:
			pia_rs_put(curpara(&ms), cmark_node_get_literal(n), FG, SV);
			break;
		case CMARK_NODE_SOFTBREAK:
			if (!pia_md_softbreak_joins(n))
				pia_rs_put(curpara(&ms), " ", f, 0);
			break;
		case CMARK_NODE_LINEBREAK:
			pia_rs_put(curpara(&ms), "\n", f, 0);
			break;
		case CMARK_NODE_STRONG:
			ms.strong += ev == CMARK_EVENT_ENTER ? 1 : -1;
			break;
		case CMARK_NODE_LINK:
			/* The address after the text, unless the text is it. */
			if (ev == CMARK_EVENT_EXIT &&
			    (s = cmark_node_get_url(n)) != NULL && *s != '\0') {
				char *t = pia_md_plain(n);
				if (strcmp(t, s) != 0) {
					pia_rs_put(curpara(&ms), "（", f, 0);
					pia_rs_put(curpara(&ms), s, f, SV);
					pia_rs_put(curpara(&ms), "）", f, 0);
				}
				free(t);
			}
			break;
		case CMARK_NODE_IMAGE:
			/*
			 * The picture as a block of its own, then 「［図］」 and
			 * its alt text below it as the caption (the text a
			 * reader without the picture, or a search, gets).
			 */
			if (ev == CMARK_EVENT_ENTER) {
				if (dir != NULL && (s = cmark_node_get_url(n)) != NULL)
					md_image(&ms, dir, s, n);
				pia_rs_put(curpara(&ms), "［図］", FG, 0);
			} else
				ms.cur = 0;
			break;
		default:
			break;
		}
		if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH &&
		    ev == CMARK_EVENT_EXIT && pia_md_is_measure_heading(n))
			ms.strong--;
	}
	cmark_iter_free(it);
	pia_pdf_md_notes(c, doc, size, 0);
	/* The first paragraph needs no space above. */
	if (c->n > 0)
		c->v[0].before = 0;
}

/* Plain text: hard line breaks kept. */
static void
v_text(struct rs *S, const struct pia_node *n, struct pia_grow *row,
    double x0, double x1)
{
	struct pia_gcell	*c = pia_row_cell(row, x0, x1, F_NONE, 0);

	(void)S;
	if (c != NULL && n->text != NULL && *n->text != '\0')
		pia_rs_put(pia_rs_para(c, VSIZE, PIA_AL_JUSTIFY), n->text, FM, SV);
}

static void
v_markdown(struct rs *S, const struct pia_node *n, struct pia_grow *row,
    double x0, double x1)
{
	struct pia_gcell	*c;

	if (n->md == NULL) {
		v_text(S, n, row, x0, x1);
		return;
	}
	if ((c = pia_row_cell(row, x0, x1, F_NONE, 0)) != NULL)
		md_content(&c->content, n->md, VSIZE, S->r->dir);
}

/* 「[ 値 ]」 on the left, 「＜選択肢＞ 1) … 2) …」 on the right. */
static void
v_choice(struct rs *S, const struct pia_node *n, struct pia_grow *row,
    double x0, double x1)
{
	const struct pia_choices	*cs = n->f->choices;
	struct pia_gcell		*c;
	struct pia_para			*p;
	double				 xm = x0 + (x1 - x0) * 0.44, need = 0, w, vw;
	char				 num[32];
	size_t				 i;
	int				 below;

	/*
	 * The list starts at 44 % of the cell, or further left when its
	 * longest choice would wrap and the value leaves room; when they do
	 * not fit side by side, the list goes below the value.
	 */
	for (i = 0; cs != NULL && i < cs->n; i++)
		if ((w = pia_text_width(S->ts, cs->v[i].label,
		    strlen(cs->v[i].label), FM, OSIZE)) > need)
			need = w;
	need += OSIZE * 1.6 + 2 * PIA_HPAD + 1;
	vw = (n->text != NULL ? pia_text_width(S->ts, n->text,
	    strlen(n->text), FM, VSIZE) : 0) + VSIZE * 2 + 2 * PIA_HPAD;
	if (x1 - xm < need) {
		xm = x1 - need;
		if (xm < x0 + vw)
			xm = x0 + vw;
		if (xm < x0 + (x1 - x0) * 0.3)
			xm = x0 + (x1 - x0) * 0.3;
		if (xm > x0 + (x1 - x0) * 0.44)
			xm = x0 + (x1 - x0) * 0.44;
	}
	below = cs != NULL && vw + need > x1 - x0;
	if ((c = pia_row_cell(row, x0, below ? x1 : xm, F_NONE, 0)) == NULL)
		return;
	p = pia_rs_para(c, VSIZE, PIA_AL_LEFT);
	pia_rs_put(p, "[ ", FM, 0);
	if (n->text != NULL && *n->text != '\0')
		pia_rs_put(p, n->text, FM, SV);
	else
		pia_rs_put(p, "　　　", FM, 0);
	pia_rs_put(p, " ]", FM, 0);
	if (cs == NULL || (!below && (c = pia_row_cell(row, xm, x1, F_NONE,
	    PIA_CELL_NOLEFT)) == NULL))
		return;
	/*
	 * The choices are not a list in the tags: the cell (one TD with the
	 * value, see pia_srow.cont) is read as its text, the value first,
	 * then 「＜選択肢＞ 1) … 2) …」; four elements a choice would be most
	 * of a report's structure tree.
	 */
	p = pia_rs_para(c, OSIZE, PIA_AL_LEFT);
	pia_rs_put(p, "＜選択肢＞", FG, 0);
	if (below)
		p->before = 3;
	for (i = 0; i < cs->n; i++) {
		p = pia_rs_para(c, OSIZE, PIA_AL_LEFT);
		p->indent = OSIZE * 1.6;
		p->lead = OSIZE * 1.5;
		snprintf(num, sizeof(num), "%zu)", i + 1);
		pia_para_marker(p, num, 0, FM, 0);
		pia_rs_put(p, cs->v[i].label, FM, 0);
	}
}

/* The checked box of choice i, or NULL. */
static const struct pia_box *
checked(const struct pia_node *n, size_t i)
{
	size_t	 k;

	for (k = 0; k < n->nboxes; k++)
		if (n->boxes[k].choice == i)
			return &n->boxes[k];
	return NULL;
}

/* Width of the text of a paragraph, its spans in their fonts. */
static double
para_width(const struct rs *S, const struct pia_para *p)
{
	double	 w = 0;
	size_t	 i;

	for (i = 0; i < p->nspans; i++)
		w += pia_text_width(S->ts, p->text + p->spans[i].off,
		    p->spans[i].len, p->spans[i].font, p->size);
	return w;
}

/*
 * Boxes side by side (flow="yes"), as the 様式 prints 入手方法 or 提供・
 * 移転の有無: 「[○] 紙　[　] 電子記録媒体（フラッシュメモリを除く。）…」,
 * a line broken only between boxes, a group heading on a line of its own.
 * all holds one paragraph per heading or box (the box's mark its
 * marker); the lines go into cell c, each kept whole on its page.
 */
static void
flow_boxes(const struct rs *S, struct pia_content *all, struct pia_gcell *c,
    double width)
{
	struct pia_para	*u, *line = NULL;
	double		 used = 0, w;
	size_t		 k, i;

	for (k = 0; k < all->n; k++) {
		u = &all->v[k];
		w = u->marker != NULL ? pia_text_width(S->ts, u->marker,
		    strlen(u->marker), u->mfont, u->size) + u->size * 0.5 : 0;
		w += para_width(S, u);
		if (line == NULL || u->marker == NULL ||
		    line->nspans == 0 || used + u->size + w > width) {
			line = pia_content_para(&c->content, u->size, PIA_AL_LEFT);
			line->keep = 1;
			if (c->content.n > 1)
				line->before = u->marker == NULL ? 2 : 0;
			used = 0;
		} else {
			pia_para_put(line, "　", 3, FM, 0);
			used += u->size;
		}
		if (u->marker != NULL) {
			pia_para_put(line, u->marker, strlen(u->marker), u->mfont,
			    u->mflags);
			pia_para_put(line, " ", 1, FM, 0);
		}
		for (i = 0; i < u->nspans; i++)
			pia_para_put(line, u->text + u->spans[i].off,
			    u->spans[i].len, u->spans[i].font, u->spans[i].flags);
		used += w;
		/* A heading stands alone: the next box starts a line. */
		if (u->marker == NULL)
			line = NULL;
	}
}

/*
 * Check boxes: 「[○] label」 or 「[　] label」 each on a line, その他（ … ）
 * and （ N ）件 after the label, group headings in Gothic; two columns
 * when there are many.
 */
static void
v_checks(struct rs *S, const struct pia_node *n, struct pia_grow *row,
    double x0, double x1)
{
	const struct pia_choices	*cs = n->f->choices;
	const struct pia_box		*b;
	const char			*group = NULL;
	struct pia_content		 all = { 0 };
	struct pia_gcell		*c;
	struct pia_para			*p;
	char				 num[32];
	size_t				 i, k, half, split;
	double				 xm;
	int				 two;

	if (cs == NULL) {
		v_text(S, n, row, x0, x1);
		return;
	}
	for (i = 0; i < cs->n; i++) {
		b = checked(n, i);
		if (cs->v[i].group != NULL && (group == NULL ||
		    strcmp(group, cs->v[i].group) != 0)) {
			group = cs->v[i].group;
			p = pia_content_para(&all, VSIZE, PIA_AL_LEFT);
			pia_rs_put(p, group, FG, 0);
			if (all.n > 1)
				p->before = 2;
		}
		p = pia_content_para(&all, VSIZE, PIA_AL_LEFT);
		p->indent = VSIZE * 2.1;
		p->keep = 1;
		pia_para_marker(p, b != NULL ? "[○]" : "[　]", 0, FM, 0);
		pia_rs_put(p, cs->v[i].label, FM, b != NULL ? SV : 0);
		if (cs->v[i].flags & PIA_CF_OTHER) {
			pia_rs_put(p, "（", FM, 0);
			if (b != NULL && b->other != NULL)
				pia_rs_put(p, b->other, FM, SV);
			else
				pia_rs_put(p, "　　", FM, 0);
			pia_rs_put(p, "）", FM, 0);
		}
		if (cs->v[i].flags & PIA_CF_COUNT) {
			pia_rs_put(p, "（ ", FM, 0);
			if (b != NULL && b->count >= 0) {
				snprintf(num, sizeof(num), "%ld", b->count);
				pia_rs_put(p, num, FM, SV);
			} else
				pia_rs_put(p, "　", FM, 0);
			pia_rs_put(p, " ）件", FM, 0);
		}
	}
	/* Boxes not in the list (the check reports them): as written. */
	if (n->text != NULL && n->nboxes == 0 && *n->text != '\0')
		pia_rs_put(pia_content_para(&all, VSIZE, PIA_AL_LEFT), n->text, FM, SV);
	if ((n->f->flags & PIA_FF_FLOW) &&
	    (c = pia_row_cell(row, x0, x1, F_NONE, 0)) != NULL) {
		flow_boxes(S, &all, c, x1 - x0 - 2 * PIA_HPAD - 1);
		pia_content_free(&all);
		return;
	}

	/*
	 * Two columns when there are many boxes and every one fits half
	 * the cell on one line: a label never wraps mid-label.
	 */
	two = all.n > 6 && x1 - x0 > 250;
	for (k = 0; two && k < all.n; k++)
		if (all.v[k].indent + pia_text_width(S->ts, all.v[k].text,
		    all.v[k].len, FM, VSIZE) > (x1 - x0) / 2 - 2 * PIA_HPAD - 1)
			two = 0;
	half = (all.n + 1) / 2;
	split = all.n;
	if (two) {
		/* Split near the middle, before a group heading if one is close. */
		split = half;
		for (k = half > 2 ? half - 2 : 0; k <= half + 2 && k < all.n; k++)
			if (all.v[k].marker == NULL) {
				split = k;
				break;
			}
	}
	xm = two ? x0 + (x1 - x0) / 2 : x1;
	c = pia_row_cell(row, x0, xm, F_NONE, 0);
	for (k = 0; c != NULL && k < all.n; k++) {
		if (k == split)
			c = pia_row_cell(row, xm, x1, F_NONE, PIA_CELL_NOLEFT);
		if (c == NULL)
			break;
		/* Move the paragraph: the cell takes over its memory. */
		if (c->content.n == c->content.cap) {
			c->content.cap = c->content.cap ? c->content.cap * 2 : 8;
			c->content.v = xrealloc(c->content.v,
			    c->content.cap * sizeof(*c->content.v));
		}
		c->content.v[c->content.n++] = all.v[k];
		if (c->content.n == 1)
			c->content.v[0].before = 0;
		memset(&all.v[k], 0, sizeof(all.v[k]));
	}
	pia_content_free(&all);
}

/* （ N ）件 */
static void
v_count(struct rs *S, const struct pia_node *n, struct pia_grow *row,
    double x0, double x1)
{
	struct pia_gcell	*c = pia_row_cell(row, x0, x1, F_NONE, 0);
	struct pia_para		*p;

	(void)S;
	if (c == NULL)
		return;
	p = pia_rs_para(c, VSIZE, PIA_AL_LEFT);
	pia_rs_put(p, "（ ", FM, 0);
	if (n->text != NULL && *n->text != '\0')
		pia_rs_put(p, n->text, FM, SV);
	else
		pia_rs_put(p, "　", FM, 0);
	pia_rs_put(p, " ）件", FM, 0);
}

/* A list without numbers: one entry a line. */
static void
v_list(struct rs *S, const struct pia_node *n, struct pia_grow *row,
    double x0, double x1)
{
	struct pia_gcell	*c = pia_row_cell(row, x0, x1, F_NONE, 0);
	size_t			 i;

	(void)S;
	for (i = 0; c != NULL && i < n->nlist; i++)
		pia_rs_put(pia_rs_para(c, VSIZE, PIA_AL_JUSTIFY), n->list[i].text, FM, SV);
	if (c != NULL && n->nlist == 0 && n->text != NULL)
		pia_rs_put(pia_rs_para(c, VSIZE, PIA_AL_JUSTIFY), n->text, FM, SV);
}

/* ---------------------------------------------------------------- */
/* Rows                                                              */
/* ---------------------------------------------------------------- */

/*
 * The label cells of one row of item n; returns where the value starts.
 * head: the item's own label cell in its first row (NULL there, set on
 * return); later rows of the same item continue it.
 */
static double
labels(struct rs *S, struct pia_grow *row, const struct pia_node *n,
    struct pia_gcell **head)
{
	struct pia_gcell	*c;
	double			 x = 0;
	char			*t;

	if (S->nest != NULL) {
		if (S->nesthead == NULL) {
			t = label_of(S->nest);
			S->nesthead = pia_rs_cell(row, 0, GRPW, F_LABEL,
			    PIA_CELL_LABEL, t, FG, LSIZE, PIA_AL_LEFT, 0);
			free(t);
		} else if ((c = pia_row_cell(row, 0, GRPW, F_LABEL,
		    PIA_CELL_CONT)) != NULL)
			c->span = S->nesthead;
		x = GRPW;
	}
	if (*head == NULL && n == S->nest) {
		/* The item heads its sub-rows: its label spans them on the left. */
		*head = pia_row_cell(row, x, LABW, F_LABEL, 0);
	} else if (*head == NULL) {
		t = label_of(n);
		*head = pia_rs_cell(row, x, LABW, F_LABEL, PIA_CELL_LABEL, t, FG,
		    LSIZE, PIA_AL_LEFT, 0);
		free(t);
	} else if ((c = pia_row_cell(row, x, LABW, F_LABEL,
	    PIA_CELL_CONT)) != NULL)
		c->span = *head;
	return LABW;
}

/*
 * A run-in list (記録項目 in the 別添, as the 様式 prints it): one
 * paragraph 「1. カナ氏名、2. 漢字氏名、…」 the full width, no label.
 */
static void
r_runin(struct rs *S, const struct pia_node *n)
{
	struct pia_grow		*row;
	struct pia_gcell	*c;
	struct pia_para		*p;
	char			 num[32];
	size_t			 i;

	row = pia_flow_row(S->fl, 0);
	row->node = n;
	row->minh = MINH;
	if ((c = pia_row_cell(row, 0, W, F_NONE, 0)) == NULL ||
	    n->nlist == 0)
		return;
	p = pia_rs_para(c, VSIZE, PIA_AL_JUSTIFY);
	for (i = 0; i < n->nlist; i++) {
		snprintf(num, sizeof(num), "%s%zu. ", i > 0 ? "、" : "", i + 1);
		pia_rs_put(p, num, FM, 0);
		pia_rs_put(p, n->list[i].text, FM, SV);
	}
}

/*
 * A numbered list (記録項目): entries 「N. text」 in columns, a row per
 * line of entries, the label spanning them all.
 */
static void
r_numbered(struct rs *S, const struct pia_node *n, double x0, int full)
{
	struct pia_gcell	*head = NULL, *c;
	struct pia_grow		*row;
	struct pia_para		*p;
	char			 num[32];
	size_t			 i, k, ncol;
	double			 w, xs;

	if (n->f->flags & PIA_FF_RUNIN) {
		r_runin(S, n);
		return;
	}
	xs = x0;
	ncol = (W - xs) >= 300 ? 3 : 2;
	w = (W - xs) / (double)ncol;
	for (i = 0; i == 0 || i < n->nlist; i += ncol) {
		row = pia_flow_row(S->fl, 0);
		row->node = n;
		if (!full)
			labels(S, row, n, &head);
		for (k = 0; k < ncol; k++) {
			c = pia_row_cell(row, xs + k * w, xs + (k + 1) * w,
			    F_NONE, (k > 0 ? PIA_CELL_NOLEFT : 0) |
			    (i > 0 ? PIA_CELL_NOTOP : 0));
			if (c == NULL || i + k >= n->nlist)
				continue;
			p = pia_rs_para(c, VSIZE, PIA_AL_LEFT);
			snprintf(num, sizeof(num), "%zu.", i + k + 1);
			p->indent = VSIZE * (n->nlist >= 100 ? 2.6 : 2.1);
			pia_para_marker(p, num, 0, FM, 0);
			pia_rs_put(p, n->list[i + k].text, FM, SV);
		}
	}
}

/* A table item (別紙): the form's columns, header repeated on each page. */
static void
r_table(struct rs *S, const struct pia_node *n, double x0, int full)
{
	const struct pia_fnode	*f = n->f;
	struct pia_grow		*row;
	size_t			 i, j, thead;
	double			 tw = 0, x, sc;

	(void)full;
	for (j = 0; j < f->ncols; j++)
		tw += f->cols[j].width ? f->cols[j].width : 1;
	if (f->ncols == 0 || f->ncols > PIA_MAXCELLS || tw <= 0)
		return;
	sc = (W - x0) / tw;
	thead = S->fl->n;
	row = pia_flow_row(S->fl, PIA_ROW_HEADER | PIA_ROW_KEEP |
	    PIA_ROW_NOSPLIT);
	row->node = n;
	for (j = 0, x = x0; j < f->ncols; j++) {
		double cw = (f->cols[j].width ? f->cols[j].width : 1) * sc;
		pia_rs_cell(row, x, j + 1 == f->ncols ? W : x + cw, F_GROUP, 0,
		    f->cols[j].label ? f->cols[j].label : f->cols[j].key, FG,
		    TSIZE, PIA_AL_CENTER, 0);
		x += cw;
	}
	for (i = 0; i < n->nrows; i++) {
		row = pia_flow_row(S->fl, 0);
		row->thead = thead;
		row->nthead = 1;
		for (j = 0, x = x0; j < f->ncols; j++) {
			double cw = (f->cols[j].width ? f->cols[j].width : 1) * sc;
			pia_rs_cell(row, x, j + 1 == f->ncols ? W : x + cw, F_NONE,
			    j == 0 ? PIA_CELL_LABEL : 0, j < n->rows[i].ncells ?
			    n->rows[i].cells[j].text : "", FM, TSIZE, PIA_AL_LEFT,
			    SV);
			x += cw;
		}
	}
}

/*
 * An inline item (inline="yes": the 委託の有無 （ N ）件) as a paragraph
 * appended to cell c of the item before it.
 */
static void
inline_value(const struct pia_node *n, struct pia_gcell *c)
{
	struct pia_para	*p = pia_rs_para(c, VSIZE, PIA_AL_LEFT);
	int		 filled = n->text != NULL && *n->text != '\0';

	p->before = 3;
	if (n->f->type == PIA_T_COUNT) {
		pia_rs_put(p, "（ ", FM, 0);
		pia_rs_put(p, filled ? n->text : "　", FM, filled ? SV : 0);
		pia_rs_put(p, " ）件", FM, 0);
	} else if (filled)
		pia_rs_put(p, n->text, FM, SV);
}

typedef void	(*value_fn)(struct rs *, const struct pia_node *,
		    struct pia_grow *, double, double);
typedef void	(*rows_fn)(struct rs *, const struct pia_node *, double, int);
typedef void	(*cell_fn)(struct rs *, const struct pia_node *);

/*
 * What each value type prints: into the value cells of its row, or rows
 * of its own; as a cell of a 変更箇所 row (changes.c), into its column.
 */
static const struct pdf_act {
	value_fn	 value;
	rows_fn		 rows;
	cell_fn		 cell;
} pdf_acts[PIA_T__MAX] = {
	[PIA_T_NONE]		= { NULL, NULL, NULL },
	[PIA_T_TEXT]		= { v_text, NULL, pia_rs_cell_text },
	[PIA_T_MARKDOWN]	= { v_markdown, NULL, NULL },
	[PIA_T_CHOICE]		= { v_choice, NULL, NULL },	/* [ 値 ] ＜選択肢＞ 1) … */
	[PIA_T_CHECKS]		= { v_checks, NULL, NULL },	/* [○] / [　] … */
	[PIA_T_COUNT]		= { v_count, NULL, NULL },	/* （ N ）件 */
	[PIA_T_DATE]		= { v_text, NULL, pia_rs_cell_text },
	[PIA_T_YEARMONTH]	= { v_text, NULL, NULL },
	[PIA_T_REF]		= { v_text, NULL, NULL },
	[PIA_T_LIST]		= { v_list, r_numbered, NULL },
	[PIA_T_TABLE]		= { NULL, r_table, NULL },
	[PIA_T_PAGE]		= { NULL, NULL, pia_rs_cell_page },	/* its page, linked */
	[PIA_T_ITEMPATH]	= { NULL, NULL, pia_rs_cell_item },
	[PIA_T_CHANGE]		= { NULL, NULL, pia_rs_cell_change },	/* or （別添3-別紙1参照） */
};

static rows_fn
rows_of(const struct pia_node *n)
{
	const struct pdf_act	*a = &pdf_acts[n->f->type];

	if (a->rows == r_numbered && !(n->f->flags & PIA_FF_NUMBERED))
		return NULL;
	return a->rows;
}

/* An item: a row of labels and value, or a heading and a full-width value. */
static void
item(struct rs *S, const struct pia_node *n)
{
	const struct pdf_act	*a = &pdf_acts[n->f->type];
	struct pia_gcell	*head = NULL;
	struct pia_grow		*row;
	rows_fn			 rf = rows_of(n);
	const struct pia_node	*s;
	char			*t;
	double			 x;
	size_t			 k;

	if (heading_item(n) && S->nest == NULL) {
		t = label_of(n);
		pia_rs_heading(S, t, VSIZE, F_GROUP, 0, n, -1);
		free(t);
		if (rf != NULL)
			rf(S, n, 0, 1);
		else if (a->value != NULL) {
			row = pia_flow_row(S->fl, 0);
			row->node = n;
			row->minh = MINH;
			a->value(S, n, row, 0, W);
		}
		return;
	}
	if (rf != NULL) {
		if (n->f->type == PIA_T_TABLE) {
			t = label_of(n);
			pia_rs_heading(S, t, VSIZE, F_GROUP, 0, n, -1);
			free(t);
			rf(S, n, 0, 1);
		} else
			rf(S, n, S->nest ? LABW : LABW, 0);
		return;
	}
	row = pia_flow_row(S->fl, 0);
	row->node = n;
	row->minh = MINH;
	x = labels(S, row, n, &head);
	if (a->value != NULL)
		a->value(S, n, row, x, W);
	/* Inline items after it go into its first value cell. */
	for (k = 0; k < row->ncells && row->cells[k].x0 < x; k++)
		;
	for (s = n->next; k < row->ncells && s != NULL &&
	    (s->f->flags & PIA_FF_INLINE); s = s->next)
		inline_value(s, &row->cells[k]);
}

/* ---------------------------------------------------------------- */
/* The cover and the 項目一覧                                        */
/* ---------------------------------------------------------------- */

static const struct pia_node *
role(const struct pia_node *cover, const char *r)
{
	const struct pia_node	*c;

	for (c = cover->child; c != NULL; c = c->next)
		if (c->f->role != NULL && strcmp(c->f->role, r) == 0)
			return c;
	return NULL;
}

/* The title a top-level node has in the 項目一覧 and its bookmark. */
char *
pia_rs_top_title(const struct pia_node *n)
{
	struct pia_buf	 b = { 0 };

	put_title(&b, n->f);
	if (pia_fnode_mark_shown(n->f))
		pia_buf_puts(&b, " ※");
	if (n->f->note != NULL) {
		pia_buf_putc(&b, ' ');
		pia_buf_puts(&b, n->f->note);
	}
	return pia_buf_take(&b);
}

static void
cover(struct rs *S, const struct pia_node *cv)
{
	const struct pia_form	*form = S->r->form;
	const struct pia_node	*num, *name, *c, *top;
	struct pia_grow		*row;
	struct pia_gcell	*cell;
	struct pia_buf		 b = { 0 };
	char			*t;
	int			 pages;

	row = pia_flow_row(S->fl, PIA_ROW_NORULE | PIA_ROW_NOSPLIT);
	pia_rs_cell(row, 0, W, F_NONE, 0, form->stamp, FG, 8, PIA_AL_RIGHT, 0);
	row = pia_flow_row(S->fl, PIA_ROW_NORULE | PIA_ROW_NOSPLIT);
	row->before = 36;
	pia_rs_cell(row, 0, W, F_NONE, 0, form->title, FG, 15, PIA_AL_CENTER, 0);
	row->outline = 0;
	row->otitle = xstrdup(form->title);
	row->node = cv;

	num = role(cv, "number");
	name = role(cv, "name");
	if (num != NULL && name != NULL) {
		row = pia_flow_row(S->fl, PIA_ROW_KEEP | PIA_ROW_NOSPLIT);
		row->before = 36;
		t = label_of(num);
		pia_rs_cell(row, 0, 110, F_LABEL, 0, t, FG, LSIZE, PIA_AL_CENTER, 0);
		free(t);
		t = label_of(name);
		pia_rs_cell(row, 110, W, F_LABEL, 0, t, FG, LSIZE, PIA_AL_CENTER, 0);
		free(t);
		row = pia_flow_row(S->fl, PIA_ROW_NOSPLIT);
		row->node = num;
		row->minh = 30;
		pia_rs_cell(row, 0, 110, F_NONE, PIA_CELL_VCENTER, num->text, FM,
		    11, PIA_AL_CENTER, SV);
		pia_rs_cell(row, 110, W, F_NONE, PIA_CELL_VCENTER, name->text,
		    FM, 11, PIA_AL_CENTER, SV);
	}
	for (c = cv->child; c != NULL; c = c->next) {
		if (c == num || c == name || c->f->kind != PIA_F_ITEM)
			continue;
		t = label_of(c);
		if (c->f->type == PIA_T_MARKDOWN) {
			row = pia_rs_heading(S, t, LSIZE, F_LABEL, 0, c, -1);
			row->before = 12;
			row = pia_flow_row(S->fl, 0);
			row->node = c;
			row->minh = 24;
			v_markdown(S, c, row, 0, W);
		} else {
			row = pia_flow_row(S->fl, PIA_ROW_NOSPLIT);
			row->node = c;
			row->before = 12;
			pia_rs_cell(row, 0, COVW, F_LABEL, PIA_CELL_LABEL, t, FG,
			    LSIZE, PIA_AL_LEFT, 0);
			if (pdf_acts[c->f->type].value != NULL)
				pdf_acts[c->f->type].value(S, c, row, COVW, W);
		}
		free(t);
	}

	/* 項目一覧: every top-level part, with its page, linked. */
	row = pia_rs_heading(S, "項目一覧", LSIZE, F_LABEL, 0, NULL, -1);
	row->before = 24;
	pages = S->r->site != NULL && S->r->site->toc_pages;
	for (top = S->r->root->child; top != NULL; top = top->next) {
		if (top->f->kind == PIA_F_COVER || top->index > 1 ||
		    (top->f->flags & PIA_FF_OWN))
			continue;
		row = pia_flow_row(S->fl, PIA_ROW_NOSPLIT);
		row->link = top;
		put_title(&b, top->f);
		pia_rs_cell(row, 0, pages ? W - 50 : W, F_NONE, 0, b.data, FM,
		    VSIZE, PIA_AL_LEFT, 0);
		pia_buf_free(&b);
		if (!pages)
			continue;
		cell = pia_rs_cell(row, W - 50, W, F_NONE, 0, "0", FG, VSIZE,
		    PIA_AL_CENTER, 0);
		if (cell != NULL)
			cell->pageref = top;
	}
}

/* ---------------------------------------------------------------- */
/* The walk                                                          */
/* ---------------------------------------------------------------- */

/* 1 when the item heads sub-rows (sub="yes" items right after it). */
static int
has_subs(const struct pia_node *n)
{
	for (n = n->next; n != NULL && (n->f->flags & PIA_FF_INLINE); n = n->next)
		;
	return n != NULL && (n->f->flags & PIA_FF_SUB);
}

/*
 * The range (range="5") entry i (2 or more) falls in: 2～5, 6～10,
 * 11～15 …; sets *a and *z.
 */
static void
range_of(const struct pia_fnode *f, unsigned i, unsigned *a, unsigned *z)
{
	*a = i <= f->range ? 2 : (i - 1) / f->range * f->range + 1;
	*z = *a == 2 ? f->range : *a + f->range - 1;
	if (*z < *a)
		*z = *a;
}

/* A 「委託事項2～5」 row above the entries of a range, or alone when empty. */
static void
range_row(struct rs *S, const struct pia_node *n, unsigned a, unsigned z,
    unsigned flags)
{
	struct pia_buf	 b = { 0 };
	const char	*p;

	for (p = n->f->entry; *p != '\0'; p++)
		if (strncmp(p, "{n}", 3) == 0) {
			pia_buf_printf(&b, "%u～%u", a, z);
			p += 2;
		} else
			pia_buf_putc(&b, *p);
	pia_rs_heading(S, b.data, VSIZE, F_LABEL, flags, NULL, -1);
	pia_buf_free(&b);
}

static void
enter(struct rs *S, const struct pia_node *n)
{
	const struct pia_node	*ti;
	struct pia_buf		 b = { 0 };
	struct pia_grow		*row;
	struct pia_gcell	*c;
	struct pia_para		*p;
	char			*t;
	unsigned		 ra, rz;
	int			 lv;

	switch (n->f->kind) {
	case PIA_F_COVER:
		cover(S, n);
		S->skip = n;
		return;
	case PIA_F_CHANGES:
		pia_rs_changes(S, n);
		return;
	case PIA_F_ROW:
		/* The 変更点リスク評価表 is a document of its own (--risk-table). */
		if (n->f->flags & PIA_FF_RISK) {
			S->skip = n;
			return;
		}
		pia_rs_row(S, n);
		return;
	case PIA_F_CELL:
		if (pdf_acts[n->f->type].cell != NULL)
			pdf_acts[n->f->type].cell(S, n);
		return;
	case PIA_F_SECTION:
	case PIA_F_ANNEX:
		/* A sheet of the city's own with nothing in it is left out. */
		if ((n->f->flags & PIA_FF_OWN) && !pia_node_any_filled(n)) {
			S->skip = n;
			return;
		}
		S->perfile = 0;
		t = pia_rs_top_title(n);
		pia_rs_heading(S, t, 11, F_BAR, PIA_ROW_BREAK, n,
		    n->index <= 1 ? 0 : -1);
		free(t);
		if (n->index == 0)
			return;
		S->perfile = 1;
		/* A file: 「(1) 住民基本台帳ファイル」. */
		ti = title_item(n);
		row = pia_flow_row(S->fl, PIA_ROW_KEEP | PIA_ROW_NOSPLIT);
		row->node = n;
		row->outline = 1;
		if ((c = pia_row_cell(row, 0, W, F_ENTRY, 0)) == NULL)
			return;
		p = pia_rs_para(c, 10, PIA_AL_LEFT);
		pia_rs_put_entry(&b, n);
		pia_rs_put(p, b.data, FG, 0);
		if (ti != NULL && ti->text != NULL) {
			pia_rs_put(p, " ", FG, 0);
			/* Source text here only when no row prints it. */
			pia_rs_put(p, ti->text, FG, ti->f->no == NULL ? SV : 0);
			pia_buf_putc(&b, ' ');
			pia_buf_puts(&b, ti->text);
		}
		row->otitle = pia_buf_take(&b);
		if (ti != NULL && ti->f->no == NULL)
			S->consumed = ti;
		return;
	case PIA_F_GROUP:
		if (S->nest != NULL && S->nest->f->kind == PIA_F_ITEM) {
			S->nest = NULL;
			S->nesthead = NULL;
		}
		if (n->index > 0) {
			lv = level(S, n);
			/* 「委託事項2～5」 above entries 2 to 5, and so on. */
			if (n->f->range > 0 && n->index >= 2) {
				range_of(n->f, n->index, &ra, &rz);
				if (n->index == ra)
					range_row(S, n, ra, rz, PIA_ROW_KEEP);
			}
			/* 「2. …使用するシステム」 above システム1, システム2 … */
			if (n->f->no != NULL) {
				if (n->index == 1) {
					pia_buf_puts(&b, n->f->no);
					pia_buf_putc(&b, ' ');
					pia_buf_puts(&b, n->f->label);
					if (pia_fnode_mark_shown(n->f))
						pia_buf_puts(&b, " ※");
					t = pia_buf_take(&b);
					pia_rs_heading(S, t, VSIZE, F_GROUP, 0, n, lv);
					free(t);
				}
				lv++;
			}
			ti = title_item(n);
			t = label_of(n);
			if (ti == NULL || ti->f->no != NULL) {
				pia_rs_heading(S, t, VSIZE, F_ENTRY, 0, n, lv);
				free(t);
				return;
			}
			/* 「委託事項1 | 名前」 */
			row = pia_flow_row(S->fl, PIA_ROW_KEEP);
			row->node = n;
			row->outline = lv;
			pia_buf_puts(&b, t);
			if (ti->text != NULL) {
				pia_buf_putc(&b, ' ');
				pia_buf_puts(&b, ti->text);
			}
			row->otitle = pia_buf_take(&b);
			pia_rs_cell(row, 0, LABW, F_ENTRY, PIA_CELL_LABEL, t, FG,
			    VSIZE, PIA_AL_LEFT, 0);
			pia_rs_cell(row, LABW, W, F_ENTRY, 0, ti->text, FG, VSIZE,
			    PIA_AL_LEFT, SV);
			free(t);
			S->consumed = ti;
			return;
		}
		if (nested(n)) {
			S->nest = n;
			S->nesthead = NULL;
			return;
		}
		t = label_of(n);
		pia_rs_heading(S, t, VSIZE, n->f->flags & PIA_FF_NAMEDNO ?
		    F_LABEL : F_GROUP, 0, n, level(S, n));
		free(t);
		return;
	case PIA_F_ITEM:
		if (n == S->consumed || (n->f->flags & PIA_FF_INLINE))
			return;
		if (S->nest != NULL && S->nest->f->kind == PIA_F_ITEM &&
		    !(n->f->flags & PIA_FF_SUB)) {
			S->nest = NULL;
			S->nesthead = NULL;
		}
		if (S->nest == NULL && has_subs(n)) {
			S->nest = n;
			S->nesthead = NULL;
		}
		item(S, n);
		return;
	default:
		return;
	}
}

static void
leave(struct rs *S, const struct pia_node *n)
{
	unsigned	 a, z;

	if (n->f->kind == PIA_F_CHANGES) {
		pia_rs_changes_end(S, n);
		return;
	}
	/* A nested group ends with it, an item's sub-rows with its parent. */
	if (S->nest != NULL && ((n == S->nest && n->f->kind == PIA_F_GROUP) ||
	    n == S->nest->parent)) {
		S->nest = NULL;
		S->nesthead = NULL;
	}
	/*
	 * After the last entry of a ranged repeat, the rows of the ranges
	 * left empty, up to range-to, as the 様式 prints them.
	 */
	if (n->f->kind == PIA_F_GROUP && n->index > 0 && n->f->range > 0 &&
	    (n->next == NULL || n->next->f != n->f)) {
		if (n->index < 2)
			a = 2;
		else {
			range_of(n->f, n->index, &a, &z);
			a = z + 1;
		}
		for (; a <= n->f->rangeto; a = z + 1) {
			range_of(n->f, a, &a, &z);
			range_row(S, n, a, z, PIA_ROW_NOSPLIT);
		}
	}
}

/* Build the rows of the whole report. */
static void
build(struct rs *S)
{
	struct pia_walk	 w;
	struct pia_node	*n;

	pia_walk_init(&w, S->r->root);
	while (pia_walk_next(&w, &n) != PIA_WALK_DONE) {
		if (S->skip != NULL) {
			if (w.ev == PIA_WALK_EXIT && n == S->skip)
				S->skip = NULL;
			continue;
		}
		if (w.ev == PIA_WALK_ENTER)
			enter(S, n);
		else
			leave(S, n);
	}
}

/* ---------------------------------------------------------------- */
/* Entry points                                                      */
/* ---------------------------------------------------------------- */

static int
load_fonts(struct pia_diag *d, const struct pia_pdf_opts *o,
    struct pia_font *fonts[PIA_FONT__MAX])
{
	const char	*why = NULL, *path, *file;
	int		 f;

	for (f = 0; f < PIA_FONT__MAX; f++) {
		path = o != NULL ? o->font[f] : NULL;
		if ((fonts[f] = pia_font_load(f, path, &why)) == NULL) {
			file = path != NULL ? path : f == PIA_FONT_MINCHO ?
			    PIA_FONT_MINCHO_PATH : PIA_FONT_GOTHIC_PATH;
			/* A file that is not there says how to get one; else font.c's reason. */
			if (access(file, R_OK) != 0)
				pia_diag(d, NULL, PIA_MSG_PDF_FONT_MISSING, file,
				    strerror(errno));
			else
				pia_diag(d, NULL, PIA_MSG_PDF_FONT, file,
				    why != NULL ? why : "");
			while (f-- > 0)
				pia_font_free(fonts[f]);
			return -1;
		}
	}
	return 0;
}

void
pia_pdf_check_reports(struct pia_diag *d, const struct pia_report *const *r,
    size_t n)
{
	struct pia_font	*fonts[PIA_FONT__MAX];
	size_t		 i;
	int		 f;

	if (n == 0 || load_fonts(d, NULL, fonts) == -1)
		return;
	for (i = 0; i < n; i++) {
		/* Each report's messages carry its slug (the preview shows them on its page). */
		const char *prev = pia_diag_report(d, r[i]->slug);

		pia_glyphs_check(d, r[i], fonts, 0);
		pia_diag_report(d, prev);
	}
	for (f = 0; f < PIA_FONT__MAX; f++)
		pia_font_free(fonts[f]);
}

/* Info dates: SOURCE_DATE_EPOCH when set, else the 公表日 at midnight JST. */
static void
dates(const struct pia_report *r, struct pia_doc *doc)
{
	const struct pia_node	*pub = pia_report_published(r);
	const char		*e = getenv("SOURCE_DATE_EPOCH");
	char			*end;
	long long		 t;
	time_t			 tt;
	struct tm		 tm;

	if (e != NULL && *e != '\0') {
		t = strtoll(e, &end, 10);
		tt = (time_t)t;
		if (*end == '\0' && t >= 0 && gmtime_r(&tt, &tm) != NULL) {
			doc->date[0] = tm.tm_year + 1900;
			doc->date[1] = tm.tm_mon + 1;
			doc->date[2] = tm.tm_mday;
			doc->date[3] = tm.tm_hour;
			doc->date[4] = tm.tm_min;
			doc->date[5] = tm.tm_sec;
			doc->utc = 1;
			return;
		}
	}
	if (pub != NULL && pub->date.year > 0 && pub->date.day > 0) {
		doc->date[0] = pub->date.year;
		doc->date[1] = pub->date.month;
		doc->date[2] = pub->date.day;
	}
}

const char *const pia_pdf_phase_names[PIA_PDF__PHASES] = {
	[PIA_PDF_FONTS] = "フォントの幅",
	[PIA_PDF_GLYPHS] = "文字の確認",
	[PIA_PDF_BUILD] = "組版の準備",
	[PIA_PDF_PAGINATE] = "行分割とページ割り",
	[PIA_PDF_SUBSET] = "フォントの切り出し",
	[PIA_PDF_DRAW] = "ページの描画",
	[PIA_PDF_SAVE] = "圧縮と書き出し",
};

int
pia_pdf_write_opts(struct pia_diag *d, const struct pia_report *r,
    const char *path, struct pia_pdf_opts *o)
{
	struct pia_pdf_opts	 none = { 0 };
	struct pia_typesetter	 ts;
	struct pia_flow		 fl = { 0 };
	struct pia_doc		 doc;
	struct rs		 S;
	const struct pia_node	*name, *organ;
	char			*risk_title = NULL, *draft_title = NULL, *draft_subject = NULL;
	double			 t, t2;
	int			 f, rc = -1;

	if (o == NULL)
		o = &none;
	memset(&ts, 0, sizeof(ts));
	memset(&doc, 0, sizeof(doc));
	t = pia_clock_ms();
	if (load_fonts(d, o, ts.fonts) == -1)
		return -1;
	o->ms[PIA_PDF_FONTS] += (t2 = pia_clock_ms()) - t;
	t = t2;
	/* Characters the fonts lack are errors before anything is drawn. */
	if (pia_glyphs_check(d, r, ts.fonts, o->image_alt) > 0)
		goto out;
	o->ms[PIA_PDF_GLYPHS] += (t2 = pia_clock_ms()) - t;
	t = t2;
	if ((ts.br = pia_linebreak_new()) == NULL) {
		pia_diag(d, NULL, PIA_MSG_PDF_WRITE,
		    "ICU の行分割を使えません");
		goto out;
	}

	memset(&S, 0, sizeof(S));
	S.d = d;
	S.r = r;
	S.ts = &ts;
	S.fl = &fl;
	S.o = o;
	if (o->risk_table) {
		if (!pia_pdf_has_risk(r)) {
			pia_diag(d, &r->pos, PIA_MSG_PDF_NO_RISK);
			goto out;
		}
		risk_title = pia_rs_risk(&S);
	} else
		build(&S);
	o->ms[PIA_PDF_BUILD] += (t2 = pia_clock_ms()) - t;
	t = t2;

	name = pia_report_role(r, "name");
	organ = pia_report_role(r, "organ");
	doc.title = risk_title != NULL ? risk_title :
	    name != NULL && name->text != NULL ? name->text :
	    r->form->title;
	doc.author = organ != NULL && organ->text != NULL ? organ->text :
	    r->site != NULL ? r->site->organ : NULL;
	doc.subject = r->form->title;
	if (o->draft) {
		/* Viewers show the title in their window and tab: say it there too. */
		draft_title = xasprintf("【下書き】%s", doc.title);
		draft_subject = xasprintf("下書き（エラーのある原稿から作成。公表用ではありません）%s",
		    doc.subject);
		doc.title = draft_title;
		doc.subject = draft_subject;
		doc.keywords = "下書き";
		doc.draft = 1;
	}
	dates(r, &doc);
	if (pia_paginate(&ts, &fl, doc.title, &doc) == -1) {
		pia_diag(d, NULL, PIA_MSG_PDF_WRITE, "行分割に失敗しました");
		goto out;
	}
	o->ms[PIA_PDF_PAGINATE] += pia_clock_ms() - t;
	if (pia_device_write(d, &doc, ts.fonts, path, o->shown, o->trace, o->ms) == -1)
		goto out;
	o->pages = (unsigned)doc.npages;
	rc = 0;
out:
	free(risk_title);
	free(draft_title);
	free(draft_subject);
	pia_doc_free(&doc);
	pia_flow_free(&fl);
	pia_linebreak_free(ts.br);
	pia_linebreak_lines_free(&ts.lines);
	for (f = 0; f < PIA_FONT__MAX; f++)
		pia_font_free(ts.fonts[f]);
	return rc;
}

int
pia_pdf_write(struct pia_diag *d, const struct pia_report *r,
    const char *path)
{
	return pia_pdf_write_opts(d, r, path, NULL);
}
