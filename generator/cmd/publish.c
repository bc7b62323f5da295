/*
 * pia publish REPORT_DIR --date 令和X年Y月Z日: publish a version of a
 * report.  The rows between the last published snapshot
 * (REPORT_DIR/published/YYYY-MM-DD/) and the report as it is now are
 * computed (changes/diff.c) and appended to changes.xml, dated --date,
 * with their proposed 提出時期, 説明 and 理由 and the mark 確認="要" that
 * pia check reports until the author has confirmed them; then the version
 * is kept as a new snapshot.  Refused (exit 1, a coded message) when the
 * report has errors, when there is no previous snapshot (the first
 * publication takes --first), when the date is no 和暦 date, differs from
 * the report's 公表日, or is not after the last snapshot or before the last
 * change row.  The snapshot and the new changes.xml are written to
 * temporary names and renamed into place; a failure leaves both as they were.
 * Rows the author already wrote for the same date and item are kept and
 * not added again.  Last, the report is checked as pia check would.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "changes.h"
#include "check.h"
#include "cmd.h"
#include "diag.h"
#include "form.h"
#include "load.h"
#include "model.h"
#include "pia.h"
#include "util.h"
#include "wareki.h"

/* Largest file copied into a snapshot. */
#define COPY_MAX	(64u * 1024 * 1024)

static void
help(FILE *f)
{
	fputs("使い方: pia publish [--first] [-n] [--forms DIR] --date 令和X年Y月Z日 REPORT_DIR\n"
	    "  前回公表した版（REPORT_DIR/published/YYYY-MM-DD/）と今の原稿を比べ、変更箇所の行を\n"
	    "  changes.xml に加え（提出時期・説明・理由は提案。確認=\"要\" を付けます）、\n"
	    "  今の版を published/YYYY-MM-DD/ に保存します。日付は評価書の公表日と同じにします。\n"
	    "  --first    最初の公表（前の版がない）\n"
	    "  -n, --dry-run  書き込まず、加える行を表示する\n"
	    "終了コード: 0 公表した / 1 原稿の誤り・公表できない / 2 使い方・システムの誤り\n", f);
}

static void
xml_text(struct pia_buf *b, const char *s)
{
	uint32_t cp;
	size_t k;

	for (; *s; s += k) {
		k = pia_utf8_decode(s, strlen(s), &cp);
		if (k == 0 || (cp < 0x20 && cp != '\t' && cp != '\n')) {
			/* Not allowed in XML 1.0. */
			pia_buf_puts(b, "\xEF\xBF\xBD");
			k = k ? k : 1;
			continue;
		}
		switch (*s) {
		case '<': pia_buf_puts(b, "&lt;"); break;
		case '>': pia_buf_puts(b, "&gt;"); break;
		case '&': pia_buf_puts(b, "&amp;"); break;
		case '"': pia_buf_puts(b, "&quot;"); break;
		default: pia_buf_put(b, s, k); break;
		}
	}
}

/*
 * An element's text so that the loader (pia_xtext: common indentation of
 * the lines after the first removed, trimmed) reads back exactly s: when
 * every later line is indented, the text starts on its own line, indented.
 */
static void
xml_block(struct pia_buf *b, const char *name, const char *s)
{
	const char *p;
	int later = 0, indented = 1;

	for (p = strchr(s, '\n'); p != NULL; p = strchr(p + 1, '\n'))
		if (p[1] != '\n' && p[1] != '\0') {
			later = 1;
			if (p[1] != ' ' && p[1] != '\t')
				indented = 0;
		}
	pia_buf_printf(b, "    <%s>", name);
	if (later && indented) {
		const char *line = s, *eol;
		char *one;
		for (;;) {
			eol = strchr(line, '\n');
			one = xstrndup(line, eol ? (size_t)(eol - line) : strlen(line));
			pia_buf_putc(b, '\n');
			if (one[0] != '\0')
				pia_buf_puts(b, "      ");
			xml_text(b, one);
			free(one);
			if (eol == NULL)
				break;
			line = eol + 1;
		}
	} else
		xml_text(b, s);
	pia_buf_printf(b, "</%s>\n", name);
}

