/*
 * The 変更箇所 part of the PDF: its rows (nodes of the report's tree, one
 * cell per column of the form's <changes>) as a table with its header
 * repeated on every page; an optional column (ページ) prints when a row
 * has it, the page column also when asked, pointing at the page where
 * the changed item is printed.  pdf.c walks the rows and calls the action
 * of each cell's type (pdf_acts[]).  A 変更前 or
 * 変更後 text too long for its row (PIA_CH_LONG) is printed whole after
 * the table on a 別紙, 「（別添3-別紙1）変更箇所（令和6年6月3日記載分）」
 * as cities print them (seed 002), and its cell says 「（別添3-別紙1参照）」.
 * Also the 変更点リスク評価表, a document of its own: the rows that carry
 * a 変更理由 or a リスク変化, with their risk columns (seed 003).
 */
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "form.h"
#include "model.h"
#include "pdf.h"
#include "pdf_int.h"
#include "pdf_render.h"
#include "util.h"

/* ---------------------------------------------------------------- */
/* The 変更箇所                                                      */
/* ---------------------------------------------------------------- */

/*
 * The state of the 変更箇所 part while its rows are walked: which columns
 * print and where, the table head to repeat, and the 別紙 number of each
 * row with a text too long for it (0: none).
 */
struct rs_changes {
	const struct pia_node	*part;		/* the PIA_F_CHANGES node */
	const struct pia_fnode	*rowf;		/* its PIA_F_ROW */
	double			 x0[PIA_MAXCELLS], x1[PIA_MAXCELLS];
	int			 shown[PIA_MAXCELLS];
	size_t			 thead;
	struct pia_grow		*row;		/* the row being filled */
	size_t			*sheet;		/* per row entry - 1 */
	size_t			 nrows, nsheets;
	int			 bydate;
};

/* The column of a cell node. */
static const struct pia_column *
col_of(const struct pia_node *n)
{
	return &n->f->cols[0];
}

/* The cell of a row of type t (the first), or NULL. */
static const struct pia_node *
cell_of(const struct pia_node *row, enum pia_type t)
{
	const struct pia_node	*c;

	for (c = row != NULL ? row->child : NULL; c != NULL; c = c->next)
		if (c->f->kind == PIA_F_CELL && c->f->type == t)
			return c;
	return NULL;
}

static const char *
text_of(const struct pia_node *n)
{
	return n != NULL && n->text != NULL ? n->text : "";
}

/*
 * The node a change row's item names, read by the one resolver of item
 * paths (pia_item_resolve: pia's notation or a city's own); the deepest
 * node reached (NULL: not even the section), for the ページ column.
 */
static const struct pia_node *
find_changed(const struct pia_report *r, const char *item)
{
	struct pia_item_where	 w;
	const struct pia_node	*n;

	(void)pia_item_resolve(r->form, r->root, item, &w);
	n = w.node;
	pia_item_where_free(&w);
	return n;
}

/*
 * 「（別添3-別紙2参照）」 (tail "参照") or 「（別添3-別紙2）」 (tail ""):
 * the 別紙 k of the 変更箇所 part n; without a number of the part (様式2)
 * 「（別紙2参照）」.  Caller frees.
 */
static char *
sheet_name(const struct pia_node *n, size_t k, const char *tail)
{
	const char	*no = n->f->no;
	struct pia_buf	 b = { 0 };
	size_t		 len;

	pia_buf_puts(&b, "（");
	if (no != NULL && *no != '\0') {
		/* 「（別添3）」 loses its brackets. */
		len = strlen(no);
		if (pia_startswith(no, "（") && len > 6 &&
		    strcmp(no + len - 3, "）") == 0)
			pia_buf_put(&b, no + 3, len - 6);
		else
			pia_buf_puts(&b, no);
		pia_buf_puts(&b, "-");
	}
	pia_buf_printf(&b, "別紙%zu%s）", k, tail);
	return pia_buf_take(&b);
}

