/*
 * The web site renderers: a report as one XHTML page with the same
 * content as its PDF (html.c, html_md.c), the city's index page
 * (index.c), the Atom feed and sitemap (feed.c), the search index
 * (search.c), and the theme that wraps every page (template.c).
 * Renderers write into a struct pia_buf; the site writer (site/site.c)
 * decides where the bytes go.  They read a loaded, checked model and know
 * value types, never item keys.
 * For site/ and cmd/build.c; not for loaders or checks.
 */
#ifndef PIA_HTML_H
#define PIA_HTML_H

#include <stddef.h>

#include "model.h"
#include "util.h"

struct pia_diag;
struct cmark_node;

/*
 * Output layout, relative to the site folder: every path a page links to
 * is relative, so the site works from any sub-path and from file://.
 *   index.html  search.html  search-index.js  feed.atom  sitemap.xml
 *   assets/…                 the theme's assets (CSS, script, logo)
 *   SLUG/index.html          one page per report
 *   SLUG/SLUG.pdf            its PDF, when the PDF writer made one
 *   SLUG/SLUG-risk.pdf       its 変更点リスク評価表, when its history has one
 *   SLUG/PATH                images the report's Markdown shows
 */
#define PIA_HTML_PAGE	"index.html"

/* ---- template.c: the theme ------------------------------------------ */

/*
 * The Content-Security-Policy of every page of the site (a meta element
 * after <meta charset>): the site's own scripts, styles and images only,
 * no inline script or style attribute, nothing fetched, framed or posted
 * elsewhere.  frame-ancestors and sandbox are left out: a meta policy
 * cannot carry them.  pia serve replaces it by its own header (nonces).
 */
#define PIA_HTML_CSP	"default-src 'none'; script-src 'self'; style-src 'self'; " \
	"img-src 'self'; font-src 'self'; connect-src 'none'; form-action 'self'; " \
	"base-uri 'none'; object-src 'none'"
#define PIA_HTML_CSP_META	"<meta http-equiv=\"Content-Security-Policy\" content=\"" \
	PIA_HTML_CSP "\">"

struct pia_theme;

/*
 * Load the theme in dir (templates html/NAME.xhtml and assets/); files it
 * lacks come from the default theme, found beside the pia binary
 * (../../themes/default) or in ./themes/default.  dir NULL: the default
 * theme alone.  Returns NULL after printing a message when a template is
 * missing or not well-formed XHTML.
 */
struct pia_theme	*pia_theme_load(const char *dir);
void			 pia_theme_free(struct pia_theme *);
/* The default theme's folder pia_theme_load reads (caller frees), or NULL. */
char			*pia_theme_default_dir(void);
/* The theme's folder (NULL: the default alone) and, in *defdir, the default theme's (or NULL). */
const char		*pia_theme_dirs(const struct pia_theme *, const char **defdir);

/* What one page puts into the slots of the templates. */
struct pia_page {
	const char	*title;		/* <title> and data-pia-text="title" */
	const char	*root;		/* "" or "../": prefix of relative links of the theme */
	const char	*part;		/* content template: "index", "search", or NULL */
	const char	*main;		/* generated HTML for data-pia-slot="main" */
	const char	*crumbs;	/* generated HTML for data-pia-slot="breadcrumb" */
	const char	*reports;	/* generated HTML for data-pia-slot="reports" */
	const char	*contacts;	/* generated HTML for data-pia-slot="contacts" */
	const struct pia_site *site;	/* data-pia-text="site-name", "site-title", "organ" */
};

/*
 * Render a page: the frame (html/page.xhtml) with the content template
 * page->part, if any, in its main slot, serialised as HTML5 (UTF-8,
 * <!DOCTYPE html>, void elements, no XML declaration).  Returns 0.
 */
int	pia_theme_page(const struct pia_theme *, const struct pia_page *, struct pia_buf *);

