/*
 * The text and privacy lint of a report (domain.md §6): every text value
 * (report.xml and the section files), every 変更箇所 row, and the dates of
 * the 評価実施手続 that only make sense together — the 5-year rule, the
 * 意見聴取 period and the 第三者点検 after it.  The items those dates live
 * in are found by their role= in the form file, never by key.  The rules
 * over one text are in lint_text.c, shared with pia import-changes.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "check.h"
#include "diag.h"
#include "lint.h"
#include "lint_int.h"
#include "md.h"
#include "model.h"
#include "util.h"
#include "wareki.h"

struct lstate {
	struct pia_lint		*L;
	struct pia_diag		*d;
	const struct pia_report	*r;
	const struct pia_date	*asof;		/* 公表日 */
	const struct pia_node	*head;		/* 所属長の役職名 */
};

static int
placeholder(const char *s)
{
	return s != NULL && strstr(s, PIA_PLACEHOLDER) != NULL;
}

/* The entries of a list: the same entry twice (記録項目, domain.md §6 B16). */
static void
list_repeats(struct lstate *S, const struct pia_node *n)
{
	size_t i, j;
	char *a, *b;

	for (i = 1; i < n->nlist; i++)
		for (j = 0; j < i; j++) {
			a = pia_strtrim(n->list[i].text);
			b = pia_strtrim(n->list[j].text);
			if (*a != '\0' && strcmp(a, b) == 0) {
				pia_diag(S->d, &n->list[i].pos, PIA_MSG_LINT_REPEAT, a);
				j = i;
			}
			free(a);
			free(b);
		}
}

static void
lint_value(struct lstate *S, const struct pia_node *n)
{
	unsigned fl = PIA_LINT_BODY | PIA_LINT_CURRENT | PIA_LINT_TERMS;
	size_t i, j;
	char *t;

	if (n->pos.file == NULL || !n->present)
		return;
	if (n == S->head)
		fl |= PIA_LINT_HEAD;
	switch (n->f->type) {
	case PIA_T_TEXT:
	case PIA_T_REF:
		if (!placeholder(n->text))
			pia_lint_text(S->L, &n->pos, n->text, fl | PIA_LINT_PLAIN, S->asof);
		break;
	case PIA_T_MARKDOWN:
		if (n->md != NULL) {
			t = pia_md_plain(n->md);
			if (!placeholder(t))
				pia_lint_text(S->L, &n->pos, t, fl, S->asof);
			free(t);
		} else if (n->text != NULL && !placeholder(n->text))
			pia_lint_text(S->L, &n->pos, n->text, fl, S->asof);
		break;
	case PIA_T_LIST:
		for (i = 0; i < n->nlist; i++)
			if (!placeholder(n->list[i].text))
				pia_lint_text(S->L, &n->list[i].pos, n->list[i].text,
				    fl | PIA_LINT_PLAIN, S->asof);
		list_repeats(S, n);
		break;
	case PIA_T_TABLE:
		for (i = 0; i < n->nrows; i++)
			for (j = 0; j < n->rows[i].ncells; j++)
				if (!placeholder(n->rows[i].cells[j].text))
					pia_lint_text(S->L, &n->rows[i].cells[j].pos,
					    n->rows[i].cells[j].text, fl | PIA_LINT_PLAIN, S->asof);
		break;
	case PIA_T_CHECKS:
		for (i = 0; i < n->nboxes; i++)
			if (n->boxes[i].other != NULL && !placeholder(n->boxes[i].other))
				pia_lint_text(S->L, &n->boxes[i].pos, n->boxes[i].other,
				    fl | PIA_LINT_PLAIN, S->asof);
		break;
	default:
		break;
	}
}

static const char *
fmt(const struct pia_date *d, char *buf, size_t size)
{
	return pia_wareki_format(d, buf, size) ? buf : "";
}

/*
 * The dates of the 評価実施手続 (domain.md §4.2, §6 A8, A9): re-assessment
 * within 5 years of the 基礎項目評価; for the 意見聴取, at least 30 days
 * unless a reason is given; the 第三者点検 after the 意見聴取 and before
 * 公表日 (the latter is DATE_AFTER_PUBLISHED, as for every date).
 */
