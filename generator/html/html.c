/*
 * One report as the main content of its web page: the same content as
 * the PDF, in the same order — the cover items, a table of contents,
 * every section with its items, 別添 and 別紙, the 変更箇所 table — as
 * accessible HTML (JIS X 8341-3 AA, domain.md §5.1): items are rows of
 * tables with the label as <th scope="row">; a choice shows the chosen
 * value and the list of choices as text; a box shows its state in words,
 * never by a mark or a colour alone.
 *
 * The model is walked once with pia_walk (no recursion).  What a node
 * prints depends on its kind (kind_acts[], containers and items) and, for
 * items, on its value type (html_acts[]): a new type is one row there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmark.h>

#include "diag.h"
#include "form.h"
#include "html.h"
#include "html_int.h"
#include "md.h"
#include "model.h"
#include "util.h"
#include "wareki.h"

/*
 * Per value type: print the value of item n into a table cell; a cell of
 * a 変更箇所 row as its <td> (html_changes.c).
 */
struct html_act {
	void	(*value)(struct pia_html *, const struct pia_node *);
	int	  wide;		/* printed below the item rows, not in a cell */
	void	(*cell)(struct pia_html *, const struct pia_node *);
};

static void	value_text(struct pia_html *, const struct pia_node *);
static void	value_md(struct pia_html *, const struct pia_node *);
static void	value_choice(struct pia_html *, const struct pia_node *);
static void	value_checks(struct pia_html *, const struct pia_node *);
static void	value_count(struct pia_html *, const struct pia_node *);
static void	value_date(struct pia_html *, const struct pia_node *);
static void	value_list(struct pia_html *, const struct pia_node *);
static void	value_table(struct pia_html *, const struct pia_node *);

static const struct html_act html_acts[PIA_T__MAX] = {
	[PIA_T_NONE] = { NULL, 0 },
	[PIA_T_TEXT] = { value_text, 0, pia_html_cell_text },
	[PIA_T_MARKDOWN] = { value_md, 0 },
	[PIA_T_CHOICE] = { value_choice, 0 },	/* 選択: 値, 選択肢 1) … */
	[PIA_T_CHECKS] = { value_checks, 0 },	/* [○] 箱（チェックあり） … */
	[PIA_T_COUNT] = { value_count, 0 },
	[PIA_T_DATE] = { value_date, 0, pia_html_cell_date },
	[PIA_T_YEARMONTH] = { value_date, 0 },
	[PIA_T_REF] = { value_text, 0 },
	[PIA_T_LIST] = { value_list, 0 },
	[PIA_T_TABLE] = { value_table, 1 },	/* its own table with a caption */
	[PIA_T_PAGE] = { NULL, 0, pia_html_cell_text },	/* as written */
	[PIA_T_ITEMPATH] = { NULL, 0, pia_html_cell_text },
	[PIA_T_CHANGE] = { NULL, 0, pia_html_cell_change },	/* a redline */
};

/* Per node kind: what entering and leaving a node prints. */
struct kind_act {
	void	(*pre)(struct pia_html *, const struct pia_node *);
	void	(*post)(struct pia_html *, const struct pia_node *);
};

static void	part_pre(struct pia_html *, const struct pia_node *);
static void	part_post(struct pia_html *, const struct pia_node *);
static void	changes_pre(struct pia_html *, const struct pia_node *);
static void	changes_post(struct pia_html *, const struct pia_node *);
static void	row_pre(struct pia_html *, const struct pia_node *);
static void	row_post(struct pia_html *, const struct pia_node *);
static void	cell_pre(struct pia_html *, const struct pia_node *);
static void	item_pre(struct pia_html *, const struct pia_node *);

static const struct kind_act kind_acts[PIA_F__MAX] = {
	[PIA_F_FORM] = { NULL, NULL },
	[PIA_F_COVER] = { part_pre, part_post },
	[PIA_F_SECTION] = { part_pre, part_post },
	[PIA_F_ANNEX] = { part_pre, part_post },
	[PIA_F_CHANGES] = { changes_pre, changes_post },
	[PIA_F_ROW] = { row_pre, row_post },
	[PIA_F_CELL] = { cell_pre, NULL },
	[PIA_F_GROUP] = { part_pre, part_post },
	[PIA_F_ITEM] = { item_pre, NULL },
};

