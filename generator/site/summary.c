/*
 * A report's summary for incremental builds (site.c): what the site-wide
 * passes read of a report whose folder is taken from the previous site,
 * so that a rebuild need not load it.  Those passes (the index, the feed,
 * the sitemap, the search index's order, the checks across the city)
 * read only items with a role or the 公表日 flag, and the rows of the
 * 変更箇所 with their 変更日 and 項目 cells (the feed, html/feed.c); the
 * summary keeps those nodes, their ancestors, and the parts
 * (the root's children, so that a part's position, hence its HTML id, is
 * the same), with their values as loaded.  Anything else of the report
 * (its page, PDF, postings, checks) comes from the previous build.
 *
 * Nodes in preorder, one record each, numbers as decimal text ended by a
 * space, strings as LENGTH ":" BYTES (a length of "-" for NULL):
 *   DEPTH CHILD INDEX PRESENT NA CHOICE COUNT YEAR MONTH DAY FILE LINE COL TEXT WRITTEN
 * CHILD is the position of the node's form node among its parent's; FILE
 * the position in the file list before the nodes (-1: none).  A summary
 * that does not read whole gives no report: the report is loaded.
 */
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "model.h"
#include "site.h"
#include "util.h"

static void
put_num(struct pia_buf *b, long v)
{
	pia_buf_printf(b, "%ld ", v);
}

static void
put_str(struct pia_buf *b, const char *s)
{
	if (s == NULL) {
		pia_buf_puts(b, "-:");
		return;
	}
	pia_buf_printf(b, "%zu:", strlen(s));
	pia_buf_puts(b, s);
}

/* The position of f among its parent's children. */
static long
child_pos(const struct pia_fnode *f)
{
	const struct pia_fnode *c;
	long i = 0;

	if (f->parent == NULL)
		return 0;
	for (c = f->parent->child; c != NULL && c != f; c = c->next)
		i++;
	return i;
}

static long
file_pos(const struct pia_report *r, const char *file)
{
	size_t i;

	for (i = 0; file != NULL && i < r->nfiles; i++)
		if (r->files[i] == file || strcmp(r->files[i], file) == 0)
			return (long)i;
	return -1;
}

/* What the site-wide passes look for (see the top of this file). */
static int
wanted(const struct pia_node *n)
{
	return n->f->role != NULL || (n->f->flags & PIA_FF_PUBLISHED) != 0;
}

/*
 * n and what is needed below it, at depth; keep: below a 変更箇所 part,
 * where every row is kept, of its cells those the feed reads.  Returns 1
 * when something was written.
 */
static int
put_node(struct pia_buf *b, const struct pia_report *r, const struct pia_node *n,
    long depth, int keep)
{
	const struct pia_node *c;
	size_t mark = b->len;
	int any = 0, rows = keep || n->f->kind == PIA_F_CHANGES;

	if (keep && n->parent != NULL && n->parent->f->kind == PIA_F_ROW)
		keep = n->f->type == PIA_T_DATE || n->f->type == PIA_T_ITEMPATH;

	put_num(b, depth);
	put_num(b, child_pos(n->f));
	put_num(b, (long)n->index);
	put_num(b, n->present);
	put_num(b, n->na);
	put_num(b, n->choice);
	put_num(b, n->count);
	put_num(b, n->date.year);
	put_num(b, n->date.month);
	put_num(b, n->date.day);
	put_num(b, file_pos(r, n->pos.file));
	put_num(b, (long)n->pos.line);
	put_num(b, (long)n->pos.col);
	put_str(b, n->text);
	put_str(b, n->written);
	for (c = n->child; c != NULL; c = c->next)
		any |= put_node(b, r, c, depth + 1, rows);
	if (keep || n->f->kind == PIA_F_CHANGES || any || wanted(n) || depth <= 1)
		return 1;
	b->len = mark;
	return 0;
}

/* A path below the content folder as "+" and the rest, else "=" and the path. */
static void
put_path(struct pia_buf *b, const char *path, const char *sitedir)
{
	size_t k = strlen(sitedir);
	struct pia_buf t = { 0 };

	if (strncmp(path, sitedir, k) == 0 && path[k] == '/') {
		pia_buf_putc(&t, '+');
		pia_buf_puts(&t, path + k + 1);
	} else {
		pia_buf_putc(&t, '=');
		pia_buf_puts(&t, path);
	}
	put_str(b, t.data);
	pia_buf_free(&t);
}

void
pia_summary_write(struct pia_buf *b, const struct pia_report *r, const char *sitedir)
{
	size_t i;

	put_str(b, r->form->file);
	put_num(b, (long)r->nfiles);
	for (i = 0; i < r->nfiles; i++)
		put_path(b, r->files[i], sitedir);
	put_num(b, file_pos(r, r->pos.file));
	put_num(b, (long)r->pos.line);
	put_num(b, (long)r->pos.col);
	if (r->root != NULL)
		put_node(b, r, r->root, 0, 0);
}

/* ---- reading ------------------------------------------------------------- */

struct reader {
	const char	*p, *end;
	int		 bad;
};

