/*
 * Checks across the city: what no single report can know.  Each report's
 * 担当部署 needs a 窓口 in site.xml (otherwise its page would have no
 * contact); the sitemap and the feed need the site's absolute URL; and a
 * 基礎項目評価書 whose 評価書の種類 requires a 重点 or 全項目 report of the same
 * 事務 must find it in the city (domain.md §2).  The roles and the
 * requires= attribute come from the form files: no item names here.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "form.h"
#include "model.h"
#include "util.h"

/* The trimmed text of the item with role in r, or NULL (caller frees). */
static char *
role_text(const struct pia_report *r, const char *role)
{
	const struct pia_node *n = pia_report_role(r, role);

	return n != NULL && n->text != NULL ? pia_strtrim(n->text) : NULL;
}

static const struct pia_contact *
contact_of(const struct pia_site *s, const char *dept)
{
	size_t i;

	for (i = 0; i < s->ncontacts; i++)
		if (s->contacts[i].dept != NULL && strcmp(s->contacts[i].dept, dept) == 0)
			return &s->contacts[i];
	return NULL;
}

/* The report of form name for the 事務 office, other than r, or NULL. */
static const struct pia_report *
companion(const struct pia_site *s, const struct pia_report *r,
    const char *form, const char *office)
{
	const struct pia_report *o;
	char *t;
	size_t i;
	int same;

	for (i = 0; i < s->nreports; i++) {
		o = s->reports[i];
		if (o == r || strcmp(o->form->name, form) != 0)
			continue;
		t = role_text(o, "office");
		same = t != NULL && strcmp(t, office) == 0;
		free(t);
		if (same)
			return o;
	}
	return NULL;
}

static void
check_companion(struct pia_diag *d, const struct pia_site *s, const struct pia_report *r)
{
	const struct pia_node *n = pia_report_role(r, "companion");
	const struct pia_report *o;
	const char *need;
	char *office, *dept, *odept;

	if (n == NULL || n->choice < 0 || n->f->choices == NULL)
		return;
	if ((need = n->f->choices->v[n->choice].requires) == NULL)
		return;
	if ((office = role_text(r, "office")) == NULL)
		return;
	if ((o = companion(s, r, need, office)) == NULL)
		pia_diag(d, &n->pos, PIA_MSG_SITE_COMPANION, need, office);
	else {
		dept = role_text(r, "department");
		odept = role_text(o, "department");
		if (dept != NULL && odept != NULL && strcmp(dept, odept) != 0)
			pia_diag(d, &n->pos, PIA_MSG_SITE_COMPANION_DEPT, o->slug, odept, dept);
		free(dept);
		free(odept);
	}
	free(office);
}

void
pia_check_site_report(struct pia_diag *d, const struct pia_site *s, const struct pia_report *r)
{
	const struct pia_node *n = pia_report_role(r, "department");
	const char *prev = pia_diag_report(d, r->slug);
	char *dept;

	/* A site.xml against its schema (no 名称 read) has no 窓口 to look in. */
	if (n != NULL && s->name != NULL && (dept = role_text(r, "department")) != NULL) {
		if (*dept != '\0' && strstr(dept, PIA_PLACEHOLDER) == NULL &&
		    contact_of(s, dept) == NULL)
			pia_diag(d, &n->pos, PIA_MSG_SITE_NO_CONTACT, dept);
		free(dept);
	}
	check_companion(d, s, r);
	pia_diag_report(d, prev);
}

void
pia_check_site(struct pia_diag *d, const struct pia_site *s)
{
	char *file;
	struct pia_pos pos = { NULL, 0, 0 };
	size_t i;

	file = xasprintf("%s/site.xml", s->dir);
	pos.file = file;
	/*
	 * An unusable URL was reported (SITE_URL) and dropped by the loader; a
	 * site.xml against its schema (no 名称 read) was reported as such.
	 */
	if (s->nreports > 0 && s->name != NULL && (s->url == NULL || *s->url == '\0') &&
	    pia_diag_count_msg(d, PIA_MSG_SITE_URL) == 0)
		pia_diag(d, &pos, PIA_MSG_SITE_URL_MISSING);
	for (i = 0; i < s->nreports; i++)
		pia_check_site_report(d, s, s->reports[i]);
	free(file);
}
