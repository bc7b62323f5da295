/*
 * Load one report folder into the model:
 *   report.xml      structured values; element names are the form's keys
 *   sections/NN-name.md   long texts; headings name the form's items
 *   changes.xml     the 変更箇所 history
 * The form is the schema of report.xml: every element is matched against
 * the form node it instantiates, and a name the form does not know is
 * reported with the nearest key as a hint.
 *
 * Who owns what: the loader only loads.  It reports what keeps it from
 * reading the sources (XML and Markdown syntax, names and attributes the
 * form does not know, a value written twice, files out of the tree,
 * limits) and reads each value by its type where it can; what does not
 * read as its type it keeps as written (pia_node.written, .strays, a
 * box's 件数, a row's 変更日, the Markdown's footnotes in
 * pia_report.notes) and says nothing about it.  Judging values (VAL_*,
 * DATE_*, MD_FOOTNOTE_*) is the check pass's: check/values.c first, then
 * the rest of generator/check/ (check/all.c).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmark.h>
#include <libxml/tree.h>

#include "diag.h"
#include "form.h"
#include "load.h"
#include "load_int.h"
#include "md.h"
#include "model.h"
#include "util.h"
#include "wareki.h"

struct rload {
	struct pia_diag		*d;
	struct pia_xfile	*xf;
	struct pia_report	*r;
	const char		*root;	/* content tree */
};

/* md: suggest the printed title (headings), else the key (element names). */
char *
pia_load_hint(const struct pia_fnode *parent, const char *name, int md)
{
	const struct pia_fnode *c, *best = NULL;
	size_t d, bestd = (size_t)-1, len = pia_utf8_count(name, strlen(name));

	for (c = parent->child; c != NULL; c = c->next) {
		d = pia_utf8_distance(name, c->key);
		if (d < bestd) {
			bestd = d;
			best = c;
		}
		d = pia_utf8_distance(name, c->label);
		if (d < bestd) {
			bestd = d;
			best = c;
		}
		if (c->no != NULL) {
			/* Headings carry the number: "②事務の要約" is nearest "②事務の概要". */
			char *t = pia_fnode_title(c);
			d = pia_utf8_distance(name, t);
			free(t);
			if (d < bestd) {
				bestd = d;
				best = c;
			}
		}
	}
	if (best == NULL || bestd > len / 2 + 2)
		return xstrdup("");
	{
		char *t = pia_fnode_title(best), *r;
		r = xasprintf("（「%s」のことですか）", md ? t : best->key);
		free(t);
		return r;
	}
}

static struct pia_pos
xpos(struct rload *L, xmlNodePtr n)
{
	struct pia_pos p = pia_xfile_pos(L->xf, n);

	/* Positions live in the model, longer than the file buffer. */
	if (L->r != NULL)
		p.file = pia_report_file(L->r, p.file);
	return p;
}

static const char *
ename(xmlNodePtr n)
{
	return (const char *)n->name;
}

/* Only text inside an item: report child elements. */
static int
only_text(struct rload *L, xmlNodePtr n)
{
	xmlNodePtr k;
	struct pia_pos pos;

	if (pia_xonly_text(n, &k))
		return 1;
	pos = xpos(L, k);
	pia_diag(L->d, &pos, PIA_MSG_XML_CHILD, ename(n), ename(k));
	return 0;
}

/* Refuse attributes other than those allowed (NULL-terminated list). */
static void
check_attrs(struct rload *L, xmlNodePtr n, const char *const *allowed)
{
	xmlAttrPtr a;
	size_t i;
	struct pia_pos pos;

	for (a = n->properties; a != NULL; a = a->next) {
		for (i = 0; allowed && allowed[i]; i++)
			if (strcmp((const char *)a->name, allowed[i]) == 0)
				break;
		if (allowed == NULL || allowed[i] == NULL) {
			pos = xpos(L, n);
			pia_diag(L->d, &pos, PIA_MSG_XML_ATTR, ename(n), (const char *)a->name);
		}
	}
}

