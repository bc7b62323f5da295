/*
 * Put the PDF's lines into the 様式's items, by the form file's own
 * labels: the grid's label column (the leftmost x of the body text),
 * section and item numbers, repeated groups by their numbers (システム3,
 * (2)), header rows whose cells name items (評価書番号 | 評価書名), and the
 * 変更箇所 table by its header row, continued on the next pages.  A label
 * cell that wraps is read on until it names an item; 「（続き）」 and ※ are
 * left out of the match.  Text no item takes is kept (pia_imp_place's
 * unplaced list), never dropped.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "import_int.h"
#include "util.h"

/* Normalise a label for comparison: no spaces, half-width ASCII, no ※ and no 「（続き）」. */
char *
pia_imp_norm(const char *s)
{
	struct pia_buf b = { 0 };
	uint32_t cp;
	size_t k;
	char *r, *p;

	while (*s) {
		k = pia_utf8_decode(s, strlen(s), &cp);
		if (k == 0) {
			s++;
			continue;
		}
		s += k;
		if (cp == ' ' || cp == '\t' || cp == 0x3000 || cp == 0xA0 || cp == 0x203B)
			continue;
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			cp -= 0xFEE0;
		if (cp == ':')
			continue;
		pia_buf_put_cp(&b, cp);
	}
	r = pia_buf_take(&b);
	while ((p = strstr(r, "(続き)")) != NULL)
		memmove(p, p + strlen("(続き)"), strlen(p + strlen("(続き)")) + 1);
	return r;
}

/* Is s only marks a label carries (※, 「（続き）」), nothing of its own? */
int
pia_imp_is_mark_only(const char *s)
{
	char *n = pia_imp_norm(s);
	int r = n[0] == '\0';

	free(n);
	return r;
}

struct pia_imp_node *
pia_imp_node_new(struct pia_imp_node *parent, const struct pia_fnode *f, unsigned index)
{
	struct pia_imp_node *n = xcalloc(1, sizeof(*n));

	n->f = f;
	n->index = index;
	n->parent = parent;
	if (parent != NULL) {
		if (parent->last)
			parent->last->next = n;
		else
			parent->child = n;
		parent->last = n;
	}
	return n;
}

static struct pia_imp_node *
child_of(struct pia_imp_node *p, const struct pia_fnode *f, unsigned index)
{
	struct pia_imp_node *c;

	for (c = p->child; c != NULL; c = c->next)
		if (c->f == f && c->index == index)
			return c;
	return pia_imp_node_new(p, f, index);
}

void
pia_imp_node_free(struct pia_imp_node *n)
{
	struct pia_imp_node *c, *next;
	size_t i;

	if (n == NULL)
		return;
	for (c = n->child; c != NULL; c = next) {
		next = c->next;
		pia_imp_node_free(c);
	}
	for (i = 0; i < n->nv; i++)
		free(n->v[i].text);
	free(n->v);
	free(n);
}

void
pia_imp_add(struct pia_imp_node *n, const struct pia_imp_line *L, const struct pia_imp_seg *s)
{
	struct pia_imp_vline *v;

	if (n->nv == n->capv) {
		n->capv = n->capv ? n->capv * 2 : 8;
		n->v = xrealloc(n->v, n->capv * sizeof(*n->v));
	}
	v = &n->v[n->nv++];
	v->text = xstrdup(s->text);
	v->x0 = s->x0;
	v->x1 = s->x1;
	v->y0 = L->y0;
	v->y1 = L->y1;
	v->page = L->page;
}

/*
 * Does normalised t name form child c?  2: exactly (its number and label,
 * its label, a repeat entry "システム3" with *index set); 3: a row of
 * entries 「提供先2～5」; 1: t is the start of its title (a label cell that
 * wraps onto the next line); 0: no.
 */
static int
names(const struct pia_fnode *c, const char *t, unsigned *index)
{
	char *full, *lab, *fn, *ln;
	int r = 0;
	size_t tl = strlen(t);
	struct pia_fnode one;

	*index = 0;
	/* pia_fnode_match takes the node's children: match c alone. */
	one = *c->parent;
	one.child = (struct pia_fnode *)c;
	{
		struct pia_fnode solo = *c;
		const struct pia_fnode *m;

		solo.next = NULL;
		one.child = &solo;
		if ((m = pia_fnode_match(&one, t, index)) != NULL)
			return 2;
	}
	full = xasprintf("%s%s%s", c->no ? c->no : "", c->label, c->note ? c->note : "");
	lab = xasprintf("%s%s", c->label, c->note ? c->note : "");
	fn = pia_imp_norm(full);
	ln = pia_imp_norm(lab);
	if (strcmp(t, fn) == 0 || strcmp(t, ln) == 0)
		r = 2;
	else if (tl >= 3 && (strncmp(fn, t, tl) == 0 || strncmp(ln, t, tl) == 0))
		r = 1;
	else if (c->entry != NULL) {
		char *en = pia_imp_norm(c->entry), *br = strstr(en, "{n}");

		if (br != NULL && tl >= 3 && (size_t)(br - en) >= tl && strncmp(en, t, tl) == 0)
			r = 1;
		free(en);
	}
	/* 「提供先2～5」: a row the 様式 prints for entries 2 to 5, filled or not. */
	if (r == 0 && c->entry != NULL && c->range > 0) {
		char *en = pia_imp_norm(c->entry), *br = strstr(en, "{n}");
		size_t pre = br ? (size_t)(br - en) : 0;
		const char *q = t + pre;

		if (br != NULL && strncmp(t, en, pre) == 0 && *q >= '0' && *q <= '9') {
			while (*q >= '0' && *q <= '9')
				q++;
			/* 「～」 is '~' once normalised; 「〜」 (wave dash) is kept. */
			size_t tl2 = *q == '~' ? 1 : pia_startswith(q, "〜") ? strlen("〜") : 0;

			if (tl2 > 0 && q[tl2] >= '0' && q[tl2] <= '9') {
				q += tl2;
				while (*q >= '0' && *q <= '9')
					q++;
				if (strcmp(q, br + 3) == 0)
					r = 3;
			}
		}
		free(en);
	}
	free(full);
	free(lab);
	free(fn);
	free(ln);
	return r;
}

/* 「（ 6 ）件」, the whole of s? */
static int
is_count(const char *s)
{
	if (!pia_startswith(s, "（"))
		return 0;
	s += strlen("（");
	while (*s == ' ')
		s++;
	if (*s < '0' || *s > '9')
		return 0;
	while ((*s >= '0' && *s <= '9') || *s == ',' || *s == ' ')
		s++;
	return strcmp(s, "）件") == 0;
}

/*
 * A value segment of item n; 「（ N ）件」 goes to the count printed in n's
 * cell (inline="yes", 4. 委託 件数), a sibling of its own in the sources.
 */
