/*
 * Read the 様式 definitions (generator/forms/form[234].xml, compiled into pia, or a
 * --forms DIR while drafting a new version) into struct pia_form trees.
 * Each file is checked against form.rng, then for what a schema cannot
 * say: keys usable as XML element names and unique among siblings, choice
 * lists that exist, one 公表日.  See pia-forms(5).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "diag.h"
#include "embed.h"
#include "form.h"
#include "load_int.h"
#include "util.h"
#include "wareki.h"

static const char *const type_names[PIA_T__MAX] = {
	"", "text", "markdown", "choice", "checks", "count", "date",
	"yearmonth", "ref", "list", "table", "page", "item", "change"
};

const char *
pia_type_name(enum pia_type t)
{
	return type_names[t];
}

static int
is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static int
attr_is(xmlNodePtr n, const char *attr, const char *want)
{
	char *v = pia_xattr(n, attr);
	int r = v != NULL && strcmp(v, want) == 0;

	free(v);
	return r;
}

static int
yes(xmlNodePtr n, const char *attr)
{
	return attr_is(n, attr, "yes");
}

static long
num(xmlNodePtr n, const char *attr, long dflt)
{
	char *v = pia_xattr(n, attr);
	long r = dflt;

	if (v != NULL)
		r = strtol(v, NULL, 10);
	free(v);
	return r;
}

struct fload {
	struct pia_diag		*d;
	struct pia_xfile	*xf;
	struct pia_form		*form;
	int			 nerr;
	int			 npublished;
};

/* Report a FORM_* message of the table about n, with its one argument. */
static void
ferr(struct fload *L, xmlNodePtr n, enum pia_msg m, const char *arg)
{
	struct pia_pos pos = pia_xfile_pos(L->xf, n);

	pia_diag(L->d, &pos, m, arg);
	L->nerr++;
}

static void
read_choices(struct fload *L, xmlNodePtr n)
{
	struct pia_form *F = L->form;
	struct pia_choices *c;
	xmlNodePtr k;
	size_t i;

	F->choices = xrealloc(F->choices, (F->nchoices + 1) * sizeof(*F->choices));
	c = &F->choices[F->nchoices++];
	memset(c, 0, sizeof(*c));
	c->id = pia_xattr(n, "id");
	c->checks = is(n, "checks");
	for (i = 0; i + 1 < F->nchoices; i++)
		if (strcmp(F->choices[i].id, c->id) == 0)
			ferr(L, n, PIA_MSG_FORM_DUP_CHOICES, c->id);
	for (k = n->children; k != NULL; k = k->next) {
		struct pia_choice *v;
		if (!is(k, "choice") && !is(k, "box"))
			continue;
		c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
		v = &c->v[c->n++];
		memset(v, 0, sizeof(*v));
		v->label = pia_xtext(k);
		v->group = pia_xattr(k, "group");
		v->requires = pia_xattr(k, "requires");
		v->min = num(k, "min", -1);
		v->max = num(k, "max", -1);
		if (yes(k, "other"))
			v->flags |= PIA_CF_OTHER;
		else if (attr_is(k, "other", "optional"))
			v->flags |= PIA_CF_OTHER | PIA_CF_OTHER_OPT;
		if (yes(k, "count"))
			v->flags |= PIA_CF_COUNT;
		if (yes(k, "alone"))
			v->flags |= PIA_CF_ALONE;
	}
}

static const struct pia_choices *
find_choices(const struct pia_form *F, const char *id)
{
	size_t i;

	for (i = 0; i < F->nchoices; i++)
		if (strcmp(F->choices[i].id, id) == 0)
			return &F->choices[i];
	return NULL;
}

static void
add_child(struct pia_fnode *parent, struct pia_fnode *c)
{
	c->parent = parent;
	if (parent->last)
		parent->last->next = c;
	else
		parent->child = c;
	parent->last = c;
	parent->nchild++;
}

