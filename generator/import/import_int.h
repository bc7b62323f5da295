/*
 * Shared inside generator/import/ only: the placed values.
 */
#ifndef PIA_IMPORT_INT_H
#define PIA_IMPORT_INT_H

#include "diag.h"
#include "import.h"

struct pia_fnode;
struct pia_form;
struct pia_buf;

/* One segment of text as placed, with where it stood. */
struct pia_imp_vline {
	char		*text;
	double		 x0, x1, y0, y1;
	unsigned	 page;
};

/* A placed form node: a section, group, repeat entry or item with its text. */
struct pia_imp_node {
	const struct pia_fnode	*f;
	unsigned		 index;		/* repeat entry number, 0 when none */
	struct pia_imp_node	*parent, *child, *last, *next;
	struct pia_imp_vline	*v;
	size_t			 nv, capv;
};

#define PIA_IMP_CCOLS	8	/* columns of the 変更箇所 table */
#define PIA_IMP_HDR	6	/* items named by one header row */
#define PIA_IMP_MAXROWS	100000

struct pia_imp_place {
	struct pia_imp_node	*root;
	struct pia_imp_node	*unplaced;	/* text no item took */
	double			 left;		/* x of the label column */
	double			 valx;		/* x of the value column */
	/* The 変更箇所 table: columns from its header row, rows of cells. */
	int			 in_changes;
	int			 nccols;
	double			 ccol_x0[PIA_IMP_CCOLS];
	const char		*ccol_name[PIA_IMP_CCOLS];
	struct pia_imp_node	***rows;
	size_t			 nrows;
	/* The 別紙 after the table: long 変更前・変更後 of rows that say 「（別紙N参照）」. */
	struct pia_imp_appx {
		unsigned		 no;
		struct pia_imp_node	*item, *before, *after;
	}			*appx;
	size_t			 nappx;
	struct pia_imp_node	*appx_to;	/* where the next lines go */
	/* A header row of items, whose values stand under it. */
	struct pia_imp_node	*hdr[PIA_IMP_HDR];
	double			 hdr_x[PIA_IMP_HDR];
	size_t			 nhdr;
};

/* Where report.xml is written from: warnings name FILE.pdf:page N. */
struct pia_imp_out {
	struct pia_diag	*d;
	const char	*file;
	size_t		 items;		/* items written */
	const struct pia_imp_doc *doc;	/* its pictures: a 「［図］…」 caption refers to the one above */
};

/* A warning at FILE.pdf:page N (page 0: the file); a and b fill the message. */
void	pia_imp_warn(struct pia_imp_out *, unsigned page, enum pia_msg, const char *a, const char *b);

int	pia_imp_is_box(const char *);
char	*pia_imp_report_xml(struct pia_imp_out *, const struct pia_form *, const struct pia_imp_place *);
char	*pia_imp_changes_xml(const struct pia_imp_place *);
char	*pia_imp_unplaced_md(const struct pia_imp_place *);

char			*pia_imp_norm(const char *);
int			 pia_imp_is_mark_only(const char *);
struct pia_imp_node	*pia_imp_node_new(struct pia_imp_node *, const struct pia_fnode *, unsigned);
void			 pia_imp_node_free(struct pia_imp_node *);
void			 pia_imp_add(struct pia_imp_node *, const struct pia_imp_line *, const struct pia_imp_seg *);
void			 pia_imp_unplaced(struct pia_imp_place *, const struct pia_imp_line *, const struct pia_imp_seg *);

void	pia_imp_place(struct pia_imp_place *, const struct pia_form *, const struct pia_imp_doc *);
void	pia_imp_place_free(struct pia_imp_place *);

#endif