void
pia_html_textn(struct pia_buf *b, const char *s, size_t n)
{
	const char *p, *end = s + n, *run = s;

	for (p = s; p < end; p++) {
		const char *rep;
		switch (*p) {
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '&': rep = "&amp;"; break;
		case '"': rep = "&quot;"; break;
		default:
			/* C0 controls other than TAB, LF, CR are not allowed in HTML. */
			if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
				rep = "";
			else
				continue;
			break;
		}
		pia_buf_put(b, run, (size_t)(p - run));
		pia_buf_puts(b, rep);
		run = p + 1;
	}
	pia_buf_put(b, run, (size_t)(end - run));
}

void
pia_html_text(struct pia_buf *b, const char *s)
{
	if (s != NULL)
		pia_html_textn(b, s, strlen(s));
}

void
pia_html_lines(struct pia_buf *b, const char *s)
{
	const char *nl;

	if (s == NULL)
		return;
	while ((nl = strchr(s, '\n')) != NULL) {
		pia_html_textn(b, s, (size_t)(nl - s));
		pia_buf_puts(b, "<br>");
		s = nl + 1;
	}
	pia_html_text(b, s);
}

void
pia_html_date(struct pia_buf *b, const struct pia_node *n)
{
	const struct pia_date *d = &n->date;
	char *t;

	if (n->text == NULL)
		return;
	t = pia_strtrim(n->text);
	if (d->year != 0 && pia_date_valid(d)) {
		if (d->day > 0)
			pia_buf_printf(b, "<time datetime=\"%04d-%02d-%02d\">", d->year, d->month, d->day);
		else
			pia_buf_printf(b, "<time datetime=\"%04d-%02d\">", d->year, d->month);
		pia_html_text(b, t);
		pia_buf_puts(b, "</time>");
	} else
		pia_html_text(b, t);
	free(t);
}

/* "p3-2-1": a stable id from the node's place in the form, not from Japanese text. */
void
pia_html_id(struct pia_buf *b, const struct pia_node *n)
{
	const struct pia_node *v[32], *k;
	size_t depth = 0, i;
	unsigned pos;

	for (; n != NULL && n->parent != NULL && depth < 32; n = n->parent)
		v[depth++] = n;
	pia_buf_putc(b, 'p');
	for (i = depth; i > 0; i--) {
		for (pos = 1, k = v[i - 1]->prev; k != NULL; k = k->prev)
			pos++;
		pia_buf_printf(b, i == depth ? "%u" : "-%u", pos);
	}
}

/* The item naming a repeat entry (ファイル名, 提供先名, システムの名称), or NULL. */
static const struct pia_node *
title_item(const struct pia_node *n)
{
	const struct pia_node *c;

	for (c = n->child; c != NULL; c = c->next)
		if (c->f->flags & PIA_FF_TITLE)
			return c;
	return NULL;
}

/*
 * The heading of a container as plain text: "Ⅱ 特定個人情報ファイルの概要 (1)
 * 住民基本台帳ファイル", "システム1 住民記録システム", "6. 情報提供ネットワーク
 * システムによる情報連携 ※".
 */
void
pia_html_heading(struct pia_buf *b, const struct pia_node *n)
{
	const struct pia_fnode *f = n->f;
	const struct pia_node *ti;
	char *t;

	if (n->index > 0 && f->kind != PIA_F_GROUP) {
		if (f->no) {
			pia_buf_puts(b, f->no);
			pia_buf_putc(b, ' ');
		}
		pia_buf_puts(b, f->label);
		pia_buf_putc(b, ' ');
	}
	t = pia_node_title(n);
	pia_buf_puts(b, t);
	free(t);
	/* The entry's name, unless its title already says it ("(1) 住民基本台帳ファイル"). */
	if (n->index > 0 && (ti = title_item(n)) != NULL && pia_node_filled(ti) &&
	    ti->text != NULL) {
		t = pia_strtrim(ti->text);
		if (strstr(b->data, t) == NULL) {
			pia_buf_putc(b, ' ');
			pia_buf_puts(b, t);
		}
		free(t);
	}
	if (f->note)
		pia_buf_puts(b, f->note);
	if (pia_fnode_mark_shown(f))
		pia_buf_puts(b, " ※");
}

static void
put_heading(struct pia_buf *b, const struct pia_node *n)
{
	struct pia_buf t = { 0 };

	pia_html_heading(&t, n);
	pia_html_textn(b, t.data, t.len);
	pia_buf_free(&t);
}