void
pia_load_date(const char *s, enum pia_wareki_want want, struct pia_date *out)
{
	char *t = pia_strtrim(s), *half;
	enum pia_wareki_err e;

	/* 令和６年 reads as 令和6年; that it was written so is the checks' to say. */
	if ((half = pia_halfwidth_digits(t)) != NULL) {
		free(t);
		t = half;
	}
	e = pia_wareki_parse(t, want, out);
	if (e != PIA_WAREKI_OK && e != PIA_WAREKI_GANNEN)
		memset(out, 0, sizeof(*out));
	free(t);
}

static int
parse_count(const char *s, long *out)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || errno != 0 || v < 0)
		return 0;
	*out = v;
	return 1;
}

/*
 * The children of a checks, list or table value are elements of one name
 * (<選択>, <項目>, <行>, <列>).  Returns k when it is such an element;
 * reports stray text and other elements (with how to write the value) and
 * returns NULL for them, and for comments and blanks.
 */
static xmlNodePtr
value_child(struct rload *L, xmlNodePtr parent, xmlNodePtr k, const char *want,
    const char *label, const char *howto)
{
	struct pia_pos pos;
	char *t;

	if (k->type == XML_TEXT_NODE && !xmlIsBlankNode(k)) {
		t = pia_strtrim((const char *)k->content);
		pos = xpos(L, parent);
		pia_diag(L->d, &pos, PIA_MSG_XML_TEXT, ename(parent), t);
		free(t);
		return NULL;
	}
	if (k->type != XML_ELEMENT_NODE)
		return NULL;
	if (strcmp(ename(k), want) != 0) {
		pos = xpos(L, k);
		t = xasprintf("（%s）", howto);
		pia_diag(L->d, &pos, PIA_MSG_XML_UNKNOWN, ename(k), label, t);
		free(t);
		return NULL;
	}
	return k;
}

/* A stray of kind k under m, for the checks to judge (text owned by it). */
static void
add_stray(struct pia_node *m, enum pia_stray_kind k, const struct pia_fnode *f, char *text,
    const struct pia_pos *pos)
{
	struct pia_stray *x;

	m->strays = xrealloc(m->strays, (m->nstrays + 1) * sizeof(*m->strays));
	x = &m->strays[m->nstrays++];
	x->kind = k;
	x->f = f;
	x->text = text;
	x->pos = *pos;
}

/*
 * The boxes as written: a label none of the choices is kept as a stray,
 * 内容 and 件数 as written (what a choice takes is judged by the checks),
 * the 件数 of a choice that has one read as a number when it is one.
 */
static void
read_checks(struct rload *L, xmlNodePtr n, struct pia_node *m)
{
	static const char *const box_attrs[] = { "内容", "件数", NULL };
	const struct pia_choices *c = m->f->choices;
	xmlNodePtr k;
	struct pia_pos pos;
	size_t i;

	for (k = n->children; k != NULL; k = k->next) {
		struct pia_box *b;
		char *label, *other, *half;
		int idx;

		if (value_child(L, n, k, "選択", m->f->label,
		    "チェックした項目は <選択>…</選択> と書きます") == NULL)
			continue;
		pos = xpos(L, k);
		check_attrs(L, k, box_attrs);
		if (!only_text(L, k))
			continue;
		label = pia_xtext(k);
		if (strstr(label, PIA_PLACEHOLDER) != NULL) {
			free(m->text);
			m->text = label;
			continue;
		}
		if ((idx = pia_choices_find(c, label)) < 0) {
			add_stray(m, PIA_STRAY_BOX, NULL, label, &pos);
			continue;
		}
		for (i = 0; i < m->nboxes; i++)
			if (m->boxes[i].choice == (size_t)idx) {
				pia_diag(L->d, &pos, PIA_MSG_XML_DUPLICATE, label, m->boxes[i].pos.line);
				break;
			}
		free(label);
		if (i < m->nboxes)
			continue;
		m->boxes = xrealloc(m->boxes, (m->nboxes + 1) * sizeof(*m->boxes));
		b = &m->boxes[m->nboxes++];
		memset(b, 0, sizeof(*b));
		b->choice = (size_t)idx;
		b->pos = pos;
		b->count = -1;
		if ((other = pia_xattr(k, "内容")) != NULL) {
			b->other = pia_strtrim(other);
			free(other);
		}
		/* Read only where the choice has a （ N ）件 to print it in. */
		b->count_written = pia_xattr(k, "件数");
		if (b->count_written != NULL && (c->v[idx].flags & PIA_CF_COUNT)) {
			half = pia_halfwidth_digits(b->count_written);
			parse_count(half != NULL ? half : b->count_written, &b->count);
			free(half);
		}
	}
}

