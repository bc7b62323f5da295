/*
 * Publishing a version of a report (pia publish).  The rows between the
 * last published snapshot (REPORT_DIR/published/YYYY-MM-DD/) and the
 * report as it is now are computed (changes/diff.c) and appended to
 * changes.xml, dated with the publication, with their proposed 提出時期,
 * 説明 and 理由 and the mark 確認="要".  Publishing takes two runs so that
 * nobody publishes rows a person has not read: while any row of the
 * history still has 確認="要" (the ones just proposed included) nothing is
 * kept and the run exits 1 naming each such row; once the author has
 * confirmed them (deleted the mark), the same command keeps the version
 * as a new snapshot.  --correct replaces the snapshot of the same day (a
 * correction): the rows are computed against the version before it, the
 * replaced snapshot is kept as YYYY-MM-DD.訂正前N/ and the correction is
 * recorded in published/訂正記録.txt.
 * Refused (exit 1, a coded message) when the report has errors, when
 * there is no previous snapshot (the first publication takes --first),
 * when the date is no 和暦 date, differs from the report's 公表日, or is
 * not after the last snapshot or before the last change row, and when
 * published/ or a snapshot leads out of the report folder.  The snapshot
 * and the new changes.xml are written to temporary names and renamed into
 * place; a failure leaves both as they were.  Rows the author already
 * wrote for the same date and item are kept and not added again.  Last,
 * the report is checked as pia check would.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "changes.h"
#include "check.h"
#include "diag.h"
#include "form.h"
#include "history.h"
#include "load.h"
#include "model.h"
#include "pia.h"
#include "util.h"
#include "wareki.h"

/* Largest file copied into a snapshot. */
#define COPY_MAX	(64u * 1024 * 1024)

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

/* The history's row of that date for the row's item, or NULL. */
static const struct pia_change *
written(const struct pia_report *r, const struct pia_date *date, const char *item)
{
	const struct pia_change *hit = NULL;
	char *key = path_key(r->form, item), *k;
	size_t i;

	for (i = 0; i < r->nchanges && hit == NULL; i++) {
		if (pia_date_cmp(&r->changes[i].date, date) != 0)
			continue;
		k = path_key(r->form, r->changes[i].item);
		if (strcmp(k, key) == 0)
			hit = &r->changes[i];
		free(k);
	}
	free(key);
	return hit;
}