void
pia_html_url(struct pia_buf *b, const char *s)
{
	static const char ok[] = "-._~/!$'()*+,;=:@%?#";
	const unsigned char *p;

	/* Percent-encode ASCII that may not stand in a URL (as cmark's houdini does); UTF-8 stays (an IRI). */
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x80 || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(ok, *p) != NULL)
			pia_buf_putc(b, (char)*p);
		else if (*p == '&')
			pia_buf_puts(b, "&amp;");
		else
			pia_buf_printf(b, "%%%02X", *p);
	}
}

void
pia_html_name(struct pia_buf *b, const char *s)
{
	const unsigned char *p;

	/*
	 * Everything but unreserved ASCII is encoded: a folder named
	 * "javascript:alert(1)" must stay a relative path ("%3A"), and
	 * "?", "#" or "%" in a name must not end or escape the path.
	 */
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x80 || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL)
			pia_buf_putc(b, (char)*p);
		else
			pia_buf_printf(b, "%%%02X", *p);
	}
}

/*
 * Entries of a numbered repeat ("2. …システム" → システム1, システム2) sit
 * under a heading of the repeat, as the form prints it; the model has no
 * node for it, so the renderer adds one and its entries go a level deeper.
 */
static int
numbered_entry(const struct pia_node *n)
{
	return n->index > 0 && n->f->kind == PIA_F_GROUP && n->f->no != NULL;
}

/* Heading level of a container: its depth below the report, plus wrappers, from h2. */
static int
level_of(const struct pia_node *n)
{
	int d = 0;

	for (; n->parent != NULL; n = n->parent)
		d += numbered_entry(n) ? 2 : 1;
	return d + 1 > 6 ? 6 : d + 1;
}

static void
table_close(struct pia_html *h)
{
	if (h->intable) {
		pia_buf_puts(h->out, "</tbody>\n</table>\n");
		h->intable = 0;
	}
}

/* The heading of a numbered repeat: "2. 特定個人情報ファイルを取り扱う事務において使用するシステム". */
static void
repeat_heading(struct pia_buf *b, const struct pia_fnode *f)
{
	pia_html_text(b, f->no);
	pia_buf_putc(b, ' ');
	pia_html_text(b, f->label);
	if (pia_fnode_mark_shown(f))
		pia_buf_puts(b, " ※");
}

static void
part_pre(struct pia_html *h, const struct pia_node *n)
{
	struct pia_buf *b = h->out;
	int lv = level_of(n);

	table_close(h);
	if (numbered_entry(n) && n->index == 1) {
		pia_buf_printf(b, "<section class=\"pia-part pia-d%d\" aria-labelledby=\"", lv - 1);
		pia_html_id(b, n);
		pia_buf_printf(b, "-g\">\n<h%d id=\"", lv - 1);
		pia_html_id(b, n);
		pia_buf_puts(b, "-g\">");
		repeat_heading(b, n->f);
		pia_buf_printf(b, "</h%d>\n", lv - 1);
	}
	h->hlevel = lv;
	pia_buf_printf(b, "<section class=\"pia-part pia-d%d\" aria-labelledby=\"", lv);
	pia_html_id(b, n);
	pia_buf_printf(b, "\">\n<h%d id=\"", lv);
	pia_html_id(b, n);
	pia_buf_puts(b, "\">");
	put_heading(b, n);
	pia_buf_printf(b, "</h%d>\n", lv);
}

static void
part_post(struct pia_html *h, const struct pia_node *n)
{
	table_close(h);
	h->hlevel = n->parent != NULL && n->parent->parent != NULL ? level_of(n->parent) : 1;
	pia_buf_puts(h->out, "</section>\n");
	/* The last entry of a numbered repeat closes its heading's section too. */
	if (numbered_entry(n) && (n->next == NULL || n->next->f != n->f))
		pia_buf_puts(h->out, "</section>\n");
}

static void
empty(struct pia_buf *b)
{
	pia_buf_puts(b, "<span class=\"pia-empty\">記載なし</span>");
}