static struct pia_rule *
read_rule(xmlNodePtr n, const struct pia_fnode *scope)
{
	struct pia_rule *r = xcalloc(1, sizeof(*r));
	xmlAttrPtr a;
	xmlNodePtr k;
	size_t na = 0, nr = 0;

	r->kind = pia_xattr(n, "kind");
	r->scope = scope;
	r->line = (unsigned)xmlGetLineNo(n);
	for (a = n->properties; a != NULL; a = a->next) {
		if (strcmp((const char *)a->name, "kind") == 0)
			continue;
		r->attr = xrealloc(r->attr, (na + 3) * sizeof(char *));
		r->attr[na++] = xstrdup((const char *)a->name);
		r->attr[na++] = pia_xattr(n, (const char *)a->name);
		r->attr[na] = NULL;
	}
	for (k = n->children; k != NULL; k = k->next)
		if (is(k, "row")) {
			r->rows = xrealloc(r->rows, (nr + 2) * sizeof(char *));
			r->rows[nr++] = pia_xtext(k);
			r->rows[nr] = NULL;
		}
	return r;
}

static void
add_rule(struct pia_fnode *f, struct pia_rule *r)
{
	struct pia_rule **p = &f->rules;

	while (*p)
		p = &(*p)->next;
	*p = r;
}

static struct pia_fnode *read_node(struct fload *, xmlNodePtr, enum pia_fkind);

/*
 * A <column> of a <changes>: a cell of its row (the row created with the
 * first column).  Every field its from= and version-from= name must be
 * one the history has (load/rows.c), else FORM_COLUMN_FROM.
 */
static void
read_cell(struct fload *L, struct pia_fnode *f, xmlNodePtr k, unsigned risk)
{
	static const char *const aligns[] = { "", "left", "center", "justify" };
	struct pia_fnode	*row, *c, *o;
	struct pia_column	*col;
	struct pia_pos		 pos;
	char			*v, *save = NULL, *t;
	size_t			 n = 0, i;

	for (row = f->child; row != NULL; row = row->next)
		if (row->kind == PIA_F_ROW && (row->flags & PIA_FF_RISK) == risk)
			break;
	if (row == NULL) {
		row = xcalloc(1, sizeof(*row));
		row->kind = PIA_F_ROW;
		if (risk) {
			/* <risk key= label=>: the 変更点リスク評価表. */
			row->key = pia_xattr(k->parent, "key");
			row->label = pia_xattr(k->parent, "label");
			if (row->label == NULL)
				row->label = xstrdup(row->key);
		} else {
			row->key = xstrdup("行");
			row->label = xstrdup(f->label);
		}
		row->entry = xstrdup(risk ? "評価表の行{n}" : "行{n}");
		row->flags = PIA_FF_REPEAT | risk;
		row->line = (unsigned)xmlGetLineNo(k);
		add_child(f, row);
	}
	c = xcalloc(1, sizeof(*c));
	c->kind = PIA_F_CELL;
	c->line = (unsigned)xmlGetLineNo(k);
	c->cols = col = xcalloc(1, sizeof(*col));
	c->ncols = 1;
	col->key = pia_xattr(k, "key");
	col->label = pia_xattr(k, "label");
	if (col->label == NULL)
		col->label = xstrdup(col->key);
	c->key = xstrdup(col->key);
	c->label = xstrdup(col->label);
	col->width = (unsigned)num(k, "width", 0);
	col->narrow = (unsigned)num(k, "narrow", 0);
	col->optional = yes(k, "optional");
	col->bar = yes(k, "bar");
	col->repeated = yes(k, "repeated");
	v = pia_xattr(k, "type");
	for (col->type = PIA_T_TEXT; col->type < PIA_T__MAX; col->type++)
		if (v != NULL && strcmp(type_names[col->type], v) == 0)
			break;
	if (col->type == PIA_T__MAX)
		col->type = PIA_T_TEXT;
	c->type = col->type;
	free(v);
	v = pia_xattr(k, "align");
	for (i = 1; v != NULL && i < sizeof(aligns) / sizeof(aligns[0]); i++)
		if (strcmp(aligns[i], v) == 0)
			col->align = (enum pia_calign)i;
	free(v);
	col->version_from = pia_xattr(k, "version-from");
	col->version_label = pia_xattr(k, "label-version");
	v = pia_xattr(k, "from");
	for (t = strtok_r(v != NULL ? v : col->key, " ", &save); t != NULL;
	    t = strtok_r(NULL, " ", &save)) {
		col->from = xrealloc(col->from, (n + 2) * sizeof(*col->from));
		col->from[n++] = xstrdup(t);
		col->from[n] = NULL;
	}
	free(v);
	for (i = 0; i <= n; i++) {
		t = i < n ? col->from[i] : col->version_from;
		if (t == NULL || pia_rows_field(t) >= 0)
			continue;
		pos = pia_xfile_pos(L->xf, k);
		v = pia_rows_fields();
		pia_diag(L->d, &pos, PIA_MSG_FORM_COLUMN_FROM, col->key, t, v);
		free(v);
		L->nerr++;
	}
	if (xmlValidateNCName((const xmlChar *)c->key, 0) != 0)
		ferr(L, k, PIA_MSG_FORM_KEY, c->key);
	for (o = row->child; o != NULL; o = o->next)
		if (strcmp(o->key, c->key) == 0)
			ferr(L, k, PIA_MSG_FORM_DUP_KEY, c->key);
	add_child(row, c);
}

