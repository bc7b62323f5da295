/*
 * The content tree: site.xml (the municipality, its contacts, site
 * settings) and every report folder under reports/, in name order.
 * Nothing under reports/ is skipped in silence: a folder that cannot be
 * read is an error, and a tree without a report is one too.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/tree.h>

#include "diag.h"
#include "load.h"
#include "load_int.h"
#include "model.h"
#include "util.h"

static int
is_report_dir(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/*
 * Every entry of reports/ but hidden ones and plain files (notes) is a
 * report folder: one that cannot be read is reported by the report loader
 * (SYS_OPEN, PATH_OUTSIDE), never skipped, or the report would vanish from
 * the site without a word.
 */
static int
is_candidate(const char *path)
{
	struct stat st;

	return lstat(path, &st) != 0 || !S_ISREG(st.st_mode);
}

/* 1 when s still holds a 【…】 of the site.xml pia init writes. */
static int
placeholder(const char *s)
{
	const char *open = s != NULL ? strstr(s, "【") : NULL;

	return open != NULL && strstr(open, "】") != NULL;
}

/*
 * The 【…】 pia init left for the city to fill, in the elements and
 * attributes of site.xml: each one an error, or the pages and PDFs would
 * print them (SITE_PLACEHOLDER).
 */
static void
check_placeholders(struct pia_diag *d, const struct pia_xfile *xf, xmlNodePtr root)
{
	xmlNodePtr k;
	xmlAttrPtr a;
	struct pia_pos pos;
	char *v, *what;

	for (k = root->children; k != NULL; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		pos = pia_xfile_pos(xf, k);
		if ((v = pia_xtext(k)) != NULL && placeholder(v)) {
			what = xasprintf("<%s>", (const char *)k->name);
			pia_diag(d, &pos, PIA_MSG_SITE_PLACEHOLDER, what, v);
			free(what);
		}
		free(v);
		for (a = k->properties; a != NULL; a = a->next) {
			v = pia_xattr(k, (const char *)a->name);
			if (placeholder(v)) {
				what = xasprintf("<%s> の %s", (const char *)k->name, (const char *)a->name);
				pia_diag(d, &pos, PIA_MSG_SITE_PLACEHOLDER, what, v);
				free(what);
			}
			free(v);
		}
	}
}

/*
 * Two <窓口> of one 部署 (a line copied for a new department, its 部署 not
 * changed): the pages show the first, so the later one is never used.
 */
static void
check_contacts(struct pia_diag *d, const struct pia_xfile *xf, xmlNodePtr root)
{
	xmlNodePtr k, j;
	char *dk, *dj, *tk, *tj;
	struct pia_pos pos;

	for (k = root->children; k != NULL; k = k->next) {
		if (k->type != XML_ELEMENT_NODE || strcmp((const char *)k->name, "窓口") != 0 ||
		    (dk = pia_xattr(k, "部署")) == NULL)
			continue;
		tk = pia_strtrim(dk);
		for (j = root->children; j != k; j = j->next) {
			if (j->type != XML_ELEMENT_NODE || strcmp((const char *)j->name, "窓口") != 0 ||
			    (dj = pia_xattr(j, "部署")) == NULL)
				continue;
			tj = pia_strtrim(dj);
			free(dj);
			if (*tk != '\0' && strcmp(tk, tj) == 0) {
				free(tj);
				pos = pia_xfile_pos(xf, k);
				pia_diag(d, &pos, PIA_MSG_SITE_CONTACT_TWICE, tk, (unsigned)xmlGetLineNo(j));
				break;
			}
			free(tj);
		}
		free(tk);
		free(dk);
	}
}

