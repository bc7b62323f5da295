/*
 * The text of a value as a change row prints it, one function per value
 * type, and the blocks of Markdown values that the diff compares.
 * Change rows are plain text (the 変更箇所 table of the PDF and of the
 * page), so Markdown is printed as its paragraphs separated by blank
 * lines and its list items as "1. " or "- " lines; emphasis and line
 * breaks inside a paragraph are not part of the compared text.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "changes.h"
#include "changes_int.h"
#include "form.h"
#include "md.h"
#include "model.h"
#include "util.h"
#include "wareki.h"

typedef void	(*text_fn)(struct pia_buf *, const struct pia_node *);

static void
text_plain(struct pia_buf *b, const struct pia_node *n)
{
	if (n->text)
		pia_buf_puts(b, n->text);
}

static int
box_cmp(const void *a, const void *b)
{
	const struct pia_box *x = *(const struct pia_box *const *)a;
	const struct pia_box *y = *(const struct pia_box *const *)b;

	return x->choice < y->choice ? -1 : x->choice > y->choice;
}

/* "[○]提供を行っている（23）件 [○]その他（…）", in the order of the form's boxes. */
static void
text_checks(struct pia_buf *b, const struct pia_node *n)
{
	const struct pia_box **v;
	size_t i;

	if (n->nboxes == 0) {
		text_plain(b, n);
		return;
	}
	v = xcalloc(n->nboxes, sizeof(*v));
	for (i = 0; i < n->nboxes; i++)
		v[i] = &n->boxes[i];
	qsort(v, n->nboxes, sizeof(*v), box_cmp);
	for (i = 0; i < n->nboxes; i++) {
		if (i > 0)
			pia_buf_putc(b, ' ');
		pia_buf_printf(b, "[○]%s", n->f->choices->v[v[i]->choice].label);
		if (v[i]->other)
			pia_buf_printf(b, "（%s）", v[i]->other);
		if (v[i]->count >= 0)
			pia_buf_printf(b, "（%ld）件", v[i]->count);
	}
	free(v);
}

static void
text_count(struct pia_buf *b, const struct pia_node *n)
{
	if (n->count >= 0)
		pia_buf_printf(b, "（%ld）件", n->count);
	else
		text_plain(b, n);
}

/* Dates in their one 和暦 spelling, so 令和1年 and 令和元年 compare equal. */
static void
text_date(struct pia_buf *b, const struct pia_node *n)
{
	char buf[64];

	if (n->date.year != 0 && pia_wareki_format(&n->date, buf, sizeof(buf)) != NULL)
		pia_buf_puts(b, buf);
	else
		text_plain(b, n);
}

static void
text_list(struct pia_buf *b, const struct pia_node *n)
{
	size_t i;

	for (i = 0; i < n->nlist; i++) {
		if (i > 0)
			pia_buf_putc(b, '\n');
		if (n->f->flags & PIA_FF_NUMBERED)
			pia_buf_printf(b, "%zu. ", i + 1);
		pia_buf_puts(b, n->list[i].text);
	}
}

static void
text_table(struct pia_buf *b, const struct pia_node *n)
{
	size_t i, j;

	for (i = 0; i < n->nrows; i++) {
		if (i > 0)
			pia_buf_putc(b, '\n');
		for (j = 0; j < n->rows[i].ncells; j++) {
			if (j > 0)
				pia_buf_puts(b, " | ");
			pia_buf_puts(b, n->rows[i].cells[j].text);
		}
	}
}

static void
text_markdown(struct pia_buf *b, const struct pia_node *n)
{
	struct pia_mdunit *u;
	size_t nu;

	if (n->md == NULL) {
		text_plain(b, n);
		return;
	}
	nu = pia_mdunits(n->md, &u);
	pia_mdunits_print(b, u, nu);
	pia_mdunits_free(u, nu);
}