static void
read_children(struct fload *L, struct pia_fnode *f, xmlNodePtr n)
{
	struct pia_fnode *c, *o;
	xmlNodePtr k;

	for (k = n->children; k != NULL; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (is(k, "rule")) {
			add_rule(f, read_rule(k, f));
			continue;
		}
		if (is(k, "column") && f->kind == PIA_F_CHANGES) {
			read_cell(L, f, k, 0);
			continue;
		}
		/* The 変更点リスク評価表 of a 変更箇所: its own row of columns. */
		if (is(k, "risk") && f->kind == PIA_F_CHANGES) {
			xmlNodePtr col;
			for (col = k->children; col != NULL; col = col->next)
				if (is(col, "column"))
					read_cell(L, f, col, PIA_FF_RISK);
			continue;
		}
		if (is(k, "column")) {
			struct pia_column *col;
			f->cols = xrealloc(f->cols, (f->ncols + 1) * sizeof(*f->cols));
			col = &f->cols[f->ncols++];
			memset(col, 0, sizeof(*col));
			col->key = pia_xattr(k, "key");
			col->label = pia_xattr(k, "label");
			if (col->label == NULL)
				col->label = xstrdup(col->key);
			col->width = (unsigned)num(k, "width", 1);
			continue;
		}
		if (is(k, "section"))
			c = read_node(L, k, PIA_F_SECTION);
		else if (is(k, "annex"))
			c = read_node(L, k, PIA_F_ANNEX);
		else if (is(k, "changes"))
			c = read_node(L, k, PIA_F_CHANGES);
		else if (is(k, "group"))
			c = read_node(L, k, PIA_F_GROUP);
		else if (is(k, "item"))
			c = read_node(L, k, PIA_F_ITEM);
		else if (is(k, "cover"))
			c = read_node(L, k, PIA_F_COVER);
		else
			continue;
		for (o = f->child; o != NULL; o = o->next)
			if (strcmp(o->key, c->key) == 0)
				ferr(L, k, PIA_MSG_FORM_DUP_KEY, c->key);
		add_child(f, c);
	}
}

