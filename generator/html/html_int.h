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
	struct pia_redline	*red;		/* the redline of the 変更箇所 row being printed */
	unsigned long		 chshown;	/* its columns that print, bit j for column j */
};

/*
 * The 変更箇所 part (html_changes.c): the table's head after the part's
 * heading, its rows (end: 0 entering, 1 leaving), a cell by its type, the
 * table's end and the 変更点リスク評価表.
 */
struct pia_node;
void	pia_html_changes(struct pia_html *, const struct pia_node *);
void	pia_html_row(struct pia_html *, const struct pia_node *, int end);
void	pia_html_cell_text(struct pia_html *, const struct pia_node *);
void	pia_html_cell_date(struct pia_html *, const struct pia_node *);
void	pia_html_cell_change(struct pia_html *, const struct pia_node *);
void	pia_html_changes_end(struct pia_html *, const struct pia_node *);
/* A cell of a 変更箇所 row by its type's action (html.c, html_acts[]). */
void	pia_html_cell(struct pia_html *, const struct pia_node *);

#endif