static void
read_list(struct rload *L, xmlNodePtr n, struct pia_node *m)
{
	xmlNodePtr k;
	struct pia_pos pos;

	for (k = n->children; k != NULL; k = k->next) {
		struct pia_cell *c;
		if (value_child(L, n, k, "項目", m->f->label,
		    "一覧の各項目は <項目>…</項目> と書きます") == NULL)
			continue;
		pos = xpos(L, k);
		check_attrs(L, k, NULL);
		if (!only_text(L, k))
			continue;
		m->list = xrealloc(m->list, (m->nlist + 1) * sizeof(*m->list));
		c = &m->list[m->nlist++];
		c->text = pia_xtext(k);
		c->pos = pos;
	}
}

static void
read_table(struct rload *L, xmlNodePtr n, struct pia_node *m)
{
	xmlNodePtr k, c;
	struct pia_pos pos;

	for (k = n->children; k != NULL; k = k->next) {
		struct pia_row *row;
		if (value_child(L, n, k, "行", m->f->label,
		    "表の各行は <行><列>…</列></行> と書きます") == NULL)
			continue;
		pos = xpos(L, k);
		m->rows = xrealloc(m->rows, (m->nrows + 1) * sizeof(*m->rows));
		row = &m->rows[m->nrows++];
		memset(row, 0, sizeof(*row));
		row->pos = pos;
		for (c = k->children; c != NULL; c = c->next) {
			if (value_child(L, k, c, "列", "行",
			    "表の各列は <列>…</列> と書きます") == NULL)
				continue;
			row->cells = xrealloc(row->cells, (row->ncells + 1) * sizeof(*row->cells));
			row->cells[row->ncells].text = pia_xtext(c);
			row->cells[row->ncells].pos = xpos(L, c);
			row->ncells++;
		}
	}
}

/* Markdown written inside report.xml: parse it at the element's line. */
static void
read_markdown(struct rload *L, xmlNodePtr n, struct pia_node *m)
{
	struct pia_mdsrc src;
	struct pia_pos pos = xpos(L, n);

	memset(&src, 0, sizeof(src));
	src.file = pos.file;
	src.dir = L->r->dir;
	src.root = L->root;
	src.r = L->r;
	src.buf = m->text;
	src.len = strlen(m->text);
	/* The text usually starts on the line after the start tag. */
	src.line0 = pos.line > 0 ? pos.line - (n->children && n->children->content &&
	    ((const char *)n->children->content)[0] == '\n' ? 0 : 1) : 0;
	pia_mdsrc_index(&src);
	m->md = pia_md_parse(L->d, &src);
	free(src.lines);
}

