/*
 * The one check pass: what every command runs on the sources it loaded,
 * in one order (the history, then each report's values, then what spans
 * the city, then what the web pages and the PDF need), so that pia check,
 * the preview and the writers find the same problems.  Messages about a
 * report carry its slug, so the preview can show each on its page.
 */
#include "check.h"
#include "diag.h"
#include "html.h"
#include "model.h"
#include "pdf.h"

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
		if (what & PIA_CHECK_HISTORY)
			pia_check_changes(d, v[i]);
		if (what & PIA_CHECK_VALUES)
			pia_check_report(d, v[i]);
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