/* The length of a Markdown bullet 「- 」「* 」「+ 」 at s (after indentation), or 0. */
static size_t
bullet(const char *s)
{
	size_t	 i = 0;

	while (s[i] == ' ')
		i++;
	if ((s[i] == '-' || s[i] == '*' || s[i] == '+') &&
	    (s[i + 1] == ' ' || s[i + 1] == '\t'))
		return i + 2;
	return 0;
}

/*
 * A 変更前 or 変更後 text into cell c, first paragraph p: lines kept,
 * and a line that is a Markdown bullet (「- 規定の内容」, as pia publish
 * copies a list item) a paragraph of its own with a hanging 「•」, never
 * the raw 「- 」.
 */
static void
change_text(struct pia_gcell *c, struct pia_para *p, const char *t)
{
	const char	*nl;
	size_t		 len, b;
	int		 used = 0, inbullet = 0;

	for (; t != NULL && *t != '\0'; t = nl != NULL ? nl + 1 : t + len) {
		nl = strchr(t, '\n');
		len = nl != NULL ? (size_t)(nl - t) : strlen(t);
		if ((b = bullet(t)) > 0 && b <= len) {
			if (used) {
				p = pia_content_para(&c->content, p->size,
				    p->align);
				p->before = 1;
			}
			p->indent = p->size * 1.2;
			pia_para_marker(p, "•", 0, FM, 0);
			pia_para_put(p, t + b, len - b, FM, SV);
			used = inbullet = 1;
			continue;
		}
		if (inbullet) {
			p = pia_content_para(&c->content, p->size, p->align);
			inbullet = 0;
		} else if (used)
			pia_para_put(p, "\n", 1, FM, 0);
		pia_para_put(p, t, len, FM, SV);
		used = 1;
	}
}

/* A full-width row of one text, split across pages when long. */
static void
text_row(struct rs *S, const char *s, enum pia_font_kind font, double size,
    float fill, unsigned rowflags, unsigned spflags)
{
	struct pia_grow	*row = pia_flow_row(S->fl, rowflags);

	pia_rs_cell(row, 0, W, fill, 0, s, font, size, PIA_AL_JUSTIFY, spflags);
}

/* A full-width row of a 変更前 or 変更後 text. */
static void
change_row(struct rs *S, const char *s)
{
	struct pia_grow		*row = pia_flow_row(S->fl, 0);
	struct pia_gcell	*c = pia_row_cell(row, 0, W, F_NONE, 0);

	if (c != NULL)
		change_text(c, pia_rs_para(c, VSIZE, PIA_AL_JUSTIFY), s);
}

/* 「（別添3-別紙1）変更箇所（令和6年6月3日記載分）」: the title of 別紙 k. */
static char *
sheet_title(const struct pia_node *part, size_t k, const struct pia_node *row)
{
	struct pia_buf	 b = { 0 };
	char		*name = sheet_name(part, k, "");

	pia_buf_puts(&b, name);
	pia_buf_puts(&b, part->f->label);
	pia_buf_printf(&b, "（%s記載分）", text_of(cell_of(row, PIA_T_DATE)));
	free(name);
	return pia_buf_take(&b);
}

/*
 * The 別紙 k of row ro: its title bar (a new page for the first), the
 * row's item under its column's label, then each text too long for the
 * row under its column's label.  Only those texts are source text here;
 * the date and item were printed in the table already.
 */