/* "①事務の名称", "2. 特定個人情報ファイル名" (a space after "2." as in headings), with 【注記】 and ※. */
static void
item_label(struct pia_buf *b, const struct pia_node *n)
{
	const struct pia_fnode *f = n->f;
	size_t len = f->no ? strlen(f->no) : 0;
	char *t;

	if (n->index == 0 && len > 0 && f->no[len - 1] == '.' && f->label != NULL) {
		pia_html_text(b, f->no);
		pia_buf_putc(b, ' ');
		pia_html_text(b, f->label);
	} else {
		t = pia_node_title(n);
		pia_html_text(b, t);
		free(t);
	}
	if (f->note)
		pia_html_text(b, f->note);
	if (pia_fnode_mark_shown(f))
		pia_buf_puts(b, " ※");
}

/* The item a sub-row (sub="yes") belongs to: the first before it that is not one. */
static const struct pia_node *
sub_parent(const struct pia_node *n)
{
	for (n = n->prev; n != NULL && (n->f->flags & (PIA_FF_SUB | PIA_FF_INLINE));
	    n = n->prev)
		;
	return n;
}

static void
item_pre(struct pia_html *h, const struct pia_node *n)
{
	const struct html_act *a = &html_acts[n->f->type];
	const struct pia_node *p, *s;
	struct pia_buf *b = h->out;

	if (a->wide) {
		table_close(h);
		if (a->value)
			a->value(h, n);
		return;
	}
	/* An inline item (委託の有無's 件数) is printed in the cell before it. */
	if (n->f->flags & PIA_FF_INLINE)
		return;
	if (!h->intable) {
		pia_buf_puts(b, "<table class=\"pia-items\">\n<tbody>\n");
		h->intable = 1;
	}
	/*
	 * A sub-row (その必要性 under ③対象となる本人の範囲) is indented, its
	 * label led by the item's own for those who cannot see the indent.
	 */
	if ((n->f->flags & PIA_FF_SUB) && (p = sub_parent(n)) != NULL) {
		pia_buf_puts(b, "<tr class=\"pia-sub\"><th scope=\"row\"><span class=\"pia-vh\">");
		item_label(b, p);
		pia_buf_puts(b, " </span>");
	} else
		pia_buf_puts(b, "<tr><th scope=\"row\">");
	item_label(b, n);
	pia_buf_puts(b, "</th><td>");
	if (!pia_node_filled(n) && n->f->type != PIA_T_CHOICE && n->f->type != PIA_T_CHECKS)
		empty(b);
	else if (a->value)
		a->value(h, n);
	for (s = n->next; s != NULL && (s->f->flags & PIA_FF_INLINE); s = s->next) {
		pia_buf_puts(b, "<p class=\"pia-inline\">");
		if (!pia_node_filled(s))
			empty(b);
		else if (html_acts[s->f->type].value)
			html_acts[s->f->type].value(h, s);
		pia_buf_puts(b, "</p>\n");
	}
	pia_buf_puts(b, "</td></tr>\n");
}

static void
value_text(struct pia_html *h, const struct pia_node *n)
{
	char *t = pia_strtrim(n->text);

	pia_html_lines(h->out, t);
	free(t);
}

static void
value_count(struct pia_html *h, const struct pia_node *n)
{
	/* 評価書番号 is a number, other counts are 件 (domain.md §3). */
	if (n->f->role != NULL || n->count < 0)
		value_text(h, n);
	else
		pia_buf_printf(h->out, "%ld件", n->count);
}

static void
value_date(struct pia_html *h, const struct pia_node *n)
{
	pia_html_date(h->out, n);
}

/* Images: only files inside the report folder, copied beside the page. */
static const char *
image(void *arg, const char *url)
{
	struct pia_html *h = arg;
	size_t i;

	if (!pia_html_img_ok(url))
		return NULL;
	for (i = 0; i < h->nimgs; i++)
		if (strcmp(h->imgs[i].dst, url) == 0)
			return h->imgs[i].dst;
	h->imgs = xrealloc(h->imgs, (h->nimgs + 1) * sizeof(*h->imgs));
	h->imgs[h->nimgs].src = xasprintf("%s/%s", h->r->dir, url);
	h->imgs[h->nimgs].dst = xstrdup(url);
	return h->imgs[h->nimgs++].dst;
}

static void
value_md(struct pia_html *h, const struct pia_node *n)
{
	struct pia_buf id = { 0 };

	if (n->md != NULL) {
		pia_html_id(&id, n);
		pia_html_md(h->out, n->md, h->hlevel + 1 > 6 ? 6 : h->hlevel + 1, image, h,
		    id.data);
		pia_buf_free(&id);
	} else
		value_text(h, n);
}