static void
read_value(struct rload *L, xmlNodePtr n, struct pia_node *m)
{
	const struct pia_fnode *f = m->f;
	struct pia_pos pos = xpos(L, n);

	m->present = 1;
	m->pos = pos;
	switch (f->type) {
	case PIA_T_CHECKS:
		check_attrs(L, n, NULL);
		read_checks(L, n, m);
		return;
	case PIA_T_LIST:
		check_attrs(L, n, NULL);
		read_list(L, n, m);
		return;
	case PIA_T_TABLE:
		check_attrs(L, n, NULL);
		read_table(L, n, m);
		return;
	default:
		break;
	}
	check_attrs(L, n, NULL);
	if (!only_text(L, n))
		return;
	m->text = pia_xtext(n);
	/* pia new's placeholders are reported by the checks, not parsed. */
	if (m->text[0] == '\0' || strstr(m->text, PIA_PLACEHOLDER) != NULL)
		return;
	/* Not applicable, where the 様式 allows it (na="yes"): kept as written. */
	if ((f->flags & PIA_FF_NA) && pia_text_na(m->text)) {
		char *t = pia_strtrim(m->text);
		free(m->text);
		m->text = t;
		m->na = 1;
		if (f->type == PIA_T_MARKDOWN)
			m->md = pia_md_literal(m->text);
		return;
	}
	/*
	 * 「１」「令和７年１０月１日」 are read as 1 and 令和7年10月1日, kept as
	 * written too; a choice only when that makes it one of the list.
	 */
	if (f->type == PIA_T_COUNT || f->type == PIA_T_DATE || f->type == PIA_T_YEARMONTH ||
	    f->type == PIA_T_CHOICE) {
		char *half = pia_halfwidth_digits(m->text);

		if (half != NULL && (f->type != PIA_T_CHOICE ||
		    (pia_choices_find(f->choices, m->text) < 0 &&
		    pia_choices_find(f->choices, half) >= 0))) {
			m->written = m->text;
			m->text = half;
		} else
			free(half);
	}
	/* What does not read as its type is kept as written (check/values.c says why). */
	switch (f->type) {
	case PIA_T_MARKDOWN:
		read_markdown(L, n, m);
		break;
	case PIA_T_CHOICE:
		m->choice = pia_choices_find(f->choices, m->text);
		break;
	case PIA_T_COUNT:
		parse_count(m->text, &m->count);
		break;
	case PIA_T_DATE:
		pia_load_date(m->text, PIA_WAREKI_DATE, &m->date);
		break;
	case PIA_T_YEARMONTH:
		pia_load_date(m->text, PIA_WAREKI_YEARMONTH, &m->date);
		break;
	default:
		break;
	}
}

/* Bind the element children of el to the children of model node m. */
static void
bind(struct rload *L, xmlNodePtr el, struct pia_node *m)
{
	xmlNodePtr k;
	const struct pia_fnode *f;
	struct pia_node *c;
	struct pia_pos pos;

	for (k = el->children; k != NULL; k = k->next) {
		if (k->type == XML_TEXT_NODE && !xmlIsBlankNode(k)) {
			char *t = pia_strtrim((const char *)k->content);
			if (strlen(t) > 40)
				t[40] = '\0';
			pos = xpos(L, el);
			pia_diag(L->d, &pos, PIA_MSG_XML_TEXT, ename(el), t);
			free(t);
			continue;
		}
		if (k->type != XML_ELEMENT_NODE)
			continue;
		pos = xpos(L, k);
		if ((f = pia_fnode_child(m->f, ename(k))) == NULL ||
		    f->kind == PIA_F_CHANGES) {
			char *hint = pia_load_hint(m->f, ename(k), 0);
			pia_diag(L->d, &pos, PIA_MSG_XML_UNKNOWN, ename(k),
			    m->f->kind == PIA_F_FORM ? "評価書" : m->f->label, hint);
			free(hint);
			continue;
		}
		if (f->flags & PIA_FF_REPEAT) {
			unsigned n = (unsigned)pia_node_entries(m, f, NULL);
			/* Not read: kept as a stray for the checks (VAL_REPEAT_MAX). */
			if (f->max > 0 && n >= f->max) {
				add_stray(m, PIA_STRAY_ENTRY, f, NULL, &pos);
				continue;
			}
			c = pia_node_add_entry(m, f);
		} else {
			c = pia_node_child(m, f);
			if (c->pos.file != NULL) {
				pia_diag(L->d, &pos, PIA_MSG_XML_DUPLICATE, ename(k), c->pos.line);
				continue;
			}
		}
		if (f->kind == PIA_F_ITEM)
			read_value(L, k, c);
		else {
			check_attrs(L, k, NULL);
			c->pos = pos;
			bind(L, k, c);
		}
	}
}

