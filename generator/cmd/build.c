/*
 * pia build CONTENT -o OUT [--theme DIR]: validate the content tree and
 * write the site (site/site.c: the pages through the theme, the PDFs, the
 * search index, the feed and the sitemap).  Output is written to a
 * temporary folder beside OUT and renamed over it only when everything
 * succeeded, so a failed build keeps the old site; an OUT that is, holds
 * or lies in the content tree is refused before anything is read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "cmd.h"
#include "diag.h"
#include "form.h"
#include "load.h"
#include "model.h"
#include "pia.h"
#include "site.h"
#include "util.h"

enum { OPT_OUTPUT, OPT_THEME, OPT_JOBS };

static const struct pia_cmd_opt build_opts[] = {
	[OPT_OUTPUT] = { "output", 'o', 1, 1 },
	[OPT_THEME] = { "theme", 0, 1, 0 },
	[OPT_JOBS] = { "jobs", 'j', 1, 0 },
	{ NULL, 0, 0, 0 }
};

static unsigned jobs;
/* What the loader may take from the last build instead of loading (pia_build_prepare). */
static struct pia_build_prep *prep;

/* What build checks (pia_build_check, not the runner: it knows the unchanged reports). */
#define BUILD_CHECKS	(PIA_CHECK_MODEL | PIA_CHECK_HTML)

/*
 * Refused before loading: a bad -j, and an output over the sources (it
 * would delete them).
 */
static int
check_output(struct pia_cmd_ctx *ctx)
{
	const char *j = ctx->opt[OPT_JOBS];
	unsigned long n;
	char *end;

	jobs = 0;
	if (j != NULL) {
		errno = 0;
		n = strtoul(j, &end, 10);
		if (errno != 0 || *j < '0' || *j > '9' || *end != '\0' || n < 1 ||
		    n > PIA_SITE_MAX_JOBS) {
			pia_diag(ctx->d, NULL, PIA_MSG_USAGE_JOBS, j);
			return PIA_EXIT_SYSTEM;
		}
		jobs = (unsigned)n;
	}
	if (pia_site_check_output(ctx->d, ctx->args[0], ctx->opt[OPT_OUTPUT]) != 0)
		return PIA_EXIT_SYSTEM;
	prep = pia_build_prepare(ctx->args[0], ctx->opt[OPT_OUTPUT], ctx->opt[OPT_THEME],
	    ctx->formdir, ctx->fs, BUILD_CHECKS);
	pia_load_set_reuse(pia_build_reuse, prep);
	return PIA_EXIT_OK;
}

static int build_site(struct pia_cmd_ctx *);

static int
build(struct pia_cmd_ctx *ctx)
{
	int rc;

	pia_load_set_reuse(NULL, NULL);
	rc = build_site(ctx);
	pia_build_prep_free(prep);
	prep = NULL;
	return rc;
}

static int
build_site(struct pia_cmd_ctx *ctx)
{
	const char *out = ctx->opt[OPT_OUTPUT];
	struct pia_build *b;
	int rc;

	ctx->kept = out;
	if (ctx->site == NULL) {
		/* A report folder: its errors first, else it is the wrong thing to name. */
		if (ctx->report == NULL && (rc = pia_cmd_status(ctx->d)) != PIA_EXIT_OK)
			return rc;
		pia_diag(ctx->d, NULL, PIA_MSG_USAGE_SITE, ctx->args[0]);
		return PIA_EXIT_SYSTEM;
	}
	/* A tree that did not load whole: its problems, as before any theme is read. */
	if (pia_cmd_status(ctx->d) != PIA_EXIT_OK) {
		pia_build_load_all(prep, ctx->site);
		pia_check_all(ctx->d, ctx->site, NULL, BUILD_CHECKS);
		return pia_cmd_status(ctx->d);
	}
	if ((b = pia_build_begin(ctx->d, ctx->site, out, ctx->opt[OPT_THEME],
	    ctx->formdir, prep)) == NULL) {
		/* The sources' problems still told, as when the theme is read. */
		pia_build_load_all(prep, ctx->site);
		pia_check_all(ctx->d, ctx->site, NULL, BUILD_CHECKS);
		return (rc = pia_cmd_status(ctx->d)) == PIA_EXIT_OK ? PIA_EXIT_SYSTEM : rc;
	}
	/* The checks of unchanged reports come from the last build's cache. */
	pia_build_check(b, ctx->d, BUILD_CHECKS);
	if ((rc = pia_cmd_status(ctx->d)) != PIA_EXIT_OK) {
		pia_build_free(b);
		return rc;
	}
	pia_diag_print(ctx->d, stderr);
	if (pia_build_write(b, ctx->d, jobs) != 0) {
		/* The levels of what the writers reported decide; unexplained: the system's. */
		if ((rc = pia_cmd_status(ctx->d)) == PIA_EXIT_OK)
			rc = PIA_EXIT_SYSTEM;
	}
	pia_build_free(b);
	if (rc != PIA_EXIT_OK)
		return rc;
	/* What was written where, after the messages it follows from: the clerk's one line. */
	pia_diag_print(ctx->d, stderr);
	pia_diag_summary_site(ctx->d, stderr, out, ctx->site->nreports);
	return PIA_EXIT_OK;
}

static const struct pia_cmd build_cmd = {
	.name = "build",
	.help = "使い方: pia build [--strict] [--forms DIR] [--theme DIR] [-j N] コンテンツのフォルダー -o 出力フォルダー\n"
	    "  検査してからウェブページ一式を出力フォルダーに書きます。\n"
	    "  エラーがあれば何も書き換えません（前回の出力はそのまま残ります）。\n"
	    "  書き終えたら、書いた場所と評価書の数、警告の数を1行で示します。\n"
	    "  前回から原稿・site.xml・テーマ・pia が変わっていない評価書は作り直しません。\n"
	    "  --strict     警告もエラーとして扱います（何も書き換えません）\n"
	    "  --theme DIR  themes/default を写して作ったテーマを使います\n"
	    "               （ヘッダー、フッター、ロゴ、色。ないファイルは既定のテーマから）\n"
	    "  -j N         評価書を N 個の処理で並行して作ります（1 から 64、既定は CPU の数）\n",
	.opts = build_opts,
	.min_args = 1,
	.max_args = 1,
	.flags = PIA_CMD_FORMS | PIA_CMD_LOAD,
	.checks = 0,	/* run by build: pia_build_check */
	.pre = check_output,
	.run = build,
};

int
pia_cmd_build(int argc, char **argv)
{
	return pia_cmd_run(&build_cmd, argc, argv);
}