/*
 * Copy the theme's assets/ into outdir/assets.  0; -1 when the theme
 * cannot be read (a message printed); -2 when outdir cannot be written
 * (errno set, nothing printed: the caller names its output).
 */
int	pia_theme_copy_assets(const struct pia_theme *, const char *outdir);

/* ---- html.c: one report page ----------------------------------------- */

/* An image a report shows: copy src (in the sources) to dst (below the report's folder). */
struct pia_html_image {
	char	*src;
	char	*dst;
};

struct pia_html;

/*
 * A renderer for report r; outdir is the site folder being written (the
 * PDF link is stated only when outdir/SLUG/SLUG.pdf exists there).
 */
struct pia_html	*pia_html_new(const struct pia_report *r, const char *outdir);
/* The main content of the report page (no frame), appended to out.  Returns 0. */
int		 pia_html_render(struct pia_html *, struct pia_buf *out);
/* Images found while rendering: count, and the array via *v. */
size_t		 pia_html_images(const struct pia_html *, const struct pia_html_image **v);
void		 pia_html_free(struct pia_html *);

/*
 * Checks of what only the web output cares about: links in Markdown must
 * be http(s), mailto or relative; images must be relative files inside
 * the report folder with an alt text.  Problems go to the sink.
 */
void		 pia_html_check(struct pia_diag *, const struct pia_report *);

/* Escaped text: & < > " (and nothing else changes). */
void		 pia_html_text(struct pia_buf *, const char *);
void		 pia_html_textn(struct pia_buf *, const char *, size_t);
/* A path or URL for an attribute: ASCII that may not stand in a URL is %-encoded, & escaped. */
void		 pia_html_url(struct pia_buf *, const char *);
/*
 * A file or folder name as one segment of a relative URL: every ASCII
 * byte but letters, digits and "-._~" %-encoded (so no name becomes a
 * scheme such as "javascript:", a query or a fragment); UTF-8 stays.
 */
void		 pia_html_name(struct pia_buf *, const char *);
/* The id of a container's heading ("p3-2-1", from its place in the form). */
void		 pia_html_id(struct pia_buf *, const struct pia_node *);
/* The heading of a container as plain text ("Ⅱ 特定個人情報ファイルの概要 (1) 住民基本台帳ファイル"). */
void		 pia_html_heading(struct pia_buf *, const struct pia_node *);
/* Escaped text with newlines as <br>. */
void		 pia_html_lines(struct pia_buf *, const char *);

/*
 * "全項目評価書（PDF：1,234KB）" for a PDF of size bytes (KB rounded up,
 * thousands separated), appended to out.
 */
void		 pia_html_pdf_label(struct pia_buf *, const struct pia_report *, long long size);
/* Size of outdir/SLUG/SLUG.pdf, or -1 when there is none. */
long long	 pia_html_pdf_size(const struct pia_report *, const char *outdir);
/* "住民基本台帳に関する事務": the report's name without the trailing form name.  Caller frees. */
char		*pia_html_jimu(const struct pia_report *);
/* "<time datetime=…>令和7年9月30日</time>" for a date value, or its text. */
void		 pia_html_date(struct pia_buf *, const struct pia_node *);

/* ---- html_md.c: Markdown values -------------------------------------- */

/*
 * Callback for images: return the output path (relative to the page) of
 * an image at url, or NULL to drop it.
 */
typedef const char *(*pia_html_imgfn)(void *arg, const char *url);

/*
 * A cmark tree as HTML: soft breaks between Japanese characters vanish
 * (include/md.h), ＜…における措置＞ paragraphs become headings of level
 * hlevel (capped at 6), Markdown headings start at hlevel, raw HTML is
 * shown as text, links other than http(s)/mailto/relative lose their
 * link, images go through imgfn.  Footnotes (md.h): each reference
 * links to its note, and the notes follow the value as a list; their ids
 * are IDBASE-fnN and IDBASE-fnrefN, so idbase must be unique on the page.
 */