/* 1 when a and b are the same text but for white space (line breaks of the XML). */
static int
same_text(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	for (;;) {
		while (*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r')
			a++;
		while (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r')
			b++;
		if (*a != *b)
			return 0;
		if (*a == '\0')
			return 1;
		a++;
		b++;
	}
}

/* A text cut to its first 30 characters for a message (caller frees). */
static char *
excerpt(const char *s)
{
	size_t i = 0, n = 0, k, len = strlen(s);
	uint32_t cp;

	while (i < len && n < 30) {
		k = pia_utf8_decode(s + i, len - i, &cp);
		i += k ? k : 1;
		n++;
	}
	return i < len ? xasprintf("%.*s…", (int)i, s) : xstrdup(s);
}

static int
write_file(const char *path, const char *data, size_t len)
{
	FILE *f;
	int rc = 0;

	/* Only into a folder this run made: a name already there is not ours. */
	if ((f = fopen(path, "wbx")) == NULL)
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

/*
 * report.xml, sections/ and the new changes.xml into dir.  Returns the
 * number of section files, or -1.  A source that leads out of the report
 * folder is not copied (the loader has refused it already).
 */
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
	if (pia_path_inside(report, from) != 1 || copy_file(from, to) != 0)
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
				if (pia_path_inside(report, from) != 1 || copy_file(from, to) != 0)
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

/*
 * The report as published, through the whole check pass (pia check's):
 * what it prints is what the published version holds, the web page's and
 * the PDF's warnings too.
 */
static int
check_again(const struct pia_forms *fs, const char *dir)
{
	struct pia_diag *d = pia_diag_new();
	struct pia_report *r;
	int rc;

	if ((r = pia_load_report(d, fs, dir, NULL)) != NULL)
		pia_check_all(d, NULL, r, PIA_CHECK_ALL);
	rc = r == NULL ? PIA_EXIT_INVALID : pia_diag_status(d);
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
	int			 first, dry, correct;
	char			*pdir;		/* dir/published */
	struct pia_diag		*d;
	const struct pia_forms	*fs;
	struct pia_report	*cur, *old;
	char			*prev;		/* the last snapshot, or NULL */
	struct pia_chlist	*rows;
};

/*
 * 1 when path, if it exists, stays inside the report folder; else
 * PATH_OUTSIDE, so nothing is read from or written through a link out.
 */
static int
inside(struct pub *P, const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0 || pia_path_inside(P->dir, path) == 1)
		return 1;
	pia_diag(P->d, NULL, PIA_MSG_PATH_OUTSIDE, path);
	return 0;
}

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
	/* The values as written and the history first: the dates below are its rows'. */
	pia_check_all(P->d, NULL, P->cur, PIA_CHECK_WRITTEN | PIA_CHECK_HISTORY);
	if (pia_diag_count(P->d, PIA_LEVEL_ERROR) > 0) {
		/* Refused with all pia check says, so that one round of fixes is enough. */
		pia_check_all(P->d, NULL, P->cur,
		    PIA_CHECK_ALL & ~(PIA_CHECK_WRITTEN | PIA_CHECK_HISTORY));
		pia_diag(P->d, NULL, PIA_MSG_PUB_INVALID, P->dir);
		return -1;
	}
	pub = pia_report_published(P->cur);
	if (pub == NULL || pia_date_cmp(&pub->date, &P->date) != 0 || pub->date.year == 0) {
		pia_diag(P->d, pub && pub->pos.file ? &pub->pos : NULL, PIA_MSG_PUB_PUBLISHED,
		    pub && pub->text ? pub->text : PIA_CH_EMPTY, P->date_arg);
		return -1;
	}
	if (!inside(P, P->pdir))
		return -1;
	P->prev = pia_version_latest(P->dir, &pd);
	if (P->prev != NULL && !inside(P, P->prev))
		return -1;
	pdir = xasprintf("%s/published/", P->dir);
	if (P->correct) {
		/* Only the newest version, of that very day; compared with the one before it. */
		if (P->prev == NULL || pia_date_cmp(&P->date, &pd) != 0) {
			char name[16];

			pia_version_name(&P->date, name, sizeof(name));
			pia_diag(P->d, NULL, PIA_MSG_PUB_CORRECT_NONE, P->wareki, pdir, name);
		} else {
			free(P->prev);
			P->prev = pia_version_before(P->dir, &P->date, NULL);
			if (P->prev != NULL && !inside(P, P->prev)) {
				free(pdir);
				return -1;
			}
		}
	} else if (P->prev == NULL && !P->first)
		pia_diag(P->d, NULL, PIA_MSG_PUB_NO_PREVIOUS, pdir);
	else if (P->prev != NULL && P->first)
		pia_diag(P->d, NULL, PIA_MSG_PUB_FIRST, P->prev);
	else if (P->prev != NULL && pia_date_cmp(&P->date, &pd) == 0)
		pia_diag(P->d, NULL, PIA_MSG_PUB_SAME_DAY, P->prev);
	else if (P->prev != NULL && pia_date_cmp(&P->date, &pd) < 0)
		pia_diag(P->d, NULL, PIA_MSG_PUB_DATE_BACK, P->wareki,
		    pia_wareki_format(&pd, buf, sizeof(buf)) ? buf : "");
	else if (last_row(P->cur, &last) && pia_date_cmp(&P->date, &last) < 0)
		pia_diag(P->d, NULL, PIA_MSG_PUB_DATE_ROWS, P->wareki,
		    pia_wareki_format(&last, buf2, sizeof(buf2)) ? buf2 : "");
	free(pdir);
	if (pia_diag_count(P->d, PIA_LEVEL_ERROR) > 0)
		return -1;
	/* The dates are right: now everything else pia check checks. */
	pia_check_all(P->d, NULL, P->cur, PIA_CHECK_ALL & ~(PIA_CHECK_WRITTEN | PIA_CHECK_HISTORY));
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
	if ((P->old = pia_load_report(dold, P->fs, P->prev, NULL)) != NULL)
		pia_check_all(dold, NULL, P->old, PIA_CHECK_WRITTEN | PIA_CHECK_HISTORY);
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

/*
 * Record a correction in published/訂正記録.txt, one line each (appended;
 * never through a link).  0, or -1 with errno.
 */
static int
record_correction(struct pub *P, const char *kept)
{
	char *path = xasprintf("%s/訂正記録.txt", P->pdir);
	char *line = xasprintf("%sの版を訂正しました（訂正前の版: %s/）\n", P->wareki, kept);
	size_t len = strlen(line), done = 0;
	ssize_t w;
	int fd, rc = -1;

	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666)) >= 0) {
		while (done < len && ((w = write(fd, line + done, len - done)) > 0 || errno == EINTR))
			if (w > 0)
				done += (size_t)w;
		rc = done == len && fsync(fd) == 0 ? 0 : -1;
		if (close(fd) != 0)
			rc = -1;
	}
	free(path);
	free(line);
	return rc;
}

