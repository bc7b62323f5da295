/*
 * The 変更箇所 history (changes.xml): one <変更> per row, checked by the
 * rules of domain.md §4 and §6 B: 和暦 dates in order, 提出時期 事前/事後,
 * 説明 from the controlled vocabulary, no row where nothing changed, each
 * row's 変更前 equal to the previous 変更後 of the same item, and a
 * 重要な変更 submitted 事前.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "diag.h"
#include "form.h"
#include "load_int.h"
#include "model.h"
#include "util.h"
#include "wareki.h"

int pia_load_date(struct pia_diag *, const struct pia_pos *, const char *,
    enum pia_wareki_want, struct pia_date *);
void pia_load_changes(struct pia_diag *, struct pia_report *, const char *);

/* The 説明 vocabulary (domain.md §4.1). */
static const char *const reasons[] = {
	"重要な変更",
	"重要な変更の対象項目だが該当しない",
	"重要な変更の対象項目でない",
	NULL
};

static char *
child_text(xmlNodePtr n, const char *name)
{
	xmlNodePtr k;

	for (k = n->children; k != NULL; k = k->next)
		if (k->type == XML_ELEMENT_NODE && strcmp((const char *)k->name, name) == 0)
			return pia_xtext(k);
	return xstrdup("");
}

void
pia_load_changes(struct pia_diag *d, struct pia_report *r, const char *path)
{
	struct pia_xfile *xf;
	xmlNodePtr root, k;
	size_t i, j;
	char buf[64], buf2[64];

	if ((xf = pia_xfile_read(d, path, NULL, 0)) == NULL)
		return;
	if (pia_xfile_relaxng(d, xf, "changes.rng") != 0) {
		pia_xfile_free(xf);
		return;
	}
	root = xmlDocGetRootElement(xf->doc);
	for (k = root->children; k != NULL; k = k->next) {
		struct pia_change *c;
		if (k->type != XML_ELEMENT_NODE)
			continue;
		r->changes = xrealloc(r->changes, (r->nchanges + 1) * sizeof(*r->changes));
		c = &r->changes[r->nchanges++];
		memset(c, 0, sizeof(*c));
		c->pos = pia_xfile_pos(xf, k);
		c->pos.file = pia_report_file(r, c->pos.file);
		c->date_text = pia_xattr(k, "日");
		c->item = pia_xattr(k, "項目");
		c->timing = pia_xattr(k, "提出時期");
		c->reason = pia_xattr(k, "説明");
		c->why = pia_xattr(k, "理由");
		c->page = pia_xattr(k, "ページ");
		c->before = child_text(k, "変更前");
		c->after = child_text(k, "変更後");
	}
	pia_xfile_free(xf);

	for (i = 0; i < r->nchanges; i++) {
		struct pia_change *c = &r->changes[i];
		int important;

		pia_load_date(d, &c->pos, c->date_text, PIA_WAREKI_DATE, &c->date);
		if (strcmp(c->timing, "事前") != 0 && strcmp(c->timing, "事後") != 0)
			pia_diag(d, &c->pos, PIA_MSG_CHG_TIMING, c->timing);
		for (j = 0; reasons[j] && strcmp(reasons[j], c->reason) != 0; j++)
			;
		if (reasons[j] == NULL)
			pia_diag(d, &c->pos, PIA_MSG_CHG_REASON, c->reason,
			    "「重要な変更」「重要な変更の対象項目だが該当しない」「重要な変更の対象項目でない」");
		important = reasons[j] != NULL && j == 0;
		if (r->form != NULL) {
			const struct pia_fnode *f = pia_form_find_path(r->form, c->item);
			if (f == NULL)
				pia_diag(d, &c->pos, PIA_MSG_CHG_ITEM, c->item);
			else if (j < 2 && !pia_fnode_marked(f))
				pia_diag(d, &c->pos, PIA_MSG_CHG_NOT_MARKED, c->item);
		}
		if (important && strcmp(c->timing, "事後") == 0)
			pia_diag(d, &c->pos, PIA_MSG_CHG_IMPORTANT_AFTER);
		if (strcmp(c->before, c->after) == 0)
			pia_diag(d, &c->pos, PIA_MSG_CHG_NOOP);
		if (i > 0 && c->date.year && r->changes[i - 1].date.year &&
		    pia_date_cmp(&c->date, &r->changes[i - 1].date) < 0)
			pia_diag(d, &c->pos, PIA_MSG_CHG_ORDER,
			    pia_wareki_format(&c->date, buf, sizeof(buf)) ? buf : "",
			    pia_wareki_format(&r->changes[i - 1].date, buf2, sizeof(buf2)) ? buf2 : "");
		/* The chain: the latest earlier row of the same item. */
		for (j = i; j-- > 0;)
			if (strcmp(r->changes[j].item, c->item) == 0) {
				if (strcmp(r->changes[j].after, c->before) != 0) {
					char *where = xasprintf("%u 行目", r->changes[j].pos.line);
					pia_diag(d, &c->pos, PIA_MSG_CHG_CHAIN, where);
					free(where);
				}
				break;
			}
	}
}