static void
value_choice(struct pia_html *h, const struct pia_node *n)
{
	const struct pia_choices *c = n->f->choices;
	struct pia_buf *b = h->out;
	size_t i;

	pia_buf_puts(b, "<p class=\"pia-chosen\">");
	if (n->choice >= 0 && c != NULL && (size_t)n->choice < c->n) {
		pia_buf_puts(b, "<strong>");
		pia_html_text(b, c->v[n->choice].label);
		pia_buf_puts(b, "</strong>");
	} else if (pia_node_filled(n))
		value_text(h, n);
	else
		pia_buf_puts(b, "選択なし");
	pia_buf_puts(b, "</p>\n");
	if (c == NULL || c->n == 0)
		return;
	/* The list of choices as the form prints it: <選択肢> 1) … 2) …; long ones one a line. */
	for (i = 0; i < c->n && strlen(c->v[i].label) <= 36; i++)
		;
	pia_buf_printf(b, "<div class=\"pia-options%s\"><span class=\"pia-options-h\">選択肢</span>"
	    "<ol>", i < c->n ? " pia-options-long" : "");
	for (i = 0; i < c->n; i++) {
		pia_buf_puts(b, (int)i == n->choice ? "<li class=\"pia-on\">" : "<li>");
		pia_html_text(b, c->v[i].label);
		if ((int)i == n->choice)
			pia_buf_puts(b, "<span class=\"pia-state\">（選択）</span>");
		pia_buf_puts(b, "</li>");
	}
	pia_buf_puts(b, "</ol></div>\n");
}

static const struct pia_box *
box_of(const struct pia_node *n, size_t choice)
{
	size_t i;

	for (i = 0; i < n->nboxes; i++)
		if (n->boxes[i].choice == choice)
			return &n->boxes[i];
	return NULL;
}

static void
value_checks(struct pia_html *h, const struct pia_node *n)
{
	const struct pia_choices *c = n->f->choices;
	const struct pia_box *x;
	struct pia_buf *b = h->out;
	const char *group = NULL;
	size_t i;

	if (c == NULL)
		return;
	pia_buf_puts(b, "<ul class=\"pia-checks\">");
	for (i = 0; i < c->n; i++) {
		const struct pia_choice *v = &c->v[i];
		/* Boxes under a group heading (識別情報, 連絡先等情報 …) form a sub-list. */
		if (v->group != NULL && (group == NULL || strcmp(group, v->group) != 0)) {
			if (group != NULL)
				pia_buf_puts(b, "</ul></li>");
			pia_buf_puts(b, "<li class=\"pia-box-group\">");
			pia_html_text(b, v->group);
			pia_buf_puts(b, "<ul>");
			group = v->group;
		} else if (v->group == NULL && group != NULL) {
			pia_buf_puts(b, "</ul></li>");
			group = NULL;
		}
		x = box_of(n, i);
		pia_buf_puts(b, x ? "<li class=\"pia-on\"><span class=\"pia-mark\">[○]</span>" :
		    "<li><span class=\"pia-mark\">[　]</span>");
		pia_html_text(b, v->label);
		if (x != NULL && x->other != NULL) {
			pia_buf_puts(b, "（");
			pia_html_text(b, x->other);
			pia_buf_puts(b, "）");
		}
		if (x != NULL && x->count >= 0)
			pia_buf_printf(b, "（%ld件）", x->count);
		pia_buf_puts(b, x ? "<span class=\"pia-state\">（チェックあり）</span></li>" :
		    "<span class=\"pia-state\">（チェックなし）</span></li>");
	}
	if (group != NULL)
		pia_buf_puts(b, "</ul></li>");
	pia_buf_puts(b, "</ul>\n");
}

static void
value_list(struct pia_html *h, const struct pia_node *n)
{
	struct pia_buf *b = h->out;
	const char *tag = (n->f->flags & PIA_FF_NUMBERED) ? "ol" : "ul";
	size_t i;

	pia_buf_printf(b, "<%s class=\"pia-list\">", tag);
	for (i = 0; i < n->nlist; i++) {
		pia_buf_puts(b, "<li>");
		pia_html_text(b, n->list[i].text);
		pia_buf_puts(b, "</li>");
	}
	pia_buf_printf(b, "</%s>\n", tag);
}

