/*
 * Validation after loading, the one pass every command runs: the values
 * as written against their types (check/values.c), the 変更箇所 history,
 * per-type checks of every value (required, placeholders, dates against
 * 公表日, cross-references), the form's cross-field rules (<rule kind=…>,
 * check/rules.c), the lint, what spans the city.  The loader only reads;
 * every judgment of the sources is here.  Reads the model, never changes
 * it; problems go to the sink.
 * Not for renderers.
 */
#ifndef PIA_CHECK_H
#define PIA_CHECK_H

#include "model.h"

struct pia_diag;

/*
 * What pia_check_all runs.  Every command that reads sources runs this
 * one pass after loading them, with what its outputs need: pia check,
 * pia serve and pia publish everything, pia build the model and the web
 * pages, pia pdf the model (the PDF writer checks its glyphs itself);
 * at least PIA_CHECK_WRITTEN, which says what the loader could not read.
 */
#define PIA_CHECK_WRITTEN	0x20	/* the values as written: types (pia_check_values) */
#define PIA_CHECK_HISTORY	0x01	/* the 変更箇所 rows (pia_check_changes) */
#define PIA_CHECK_VALUES	0x02	/* every value, the form's rules, the lint (pia_check_report) */
#define PIA_CHECK_SITE		0x04	/* across the city (pia_check_site); a report
					   alone: against its r->site, when set */
#define PIA_CHECK_HTML		0x08	/* links and images of the web pages (HTML_*) */
#define PIA_CHECK_PDF		0x10	/* glyphs and images of the PDF (PDF_GLYPH, PDF_IMAGE) */
#define PIA_CHECK_MODEL		(PIA_CHECK_WRITTEN | PIA_CHECK_HISTORY | PIA_CHECK_VALUES | \
				 PIA_CHECK_SITE)
#define PIA_CHECK_ALL		(PIA_CHECK_MODEL | PIA_CHECK_HTML | PIA_CHECK_PDF)

/*
 * The checks of what on the loaded site (every report) or, with site NULL,
 * on one report (check/all.c).  Messages about a report carry its slug
 * (pia_diag_report).  Either may be NULL.
 */
struct pia_site;
void	pia_check_all(struct pia_diag *, const struct pia_site *, const struct pia_report *,
	    unsigned what);

/*
 * The part of pia_check_all that looks at one report alone (WRITTEN, then
 * HISTORY, then VALUES of what), in its order: also run by pia build for
 * the reports whose messages it has not kept from the last build.
 */
void	pia_check_one(struct pia_diag *, const struct pia_report *, unsigned what);

/*
 * The values of a loaded report as written, against their types: VAL_*
 * (choices, counts, 全角 digits, boxes, table widths, repeat maxima) and
 * DATE_* of its items and of its history's 変更日, MD_FOOTNOTE_* of its
 * Markdown's footnotes (check/values.c, PIA_CHECK_WRITTEN).
 */
void	pia_check_values(struct pia_diag *, const struct pia_report *);

/*
 * The 変更日 of change rows as written (VAL_FULLWIDTH, DATE_* at w's
 * positions; none with PIA_CHG_F_NODATE).  Shared with pia import-changes.
 */
void	pia_check_change_dates(struct pia_diag *, const struct pia_change *, size_t n,
	    const struct pia_chg_where *);

/* Check one loaded report: values, rules, lint (PIA_CHECK_VALUES). */
void	pia_check_report(struct pia_diag *, const struct pia_report *);

/*
 * The 変更箇所 history of a loaded report (check/changes.c): CHG_REVIEW,
 * the row checks below, CHG_CURRENT (PIA_CHECK_HISTORY).
 */
void	pia_check_changes(struct pia_diag *, const struct pia_report *);

/*
 * The checks of 変更箇所 rows (domain.md §4, §6 A, B): 変更日 given (or a
 * page), in order; 提出時期 事前 or 事後; 説明 from the vocabulary (variants
 * warn and are read as their value); 重要な変更 submitted 事前 and only on
 * items with ※ (when form is not NULL); no row where nothing changed; each
 * row's 変更前 equal to the 変更後 of the same item's previous change.
 * The dates must have been read (pia_changes_dates, load.h).  lint may be NULL (no
 * variants then).  Shared with pia import-changes (positions from w).
 */
struct pia_lint;
void	pia_changes_check(struct pia_diag *, const struct pia_lint *, const struct pia_form *,
	    const struct pia_change *, size_t n, const struct pia_chg_where *);

/*
 * The （ N ）件 of 委託の有無 and 提供・移転の有無 against the 委託事項,
 * 提供先 and 移転先 the rows add and remove (domain.md §6 B10, B11;
 * check/counts.c).  The dates must have been read; nothing without a form.
 */
void	pia_changes_counts(struct pia_diag *, const struct pia_form *,
	    const struct pia_change *, size_t n, const struct pia_chg_where *);

/*
 * Check what spans the city (check/site.c): a 窓口 for each report's
 * 担当部署, the site URL, the reports of one 事務 that belong together.
 */
void	pia_check_site(struct pia_diag *, const struct pia_site *);
/* The same for one report r against the city s (the preview, when r changed). */
void	pia_check_site_report(struct pia_diag *, const struct pia_site *,
	    const struct pia_report *);

/* Check the cross-field rules of the form on a report (called by pia_check_report). */
void	pia_check_rules(struct pia_diag *, const struct pia_report *);

/*
 * The text and privacy lint (check/lint.c, domain.md §6): every text of
 * every source — Markdown and XML values, change rows — for dates in
 * prose, placeholders, elisions, brackets, terms, obsolete legal
 * references, Unicode hygiene, 個人番号.  Called by pia_check_report.
 */
void	pia_lint_report(struct pia_diag *, const struct pia_report *);

#endif
