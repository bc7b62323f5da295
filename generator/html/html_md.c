/*
 * Markdown values as HTML, from cmark's tree rather than
 * cmark_render_html, because Japanese text needs rules cmark lacks
 * (libs.md §5.2): a soft break between two Japanese characters vanishes
 * (Chrome would show a space), and a paragraph that is only
 * "＜星見台市における措置＞" is a sub-heading, as the PDF prints it.
 * Raw HTML never reaches the page (the checks already refuse it; here it
 * is printed as text), links keep only safe targets, images only files
 * of the report folder.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark.h>

#include "html.h"
#include "md.h"
#include "util.h"

static int
ascii_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Length of a URL scheme ("https" in "https:…"), or 0 when url is relative. */
static size_t
scheme_len(const char *url)
{
	size_t i;

	if (!ascii_alpha(url[0]))
		return 0;
	for (i = 1; url[i] != '\0'; i++) {
		if (url[i] == ':')
			return i;
		if (!ascii_alpha(url[i]) && !(url[i] >= '0' && url[i] <= '9') &&
		    url[i] != '+' && url[i] != '-' && url[i] != '.')
			return 0;
	}
	return 0;
}

int
pia_html_url_ok(const char *url)
{
	size_t n;
	const char *p;

	if (url == NULL || url[0] == '\0')
		return 0;
	/* Browsers ignore tabs and newlines inside a scheme ("java\nscript:"). */
	for (p = url; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == '\\')
			return 0;
	if ((n = scheme_len(url)) == 0)
		/* "//host/…" is another site, not a relative path. */
		return !(url[0] == '/' && url[1] == '/');
	return (n == 4 && strncasecmp(url, "http", 4) == 0) ||
	    (n == 5 && strncasecmp(url, "https", 5) == 0) ||
	    (n == 6 && strncasecmp(url, "mailto", 6) == 0);
}

int
pia_html_img_ok(const char *url)
{
	static const char *const sfx[] = { ".png", ".jpg", ".jpeg", ".gif", ".webp", NULL };
	const char *p, *dot;
	size_t i;

	if (url == NULL || url[0] == '\0' || url[0] == '/' || scheme_len(url) != 0)
		return 0;
	for (p = url; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == '\\' || *p == '?' || *p == '#' ||
		    *p == '%' || *p == '"')
			return 0;
	/* No ".." component: the image must stay inside the report folder. */
	for (p = url; p != NULL; p = strchr(p, '/')) {
		if (*p == '/')
			p++;
		if (strncmp(p, "..", 2) == 0 && (p[2] == '/' || p[2] == '\0'))
			return 0;
		if (*p == '/' || *p == '\0')
			return 0;	/* "a//b" or a trailing slash */
	}
	/* SVG can carry scripts: raster images only. */
	if ((dot = strrchr(url, '.')) == NULL)
		return 0;
	for (i = 0; sfx[i] != NULL; i++)
		if (strcasecmp(dot, sfx[i]) == 0)
			return 1;
	return 0;
}

/* The alt text of an image: the plain text of its children. */
static char *
alt_text(cmark_node *img)
{
	return pia_md_plain(img);
}

static void
literal(struct pia_buf *b, cmark_node *n)
{
	pia_html_text(b, cmark_node_get_literal(n));
}

/*
 * The footnotes of one value: the notes met (each number once) and the
 * numbers referred to, as flags by number (a value may hold 150,000
 * notes: no list is searched).
 */
struct notes {
	cmark_node	**v;
	size_t		  n;
	unsigned char	 *flags;	/* NOTE_MET, NOTE_REFERRED by number */
	size_t		  nflags;
	const char	 *idbase;
};

#define NOTE_MET	1
#define NOTE_REFERRED	2

static int
flagged(const struct notes *nt, unsigned no, unsigned char f)
{
	return no < nt->nflags && (nt->flags[no] & f) != 0;
}

static void
flag(struct notes *nt, unsigned no, unsigned char f)
{
	size_t cap;

	if (no >= nt->nflags) {
		for (cap = nt->nflags ? nt->nflags : 64; cap <= no; cap *= 2)
			;
		nt->flags = xrealloc(nt->flags, cap);
		memset(nt->flags + nt->nflags, 0, cap - nt->nflags);
		nt->nflags = cap;
	}
	nt->flags[no] |= f;
}

static void	walk(struct pia_buf *, cmark_node *, int, pia_html_imgfn, void *, struct notes *);

