/*
 * The 変更箇所 part of a report page: its rows (nodes of the report's
 * tree, a cell per column of the form's <changes>) as a table, oldest
 * first, walked by html.c, each row a redline: the
 * 変更前 cell marks what was deleted (<del>), the 変更後 cell what was
 * inserted (<ins>), so each cell still reads as its whole text.  The
 * theme names the marks for screen readers (CSS generated content
 * 「削除：」「追加：」) as well as showing them.  A text too long for a
 * row (PIA_CH_LONG; on a 別紙 in the PDF) is collapsed in <details>.
 * Then, when rows carry its columns, the 変更点リスク評価表.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "changes.h"
#include "form.h"
#include "html.h"
#include "html_int.h"
#include "model.h"
#include "util.h"
#include "wareki.h"

/*
 * Lines of a change text, as pia_html_lines() prints them, but a line
 * that is a Markdown bullet (「- 規定の内容」, as pia publish copies a
 * list item) starts with 「・」 instead of the raw 「- 」.  *bol: at the
 * start of a line (kept across the pieces of a redline).
 */
static void
change_lines(struct pia_buf *b, const char *s, int *bol)
{
	const char *nl;
	size_t i;

	for (; s != NULL && *s != '\0'; s = nl + 1) {
		if (*bol) {
			for (i = 0; s[i] == ' '; i++)
				;
			if ((s[i] == '-' || s[i] == '*' || s[i] == '+') &&
			    (s[i + 1] == ' ' || s[i + 1] == '\t')) {
				pia_buf_puts(b, "・");
				s += i + 2;
			}
		}
		if ((nl = strchr(s, '\n')) == NULL) {
			pia_html_text(b, s);
			*bol = 0;
			return;
		}
		pia_html_textn(b, s, (size_t)(nl - s));
		pia_buf_puts(b, "<br>");
		*bol = 1;
	}
}

/* The pieces of one side of a redline: kept text, and del (or ins) marks. */
static void
marks(struct pia_buf *b, const struct pia_redline *red, enum pia_chop op)
{
	const char *tag = op == PIA_CHOP_DEL ? "del" : "ins";
	size_t i;
	int bol = 1;

	for (i = 0; i < red->n; i++) {
		if (red->v[i].op == PIA_CHOP_SAME)
			change_lines(b, red->v[i].text, &bol);
		else if (red->v[i].op == op) {
			pia_buf_printf(b, "<%s>", tag);
			change_lines(b, red->v[i].text, &bol);
			pia_buf_printf(b, "</%s>", tag);
		}
	}
}

/* Characters of s, for the summary of a collapsed text. */
static size_t
nchars(const char *s)
{
	return s ? pia_utf8_count(s, strlen(s)) : 0;
}

/*
 * One side of a row: the text with its marks, when the two texts share
 * anything (a text replaced whole, or written where there was none, is
 * shown as it is); collapsed when longer than PIA_CH_LONG.
 */
static void
side(struct pia_buf *b, const struct pia_redline *red, enum pia_chop op, const char *text)
{
	size_t i, shared = 0;
	int lng = pia_changes_long(text), bol = 1;

	for (i = 0; i < red->n; i++)
		shared |= red->v[i].op == PIA_CHOP_SAME;
	if (lng)
		pia_buf_printf(b, "<details><summary>全文（%zu文字）</summary>", nchars(text));
	if (shared)
		marks(b, red, op);
	else
		change_lines(b, text, &bol);
	if (lng)
		pia_buf_puts(b, "</details>");
}

/* The row form of the 変更点リスク評価表 of a 変更箇所, or NULL. */
static const struct pia_fnode *
risk_form(const struct pia_node *part)
{
	const struct pia_fnode *f;

	for (f = part->f->child; f != NULL; f = f->next)
		if (f->kind == PIA_F_ROW && (f->flags & PIA_FF_RISK))
			return f;
	return NULL;
}

/*
 * The 変更点リスク評価表 (seed 003) after the change table, when a row
 * has its columns (its rows are nodes of the 変更箇所 part): the columns
 * of the form's <risk> but those repeated from the table above (the
 * texts), and a link to its PDF when the site has one.
 */
