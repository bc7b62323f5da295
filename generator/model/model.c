/*
 * The model tree: creation from a form, repeat entries, paths in the
 * form's own notation, a non-recursive walker, and freeing.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "model.h"
#include "util.h"

static struct pia_node *
node_new(const struct pia_fnode *f, unsigned index)
{
	struct pia_node *n = xcalloc(1, sizeof(*n));

	n->f = f;
	n->index = index;
	n->choice = -1;
	n->count = -1;
	return n;
}

void
pia_node_append(struct pia_node *parent, struct pia_node *n)
{
	n->parent = parent;
	n->prev = parent->last;
	if (parent->last)
		parent->last->next = n;
	else
		parent->child = n;
	parent->last = n;
}

/* Instantiate the children of f under n; repeats start with no entries. */
static void
fill(struct pia_node *n, const struct pia_fnode *f)
{
	const struct pia_fnode *c;
	struct pia_node *k;

	for (c = f->child; c != NULL; c = c->next) {
		if (c->flags & PIA_FF_REPEAT)
			continue;
		k = node_new(c, 0);
		pia_node_append(n, k);
		fill(k, c);
	}
}

struct pia_node *
pia_node_new_tree(const struct pia_fnode *f)
{
	struct pia_node *n = node_new(f, 0);

	fill(n, f);
	return n;
}

struct pia_node *
pia_node_add_entry(struct pia_node *parent, const struct pia_fnode *f)
{
	struct pia_node *n, *c, *after = NULL;
	const struct pia_fnode *fc;
	unsigned count = 0;

	/* Entries of f go after the last node of f or of an earlier sibling form node. */
	for (c = parent->child; c != NULL; c = c->next) {
		for (fc = f->parent->child; fc != NULL && fc != f; fc = fc->next)
			if (c->f == fc)
				after = c;
		if (c->f == f) {
			after = c;
			count++;
		}
	}
	n = node_new(f, count + 1);
	fill(n, f);
	n->parent = parent;
	if (after == NULL) {
		n->next = parent->child;
		if (parent->child)
			parent->child->prev = n;
		else
			parent->last = n;
		parent->child = n;
	} else {
		n->prev = after;
		n->next = after->next;
		if (after->next)
			after->next->prev = n;
		else
			parent->last = n;
		after->next = n;
	}
	return n;
}

struct pia_node *
pia_node_append_entry(struct pia_node *parent, const struct pia_fnode *f, unsigned index)
{
	struct pia_node *n = node_new(f, index);

	fill(n, f);
	pia_node_append(parent, n);
	return n;
}

static void
free_value(struct pia_node *n)
{
	size_t i, j;

	free(n->text);
	free(n->written);
	free(n->version);
	if (n->md)
		cmark_node_free(n->md);
	for (i = 0; i < n->nboxes; i++) {
		free(n->boxes[i].other);
		free(n->boxes[i].count_written);
	}
	free(n->boxes);
	for (i = 0; i < n->nstrays; i++)
		free(n->strays[i].text);
	free(n->strays);
	for (i = 0; i < n->nlist; i++)
		free(n->list[i].text);
	free(n->list);
	for (i = 0; i < n->nrows; i++) {
		for (j = 0; j < n->rows[i].ncells; j++)
			free(n->rows[i].cells[j].text);
		free(n->rows[i].cells);
	}
	free(n->rows);
}

void
pia_node_free(struct pia_node *n)
{
	struct pia_node *c, *next;

	/* Iterative over siblings, recursive over depth (the form bounds depth). */
	if (n == NULL)
		return;
	for (c = n->child; c != NULL; c = next) {
		next = c->next;
		pia_node_free(c);
	}
	free_value(n);
	free(n);
}

struct pia_node *
pia_node_child(const struct pia_node *n, const struct pia_fnode *f)
{
	struct pia_node *c;

	for (c = n->child; c != NULL; c = c->next)
		if (c->f == f)
			return c;
	return NULL;
}

struct pia_node *
pia_node_child_key(const struct pia_node *n, const char *key)
{
	struct pia_node *c;

	for (c = n->child; c != NULL; c = c->next)
		if (strcmp(c->f->key, key) == 0)
			return c;
	return NULL;
}

size_t
pia_node_entries(const struct pia_node *parent, const struct pia_fnode *f,
    struct pia_node **first)
{
	struct pia_node *c;
	size_t count = 0;

	if (first)
		*first = NULL;
	for (c = parent->child; c != NULL; c = c->next)
		if (c->f == f) {
			if (count++ == 0 && first)
				*first = c;
		}
	return count;
}

static int
text_filled(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 1;
	return 0;
}

