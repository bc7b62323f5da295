/*
 * Internal header of the PDF renderer: include it only from files in
 * generator/pdf/ (and from the unit tests of those files), never from
 * html/, check/ or load/.  It declares the text layer the renderer stands
 * on, neither part of which calls libharu:
 *
 *  - linebreak.c: Japanese line breaking (ICU "ja@lb=strict" break
 *    opportunities, 禁則 enforced again, 追い出し, Tc justification),
 *    measuring through a callback so that tests can use a fake font;
 *  - font.c: IPAex fonts read with HarfBuzz: width and coverage tables that
 *    agree with what libharu 2.3.0 writes into the PDF, and hb-subset
 *    pre-subsetting, because libharu only half subsets a font.
 *
 * Units: widths passed to and returned by the line breaker are in points;
 * font tables are in 1/1000 em, as in a PDF /W array.
 *
 * On top of the text layer sit the layout passes, none of which calls
 * libharu either:
 *
 *  - para.c: styled paragraphs (runs of Mincho and Gothic) and their
 *    layout into lines of runs, for any width;
 *  - table.c: the ruled grid: rows of cells, labels spanning rows,
 *    splitting a row at a line boundary, （続き） labels;
 *  - paginate.c: rows onto A4 pages (keep-with-next, repeated table
 *    headers), then a display list with running header and 「x / y」;
 *  - pdf.c: the model to rows, one action per value type;
 *  - glyphs.c: characters the fonts cannot draw, reported before layout;
 *  - device.c: the display list to a PDF file, the only caller of HPDF_*.
 *
 * Coordinates of the display list are PDF points with the origin at the
 * bottom left of the page; layout works top-down inside cells and rows.
 */
#ifndef PIA_PDF_INT_H
#define PIA_PDF_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ------------------------------------------------------------------ */
/* Line breaking (linebreak.c)                                         */
/* ------------------------------------------------------------------ */

/*
 * How the line breaker measures text.  width() returns the advance of one
 * code point in points (font size included; never negative).
 *
 * Contract: for each call of pia_linebreak_para(), width() is called
 * exactly once for every code point of the text, in text order, line feeds
 * included, and before any line is returned.  A caller whose paragraph
 * mixes fonts (bold runs in Gothic, say) can therefore keep a cursor in
 * arg and pick the font of the run the current code point belongs to.
 * Invalid UTF-8 bytes are passed as U+FFFD, one call per byte.
 */
struct pia_measure {
	void	*arg;
	double	(*width)(void *arg, uint32_t cp);
};

/* Why a line ends. */
enum pia_line_end {
	PIA_LINE_WRAP,		/* soft wrap: the line is justified */
	PIA_LINE_HARD,		/* a '\n' in the text: not justified */
	PIA_LINE_LAST,		/* end of the text: not justified */
	PIA_LINE__MAX
};

/*
 * One output line: the bytes text[off, off + len).  Spaces (U+0020 and
 * U+3000) at the end of a line are never part of it, and spaces at the
 * start of a wrapped line are dropped, so a few bytes of the input (those
 * spaces, '\n', a '\r' before '\n') belong to no line.  Spaces at the
 * start of the text or right after a '\n' are kept: they are indentation.
 *
 * Justification: a device that draws the line with Tc = extra
 * (HPDF_Page_SetCharSpace) fills exactly width + gaps * extra points.
 * gaps is nchars - 1, not nchars, because although PDF adds Tc after
 * every glyph, the space after the last one is outside the line and
 * invisible.  extra is 0 unless end is PIA_LINE_WRAP; for wrapped lines
 * width + gaps * extra equals the maximum width (unless gaps is 0).
 * extra can be large on a short line in a narrow column (a line that
 * kinsoku pushed out); a device may decide to cap it.
 */
struct pia_line {
	size_t		 off;		/* first byte, offset into the text */
	size_t		 len;		/* length in bytes (0: empty line) */
	size_t		 nchars;	/* code points in the line */
	size_t		 gaps;		/* nchars - 1, or 0 */
	double		 width;		/* natural width in points */
	double		 extra;		/* points to add per gap (Tc) */
	enum pia_line_end end;
};

/* A growable array of lines, owned by the caller: start with all zero. */
struct pia_lines {
	struct pia_line	*v;
	size_t		 n;
	size_t		 cap;
};

