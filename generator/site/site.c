/*
 * Writing the site atomically (util/atomic.c): build into a temporary
 * folder beside OUT, then swap it in with two renames; the old tree is
 * removed last.  Before anything is written, OUT is refused when it is
 * the content tree, inside it or an ancestor of it, a file, or a folder
 * holding what pia did not write (pia_site_check_output).
 *
 * The passes run in this order, each into the temporary folder:
 *   1. the theme's assets;
 *   2. a folder per report (SLUG/) with its PDF, SLUG.pdf (pdf/), and
 *      SLUG-risk.pdf, its 変更点リスク評価表, when its history has one;
 *   3. the report pages, which link to their PDF when it is there;
 *   4. the index (with each PDF's real size), the search page and
 *      index, the Atom feed and the sitemap.
 * The renderers fill buffers (html.h); only this file writes files.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "diag.h"
#include "html.h"
#include "model.h"
#include "pdf.h"
#include "site.h"
#include "util.h"

/* Largest image a report may show. */
#define MAX_IMAGE	(16u << 20)

/* Where the passes write: the temporary folder, named in messages as OUT. */
struct out {
	struct pia_diag	*d;
	const char	*tmp;
	const char	*shown;		/* OUT as the user named it */
};

/* Report the failed write of path (below o->tmp) as SYS_WRITE at its final name. */
static int
failed(const struct out *o, const char *path)
{
	struct pia_pos pos = { NULL, 0, 0 };
	const char *why = pia_strerror(errno);
	char *name;

	name = xasprintf("%s%s", o->shown, path + strlen(o->tmp));
	pos.file = name;
	pia_diag(o->d, &pos, PIA_MSG_SYS_WRITE, why);
	free(name);
	return -1;
}

static int
write_file(const struct out *o, const char *dir, const char *name,
    const struct pia_buf *b)
{
	char *path = xasprintf("%s/%s", dir, name);
	int rc = 0;

	if (pia_write_file(path, b->data, b->len) != 0)
		rc = failed(o, path);
	free(path);
	return rc;
}

/* mkdir -p for the folders of a relative path below dir. */
static int
make_parents(const struct out *o, const char *dir, const char *rel)
{
	char *p = xasprintf("%s/%s", dir, rel), *s;
	int rc = 0;

	for (s = p + strlen(dir) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			rc = failed(o, p);
		*s = '/';
		if (rc != 0)
			break;
	}
	free(p);
	return rc;
}

static int
copy_image(const struct out *o, const char *src, const char *dir, const char *rel)
{
	struct pia_buf b = { 0 };
	struct pia_pos pos = { src, 0, 0 };
	char size[32];
	size_t len;
	int rc;

	if (make_parents(o, dir, rel) != 0)
		return -1;
	if ((rc = pia_read_file(src, MAX_IMAGE, &b.data, &len)) != 0) {
		snprintf(size, sizeof(size), "%u", MAX_IMAGE);
		if (rc == -2)
			pia_diag(o->d, &pos, PIA_MSG_SYS_TOOBIG, size);
		else
			pia_diag(o->d, &pos, PIA_MSG_SYS_OPEN, pia_strerror(errno));
		return -1;
	}
	b.len = b.cap = len;
	rc = write_file(o, dir, rel, &b);
	pia_buf_free(&b);
	return rc;
}

static const char *
site_name(const struct pia_site *s)
{
	return s->name ? s->name : "";
}

static char *
report_title(const struct pia_report *r)
{
	const struct pia_node *n = pia_report_role(r, "name");
	char *t = n && n->text ? pia_strtrim(n->text) : xstrdup(r->form->title), *full;

	full = xasprintf("%s｜%s", t, site_name(r->site));
	free(t);
	return full;
}

struct pia_html *
pia_site_report_page(const struct pia_theme *th, const struct pia_site *s,
    const struct pia_report *r, const char *outdir, struct pia_buf *page)
{
	struct pia_html *h = pia_html_new(r, outdir);
	struct pia_buf main = { 0 }, crumbs = { 0 };
	struct pia_page pg;
	char *title, *jimu;

	pia_html_render(h, &main);
	title = report_title(r);
	jimu = pia_html_jimu(r);
	pia_buf_puts(&crumbs, "<ol><li><a href=\"../" PIA_HTML_PAGE "\">評価書の一覧</a></li>"
	    "<li><span aria-current=\"page\">");
	pia_html_text(&crumbs, jimu);
	pia_buf_puts(&crumbs, "</span></li></ol>");
	free(jimu);
	memset(&pg, 0, sizeof(pg));
	pg.title = title;
	pg.root = "../";
	pg.main = main.data;
	pg.crumbs = crumbs.data;
	pg.site = s;
	pia_theme_page(th, &pg, page);
	free(title);
	pia_buf_free(&main);
	pia_buf_free(&crumbs);
	return h;
}