int
pia_text_na(const char *s)
{
	static const char *const marks[] = { "—", "－", "-", "―", "‐", "該当なし", NULL };
	size_t i, n;

	if (s == NULL)
		return 0;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	for (n = strlen(s); n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
	    s[n - 1] == '\r'); n--)
		;
	for (i = 0; marks[i] != NULL; i++)
		if (strlen(marks[i]) == n && strncmp(s, marks[i], n) == 0)
			return 1;
	return 0;
}

int
pia_node_any_filled(const struct pia_node *n)
{
	const struct pia_node *c;

	for (c = n->child; c != NULL; c = c->next)
		if (c->f->kind == PIA_F_ITEM ? pia_node_filled(c) : pia_node_any_filled(c))
			return 1;
	return 0;
}

int
pia_node_filled(const struct pia_node *n)
{
	if (!n->present)
		return 0;
	switch (n->f->type) {
	case PIA_T_MARKDOWN:
		return n->md != NULL && cmark_node_first_child(n->md) != NULL;
	case PIA_T_CHECKS:
		return n->nboxes > 0 || text_filled(n->text);
	case PIA_T_LIST:
		return n->nlist > 0;
	case PIA_T_TABLE:
		return n->nrows > 0;
	default:
		return text_filled(n->text);
	}
}

/* "2." → "2", "（別添1）" stays. */
static void
put_no(struct pia_buf *b, const char *no)
{
	size_t len = strlen(no);

	if (len > 1 && no[len - 1] == '.')
		len--;
	pia_buf_put(b, no, len);
}

static void
put_entry(struct pia_buf *b, const struct pia_fnode *f, unsigned index)
{
	const char *p;

	for (p = f->entry; *p; p++) {
		if (p[0] == '{' && p[1] == 'n' && p[2] == '}') {
			pia_buf_printf(b, "%u", index);
			p += 2;
		} else
			pia_buf_putc(b, *p);
	}
}

char *
pia_node_title(const struct pia_node *n)
{
	struct pia_buf b = { 0 };
	const struct pia_fnode *f = n->f;

	if (n->index > 0 && f->entry != NULL) {
		put_entry(&b, f, n->index);
		/* A file is printed with its name: "(1) 住民基本台帳ファイル". */
		if (f->flags & PIA_FF_PERFILE) {
			const struct pia_node *c;
			for (c = n->child; c != NULL; c = c->next)
				if ((c->f->flags & PIA_FF_TITLE) && c->text && *c->text) {
					pia_buf_printf(&b, " %s", c->text);
					break;
				}
		}
		return pia_buf_take(&b);
	}
	if (f->no)
		pia_buf_puts(&b, f->no);
	if (f->kind == PIA_F_ITEM || f->no == NULL) {
		if (f->no && f->kind != PIA_F_ITEM)
			pia_buf_putc(&b, ' ');
		pia_buf_puts(&b, f->label);
	} else {
		pia_buf_putc(&b, ' ');
		pia_buf_puts(&b, f->label);
	}
	return pia_buf_take(&b);
}

static int
label_shared(const struct pia_fnode *f)
{
	const struct pia_fnode *o;

	for (o = f->parent ? f->parent->child : NULL; o != NULL; o = o->next)
		if (o != f && strcmp(o->label, f->label) == 0)
			return 1;
	return 0;
}

/* One path component of n, as printed in change lists. */
static void
component(struct pia_buf *b, const struct pia_node *n)
{
	const struct pia_fnode *f = n->f;

	switch (f->kind) {
	case PIA_F_COVER:
		pia_buf_puts(b, f->label);
		return;
	case PIA_F_SECTION:
	case PIA_F_ANNEX:
	case PIA_F_CHANGES:
		if (f->no)
			put_no(b, f->no);
		else
			pia_buf_puts(b, f->label);
		if (n->index > 0 && f->entry)
			put_entry(b, f, n->index);
		return;
	case PIA_F_GROUP:
		if (n->index > 0 && f->entry) {
			if (f->no) {
				put_no(b, f->no);
				pia_buf_putc(b, '-');
			}
			put_entry(b, f, n->index);
		} else if (f->no)
			put_no(b, f->no);
		else
			pia_buf_puts(b, f->label);
		return;
	case PIA_F_ITEM:
		if (f->no)
			pia_buf_puts(b, f->no);
		/* Siblings that print the same label are told apart by their keys. */
		pia_buf_puts(b, label_shared(f) ? f->key : f->label);
		return;
	case PIA_F_ROW:
		put_entry(b, f, n->index);
		return;
	case PIA_F_CELL:
		pia_buf_puts(b, f->label);
		return;
	default:
		return;
	}
}

