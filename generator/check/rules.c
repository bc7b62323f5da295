/*
 * The cross-field rules of the 様式 (<rule kind=…> in the form files,
 * pia-forms(5)).  Each kind is one function; attributes are paths of keys
 * relative to the node the rule sits in.  A path that enters a per-file
 * section from another per-file section takes the entry of the same file,
 * so Ⅱ(2) is compared with Ⅲ(2).  "path#label" names one box of a checks item.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "form.h"
#include "model.h"
#include "util.h"

/* A set of model nodes a path resolved to, with the form node it names. */
struct nset {
	const struct pia_node	**v;
	size_t			  n;
	const struct pia_fnode	 *f;	/* NULL: the path names nothing */
	char			 *box;	/* the "#label" part, or NULL */
};

static void
nset_add(struct nset *s, const struct pia_node *n)
{
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n++] = n;
}

static void
nset_free(struct nset *s)
{
	free(s->v);
	free(s->box);
	memset(s, 0, sizeof(*s));
}

/* The file number (per-file entry index) n lies in, or 0. */
static unsigned
file_index(const struct pia_node *n)
{
	for (; n != NULL; n = n->parent)
		if (n->index > 0 && (n->f->flags & PIA_FF_PERFILE))
			return n->index;
	return 0;
}

static const struct pia_node *
top(const struct pia_node *n)
{
	while (n->parent)
		n = n->parent;
	return n;
}

/*
 * Resolve path from the instance `at` of a rule's scope.  Collects every
 * matching node (entries of repeats on the way are all taken, except
 * per-file sections, where the entry of at's file is taken).
 */
static void
resolve(const struct pia_node *at, const char *path, struct nset *out)
{
	const struct pia_node **cur, **next;
	size_t ncur, nnext, i;
	const struct pia_fnode *f;
	unsigned file = file_index(at);
	char *p = xstrdup(path), *seg, *save = NULL, *hash;

	memset(out, 0, sizeof(*out));
	if ((hash = strchr(p, '#')) != NULL) {
		*hash = '\0';
		out->box = xstrdup(hash + 1);
	}
	cur = xmalloc(sizeof(*cur));
	ncur = 1;
	cur[0] = p[0] == '/' ? top(at) : at;
	f = cur[0]->f;
	for (seg = strtok_r(p, "/", &save); seg != NULL; seg = strtok_r(NULL, "/", &save)) {
		next = NULL;
		nnext = 0;
		if (strcmp(seg, "..") == 0) {
			for (i = 0; i < ncur; i++)
				if (cur[i]->parent) {
					next = xrealloc(next, (nnext + 1) * sizeof(*next));
					next[nnext++] = cur[i]->parent;
				}
			f = f->parent;
		} else {
			const struct pia_fnode *cf = pia_fnode_child(f, seg);
			if (cf == NULL) {
				f = NULL;
				free(next);
				break;
			}
			for (i = 0; i < ncur; i++) {
				const struct pia_node *c;
				for (c = cur[i]->child; c != NULL; c = c->next) {
					if (c->f != cf)
						continue;
					if ((cf->flags & PIA_FF_PERFILE) && file > 0 &&
					    c->index != file)
						continue;
					next = xrealloc(next, (nnext + 1) * sizeof(*next));
					next[nnext++] = c;
				}
			}
			f = cf;
		}
		free(cur);
		cur = next;
		ncur = nnext;
		if (f == NULL)
			break;
	}
	out->f = f;
	for (i = 0; i < ncur; i++)
		nset_add(out, cur[i]);
	free(cur);
	free(p);
}

static const char *
attr(const struct pia_rule *r, const char *name)
{
	size_t i;

	for (i = 0; r->attr && r->attr[i]; i += 2)
		if (strcmp(r->attr[i], name) == 0)
			return r->attr[i + 1];
	return NULL;
}

/* The checked box of n with that label, or NULL. */
static const struct pia_box *
box(const struct pia_node *n, const char *label)
{
	size_t i;

	if (n->f->type != PIA_T_CHECKS)
		return NULL;
	for (i = 0; i < n->nboxes; i++)
		if (strcmp(n->f->choices->v[n->boxes[i].choice].label, label) == 0)
			return &n->boxes[i];
	return NULL;
}

