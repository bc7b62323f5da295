/*
 * Themes: page templates as well-formed XHTML read with libxml2, filled
 * through data-pia-* attributes (as sblg's data-sblg-*), and written out
 * as HTML5 by a small serializer of our own — libxml2's HTML serializer
 * would add a second charset declaration (libs.md §6.3).
 *
 *   data-pia-slot="main|breadcrumb|reports|contacts"
 *                         the element's content is replaced by generated
 *                         HTML; with nothing to put there the element goes
 *   data-pia-text="title|site-name|site-title|organ"
 *                         the element's content is replaced by that text
 *   data-pia-alt="…"      the alt attribute gets that text
 * Relative href, src and action values are written relative to the site
 * folder and rewritten for pages in sub-folders, so a theme never needs
 * to know where a page lives.  Comments in templates are dropped.
 *
 * A city copies themes/default and edits it; files its copy lacks come
 * from the default theme.
 *
 * Every page carries a Content-Security-Policy (PIA_HTML_CSP) as a meta
 * element right after <meta charset>, so that no theme or text can run
 * inline script or style: scripts, styles and images come from the site's
 * own files only (file:// included), nothing is fetched, framed or posted
 * elsewhere.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "atomic.h"
#include "diag.h"
#include "html.h"
#include "util.h"
#include "xmlsafe.h"

#define NTMPL 3
static const char *const tmpl_names[NTMPL] = { "page", "index", "search" };

struct pia_theme {
	char		*dir;		/* the city's theme, or NULL */
	char		*defdir;	/* the default theme */
	xmlDocPtr	 doc[NTMPL];
};

static int
is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int
is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * themes/default beside the binary (source tree or installed), else under
 * the PREFIX pia was built for, else in ".".
 */
static char *
default_dir(void)
{
	char exe[4096], *slash, *p;
	ssize_t n;

	static const char *const rel[] = {
		"../../themes/default",		/* build/bin/pia */
		"../../../themes/default",	/* build/san/bin/pia */
		"../share/pia/themes/default",	/* an installed pia */
		NULL
	};
	size_t i;

	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			for (i = 0; rel[i] != NULL; i++) {
				p = xasprintf("%s/%s", exe, rel[i]);
				if (is_dir(p))
					return p;
				free(p);
			}
		}
	}
	/* A copy of an installed binary moved elsewhere: the PREFIX it was built for. */
	if (is_dir(PIA_DATADIR "/themes/default"))
		return xstrdup(PIA_DATADIR "/themes/default");
	if (is_dir("themes/default"))
		return xstrdup("themes/default");
	return NULL;
}

/*
 * Parse a template with the safe reader (xmlsafe.h): a DOCTYPE only in its
 * harmless form "<!DOCTYPE html>".  Each problem is printed as a theme
 * error (THEME_DOCTYPE, THEME_XHTML with the reader's words); NULL then.
 */
static xmlDocPtr
parse(const char *path)
{
	struct pia_diag *d = pia_diag_new();
	const struct pia_diag_item *it;
	struct pia_pos pos = { path, 0, 0 };
	xmlDocPtr doc;
	size_t i, n;

	doc = pia_xml_doc(d, path, NULL, 0, PIA_XML_HTML_DOCTYPE);
	n = pia_diag_items(d, &it);
	for (i = 0; i < n; i++) {
		pos.line = it[i].line;
		if (it[i].msg == PIA_MSG_XML_DOCTYPE)
			pia_diag_now(stderr, &pos, PIA_MSG_THEME_DOCTYPE);
		else
			pia_diag_now(stderr, &pos, PIA_MSG_THEME_XHTML, it[i].text);
	}
	pia_diag_free(d);
	return doc;
}

/*
 * What the pages' Content-Security-Policy would refuse: a script element
 * without src, a style element, a style or on… attribute.  A theme that
 * has one is refused with its line, rather than published half working.
 */