/* site.xml of dir alone, without its reports; NULL when it cannot be read. */
static struct pia_site *
read_site(struct pia_diag *d, const char *dir)
{
	struct pia_site *s;
	struct pia_xfile *xf;
	xmlNodePtr root, k;
	char *path;

	path = xasprintf("%s/site.xml", dir);
	/* A site.xml linked in from outside the content tree is refused, not read. */
	if (pia_path_inside(dir, path) == 0) {
		struct pia_pos at = { path, 0, 0 };
		pia_diag(d, &at, PIA_MSG_PATH_OUTSIDE, path);
		free(path);
		return NULL;
	}
	xf = pia_xfile_read(d, path, NULL, 0);
	free(path);
	if (xf == NULL)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	s->dir = xstrdup(dir);
	if (pia_xfile_relaxng(d, xf, "site.rng") == 0) {
		root = xmlDocGetRootElement(xf->doc);
		check_placeholders(d, xf, root);
		check_contacts(d, xf, root);
		s->name = pia_xchild_text(root, "名称");
		s->reading = pia_xchild_text(root, "よみ");
		s->prefecture = pia_xchild_text(root, "都道府県");
		s->organ = pia_xchild_text(root, "評価実施機関名");
		for (k = root->children; k != NULL; k = k->next) {
			if (k->type != XML_ELEMENT_NODE)
				continue;
			if (strcmp((const char *)k->name, "サイト") == 0) {
				s->url = pia_xattr(k, "URL");
				/* Only http(s) may become the links of the feed and sitemap. */
				if (s->url != NULL && s->url[0] != '\0' && !pia_url_is_web(s->url)) {
					struct pia_pos pos = pia_xfile_pos(xf, k);
					char *shown = pia_str_visible(s->url);
					pia_diag(d, &pos, PIA_MSG_SITE_URL, shown);
					free(shown);
					free(s->url);
					s->url = NULL;
				}
				s->title = pia_xattr(k, "タイトル");
			} else if (strcmp((const char *)k->name, "PDF") == 0) {
				char *a = pia_xattr(k, "項目一覧のページ");
				s->toc_pages = a != NULL && strcmp(a, "あり") == 0;
				free(a);
				a = pia_xattr(k, "変更箇所の別紙");
				s->sheet_by_date = a != NULL && strcmp(a, "記載日ごと") == 0;
				free(a);
			} else if (strcmp((const char *)k->name, "窓口") == 0) {
				struct pia_contact *c;
				s->contacts = xrealloc(s->contacts,
				    (s->ncontacts + 1) * sizeof(*s->contacts));
				c = &s->contacts[s->ncontacts++];
				c->id = pia_xattr(k, "id");
				/* Matched against each report's trimmed 担当部署 (check/site.c, the pages). */
				if ((c->dept = pia_xattr(k, "部署")) != NULL) {
					char *t = pia_strtrim(c->dept);
					free(c->dept);
					c->dept = t;
				}
				c->postal = pia_xattr(k, "郵便番号");
				c->address = pia_xattr(k, "住所");
				c->phone = pia_xattr(k, "電話");
				c->hours = pia_xattr(k, "受付時間");
			}
		}
	}
	pia_xfile_free(xf);
	return s;
}

struct pia_site *
pia_load_site_only(struct pia_diag *d, const char *dir)
{
	struct stat st;
	char *path = xasprintf("%s/site.xml", dir);
	int there = stat(path, &st) == 0;

	free(path);
	return there ? read_site(d, dir) : NULL;
}

static pia_load_reuse_fn reuse_fn;
static void *reuse_arg;

void
pia_load_set_reuse(pia_load_reuse_fn fn, void *arg)
{
	reuse_fn = fn;
	reuse_arg = arg;
}

/* Callers make sure dir holds a site.xml (pia_cmd_load). */
struct pia_site *
pia_load_site(struct pia_diag *d, const struct pia_forms *fs, const char *dir)
{
	struct pia_site *s;
	struct dirent **v = NULL;
	char *rdir;
	struct pia_pos pos;
	int i, n, ncand = 0;

	if ((s = read_site(d, dir)) == NULL)
		return NULL;
	rdir = xasprintf("%s/reports", dir);
	pos.file = rdir;
	pos.line = pos.col = 0;
	if (pia_path_inside(dir, rdir) == 0) {
		pia_diag(d, &pos, PIA_MSG_PATH_OUTSIDE, rdir);
		n = -1;
		ncand = 1;
	} else if ((n = scandir(rdir, &v, is_report_dir, alphasort)) < 0 && errno != ENOENT) {
		pia_diag(d, &pos, PIA_MSG_SYS_OPEN, strerror(errno));
		ncand = 1;
	}
	for (i = 0; i < n; i++) {
		char *sub = xasprintf("%s/%s", rdir, v[i]->d_name);
		if (is_candidate(sub)) {
			/* Its messages are about it, loaded or not (the preview reads this). */
			const char *prev = pia_diag_report(d, v[i]->d_name);
			struct pia_report *r = reuse_fn != NULL ?
			    reuse_fn(reuse_arg, d, sub, v[i]->d_name, dir) : NULL;
			if (r == NULL)
				r = pia_load_report(d, fs, sub, dir);
			pia_diag_report(d, prev);
			ncand++;
			if (r != NULL) {
				r->site = s;
				s->reports = xrealloc(s->reports,
				    (s->nreports + 1) * sizeof(*s->reports));
				s->reports[s->nreports++] = r;
			}
		}
		free(sub);
		free(v[i]);
	}
	free(v);
	/* An empty site must not replace a good one. */
	if (ncand == 0)
		pia_diag(d, &pos, PIA_MSG_CONTENT_NOREPORT);
	free(rdir);
	return s;
}