static long
get_num(struct reader *rd)
{
	char *stop;
	long v;

	if (rd->bad || rd->p >= rd->end || memchr(rd->p, ' ', (size_t)(rd->end - rd->p)) == NULL) {
		rd->bad = 1;
		return 0;
	}
	v = strtol(rd->p, &stop, 10);
	if (stop == rd->p || *stop != ' ') {
		rd->bad = 1;
		return 0;
	}
	rd->p = stop + 1;
	return v;
}

/* A string (NULL for none, or when it does not read: see rd->bad). */
static char *
get_str(struct reader *rd)
{
	const char *colon;
	char *stop;
	unsigned long n;

	if (rd->bad || rd->p >= rd->end ||
	    (colon = memchr(rd->p, ':', (size_t)(rd->end - rd->p))) == NULL) {
		rd->bad = 1;
		return NULL;
	}
	if (colon == rd->p + 1 && *rd->p == '-') {
		rd->p = colon + 1;
		return NULL;
	}
	n = strtoul(rd->p, &stop, 10);
	if (stop != colon || *rd->p < '0' || *rd->p > '9' ||
	    n > (unsigned long)(rd->end - colon - 1)) {
		rd->bad = 1;
		return NULL;
	}
	rd->p = colon + 1 + n;
	return xstrndup(colon + 1, n);
}

static const struct pia_fnode *
nth_child(const struct pia_fnode *f, long k)
{
	const struct pia_fnode *c;

	for (c = f->child; c != NULL && k > 0; c = c->next)
		k--;
	return k == 0 ? c : NULL;
}

/* One node's record (after its depth), as a child of parent (NULL: the root). */
static struct pia_node *
get_node(struct reader *rd, struct pia_report *r, struct pia_node *parent)
{
	struct pia_node *n = xcalloc(1, sizeof(*n));
	long k = get_num(rd), file;

	n->f = parent == NULL ? (k == 0 ? r->form->root : NULL) : nth_child(parent->f, k);
	n->index = (unsigned)get_num(rd);
	n->present = (int)get_num(rd);
	n->na = (int)get_num(rd);
	n->choice = (int)get_num(rd);
	n->count = get_num(rd);
	n->date.year = (int)get_num(rd);
	n->date.month = (int)get_num(rd);
	n->date.day = (int)get_num(rd);
	file = get_num(rd);
	n->pos.line = (unsigned)get_num(rd);
	n->pos.col = (unsigned)get_num(rd);
	n->text = get_str(rd);
	n->written = get_str(rd);
	if (file < -1 || file >= (long)r->nfiles)
		rd->bad = 1;
	else if (file >= 0)
		n->pos.file = r->files[file];
	/* A choice beyond the form's choices would be read past them. */
	if (n->f == NULL || (n->choice >= 0 && (n->f->choices == NULL ||
	    (size_t)n->choice >= n->f->choices->n)))
		rd->bad = 1;
	if (parent != NULL)
		pia_node_append(parent, n);
	return n;
}

struct pia_report *
pia_summary_read(const char *p, size_t len, const struct pia_forms *fs, const char *dir,
    const char *slug, const char *sitedir)
{
	struct reader rd = { p, p + len, 0 };
	struct pia_report *r = xcalloc(1, sizeof(*r));
	const struct pia_form *form = NULL;
	struct pia_node *stack[64], *n;
	char *name, *path;
	long i, nfiles, file, depth, top = -1;

	r->dir = xstrdup(dir);
	r->slug = xstrdup(slug);
	name = get_str(&rd);
	for (form = fs != NULL ? fs->first : NULL; name != NULL && form != NULL; form = form->next)
		if (strcmp(form->file, name) == 0)
			break;
	free(name);
	if ((r->form = form) == NULL)
		rd.bad = 1;
	nfiles = get_num(&rd);
	for (i = 0; !rd.bad && i < nfiles && nfiles < 4096; i++) {
		if ((name = get_str(&rd)) == NULL || (*name != '+' && *name != '=')) {
			rd.bad = 1;
			free(name);
			break;
		}
		path = *name == '+' ? xasprintf("%s/%s", sitedir, name + 1) : xstrdup(name + 1);
		pia_report_file(r, path);
		free(path);
		free(name);
	}
	if ((long)r->nfiles != nfiles)
		rd.bad = 1;
	file = get_num(&rd);
	r->pos.line = (unsigned)get_num(&rd);
	r->pos.col = (unsigned)get_num(&rd);
	if (file >= 0 && file < (long)r->nfiles)
		r->pos.file = r->files[file];
	else if (file != -1)
		rd.bad = 1;
	while (!rd.bad && rd.p < rd.end) {
		depth = get_num(&rd);
		if (rd.bad || depth < 0 || depth > top + 1 || depth >= 64 ||
		    (depth == 0 && r->root != NULL)) {
			rd.bad = 1;
			break;
		}
		n = get_node(&rd, r, depth == 0 ? NULL : stack[depth - 1]);
		if (depth == 0)
			r->root = n;
		stack[depth] = n;
		top = depth;
	}
	if (rd.bad || r->root == NULL) {
		pia_report_free(r);
		return NULL;
	}
	return r;
}
