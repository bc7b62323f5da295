/*
 * The output tree of pia build: written whole into a temporary folder
 * beside the target and renamed into place only when everything
 * succeeded, so a failed or interrupted build leaves the old site as it was.
 * The layout of the tree is described in html.h.
 * For cmd/build.c.
 */
#ifndef PIA_SITE_H
#define PIA_SITE_H

#include "model.h"

struct pia_diag;

/*
 * Checks of the site's sources that only publishing needs (links and
 * images of the web pages, html.h); problems go to the sink.
 */
void	pia_site_check(struct pia_diag *, const struct pia_site *);

/*
 * Write the site for a loaded, checked content tree into out, with the
 * theme in themedir (NULL: the default theme): pages, PDFs, search index,
 * feed, sitemap.  Returns 0, or -1 with a message printed or problems of
 * the sources (the PDF writer's) in the sink; then out is left as it was.
 */
int	pia_site_write(struct pia_diag *, const struct pia_site *, const char *out,
	    const char *themedir);

#endif
