/*
 * The 変更箇所 part of the PDF: the history of changes.xml as a table with
 * its header repeated on every page, and the optional ページ column that
 * points at the page where the changed item is printed.  A 変更前 or
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

/* Remove white space (ASCII and U+3000) from s, in place. */
static void
squeeze(char *s)
{
	char	*d = s;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n')
			continue;
		if (strncmp(s, "　", 3) == 0) {
			s += 2;
			continue;
		}
		*d++ = *s;
	}
	*d = '\0';
}

/* Whether comp is one way of writing node c in an item path. */
static int
spelled(const struct pia_node *c, const char *comp)
{
	const struct pia_fnode	*f = c->f;
	struct pia_buf		 b = { 0 };
	const char		*v[6];
	size_t			 i, n = 0, l;
	int			 hit = 0;

	if (f->kind == PIA_F_COVER && strcmp(comp, "表紙") == 0)
		return 1;
	if (c->index > 0 && f->entry != NULL) {
		if (f->no != NULL && (f->kind == PIA_F_SECTION ||
		    f->kind == PIA_F_ANNEX))
			pia_buf_puts(&b, f->no);
		pia_rs_put_entry(&b, c);
		squeeze(b.data);
		hit = strcmp(b.data, comp) == 0;
		pia_buf_free(&b);
		return hit;
	}
	v[n++] = f->label;
	v[n++] = f->key;
	for (i = 0; i < n && !hit; i++)
		if (v[i] != NULL)
			hit = strcmp(v[i], comp) == 0;
	if (hit || f->no == NULL)
		return hit;
	l = strlen(f->no);
	/* "2." is written "2". */
	if (strncmp(comp, f->no, l - (f->no[l - 1] == '.')) == 0) {
		comp += l - (f->no[l - 1] == '.');
		if (*comp == '.')
			comp++;
		if (*comp == '\0')
			return 1;
		for (i = 0; i < n; i++)
			if (v[i] != NULL && strcmp(v[i], comp) == 0)
				return 1;
	}
	return 0;
}

/*
 * The node a change row's item names, in the form's notation
 * ("Ⅱ(1)-4-委託事項2-⑥委託先名", "Ⅰ-2-システム1-③"), labels or keys,
 * matched component by component down the tree; a component naming the
 * number of a repeated group ("2" before "システム1") is passed over.
 * Returns the deepest node reached (NULL: not even the section).
 */
