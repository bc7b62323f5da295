/*
 * pia pdf REPORT -o FILE.pdf: check one report and write its PDF in the
 * 様式 layout (or, with --risk-table, its 変更点リスク評価表).  With errors in the sources nothing is written (the file
 * stays as it was), unless --force asks for a draft anyway.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "form.h"
#include "load.h"
#include "model.h"
#include "pdf.h"
#include "pia.h"
#include "util.h"

static void
help(FILE *f)
{
	fputs("使い方: pia pdf [--forms DIR] [--change-pages | --risk-table] [--appendix-by-date] [--force] [--strict] 評価書のフォルダー -o 出力.pdf\n"
	    "  評価書を検査してから、様式どおりの A4 の PDF を書きます。\n"
	    "  --change-pages  変更箇所に、変更した項目が載っているページの欄を付けます\n"
	    "  --appendix-by-date\n"
	    "                  長い変更前・変更後を、行ごとの別紙ではなく記載日ごとの別紙に\n"
	    "                  まとめます（site.xml の <PDF 変更箇所の別紙=\"記載日ごと\"/> と同じ）\n"
	    "  --risk-table    評価書ではなく、変更点リスク評価表（changes.xml の変更理由・\n"
	    "                  リスク変化・リスク変化の状況・リスク対策）を書きます\n"
	    "  --force         エラーがあっても書きます（下書きの確認用）\n"
	    "  --font-mincho FILE, --font-gothic FILE\n"
	    "                  IPAex 明朝・ゴシックの .ttf（既定は fonts-ipaexfont の場所）\n"
	    "  --trace FILE    描いた文字列をすべて FILE に書きます（テスト用）\n"
	    "  --timing        段階ごとにかかった時間を標準エラーに示します\n"
	    "  エラーがあれば何も書きません（前の PDF はそのまま残ります）。\n", f);
}

/* One line of --timing: the name padded to 20 columns (kanji count two). */
static void
phase(const char *name, double ms, const char *note)
{
	size_t		 i = 0, k, cols = 0;
	uint32_t	 cp;

	while (name[i] != '\0') {
		k = pia_utf8_decode(name + i, strlen(name + i), &cp);
		i += k ? k : 1;
		cols += pia_cp_is_wide(cp) ? 2 : 1;
	}
	fprintf(stderr, "%s%*s %8.1f ms%s\n", name,
	    (int)(cols < 20 ? 20 - cols : 0), "", ms, note);
}

/* The content tree a report folder sits in: DIR/../.. as a short path (static). */
static const char *
content_of(const char *dir)
{
	static char	 buf[4096];
	char		*s;
	int		 k;

	snprintf(buf, sizeof(buf), "%s", dir);
	for (k = 0; k < 2; k++)
		if ((s = strrchr(buf, '/')) != NULL && s != buf &&
		    strcmp(s, "/.") != 0 && strcmp(s, "/..") != 0)
			*s = '\0';
		else {
			snprintf(buf, sizeof(buf), "%s/../..", dir);
			break;
		}
	return buf;
}

int
pia_cmd_pdf(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "forms", required_argument, NULL, 'F' },
		{ "change-pages", no_argument, NULL, 'p' },
		{ "risk-table", no_argument, NULL, 'R' },
		{ "appendix-by-date", no_argument, NULL, 'A' },
		{ "force", no_argument, NULL, 'f' },
		{ "trace", required_argument, NULL, 'T' },
		{ "timing", no_argument, NULL, 't' },
		{ "font-mincho", required_argument, NULL, 'M' },
		{ "font-gothic", required_argument, NULL, 'G' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct pia_pdf_opts o = { 0 };
	const char *out = NULL, *formdir = NULL, *trace = NULL;
	struct pia_diag *d;
	struct pia_forms *fs;
	struct pia_site *site, *own = NULL;
	struct pia_report *report;
	double t0 = pia_clock_ms(), tload = 0;
	char pages[64];
	int c, i, rc, force = 0, timing = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:fh", opts, NULL)) != -1)
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'F':
			formdir = optarg;
			break;
		case 'p':
			o.change_pages = 1;
			break;
		case 'R':
			o.risk_table = 1;
			break;
		case 'A':
			o.sheet_by_date = 1;
			break;
		case 'f':
			force = 1;
			break;
		case 'T':
			trace = optarg;
			break;
		case 't':
			timing = 1;
			break;
		case 'M':
			o.font[0] = optarg;
			break;
		case 'G':
			o.font[1] = optarg;
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
	if (rc == PIA_EXIT_OK && report == NULL) {
		if (site != NULL)
			fprintf(stderr, "pia: %s: 評価書のフォルダー（report.xml のある所）を指定してください\n",
			    argv[optind]);
		rc = site != NULL ? PIA_EXIT_SYSTEM : pia_cmd_status(d);
		if (rc == PIA_EXIT_OK)
			rc = PIA_EXIT_INVALID;
	}
	if (rc == PIA_EXIT_OK)
		rc = pia_cmd_status(d);
	/* A report of a content tree: the PDF settings of its site.xml. */
	if (report != NULL && site == NULL &&
	    (own = pia_load_site_only(d, content_of(report->dir))) != NULL)
		report->site = own;
	tload = pia_clock_ms() - t0;
	if (report != NULL && (rc == PIA_EXIT_OK ||
	    (rc == PIA_EXIT_INVALID && force))) {
		o.draft = rc != PIA_EXIT_OK;
		if (trace != NULL && (o.trace = fopen(trace, "w")) == NULL) {
			perror(trace);
			rc = PIA_EXIT_SYSTEM;
		} else if (pia_pdf_write_opts(d, report, out, &o) != 0) {
			/* The levels of what the writer reported decide; unexplained: the system's. */
			if ((rc = pia_cmd_status(d)) == PIA_EXIT_OK)
				rc = PIA_EXIT_SYSTEM;
		}
		if (o.trace != NULL && fclose(o.trace) != 0 && rc == PIA_EXIT_OK)
			rc = PIA_EXIT_SYSTEM;
	}
	pia_diag_print(d, stderr);
	if (timing) {
		phase("読み込みと検査", tload, "");
		for (i = 0; i < PIA_PDF__PHASES; i++)
			phase(pia_pdf_phase_names[i], o.ms[i], "");
		snprintf(pages, sizeof(pages), "（%u ページ）", o.pages);
		phase("合計", pia_clock_ms() - t0, pages);
	}
	if (rc == PIA_EXIT_INVALID && !force)
		fprintf(stderr, "pia: エラーがあるため %s は書いていません\n", out);
	pia_site_free(site);
	pia_report_free(report);
	pia_site_free(own);
	pia_forms_free(fs);
	pia_diag_free(d);
	return rc;
}