static void
risk_table(struct pia_html *h, const struct pia_node *part)
{
	const struct pia_report *r = h->r;
	const struct pia_fnode *rf = risk_form(part), *f;
	const struct pia_node *ro, *c;
	struct pia_buf *b = h->out, path = { 0 };
	struct stat st;
	size_t n = 0, j;
	int lv = h->hlevel + 1 > 6 ? 6 : h->hlevel + 1;

	for (ro = part->child; rf != NULL && ro != NULL; ro = ro->next)
		n += ro->f == rf;
	if (n == 0)
		return;
	pia_buf_printf(b, "<section class=\"pia-part\" aria-labelledby=\"pia-risk\">\n"
	    "<h%d id=\"pia-risk\">", lv);
	pia_html_text(b, rf->label);
	pia_buf_printf(b, "</h%d>\n", lv);
	if (h->outdir != NULL) {
		pia_buf_printf(&path, "%s/%s/%s-risk.pdf", h->outdir, r->slug, r->slug);
		if (stat(path.data, &st) == 0) {
			pia_buf_puts(b, "<p class=\"pia-pdf\"><a href=\"");
			pia_html_name(b, r->slug);
			pia_buf_puts(b, "-risk.pdf\">");
			pia_html_text(b, rf->label);
			pia_buf_puts(b, "（PDF）</a></p>\n");
		}
		pia_buf_free(&path);
	}
	pia_buf_puts(b, "<table class=\"pia-grid pia-risk\">\n<caption>");
	pia_html_text(b, rf->label);
	pia_buf_printf(b, "（%zu件）</caption>\n<thead><tr>", n);
	h->chshown = 0;
	for (f = rf->child, j = 0; f != NULL; f = f->next, j++) {
		if (j >= 8 * sizeof(h->chshown) || f->cols[0].repeated)
			continue;
		h->chshown |= 1UL << j;
		pia_buf_puts(b, "<th scope=\"col\">");
		pia_html_text(b, f->label);
		pia_buf_puts(b, "</th>");
	}
	pia_buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (ro = part->child; ro != NULL; ro = ro->next) {
		if (ro->f != rf)
			continue;
		pia_buf_puts(b, "<tr>");
		for (c = ro->child; c != NULL; c = c->next)
			pia_html_cell(h, c);
		pia_buf_puts(b, "</tr>\n");
	}
	pia_buf_puts(b, "</tbody>\n</table>\n</section>\n");
}

/* The row type of a 変更箇所 (the part's one child form node), or NULL. */
static const struct pia_fnode *
row_form(const struct pia_node *part)
{
	const struct pia_fnode *f;

	for (f = part->f->child; f != NULL; f = f->next)
		if (f->kind == PIA_F_ROW && !(f->flags & PIA_FF_RISK))
			return f;
	return NULL;
}

/*
 * Whether column f prints: always, or when optional, when a row has text
 * in it.
 */
static int
column_shown(const struct pia_node *part, const struct pia_fnode *f)
{
	const struct pia_node *ro, *c;

	if (!f->cols[0].optional)
		return 1;
	for (ro = part->child; ro != NULL; ro = ro->next)
		for (c = ro->child; c != NULL; c = c->next)
			if (c->f == f && c->text != NULL && c->text[0] != '\0')
				return 1;
	return 0;
}

/* Whether the column of cell n prints, as pia_html_changes found (h->chshown). */
static int
shown(const struct pia_html *h, const struct pia_node *n)
{
	const struct pia_fnode *f;
	unsigned j = 0;

	for (f = n->f->parent->child; f != NULL && f != n->f; f = f->next)
		j++;
	return j < 8 * sizeof(h->chshown) && (h->chshown >> j & 1);
}

/* <td data-label="…">: the column's label, shown when a narrow screen stacks the cells. */
static void
td(struct pia_buf *b, const struct pia_node *n, const char *cls)
{
	pia_buf_puts(b, "<td");
	if (cls != NULL)
		pia_buf_printf(b, " class=\"%s\"", cls);
	pia_buf_puts(b, " data-label=\"");
	pia_html_text(b, n->f->label);
	pia_buf_puts(b, "\">");
}