static void
add_value(struct pia_imp_node *n, const struct pia_imp_line *L, const struct pia_imp_seg *s)
{
	const struct pia_fnode *nx = n->f->next;

	if (nx != NULL && (nx->flags & PIA_FF_INLINE) && nx->type == PIA_T_COUNT &&
	    n->parent != NULL && is_count(s->text)) {
		pia_imp_add(child_of(n->parent, nx, 0), L, s);
		return;
	}
	pia_imp_add(n, L, s);
}

/* The chain from the root to the current node, innermost last. */
struct chain {
	struct pia_imp_node	*v[32];
	size_t			 n;
};

/*
 * Find what t names among the children of the chain's containers, innermost
 * first.  Returns 2 (and *depth, *f, *index) when found, 1 when t only
 * starts some title, 0 when it names nothing.
 */
static int
find(const struct chain *ch, const char *t, size_t *depth, const struct pia_fnode **f, unsigned *index)
{
	const struct pia_fnode *c;
	size_t d;
	int prefix = 0, r;
	unsigned k;

	/*
	 * 「(1) 国民健康保険資格・給付ファイル」 under 「Ⅲ リスク対策」: an entry
	 * title of a repeat the chain is in names that repeat, before a
	 * sibling with the same pattern (Ⅱ) could take it.
	 */
	for (d = ch->n; d-- > 1;) {
		c = ch->v[d]->f;
		if (c->entry != NULL && names(c, t, &k) == 2 && k > 0) {
			*depth = d - 1;
			*f = c;
			*index = k;
			return 2;
		}
	}
	for (d = ch->n; d-- > 0;) {
		const struct pia_fnode *p = ch->v[d]->f, *cur, *first = NULL, *after = NULL;
		unsigned kfirst = 0, kafter = 0;
		int past = 0;

		if (p->kind == PIA_F_ITEM)
			continue;
		/*
		 * Siblings printed with the same label (「具体的な管理方法」 after
		 * ①, ② and ③): the one the chain is in (a label repeated as
		 * 「（続き）」), else the first after it, else the first.
		 */
		cur = d + 1 < ch->n && ch->v[d + 1]->f->parent == p ? ch->v[d + 1]->f : NULL;
		for (c = p->child; c != NULL; c = c->next) {
			r = names(c, t, &k);
			if (r == 3) {
				*depth = d;
				*f = c;
				*index = 0;
				return 3;
			}
			if (r == 2 && c == cur) {
				first = c;
				kfirst = k;
				after = NULL;
				break;
			}
			if (r == 2 && first == NULL) {
				first = c;
				kfirst = k;
			}
			if (r == 2 && past && after == NULL) {
				after = c;
				kafter = k;
			}
			if (r == 1)
				prefix = 1;
			if (c == cur)
				past = 1;
		}
		if (first != NULL) {
			*depth = d;
			*f = after != NULL ? after : first;
			*index = after != NULL ? kafter : kfirst;
			return 2;
		}
	}
	return prefix;
}

/*
 * A label of a group's item where the group's own label has not been read
 * yet (it runs down the first column beside its items): an item of a
 * child group of the chain's containers.  Returns 1 with *depth, *g (the
 * group) and *f (its item).
 */
static int
find_deep(const struct chain *ch, const char *t, size_t *depth, const struct pia_fnode **g,
    const struct pia_fnode **f)
{
	const struct pia_fnode *c, *i;
	size_t d;
	unsigned k;

	for (d = ch->n; d-- > 0;) {
		if (ch->v[d]->f->kind == PIA_F_ITEM)
			continue;
		for (c = ch->v[d]->f->child; c != NULL; c = c->next) {
			if (c->kind == PIA_F_ITEM || c->entry != NULL)
				continue;
			for (i = c->child; i != NULL; i = i->next)
				if (names(i, t, &k) == 2 && k == 0) {
					*depth = d;
					*g = c;
					*f = i;
					return 1;
				}
		}
	}
	return 0;
}

/* The rest of f's printed title after its start t (normalised), or NULL when t does not start it. */
static char *
title_rest(const struct pia_fnode *f, const char *t)
{
	char *full = xasprintf("%s%s%s", f->no ? f->no : "", f->label, f->note ? f->note : "");
	char *lab = xasprintf("%s%s", f->label, f->note ? f->note : "");
	char *fn = pia_imp_norm(full), *ln = pia_imp_norm(lab), *r = NULL;
	size_t tl = strlen(t);

	if (strncmp(fn, t, tl) == 0)
		r = xstrdup(fn + tl);
	else if (strncmp(ln, t, tl) == 0)
		r = xstrdup(ln + tl);
	free(full);
	free(lab);
	free(fn);
	free(ln);
	return r;
}

/*
 * A nested label cell that wraps (「情報保護管理体制の / 確認」): the one
 * item of the chain's containers, or of their child groups, whose title t
 * starts.  Returns 1 with *depth, *g (the child group, or NULL), *f and
 * *rest (the title's remaining text, caller frees).
 */
static int
find_start(const struct chain *ch, const char *t, size_t *depth, const struct pia_fnode **g,
    const struct pia_fnode **f, char **rest)
{
	const struct pia_fnode *c, *i;
	size_t d, n = 0;
	char *r;

	*rest = NULL;
	if (pia_utf8_count(t, strlen(t)) < 4)
		return 0;
	for (d = ch->n; d-- > 0;) {
		if (ch->v[d]->f->kind == PIA_F_ITEM)
			continue;
		for (c = ch->v[d]->f->child; c != NULL; c = c->next) {
			if (c->kind == PIA_F_ITEM) {
				if ((r = title_rest(c, t)) != NULL && *r != '\0') {
					if (n++ == 0) {
						*depth = d;
						*g = NULL;
						*f = c;
						*rest = r;
					} else
						free(r);
				} else
					free(r);
				continue;
			}
			if (c->entry != NULL)
				continue;
			for (i = c->child; i != NULL; i = i->next)
				if (i->kind == PIA_F_ITEM && (r = title_rest(i, t)) != NULL) {
					if (*r != '\0' && n++ == 0) {
						*depth = d;
						*g = c;
						*f = i;
						*rest = r;
					} else
						free(r);
				}
		}
		if (n > 0)
			break;
	}
	if (n != 1) {
		free(*rest);
		*rest = NULL;
		return 0;
	}
	return 1;
}

/* Is t the start (1) or the whole (2) of the label of a group in the chain? */
static int
group_title(const struct chain *ch, const char *t)
{
	size_t d;
	unsigned k;
	int r;

	for (d = ch->n; d-- > 1;) {
		const struct pia_fnode *g = ch->v[d]->f;

		if (g->kind != PIA_F_GROUP)
			continue;
		if ((r = names(g, t, &k)) == 2 || r == 1)
			return r;
	}
	return 0;
}

