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

/* A note met in the value: its number, read once. */
struct met {
	unsigned	 no;
	cmark_node	*n;
};

static int
cmp_notes(const void *a, const void *b)
{
	unsigned x = ((const struct met *)a)->no, y = ((const struct met *)b)->no;

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
	struct met *v = NULL;
	cmark_node *n;
	size_t i, k = 0;
	unsigned char *met = NULL;	/* by number: printed already (150,000 notes: no search) */
	size_t nmet = 0, cap;
	unsigned no;
	struct pia_para *p;
	double ns = size * 0.9, hang = ns * 3.2;
	char mark[32];

	cmark_iter *it = cmark_iter_new(doc);

	/* Anywhere in the value: a note left unreferred stays where it was written, a list item too. */
	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (cmark_iter_get_event_type(it) != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(n) != CMARK_NODE_CUSTOM_BLOCK || (no = pia_md_note_no(n)) == 0)
			continue;
		if (no >= nmet) {
			for (cap = nmet ? nmet : 64; cap <= no; cap *= 2)
				;
			met = xrealloc(met, cap);
			memset(met + nmet, 0, cap - nmet);
			nmet = cap;
		}
		if (met[no])
			continue;
		met[no] = 1;
		if ((k & (k - 1)) == 0)
			v = xrealloc(v, (k ? k * 2 : 1) * sizeof(*v));
		v[k].no = no;
		v[k++].n = n;
	}
	cmark_iter_free(it);
	free(met);
	if (k > 0)
		qsort(v, k, sizeof(*v), cmp_notes);
	/*
	 * The text hangs after the widest 注N of the value: 注 is one em, a
	 * digit at most 0.6 em in IPAex Gothic, then a gap (注99999 would
	 * run into its text at the 3.2 em that fits 注999).
	 */
	if (k > 0) {
		int digits = snprintf(mark, sizeof(mark), "%u", v[k - 1].no);
		if (ns * (1.6 + 0.6 * digits) > hang)
			hang = ns * (1.6 + 0.6 * digits);
	}
	for (i = 0; i < k; i++) {
		p = pia_content_para(c, ns, PIA_AL_JUSTIFY);
		p->indent = indent + hang;
		p->before = i == 0 ? 4 : 1.5;
		snprintf(mark, sizeof(mark), "注%u", v[i].no);
		pia_para_marker(p, mark, indent, FG, 0);
		if ((n = cmark_node_first_child(v[i].n)) != NULL)
			note_text(p, n);
	}
	free(v);
}
