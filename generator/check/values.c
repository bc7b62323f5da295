/*
 * The values as the loader kept them, judged against their types: a
 * choice that is none of its list, a count or a number that is none, a
 * 和暦 date that is none, 全角 digits read as half-width, boxes (a label
 * that is no choice, 内容 and 件数 where the choice has them or not, a box
 * that excludes the others), table rows of the wrong width, entries of a
 * repeat beyond its max; the 変更日 of the history's rows; the footnotes
 * of the Markdown (a note written twice, empty or never referred to, a
 * reference to no note); raw HTML in Markdown and emphasis markers cmark
 * left as text.
 *
 * The loader only reads (load/report.c, load/changes.c): what does not
 * read as its type it keeps as written (pia_node.written, .strays, the
 * rows' date_text, pia_report.notes, .md_marks), and this pass says why, at the
 * place it was written and quoting it.  It runs first in the check pass (PIA_CHECK_WRITTEN), so
 * that every command that loads sources reports the same about them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "form.h"
#include "model.h"
#include "util.h"
#include "wareki.h"

typedef void (*value_fn)(struct pia_diag *, const struct pia_node *);

/* "1) 実施する 2) 実施しない" for messages. */
static char *
choice_list(const struct pia_choices *c)
{
	struct pia_buf b = { 0 };
	size_t i;

	for (i = 0; c && i < c->n; i++)
		pia_buf_printf(&b, "%s%zu) %s", i ? " " : "", i + 1, c->v[i].label);
	return pia_buf_take(&b);
}

/* A 和暦 date as written at pos: what is wrong with it, if anything. */
static void
judge_date(struct pia_diag *d, const struct pia_pos *pos, const char *s,
    enum pia_wareki_want want)
{
	char buf[64];
	struct pia_date out;

	memset(&out, 0, sizeof(out));
	switch (pia_wareki_parse(s, want, &out)) {
	case PIA_WAREKI_OK:
	case PIA_WAREKI_EMPTY:
		break;
	case PIA_WAREKI_GANNEN:
		pia_diag(d, pos, PIA_MSG_DATE_GANNEN, s,
		    pia_wareki_format(&out, buf, sizeof(buf)) ? buf : "");
		break;
	case PIA_WAREKI_SERIAL:
		pia_diag(d, pos, PIA_MSG_DATE_SERIAL, s,
		    pia_wareki_format(&out, buf, sizeof(buf)) ? buf : "?");
		break;
	case PIA_WAREKI_GREGORIAN:
		pia_diag(d, pos, PIA_MSG_DATE_GREGORIAN, s,
		    pia_wareki_format(&out, buf, sizeof(buf)) ? buf : "?");
		break;
	case PIA_WAREKI_FISCAL:
		pia_diag(d, pos, PIA_MSG_DATE_FISCAL, s);
		break;
	case PIA_WAREKI_NODAY:
		pia_diag(d, pos, PIA_MSG_DATE_NODAY, s);
		break;
	case PIA_WAREKI_IMPOSSIBLE:
		pia_diag(d, pos, PIA_MSG_DATE_IMPOSSIBLE, s);
		break;
	case PIA_WAREKI_ERA:
		pia_diag(d, pos, PIA_MSG_DATE_ERA, s);
		break;
	default:
		pia_diag(d, pos, PIA_MSG_DATE_SYNTAX, s);
		break;
	}
}

void
pia_check_change_dates(struct pia_diag *d, const struct pia_change *rows, size_t n,
    const struct pia_chg_where *w)
{
	struct pia_pos p;
	char *t, *half;
	size_t i;

	if (w != NULL && (w->flags & PIA_CHG_F_NODATE))
		return;
	for (i = 0; i < n; i++) {
		if (rows[i].date_text == NULL)
			continue;
		p = pia_chg_pos(w, rows, i, PIA_CHG_DATE);
		t = pia_strtrim(rows[i].date_text);
		/* 令和６年 in a history or a spreadsheet: read as 令和6年, said once. */
		if ((half = pia_halfwidth_digits(t)) != NULL) {
			pia_diag(d, &p, PIA_MSG_VAL_FULLWIDTH, t, half);
			free(t);
			t = half;
		}
		/* An empty one is CHG_NODATE, unless the row has a page (check/changes.c). */
		if (*t != '\0')
			judge_date(d, &p, t, PIA_WAREKI_DATE);
		free(t);
	}
}

