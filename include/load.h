/*
 * Loading sources into the model: a content tree (site.xml and every
 * report under reports/), or one report folder.  Problems that keep a
 * source from being read go to the sink; loaders build as much of the
 * model as they can so one run reports all, and keep what does not read
 * as its type as written for the check pass to judge (check.h).
 * Not for renderers: html/ and pdf/ take a loaded, checked model.
 */
#ifndef PIA_LOAD_H
#define PIA_LOAD_H

#include "form.h"
#include "model.h"

struct pia_diag;

/* Load content/ (site.xml + reports/NAME): NULL when there is no site.xml. */
struct pia_site		*pia_load_site(struct pia_diag *, const struct pia_forms *, const char *dir);

/*
 * The site.xml of the content tree dir without its reports (pia pdf of one
 * report reads its PDF settings); NULL when dir has none.  Free with
 * pia_site_free().
 */
struct pia_site		*pia_load_site_only(struct pia_diag *, const char *dir);

/*
 * Load one report folder (report.xml, sections/NN-name.md, changes.xml).  root is
 * the content tree that paths in the sources must stay inside (NULL: dir).
 * Returns NULL when report.xml cannot be read or names no known form.
 */
struct pia_report	*pia_load_report(struct pia_diag *, const struct pia_forms *,
			    const char *dir, const char *root);

/*
 * From now on pia_load_site asks fn(arg, d, dir, slug, content) for each
 * report first; what it returns stands for the loaded report, NULL loads
 * it (pia build: an unchanged report from its cache).  fn NULL: none.
 */
typedef struct pia_report *(*pia_load_reuse_fn)(void *, struct pia_diag *, const char *dir,
			    const char *slug, const char *content);
void			 pia_load_set_reuse(pia_load_reuse_fn, void *arg);

/*
 * The 変更日 of change rows read as 和暦 dates into each row's date (one
 * that is none, or empty, left zero; nothing said: pia_check_change_dates
 * judges them).  The loader reads changes.xml with it, pia import-changes
 * a spreadsheet.
 */
void			 pia_changes_dates(struct pia_change *, size_t n,
			    const struct pia_chg_where *);

#endif