/* Move the chain to child f (entry index) of ch->v[depth]; returns the new node. */
static struct pia_imp_node *
enter(struct chain *ch, size_t depth, const struct pia_fnode *f, unsigned index)
{
	struct pia_imp_node *n;

	ch->n = depth + 1;
	/* A repeat matched by its own label (not an entry title) holds entry 1. */
	if ((f->flags & PIA_FF_REPEAT) && index == 0 && f->kind != PIA_F_ITEM)
		index = 0;
	n = child_of(ch->v[depth], f, index);
	if (ch->n < sizeof(ch->v) / sizeof(ch->v[0]))
		ch->v[ch->n++] = n;
	return n;
}

static struct pia_imp_node *
current_item(const struct chain *ch)
{
	struct pia_imp_node *n = ch->v[ch->n - 1];

	return n->f->kind == PIA_F_ITEM ? n : NULL;
}

/*
 * The leftmost x where body lines start (the label column, or full-width
 * text): the leftmost start shared by at least a twentieth as many lines as the
 * most shared one (a value column often has more lines than the labels).
 */
static double
left_edge(const struct pia_imp_doc *doc)
{
	double *x = xcalloc(doc->nline + 1, sizeof(*x)), best = 0;
	size_t *cnt = xcalloc(doc->nline + 1, sizeof(*cnt));
	size_t i, j, nx = 0, max = 0;

	for (i = 0; i < doc->nline; i++) {
		double x0 = doc->line[i].seg[0].x0;

		for (j = 0; j < nx && fabs(x[j] - x0) >= 1.5; j++)
			;
		if (j == nx)
			x[nx++] = x0;
		if (++cnt[j] > max)
			max = cnt[j];
	}
	best = 1e9;
	for (j = 0; j < nx; j++)
		if (cnt[j] * 20 >= max && cnt[j] >= 2 && x[j] < best)
			best = x[j];
	if (best == 1e9)
		best = nx ? x[0] : 0;
	free(x);
	free(cnt);
	return best;
}

/*
 * The x of the value column: where most segments right of the label column
 * start.  Segments left of it are label cells (「再委託」 then
 * 「④再委託の有無」 in a nested label column).
 */
static double
value_edge(const struct pia_imp_doc *doc, double left)
{
	double *x = xcalloc(doc->nline + 1, sizeof(*x)), best = 0;
	size_t *cnt = xcalloc(doc->nline + 1, sizeof(*cnt));
	size_t i, j, k, nx = 0, max = 0;

	for (i = 0; i < doc->nline; i++)
		for (k = 0; k < doc->line[i].nseg; k++) {
			double x0 = doc->line[i].seg[k].x0;

			if (x0 < left + 20)
				continue;
			for (j = 0; j < nx && fabs(x[j] - x0) >= 1; j++)
				;
			if (j == nx)
				x[nx++] = x0;
			if (++cnt[j] > max) {
				max = cnt[j];
				best = x[j];
			}
			break;
		}
	free(x);
	free(cnt);
	return max > 0 ? best : 1e9;
}

/* Is s in the label column (not a full-width text that starts there)? */
static int
is_label_seg(const struct pia_imp_seg *s, double valx)
{
	return s->x0 < valx - 2 && s->x1 < valx + 2;
}

/* Take the segment of L in the label column at x (within 2 points); 0 when none. */
static int
take_seg(struct pia_imp_line *L, double x, double valx, struct pia_imp_seg *out)
{
	size_t j;

	for (j = 0; j < L->nseg; j++)
		if (is_label_seg(&L->seg[j], valx) && fabs(L->seg[j].x0 - x) < 2) {
			*out = L->seg[j];
			memmove(L->seg + j, L->seg + j + 1, (L->nseg - j - 1) * sizeof(*L->seg));
			L->nseg--;
			return 1;
		}
	return 0;
}

/* Put s into L in the order of x. */
static void
put_seg(struct pia_imp_line *L, const struct pia_imp_seg *s)
{
	size_t j = 0;

	while (j < L->nseg && L->seg[j].x0 < s->x0)
		j++;
	L->seg = xrealloc(L->seg, (L->nseg + 1) * sizeof(*L->seg));
	memmove(L->seg + j + 1, L->seg + j, (L->nseg - j) * sizeof(*L->seg));
	L->seg[j] = *s;
	L->nseg++;
}

/* A row of the grid: lines with text in the value column, no farther apart than a cell's own line spacing. */
struct hblock {
	size_t		 first, last;	/* its first and last value line */
	double		 y0, y1;
	unsigned	 page;
};

static int
by_block(const void *a, const void *b)
{
	const struct hblock *x = a, *y = b;

	if (x->page != y->page)
		return x->page < y->page ? -1 : 1;
	return x->y0 < y->y0 ? -1 : x->y0 > y->y0;
}

static int
has_label_at(const struct pia_imp_line *L, double x, double valx)
{
	size_t j;

	for (j = 0; j < L->nseg; j++)
		if (is_label_seg(&L->seg[j], valx) && fabs(L->seg[j].x0 - x) < 2)
			return 1;
	return 0;
}

/* Move the pieces (lines pl[], all in label column x) onto the value lines of blocks b0.., in order. */
static void
move_pieces(struct pia_imp_doc *doc, const struct hblock *B, const size_t *blk, const int *isval,
    size_t b0, const size_t *pl, size_t np, double x, double valx)
{
	size_t k, i = B[b0].first, bb = b0;
	struct pia_imp_seg sg;

	for (k = 0; k < np; k++) {
		/* The next value line of the run, from the block's first. */
		while (i < doc->nline && !(blk[i] != SIZE_MAX && blk[i] >= bb &&
		    (isval[i] || i == B[blk[i]].first)))
			i++;
		if (i >= doc->nline || doc->line[i].page != B[b0].page)
			return;
		if (pl[k] != i && take_seg(&doc->line[pl[k]], x, valx, &sg))
			put_seg(&doc->line[i], &sg);
		bb = blk[i];
		i++;
	}
}

/*
 * A narrow label cell wraps its 「（続き）」 (「再委託（続」 / 「き）」): the
 * mark is put back together on the first line, so the label reads whole
 * and the second line keeps only what follows the mark in that cell.
 */
