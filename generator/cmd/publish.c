/*
 * pia publish REPORT_DIR --date 令和X年Y月Z日: publish a version of a
 * report (the history module does it: changes/history_publish.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "history.h"
#include "pia.h"
#include "util.h"

static void
help(FILE *f)
{
	fputs("使い方: pia publish [--first | --correct] [-n] [--forms DIR] --date 令和X年Y月Z日 REPORT_DIR\n"
	    "  前回公表した版（REPORT_DIR/published/YYYY-MM-DD/）と今の原稿を比べ、変更箇所の行を\n"
	    "  changes.xml に加えます（提出時期・説明・理由は提案。確認=\"要\" を付けます）。\n"
	    "  確認=\"要\" の行があるうちは公表しません（終了コード 1）。行を確かめて 確認=\"要\" を\n"
	    "  消し、同じコマンドをもう一度実行すると、今の版を published/YYYY-MM-DD/ に保存します。\n"
	    "  日付は評価書の公表日と同じにします。\n"
	    "  --first    最初の公表（前の版がない）\n"
	    "  --correct  同じ日に公表した版を訂正する（前の版は YYYY-MM-DD.訂正前N/ に残します）\n"
	    "  -n, --dry-run  書き込まず、加える行を表示する\n"
	    "終了コード: 0 公表した / 1 原稿の誤り・確認=\"要\" の行がある・公表できない / 2 使い方・システムの誤り\n", f);
}

int
pia_cmd_publish(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "correct", no_argument, NULL, 'c' },
		{ "date", required_argument, NULL, 'd' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "first", no_argument, NULL, '1' },
		{ "forms", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct pia_publish P;
	char *dir, *path;
	size_t n;
	int c, rc;

	memset(&P, 0, sizeof(P));
	optind = 1;
	while ((c = getopt_long(argc, argv, "hn", opts, NULL)) != -1)
		switch (c) {
		case 'c':
			P.correct = 1;
			break;
		case 'd':
			P.date = optarg;
			break;
		case 'n':
			P.dry = 1;
			break;
		case '1':
			P.first = 1;
			break;
		case 'F':
			P.formdir = optarg;
			break;
		case 'h':
			help(stdout);
			return PIA_EXIT_OK;
		default:
			help(stderr);
			return PIA_EXIT_SYSTEM;
		}
	if (argc - optind != 1 || P.date == NULL || (P.first && P.correct)) {
		help(stderr);
		return PIA_EXIT_SYSTEM;
	}
	dir = xstrdup(argv[optind]);
	for (n = strlen(dir); n > 1 && dir[n - 1] == '/';)
		dir[--n] = '\0';
	P.dir = dir;
	path = xasprintf("%s/report.xml", dir);
	if (access(path, F_OK) != 0) {
		fprintf(stderr, "pia: %s: 評価書のフォルダー（report.xml のある所）ではありません\n", dir);
		rc = PIA_EXIT_SYSTEM;
	} else
		rc = pia_history_publish(&P);
	free(path);
	free(dir);
	return rc;
}
