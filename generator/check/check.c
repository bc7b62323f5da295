/*
 * Per-type validation of every value of a report (mandoc's *_validate.c
 * pattern: a table indexed by type).  Values as written against their
 * types (a choice not in its list, an impossible date) are judged first,
 * by check/values.c; here come the checks that need the whole report: required
 * items, pia new's placeholders, repeat counts, dates after 公表日, and
 * cross-references that must resolve (domain.md §6 A5, B, 33).
 */
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "check.h"
#include "diag.h"
#include "md.h"
#include "model.h"
#include "util.h"
#include "wareki.h"

struct cstate {
	struct pia_diag			*d;
	const struct pia_report		*r;
	const struct pia_node		*published;	/* the 公表日 item */
};

typedef void (*check_fn)(struct cstate *, const struct pia_node *);

static const struct pia_pos *
where(const struct pia_node *n)
{
	/* An absent value is reported where its nearest written ancestor is. */
	while (n->pos.file == NULL && n->parent != NULL)
		n = n->parent;
	return &n->pos;
}

static int
has_placeholder(const struct pia_node *n)
{
	size_t i;

	if (n->text && strstr(n->text, PIA_PLACEHOLDER))
		return 1;
	if (n->md) {
		char *t = pia_md_plain(n->md);
		int r = strstr(t, PIA_PLACEHOLDER) != NULL;
		free(t);
		if (r)
			return 1;
	}
	for (i = 0; i < n->nlist; i++)
		if (strstr(n->list[i].text, PIA_PLACEHOLDER))
			return 1;
	return 0;
}

/* Every type: required and placeholders. */
static void
check_common(struct cstate *S, const struct pia_node *n)
{
	char *title;

	if (has_placeholder(n)) {
		title = pia_node_path(n);
		pia_diag(S->d, where(n), PIA_MSG_VAL_PLACEHOLDER, title);
		free(title);
		return;
	}
	if ((n->f->flags & PIA_FF_REQUIRED) && !pia_node_filled(n)) {
		title = pia_node_path(n);
		pia_diag(S->d, where(n), PIA_MSG_VAL_REQUIRED, title);
		free(title);
	}
}

static void
check_date(struct cstate *S, const struct pia_node *n)
{
	const struct pia_node *p = S->published;
	char a[64], b[64], *title;

	check_common(S, n);
	if (n->date.year == 0 || p == NULL || p == n || p->date.year == 0 ||
	    (n->f->flags & PIA_FF_FUTURE))
		return;
	if (pia_date_cmp(&n->date, &p->date) > 0) {
		title = pia_node_path(n);
		pia_diag(S->d, &n->pos, PIA_MSG_DATE_AFTER_PUBLISHED, title,
		    pia_wareki_format(&n->date, a, sizeof(a)) ? a : "",
		    pia_wareki_format(&p->date, b, sizeof(b)) ? b : "");
		free(title);
	}
}

/*
 * Cross-references: 「2. ③対象となる本人の範囲」と同じ。 names an item by
 * number and label within the same section entry; 別添N / 別紙N name an
 * annex of the form.
 */
static int
annex_exists(const struct pia_report *r, const char *what)
{
	const struct pia_fnode *f;

	for (f = r->form->root->child; f != NULL; f = f->next)
		if (f->no != NULL && strstr(f->no, what) != NULL)
			return 1;
	return 0;
}

static int
find_titled(const struct pia_node *n, const char *want)
{
	const struct pia_node *c;
	char *t;
	int hit;

	for (c = n->child; c != NULL; c = c->next) {
		if (c->f->kind == PIA_F_ITEM) {
			t = pia_fnode_title(c->f);
			hit = strcmp(t, want) == 0 || strcmp(c->f->label, want) == 0;
			free(t);
			if (hit)
				return 1;
		}
		if (find_titled(c, want))
			return 1;
	}
	return 0;
}

