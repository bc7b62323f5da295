/*
 * pia build CONTENT -o OUT [--theme DIR]: validate the content tree and
 * write the site (site/site.c: the pages through the theme, the PDFs, the
 * search index, the feed and the sitemap).  Output is written to OUT.tmp beside
 * OUT and renamed over it only when everything succeeded, so a failed
 * build keeps the old site.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "diag.h"
#include "form.h"
#include "model.h"
#include "pia.h"
#include "site.h"
#include "util.h"

static void
help(FILE *f)
{
	fputs("使い方: pia build [--strict] [--forms DIR] [--theme DIR] コンテンツのフォルダー -o 出力フォルダー\n"
	    "  検査してからウェブページ一式を出力フォルダーに書きます。\n"
	    "  エラーがあれば何も書き換えません（前回の出力はそのまま残ります）。\n"
	    "  --theme DIR  themes/default を写して作ったテーマを使います\n"
	    "               （ヘッダー、フッター、ロゴ、色。ないファイルは既定のテーマから）\n", f);
}

int
pia_cmd_build(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "forms", required_argument, NULL, 'F' },
		{ "theme", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *out = NULL, *formdir = NULL, *theme = NULL;
	struct pia_diag *d;
	struct pia_forms *fs;
	struct pia_site *site;
	struct pia_report *report;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1)
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'F':
			formdir = optarg;
			break;
		case 'T':
			theme = optarg;
			break;
		case 'h':
			help(stdout);
			return PIA_EXIT_OK;
		default:
			help(stderr);
			return PIA_EXIT_SYSTEM;
		}
	if (out == NULL || optind + 1 != argc) {
		help(stderr);
		return PIA_EXIT_SYSTEM;
	}
	if (pia_cmd_begin(formdir, &d, &fs) != PIA_EXIT_OK)
		return PIA_EXIT_SYSTEM;
	rc = pia_cmd_load(d, fs, argv[optind], &site, &report);
	if (rc == PIA_EXIT_OK && site == NULL) {
		if (report == NULL)
			rc = pia_cmd_status(d);
		if (rc == PIA_EXIT_OK) {
			fprintf(stderr, "pia: %s: site.xml のあるコンテンツのフォルダーを指定してください\n",
			    argv[optind]);
			rc = PIA_EXIT_SYSTEM;
		}
	}
	if (rc == PIA_EXIT_OK) {
		pia_site_check(d, site);
		rc = pia_cmd_status(d);
	}
	pia_diag_print(d, stderr);
	if (rc == PIA_EXIT_OK && pia_site_write(d, site, out, theme) != 0) {
		/* The levels of what the writers reported decide; unexplained: the system's. */
		if ((rc = pia_cmd_status(d)) == PIA_EXIT_OK)
			rc = PIA_EXIT_SYSTEM;
		pia_diag_print(d, stderr);
	}
	if (rc == PIA_EXIT_INVALID)
		fprintf(stderr, "pia: エラーがあるため %s は書き換えていません\n", out);
	pia_site_free(site);
	pia_report_free(report);
	pia_forms_free(fs);
	pia_diag_free(d);
	return rc;
}
