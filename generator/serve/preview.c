/*
 * The preview's state: the site rendered in memory, as a table from a
 * path of the site ("01-jumin/index.html") to its bytes, rendered by the
 * same functions pia build uses (site.h), and what the last attempt to
 * load each report said.
 *
 * One thread (the watcher, cmd/serve.c) loads and renders; the server's
 * connection threads read.  A read-write lock guards the site, the table
 * and the messages: loading and checking run without it (they read only
 * the sources and the forms), and the writer holds it only to swap a
 * report in and render the pages again, so a page is always whole.  PDFs
 * are made by a reader (under the read lock, so the model stays put) and
 * one at a time (pdf_lock), into a temporary folder.
 *
 * A draft is shown as it is, errors and all: a report being written has
 * 【記入してください】 and unanswered choices for weeks, and its author
 * wants to see the rest.  Only sources that did not load whole (a FATAL
 * message about the report: a file that cannot be read or parsed, a path
 * out of the tree, a limit) keep the report's last good page.  Which
 * report a message is about is read from the sink (pia_diag_report), never
 * from the printed text.  Every message is shown in the panel of every
 * page.
 */
#include <errno.h>
#include <pthread.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "check.h"
#include "diag.h"
#include "html.h"
#include "load.h"
#include "model.h"
#include "pdf.h"
#include "serve.h"
#include "site.h"
#include "util.h"

/* Largest image a report may show (as site/site.c). */
#define MAX_IMAGE	(16u << 20)
/* Largest PDF read back to serve. */
#define MAX_PDF		(256u << 20)

/* One file of the rendered site. */
struct entry {
	char		*key;
	const char	*type;
	char		*data;
	size_t		 len;
};

/* Messages of one attempt, each as pia check prints it. */
struct line {
	char		*text;
	int		 error;		/* printed as "error" */
};
struct lines {
	struct line	*v;
	size_t		 n;
};

/* What is known of one report folder. */
struct rstate {
	char		*slug;
	unsigned long	 version;	/* bumped whenever a new good load is rendered */
	unsigned long	 pdf_version;	/* version the PDF in tmp was made from; 0: none */
	struct lines	 messages;	/* of the last attempt */
	int		 failed;	/* the last attempt did not load: an older render is shown */
	int		 draft;		/* the version shown has errors: its PDF is stamped 下書き */
};

struct pia_preview {
	const struct pia_forms	*fs;
	char			*dir;		/* the content tree, as messages name it */
	char			*tmp;		/* assets copied once, PDFs */
	struct pia_theme	*theme;
	FILE			*log;

	pthread_rwlock_t	 lock;		/* guards what follows down to pdf_lock */
	struct pia_site		*site;		/* the last good reports */
	struct entry		*v;
	size_t			 n;
	struct rstate		*rs;
	size_t			 nrs;
	struct lines		 site_messages;	/* messages about no report (site.xml) */
	int			 site_failed;

	pthread_mutex_t		 pdf_lock;	/* one PDF at a time; guards pdf_version */

	pthread_mutex_t		 gen_lock;	/* guards gen and stopping */
	pthread_cond_t		 gen_cond;
	unsigned long		 gen;
	int			 stopping;
};

static const struct {
	const char	*suffix;
	const char	*type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".jpeg", "image/jpeg" },
	{ ".gif", "image/gif" },
	{ ".webp", "image/webp" },
	{ ".pdf", "application/pdf" },
	{ ".atom", "application/atom+xml" },
	{ ".xml", "application/xml" },
	{ ".txt", "text/plain; charset=utf-8" },
};

static const char *
type_of(const char *key)
{
	size_t i, n = strlen(key), k;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		k = strlen(types[i].suffix);
		if (n > k && strcmp(key + n - k, types[i].suffix) == 0)
			return types[i].type;
	}
	return "application/octet-stream";
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- the table of files (writer holds the lock) ------------------------ */