/*
 * 1 when item n holds a value written to be read as its type: given, not
 * empty, not pia new's placeholder (VAL_PLACEHOLDER, check/check.c), not
 * answered 「—」 where the form allows it.
 */
static int
judged(const struct pia_node *n)
{
	return n->present && n->text != NULL && n->text[0] != '\0' &&
	    strstr(n->text, PIA_PLACEHOLDER) == NULL && !n->na;
}

/* 「１」 read as 1: said once, quoting both. */
static void
fullwidth(struct pia_diag *d, const struct pia_node *n)
{
	if (n->written != NULL && judged(n))
		pia_diag(d, &n->pos, PIA_MSG_VAL_FULLWIDTH, n->written, n->text);
}

static void
value_choice(struct pia_diag *d, const struct pia_node *n)
{
	char *list;

	fullwidth(d, n);
	if (!judged(n) || n->choice >= 0)
		return;
	list = choice_list(n->f->choices);
	pia_diag(d, &n->pos, PIA_MSG_VAL_CHOICE, n->text, n->f->label, list);
	free(list);
}

static void
value_count(struct pia_diag *d, const struct pia_node *n)
{
	fullwidth(d, n);
	if (!judged(n) || n->count >= 0)
		return;
	/* A count-typed number (評価書番号) is no 件数: say what it is. */
	pia_diag(d, &n->pos, n->f->role != NULL && strcmp(n->f->role, "number") == 0 ?
	    PIA_MSG_VAL_NUMBER : PIA_MSG_VAL_COUNT, n->text, n->f->label);
}

static void
value_date(struct pia_diag *d, const struct pia_node *n)
{
	fullwidth(d, n);
	if (judged(n))
		judge_date(d, &n->pos, n->text, n->f->type == PIA_T_YEARMONTH ?
		    PIA_WAREKI_YEARMONTH : PIA_WAREKI_DATE);
}

/* A box's 件数 as written: given where the choice has one, a number. */
static void
box_count(struct pia_diag *d, const struct pia_box *b, const char *label)
{
	char *half = b->count_written != NULL ? pia_halfwidth_digits(b->count_written) : NULL;

	if (half != NULL)
		pia_diag(d, &b->pos, PIA_MSG_VAL_FULLWIDTH, b->count_written, half);
	if (b->count_written == NULL)
		pia_diag(d, &b->pos, PIA_MSG_VAL_BOX_COUNT, label);
	else if (b->count < 0)
		pia_diag(d, &b->pos, PIA_MSG_VAL_COUNT, half != NULL ? half : b->count_written);
	free(half);
}

static void
value_checks(struct pia_diag *d, const struct pia_node *n)
{
	const struct pia_choices *c = n->f->choices;
	const struct pia_box *b;
	char *list;
	size_t i;

	for (i = 0; i < n->nstrays; i++) {
		if (n->strays[i].kind != PIA_STRAY_BOX)
			continue;
		list = choice_list(c);
		pia_diag(d, &n->strays[i].pos, PIA_MSG_VAL_BOX, n->strays[i].text,
		    n->f->label, list);
		free(list);
	}
	for (i = 0; i < n->nboxes; i++) {
		b = &n->boxes[i];
		if (c->v[b->choice].flags & PIA_CF_OTHER) {
			if ((b->other == NULL || b->other[0] == '\0') &&
			    !(c->v[b->choice].flags & PIA_CF_OTHER_OPT))
				pia_diag(d, &b->pos, PIA_MSG_VAL_BOX_OTHER, c->v[b->choice].label);
		} else if (b->other != NULL)
			pia_diag(d, &b->pos, PIA_MSG_XML_ATTR, "選択", "内容");
		if (c->v[b->choice].flags & PIA_CF_COUNT)
			box_count(d, b, c->v[b->choice].label);
		else if (b->count_written != NULL)
			pia_diag(d, &b->pos, PIA_MSG_XML_ATTR, "選択", "件数");
	}
	/* A box such as 行っていない excludes every other box. */
	for (i = 0; i < n->nboxes && n->nboxes > 1; i++)
		if (c->v[n->boxes[i].choice].flags & PIA_CF_ALONE)
			pia_diag(d, &n->boxes[i].pos, PIA_MSG_VAL_BOX_ALONE,
			    c->v[n->boxes[i].choice].label);
}

static void
value_table(struct pia_diag *d, const struct pia_node *n)
{
	size_t i;

	for (i = 0; i < n->nrows; i++)
		if (n->rows[i].ncells != n->f->ncols)
			pia_diag(d, &n->rows[i].pos, PIA_MSG_VAL_TABLE_COLS,
			    (unsigned)n->rows[i].ncells, (unsigned)n->f->ncols);
}