/*
 * A line breaker: an ICU line break iterator for "ja@lb=strict" and
 * scratch buffers, reused from paragraph to paragraph.  Not shared
 * between threads; create one per document or per thread.
 */
struct pia_breaker;

/* Returns a new breaker, or NULL if ICU cannot open the iterator. */
struct pia_breaker *pia_linebreak_new(void);

/* Frees a breaker; NULL is fine.  ICU's own caches stay until u_cleanup(). */
void	 pia_linebreak_free(struct pia_breaker *);

/*
 * Break the UTF-8 paragraph text[0, len) into lines at most maxw points
 * wide, replacing the contents of *out (its memory is reused).  Returns 0,
 * or -1 if memory runs out, the text is too long for ICU (2 GiB or
 * more) or ICU fails; *out is then empty.
 *
 * br may be NULL: a temporary breaker is then opened and closed, which
 * costs an ICU iterator per call.
 *
 * Rules:
 *  - break opportunities are ICU's, locale "ja@lb=strict"; on top of that
 *    no line starts with 、。，．）」』】〕〉》・：；？！ etc., small kana,
 *    ー, 々, ゝ, a combining mark; and no line ends with （「『【〔〈《 etc.
 *    or with a hyphen-minus (extraction would take it for hyphenation);
 *  - a character that must not start a line takes the previous character
 *    with it to the next line (追い出し, push-out), never hangs into the
 *    margin (ぶら下げ), so a table cell's text never touches its rule;
 *  - a fragment wider than the line (a long URL or Latin word) is broken
 *    between characters, filling the current line first and still
 *    avoiding 禁則 where it can;
 *  - a line is wider than maxw only if it holds a single character wider
 *    than maxw;
 *  - '\n' ends a line ("\r\n" too); a '\n' at the very end of the text
 *    does not start another line; the empty text gives no lines, while
 *    "a\n\nb" gives three lines, the middle one empty.
 */
int	 pia_linebreak_para(struct pia_breaker *br, const char *text,
	    size_t len, double maxw, const struct pia_measure *m,
	    struct pia_lines *out);

/* Frees the array of lines (not the struct) and zeroes it; NULL is fine. */
void	 pia_linebreak_lines_free(struct pia_lines *);

/* ------------------------------------------------------------------ */
/* Fonts (font.c)                                                      */
/* ------------------------------------------------------------------ */

enum pia_font_kind {
	PIA_FONT_MINCHO,	/* body text */
	PIA_FONT_GOTHIC,	/* headings, tables */
	PIA_FONT__MAX
};

/* Debian 12 fonts-ipaexfont: TrueType outlines despite the directory. */
#define PIA_FONT_MINCHO_PATH \
	"/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"
#define PIA_FONT_GOTHIC_PATH \
	"/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"

/* A loaded TrueType font with its BMP width and coverage tables. */
struct pia_font;

/*
 * Load a font: path, or the Debian path of kind when path is NULL.
 * Returns NULL on failure and, when why is not NULL, sets *why to a
 * static English reason ("cannot read file", "not a TrueType font (no
 * glyf table; libharu 2.3.0 cannot embed CFF)", …).  Builds the width and
 * coverage tables at once (a few ms); libharu is not involved, so no glyph
 * gets marked as used in any PDF.
 */
struct pia_font *pia_font_load(enum pia_font_kind kind, const char *path,
	    const char **why);

/* Frees a font; NULL is fine. */
void	 pia_font_free(struct pia_font *);

/* The file the font was loaded from (valid until pia_font_free). */
const char *pia_font_path(const struct pia_font *);

/*
 * Advance of cp in 1/1000 em, computed the way libharu 2.3.0 computes the
 * PDF /W array (advance * 1000 / unitsPerEm, truncated), so that layout
 * and drawing agree.  A code point the font lacks gets the .notdef width
 * (libharu's /DW); one above U+FFFF gets the width of U+0020, because
 * libharu draws such characters as a space.
 */
int	 pia_font_width(const struct pia_font *, uint32_t cp);

/*
 * 1 if the font has a glyph for cp and libharu can draw it: cp is in the
 * BMP, is not U+0000 and maps to a glyph other than 0.  Otherwise 0.
 */
int	 pia_font_covers(const struct pia_font *, uint32_t cp);

/* A font at a size, the arg of pia_font_measure(). */
struct pia_fontsize {
	const struct pia_font	*font;
	double			 size;	/* points */
};

