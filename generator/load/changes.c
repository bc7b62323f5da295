/*
 * The 変更箇所 history (changes.xml) read into the report's rows: one
 * <変更> per row, its 変更日 read as a 和暦 date where it is one.  Only
 * reading: the 変更日 as written is judged by check/values.c, the rows by
 * check/changes.c (pia_check_changes).
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "diag.h"
#include "load.h"
#include "load_int.h"
#include "model.h"
#include "util.h"
#include "wareki.h"

void
pia_changes_dates(struct pia_change *rows, size_t n, const struct pia_chg_where *w)
{
	size_t i;

	for (i = 0; i < n; i++) {
		memset(&rows[i].date, 0, sizeof(rows[i].date));
		if ((w != NULL && (w->flags & PIA_CHG_F_NODATE)) || rows[i].date_text == NULL)
			continue;
		pia_load_date(rows[i].date_text, PIA_WAREKI_DATE, &rows[i].date);
	}
}

void
pia_load_changes(struct pia_diag *d, struct pia_report *r, const char *path)
{
	struct pia_xfile *xf;
	xmlNodePtr root, k;

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
		/* Row checks compare rows pairwise: a runaway history is refused. */
		if (r->nchanges == PIA_MAX_ROWS) {
			struct pia_pos pos = pia_xfile_pos(xf, k);
			pos.file = pia_report_file(r, pos.file);
			pia_diag(d, &pos, PIA_MSG_LIMIT_ROWS, PIA_MAX_ROWS);
			break;
		}
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
		c->before_ver = pia_xattr(k, "変更前の版");
		c->after_ver = pia_xattr(k, "変更後の版");
		c->before = pia_xchild_text(k, "変更前");
		c->after = pia_xchild_text(k, "変更後");
		c->change_reason = pia_xchild_text(k, "変更理由");
		c->risk_change = pia_xchild_text(k, "リスク変化");
		c->risk_status = pia_xchild_text(k, "リスク変化の状況");
		c->risk_measure = pia_xchild_text(k, "リスク対策");
		/* The schema requires both; keep the row comparable even so. */
		if (c->before == NULL)
			c->before = xstrdup("");
		if (c->after == NULL)
			c->after = xstrdup("");
		/* 確認="要": computed by pia publish, not yet confirmed (CHG_REVIEW, check/changes.c). */
		c->review = xmlHasProp(k, (const xmlChar *)"確認") != NULL;
	}
	pia_xfile_free(xf);
	pia_changes_dates(r->changes, r->nchanges, NULL);
}