/* The value as a label: choice text, or NULL when empty. */
static const char *
label(const struct pia_node *n)
{
	/* 「—」「該当なし」 (na="yes") answer nothing. */
	if (!pia_node_filled(n) || n->na || n->text == NULL || strstr(n->text, PIA_PLACEHOLDER))
		return NULL;
	return n->text;
}

/* A value still holding pia new's placeholder tells nothing to the rules. */
static int
unknown(const struct pia_node *n)
{
	size_t i;

	if (n->text && strstr(n->text, PIA_PLACEHOLDER))
		return 1;
	for (i = 0; i < n->nlist; i++)
		if (strstr(n->list[i].text, PIA_PLACEHOLDER))
			return 1;
	return 0;
}

/* Does the path's item hold `is`?  -1: cannot tell (empty, or no such path). */
static int
holds(const struct nset *s, const char *is)
{
	const struct pia_node *n;

	if (s->f == NULL || s->n == 0)
		return -1;
	n = s->v[0];
	if (unknown(n))
		return -1;
	if (s->box != NULL)
		return box(n, s->box) != NULL;
	if (n->f->type == PIA_T_CHECKS)
		return is ? box(n, is) != NULL : n->nboxes > 0;
	if (label(n) == NULL)
		return -1;
	return is == NULL || strcmp(n->text, is) == 0;
}

/* The reference "別紙N" in any value of an entry, as the table it points to. */
static const struct pia_node *
annex_table(const struct pia_node *entry)
{
	const struct pia_node *c, *root = top(entry), *a, *t;
	const char *p;
	char name[32];

	for (c = entry->child; c != NULL; c = c->next) {
		if (c->text == NULL || (p = strstr(c->text, "別紙")) == NULL)
			continue;
		if (p[6] < '0' || p[6] > '9')
			continue;
		snprintf(name, sizeof(name), "%.*s", p[7] >= '0' && p[7] <= '9' ? 8 : 7, p);
		for (a = root->child; a != NULL; a = a->next)
			if (a->f->kind == PIA_F_ANNEX && a->f->no && strstr(a->f->no, name))
				for (t = a->child; t != NULL; t = t->next)
					if (t->f->type == PIA_T_TABLE)
						return t;
	}
	return NULL;
}

/* How many things the path names: entries, list entries or table rows. */
static long
count_of(const struct nset *s)
{
	const struct pia_node *t;
	long total = 0;
	size_t i;

	if (s->f == NULL)
		return -1;
	if (s->f->flags & PIA_FF_REPEAT) {
		for (i = 0; i < s->n; i++)
			total += (t = annex_table(s->v[i])) != NULL ? (long)t->nrows : 1;
		return total;
	}
	for (i = 0; i < s->n; i++) {
		if (s->f->type == PIA_T_LIST)
			total += (long)s->v[i]->nlist;
		else if (s->f->type == PIA_T_TABLE)
			total += (long)s->v[i]->nrows;
	}
	return total;
}

static const struct pia_pos *
pos_of(const struct pia_node *n)
{
	while (n->pos.file == NULL && n->parent != NULL)
		n = n->parent;
	return &n->pos;
}

static char *
name_of(const struct nset *s, const char *path)
{
	if (s->n > 0)
		return pia_node_path(s->v[0]);
	if (s->f != NULL)
		return pia_fnode_title(s->f);
	return xstrdup(path);
}

static void
rule_count(struct pia_diag *d, const struct pia_rule *r, const struct pia_node *at)
{
	const char *cp = attr(r, "count"), *ep = attr(r, "entries"), *ifp = attr(r, "if");
	struct nset c, e, cond;
	const struct pia_box *b;
	long want = -1, have = 0, k;
	char *paths, *seg, *save = NULL, *cn, *en;

	if (cp == NULL || ep == NULL)
		return;
	if (ifp != NULL) {
		resolve(at, ifp, &cond);
		k = holds(&cond, attr(r, "is"));
		nset_free(&cond);
		if (k != 1)
			return;
	}
	resolve(at, cp, &c);
	if (c.n == 0) {
		nset_free(&c);
		return;
	}
	if (c.box != NULL) {
		if ((b = box(c.v[0], c.box)) != NULL)
			want = b->count;
	} else
		want = c.v[0]->count;
	if (want < 0) {
		nset_free(&c);
		return;
	}
	paths = xstrdup(ep);
	en = NULL;
	for (seg = strtok_r(paths, " ", &save); seg != NULL; seg = strtok_r(NULL, " ", &save)) {
		resolve(at, seg, &e);
		if ((k = count_of(&e)) > 0)
			have += k;
		if (en == NULL && e.f != NULL)
			en = pia_fnode_title(e.f);
		nset_free(&e);
	}
	if (want != have) {
		cn = c.box ? xstrdup(c.box) : pia_node_path(c.v[0]);
		pia_diag(d, &c.v[0]->pos, PIA_MSG_RULE_COUNT, cn, want, en ? en : ep, have);
		free(cn);
	}
	free(en);
	free(paths);
	nset_free(&c);
}