/*
 * A measure callback for the line breaker: arg is a struct pia_fontsize;
 * returns the advance of cp in points.  Usage:
 *	struct pia_fontsize fs = { mincho, 10.5 };
 *	struct pia_measure m = { &fs, pia_font_measure };
 */
double	 pia_font_measure(void *arg, uint32_t cp);

/* Flags of pia_font_subset(). */
#define PIA_SUBSET_NO_HINTING	0x01	/* drop TrueType hinting */
#define PIA_SUBSET_EXACT	0x02	/* only cps: no printable ASCII added */
#define PIA_SUBSET_CODES	0x04	/* cmap of codes 1 … n, see below */

/*
 * Subset the font with hb-subset to the n code points cps (duplicates and
 * code points the font lacks are fine) plus printable ASCII, which is
 * kept unless flags has PIA_SUBSET_EXACT.  Layout tables (GSUB, GPOS, GDEF, BASE, JSTF, …) and
 * vertical metrics are dropped; glyph ids are renumbered, which is fine
 * for libharu because it maps Unicode to glyphs through the subset's own
 * cmap.  The .notdef outline is kept, so a character missing from the
 * subset shows as a box rather than as nothing.  Every character drawn with
 * the subset must be in cps: others fall back to .notdef.
 *
 * flags: 0 keeps the hinting (cvt, fpgm, prep and glyph programs), which
 * is what libharu would embed from the original.  PIA_SUBSET_NO_HINTING
 * drops it: about 40 % fewer font bytes for IPAex, and poppler rasters
 * stay identical, but viewers that hint at screen sizes may differ.
 *
 * PIA_SUBSET_CODES: the subset's cmap maps code k (1 … n) to the glyph
 * of cps[k - 1] instead of the characters (cps distinct, no ASCII
 * added), and only those glyphs and .notdef are kept: subsetting by
 * the characters also keeps the glyphs of their variation sequences
 * (cmap format 14), which pia never draws.  Then pia_font_recode(…,
 * NULL, n, …) gives the cmap libharu reads.
 *
 * On success returns 0 and sets *out to the TrueType bytes (caller frees)
 * and *outlen to their length; returns -1 on failure.
 */
int	 pia_font_subset(const struct pia_font *, const uint32_t *cps,
	    size_t n, unsigned int flags, unsigned char **out,
	    size_t *outlen);

/*
 * Give a subset font (the bytes of pia_font_subset) a cmap of pia's own:
 * code k, 1 <= k <= n, maps to the glyph of cps[k-1]; no other code maps.
 * The PDF draws text in these codes instead of Unicode (device.c): the
 * frequent characters get small codes, so page contents compress better,
 * and libharu, which builds the CIDToGIDMap and the /W widths from the
 * font's cmap, finds one short segment instead of hundreds.  The
 * ToUnicode CMap maps the codes back to Unicode.  All other tables are
 * kept as they are.  cps NULL: the font's cmap already maps the codes
 * (PIA_SUBSET_CODES), code k to the glyph of code k, and only its
 * format changes.  n must be below PIA_FONT_MAXCODES.  Returns 0 with
 * *out (caller frees) and *outlen, or -1.
 */
#define PIA_FONT_MAXCODES	32000
int	 pia_font_recode(const unsigned char *font, size_t len,
	    const uint32_t *cps, size_t n, unsigned char **out,
	    size_t *outlen);

/*
 * Write data to a new temporary file "pia-font-XXXXXX" in $TMPDIR or
 * /tmp, for HPDF_LoadTTFontFromFile (libharu 2.3.0 has no load from
 * memory).  Returns 0 and sets *path (caller unlinks, then frees), or -1
 * with errno set and nothing left behind.
 */
int	 pia_font_write_temp(const unsigned char *data, size_t len,
	    char **path);

/* ------------------------------------------------------------------ */
/* Images (image.c)                                                    */
/* ------------------------------------------------------------------ */

enum pia_image_kind { PIA_IMAGE_PNG = 1, PIA_IMAGE_JPEG };

struct pia_image {
	enum pia_image_kind	 kind;
	unsigned long		 w, h;		/* pixels */
	unsigned		 samples;	/* bytes a pixel takes decoded */
};

/*
 * Read the format and pixel size of an image file.  Returns 0, or -1 with
 * *why a Japanese reason (not readable, neither PNG nor JPEG, a 16-bit PNG
 * libharu 2.3.0 would embed wrongly, a broken header).
 */