/*
 * What pia writes at the top of a site (site/site.c, html/), and the
 * preview server's own path: a report folder of that name would overwrite
 * it or be hidden by it.  Compared ignoring case, as many web servers do.
 */
static const char *const site_files[] = {
	"assets", "index.html", "search.html", "search-index.js", "search", "feed.atom",
	"sitemap.xml", "robots.txt", "favicon.ico", "__pia", NULL
};

/* Longest report folder name in bytes. */
#define MAX_SLUG	200u

/* Characters that cannot stand in a folder name that is also a URL path. */
static int
bad_cp(uint32_t c)
{
	if (c < 0x80)
		return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~');
	/* C1 controls, spaces, invisible and direction marks. */
	return c <= 0xA0 || c == 0xAD || (c >= 0x2000 && c <= 0x200F) ||
	    (c >= 0x2028 && c <= 0x202F) || (c >= 0x205F && c <= 0x206F) ||
	    c == 0x3000 || c == 0xFEFF || c >= 0xFFF0;
}

/*
 * A report folder's name is its address on the site (NAME/index.html,
 * NAME/NAME.pdf): letters, digits, "-", "_", ".", "~" and Japanese
 * characters; not the name of a file the site has at its top.  The
 * message is about the folder; it shows the offending character printed
 * safely, since names may hold control characters.  Returns 0 when good.
 */
static int
check_slug(struct pia_diag *d, const char *dir)
{
	const char *slash = strrchr(dir, '/'), *name = slash ? slash + 1 : dir;
	char *parent = slash ? xstrndup(dir, (size_t)(slash - dir)) : xstrdup(".");
	struct pia_buf shown = { 0 }, ch = { 0 };
	struct pia_pos pos = { parent, 0, 0 };
	size_t i, k, len = strlen(name);
	uint32_t c;
	int bad = 0;

	for (i = 0; i < len; i += k) {
		/* A byte that is not UTF-8 is shown as \xNN. */
		if ((k = pia_utf8_decode(name + i, len - i, &c)) == 0) {
			k = 1;
			pia_buf_printf(&shown, "\\x%02X", (unsigned char)name[i]);
			if (!bad)
				pia_buf_printf(&ch, "\\x%02X", (unsigned char)name[i]);
			bad = 1;
			continue;
		}
		if (c < 0x20 || c == 0x7F || (c >= 0x80 && bad_cp(c)))
			pia_buf_printf(&shown, "U+%04X", (unsigned)c);
		else
			pia_buf_put(&shown, name + i, k);
		if (!bad && bad_cp(c)) {
			bad = 1;
			if (c > 0x20 && c < 0x7F)
				pia_buf_putc(&ch, (char)c);
			else
				pia_buf_printf(&ch, "U+%04X", (unsigned)c);
		}
	}
	if (bad)
		pia_diag(d, &pos, PIA_MSG_REPORT_NAME_CHAR, shown.data, ch.data);
	else if (len > MAX_SLUG) {
		/* NAME/NAME-risk.pdf must fit in a file name (255 bytes). */
		pia_diag(d, &pos, PIA_MSG_REPORT_NAME_LONG, name, MAX_SLUG);
		bad = 1;
	} else
		for (i = 0; site_files[i] != NULL; i++)
			if (strcasecmp(name, site_files[i]) == 0) {
				pia_diag(d, &pos, PIA_MSG_REPORT_NAME_SITE, name, site_files[i]);
				bad = 1;
				break;
			}
	pia_buf_free(&shown);
	pia_buf_free(&ch);
	free(parent);
	return bad ? -1 : 0;
}

/*
 * The tree a report's files must stay inside when the caller names none:
 * a published version (REPORT/published/DATE) belongs to its report
 * folder, so published/ or the version linked out of it is caught; any
 * other folder is its own tree.  Caller frees.
 */