/* Each path of a space-separated list, resolved. */
static void
each_item(const struct pia_node *at, const char *items,
    void (*fn)(void *, const struct nset *, const char *), void *arg)
{
	char *paths = xstrdup(items), *seg, *save = NULL;
	struct nset s;

	for (seg = strtok_r(paths, " ", &save); seg != NULL; seg = strtok_r(NULL, " ", &save)) {
		resolve(at, seg, &s);
		fn(arg, &s, seg);
		nset_free(&s);
	}
	free(paths);
}

struct cond_arg {
	struct pia_diag		*d;
	const struct nset	*cond;
	const char		*is;
	int			 required;	/* required-if, else empty-unless */
};

static int
set_filled(const struct nset *s)
{
	size_t i;

	if (s->box != NULL)
		return s->n > 0 && box(s->v[0], s->box) != NULL;
	if (s->f != NULL && (s->f->flags & PIA_FF_REPEAT))
		return s->n > 0;
	for (i = 0; i < s->n; i++)
		if (s->v[i]->f->kind != PIA_F_ITEM || (pia_node_filled(s->v[i]) && !s->v[i]->na))
			return 1;
	return 0;
}

static void
cond_item(void *arg, const struct nset *s, const char *path)
{
	struct cond_arg *A = arg;
	char *cn, *in;
	const struct pia_node *c = A->cond->v[0];

	if (s->f == NULL)
		return;
	if (A->required ? set_filled(s) : !set_filled(s))
		return;
	cn = pia_node_path(c);
	in = name_of(s, path);
	if (s->box != NULL)
		pia_diag(A->d, pos_of(s->n > 0 ? s->v[0] : c),
		    A->required ? PIA_MSG_RULE_REQUIRED_BOX : PIA_MSG_RULE_EMPTY_BOX,
		    cn, A->is ? A->is : "", in, s->box);
	else
		pia_diag(A->d, pos_of(s->n > 0 ? s->v[0] : c),
		    A->required ? PIA_MSG_RULE_REQUIRED_IF : PIA_MSG_RULE_EMPTY_UNLESS,
		    cn, A->is ? A->is : "", in);
	free(cn);
	free(in);
}

static void
rule_cond(struct pia_diag *d, const struct pia_rule *r, const struct pia_node *at, int required)
{
	const char *ifp = attr(r, "if"), *items = attr(r, "items");
	struct cond_arg A;
	struct nset cond;
	int h;

	if (ifp == NULL || items == NULL)
		return;
	resolve(at, ifp, &cond);
	h = holds(&cond, attr(r, "is"));
	/* required-if acts when the condition holds; empty-unless when it does not. */
	if (h == -1 || (required && h != 1) || (!required && h != 0)) {
		nset_free(&cond);
		return;
	}
	A.d = d;
	A.cond = &cond;
	A.is = attr(r, "is");
	A.required = required;
	each_item(at, items, cond_item, &A);
	nset_free(&cond);
}

static void
rule_same_check(struct pia_diag *d, const struct pia_rule *r, const struct pia_node *at)
{
	const char *ifp = attr(r, "if"), *bp = attr(r, "box"), *is = attr(r, "is");
	struct nset cond, bx;
	int a, b;
	char *cn, *bn;

	if (ifp == NULL || bp == NULL)
		return;
	resolve(at, ifp, &cond);
	resolve(at, bp, &bx);
	a = holds(&cond, is);
	b = bx.n > 0 && bx.box ? box(bx.v[0], bx.box) != NULL : -1;
	if (a != -1 && b != -1 && a != b) {
		cn = pia_node_path(cond.v[0]);
		bn = pia_node_path(bx.v[0]);
		pia_diag(d, pos_of(bx.v[0]), PIA_MSG_RULE_SAME_CHECK, cn, is ? is : "",
		    a ? "な" : "ではない", bn, bx.box,
		    b ? "チェックがあります" : "チェックがありません");
		free(cn);
		free(bn);
	}
	nset_free(&cond);
	nset_free(&bx);
}