static struct pia_fnode *
read_node(struct fload *L, xmlNodePtr n, enum pia_fkind kind)
{
	struct pia_fnode *f = xcalloc(1, sizeof(*f));
	char *v;

	f->kind = kind;
	f->line = (unsigned)xmlGetLineNo(n);
	f->key = pia_xattr(n, "key");
	f->label = pia_xattr(n, "label");
	if (f->label == NULL)
		f->label = xstrdup(f->key);
	if (kind != PIA_F_COVER) {
		f->no = pia_xattr(n, "no");
		f->note = pia_xattr(n, "note");
		f->hint = pia_xattr(n, "hint");
		f->entry = pia_xattr(n, "entry");
		f->role = pia_xattr(n, "role");
	}
	if (xmlValidateNCName((const xmlChar *)f->key, 0) != 0)
		ferr(L, n, PIA_MSG_FORM_KEY, f->key);
	if (f->no != NULL && f->no[0] == '\0') {
		free(f->no);
		f->no = NULL;
	}
	if (yes(n, "mark"))
		f->flags |= PIA_FF_MARK;
	if (yes(n, "required"))
		f->flags |= PIA_FF_REQUIRED;
	if (yes(n, "title"))
		f->flags |= PIA_FF_TITLE;
	if (yes(n, "future"))
		f->flags |= PIA_FF_FUTURE;
	if (yes(n, "na"))
		f->flags |= PIA_FF_NA;
	if (yes(n, "numbered"))
		f->flags |= PIA_FF_NUMBERED;
	if (yes(n, "sub"))
		f->flags |= PIA_FF_SUB;
	if (yes(n, "inline"))
		f->flags |= PIA_FF_INLINE;
	if (yes(n, "mark-note"))
		f->flags |= PIA_FF_MARKNOTE;
	if (yes(n, "named-no"))
		f->flags |= PIA_FF_NAMEDNO;
	if (yes(n, "own"))
		f->flags |= PIA_FF_OWN;
	if (yes(n, "run-in"))
		f->flags |= PIA_FF_RUNIN;
	if (yes(n, "flow"))
		f->flags |= PIA_FF_FLOW;
	if (yes(n, "published")) {
		f->flags |= PIA_FF_PUBLISHED;
		L->npublished++;
	}
	if (yes(n, "per-file")) {
		f->flags |= PIA_FF_PERFILE | PIA_FF_REPEAT;
		if (f->entry == NULL)
			f->entry = xstrdup("({n})");
	}
	if (f->entry != NULL)
		f->flags |= PIA_FF_REPEAT;
	f->min = (unsigned)num(n, "min", 0);
	f->max = (unsigned)num(n, "max", 0);
	f->range = (unsigned)num(n, "range", 0);
	f->rangeto = (unsigned)num(n, "range-to", 0);
	if (kind == PIA_F_ITEM) {
		v = pia_xattr(n, "type");
		/* The types after table are the cells' of a 変更箇所. */
		for (f->type = PIA_T_TEXT; f->type <= PIA_T_TABLE; f->type++)
			if (v && strcmp(type_names[f->type], v) == 0)
				break;
		if (f->type > PIA_T_TABLE)
			f->type = PIA_T_TEXT;
		free(v);
		v = pia_xattr(n, "choices");
		if (v != NULL) {
			if ((f->choices = find_choices(L->form, v)) == NULL)
				ferr(L, n, PIA_MSG_FORM_CHOICES, v);
			else if (f->choices->checks != (f->type == PIA_T_CHECKS))
				ferr(L, n, PIA_MSG_FORM_CHOICES_TYPE, v);
		} else if (f->type == PIA_T_CHOICE || f->type == PIA_T_CHECKS)
			ferr(L, n, PIA_MSG_FORM_NO_CHOICES, f->key);
		free(v);
	}
	read_children(L, f, n);
	if (kind == PIA_F_ITEM && f->type == PIA_T_TABLE && f->ncols == 0)
		ferr(L, n, PIA_MSG_FORM_NO_COLUMN, f->key);
	return f;
}

static void
fnode_free(struct pia_fnode *f)
{
	struct pia_fnode *c, *next;
	struct pia_rule *r, *rn;
	size_t i, j;

	if (f == NULL)
		return;
	for (c = f->child; c != NULL; c = next) {
		next = c->next;
		fnode_free(c);
	}
	for (r = f->rules; r != NULL; r = rn) {
		rn = r->next;
		for (i = 0; r->attr && r->attr[i]; i++)
			free(r->attr[i]);
		for (i = 0; r->rows && r->rows[i]; i++)
			free(r->rows[i]);
		free(r->attr);
		free(r->rows);
		free(r->kind);
		free(r);
	}
	for (i = 0; i < f->ncols; i++) {
		free(f->cols[i].key);
		free(f->cols[i].label);
		for (j = 0; f->cols[i].from != NULL && f->cols[i].from[j] != NULL; j++)
			free(f->cols[i].from[j]);
		free(f->cols[i].from);
		free(f->cols[i].version_from);
		free(f->cols[i].version_label);
	}
	free(f->cols);
	free(f->key);
	free(f->no);
	free(f->label);
	free(f->note);
	free(f->entry);
	free(f->hint);
	free(f->role);
	free(f);
}

static void
form_free(struct pia_form *F)
{
	size_t i, j;

	for (i = 0; i < F->nchoices; i++) {
		for (j = 0; j < F->choices[i].n; j++) {
			free(F->choices[i].v[j].label);
			free(F->choices[i].v[j].group);
			free(F->choices[i].v[j].requires);
		}
		free(F->choices[i].v);
		free(F->choices[i].id);
	}
	free(F->choices);
	fnode_free(F->root);
	free(F->file);
	free(F->kind);
	free(F->name);
	free(F->yoshiki);
	free(F->version);
	free(F->title);
	free(F->stamp);
	free(F);
}

