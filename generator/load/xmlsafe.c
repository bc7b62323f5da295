/*
 * The one safe XML reader (xmlsafe.h) for every XML pia reads: sources,
 * 様式 files, the data compiled in, theme templates.  The rules come from
 * libs.md §6.2: XML_PARSE_NONET only; a DOCTYPE is refused before libxml2
 * sees the file, so no entity can be declared, expanded or fetched; files
 * have a size limit; bytes must be UTF-8; attributes per element are
 * counted before libxml2's quadratic duplicate check can run.  Line
 * numbers use XML_PARSE_BIG_LINES.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>

#include "diag.h"
#include "embed.h"
#include "load_int.h"
#include "util.h"
#include "xmlsafe.h"

/* Bytes of a line searched for an element's column (pia_xfile_pos). */
#define COLUMN_SCAN	4096

struct errctx {
	struct pia_diag		*d;
	const struct pia_xfile	*xf;
	int			 nerr;
	int			 schema;	/* relax ng: one message per line */
	long			 lastline;
	int			 broken;	/* a structural error was reported: drop its cascade */
};

/* libxml2's messages end in a newline; drop it. */
static char *
chomp(const char *m)
{
	char *s = xstrdup(m ? m : "");
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
	return s;
}

static void
on_error(void *arg, xmlErrorPtr e)
{
	struct errctx *c = arg;
	struct pia_pos pos;
	char *m;

	/* An undeclared entity (&nbsp;) is only a warning to libxml2, and its text would vanish. */
	if (e == NULL || (e->level == XML_ERR_WARNING && e->code != XML_WAR_UNDECLARED_ENTITY))
		return;
	pos.file = c->xf->path;
	pos.line = e->line > 0 ? (unsigned)e->line : 0;
	pos.col = e->int2 > 0 ? (unsigned)e->int2 : 0;
	if (c->schema) {
		/* RELAX NG reports cascades: keep the first message of a line. */
		if (e->node)
			pos = pia_xfile_pos(c->xf, (xmlNodePtr)e->node);
		if ((long)pos.line == c->lastline)
			return;
		c->lastline = pos.line;
	}
	/* libxml2 stops at 256 levels; say so in the words of pia's own limit. */
	if (!c->schema && e->code == XML_ERR_INTERNAL_ERROR && e->message != NULL &&
	    strstr(e->message, "Excessive depth") != NULL) {
		pia_diag(c->d, &pos, PIA_MSG_LIMIT_DEPTH, PIA_MAX_DEPTH);
		c->nerr++;
		return;
	}
	if (!c->schema && pia_xml_syntax_diag(c->d, &pos, e, &c->broken)) {
		c->nerr++;
		return;
	}
	m = chomp(e->message);
	if (!c->schema) {
		/* The common mistakes in Japanese, libxml2's own words after them. */
		const char *ja = NULL;
		char *both;
		switch (e->code) {
		case XML_ERR_TAG_NAME_MISMATCH:
			ja = "開始タグと終了タグが対応していません";
			break;
		case XML_ERR_DOCUMENT_END:
			ja = "最上位の要素の後に余分な内容があります";
			break;
		case XML_ERR_DOCUMENT_EMPTY:
			ja = "文書が空です";
			break;
		case XML_ERR_LT_IN_ATTRIBUTE:
		case XML_ERR_ATTRIBUTE_NOT_STARTED:
		case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
			ja = "属性の書き方が正しくありません";
			break;
		case XML_ERR_UNDECLARED_ENTITY:
		case XML_WAR_UNDECLARED_ENTITY:
			ja = "定義されていない実体参照です（& は &amp; と書きます）";
			break;
		case XML_ERR_NAME_REQUIRED:
		case XML_ERR_GT_REQUIRED:
		case XML_ERR_TAG_NOT_FINISHED:
			ja = "タグが正しく閉じていません";
			break;
		default:
			break;
		}
		if (ja != NULL) {
			both = xasprintf("%s（%s）", ja, m);
			free(m);
			m = both;
		}
	}
	if (c->schema) {
		/*
		 * RELAX NG's common findings in Japanese, naming the element they
		 * are about; libxml2's own words after them.
		 */
		const char *el = e->node != NULL ? (const char *)((xmlNodePtr)e->node)->name : NULL;
		const char *ja = NULL;
		char *both;

		switch (e->code) {
		case XML_RELAXNG_ERR_INTERSEQ:
		case XML_RELAXNG_ERR_INTEREXTRA:
		case XML_RELAXNG_ERR_INTERNODATA:
			ja = "の中の要素の組み合わせが定義に合いません（足りない要素、2回書いた要素、知らない要素がないか見てください）";
			break;
		case XML_RELAXNG_ERR_NOELEM:
			ja = "の中に必要な要素が書かれていません";
			break;
		case XML_RELAXNG_ERR_ELEMWRONG:
		case XML_RELAXNG_ERR_ELEMNAME:
		case XML_RELAXNG_ERR_EXTRACONTENT:
		case XML_RELAXNG_ERR_ELEMEXTRANS:
			ja = "はここに書けない要素か、ここにない要素を含みます";
			break;
		case XML_RELAXNG_ERR_INVALIDATTR:
		case XML_RELAXNG_ERR_NOTELEM:
			ja = "に書けない属性があります";
			break;
		case XML_RELAXNG_ERR_ATTRVALID:
		case XML_RELAXNG_ERR_DATATYPE:
		case XML_RELAXNG_ERR_VALUE:
		case XML_RELAXNG_ERR_LIST:
			ja = "の属性か値の書き方が定義に合いません";
			break;
		default:
			break;
		}
		if (ja != NULL && el != NULL) {
			both = xasprintf("<%s> %s（%s）", el, ja, m);
			free(m);
			m = both;
		}
	}
	pia_diag(c->d, &pos, c->schema ? PIA_MSG_XML_SCHEMA : PIA_MSG_XML_SYNTAX, m);
	free(m);
	c->nerr++;
}

