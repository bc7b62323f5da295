/*
 * pia check PATH…: load and validate, print every message sorted by place,
 * then a summary line.  Exit 0 without errors, 1 with errors, 2 on usage
 * or system errors (mandoc's -T lint).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "form.h"
#include "model.h"
#include "pia.h"

static void
help(FILE *f)
{
	fputs("使い方: pia check [--forms DIR] [-q] PATH…\n"
	    "  PATH  コンテンツのフォルダー（site.xml のある所）、評価書のフォルダー、または report.xml\n"
	    "  --forms DIR  様式の定義をこのフォルダーから読む（新しい版の作成中に）\n"
	    "  -q    問題がなければ何も表示しない\n"
	    "表示: ファイル:行:桁: error|warning: [コード] メッセージ\n"
	    "終了コード: 0 エラーなし / 1 エラーあり / 2 使い方・システムの誤り\n", f);
}

int
pia_cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "forms", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 }
	};
	const char *formdir = NULL;
	struct pia_diag *d;
	struct pia_forms *fs;
	struct pia_site *site;
	struct pia_report *report;
	int c, i, rc = PIA_EXIT_OK, quiet = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1)
		switch (c) {
		case 'F':
			formdir = optarg;
			break;
		case 'h':
			help(stdout);
			return PIA_EXIT_OK;
		case 'q':
			quiet = 1;
			break;
		default:
			help(stderr);
			return PIA_EXIT_SYSTEM;
		}
	if (optind >= argc) {
		help(stderr);
		return PIA_EXIT_SYSTEM;
	}
	d = pia_diag_new();
	if ((fs = pia_forms_load(d, formdir)) == NULL) {
		pia_diag_print(d, stderr);
		pia_diag_free(d);
		return PIA_EXIT_SYSTEM;
	}
	for (i = optind; i < argc; i++) {
		if (pia_cmd_load(d, fs, argv[i], &site, &report) != PIA_EXIT_OK)
			rc = PIA_EXIT_SYSTEM;
		pia_site_free(site);
		pia_report_free(report);
	}
	if (rc == PIA_EXIT_OK)
		rc = pia_cmd_status(d);
	if (!quiet || pia_diag_count(d, PIA_LEVEL_ERROR) + pia_diag_count(d, PIA_LEVEL_WARNING) > 0) {
		pia_diag_print(d, stdout);
		pia_diag_summary(d, stdout);
	}
	pia_diag_free(d);
	pia_forms_free(fs);
	return rc;
}
