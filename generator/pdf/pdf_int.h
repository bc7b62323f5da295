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
 */
#ifndef PIA_PDF_INT_H
#define PIA_PDF_INT_H

#include <stddef.h>
#include <stdint.h>

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
 *    ー, 々, ゝ, a combining mark; and no line ends with （「『【〔〈《 etc.;
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

/*
 * Subset the font with hb-subset to the n code points cps (duplicates and
 * code points the font lacks are fine) plus printable ASCII, which is
 * always kept.  Layout tables (GSUB, GPOS, GDEF, BASE, JSTF, …) and
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
 * On success returns 0 and sets *out to the TrueType bytes (caller frees)
 * and *outlen to their length; returns -1 on failure.
 */
int	 pia_font_subset(const struct pia_font *, const uint32_t *cps,
	    size_t n, unsigned int flags, unsigned char **out,
	    size_t *outlen);

/*
 * Write data to a new temporary file "pia-font-XXXXXX" in $TMPDIR or
 * /tmp, for HPDF_LoadTTFontFromFile (libharu 2.3.0 has no load from
 * memory).  Returns 0 and sets *path (caller unlinks, then frees), or -1
 * with errno set and nothing left behind.
 */
int	 pia_font_write_temp(const unsigned char *data, size_t len,
	    char **path);

#endif /* !PIA_PDF_INT_H */