static void
quiet(void *arg, xmlErrorPtr e)
{
	(void)arg;
	(void)e;
}

static void
silent(void *arg, const char *fmt, ...)
{
	(void)arg;
	(void)fmt;
}

static void
index_lines(struct pia_xfile *xf)
{
	size_t i, cap = 256;

	xf->lines = xmalloc(cap * sizeof(size_t));
	xf->lines[0] = 0;
	xf->nlines = 1;
	for (i = 0; i < xf->len; i++)
		if (xf->buf[i] == '\n') {
			if (xf->nlines == cap) {
				cap *= 2;
				xf->lines = xrealloc(xf->lines, cap * sizeof(size_t));
			}
			xf->lines[xf->nlines++] = i + 1;
		}
}

struct pia_pos
pia_xfile_offpos(const struct pia_xfile *xf, size_t off)
{
	struct pia_pos p;
	size_t lo = 0, hi = xf->nlines;

	/* Binary search for the line holding off. */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (xf->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	p.file = xf->path;
	p.line = (unsigned)lo + 1;
	p.col = (unsigned)pia_utf8_count(xf->buf + xf->lines[lo], off - xf->lines[lo]) + 1;
	return p;
}

/* "<!DOCTYPE html>" at s, the one harmless form (HTML5), any case. */
static int
html5_doctype(const char *s, size_t n)
{
	size_t i = 9;

	if (i >= n || (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n'))
		return 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	if (n - i < 4 || strncasecmp(s + i, "html", 4) != 0)
		return 0;
	i += 4;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	return i < n && s[i] == '>';
}

/*
 * Skip the prolog (XML declaration, comments, processing instructions,
 * white space) and tell whether a DOCTYPE follows; *off gets its offset.
 * With html5 set, "<!DOCTYPE html>" is not counted.
 */
static int
has_doctype(const char *s, size_t n, size_t *off, int html5)
{
	size_t i = 0;
	const char *e;

	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < n) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
			i++;
		} else if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			e = memmem(s + i + 4, n - i - 4, "-->", 3);
			if (e == NULL)
				return 0;
			i = (size_t)(e - s) + 3;
		} else if (n - i >= 2 && memcmp(s + i, "<?", 2) == 0) {
			e = memmem(s + i + 2, n - i - 2, "?>", 2);
			if (e == NULL)
				return 0;
			i = (size_t)(e - s) + 2;
		} else if (n - i >= 9 && strncasecmp(s + i, "<!DOCTYPE", 9) == 0) {
			if (html5 && html5_doctype(s + i, n - i)) {
				i = (size_t)((const char *)memchr(s + i, '>', n - i) - s) + 1;
				continue;
			}
			*off = i;
			return 1;
		} else
			return 0;
	}
	return 0;
}

