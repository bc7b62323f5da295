/*
 * The Atom feed (RFC 4287) of publications and revisions, and
 * sitemap.xml, through libxml2's xmlTextWriter (libs.md §6.3).  The
 * writer passes invalid bytes through, so every text is cleaned first
 * (valid UTF-8, no C0 controls but TAB, LF, CR).  Times come from the
 * sources only (公表日, 変更日), so the same sources give the same bytes;
 * entry ids are UUIDs hashed from what an entry is about.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "form.h"
#include "html.h"
#include "model.h"
#include "util.h"
#include "wareki.h"

#define ATOM_NS		"http://www.w3.org/2005/Atom"
#define SITEMAP_NS	"http://www.sitemaps.org/schemas/sitemap/0.9"

/* A copy of s that xmlTextWriter can write: valid UTF-8, no C0 controls but TAB, LF, CR. */
static char *
clean(const char *s)
{
	struct pia_buf b = { 0 };
	size_t n, k;
	uint32_t cp;

	if (s == NULL)
		return xstrdup("");
	n = strlen(s);
	while (n > 0) {
		if ((k = pia_utf8_decode(s, n, &cp)) == 0) {
			s++;
			n--;
			continue;
		}
		if (cp >= 0x20 || cp == '\t' || cp == '\n' || cp == '\r')
			pia_buf_put(&b, s, k);
		s += k;
		n -= k;
	}
	return pia_buf_take(&b);
}

static int
elem(xmlTextWriterPtr w, const char *name, const char *text)
{
	char *t = clean(text);
	int rc = xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST t);

	free(t);
	return rc < 0 ? -1 : 0;
}

static int
attr(xmlTextWriterPtr w, const char *name, const char *text)
{
	char *t = clean(text);
	int rc = xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST t);

	free(t);
	return rc < 0 ? -1 : 0;
}

/*
 * A link to a page of the site: absolute under site.xml's URL when there
 * is one (sitemaps require it), else relative to the site folder.
 * Path components are percent-encoded (RFC 3986), Japanese included.
 */
static char *
link_to(const struct pia_site *s, const char *path)
{
	struct pia_buf b = { 0 };
	const unsigned char *p;

	if (s->url != NULL && s->url[0] != '\0') {
		pia_buf_puts(&b, s->url);
		if (b.data[b.len - 1] != '/')
			pia_buf_putc(&b, '/');
	}
	for (p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p) != NULL)
			pia_buf_putc(&b, (char)*p);
		else
			pia_buf_printf(&b, "%%%02X", *p);
	}
	return pia_buf_take(&b);
}

/* An RFC 4122 layout UUID (version 8, custom) from two FNV-1a hashes of key. */
static char *
uuid(const char *key)
{
	uint64_t a = 0xcbf29ce484222325ULL, b = 0x84222325cbf29ce4ULL;
	const unsigned char *p;

	for (p = (const unsigned char *)key; *p; p++) {
		a = (a ^ *p) * 0x100000001b3ULL;
		b = (b ^ *p) * 0x100000001b3ULL;
		b ^= b >> 29;
	}
	return xasprintf("urn:uuid:%08x-%04x-8%03x-%04x-%012llx",
	    (unsigned)(a >> 32), (unsigned)((a >> 16) & 0xffff), (unsigned)(a & 0xfff),
	    (unsigned)(0x8000 | ((b >> 48) & 0x3fff)),
	    (unsigned long long)(b & 0xffffffffffffULL));
}

static char *
atom_time(const struct pia_date *d)
{
	/* Dates carry no time: midnight in Japan. */
	return xasprintf("%04d-%02d-%02dT00:00:00+09:00", d->year, d->month, d->day ? d->day : 1);
}

/* One entry of the feed: a publication or one day's revisions of a report. */
struct entry {
	const struct pia_report	*r;
	struct pia_date		 date;
	const struct pia_node	*first;		/* the day's first 変更箇所 row */
	size_t			 n;		/* its rows, or 0 for a publication */
};

/*
 * The history is read from the rows of the 変更箇所 part of the tree (one
 * entry per history row, load/rows.c), its cells by the type of their
 * column: the 変更日 is the date cell, the item the item cell.
 */

/* The first row of the 変更箇所 table of r (not the risk table's), or NULL. */
static const struct pia_node *
first_row(const struct pia_report *r)
{
	const struct pia_node *part, *row;

	for (part = r->root->child; part != NULL; part = part->next) {
		if (part->f->kind != PIA_F_CHANGES)
			continue;
		for (row = part->child; row != NULL; row = row->next)
			if (row->f->kind == PIA_F_ROW && !(row->f->flags & PIA_FF_RISK))
				return row;
	}
	return NULL;
}

/* The row after row in its table (rows of one table are siblings in a run), or NULL. */
static const struct pia_node *
next_row(const struct pia_node *row)
{
	return row->next != NULL && row->next->f == row->f ? row->next : NULL;
}