static void
join_continued_marks(struct pia_imp_doc *doc)
{
	static const char *const head[] = { "（続き", "（続", "（", NULL };
	static const char *const tail[] = { "）", "き）", "続き）", NULL };
	size_t i, j, m, k, q;

	for (i = 0; i + 1 < doc->nline; i++) {
		struct pia_imp_line *L = &doc->line[i];

		for (j = 0; j < L->nseg; j++) {
			struct pia_imp_seg *sg = &L->seg[j];
			size_t len = strlen(sg->text);

			for (k = 0; head[k] != NULL; k++)
				if (len > strlen(head[k]) &&
				    strcmp(sg->text + len - strlen(head[k]), head[k]) == 0)
					break;
			if (head[k] == NULL)
				continue;
			/* The cell's next line: the next line of the page with a segment at the same x. */
			for (m = i + 1; m < doc->nline && doc->line[m].page == L->page; m++) {
				struct pia_imp_line *N = &doc->line[m];

				for (q = 0; q < N->nseg && fabs(N->seg[q].x0 - sg->x0) >= 2; q++)
					;
				if (q == N->nseg)
					continue;
				if (pia_startswith(N->seg[q].text, tail[k])) {
					char *t = xasprintf("%s%s", sg->text, tail[k]);

					free(sg->text);
					sg->text = t;
					memmove(N->seg[q].text, N->seg[q].text + strlen(tail[k]),
					    strlen(N->seg[q].text + strlen(tail[k])) + 1);
					if (N->seg[q].text[0] == '\0') {
						free(N->seg[q].text);
						memmove(N->seg + q, N->seg + q + 1, (N->nseg - q - 1) * sizeof(*N->seg));
						N->nseg--;
					}
				}
				break;
			}
		}
	}
	/* Lines left without a segment go. */
	for (i = m = 0; i < doc->nline; i++) {
		if (doc->line[i].nseg == 0) {
			free(doc->line[i].seg);
			continue;
		}
		doc->line[m++] = doc->line[i];
	}
	doc->nline = m;
}

/*
 * A spreadsheet's label cell is centred against a value of many lines
 * (the PPC's Excel 様式): its text stands beside the middle of the value,
 * not beside its first line, and a group's merged label cell (再委託)
 * beside the middle of its items' rows.  The rows are the blocks of lines
 * with text in the value column, no farther apart than a cell's own line
 * spacing (a label's own line does not join two rows).  A label column's
 * text centred on a row whose first line has none in that column is moved
 * up onto the row's first lines; a group's label centred on a run of rows
 * whose labels stand right of it, onto the run's first lines, where a
 * grid that aligns its cells at the top prints them.  Lines left empty go.
 */
void
pia_imp_hoist(struct pia_imp_doc *doc)
{
	double left, valx, h = 0;
	size_t n = doc->nline, i, j, k, w, nb = 0, bb, np;
	size_t *blk, *pl;
	int *isval;
	struct hblock *B;

	if (n == 0)
		return;
	join_continued_marks(doc);
	n = doc->nline;
	left = left_edge(doc);
	valx = value_edge(doc, left);
	if (valx >= 1e9)
		return;
	blk = xcalloc(n, sizeof(*blk));
	pl = xcalloc(n, sizeof(*pl));
	isval = xcalloc(n, sizeof(*isval));
	B = xcalloc(n, sizeof(*B));
	for (i = 0; i < n; i++) {
		const struct pia_imp_line *L = &doc->line[i];

		for (j = 0; j < L->nseg; j++)
			if (!is_label_seg(&L->seg[j], valx))
				isval[i] = 1;
		if (!isval[i])
			continue;
		if (nb > 0) {
			const struct pia_imp_line *P = &doc->line[B[nb - 1].last];

			h = P->y1 - P->y0;
		}
		if (nb == 0 || B[nb - 1].page != L->page || L->y0 - B[nb - 1].y1 > 0.6 * h) {
			B[nb].first = i;
			B[nb].y0 = L->y0;
			B[nb].page = L->page;
			nb++;
		}
		B[nb - 1].last = i;
		B[nb - 1].y1 = L->y1;
		blk[i] = nb - 1;
	}
	/* A line of labels only: the row on its page whose span holds its centre, if any. */
	for (i = 0; i < n; i++) {
		const struct pia_imp_line *L = &doc->line[i];
		double c = (L->y0 + L->y1) / 2;

		if (isval[i])
			continue;
		blk[i] = SIZE_MAX;
		for (bb = 0; bb < nb; bb++)
			if (B[bb].page == L->page && c >= B[bb].y0 && c <= B[bb].y1)
				blk[i] = bb;
	}
	/* A label in a nested label column with no value beside it: a row of its own, empty. */
	{
		size_t nv = nb;

		for (i = 0; i < n; i++) {
			const struct pia_imp_line *L = &doc->line[i];

			if (isval[i] || blk[i] != SIZE_MAX || L->seg[0].x0 <= left + 2)
				continue;
			B[nb].first = B[nb].last = i;
			B[nb].y0 = L->y0;
			B[nb].y1 = L->y1;
			B[nb].page = L->page;
			nb++;
		}
		if (nb > nv) {
			qsort(B, nb, sizeof(*B), by_block);
			for (bb = 0; bb < nb; bb++)
				for (i = B[bb].first; i <= B[bb].last; i++)
					if (isval[i] || i == B[bb].first)
						blk[i] = bb;
			for (i = 0; i < n; i++) {
				const struct pia_imp_line *L = &doc->line[i];
				double c = (L->y0 + L->y1) / 2;

				if (isval[i] || (blk[i] != SIZE_MAX && B[blk[i]].first == i))
					continue;
				blk[i] = SIZE_MAX;
				for (bb = 0; bb < nb; bb++)
					if (B[bb].page == L->page && c >= B[bb].y0 && c <= B[bb].y1)
						blk[i] = bb;
			}
		}
	}
	/* A row's label, centred on it. */
	for (bb = 0; bb < nb; bb++) {
		const struct pia_imp_line *F = &doc->line[B[bb].first];
		double cols[8];
		size_t nc = 0, c;

		h = F->y1 - F->y0;
		for (i = B[bb].first; i < n && doc->line[i].page == B[bb].page; i++) {
			if (blk[i] != bb || i == B[bb].first)
				continue;
			for (j = 0; j < doc->line[i].nseg && is_label_seg(&doc->line[i].seg[j], valx); j++) {
				for (c = 0; c < nc && fabs(cols[c] - doc->line[i].seg[j].x0) >= 2; c++)
					;
				if (c == nc && nc < 8)
					cols[nc++] = doc->line[i].seg[j].x0;
			}
		}
		for (c = 0; c < nc; c++) {
			double sum = 0, mid = (B[bb].y0 + B[bb].y1) / 2;

			if (has_label_at(F, cols[c], valx))
				continue;
			np = 0;
			for (i = B[bb].first; i < n && doc->line[i].page == B[bb].page; i++)
				if (blk[i] == bb && has_label_at(&doc->line[i], cols[c], valx)) {
					pl[np++] = i;
					sum += (doc->line[i].y0 + doc->line[i].y1) / 2;
				}
			if (np == 0 || fabs(sum / (double)np - mid) > 0.75 * h)
				continue;
			/* A label that starts beside the row's first line is aligned at the top already. */
			if ((doc->line[pl[0]].y0 + doc->line[pl[0]].y1) / 2 < (F->y0 + F->y1) / 2 + 0.5 * h)
				continue;
			/* The outer column of a nested label is a group's: left to the run below. */
			if (fabs(cols[c] - left) < 2 && F->seg[0].x0 > left + 2 && is_label_seg(&F->seg[0], valx))
				continue;
			move_pieces(doc, B, blk, isval, bb, pl, np, cols[c], valx);
		}
	}
	/* A group's label in the first column, centred on a run of rows whose labels stand right of it. */
	for (bb = 0; bb < nb; bb++) {
		size_t b0 = bb, b1 = bb;
		double sum = 0, mid;

#define INNER(b) (doc->line[B[b].first].seg[0].x0 > left + 2 && is_label_seg(&doc->line[B[b].first].seg[0], valx))
		if (!INNER(bb))
			continue;
		while (b1 + 1 < nb && B[b1 + 1].page == B[bb].page && INNER(b1 + 1) &&
		    B[b1 + 1].y0 - B[b1].y1 < 3 * (doc->line[B[b1].last].y1 - doc->line[B[b1].last].y0))
			b1++;
		h = doc->line[B[bb].first].y1 - doc->line[B[bb].first].y0;
		np = 0;
		for (i = B[b0].first; i > 0 && doc->line[i - 1].page == B[bb].page &&
		    doc->line[i - 1].y0 >= B[b0].y0 - 1; i--)
			;
		for (; i < n && doc->line[i].page == B[bb].page && doc->line[i].y0 <= B[b1].y1 + 1; i++)
			if (doc->line[i].y0 >= B[b0].y0 - 1 && doc->line[i].y1 <= B[b1].y1 + 1 &&
			    has_label_at(&doc->line[i], left, valx)) {
				pl[np++] = i;
				sum += (doc->line[i].y0 + doc->line[i].y1) / 2;
			}
#undef INNER
		mid = (B[b0].y0 + B[b1].y1) / 2;
		if (np > 0 && fabs(sum / (double)np - mid) < 1.5 * h)
			move_pieces(doc, B, blk, isval, b0, pl, np, left, valx);
		bb = b1;
	}
	/* Drop the lines left without a segment. */
	for (k = w = 0; k < n; k++) {
		if (doc->line[k].nseg == 0) {
			free(doc->line[k].seg);
			continue;
		}
		doc->line[w++] = doc->line[k];
	}
	doc->nline = w;
	free(blk);
	free(pl);
	free(isval);
	free(B);
}