/* Offset just past the first needle at or after i, or n when there is none. */
static size_t
past(const char *s, size_t n, size_t i, const char *needle)
{
	size_t k = strlen(needle);
	const char *e = i < n ? memmem(s + i, n - i, needle, k) : NULL;

	return e == NULL ? n : (size_t)(e - s) + k;
}

/*
 * Limits checked in the bytes, before libxml2 runs.  libxml2 compares each
 * attribute of a start tag with every earlier one (duplicates,
 * namespaces): 400,000 attributes in one tag never finish.  And every
 * element costs a node and often a message: millions of "<a/>" in 8 MB
 * take seconds and hundreds of MB.  So count the start tags, and the "="
 * of each outside quoted values.  Comments, CDATA, processing
 * instructions and end tags are skipped; anything else malformed is left
 * for libxml2 to report.  Returns the message, with *off at the "<" of the
 * tag over the limit, or PIA_MSG__MAX.
 */
static enum pia_msg
prescan(const char *s, size_t n, size_t *off)
{
	const char *e;
	size_t i = 0, tag, elements = 0;
	unsigned attrs;

	while (i < n && (e = memchr(s + i, '<', n - i)) != NULL) {
		i = (size_t)(e - s);
		if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0)
			i = past(s, n, i + 4, "-->");
		else if (n - i >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0)
			i = past(s, n, i + 9, "]]>");
		else if (n - i >= 2 && s[i + 1] == '?')
			i = past(s, n, i + 2, "?>");
		else if (n - i >= 2 && (s[i + 1] == '!' || s[i + 1] == '/'))
			i = past(s, n, i + 2, ">");
		else {
			*off = tag = i++;
			if (++elements > PIA_MAX_ELEMENTS)
				return PIA_MSG_LIMIT_ELEMENTS;
			attrs = 0;
			while (i < n && s[i] != '>' && s[i] != '<') {
				if (s[i] == '"' || s[i] == '\'') {
					e = memchr(s + i + 1, s[i], n - i - 1);
					if (e == NULL)
						return PIA_MSG__MAX;
					i = (size_t)(e - s) + 1;
					continue;
				}
				if (s[i] == '=' && ++attrs > PIA_MAX_ATTRS)
					return PIA_MSG_LIMIT_ATTRS;
				i++;
			}
		}
	}
	return PIA_MSG__MAX;
}

/*
 * Nesting depth and value length, which libxml2 allows far beyond any
 * report; the tree is walked without recursion.  Returns the error count.
 */