/*
 * Keep the snapshot (report.xml, sections/, history as changes.xml) under
 * published/; with --correct, in place of that day's one, which is kept
 * beside it as YYYY-MM-DD.訂正前N.  On failure everything is as it was.
 */
static int
commit(struct pub *P, const char *history, size_t hlen)
{
	struct pia_atomic_dir a = { .slot = -1 };
	char name[16], *target, *old = NULL, *oldname = NULL;
	struct pia_pos pos = { NULL, 0, 0 };
	struct stat st;
	int n, i, rc = -1;

	pia_version_name(&P->date, name, sizeof(name));
	target = xasprintf("%s/%s", P->pdir, name);
	pos.file = target;
	/* lstat: a link of that name, even a broken one, is there too. */
	if (!P->correct && lstat(target, &st) == 0) {
		pia_diag(P->d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(EEXIST));
		goto out;
	}
	if (mkdir(P->pdir, 0777) != 0 && errno != EEXIST) {
		pos.file = P->pdir;
		pia_diag(P->d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(errno));
		goto out;
	}
	/* published/ may have become a link since it was checked. */
	if (!inside(P, P->pdir) || (P->correct && !inside(P, target)))
		goto out;
	/* The snapshot is written whole into a temporary folder (util/atomic.c), then swapped in. */
	if (pia_atomic_dir_begin(&a, target) != 0 ||
	    (n = fill_snapshot(P->dir, a.tmp, history, hlen)) < 0) {
		pia_diag(P->d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(errno));
		goto out;
	}
	if (P->correct) {
		/* The replaced version stays, under a name that is no version. */
		for (i = 1; old == NULL || lstat(old, &st) == 0; i++) {
			free(oldname);
			free(old);
			oldname = xasprintf("%s.訂正前%d", name, i);
			old = xasprintf("%s/%s", P->pdir, oldname);
		}
		if (rename(target, old) != 0) {
			pia_diag(P->d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(errno));
			goto out;
		}
	}
	if (pia_atomic_dir_commit(&a, PIA_ATOMIC_NOREPLACE) != 0) {
		pia_diag(P->d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(errno));
		if (old != NULL)
			(void)rename(old, target);
		goto out;
	}
	if (P->correct && record_correction(P, oldname) != 0) {
		char *rec = xasprintf("%s/訂正記録.txt", P->pdir);

		pia_diag(P->d, &(struct pia_pos){ rec, 0, 0 }, PIA_MSG_SYS_WRITE, pia_strerror(errno));
		free(rec);
		/* Undo: the corrected version back to the temporary name (removed below), the published one back. */
		if (rename(target, a.tmp) == 0) {
			a.done = 0;
			(void)rename(old, target);
		}
		goto out;
	}
	printf("%s: %s/（report.xml、sections/ %d ファイル%s）\n",
	    P->correct ? "訂正した版" : "公表した版", target, n, history ? "、changes.xml" : "");
	if (P->correct)
		printf("訂正前の版は %s/ に残し、%s/訂正記録.txt に記録しました\n", old, P->pdir);
	rc = 0;
out:
	if (a.path != NULL)
		pia_atomic_dir_end(&a);
	free(target);
	free(old);
	free(oldname);
	return rc;
}

