/*
 * Writing the site atomically: build into "OUT.tmp.XXXXXX" beside OUT,
 * then swap it in with two renames; the old tree is removed last.
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

#include "diag.h"
#include "html.h"
#include "model.h"
#include "pdf.h"
#include "site.h"
#include "util.h"

/* Largest image a report may show. */
#define MAX_IMAGE	(16u << 20)

static int
write_file(const char *dir, const char *name, const struct pia_buf *b)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f;
	int rc = 0;

	if ((f = fopen(path, "wb")) == NULL ||
	    (b->len > 0 && fwrite(b->data, 1, b->len, f) != b->len)) {
		pia_diag_now(stderr, &(struct pia_pos){ path, 0, 0 }, PIA_MSG_SYS_WRITE, strerror(errno));
		rc = -1;
	}
	if (f != NULL && fclose(f) != 0 && rc == 0) {
		pia_diag_now(stderr, &(struct pia_pos){ path, 0, 0 }, PIA_MSG_SYS_WRITE, strerror(errno));
		rc = -1;
	}
	free(path);
	return rc;
}

/* mkdir -p for the folders of a relative path below dir. */
static int
make_parents(const char *dir, const char *rel)
{
	char *p = xasprintf("%s/%s", dir, rel), *s;
	int rc = 0;

	for (s = p + strlen(dir) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST) {
			pia_diag_now(stderr, &(struct pia_pos){ p, 0, 0 }, PIA_MSG_SYS_WRITE, strerror(errno));
			rc = -1;
		}
		*s = '/';
		if (rc != 0)
			break;
	}
	free(p);
	return rc;
}