static int
check_limits(struct pia_diag *d, const struct pia_xfile *xf)
{
	xmlNodePtr top = xmlDocGetRootElement(xf->doc), n = top;
	struct pia_pos pos;
	unsigned depth = 1;
	xmlAttrPtr a;
	int nerr = 0, deep = 0;

	while (n != NULL) {
		if (n->type == XML_ELEMENT_NODE) {
			if (depth > PIA_MAX_DEPTH && !deep) {
				pos = pia_xfile_pos(xf, n);
				pia_diag(d, &pos, PIA_MSG_LIMIT_DEPTH, PIA_MAX_DEPTH);
				nerr++;
				deep = 1;
			}
			for (a = n->properties; a != NULL; a = a->next)
				if (a->children != NULL && a->children->content != NULL &&
				    strlen((const char *)a->children->content) > PIA_MAX_TEXT) {
					pos = pia_xfile_pos(xf, n);
					pia_diag(d, &pos, PIA_MSG_LIMIT_TEXT, PIA_MAX_TEXT);
					nerr++;
				}
		} else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
		    n->content != NULL && strlen((const char *)n->content) > PIA_MAX_TEXT) {
			pos = pia_xfile_pos(xf, n->parent);
			pia_diag(d, &pos, PIA_MSG_LIMIT_TEXT, PIA_MAX_TEXT);
			nerr++;
		}
		if (n->type == XML_ELEMENT_NODE && n->children != NULL && depth <= PIA_MAX_DEPTH) {
			n = n->children;
			depth++;
			continue;
		}
		while (n != top && n->next == NULL) {
			n = n->parent;
			depth--;
		}
		n = n == top ? NULL : n->next;
	}
	return nerr;
}