static int
inline_code(const char *path, xmlNodePtr n)
{
	const char *name, *what = NULL;
	xmlAttr *a;
	xmlNodePtr c;
	int rc = 0;

	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		name = (const char *)n->name;
		if (strcmp(name, "script") == 0 && xmlHasProp(n, (const xmlChar *)"src") == NULL)
			what = "src のない <script>";
		else if (strcmp(name, "style") == 0)
			what = "<style>";
		else
			for (a = n->properties; a != NULL && what == NULL; a = a->next)
				if (strcmp((const char *)a->name, "style") == 0)
					what = "style 属性";
				else if (strncasecmp((const char *)a->name, "on", 2) == 0)
					what = "on… 属性（イベント）";
		if (what != NULL) {
			struct pia_pos pos = { path, (unsigned)xmlGetLineNo(n), 0 };

			pia_diag_now(stderr, &pos, PIA_MSG_THEME_INLINE, what);
			rc = -1;
			what = NULL;
		}
		for (c = n->children; c != NULL; c = c->next)
			if (c->type == XML_ELEMENT_NODE) {
				if (inline_code(path, c) != 0)
					rc = -1;
				break;
			}
	}
	return rc;
}

char *
pia_theme_default_dir(void)
{
	return default_dir();
}

/* The theme's folder (NULL: none) and the default theme's, read by the build's manifest. */
const char *
pia_theme_dirs(const struct pia_theme *t, const char **defdir)
{
	*defdir = t->defdir;
	return t->dir;
}

struct pia_theme *
pia_theme_load(const char *dir)
{
	struct pia_theme *t = xcalloc(1, sizeof(*t));
	struct pia_pos pos = { NULL, 0, 0 };
	char *p;
	size_t i;

	if (dir != NULL && !is_dir(dir)) {
		pos.file = dir;
		pia_diag_now(stderr, &pos, PIA_MSG_THEME_NONE);
		free(t);
		return NULL;
	}
	t->dir = dir ? xstrdup(dir) : NULL;
	t->defdir = default_dir();
	if (t->defdir == NULL && t->dir == NULL) {
		pia_diag_now(stderr, NULL, PIA_MSG_THEME_DEFAULT);
		pia_theme_free(t);
		return NULL;
	}
	for (i = 0; i < NTMPL; i++) {
		p = NULL;
		if (t->dir != NULL) {
			p = xasprintf("%s/html/%s.xhtml", t->dir, tmpl_names[i]);
			if (!is_file(p)) {
				free(p);
				p = NULL;
			}
		}
		if (p == NULL && t->defdir != NULL)
			p = xasprintf("%s/html/%s.xhtml", t->defdir, tmpl_names[i]);
		if (p == NULL || !is_file(p)) {
			pos.file = t->dir;
			pia_diag_now(stderr, &pos, PIA_MSG_THEME_TEMPLATE, tmpl_names[i]);
			free(p);
			pia_theme_free(t);
			return NULL;
		}
		t->doc[i] = parse(p);
		if (t->doc[i] != NULL && inline_code(p, xmlDocGetRootElement(t->doc[i])) != 0) {
			xmlFreeDoc(t->doc[i]);
			t->doc[i] = NULL;
		}
		free(p);
		if (t->doc[i] == NULL) {
			pia_theme_free(t);
			return NULL;
		}
	}
	return t;
}

void
pia_theme_free(struct pia_theme *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < NTMPL; i++)
		if (t->doc[i] != NULL)
			xmlFreeDoc(t->doc[i]);
	free(t->dir);
	free(t->defdir);
	free(t);
}

/* ---- the serializer --------------------------------------------------- */

struct ser {
	const struct pia_theme	*t;
	const struct pia_page	*pg;
	struct pia_buf		*b;
	char			*deftitle;	/* "星見台市の特定個人情報保護評価書" */
};

static const char *const void_elems[] = {
	"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
	"meta", "source", "track", "wbr", NULL
};

static int
is_void(const char *name)
{
	size_t i;

	for (i = 0; void_elems[i] != NULL; i++)
		if (strcmp(name, void_elems[i]) == 0)
			return 1;
	return 0;
}

static const char *
var(struct ser *s, const char *name)
{
	const struct pia_site *site = s->pg->site;

	if (strcmp(name, "title") == 0)
		return s->pg->title;
	if (site == NULL)
		return "";
	if (strcmp(name, "site-name") == 0)
		return site->name ? site->name : "";
	if (strcmp(name, "site-title") == 0) {
		if (site->title != NULL)
			return site->title;
		if (s->deftitle == NULL)
			s->deftitle = xasprintf("%sの特定個人情報保護評価書",
			    site->name ? site->name : "");
		return s->deftitle;
	}
	if (strcmp(name, "organ") == 0)
		return site->organ ? site->organ : "";
	return "";
}