static void
value_table(struct pia_html *h, const struct pia_node *n)
{
	const struct pia_fnode *f = n->f;
	struct pia_buf *b = h->out;
	size_t i, j;

	pia_buf_puts(b, "<table class=\"pia-grid\">\n<caption>");
	item_label(b, n);
	pia_buf_puts(b, "</caption>\n<thead><tr>");
	for (j = 0; j < f->ncols; j++) {
		pia_buf_puts(b, "<th scope=\"col\">");
		pia_html_text(b, f->cols[j].label ? f->cols[j].label : f->cols[j].key);
		pia_buf_puts(b, "</th>");
	}
	pia_buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < n->nrows; i++) {
		pia_buf_puts(b, "<tr>");
		for (j = 0; j < f->ncols; j++) {
			/* data-label: the column, shown when a narrow screen stacks the cells. */
			pia_buf_puts(b, "<td data-label=\"");
			pia_html_text(b, f->cols[j].label ? f->cols[j].label : f->cols[j].key);
			pia_buf_puts(b, "\">");
			if (j < n->rows[i].ncells)
				pia_html_lines(b, n->rows[i].cells[j].text);
			pia_buf_puts(b, "</td>");
		}
		pia_buf_puts(b, "</tr>\n");
	}
	if (n->nrows == 0) {
		pia_buf_printf(b, "<tr><td colspan=\"%zu\">", f->ncols ? f->ncols : 1);
		empty(b);
		pia_buf_puts(b, "</td></tr>\n");
	}
	pia_buf_puts(b, "</tbody>\n</table>\n");
}

/* The 変更箇所 part: its heading, then the history (html_changes.c). */
static void
changes_pre(struct pia_html *h, const struct pia_node *n)
{
	part_pre(h, n);
	pia_html_changes(h, n);
}

static void
changes_post(struct pia_html *h, const struct pia_node *n)
{
	pia_html_changes_end(h, n);
	part_post(h, n);
}

static void
row_pre(struct pia_html *h, const struct pia_node *n)
{
	pia_html_row(h, n, 0);
}

static void
row_post(struct pia_html *h, const struct pia_node *n)
{
	pia_html_row(h, n, 1);
}

void
pia_html_cell(struct pia_html *h, const struct pia_node *n)
{
	if (html_acts[n->f->type].cell != NULL)
		html_acts[n->f->type].cell(h, n);
}

static void
cell_pre(struct pia_html *h, const struct pia_node *n)
{
	pia_html_cell(h, n);
}

/* A sheet of the city's own (own="yes") with nothing in it: not printed. */
static int
left_out(const struct pia_node *n)
{
	return (n->f->flags & PIA_FF_OWN) && !pia_node_any_filled(n);
}

static int
is_container(const struct pia_node *n)
{
	return n->f->kind != PIA_F_ITEM && n->f->kind != PIA_F_FORM &&
	    n->f->kind != PIA_F_ROW && n->f->kind != PIA_F_CELL;
}

static int
has_container(const struct pia_node *n)
{
	const struct pia_node *c;

	for (c = n->child; c != NULL; c = c->next)
		if (is_container(c))
			return 1;
	return 0;
}

/* Table of contents: the parts and their groups (two levels). */
static void
toc(struct pia_html *h)
{
	struct pia_buf *b = h->out;
	const struct pia_node *c, *g;

	pia_buf_puts(b, "<nav class=\"pia-toc\" aria-labelledby=\"toc\">\n<h2 id=\"toc\">目次</h2>\n<ol>\n");
	for (c = h->r->root->child; c != NULL; c = c->next) {
		if (!is_container(c) || left_out(c))
			continue;
		pia_buf_puts(b, "<li><a href=\"#");
		pia_html_id(b, c);
		pia_buf_puts(b, "\">");
		put_heading(b, c);
		pia_buf_puts(b, "</a>");
		if (c->f->kind != PIA_F_COVER && has_container(c)) {
			pia_buf_puts(b, "\n<ol>");
			for (g = c->child; g != NULL; g = g->next) {
				if (!is_container(g) || (numbered_entry(g) && g->index > 1))
					continue;
				pia_buf_puts(b, "<li><a href=\"#");
				pia_html_id(b, g);
				if (numbered_entry(g)) {
					pia_buf_puts(b, "-g\">");
					repeat_heading(b, g->f);
				} else {
					pia_buf_puts(b, "\">");
					put_heading(b, g);
				}
				pia_buf_puts(b, "</a></li>");
			}
			pia_buf_puts(b, "</ol>\n");
		}
		pia_buf_puts(b, "</li>\n");
	}
	pia_buf_puts(b, "</ol>\n</nav>\n");
}