static void
sheet_rows(struct rs *S, const struct pia_node *part, const struct pia_node *ro,
    size_t k, int first)
{
	const struct pia_node	*item = cell_of(ro, PIA_T_ITEMPATH), *c;
	struct pia_grow		*row;
	char			*t;

	t = sheet_title(part, k, ro);
	row = pia_rs_heading(S, t, 10, F_BAR, first ? PIA_ROW_BREAK : 0, part,
	    1);
	if (!first)
		row->before = 18;
	free(t);
	row = pia_flow_row(S->fl, PIA_ROW_KEEP | PIA_ROW_NOSPLIT);
	pia_rs_cell(row, 0, 70, F_LABEL, 0, item != NULL ? item->f->label : "",
	    FG, TSIZE, PIA_AL_LEFT, 0);
	pia_rs_cell(row, 70, W, F_NONE, 0, text_of(item), FM, VSIZE,
	    PIA_AL_LEFT, 0);
	for (c = ro->child; c != NULL; c = c->next) {
		if (c->f->type != PIA_T_CHANGE || !pia_changes_long(c->text))
			continue;
		text_row(S, c->f->label, FG, TSIZE, F_LABEL,
		    PIA_ROW_KEEP | PIA_ROW_NOSPLIT, 0);
		change_row(S, c->text);
	}
}

/*
 * 「変更前（令和7年12月まで稼働予定の現行システム）の記載」: the head of
 * change column f on a 別紙 per 記載日, with the version the rows of its
 * date name (the first that has one: label-version= with {v}), or its label.
 */
static char *
version_head(const struct rs_changes *C, const struct pia_fnode *f, size_t k)
{
	const struct pia_column	*col = &f->cols[0];
	const struct pia_node	*ro, *c;
	const char		*date = NULL, *p;
	struct pia_buf		 b = { 0 };

	for (ro = C->part->child; ro != NULL && date == NULL; ro = ro->next)
		if (ro->f == C->rowf && C->sheet[ro->index - 1] == k)
			date = text_of(cell_of(ro, PIA_T_DATE));
	for (ro = C->part->child; date != NULL && col->version_label != NULL &&
	    ro != NULL; ro = ro->next) {
		if (ro->f != C->rowf || strcmp(text_of(cell_of(ro, PIA_T_DATE)), date) != 0)
			continue;
		for (c = ro->child; c != NULL && c->f != f; c = c->next)
			;
		if (c == NULL || c->version == NULL)
			continue;
		for (p = col->version_label; *p != '\0'; p++)
			if (strncmp(p, "{v}", 3) == 0) {
				pia_buf_puts(&b, c->version);
				p += 2;
			} else
				pia_buf_putc(&b, *p);
		return pia_buf_take(&b);
	}
	return xstrdup(f->label);
}

/*
 * The 別紙 k of a 記載日 (seed 002): its title bar, a table of the item
 * column and the change columns with its head repeated on every page, and
 * a row for each change of that date with a long text, its change texts
 * whole (the 変更箇所 table refers to the 別紙 from each change cell).
 */
