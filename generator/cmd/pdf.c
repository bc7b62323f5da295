/*
 * pia pdf REPORT -o FILE.pdf: check one report and write its PDF in the
 * 様式 layout (or, with --risk-table, its 変更点リスク評価表).  With errors in the sources nothing is written (the file
 * stays as it was), unless --force asks for a draft anyway.  An output
 * that is a folder, or a source file of the content tree, is refused.
 */
#include <errno.h>
#include <strings.h>
#include <sys/stat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "check.h"
#include "cmd.h"
#include "diag.h"
#include "form.h"
#include "load.h"
#include "model.h"
#include "pdf.h"
#include "pia.h"
#include "util.h"

enum { OPT_OUTPUT, OPT_CHANGE_PAGES, OPT_RISK_TABLE, OPT_APPENDIX_BY_DATE, OPT_FORCE,
    OPT_TRACE, OPT_TIMING, OPT_FONT_MINCHO, OPT_FONT_GOTHIC };

static const struct pia_cmd_opt pdf_opts[] = {
	[OPT_OUTPUT] = { "output", 'o', 1, 1 },
	[OPT_CHANGE_PAGES] = { "change-pages", 0, 0, 0 },
	[OPT_RISK_TABLE] = { "risk-table", 0, 0, 0 },
	[OPT_APPENDIX_BY_DATE] = { "appendix-by-date", 0, 0, 0 },
	[OPT_FORCE] = { "force", 'f', 0, 0 },
	[OPT_TRACE] = { "trace", 0, 1, 0 },
	[OPT_TIMING] = { "timing", 0, 0, 0 },
	[OPT_FONT_MINCHO] = { "font-mincho", 0, 1, 0 },
	[OPT_FONT_GOTHIC] = { "font-gothic", 0, 1, 0 },
	{ NULL, 0, 0, 0 }
};

/*
 * Whether out may be written for the report at path, before anything is
 * loaded: not a folder (OUT_IS_DIR, for the PDF), and inside the content
 * tree of the report (its folder, or the content folder holding it) only a
 * name ending in .pdf outside published/ (OUT_SOURCE), so that neither -o
 * nor --trace ever writes over report.xml, a section or site.xml.
 * Returns 0, or -1 with the message in the sink.
 */