static int
write_report(const struct out *o, const struct pia_theme *th,
    const struct pia_site *s, const struct pia_report *r)
{
	const struct pia_html_image *img;
	struct pia_buf page = { 0 };
	struct pia_html *h = pia_site_report_page(th, s, r, o->tmp, &page);
	char *dir;
	size_t i, n;
	int rc;

	dir = xasprintf("%s/%s", o->tmp, r->slug);
	rc = write_file(o, dir, PIA_HTML_PAGE, &page);
	n = pia_html_images(h, &img);
	for (i = 0; rc == 0 && i < n; i++)
		rc = copy_image(o, img[i].src, dir, img[i].dst);
	free(dir);
	pia_buf_free(&page);
	pia_html_free(h);
	return rc;
}

void
pia_site_index_page(const struct pia_theme *th, const struct pia_site *s,
    const char *outdir, struct pia_buf *page)
{
	struct pia_buf table = { 0 }, contacts = { 0 };
	struct pia_page pg;
	char *title;

	pia_html_index_table(&table, s, outdir);
	pia_html_contacts(&contacts, s);
	title = xasprintf("特定個人情報保護評価書の一覧｜%s", site_name(s));
	memset(&pg, 0, sizeof(pg));
	pg.title = title;
	pg.root = "";
	pg.part = "index";
	pg.reports = table.data;
	pg.contacts = contacts.len ? contacts.data : NULL;
	pg.site = s;
	pia_theme_page(th, &pg, page);
	free(title);
	pia_buf_free(&table);
	pia_buf_free(&contacts);
}

static int
write_index(const struct out *o, const struct pia_theme *th, const struct pia_site *s)
{
	struct pia_buf page = { 0 };
	int rc;

	pia_site_index_page(th, s, o->tmp, &page);
	rc = write_file(o, o->tmp, PIA_HTML_PAGE, &page);
	pia_buf_free(&page);
	return rc;
}

void
pia_site_search_page(const struct pia_theme *th, const struct pia_site *s,
    struct pia_buf *page)
{
	struct pia_buf crumbs = { 0 };
	struct pia_page pg;
	char *title;

	title = xasprintf("評価書の検索｜%s", site_name(s));
	pia_buf_puts(&crumbs, "<ol><li><a href=\"" PIA_HTML_PAGE "\">評価書の一覧</a></li>"
	    "<li><span aria-current=\"page\">検索</span></li></ol>");
	memset(&pg, 0, sizeof(pg));
	pg.title = title;
	pg.root = "";
	pg.part = "search";
	pg.crumbs = crumbs.data;
	pg.site = s;
	pia_theme_page(th, &pg, page);
	free(title);
	pia_buf_free(&crumbs);
}

static int
write_search(const struct out *o, const struct pia_theme *th, const struct pia_site *s)
{
	struct pia_buf page = { 0 }, idx = { 0 };
	int rc;

	pia_site_search_page(th, s, &page);
	rc = write_file(o, o->tmp, "search.html", &page);
	if (rc == 0) {
		pia_search_index(s, &idx);
		rc = write_file(o, o->tmp, "search-index.js", &idx);
	}
	pia_buf_free(&page);
	pia_buf_free(&idx);
	return rc;
}

static int
write_feeds(const struct out *o, const struct pia_site *s)
{
	struct pia_buf atom = { 0 }, map = { 0 };
	int rc = -1;

	if (pia_feed_atom(s, &atom) != 0 || pia_feed_sitemap(s, &map) != 0)
		pia_diag(o->d, NULL, PIA_MSG_SYS_FEED);
	else if (write_file(o, o->tmp, "feed.atom", &atom) == 0 &&
	    write_file(o, o->tmp, "sitemap.xml", &map) == 0)
		rc = 0;
	pia_buf_free(&atom);
	pia_buf_free(&map);
	return rc;
}