static int
form_has_marks(const struct pia_fnode *f)
{
	const struct pia_fnode *c;

	if (f->flags & PIA_FF_MARK)
		return 1;
	for (c = f->child; c != NULL; c = c->next)
		if (form_has_marks(c))
			return 1;
	return 0;
}

long long
pia_html_pdf_size(const struct pia_report *r, const char *outdir)
{
	struct stat st;
	char *p;
	long long size = -1;

	if (outdir == NULL)
		return -1;
	p = xasprintf("%s/%s/%s.pdf", outdir, r->slug, r->slug);
	if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
		size = (long long)st.st_size;
	free(p);
	return size;
}

void
pia_html_pdf_label(struct pia_buf *b, const struct pia_report *r, long long size)
{
	char digits[32], grouped[48];
	long long kb = (size + 1023) / 1024;
	size_t n, i, k = 0;

	/* Rounded up: a 100-byte file is 1KB, not 0KB (the Naha pattern, domain.md §5.1). */
	if (kb < 1)
		kb = 1;
	n = (size_t)snprintf(digits, sizeof(digits), "%lld", kb);
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			grouped[k++] = ',';
		grouped[k++] = digits[i];
	}
	grouped[k] = '\0';
	pia_html_text(b, r->form->name);
	pia_buf_printf(b, "（PDF：%sKB）", grouped);
}

char *
pia_html_jimu(const struct pia_report *r)
{
	const struct pia_node *n = pia_report_role(r, "name");
	char *t;
	size_t len, fl;

	if (n == NULL || n->text == NULL)
		return xstrdup(r->slug);
	t = pia_strtrim(n->text);
	len = strlen(t);
	fl = strlen(r->form->name);
	/* "住民基本台帳に関する事務 全項目評価書" → "住民基本台帳に関する事務" */
	if (len > fl && strcmp(t + len - fl, r->form->name) == 0) {
		char *pre = xstrndup(t, len - fl), *k = pia_strtrim(pre);
		free(pre);
		if (k[0] != '\0') {
			free(t);
			return k;
		}
		free(k);
	}
	return t;
}

/* The report's title block: name, form, stamp, PDF link. */
static void
head(struct pia_html *h)
{
	const struct pia_report *r = h->r;
	const struct pia_node *name = pia_report_role(r, "name");
	struct pia_buf *b = h->out;
	long long size;
	char *t;

	pia_buf_puts(b, "<h1>");
	if (name != NULL && name->text != NULL) {
		t = pia_strtrim(name->text);
		pia_html_text(b, t);
		free(t);
	} else
		pia_html_text(b, r->form->title);
	pia_buf_puts(b, "</h1>\n<p class=\"pia-form\">");
	pia_html_text(b, r->form->title);
	pia_buf_puts(b, " <span class=\"pia-stamp\">");
	pia_html_text(b, r->form->stamp);
	pia_buf_puts(b, "</span></p>\n<p class=\"pia-pdf\">");
	if ((size = pia_html_pdf_size(r, h->outdir)) >= 0) {
		pia_buf_puts(b, "同じ内容の PDF：<a href=\"");
		pia_html_name(b, r->slug);
		pia_buf_puts(b, ".pdf\">");
		pia_html_pdf_label(b, r, size);
		pia_buf_puts(b, "</a>");
	} else
		pia_buf_puts(b, "PDF は準備中です。");
	pia_buf_puts(b, "</p>\n");
	if (form_has_marks(r->form->root))
		pia_buf_puts(b, "<p class=\"pia-note\">※ の付いた項目は、変更すると重要な変更となり得る項目です。</p>\n");
}

struct pia_html *
pia_html_new(const struct pia_report *r, const char *outdir)
{
	struct pia_html *h = xcalloc(1, sizeof(*h));

	h->r = r;
	h->outdir = outdir ? xstrdup(outdir) : NULL;
	return h;
}