static struct entry *
find(const struct pia_preview *p, const char *key)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].key, key) == 0)
			return &p->v[i];
	return NULL;
}

/* Set key to the bytes of b, which are taken (b is reset). */
static void
put(struct pia_preview *p, const char *key, struct pia_buf *b)
{
	struct entry *e = find(p, key);

	if (e == NULL) {
		p->v = xrealloc(p->v, (p->n + 1) * sizeof(*p->v));
		e = &p->v[p->n++];
		e->key = xstrdup(key);
		e->type = type_of(key);
	} else
		free(e->data);
	e->len = b->len;
	e->data = b->data != NULL ? pia_buf_take(b) : xstrdup("");
}

/* Forget every file whose key starts with prefix. */
static void
drop(struct pia_preview *p, const char *prefix)
{
	size_t i = 0;

	while (i < p->n)
		if (pia_startswith(p->v[i].key, prefix)) {
			free(p->v[i].key);
			free(p->v[i].data);
			p->v[i] = p->v[--p->n];
		} else
			i++;
}

/* ---- what each report said --------------------------------------------- */

static struct rstate *
rstate(struct pia_preview *p, const char *slug, int create)
{
	size_t i;

	for (i = 0; i < p->nrs; i++)
		if (strcmp(p->rs[i].slug, slug) == 0)
			return &p->rs[i];
	if (!create)
		return NULL;
	p->rs = xrealloc(p->rs, (p->nrs + 1) * sizeof(*p->rs));
	memset(&p->rs[p->nrs], 0, sizeof(*p->rs));
	p->rs[p->nrs].slug = xstrdup(slug);
	return &p->rs[p->nrs++];
}