int	 pia_image_read(const char *path, struct pia_image *, const char **why);

/* Images are drawn at 96 pixels an inch, never wider than their cell nor
 * taller than this many points, so one always fits on a page. */
#define PIA_IMAGE_MAXH	480.0

/* ------------------------------------------------------------------ */
/* Paragraphs (para.c)                                                 */
/* ------------------------------------------------------------------ */

/* Span flags. */
#define PIA_SP_VALUE	0x01	/* text of the report's sources, not layout */
#define PIA_SP_MARKER	0x02	/* a list item's marker (Lbl in the tagged PDF) */

/* A run of one font inside a paragraph's text. */
struct pia_span {
	size_t			 off, len;	/* bytes of the paragraph text */
	enum pia_font_kind	 font;
	unsigned		 flags;		/* PIA_SP_* */
};

enum pia_align {
	PIA_AL_JUSTIFY,		/* wrapped lines fill the width (Tc) */
	PIA_AL_LEFT,
	PIA_AL_CENTER,
	PIA_AL_RIGHT
};

/*
 * A paragraph: text with spans, a size, an indent and an optional marker
 * (bullet, list number, check box) drawn in the hanging indent before the
 * first line.  Built with pia_para_put(); the text may hold '\n' (hard
 * line breaks).
 */
struct pia_para {
	char			*text;
	size_t			 len, cap;
	struct pia_span		*spans;
	size_t			 nspans, capspans;
	double			 size;		/* points */
	double			 lead;		/* line height, points */
	double			 indent;	/* left edge of the text */
	double			 before;	/* space above (not at a cell top) */
	enum pia_align		 align;
	char			*marker;	/* or NULL */
	enum pia_font_kind	 mfont;
	unsigned		 mflags;	/* PIA_SP_* of the marker */
	double			 mx;		/* marker's x (usually indent - hang) */
	char			*image;		/* an image block: its file, or NULL */
	char			*alt;		/* the image's alt text, or NULL */
	unsigned		 list;		/* list depth (1: top), 0: no list */
	double			 iw, ih;	/* the image's natural size, points */
	int			 keep;		/* never split between pages (a box and its label) */
};

/* A cell's contents: paragraphs from top to bottom. */
struct pia_content {
	struct pia_para		*v;
	size_t			 n, cap;
};

/* Add a paragraph (size in points, line height 1.55 em); returns it. */
struct pia_para	*pia_content_para(struct pia_content *, double size,
		    enum pia_align);
/* Append text in a font to a paragraph. */
void		 pia_para_put(struct pia_para *, const char *, size_t,
		    enum pia_font_kind, unsigned flags);
void		 pia_para_puts(struct pia_para *, const char *,
		    enum pia_font_kind, unsigned flags);
/* Set the marker drawn at x = mx on the first line. */
void		 pia_para_marker(struct pia_para *, const char *, double mx,
		    enum pia_font_kind, unsigned flags);
/* Add an image block: the file and its natural size in points. */
struct pia_para	*pia_content_image(struct pia_content *, const char *path,
		    double w, double h);
void		 pia_content_free(struct pia_content *);

/* One string drawn in one font at one position: one TextOut. */
struct pia_run {
	double			 x;	/* from the left of the content box */
	double			 tc;	/* character spacing */
	double			 size;
	const char		*text;	/* not NUL-terminated; points into a paragraph */
	size_t			 len;
	enum pia_font_kind	 font;
	unsigned		 flags;	/* PIA_SP_* */
	const char		*image;	/* an image run: its file (text is NULL) */
	const char		*alt;	/* the image's alt text, or NULL */
	unsigned		 list;	/* its paragraph's list depth, 0: none */
	double			 w, h;	/* the image's size, points */
};

/* A laid-out line: its box top-down from the content top, and its runs. */
struct pia_lline {
	double			 top, height;
	double			 base;		/* baseline, from the content top */
	size_t			 run0, nruns;
	int			 glued;		/* stays on the page of the line before (keep) */
};

/* Laid-out contents: lines and their runs; height is the last line's bottom. */
struct pia_laid {
	struct pia_run		*runs;
	size_t			 nruns, caprun;
	struct pia_lline	*lines;
	size_t			 nlines, capline;
	double			 height;
};

/* Lays out contents with the document's fonts and one line breaker. */
struct pia_typesetter {
	struct pia_breaker	*br;
	struct pia_font		*fonts[PIA_FONT__MAX];
	struct pia_lines	 lines;
};