static char *
default_root(const char *dir)
{
	const char *v = strrchr(dir, '/'), *p;

	if (v == NULL || v == dir)
		return xstrdup(dir);
	for (p = v; p > dir && p[-1] != '/'; p--)
		;
	if ((size_t)(v - p) != 9 || strncmp(p, "published", 9) != 0)
		return xstrdup(dir);
	if (p == dir)
		return xstrdup(".");
	return p - dir == 1 ? xstrdup("/") : xstrndup(dir, (size_t)(p - dir - 1));
}

struct pia_report *
pia_load_report(struct pia_diag *d, const struct pia_forms *fs, const char *dir,
    const char *root)
{
	static const char *const root_attrs[] = { "様式", "版", NULL };
	struct rload L;
	struct pia_report *r;
	struct stat st;
	xmlNodePtr el;
	char *path, *kind, *version, *ownroot;
	const char *slash;
	struct pia_pos pos;

	memset(&L, 0, sizeof(L));
	L.d = d;
	/* Part of a content tree: the folder name is an address of the site. */
	if (root != NULL && check_slug(d, dir) != 0)
		return NULL;
	L.root = ownroot = root ? xstrdup(root) : default_root(dir);
	path = xasprintf("%s/report.xml", dir);
	/* Sources linked in from outside the content tree are refused, not read. */
	if (pia_path_inside(L.root, path) == 0) {
		pos.file = path;
		pos.line = pos.col = 0;
		pia_diag(d, &pos, PIA_MSG_PATH_OUTSIDE, path);
		free(path);
		free(ownroot);
		return NULL;
	}
	if ((L.xf = pia_xfile_read(d, path, NULL, 0)) == NULL) {
		free(path);
		free(ownroot);
		return NULL;
	}
	el = xmlDocGetRootElement(L.xf->doc);
	r = xcalloc(1, sizeof(*r));
	L.r = r;
	pos = xpos(&L, el);
	if (strcmp(ename(el), "評価書") != 0) {
		pia_diag(d, &pos, PIA_MSG_XML_ROOT, "評価書", ename(el));
		pia_xfile_free(L.xf);
		free(path);
		pia_report_free(r);
		free(ownroot);
		return NULL;
	}
	check_attrs(&L, el, root_attrs);
	kind = pia_xattr(el, "様式");
	version = pia_xattr(el, "版");
	r->dir = xstrdup(dir);
	slash = strrchr(dir, '/');
	r->slug = xstrdup(slash && slash[1] ? slash + 1 : dir);
	r->pos = pos;
	if (kind == NULL)
		pia_diag(d, &pos, PIA_MSG_FORM_NONE);
	else if ((r->form = pia_forms_find(fs, kind, version)) == NULL) {
		struct pia_buf b = { 0 };
		const struct pia_form *F;
		for (F = fs ? fs->first : NULL; F != NULL; F = F->next)
			pia_buf_printf(&b, "%s%s（%s）", b.len ? "、" : "", F->name, F->version);
		pia_diag(d, &pos, PIA_MSG_FORM_UNKNOWN, kind, version ? version : "",
		    b.data ? b.data : "なし");
		pia_buf_free(&b);
	}
	free(kind);
	free(version);
	if (r->form == NULL) {
		pia_xfile_free(L.xf);
		free(path);
		pia_report_free(r);
		free(ownroot);
		return NULL;
	}
	r->root = pia_node_new_tree(r->form->root);
	r->root->pos = pos;
	bind(&L, el, r->root);
	pia_xfile_free(L.xf);
	free(path);

	pia_load_sections(d, r, dir, L.root);
	path = xasprintf("%s/changes.xml", dir);
	/* lstat: a dangling or looping link is an error to show, not "no history". */
	if (lstat(path, &st) == 0 && pia_path_inside(L.root, path) == 0) {
		pos.file = pia_report_file(r, path);
		pos.line = pos.col = 0;
		pia_diag(d, &pos, PIA_MSG_PATH_OUTSIDE, path);
	} else if (lstat(path, &st) == 0)
		pia_load_changes(d, r, path);
	pia_load_rows(r);
	free(path);
	free(ownroot);
	return r;
}
