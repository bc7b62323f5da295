/*
 * pia import-report: a published 評価書 read back from its PDF (issue 21).
 * read.c turns each page's glyph boxes (poppler-glib) into lines of
 * segments; place.c puts the segments into the 様式's items by the form's
 * own labels; write.c writes report.xml and changes.xml.
 * Only generator/import/ and cmd/import_report.c include this.
 */
#ifndef PIA_IMPORT_H
#define PIA_IMPORT_H

#include <stddef.h>

/* A run of glyphs on one line with no wide gap inside: one cell's text on that line. */
struct pia_imp_seg {
	char		*text;		/* UTF-8, spaces where the glyphs stand apart */
	double		 x0, x1;	/* left and right edge, points */
};

/* One line of a page: glyphs whose vertical centres agree. */
struct pia_imp_line {
	unsigned		 page;		/* 1-based */
	double			 y0, y1;	/* top and bottom, points from the top */
	struct pia_imp_seg	*seg;
	size_t			 nseg;
};

struct pia_imp_doc {
	struct pia_imp_line	*line;
	size_t			 nline;
	unsigned		 npages;
	unsigned		 nempty;	/* pages without any text (scanned images) */
	unsigned		*empty;		/* their numbers */
	/* Pictures on pages with text: what they show is no text the importer can read. */
	struct pia_imp_image {
		unsigned	 page;
		unsigned	 no;		/* its number on the page, from 1 */
		double		 y0, y1;	/* top and bottom, points from the top */
		char		*png;		/* the picture as a PNG file, NULL when poppler gives none */
		size_t		 pnglen;
		char		*name;		/* images/pN-K.png, where the import writes it */
	}			*image;
	size_t			 nimage;
	double			 pagew, pageh;
};

/*
 * Read every page of file.  Returns 0, or -1 with *err set (a message of
 * poppler's, caller frees) when the file is no readable PDF.
 */
int	pia_imp_read(const char *file, struct pia_imp_doc *, char **err);
void	pia_imp_doc_free(struct pia_imp_doc *);

/* Drop the running header and footer lines (title, page x / y, the 様式 stamp). */
void	pia_imp_strip_running(struct pia_imp_doc *);

/* Move a label centred against its many-line value up beside the value's first line (place.c). */
void	pia_imp_hoist(struct pia_imp_doc *);

#endif