static const char *
slot(const struct ser *s, const char *name)
{
	if (strcmp(name, "main") == 0)
		return s->pg->main;
	if (strcmp(name, "breadcrumb") == 0)
		return s->pg->crumbs;
	if (strcmp(name, "reports") == 0)
		return s->pg->reports;
	if (strcmp(name, "contacts") == 0)
		return s->pg->contacts;
	return NULL;
}

/* A link the theme wrote relative to the site folder. */
static int
site_relative(const char *v)
{
	const char *p;

	if (v[0] == '\0' || v[0] == '#' || v[0] == '/' || v[0] == '?')
		return 0;
	for (p = v; *p && *p != '/' && *p != '?' && *p != '#'; p++)
		if (*p == ':')
			return 0;
	return 1;
}

static int
is_data_pia(const xmlAttr *a)
{
	return strncmp((const char *)a->name, "data-pia-", 9) == 0;
}

static void	ser_children(struct ser *, xmlNodePtr);

static void
ser_attrs(struct ser *s, xmlNodePtr n, const char *alt)
{
	const char *name;
	xmlAttr *a;
	xmlChar *v;

	for (a = n->properties; a != NULL; a = a->next) {
		name = (const char *)a->name;
		/* xml:lang and other prefixed attributes mean nothing in HTML5. */
		if (is_data_pia(a) || a->ns != NULL)
			continue;
		if (alt != NULL && strcmp(name, "alt") == 0)
			continue;
		v = xmlNodeListGetString(n->doc, a->children, 1);
		pia_buf_printf(s->b, " %s=\"", name);
		if ((strcmp(name, "href") == 0 || strcmp(name, "src") == 0 ||
		    strcmp(name, "action") == 0) && v != NULL && site_relative((char *)v))
			pia_html_text(s->b, s->pg->root);
		pia_html_text(s->b, v ? (const char *)v : "");
		pia_buf_putc(s->b, '"');
		xmlFree(v);
	}
	if (alt != NULL) {
		pia_buf_puts(s->b, " alt=\"");
		pia_html_text(s->b, alt);
		pia_buf_putc(s->b, '"');
	}
}

static char *
attr(xmlNodePtr n, const char *name)
{
	return (char *)xmlGetNoNsProp(n, (const xmlChar *)name);
}

static int
has_attr(xmlNodePtr n, const char *name)
{
	return xmlHasProp(n, (const xmlChar *)name) != NULL;
}

/* Whether a head element has a <meta charset> child (the policy then follows it). */
static int
has_charset(xmlNodePtr head)
{
	xmlNodePtr c;

	for (c = head->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "meta") == 0 &&
		    has_attr(c, "charset"))
			return 1;
	return 0;
}

