/*
 * The 変更箇所 part of the PDF: the history of changes.xml as a table with
 * its header repeated on every page, and the optional ページ column that
 * points at the page where the changed item is printed.
 */
#include <stdlib.h>
#include <string.h>

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
	size_t			 i, j, thead, first;
	double			 x, x1;
	char			*t;
	int			 pages;

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
				pia_rs_put(p, ch->before, FM, SV);
				break;
			case 4:
				pia_rs_put(p, ch->after, FM, SV);
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
}
