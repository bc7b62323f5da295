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
 *   3. the report pages, which link to their PDF when it is there, and
 *      the report's search text (SLUG/search-N.js);
 *   4. the index (with each PDF's real size), the search page and
 *      its index (search-index.js and search/, from every report's
 *      postings in .pia-cache/), the Atom feed and the sitemap.
 * The renderers fill buffers (html.h); only this file writes files.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atomic.h"
#include "check.h"
#include "diag.h"
#include "html.h"
#include "load.h"
#include "model.h"
#include "pdf.h"
#include "pia.h"
#include "site.h"
#include "util.h"

static int	not_dot_entry(const struct dirent *);

/* The cache of incremental builds, in OUT (see below). */
#define CACHE		".pia-cache"

/* Largest image a report may show. */
#define MAX_IMAGE	(16u << 20)

/* Where the passes write: the temporary folder, named in messages as OUT. */
struct out {
	struct pia_diag	*d;
	const char	*tmp;
	const char	*shown;		/* OUT as the user named it */
};

struct pia_build;
static const struct pia_report *loaded_report(const struct out *, struct pia_build *,
		    const struct pia_report *);

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

/* OUT/.pia-cache/SLUG.idx: a report's search postings (html.h, pia_search_postings). */
static char *
postings_path(const char *top, const char *slug)
{
	return xasprintf("%s/" CACHE "/%s.idx", top, slug);
}

/* The search postings of r into b, and into the cache of the new site. */
static int
write_postings(const struct out *o, const struct pia_report *r, const struct pia_search_report *sr,
    struct pia_buf *b)
{
	char *path = postings_path(o->tmp, r->slug);
	int rc = 0;

	pia_search_postings(sr, b);
	if (pia_write_file(path, b->data, b->len) != 0)
		rc = failed(o, path);
	free(path);
	return rc;
}

/*
 * The entry and the shards, from every report's postings: those the
 * reports' workers or the previous site left in the new site's cache,
 * else (missing, or not read whole) made here again from the report.
 */
static int
write_search_index(const struct out *o, struct pia_build *bd, const struct pia_site *s)
{
	const struct pia_report *full;
	const struct pia_report **v = pia_html_sorted(s);
	const struct pia_buf **pv;
	const char **dirs;
	struct pia_search_report *sr;
	struct pia_search_files fs;
	struct pia_buf *post, name = { 0 };
	char *path;
	size_t i, n, len;
	int rc = 0;

	for (n = 0; v[n] != NULL; n++)
		;
	post = xcalloc(n + 1, sizeof(*post));
	pv = xcalloc(n + 1, sizeof(*pv));
	dirs = xcalloc(n + 1, sizeof(*dirs));
	for (i = 0; rc == 0 && i < n; i++) {
		path = postings_path(o->tmp, v[i]->slug);
		if (pia_read_file(path, (size_t)256 << 20, &post[i].data, &len) == 0) {
			post[i].len = post[i].cap = len;
			if (pia_search_postings_ok(&post[i]) != 0)
				pia_buf_free(&post[i]);
		}
		free(path);
		if (post[i].data == NULL) {
			/* A summary has no text to index: the report itself. */
			if ((full = loaded_report(o, bd, v[i])) == NULL) {
				rc = -1;
				break;
			}
			sr = pia_search_report(full);
			rc = write_postings(o, full, sr, &post[i]);
			pia_search_report_free(sr);
		}
		pv[i] = &post[i];
		pia_html_name(&name, v[i]->slug);
		dirs[i] = pia_buf_take(&name);
	}
	memset(&fs, 0, sizeof(fs));
	if (rc == 0 && pia_search_merge(pv, dirs, n, &fs) != 0)
		rc = -1;
	for (i = 0; rc == 0 && i < fs.n; i++)
		rc = write_file(o, o->tmp, fs.v[i].name, &fs.v[i].b);
	pia_search_files_free(&fs);
	for (i = 0; i < n; i++) {
		pia_buf_free(&post[i]);
		free((char *)dirs[i]);
	}
	free(post);
	free(pv);
	free(dirs);
	free(v);
	return rc;
}

static int
write_search(const struct out *o, struct pia_build *bd, const struct pia_theme *th,
    const struct pia_site *s)
{
	struct pia_buf page = { 0 };
	char *dir;
	int rc;

	pia_site_search_page(th, s, &page);
	rc = write_file(o, o->tmp, "search.html", &page);
	pia_buf_free(&page);
	if (rc != 0)
		return rc;
	dir = xasprintf("%s/search", o->tmp);
	rc = mkdir(dir, 0755) != 0 ? failed(o, dir) : 0;
	free(dir);
	if (rc != 0)
		return rc;
	return write_search_index(o, bd, s);
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

/* ---- incremental builds: the manifest ------------------------------------ */

/*
 * OUT/.pia-manifest names, per report, a hash of everything its folder
 * (SLUG/: PDF, risk table, page, images) is made from: the pia binary
 * itself (so a new pia renders everything again), site.xml, the theme's
 * files and the default theme's, and every file below the report's
 * folder.  A report whose hash is the one of the last build of OUT gets
 * its folder from the previous site as hard links into the temporary
 * folder (a copy where links fail), so the atomic replace still holds:
 * the previous site is never changed.  The site-wide pages (index, search,
 * feed, sitemap) are always written anew; the search index from the
 * postings each report's last rendering kept (OUT/.pia-cache/SLUG.idx),
 * so an unchanged report's text is not indexed again.  Nor is it loaded
 * (pia_build_prepare, before the loader): its cache entry's summary
 * (site/summary.c) stands for it in those pages and in the checks across
 * the city; where the previous site lacks what the report needs after
 * all, it is loaded then (loaded_report).
 */
#define MANIFEST	".pia-manifest"
#define MANIFEST_HEAD	"pia-manifest 1\n"

struct hash {
	uint64_t	a, b;
};

/*
 * Two 64-bit multiply-xorshift streams with different constants, eight
 * bytes at a time, then FNV-1a on the rest: 128 bits against chance
 * collisions (the sources are not an adversary's), fast enough to hash a
 * city's sources on every build.
 */
static void
hash_bytes(struct hash *h, const void *p, size_t n)
{
	const unsigned char *c = p;
	uint64_t w;
	size_t i;

	for (; n >= 8; c += 8, n -= 8) {
		memcpy(&w, c, 8);
		h->a = (h->a ^ w) * 0x9E3779B97F4A7C15ULL;
		h->a ^= h->a >> 29;
		h->b = (h->b ^ w) * 0xC2B2AE3D27D4EB4FULL;
		h->b ^= h->b >> 31;
	}
	for (i = 0; i < n; i++) {
		h->a = (h->a ^ c[i]) * 0x100000001B3ULL;
		h->b = (h->b ^ c[i]) * 0x100000001B3ULL;
		h->b ^= h->b >> 29;
	}
}

static void
hash_str(struct hash *h, const char *s)
{
	hash_bytes(h, s, strlen(s) + 1);
}

/*
 * A file's bytes (a missing one hashes as its name alone, so does what is
 * no regular file: a FIFO's open or read would wait, and the hash runs
 * before the loader has refused it).
 */
static void
hash_file(struct hash *h, const char *path)
{
	unsigned char buf[65536];
	struct stat st;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		hash_str(h, "-");
		return;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		hash_str(h, "-");
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		hash_bytes(h, buf, (size_t)n);
	close(fd);
}

/* Every name and file below dir, in a fixed order. */
static void
hash_tree(struct hash *h, const char *dir, int level)
{
	struct dirent **v = NULL;
	struct stat st;
	char *p;
	int i, n;

	if (level > 16 || (n = scandir(dir, &v, not_dot_entry, alphasort)) < 0) {
		hash_str(h, "?");
		return;
	}
	for (i = 0; i < n; i++) {
		p = xasprintf("%s/%s", dir, v[i]->d_name);
		hash_str(h, v[i]->d_name);
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			hash_tree(h, p, level + 1);
		else
			hash_file(h, p);
		free(p);
		free(v[i]);
	}
	free(v);
	hash_str(h, "/");
}

/* Not a dot entry, nor the reports' folder (each report is hashed on its own). */
static int
not_reports(const struct dirent *e)
{
	return e->d_name[0] != '.' && strcmp(e->d_name, "reports") != 0;
}

/*
 * What every report's folder and messages depend on besides its own
 * sources: pia, the forms given with --forms, the content tree outside
 * reports/ (site.xml, and what a report's Markdown may link to there),
 * the theme.
 */
static struct hash
site_hash(const char *content, const char *dir, const char *def, const char *formdir)
{
	struct hash h = { 0xCBF29CE484222325ULL, 0x84222325CBF29CE4ULL };
	struct dirent **v = NULL;
	struct stat st;
	char *p;
	int i, n;

	hash_str(&h, "pia " PIA_VERSION);
	hash_file(&h, "/proc/self/exe");
	hash_str(&h, formdir != NULL ? "forms" : "-");
	if (formdir != NULL)
		hash_tree(&h, formdir, 0);
	if ((n = scandir(content, &v, not_reports, alphasort)) < 0)
		hash_str(&h, "?");
	for (i = 0; i < n; i++) {
		p = xasprintf("%s/%s", content, v[i]->d_name);
		hash_str(&h, v[i]->d_name);
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			hash_tree(&h, p, 1);
		else
			hash_file(&h, p);
		free(p);
		free(v[i]);
	}
	free(v);
	if (dir != NULL)
		hash_tree(&h, dir, 0);
	hash_str(&h, "|");
	if (def != NULL)
		hash_tree(&h, def, 0);
	return h;
}

static char *
report_key(struct hash h, const char *slug, const char *dir)
{
	hash_str(&h, slug);
	hash_tree(&h, dir, 0);
	return xasprintf("%016llx%016llx", (unsigned long long)h.a, (unsigned long long)h.b);
}

/* The hash the last build of OUT recorded for slug, or NULL. */
static const char *
old_key(const char *manifest, const char *slug)
{
	static char key[33];
	const char *p = manifest;
	size_t n = strlen(slug);

	while (p != NULL && *p) {
		if (strncmp(p, slug, n) == 0 && p[n] == ' ' && strlen(p + n + 1) >= 32 &&
		    (p[n + 33] == '\n' || p[n + 33] == '\0')) {
			memcpy(key, p + n + 1, 32);
			key[32] = '\0';
			return key;
		}
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return NULL;
}

/*
 * Hard-link (or copy) the tree below the folder sfd into the existing
 * folder dfd (named dst in messages).  Relative to open folders, with the
 * entries' types from readdir: a city's rebuild links thousands of files,
 * and a path walked and stat'ed for each was a good part of its time.
 */
static int
link_tree_at(const struct out *o, int sfd, const char *src, int dfd, const char *dst, int level)
{
	struct pia_buf b = { 0 };
	struct dirent *e;
	struct stat st;
	DIR *dir;
	char *from, *to;
	size_t len;
	int fd, sub, dsub, isdir, rc = 0;

	if (level > 16 || (fd = dup(sfd)) == -1)
		return -1;
	if ((dir = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	while (rc == 0 && (e = readdir(dir)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (e->d_type == DT_UNKNOWN) {
			if (fstatat(sfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
				rc = -1;
				break;
			}
			isdir = S_ISDIR(st.st_mode);
			if (!isdir && !S_ISREG(st.st_mode))
				continue;
		} else if (e->d_type == DT_DIR)
			isdir = 1;
		else if (e->d_type == DT_REG)
			isdir = 0;
		else
			continue;
		from = xasprintf("%s/%s", src, e->d_name);
		to = xasprintf("%s/%s", dst, e->d_name);
		if (isdir) {
			if (mkdirat(dfd, e->d_name, 0755) != 0)
				rc = failed(o, to);
			else if ((sub = openat(sfd, e->d_name, O_RDONLY | O_DIRECTORY |
			    O_NOFOLLOW | O_CLOEXEC)) == -1)
				rc = -1;
			else {
				if ((dsub = openat(dfd, e->d_name, O_RDONLY | O_DIRECTORY |
				    O_NOFOLLOW | O_CLOEXEC)) == -1)
					rc = failed(o, to);
				else {
					rc = link_tree_at(o, sub, from, dsub, to, level + 1);
					close(dsub);
				}
				close(sub);
			}
		} else if (linkat(sfd, e->d_name, dfd, e->d_name, 0) != 0) {
			/* Another file system, or links refused: a copy. */
			if (pia_read_file(from, (size_t)-1, &b.data, &len) != 0)
				rc = -1;
			else {
				b.len = b.cap = len;
				if (pia_write_file(to, b.data, b.len) != 0)
					rc = failed(o, to);
				pia_buf_free(&b);
			}
		}
		free(from);
		free(to);
	}
	closedir(dir);
	return rc;
}

/* Hard-link (or copy) the tree src into the existing folder dst. */
static int
link_tree(const struct out *o, const char *src, const char *dst)
{
	int sfd, dfd, rc = -1;

	if ((sfd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	if ((dfd = open(dst, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) != -1) {
		rc = link_tree_at(o, sfd, src, dfd, dst, 0);
		close(dfd);
	} else
		rc = failed(o, dst);
	close(sfd);
	return rc;
}

/*
 * An unchanged report's search postings from the previous site's cache
 * into the new one's; when they are missing there, write_search_index
 * makes them again.
 */
static void
link_postings(const struct out *o, const char *prev, const char *slug)
{
	char *from = xasprintf("%s/" CACHE "/%s.idx", prev, slug);
	char *to = xasprintf("%s/" CACHE "/%s.idx", o->tmp, slug);
	int rc = link(from, to);

	(void)rc;	/* missing: made again */
	free(from);
	free(to);
}

/* ---- the reports' folders, in worker processes ------------------------------ */

/*
 * The report's search text (SLUG/search-N.js), and its postings into the
 * new site's cache, from which the site's index is made.
 */
static int
write_report_search(const struct out *o, const struct pia_report *r)
{
	struct pia_search_report *sr = pia_search_report(r);
	struct pia_search_files fs;
	struct pia_buf post = { 0 };
	size_t i;
	int rc = 0;

	memset(&fs, 0, sizeof(fs));
	pia_search_fragments(sr, &fs);
	for (i = 0; rc == 0 && i < fs.n; i++)
		rc = write_file(o, o->tmp, fs.v[i].name, &fs.v[i].b);
	if (rc == 0)
		rc = write_postings(o, r, sr, &post);
	pia_buf_free(&post);
	pia_search_files_free(&fs);
	pia_search_report_free(sr);
	return rc;
}

/* PDF, risk table, page, images and search text of one report into its (made) folder. */
static int
write_one(const struct out *o, const struct pia_theme *th, const struct pia_site *s,
    const struct pia_report *r)
{
	struct pia_pdf_opts po;
	const char *slug = r->slug;
	char *pdf, *shown;
	int rc;

	/* Before the page: it states the size of the PDF it links to. */
	memset(&po, 0, sizeof(po));
	pdf = xasprintf("%s/%s/%s.pdf", o->tmp, slug, slug);
	po.shown = shown = xasprintf("%s/%s/%s.pdf", o->shown, slug, slug);
	rc = pia_pdf_write_opts(o->d, r, pdf, &po);
	free(pdf);
	free(shown);
	if (rc != 0)
		return -1;
	if (pia_pdf_has_risk(r)) {
		memset(&po, 0, sizeof(po));
		po.risk_table = 1;
		pdf = xasprintf("%s/%s/%s-risk.pdf", o->tmp, slug, slug);
		po.shown = shown = xasprintf("%s/%s/%s-risk.pdf", o->shown, slug, slug);
		rc = pia_pdf_write_opts(o->d, r, pdf, &po);
		free(pdf);
		free(shown);
		if (rc != 0)
			return -1;
	}
	if (write_report(o, th, s, r) != 0)
		return -1;
	return write_report_search(o, r);
}

/* Write all of buf to fd; 0 or -1. */
static int
put_all(int fd, const char *buf, size_t n)
{
	ssize_t k;

	while (n > 0) {
		if ((k = write(fd, buf, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += k;
		n -= (size_t)k;
	}
	return 0;
}

/*
 * A worker's messages, sent to the parent as lines of fields separated
 * by NUL: code, line, column, file (empty: none), text.  pia_diag_escape
 * left no NUL or newline in them.
 */
static void
send_diag(struct pia_diag *d, int fd)
{
	const struct pia_diag_item *it;
	struct pia_buf b = { 0 };
	size_t i, n = pia_diag_items(d, &it);

	for (i = 0; i < n; i++) {
		pia_buf_printf(&b, "%d", (int)it[i].msg);
		pia_buf_putc(&b, '\0');
		pia_buf_printf(&b, "%u", it[i].line);
		pia_buf_putc(&b, '\0');
		pia_buf_printf(&b, "%u", it[i].col);
		pia_buf_putc(&b, '\0');
		pia_buf_puts(&b, it[i].file ? it[i].file : "");
		pia_buf_putc(&b, '\0');
		pia_buf_puts(&b, it[i].text);
		pia_buf_putc(&b, '\n');
	}
	if (b.len > 0)
		put_all(fd, b.data, b.len);
	pia_buf_free(&b);
}

/* Everything a worker sent until it closed its end. */
static void
read_all(int fd, char **buf, size_t *len)
{
	struct pia_buf b = { 0 };
	char chunk[4096];
	ssize_t k;

	while ((k = read(fd, chunk, sizeof(chunk))) != 0) {
		if (k < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		pia_buf_put(&b, chunk, (size_t)k);
	}
	*len = b.len;
	*buf = b.data ? pia_buf_take(&b) : xstrdup("");
}

static void
take_diag(struct pia_diag *d, const char *buf, size_t len)
{
	const char *f[5], *p = buf, *end = buf + len, *nl;
	int i;

	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		/* Four fields ended by NUL, then the text up to the newline. */
		for (i = 0; i < 5; i++) {
			f[i] = p;
			if (i == 4)
				break;
			p = memchr(p, '\0', (size_t)(nl - p));
			if (p == NULL)
				break;
			p++;
		}
		if (i == 4 && atoi(f[0]) >= 0 && atoi(f[0]) < PIA_MSG__MAX) {
			char *text = xstrndup(f[4], (size_t)(nl - f[4]));
			pia_diag_add_item(d, *f[3] ? f[3] : NULL, (unsigned)atoi(f[1]),
			    (unsigned)atoi(f[2]), (enum pia_msg)atoi(f[0]), text);
			free(text);
		}
		p = nl + 1;
	}
}

/*
 * The reports of todo[0..n-1] in jobs worker processes, report i in worker
 * i % jobs; each sends its messages back through a pipe and exits 0 when
 * all its reports were written.  One job, or one report: in this process.
 */
static int
write_reports(const struct out *o, const struct pia_theme *th, const struct pia_site *s,
    const struct pia_report **todo, size_t n, unsigned jobs)
{
	struct out wo;
	sigset_t mask;
	pid_t *pid;
	int *fd, pfd[2], st, rc = 0;
	unsigned k, nforked = 0;
	size_t i, len;
	char *buf;

	if (jobs > n)
		jobs = (unsigned)n;
	if (jobs <= 1) {
		for (i = 0; i < n; i++)
			if (write_one(o, th, s, todo[i]) != 0)
				return -1;
		return 0;
	}
	pid = xcalloc(jobs, sizeof(*pid));
	fd = xcalloc(jobs, sizeof(*fd));
	fflush(NULL);	/* nothing buffered is written twice */
	for (k = 0; k < jobs; k++) {
		fd[k] = -1;
		if (pipe(pfd) != 0) {
			pia_diag(o->d, NULL, PIA_MSG_SYS_WRITE, pia_strerror(errno));
			rc = -1;
			break;
		}
		/* No signal between the fork and the worker's registration (util/cleanup.c). */
		pia_cleanup_block(&mask);
		if ((pid[k] = fork()) == -1) {
			sigprocmask(SIG_SETMASK, &mask, NULL);
			pia_diag(o->d, NULL, PIA_MSG_SYS_WRITE, pia_strerror(errno));
			close(pfd[0]);
			close(pfd[1]);
			rc = -1;
			break;
		}
		if (pid[k] == 0)
			pia_cleanup_in_worker();
		else
			pia_cleanup_workers(pid, k + 1);
		sigprocmask(SIG_SETMASK, &mask, NULL);
		if (pid[k] == 0) {
			close(pfd[0]);
			wo = *o;
			wo.d = pia_diag_new();
			for (i = k; i < n && rc == 0; i += jobs)
				rc = write_one(&wo, th, s, todo[i]);
			send_diag(wo.d, pfd[1]);
			pia_diag_free(wo.d);
			free(pid);
			free(fd);
			/* _exit: the parent's exit handlers and buffers are its own. */
			_exit(rc == 0 ? 0 : 1);
		}
		close(pfd[1]);
		fd[k] = pfd[0];
		nforked = k + 1;
	}
	for (k = 0; k < jobs; k++) {
		if (fd[k] < 0)
			continue;
		read_all(fd[k], &buf, &len);
		take_diag(o->d, buf, len);
		free(buf);
		close(fd[k]);
		while (waitpid(pid[k], &st, 0) == -1 && errno == EINTR)
			;
		/* Reaped: its pid may be another process's now. */
		pia_cleanup_workers(pid + k + 1, nforked - k - 1);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			rc = -1;
	}
	pia_cleanup_workers(NULL, 0);
	free(pid);
	free(fd);
	return rc;
}

/* ---- incremental builds: the messages of unchanged reports ---------------- */

/*
 * OUT/.pia-cache/SLUG.msg holds the messages the checks of one report gave
 * (pia_build_check), under a hash of what they depend on: the report's key
 * (its sources, site.xml and what else lies outside reports/, the forms,
 * the theme, pia itself) and the checks run.  A report whose cache entry
 * has its key is not checked again: its messages are those of the entry.
 * Inside OUT, so the entry is replaced with the site, atomically, and never
 * describes another build than the one beside it; nothing is left beside
 * OUT.  Files are named relative to the content folder, so no local path
 * of the machine that built it is kept there.  An entry pia cannot read
 * whole (no head, another key, no seal or one that does not match, a bad
 * line) is a miss: the
 * report is checked again, with no message.
 *
 *   pia-cache 2
 *   KEY
 *   PHASE \0 CODE \0 LINE \0 COL \0 FILE \0 TEXT \n    (a line per message)
 *   summary
 *   SUMMARY                                      (site/summary.c)
 *   end HASH                                     (pia_buf_seal: cut short or changed, a miss)
 *
 * PHASE: 0 for the checks before the city's, 1 for those after (HTML), 2
 * for the loader's (told again when the summary stands for the report);
 * FILE: "+" and the path below the content folder, "=" and a path, or "-".
 */
#define CACHE_HEAD	"pia-cache 2\n"

static void	put_msgs(struct pia_buf *, const struct pia_diag_item *, size_t,
		    const char *, const struct pia_site *, int);
#define SUMMARY_LINE	"summary\n"

struct pia_build {
	const struct pia_site	*s;
	struct pia_theme	*th;
	char			*real;		/* OUT, resolved */
	char			*shown;		/* OUT as the user named it */
	char			**key;		/* per report: the hash of its folder */
	struct pia_buf		*msgs;		/* per report: its cache entry (empty: none) */
	const struct pia_forms	*fs;		/* to load a report its summary stood for */
	char			*stub;		/* per report: 1 when its summary stands for it */
	struct pia_report	**full;		/* per report: loaded after all, or NULL */
	char			*hit;		/* per report: its entry is the last build's file */
};

/* What pia_build_prepare found, per report the loader asked about (pia_build_reuse). */
struct prep_report {
	char		*slug;
	char		*key;
	struct pia_report *stub;	/* the summary handed to the loader, or NULL */
	struct pia_buf	 entry;		/* its cache entry, with stub */
};

struct pia_build_prep {
	const struct pia_forms	*fs;
	char			*real;		/* OUT, resolved */
	char			*manifest;	/* the last build's, or NULL */
	struct hash		 h;		/* site_hash */
	unsigned		 what;
	struct prep_report	*v;
	size_t			 n;
};

/* The key of a report's messages: its folder's and the checks run. */
static char *
msg_key(const char *key, unsigned what)
{
	struct hash h = { 0xCBF29CE484222325ULL, 0x84222325CBF29CE4ULL };

	hash_str(&h, key);
	hash_bytes(&h, &what, sizeof(what));
	return xasprintf("%016llx%016llx", (unsigned long long)h.a, (unsigned long long)h.b);
}

/* Append the messages of td to the entry b as phase, and add them to d. */
static void
keep_msgs(struct pia_buf *b, struct pia_diag *d, struct pia_diag *td,
    const struct pia_site *s, int phase)
{
	const struct pia_diag_item *it;
	size_t n = pia_diag_items(td, &it);

	put_msgs(b, it, n, NULL, s, phase);
	for (size_t i = 0; i < n; i++)
		pia_diag_add_item(d, it[i].file, it[i].line, it[i].col, it[i].msg, it[i].text);
}

/* The messages it[0..n) (about slug only, unless NULL) into the entry b as phase. */
static void
put_msgs(struct pia_buf *b, const struct pia_diag_item *it, size_t n, const char *slug,
    const struct pia_site *s, int phase)
{
	size_t i, k = strlen(s->dir);

	for (i = 0; i < n; i++) {
		if (slug != NULL && (it[i].report == NULL || strcmp(it[i].report, slug) != 0))
			continue;
		pia_buf_printf(b, "%d", phase);
		pia_buf_putc(b, '\0');
		pia_buf_printf(b, "%d", (int)it[i].msg);
		pia_buf_putc(b, '\0');
		pia_buf_printf(b, "%u", it[i].line);
		pia_buf_putc(b, '\0');
		pia_buf_printf(b, "%u", it[i].col);
		pia_buf_putc(b, '\0');
		if (it[i].file == NULL)
			pia_buf_putc(b, '-');
		else if (strncmp(it[i].file, s->dir, k) == 0 && it[i].file[k] == '/') {
			pia_buf_putc(b, '+');
			pia_buf_puts(b, it[i].file + k + 1);
		} else {
			pia_buf_putc(b, '=');
			pia_buf_puts(b, it[i].file);
		}
		pia_buf_putc(b, '\0');
		pia_buf_puts(b, it[i].text);
		pia_buf_putc(b, '\n');
	}
}

/*
 * The messages of phase in the entry e[0..len) into d (NULL: only see
 * that every line reads).  Returns 0, or -1 when a line does not read.
 */
static int
replay_msgs(struct pia_diag *d, const char *sitedir, const char *e, size_t len,
    int phase)
{
	const char *f[6], *p, *end = e + len, *nl;
	char *file, *text, *stop;
	unsigned long v[4];
	int i;

	/* The lines between the key's and the seal. */
	p = memchr(e + strlen(CACHE_HEAD), '\n', len - strlen(CACHE_HEAD)) + 1;
	end -= PIA_SEAL_LEN;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return -1;
		if ((size_t)(nl + 1 - p) == strlen(SUMMARY_LINE) &&
		    memcmp(p, SUMMARY_LINE, strlen(SUMMARY_LINE)) == 0)
			return 0;
		for (i = 0; i < 6; i++) {
			f[i] = p;
			if (i == 5)
				break;
			if ((p = memchr(p, '\0', (size_t)(nl - p))) == NULL)
				return -1;
			p++;
		}
		if (memchr(f[5], '\0', (size_t)(nl - f[5])) != NULL)
			return -1;
		for (i = 0; i < 4; i++) {
			if (*f[i] < '0' || *f[i] > '9')
				return -1;
			v[i] = strtoul(f[i], &stop, 10);
			if (*stop != '\0' || v[i] > 0xFFFFFFFFUL)
				return -1;
		}
		if (v[0] > 2 || v[1] >= PIA_MSG__MAX || (*f[4] != '-' && *f[4] != '+' &&
		    *f[4] != '=') || (*f[4] == '-' && f[4][1] != '\0'))
			return -1;
		if (d == NULL || (int)v[0] != phase)
			continue;
		file = *f[4] == '-' ? NULL : *f[4] == '+' ?
		    xasprintf("%s/%s", sitedir, f[4] + 1) : xstrdup(f[4] + 1);
		text = xstrndup(f[5], (size_t)(nl - f[5]));
		pia_diag_add_item(d, file, (unsigned)v[2], (unsigned)v[3], (enum pia_msg)v[1],
		    text);
		free(file);
		free(text);
	}
	return 0;
}

/* The previous build's entry of slug in OUT (real) when it reads whole and has key, into b. */
static int
read_entry(const char *real, const char *slug, const char *sitedir, const char *key,
    struct pia_buf *b)
{
	size_t len, hl = strlen(CACHE_HEAD), kl = strlen(key), el = PIA_SEAL_LEN;
	char *path, *e = NULL;
	int rc = -1;

	path = xasprintf("%s/" CACHE "/%s.msg", real, slug);
	if (pia_read_file(path, (size_t)64 << 20, &e, &len) == 0 &&
	    len >= hl + kl + 1 + el && memcmp(e, CACHE_HEAD, hl) == 0 &&
	    memcmp(e + hl, key, kl) == 0 && e[hl + kl] == '\n' &&
	    pia_unseal(e, len) == len - el && (len == hl + kl + 1 + el ||
	    e[len - el - 1] == '\n') && replay_msgs(NULL, sitedir, e, len, 0) == 0) {
		b->data = e;
		b->len = b->cap = len;
		e = NULL;
		rc = 0;
	}
	free(e);
	free(path);
	return rc;
}

void
pia_build_check(struct pia_build *bd, struct pia_diag *d, unsigned what)
{
	const struct pia_site *s = bd->s;
	const struct pia_report *r;
	const struct pia_diag_item *loaded;
	struct pia_diag *td;
	char *key, *hit;
	const char *prev;
	size_t i, n = s->nreports, nloaded;

	/* What is in the sink now, the loader told: kept as phase 2. */
	nloaded = pia_diag_items(d, &loaded);
	/* As pia_check_all (check/all.c), each report's checks from its entry when it has one. */
	hit = xcalloc(n + 1, 1);
	for (i = 0; i < n; i++) {
		r = s->reports[i];
		prev = pia_diag_report(d, r->slug);
		key = msg_key(bd->key[i], what);
		/* A summary's entry was read whole with this key when it was handed to the loader. */
		if (!bd->stub[i])
			pia_buf_free(&bd->msgs[i]);
		if (bd->stub[i] || read_entry(bd->real, r->slug, s->dir, key, &bd->msgs[i]) == 0) {
			hit[i] = 1;
			replay_msgs(d, s->dir, bd->msgs[i].data, bd->msgs[i].len, 0);
		} else {
			pia_buf_puts(&bd->msgs[i], CACHE_HEAD);
			pia_buf_puts(&bd->msgs[i], key);
			pia_buf_putc(&bd->msgs[i], '\n');
			td = pia_diag_new();
			pia_diag_report(td, r->slug);
			pia_check_one(td, r, what);
			keep_msgs(&bd->msgs[i], d, td, s, 0);
			pia_diag_free(td);
		}
		free(key);
		pia_diag_report(d, prev);
	}
	/* The loader's messages, before pia_check_site adds to the sink (the replays moved it). */
	pia_diag_items(d, &loaded);
	for (i = 0; i < n; i++)
		if (!hit[i])
			put_msgs(&bd->msgs[i], loaded, nloaded, s->reports[i]->slug, s, 2);
	if (what & PIA_CHECK_SITE)
		pia_check_site(d, s);
	for (i = 0; i < n; i++) {
		r = s->reports[i];
		prev = pia_diag_report(d, r->slug);
		if (hit[i])
			replay_msgs(d, s->dir, bd->msgs[i].data, bd->msgs[i].len, 1);
		else {
			td = pia_diag_new();
			pia_diag_report(td, r->slug);
			if (what & PIA_CHECK_HTML)
				pia_html_check(td, r);
			keep_msgs(&bd->msgs[i], d, td, s, 1);
			pia_diag_free(td);
			pia_buf_puts(&bd->msgs[i], SUMMARY_LINE);
			pia_summary_write(&bd->msgs[i], r, s->dir);
			pia_buf_putc(&bd->msgs[i], '\n');
			pia_buf_seal(&bd->msgs[i], 0);
		}
		pia_diag_report(d, prev);
	}
	if (what & PIA_CHECK_PDF)
		pia_pdf_check_reports(d, (const struct pia_report *const *)s->reports, n);
	free(bd->hit);
	bd->hit = hit;
}

/*
 * r, or when a summary stands for it (pia_build_reuse) and what the
 * previous site kept of it is missing after all, the report loaded now;
 * its load messages were told already.  NULL when it no longer loads.
 */
static const struct pia_report *
loaded_report(const struct out *o, struct pia_build *bd, const struct pia_report *r)
{
	const struct pia_diag_item *it;
	struct pia_diag *td;
	size_t i, k, n;

	for (i = 0; i < bd->s->nreports && bd->s->reports[i] != r; i++)
		;
	if (i == bd->s->nreports || !bd->stub[i])
		return r;
	if (bd->full[i] == NULL) {
		td = pia_diag_new();
		if ((bd->full[i] = pia_load_report(td, bd->fs, r->dir, bd->s->dir)) != NULL)
			bd->full[i]->site = bd->s;
		else
			for (k = 0, n = pia_diag_items(td, &it); k < n; k++)
				pia_diag_add_item(o->d, it[k].file, it[k].line, it[k].col,
				    it[k].msg, it[k].text);
		pia_diag_free(td);
	}
	return bd->full[i];
}

/* The entries of the checked reports into OUT/.pia-cache/. */
static int
write_cache(const struct out *o, const struct pia_build *bd)
{
	char *dir, *name, *from, *to;
	size_t i;
	int rc = 0;

	dir = xasprintf("%s/" CACHE, o->tmp);
	for (i = 0; rc == 0 && i < bd->s->nreports; i++) {
		if (bd->msgs[i].len == 0)
			continue;
		name = xasprintf("%s.msg", bd->s->reports[i]->slug);
		/* The last build's file, read whole: linked, not written again. */
		from = xasprintf("%s/" CACHE "/%s", bd->real, name);
		to = xasprintf("%s/%s", dir, name);
		if (bd->hit == NULL || !bd->hit[i] || link(from, to) != 0)
			rc = write_file(o, dir, name, &bd->msgs[i]);
		free(from);
		free(to);
		free(name);
	}
	free(dir);
	return rc;
}

/* All passes into the temporary folder; see the top of this file. */
static int
write_all(const struct out *o, struct pia_build *bd, unsigned jobs)
{
	const struct pia_site *s = bd->s;
	const struct pia_theme *th = bd->th;
	const struct pia_report **todo;
	struct pia_buf manifest = { 0 };
	const char *slug, *was;
	char *dir, *old = NULL, *from, *mpath;
	size_t i, n = 0, len;
	int rc;

	if ((rc = pia_theme_copy_assets(th, o->tmp)) != 0) {
		if (rc == -2) {
			dir = xasprintf("%s/assets", o->tmp);
			failed(o, dir);
			free(dir);
		}
		return -1;
	}
	dir = xasprintf("%s/" CACHE, o->tmp);
	rc = mkdir(dir, 0755) != 0 ? failed(o, dir) : 0;
	free(dir);
	if (rc != 0)
		return -1;
	mpath = xasprintf("%s/" MANIFEST, bd->real);
	if (pia_read_file(mpath, (size_t)16 << 20, &old, &len) != 0 ||
	    strncmp(old, MANIFEST_HEAD, strlen(MANIFEST_HEAD)) != 0) {
		free(old);
		old = NULL;
	}
	free(mpath);
	pia_buf_puts(&manifest, MANIFEST_HEAD);
	todo = xcalloc(s->nreports + 1, sizeof(*todo));
	for (i = 0, rc = 0; rc == 0 && i < s->nreports; i++) {
		slug = s->reports[i]->slug;
		dir = xasprintf("%s/%s", o->tmp, slug);
		rc = mkdir(dir, 0755) != 0 ? failed(o, dir) : 0;
		was = old != NULL ? old_key(old, slug) : NULL;
		from = xasprintf("%s/%s", bd->real, slug);
		/* Unchanged: the previous folder, else (or when that fails) rendered anew. */
		if (rc == 0 && was != NULL && strcmp(was, bd->key[i]) == 0 &&
		    link_tree(o, from, dir) == 0)
			link_postings(o, bd->real, slug);
		else if (rc == 0) {
			/*
			 * Into an empty folder: a file half a failed link_tree
			 * linked is the previous site's too, and writing it
			 * (O_TRUNC) would change that site.
			 */
			if (was != NULL && strcmp(was, bd->key[i]) == 0) {
				pia_rm_tree(dir);
				rc = mkdir(dir, 0755) != 0 ? failed(o, dir) : 0;
			}
			if ((todo[n] = loaded_report(o, bd, s->reports[i])) == NULL)
				rc = -1;
			else
				n++;
		}
		pia_buf_printf(&manifest, "%s %s\n", slug, bd->key[i]);
		free(from);
		free(dir);
	}
	free(old);
	if (rc == 0)
		rc = write_reports(o, th, s, todo, n, jobs);
	free(todo);
	if (rc == 0 && (write_index(o, th, s) != 0 || write_search(o, bd, th, s) != 0 ||
	    write_feeds(o, s) != 0))
		rc = -1;
	if (rc == 0)
		rc = write_cache(o, bd);
	if (rc == 0)
		rc = write_file(o, o->tmp, MANIFEST, &manifest);
	pia_buf_free(&manifest);
	return rc;
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

static int
not_dot_entry(const struct dirent *e)
{
	return not_dot(e);
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

struct pia_build *
pia_build_begin(struct pia_diag *d, const struct pia_site *s, const char *out,
    const char *themedir, const char *formdir, struct pia_build_prep *prep)
{
	struct pia_pos pos = { NULL, 0, 0 };
	struct pia_build *b;
	struct pia_theme *th;
	struct hash h;
	char *real;
	const char *dir, *def;
	size_t i, n, k = 0;

	if ((th = pia_theme_load(themedir)) == NULL)
		return NULL;
	b = xcalloc(1, sizeof(*b));
	b->s = s;
	b->th = th;
	/* "out/" is named "out" in messages: "out/01-jumin/index.html". */
	b->shown = xstrdup(out);
	n = strlen(b->shown);
	while (n > 1 && b->shown[n - 1] == '/')
		b->shown[--n] = '\0';
	/* Through a symbolic link the folder it names is replaced, the link kept. */
	if ((real = pia_path_resolve(out)) == NULL) {
		pos.file = b->shown;
		pia_diag(d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(errno));
		pia_build_free(b);
		return NULL;
	}
	b->real = real;
	dir = pia_theme_dirs(th, &def);
	h = site_hash(s->dir, dir, def, formdir);
	b->key = xcalloc(s->nreports + 1, sizeof(*b->key));
	b->msgs = xcalloc(s->nreports + 1, sizeof(*b->msgs));
	b->stub = xcalloc(s->nreports + 1, 1);
	b->full = xcalloc(s->nreports + 1, sizeof(*b->full));
	for (i = 0; i < s->nreports; i++) {
		/* The loader asked about the reports in this order (some did not load). */
		while (prep != NULL && k < prep->n && strcmp(prep->v[k].slug, s->reports[i]->slug) != 0)
			k++;
		if (prep != NULL && k < prep->n && prep->v[k].stub == s->reports[i]) {
			b->key[i] = prep->v[k].key;
			prep->v[k].key = NULL;
			b->stub[i] = 1;
			b->msgs[i] = prep->v[k].entry;
			memset(&prep->v[k].entry, 0, sizeof(prep->v[k].entry));
			b->fs = prep->fs;
		} else
			b->key[i] = report_key(h, s->reports[i]->slug, s->reports[i]->dir);
	}
	return b;
}

void
pia_build_free(struct pia_build *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; b->key != NULL && i < b->s->nreports; i++) {
		free(b->key[i]);
		pia_buf_free(&b->msgs[i]);
		pia_report_free(b->full[i]);
	}
	free(b->key);
	free(b->msgs);
	free(b->stub);
	free(b->full);
	free(b->hit);
	free(b->real);
	free(b->shown);
	pia_theme_free(b->th);
	free(b);
}

struct pia_build_prep *
pia_build_prepare(const char *content, const char *out, const char *themedir,
    const char *formdir, const struct pia_forms *fs, unsigned what)
{
	struct pia_build_prep *p = xcalloc(1, sizeof(*p));
	char *mpath, *dir, *def, *m = NULL;
	size_t len, n;
	struct stat st;

	/* No theme to read: pia_build_begin says so, after the sources' problems. */
	if (themedir != NULL && (stat(themedir, &st) != 0 || !S_ISDIR(st.st_mode)))
		return p;
	p->fs = fs;
	p->what = what;
	/* As pia_cmd_load names it: "content/" is "content". */
	dir = xstrdup(content);
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	/* The folders pia_theme_load will read (pia_theme_dirs). */
	def = pia_theme_default_dir();
	p->h = site_hash(dir, themedir, def, formdir);
	free(def);
	free(dir);
	if ((p->real = pia_path_resolve(out)) != NULL) {
		mpath = xasprintf("%s/" MANIFEST, p->real);
		if (pia_read_file(mpath, (size_t)16 << 20, &m, &len) == 0 &&
		    strncmp(m, MANIFEST_HEAD, strlen(MANIFEST_HEAD)) == 0) {
			p->manifest = m;
			m = NULL;
		}
		free(m);
		free(mpath);
	}
	return p;
}

/* 1 when path in OUT (real) is a folder (dir) or a regular file. */
static int
there(const char *real, const char *path, int dir)
{
	struct stat st;
	char *p = xasprintf("%s/%s", real, path);
	int ok = lstat(p, &st) == 0 && (dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));

	free(p);
	return ok;
}

struct pia_report *
pia_build_reuse(void *arg, struct pia_diag *d, const char *dir, const char *slug,
    const char *content)
{
	struct pia_build_prep *p = arg;
	struct prep_report *pr;
	const char *was, *sum;
	char *mkey, *idx;
	int ok;

	if (p->manifest == NULL)
		return NULL;
	p->v = xrealloc(p->v, (p->n + 1) * sizeof(*p->v));
	pr = &p->v[p->n++];
	memset(pr, 0, sizeof(*pr));
	pr->slug = xstrdup(slug);
	pr->key = report_key(p->h, slug, dir);
	/* Unchanged, its folder and postings in the previous site, its entry whole. */
	if ((was = old_key(p->manifest, slug)) == NULL || strcmp(was, pr->key) != 0 ||
	    !there(p->real, slug, 1))
		return NULL;
	idx = xasprintf(CACHE "/%s.idx", slug);
	ok = there(p->real, idx, 0);
	free(idx);
	mkey = msg_key(pr->key, p->what);
	if (ok)
		ok = read_entry(p->real, slug, content, mkey, &pr->entry) == 0;
	free(mkey);
	if (!ok)
		return NULL;
	sum = memmem(pr->entry.data, pr->entry.len - PIA_SEAL_LEN, "\n" SUMMARY_LINE,
	    strlen("\n" SUMMARY_LINE));
	if (sum != NULL) {
		sum += 1 + strlen(SUMMARY_LINE);
		/* Up to the newline before the seal. */
		pr->stub = pia_summary_read(sum, (size_t)(pr->entry.data + pr->entry.len -
		    PIA_SEAL_LEN - 1 - sum), p->fs, dir, slug, content);
	}
	if (pr->stub == NULL) {
		pia_buf_free(&pr->entry);
		return NULL;
	}
	replay_msgs(d, content, pr->entry.data, pr->entry.len, 2);
	return pr->stub;
}

void
pia_build_load_all(struct pia_build_prep *p, struct pia_site *s)
{
	struct pia_diag *td;
	struct pia_report *r;
	size_t i, k;

	for (k = 0; p != NULL && k < p->n; k++) {
		if (p->v[k].stub == NULL)
			continue;
		for (i = 0; i < s->nreports && s->reports[i] != p->v[k].stub; i++)
			;
		/* Its load messages were told from the entry: the same as now. */
		td = pia_diag_new();
		r = pia_load_report(td, p->fs, p->v[k].stub->dir, s->dir);
		pia_diag_free(td);
		if (i < s->nreports) {
			if (r != NULL) {
				r->site = s;
				s->reports[i] = r;
			} else {
				memmove(&s->reports[i], &s->reports[i + 1],
				    (s->nreports - i - 1) * sizeof(*s->reports));
				s->nreports--;
			}
		} else
			pia_report_free(r);
		pia_report_free(p->v[k].stub);
		p->v[k].stub = NULL;
	}
}

void
pia_build_prep_free(struct pia_build_prep *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->v[i].slug);
		free(p->v[i].key);
		pia_buf_free(&p->v[i].entry);
	}
	free(p->v);
	free(p->manifest);
	free(p->real);
	free(p);
}

int
pia_build_write(struct pia_build *b, struct pia_diag *d, unsigned jobs)
{
	struct pia_pos pos = { NULL, 0, 0 };
	struct pia_atomic_dir a;
	struct out o;
	int rc = -1;

	pos.file = b->shown;
	if (pia_atomic_dir_begin(&a, b->real) != 0) {
		pia_diag(d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(errno));
		return -1;
	}
	o.d = d;
	o.tmp = a.tmp;
	o.shown = b->shown;
	if (write_all(&o, b, jobs ? jobs : pia_site_jobs()) == 0) {
		if (pia_atomic_dir_commit(&a, 0) == 0)
			rc = 0;
		else
			pia_diag(d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(errno));
	}
	pia_atomic_dir_end(&a);
	return rc;
}

int
pia_site_write(struct pia_diag *d, const struct pia_site *s, const char *out,
    const char *themedir, unsigned jobs)
{
	struct pia_build *b = pia_build_begin(d, s, out, themedir, NULL, NULL);
	int rc;

	if (b == NULL)
		return -1;
	rc = pia_build_write(b, d, jobs);
	pia_build_free(b);
	return rc;
}

unsigned
pia_site_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > PIA_SITE_MAX_JOBS ? PIA_SITE_MAX_JOBS : (unsigned)n;
}