/*
 * Load one form file.  A file from --forms is validated against form.rng
 * first; the compiled-in forms were validated when pia was built and
 * tested (tests/forms.sh), and validating them again cost a tenth of a
 * small report's whole PDF.
 */
static struct pia_form *
load_one(struct pia_diag *d, const char *name, const char *mem, size_t len)
{
	struct fload L;
	struct pia_form *F;
	xmlNodePtr root, k;

	memset(&L, 0, sizeof(L));
	L.d = d;
	if ((L.xf = pia_xfile_read(d, name, mem, len)) == NULL)
		return NULL;
	if (mem == NULL && pia_xfile_relaxng(d, L.xf, "form.rng") != 0) {
		pia_xfile_free(L.xf);
		return NULL;
	}
	root = xmlDocGetRootElement(L.xf->doc);
	F = L.form = xcalloc(1, sizeof(*F));
	F->file = xstrdup(name);
	F->kind = pia_xattr(root, "kind");
	F->name = pia_xattr(root, "name");
	F->yoshiki = pia_xattr(root, "yoshiki");
	F->version = pia_xattr(root, "version");
	F->title = pia_xattr(root, "title");
	F->stamp = pia_xattr(root, "stamp");
	if (F->stamp == NULL)
		F->stamp = xasprintf("[%s %s]", F->version, F->yoshiki);
	for (k = root->children; k != NULL; k = k->next)
		if (is(k, "choices") || is(k, "checks"))
			read_choices(&L, k);
	F->root = xcalloc(1, sizeof(*F->root));
	F->root->kind = PIA_F_FORM;
	F->root->key = xstrdup("評価書");
	F->root->label = xstrdup(F->title);
	read_children(&L, F->root, root);
	if (L.npublished != 1)
		ferr(&L, root, PIA_MSG_FORM_PUBLISHED, "");
	pia_xfile_free(L.xf);
	if (L.nerr > 0) {
		form_free(F);
		return NULL;
	}
	return F;
}

static int
is_form_name(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcmp(name + n - 4, ".xml") == 0;
}

struct pia_forms *
pia_forms_load(struct pia_diag *d, const char *dir)
{
	struct pia_forms *fs = xcalloc(1, sizeof(*fs));
	struct pia_form **tail = &fs->first, *F;
	const struct pia_embedded *e;

	if (dir == NULL) {
		for (e = pia_embedded; e->name != NULL; e++) {
			if (!pia_startswith(e->name, "form") || !is_form_name(e->name))
				continue;
			if ((F = load_one(d, e->name, e->data, e->len)) != NULL) {
				*tail = F;
				tail = &F->next;
			}
		}
	} else {
		struct dirent **v = NULL;	/* scandir leaves it unset when it fails */
		int i, n = scandir(dir, &v, NULL, alphasort);
		struct pia_pos pos = { dir, 0, 0 };

		if (n < 0)
			pia_diag(d, &pos, PIA_MSG_SYS_OPEN, "folder");
		for (i = 0; i < n; i++) {
			if (is_form_name(v[i]->d_name)) {
				char *path = xasprintf("%s/%s", dir, v[i]->d_name);
				if ((F = load_one(d, path, NULL, 0)) != NULL) {
					*tail = F;
					tail = &F->next;
				}
				free(path);
			}
			free(v[i]);
		}
		free(v);
	}
	if (fs->first == NULL) {
		free(fs);
		return NULL;
	}
	return fs;
}

void
pia_forms_free(struct pia_forms *fs)
{
	struct pia_form *F, *next;

	if (fs == NULL)
		return;
	for (F = fs->first; F != NULL; F = next) {
		next = F->next;
		form_free(F);
	}
	free(fs);
}

/* Newer 様式 versions sort later: compare their year-months. */
static int
newer(const struct pia_form *a, const struct pia_form *b)
{
	struct pia_date x, y;

	if (pia_wareki_parse(a->version, PIA_WAREKI_YEARMONTH, &x) > PIA_WAREKI_GANNEN ||
	    pia_wareki_parse(b->version, PIA_WAREKI_YEARMONTH, &y) > PIA_WAREKI_GANNEN)
		return strcmp(a->version, b->version) > 0;
	return pia_date_cmp(&x, &y) > 0;
}