int
pia_html_render(struct pia_html *h, struct pia_buf *out)
{
	const struct kind_act *a;
	const struct pia_contact *c;
	struct pia_walk w;
	struct pia_node *n, *skip = NULL;
	enum pia_walk_event ev;

	h->out = out;
	h->intable = 0;
	h->hlevel = 1;
	head(h);
	toc(h);
	pia_walk_init(&w, h->r->root);
	while ((ev = pia_walk_next(&w, &n)) != PIA_WALK_DONE) {
		/* An empty 別紙 of the city's own is left out, as in the PDF. */
		if (skip != NULL) {
			if (ev == PIA_WALK_EXIT && n == skip)
				skip = NULL;
			continue;
		}
		/* The 変更点リスク評価表's rows: its table follows the part's (html_changes.c). */
		if (ev == PIA_WALK_ENTER && (left_out(n) || (n->f->kind == PIA_F_ROW &&
		    (n->f->flags & PIA_FF_RISK)))) {
			skip = n;
			continue;
		}
		a = &kind_acts[n->f->kind];
		if (ev == PIA_WALK_ENTER && a->pre)
			a->pre(h, n);
		else if (ev == PIA_WALK_EXIT && a->post)
			a->post(h, n);
	}
	table_close(h);
	if ((c = pia_html_contact_of(h->r)) != NULL) {
		pia_buf_puts(out, "<section class=\"contacts\" aria-labelledby=\"contact\">\n"
		    "<h2 id=\"contact\">この評価書についてのお問い合わせ</h2>\n");
		pia_html_contact(out, c);
		pia_buf_puts(out, "</section>\n");
	}
	h->out = NULL;
	return 0;
}

size_t
pia_html_images(const struct pia_html *h, const struct pia_html_image **v)
{
	*v = h->imgs;
	return h->nimgs;
}

void
pia_html_free(struct pia_html *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->nimgs; i++) {
		free(h->imgs[i].src);
		free(h->imgs[i].dst);
	}
	free(h->imgs);
	free(h->outdir);
	free(h);
}

/*
 * Where a cmark node was written: lines of section files are the file's
 * own; Markdown inside report.xml counts from its element's line.
 */
static struct pia_pos
md_pos(const struct pia_node *item, cmark_node *n)
{
	struct pia_pos p = item->pos;
	const char *f = p.file;
	size_t len = f ? strlen(f) : 0;
	int line = cmark_node_get_start_line(n);

	while (line <= 0 && cmark_node_parent(n) != NULL) {
		n = cmark_node_parent(n);
		line = cmark_node_get_start_line(n);
	}
	if (line > 0) {
		if (len > 3 && strcmp(f + len - 3, ".md") == 0)
			p.line = (unsigned)line;
		else
			p.line += (unsigned)line - 1;
		p.col = 1;
	}
	return p;
}

void
pia_html_check(struct pia_diag *d, const struct pia_report *r)
{
	struct pia_walk w;
	struct pia_node *n;
	cmark_iter *it;
	cmark_node *m;
	struct pia_pos pos;
	const char *url;
	char *alt;

	pia_walk_init(&w, r->root);
	while (pia_walk_next(&w, &n) != PIA_WALK_DONE) {
		if (w.ev != PIA_WALK_ENTER || n->md == NULL)
			continue;
		it = cmark_iter_new(n->md);
		while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
			m = cmark_iter_get_node(it);
			if (cmark_iter_get_event_type(it) != CMARK_EVENT_ENTER)
				continue;
			url = cmark_node_get_url(m);
			if (cmark_node_get_type(m) == CMARK_NODE_LINK && !pia_html_url_ok(url)) {
				char *shown = pia_str_visible(url ? url : "");
				pos = md_pos(n, m);
				/* A tab or line break in the target must not split the message. */
				pia_diag(d, &pos, PIA_MSG_HTML_LINK, shown);
				free(shown);
			} else if (cmark_node_get_type(m) == CMARK_NODE_IMAGE) {
				pos = md_pos(n, m);
				alt = pia_md_plain(m);
				if (alt[0] == '\0')
					pia_diag(d, &pos, PIA_MSG_HTML_IMAGE_ALT, url ? url : "",
					    url ? url : "");
				else if (url != NULL && strstr(url, "://") == NULL && url[0] != '/' &&
				    strncmp(url, "data:", 5) != 0 && strcmp(url, "..") != 0 &&
				    strncmp(url, "../", 3) != 0 && strstr(url, "/../") == NULL &&
				    !pia_html_img_ok(url))
					/* Other path problems are the loader's (PATH_OUTSIDE, MD_IMAGE). */
					pia_diag(d, &pos, PIA_MSG_HTML_IMAGE_TYPE, url);
				free(alt);
			}
		}
		cmark_iter_free(it);
	}
}