/*
 * The 変更箇所 history (domain.md §4.1), oldest first: the table's caption
 * and head from the form's columns; the rows are nodes of the tree,
 * walked by html.c (pia_html_cell_*).  "" when it has no row.
 */
void
pia_html_changes(struct pia_html *h, const struct pia_node *part)
{
	const struct pia_fnode *rf = row_form(part), *f;
	const struct pia_node *ro;
	struct pia_buf *b = h->out;
	size_t n = 0, j;

	for (ro = part->child; rf != NULL && ro != NULL; ro = ro->next)
		n += ro->f == rf;
	if (n == 0) {
		pia_buf_puts(b, "<p>変更箇所はありません。</p>\n");
		return;
	}
	pia_buf_puts(b, "<table class=\"pia-grid pia-changes\">\n<caption>");
	pia_html_text(b, part->f->label);
	pia_buf_printf(b, "（%zu件）</caption>\n<thead><tr>", n);
	h->chshown = 0;
	for (f = rf->child, j = 0; f != NULL; f = f->next, j++) {
		if (j >= 8 * sizeof(h->chshown) || !column_shown(part, f))
			continue;
		h->chshown |= 1UL << j;
		pia_buf_puts(b, "<th scope=\"col\">");
		pia_html_text(b, f->label);
		pia_buf_puts(b, "</th>");
	}
	pia_buf_puts(b, "</tr></thead>\n<tbody>\n");
}

/* After the rows: the table's end, then the 変更点リスク評価表. */
void
pia_html_changes_end(struct pia_html *h, const struct pia_node *part)
{
	const struct pia_node *ro;

	for (ro = part->child; ro != NULL; ro = ro->next)
		if (ro->f == row_form(part)) {
			pia_buf_puts(h->out, "</tbody>\n</table>\n");
			risk_table(h, part);
			return;
		}
}

void
pia_html_row(struct pia_html *h, const struct pia_node *n, int end)
{
	(void)n;
	pia_buf_puts(h->out, end ? "</tr>\n" : "<tr>");
	if (end) {
		pia_redline_free(h->red);
		h->red = NULL;
	}
}

/* Fields of one cell (説明, 理由) a line each. */
void
pia_html_cell_text(struct pia_html *h, const struct pia_node *n)
{
	struct pia_buf *b = h->out;
	size_t i;

	if (!shown(h, n))
		return;
	td(b, n, NULL);
	if (n->nlist == 0)
		pia_html_lines(b, n->text);
	for (i = 0; i < n->nlist; i++) {
		if (i > 0)
			pia_buf_puts(b, "<br>");
		pia_html_lines(b, n->list[i].text);
	}
	pia_buf_puts(b, "</td>");
}

/* A date, machine-readable when it is one. */
void
pia_html_cell_date(struct pia_html *h, const struct pia_node *n)
{
	struct pia_buf *b = h->out;
	const struct pia_date *d = &n->date;

	if (!shown(h, n))
		return;
	td(b, n, "pia-nowrap");
	if (d->year != 0 && pia_date_valid(d)) {
		pia_buf_printf(b, "<time datetime=\"%04d-%02d-%02d\">", d->year, d->month,
		    d->day ? d->day : 1);
		pia_html_text(b, n->text);
		pia_buf_puts(b, "</time>");
	} else
		pia_html_text(b, n->text);
	pia_buf_puts(b, "</td>");
}

/*
 * A change text as one side of the redline of the row's two change
 * cells: the first is the text before (its deletions marked), the second
 * the text after (its insertions marked).
 */
void
pia_html_cell_change(struct pia_html *h, const struct pia_node *n)
{
	const struct pia_node *c, *other = NULL;
	int first = 1;

	if (!shown(h, n))
		return;
	for (c = n->parent->child; c != NULL; c = c->next) {
		if (c->f->type != PIA_T_CHANGE || c == n)
			continue;
		if (other == NULL) {
			other = c;
			first = c->f->line > n->f->line;
		}
	}
	if (h->red == NULL)
		h->red = first ? pia_redline(n->text, other ? other->text : "") :
		    pia_redline(other ? other->text : "", n->text);
	td(h->out, n, NULL);
	side(h->out, h->red, first ? PIA_CHOP_DEL : PIA_CHOP_INS, n->text);
	pia_buf_puts(h->out, "</td>");
}