static void
date_sheet(struct rs *S, const struct rs_changes *C, size_t k)
{
	const struct pia_node	*ro, *first = NULL, *item, *c;
	const struct pia_fnode	*f, *itemf = NULL;
	struct pia_grow		*row;
	struct pia_gcell	*gc;
	char			*t;
	size_t			 thead, nch = 0, j;
	double			 x, x1;

	for (ro = C->part->child; ro != NULL && first == NULL; ro = ro->next)
		if (ro->f == C->rowf && C->sheet[ro->index - 1] == k)
			first = ro;
	if (first == NULL)
		return;
	for (f = C->rowf->child; f != NULL; f = f->next) {
		nch += f->type == PIA_T_CHANGE;
		if (f->type == PIA_T_ITEMPATH && itemf == NULL)
			itemf = f;
	}
	t = sheet_title(C->part, k, first);
	pia_rs_heading(S, t, 10, F_BAR, PIA_ROW_BREAK, C->part, 1);
	free(t);
	thead = S->fl->n;
	row = pia_flow_row(S->fl, PIA_ROW_HEADER | PIA_ROW_KEEP |
	    PIA_ROW_NOSPLIT);
	pia_rs_cell(row, 0, 90, F_GROUP, 0, itemf != NULL ? itemf->label : "",
	    FG, TSIZE, PIA_AL_CENTER, 0);
	for (f = C->rowf->child, j = 0, x = 90; f != NULL; f = f->next) {
		if (f->type != PIA_T_CHANGE)
			continue;
		x1 = ++j == nch ? W : 90 + (W - 90) * (double)j / (double)nch;
		t = version_head(C, f, k);
		pia_rs_cell(row, x, x1, F_GROUP, 0, t, FG, TSIZE, PIA_AL_CENTER, 0);
		free(t);
		x = x1;
	}
	for (ro = C->part->child; ro != NULL; ro = ro->next) {
		if (ro->f != C->rowf || C->sheet[ro->index - 1] != k)
			continue;
		row = pia_flow_row(S->fl, 0);
		row->thead = thead;
		row->nthead = 1;
		/* The item was printed in the table already: layout here. */
		item = cell_of(ro, PIA_T_ITEMPATH);
		pia_rs_cell(row, 0, 90, F_NONE, PIA_CELL_LABEL, text_of(item), FM,
		    TSIZE, PIA_AL_LEFT, 0);
		for (c = ro->child, j = 0, x = 90; c != NULL; c = c->next) {
			if (c->f->type != PIA_T_CHANGE)
				continue;
			x1 = ++j == nch ? W : 90 + (W - 90) * (double)j / (double)nch;
			if ((gc = pia_row_cell(row, x, x1, F_NONE, 0)) != NULL)
				change_text(gc, pia_rs_para(gc, TSIZE,
				    PIA_AL_JUSTIFY), c->text);
			x = x1;
		}
	}
}

/* 1 when a row has a change text too long for it. */
static int
row_long(const struct pia_node *ro)
{
	const struct pia_node	*c;

	for (c = ro->child; c != NULL; c = c->next)
		if (c->f->type == PIA_T_CHANGE && pia_changes_long(c->text))
			return 1;
	return 0;
}

void
pia_rs_changes(struct rs *S, const struct pia_node *n)
{
	struct rs_changes	*C;
	const struct pia_node	*ro, *o, *c;
	const struct pia_fnode	*f;
	const struct pia_column	*col;
	struct pia_grow		*row;
	size_t			 j, i;
	double			 x, x1, w;
	int			 narrow = 0, last = -1;
	char			*t;

	C = S->ch = xcalloc(1, sizeof(*C));
	C->part = n;
	for (C->rowf = n->f->child; C->rowf != NULL; C->rowf = C->rowf->next)
		if (C->rowf->kind == PIA_F_ROW && !(C->rowf->flags & PIA_FF_RISK))
			break;
	for (ro = n->child; ro != NULL; ro = ro->next)
		C->nrows += ro->f == C->rowf;
	/*
	 * The 別紙 number of each row with a text too long for it (0: none):
	 * one 別紙 per row, or per 記載日 when asked (--appendix-by-date, or
	 * site.xml <PDF 変更箇所の別紙="記載日ごと"/>).
	 */
	C->bydate = S->o->sheet_by_date ||
	    (S->r->site != NULL && S->r->site->sheet_by_date);
	C->sheet = xcalloc(C->nrows + 1, sizeof(*C->sheet));
	for (ro = n->child; ro != NULL; ro = ro->next) {
		if (ro->f != C->rowf || !row_long(ro))
			continue;
		i = ro->index - 1;
		for (o = n->child; C->bydate && o != ro && C->sheet[i] == 0; o = o->next)
			if (C->sheet[o->index - 1] > 0 &&
			    strcmp(text_of(cell_of(o, PIA_T_DATE)),
			    text_of(cell_of(ro, PIA_T_DATE))) == 0)
				C->sheet[i] = C->sheet[o->index - 1];
		if (C->sheet[i] == 0)
			C->sheet[i] = ++C->nsheets;
	}
	t = pia_rs_top_title(n);
	pia_rs_heading(S, t, 11, F_BAR, PIA_ROW_BREAK, n, 0);
	free(t);
	if (C->rowf == NULL)
		return;

	/*
	 * The columns that print: an optional one (ページ) when a row has it,
	 * or, for the page column, when asked (--change-pages); with one, the
	 * narrow widths.  The last column takes the rest of the width.
	 */
	for (f = C->rowf->child, j = 0; f != NULL && j < PIA_MAXCELLS; f = f->next, j++) {
		col = &f->cols[0];
		C->shown[j] = !col->optional ||
		    (col->type == PIA_T_PAGE && S->o->change_pages);
		for (ro = n->child; !C->shown[j] && ro != NULL; ro = ro->next)
			for (c = ro->child; c != NULL; c = c->next)
				if (c->f == f && c->present)
					C->shown[j] = 1;
		if (C->shown[j]) {
			narrow |= col->optional;
			last = (int)j;
		}
	}
	row = pia_flow_row(S->fl, PIA_ROW_HEADER | PIA_ROW_KEEP |
	    PIA_ROW_NOSPLIT);
	C->thead = S->fl->n - 1;
	for (f = C->rowf->child, j = 0, x = 0; f != NULL && j < PIA_MAXCELLS; f = f->next, j++) {
		if (!C->shown[j])
			continue;
		col = &f->cols[0];
		w = narrow && col->narrow > 0 ? col->narrow : col->width;
		x1 = (int)j == last ? W : x + w;
		C->x0[j] = x;
		C->x1[j] = x1;
		pia_rs_cell(row, x, x1, F_GROUP, 0, f->label, FG, TSIZE,
		    PIA_AL_CENTER, 0);
		x = x1;
	}
}