/*
 * 「4. 特定個人情報ファイルの取扱いの委託　　[ 〇 ] 委託しない」: a box on a
 * group's heading row (a spreadsheet's layout) is the group's checks item
 * that has it among its boxes.  Returns that item's node, entered, or NULL.
 */
static struct pia_imp_node *
box_item(struct chain *ch, const char *t)
{
	const struct pia_imp_node *top = ch->v[ch->n - 1];
	const struct pia_fnode *c;
	const char *close;
	char *lab;

	if (top->f->kind == PIA_F_ITEM)
		return NULL;
	if (t[0] == '[' && (close = strchr(t, ']')) != NULL)
		t = close + 1;
	else if (pia_imp_is_box(t)) {
		uint32_t cp;

		t += pia_utf8_decode(t, strlen(t), &cp);
	} else
		return NULL;
	lab = pia_strtrim(t);
	for (c = top->f->child; c != NULL; c = c->next)
		if (c->kind == PIA_F_ITEM && c->type == PIA_T_CHECKS && c->choices != NULL &&
		    pia_choices_find(c->choices, lab) >= 0)
			break;
	free(lab);
	return c != NULL ? enter(ch, ch->n - 1, c, 0) : NULL;
}

/* The header row of the 変更箇所 table: which column each title starts. */
static const char *const change_cols[] = {
	"変更日", "項目", "変更前の記載", "変更後の記載", "提出時期", "提出時期に係る説明", NULL
};

static int
is_change_header(const struct pia_imp_line *L)
{
	size_t i, k, hit = 0;

	for (i = 0; i < L->nseg; i++)
		for (k = 0; change_cols[k] != NULL; k++)
			if (strcmp(L->seg[i].text, change_cols[k]) == 0 ||
			    strcmp(L->seg[i].text, "ページ") == 0) {
				hit++;
				break;
			}
	return hit >= 4 && hit + 1 >= L->nseg;
}

/* Which column of the 変更箇所 table x falls in. */
static int
change_col(const struct pia_imp_place *P, double x0, double x1)
{
	int k, best = -1;
	double c = (x0 + x1) / 2, d, bd = 1e9;

	for (k = 0; k < P->nccols; k++) {
		if (x0 >= P->ccol_x0[k] - 2 && (k + 1 == P->nccols || x0 < P->ccol_x0[k + 1] - 2))
			return k;
		d = fabs(c - P->ccol_x0[k]);
		if (d < bd) {
			bd = d;
			best = k;
		}
	}
	return best;
}

static int
is_date_start(const char *s)
{
	return pia_startswith(s, "令和") || pia_startswith(s, "平成") ||
	    pia_startswith(s, "昭和") || (s[0] >= '0' && s[0] <= '9');
}

/* 「（別紙3）変更箇所（…）」 or 「（別添3-別紙3）変更箇所（…）」: 3, else 0. */
static unsigned
appendix_no(const char *s)
{
	const char *p, *close;

	if (!pia_startswith(s, "（") || (close = strstr(s, "）")) == NULL ||
	    strstr(close, "変更箇所") == NULL)
		return 0;
	if ((p = strstr(s, "別紙")) == NULL || p > close)
		return 0;
	p += strlen("別紙");
	if (*p < '0' || *p > '9')
		return 0;
	return (unsigned)strtoul(p, NULL, 10);
}

/* A line of a 別紙: its heading, 項目, 変更前の記載 and 変更後の記載 headings, or text. */
static int
appendix_line(struct pia_imp_place *P, const struct pia_imp_line *L)
{
	struct pia_imp_appx *a;
	unsigned no = fabs(L->seg[0].x0 - P->left) < 2 ? appendix_no(L->seg[0].text) : 0;
	size_t i;

	if (no > 0) {
		P->appx = xrealloc(P->appx, (P->nappx + 1) * sizeof(*P->appx));
		a = &P->appx[P->nappx++];
		a->no = no;
		a->item = pia_imp_node_new(NULL, NULL, 0);
		a->before = pia_imp_node_new(NULL, NULL, 0);
		a->after = pia_imp_node_new(NULL, NULL, 0);
		P->appx_to = NULL;
		return 1;
	}
	if (P->nappx == 0)
		return 0;
	a = &P->appx[P->nappx - 1];
	if (strcmp(L->seg[0].text, "項目") == 0) {
		/* A 別紙 of one date holds several items: each starts with its 項目. */
		if (a->item->nv > 0) {
			P->appx = xrealloc(P->appx, (P->nappx + 1) * sizeof(*P->appx));
			a = &P->appx[P->nappx++];
			a->no = P->appx[P->nappx - 2].no;
			a->item = pia_imp_node_new(NULL, NULL, 0);
			a->before = pia_imp_node_new(NULL, NULL, 0);
			a->after = pia_imp_node_new(NULL, NULL, 0);
		}
		for (i = 1; i < L->nseg; i++)
			pia_imp_add(a->item, L, &L->seg[i]);
		P->appx_to = a->item;
		return 1;
	}
	if (L->nseg == 1 && strcmp(L->seg[0].text, "変更前の記載") == 0) {
		P->appx_to = a->before;
		return 1;
	}
	if (L->nseg == 1 && strcmp(L->seg[0].text, "変更後の記載") == 0) {
		P->appx_to = a->after;
		return 1;
	}
	if (P->appx_to == NULL)
		return 0;
	for (i = 0; i < L->nseg; i++)
		pia_imp_add(P->appx_to, L, &L->seg[i]);
	return 1;
}

