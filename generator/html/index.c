/*
 * The municipality's index page: the table of its 評価書 as city sites
 * publish it (domain.md §4.3: 評価書番号, 事務名, 評価書 with the PDF's
 * format and size, 担当課), plus 種類 and 公表日, and the contacts of
 * site.xml.  The PDF's size is read from the file the PDF writer left in
 * the output, so the link text states the real size.
 */
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "html.h"
#include "model.h"
#include "util.h"

static long
number(const struct pia_report *r)
{
	const struct pia_node *n = pia_report_role(r, "number");

	return n != NULL && n->count >= 0 ? n->count : -1;
}

static int
cmp_reports(const void *a, const void *b)
{
	const struct pia_report *x = *(const struct pia_report *const *)a;
	const struct pia_report *y = *(const struct pia_report *const *)b;
	long nx = number(x), ny = number(y);

	/* Numbered reports first, by 評価書番号; then by folder name, which is unique. */
	if (nx != ny) {
		if (nx < 0 || ny < 0)
			return nx < 0 ? 1 : -1;
		return nx < ny ? -1 : 1;
	}
	return strcmp(x->slug, y->slug);
}

/* 1 if a and b are reports of the same 事務 (the same 事務の名称). */
static int
same_office(const struct pia_report *a, const struct pia_report *b)
{
	const struct pia_node *x = pia_report_role(a, "office");
	const struct pia_node *y = pia_report_role(b, "office");
	char *tx, *ty;
	int same;

	if (x == NULL || y == NULL || x->text == NULL || y->text == NULL)
		return 0;
	tx = pia_strtrim(x->text);
	ty = pia_strtrim(y->text);
	same = *tx != '\0' && strcmp(tx, ty) == 0;
	free(tx);
	free(ty);
	return same;
}

/*
 * By 評価書番号, with the reports of one 事務 (a 基礎項目評価書 and its 重点 or
 * 全項目評価書) kept together where the first of them stands.
 */
const struct pia_report **
pia_html_sorted(const struct pia_site *s)
{
	const struct pia_report **v = xcalloc(s->nreports + 1, sizeof(*v));
	const struct pia_report *t;
	size_t i, j, k;

	for (i = 0; i < s->nreports; i++)
		v[i] = s->reports[i];
	if (s->nreports > 1)
		qsort(v, s->nreports, sizeof(*v), cmp_reports);
	for (i = 0; i + 1 < s->nreports; i++)
		for (j = i + 2; j < s->nreports; j++)
			if (same_office(v[i], v[j]) && !same_office(v[i], v[i + 1])) {
				/* Move v[j] up to just after v[i], keeping the others' order. */
				t = v[j];
				for (k = j; k > i + 1; k--)
					v[k] = v[k - 1];
				v[i + 1] = t;
			}
	return v;
}

static void
role_cell(struct pia_buf *b, const struct pia_report *r, const char *role)
{
	const struct pia_node *n = pia_report_role(r, role);
	char *t;

	if (n == NULL || n->text == NULL)
		return;
	t = pia_strtrim(n->text);
	pia_html_text(b, t);
	free(t);
}