char *
pia_node_path(const struct pia_node *n)
{
	const struct pia_node *v[64];
	struct pia_buf b = { 0 };
	size_t depth = 0, i;

	for (; n != NULL && n->f->kind != PIA_F_FORM && depth < 64; n = n->parent)
		v[depth++] = n;
	for (i = depth; i > 0; i--) {
		if (b.len > 0)
			pia_buf_putc(&b, '-');
		component(&b, v[i - 1]);
	}
	return pia_buf_take(&b);
}

void
pia_walk_init(struct pia_walk *w, struct pia_node *root)
{
	w->root = root;
	w->cur = NULL;
	w->ev = PIA_WALK_DONE;
}

enum pia_walk_event
pia_walk_next(struct pia_walk *w, struct pia_node **out)
{
	struct pia_node *n = w->cur;

	if (n == NULL) {
		/* First call. */
		if (w->root == NULL)
			return PIA_WALK_DONE;
		w->cur = w->root;
		w->ev = PIA_WALK_ENTER;
	} else if (w->ev == PIA_WALK_ENTER && n->child != NULL) {
		w->cur = n->child;
		w->ev = PIA_WALK_ENTER;
	} else if (w->ev == PIA_WALK_ENTER) {
		/* A leaf: its EXIT follows at once, so renderers can pair them. */
		w->ev = PIA_WALK_EXIT;
	} else if (n == w->root) {
		w->cur = NULL;
		w->root = NULL;
		return PIA_WALK_DONE;
	} else if (n->next != NULL) {
		w->cur = n->next;
		w->ev = PIA_WALK_ENTER;
	} else {
		w->cur = n->parent;
		w->ev = PIA_WALK_EXIT;
	}
	*out = w->cur;
	return w->ev;
}

const char *
pia_report_file(struct pia_report *r, const char *path)
{
	size_t i;

	for (i = 0; i < r->nfiles; i++)
		if (strcmp(r->files[i], path) == 0)
			return r->files[i];
	r->files = xrealloc(r->files, (r->nfiles + 1) * sizeof(char *));
	return r->files[r->nfiles++] = xstrdup(path);
}

static const struct pia_node *
find_flag(const struct pia_node *n, unsigned flag, const char *role)
{
	const struct pia_node *c, *hit;

	if ((flag && (n->f->flags & flag)) || (role && n->f->role && strcmp(n->f->role, role) == 0))
		return n;
	for (c = n->child; c != NULL; c = c->next)
		if ((hit = find_flag(c, flag, role)) != NULL)
			return hit;
	return NULL;
}

const struct pia_node *
pia_report_role(const struct pia_report *r, const char *role)
{
	return find_flag(r->root, 0, role);
}

const struct pia_node *
pia_report_published(const struct pia_report *r)
{
	return find_flag(r->root, PIA_FF_PUBLISHED, NULL);
}

void
pia_report_free(struct pia_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	pia_node_free(r->root);
	for (i = 0; i < r->nchanges; i++) {
		free(r->changes[i].date_text);
		free(r->changes[i].item);
		free(r->changes[i].before);
		free(r->changes[i].after);
		free(r->changes[i].timing);
		free(r->changes[i].reason);
		free(r->changes[i].why);
		free(r->changes[i].page);
		free(r->changes[i].before_ver);
		free(r->changes[i].after_ver);
		free(r->changes[i].change_reason);
		free(r->changes[i].risk_change);
		free(r->changes[i].risk_status);
		free(r->changes[i].risk_measure);
	}
	free(r->changes);
	for (i = 0; i < r->nnotes; i++)
		free(r->notes[i].label);
	free(r->notes);
	for (i = 0; i < r->nmd_marks; i++)
		free(r->md_marks[i].text);
	free(r->md_marks);
	for (i = 0; i < r->nfiles; i++)
		free(r->files[i]);
	free(r->files);
	free(r->dir);
	free(r->slug);
	free(r);
}

void
pia_site_free(struct pia_site *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nreports; i++)
		pia_report_free(s->reports[i]);
	free(s->reports);
	for (i = 0; i < s->ncontacts; i++) {
		free(s->contacts[i].id);
		free(s->contacts[i].dept);
		free(s->contacts[i].postal);
		free(s->contacts[i].address);
		free(s->contacts[i].phone);
		free(s->contacts[i].hours);
	}
	free(s->contacts);
	free(s->dir);
	free(s->name);
	free(s->reading);
	free(s->prefecture);
	free(s->organ);
	free(s->url);
	free(s->title);
	free(s);
}

struct pia_pos
pia_chg_pos(const struct pia_chg_where *w, const struct pia_change *rows, size_t i,
    enum pia_chg_field f)
{
	if (w != NULL && w->pos != NULL)
		return w->pos(w->ctx, i, f);
	return rows[i].pos;
}