/* All passes into the temporary folder; see the top of this file. */
static int
write_all(const struct out *o, const struct pia_site *s, const struct pia_theme *th)
{
	struct pia_pdf_opts po;
	const char *slug;
	char *dir, *pdf, *shown;
	size_t i;
	int rc;

	if ((rc = pia_theme_copy_assets(th, o->tmp)) != 0) {
		if (rc == -2) {
			dir = xasprintf("%s/assets", o->tmp);
			failed(o, dir);
			free(dir);
		}
		return -1;
	}
	for (i = 0; i < s->nreports; i++) {
		slug = s->reports[i]->slug;
		dir = xasprintf("%s/%s", o->tmp, slug);
		rc = mkdir(dir, 0755) != 0 ? failed(o, dir) : 0;
		free(dir);
		if (rc != 0)
			return -1;
		/* Before the pages: they state the size of the PDF they link to. */
		memset(&po, 0, sizeof(po));
		pdf = xasprintf("%s/%s/%s.pdf", o->tmp, slug, slug);
		po.shown = shown = xasprintf("%s/%s/%s.pdf", o->shown, slug, slug);
		rc = pia_pdf_write_opts(o->d, s->reports[i], pdf, &po);
		free(pdf);
		free(shown);
		if (rc != 0)
			return -1;
		if (pia_pdf_has_risk(s->reports[i])) {
			memset(&po, 0, sizeof(po));
			po.risk_table = 1;
			pdf = xasprintf("%s/%s/%s-risk.pdf", o->tmp, slug, slug);
			po.shown = shown = xasprintf("%s/%s/%s-risk.pdf", o->shown, slug, slug);
			rc = pia_pdf_write_opts(o->d, s->reports[i], pdf, &po);
			free(pdf);
			free(shown);
			if (rc != 0)
				return -1;
		}
	}
	for (i = 0; i < s->nreports; i++)
		if (write_report(o, th, s, s->reports[i]) != 0)
			return -1;
	if (write_index(o, th, s) != 0 || write_search(o, th, s) != 0 ||
	    write_feeds(o, s) != 0)
		return -1;
	return 0;
}

/* 1 when the folder holds what every build of pia writes at its top. */
static int
is_site(const char *dir)
{
	static const char *const own[] = { PIA_HTML_PAGE, "sitemap.xml", "search-index.js" };
	struct stat st;
	size_t i;
	char *p;
	int ok = 1;

	for (i = 0; ok && i < sizeof(own) / sizeof(own[0]); i++) {
		p = xasprintf("%s/%s", dir, own[i]);
		ok = lstat(p, &st) == 0 && S_ISREG(st.st_mode);
		free(p);
	}
	return ok;
}

static int
not_dot(const struct dirent *e)
{
	return strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
}

int
pia_site_check_output(struct pia_diag *d, const char *content, const char *out)
{
	struct pia_pos pos = { out, 0, 0 };
	struct dirent **v = NULL;
	struct stat st;
	char *rc_ = pia_path_resolve(content), *ro = pia_path_resolve(out);
	int i, n, rc = -1;

	if (rc_ == NULL || ro == NULL) {
		pia_diag(d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(errno));
		goto out;
	}
	switch (pia_path_relation(ro, rc_)) {
	case PIA_PATH_SAME:
		pia_diag(d, &pos, PIA_MSG_OUT_CONTENT, content, "そのものです");
		goto out;
	case PIA_PATH_INSIDE:
		pia_diag(d, &pos, PIA_MSG_OUT_CONTENT, content, "の中にあります");
		goto out;
	case PIA_PATH_CONTAINS:
		pia_diag(d, &pos, PIA_MSG_OUT_CONTENT, content, "を含んでいます");
		goto out;
	case PIA_PATH_APART:
		break;
	}
	if (stat(ro, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			pia_diag(d, &pos, PIA_MSG_OUT_NOT_DIR);
			goto out;
		}
		if ((n = scandir(ro, &v, not_dot, alphasort)) < 0) {
			pia_diag(d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(errno));
			goto out;
		}
		if (n > 0 && !is_site(ro))
			pia_diag(d, &pos, PIA_MSG_OUT_NOT_SITE, v[0]->d_name);
		else
			rc = 0;
		for (i = 0; i < n; i++)
			free(v[i]);
		free(v);
	} else
		rc = 0;
out:
	free(rc_);
	free(ro);
	return rc;
}

int
pia_site_write(struct pia_diag *d, const struct pia_site *s, const char *out,
    const char *themedir)
{
	struct pia_pos pos = { NULL, 0, 0 };
	struct pia_atomic_dir a;
	struct pia_theme *th;
	struct out o;
	char *shown, *real;
	size_t n;
	int rc = -1;

	if ((th = pia_theme_load(themedir)) == NULL)
		return -1;
	/* "out/" is named "out" in messages: "out/01-jumin/index.html". */
	shown = xstrdup(out);
	n = strlen(shown);
	while (n > 1 && shown[n - 1] == '/')
		shown[--n] = '\0';
	pos.file = shown;
	/* Through a symbolic link the folder it names is replaced, the link kept. */
	if ((real = pia_path_resolve(out)) == NULL ||
	    pia_atomic_dir_begin(&a, real) != 0) {
		pia_diag(d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(errno));
		free(real);
		free(shown);
		pia_theme_free(th);
		return -1;
	}
	o.d = d;
	o.tmp = a.tmp;
	o.shown = shown;
	if (write_all(&o, s, th) == 0) {
		if (pia_atomic_dir_commit(&a, 0) == 0)
			rc = 0;
		else
			pia_diag(d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(errno));
	}
	pia_atomic_dir_end(&a);
	free(real);
	free(shown);
	pia_theme_free(th);
	return rc;
}