static void
change_line(struct pia_imp_place *P, const struct pia_imp_line *L)
{
	size_t i;
	int k;

	if (appendix_line(P, L))
		return;

	if (is_change_header(L)) {
		P->nccols = 0;
		for (i = 0; i < L->nseg && P->nccols < PIA_IMP_CCOLS; i++) {
			P->ccol_x0[P->nccols] = L->seg[i].x0;
			P->ccol_name[P->nccols] = change_cols[0];
			for (k = 0; change_cols[k] != NULL; k++)
				if (strcmp(L->seg[i].text, change_cols[k]) == 0)
					P->ccol_name[P->nccols] = change_cols[k];
			if (strcmp(L->seg[i].text, "ページ") == 0)
				P->ccol_name[P->nccols] = "ページ";
			P->nccols++;
		}
		/*
		 * Column titles are centred in their columns: from the table's
		 * left edge (the cells' padding left of the first text column),
		 * each column ends as far right of its title's centre as it
		 * starts left of it.
		 */
		{
			double b = (L->seg[0].x0 < P->left ? L->seg[0].x0 : P->left) - 3, c;

			for (k = 0; k < P->nccols; k++) {
				c = (L->seg[k].x0 + L->seg[k].x1) / 2;
				P->ccol_x0[k] = b;
				b = 2 * c - b;
			}
		}
		return;
	}
	if (P->nccols == 0) {
		pia_imp_unplaced(P, L, NULL);
		return;
	}
	/* A new row starts with its date in the first column. */
	if (change_col(P, L->seg[0].x0, L->seg[0].x1) == 0 && is_date_start(L->seg[0].text)) {
		P->rows = xrealloc(P->rows, (P->nrows + 1) * sizeof(*P->rows));
		P->rows[P->nrows] = xcalloc(PIA_IMP_CCOLS, sizeof(struct pia_imp_node *));
		for (k = 0; k < P->nccols; k++)
			P->rows[P->nrows][k] = pia_imp_node_new(NULL, NULL, 0);
		P->nrows++;
	}
	if (P->nrows == 0) {
		pia_imp_unplaced(P, L, NULL);
		return;
	}
	for (i = 0; i < L->nseg; i++) {
		k = change_col(P, L->seg[i].x0, L->seg[i].x1);
		if (k < 0)
			k = 0;
		pia_imp_add(P->rows[P->nrows - 1][k], L, &L->seg[i]);
	}
}

void
pia_imp_unplaced(struct pia_imp_place *P, const struct pia_imp_line *L, const struct pia_imp_seg *s)
{
	size_t i;

	if (s != NULL) {
		pia_imp_add(P->unplaced, L, s);
		return;
	}
	for (i = 0; i < L->nseg; i++)
		pia_imp_add(P->unplaced, L, &L->seg[i]);
}

/*
 * 「④記録される / 項目（続き）」 beside 「その妥当性（続き）」: an item's
 * label that wraps down the first column beside the nested label of one
 * of its sub-rows.  The label cells of L from segment s that name a
 * sub-row (or are only 「（続き）」) are entered, *n the node last entered;
 * returns the first segment after them.
 */
static size_t
sub_label(struct pia_imp_place *P, struct chain *ch, const struct pia_imp_line *L, size_t s,
    struct pia_imp_node **n)
{
	size_t depth;
	const struct pia_fnode *f;
	unsigned idx;

	while (s < L->nseg && is_label_seg(&L->seg[s], P->valx)) {
		char *u = pia_imp_norm(L->seg[s].text);
		int r = u[0] == '\0' ? 4 : find(ch, u, &depth, &f, &idx);

		free(u);
		if (r == 2 && f->kind == PIA_F_ITEM && (f->flags & PIA_FF_SUB))
			*n = enter(ch, depth, f, idx);
		else if (r != 4)
			break;
		s++;
	}
	return s;
}

/* Header row of items (評価書番号 | 評価書名): every segment names an item of one container. */
static int
header_row(struct pia_imp_place *P, struct chain *ch, const struct pia_imp_line *L)
{
	const struct pia_fnode *f[PIA_IMP_HDR];
	size_t i, depth = 0, d0 = 0;
	unsigned idx;
	char *t;
	int r;

	if (L->nseg < 2 || L->nseg > PIA_IMP_HDR)
		return 0;
	for (i = 0; i < L->nseg; i++) {
		t = pia_imp_norm(L->seg[i].text);
		r = find(ch, t, &depth, &f[i], &idx);
		free(t);
		if (r != 2 || f[i]->kind != PIA_F_ITEM || (i > 0 && depth != d0))
			return 0;
		d0 = depth;
	}
	for (i = 0; i < L->nseg; i++) {
		ch->n = d0 + 1;
		P->hdr[i] = child_of(ch->v[d0], f[i], 0);
		P->hdr_x[i] = (L->seg[i].x0 + L->seg[i].x1) / 2;
	}
	P->nhdr = L->nseg;
	return 1;
}

static void
hdr_values(struct pia_imp_place *P, const struct pia_imp_line *L)
{
	size_t i, j, k, best;
	double c, d, bd;

	/*
	 * Segments close together (a value cut at a space) are one value: its
	 * centre, not its pieces', says which header it stands under.
	 */
	for (i = 0; i < L->nseg; i = j) {
		double h = L->y1 - L->y0;

		for (j = i + 1; j < L->nseg && L->seg[j].x0 - L->seg[j - 1].x1 < 2 * h; j++)
			;
		c = (L->seg[i].x0 + L->seg[j - 1].x1) / 2;
		best = 0;
		bd = 1e9;
		for (k = 0; k < P->nhdr; k++)
			if ((d = fabs(P->hdr_x[k] - c)) < bd) {
				bd = d;
				best = k;
			}
		for (k = i; k < j; k++)
			pia_imp_add(P->hdr[best], L, &L->seg[k]);
	}
}