void
pia_html_index_table(struct pia_buf *b, const struct pia_site *s, const char *outdir)
{
	const struct pia_report **v = pia_html_sorted(s);
	const struct pia_node *pub;
	long long size;
	char *jimu;
	size_t i;

	pia_buf_puts(b, "<table class=\"pia-grid pia-index\">\n");
	pia_buf_printf(b, "<caption id=\"reports-caption\">評価書の一覧（%zu件）</caption>\n",
	    s->nreports);
	pia_buf_puts(b, "<thead><tr><th scope=\"col\">評価書番号</th><th scope=\"col\">事務名</th>"
	    "<th scope=\"col\">種類</th><th scope=\"col\">公表日</th><th scope=\"col\">担当課</th>"
	    "<th scope=\"col\">PDF</th></tr></thead>\n<tbody>\n");
	for (i = 0; v[i] != NULL; i++) {
		const struct pia_report *r = v[i];
		/* data-label: the column name, shown beside the value when a narrow screen stacks the cells. */
		pia_buf_puts(b, "<tr><td class=\"pia-num\" data-label=\"評価書番号\">");
		role_cell(b, r, "number");
		pia_buf_puts(b, "</td><th scope=\"row\" data-label=\"事務名\"><a href=\"");
		pia_html_name(b, r->slug);
		pia_buf_puts(b, "/" PIA_HTML_PAGE "\">");
		jimu = pia_html_jimu(r);
		pia_html_text(b, jimu);
		free(jimu);
		pia_buf_puts(b, "</a></th><td class=\"pia-nowrap\" data-label=\"種類\">");
		pia_html_text(b, r->form->name);
		pia_buf_puts(b, "</td><td class=\"pia-nowrap\" data-label=\"公表日\">");
		if ((pub = pia_report_published(r)) != NULL)
			pia_html_date(b, pub);
		pia_buf_puts(b, "</td><td data-label=\"担当課\">");
		role_cell(b, r, "department");
		pia_buf_puts(b, "</td><td class=\"pia-nowrap\" data-label=\"PDF\">");
		if ((size = pia_html_pdf_size(r, outdir)) >= 0) {
			pia_buf_puts(b, "<a href=\"");
			pia_html_name(b, r->slug);
			pia_buf_putc(b, '/');
			pia_html_name(b, r->slug);
			pia_buf_puts(b, ".pdf\">");
			pia_html_pdf_label(b, r, size);
			pia_buf_puts(b, "</a>");
		} else
			pia_buf_puts(b, "PDF は準備中です");
		pia_buf_puts(b, "</td></tr>\n");
	}
	pia_buf_puts(b, "</tbody>\n</table>\n");
	free(v);
}

const struct pia_contact *
pia_html_contact_of(const struct pia_report *r)
{
	const struct pia_node *n = pia_report_role(r, "department");
	const struct pia_site *s = r->site;
	char *dept;
	size_t i;

	if (s == NULL || n == NULL || n->text == NULL)
		return NULL;
	dept = pia_strtrim(n->text);
	for (i = 0; i < s->ncontacts; i++)
		if (s->contacts[i].dept != NULL && strcmp(s->contacts[i].dept, dept) == 0)
			break;
	free(dept);
	return i < s->ncontacts ? &s->contacts[i] : NULL;
}

void
pia_html_contact(struct pia_buf *b, const struct pia_contact *c)
{
	pia_buf_puts(b, "<div class=\"pia-contact\">\n<p class=\"pia-dept\">");
	pia_html_text(b, c->dept);
	pia_buf_puts(b, "</p>\n");
	if (c->postal != NULL || c->address != NULL) {
		pia_buf_puts(b, "<p>");
		if (c->postal != NULL) {
			pia_buf_puts(b, "〒");
			pia_html_text(b, c->postal);
			pia_buf_putc(b, ' ');
		}
		pia_html_text(b, c->address);
		pia_buf_puts(b, "</p>\n");
	}
	if (c->phone != NULL) {
		pia_buf_puts(b, "<p>電話：");
		pia_html_text(b, c->phone);
		pia_buf_puts(b, "</p>\n");
	}
	if (c->hours != NULL) {
		pia_buf_puts(b, "<p>受付時間：");
		pia_html_text(b, c->hours);
		pia_buf_puts(b, "</p>\n");
	}
	pia_buf_puts(b, "</div>\n");
}

/*
 * The index shows the contacts of the departments that keep a report, in
 * the order of site.xml; when none matches, every contact.
 */
void
pia_html_contacts(struct pia_buf *b, const struct pia_site *s)
{
	const struct pia_contact *c;
	size_t i, j, shown = 0;
	int pass;

	if (s->ncontacts == 0)
		return;
	pia_buf_puts(b, "<h2 id=\"contacts\">お問い合わせ</h2>\n");
	for (pass = 0; pass < 2 && shown == 0; pass++)
		for (i = 0; i < s->ncontacts; i++) {
			for (j = 0; pass == 0 && j < s->nreports; j++)
				if (pia_html_contact_of(s->reports[j]) == &s->contacts[i])
					break;
			if (pass == 0 && j == s->nreports)
				continue;
			c = &s->contacts[i];
			pia_html_contact(b, c);
			shown++;
		}
}