void
pia_rs_row(struct rs *S, const struct pia_node *n)
{
	struct rs_changes	*C = S->ch;

	if (C == NULL)
		return;
	C->row = pia_flow_row(S->fl, 0);
	C->row->thead = C->thead;
	C->row->nthead = 1;
	(void)n;
}

/* The alignment of a cell: its column's, else its type's. */
static enum pia_align
align_of(const struct pia_node *n, enum pia_align dflt)
{
	switch (col_of(n)->align) {
	case PIA_CA_LEFT:
		return PIA_AL_LEFT;
	case PIA_CA_CENTER:
		return PIA_AL_CENTER;
	case PIA_CA_JUSTIFY:
		return PIA_AL_JUSTIFY;
	default:
		return dflt;
	}
}

/* Where cell n prints in its row: 0 when its column does not print. */
static struct pia_gcell *
place(struct rs *S, const struct pia_node *n, unsigned flags)
{
	struct rs_changes	*C = S->ch;
	const struct pia_fnode	*f;
	size_t			 j;

	if (C == NULL || C->row == NULL)
		return NULL;
	for (f = C->rowf->child, j = 0; f != NULL && f != n->f; f = f->next)
		j++;
	if (f == NULL || j >= PIA_MAXCELLS || !C->shown[j])
		return NULL;
	return pia_row_cell(C->row, C->x0[j], C->x1[j], F_NONE, flags);
}

void
pia_rs_cell_text(struct rs *S, const struct pia_node *n)
{
	struct pia_gcell	*c = place(S, n, 0);
	struct pia_para		*p;
	size_t			 i;

	if (c == NULL)
		return;
	p = pia_rs_para(c, TSIZE, align_of(n, n->f->type == PIA_T_DATE ?
	    PIA_AL_LEFT : PIA_AL_JUSTIFY));
	if (n->nlist == 0) {
		pia_rs_put(p, n->text, FM, SV);
		return;
	}
	/* Fields of one cell (説明, 理由) a line each. */
	for (i = 0; i < n->nlist; i++) {
		if (i > 0)
			pia_rs_put(p, "\n", FM, 0);
		pia_rs_put(p, n->list[i].text, FM, SV);
	}
}