static void
lines_free(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void
rstate_drop(struct pia_preview *p, size_t i)
{
	free(p->rs[i].slug);
	lines_free(&p->rs[i].messages);
	p->rs[i] = p->rs[--p->nrs];
}

/* The sink's messages as pia check prints them (sorted, one a line); caller frees. */
static char *
messages(struct pia_diag *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		return xstrdup("");
	pia_diag_print(d, f);
	fclose(f);
	return text != NULL ? text : xstrdup("");
}

/* 1 when the message is about the report slug (slug NULL: about none). */
static int
about(const struct pia_diag_item *it, const char *slug)
{
	if (slug == NULL || it->report == NULL)
		return slug == it->report;
	return strcmp(it->report, slug) == 0;
}

/*
 * 1 when the sink has a message about slug of level l or worse.  FATAL
 * means the sources did not load whole, so a page made from them would
 * lose parts; other errors (values, rules, dates, the change history …)
 * leave a complete draft to show.
 */
static int
has(const struct pia_diag *d, const char *slug, enum pia_level l)
{
	const struct pia_diag_item *v;
	size_t i, n = pia_diag_items(d, &v);

	for (i = 0; i < n; i++)
		if (about(&v[i], slug) && pia_msg_info(v[i].msg)->level >= l)
			return 1;
	return 0;
}

/* The messages about slug (NULL: about no report), sorted (pia_diag_sort). */
static struct lines
lines_of(const struct pia_diag *d, const char *slug)
{
	const struct pia_diag_item *v;
	struct lines l = { NULL, 0 };
	size_t i, n = pia_diag_items(d, &v);

	for (i = 0; i < n; i++) {
		if (!about(&v[i], slug))
			continue;
		l.v = xrealloc(l.v, (l.n + 1) * sizeof(*l.v));
		l.v[l.n].text = pia_diag_line(&v[i]);
		l.v[l.n].error = pia_msg_info(v[i].msg)->level >= PIA_LEVEL_ERROR;
		l.n++;
	}
	return l;
}

/* ---- rendering (writer holds the lock) ---------------------------------- */

static const struct pia_report *
report_of(const struct pia_site *s, const char *slug)
{
	size_t i;

	for (i = 0; s != NULL && i < s->nreports; i++)
		if (strcmp(s->reports[i]->slug, slug) == 0)
			return s->reports[i];
	return NULL;
}

/*
 * The page links to SLUG.pdf only when the file exists in the folder the
 * renderer looks at (html.h): an empty stand-in keeps the link there until
 * the first request makes the real PDF.
 */
static void
pdf_standin(const struct pia_preview *p, const struct pia_report *r)
{
	char *dir = xasprintf("%s/%s", p->tmp, r->slug);
	char *pdf = xasprintf("%s/%s.pdf", dir, r->slug);
	struct stat st;
	FILE *f;

	if (stat(pdf, &st) != 0) {
		mkdir(dir, 0700);
		if ((f = fopen(pdf, "wb")) != NULL)
			fclose(f);
	}
	free(pdf);
	free(dir);
}

static void
render_report(struct pia_preview *p, const struct pia_report *r)
{
	const struct pia_html_image *img;
	struct pia_buf page = { 0 }, b = { 0 };
	struct pia_html *h;
	char *prefix = xasprintf("%s/", r->slug), *key, limit[32];
	struct pia_pos pos = { NULL, 0, 0 };
	size_t i, n, len;
	int rc;

	snprintf(limit, sizeof(limit), "%u", MAX_IMAGE);
	drop(p, prefix);
	pdf_standin(p, r);
	h = pia_site_report_page(p->theme, p->site, r, p->tmp, &page);
	key = xasprintf("%s%s", prefix, PIA_HTML_PAGE);
	put(p, key, &page);
	free(key);
	n = pia_html_images(h, &img);
	for (i = 0; i < n; i++) {
		if ((rc = pia_read_file(img[i].src, MAX_IMAGE, &b.data, &len)) != 0) {
			pos.file = img[i].src;
			if (rc == -2)
				pia_diag_now(p->log, &pos, PIA_MSG_SYS_TOOBIG, limit);
			else
				pia_diag_now(p->log, &pos, PIA_MSG_SYS_OPEN, strerror(errno));
			continue;
		}
		b.len = b.cap = len;
		key = xasprintf("%s%s", prefix, img[i].dst);
		put(p, key, &b);
		free(key);
	}
	pia_html_free(h);
	free(prefix);
}

/* The pages every report appears on: index, search, feed, sitemap (not the search index). */
static void
render_common(struct pia_preview *p)
{
	struct pia_buf b = { 0 };

	pia_site_index_page(p->theme, p->site, p->tmp, &b);
	put(p, PIA_HTML_PAGE, &b);
	pia_site_search_page(p->theme, p->site, &b);
	put(p, "search.html", &b);
	if (pia_feed_atom(p->site, &b) == 0)
		put(p, "feed.atom", &b);
	pia_buf_free(&b);
	if (pia_feed_sitemap(p->site, &b) == 0)
		put(p, "sitemap.xml", &b);
	pia_buf_free(&b);
}

/* ---- assets, read once; the temporary folder ------------------------------ */

/* Read the files below tmp/rel into the table, as keys "rel/…". */
static void
add_assets(struct pia_preview *p, const char *rel)
{
	char *dir = xasprintf("%s/%s", p->tmp, rel), *path, *sub;
	struct pia_buf b = { 0 };
	struct dirent **v;
	struct stat st;
	size_t len;
	int i, n;

	n = scandir(dir, &v, NULL, alphasort);
	for (i = 0; i < n; i++) {
		path = xasprintf("%s/%s", dir, v[i]->d_name);
		sub = xasprintf("%s/%s", rel, v[i]->d_name);
		if (v[i]->d_name[0] == '.' || lstat(path, &st) != 0)
			;
		else if (S_ISDIR(st.st_mode))
			add_assets(p, sub);
		else if (S_ISREG(st.st_mode) &&
		    pia_read_file(path, MAX_IMAGE, &b.data, &len) == 0) {
			b.len = b.cap = len;
			put(p, sub, &b);
		}
		free(path);
		free(sub);
		free(v[i]);
	}
	if (n >= 0)
		free(v);
	free(dir);
}

/* ---- loading ----------------------------------------------------------- */

/* The report folders under reports/, as pia_load_site finds them, in name order. */
static char **
report_dirs(const char *dir, size_t *n)
{
	char *rdir = xasprintf("%s/reports", dir), *rx, **out = NULL;
	struct dirent **v;
	struct stat st;
	int i, k;

	*n = 0;
	k = scandir(rdir, &v, NULL, alphasort);
	for (i = 0; i < k; i++) {
		/* As the loader: every entry but hidden names and plain files (notes) is a report, readable or not. */
		rx = xasprintf("%s/%s", rdir, v[i]->d_name);
		if (v[i]->d_name[0] != '.' && !(lstat(rx, &st) == 0 && S_ISREG(st.st_mode))) {
			out = xrealloc(out, (*n + 1) * sizeof(*out));
			out[(*n)++] = xstrdup(v[i]->d_name);
		}
		free(rx);
		free(v[i]);
	}
	if (k >= 0)
		free(v);
	free(rdir);
	return out;
}

static int
in_list(char **v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

static void
bump(struct pia_preview *p)
{
	pthread_mutex_lock(&p->gen_lock);
	p->gen++;
	pthread_cond_broadcast(&p->gen_cond);
	pthread_mutex_unlock(&p->gen_lock);
}

/*
 * The search index covers every report and takes longer than the page
 * that changed, so it is made after open pages were told to reload.  No
 * lock is needed to read the site: only this thread changes it.
 */
static void
render_search_index(struct pia_preview *p)
{
	struct pia_buf b = { 0 };

	if (p->site == NULL)
		return;
	pia_search_index(p->site, &b);
	pthread_rwlock_wrlock(&p->lock);
	put(p, "search-index.js", &b);
	pthread_rwlock_unlock(&p->lock);
	pia_buf_free(&b);
}

/* Detach slug's report from s (it is not freed with s); NULL when s has none. */
static struct pia_report *
detach(struct pia_site *s, const char *slug)
{
	struct pia_report *r;
	size_t i;

	for (i = 0; s != NULL && i < s->nreports; i++)
		if (strcmp(s->reports[i]->slug, slug) == 0) {
			r = s->reports[i];
			memmove(&s->reports[i], &s->reports[i + 1],
			    (s->nreports - i - 1) * sizeof(*s->reports));
			s->nreports--;
			return r;
		}
	return NULL;
}

/*
 * Everything again: site.xml and every report.  With errors in site.xml
 * the old site stays whole.  Otherwise each report folder gets its new
 * load unless that has a FATAL message, else its last good one, else no
 * page.
 */
static void
rebuild_all(struct pia_preview *p)
{
	struct pia_diag *d = pia_diag_new();
	struct pia_site *s, *old;
	struct pia_report *r, **keep;
	struct rstate *st;
	char **slugs, *mine;
	size_t i, n, nkeep = 0;
	double t0 = now_ms();
	int fatal, site_failed;

	s = pia_load_site(d, p->fs, p->dir);
	/* site.xml that cannot be read as a whole keeps the old site; what the checks find does not. */
	site_failed = s == NULL || has(d, NULL, PIA_LEVEL_ERROR);
	/* As pia check: every check, each report's messages on its page. */
	pia_check_all(d, s, NULL, PIA_CHECK_ALL);
	pia_diag_sort(d);
	fatal = pia_diag_count(d, PIA_LEVEL_FATAL) > 0;
	slugs = report_dirs(p->dir, &n);

	pthread_rwlock_wrlock(&p->lock);
	lines_free(&p->site_messages);
	p->site_messages = lines_of(d, NULL);
	p->site_failed = site_failed;
	if (p->site_failed) {
		/* Keep what is shown; say what each report said all the same. */
		for (i = 0; i < n; i++) {
			st = rstate(p, slugs[i], 1);
			lines_free(&st->messages);
			st->messages = lines_of(d, slugs[i]);
			st->failed = has(d, slugs[i], PIA_LEVEL_ERROR) ||
			    report_of(s, slugs[i]) == NULL;
		}
		pia_site_free(s);
		s = NULL;
	} else {
		keep = xcalloc(n ? n : 1, sizeof(*keep));
		old = p->site;
		for (i = 0; i < n; i++) {
			st = rstate(p, slugs[i], 1);
			lines_free(&st->messages);
			st->messages = lines_of(d, slugs[i]);
			r = detach(s, slugs[i]);
			st->failed = r == NULL || has(d, slugs[i], PIA_LEVEL_FATAL);
			if (st->failed) {
				pia_report_free(r);
				r = detach(old, slugs[i]);
			} else {
				st->version++;
				st->draft = has(d, slugs[i], PIA_LEVEL_ERROR);
			}
			if (r != NULL) {
				r->site = s;
				keep[nkeep++] = r;
			}
		}
		/* Folders gone since: their state and pages go too. */
		for (i = 0; i < p->nrs; )
			if (!in_list(slugs, n, p->rs[i].slug)) {
				mine = xasprintf("%s/", p->rs[i].slug);
				drop(p, mine);
				free(mine);
				rstate_drop(p, i);
			} else
				i++;
		for (i = 0; i < s->nreports; i++)
			pia_report_free(s->reports[i]);
		free(s->reports);
		s->reports = keep;
		s->nreports = nkeep;
		p->site = s;
		pia_site_free(old);
		for (i = 0; i < nkeep; i++)
			render_report(p, keep[i]);
		render_common(p);
	}
	pthread_rwlock_unlock(&p->lock);

	pia_diag_print(d, p->log);
	pia_diag_free(d);
	if (p->site_failed || fatal)
		fprintf(p->log, "pia: 読み込めない評価書は、前回の正しい版を表示しています\n");
	fprintf(p->log, "pia: 全体を読み直しました（%.0f ms）\n", now_ms() - t0);
	fflush(p->log);
	for (i = 0; i < n; i++)
		free(slugs[i]);
	free(slugs);
	bump(p);
	if (!p->site_failed)
		render_search_index(p);
}

/* One report folder again; see pia_preview_rebuild. */
static void
rebuild_one(struct pia_preview *p, const char *slug)
{
	struct pia_diag *d = pia_diag_new();
	struct pia_report *r, *old = NULL;
	struct rstate *st;
	struct pia_site *s = p->site;
	char *rdir = xasprintf("%s/reports/%s", p->dir, slug), *shown;
	const char *prev;
	double t0 = now_ms();
	size_t i;
	int bad, errors;

	/* Only the watcher thread changes p->site, so reading it here is safe. */
	prev = pia_diag_report(d, slug);
	r = pia_load_report(d, p->fs, rdir, p->dir);
	pia_diag_report(d, prev);
	if (r != NULL) {
		/* As pia check, and against the rest of the city. */
		r->site = s;
		pia_check_all(d, NULL, r, PIA_CHECK_ALL);
	}
	pia_diag_sort(d);
	bad = r == NULL || has(d, slug, PIA_LEVEL_FATAL);
	errors = has(d, slug, PIA_LEVEL_ERROR);

	pthread_rwlock_wrlock(&p->lock);
	st = rstate(p, slug, 1);
	lines_free(&st->messages);
	st->messages = lines_of(d, slug);
	st->failed = bad;
	if (!bad) {
		for (i = 0; i < s->nreports; i++)
			if (strcmp(s->reports[i]->slug, slug) == 0)
				break;
		if (i < s->nreports)
			old = s->reports[i];
		else {
			/* New to the site: in name order, as pia_load_site has them. */
			s->reports = xrealloc(s->reports, (s->nreports + 1) * sizeof(*s->reports));
			for (i = s->nreports; i > 0 && strcmp(s->reports[i - 1]->slug, slug) > 0; i--)
				s->reports[i] = s->reports[i - 1];
			s->nreports++;
		}
		s->reports[i] = r;
		st->version++;
		st->draft = errors;
		render_report(p, r);
		render_common(p);
		pia_report_free(old);
		r = NULL;
	}
	pthread_rwlock_unlock(&p->lock);
	pia_report_free(r);

	pia_diag_print(d, p->log);
	pia_diag_free(d);
	/* A folder's name is the user's: shown escaped like every message. */
	shown = pia_diag_escape(slug);
	if (bad)
		fprintf(p->log, "pia: reports/%s: 読み込めないため、前回の正しい版を表示しています\n", shown);
	else if (errors)
		fprintf(p->log, "pia: reports/%s を更新しました（エラーのある下書きのまま表示、%.0f ms）\n",
		    shown, now_ms() - t0);
	else
		fprintf(p->log, "pia: reports/%s を更新しました（%.0f ms）\n", shown, now_ms() - t0);
	fflush(p->log);
	free(shown);
	free(rdir);
	bump(p);
	if (!bad)
		render_search_index(p);
}

void
pia_preview_rebuild(struct pia_preview *p, const char *slug)
{
	char *rx;
	struct stat st;
	int known;

	if (slug != NULL && p->site != NULL && !p->site_failed) {
		rx = xasprintf("%s/reports/%s/report.xml", p->dir, slug);
		pthread_rwlock_rdlock(&p->lock);
		known = rstate(p, slug, 0) != NULL;
		pthread_rwlock_unlock(&p->lock);
		/* A folder that came or went changes the site's list: everything again. */
		if (known && stat(rx, &st) == 0) {
			free(rx);
			rebuild_one(p, slug);
			return;
		}
		free(rx);
	}
	rebuild_all(p);
}

struct pia_preview *
pia_preview_new(const struct pia_forms *fs, const char *dir, const char *themedir,
    FILE *log)
{
	struct pia_preview *p;
	struct pia_pos pos = { NULL, 0, 0 };
	const char *tmpdir = getenv("TMPDIR");
	char *probe, *base;
	struct stat st;
	unsigned int seed = 0;
	pthread_condattr_t ca;
	size_t n;

	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	probe = xasprintf("%.*s/site.xml", (int)n, dir);
	if (stat(probe, &st) != 0) {
		pos.file = probe;
		probe[n] = '\0';
		pia_diag_now(stderr, &pos, PIA_MSG_CONTENT_NOSITE);
		free(probe);
		return NULL;
	}
	free(probe);
	p = xcalloc(1, sizeof(*p));
	p->fs = fs;
	p->log = log;
	p->dir = xstrndup(dir, n);
	if ((p->theme = pia_theme_load(themedir)) == NULL) {
		free(p->dir);
		free(p);
		return NULL;
	}
	/*
	 * Named as the atomic writer names its temporaries (NAME.pia-tmp.PID.…),
	 * so the folders of a server killed with SIGKILL are swept by the next one.
	 */
	base = xasprintf("%s/pia-serve", tmpdir && *tmpdir ? tmpdir : "/tmp");
	pia_atomic_sweep(base);
	p->tmp = xasprintf("%s.pia-tmp.%ld.XXXXXX", base, (long)getpid());
	free(base);
	if (mkdtemp(p->tmp) == NULL) {
		pos.file = p->tmp;
		pia_diag_now(stderr, &pos, PIA_MSG_SYS_WRITE, strerror(errno));
		free(p->tmp);
		pia_theme_free(p->theme);
		free(p->dir);
		free(p);
		return NULL;
	}
	pthread_rwlock_init(&p->lock, NULL);
	pthread_mutex_init(&p->pdf_lock, NULL);
	pthread_mutex_init(&p->gen_lock, NULL);
	/* Waits are timed on the monotonic clock: a clock change never stalls a stream. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->gen_cond, &ca);
	pthread_condattr_destroy(&ca);
	/* A new server starts at another generation, so pages open from an old one reload. */
	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = (unsigned int)time(NULL);
	p->gen = (unsigned long)(seed & 0x3fffffff) + 1;

	/* The theme's assets never change while serving: copied and read once. */
	if (pia_theme_copy_assets(p->theme, p->tmp) == 0)
		add_assets(p, "assets");
	rebuild_all(p);
	return p;
}

void
pia_preview_free(struct pia_preview *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->v[i].key);
		free(p->v[i].data);
	}
	free(p->v);
	while (p->nrs > 0)
		rstate_drop(p, 0);
	free(p->rs);
	lines_free(&p->site_messages);
	pia_site_free(p->site);
	pia_theme_free(p->theme);
	pia_rm_tree(p->tmp);
	free(p->tmp);
	free(p->dir);
	pthread_rwlock_destroy(&p->lock);
	pthread_mutex_destroy(&p->pdf_lock);
	pthread_mutex_destroy(&p->gen_lock);
	pthread_cond_destroy(&p->gen_cond);
	free(p);
}

