/*
 * pia import-changes FILE -o OUT: a 変更箇所一覧 exported from a
 * spreadsheet (UTF-8 or CP932, TSV or CSV) into pia's changes.xml
 * (pia(5)), through the history module (include/history.h).  Each problem
 * is printed as
 *   FILE:ROW:COLUMN: error|warning: [CODE] message
 * with ROW counted from 1 at the first data row and COLUMN the header's
 * name.
 */
#include <getopt.h>
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

static void
help(FILE *f)
{
	fputs("使い方: pia import-changes [--fix] [--form 基礎|重点|全項目] [--forms DIR] [-q] FILE -o OUT\n"
	    "  FILE  表計算ソフトから書き出した変更箇所一覧（UTF-8 の TSV または CSV）\n"
	    "        見出しの行: 変更日（またはページ）、項目、変更前の記載、変更後の記載、\n"
	    "        提出時期、提出時期に係る説明（ほかの列はそのまま残します）\n"
	    "  -o OUT  書き出す changes.xml（フォルダーならその中の changes.xml、- なら標準出力）\n"
	    "  --fix   安全な書き換え（令和1年→令和元年、ノーブレークスペース、縦書き用の文字、\n"
	    "          説明の書き方の揺れ、ローマ数字）をして、直した箇所を示す\n"
	    "  --form  項目が※の項目かを様式で確かめる\n"
	    "  -q      問題がなければ何も表示しない\n"
	    "表示: ファイル:行:列名: error|warning: [コード] メッセージ（行はデータの1行目を1と数えます）\n"
	    "終了コード: 0 エラーなし / 1 エラーあり / 2 使い方・システムの誤り\n", f);
}

int
pia_cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "fix", no_argument, NULL, 'x' },
		{ "form", required_argument, NULL, 'f' },
		{ "forms", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 }
	};
	struct pia_import I;
	struct pia_diag *d;
	struct pia_lint *L = NULL;
	struct pia_forms *fs = NULL;
	const struct pia_form *F = NULL;
	const char *out = NULL, *kind = NULL, *formdir = NULL, *file;
	char *xml = NULL, *target = NULL;
	int c, rc = PIA_EXIT_OK, quiet = 0, fix = 0, stdout_xml;
	FILE *msgs = stdout;
	struct stat st;

	memset(&I, 0, sizeof(I));
	optind = 1;
	while ((c = getopt_long(argc, argv, "ho:q", opts, NULL)) != -1)
		switch (c) {
		case 'x':
			fix = 1;
			break;
		case 'f':
			kind = optarg;
			break;
		case 'F':
			formdir = optarg;
			break;
		case 'h':
			help(stdout);
			return PIA_EXIT_OK;
		case 'o':
			out = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		default:
			help(stderr);
			return PIA_EXIT_SYSTEM;
		}
	if (optind + 1 != argc || out == NULL) {
		help(stderr);
		return PIA_EXIT_SYSTEM;
	}
	file = argv[optind];
	stdout_xml = strcmp(out, "-") == 0;
	d = pia_diag_new();
	if (stdout_xml)
		msgs = stderr;
	if (kind != NULL) {
		if ((fs = pia_forms_load(d, formdir)) == NULL ||
		    (F = pia_forms_find(fs, kind, NULL)) == NULL) {
			fprintf(stderr, "pia: 様式「%s」は定義されていません（基礎、重点、全項目）\n", kind);
			rc = PIA_EXIT_SYSTEM;
			goto out;
		}
	}
	if ((L = pia_lint_new(d, 0)) == NULL) {
		rc = PIA_EXIT_SYSTEM;
		goto done;
	}
	if ((c = pia_history_import(d, L, F, file, fix, &I)) != 0) {
		rc = c == -1 ? PIA_EXIT_INVALID : PIA_EXIT_SYSTEM;
		goto done;
	}
	/* No rows: writing would empty a history. */
	if (I.h.n == 0) {
		pia_diag(d, &(struct pia_pos){ file, 0, 0 }, PIA_MSG_IMP_EMPTY);
		goto done;
	}
	xml = pia_history_write(&I.h, "pia import-changes で読み込んだ変更箇所の履歴 (pia(5))");
	if (stdout_xml)
		target = NULL;
	else if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
		target = xasprintf("%s/changes.xml", out);
	else
		target = xstrdup(out);
	/* A list with errors never replaces a history (a new file keeps every row for fixing). */
	if (target != NULL && pia_diag_count(d, PIA_LEVEL_ERROR) > 0 && lstat(target, &st) == 0) {
		pia_diag(d, NULL, PIA_MSG_IMP_KEPT, target);
		goto done;
	}
	if (target != NULL && pia_history_save(d, target, xml, strlen(xml)) != 0)
		rc = PIA_EXIT_SYSTEM;
done:
	if (rc == PIA_EXIT_OK)
		rc = pia_cmd_status(d);
	if (!quiet || pia_diag_count(d, PIA_LEVEL_ERROR) + pia_diag_count(d, PIA_LEVEL_WARNING) > 0) {
		pia_history_import_print(&I, d, msgs);
		pia_diag_summary(d, msgs);
		fprintf(msgs, "変更箇所 %zu 行%s\n", I.h.n, stdout_xml ? "（標準出力）" : "");
	}
	fflush(msgs);
	if (xml != NULL && target == NULL && rc != PIA_EXIT_SYSTEM)
		fputs(xml, stdout);
out:
	free(xml);
	free(target);
	pia_lint_free(L);
	pia_history_import_free(&I);
	pia_diag_free(d);
	pia_forms_free(fs);
	return rc;
}