/* What each type of item judges; NULL: any text reads as it. */
static const value_fn value_acts[PIA_T__MAX] = {
	[PIA_T_CHOICE] = value_choice,
	[PIA_T_CHECKS] = value_checks,
	[PIA_T_COUNT] = value_count,
	[PIA_T_DATE] = value_date,
	[PIA_T_YEARMONTH] = value_date,
	[PIA_T_TABLE] = value_table,
};

/* Elements beyond a repeat's max, not read (under a group or the report). */
static void
value_entries(struct pia_diag *d, const struct pia_node *n)
{
	size_t i;

	for (i = 0; i < n->nstrays; i++)
		if (n->strays[i].kind == PIA_STRAY_ENTRY)
			pia_diag(d, &n->strays[i].pos, PIA_MSG_VAL_REPEAT_MAX,
			    n->strays[i].f->label, n->strays[i].f->max);
}

/*
 * The footnotes as written, in the order the loader met them: notes
 * written twice, references to no note, then each note empty or never
 * referred to (one written twice is not said unused).
 */
static void
value_notes(struct pia_diag *d, const struct pia_report *r)
{
	const struct pia_footnote *x;
	char where[16];
	size_t i;

	for (i = 0; i < r->nnotes; i++) {
		x = &r->notes[i];
		if (!x->ref && x->first != 0) {
			snprintf(where, sizeof(where), "%u", x->first);
			pia_diag(d, &x->pos, PIA_MSG_MD_FOOTNOTE_TWICE, x->label, where);
		}
	}
	for (i = 0; i < r->nnotes; i++)
		if (r->notes[i].ref)
			pia_diag(d, &r->notes[i].pos, PIA_MSG_MD_FOOTNOTE_UNDEF,
			    r->notes[i].label, r->notes[i].label);
	for (i = 0; i < r->nnotes; i++) {
		x = &r->notes[i];
		if (x->ref)
			continue;
		if (x->empty)
			pia_diag(d, &x->pos, PIA_MSG_MD_FOOTNOTE_EMPTY, x->label);
		if (!x->used && x->first == 0)
			pia_diag(d, &x->pos, PIA_MSG_MD_FOOTNOTE_UNUSED, x->label);
	}
}

/* Shorten s to at most max bytes without splitting a UTF-8 sequence. */
static void
cut(char *s, size_t max)
{
	if (strlen(s) <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	s[max] = '\0';
}

/* A literal "*" or "_" run in text: emphasis that cmark did not take. */
static const char *
stray_emphasis(const char *t)
{
	const char *p;

	for (p = t; *p; p++)
		if ((p[0] == '*' && p[1] == '*') || (p[0] == '*' && p != t) ||
		    (p[0] == '_' && p[1] == '_'))
			return p;
	return NULL;
}

/*
 * What the Markdown reader met: raw HTML is refused (never markup on the
 * page), a "**" cmark left as text is a warning; quoted up to 60 bytes.
 */
static void
value_markdown(struct pia_diag *d, const struct pia_report *r)
{
	const struct pia_md_mark *m;
	char *snip;
	size_t i;

	for (i = 0; i < r->nmd_marks; i++) {
		m = &r->md_marks[i];
		if (m->seen == PIA_MD_SEEN_HTML) {
			snip = pia_strtrim(m->text);
			cut(snip, 60);
			pia_diag(d, &m->pos, PIA_MSG_MD_HTML, snip);
		} else if (stray_emphasis(m->text) != NULL) {
			snip = xstrdup(m->text);
			cut(snip, 60);
			pia_diag(d, &m->pos, PIA_MSG_MD_EMPHASIS, snip);
		} else
			continue;
		free(snip);
	}
}

void
pia_check_values(struct pia_diag *d, const struct pia_report *r)
{
	struct pia_walk w;
	struct pia_node *n;

	/* First, as the loader used to say it: where it falls with others, it led. */
	value_markdown(d, r);
	pia_walk_init(&w, r->root);
	while (pia_walk_next(&w, &n) != PIA_WALK_DONE) {
		if (w.ev != PIA_WALK_ENTER)
			continue;
		if (n->f->kind != PIA_F_ITEM)
			value_entries(d, n);
		else if (value_acts[n->f->type] != NULL)
			value_acts[n->f->type](d, n);
	}
	pia_check_change_dates(d, r->changes, r->nchanges, NULL);
	value_notes(d, r);
}
