/*
 * The one check pass: what every command runs on the sources it loaded,
 * in one order (each report's values as written, its history, its values
 * in the whole report, then what spans the city, then what the web pages
 * and the PDF need), so that pia check, the preview and the writers find
 * the same problems.  Messages about a report carry its slug, so the
 * preview can show each on its page.
 *
 * Who owns what: the loader (generator/load/) reads sources into the
 * model and reports only what keeps it from reading them (XML and
 * Markdown syntax, names the form does not know, files out of the tree,
 * limits); what it could not read as its type it keeps as written.  Every
 * judgment of what was written is here, under generator/check/: types
 * (values.c), the history (changes.c), required items and references
 * (check.c), the form's rules (rules.c), the lint, the city (site.c); the
 * web pages' and the PDF's own needs are judged by html/ and pdf/, called
 * from here.
 */
#include "check.h"
#include "diag.h"
#include "html.h"
#include "model.h"
#include "pdf.h"

void
pia_check_one(struct pia_diag *d, const struct pia_report *r, unsigned what)
{
	/* First: where several messages fall on one place, what was written leads. */
	if (what & PIA_CHECK_WRITTEN)
		pia_check_values(d, r);
	if (what & PIA_CHECK_HISTORY)
		pia_check_changes(d, r);
	if (what & PIA_CHECK_VALUES)
		pia_check_report(d, r);
}

void
pia_check_all(struct pia_diag *d, const struct pia_site *s, const struct pia_report *r,
    unsigned what)
{
	const struct pia_report *const *v = s != NULL ?
	    (const struct pia_report *const *)s->reports : &r;
	size_t i, n = s != NULL ? s->nreports : r != NULL;
	const char *prev;

	for (i = 0; i < n; i++) {
		prev = pia_diag_report(d, v[i]->slug);
		pia_check_one(d, v[i], what);
		pia_diag_report(d, prev);
	}
	if (what & PIA_CHECK_SITE) {
		if (s != NULL)
			pia_check_site(d, s);
		else if (r != NULL && r->site != NULL)
			pia_check_site_report(d, r->site, r);
	}
	for (i = 0; (what & PIA_CHECK_HTML) && i < n; i++) {
		prev = pia_diag_report(d, v[i]->slug);
		pia_html_check(d, v[i]);
		pia_diag_report(d, prev);
	}
	if (what & PIA_CHECK_PDF)
		pia_pdf_check_reports(d, v, n);
}
