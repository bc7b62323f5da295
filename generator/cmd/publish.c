/*
 * pia publish REPORT_DIR --date 令和X年Y月Z日: publish a version of a
 * report (the history module does it: changes/history_publish.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "diag.h"
#include "history.h"
#include "pia.h"
#include "util.h"

enum { OPT_CORRECT, OPT_DATE, OPT_DRY_RUN, OPT_FIRST };

static const struct pia_cmd_opt publish_opts[] = {
	[OPT_CORRECT] = { "correct", 0, 0, 0 },
	[OPT_DATE] = { "date", 0, 1, 1 },
	[OPT_DRY_RUN] = { "dry-run", 'n', 0, 0 },
	[OPT_FIRST] = { "first", 0, 0, 0 },
	{ NULL, 0, 0, 0 }
};

static int
publish(struct pia_cmd_ctx *ctx)
{
	struct pia_publish P;
	char *dir, *path;
	size_t n;
	int rc;

	memset(&P, 0, sizeof(P));
	P.date = ctx->opt[OPT_DATE];
	P.first = ctx->opt[OPT_FIRST] != NULL;
	P.correct = ctx->opt[OPT_CORRECT] != NULL;
	P.dry = ctx->opt[OPT_DRY_RUN] != NULL;
	P.fs = ctx->fs;
	/* A first version has none before it to correct. */
	if (P.first && P.correct)
		return pia_cmd_usage(ctx, PIA_MSG_USAGE_CONFLICT, "--first", "--correct");
	dir = xstrdup(ctx->args[0]);
	for (n = strlen(dir); n > 1 && dir[n - 1] == '/';)
		dir[--n] = '\0';
	P.dir = dir;
	path = xasprintf("%s/report.xml", dir);
	if (access(path, F_OK) != 0) {
		pia_diag(ctx->d, NULL, PIA_MSG_USAGE_REPORT, dir);
		rc = PIA_EXIT_SYSTEM;
	} else
		rc = pia_history_publish(&P);
	free(path);
	free(dir);
	return rc;
}

static const struct pia_cmd publish_cmd = {
	.name = "publish",
	.help = "使い方: pia publish [--first | --correct] [-n] [--forms DIR] --date 令和X年Y月Z日 REPORT_DIR\n"
	    "  前回公表した版（REPORT_DIR/published/YYYY-MM-DD/）と今の原稿を比べ、変更箇所の行を\n"
	    "  changes.xml に加えます（提出時期・説明・理由は提案。確認=\"要\" を付けます）。\n"
	    "  確認=\"要\" の行があるうちは公表しません（終了コード 1）。行を確かめて 確認=\"要\" を\n"
	    "  消し、同じコマンドをもう一度実行すると、今の版を published/YYYY-MM-DD/ に保存します。\n"
	    "  日付は評価書の公表日と同じにします。\n"
	    "  --first    最初の公表（前の版がない）\n"
	    "  --correct  同じ日に公表した版を訂正する（前の版は YYYY-MM-DD.訂正前N/ に残します）\n"
	    "  -n, --dry-run  書き込まず、加える行を表示する\n"
	    "終了コード: 0 公表した / 1 原稿の誤り・確認=\"要\" の行がある・公表できない / 2 使い方・システムの誤り\n",
	.opts = publish_opts,
	.min_args = 1,
	.max_args = 1,
	.flags = PIA_CMD_FORMS,
	.run = publish,
};

int
pia_cmd_publish(int argc, char **argv)
{
	return pia_cmd_run(&publish_cmd, argc, argv);
}