static int
cmp_notes(const void *a, const void *b)
{
	unsigned x = pia_md_note_no(*(cmark_node *const *)a);
	unsigned y = pia_md_note_no(*(cmark_node *const *)b);

	return (x > y) - (x < y);
}

/*
 * The notes of a value after it, in number order (DPUB-ARIA endnotes):
 * each with the id its references point to and, when the value refers to
 * it, a link back to the first reference.
 */
static void
notes_list(struct pia_buf *b, struct notes *nt, int hlevel, pia_html_imgfn imgfn, void *arg)
{
	cmark_node *c;
	unsigned no;
	size_t i;

	if (nt->n == 0)
		return;
	qsort(nt->v, nt->n, sizeof(*nt->v), cmp_notes);
	pia_buf_puts(b, "<section class=\"pia-notes\" role=\"doc-endnotes\" aria-label=\"注\">\n<ul>\n");
	for (i = 0; i < nt->n; i++) {
		no = pia_md_note_no(nt->v[i]);
		pia_buf_printf(b, "<li id=\"%s-fn%u\"><span class=\"pia-note-no\">注%u</span>　",
		    nt->idbase, no, no);
		for (c = cmark_node_first_child(cmark_node_first_child(nt->v[i])); c != NULL;
		    c = cmark_node_next(c))
			walk(b, c, hlevel, imgfn, arg, NULL);
		if (flagged(nt, no, NOTE_REFERRED))
			pia_buf_printf(b, " <a class=\"pia-note-back\" href=\"#%s-fnref%u\" "
			    "role=\"doc-backlink\">（本文へ）</a>", nt->idbase, no);
		pia_buf_puts(b, "</li>\n");
	}
	pia_buf_puts(b, "</ul>\n</section>\n");
}

void
pia_html_md(struct pia_buf *b, cmark_node *root, int hlevel, pia_html_imgfn imgfn, void *arg,
    const char *idbase)
{
	struct notes nt = { NULL, 0, NULL, 0, idbase != NULL ? idbase : "pia" };

	walk(b, root, hlevel, imgfn, arg, &nt);
	notes_list(b, &nt, hlevel, imgfn, arg);
	free(nt.v);
	free(nt.flags);
}

/*
 * Walk with cmark's iterator.  Images are printed at ENTER and their
 * children (the alt text) skipped; links with a refused target print
 * their text only.  Footnote references link to their note; notes are
 * collected into nt (NULL: inside a note, where there are none) and
 * printed after the value.
 */
