/*
 * Shared inside the PDF renderer: pdf.c (the model to rows) and changes.c
 * (the 変更箇所 table) build rows with the same helpers and sizes.
 * Include only from generator/pdf/, after pdf_int.h.
 */
#ifndef PIA_PDF_RENDER_H
#define PIA_PDF_RENDER_H

struct pia_buf;
struct pia_pdf_opts;

#define W		PIA_WIDTH
#define VSIZE		9.0	/* values */
#define LSIZE		8.5	/* labels */
#define TSIZE		7.5	/* tables */

/* Gray levels of fills. */
#define F_BAR		0.78f	/* section title bar */
#define F_ENTRY		0.86f	/* file, entry */
#define F_GROUP		0.90f	/* 1. …, リスク1 … */
#define F_LABEL		0.95f	/* labels */
#define F_NONE		1.0f

#define FM		PIA_FONT_MINCHO
#define FG		PIA_FONT_GOTHIC
#define SV		PIA_SP_VALUE

/* The renderer's state while it builds the rows of one report. */
struct rs {
	struct pia_diag			*d;
	const struct pia_report		*r;
	struct pia_typesetter		*ts;
	struct pia_flow			*fl;
	const struct pia_pdf_opts	*o;
	const struct pia_node		*skip;		/* subtree already drawn */
	const struct pia_node		*consumed;	/* title item drawn in its entry's heading */
	const struct pia_node		*nest;		/* nested group being drawn */
	struct pia_gcell		*nesthead;	/* its label cell */
	int				 perfile;	/* inside a repeated section */
	struct rs_changes		*ch;		/* the 変更箇所 being drawn (changes.c) */
};

/* Append text with tabs as spaces and without carriage returns. */
void			 pia_rs_put(struct pia_para *, const char *, enum pia_font_kind, unsigned);
/* A repeat entry's own title, "システム1", "(1)". */
void			 pia_rs_put_entry(struct pia_buf *, const struct pia_node *);
/* A cell's first paragraph. */
struct pia_para		*pia_rs_para(struct pia_gcell *, double size, enum pia_align);
/* A cell holding one paragraph of text. */
struct pia_gcell	*pia_rs_cell(struct pia_grow *, double x0, double x1, float fill,
			    unsigned flags, const char *, enum pia_font_kind, double size,
			    enum pia_align, unsigned spflags);
/* A full-width heading row (outline level, or -1 for none). */
struct pia_grow		*pia_rs_heading(struct rs *, const char *, double size, float fill,
			    unsigned flags, const struct pia_node *, int outline);
/* The title of a top-level node ("Ⅰ 基本情報").  Caller frees. */
char			*pia_rs_top_title(const struct pia_node *);

/*
 * footnote.c: the notes of a Markdown value (md.h) as 注 lines appended
 * to its content, "注N" hanging at indent.
 */
struct cmark_node;
void			 pia_pdf_md_notes(struct pia_content *, struct cmark_node *doc,
			    double size, double indent);

/*
 * changes.c: the 変更箇所 part of the report: its heading and table head
 * (entering the part), a table row (entering a row), a cell by its type,
 * the 別紙 of long texts (leaving the part).
 */
struct rs_changes;
void			 pia_rs_changes(struct rs *, const struct pia_node *);
void			 pia_rs_row(struct rs *, const struct pia_node *);
void			 pia_rs_cell_text(struct rs *, const struct pia_node *);
void			 pia_rs_cell_item(struct rs *, const struct pia_node *);
void			 pia_rs_cell_page(struct rs *, const struct pia_node *);
void			 pia_rs_cell_change(struct rs *, const struct pia_node *);
void			 pia_rs_changes_end(struct rs *, const struct pia_node *);
/* changes.c: the 変更点リスク評価表 as the whole document; its title (caller frees). */
char			*pia_rs_risk(struct rs *);

#endif