void	pia_html_md(struct pia_buf *, struct cmark_node *, int hlevel,
	    pia_html_imgfn, void *arg, const char *idbase);

/* 1 when a Markdown link target may be linked (http, https, mailto, relative). */
int	pia_html_url_ok(const char *url);
/* 1 when an image path is relative, stays inside its folder, and has an image suffix. */
int	pia_html_img_ok(const char *url);

/* ---- index.c, feed.c, search.c: site-wide pages ----------------------- */

/* The reports of s in publication order (評価書番号, then folder name).  Caller frees the array. */
const struct pia_report	**pia_html_sorted(const struct pia_site *);

/* The index page's table of reports (data-pia-slot="reports"); outdir as for pia_html_new. */
void	pia_html_index_table(struct pia_buf *, const struct pia_site *, const char *outdir);
/* The contacts of the departments that keep reports, as HTML (data-pia-slot="contacts"). */
void	pia_html_contacts(struct pia_buf *, const struct pia_site *);
/* The contact (窓口 of site.xml) of a report's department, or NULL. */
const struct pia_contact *pia_html_contact_of(const struct pia_report *);
/* One contact as HTML. */
void	pia_html_contact(struct pia_buf *, const struct pia_contact *);

/* Atom feed of publications and revisions.  0, or -1 (libxml2 writer failure). */
int	pia_feed_atom(const struct pia_site *, struct pia_buf *);
/* sitemap.xml of every page.  0 or -1. */
int	pia_feed_sitemap(const struct pia_site *, struct pia_buf *);

/*
 * The search index (search.c): search-index.js, a small entry, then
 * search/sN.js (bigram postings) and each report's text, SLUG/search-N.js,
 * loaded by assets/search.js on demand.  In stages: one report's documents
 * (pia_search_report), its text fragments (pia_search_fragments, which
 * depend on it alone) and its postings (pia_search_postings, bytes a build
 * keeps while the report is unchanged); then the entry and the shards of
 * every report's postings (pia_search_merge).
 */
struct pia_search_report;
struct pia_search_file {
	char		*name;		/* below the site: "search/s3.js" */
	struct pia_buf	 b;
};
struct pia_search_files {
	struct pia_search_file	*v;
	size_t			 n;
};
struct pia_search_report *pia_search_report(const struct pia_report *);
void	pia_search_report_free(struct pia_search_report *);
/* The files of reports v[0..n-1], in the order of the index (pia_html_sorted). */
void	pia_search_files(struct pia_search_report *const *v, size_t n, struct pia_search_files *);
/* Append one report's text fragments to fs ("SLUG/search-0.js", …). */
void	pia_search_fragments(const struct pia_search_report *, struct pia_search_files *);
/* One report's postings, appended to b; 0 when bytes b read whole as such, else -1. */
struct pia_buf;
void	pia_search_postings(const struct pia_search_report *, struct pia_buf *);
int	pia_search_postings_ok(const struct pia_buf *);
/* The folder of the report in a URL, as the entry names it. */
const char *pia_search_dir(const struct pia_search_report *);
/*
 * Append search-index.js and the shards of the postings post[0..n-1] of
 * the reports (in the order of the index), whose folders in a URL are
 * dirs[0..n-1], to fs.  Returns 0, or -1 (fs unchanged) when one of them
 * does not read whole.
 */
int	pia_search_merge(const struct pia_buf *const *post, const char *const *dirs, size_t n,
	    struct pia_search_files *);
/* All stages for every report of a site. */
void	pia_search_site(const struct pia_site *, struct pia_search_files *);
void	pia_search_files_free(struct pia_search_files *);
/*
 * The folding shared with search.js (the one-to-one table travels in
 * search-index.js): full-width ASCII to ASCII, A–Z to a–z, white space to
 * space, half-width katakana to full-width, dashes to ー, 旧字体 to 新字体.
 */
uint32_t pia_search_fold(uint32_t);

#endif