static int
copy_image(const char *src, const char *dir, const char *rel)
{
	struct pia_buf b = { 0 };
	size_t len;
	int rc;

	if (make_parents(dir, rel) != 0)
		return -1;
	if ((rc = pia_read_file(src, MAX_IMAGE, &b.data, &len)) != 0) {
		char limit[16];

		snprintf(limit, sizeof(limit), "%u", MAX_IMAGE);
		if (rc == -2)
			pia_diag_now(stderr, &(struct pia_pos){ src, 0, 0 }, PIA_MSG_SYS_TOOBIG, limit);
		else
			pia_diag_now(stderr, &(struct pia_pos){ src, 0, 0 }, PIA_MSG_SYS_OPEN, strerror(errno));
		return -1;
	}
	b.len = b.cap = len;
	rc = write_file(dir, rel, &b);
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
write_report(const struct pia_theme *th, const struct pia_site *s,
    const struct pia_report *r, const char *tmp)
{
	const struct pia_html_image *img;
	struct pia_buf page = { 0 };
	struct pia_html *h = pia_site_report_page(th, s, r, tmp, &page);
	char *dir;
	size_t i, n;
	int rc;

	dir = xasprintf("%s/%s", tmp, r->slug);
	rc = write_file(dir, PIA_HTML_PAGE, &page);
	n = pia_html_images(h, &img);
	for (i = 0; rc == 0 && i < n; i++)
		rc = copy_image(img[i].src, dir, img[i].dst);
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
write_index(const struct pia_theme *th, const struct pia_site *s, const char *tmp)
{
	struct pia_buf page = { 0 };
	int rc;

	pia_site_index_page(th, s, tmp, &page);
	rc = write_file(tmp, PIA_HTML_PAGE, &page);
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
write_search(const struct pia_theme *th, const struct pia_site *s, const char *tmp)
{
	struct pia_buf page = { 0 }, idx = { 0 };
	int rc;

	pia_site_search_page(th, s, &page);
	rc = write_file(tmp, "search.html", &page);
	if (rc == 0) {
		pia_search_index(s, &idx);
		rc = write_file(tmp, "search-index.js", &idx);
	}
	pia_buf_free(&page);
	pia_buf_free(&idx);
	return rc;
}

static int
write_feeds(const struct pia_site *s, const char *tmp)
{
	struct pia_buf atom = { 0 }, map = { 0 };
	int rc = -1;

	if (pia_feed_atom(s, &atom) != 0 || pia_feed_sitemap(s, &map) != 0)
		pia_diag_now(stderr, NULL, PIA_MSG_SYS_FEED);
	else if (write_file(tmp, "feed.atom", &atom) == 0 &&
	    write_file(tmp, "sitemap.xml", &map) == 0)
		rc = 0;
	pia_buf_free(&atom);
	pia_buf_free(&map);
	return rc;
}

/* All passes into the temporary folder; see the top of this file. */
static int
write_all(struct pia_diag *d, const struct pia_site *s, const struct pia_theme *th,
    const char *tmp)
{
	char *dir, *pdf;
	size_t i;
	int rc;

	if (pia_theme_copy_assets(th, tmp) != 0)
		return -1;
	for (i = 0; i < s->nreports; i++) {
		dir = xasprintf("%s/%s", tmp, s->reports[i]->slug);
		rc = mkdir(dir, 0755);
		if (rc != 0)
			pia_diag_now(stderr, &(struct pia_pos){ dir, 0, 0 }, PIA_MSG_SYS_WRITE, strerror(errno));
		free(dir);
		if (rc != 0)
			return -1;
		/* Before the pages: they state the size of the PDF they link to. */
		pdf = xasprintf("%s/%s/%s.pdf", tmp, s->reports[i]->slug, s->reports[i]->slug);
		rc = pia_pdf_write(d, s->reports[i], pdf);
		free(pdf);
		if (rc != 0)
			return -1;
		if (pia_pdf_has_risk(s->reports[i])) {
			struct pia_pdf_opts o = { 0 };
			o.risk_table = 1;
			pdf = xasprintf("%s/%s/%s-risk.pdf", tmp, s->reports[i]->slug,
			    s->reports[i]->slug);
			rc = pia_pdf_write_opts(d, s->reports[i], pdf, &o);
			free(pdf);
			if (rc != 0)
				return -1;
		}
	}
	for (i = 0; i < s->nreports; i++)
		if (write_report(th, s, s->reports[i], tmp) != 0)
			return -1;
	if (write_index(th, s, tmp) != 0 || write_search(th, s, tmp) != 0 ||
	    write_feeds(s, tmp) != 0)
		return -1;
	return 0;
}

void
pia_site_check(struct pia_diag *d, const struct pia_site *s)
{
	size_t i;

	for (i = 0; s != NULL && i < s->nreports; i++)
		pia_html_check(d, s->reports[i]);
}

int
pia_site_write(struct pia_diag *d, const struct pia_site *s, const char *out,
    const char *themedir)
{
	struct pia_theme *th;
	char *tmp, *old = NULL;
	sigset_t block, unblocked;
	struct stat st;
	int rc = -1, slot;

	if ((th = pia_theme_load(themedir)) == NULL)
		return -1;
	tmp = xasprintf("%s.tmp.XXXXXX", out);
	if (mkdtemp(tmp) == NULL) {
		pia_diag_now(stderr, &(struct pia_pos){ out, 0, 0 }, PIA_MSG_SYS_WRITE, strerror(errno));
		free(tmp);
		pia_theme_free(th);
		return -1;
	}
	chmod(tmp, 0755);
	/* A signal removes the folder being written, or after the swap the old site. */
	slot = pia_cleanup_push(tmp);
	if (write_all(d, s, th, tmp) != 0)
		goto out;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &unblocked);
	if (stat(out, &st) == 0) {
		old = xasprintf("%s.old.XXXXXX", out);
		if (mkdtemp(old) == NULL || rename(out, old) != 0) {
			pia_diag_now(stderr, &(struct pia_pos){ out, 0, 0 }, PIA_MSG_SYS_WRITE, strerror(errno));
			sigprocmask(SIG_SETMASK, &unblocked, NULL);
			goto out;
		}
	}
	if (rename(tmp, out) != 0) {
		pia_diag_now(stderr, &(struct pia_pos){ out, 0, 0 }, PIA_MSG_SYS_WRITE, strerror(errno));
		if (old != NULL)
			rename(old, out);
		sigprocmask(SIG_SETMASK, &unblocked, NULL);
		goto out;
	}
	/* The new site is in place; from here a signal removes only the old one. */
	pia_cleanup_set(slot, old);
	sigprocmask(SIG_SETMASK, &unblocked, NULL);
	rc = 0;
out:
	if (rc != 0)
		pia_rm_tree(tmp);
	if (old != NULL)
		pia_rm_tree(old);
	pia_cleanup_pop(slot);
	free(tmp);
	free(old);
	pia_theme_free(th);
	return rc;
}