static void
row_xml(struct pia_buf *b, const struct pia_chrow *r, const char *date)
{
	pia_buf_printf(b, "  <変更 日=\"%s\" 項目=\"", date);
	xml_text(b, r->item);
	pia_buf_printf(b, "\" 提出時期=\"%s\" 説明=\"%s\"", r->timing, r->reason);
	if (r->why != NULL) {
		pia_buf_puts(b, " 理由=\"");
		xml_text(b, r->why);
		pia_buf_putc(b, '"');
	}
	pia_buf_puts(b, " 確認=\"要\">\n");
	xml_block(b, "変更前", r->before);
	xml_block(b, "変更後", r->after);
	pia_buf_puts(b, "  </変更>\n");
}

/*
 * An item path as a key that ignores its spelling (Ⅱ-(1)-3-④使用の主体-使用者数
 * and Ⅱ(1)-3-④-使用者数): the form node it names and the numbers in it.
 */
static char *
path_key(const struct pia_form *F, const char *path)
{
	const struct pia_fnode *f = pia_form_find_path(F, path);
	struct pia_buf b = { 0 };
	const char *p;

	if (f == NULL) {
		for (p = path; *p; p++)
			if (*p != '-')
				pia_buf_putc(&b, *p);
		return pia_buf_take(&b);
	}
	pia_buf_printf(&b, "%p", (const void *)f);
	for (p = path; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (p == path || p[-1] < '0' || p[-1] > '9')
				pia_buf_putc(&b, ',');
			pia_buf_putc(&b, *p);
		}
	}
	return pia_buf_take(&b);
}

/* 1 when the history already has a row of that date for the row's item. */
static int
written(const struct pia_report *r, const struct pia_date *date, const char *item)
{
	char *key = path_key(r->form, item), *k;
	size_t i;
	int hit = 0;

	for (i = 0; i < r->nchanges && !hit; i++) {
		if (pia_date_cmp(&r->changes[i].date, date) != 0)
			continue;
		k = path_key(r->form, r->changes[i].item);
		hit = strcmp(k, key) == 0;
		free(k);
	}
	free(key);
	return hit;
}

