/*
 * pia build CONTENT -o OUT [--theme DIR]: validate the content tree and
 * write the site (site/site.c: the pages through the theme, the PDFs, the
 * search index, the feed and the sitemap).  Output is written to a
 * temporary folder beside OUT and renamed over it only when everything
 * succeeded, so a failed build keeps the old site; an OUT that is, holds
 * or lies in the content tree is refused before anything is read.
 */
#include <stdio.h>

#include "check.h"
#include "cmd.h"
#include "diag.h"
#include "form.h"
#include "model.h"
#include "pia.h"
#include "site.h"
#include "util.h"

enum { OPT_OUTPUT, OPT_THEME };

static const struct pia_cmd_opt build_opts[] = {
	[OPT_OUTPUT] = { "output", 'o', 1, 1 },
	[OPT_THEME] = { "theme", 0, 1, 0 },
	{ NULL, 0, 0, 0 }
};

/* Refused before loading: an output over the sources would delete them. */
static int
check_output(struct pia_cmd_ctx *ctx)
{
	return pia_site_check_output(ctx->d, ctx->args[0], ctx->opt[OPT_OUTPUT]) != 0 ?
	    PIA_EXIT_SYSTEM : PIA_EXIT_OK;
}

static int
build(struct pia_cmd_ctx *ctx)
{
	const char *out = ctx->opt[OPT_OUTPUT];
	int rc;

	ctx->kept = out;
	if (ctx->site == NULL) {
		/* A report folder: its errors first, else it is the wrong thing to name. */
		if (ctx->report == NULL && (rc = pia_cmd_status(ctx->d)) != PIA_EXIT_OK)
			return rc;
		pia_diag(ctx->d, NULL, PIA_MSG_USAGE_SITE, ctx->args[0]);
		return PIA_EXIT_SYSTEM;
	}
	if ((rc = pia_cmd_status(ctx->d)) != PIA_EXIT_OK)
		return rc;
	pia_diag_print(ctx->d, stderr);
	if (pia_site_write(ctx->d, ctx->site, out, ctx->opt[OPT_THEME]) != 0) {
		/* The levels of what the writers reported decide; unexplained: the system's. */
		if ((rc = pia_cmd_status(ctx->d)) == PIA_EXIT_OK)
			rc = PIA_EXIT_SYSTEM;
		return rc;
	}
	return PIA_EXIT_OK;
}

static const struct pia_cmd build_cmd = {
	.name = "build",
	.help = "使い方: pia build [--strict] [--forms DIR] [--theme DIR] コンテンツのフォルダー -o 出力フォルダー\n"
	    "  検査してからウェブページ一式を出力フォルダーに書きます。\n"
	    "  エラーがあれば何も書き換えません（前回の出力はそのまま残ります）。\n"
	    "  --strict     警告もエラーとして扱います（何も書き換えません）\n"
	    "  --theme DIR  themes/default を写して作ったテーマを使います\n"
	    "               （ヘッダー、フッター、ロゴ、色。ないファイルは既定のテーマから）\n",
	.opts = build_opts,
	.min_args = 1,
	.max_args = 1,
	.flags = PIA_CMD_FORMS | PIA_CMD_LOAD,
	.checks = PIA_CHECK_MODEL | PIA_CHECK_HTML,
	.pre = check_output,
	.run = build,
};

int
pia_cmd_build(int argc, char **argv)
{
	return pia_cmd_run(&build_cmd, argc, argv);
}
