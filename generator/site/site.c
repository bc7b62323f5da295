/*
 * Writing the site atomically: build into "OUT.tmp.XXXXXX" beside OUT,
 * then swap it in with two renames; the old tree is removed last.  The
 * pages themselves come from the renderers; until the HTML renderer
 * exists, an index of the reports is written here.
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"
#include "site.h"
#include "util.h"

static void
html_text(struct pia_buf *b, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '<': pia_buf_puts(b, "&lt;"); break;
		case '>': pia_buf_puts(b, "&gt;"); break;
		case '&': pia_buf_puts(b, "&amp;"); break;
		case '"': pia_buf_puts(b, "&quot;"); break;
		default: pia_buf_putc(b, *s); break;
		}
}

static const char *
role_text(const struct pia_report *r, const char *role)
{
	const struct pia_node *n = pia_report_role(r, role);

	return n && n->text ? n->text : "";
}

static int
write_index(const struct pia_site *s, const char *dir)
{
	struct pia_buf b = { 0 };
	const struct pia_node *pub;
	char *path;
	FILE *f;
	size_t i;
	int rc = 0;

	pia_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	html_text(&b, s->title ? s->title : "特定個人情報保護評価書");
	pia_buf_puts(&b, "｜");
	html_text(&b, s->name);
	pia_buf_puts(&b, "</title>\n</head>\n<body>\n<main>\n<h1>");
	html_text(&b, s->name);
	pia_buf_puts(&b, "の特定個人情報保護評価書</h1>\n<table>\n<caption>評価書の一覧</caption>\n"
	    "<thead><tr><th scope=\"col\">評価書番号</th><th scope=\"col\">評価書名</th>"
	    "<th scope=\"col\">種類</th><th scope=\"col\">公表日</th><th scope=\"col\">担当課</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < s->nreports; i++) {
		const struct pia_report *r = s->reports[i];
		pub = pia_report_published(r);
		pia_buf_puts(&b, "<tr><td>");
		html_text(&b, role_text(r, "number"));
		pia_buf_puts(&b, "</td><td>");
		html_text(&b, role_text(r, "name"));
		pia_buf_puts(&b, "</td><td>");
		html_text(&b, r->form->name);
		pia_buf_puts(&b, "</td><td>");
		html_text(&b, pub && pub->text ? pub->text : "");
		pia_buf_puts(&b, "</td><td>");
		html_text(&b, role_text(r, "department"));
		pia_buf_puts(&b, "</td></tr>\n");
	}
	pia_buf_puts(&b, "</tbody>\n</table>\n</main>\n</body>\n</html>\n");
	path = xasprintf("%s/index.html", dir);
	if ((f = fopen(path, "w")) == NULL || fwrite(b.data, 1, b.len, f) != b.len) {
		fprintf(stderr, "pia: %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	if (f != NULL && fclose(f) != 0)
		rc = -1;
	free(path);
	pia_buf_free(&b);
	return rc;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
rm_tree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int
pia_site_write(const struct pia_site *s, const char *out)
{
	char *tmp = xasprintf("%s.tmp.XXXXXX", out), *old = NULL;
	struct stat st;
	int rc = -1;

	if (mkdtemp(tmp) == NULL) {
		fprintf(stderr, "pia: %s: %s\n", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	chmod(tmp, 0755);
	if (write_index(s, tmp) != 0)
		goto out;
	if (stat(out, &st) == 0) {
		old = xasprintf("%s.old.XXXXXX", out);
		if (mkdtemp(old) == NULL || rename(out, old) != 0) {
			fprintf(stderr, "pia: %s: %s\n", out, strerror(errno));
			goto out;
		}
	}
	if (rename(tmp, out) != 0) {
		fprintf(stderr, "pia: %s: %s\n", out, strerror(errno));
		if (old != NULL)
			rename(old, out);
		goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		rm_tree(tmp);
	if (old != NULL)
		rm_tree(old);
	free(tmp);
	free(old);
	return rc;
}