/*
 * Lay out c into a box width points wide, replacing *out.  Returns 0, or
 * -1 when the line breaker fails.  Runs point into c's paragraphs, which
 * must outlive *out.
 */
int		 pia_layout(struct pia_typesetter *, const struct pia_content *c,
		    double width, struct pia_laid *out);
/* Width of text in a font and size, from the font's own tables. */
double		 pia_text_width(const struct pia_typesetter *, const char *,
		    size_t, enum pia_font_kind, double size);
void		 pia_laid_free(struct pia_laid *);

/* ------------------------------------------------------------------ */
/* The ruled grid (table.c)                                            */
/* ------------------------------------------------------------------ */

#define PIA_MAXCELLS	8	/* cells per row */
#define PIA_HPAD	3.0	/* cell padding, left and right */
#define PIA_VPAD	2.5	/* cell padding, top and bottom */

/* Cell flags. */
#define PIA_CELL_LABEL	0x01	/* repeated with （続き） when its row goes on */
#define PIA_CELL_CONT	0x02	/* empty: continues the cell above (span) */
#define PIA_CELL_NOLEFT	0x04	/* no rule on its left (a value in two halves) */
#define PIA_CELL_NOTOP	0x08	/* no rule above, but at a page top (lists) */
#define PIA_CELL_VCENTER 0x10	/* contents centred vertically in an unsplit row */

struct pia_node;

struct pia_gcell {
	double			 x0, x1;	/* from the left margin */
	float			 fill;		/* gray level; 1: none */
	unsigned		 flags;		/* PIA_CELL_* */
	struct pia_content	 content;
	struct pia_laid		 laid;
	struct pia_content	 ccontent;	/* label + （続き）, made on demand */
	struct pia_laid		 claid;
	int			 hascont;
	struct pia_gcell	*span;		/* CONT: the cell that began the span */
	const struct pia_node	*pageref;	/* print the page of this node */
};

/* Row flags. */
#define PIA_ROW_KEEP	0x01	/* keep with the next row (headings) */
#define PIA_ROW_BREAK	0x02	/* start on a new page */
#define PIA_ROW_HEADER	0x04	/* a table's header row, repeated on each page */
#define PIA_ROW_NORULE	0x08	/* no rules, no fills (titles, notes) */
#define PIA_ROW_NOSPLIT	0x10	/* never split */

struct pia_grow {
	struct pia_gcell	 cells[PIA_MAXCELLS];
	size_t			 ncells;
	unsigned		 flags;		/* PIA_ROW_* */
	double			 before;	/* space above, dropped at a page top */
	double			 minh;		/* least height */
	double			 height;	/* laid: content + padding */
	size_t			 thead;		/* flow index of its table's first header row */
	size_t			 nthead;	/* header rows to repeat (0: none) */
	const struct pia_node	*node;		/* what the row prints (page lookup) */
	int			 outline;	/* bookmark level (0 top), or -1 */
	char			*otitle;	/* bookmark title */
	const struct pia_node	*link;		/* link the row to this node's page */
	unsigned		 page;		/* placed: page of its first piece (1-based) */
	double			 ytop;		/* placed: top of its first piece */
	size_t			 flowi;		/* its index in the flow (pia_paginate) */
};

/* The rows of a document, in order. */
struct pia_flow {
	struct pia_grow		**v;
	size_t			 n, cap;
};

/* A new row at the end of the flow. */
struct pia_grow	*pia_flow_row(struct pia_flow *, unsigned flags);
/* A new cell of a row spanning [x0, x1); returns its contents. */
struct pia_gcell *pia_row_cell(struct pia_grow *, double x0, double x1,
		    float fill, unsigned flags);
/* Lay out every cell of a row and set its height.  0 or -1. */
int		 pia_row_layout(struct pia_typesetter *, struct pia_grow *);
/* The （続き） version of a label cell (laid on first use), or NULL. */
const struct pia_laid *pia_cell_cont(struct pia_typesetter *,
		    struct pia_gcell *);
/* Replace a cell's contents by one line of text (page numbers). */
int		 pia_cell_settext(struct pia_typesetter *, struct pia_gcell *,
		    const char *, enum pia_font_kind, double size,
		    enum pia_align);
void		 pia_flow_free(struct pia_flow *);