const struct pia_form *
pia_forms_find(const struct pia_forms *fs, const char *kind, const char *version)
{
	const struct pia_form *F, *best = NULL;

	if (fs == NULL || kind == NULL)
		return NULL;
	for (F = fs->first; F != NULL; F = F->next) {
		if (strcmp(F->kind, kind) != 0 && strcmp(F->name, kind) != 0 &&
		    strcmp(F->yoshiki, kind) != 0)
			continue;
		if (version != NULL && strcmp(F->version, version) != 0)
			continue;
		if (best == NULL || newer(F, best))
			best = F;
	}
	return best;
}

const struct pia_fnode *
pia_fnode_child(const struct pia_fnode *n, const char *key)
{
	const struct pia_fnode *c;

	for (c = n->child; c != NULL; c = c->next)
		if (strcmp(c->key, key) == 0)
			return c;
	return NULL;
}

/*
 * Normalise a heading or label for matching: drop ASCII and ideographic
 * spaces, fold full-width ASCII (（１） → (1)), drop a trailing "." of a number.
 */
static char *
norm(const char *s)
{
	struct pia_buf b = { 0 };
	uint32_t cp;
	size_t k;

	while (*s) {
		k = pia_utf8_decode(s, strlen(s), &cp);
		if (k == 0) {
			s++;
			continue;
		}
		s += k;
		if (cp == ' ' || cp == '\t' || cp == 0x3000 || cp == 0xA0)
			continue;
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			cp -= 0xFEE0;
		if (cp == ':')		/* "リスク1：目的外の入手…" */
			continue;
		pia_buf_put_cp(&b, cp);
	}
	return pia_buf_take(&b);
}

/* Match h against an entry pattern "システム{n}" / "({n})"; returns n or 0. */
static unsigned
match_entry(const char *pattern, const char *h, int prefix_ok)
{
	char *p = norm(pattern);
	const char *brace = strstr(p, "{n}");
	size_t pre, post;
	unsigned long n;
	char *end;
	unsigned r = 0;

	if (brace == NULL)
		goto out;
	pre = (size_t)(brace - p);
	post = strlen(brace + 3);
	if (strncmp(h, p, pre) != 0 || h[pre] < '0' || h[pre] > '9')
		goto out;
	n = strtoul(h + pre, &end, 10);
	if (strncmp(end, brace + 3, post) != 0)
		goto out;
	/* "(1)住民基本台帳ファイル": a per-file entry may carry its name. */
	if (end[post] != '\0' && !prefix_ok)
		goto out;
	if (n > 0 && n < 100000)
		r = (unsigned)n;
out:
	free(p);
	return r;
}

const struct pia_fnode *
pia_fnode_match(const struct pia_fnode *n, const char *heading, unsigned *index)
{
	const struct pia_fnode *c, *found = NULL;
	char *h = norm(heading), *t;
	unsigned k;

	*index = 0;
	for (c = n->child; c != NULL && found == NULL; c = c->next) {
		if (c->entry != NULL &&
		    (k = match_entry(c->entry, h, (c->flags & PIA_FF_PERFILE) != 0)) > 0) {
			*index = k;
			found = c;
			break;
		}
		/* "②事務の内容", "2.基本情報", "事務の内容", the key. */
		t = xasprintf("%s%s", c->no ? c->no : "", c->label);
		{
			char *tn = norm(t), *ln = norm(c->label), *kn = norm(c->key);
			char *nn = c->no ? norm(c->no) : NULL;
			size_t nl = nn ? strlen(nn) : 0;

			if (strcmp(h, tn) == 0 || strcmp(h, ln) == 0 || strcmp(h, kn) == 0)
				found = c;
			/* "2 基本情報" written without the number's dot. */
			else if (nn && nl > 1 && nn[nl - 1] == '.' &&
			    strncmp(h, nn, nl - 1) == 0 && strcmp(h + nl - 1, ln) == 0)
				found = c;
			free(tn);
			free(ln);
			free(kn);
			free(nn);
		}
		free(t);
	}
	free(h);
	return found;
}