static int
check_output(struct pia_diag *d, const char *report, const char *out, int pdf)
{
	struct pia_pos pos = { out, 0, 0 };
	struct stat st;
	char *ro = pia_path_resolve(out), *rr = pia_path_resolve(report), *up, *ex;
	size_t n = strlen(out), lr;
	int rc = -1;

	if (ro == NULL || rr == NULL) {
		pia_diag(d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(errno));
		goto out;
	}
	if (pdf && (n == 0 || out[n - 1] == '/' ||
	    (stat(ro, &st) == 0 && S_ISDIR(st.st_mode)))) {
		while (n > 1 && out[n - 1] == '/')
			n--;
		ex = xasprintf("%.*s/評価書.pdf", (int)n, out);
		pia_diag(d, &pos, PIA_MSG_OUT_IS_DIR, ex);
		free(ex);
		goto out;
	}
	/* The report folder; the content folder when it holds reports/NAME/. */
	if (stat(rr, &st) == 0 && S_ISREG(st.st_mode))
		*strrchr(rr, '/') = '\0';
	up = xasprintf("%s/../../site.xml", rr);
	if (stat(up, &st) == 0) {
		*strrchr(up, '/') = '\0';
		free(rr);
		rr = pia_path_resolve(up);
	}
	free(up);
	if (rr != NULL && pia_path_relation(ro, rr) == PIA_PATH_INSIDE) {
		lr = strlen(rr);
		if ((n = strlen(ro)) < 5 || strcasecmp(ro + n - 4, ".pdf") != 0) {
			pia_diag(d, &pos, PIA_MSG_OUT_SOURCE, "PDF の名前（.pdf）ではありません");
			goto out;
		}
		if (strstr(ro + lr, "/published/") != NULL) {
			pia_diag(d, &pos, PIA_MSG_OUT_SOURCE, "公表した版（published/）の中です");
			goto out;
		}
	}
	rc = 0;
out:
	free(ro);
	free(rr);
	return rc;
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

/* -o and --trace checked before anything is loaded. */
static int
check_outputs(struct pia_cmd_ctx *ctx)
{
	if (check_output(ctx->d, ctx->args[0], ctx->opt[OPT_OUTPUT], 1) != 0 ||
	    (ctx->opt[OPT_TRACE] != NULL &&
	    check_output(ctx->d, ctx->args[0], ctx->opt[OPT_TRACE], 0) != 0))
		return PIA_EXIT_SYSTEM;
	return PIA_EXIT_OK;
}

static int
pdf(struct pia_cmd_ctx *ctx)
{
	struct pia_pdf_opts o = { 0 };
	struct pia_site *own = NULL;
	const char *trace = ctx->opt[OPT_TRACE];
	int i, rc, force = ctx->opt[OPT_FORCE] != NULL, written = 0;
	double tload = pia_clock_ms() - ctx->t0;
	char pages[64];

	o.change_pages = ctx->opt[OPT_CHANGE_PAGES] != NULL;
	o.risk_table = ctx->opt[OPT_RISK_TABLE] != NULL;
	o.sheet_by_date = ctx->opt[OPT_APPENDIX_BY_DATE] != NULL;
	o.font[0] = ctx->opt[OPT_FONT_MINCHO];
	o.font[1] = ctx->opt[OPT_FONT_GOTHIC];
	if (!force)
		ctx->kept = ctx->opt[OPT_OUTPUT];
	if (ctx->report == NULL) {
		/* Nothing loaded means errors; a content tree is the wrong thing to name. */
		if (ctx->site != NULL)
			pia_diag(ctx->d, NULL, PIA_MSG_USAGE_REPORT, ctx->args[0]);
		rc = ctx->site != NULL ? PIA_EXIT_SYSTEM : PIA_EXIT_INVALID;
	} else
		rc = pia_cmd_status(ctx->d);
	/* A report of a content tree: the PDF settings of its site.xml. */
	if (ctx->report != NULL && ctx->site == NULL &&
	    (own = pia_load_site_only(ctx->d, content_of(ctx->report->dir))) != NULL)
		ctx->report->site = own;
	if (ctx->report != NULL && (rc == PIA_EXIT_OK || force)) {
		o.draft = rc != PIA_EXIT_OK;
		/* No web page here to say HTML_IMAGE_ALT: the PDF says it. */
		o.image_alt = 1;
		if (trace != NULL && (o.trace = fopen(trace, "w")) == NULL) {
			pia_diag(ctx->d, &(struct pia_pos){ .file = trace }, PIA_MSG_SYS_OPEN,
			    strerror(errno));
			rc = PIA_EXIT_SYSTEM;
		} else if (pia_pdf_write_opts(ctx->d, ctx->report, ctx->opt[OPT_OUTPUT], &o) != 0) {
			/* The levels of what the writer reported decide; unexplained: the system's. */
			if ((rc = pia_cmd_status(ctx->d)) == PIA_EXIT_OK)
				rc = PIA_EXIT_SYSTEM;
		} else
			written = 1;
		if (o.trace != NULL && fclose(o.trace) != 0 && rc == PIA_EXIT_OK)
			rc = PIA_EXIT_SYSTEM;
	}
	/* The messages before the timing lines. */
	pia_diag_print(ctx->d, stderr);
	/* What was written where, after the messages: the clerk's one line (as pia build's). */
	if (written && (rc == PIA_EXIT_OK || o.draft))
		pia_diag_summary_pdf(ctx->d, stderr, ctx->opt[OPT_OUTPUT],
		    o.risk_table ? "変更点リスク評価表の PDF" : "PDF", o.pages, o.draft);
	if (ctx->opt[OPT_TIMING] != NULL) {
		pia_diag_timing(stderr, "読み込みと検査", tload, "");
		for (i = 0; i < PIA_PDF__PHASES; i++)
			pia_diag_timing(stderr, pia_pdf_phase_names[i], o.ms[i], "");
		snprintf(pages, sizeof(pages), "（%u ページ）", o.pages);
		pia_diag_timing(stderr, "合計", pia_clock_ms() - ctx->t0, pages);
	}
	if (own != NULL) {
		ctx->report->site = NULL;
		pia_site_free(own);
	}
	return rc;
}

static const struct pia_cmd pdf_cmd = {
	.name = "pdf",
	.help = "使い方: pia pdf [--forms DIR] [--change-pages | --risk-table] [--appendix-by-date] [--force] [--strict] 評価書のフォルダー -o 出力.pdf\n"
	    "  評価書を検査してから、様式どおりの A4 の PDF を書きます。\n"
	    "  --change-pages  変更箇所に、変更した項目が載っているページの欄を付けます\n"
	    "  --appendix-by-date\n"
	    "                  長い変更前・変更後を、行ごとの別紙ではなく記載日ごとの別紙に\n"
	    "                  まとめます（site.xml の <PDF 変更箇所の別紙=\"記載日ごと\"/> と同じ）\n"
	    "  --risk-table    評価書ではなく、変更点リスク評価表（changes.xml の変更理由・\n"
	    "                  リスク変化・リスク変化の状況・リスク対策）を書きます\n"
	    "  --force         エラーがあっても書きます（下書きの確認用）\n"
	    "  --strict        警告もエラーとして扱います（何も書きません）\n"
	    "  --font-mincho FILE, --font-gothic FILE\n"
	    "                  IPAex 明朝・ゴシックの .ttf（既定は fonts-ipaexfont の場所）\n"
	    "  --trace FILE    描いた文字列をすべて FILE に書きます（テスト用）\n"
	    "  --timing        段階ごとにかかった時間を標準エラーに示します\n"
	    "  エラーがあれば何も書きません（前の PDF はそのまま残ります）。\n"
	    "  書き終えたら、書いたファイルとページ数、警告の数を1行で示します。\n",
	.opts = pdf_opts,
	.min_args = 1,
	.max_args = 1,
	.flags = PIA_CMD_FORMS | PIA_CMD_LOAD,
	/* The writer checks the glyphs and images of the PDF itself. */
	.checks = PIA_CHECK_MODEL,
	.pre = check_outputs,
	.run = pdf,
};

int
pia_cmd_pdf(int argc, char **argv)
{
	return pia_cmd_run(&pdf_cmd, argc, argv);
}