/* The cell of row whose column holds values of type t, or NULL. */
static const struct pia_node *
row_cell(const struct pia_node *row, enum pia_type t)
{
	const struct pia_node *c;

	for (c = row->child; c != NULL; c = c->next)
		if (c->f->type == t)
			return c;
	return NULL;
}

/* The 変更日 of row as read (zero when it is none). */
static struct pia_date
row_date(const struct pia_node *row)
{
	const struct pia_node *c = row_cell(row, PIA_T_DATE);
	struct pia_date none = { 0, 0, 0 };

	return c != NULL ? c->date : none;
}

static int
cmp_entries(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c;

	/* Newest first; then by report; a publication before that day's revisions. */
	if ((c = pia_date_cmp(&y->date, &x->date)) != 0)
		return c;
	if ((c = strcmp(x->r->slug, y->r->slug)) != 0)
		return c;
	return (x->n > 0) - (y->n > 0);
}

static struct entry *
entries(const struct pia_site *s, size_t *count)
{
	struct entry *v = NULL;
	const struct pia_node *pub, *row, *next;
	struct pia_date day, d;
	size_t i, k, n = 0;

	for (i = 0; i < s->nreports; i++) {
		const struct pia_report *r = s->reports[i];
		if ((pub = pia_report_published(r)) != NULL && pub->date.year != 0) {
			v = xrealloc(v, (n + 1) * sizeof(*v));
			v[n++] = (struct entry){ r, pub->date, NULL, 0 };
		}
		/* Rows of one 変更日, one after the other, make one entry. */
		for (row = first_row(r); row != NULL; row = next) {
			day = row_date(row);
			for (k = 1, next = next_row(row); next != NULL; k++, next = next_row(next)) {
				d = row_date(next);
				if (pia_date_cmp(&d, &day) != 0)
					break;
			}
			if (day.year == 0)
				continue;
			v = xrealloc(v, (n + 1) * sizeof(*v));
			v[n++] = (struct entry){ r, day, row, k };
		}
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), cmp_entries);
	*count = n;
	return v;
}

static void
put_wareki(struct pia_buf *b, const struct pia_date *d)
{
	char buf[64];

	if (pia_wareki_format(d, buf, sizeof(buf)) != NULL)
		pia_buf_puts(b, buf);
}

static int
write_entry(xmlTextWriterPtr w, const struct pia_site *s, const struct entry *e)
{
	const struct pia_report *r = e->r;
	const struct pia_node *name = pia_report_role(r, "name"), *c, *row, *item;
	struct pia_buf t = { 0 }, sum = { 0 };
	char *title, *id, *href, *tm, *path, *key;
	size_t i;
	int rc = 0;

	title = name && name->text ? pia_strtrim(name->text) : xstrdup(r->slug);
	pia_buf_puts(&t, title);
	if (e->n == 0) {
		pia_buf_puts(&t, "を公表しました");
		pia_buf_puts(&sum, "公表日 ");
		put_wareki(&sum, &e->date);
	} else {
		pia_buf_printf(&t, "を変更しました（%zu項目）", e->n);
		pia_buf_puts(&sum, "変更日 ");
		put_wareki(&sum, &e->date);
		pia_buf_puts(&sum, "。変更箇所：");
		for (i = 0, row = e->first; i < e->n && row != NULL; i++, row = next_row(row)) {
			if (i > 0)
				pia_buf_puts(&sum, "、");
			if ((item = row_cell(row, PIA_T_ITEMPATH)) != NULL && item->text != NULL)
				pia_buf_puts(&sum, item->text);
		}
	}
	tm = atom_time(&e->date);
	key = xasprintf("%s|%s|%s|%s", s->name ? s->name : "", r->slug,
	    e->n ? "change" : "published", tm);
	id = uuid(key);
	free(key);
	path = xasprintf("%s/%s", r->slug, PIA_HTML_PAGE);
	href = link_to(s, path);
	/* A revision links to the 変更箇所 table of the page. */
	for (c = r->root->child; e->n > 0 && c != NULL; c = c->next)
		if (c->f->kind == PIA_F_CHANGES) {
			struct pia_buf a = { 0 };
			pia_buf_puts(&a, href);
			pia_buf_putc(&a, '#');
			pia_html_id(&a, c);
			free(href);
			href = pia_buf_take(&a);
			break;
		}
	if (xmlTextWriterStartElement(w, BAD_CAST "entry") < 0 ||
	    elem(w, "title", t.data) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "link") < 0 ||
	    attr(w, "rel", "alternate") < 0 || attr(w, "type", "text/html") < 0 ||
	    attr(w, "href", href) < 0 || xmlTextWriterEndElement(w) < 0 ||
	    elem(w, "id", id) < 0 || elem(w, "updated", tm) < 0 ||
	    elem(w, "summary", sum.data) < 0 || xmlTextWriterEndElement(w) < 0)
		rc = -1;
	free(title);
	free(id);
	free(href);
	free(tm);
	free(path);
	pia_buf_free(&t);
	pia_buf_free(&sum);
	return rc;
}