/* The row of the history for a computed row, proposed for review. */
static void
proposed(struct pia_hrow *h, const struct pia_chrow *r, const char *date)
{
	memset(h, 0, sizeof(*h));
	h->c.date_text = xstrdup(date);
	h->c.item = xstrdup(r->item);
	h->c.timing = xstrdup(r->timing);
	h->c.reason = xstrdup(r->reason);
	h->c.why = r->why ? xstrdup(r->why) : NULL;
	h->c.before = xstrdup(r->before);
	h->c.after = xstrdup(r->after);
	h->review = 1;
}

/* The history with the rows added (a new file when there was none); NULL after a message. */
static char *
new_history(struct pia_diag *d, const char *path, const struct pia_history *add)
{
	struct pia_pos pos = { path, 0, 0 };
	char *old, *t;
	size_t len;

	if (pia_read_file(path, COPY_MAX, &old, &len) != 0) {
		if (errno == ENOENT)
			return pia_history_write(add, NULL);
		pia_diag(d, &pos, PIA_MSG_SYS_OPEN, pia_strerror(errno));
		return NULL;
	}
	if ((t = pia_history_append(old, len, add)) == NULL)
		pia_diag(d, &pos, PIA_MSG_PUB_HISTORY_END);
	free(old);
	return t;
}

/*
 * Refuse while rows of the history are unconfirmed: an error at each, so
 * the author finds them (the warning CHG_REVIEW says the same more softly).
 */
static int
unreviewed(const struct pia_report *r)
{
	struct pia_diag *d;
	size_t i, n = 0;

	d = pia_diag_new();
	for (i = 0; i < r->nchanges; i++)
		if (r->changes[i].review) {
			pia_diag(d, &r->changes[i].pos, PIA_MSG_PUB_UNREVIEWED,
			    r->changes[i].date_text ? r->changes[i].date_text : PIA_CH_EMPTY,
			    r->changes[i].item ? r->changes[i].item : PIA_CH_EMPTY);
			n++;
		}
	if (n > 0) {
		fflush(stdout);
		pia_diag_print(d, stderr);
		pia_diag_summary(d, stderr);
	}
	pia_diag_free(d);
	return n > 0;
}

