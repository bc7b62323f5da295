/*
 * pia diff OLD_REPORT_DIR NEW_REPORT_DIR: the 変更箇所 rows between two
 * versions of a report as TSV on stdout, with a header, one row per
 * changed item; nothing at all when nothing changed.  With one folder,
 * its newest published snapshot is the old version.  --redline prints the
 * rows for reading instead: changed blocks of a Markdown text as -/+ lines.
 * Fields holding a tab, a newline or a quote are quoted, quotes doubled
 * (the convention the importer of change lists reads); a field a
 * spreadsheet would run as a formula starts with an apostrophe.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic.h"
#include "changes.h"
#include "check.h"
#include "cmd.h"
#include "diag.h"
#include "form.h"
#include "load.h"
#include "model.h"
#include "pia.h"
#include "util.h"

/*
 * One TSV field: after an apostrophe when a spreadsheet would take it for
 * a formula (pia_tsv_guard); quoted when it holds a tab, a line break or
 * a quote.
 */
static void
field(FILE *f, const char *s)
{
	if (strpbrk(s, "\t\n\r\"") == NULL) {
		fputs(pia_tsv_guard(s), f);
		fputs(s, f);
		return;
	}
	fputc('"', f);
	fputs(pia_tsv_guard(s), f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void
tsv(FILE *f, const struct pia_chlist *L)
{
	size_t i;

	if (L->n == 0)
		return;
	fputs("項目\t項目名\t変更前の記載\t変更後の記載\t※\t提出時期\t説明\t理由\n", f);
	for (i = 0; i < L->n; i++) {
		const struct pia_chrow *r = &L->v[i];
		field(f, r->item);
		fputc('\t', f);
		field(f, r->label);
		fputc('\t', f);
		field(f, r->before);
		fputc('\t', f);
		field(f, r->after);
		fputc('\t', f);
		fputs(r->marked ? "※" : "", f);
		fputc('\t', f);
		field(f, r->timing);
		fputc('\t', f);
		field(f, r->reason);
		fputc('\t', f);
		field(f, r->why ? r->why : "");
		fputc('\n', f);
	}
}

/* Every line of s, each after prefix. */
static void
lines(FILE *f, const char *prefix, const char *s)
{
	const char *eol;

	for (;;) {
		eol = strchr(s, '\n');
		fputs(prefix, f);
		fwrite(s, 1, eol ? (size_t)(eol - s) : strlen(s), f);
		fputc('\n', f);
		if (eol == NULL)
			break;
		s = eol + 1;
	}
}

static void
redline(FILE *f, const struct pia_chlist *L)
{
	static const char *const ops[] = { "  ", "- ", "+ " };
	size_t i, j;

	for (i = 0; i < L->n; i++) {
		const struct pia_chrow *r = &L->v[i];
		fprintf(f, "@@ %s%s（%s、%s）%s%s\n", r->item, r->marked ? " ※" : "",
		    r->timing, r->reason, r->why ? " " : "", r->why ? r->why : "");
		fprintf(f, "   %s\n", r->label);
		if (r->nblocks == 0) {
			lines(f, "- ", r->before);
			lines(f, "+ ", r->after);
			continue;
		}
		for (j = 0; j < r->nblocks; j++)
			lines(f, ops[r->blocks[j].op], r->blocks[j].text);
	}
}

/* "dir/" → "dir", and make sure it is a report folder.  Caller frees; NULL after a message. */
static char *
report_dir(const char *arg)
{
	struct stat st;
	char *p = xstrdup(arg), *probe;
	size_t n = strlen(p);

	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	probe = xasprintf("%s/report.xml", p);
	if (stat(probe, &st) != 0) {
		pia_cmd_error(PIA_MSG_USAGE_REPORT, p, NULL);
		free(probe);
		free(p);
		return NULL;
	}
	free(probe);
	return p;
}

enum { OPT_REDLINE };

static const struct pia_cmd_opt diff_opts[] = {
	[OPT_REDLINE] = { "redline", 'r', 0, 0 },
	{ NULL, 0, 0, 0 }
};

static int
diff(struct pia_cmd_ctx *ctx)
{
	char *odir = NULL, *ndir = NULL, *a, *b;
	struct pia_report *old = NULL, *cur = NULL;
	struct pia_chlist *L = NULL;
	int rc = PIA_EXIT_SYSTEM;

	if ((ndir = report_dir(ctx->args[ctx->nargs - 1])) == NULL)
		goto out;
	if (ctx->nargs == 2) {
		if ((odir = report_dir(ctx->args[0])) == NULL)
			goto out;
	} else if ((odir = pia_version_latest(ndir, NULL)) == NULL) {
		/* A published/ that is there but cannot be read is no "none yet". */
		char *pub = xasprintf("%s/published", ndir);
		struct stat st;
		DIR *D = NULL;

		if (lstat(pub, &st) == 0 && (D = opendir(pub)) == NULL) {
			pia_diag(ctx->d, &(struct pia_pos){ .file = pub }, PIA_MSG_SYS_OPEN,
			    pia_strerror(errno));
			rc = PIA_EXIT_INVALID;
		} else
			pia_cmd_error(PIA_MSG_USAGE_PUBLISHED, ndir, NULL);
		if (D != NULL)
			closedir(D);
		free(pub);
		goto out;
	}
	/* Only the histories are checked (a broken one is an error, as in every command). */
	if ((old = pia_load_report(ctx->d, ctx->fs, odir, NULL)) != NULL)
		pia_check_all(ctx->d, NULL, old, PIA_CHECK_WRITTEN | PIA_CHECK_HISTORY);
	if ((cur = pia_load_report(ctx->d, ctx->fs, ndir, NULL)) != NULL)
		pia_check_all(ctx->d, NULL, cur, PIA_CHECK_WRITTEN | PIA_CHECK_HISTORY);
	rc = PIA_EXIT_INVALID;
	if (old == NULL || cur == NULL)
		goto out;
	if ((L = pia_changes_diff(old, cur)) == NULL) {
		a = xasprintf("%s %s", old->form->name, old->form->version);
		b = xasprintf("%s %s", cur->form->name, cur->form->version);
		pia_diag(ctx->d, &cur->pos, PIA_MSG_DIFF_FORM, a, b);
		free(a);
		free(b);
		goto out;
	}
	if (ctx->opt[OPT_REDLINE] != NULL)
		redline(stdout, L);
	else
		tsv(stdout, L);
	rc = pia_cmd_status(ctx->d);
out:
	pia_changes_free(L);
	pia_report_free(old);
	pia_report_free(cur);
	free(odir);
	free(ndir);
	return rc;
}

/* Not a checker: only errors, which may have left values out of the model, are shown. */
static const struct pia_cmd diff_cmd = {
	.name = "diff",
	.help = "使い方: pia diff [--redline] [--forms DIR] OLD_REPORT_DIR NEW_REPORT_DIR\n"
	    "       pia diff [--redline] REPORT_DIR   （前回公表した版 published/… と比べる）\n"
	    "  二つの版の変更箇所を、変更された項目ごとに1行の TSV で表示します（見出し行つき）。\n"
	    "  列: 項目 項目名 変更前の記載 変更後の記載 ※ 提出時期 説明 理由（提出時期・説明・理由は提案）\n"
	    "  --redline  表ではなく、変わった段落を -（変更前）と +（変更後）で示す\n"
	    "終了コード: 0 比べられた / 1 原稿にエラー / 2 使い方・システムの誤り\n",
	.opts = diff_opts,
	.min_args = 1,
	.max_args = 2,
	.flags = PIA_CMD_FORMS | PIA_CMD_SUMMARY | PIA_CMD_ERRORS,
	.run = diff,
};

int
pia_cmd_diff(int argc, char **argv)
{
	return pia_cmd_run(&diff_cmd, argc, argv);
}
