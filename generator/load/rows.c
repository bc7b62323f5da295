/*
 * The 変更箇所 history as nodes of the report's one tree: each row of
 * changes.xml becomes an entry of the PIA_F_ROW under the PIA_F_CHANGES
 * node, each of its cells a PIA_F_CELL node holding the fields its column
 * names (<changes><column from=…>, pia-forms(5)).  Renderers and pia dump
 * read the rows there, as any other part of the report; the rows as read
 * (struct pia_change) stay the history's data for the checks and publish.
 * This file is the one that knows which field of a row a column's name
 * means (the attributes and elements of <変更>, pia(5)).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "load_int.h"
#include "model.h"
#include "util.h"
#include "wareki.h"

static const struct field {
	const char	*name;
	size_t		 off;
} fields[] = {
	{ "日", offsetof(struct pia_change, date_text) },
	{ "項目", offsetof(struct pia_change, item) },
	{ "変更前", offsetof(struct pia_change, before) },
	{ "変更後", offsetof(struct pia_change, after) },
	{ "提出時期", offsetof(struct pia_change, timing) },
	{ "説明", offsetof(struct pia_change, reason) },
	{ "理由", offsetof(struct pia_change, why) },
	{ "ページ", offsetof(struct pia_change, page) },
	{ "変更前の版", offsetof(struct pia_change, before_ver) },
	{ "変更後の版", offsetof(struct pia_change, after_ver) },
	{ "変更理由", offsetof(struct pia_change, change_reason) },
	{ "リスク変化", offsetof(struct pia_change, risk_change) },
	{ "リスク変化の状況", offsetof(struct pia_change, risk_status) },
	{ "リスク対策", offsetof(struct pia_change, risk_measure) },
};
#define NFIELDS	(sizeof(fields) / sizeof(fields[0]))

int
pia_rows_field(const char *name)
{
	size_t	 i;

	for (i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].name, name) == 0)
			return (int)i;
	return -1;
}

char *
pia_rows_fields(void)
{
	struct pia_buf	 b = { 0 };
	size_t		 i;

	for (i = 0; i < NFIELDS; i++) {
		if (i > 0)
			pia_buf_puts(&b, "、");
		pia_buf_puts(&b, fields[i].name);
	}
	return pia_buf_take(&b);
}

/* The field of row c a column names, or NULL (never given, or no such field). */
static const char *
field(const struct pia_change *c, const char *name)
{
	int	 i = name != NULL ? pia_rows_field(name) : -1;

	if (i < 0)
		return NULL;
	return *(char *const *)(const void *)((const char *)c + fields[i].off);
}

/*
 * Fill cell n from row c: its text is the fields its column names, those
 * with text joined by a line break (with more than one field, they are
 * its list entries too, so a renderer can break between them); a date
 * cell's date when the text reads as one (what is wrong with a 変更日 is
 * check/values.c's to say).
 */
static void
fill_cell(struct pia_node *n, const struct pia_change *c)
{
	const struct pia_column	*col = &n->f->cols[0];
	struct pia_buf		 b = { 0 };
	const char		*v;
	size_t			 i, nfrom = 0;

	for (i = 0; col->from != NULL && col->from[i] != NULL; i++)
		nfrom++;
	for (i = 0; i < nfrom; i++) {
		if ((v = field(c, col->from[i])) == NULL)
			continue;
		n->present = 1;
		if (*v == '\0')
			continue;
		if (b.len > 0)
			pia_buf_putc(&b, '\n');
		pia_buf_puts(&b, v);
		if (nfrom > 1) {
			n->list = xrealloc(n->list, (n->nlist + 1) * sizeof(*n->list));
			n->list[n->nlist].text = xstrdup(v);
			n->list[n->nlist++].pos = c->pos;
		}
	}
	n->text = n->present ? pia_buf_take(&b) : NULL;
	pia_buf_free(&b);
	n->pos = c->pos;
	if ((v = field(c, col->version_from)) != NULL && *v != '\0')
		n->version = xstrdup(v);
	if (n->f->type == PIA_T_DATE && n->text != NULL)
		pia_load_date(n->text, PIA_WAREKI_DATE, &n->date);
}

/*
 * 1 when history row c belongs in the 変更点リスク評価表 of row form rf:
 * a column of its own (not in the bar, not repeated from the 変更箇所
 * table) has text.
 */
static int
risk_row(const struct pia_fnode *rf, const struct pia_change *c)
{
	const struct pia_fnode	*f;
	const struct pia_column	*col;
	const char		*v;
	size_t			 i;

	for (f = rf->child; f != NULL; f = f->next) {
		col = &f->cols[0];
		if (col->bar || col->repeated)
			continue;
		for (i = 0; col->from != NULL && col->from[i] != NULL; i++)
			if ((v = field(c, col->from[i])) != NULL && *v != '\0')
				return 1;
	}
	return 0;
}

void
pia_load_rows(struct pia_report *r)
{
	struct pia_node		*ch, *row, *cell;
	const struct pia_fnode	*rf;
	size_t			 i;

	for (ch = r->root->child; ch != NULL; ch = ch->next)
		if (ch->f->kind == PIA_F_CHANGES)
			break;
	if (ch == NULL)
		return;
	/*
	 * The table's rows, one per history row; then the risk table's, one
	 * per row that has its columns (entry numbers stay the history's).
	 */
	for (rf = ch->f->child; rf != NULL; rf = rf->next) {
		if (rf->kind != PIA_F_ROW)
			continue;
		for (i = 0; i < r->nchanges; i++) {
			if ((rf->flags & PIA_FF_RISK) && !risk_row(rf, &r->changes[i]))
				continue;
			row = pia_node_append_entry(ch, rf, (unsigned)i + 1);
			row->pos = r->changes[i].pos;
			row->present = 1;
			for (cell = row->child; cell != NULL; cell = cell->next)
				fill_cell(cell, &r->changes[i]);
		}
	}
}