static void
ser_node(struct ser *s, xmlNodePtr n)
{
	const char *name, *content;
	char *sl, *tx, *al;
	xmlNodePtr part;

	switch (n->type) {
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		if (n->parent != NULL && n->parent->type == XML_ELEMENT_NODE &&
		    (strcmp((const char *)n->parent->name, "script") == 0 ||
		    strcmp((const char *)n->parent->name, "style") == 0))
			pia_buf_puts(s->b, (const char *)n->content);
		else
			pia_html_text(s->b, (const char *)n->content);
		return;
	case XML_ELEMENT_NODE:
		break;
	default:
		return;		/* comments, processing instructions */
	}
	name = (const char *)n->name;
	sl = attr(n, "data-pia-slot");
	tx = attr(n, "data-pia-text");
	al = attr(n, "data-pia-alt");
	content = NULL;
	if (sl != NULL) {
		content = slot(s, sl);
		/* The main slot of the frame takes the content template, if any. */
		if (strcmp(sl, "main") == 0 && s->pg->part != NULL)
			content = "";
		else if (content == NULL)
			goto out;	/* nothing to show: leave the element out */
	}
	pia_buf_printf(s->b, "<%s", name);
	ser_attrs(s, n, al ? var(s, al) : NULL);
	pia_buf_putc(s->b, '>');
	/* The policy right after <meta charset>, before anything it governs. */
	if (strcmp(name, "meta") == 0 && n->parent != NULL &&
	    strcmp((const char *)n->parent->name, "head") == 0 && has_attr(n, "charset"))
		pia_buf_puts(s->b, "\n" PIA_HTML_CSP_META);
	else if (strcmp(name, "head") == 0 && !has_charset(n))
		pia_buf_puts(s->b, PIA_HTML_CSP_META);
	if (is_void(name))
		goto out;
	if (sl != NULL && strcmp(sl, "main") == 0 && s->pg->part != NULL) {
		part = NULL;
		if (strcmp(s->pg->part, "index") == 0)
			part = xmlDocGetRootElement(s->t->doc[1]);
		else if (strcmp(s->pg->part, "search") == 0)
			part = xmlDocGetRootElement(s->t->doc[2]);
		if (part != NULL)
			ser_children(s, part);
	} else if (sl != NULL)
		pia_buf_puts(s->b, content);
	else if (tx != NULL)
		pia_html_text(s->b, var(s, tx));
	else
		ser_children(s, n);
	pia_buf_printf(s->b, "</%s>", name);
out:
	xmlFree(sl);
	xmlFree(tx);
	xmlFree(al);
}

static void
ser_children(struct ser *s, xmlNodePtr n)
{
	xmlNodePtr c;

	for (c = n->children; c != NULL; c = c->next)
		ser_node(s, c);
}

int
pia_theme_page(const struct pia_theme *t, const struct pia_page *pg, struct pia_buf *b)
{
	struct ser s = { t, pg, b, NULL };

	pia_buf_puts(b, "<!DOCTYPE html>\n");
	ser_node(&s, xmlDocGetRootElement(t->doc[0]));
	pia_buf_putc(b, '\n');
	free(s.deftitle);
	return 0;
}

/* ---- assets ------------------------------------------------------------ */

/* 0; -1 when src cannot be read (printed); -2 when dst cannot be written (errno set). */
static int
copy_file(const char *src, const char *dst)
{
	struct pia_pos pos = { NULL, 0, 0 };
	char *data;
	size_t len;
	int rc = 0, e;

	if (pia_read_file(src, 64u << 20, &data, &len) != 0) {
		pos.file = src;
		pia_diag_now(stderr, &pos, PIA_MSG_SYS_OPEN, pia_strerror(errno));
		return -1;
	}
	if (pia_write_file(dst, data, len) != 0) {
		e = errno;
		rc = -2;
	}
	free(data);
	if (rc != 0)
		errno = e;
	return rc;
}

/* Copy the regular files and folders of src into dst; dot files and links are skipped. */
static int
copy_tree(const char *src, const char *dst)
{
	struct dirent **v;
	struct stat st;
	char *s, *d;
	int i, n, rc = 0;

	if (mkdir(dst, 0755) != 0 && errno != EEXIST)
		return -2;
	if ((n = scandir(src, &v, NULL, alphasort)) < 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (v[i]->d_name[0] != '.' && rc == 0) {
			s = xasprintf("%s/%s", src, v[i]->d_name);
			d = xasprintf("%s/%s", dst, v[i]->d_name);
			if (lstat(s, &st) != 0)
				;	/* vanished meanwhile */
			else if (S_ISDIR(st.st_mode))
				rc = copy_tree(s, d);
			else if (S_ISREG(st.st_mode))
				rc = copy_file(s, d);
			free(s);
			free(d);
		}
		free(v[i]);
	}
	free(v);
	return rc;
}

int
pia_theme_copy_assets(const struct pia_theme *t, const char *outdir)
{
	char *src, *dst = xasprintf("%s/assets", outdir);
	int rc = 0;

	if (t->defdir != NULL) {
		src = xasprintf("%s/assets", t->defdir);
		rc = copy_tree(src, dst);
		free(src);
	}
	if (rc == 0 && t->dir != NULL) {
		src = xasprintf("%s/assets", t->dir);
		if (is_dir(src))
			rc = copy_tree(src, dst);
		free(src);
	}
	free(dst);
	return rc;
}