/*
 * A piece of a row placed on a page: lines [lo, hi) of each cell, drawn
 * from top y (points from the page bottom).  cont: the row began on an
 * earlier page, so label cells show their （続き） version; spanhead: span
 * continuation cells show the label of their span.
 */
struct pia_frag {
	struct pia_grow		*row;
	double			 y, h;
	size_t			 lo[PIA_MAXCELLS], hi[PIA_MAXCELLS];
	int			 cont, spanhead;
};

/*
 * Split row (or its rest, from lines lo[]) to fit height avail.  Fills
 * hi[] and returns the height of the first part, or -1 when no split
 * keeps the labels whole and the lines within the orphan and widow
 * limits (force: any split that moves at least one line).
 */
double		 pia_row_split(struct pia_typesetter *, struct pia_grow *,
		    const size_t lo[], int cont, int spanhead, double avail,
		    int force, size_t hi[]);
/*
 * What a cell shows in a piece of its row (labels whole, their （続き）
 * version in a continued piece; a span continuation cell shows its span's
 * label at a page top), or NULL for nothing.
 */
const struct pia_laid *pia_cell_shown(struct pia_typesetter *,
		    struct pia_gcell *, int cont, int spanhead);
/* Height of the rest of a row from lines lo[]. */
double		 pia_row_rest(struct pia_typesetter *, struct pia_grow *,
		    const size_t lo[], int cont, int spanhead);

/* ------------------------------------------------------------------ */
/* Pages and the display list (paginate.c)                             */
/* ------------------------------------------------------------------ */

#define PIA_PAGE_W	595.276
#define PIA_PAGE_H	841.89
#define PIA_MARGIN_X	42.5
#define PIA_TOP		796.0	/* top of the text area */
#define PIA_BOTTOM	48.0	/* bottom of the text area */
#define PIA_WIDTH	(PIA_PAGE_W - 2 * PIA_MARGIN_X)

enum pia_op_kind {
	PIA_OP_TEXT,		/* text at x, y (baseline) */
	PIA_OP_FILL,		/* gray rectangle x, y, w, h */
	PIA_OP_LINE,		/* rule from x, y to x + w, y + h */
	PIA_OP_LINK,		/* link rectangle x, y, w, h to dest */
	PIA_OP_IMAGE		/* image file text at x, y (bottom left), w, h */
};

struct pia_op {
	enum pia_op_kind	 kind;
	double			 x, y, w, h;
	double			 size, tc;	/* TEXT */
	float			 gray;		/* FILL, LINE */
	enum pia_font_kind	 font;
	unsigned		 flags;		/* TEXT: PIA_SP_* */
	const char		*text;		/* TEXT, not NUL-terminated; IMAGE: the file */
	size_t			 len;
	const char		*alt;		/* IMAGE: alt text, or NULL */
	unsigned		 list;		/* TEXT: list depth, 0: none */
	size_t			 dest;		/* LINK */
	/*
	 * TEXT, IMAGE: the structure it belongs to, for the tagged PDF:
	 * flow row + 1 (0: an artifact, e.g. the running header, a repeated
	 * table header, a （続き） label) and the cell in it.
	 */
	size_t			 srow;
	unsigned		 scell;
};

/* A flow row as the structure tree sees it (tagged PDF, device.c). */
struct pia_srow {
	int			 outline;	/* heading level (0 top), or -1 */
	unsigned		 ncells;
	unsigned		 label;		/* bit i: cell i is a label (TH) */
	unsigned		 cont;		/* bit i: cell i goes on from cell
					   i - 1, no rule between (one TD) */
	unsigned		 header;	/* a table's header row */
	unsigned		 plain;		/* no rules: a title or a note (P) */
};

struct pia_dpage {
	struct pia_op		*ops;
	size_t			 n, cap;
};

/* A place in the document: page (0-based) and the y of its top. */
struct pia_dest {
	size_t			 page;
	double			 y;
};

struct pia_outline {
	char			*title;
	int			 level;		/* 0: top */
	size_t			 dest;
};

/* The whole document, ready for the device. */
struct pia_doc {
	struct pia_dpage	*pages;
	size_t			 npages;
	struct pia_dest		*dests;
	size_t			 ndests, capdests;
	struct pia_outline	*outl;
	size_t			 noutl, capoutl;
	char			**strs;		/* strings the ops point into */
	size_t			 nstrs, capstrs;
	struct pia_srow		*srows;		/* one per flow row */
	size_t			 nsrows;
	const char		*title, *author, *subject, *creator, *keywords;
	int			 draft;		/* stamp 下書き on every page */
	int			 date[6];	/* year … second, for the info dates */
	int			 utc;		/* 1: date is UTC, else +09:00 */
};