static void
check_refs_in(struct cstate *S, const struct pia_node *n, const char *text)
{
	const char *p = text, *q;
	char name[64];

	/* 別添1 / 別紙2 */
	while ((q = strstr(p, "別")) != NULL) {
		if ((pia_startswith(q, "別添") || pia_startswith(q, "別紙")) &&
		    q[6] >= '0' && q[6] <= '9') {
			size_t k = 6;
			while (q[k] >= '0' && q[k] <= '9' && k < 12)
				k++;
			memcpy(name, q, k);
			name[k] = '\0';
			if (!annex_exists(S->r, name))
				pia_diag(S->d, where(n), PIA_MSG_REF_UNRESOLVED, name);
			p = q + k;
		} else
			p = q + 3;
	}
	/* 「2. ③…」と同じ。: the item label after the numbers must exist in this entry. */
	if ((q = strstr(text, "「")) != NULL && strstr(text, "」と同じ") != NULL) {
		const char *end = strstr(q, "」"), *lab = q + 3;
		const struct pia_node *scope = n;
		char *want;

		while (lab < end && ((*lab >= '0' && *lab <= '9') || *lab == '.' || *lab == ' '))
			lab++;
		want = xstrndup(lab, (size_t)(end - lab));
		while (scope->parent && !(scope->index > 0 && (scope->f->flags & PIA_FF_PERFILE)))
			scope = scope->parent;
		if (!find_titled(scope, want)) {
			char *whole = xstrndup(q + 3, (size_t)(end - q) - 3);
			pia_diag(S->d, where(n), PIA_MSG_REF_UNRESOLVED, whole);
			free(whole);
		}
		free(want);
	}
}

static void
check_ref(struct cstate *S, const struct pia_node *n)
{
	check_common(S, n);
	if (n->text != NULL)
		check_refs_in(S, n, n->text);
}

static void
check_markdown(struct cstate *S, const struct pia_node *n)
{
	check_common(S, n);
}

static const check_fn check_acts[PIA_T__MAX] = {
	[PIA_T_NONE] = NULL,
	[PIA_T_TEXT] = check_ref,	/* short texts may hold "別紙1参照" too */
	[PIA_T_MARKDOWN] = check_markdown,
	[PIA_T_CHOICE] = check_common,
	[PIA_T_CHECKS] = check_common,
	[PIA_T_COUNT] = check_common,
	[PIA_T_DATE] = check_date,
	[PIA_T_YEARMONTH] = check_date,
	[PIA_T_REF] = check_ref,
	[PIA_T_LIST] = check_common,
	[PIA_T_TABLE] = check_common,
};

/* Repeats: entry counts within the form's bounds. */
static void
check_repeats(struct cstate *S, const struct pia_node *n)
{
	const struct pia_fnode *f;
	size_t count;

	for (f = n->f->child; f != NULL; f = f->next) {
		if (!(f->flags & PIA_FF_REPEAT) || f->min == 0)
			continue;
		count = pia_node_entries(n, f, NULL);
		if (count < f->min)
			pia_diag(S->d, where(n), PIA_MSG_VAL_REPEAT_MIN, f->label, f->min);
	}
}

static const struct pia_node *
find_published(const struct pia_node *n)
{
	const struct pia_node *c, *hit;

	if (n->f->flags & PIA_FF_PUBLISHED)
		return n;
	for (c = n->child; c != NULL; c = c->next)
		if ((hit = find_published(c)) != NULL)
			return hit;
	return NULL;
}

void
pia_check_report(struct pia_diag *d, const struct pia_report *r)
{
	struct cstate S;
	struct pia_walk w;
	struct pia_node *n;
	size_t i;
	char a[64], b[64];

	S.d = d;
	S.r = r;
	S.published = find_published(r->root);
	pia_walk_init(&w, r->root);
	while (pia_walk_next(&w, &n) != PIA_WALK_DONE) {
		if (w.ev != PIA_WALK_ENTER)
			continue;
		if (n->f->kind == PIA_F_ITEM && check_acts[n->f->type] != NULL)
			check_acts[n->f->type](&S, n);
		else if (n->f->kind != PIA_F_ITEM)
			check_repeats(&S, n);
	}
	/* Change rows are dated on or before 公表日 too. */
	for (i = 0; S.published && S.published->date.year && i < r->nchanges; i++)
		if (r->changes[i].date.year &&
		    pia_date_cmp(&r->changes[i].date, &S.published->date) > 0)
			pia_diag(d, &r->changes[i].pos, PIA_MSG_DATE_AFTER_PUBLISHED, "変更日",
			    pia_wareki_format(&r->changes[i].date, a, sizeof(a)) ? a : "",
			    pia_wareki_format(&S.published->date, b, sizeof(b)) ? b : "");
	pia_check_rules(d, r);
	pia_lint_report(d, r);
}