int
pia_history_publish(const struct pia_publish *opt)
{
	struct pub P;
	struct pia_history add = { 0 };
	struct pia_buf rows = { 0 };
	struct pia_diag *dnew = NULL;
	struct pia_report *now = NULL;
	char *history = NULL, *hpath = NULL;
	size_t i, kept = 0, hlen = 0;
	enum pia_wareki_err we;
	int done = 0, rc = PIA_EXIT_SYSTEM;

	memset(&P, 0, sizeof(P));
	P.dir = opt->dir;
	P.date_arg = opt->date;
	P.first = opt->first;
	P.dry = opt->dry;
	P.correct = opt->correct;
	P.pdir = xasprintf("%s/published", P.dir);
	P.d = pia_diag_new();
	P.fs = opt->fs;
	rc = PIA_EXIT_INVALID;
	we = pia_wareki_parse(P.date_arg, PIA_WAREKI_DATE, &P.date);
	if ((we != PIA_WAREKI_OK && we != PIA_WAREKI_GANNEN) ||
	    pia_wareki_format(&P.date, P.wareki, sizeof(P.wareki)) == NULL) {
		pia_diag(P.d, NULL, PIA_MSG_PUB_DATE, P.date_arg);
		goto out;
	}
	if (admissible(&P) != 0 || compute(&P) != 0)
		goto out;

	add.v = xcalloc(P.rows->n ? P.rows->n : 1, sizeof(*add.v));
	for (i = 0; i < P.rows->n; i++) {
		const struct pia_change *c = written(P.cur, &P.date, P.rows->v[i].item);
		if (c == NULL) {
			proposed(&add.v[add.n++], &P.rows->v[i], P.wareki);
			continue;
		}
		kept++;
		/*
		 * A correction changed the text again: the row of that day still
		 * says what the replaced version said, and would be published so.
		 */
		if (P.correct && !same_text(c->after, P.rows->v[i].after)) {
			char *was = excerpt(c->after != NULL ? c->after : ""),
			    *now = excerpt(P.rows->v[i].after);
			pia_diag(P.d, &c->pos, PIA_MSG_PUB_CORRECT_ROW, c->item, was, now);
			free(was);
			free(now);
		}
	}
	if (pia_diag_count(P.d, PIA_LEVEL_ERROR) > 0)
		goto out;
	if (P.dry) {
		for (i = 0; i < add.n; i++)
			pia_history_put_row(&rows, &add.v[i]);
		if (rows.len > 0)
			fputs(rows.data, stdout);
		rc = PIA_EXIT_OK;
		goto out;
	}
	hpath = xasprintf("%s/changes.xml", P.dir);
	if (!inside(&P, hpath))
		goto out;
	if (add.n > 0) {
		/* First run: the proposals into the history, for a person to confirm. */
		if ((history = new_history(P.d, hpath, &add)) == NULL) {
			rc = PIA_EXIT_SYSTEM;
			goto out;
		}
		if (pia_history_save(P.d, hpath, history, strlen(history)) != 0) {
			rc = PIA_EXIT_SYSTEM;
			goto out;
		}
		printf("変更箇所に %zu 行を加えました（確認=\"要\"）。まだ公表していません\n", add.n);
		free(history);
		history = NULL;
	}
	if (kept > 0)
		printf("同じ日の行がすでにある項目: %zu 件（その行を残しました）\n", kept);
	/* The history as it is now on disk decides: nothing unconfirmed is published. */
	dnew = pia_diag_new();
	if ((now = pia_load_report(dnew, P.fs, P.dir, NULL)) != NULL)
		pia_check_all(dnew, NULL, now, PIA_CHECK_WRITTEN | PIA_CHECK_HISTORY);
	if (now == NULL || pia_diag_count(dnew, PIA_LEVEL_ERROR) > 0) {
		fflush(stdout);
		pia_diag_print(dnew, stderr);
		pia_diag_summary(dnew, stderr);
		done = 1;
		goto out;
	}
	if (unreviewed(now)) {
		printf("提出時期・説明・理由を確かめて 確認=\"要\" を消してから、同じコマンドをもう一度実行すると公表します\n");
		done = 1;
		goto out;
	}
	if (pia_read_file(hpath, COPY_MAX, &history, &hlen) != 0) {
		if (errno != ENOENT) {
			pia_diag(P.d, &(struct pia_pos){ hpath, 0, 0 }, PIA_MSG_SYS_OPEN,
			    pia_strerror(errno));
			rc = PIA_EXIT_SYSTEM;
			goto out;
		}
		history = NULL;
	}
	if (commit(&P, history, hlen) != 0) {
		/* A link out found at the last moment is the input's; the rest is the system's. */
		rc = pia_diag_count(P.d, PIA_LEVEL_ERROR) > 0 ? PIA_EXIT_INVALID : PIA_EXIT_SYSTEM;
		goto out;
	}
	if (P.rows->n == 0)
		printf("前の版からの変更箇所はありません\n");
	rc = check_again(P.fs, P.dir);
	done = 1;
out:
	/* Refused: say why (the check after publishing has shown the rest). */
	if (!done && P.d != NULL && pia_diag_count(P.d, PIA_LEVEL_ERROR) > 0) {
		pia_diag_print(P.d, stderr);
		pia_diag_summary(P.d, stderr);
	}
	pia_buf_free(&rows);
	pia_history_free(&add);
	pia_changes_free(P.rows);
	pia_report_free(now);
	pia_diag_free(dnew);
	pia_report_free(P.old);
	pia_report_free(P.cur);
	free(P.prev);
	free(P.pdir);
	pia_diag_free(P.d);
	free(history);
	free(hpath);
	return rc;
}