/* The item is repeated with （続き） on the next page (a label cell). */
void
pia_rs_cell_item(struct rs *S, const struct pia_node *n)
{
	struct pia_gcell	*c = place(S, n, PIA_CELL_LABEL);

	if (c != NULL)
		pia_rs_put(pia_rs_para(c, TSIZE, align_of(n, PIA_AL_LEFT)),
		    n->text, FM, SV);
}

/* The page where the row's item is printed, filled in by paginate.c. */
void
pia_rs_cell_page(struct rs *S, const struct pia_node *n)
{
	struct pia_gcell	*c = place(S, n, 0);

	if (c == NULL)
		return;
	pia_rs_put(pia_rs_para(c, TSIZE, align_of(n, PIA_AL_CENTER)), "0", FG, 0);
	c->pageref = find_changed(S->r, text_of(cell_of(n->parent,
	    PIA_T_ITEMPATH)));
}

/* A change text, or 「（別添3-別紙1参照）」 when it went to a 別紙. */
void
pia_rs_cell_change(struct rs *S, const struct pia_node *n)
{
	struct rs_changes	*C = S->ch;
	struct pia_gcell	*c = place(S, n, 0);
	struct pia_para		*p;
	size_t			 k;
	char			*ref;

	if (c == NULL)
		return;
	p = pia_rs_para(c, TSIZE, align_of(n, PIA_AL_JUSTIFY));
	k = n->parent->index > 0 && n->parent->index <= C->nrows ?
	    C->sheet[n->parent->index - 1] : 0;
	if (k > 0 && (C->bydate || pia_changes_long(n->text))) {
		ref = sheet_name(C->part, k, "参照");
		pia_rs_put(p, ref, FM, 0);
		free(ref);
	} else
		change_text(c, p, n->text);
}

/* After the rows: the 別紙 of the long texts. */
void
pia_rs_changes_end(struct rs *S, const struct pia_node *n)
{
	struct rs_changes	*C = S->ch;
	const struct pia_node	*ro;
	size_t			 i, k;

	if (C == NULL)
		return;
	for (i = 0; C->bydate && i < C->nsheets; i++)
		date_sheet(S, C, i + 1);
	for (ro = n->child; !C->bydate && ro != NULL; ro = ro->next)
		if (ro->f == C->rowf && (k = C->sheet[ro->index - 1]) > 0)
			sheet_rows(S, n, ro, k, k == 1);
	free(C->sheet);
	free(C);
	S->ch = NULL;
}

/* ---------------------------------------------------------------- */
/* The 変更点リスク評価表                                            */
/* ---------------------------------------------------------------- */

/* The row form of the 変更点リスク評価表 of report r's 変更箇所, or NULL; its part via *part. */
static const struct pia_fnode *
risk_form(const struct pia_report *r, const struct pia_node **part)
{
	const struct pia_node	*n;
	const struct pia_fnode	*f;

	for (n = r->root->child; n != NULL; n = n->next)
		if (n->f->kind == PIA_F_CHANGES)
			for (f = n->f->child; f != NULL; f = f->next)
				if (f->kind == PIA_F_ROW && (f->flags & PIA_FF_RISK)) {
					*part = n;
					return f;
				}
	return NULL;
}

int
pia_pdf_has_risk(const struct pia_report *r)
{
	const struct pia_node	*part, *ro;
	const struct pia_fnode	*rf = risk_form(r, &part);

	for (ro = rf != NULL ? part->child : NULL; ro != NULL; ro = ro->next)
		if (ro->f == rf)
			return 1;
	return 0;
}

/*
 * The 変更点リスク評価表 (seed 003): a title naming the 事務, then per
 * row of it (the history rows that have its columns, oldest first) a bar
 * of its bar columns (変更日　項目) kept with a row of its other columns
 * (変更前, 変更後, 変更理由, リスク変化, …: the <risk> of the form), the
 * header repeated on every page.  Texts are printed whole: this table is
 * read beside the report, not inside it.
 */