/* ---- answering (readers hold the read lock) ------------------------------ */

/* Messages as list items, errors marked. */
static void
panel_lines(struct pia_buf *b, const struct lines *l, unsigned *errors, unsigned *warnings)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].error)
			(*errors)++;
		else
			(*warnings)++;
		pia_buf_printf(b, "<li class=\"pia-preview-%s\"><code>",
		    l->v[i].error ? "error" : "warning");
		pia_html_text(b, l->v[i].text);
		pia_buf_puts(b, "</code></li>\n");
	}
}

/*
 * The diagnostics panel: every message of the last attempts, and which
 * reports show an older render.  Its style comes with it (the theme knows
 * nothing of the preview); server.c adds the nonce.
 */
static void
panel(const struct pia_preview *p, struct pia_buf *b)
{
	struct pia_buf items = { 0 }, stale = { 0 };
	unsigned errors = 0, warnings = 0;
	size_t i;

	panel_lines(&items, &p->site_messages, &errors, &warnings);
	for (i = 0; i < p->nrs; i++) {
		panel_lines(&items, &p->rs[i].messages, &errors, &warnings);
		if (p->rs[i].failed) {
			pia_buf_puts(&stale, stale.len ? "、" : "");
			pia_html_text(&stale, p->rs[i].slug);
		}
	}
	pia_buf_printf(b, "<details class=\"pia-preview%s\" id=\"pia-preview\"%s>\n"
	    "<summary>プレビュー：検査の結果 エラー %u 件、警告 %u 件</summary>\n",
	    errors ? " pia-preview-bad" : "", errors ? " open=\"open\"" : "",
	    errors, warnings);
	if (p->site_failed)
		pia_buf_puts(b, "<p>site.xml にエラーがあるため、前回の正しい版を表示しています。</p>\n");
	if (stale.len) {
		pia_buf_puts(b, "<p>読み込めないため、次の評価書は前回の正しい版を表示しています："
		    "<strong>");
		pia_buf_put(b, stale.data, stale.len);
		pia_buf_puts(b, "</strong></p>\n");
	}
	if (items.len) {
		pia_buf_puts(b, "<ul>\n");
		pia_buf_put(b, items.data, items.len);
		pia_buf_puts(b, "</ul>\n");
	}
	pia_buf_puts(b, "</details>\n");
	pia_buf_free(&items);
	pia_buf_free(&stale);
}