static void
procedure(struct lstate *S)
{
	const struct pia_node *assessed = pia_report_role(S->r, "assessed");
	const struct pia_node *period = pia_report_role(S->r, "comment-period");
	const struct pia_node *reason = pia_report_role(S->r, "comment-reason");
	const struct pia_node *review = pia_report_role(S->r, "review");
	struct pia_date from, to, due;
	char a[64], b[64], *path;
	int have_period = 0;
	long days;

	if (assessed != NULL && assessed->date.year && S->asof != NULL) {
		due = pia_date_add_years(&assessed->date, 5);
		if (pia_date_cmp(&due, S->asof) < 0)
			pia_diag(S->d, &assessed->pos, PIA_MSG_DATE_REASSESS,
			    fmt(&assessed->date, a, sizeof(a)), fmt(S->asof, b, sizeof(b)));
	}
	if (period != NULL && period->pos.file != NULL && period->text != NULL && !period->na &&
	    *period->text != '\0' && !placeholder(period->text)) {
		if (lint_period(period->text, &from, &to) != 0 || pia_date_cmp(&to, &from) < 0)
			pia_diag(S->d, &period->pos, PIA_MSG_DATE_COMMENT_PERIOD, period->text);
		else {
			have_period = 1;
			days = pia_date_days(&from, &to) + 1;
			if (days < 30 && (reason == NULL || !pia_node_filled(reason)))
				pia_diag(S->d, &period->pos, PIA_MSG_DATE_COMMENT_SHORT, days);
			if (S->asof != NULL && pia_date_cmp(&to, S->asof) > 0) {
				path = pia_node_path(period);
				pia_diag(S->d, &period->pos, PIA_MSG_DATE_AFTER_PUBLISHED, path,
				    fmt(&to, a, sizeof(a)), fmt(S->asof, b, sizeof(b)));
				free(path);
			}
		}
	}
	if (have_period && review != NULL && review->date.year &&
	    pia_date_cmp(&review->date, &to) <= 0)
		pia_diag(S->d, &review->pos, PIA_MSG_DATE_REVIEW_ORDER,
		    fmt(&review->date, a, sizeof(a)), fmt(&to, b, sizeof(b)));
}

static void
change_rows(struct lstate *S)
{
	const struct pia_change *c;
	size_t i;

	/*
	 * The rows are history: what was published then cannot be changed
	 * now, so the rules that judge a text by its date (obsolete
	 * references, passed plans) are for the report's own text, as of its
	 * 公表日.  pia import-changes, taking in a list, applies them per row.
	 * A name after a 所属長 in a row is history too: the 様式 of those
	 * years asked for it (LINT_PERSON judges the report's own value).
	 */
	for (i = 0; i < S->r->nchanges; i++) {
		c = &S->r->changes[i];
		pia_lint_text(S->L, &c->pos, c->item, PIA_LINT_PATH, NULL);
		pia_lint_text(S->L, &c->pos, c->before, PIA_LINT_ROW | PIA_LINT_PLAIN, NULL);
		pia_lint_text(S->L, &c->pos, c->after, PIA_LINT_ROW | PIA_LINT_PLAIN, NULL);
		if (c->why != NULL)
			pia_lint_text(S->L, &c->pos, c->why, PIA_LINT_ROW | PIA_LINT_PLAIN, NULL);
	}
}

void
pia_lint_report(struct pia_diag *d, const struct pia_report *r)
{
	struct lstate S;
	const struct pia_node *pub;
	struct pia_walk w;
	struct pia_node *n;

	memset(&S, 0, sizeof(S));
	if (r == NULL || r->root == NULL || (S.L = pia_lint_new(d, 1)) == NULL)
		return;
	S.d = d;
	S.r = r;
	pub = pia_report_published(r);
	S.asof = pub != NULL && pub->date.year ? &pub->date : NULL;
	S.head = pia_report_role(r, "head");
	pia_walk_init(&w, r->root);
	while (pia_walk_next(&w, &n) != PIA_WALK_DONE)
		if (w.ev == PIA_WALK_ENTER && n->f->kind == PIA_F_ITEM)
			lint_value(&S, n);
	pia_lint_terms(S.L);
	procedure(&S);
	change_rows(&S);
	pia_lint_free(S.L);
}
