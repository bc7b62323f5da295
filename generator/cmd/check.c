/*
 * pia check PATH…: load and validate, print every message sorted by place,
 * then a summary line.  Exit 0 without errors, 1 with errors, 2 on usage
 * or system errors (mandoc's -T lint).  With --fix, the safe fixes of the
 * lint are first made in the source files (each reported), then the
 * sources are checked as they now are.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "cmd.h"
#include "diag.h"
#include "form.h"
#include "lint.h"
#include "model.h"
#include "pia.h"

/* The safe fixes in every source file of the reports path names (messages of the load are dropped). */
static void
fix_sources(struct pia_diag *d, const struct pia_forms *fs, const char *path)
{
	struct pia_diag *scratch;
	struct pia_lint *L;
	struct pia_site *site;
	struct pia_report *report;
	struct stat st;
	size_t i, k;

	/* A path that is not there is reported once, by the check that follows. */
	if (stat(path, &st) != 0)
		return;
	/* First what the loader cannot read at all. */
	pia_fix_encodings(d, path);
	scratch = pia_diag_new();
	L = pia_lint_new(d, 0);
	if (L != NULL && pia_cmd_load(scratch, fs, path, &site, &report) == PIA_EXIT_OK) {
		for (i = 0; site != NULL && i < site->nreports; i++)
			for (k = 0; k < site->reports[i]->nfiles; k++)
				pia_lint_fix_file(L, site->reports[i]->files[k]);
		for (k = 0; report != NULL && k < report->nfiles; k++)
			pia_lint_fix_file(L, report->files[k]);
		pia_site_free(site);
		pia_report_free(report);
	}
	pia_lint_free(L);
	pia_diag_free(scratch);
}

enum { OPT_FIX, OPT_QUIET };

static const struct pia_cmd_opt check_opts[] = {
	[OPT_FIX] = { "fix", 0, 0, 0 },
	[OPT_QUIET] = { "quiet", 'q', 0, 0 },
	{ NULL, 0, 0, 0 }
};

static int
check(struct pia_cmd_ctx *ctx)
{
	struct pia_site *site;
	struct pia_report *report;
	int i, rc = PIA_EXIT_OK;

	ctx->quiet = ctx->opt[OPT_QUIET] != NULL;
	for (i = 0; ctx->opt[OPT_FIX] != NULL && i < ctx->nargs; i++)
		fix_sources(ctx->d, ctx->fs, ctx->args[i]);
	for (i = 0; i < ctx->nargs; i++) {
		if (pia_cmd_load(ctx->d, ctx->fs, ctx->args[i], &site, &report) != PIA_EXIT_OK)
			rc = PIA_EXIT_SYSTEM;
		/* Everything pia build, pia pdf and pia publish would refuse too. */
		pia_check_all(ctx->d, site, report, PIA_CHECK_ALL);
		pia_site_free(site);
		pia_report_free(report);
	}
	return rc == PIA_EXIT_OK ? pia_cmd_status(ctx->d) : rc;
}

static const struct pia_cmd check_cmd = {
	.name = "check",
	.help = "使い方: pia check [--fix] [--strict] [--forms DIR] [-q] PATH…\n"
	    "  PATH  コンテンツのフォルダー（site.xml のある所）、評価書のフォルダー、または report.xml\n"
	    "  --forms DIR  様式の定義をこのフォルダーから読む（新しい版の作成中に）\n"
	    "  --fix 安全な書き換え（令和1年→令和元年、ノーブレークスペース、縦書き用の文字、\n"
	    "        見えない文字、説明の書き方の揺れ、ローマ数字）を原稿にして、直した箇所を示す\n"
	    "  -q    問題がなければ何も表示しない\n"
	    "  --strict  警告もエラーと同じく終了コード 1 にする（build、pdf でも）\n"
	    "表示: ファイル:行:桁: error|warning: [コード] メッセージ\n"
	    "終了コード: 0 エラーなし / 1 エラーあり / 2 使い方・システムの誤り\n",
	.opts = check_opts,
	.min_args = 1,
	.max_args = INT_MAX,
	.flags = PIA_CMD_FORMS | PIA_CMD_STDOUT | PIA_CMD_SUMMARY,
	.run = check,
};

int
pia_cmd_check(int argc, char **argv)
{
	return pia_cmd_run(&check_cmd, argc, argv);
}
