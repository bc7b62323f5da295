/*
 * Footnotes of a Markdown value in the PDF (include/md.h): the value's
 * text prints each reference as its "注N" where it stands; the notes
 * come after the value as 注 lines, "注N" hanging before the note's text
 * in a smaller size, each number once, in number order, as printed
 * 評価書 put their （注） under a field.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "md.h"
#include "pdf_int.h"
#include "pdf_render.h"
#include "util.h"

static int
cmp_notes(const void *a, const void *b)
{
	unsigned x = pia_md_note_no(*(cmark_node *const *)a);
	unsigned y = pia_md_note_no(*(cmark_node *const *)b);

	return (x > y) - (x < y);
}

/* The text of a note's paragraph: code and strong in Gothic, a link's address after its text. */
static void
note_text(struct pia_para *p, cmark_node *para)
{
	cmark_iter *it = cmark_iter_new(para);
	cmark_event_type ev;
	cmark_node *n;
	const char *s;
	char *t;
	int strong = 0;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_HTML_INLINE:
			pia_rs_put(p, cmark_node_get_literal(n), strong ? FG : FM, SV);
			break;
		case CMARK_NODE_CODE:
			pia_rs_put(p, cmark_node_get_literal(n), FG, SV);
			break;
		case CMARK_NODE_SOFTBREAK:
			if (!pia_md_softbreak_joins(n))
				pia_rs_put(p, " ", FM, 0);
			break;
		case CMARK_NODE_LINEBREAK:
			pia_rs_put(p, "\n", FM, 0);
			break;
		case CMARK_NODE_STRONG:
			strong += ev == CMARK_EVENT_ENTER ? 1 : -1;
			break;
		case CMARK_NODE_LINK:
			if (ev == CMARK_EVENT_EXIT && (s = cmark_node_get_url(n)) != NULL && *s != '\0') {
				t = pia_md_plain(n);
				if (strcmp(t, s) != 0) {
					pia_rs_put(p, "（", FM, 0);
					pia_rs_put(p, s, FM, SV);
					pia_rs_put(p, "）", FM, 0);
				}
				free(t);
			}
			break;
		case CMARK_NODE_IMAGE:
			/* A picture has no room in a note: its description stands for it. */
			if (ev == CMARK_EVENT_ENTER)
				pia_rs_put(p, "［図］", FG, 0);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

void
pia_pdf_md_notes(struct pia_content *c, cmark_node *doc, double size, double indent)
{
	cmark_node **v = NULL, *n;
	size_t i, k = 0;
	struct pia_para *p;
	double ns = size * 0.9, hang = ns * 3.2;
	char mark[32];

	cmark_iter *it = cmark_iter_new(doc);

	/* Anywhere in the value: a note left unreferred stays where it was written, a list item too. */
	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (cmark_iter_get_event_type(it) != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(n) != CMARK_NODE_CUSTOM_BLOCK || pia_md_note_no(n) == 0)
			continue;
		for (i = 0; i < k && pia_md_note_no(v[i]) != pia_md_note_no(n); i++)
			;
		if (i == k) {
			v = xrealloc(v, (k + 1) * sizeof(*v));
			v[k++] = n;
		}
	}
	cmark_iter_free(it);
	if (k > 0)
		qsort(v, k, sizeof(*v), cmp_notes);
	for (i = 0; i < k; i++) {
		p = pia_content_para(c, ns, PIA_AL_JUSTIFY);
		p->indent = indent + hang;
		p->before = i == 0 ? 4 : 1.5;
		snprintf(mark, sizeof(mark), "注%u", pia_md_note_no(v[i]));
		pia_para_marker(p, mark, indent, FG, 0);
		if ((n = cmark_node_first_child(v[i])) != NULL)
			note_text(p, n);
	}
	free(v);
}