static char *
trim_field(const char *s, size_t n)
{
	char *t = xstrndup(s, n), *r = pia_strtrim(t);

	free(t);
	return r;
}

static void
rule_table(struct pia_diag *d, const struct pia_rule *r, const struct pia_node *at)
{
	const char *items = attr(r, "items");
	const char *vals[16];
	const struct pia_node *first = NULL;
	struct nset sets[16];
	struct pia_buf b = { 0 };
	char *paths, *seg, *save = NULL;
	size_t n = 0, i, k;
	int ok = 0, empty = 0;

	if (items == NULL || r->rows == NULL)
		return;
	paths = xstrdup(items);
	for (seg = strtok_r(paths, " ", &save); seg != NULL && n < 16;
	    seg = strtok_r(NULL, " ", &save)) {
		resolve(at, seg, &sets[n]);
		vals[n] = sets[n].n > 0 ? label(sets[n].v[0]) : NULL;
		if (vals[n] == NULL)
			empty = 1;
		else if (first == NULL)
			first = sets[n].v[0];
		n++;
	}
	for (i = 0; !empty && r->rows[i] != NULL && !ok; i++) {
		const char *p = r->rows[i], *bar;
		ok = 1;
		for (k = 0; k < n && ok; k++) {
			char *field;
			bar = strchr(p, '|');
			field = trim_field(p, bar ? (size_t)(bar - p) : strlen(p));
			if (strcmp(field, "*") != 0 && strcmp(field, vals[k]) != 0)
				ok = 0;
			free(field);
			p = bar ? bar + 1 : p + strlen(p);
		}
	}
	if (!empty && !ok) {
		for (k = 0; k < n; k++) {
			char *t = pia_node_path(sets[k].v[0]);
			pia_buf_printf(&b, "%s%s「%s」", k ? "、" : "", t, vals[k]);
			free(t);
		}
		pia_diag(d, pos_of(sets[n - 1].v[0]), PIA_MSG_RULE_TABLE, b.data);
		pia_buf_free(&b);
	}
	for (k = 0; k < n; k++)
		nset_free(&sets[k]);
	free(paths);
}

static void
rule_bucket(struct pia_diag *d, const struct pia_rule *r, const struct pia_node *at)
{
	const char *cp = attr(r, "choice"), *np = attr(r, "counted");
	struct nset c, e;
	const struct pia_choice *ch;
	long count;
	char *cn, *en;

	if (cp == NULL || np == NULL)
		return;
	resolve(at, cp, &c);
	resolve(at, np, &e);
	if (c.n > 0 && c.v[0]->choice >= 0 && e.f != NULL && e.n > 0) {
		ch = &c.v[0]->f->choices->v[c.v[0]->choice];
		count = count_of(&e);
		if ((ch->min >= 0 && count < ch->min) || (ch->max >= 0 && count > ch->max)) {
			cn = pia_node_path(c.v[0]);
			en = pia_node_path(e.v[0]);
			pia_diag(d, &c.v[0]->pos, PIA_MSG_RULE_BUCKET, cn, ch->label, en, count);
			free(cn);
			free(en);
		}
	}
	nset_free(&c);
	nset_free(&e);
}

/* The text of the title item of a repeat entry. */
static const char *
entry_title(const struct pia_node *e)
{
	const struct pia_node *c;

	for (c = e->child; c != NULL; c = c->next)
		if ((c->f->flags & PIA_FF_TITLE) && c->text)
			return c->text;
	return NULL;
}