struct pia_xfile *
pia_xml_read(struct pia_diag *d, const char *path, const char *mem, size_t len,
    unsigned opts)
{
	struct pia_xfile *xf;
	struct pia_pos pos = { path, 0, 0 };
	struct errctx ec;
	xmlParserCtxtPtr pc;
	enum pia_msg over;
	size_t bad, off;
	int rc;

	xf = xcalloc(1, sizeof(*xf));
	xf->path = xstrdup(path);
	if (mem != NULL) {
		xf->buf = xstrndup(mem, len);
		xf->len = len;
	} else if ((rc = pia_read_file(path, PIA_MAX_FILE, &xf->buf, &xf->len)) != 0) {
		if (rc == -2) {
			char lim[32];
			snprintf(lim, sizeof(lim), "%u", PIA_MAX_FILE);
			pia_diag(d, &pos, PIA_MSG_SYS_TOOBIG, lim);
		} else
			pia_diag(d, &pos, PIA_MSG_SYS_OPEN, strerror(errno));
		pia_xfile_free(xf);
		return NULL;
	}
	index_lines(xf);
	if (pia_source_encoding(d, path, xf->buf, xf->len) != 0) {
		pia_xfile_free(xf);
		return NULL;
	}
	if (!pia_utf8_valid(xf->buf, xf->len, &bad)) {
		pos = pia_xfile_offpos(xf, bad);
		pia_diag(d, &pos, PIA_MSG_XML_UTF8);
		pia_xfile_free(xf);
		return NULL;
	}
	if (has_doctype(xf->buf, xf->len, &off, (opts & PIA_XML_HTML_DOCTYPE) != 0)) {
		pos = pia_xfile_offpos(xf, off);
		pia_diag(d, &pos, PIA_MSG_XML_DOCTYPE);
		pia_xfile_free(xf);
		return NULL;
	}
	if ((over = prescan(xf->buf, xf->len, &off)) != PIA_MSG__MAX) {
		pos = pia_xfile_offpos(xf, off);
		pia_diag(d, &pos, over, over == PIA_MSG_LIMIT_ATTRS ?
		    PIA_MAX_ATTRS : PIA_MAX_ELEMENTS);
		pia_xfile_free(xf);
		return NULL;
	}
	if ((pc = xmlNewParserCtxt()) == NULL) {
		pia_diag(d, &pos, PIA_MSG_SYS_OPEN, "libxml2");
		pia_xfile_free(xf);
		return NULL;
	}
	memset(&ec, 0, sizeof(ec));
	ec.d = d;
	ec.xf = xf;
	xmlSetGenericErrorFunc(NULL, silent);
	xmlSetStructuredErrorFunc(&ec, on_error);
	xf->doc = xmlCtxtReadMemory(pc, xf->buf, (int)xf->len, path, "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_BIG_LINES);
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlFreeParserCtxt(pc);
	/* A DOCTYPE the prolog scan missed (it cannot, but be sure). */
	if (xf->doc && (xf->doc->extSubset || (xf->doc->intSubset &&
	    (!(opts & PIA_XML_HTML_DOCTYPE) || xf->doc->intSubset->children != NULL ||
	    xf->doc->intSubset->ExternalID != NULL || xf->doc->intSubset->SystemID != NULL)))) {
		pia_diag(d, &pos, PIA_MSG_XML_DOCTYPE);
		ec.nerr++;
	}
	if (ec.nerr == 0 && xf->doc != NULL && xmlDocGetRootElement(xf->doc) != NULL)
		ec.nerr += check_limits(d, xf);
	if (ec.nerr > 0 || xf->doc == NULL || xmlDocGetRootElement(xf->doc) == NULL) {
		if (ec.nerr == 0)
			pia_diag(d, &pos, PIA_MSG_XML_SYNTAX, "要素がありません");
		pia_xfile_free(xf);
		return NULL;
	}
	return xf;
}

struct pia_xfile *
pia_xfile_read(struct pia_diag *d, const char *path, const char *mem, size_t len)
{
	return pia_xml_read(d, path, mem, len, 0);
}

xmlDocPtr
pia_xml_doc(struct pia_diag *d, const char *path, const char *mem, size_t len,
    unsigned opts)
{
	struct pia_xfile *xf = pia_xml_read(d, path, mem, len, opts);
	xmlDocPtr doc;

	if (xf == NULL)
		return NULL;
	doc = xf->doc;
	xf->doc = NULL;
	pia_xfile_free(xf);
	return doc;
}

void
pia_xfile_free(struct pia_xfile *xf)
{
	if (xf == NULL)
		return;
	if (xf->doc)
		xmlFreeDoc(xf->doc);
	free(xf->lines);
	free(xf->buf);
	free(xf->path);
	free(xf);
}

struct pia_pos
pia_xfile_pos(const struct pia_xfile *xf, xmlNodePtr n)
{
	struct pia_pos p = { xf->path, 0, 0 };
	long line = xmlGetLineNo(n);
	const char *s, *end, *hit;
	char pat[256];

	if (line <= 0 || (size_t)line > xf->nlines)
		return p;
	p.line = (unsigned)line;
	s = xf->buf + xf->lines[line - 1];
	end = (size_t)line < xf->nlines ? xf->buf + xf->lines[line] : xf->buf + xf->len;
	/*
	 * libxml2 keeps no columns for elements: find "<name" on its line,
	 * within its first bytes only, so that a file of one long line does
	 * not cost a scan of the line for each of its elements.
	 */
	if ((size_t)(end - s) > COLUMN_SCAN)
		end = s + COLUMN_SCAN;
	if (n->type == XML_ELEMENT_NODE && n->name != NULL &&
	    snprintf(pat, sizeof(pat), "<%s", (const char *)n->name) < (int)sizeof(pat) &&
	    (hit = memmem(s, (size_t)(end - s), pat, strlen(pat))) != NULL)
		p.col = (unsigned)pia_utf8_count(s, (size_t)(hit - s)) + 1;
	else {
		/* First non-blank character of the line. */
		const char *q = s;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		p.col = (unsigned)pia_utf8_count(s, (size_t)(q - s)) + 1;
	}
	return p;
}

int
pia_xfile_relaxng(struct pia_diag *d, const struct pia_xfile *xf, const char *schema)
{
	const struct pia_embedded *e = pia_embedded_find(schema);
	xmlRelaxNGParserCtxtPtr rp;
	xmlRelaxNGValidCtxtPtr rv;
	xmlRelaxNGPtr rng;
	struct errctx ec;
	int rc;

	if (e == NULL)
		return -1;
	xmlSetGenericErrorFunc(NULL, silent);
	rp = xmlRelaxNGNewMemParserCtxt(e->data, (int)e->len);
	rng = xmlRelaxNGParse(rp);
	xmlRelaxNGFreeParserCtxt(rp);
	if (rng == NULL)
		return -1;
	/* Valid, or told in the file's own elements (schema_explain.c) when that finds the cause. */
	rv = xmlRelaxNGNewValidCtxt(rng);
	xmlRelaxNGSetValidStructuredErrors(rv, quiet, NULL);
	rc = xmlRelaxNGValidateDoc(rv, xf->doc);
	xmlRelaxNGFreeValidCtxt(rv);
	if (rc == 0 || pia_schema_explain(d, xf, schema, e->data, e->len) > 0) {
		xmlRelaxNGFree(rng);
		return rc == 0 ? 0 : -1;
	}
	/* Otherwise libxml2's findings, in Japanese where known. */
	memset(&ec, 0, sizeof(ec));
	ec.d = d;
	ec.xf = xf;
	ec.schema = 1;
	ec.lastline = -1;
	rv = xmlRelaxNGNewValidCtxt(rng);
	xmlRelaxNGSetValidStructuredErrors(rv, on_error, &ec);
	rc = xmlRelaxNGValidateDoc(rv, xf->doc);
	xmlRelaxNGFreeValidCtxt(rv);
	xmlRelaxNGFree(rng);
	return rc == 0 && ec.nerr == 0 ? 0 : -1;
}

char *
pia_xattr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s;

	if (v == NULL)
		return NULL;
	s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

char *
pia_xchild_text(xmlNodePtr n, const char *name)
{
	xmlNodePtr k;

	for (k = n->children; k != NULL; k = k->next)
		if (k->type == XML_ELEMENT_NODE && strcmp((const char *)k->name, name) == 0)
			return pia_xtext(k);
	return NULL;
}

int
pia_xonly_text(xmlNodePtr n, xmlNodePtr *first)
{
	xmlNodePtr c;

	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE) {
			if (first)
				*first = c;
			return 0;
		}
	return 1;
}

