/*
 * Shared inside the report page renderer: html.c walks the report,
 * html_changes.c prints the 変更箇所 part.  Include only from
 * generator/html/.
 */
#ifndef PIA_HTML_INT_H
#define PIA_HTML_INT_H

#include <stddef.h>

#include "html.h"

struct pia_html {
	const struct pia_report	*r;
	char			*outdir;
	struct pia_buf		*out;
	struct pia_html_image	*imgs;
	size_t			 nimgs;
	int			 intable;	/* a table of item rows is open */
	int			 hlevel;	/* heading level of the current container */
};

/* The 変更箇所 history after the part's heading (html_changes.c). */
void	pia_html_changes(struct pia_html *);

#endif