/* Make the PDF of r when its sources changed since the last one; read it into out. */
static void
get_pdf(struct pia_preview *p, const struct pia_report *r, struct pia_reply *out)
{
	struct rstate *st = rstate(p, r->slug, 0);
	struct pia_pdf_opts o;
	struct pia_diag *d;
	char *path = xasprintf("%s/%s/%s.pdf", p->tmp, r->slug, r->slug), *text, *shown;
	size_t len;
	double t0;
	int rc = 0;

	pthread_mutex_lock(&p->pdf_lock);
	if (st == NULL || st->pdf_version != st->version) {
		t0 = now_ms();
		d = pia_diag_new();
		memset(&o, 0, sizeof(o));
		/* A draft with errors is shown, but its PDF says so on every page. */
		o.draft = st == NULL || st->draft;
		rc = pia_pdf_write_opts(d, r, path, &o);
		text = messages(d);
		pia_diag_free(d);
		if (rc == 0 && st != NULL)
			st->pdf_version = st->version;
		if (rc != 0) {
			out->status = 500;
			out->type = "text/plain; charset=utf-8";
			pia_buf_printf(&out->body, "PDF を作れませんでした。\n%s", text);
		} else {
			shown = pia_diag_escape(r->slug);
			fprintf(p->log, "pia: %s.pdf を作りました（%.0f ms）\n", shown,
			    now_ms() - t0);
			free(shown);
		}
		fputs(text, p->log);
		fflush(p->log);
		free(text);
	}
	if (rc == 0) {
		if (pia_read_file(path, MAX_PDF, &out->body.data, &len) == 0) {
			out->body.len = out->body.cap = len;
			out->status = 200;
			out->type = "application/pdf";
		} else {
			out->status = 500;
			out->type = "text/plain; charset=utf-8";
			pia_buf_printf(&out->body, "PDF を読めませんでした: %s\n", strerror(errno));
		}
	}
	pthread_mutex_unlock(&p->pdf_lock);
	free(path);
}

