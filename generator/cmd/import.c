/*
 * pia import-changes FILE -o OUT: a 変更箇所一覧 exported from a
 * spreadsheet (UTF-8 or CP932, TSV or CSV) into pia's changes.xml
 * (pia(5)), through the history module (include/history.h).  Each problem
 * is printed as
 *   FILE:ROW:COLUMN: error|warning: [CODE] message
 * with ROW counted from 1 at the first data row and COLUMN the header's
 * name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "diag.h"
#include "form.h"
#include "history.h"
#include "lint.h"
#include "pia.h"
#include "util.h"

enum { OPT_FIX, OPT_FORM, OPT_OUTPUT, OPT_QUIET };

static const struct pia_cmd_opt import_opts[] = {
	[OPT_FIX] = { "fix", 0, 0, 0 },
	[OPT_FORM] = { "form", 0, 1, 0 },
	[OPT_OUTPUT] = { "output", 'o', 1, 1 },
	[OPT_QUIET] = { "quiet", 'q', 0, 0 },
	{ NULL, 0, 0, 0 }
};

/* The history written to out: a file, FOLDER/changes.xml, or NULL for stdout ("-"). */
static char *
target_of(const char *out)
{
	struct stat st;

	if (strcmp(out, "-") == 0)
		return NULL;
	if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
		return xasprintf("%s/changes.xml", out);
	return xstrdup(out);
}

static int
import(struct pia_cmd_ctx *ctx)
{
	struct pia_import I;
	struct pia_lint *L = NULL;
	const struct pia_form *F = NULL;
	const char *file = ctx->args[0], *kind = ctx->opt[OPT_FORM];
	char *xml = NULL, *target = target_of(ctx->opt[OPT_OUTPUT]);
	int c, rc = PIA_EXIT_OK;
	/* With the history on stdout, the messages go to stderr. */
	FILE *msgs = target == NULL ? stderr : stdout;
	struct stat st;

	if (kind != NULL && (F = pia_forms_find(ctx->fs, kind, NULL)) == NULL) {
		pia_diag(ctx->d, NULL, PIA_MSG_USAGE_FORM, kind);
		free(target);
		return PIA_EXIT_SYSTEM;
	}
	memset(&I, 0, sizeof(I));
	if ((L = pia_lint_new(ctx->d, 0)) == NULL)
		rc = PIA_EXIT_SYSTEM;
	else if ((c = pia_history_import(ctx->d, L, F, file, ctx->opt[OPT_FIX] != NULL, &I)) != 0)
		rc = c == -1 ? PIA_EXIT_INVALID : PIA_EXIT_SYSTEM;
	else if (I.h.n == 0)
		/* No rows: writing would empty a history. */
		pia_diag(ctx->d, &(struct pia_pos){ file, 0, 0 }, PIA_MSG_IMP_EMPTY);
	else {
		xml = pia_history_write(&I.h, "pia import-changes で読み込んだ変更箇所の履歴 (pia(5))");
		/* A list with errors never replaces a history (a new file keeps every row for fixing). */
		if (target != NULL && pia_diag_count(ctx->d, PIA_LEVEL_ERROR) > 0 &&
		    lstat(target, &st) == 0)
			pia_diag(ctx->d, NULL, PIA_MSG_IMP_KEPT, target);
		else if (target != NULL && pia_history_save(ctx->d, target, xml, strlen(xml)) != 0)
			rc = PIA_EXIT_SYSTEM;
	}
	if (rc == PIA_EXIT_OK)
		rc = pia_cmd_status(ctx->d);
	if (ctx->opt[OPT_QUIET] == NULL ||
	    pia_diag_count(ctx->d, PIA_LEVEL_ERROR) + pia_diag_count(ctx->d, PIA_LEVEL_WARNING) > 0) {
		/* Places as staff find them in the spreadsheet: ROW:COLUMN-NAME. */
		pia_diag_set_place(ctx->d, pia_history_import_place, &I);
		pia_diag_print(ctx->d, msgs);
		pia_diag_set_place(ctx->d, NULL, NULL);
		pia_diag_summary(ctx->d, msgs);
		fprintf(msgs, "変更箇所 %zu 行%s\n", I.h.n, target == NULL ? "（標準出力）" : "");
	}
	fflush(msgs);
	if (xml != NULL && target == NULL && rc != PIA_EXIT_SYSTEM)
		fputs(xml, stdout);
	free(xml);
	free(target);
	pia_lint_free(L);
	pia_history_import_free(&I);
	return rc;
}

static const struct pia_cmd import_cmd = {
	.name = "import-changes",
	.help = "使い方: pia import-changes [--fix] [--form 基礎|重点|全項目] [--forms DIR] [-q] FILE -o OUT\n"
	    "  FILE  表計算ソフトから書き出した変更箇所一覧（UTF-8 の TSV または CSV）\n"
	    "        見出しの行: 変更日（またはページ）、項目、変更前の記載、変更後の記載、\n"
	    "        提出時期、提出時期に係る説明（ほかの列はそのまま残します）\n"
	    "  -o OUT  書き出す changes.xml（フォルダーならその中の changes.xml、- なら標準出力）\n"
	    "  --fix   安全な書き換え（令和1年→令和元年、ノーブレークスペース、縦書き用の文字、\n"
	    "          説明の書き方の揺れ、ローマ数字）をして、直した箇所を示す\n"
	    "  --form  項目が※の項目かを様式で確かめる\n"
	    "  -q      問題がなければ何も表示しない\n"
	    "表示: ファイル:行:列名: error|warning: [コード] メッセージ（行はデータの1行目を1と数えます）\n"
	    "終了コード: 0 エラーなし / 1 エラーあり / 2 使い方・システムの誤り\n",
	.opts = import_opts,
	.min_args = 1,
	.max_args = 1,
	.flags = PIA_CMD_FORMS,
	.run = import,
};

int
pia_cmd_import(int argc, char **argv)
{
	return pia_cmd_run(&import_cmd, argc, argv);
}
