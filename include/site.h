/*
 * The output tree of pia build: written whole into a temporary folder
 * beside the target and renamed into place only when everything
 * succeeded, so a failed or interrupted build leaves the old site as it was.
 */
#ifndef PIA_SITE_H
#define PIA_SITE_H

#include "model.h"

/* Write the site for a loaded, checked content tree into out.  0 or -1 (message printed). */
int	pia_site_write(const struct pia_site *, const char *out);

#endif
