/*
 * The official printed PDF of a report: the 様式 layout on A4 portrait
 * (cover, 項目一覧, the ruled grid of every section, 別添/別紙, 変更箇所),
 * Japanese line breaking, IPAex Mincho and Gothic embedded and subset.
 * May be included by the commands and the site writer; the renderer's
 * internals are in generator/pdf/pdf_int.h.
 */
#ifndef PIA_PDF_H
#define PIA_PDF_H

#include <stddef.h>
#include <stdio.h>

struct pia_diag;
struct pia_report;

/* Phases of the PDF writer, timed for pia pdf --timing and make bench. */
enum pia_pdf_phase {
	PIA_PDF_FONTS,		/* reading the IPAex width tables */
	PIA_PDF_GLYPHS,		/* characters the fonts lack */
	PIA_PDF_BUILD,		/* the model as rows and paragraphs */
	PIA_PDF_PAGINATE,	/* line breaking, layout and page breaks */
	PIA_PDF_SUBSET,		/* hb-subset and loading the subsets into libharu */
	PIA_PDF_DRAW,		/* pages, links and bookmarks */
	PIA_PDF_SAVE,		/* deflate and writing the file */
	PIA_PDF__PHASES
};
extern const char *const pia_pdf_phase_names[PIA_PDF__PHASES];

struct pia_pdf_opts {
	int		 change_pages;	/* 変更箇所 with a ページ column (川口市's variant) */
	int		 sheet_by_date;	/* long 変更箇所 texts on one 別紙 per 記載日 (also site.xml) */
	int		 risk_table;	/* write the 変更点リスク評価表 instead of the report */
	int		 draft;		/* made despite errors: 下書き on every page and in the metadata */
	int		 image_alt;	/* PDF_IMAGE_ALT for images without alt text (pia pdf;
					   pia build and check say HTML_IMAGE_ALT) */
	FILE		*trace;		/* tests: each text drawn, "V<TAB>text" (from the
					   sources) or "L<TAB>text" (layout), one a line */
	const char	*font[2];	/* IPAex Mincho and Gothic .ttf, NULL: Debian's */
	const char	*shown;		/* the path named in messages, NULL: the one written
					   (pia build writes into a temporary folder) */
	unsigned	 pages;		/* out: pages written */
	double		 ms[PIA_PDF__PHASES];	/* out: wall time of each phase */
};

/*
 * Report, as PDF_GLYPH at file:line:col, every character of the sources of
 * n reports that the PDF fonts cannot draw: characters above U+FFFF
 * (libharu draws them as spaces), variation selectors, private use, emoji,
 * control characters; images the PDF cannot embed as PDF_IMAGE.  The
 * fonts are read once; each report's messages carry its slug.
 * pia_pdf_write() checks its report first and draws nothing when it finds
 * any.  A font that cannot be loaded is reported as PDF_FONT.
 */
void	pia_pdf_check_reports(struct pia_diag *, const struct pia_report *const *,
	    size_t n);

/* 1 when a row of the report's history has a column of the 変更点リスク評価表. */
int	pia_pdf_has_risk(const struct pia_report *);

/*
 * Write the PDF of a loaded, checked report to path, atomically (a
 * temporary file beside path, renamed over it; on failure path is left as
 * it was).  The bytes depend only on the sources: dates come from the
 * 公表日 (or SOURCE_DATE_EPOCH when set), the /ID from the content.
 * Problems go to the sink; returns 0, or -1 when nothing was written.
 * opts may be NULL.  With opts->risk_table, the document is the
 * 変更点リスク評価表 of the history instead (PDF_NO_RISK when no row has
 * its columns).
 */
int	pia_pdf_write(struct pia_diag *, const struct pia_report *,
	    const char *path);
int	pia_pdf_write_opts(struct pia_diag *, const struct pia_report *,
	    const char *path, struct pia_pdf_opts *);

#endif
