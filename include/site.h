/*
 * The output tree of pia build: written whole into a temporary folder
 * beside the target and renamed into place only when everything
 * succeeded, so a failed or interrupted build leaves the old site as it was.
 * The layout of the tree is described in html.h.
 * For cmd/build.c and the preview server (serve/).
 */
#ifndef PIA_SITE_H
#define PIA_SITE_H

#include "model.h"

struct pia_diag;
struct pia_buf;
struct pia_html;
struct pia_theme;

/*
 * Whether out may receive the site of the content tree at content, before
 * anything is loaded: refused (OUT_CONTENT) when out, paths resolved, is
 * the content tree, inside it or an ancestor of it; (OUT_NOT_DIR) when it
 * is a file; (OUT_NOT_SITE) when it is a folder with entries but not a
 * site pia wrote, since out is replaced whole.  Returns 0, or -1 with the
 * message in the sink.
 */
int	pia_site_check_output(struct pia_diag *, const char *content, const char *out);

/*
 * Write the site for a loaded, checked content tree into out, with the
 * theme in themedir (NULL: the default theme): pages, PDFs, search index,
 * feed, sitemap.  Returns 0, or -1 with the problems in the sink (of the
 * sources: the PDF writer's; of the system: SYS_WRITE, PDF_WRITE, or a
 * message printed when the theme cannot be read); then out is left as it was.
 */
int	pia_site_write(struct pia_diag *, const struct pia_site *, const char *out,
	    const char *themedir, unsigned jobs);
/*
 * The same in steps, so that the checks of unchanged reports are skipped
 * too (cmd/build.c): pia_build_begin loads the theme and hashes every
 * report's sources with what they depend on (site.xml and the rest of the
 * content tree outside reports/, the forms of formdir, the theme, pia);
 * NULL with the problem in the sink.  pia_build_check runs the checks of
 * what as pia_check_all (check/all.c) on the site, but a report whose
 * messages the last build of out kept under the same hash
 * (OUT/.pia-cache/SLUG.msg) is not checked again: those messages are
 * added instead.  pia_build_write writes the site as pia_site_write, and
 * the messages of this build's checks into OUT/.pia-cache/.
 */
struct pia_build;
struct pia_build_prep;
struct pia_buf;
struct pia_forms;
struct pia_build *pia_build_begin(struct pia_diag *, const struct pia_site *, const char *out,
		    const char *themedir, const char *formdir, struct pia_build_prep *);
/*
 * Before loading (cmd/build.c): pia_build_prepare hashes what every
 * report depends on and reads the manifest of the last build of out,
 * silently (pia_build_begin reports the problems).  While
 * it is given to the loader (pia_load_set_reuse, with pia_build_reuse), a
 * report whose sources are unchanged and whose cache entry reads whole is
 * not loaded: its summary stands for it (site/summary.c) and its load
 * messages are told again from the entry.  what: the checks build runs.
 */
struct pia_build_prep *pia_build_prepare(const char *content, const char *out,
		    const char *themedir, const char *formdir, const struct pia_forms *,
		    unsigned what);
struct pia_report *pia_build_reuse(void *prep, struct pia_diag *, const char *dir,
		    const char *slug, const char *content);
/* Every report a summary stands for in s loaded instead (for checks of the whole report). */
void		 pia_build_load_all(struct pia_build_prep *, struct pia_site *);
void		 pia_build_prep_free(struct pia_build_prep *);

/* The summary of r (site/summary.c) into b; the report it stands for, or NULL. */
void		 pia_summary_write(struct pia_buf *, const struct pia_report *, const char *sitedir);
struct pia_report *pia_summary_read(const char *, size_t, const struct pia_forms *,
		    const char *dir, const char *slug, const char *sitedir);
void		 pia_build_check(struct pia_build *, struct pia_diag *, unsigned what);
int		 pia_build_write(struct pia_build *, struct pia_diag *, unsigned jobs);
void		 pia_build_free(struct pia_build *);
/*
 * jobs: the reports' folders (PDFs, pages) are written by that many worker
 * processes (0: pia_site_jobs()).  A report whose sources, site.xml, theme
 * and pia binary are those of the last build of out (OUT/.pia-manifest)
 * gets its folder from the previous site as hard links instead.
 */
#define PIA_SITE_MAX_JOBS	64
/* The number of processors online, 1 to PIA_SITE_MAX_JOBS. */
unsigned pia_site_jobs(void);

/*
 * The pages one at a time, into a buffer instead of a file, exactly as
 * pia_site_write writes them; outdir is where the PDFs are looked for
 * (their link and size, html.h).  These let pia serve keep the site in
 * memory and render again only the report that changed.
 *
 * pia_site_report_page: SLUG/index.html of report r into page.  Returns
 * the renderer, whose images (pia_html_images) the caller copies; caller
 * frees it with pia_html_free.
 */
struct pia_html	*pia_site_report_page(const struct pia_theme *, const struct pia_site *,
		    const struct pia_report *, const char *outdir, struct pia_buf *page);
/* index.html into page. */
void		 pia_site_index_page(const struct pia_theme *, const struct pia_site *,
		    const char *outdir, struct pia_buf *page);
/* search.html into page (its index is pia_search_site, html.h). */
void		 pia_site_search_page(const struct pia_theme *, const struct pia_site *,
		    struct pia_buf *page);

#endif