void
pia_imp_place(struct pia_imp_place *P, const struct pia_form *F, const struct pia_imp_doc *doc)
{
	struct chain ch;
	struct pia_buf pend = { 0 }, glab = { 0 };
	const struct pia_imp_line *pl[8];
	size_t npl = 0, plab[8];
	size_t i, s, depth, nlab;
	const struct pia_fnode *f;
	unsigned idx;
	char *t, *stamp, *title, *lab2 = NULL;
	int r, toc = 0;

	P->root = pia_imp_node_new(NULL, F->root, 0);
	P->unplaced = pia_imp_node_new(NULL, NULL, 0);
	ch.v[0] = P->root;
	ch.n = 1;
	/* The cover's items come first, before any section heading. */
	for (f = F->root->child; f != NULL; f = f->next)
		if (f->kind == PIA_F_COVER)
			ch.v[ch.n++] = child_of(P->root, f, 0);
	P->left = left_edge(doc);
	P->valx = value_edge(doc, P->left);
	stamp = pia_imp_norm(F->stamp);
	title = pia_imp_norm(F->title);
	for (i = 0; i < doc->nline; i++) {
		const struct pia_imp_line *L = &doc->line[i];
		struct pia_imp_node *item;
		int at_left = fabs(L->seg[0].x0 - P->left) < 2 ||
		    (!P->in_changes && L->seg[0].x0 > P->left && L->seg[0].x0 < P->valx - 2);

		/* The cover's 項目一覧 names the sections: not headings. */
		if (L->page == 1 && L->nseg == 1 && strcmp(L->seg[0].text, "項目一覧") == 0) {
			toc = 1;
			continue;
		}
		if (toc && L->page == 1)
			continue;
		/* The 様式's stamp and title on the cover: the form's own text. */
		if (L->page == 1 && L->nseg == 1) {
			char *n = pia_imp_norm(L->seg[0].text);
			int own = strcmp(n, stamp) == 0 || strcmp(n, title) == 0;

			free(n);
			if (own)
				continue;
		}
		s = 0;
		/* 「評価書番号 | 評価書名」: a row of labels whose values stand under them. */
		if (npl == 0 && !P->in_changes && header_row(P, &ch, L))
			continue;
		/* A wrapped label is waiting: a line with no label cell is held with it. */
		if (npl > 0 && !at_left && npl < 8) {
			plab[npl] = 0;
			pl[npl++] = L;
			continue;
		}
		/*
		 * 「（続き）」 alone in the label column (a label repeated on the
		 * next page, its text on the line before): the chain goes on.
		 */
		if (npl == 0 && !P->in_changes && at_left) {
			size_t k;

			for (k = 0; k < L->nseg && is_label_seg(&L->seg[k], P->valx); k++) {
				char *u = pia_imp_norm(L->seg[k].text);
				int mark = u[0] == '\0';

				free(u);
				if (!mark)
					break;
			}
			if (k > 0 && (k == L->nseg || !is_label_seg(&L->seg[k], P->valx))) {
				s = k;
				goto values;
			}
		}
		/*
		 * A group's label running down the first column beside its items'
		 * labels (「委託先による / 特定個人情報 / の不正入手・…」): its
		 * pieces are the form's text; the item label beside each is read.
		 */
		if (npl == 0 && !P->in_changes && fabs(L->seg[0].x0 - P->left) < 2) {
			char *t0 = pia_imp_norm(L->seg[0].text), *tg = xasprintf("%s%s", glab.data ? glab.data : "", t0);
			size_t dd;
			const struct pia_fnode *gg, *ff;
			char *rest2 = NULL;
			int cont = glab.len > 0 && group_title(&ch, tg) > 0, r0;

			r0 = find(&ch, t0, &dd, &ff, &idx);
			if (!cont && r0 != 2 && L->nseg > 1 && L->seg[1].x0 < P->valx - 2) {
				char *t1 = pia_imp_norm(L->seg[1].text);

				if (group_title(&ch, t0) == 1 && find(&ch, t1, &dd, &ff, &idx) == 2 &&
				    ff->kind == PIA_F_ITEM) {
					/* The group's label again on a later page, beside its item's 「（続き）」. */
					enter(&ch, dd, ff, idx);
					P->nhdr = 0;
					pia_buf_free(&glab);
					pia_buf_puts(&glab, t0);
					free(lab2);
					lab2 = NULL;
					s = 2;
				} else if (find(&ch, t1, &dd, &ff, &idx) != 2 && find_deep(&ch, t1, &dd, &gg, &ff)) {
					enter(&ch, dd, gg, 0);
					enter(&ch, ch.n - 1, ff, 0);
					P->nhdr = 0;
					pia_buf_free(&glab);
					pia_buf_puts(&glab, t0);
					s = 2;
				} else if (find(&ch, t1, &dd, &ff, &idx) != 2 &&
				    find_start(&ch, t1, &dd, &gg, &ff, &rest2)) {
					if (gg != NULL)
						enter(&ch, dd, gg, 0);
					enter(&ch, gg != NULL ? ch.n - 1 : dd, ff, 0);
					P->nhdr = 0;
					pia_buf_free(&glab);
					pia_buf_puts(&glab, t0);
					free(lab2);
					lab2 = rest2;
					s = 2;
				}
				free(t1);
			} else if (cont) {
				pia_buf_puts(&glab, t0);
				s = 1;
				/* The group's label done: the chain is in it already. */
				if (group_title(&ch, tg) == 2)
					pia_buf_free(&glab);
				/* An item label beside it: the rest of one that wraps, or the next. */
				if (L->nseg > 1 && L->seg[1].x0 < P->valx - 2) {
					char *t1 = pia_imp_norm(L->seg[1].text);

					if (t1[0] == '\0')
						s = 2;	/* the item's 「（続き）」 */
					else if (lab2 != NULL && pia_startswith(lab2, t1)) {
						memmove(lab2, lab2 + strlen(t1), strlen(lab2 + strlen(t1)) + 1);
						s = 2;
					} else if (find(&ch, t1, &dd, &ff, &idx) == 2) {
						enter(&ch, dd, ff, idx);
						s = 2;
						free(lab2);
						lab2 = NULL;
					} else if (find_start(&ch, t1, &dd, &gg, &ff, &rest2)) {
						if (gg != NULL)
							enter(&ch, dd, gg, 0);
						enter(&ch, gg != NULL ? ch.n - 1 : dd, ff, 0);
						free(lab2);
						lab2 = rest2;
						s = 2;
					}
					free(t1);
				}
			} else if (r0 == 2 || glab.len > 0)
				pia_buf_free(&glab);
			free(t0);
			free(tg);
			if (s > 0)
				goto values;
		}
		if (at_left || npl > 0) {
			t = pia_imp_norm(L->seg[0].text);
			if (npl > 0 && at_left) {
				char *j = xasprintf("%s%s", pend.data, t);

				free(t);
				t = j;
			}
			r = find(&ch, t, &depth, &f, &idx);
			nlab = 1;
			/* 「1.」 and its title cut apart at a column: the two together. */
			while (r != 2 && nlab < L->nseg && nlab < 3) {
				char *j = pia_imp_norm(L->seg[nlab].text), *tt = xasprintf("%s%s", t, j);
				size_t d2;
				const struct pia_fnode *f2;
				unsigned i2;

				free(j);
				nlab++;
				if (find(&ch, tt, &d2, &f2, &i2) == 2) {
					free(t);
					t = tt;
					r = 2;
					depth = d2;
					f = f2;
					idx = i2;
					break;
				}
				free(tt);
			}
			if (r != 2)
				nlab = 1;
			/* In the 変更箇所 table only a heading of the form's top level ends it. */
			if (P->in_changes && r >= 2 && depth > 0)
				r = 0;
			if (r == 3) {
				/* A row of entries 「提供先2～5」: its cells are the form's, empty. */
				ch.n = depth + 1;
				P->nhdr = 0;
				s = 1;
				r = 2;
				f = NULL;
			}
			if (r == 2 && f != NULL) {
				/* A wrapped label's earlier lines brought value text along. */
				struct pia_imp_node *n = enter(&ch, depth, f, idx);
				size_t k, m;

				P->nhdr = 0;
				P->in_changes = f->kind == PIA_F_CHANGES;
				for (k = 0; k < npl; k++) {
					m = plab[k];
					if (plab[k] > 0)
						m = sub_label(P, &ch, pl[k], m, &n);
					for (; m < pl[k]->nseg; m++)
						pia_imp_add(n, pl[k], &pl[k]->seg[m]);
				}
				npl = 0;
				pia_buf_free(&pend);
				s = nlab;
				/* A label's 「※」 cut off at a column (「…による情報連携」 「※」): the label's. */
				while (s < L->nseg && pia_imp_is_mark_only(L->seg[s].text))
					s++;
				if (f->kind == PIA_F_ITEM) {
					s = sub_label(P, &ch, L, s, &n);
					f = n->f;
				}
				/* 「委託事項1　国民健康保険システムの運用保守業務」: the entry's title item. */
				if (idx > 0 && s < L->nseg && f->kind != PIA_F_ITEM) {
					const struct pia_fnode *c;

					for (c = f->child; c != NULL; c = c->next)
						if (c->flags & PIA_FF_TITLE)
							break;
					if (c != NULL) {
						n = enter(&ch, ch.n - 1, c, 0);
						f = c;
					}
				}
				/*
				 * 「(1) 住民基本台帳ファイル」 heading an annex (（別添2） 記録項目):
				 * the entry's title item holds the name after the number.
				 */
				if (idx > 0 && s == L->nseg && f->kind == PIA_F_ANNEX) {
					const struct pia_fnode *c;
					const char *q = strchr(L->seg[0].text, ')');

					if (q == NULL && (q = strstr(L->seg[0].text, "）")) != NULL)
						q += strlen("）") - 1;
					for (c = f->child; c != NULL; c = c->next)
						if (c->flags & PIA_FF_TITLE)
							break;
					if (c != NULL && q != NULL) {
						struct pia_imp_seg name = L->seg[0];
						char *nm;

						q++;
						while (*q == ' ')
							q++;
						nm = xstrdup(q);
						name.text = nm;
						if (*nm)
							pia_imp_add(child_of(n, c, 0), L, &name);
						free(nm);
					}
				}
				/* 「再委託」 then 「④再委託の有無 ※」: a nested label cell on the same line. */
				while (s < L->nseg && L->seg[s].x0 < P->valx - 2 && f->kind != PIA_F_ITEM) {
					char *u = pia_imp_norm(L->seg[s].text);

					r = find(&ch, u, &depth, &f, &idx);
					free(u);
					if (r != 2)
						break;
					n = enter(&ch, depth, f, idx);
					s++;
				}
				r = 2;
			} else if (r == 2) {
				npl = 0;
				pia_buf_free(&pend);
			} else if ((r = find(&ch, t, &depth, &f, &idx)) == 1 && at_left && npl < 8 && !P->in_changes) {
				pia_buf_free(&pend);
				pia_buf_puts(&pend, t);
				plab[npl] = 1;
				pl[npl++] = L;
				free(t);
				continue;
			} else if (npl > 0) {
				/* Not a label after all: the held lines are text. */
				size_t k, m;

				item = current_item(&ch);
				for (k = 0; k < npl; k++)
					for (m = 0; m < pl[k]->nseg; m++) {
						if (item)
							pia_imp_add(item, pl[k], &pl[k]->seg[m]);
						else
							pia_imp_unplaced(P, pl[k], &pl[k]->seg[m]);
					}
				npl = 0;
				pia_buf_free(&pend);
			}
			free(t);
		}
		if (s == 0 && P->in_changes) {
			change_line(P, L);
			continue;
		}
		if (s == 0 && P->nhdr > 0) {
			hdr_values(P, L);
			continue;
		}
values:
		item = current_item(&ch);
		/* Text right under an annex's heading: its one item without a printed label (記録項目). */
		if (item == NULL && s < L->nseg && ch.n > 1 && ch.v[ch.n - 1]->f->kind == PIA_F_ANNEX) {
			const struct pia_fnode *c;

			for (c = ch.v[ch.n - 1]->f->child; c != NULL; c = c->next)
				if (c->kind == PIA_F_ITEM && !(c->flags & PIA_FF_TITLE))
					break;
			if (c != NULL)
				item = enter(&ch, ch.n - 1, c, 0);
		}
		for (; s < L->nseg; s++) {
			if (item == NULL)
				item = box_item(&ch, L->seg[s].text);
			if (item)
				add_value(item, L, &L->seg[s]);
			else
				pia_imp_unplaced(P, L, &L->seg[s]);
		}
	}
	for (i = 0; i < npl; i++)
		pia_imp_unplaced(P, pl[i], NULL);
	pia_buf_free(&pend);
	pia_buf_free(&glab);
	free(lab2);
	free(stamp);
	free(title);
}

void
pia_imp_place_free(struct pia_imp_place *P)
{
	size_t i;
	int k;

	pia_imp_node_free(P->root);
	pia_imp_node_free(P->unplaced);
	for (i = 0; i < P->nrows; i++) {
		for (k = 0; k < PIA_IMP_CCOLS; k++)
			pia_imp_node_free(P->rows[i][k]);
		free(P->rows[i]);
	}
	free(P->rows);
	for (i = 0; i < P->nappx; i++) {
		pia_imp_node_free(P->appx[i].item);
		pia_imp_node_free(P->appx[i].before);
		pia_imp_node_free(P->appx[i].after);
	}
	free(P->appx);
	memset(P, 0, sizeof(*P));
}