static const struct pia_node *
find_changed(const struct pia_report *r, const char *item)
{
	const struct pia_node	*cur = r->root, *c, *deep = NULL;
	char			*path = xstrdup(item), *comp, *next;
	int			 found;

	squeeze(path);
	for (comp = path; comp != NULL && *comp != '\0'; comp = next) {
		if ((next = strchr(comp, '-')) != NULL)
			*next++ = '\0';
		found = 0;
		for (c = cur->child; c != NULL && !found; c = c->next)
			if (spelled(c, comp)) {
				cur = c;
				found = 1;
			}
		/* The number of a repeated group whose entries follow. */
		for (c = cur->child; c != NULL && !found; c = c->next)
			if (c->index > 0 && c->f->no != NULL &&
			    strncmp(c->f->no, comp, strlen(comp)) == 0)
				found = 2;
		if (!found)
			break;
		if (found == 1)
			deep = cur;
	}
	free(path);
	return deep;
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

/*
 * The 別紙 k of change ch: its title bar (a new page for the first), the
 * row it belongs to (変更日, 項目), then each text too long for the row
 * under its column's name.  Only those texts are source text here; the
 * date and item were printed in the table already.
 */
static void
sheet_rows(struct rs *S, const struct pia_node *n, const struct pia_change *ch,
    size_t k, int first)
{
	struct pia_grow	*row;
	struct pia_buf	 b = { 0 };
	char		*name;

	name = sheet_name(n, k, "");
	pia_buf_puts(&b, name);
	pia_buf_puts(&b, n->f->label);
	pia_buf_printf(&b, "（%s記載分）", ch->date_text ? ch->date_text : "");
	row = pia_rs_heading(S, b.data, 10, F_BAR, first ? PIA_ROW_BREAK : 0, n,
	    1);
	if (!first)
		row->before = 18;
	pia_buf_free(&b);
	free(name);
	row = pia_flow_row(S->fl, PIA_ROW_KEEP | PIA_ROW_NOSPLIT);
	pia_rs_cell(row, 0, 70, F_LABEL, 0, "項目", FG, TSIZE, PIA_AL_LEFT, 0);
	pia_rs_cell(row, 70, W, F_NONE, 0, ch->item, FM, VSIZE, PIA_AL_LEFT, 0);
	if (pia_changes_long(ch->before)) {
		text_row(S, "変更前の記載", FG, TSIZE, F_LABEL,
		    PIA_ROW_KEEP | PIA_ROW_NOSPLIT, 0);
		change_row(S, ch->before);
	}
	if (pia_changes_long(ch->after)) {
		text_row(S, "変更後の記載", FG, TSIZE, F_LABEL,
		    PIA_ROW_KEEP | PIA_ROW_NOSPLIT, 0);
		change_row(S, ch->after);
	}
}

/*
 * 「変更前（令和7年12月まで稼働予定の現行システム）の記載」: a column
 * head of a 別紙 per 記載日, with the version the rows of its date name
 * (the first that has a 変更前の版 or 変更後の版), or without.
 */
static char *
version_head(const struct pia_report *r, const size_t *sheet, size_t k,
    int after)
{
	const struct pia_change	*ch;
	const char		*v, *date = NULL;
	size_t			 i;

	for (i = 0; i < r->nchanges && date == NULL; i++)
		if (sheet[i] == k)
			date = r->changes[i].date_text ? r->changes[i].date_text : "";
	for (i = 0; date != NULL && i < r->nchanges; i++) {
		ch = &r->changes[i];
		if (strcmp(ch->date_text ? ch->date_text : "", date) != 0)
			continue;
		v = after ? ch->after_ver : ch->before_ver;
		if (v != NULL && *v != '\0')
			return xasprintf("%s（%s）の記載", after ? "変更後" : "変更前", v);
	}
	return xstrdup(after ? "変更後の記載" : "変更前の記載");
}

/*
 * The 別紙 k of a 記載日 (seed 002): its title bar, a table of 項目 |
 * 変更前（…）の記載 | 変更後（…）の記載 with its head repeated on every
 * page, and a row for each change of that date with a long text, both
 * sides whole (the 変更箇所 table refers to the 別紙 from both cells).
 */
static void
date_sheet(struct rs *S, const struct pia_node *n, const size_t *sheet,
    size_t k)
{
	const struct pia_change	*ch = NULL;
	struct pia_grow		*row;
	struct pia_gcell	*c;
	struct pia_buf		 b = { 0 };
	char			*name, *t;
	size_t			 i, thead;
	double			 xm = 90 + (W - 90) / 2;

	for (i = 0; i < S->r->nchanges && ch == NULL; i++)
		if (sheet[i] == k)
			ch = &S->r->changes[i];
	if (ch == NULL)
		return;
	name = sheet_name(n, k, "");
	pia_buf_puts(&b, name);
	pia_buf_puts(&b, n->f->label);
	pia_buf_printf(&b, "（%s記載分）", ch->date_text ? ch->date_text : "");
	pia_rs_heading(S, b.data, 10, F_BAR, PIA_ROW_BREAK, n, 1);
	pia_buf_free(&b);
	free(name);
	thead = S->fl->n;
	row = pia_flow_row(S->fl, PIA_ROW_HEADER | PIA_ROW_KEEP |
	    PIA_ROW_NOSPLIT);
	pia_rs_cell(row, 0, 90, F_GROUP, 0, "項目", FG, TSIZE, PIA_AL_CENTER, 0);
	t = version_head(S->r, sheet, k, 0);
	pia_rs_cell(row, 90, xm, F_GROUP, 0, t, FG, TSIZE, PIA_AL_CENTER, 0);
	free(t);
	t = version_head(S->r, sheet, k, 1);
	pia_rs_cell(row, xm, W, F_GROUP, 0, t, FG, TSIZE, PIA_AL_CENTER, 0);
	free(t);
	for (i = 0; i < S->r->nchanges; i++) {
		if (sheet[i] != k)
			continue;
		ch = &S->r->changes[i];
		row = pia_flow_row(S->fl, 0);
		row->thead = thead;
		row->nthead = 1;
		/* The item was printed in the table already: layout here. */
		pia_rs_cell(row, 0, 90, F_NONE, PIA_CELL_LABEL, ch->item, FM,
		    TSIZE, PIA_AL_LEFT, 0);
		if ((c = pia_row_cell(row, 90, xm, F_NONE, 0)) != NULL)
			change_text(c, pia_rs_para(c, TSIZE, PIA_AL_JUSTIFY),
			    ch->before);
		if ((c = pia_row_cell(row, xm, W, F_NONE, 0)) != NULL)
			change_text(c, pia_rs_para(c, TSIZE, PIA_AL_JUSTIFY),
			    ch->after);
	}
}

void
pia_rs_changes(struct rs *S, const struct pia_node *n)
{
	static const char *const head[] = {
		"ページ", "変更日", "項目", "変更前の記載", "変更後の記載",
		"提出時期", "提出時期に係る説明"
	};
	static const double wide[] = { 0, 70, 70, 122, 122, 38, 0 };
	static const double narrow[] = { 32, 70, 64, 110, 110, 38, 0 };
	const struct pia_change	*ch;
	const double		*w;
	struct pia_grow		*row;
	struct pia_gcell	*c;
	struct pia_para		*p;
	size_t			 i, j, thead, first, nsheets = 0, *sheet;
	double			 x, x1;
	char			*t, *ref;
	int			 pages, bydate;

	/*
	 * The 別紙 number of each row with a text too long for it (0: none):
	 * one 別紙 per row, or per 記載日 when asked (--appendix-by-date, or
	 * site.xml <PDF 変更箇所の別紙="記載日ごと"/>).
	 */
	bydate = S->o->sheet_by_date ||
	    (S->r->site != NULL && S->r->site->sheet_by_date);
	sheet = xcalloc(S->r->nchanges + 1, sizeof(*sheet));
	for (i = 0; i < S->r->nchanges; i++) {
		if (!pia_changes_long(S->r->changes[i].before) &&
		    !pia_changes_long(S->r->changes[i].after))
			continue;
		for (j = 0; bydate && j < i && sheet[i] == 0; j++)
			if (sheet[j] > 0 && strcmp(S->r->changes[j].date_text ?
			    S->r->changes[j].date_text : "",
			    S->r->changes[i].date_text ?
			    S->r->changes[i].date_text : "") == 0)
				sheet[i] = sheet[j];
		if (sheet[i] == 0)
			sheet[i] = ++nsheets;
	}
	t = pia_rs_top_title(n);
	pia_rs_heading(S, t, 11, F_BAR, PIA_ROW_BREAK, n, 0);
	free(t);
	/* The ページ column when asked, or when the history has one (川口市). */
	for (i = 0, pages = S->o->change_pages; i < S->r->nchanges; i++)
		if (S->r->changes[i].page != NULL)
			pages = 1;
	w = pages ? narrow : wide;
	first = pages ? 0 : 1;
	thead = S->fl->n;
	row = pia_flow_row(S->fl, PIA_ROW_HEADER | PIA_ROW_KEEP |
	    PIA_ROW_NOSPLIT);
	for (j = first, x = 0; j < 7; j++) {
		x1 = j == 6 ? W : x + w[j];
		pia_rs_cell(row, x, x1, F_GROUP, 0, head[j], FG, TSIZE,
		    PIA_AL_CENTER, 0);
		x = x1;
	}
	for (i = 0; i < S->r->nchanges; i++) {
		ch = &S->r->changes[i];
		row = pia_flow_row(S->fl, 0);
		row->thead = thead;
		row->nthead = 1;
		for (j = first, x = 0; j < 7; j++) {
			x1 = j == 6 ? W : x + w[j];
			/* The item is repeated with （続き） on the next page. */
			c = pia_row_cell(row, x, x1, F_NONE, j == 2 ?
			    PIA_CELL_LABEL : 0);
			x = x1;
			if (c == NULL)
				continue;
			p = pia_rs_para(c, TSIZE, j == 0 || j == 5 ? PIA_AL_CENTER :
			    j < 3 ? PIA_AL_LEFT : PIA_AL_JUSTIFY);
			switch (j) {
			case 0:
				pia_rs_put(p, "0", FG, 0);
				c->pageref = find_changed(S->r, ch->item);
				break;
			case 1:
				pia_rs_put(p, ch->date_text, FM, SV);
				break;
			case 2:
				pia_rs_put(p, ch->item, FM, SV);
				break;
			case 3:
			case 4:
				t = j == 3 ? ch->before : ch->after;
				if (sheet[i] > 0 && (bydate || pia_changes_long(t))) {
					ref = sheet_name(n, sheet[i], "参照");
					pia_rs_put(p, ref, FM, 0);
					free(ref);
				} else
					change_text(c, p, t);
				break;
			case 5:
				pia_rs_put(p, ch->timing, FM, SV);
				break;
			default:
				pia_rs_put(p, ch->reason, FM, SV);
				if (ch->why != NULL && *ch->why != '\0') {
					pia_rs_put(p, "（", FM, 0);
					pia_rs_put(p, ch->why, FM, SV);
					pia_rs_put(p, "）", FM, 0);
				}
				break;
			}
		}
	}
	for (i = 0; bydate && i < nsheets; i++)
		date_sheet(S, n, sheet, i + 1);
	for (i = 0; !bydate && i < S->r->nchanges; i++)
		if (sheet[i] > 0)
			sheet_rows(S, n, &S->r->changes[i], sheet[i], sheet[i] == 1);
	free(sheet);
}

/* ---------------------------------------------------------------- */
/* The 変更点リスク評価表                                            */
/* ---------------------------------------------------------------- */

static int
set(const char *s)
{
	return s != NULL && *s != '\0';
}

/* A row of the risk table: one with any of its columns. */
static int
risk_row(const struct pia_change *ch)
{
	return set(ch->change_reason) || set(ch->risk_change) ||
	    set(ch->risk_status) || set(ch->risk_measure);
}

int
pia_pdf_has_risk(const struct pia_report *r)
{
	size_t	 i;

	for (i = 0; i < r->nchanges; i++)
		if (risk_row(&r->changes[i]))
			return 1;
	return 0;
}

/*
 * The 変更点リスク評価表 (seed 003): a title naming the 事務, then per
 * row of the history that has its columns, oldest first, a bar with
 * 変更日 and 項目 kept with a row of 変更前, 変更後, 変更理由, リスク変化
 * (あり/なし), リスク変化の状況 and リスク対策, the header repeated on
 * every page.  Texts are printed whole: this table is read beside the
 * report, not inside it.
 */
char *
pia_rs_risk(struct rs *S)
{
	static const char *const head[] = {
		"変更前の記載", "変更後の記載", "変更理由", "リスク変化",
		"リスク変化の状況", "リスク対策"
	};
	static const double w[] = { 96, 96, 80, 46, 96, 0 };
	const struct pia_node	*name = pia_report_role(S->r, "name");
	const char		*ft = S->r->form->name, *jimu;
	const struct pia_change	*ch;
	struct pia_grow		*row;
	struct pia_buf		 b = { 0 };
	size_t			 i, j, thead, len, tl;
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
	pia_buf_puts(&b, "変更点リスク評価表（");
	pia_buf_put(&b, jimu, len);
	pia_buf_puts(&b, "）");
	title = pia_buf_take(&b);
	row = pia_flow_row(S->fl, PIA_ROW_NORULE | PIA_ROW_NOSPLIT | PIA_ROW_KEEP);
	pia_rs_cell(row, 0, W, F_NONE, 0, title, FG, 13, PIA_AL_CENTER, 0);
	row->outline = 0;
	row->otitle = xstrdup(title);
	row->node = S->r->root;

	thead = S->fl->n;
	row = pia_flow_row(S->fl, PIA_ROW_HEADER | PIA_ROW_KEEP | PIA_ROW_NOSPLIT);
	row->before = 12;
	for (j = 0, x = 0; j < 6; j++) {
		x1 = j == 5 ? W : x + w[j];
		pia_rs_cell(row, x, x1, F_GROUP, 0, head[j], FG, TSIZE,
		    PIA_AL_CENTER, 0);
		x = x1;
	}
	for (i = 0; i < S->r->nchanges; i++) {
		ch = &S->r->changes[i];
		if (!risk_row(ch))
			continue;
		/* 「令和6年6月3日　Ⅰ-5-②所属長の役職名」 above its row. */
		row = pia_flow_row(S->fl, PIA_ROW_KEEP | PIA_ROW_NOSPLIT);
		row->thead = thead;
		row->nthead = 1;
		pia_buf_puts(&b, ch->date_text ? ch->date_text : "");
		pia_buf_puts(&b, "　");
		pia_buf_puts(&b, ch->item);
		pia_rs_cell(row, 0, W, F_ENTRY, 0, b.data, FG, TSIZE,
		    PIA_AL_LEFT, SV);
		pia_buf_free(&b);
		row = pia_flow_row(S->fl, 0);
		row->thead = thead;
		row->nthead = 1;
		for (j = 0, x = 0; j < 6; j++) {
			const char *v[] = { ch->before, ch->after,
			    ch->change_reason, ch->risk_change, ch->risk_status,
			    ch->risk_measure };
			x1 = j == 5 ? W : x + w[j];
			pia_rs_cell(row, x, x1, F_NONE, 0, v[j] ? v[j] : "", FM,
			    TSIZE, j == 3 ? PIA_AL_CENTER : PIA_AL_JUSTIFY, SV);
			x = x1;
		}
	}
	return title;
}