static void
same_names_one(struct pia_diag *d, const struct nset *list, const struct nset *e)
{
	const struct pia_node *l = list->v[0];
	const char *t;
	size_t i;
	char *ln, *en;

	if (unknown(l))
		return;
	for (i = 0; i < e->n && i < l->nlist; i++) {
		if ((t = entry_title(e->v[i])) == NULL || strcmp(t, l->list[i].text) == 0 ||
		    strstr(t, PIA_PLACEHOLDER) != NULL)
			continue;
		ln = pia_node_path(l);
		en = pia_node_path(e->v[i]);
		pia_diag(d, pos_of(e->v[i]), PIA_MSG_RULE_SAME_NAMES, ln, (unsigned)i + 1,
		    l->list[i].text, en, t);
		free(ln);
		free(en);
	}
	if (e->n != l->nlist && l->nlist > 0) {
		ln = pia_node_path(l);
		en = e->f ? pia_fnode_title(e->f) : xstrdup("");
		pia_diag(d, &l->pos, PIA_MSG_RULE_COUNT, ln, (long)l->nlist, en, (long)e->n);
		free(ln);
		free(en);
	}
}

static void
rule_same_names(struct pia_diag *d, const struct pia_rule *r, const struct pia_node *at)
{
	const char *lp = attr(r, "list"), *ep = attr(r, "entries");
	struct nset list, e;
	char *paths, *seg, *save = NULL;

	if (lp == NULL || ep == NULL)
		return;
	resolve(at, lp, &list);
	if (list.n == 0 || !pia_node_filled(list.v[0])) {
		nset_free(&list);
		return;
	}
	paths = xstrdup(ep);
	for (seg = strtok_r(paths, " ", &save); seg != NULL; seg = strtok_r(NULL, " ", &save)) {
		/* Entries of per-file sections are all wanted here, not one file's. */
		struct pia_node *rootn = (struct pia_node *)top(at);
		resolve(seg[0] == '/' ? rootn : at, seg, &e);
		same_names_one(d, &list, &e);
		nset_free(&e);
	}
	free(paths);
	nset_free(&list);
}

static void
rule_not_more(struct pia_diag *d, const struct pia_rule *r, const struct pia_node *at)
{
	const char *ip = attr(r, "item"), *tp = attr(r, "than");
	struct nset a, b;
	int ia, ib;
	char *an, *bn;

	if (ip == NULL || tp == NULL)
		return;
	resolve(at, ip, &a);
	resolve(at, tp, &b);
	if (a.n > 0 && b.n > 0 && a.v[0]->choice >= 0 && b.v[0]->choice >= 0) {
		ia = a.v[0]->choice;
		/* Lists may differ: compare positions in the `than` list by label. */
		ib = b.v[0]->choice;
		if (a.v[0]->f->choices != b.v[0]->f->choices)
			ia = pia_choices_find(b.v[0]->f->choices, a.v[0]->text);
		if (ia > ib) {
			an = pia_node_path(a.v[0]);
			bn = pia_node_path(b.v[0]);
			pia_diag(d, &a.v[0]->pos, PIA_MSG_RULE_NOT_MORE, an, a.v[0]->text,
			    bn, b.v[0]->text);
			free(an);
			free(bn);
		}
	}
	nset_free(&a);
	nset_free(&b);
}

static void
apply(struct pia_diag *d, const struct pia_rule *r, const struct pia_node *at)
{
	if (strcmp(r->kind, "count") == 0)
		rule_count(d, r, at);
	else if (strcmp(r->kind, "empty-unless") == 0)
		rule_cond(d, r, at, 0);
	else if (strcmp(r->kind, "required-if") == 0)
		rule_cond(d, r, at, 1);
	else if (strcmp(r->kind, "same-check") == 0)
		rule_same_check(d, r, at);
	else if (strcmp(r->kind, "table") == 0)
		rule_table(d, r, at);
	else if (strcmp(r->kind, "bucket") == 0)
		rule_bucket(d, r, at);
	else if (strcmp(r->kind, "same-names") == 0)
		rule_same_names(d, r, at);
	else if (strcmp(r->kind, "not-more") == 0)
		rule_not_more(d, r, at);
}

void
pia_check_rules(struct pia_diag *d, const struct pia_report *r)
{
	struct pia_walk w;
	struct pia_node *n;
	const struct pia_rule *rule;

	pia_walk_init(&w, r->root);
	while (pia_walk_next(&w, &n) != PIA_WALK_DONE) {
		if (w.ev != PIA_WALK_ENTER)
			continue;
		for (rule = n->f->rules; rule != NULL; rule = rule->next)
			apply(d, rule, n);
	}
}