void
pia_preview_get(struct pia_preview *p, const char *key, struct pia_reply *out,
    int *dir_index)
{
	const struct pia_report *r;
	const struct entry *e;
	const char *slash;
	char *k;

	memset(out, 0, sizeof(*out));
	*dir_index = 0;
	out->status = 404;
	out->type = "text/html; charset=utf-8";
	out->generation = pia_preview_generation(p);
	pthread_rwlock_rdlock(&p->lock);
	panel(p, &out->panel);
	if ((e = find(p, key)) != NULL) {
		out->status = 200;
		out->type = e->type;
		pia_buf_put(&out->body, e->data, e->len);
		out->page = strcmp(e->type, types[0].type) == 0;
	} else if ((slash = strchr(key, '/')) != NULL) {
		/* SLUG/SLUG.pdf of a report shown */
		k = xstrndup(key, (size_t)(slash - key));
		if ((r = report_of(p->site, k)) != NULL && pia_startswith(slash + 1, k) &&
		    strcmp(slash + 1 + strlen(k), ".pdf") == 0)
			get_pdf(p, r, out);
		free(k);
	} else {
		k = xasprintf("%s/%s", key, PIA_HTML_PAGE);
		*dir_index = find(p, k) != NULL;
		free(k);
	}
	pthread_rwlock_unlock(&p->lock);
}

unsigned long
pia_preview_generation(struct pia_preview *p)
{
	unsigned long g;

	pthread_mutex_lock(&p->gen_lock);
	g = p->gen;
	pthread_mutex_unlock(&p->gen_lock);
	return g;
}

int
pia_preview_wait(struct pia_preview *p, unsigned long seen, unsigned long *now,
    int timeout_ms)
{
	struct timespec until;
	int rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&p->gen_lock);
	while (!p->stopping && p->gen == seen)
		if (pthread_cond_timedwait(&p->gen_cond, &p->gen_lock, &until) == ETIMEDOUT)
			break;
	if (p->stopping)
		rc = -1;
	else if (p->gen != seen)
		rc = 1;
	*now = p->gen;
	pthread_mutex_unlock(&p->gen_lock);
	return rc;
}

void
pia_preview_stop(struct pia_preview *p)
{
	pthread_mutex_lock(&p->gen_lock);
	p->stopping = 1;
	pthread_cond_broadcast(&p->gen_cond);
	pthread_mutex_unlock(&p->gen_lock);
}