/* Strip a trailing "(n)" entry number from a normalised component; returns 1 if there was one. */
static int
strip_entry_no(char *c)
{
	size_t n = strlen(c), i;

	if (n < 3 || c[n - 1] != ')')
		return 0;
	for (i = n - 2; i > 0 && c[i] >= '0' && c[i] <= '9'; i--)
		;
	if (c[i] != '(' || i == n - 2)
		return 0;
	c[i] = '\0';
	return 1;
}

/* Does normalised component c name child f? */
static int
names(const struct pia_fnode *f, const char *c)
{
	char *no = f->no ? norm(f->no) : NULL, *lab = norm(f->label), *t, *td;
	size_t nl = no ? strlen(no) : 0;
	int r = 0;

	/* "3.特定個人情報ファイル名" and "3特定個人情報ファイル名" both name item 3. */
	td = xasprintf("%s%s", no ? no : "", lab);
	if (no && nl > 1 && no[nl - 1] == '.')
		no[--nl] = '\0';
	t = xasprintf("%s%s", no ? no : "", lab);
	if (strcmp(c, lab) == 0 || strcmp(c, t) == 0 || strcmp(c, td) == 0 ||
	    (no && strcmp(c, no) == 0) || strcmp(c, f->key) == 0)
		r = 1;
	free(td);
	/* "別添2" for "（別添2）". */
	if (!r && no && no[0] == '(' && nl > 2 && strncmp(c, no + 1, nl - 2) == 0 &&
	    c[nl - 2] == '\0')
		r = 1;
	free(no);
	free(lab);
	free(t);
	return r;
}

const struct pia_fnode *
pia_form_find_path(const struct pia_form *F, const char *path)
{
	const struct pia_fnode *cur = F->root, *c, *hit;
	char *p = xstrdup(path), *seg, *save = NULL, *nc;
	unsigned k;

	for (seg = strtok_r(p, "-", &save); seg != NULL; seg = strtok_r(NULL, "-", &save)) {
		nc = norm(seg);
		hit = NULL;
		/* The cover is found by its key or label before anything else at the top. */
		if (cur == F->root) {
			for (c = cur->child; c != NULL; c = c->next)
				if (c->kind == PIA_F_COVER && names(c, nc))
					hit = c;
		}
		/* The entry of the repeat we are in: "2-システム1". */
		if (hit == NULL && cur->entry != NULL && match_entry(cur->entry, nc, 0) > 0)
			hit = cur;
		for (c = cur->child; c != NULL && hit == NULL; c = c->next) {
			if (c->entry != NULL && (k = match_entry(c->entry, nc,
			    (c->flags & PIA_FF_PERFILE) != 0)) > 0 && !(c->flags & PIA_FF_PERFILE))
				hit = c;
			else if (names(c, nc))
				hit = c;
			else if (c->flags & PIA_FF_PERFILE) {
				/* "Ⅱ(1)" and "（別添2）(3)": the section with its file number. */
				char *d = xstrdup(nc);
				if (strip_entry_no(d) && names(c, d))
					hit = c;
				free(d);
			}
		}
		free(nc);
		if (hit == NULL) {
			free(p);
			return NULL;
		}
		cur = hit;
	}
	free(p);
	return cur == F->root ? NULL : cur;
}

int
pia_fnode_marked(const struct pia_fnode *f)
{
	for (; f != NULL; f = f->parent)
		if (f->flags & PIA_FF_MARK)
			return 1;
	return 0;
}

int
pia_fnode_mark_shown(const struct pia_fnode *f)
{
	if (!(f->flags & PIA_FF_MARK))
		return 0;
	for (f = f->parent; f != NULL; f = f->parent)
		if (f->flags & (PIA_FF_MARK | PIA_FF_MARKNOTE))
			return 0;
	return 1;
}

char *
pia_fnode_title(const struct pia_fnode *f)
{
	if (f->no == NULL)
		return xstrdup(f->label);
	if (f->kind == PIA_F_ITEM)
		return xasprintf("%s%s", f->no, f->label);
	return xasprintf("%s %s", f->no, f->label);
}

int
pia_choices_find(const struct pia_choices *c, const char *label)
{
	size_t i;

	for (i = 0; c != NULL && i < c->n; i++)
		if (strcmp(c->v[i].label, label) == 0)
			return (int)i;
	return -1;
}
