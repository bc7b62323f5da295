/*
 * Two versions of a report → 変更箇所 rows (domain.md §4.4): walk both
 * models together, node by node in the form's order, matching children by
 * their form keys (so two versions of a 様式 can be compared).  Entries of
 * a repeat are not matched by number: pia_align() pairs old and new entries
 * by their title item and by how many of their items are equal, so an
 * inserted or deleted entry is one row and the entries that moved get one
 * renumbering row (「移転先4から移転先6までをそれぞれ移転先5から移転先7とする」)
 * instead of a chain of false changes.  As lowdown's diff marks its tree,
 * every row points at the nodes it compares, and Markdown rows hold their
 * blocks marked same, deleted or inserted, for the redline renderers.
 */
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "changes_int.h"
#include "form.h"
#include "model.h"
#include "util.h"

struct dctx {
	struct pia_chlist	*out;
	/* The innermost pair of nodes compared: paths of old-only nodes are rebased on it. */
	const struct pia_node	*anchor_old, *anchor_cur;
};

static void	pair_children(struct dctx *, const struct pia_node *, const struct pia_node *);

static struct pia_chrow *
row_new(struct dctx *C, enum pia_chkind kind)
{
	struct pia_chlist *L = C->out;
	struct pia_chrow *r;

	L->v = xrealloc(L->v, (L->n + 1) * sizeof(*L->v));
	r = &L->v[L->n++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	return r;
}

/* "2." → "2" (as pia_node_path prints numbers). */
static void
put_no(struct pia_buf *b, const char *no)
{
	size_t len = strlen(no);

	if (len > 1 && no[len - 1] == '.')
		len--;
	pia_buf_put(b, no, len);
}

/* The name of entry index of repeat f: "移転先4", or "Ⅱ(2)" for a per-file section. */
static char *
entry_name(const struct pia_fnode *f, unsigned index)
{
	struct pia_buf b = { 0 };
	const char *p;

	if (f->flags & PIA_FF_PERFILE)
		put_no(&b, f->no ? f->no : f->label);
	for (p = f->entry ? f->entry : "{n}"; *p; p++) {
		if (p[0] == '{' && p[1] == 'n' && p[2] == '}') {
			pia_buf_printf(&b, "%u", index);
			p += 2;
		} else
			pia_buf_putc(&b, *p);
	}
	return pia_buf_take(&b);
}

/* The value of an entry's title item (委託事項名, 移転先名, ファイル名), or NULL. */
static const char *
entry_title(const struct pia_node *e)
{
	const struct pia_node *c;

	for (c = e->child; c != NULL; c = c->next)
		if ((c->f->flags & PIA_FF_TITLE) && c->f->kind == PIA_F_ITEM &&
		    c->text != NULL && c->text[0] != '\0')
			return c->text;
	return NULL;
}

/* One part of a long label path. */
static void
label_part(struct pia_buf *b, const struct pia_node *n)
{
	const struct pia_fnode *f = n->f;
	const char *title;
	char *t;

	if (f->kind == PIA_F_COVER) {
		pia_buf_puts(b, f->label);
		return;
	}
	if (n->index > 0) {
		if (f->no != NULL) {
			t = pia_fnode_title(f);
			pia_buf_printf(b, "%s ", t);
			free(t);
		}
		t = pia_node_title(n);
		pia_buf_puts(b, t);
		free(t);
		/* A per-file title already carries the file's name. */
		if (!(f->flags & PIA_FF_PERFILE) && (title = entry_title(n)) != NULL)
			pia_buf_printf(b, " %s", title);
		return;
	}
	t = pia_fnode_title(f);
	pia_buf_puts(b, t);
	free(t);
}

/* "Ⅱ 特定個人情報ファイルの概要 (1) 国民健康保険資格・給付ファイル - 4. … - 委託事項2 … - ③委託先名" */
static char *
label_path(const struct pia_node *n)
{
	const struct pia_node *v[64];
	struct pia_buf b = { 0 };
	size_t depth = 0, i;

	for (; n != NULL && n->f->kind != PIA_F_FORM && depth < 64; n = n->parent)
		v[depth++] = n;
	pia_buf_puts(&b, "");
	for (i = depth; i > 0; i--) {
		if (i < depth)
			pia_buf_puts(&b, " - ");
		label_part(&b, v[i - 1]);
	}
	return pia_buf_take(&b);
}

/*
 * The path of a node of the old version as the new version numbers its
 * surroundings: the old anchor's path replaced by the new anchor's.
 */
static char *
rebased_path(const struct dctx *C, const struct pia_node *o)
{
	char *p = pia_node_path(o), *po, *pc, *r;
	size_t n;

	if (C->anchor_old == NULL || C->anchor_cur == NULL)
		return p;
	po = pia_node_path(C->anchor_old);
	pc = pia_node_path(C->anchor_cur);
	n = strlen(po);
	if (strncmp(p, po, n) == 0 && (p[n] == '-' || p[n] == '\0' || n == 0)) {
		r = xasprintf("%s%s%s", pc, n == 0 && pc[0] && p[0] ? "-" : "", p + n);
		free(p);
		p = r;
	}
	free(po);
	free(pc);
	return p;
}

/* Markdown: the units of both versions equal, text by text? */
static int
md_same(const struct pia_mdunit *a, size_t na, const struct pia_mdunit *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (strcmp(a[i].text, b[i].text) != 0)
			return 0;
	return 1;
}

struct uctx {
	const struct pia_mdunit	*a, *b;
};

static long
unit_score(const void *ctx, size_t i, size_t j)
{
	const struct uctx *U = ctx;

	return strcmp(U->a[i].text, U->b[j].text) == 0;
}

static void
block_add(struct pia_chrow *r, enum pia_chop op, const struct pia_mdunit *u)
{
	struct pia_buf b = { 0 };

	pia_mdunits_print(&b, u, 1);
	r->blocks = xrealloc(r->blocks, (r->nblocks + 1) * sizeof(*r->blocks));
	r->blocks[r->nblocks].op = op;
	r->blocks[r->nblocks].node = u->node;
	r->blocks[r->nblocks].text = pia_buf_take(&b);
	r->nblocks++;
}

/*
 * The old index paired with each new element (-1: none), and for each new
 * element the old elements to drop before it: those before its pair, or,
 * for an unpaired one, before the next pair (deletions come first).
 */
static long *
inverse(const long *pair, size_t na, size_t nb)
{
	long *inv = xcalloc(nb + 1, sizeof(*inv));
	size_t i, j;

	for (j = 0; j < nb; j++)
		inv[j] = -1;
	for (i = 0; i < na; i++)
		if (pair[i] >= 0)
			inv[pair[i]] = (long)i;
	return inv;
}

static size_t
next_pair(const long *inv, size_t j, size_t nb, size_t na)
{
	for (; j < nb; j++)
		if (inv[j] >= 0)
			return (size_t)inv[j];
	return na;
}

/* The blocks of both versions in order, paired by equal text (an LCS). */
static void
md_blocks(struct pia_chrow *r, const struct pia_mdunit *a, size_t na,
    const struct pia_mdunit *b, size_t nb)
{
	struct uctx U = { a, b };
	long *pair = xcalloc(na + 1, sizeof(*pair)), *inv;
	size_t i = 0, j, lim;

	pia_align(na, nb, unit_score, &U, pair);
	inv = inverse(pair, na, nb);
	for (j = 0; j < nb; j++) {
		lim = next_pair(inv, j, nb, na);
		for (; i < lim; i++)
			block_add(r, PIA_CHOP_DEL, &a[i]);
		if (inv[j] < 0)
			block_add(r, PIA_CHOP_INS, &b[j]);
		else {
			block_add(r, PIA_CHOP_SAME, &b[j]);
			i++;
		}
	}
	for (; i < na; i++)
		block_add(r, PIA_CHOP_DEL, &a[i]);
	free(inv);
	free(pair);
}

/* Compare one item of both versions (either may be NULL); a row when its value changed. */
static void
cmp_item(struct dctx *C, const struct pia_node *o, const struct pia_node *n)
{
	const struct pia_fnode *f = n ? n->f : o->f;
	struct pia_mdunit *ua = NULL, *ub = NULL;
	size_t na = 0, nb = 0;
	char *bt, *at;
	int same;
	struct pia_chrow *r;

	/* 公表日 changes with every version; change lists do not show it. */
	if (f->flags & PIA_FF_PUBLISHED)
		return;
	bt = pia_changes_text(o);
	at = pia_changes_text(n);
	/* Markdown: paragraphs and list items, not the file; a reflowed line is no change. */
	if (f->type == PIA_T_MARKDOWN && o != NULL && o->md != NULL)
		na = pia_mdunits(o->md, &ua);
	if (f->type == PIA_T_MARKDOWN && n != NULL && n->md != NULL)
		nb = pia_mdunits(n->md, &ub);
	if (ua != NULL && ub != NULL)
		same = md_same(ua, na, ub, nb);
	else
		same = strcmp(bt, at) == 0;
	if (same) {
		pia_mdunits_free(ua, na);
		pia_mdunits_free(ub, nb);
		free(bt);
		free(at);
		return;
	}
	r = row_new(C, PIA_CH_CHANGE);
	r->item = n ? pia_node_path(n) : rebased_path(C, o);
	r->label = label_path(n ? n : o);
	if (bt[0] == '\0') {
		free(bt);
		bt = xstrdup(PIA_CH_EMPTY);
	}
	if (at[0] == '\0') {
		free(at);
		at = xstrdup(PIA_CH_EMPTY);
	}
	r->before = bt;
	r->after = at;
	r->marked = pia_fnode_marked(f);
	r->f = f;
	r->old = o;
	r->cur = n;
	if (ua != NULL || ub != NULL)
		md_blocks(r, ua, na, ub, nb);
	pia_mdunits_free(ua, na);
	pia_mdunits_free(ub, nb);
}

/* Every item below n in order, with f the form node of their entry. */
static void
entry_lines(struct pia_buf *b, const struct pia_node *e, const struct pia_node *n)
{
	const struct pia_node *c;
	char *t, *title;

	for (c = n->child; c != NULL; c = c->next) {
		if (c->f->kind != PIA_F_ITEM) {
			entry_lines(b, e, c);
			continue;
		}
		t = pia_changes_text(c);
		if (t[0] != '\0') {
			if (b->len > 0)
				pia_buf_putc(b, '\n');
			if ((c->f->flags & PIA_FF_TITLE) && c->parent == e)
				pia_buf_puts(b, t);
			else {
				const struct pia_node *p;
				/* Nested entries are named: "委託事項1 ①委託内容 …". */
				for (p = c->parent; p != e; p = p->parent)
					if (p->index > 0) {
						char *en = entry_name(p->f, p->index);
						pia_buf_printf(b, "%s ", en);
						free(en);
					}
				title = pia_fnode_title(c->f);
				pia_buf_printf(b, "%s %s", title, t);
				free(title);
			}
		}
		free(t);
	}
}

/* The whole content of an entry, its title first: the text of an insertion or deletion row. */
static char *
entry_text(const struct pia_node *e)
{
	struct pia_buf b = { 0 };

	entry_lines(&b, e, e);
	if (b.len == 0)
		pia_buf_puts(&b, PIA_CH_EMPTY);
	return pia_buf_take(&b);
}

/*
 * Rows of their own for the items with a value below an added or removed
 * entry (only the ※ ones when marked_only), each with why as its 理由.
 */
static void
item_rows(struct dctx *C, const struct pia_node *n, int deleted, int marked_only, const char *why)
{
	const struct pia_node *c;
	size_t before;

	for (c = n->child; c != NULL; c = c->next) {
		if (c->f->kind != PIA_F_ITEM) {
			item_rows(C, c, deleted, marked_only, why);
			continue;
		}
		if (!pia_node_filled(c) || (marked_only && !pia_fnode_marked(c->f)))
			continue;
		before = C->out->n;
		cmp_item(C, deleted ? c : NULL, deleted ? NULL : c);
		if (C->out->n > before && why != NULL)
			C->out->v[C->out->n - 1].why = xstrdup(why);
	}
}

/*
 * An added or removed entry.  A per-file section (Ⅱ(2), Ⅲ(2)) is a whole
 * part of the report: one row per item, as change lists show a new file.
 * Any other entry (委託事項, 移転先) is one row with its whole content, and
 * its ※ items with a value get rows of their own unless the entry is ※.
 */
static void
entry_row(struct dctx *C, const struct pia_node *e, int deleted)
{
	struct pia_chrow *r;
	char *name = entry_name(e->f, e->index);
	char *why = xasprintf("%sの%s", name, deleted ? "削除" : "追加");

	free(name);
	if (e->f->flags & PIA_FF_PERFILE) {
		item_rows(C, e, deleted, 0, why);
		free(why);
		return;
	}
	r = row_new(C, deleted ? PIA_CH_DELETE : PIA_CH_INSERT);
	r->item = deleted ? rebased_path(C, e) : pia_node_path(e);
	r->label = label_path(e);
	r->before = deleted ? entry_text(e) : xstrdup(PIA_CH_EMPTY);
	r->after = deleted ? xstrdup(PIA_CH_EMPTY) : entry_text(e);
	r->marked = pia_fnode_marked(e->f);
	r->f = e->f;
	r->old = deleted ? e : NULL;
	r->cur = deleted ? NULL : e;
	r->why = why;
	if (!r->marked)
		item_rows(C, e, deleted, 1, NULL);
}

/* Entry similarity: items with a value in either entry, and how many are equal. */
static void
count_items(const struct pia_node *o, const struct pia_node *n, size_t *eq, size_t *tot)
{
	const struct pia_node *c, *oc;
	char *a, *b;

	for (c = n->child; c != NULL; c = c->next) {
		/* Nested repeats are compared entry by entry, by number. */
		for (oc = o->child; oc != NULL; oc = oc->next)
			if (strcmp(oc->f->key, c->f->key) == 0 && oc->index == c->index)
				break;
		if (c->f->kind != PIA_F_ITEM) {
			if (oc != NULL)
				count_items(oc, c, eq, tot);
			continue;
		}
		a = pia_changes_text(oc);
		b = pia_changes_text(c);
		if (a[0] != '\0' || b[0] != '\0') {
			(*tot)++;
			if (strcmp(a, b) == 0)
				(*eq)++;
		}
		free(a);
		free(b);
	}
}

struct ectx {
	const struct pia_node	**olds, **news;
};

/*
 * Entries pair when their titles are equal (and not empty) or when at
 * least half of their items are equal; among possible pairings the one
 * with equal titles and most equal items wins.
 */
static long
entry_score(const void *ctx, size_t i, size_t j)
{
	const struct ectx *E = ctx;
	const char *ta = entry_title(E->olds[i]), *tb = entry_title(E->news[j]);
	int title = ta != NULL && tb != NULL && strcmp(ta, tb) == 0;
	size_t eq = 0, tot = 0;

	count_items(E->olds[i], E->news[j], &eq, &tot);
	if (tot == 0)
		return 1 + 1000 * title;
	if (!title && eq * 2 < tot)
		return 0;
	return 1 + 1000 * title + (long)(1000 * eq / tot);
}

/* "Ⅱ(1)-5-移転先": the repeat itself, under the path of its parent. */
static char *
repeat_path(const struct pia_node *parent, const struct pia_fnode *f)
{
	struct pia_buf b = { 0 };
	char *p = pia_node_path(parent);

	pia_buf_puts(&b, p);
	if (p[0] != '\0')
		pia_buf_putc(&b, '-');
	put_no(&b, f->no ? f->no : f->label);
	free(p);
	return pia_buf_take(&b);
}

/* One line of a renumbering row: "移転先4 健康福祉部障害福祉課". */
static void
renumber_line(struct pia_buf *b, const struct pia_node *e)
{
	char *name = entry_name(e->f, e->index);
	const char *title = entry_title(e);

	if (b->len > 0)
		pia_buf_putc(b, '\n');
	pia_buf_puts(b, name);
	if (title != NULL)
		pia_buf_printf(b, " %s", title);
	free(name);
}

/*
 * 「移転先4から移転先6までをそれぞれ移転先5から移転先7とし、移転先9を
 * 移転先8とする」: runs of consecutive entries that moved by the same step.
 */
static char *
renumber_prose(const struct pia_node **from, const struct pia_node **to, size_t n)
{
	struct pia_buf b = { 0 };
	size_t i, j;

	for (i = 0; i < n; i = j) {
		char *o1, *o2, *n1, *n2;
		for (j = i + 1; j < n && from[j]->index == from[j - 1]->index + 1 &&
		    to[j]->index - from[j]->index == to[i]->index - from[i]->index; j++)
			;
		if (i > 0)
			pia_buf_puts(&b, "し、");
		o1 = entry_name(from[i]->f, from[i]->index);
		n1 = entry_name(to[i]->f, to[i]->index);
		if (j - i == 1)
			pia_buf_printf(&b, "%sを%sと", o1, n1);
		else {
			o2 = entry_name(from[j - 1]->f, from[j - 1]->index);
			n2 = entry_name(to[j - 1]->f, to[j - 1]->index);
			pia_buf_printf(&b, "%sから%sまでをそれぞれ%sから%sと", o1, o2, n1, n2);
			free(o2);
			free(n2);
		}
		free(o1);
		free(n1);
	}
	pia_buf_puts(&b, "する");
	return pia_buf_take(&b);
}

static void
renumber_row(struct dctx *C, const struct pia_node *po, const struct pia_node *pn,
    const struct pia_fnode *f, const struct pia_node **from, const struct pia_node **to, size_t n)
{
	struct pia_chrow *r = row_new(C, PIA_CH_RENUMBER);
	struct pia_buf b = { 0 }, a = { 0 };
	char *lp, *ft;
	size_t i;

	for (i = 0; i < n; i++) {
		renumber_line(&b, from[i]);
		renumber_line(&a, to[i]);
	}
	r->item = repeat_path(pn, f);
	lp = label_path(pn);
	ft = pia_fnode_title(f);
	r->label = lp[0] ? xasprintf("%s - %s", lp, ft) : xstrdup(ft);
	free(lp);
	free(ft);
	r->before = pia_buf_take(&b);
	r->after = pia_buf_take(&a);
	r->marked = pia_fnode_marked(f);
	r->f = f;
	r->old = po;
	r->cur = pn;
	r->why = renumber_prose(from, to, n);
}

/* The entries of one repeat in both versions: aligned, then compared pair by pair. */
static void
cmp_repeat(struct dctx *C, const struct pia_node *po, const struct pia_node *pn,
    const struct pia_fnode *f, const struct pia_node **olds, size_t no,
    const struct pia_node **news, size_t nn)
{
	struct ectx E = { olds, news };
	long *pair = xcalloc(no + 1, sizeof(*pair)), *inv;
	const struct pia_node **from = xcalloc(nn + 1, sizeof(*from));
	const struct pia_node **to = xcalloc(nn + 1, sizeof(*to));
	size_t i = 0, j, k, lim, moved = 0;

	pia_align(no, nn, entry_score, &E, pair);
	inv = inverse(pair, no, nn);
	for (j = 0; j < nn; j++) {
		lim = next_pair(inv, j, nn, no);
		for (; i < lim; i++)
			entry_row(C, olds[i], 1);
		if (inv[j] < 0) {
			entry_row(C, news[j], 0);
			continue;
		}
		k = (size_t)inv[j];
		i = k + 1;
		if (olds[k]->index != news[j]->index) {
			from[moved] = olds[k];
			to[moved++] = news[j];
		}
		pair_children(C, olds[k], news[j]);
	}
	for (; i < no; i++)
		entry_row(C, olds[i], 1);
	if (moved > 0 && pn != NULL)
		renumber_row(C, po, pn, f, from, to, moved);
	free(inv);
	free(to);
	free(from);
	free(pair);
}

/* The children of parent built from form nodes with key (several for a repeat). */
static size_t
by_key(const struct pia_node *parent, const char *key, const struct pia_node ***out)
{
	const struct pia_node *c;
	size_t n = 0;

	*out = NULL;
	for (c = parent ? parent->child : NULL; c != NULL; c = c->next)
		if (strcmp(c->f->key, key) == 0) {
			*out = xrealloc(*out, (n + 1) * sizeof(**out));
			(*out)[n++] = c;
		}
	return n;
}

static void
pair_key(struct dctx *C, const struct pia_node *o, const struct pia_node *n,
    const struct pia_fnode *fc)
{
	const struct pia_node **olds, **news;
	size_t no, nn;

	if (fc->kind == PIA_F_CHANGES)
		return;
	no = by_key(o, fc->key, &olds);
	nn = by_key(n, fc->key, &news);
	if (fc->flags & PIA_FF_REPEAT)
		cmp_repeat(C, o, n, fc, olds, no, news, nn);
	else if (no > 0 || nn > 0) {
		const struct pia_node *oc = no ? olds[0] : NULL, *nc = nn ? news[0] : NULL;
		if (fc->kind == PIA_F_ITEM)
			cmp_item(C, oc, nc);
		else
			pair_children(C, oc, nc);
	}
	free(olds);
	free(news);
}

/* Compare the children of two nodes of the same form key (either may be NULL). */
static void
pair_children(struct dctx *C, const struct pia_node *o, const struct pia_node *n)
{
	const struct pia_node *ao = C->anchor_old, *an = C->anchor_cur;
	const struct pia_fnode *fc;

	if (o != NULL && n != NULL) {
		C->anchor_old = o;
		C->anchor_cur = n;
	}
	for (fc = (n ? n->f : o->f)->child; fc != NULL; fc = fc->next)
		pair_key(C, o, n, fc);
	/* Items the old version's form had and the new one has not. */
	if (o != NULL && n != NULL)
		for (fc = o->f->child; fc != NULL; fc = fc->next)
			if (pia_fnode_child(n->f, fc->key) == NULL)
				pair_key(C, o, NULL, fc);
	C->anchor_old = ao;
	C->anchor_cur = an;
}

struct pia_chlist *
pia_changes_diff(const struct pia_report *old, const struct pia_report *cur)
{
	struct dctx C;
	struct pia_formal *fl;
	size_t i;

	if (old->form == NULL || cur->form == NULL || strcmp(old->form->name, cur->form->name) != 0)
		return NULL;
	memset(&C, 0, sizeof(C));
	C.out = xcalloc(1, sizeof(*C.out));
	pair_children(&C, old->root, cur->root);
	fl = pia_formal_load();
	for (i = 0; i < C.out->n; i++)
		pia_changes_propose(fl, &C.out->v[i]);
	pia_formal_free(fl);
	return C.out;
}

void
pia_changes_free(struct pia_chlist *L)
{
	size_t i, j;

	if (L == NULL)
		return;
	for (i = 0; i < L->n; i++) {
		struct pia_chrow *r = &L->v[i];
		free(r->item);
		free(r->label);
		free(r->before);
		free(r->after);
		free(r->why);
		for (j = 0; j < r->nblocks; j++)
			free(r->blocks[j].text);
		free(r->blocks);
	}
	free(L->v);
	free(L);
}

/*
 * Spreadsheets run a cell as a formula when it starts with =, +, - or @,
 * also after leading blanks, or with a tab or a carriage return (OWASP,
 * "CSV Injection").  A cell that starts with an apostrophe followed by
 * such a cell is guarded too, so that taking one apostrophe off again
 * (pia_tsv_unguard) gives back exactly what was written.
 */
static int
formula_start(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (*p == '\t' || *p == '\r')
		return 1;
	if (*p == '\'')
		return formula_start(s + 1);
	for (;;) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		else if (p[0] == 0xC2 && p[1] == 0xA0)		/* NO-BREAK SPACE */
			p += 2;
		else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)	/* IDEOGRAPHIC SPACE */
			p += 3;
		else
			break;
	}
	return *p == '=' || *p == '+' || *p == '-' || *p == '@';
}

const char *
pia_tsv_guard(const char *cell)
{
	return cell != NULL && formula_start(cell) ? "'" : "";
}

const char *
pia_tsv_unguard(const char *cell)
{
	return cell[0] == '\'' && formula_start(cell + 1) ? cell + 1 : cell;
}