static int
write_file(const char *path, const char *data, size_t len)
{
	FILE *f;
	int rc = 0;

	if ((f = fopen(path, "wb")) == NULL)
		return -1;
	if (fwrite(data, 1, len, f) != len || fflush(f) != 0 || fsync(fileno(f)) != 0)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

static int
copy_file(const char *from, const char *to)
{
	char *buf;
	size_t len;
	int rc;

	if (pia_read_file(from, COPY_MAX, &buf, &len) != 0)
		return -1;
	rc = write_file(to, buf, len);
	free(buf);
	return rc;
}

/* Remove a snapshot folder this run made (files, sections/ and its files). */
static void
remove_tree(const char *dir)
{
	struct dirent *e;
	struct stat st;
	char *p;
	DIR *D;

	if ((D = opendir(dir)) == NULL)
		return;
	while ((e = readdir(D)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(p);
		else
			unlink(p);
		free(p);
	}
	closedir(D);
	rmdir(dir);
}

/* report.xml, sections/ and the new changes.xml into dir.  Returns the number of section files, or -1. */
static int
fill_snapshot(const char *report, const char *dir, const char *changes, size_t clen)
{
	struct dirent *e;
	struct stat st;
	char *from, *to, *sdir, *tsdir;
	int n = 0;
	DIR *D;

	from = xasprintf("%s/report.xml", report);
	to = xasprintf("%s/report.xml", dir);
	if (copy_file(from, to) != 0)
		n = -1;
	free(from);
	free(to);
	if (n == 0 && changes != NULL) {
		to = xasprintf("%s/changes.xml", dir);
		if (write_file(to, changes, clen) != 0)
			n = -1;
		free(to);
	}
	sdir = xasprintf("%s/sections", report);
	tsdir = xasprintf("%s/sections", dir);
	if (n == 0 && (D = opendir(sdir)) != NULL) {
		if (mkdir(tsdir, 0777) != 0)
			n = -1;
		while (n >= 0 && (e = readdir(D)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			from = xasprintf("%s/%s", sdir, e->d_name);
			to = xasprintf("%s/%s", tsdir, e->d_name);
			if (stat(from, &st) == 0 && S_ISREG(st.st_mode)) {
				if (copy_file(from, to) != 0)
					n = -1;
				else
					n++;
			}
			free(from);
			free(to);
		}
		closedir(D);
	}
	free(sdir);
	free(tsdir);
	return n;
}

/* The history with rows inserted before its end tag (a new file when there was none). */
static char *
new_history(const char *path, const char *rows, int *err)
{
	struct pia_buf b = { 0 };
	char *old, *end, *p;
	size_t len;

	*err = 0;
	if (pia_read_file(path, COPY_MAX, &old, &len) != 0) {
		if (errno != ENOENT) {
			*err = 1;
			return NULL;
		}
		pia_buf_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<変更履歴>\n%s</変更履歴>\n", rows);
		return pia_buf_take(&b);
	}
	for (end = NULL, p = old; (p = strstr(p, "</変更履歴>")) != NULL; p++)
		end = p;
	if (end != NULL) {
		/* Rows start on a line of their own. */
		char *bol = end;
		while (bol > old && (bol[-1] == ' ' || bol[-1] == '\t'))
			bol--;
		pia_buf_put(&b, old, (size_t)(bol - old));
		if (bol > old && bol[-1] != '\n')
			pia_buf_putc(&b, '\n');
		pia_buf_puts(&b, rows);
		pia_buf_puts(&b, end);
	} else if ((end = strstr(old, "<変更履歴/>")) != NULL) {
		pia_buf_put(&b, old, (size_t)(end - old));
		pia_buf_printf(&b, "<変更履歴>\n%s</変更履歴>", rows);
		pia_buf_puts(&b, end + strlen("<変更履歴/>"));
	} else
		*err = 1;
	free(old);
	return *err ? (pia_buf_free(&b), NULL) : pia_buf_take(&b);
}

/* The check after publishing: pia check REPORT_DIR, on stdout. */
static int
check_again(const struct pia_forms *fs, const char *dir)
{
	struct pia_diag *d = pia_diag_new();
	struct pia_report *r;
	int rc;

	if ((r = pia_load_report(d, fs, dir, NULL)) != NULL)
		pia_check_report(d, r);
	rc = r == NULL ? PIA_EXIT_INVALID : pia_cmd_status(d);
	pia_diag_print(d, stdout);
	pia_diag_summary(d, stdout);
	pia_report_free(r);
	pia_diag_free(d);
	return rc;
}

/* The date of the last dated row of the history, if any. */
static int
last_row(const struct pia_report *r, struct pia_date *out)
{
	size_t i;
	int found = 0;

	for (i = 0; i < r->nchanges; i++)
		if (r->changes[i].date.year != 0 && (!found || pia_date_cmp(&r->changes[i].date, out) > 0)) {
			*out = r->changes[i].date;
			found = 1;
		}
	return found;
}

struct pub {
	const char		*dir;
	const char		*date_arg;
	struct pia_date		 date;
	char			 wareki[64];
	int			 first, dry;
	struct pia_diag		*d;
	struct pia_forms	*fs;
	struct pia_report	*cur, *old;
	char			*prev;		/* the last snapshot, or NULL */
	struct pia_chlist	*rows;
};

/* Everything that may refuse the publication; 0 when it may go on. */
static int
admissible(struct pub *P)
{
	const struct pia_node *pub;
	struct pia_date pd, last;
	char buf[64], buf2[64];
	char *pdir;

	if ((P->cur = pia_load_report(P->d, P->fs, P->dir, NULL)) == NULL)
		return -1;
	if (pia_diag_count(P->d, PIA_LEVEL_ERROR) > 0) {
		pia_diag(P->d, NULL, PIA_MSG_PUB_INVALID, P->dir);
		return -1;
	}
	pub = pia_report_published(P->cur);
	if (pub == NULL || pia_date_cmp(&pub->date, &P->date) != 0 || pub->date.year == 0) {
		pia_diag(P->d, pub && pub->pos.file ? &pub->pos : NULL, PIA_MSG_PUB_PUBLISHED,
		    pub && pub->text ? pub->text : PIA_CH_EMPTY, P->date_arg);
		return -1;
	}
	P->prev = pia_version_latest(P->dir, &pd);
	pdir = xasprintf("%s/published/", P->dir);
	if (P->prev == NULL && !P->first)
		pia_diag(P->d, NULL, PIA_MSG_PUB_NO_PREVIOUS, pdir);
	else if (P->prev != NULL && P->first)
		pia_diag(P->d, NULL, PIA_MSG_PUB_FIRST, P->prev);
	else if (P->prev != NULL && pia_date_cmp(&P->date, &pd) <= 0)
		pia_diag(P->d, NULL, PIA_MSG_PUB_DATE_BACK, P->wareki,
		    pia_wareki_format(&pd, buf, sizeof(buf)) ? buf : "");
	else if (last_row(P->cur, &last) && pia_date_cmp(&P->date, &last) < 0)
		pia_diag(P->d, NULL, PIA_MSG_PUB_DATE_ROWS, P->wareki,
		    pia_wareki_format(&last, buf2, sizeof(buf2)) ? buf2 : "");
	free(pdir);
	if (pia_diag_count(P->d, PIA_LEVEL_ERROR) > 0)
		return -1;
	/* The dates are right: now everything pia check checks. */
	pia_check_report(P->d, P->cur);
	if (pia_diag_count(P->d, PIA_LEVEL_ERROR) > 0) {
		pia_diag(P->d, NULL, PIA_MSG_PUB_INVALID, P->dir);
		return -1;
	}
	return 0;
}

/* The rows against the previous snapshot (none for the first publication). */
static int
compute(struct pub *P)
{
	struct pia_diag *dold;

	if (P->prev == NULL) {
		P->rows = xcalloc(1, sizeof(*P->rows));
		return 0;
	}
	/* The old version's own warnings (an old history) are not this publication's business. */
	dold = pia_diag_new();
	P->old = pia_load_report(dold, P->fs, P->prev, NULL);
	if (P->old == NULL || pia_diag_count(dold, PIA_LEVEL_ERROR) > 0) {
		pia_diag_print(dold, stderr);
		pia_diag_free(dold);
		pia_diag(P->d, NULL, PIA_MSG_PUB_INVALID, P->prev);
		return -1;
	}
	pia_diag_free(dold);
	if ((P->rows = pia_changes_diff(P->old, P->cur)) == NULL) {
		char *a = xasprintf("%s %s", P->old->form->name, P->old->form->version);
		char *b = xasprintf("%s %s", P->cur->form->name, P->cur->form->version);
		pia_diag(P->d, &P->cur->pos, PIA_MSG_DIFF_FORM, a, b);
		free(a);
		free(b);
		return -1;
	}
	return 0;
}

/* Write the snapshot, then the history; on failure remove what was made. */
static int
commit(struct pub *P, const char *history, size_t hlen, size_t added)
{
	char name[16], *pdir, *target, *tmp, *hpath, *htmp = NULL;
	struct stat st;
	int n, rc = -1;

	pia_version_name(&P->date, name, sizeof(name));
	pdir = xasprintf("%s/published", P->dir);
	target = xasprintf("%s/%s", pdir, name);
	tmp = xasprintf("%s/.%s.tmp%ld", pdir, name, (long)getpid());
	hpath = xasprintf("%s/changes.xml", P->dir);
	if (stat(target, &st) == 0) {
		fprintf(stderr, "pia: %s: すでにあります\n", target);
		goto out;
	}
	if ((mkdir(pdir, 0777) != 0 && errno != EEXIST) || mkdir(tmp, 0777) != 0) {
		fprintf(stderr, "pia: %s: 作れません: %s\n", tmp, strerror(errno));
		goto out;
	}
	if ((n = fill_snapshot(P->dir, tmp, history, hlen)) < 0) {
		fprintf(stderr, "pia: %s: 書けません: %s\n", tmp, strerror(errno));
		remove_tree(tmp);
		goto out;
	}
	if (added > 0) {
		htmp = xasprintf("%s/.changes.xml.tmp%ld", P->dir, (long)getpid());
		if (write_file(htmp, history, hlen) != 0) {
			fprintf(stderr, "pia: %s: 書けません: %s\n", htmp, strerror(errno));
			unlink(htmp);
			remove_tree(tmp);
			goto out;
		}
	}
	if (rename(tmp, target) != 0) {
		fprintf(stderr, "pia: %s: 作れません: %s\n", target, strerror(errno));
		if (htmp)
			unlink(htmp);
		remove_tree(tmp);
		goto out;
	}
	if (htmp != NULL && rename(htmp, hpath) != 0) {
		fprintf(stderr, "pia: %s: 書けません: %s\n", hpath, strerror(errno));
		unlink(htmp);
		remove_tree(target);
		goto out;
	}
	printf("公表した版: %s/（report.xml、sections/ %d ファイル%s）\n", target, n,
	    history ? "、changes.xml" : "");
	rc = 0;
out:
	free(pdir);
	free(target);
	free(tmp);
	free(hpath);
	free(htmp);
	return rc;
}

int
pia_cmd_publish(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "first", no_argument, NULL, '1' },
		{ "forms", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct pub P;
	const char *formdir = NULL;
	struct pia_buf rows = { 0 };
	char *dir = NULL, *history = NULL, *hpath = NULL;
	size_t i, n, added = 0, kept = 0;
	enum pia_wareki_err we;
	int c, err, done = 0, rc = PIA_EXIT_SYSTEM;

	memset(&P, 0, sizeof(P));
	optind = 1;
	while ((c = getopt_long(argc, argv, "hn", opts, NULL)) != -1)
		switch (c) {
		case 'd':
			P.date_arg = optarg;
			break;
		case 'n':
			P.dry = 1;
			break;
		case '1':
			P.first = 1;
			break;
		case 'F':
			formdir = optarg;
			break;
		case 'h':
			help(stdout);
			return PIA_EXIT_OK;
		default:
			help(stderr);
			return PIA_EXIT_SYSTEM;
		}
	if (argc - optind != 1 || P.date_arg == NULL) {
		help(stderr);
		return PIA_EXIT_SYSTEM;
	}
	dir = xstrdup(argv[optind]);
	for (n = strlen(dir); n > 1 && dir[n - 1] == '/';)
		dir[--n] = '\0';
	P.dir = dir;
	hpath = xasprintf("%s/report.xml", dir);
	if (access(hpath, F_OK) != 0) {
		fprintf(stderr, "pia: %s: 評価書のフォルダー（report.xml のある所）ではありません\n", dir);
		goto out;
	}
	P.d = pia_diag_new();
	if ((P.fs = pia_forms_load(P.d, formdir)) == NULL)
		goto out;
	rc = PIA_EXIT_INVALID;
	we = pia_wareki_parse(P.date_arg, PIA_WAREKI_DATE, &P.date);
	if ((we != PIA_WAREKI_OK && we != PIA_WAREKI_GANNEN) ||
	    pia_wareki_format(&P.date, P.wareki, sizeof(P.wareki)) == NULL) {
		pia_diag(P.d, NULL, PIA_MSG_PUB_DATE, P.date_arg);
		goto out;
	}
	if (admissible(&P) != 0 || compute(&P) != 0)
		goto out;

	for (i = 0; i < P.rows->n; i++) {
		if (written(P.cur, &P.date, P.rows->v[i].item)) {
			kept++;
			continue;
		}
		row_xml(&rows, &P.rows->v[i], P.wareki);
		added++;
	}
	if (P.dry) {
		if (rows.len > 0)
			fputs(rows.data, stdout);
		rc = PIA_EXIT_OK;
		goto out;
	}
	free(hpath);
	hpath = xasprintf("%s/changes.xml", dir);
	if (added > 0 || access(hpath, F_OK) == 0) {
		if ((history = new_history(hpath, rows.data ? rows.data : "", &err)) == NULL) {
			fprintf(stderr, "pia: %s: 変更履歴の終わり（</変更履歴>）が見つかりません\n", hpath);
			rc = PIA_EXIT_SYSTEM;
			goto out;
		}
	}
	if (commit(&P, history, history ? strlen(history) : 0, added) != 0) {
		rc = PIA_EXIT_SYSTEM;
		goto out;
	}
	if (P.rows->n == 0)
		printf("前の版からの変更箇所はありません\n");
	else
		printf("変更箇所に %zu 行を加えました（確認=\"要\"）。提出時期・説明・理由を確かめ、"
		    "確認=\"要\" を消してください\n", added);
	if (kept > 0)
		printf("同じ日の行がすでにある項目: %zu 件（その行を残しました）\n", kept);
	rc = check_again(P.fs, dir);
	done = 1;
out:
	/* Refused: say why (the check after publishing has shown the rest). */
	if (!done && P.d != NULL && pia_diag_count(P.d, PIA_LEVEL_ERROR) > 0) {
		pia_diag_print(P.d, stderr);
		pia_diag_summary(P.d, stderr);
	}
	pia_buf_free(&rows);
	pia_changes_free(P.rows);
	pia_report_free(P.old);
	pia_report_free(P.cur);
	free(P.prev);
	pia_forms_free(P.fs);
	pia_diag_free(P.d);
	free(history);
	free(hpath);
	free(dir);
	return rc;
}