static void
walk(struct pia_buf *b, cmark_node *root, int hlevel, pia_html_imgfn imgfn, void *arg,
    struct notes *nt)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	cmark_node *n, *skip = NULL;
	int lv, enter, in_measure = 0;
	const char *url, *dst;
	char *alt;
	unsigned no;

	if (hlevel < 1)
		hlevel = 1;
	if (hlevel > 6)
		hlevel = 6;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (skip != NULL) {
			if (n == skip && ev == CMARK_EVENT_EXIT)
				skip = NULL;
			continue;
		}
		enter = ev == CMARK_EVENT_ENTER;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_DOCUMENT:
			break;
		case CMARK_NODE_PARAGRAPH:
			/* Tight list items print their paragraphs' text without <p>. */
			if (cmark_node_get_type(cmark_node_parent(n)) == CMARK_NODE_ITEM &&
			    cmark_node_get_list_tight(cmark_node_parent(cmark_node_parent(n)))) {
				if (!enter && cmark_node_next(n) != NULL)
					pia_buf_puts(b, "<br>");
				break;
			}
			if (pia_md_is_measure_heading(n)) {
				if (enter)
					pia_buf_printf(b, "<h%d class=\"pia-measure\">", hlevel);
				else
					pia_buf_printf(b, "</h%d>\n", hlevel);
				in_measure = enter;
				break;
			}
			pia_buf_puts(b, enter ? "<p>" : "</p>\n");
			break;
		case CMARK_NODE_HEADING:
			lv = hlevel + cmark_node_get_heading_level(n) - 1;
			if (lv > 6)
				lv = 6;
			if (enter)
				pia_buf_printf(b, "<h%d>", lv);
			else
				pia_buf_printf(b, "</h%d>\n", lv);
			break;
		case CMARK_NODE_BLOCK_QUOTE:
			pia_buf_puts(b, enter ? "<blockquote>\n" : "</blockquote>\n");
			break;
		case CMARK_NODE_LIST:
			if (cmark_node_get_list_type(n) == CMARK_ORDERED_LIST) {
				if (!enter)
					pia_buf_puts(b, "</ol>\n");
				else if (cmark_node_get_list_start(n) != 1)
					pia_buf_printf(b, "<ol start=\"%d\">\n", cmark_node_get_list_start(n));
				else
					pia_buf_puts(b, "<ol>\n");
			} else
				pia_buf_puts(b, enter ? "<ul>\n" : "</ul>\n");
			break;
		case CMARK_NODE_ITEM:
			pia_buf_puts(b, enter ? "<li>" : "</li>\n");
			break;
		case CMARK_NODE_CODE_BLOCK:
			pia_buf_puts(b, "<pre><code>");
			literal(b, n);
			pia_buf_puts(b, "</code></pre>\n");
			break;
		case CMARK_NODE_HTML_BLOCK:
			/* Refused by the checks (MD_HTML); never markup on the page. */
			pia_buf_puts(b, "<pre>");
			literal(b, n);
			pia_buf_puts(b, "</pre>\n");
			break;
		case CMARK_NODE_HTML_INLINE:
		case CMARK_NODE_TEXT:
			literal(b, n);
			break;
		case CMARK_NODE_THEMATIC_BREAK:
			pia_buf_puts(b, "<hr>\n");
			break;
		case CMARK_NODE_SOFTBREAK:
			if (!pia_md_softbreak_joins(n))
				pia_buf_putc(b, in_measure ? ' ' : '\n');
			break;
		case CMARK_NODE_LINEBREAK:
			pia_buf_puts(b, "<br>\n");
			break;
		case CMARK_NODE_CODE:
			pia_buf_puts(b, "<code>");
			literal(b, n);
			pia_buf_puts(b, "</code>");
			break;
		case CMARK_NODE_EMPH:
			pia_buf_puts(b, enter ? "<em>" : "</em>");
			break;
		case CMARK_NODE_STRONG:
			pia_buf_puts(b, enter ? "<strong>" : "</strong>");
			break;
		case CMARK_NODE_LINK:
			url = cmark_node_get_url(n);
			if (!pia_html_url_ok(url))
				break;	/* the text stays, the link goes */
			if (enter) {
				pia_buf_puts(b, "<a href=\"");
				pia_html_url(b, url);
				pia_buf_puts(b, "\">");
			} else
				pia_buf_puts(b, "</a>");
			break;
		case CMARK_NODE_IMAGE:
			url = cmark_node_get_url(n);
			alt = alt_text(n);
			skip = n;
			dst = alt[0] != '\0' && imgfn != NULL ? imgfn(arg, url) : NULL;
			if (dst != NULL) {
				pia_buf_puts(b, "<img src=\"");
				pia_html_url(b, dst);
				pia_buf_puts(b, "\" alt=\"");
				pia_html_text(b, alt);
				pia_buf_puts(b, "\">");
			} else
				/* Without the picture its description still tells the content. */
				pia_html_text(b, alt);
			free(alt);
			break;
		case CMARK_NODE_CUSTOM_INLINE:
			/* A footnote reference: its "注N" as a link to the note. */
			if ((no = pia_md_note_no(n)) == 0 || nt == NULL)
				break;
			if (!enter) {
				pia_buf_puts(b, "</a></sup>");
				break;
			}
			pia_buf_printf(b, "<sup class=\"pia-noteref\"><a href=\"#%s-fn%u\"",
			    nt->idbase, no);
			if (!flagged(nt, no, NOTE_REFERRED)) {
				pia_buf_printf(b, " id=\"%s-fnref%u\"", nt->idbase, no);
				flag(nt, no, NOTE_REFERRED);
			}
			pia_buf_puts(b, " role=\"doc-noteref\">");
			break;
		case CMARK_NODE_CUSTOM_BLOCK:
			/* A footnote: printed once, after the value. */
			if ((no = pia_md_note_no(n)) == 0 || nt == NULL)
				break;
			skip = n;
			if (!flagged(nt, no, NOTE_MET)) {
				flag(nt, no, NOTE_MET);
				/* Doubling: at powers of two. */
				if ((nt->n & (nt->n - 1)) == 0)
					nt->v = xrealloc(nt->v, (nt->n ? nt->n * 2 : 1) * sizeof(*nt->v));
				nt->v[nt->n++] = n;
			}
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}