static const text_fn text_acts[PIA_T__MAX] = {
	[PIA_T_NONE] = NULL,
	[PIA_T_TEXT] = text_plain,
	[PIA_T_MARKDOWN] = text_markdown,
	[PIA_T_CHOICE] = text_plain,
	[PIA_T_CHECKS] = text_checks,
	[PIA_T_COUNT] = text_count,
	[PIA_T_DATE] = text_date,
	[PIA_T_YEARMONTH] = text_date,
	[PIA_T_REF] = text_plain,
	[PIA_T_LIST] = text_list,
	[PIA_T_TABLE] = text_table,
};

char *
pia_changes_text(const struct pia_node *n)
{
	struct pia_buf b = { 0 };
	char *t;

	if (n == NULL || !n->present || n->f->kind != PIA_F_ITEM ||
	    text_acts[n->f->type] == NULL || !pia_node_filled(n))
		return xstrdup("");
	text_acts[n->f->type](&b, n);
	t = pia_strtrim(b.data ? b.data : "");
	pia_buf_free(&b);
	return t;
}

/* Markdown units. */

struct units {
	struct pia_mdunit	*v;
	size_t			 n;
};

/* text NULL: the plain text of node. */
static void
unit_add(struct units *U, cmark_node *node, const char *text, const char *marker,
    unsigned depth, int gap)
{
	struct pia_mdunit *u;

	U->v = xrealloc(U->v, (U->n + 1) * sizeof(*U->v));
	u = &U->v[U->n++];
	u->node = node;
	u->text = text ? xstrdup(text) : pia_md_plain(node);
	u->marker = xstrdup(marker);
	u->depth = depth;
	u->gap = gap;
}

static void blocks(struct units *, cmark_node *first, unsigned depth, int gap);

/* Each item of a list: its first block carries the marker, nested lists go one deeper. */
static void
list(struct units *U, cmark_node *l, unsigned depth, int gap)
{
	cmark_node *item, *c;
	int ordered = cmark_node_get_list_type(l) == CMARK_ORDERED_LIST;
	int no = cmark_node_get_list_start(l), tight = cmark_node_get_list_tight(l);
	char marker[32];

	for (item = cmark_node_first_child(l); item != NULL; item = cmark_node_next(item), no++) {
		if (ordered)
			snprintf(marker, sizeof(marker), "%d. ", no);
		else
			strcpy(marker, "- ");
		c = cmark_node_first_child(item);
		if (c == NULL || cmark_node_get_type(c) == CMARK_NODE_LIST) {
			/* An empty item, or one that opens with a sublist. */
			unit_add(U, item, "", marker, depth, gap);
		} else {
			unit_add(U, c, NULL, marker, depth, gap);
			c = cmark_node_next(c);
		}
		blocks(U, c, depth + 1, !tight);
		gap = !tight;
	}
}

static void
blocks(struct units *U, cmark_node *b, unsigned depth, int gap)
{
	for (; b != NULL; b = cmark_node_next(b)) {
		switch (cmark_node_get_type(b)) {
		case CMARK_NODE_LIST:
			list(U, b, depth, gap);
			break;
		case CMARK_NODE_BLOCK_QUOTE:
			blocks(U, cmark_node_first_child(b), depth, gap);
			break;
		case CMARK_NODE_THEMATIC_BREAK:
		case CMARK_NODE_HTML_BLOCK:
			continue;
		default:
			unit_add(U, b, NULL, "", depth, gap);
			break;
		}
		gap = 1;
	}
}

size_t
pia_mdunits(cmark_node *doc, struct pia_mdunit **out)
{
	struct units U = { NULL, 0 };

	if (doc != NULL)
		blocks(&U, cmark_node_first_child(doc), 0, 0);
	*out = U.v;
	return U.n;
}

void
pia_mdunits_free(struct pia_mdunit *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].text);
		free(v[i].marker);
	}
	free(v);
}

void
pia_mdunits_print(struct pia_buf *b, const struct pia_mdunit *v, size_t n)
{
	size_t i;
	unsigned d;

	for (i = 0; i < n; i++) {
		if (i > 0)
			pia_buf_puts(b, v[i].gap ? "\n\n" : "\n");
		for (d = 0; d < v[i].depth; d++)
			pia_buf_puts(b, "  ");
		pia_buf_puts(b, v[i].marker);
		pia_buf_puts(b, v[i].text);
	}
}