char *
pia_rs_risk(struct rs *S)
{
	const struct pia_node	*name = pia_report_role(S->r, "name");
	const char		*ft = S->r->form->name, *jimu;
	const struct pia_node	*part = NULL, *ro, *c;
	const struct pia_fnode	*rf = risk_form(S->r, &part), *f, *lastf = NULL;
	const struct pia_column	*col;
	struct pia_grow		*row;
	struct pia_buf		 b = { 0 };
	size_t			 thead, len, tl, nbar;
	double			 x, x1;
	char			*title;

	/* 「住民基本台帳に関する事務 全項目評価書」 names its 事務 first. */
	jimu = name != NULL && name->text != NULL ? name->text : "";
	len = strlen(jimu);
	tl = strlen(ft);
	if (len >= tl && strcmp(jimu + len - tl, ft) == 0)
		len -= tl;
	while (len > 0 && jimu[len - 1] == ' ')
		len--;
	if (len >= 3 && strncmp(jimu + len - 3, "　", 3) == 0)
		len -= 3;
	pia_buf_puts(&b, rf != NULL ? rf->label : "");
	pia_buf_puts(&b, "（");
	pia_buf_put(&b, jimu, len);
	pia_buf_puts(&b, "）");
	title = pia_buf_take(&b);
	row = pia_flow_row(S->fl, PIA_ROW_NORULE | PIA_ROW_NOSPLIT | PIA_ROW_KEEP);
	pia_rs_cell(row, 0, W, F_NONE, 0, title, FG, 13, PIA_AL_CENTER, 0);
	row->outline = 0;
	row->otitle = xstrdup(title);
	row->node = S->r->root;
	if (rf == NULL)
		return title;

	for (f = rf->child; f != NULL; f = f->next)
		if (!f->cols[0].bar)
			lastf = f;
	thead = S->fl->n;
	row = pia_flow_row(S->fl, PIA_ROW_HEADER | PIA_ROW_KEEP | PIA_ROW_NOSPLIT);
	row->before = 12;
	for (f = rf->child, x = 0; f != NULL; f = f->next) {
		col = &f->cols[0];
		if (col->bar)
			continue;
		x1 = f == lastf ? W : x + col->width;
		pia_rs_cell(row, x, x1, F_GROUP, 0, f->label, FG, TSIZE,
		    PIA_AL_CENTER, 0);
		x = x1;
	}
	for (ro = part->child; ro != NULL; ro = ro->next) {
		if (ro->f != rf)
			continue;
		/* 「令和6年6月3日　Ⅰ-5-②所属長の役職名」 above its row. */
		row = pia_flow_row(S->fl, PIA_ROW_KEEP | PIA_ROW_NOSPLIT);
		row->thead = thead;
		row->nthead = 1;
		for (c = ro->child, nbar = 0; c != NULL; c = c->next)
			if (c->f->cols[0].bar) {
				if (nbar++ > 0)
					pia_buf_puts(&b, "　");
				pia_buf_puts(&b, c->text != NULL ? c->text : "");
			}
		pia_rs_cell(row, 0, W, F_ENTRY, 0, b.data != NULL ? b.data : "",
		    FG, TSIZE, PIA_AL_LEFT, SV);
		pia_buf_free(&b);
		row = pia_flow_row(S->fl, 0);
		row->thead = thead;
		row->nthead = 1;
		for (c = ro->child, x = 0; c != NULL; c = c->next) {
			col = &c->f->cols[0];
			if (col->bar)
				continue;
			x1 = c->f == lastf ? W : x + col->width;
			pia_rs_cell(row, x, x1, F_NONE, 0, c->text != NULL ?
			    c->text : "", FM, TSIZE, col->align == PIA_CA_CENTER ?
			    PIA_AL_CENTER : col->align == PIA_CA_LEFT ?
			    PIA_AL_LEFT : PIA_AL_JUSTIFY, SV);
			x = x1;
		}
	}
	return title;
}
