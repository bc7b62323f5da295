/*
 * The 変更箇所 part of a report page: the history of changes.xml as a
 * table, one row per change, oldest first.
 */
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "html_int.h"
#include "model.h"
#include "util.h"
#include "wareki.h"

/* The 変更箇所 history (domain.md §4.1): one row per change, oldest first. */
void
pia_html_changes(struct pia_html *h)
{
	const struct pia_report *r = h->r;
	struct pia_buf *b = h->out;
	size_t i;
	int page = 0;

	if (r->nchanges == 0) {
		pia_buf_puts(b, "<p>変更箇所はありません。</p>\n");
		return;
	}
	for (i = 0; i < r->nchanges; i++)
		if (r->changes[i].page != NULL && r->changes[i].page[0] != '\0')
			page = 1;
	pia_buf_printf(b, "<table class=\"pia-grid pia-changes\">\n<caption>"
	    "変更箇所（%zu件）</caption>\n<thead><tr>", r->nchanges);
	pia_buf_puts(b, "<th scope=\"col\">変更日</th>");
	if (page)
		pia_buf_puts(b, "<th scope=\"col\">ページ</th>");
	pia_buf_puts(b, "<th scope=\"col\">項目</th><th scope=\"col\">変更前の記載</th>"
	    "<th scope=\"col\">変更後の記載</th><th scope=\"col\">提出時期</th>"
	    "<th scope=\"col\">提出時期に係る説明</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < r->nchanges; i++) {
		const struct pia_change *c = &r->changes[i];
		const struct pia_date *d = &c->date;
		pia_buf_puts(b, "<tr><td class=\"pia-nowrap\" data-label=\"変更日\">");
		if (d->year != 0 && pia_date_valid(d)) {
			pia_buf_printf(b, "<time datetime=\"%04d-%02d-%02d\">", d->year, d->month,
			    d->day ? d->day : 1);
			pia_html_text(b, c->date_text);
			pia_buf_puts(b, "</time>");
		} else
			pia_html_text(b, c->date_text);
		if (page) {
			pia_buf_puts(b, "</td><td data-label=\"ページ\">");
			pia_html_text(b, c->page);
		}
		pia_buf_puts(b, "</td><td data-label=\"項目\">");
		pia_html_text(b, c->item);
		pia_buf_puts(b, "</td><td data-label=\"変更前の記載\">");
		pia_html_lines(b, c->before);
		pia_buf_puts(b, "</td><td data-label=\"変更後の記載\">");
		pia_html_lines(b, c->after);
		pia_buf_puts(b, "</td><td data-label=\"提出時期\">");
		pia_html_text(b, c->timing);
		pia_buf_puts(b, "</td><td data-label=\"提出時期に係る説明\">");
		pia_html_text(b, c->reason);
		if (c->why != NULL && c->why[0] != '\0') {
			pia_buf_puts(b, "<br>");
			pia_html_lines(b, c->why);
		}
		pia_buf_puts(b, "</td></tr>\n");
	}
	pia_buf_puts(b, "</tbody>\n</table>\n");
}