/*
 * Place the flow onto pages: page breaks, keep-with-next chains, rows
 * split at line boundaries with （続き）, table headers repeated.  Then
 * fill page references (pageref cells), and draw everything into doc:
 * rules, fills, text, links, bookmarks, the running header (title) and
 * the 「x / y」 footer.  Returns 0 or -1.
 */
int		 pia_paginate(struct pia_typesetter *, struct pia_flow *,
		    const char *header, struct pia_doc *);
/* The page (1-based) where a node is first printed, or 0; after pia_paginate. */
unsigned	 pia_flow_page(const struct pia_flow *, const struct pia_node *);
void		 pia_doc_free(struct pia_doc *);

struct pia_diag;

/* ------------------------------------------------------------------ */
/* Characters the fonts lack (glyphs.c)                                */
/* ------------------------------------------------------------------ */

struct pia_report;

/*
 * Report PDF_GLYPH at file:line:col for each character of the report's
 * values and change rows that a font cannot draw (non-BMP, variation
 * selectors, private use, emoji, controls), PDF_IMAGE for images the PDF
 * cannot embed, and when alt is set the warning PDF_IMAGE_ALT for images
 * without alt text.  Returns how many errors.
 */
unsigned	 pia_glyphs_check(struct pia_diag *, const struct pia_report *,
		    struct pia_font *const fonts[PIA_FONT__MAX], int alt);

/* ------------------------------------------------------------------ */
/* The device (device.c): the only file that calls libharu              */
/* ------------------------------------------------------------------ */

/*
 * Write doc to path atomically (a temporary file beside it, renamed):
 * fonts subset with hb-subset to the characters used and embedded, their
 * ToUnicode CMaps corrected, info and a /ID that depends only on the
 * document.  When trace is not NULL, every text op is written to it as a
 * line "V<TAB>text" (source text), "L<TAB>text" (layout) or "A<TAB>text"
 * (an artifact of the tagged PDF: running header, page number, repeats
 * of header rows and labels, outside the structure tree).  The wall
 * time of its phases is added to ms[PIA_PDF_SUBSET…SAVE].  Problems go
 * to the sink at shown (NULL: path); PDF_WRITE with the system's reason
 * in Japanese (pia_strerror) when the file cannot be written, or with
 * libharu's code; returns 0 or -1.
 */
int		 pia_device_write(struct pia_diag *, const struct pia_doc *,
		    struct pia_font *const fonts[PIA_FONT__MAX],
		    const char *path, const char *shown, FILE *trace, double *ms);

/*
 * Objects written outside libharu (the structure tree): numbered base,
 * base + 1, …, base + n - 1 where base is the size of libharu's
 * cross-reference table; object i's value is objs[off[i]…off[i + 1]).
 * root, if not NULL, is added to the catalog dictionary (e.g.
 * "/StructTreeRoot 123 0 R").  Objects with cols[i] != 0 go into object
 * streams of rows of that many bytes with the PNG predictor, each object
 * at the start of a row, consecutive objects of the same width in one
 * stream (the writer of such an object may lay it out in rows).
 */
struct pia_pdfextra {
	const char		*objs;
	const size_t		*off;
	const size_t		*cols;	/* NULL, or per object: 0, or the row
					   width of its object stream */
	size_t			 n, base;
	const char		*root;
};

/*
 * The rows of the structure tree's object streams: an element is 30 to
 * 45 bytes, so most take one row (measured best of 32 … 64 on the bench
 * report).
 */
#define PIA_TREE_COLS	48

/*
 * Rewrite the PDF in pdf[0…len) (libharu's PDF 1.3) as PDF 1.5 with
 * object streams and a cross-reference stream, deterministic (compact.c,
 * zlib), the objects of x (may be NULL) added, into *out (*outlen bytes;
 * caller frees), for the atomic writer to save.
 * Returns 0, or -1 with the reason in why.
 */
int		 pia_pdf_compact(const unsigned char *pdf, size_t len,
		    const struct pia_pdfextra *x, unsigned char **out,
		    size_t *outlen, char *why, size_t whylen);

#endif /* !PIA_PDF_INT_H */