/*
 * The text of n with the indentation common to its non-blank lines
 * removed, so Markdown written indented inside XML keeps its structure.
 */
char *
pia_xtext(xmlNodePtr n)
{
	xmlChar *raw = xmlNodeGetContent(n);
	struct pia_buf b = { 0 };
	const char *s, *line, *eol;
	size_t minind = (size_t)-1, ind;
	char *out;

	if (raw == NULL)
		return xstrdup("");
	s = (const char *)raw;
	for (line = s; *line; line = *eol ? eol + 1 : eol) {
		eol = strchr(line, '\n');
		if (eol == NULL)
			eol = line + strlen(line);
		for (ind = 0; line + ind < eol && (line[ind] == ' ' || line[ind] == '\t'); ind++)
			;
		if (line + ind < eol && line != s && ind < minind)
			minind = ind;
	}
	if (minind == (size_t)-1)
		minind = 0;
	for (line = s; *line; line = *eol ? eol + 1 : eol) {
		eol = strchr(line, '\n');
		if (eol == NULL)
			eol = line + strlen(line);
		ind = 0;
		if (line != s)
			while (ind < minind && line + ind < eol &&
			    (line[ind] == ' ' || line[ind] == '\t'))
				ind++;
		pia_buf_put(&b, line + ind, (size_t)(eol - line - ind));
		if (*eol)
			pia_buf_putc(&b, '\n');
	}
	xmlFree(raw);
	out = pia_strtrim(b.data ? b.data : "");
	pia_buf_free(&b);
	return out;
}
