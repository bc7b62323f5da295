/*
 * Validation after loading: per-type checks of every value (required,
 * placeholders, dates against 公表日, cross-references), then the form's
 * cross-field rules (<rule kind=…>, check/rules.c).  Reads the model,
 * never changes it; problems go to the sink.
 * Not for renderers.
 */
#ifndef PIA_CHECK_H
#define PIA_CHECK_H

#include "model.h"

struct pia_diag;

/* Check one loaded report. */
void	pia_check_report(struct pia_diag *, const struct pia_report *);

/*
 * Check what spans the city (check/site.c): a 窓口 for each report's
 * 担当部署, the site URL, the reports of one 事務 that belong together.
 */
struct pia_site;
void	pia_check_site(struct pia_diag *, const struct pia_site *);

/* Check the cross-field rules of the form on a report (called by pia_check_report). */
void	pia_check_rules(struct pia_diag *, const struct pia_report *);

/*
 * The text and privacy lint (check/lint.c, domain.md §6): every text of
 * every source — Markdown and XML values, change rows — for dates in
 * prose, placeholders, elisions, brackets, terms, obsolete legal
 * references, Unicode hygiene, 個人番号.  Called by pia_check_report.
 */
void	pia_lint_report(struct pia_diag *, const struct pia_report *);

/* The marker pia new writes into empty values: its presence is VAL_PLACEHOLDER. */
#define PIA_PLACEHOLDER	"【記入してください】"

#endif