/* Append the writer's buffer to out. */
static int
finish(xmlTextWriterPtr w, xmlBufferPtr xb, struct pia_buf *out, int rc)
{
	if (rc == 0 && xmlTextWriterEndDocument(w) < 0)
		rc = -1;
	xmlFreeTextWriter(w);
	if (rc == 0)
		pia_buf_put(out, (const char *)xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
	xmlBufferFree(xb);
	return rc;
}

int
pia_feed_atom(const struct pia_site *s, struct pia_buf *out)
{
	xmlBufferPtr xb = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(xb, 0);
	struct entry *v;
	struct pia_buf title = { 0 };
	char *id, *self, *home, *tm;
	size_t n, i;
	int rc = 0;

	v = entries(s, &n);
	pia_buf_printf(&title, "%s 特定個人情報保護評価書の公表と変更", s->name ? s->name : "");
	id = uuid(title.data);
	self = link_to(s, "feed.atom");
	home = link_to(s, PIA_HTML_PAGE);
	/* The feed is as new as its newest entry; with none, a fixed epoch keeps bytes stable. */
	tm = n > 0 ? atom_time(&v[0].date) : xstrdup("1970-01-01T00:00:00Z");
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST "  ");
	if (xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElementNS(w, NULL, BAD_CAST "feed", BAD_CAST ATOM_NS) < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "xml:lang", BAD_CAST "ja") < 0 ||
	    elem(w, "title", title.data) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "link") < 0 ||
	    attr(w, "rel", "self") < 0 || attr(w, "type", "application/atom+xml") < 0 ||
	    attr(w, "href", self) < 0 || xmlTextWriterEndElement(w) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "link") < 0 ||
	    attr(w, "rel", "alternate") < 0 || attr(w, "type", "text/html") < 0 ||
	    attr(w, "href", home) < 0 || xmlTextWriterEndElement(w) < 0 ||
	    elem(w, "id", id) < 0 || elem(w, "updated", tm) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "author") < 0 ||
	    elem(w, "name", s->organ ? s->organ : s->name) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		rc = -1;
	for (i = 0; rc == 0 && i < n; i++)
		rc = write_entry(w, s, &v[i]);
	if (rc == 0 && xmlTextWriterEndElement(w) < 0)
		rc = -1;
	rc = finish(w, xb, out, rc);
	free(v);
	free(id);
	free(self);
	free(home);
	free(tm);
	pia_buf_free(&title);
	return rc;
}

/* The newest date a report carries: its 公表日 or its last 変更日. */
static struct pia_date
newest(const struct pia_report *r)
{
	const struct pia_node *pub = pia_report_published(r), *row;
	struct pia_date d = { 0, 0, 0 }, rd;

	if (pub != NULL && pub->date.year != 0)
		d = pub->date;
	for (row = first_row(r); row != NULL; row = next_row(row)) {
		rd = row_date(row);
		if (rd.year != 0 && pia_date_cmp(&rd, &d) > 0)
			d = rd;
	}
	return d;
}

static int
url_entry(xmlTextWriterPtr w, const struct pia_site *s, const char *path,
    const struct pia_date *d)
{
	char *loc = link_to(s, path), *mod = NULL;
	int rc = 0;

	if (d->year != 0)
		mod = xasprintf("%04d-%02d-%02d", d->year, d->month, d->day ? d->day : 1);
	if (xmlTextWriterStartElement(w, BAD_CAST "url") < 0 || elem(w, "loc", loc) < 0 ||
	    (mod != NULL && elem(w, "lastmod", mod) < 0) || xmlTextWriterEndElement(w) < 0)
		rc = -1;
	free(loc);
	free(mod);
	return rc;
}

int
pia_feed_sitemap(const struct pia_site *s, struct pia_buf *out)
{
	xmlBufferPtr xb = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(xb, 0);
	const struct pia_report **v = pia_html_sorted(s);
	struct pia_date all = { 0, 0, 0 }, d;
	char *path;
	size_t i;
	int rc = 0;

	for (i = 0; v[i] != NULL; i++) {
		d = newest(v[i]);
		if (pia_date_cmp(&d, &all) > 0)
			all = d;
	}
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST "  ");
	if (xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElementNS(w, NULL, BAD_CAST "urlset", BAD_CAST SITEMAP_NS) < 0 ||
	    url_entry(w, s, PIA_HTML_PAGE, &all) < 0 ||
	    url_entry(w, s, "search.html", &all) < 0)
		rc = -1;
	for (i = 0; rc == 0 && v[i] != NULL; i++) {
		path = xasprintf("%s/%s", v[i]->slug, PIA_HTML_PAGE);
		d = newest(v[i]);
		rc = url_entry(w, s, path, &d);
		free(path);
	}
	if (rc == 0 && xmlTextWriterEndElement(w) < 0)
		rc = -1;
	free(v);
	return finish(w, xb, out, rc);
}
