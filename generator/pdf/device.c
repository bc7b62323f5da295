/*
 * The PDF device: the display list of paginate.c written with libharu
 * 2.3.0.  This is the only file of pia that calls HPDF_*; layout never
 * does, so it can be tested without a PDF and libharu never measures a
 * glyph (measuring marks glyphs for embedding, reference/libs.md §2.1).
 *
 * What it works around (libs.md §1, §4):
 *  - fonts: each IPAex font is cut down with hb-subset to the characters
 *    the document draws (font.c), written to a temporary file for
 *    HPDF_LoadTTFontFromFile and unlinked at once (libharu keeps the file
 *    open until it saves);
 *  - text: libharu's UTF-8 encoder makes every CID a Unicode code point
 *    and measures each character again as it shows it.  pia gives each
 *    subset font a cmap of its own (font.c pia_font_recode: code k = the
 *    k-th most frequent character), writes the text as those codes straight
 *    into the page's content stream (one byte for the 191 most frequent,
 *    two for the rest, through an embedded CMap instead of Identity-H),
 *    and replaces libharu's ToUnicode CMap (a CID CMap, begincidrange,
 *    which poppler warns about, libs.md §1.5) by a bfchar CMap from each
 *    code to its character;
 *  - images (PNG, JPEG) are loaded once per file and framed by a hairline;
 *  - info strings go through the UTF-8 encoder (set before SetInfoAttr),
 *    bookmarks too; destinations use FitH, so no zoom factor is needed;
 *  - reproducibility: 2.3.0 writes no /ID and no dates of its own; pia
 *    sets both, the dates from the sources and the /ID from an MD5 of the
 *    display list, so the same sources give the same bytes;
 *  - size: libharu's PDF 1.3 is rewritten by pia as PDF 1.5 with
 *    object streams (compact.c);
 *  - errors: libharu's handler only records the first error (never a
 *    longjmp), and the result is checked before the file is written, in
 *    memory first, then through util/atomic.c (a temporary file beside
 *    it, renamed into place), so a write failure has its system reason.
 */

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hpdf.h>
#include <hpdf_encrypt.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include "atomic.h"
#include "diag.h"
#include "pdf.h"
#include "pdf_int.h"
#include "pia.h"
#include "util.h"

struct herr {
	HPDF_STATUS	 no, detail;
};

struct dev {
	HPDF_Doc	 pdf;
	HPDF_Font	 font[PIA_FONT__MAX];
	HPDF_Page	*pages;
	HPDF_Destination *dests;
	struct herr	 err;
	char		*buf;		/* NUL-terminated copy of a text */
	size_t		 bufcap;
	/* Text codes of each font: code[f][cp] = k, cps[f][k-1] = cp. */
	uint16_t	*code[PIA_FONT__MAX];
	uint32_t	*cps[PIA_FONT__MAX];
	size_t		 ncodes[PIA_FONT__MAX];
	char		*out;		/* one content-stream line */
	size_t		 outcap;
	/* Images embedded so far: each file once, however often it is drawn. */
	const char	**imgpath;
	HPDF_Image	*img;
	size_t		 nimg;
	/* The structure tree (tagged PDF); elements numbered from 1. */
	const struct pia_doc *doc;
	int		 tagged;	/* 0: PIA_PDF_UNTAGGED, no tree */
	struct sel	*el;
	size_t		 nel, capel;
	size_t		 sdoc;		/* the Document element */
	size_t		*rowel;		/* per flow row: H, P or TR */
	size_t		*cellel;	/* per flow row and cell: TH, TD */
	size_t		**ptree;	/* per page: element of each MCID */
	int		*nmcid;		/* per page: MCIDs used */
	size_t		*links;		/* Link elements, by StructParent - npages */
	size_t		*num;		/* element → its place among the objects */
	size_t		 nlinks;
	/* The running header line drawn alike on most pages, written once. */
	const struct pia_op *common;
	HPDF_Dict	 commonst;	/* its stream, made on first use */
	char		 commonfont[16];	/* its font's name on every page */
};

static void
onerror(HPDF_STATUS no, HPDF_STATUS detail, void *arg)
{
	struct herr	*e = arg;

	if (e->no == 0) {
		e->no = no;
		e->detail = detail;
	}
}

/*
 * Coordinates rounded to 1/8 pt: exact in binary, so libharu prints them
 * and their differences (Td is relative) with three decimals at most.
 */
static HPDF_REAL
r2(double v)
{
	return (HPDF_REAL)(floor(v * 8 + 0.5) / 8);
}

/* A rule, horizontal (y0 == y1) or vertical (x0 == x1), in 1/8 pt. */
struct seg {
	long	 a, b0, b1;	/* fixed coordinate, from, to */
};

static int
segcmp(const void *x, const void *y)
{
	const struct seg	*p = x, *q = y;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	if (p->b0 != q->b0)
		return p->b0 < q->b0 ? -1 : 1;
	return (p->b1 > q->b1) - (p->b1 < q->b1);
}

/* Sort and join touching or overlapping rules on the same line. */
static size_t
merge(struct seg *v, size_t n)
{
	size_t	 i, k = 0;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), segcmp);
	for (i = 1; i < n; i++)
		if (v[i].a == v[k].a && v[i].b0 <= v[k].b1) {
			if (v[i].b1 > v[k].b1)
				v[k].b1 = v[i].b1;
		} else
			v[++k] = v[i];
	return k + 1;
}

/* Draw a page's rules as few long lines. */
static void
rules(HPDF_Page page, const struct pia_dpage *pg)
{
	const struct pia_op	*o;
	struct seg		*h, *v;
	size_t			 i, nh = 0, nv = 0;
	long			 x0, y0, x1, y1, t;

	h = xcalloc(pg->n + 1, sizeof(*h));
	v = xcalloc(pg->n + 1, sizeof(*v));
	for (i = 0; i < pg->n; i++) {
		o = &pg->ops[i];
		if (o->kind != PIA_OP_LINE)
			continue;
		x0 = lround(o->x * 8);
		y0 = lround(o->y * 8);
		x1 = lround((o->x + o->w) * 8);
		y1 = lround((o->y + o->h) * 8);
		if (x0 > x1) {
			t = x0; x0 = x1; x1 = t;
		}
		if (y0 > y1) {
			t = y0; y0 = y1; y1 = t;
		}
		if (y0 == y1) {
			h[nh].a = y0;
			h[nh].b0 = x0;
			h[nh++].b1 = x1;
		} else if (x0 == x1) {
			v[nv].a = x0;
			v[nv].b0 = y0;
			v[nv++].b1 = y1;
		}
	}
	nh = merge(h, nh);
	nv = merge(v, nv);
	if (nh + nv > 0) {
		HPDF_Page_SetLineWidth(page, 0.5);
		HPDF_Page_SetGrayStroke(page, 0);
		for (i = 0; i < nh; i++) {
			HPDF_Page_MoveTo(page, h[i].b0 / 8.0f, h[i].a / 8.0f);
			HPDF_Page_LineTo(page, h[i].b1 / 8.0f, h[i].a / 8.0f);
		}
		for (i = 0; i < nv; i++) {
			HPDF_Page_MoveTo(page, v[i].a / 8.0f, v[i].b0 / 8.0f);
			HPDF_Page_LineTo(page, v[i].a / 8.0f, v[i].b1 / 8.0f);
		}
		HPDF_Page_Stroke(page);
	}
	free(h);
	free(v);
}

static const char *
cstr(struct dev *D, const char *s, size_t len)
{
	if (len + 1 > D->bufcap) {
		D->bufcap = len + 64;
		D->buf = xrealloc(D->buf, D->bufcap);
	}
	memcpy(D->buf, s, len);
	D->buf[len] = '\0';
	return D->buf;
}

/*
 * Text codes are mixed 1/2-byte: the ONE_BYTE - 1 most frequent
 * characters of a font (codes 1…0xBF) take one byte in the content
 * stream, the rest two (first byte 0xC0…0xFF).  The CID of a code is its
 * value (0xC000 for the first two-byte code), not its rank: MuPDF maps
 * the ToUnicode CMap onto CIDs within the Encoding's codespace and drops
 * every CID outside it (0xC0…0xBFFF), which left the text of all
 * two-byte characters unreadable there.  libharu's /W and CIDToGIDMap,
 * made by rank, are rewritten (cid_widths, fix_glyphs).  Word spacing
 * (Tw) would hit the one-byte code 32, which is no space here: pia sets
 * none.
 */
#define ONE_BYTE	0xC0
#define MAX_CODE	(ONE_BYTE + 0x4000 - 1)

/* The CID of the character of rank k (1…MAX_CODE): its code's value. */
static unsigned
rank_cid(unsigned k)
{
	return k < ONE_BYTE ? k : (ONE_BYTE << 8) + (k - ONE_BYTE);
}

/* The bytes of text code c (1…MAX_CODE) into b; their number. */
static int
code_bytes(unsigned c, unsigned char b[2])
{
	if (c < ONE_BYTE) {
		b[0] = (unsigned char)c;
		return 1;
	}
	c -= ONE_BYTE;
	b[0] = (unsigned char)(ONE_BYTE + (c >> 8));
	b[1] = (unsigned char)(c & 0xFF);
	return 2;
}

/*
 * The font's /Encoding: an embedded CMap for the mixed codes in place of
 * Identity-H.  One cidrange per first byte, as Adobe's own CMaps split
 * them.  The descendant's CIDSystemInfo gets the Ordering a CMap can
 * match (libharu writes "Identity-H" there).
 */
static void
set_encoding(struct dev *D, HPDF_Font font, size_t n)
{
	HPDF_FontAttr	 a = (HPDF_FontAttr)font->attr;
	HPDF_Dict	 cm, info;
	HPDF_Stream	 s;
	char		 buf[64];
	unsigned	 hi, last, ranges;

	if ((cm = HPDF_DictStream_New(D->pdf->mmgr, D->pdf->xref)) == NULL)
		return;
	cm->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	HPDF_Dict_AddName(cm, "Type", "CMap");
	HPDF_Dict_AddName(cm, "CMapName", "PIA-Mixed-H");
	if ((info = HPDF_Dict_New(D->pdf->mmgr)) == NULL)
		return;
	HPDF_Dict_Add(cm, "CIDSystemInfo", info);
	HPDF_Dict_Add(info, "Registry", HPDF_String_New(D->pdf->mmgr,
	    "Adobe", NULL));
	HPDF_Dict_Add(info, "Ordering", HPDF_String_New(D->pdf->mmgr,
	    "Identity", NULL));
	HPDF_Dict_AddNumber(info, "Supplement", 0);
	s = cm->stream;
	HPDF_Stream_WriteStr(s,
	    "/CIDInit /ProcSet findresource begin\n"
	    "12 dict begin\n"
	    "begincmap\n"
	    "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
	    "/Supplement 0 >> def\n"
	    "/CMapName /PIA-Mixed-H def\n"
	    "/CMapType 1 def\n"
	    "2 begincodespacerange\n<00> <BF>\n<C000> <FFFF>\n"
	    "endcodespacerange\n");
	last = n < ONE_BYTE ? 0 : (unsigned)(n - ONE_BYTE) >> 8;
	ranges = n < ONE_BYTE ? 1 : 2 + last;
	snprintf(buf, sizeof(buf), "%u begincidrange\n<00> <BF> 0\n",
	    ranges);
	HPDF_Stream_WriteStr(s, buf);
	for (hi = 0; n >= ONE_BYTE && hi <= last; hi++) {
		snprintf(buf, sizeof(buf), "<%02X00> <%02XFF> %u\n",
		    ONE_BYTE + hi, ONE_BYTE + hi, (ONE_BYTE + hi) << 8);
		HPDF_Stream_WriteStr(s, buf);
	}
	HPDF_Stream_WriteStr(s,
	    "endcidrange\n"
	    "endcmap\n"
	    "CMapName currentdict /CMap defineresource pop\n"
	    "end\nend\n");
	HPDF_Dict_Add(font, "Encoding", cm);
	if (a->descendant_font != NULL &&
	    (info = HPDF_Dict_GetItem(a->descendant_font, "CIDSystemInfo",
	    HPDF_OCLASS_DICT)) != NULL)
		HPDF_Dict_Add(info, "Ordering", HPDF_String_New(D->pdf->mmgr,
		    "Identity", NULL));
}

/* Code k (1…MAX_CODE) in hex between < and > into buf (8 bytes). */
static void
code_hex(unsigned k, char *buf)
{
	unsigned char	 b[2];

	if (code_bytes(k, b) == 1)
		snprintf(buf, 8, "<%02X>", b[0]);
	else
		snprintf(buf, 8, "<%02X%02X>", b[0], b[1]);
}

/* The last code of a bfrange from code k: 100 codes at most, one first byte. */
static size_t
range_last(size_t k, size_t n)
{
	size_t	 last = k + 99, byte_end;

	byte_end = k < ONE_BYTE ? ONE_BYTE - 1 :
	    k + (0xFF - ((k - ONE_BYTE) & 0xFF));
	if (last > byte_end)
		last = byte_end;
	return last < n ? last : n;
}

/*
 * Replace libharu's ToUnicode stream, a CID CMap (begincidrange) that
 * poppler warns about and that would map our codes to the wrong
 * characters, by a bfchar CMap from each text code to its character.
 */
static void
fix_tounicode(HPDF_Font font, const uint32_t *cps, size_t n)
{
	HPDF_FontAttr	 a = (HPDF_FontAttr)font->attr;
	HPDF_Dict	 cm = a->cmap_stream;
	HPDF_Stream	 s;
	char		 buf[64];
	size_t		 k, i, last, nranges, left;

	if (cm == NULL || cm->stream == NULL)
		return;
	s = cm->stream;
	HPDF_MemStream_FreeData(s);
	HPDF_Stream_WriteStr(s,
	    "/CIDInit /ProcSet findresource begin\n"
	    "12 dict begin\n"
	    "begincmap\n"
	    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
	    "/Supplement 0 >> def\n"
	    "/CMapName /Adobe-Identity-UCS def\n"
	    "/CMapType 2 def\n"
	    "2 begincodespacerange\n<00> <BF>\n<C000> <FFFF>\n"
	    "endcodespacerange\n");
	/*
	 * bfrange lines with an array, "<01> <64> [<306E> <308B> …]": the
	 * codes are consecutive ranks, so one line holds up to 100 of them
	 * (within one first byte), about half the bytes of a bfchar line a
	 * code.  At most 100 lines a block (PDF 32000-1, 9.10.3).
	 */
	for (k = 1, nranges = 0; k <= n; k = range_last(k, n) + 1)
		nranges++;
	for (k = 1, left = 0; k <= n; k = last + 1) {
		if (left == 0) {
			left = nranges < 100 ? nranges : 100;
			nranges -= left;
			snprintf(buf, sizeof(buf), "%zu beginbfrange\n", left);
			HPDF_Stream_WriteStr(s, buf);
		}
		last = range_last(k, n);
		code_hex((unsigned)k, buf);
		HPDF_Stream_WriteStr(s, buf);
		HPDF_Stream_WriteStr(s, " ");
		code_hex((unsigned)last, buf);
		HPDF_Stream_WriteStr(s, buf);
		HPDF_Stream_WriteStr(s, " [");
		for (i = k; i <= last; i++) {
			snprintf(buf, sizeof(buf), "<%04X>",
			    (unsigned)cps[i - 1]);
			HPDF_Stream_WriteStr(s, buf);
		}
		HPDF_Stream_WriteStr(s, "]\n");
		if (--left == 0)
			HPDF_Stream_WriteStr(s, "endbfrange\n");
	}
	HPDF_Stream_WriteStr(s,
	    "endcmap\n"
	    "CMapName currentdict /CMap defineresource pop\n"
	    "end\nend\n");
	/* A ToUnicode stream is a plain stream, not a CMap resource. */
	HPDF_Dict_RemoveElement(cm, "Type");
	HPDF_Dict_RemoveElement(cm, "CMapName");
	HPDF_Dict_RemoveElement(cm, "CIDSystemInfo");
	HPDF_Dict_RemoveElement(cm, "WMode");
}

/*
 * libharu writes a CIDToGIDMap of 65,535 entries and flags for embedding
 * only the glyphs it measured itself, which is none, as pia draws text
 * without it.  Keep every glyph of the subset (each one is drawn) and
 * cut the map to the codes in use.
 */
static void
fix_glyphs(HPDF_Font font, size_t n)
{
	HPDF_FontAttr		 a = (HPDF_FontAttr)font->attr;
	HPDF_TTFontDefAttr	 fa = (HPDF_TTFontDefAttr)a->fontdef->attr;
	static const HPDF_BYTE	 zero[2];
	HPDF_BYTE		 u[2];
	HPDF_UINT16		 gid;
	size_t			 k;
	unsigned		 cid;

	if (fa->glyph_tbl.flgs != NULL)
		memset(fa->glyph_tbl.flgs, 1, fa->num_glyphs);
	if (a->map_stream == NULL || a->map_stream->stream == NULL)
		return;
	HPDF_MemStream_FreeData(a->map_stream->stream);
	/* By CID: the gap between the one- and two-byte CIDs deflates to little. */
	for (k = 0, cid = 0; k <= n; k++, cid++) {
		for (; cid < rank_cid((unsigned)k); cid++)
			HPDF_Stream_Write(a->map_stream->stream, zero, 2);
		gid = k == 0 ? 0 : HPDF_TTFontDef_GetGlyphid(a->fontdef,
		    (HPDF_UINT16)k);
		u[0] = (HPDF_BYTE)(gid >> 8);
		u[1] = (HPDF_BYTE)gid;
		HPDF_Stream_Write(a->map_stream->stream, u, 2);
	}
}

/*
 * libharu's /W lists widths by rank ("3 [270] 7 [629 264] …"): the same
 * widths under the CIDs of rank_cid, a run split where the CIDs jump.
 */
static void
cid_widths(HPDF_Font font)
{
	HPDF_FontAttr	 a = (HPDF_FontAttr)font->attr;
	HPDF_Array	 w, out, run = NULL;
	HPDF_Number	 first, width;
	HPDF_Array	 ws;
	HPDF_UINT	 i, j;
	unsigned	 cid, next = 0;

	if (a->descendant_font == NULL || (w = HPDF_Dict_GetItem(
	    a->descendant_font, "W", HPDF_OCLASS_ARRAY)) == NULL ||
	    (out = HPDF_Array_New(font->mmgr)) == NULL)
		return;
	for (i = 0; i + 1 < HPDF_Array_Items(w); i += 2) {
		first = HPDF_Array_GetItem(w, i, HPDF_OCLASS_NUMBER);
		ws = HPDF_Array_GetItem(w, i + 1, HPDF_OCLASS_ARRAY);
		if (first == NULL || ws == NULL)
			continue;
		for (j = 0; j < HPDF_Array_Items(ws); j++) {
			width = HPDF_Array_GetItem(ws, j, HPDF_OCLASS_NUMBER);
			if (width == NULL)
				continue;
			cid = rank_cid((unsigned)first->value + j);
			if (run == NULL || cid != next) {
				HPDF_Array_AddNumber(out, (HPDF_INT32)cid);
				if ((run = HPDF_Array_New(font->mmgr)) == NULL)
					return;
				HPDF_Array_Add(out, run);
			}
			HPDF_Array_AddNumber(run, width->value);
			next = cid + 1;
		}
	}
	HPDF_Dict_Add(a->descendant_font, "W", out);
}

/* For qsort_r: more frequent first, then by code point, so codes are stable. */
static int
by_rank(const void *a, const void *b, void *arg)
{
	const uint32_t	*count = arg;
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	if (count[x] != count[y])
		return count[x] > count[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

/*
 * The code points each font draws, most frequent first, and the text
 * code of each: its rank + 1.  Small codes for frequent characters leave
 * the high byte of most codes 0, which deflate compresses well.
 */
static void
collect(struct dev *D, const struct pia_doc *doc)
{
	uint32_t		*count[PIA_FONT__MAX];
	const struct pia_op	*o;
	size_t			 i, j, k, f;
	uint32_t		 cp;

	for (f = 0; f < PIA_FONT__MAX; f++)
		count[f] = xcalloc(0x10000, sizeof(uint32_t));
	for (i = 0; i < doc->npages; i++)
		for (j = 0; j < doc->pages[i].n; j++) {
			o = &doc->pages[i].ops[j];
			if (o->kind != PIA_OP_TEXT)
				continue;
			for (k = 0; k < o->len; ) {
				size_t l = pia_utf8_decode(o->text + k,
				    o->len - k, &cp);
				k += l ? l : 1;
				if (l == 0 || cp >= 0x10000)
					continue;
				count[o->font][cp]++;
			}
		}
	for (f = 0; f < PIA_FONT__MAX; f++) {
		D->cps[f] = xmalloc(0x10000 * sizeof(uint32_t));
		D->code[f] = xcalloc(0x10000, sizeof(uint16_t));
		D->ncodes[f] = 0;
		for (cp = 0; cp < 0x10000; cp++)
			if (count[f][cp] != 0)
				D->cps[f][D->ncodes[f]++] = cp;
		qsort_r(D->cps[f], D->ncodes[f], sizeof(uint32_t), by_rank,
		    count[f]);
		for (k = 0; k < D->ncodes[f]; k++)
			D->code[f][D->cps[f][k]] = (uint16_t)(k + 1);
		free(count[f]);
	}
}

/*
 * The subset font as a file libharu can open by name without a file in
 * TMPDIR, which a run killed by SIGKILL would leave behind: an anonymous
 * memory file, named /proc/self/fd/N.  Returns its descriptor (the caller
 * closes it once libharu has opened its own) and sets *path; -1 when
 * there is no memfd or no /proc, and the caller writes a temporary file.
 */
static int
font_memfd(const unsigned char *data, size_t len, char **path)
{
	ssize_t	 k;
	size_t	 done = 0;
	int	 fd;

	if ((fd = memfd_create("pia-font", MFD_CLOEXEC)) == -1)
		return -1;
	while (done < len) {
		if ((k = write(fd, data + done, len - done)) == -1 && errno == EINTR)
			continue;
		if (k <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)k;
	}
	*path = xasprintf("/proc/self/fd/%d", fd);
	if (access(*path, R_OK) != 0) {
		free(*path);
		close(fd);
		return -1;
	}
	return fd;
}

static int
load_fonts(struct pia_diag *d, struct dev *D, const struct pia_doc *doc,
    struct pia_font *const fonts[PIA_FONT__MAX])
{
	size_t		 len, rlen;
	unsigned char	*data, *recoded;
	const char	*name;
	char		*tmp, why[256];
	int		 f, memfd;

	collect(D, doc);
	for (f = 0; f < PIA_FONT__MAX; f++) {
		if (D->ncodes[f] > MAX_CODE) {
			pia_diag(d, NULL, PIA_MSG_PDF_FONT,
			    pia_font_path(fonts[f]), "文字の種類が多すぎます");
			return -1;
		}
		if (pia_font_subset(fonts[f], D->cps[f], D->ncodes[f],
		    PIA_SUBSET_NO_HINTING | PIA_SUBSET_EXACT |
		    PIA_SUBSET_CODES, &data, &len) == -1) {
			pia_diag(d, NULL, PIA_MSG_PDF_FONT,
			    pia_font_path(fonts[f]), "hb-subset で切り出せません");
			return -1;
		}
		if (pia_font_recode(data, len, NULL, D->ncodes[f],
		    &recoded, &rlen) == -1) {
			pia_diag(d, NULL, PIA_MSG_PDF_FONT,
			    pia_font_path(fonts[f]), "文字の符号を割り当てられません");
			free(data);
			return -1;
		}
		free(data);
		if ((memfd = font_memfd(recoded, rlen, &tmp)) == -1 &&
		    pia_font_write_temp(recoded, rlen, &tmp) == -1) {
			/* A system error (TMPDIR full, ulimit -f), not the font's. */
			snprintf(why, sizeof(why), "フォントの一時ファイルを書けません: %s",
			    pia_strerror(errno));
			pia_diag(d, NULL, PIA_MSG_PDF_WRITE, why);
			free(recoded);
			return -1;
		}
		free(recoded);
		name = HPDF_LoadTTFontFromFile(D->pdf, tmp, HPDF_TRUE);
		/* libharu keeps the file open until it saves. */
		if (memfd != -1)
			close(memfd);
		else
			unlink(tmp);
		free(tmp);
		if (name == NULL ||
		    (D->font[f] = HPDF_GetFont(D->pdf, name, "UTF-8")) == NULL) {
			pia_diag(d, NULL, PIA_MSG_PDF_FONT,
			    pia_font_path(fonts[f]), "libharu が読めません");
			return -1;
		}
		fix_glyphs(D->font[f], D->ncodes[f]);
		cid_widths(D->font[f]);
		fix_tounicode(D->font[f], D->cps[f], D->ncodes[f]);
		set_encoding(D, D->font[f], D->ncodes[f]);
	}
	return 0;
}

/* An image's bytes into the identifier: a new picture is a new document. */
static void
md5_file(HPDF_MD5_CTX *ctx, const char *path)
{
	HPDF_BYTE	 buf[8192];
	size_t		 k;
	FILE		*f;

	if ((f = fopen(path, "rb")) == NULL)
		return;
	while ((k = fread(buf, 1, sizeof(buf), f)) > 0)
		HPDF_MD5Update(ctx, buf, (HPDF_UINT32)k);
	fclose(f);
}

/* MD5 of everything drawn: the file identifier. */
static void
docid(const struct pia_doc *doc, HPDF_BYTE id[16])
{
	HPDF_MD5_CTX		 ctx;
	const struct pia_op	*o;
	size_t			 i, j;
	long			 v[6];

	HPDF_MD5Init(&ctx);
	if (doc->title != NULL)
		HPDF_MD5Update(&ctx, (const HPDF_BYTE *)doc->title,
		    (HPDF_UINT32)strlen(doc->title));
	if (doc->author != NULL)
		HPDF_MD5Update(&ctx, (const HPDF_BYTE *)doc->author,
		    (HPDF_UINT32)strlen(doc->author));
	for (i = 0; i < doc->npages; i++)
		for (j = 0; j < doc->pages[i].n; j++) {
			o = &doc->pages[i].ops[j];
			v[0] = (long)i;
			v[1] = o->kind;
			v[2] = lround(o->x * 100);
			v[3] = lround(o->y * 100);
			v[4] = lround(o->w * 100);
			v[5] = lround(o->h * 100);
			HPDF_MD5Update(&ctx, (const HPDF_BYTE *)v, sizeof(v));
			if (o->kind == PIA_OP_TEXT)
				HPDF_MD5Update(&ctx,
				    (const HPDF_BYTE *)o->text,
				    (HPDF_UINT32)o->len);
			else if (o->kind == PIA_OP_IMAGE)
				md5_file(&ctx, o->text);
		}
	HPDF_MD5Final(id, &ctx);
}

static void
set_id(struct dev *D, const struct pia_doc *doc)
{
	HPDF_BYTE	 id[16];
	HPDF_Array	 a;

	docid(doc, id);
	if ((a = HPDF_Array_New(D->pdf->mmgr)) == NULL)
		return;
	if (HPDF_Dict_Add(D->pdf->trailer, "ID", a) != HPDF_OK)
		return;
	HPDF_Array_Add(a, HPDF_Binary_New(D->pdf->mmgr, id, 16));
	HPDF_Array_Add(a, HPDF_Binary_New(D->pdf->mmgr, id, 16));
}

/*
 * libharu refuses a string over 65,535 bytes (HPDF_STRING_OUT_OF_RANGE),
 * which fails the whole file; an info or bookmark string is cut at a
 * character boundary well below that (the page shows the text whole).
 * Returns s, or a shortened copy kept in *cut (caller frees).
 */
#define MAX_INFO	4096
static const char *
short_string(const char *s, char **cut)
{
	size_t	 n = strlen(s);

	*cut = NULL;
	if (n <= MAX_INFO)
		return s;
	n = MAX_INFO;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	*cut = xasprintf("%.*s…", (int)n, s);
	return *cut;
}

static void
set_info_attr(struct dev *D, HPDF_InfoType type, const char *value)
{
	char	*cut;

	HPDF_SetInfoAttr(D->pdf, type, short_string(value, &cut));
	free(cut);
}

static void
set_info(struct dev *D, const struct pia_doc *doc)
{
	HPDF_Date	 dt;
	char		 creator[64];

	set_info_attr(D, HPDF_INFO_TITLE, doc->title ? doc->title : "");
	if (doc->author != NULL)
		set_info_attr(D, HPDF_INFO_AUTHOR, doc->author);
	if (doc->subject != NULL)
		set_info_attr(D, HPDF_INFO_SUBJECT, doc->subject);
	if (doc->keywords != NULL)
		set_info_attr(D, HPDF_INFO_KEYWORDS, doc->keywords);
	snprintf(creator, sizeof(creator), "pia %s", PIA_VERSION);
	HPDF_SetInfoAttr(D->pdf, HPDF_INFO_CREATOR,
	    doc->creator ? doc->creator : creator);
	if (doc->date[0] == 0)
		return;
	memset(&dt, 0, sizeof(dt));
	dt.year = doc->date[0];
	dt.month = doc->date[1];
	dt.day = doc->date[2];
	dt.hour = doc->date[3];
	dt.minutes = doc->date[4];
	dt.seconds = doc->date[5];
	if (doc->utc)
		dt.ind = 'Z';
	else {
		dt.ind = '+';
		dt.off_hour = 9;
	}
	HPDF_SetInfoDateAttr(D->pdf, HPDF_INFO_CREATION_DATE, dt);
	HPDF_SetInfoDateAttr(D->pdf, HPDF_INFO_MOD_DATE, dt);
}

/* ---------------------------------------------------------------- */
/* Tagged PDF: structure tree, marked content                        */
/* ---------------------------------------------------------------- */

/*
 * libharu 2.3.0 has no tagging, and the structure tree is thousands of
 * small objects: handing each to libharu and then reading it back cost
 * more than drawing the pages.  So the tree is kept here as plain C
 * records and written as text at the end straight into the object
 * streams of compact.c (struct pia_pdfextra); only the page keys, the
 * annotations' /StructParent and the catalog entries go through libharu.
 * The marked-content operators (BDC/BMC/EMC) are written into the content
 * streams directly, as the text is.  Document → Sect (per top-level
 * heading) → H1…H6 for the bookmarked rows, Table → TR → TH (labels,
 * /Scope Row; header rows, /Scope Column) / TD for the grid, P for
 * unruled rows; Figure (with /Alt) inside the cell of an image.  Page
 * header, footer, rules, fills and repeats (header rows on later pages,
 * （続き） labels) are artifacts.
 *
 * Size: an element is "<</S/TD/P 12 0 R/Pg 5 0 R/K 3>>" (a single kid
 * without an array, /Type StructElem left out: optional, PDF 32000-1
 * table 323), the ParentTree is one object whose page arrays are direct,
 * a TH's /A one of two shared attribute objects (Scope Row, Column).
 */

enum { KID_EL, KID_MCID, KID_OBJR };

struct skid {
	int		 kind;
	size_t		 a;		/* element; MCID; annotation object */
	size_t		 pg;		/* MCID, OBJR: page */
};

struct sel {
	const char	*s;		/* structure type (a static string) */
	size_t		 parent;	/* element + 1, 0: the root */
	size_t		 pg;		/* page + 1 of /Pg, 0: none */
	int		 scope;		/* TH: 0, 'R'ow, 'C'olumn */
	unsigned	 cell;		/* TH, TD: its cell in the row */
	size_t		*lists;		/* TH, TD: open L, LI, LBody by depth */
	char		*alt;		/* Figure: /Alt (UTF-8) */
	struct skid	*k;
	size_t		 nk, capk;
};

static void
raw(HPDF_Page page, const char *s)
{
	HPDF_Stream_WriteStr(((HPDF_PageAttr)page->attr)->stream, s);
}

/* Marked-content operators: none in the untagged PDF. */
static void
mark(struct dev *D, HPDF_Page page, const char *s)
{
	if (D->tagged)
		raw(page, s);
}

static void
addkid(struct sel *e, int kind, size_t a, size_t pg)
{
	if (e->nk == e->capk) {
		e->capk = e->capk ? e->capk * 2 : 4;
		e->k = xrealloc(e->k, e->capk * sizeof(*e->k));
	}
	e->k[e->nk].kind = kind;
	e->k[e->nk].a = a;
	e->k[e->nk++].pg = pg;
}

/* A new element of type s under parent (element + 1, 0: the root): its + 1. */
static size_t
selem(struct dev *D, size_t parent, const char *s)
{
	struct sel	*e;

	if (D->nel == D->capel) {
		D->capel = D->capel ? D->capel * 2 : 256;
		D->el = xrealloc(D->el, D->capel * sizeof(*D->el));
	}
	e = &D->el[D->nel++];
	memset(e, 0, sizeof(*e));
	e->s = s;
	e->parent = parent;
	if (parent != 0)
		addkid(&D->el[parent - 1], KID_EL, D->nel, 0);
	return D->nel;
}

static const char *const heading[6] = { "H1", "H2", "H3", "H4", "H5", "H6" };

/* The elements of the rows, in flow order, before any page is drawn. */
static void
tag_begin(struct dev *D, const struct pia_doc *doc)
{
	const struct pia_srow	*r;
	size_t			 sect = 0, table = 0, parent, i;

	D->doc = doc;
	if (!D->tagged)
		return;
	D->rowel = xcalloc(doc->nsrows + 1, sizeof(*D->rowel));
	D->cellel = xcalloc((doc->nsrows + 1) * PIA_MAXCELLS,
	    sizeof(*D->cellel));
	D->ptree = xcalloc(doc->npages + 1, sizeof(*D->ptree));
	D->nmcid = xcalloc(doc->npages + 1, sizeof(*D->nmcid));
	D->sdoc = selem(D, 0, "Document");
	for (i = 0; i < doc->nsrows; i++) {
		r = &doc->srows[i];
		if (r->outline == 0) {
			sect = selem(D, D->sdoc, "Sect");
			table = 0;
		}
		parent = sect != 0 ? sect : D->sdoc;
		if (r->outline >= 0) {
			D->rowel[i] = selem(D, parent,
			    heading[r->outline < 5 ? r->outline : 5]);
			table = 0;
		} else if (r->plain) {
			D->rowel[i] = selem(D, parent, "P");
			table = 0;
		} else {
			if (table == 0)
				table = selem(D, parent, "Table");
			D->rowel[i] = selem(D, table, "TR");
		}
	}
}

/* The element (+ 1) the content of flow row srow - 1, cell scell goes into; 0: none. */
static size_t
tag_leaf(struct dev *D, size_t srow, unsigned scell)
{
	const struct pia_srow	*r;
	struct sel		*tr;
	struct skid		 kid;
	size_t			*c, e, j;
	int			 th;

	if (!D->tagged || srow == 0 || srow > D->doc->nsrows ||
	    scell >= PIA_MAXCELLS || D->rowel[srow - 1] == 0)
		return 0;
	r = &D->doc->srows[srow - 1];
	if (r->outline >= 0 || r->plain)
		return D->rowel[srow - 1];
	/* A cell going on from the one on its left is in that cell's TD. */
	while (scell > 0 && ((r->cont >> scell) & 1))
		scell--;
	c = &D->cellel[(srow - 1) * PIA_MAXCELLS + scell];
	if (*c == 0) {
		th = r->header || ((r->label >> scell) & 1);
		e = selem(D, D->rowel[srow - 1], th ? "TH" : "TD");
		/*
		 * Cells in the order of the row, whichever is drawn first (a
		 * cell empty on the row's first page starts on the next).
		 */
		D->el[e - 1].cell = scell;
		tr = &D->el[D->rowel[srow - 1] - 1];
		for (j = tr->nk - 1; j > 0 && tr->k[j - 1].kind == KID_EL &&
		    D->el[tr->k[j - 1].a - 1].cell > scell; j--) {
			kid = tr->k[j];
			tr->k[j] = tr->k[j - 1];
			tr->k[j - 1] = kid;
		}
		/* A row of labels only heads the values below it. */
		if (th)
			D->el[e - 1].scope = r->header || r->label + 1u ==
			    1u << r->ncells ? 'C' : 'R';
		*c = e;
	}
	return *c;
}

/*
 * The element (+ 1) of a text in a list inside cell element cell: the
 * cell keeps its open lists (L, LI, LBody for each depth, a list of 4 or
 * more levels is read as the 4th), so an item continued on the next page
 * stays one LI.  A marker (marker 1) opens a new LI with its Lbl; the
 * rest of the item's text goes into the LI's LBody.  A bullet (marker 2)
 * opens the LI without a Lbl and is an artifact (returns 0): a list item
 * is announced as one anyway, and a Lbl costs two objects a bullet.
 * Text outside lists closes them.
 */
#define MAXLIST	4
static size_t
tag_list(struct dev *D, size_t cell, unsigned depth, int marker)
{
	struct sel	*c = &D->el[cell - 1];
	size_t		*l, parent, li;
	unsigned	 d;

	if (c->s[0] != 'T')		/* TD, TH; not H or P */
		return cell;
	if (depth == 0) {
		if (c->lists != NULL)
			memset(c->lists, 0, 3 * MAXLIST * sizeof(*c->lists));
		return cell;
	}
	if (c->lists == NULL)
		c->lists = xcalloc(3 * MAXLIST, sizeof(*c->lists));
	d = depth > MAXLIST ? MAXLIST - 1 : depth - 1;
	/* A deeper list has ended when its parent level goes on. */
	memset(c->lists + 3 * (d + 1), 0, 3 * (MAXLIST - d - 1) *
	    sizeof(*c->lists));
	l = c->lists + 3 * d;
	if (l[0] == 0) {
		/* A nested list goes into the LBody of the item it is in. */
		parent = cell;
		if (d > 0 && c->lists[3 * (d - 1) + 1] != 0) {
			if (c->lists[3 * (d - 1) + 2] == 0)
				c->lists[3 * (d - 1) + 2] = selem(D,
				    c->lists[3 * (d - 1) + 1], "LBody");
			parent = c->lists[3 * (d - 1) + 2];
		}
		l[0] = selem(D, parent, "L");
		l[1] = l[2] = 0;
		c = &D->el[cell - 1];	/* selem may move the elements */
	}
	if (marker || l[1] == 0) {
		li = selem(D, l[0], "LI");
		l = D->el[cell - 1].lists + 3 * d;
		l[1] = li;
		l[2] = 0;
		if (marker)
			return marker == 2 ? 0 : selem(D, li, "Lbl");
	}
	if (l[2] == 0)
		l[2] = selem(D, l[1], "LBody");
	return l[2];
}

/* A bullet marker (• ◦): no Lbl, see tag_list. */
static int
bullet(const struct pia_op *o)
{
	return (o->len == 3 && memcmp(o->text, "\xE2\x80\xA2", 3) == 0) ||
	    (o->len == 3 && memcmp(o->text, "\xE2\x97\xA6", 3) == 0);
}

/* Open marked content for element e (+ 1) on page pg: BDC with a new MCID. */
static void
tag_open(struct dev *D, HPDF_Page page, size_t pg, size_t e)
{
	struct sel	*el = &D->el[e - 1];
	char		 buf[64];
	int		 id;

	if ((D->nmcid[pg] & (D->nmcid[pg] + 1)) == 0 || D->ptree[pg] == NULL)
		D->ptree[pg] = xrealloc(D->ptree[pg],
		    (size_t)(D->nmcid[pg] + 1) * 2 * sizeof(**D->ptree));
	id = D->nmcid[pg]++;
	D->ptree[pg][id] = e;
	snprintf(buf, sizeof(buf), "/%s<</MCID %d>>BDC\n", el->s, id);
	raw(page, buf);
	/* A bare MCID on the element's own page (/Pg), an MCR elsewhere. */
	if (el->pg == 0)
		el->pg = pg + 1;
	addkid(el, KID_MCID, (size_t)id, pg);
}

/*
 * A link annotation in the structure: a Link element in the first cell
 * of its row, holding the annotation (OBJR), found from the annotation
 * through its /StructParent key in the ParentTree (keys after the pages').
 */
static void
tag_link(struct dev *D, size_t pg, const struct pia_op *op, HPDF_Dict annot)
{
	size_t	 leaf, link;

	if ((leaf = tag_leaf(D, op->srow, 0)) == 0)
		return;
	link = selem(D, leaf, "Link");
	addkid(&D->el[link - 1], KID_OBJR,
	    annot->header.obj_id & 0x00FFFFFF, pg);
	HPDF_Dict_Add(annot, "Contents", HPDF_String_New(D->pdf->mmgr,
	    "リンク", HPDF_GetEncoder(D->pdf, "UTF-8")));
	D->links = xrealloc(D->links, (D->nlinks + 1) * sizeof(*D->links));
	D->links[D->nlinks] = link;
	HPDF_Dict_AddNumber(annot, "StructParent",
	    (HPDF_INT32)(D->doc->npages + D->nlinks));
	D->nlinks++;
}

/* XML text: & < > " escaped. */
static void
xml_escaped(HPDF_Stream s, const char *t)
{
	char	 one[2] = { 0, 0 };

	for (; *t != '\0'; t++)
		switch (*t) {
		case '&': HPDF_Stream_WriteStr(s, "&amp;"); break;
		case '<': HPDF_Stream_WriteStr(s, "&lt;"); break;
		case '>': HPDF_Stream_WriteStr(s, "&gt;"); break;
		case '"': HPDF_Stream_WriteStr(s, "&quot;"); break;
		default:
			one[0] = *t;
			HPDF_Stream_WriteStr(s, one);
		}
}

/* Page keys and the catalog entries of a tagged PDF (through libharu). */
static void
tag_end(struct dev *D, const struct pia_doc *doc)
{
	HPDF_MMgr	 mm = D->pdf->mmgr;
	HPDF_Dict	 cat = D->pdf->catalog, d, xmp;
	size_t		 i;

	if (!D->tagged)
		return;
	for (i = 0; i < doc->npages && D->pages[i] != NULL; i++) {
		HPDF_Dict_AddNumber(D->pages[i], "StructParents",
		    (HPDF_INT32)i);
		/* Tab order follows the structure. */
		HPDF_Dict_AddName(D->pages[i], "Tabs", "S");
	}
	if ((d = HPDF_Dict_New(mm)) != NULL) {
		HPDF_Dict_Add(d, "Marked", HPDF_Boolean_New(mm, HPDF_TRUE));
		HPDF_Dict_Add(cat, "MarkInfo", d);
	}
	HPDF_Dict_Add(cat, "Lang", HPDF_String_New(mm, "ja-JP", NULL));
	if ((d = HPDF_Dict_New(mm)) != NULL) {
		HPDF_Dict_Add(d, "DisplayDocTitle",
		    HPDF_Boolean_New(mm, HPDF_TRUE));
		HPDF_Dict_Add(cat, "ViewerPreferences", d);
	}
	/* XMP: dc:title and the PDF/UA identification. */
	if ((xmp = HPDF_DictStream_New(mm, D->pdf->xref)) == NULL)
		return;
	xmp->filter = HPDF_STREAM_FILTER_NONE;
	HPDF_Dict_AddName(xmp, "Type", "Metadata");
	HPDF_Dict_AddName(xmp, "Subtype", "XML");
	HPDF_Stream_WriteStr(xmp->stream,
	    "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
	    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
	    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
	    "<rdf:Description rdf:about=\"\"\n"
	    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
	    " xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
	    "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
	xml_escaped(xmp->stream, doc->title != NULL ? doc->title : "");
	HPDF_Stream_WriteStr(xmp->stream,
	    "</rdf:li></rdf:Alt></dc:title>\n"
	    "<dc:language><rdf:Bag><rdf:li>ja-JP</rdf:li></rdf:Bag></dc:language>\n"
	    "<pdfuaid:part>1</pdfuaid:part>\n"
	    "</rdf:Description>\n"
	    "</rdf:RDF>\n"
	    "</x:xmpmeta>\n"
	    "<?xpacket end=\"w\"?>\n");
	HPDF_Dict_Add(cat, "Metadata", xmp);
}

/* Serialisation of the tree, once libharu's objects are numbered. */
struct sbuf {
	char		*p;
	size_t		 n, cap;
};

static void
sput(struct sbuf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < b->cap - b->n)
			break;
		b->cap = b->cap * 2 + (size_t)n + 4096;
		b->p = xrealloc(b->p, b->cap);
	}
	b->n += (size_t)n;
}

/* A text string as UTF-16BE with a byte order mark, in hex. */
static void
sput_text(struct sbuf *b, const char *s)
{
	size_t		 k, l, n = strlen(s);
	uint32_t	 cp;

	sput(b, "<FEFF");
	for (k = 0; k < n; k += l ? l : 1) {
		l = pia_utf8_decode(s + k, n - k, &cp);
		if (l == 0)
			cp = 0xFFFD;
		if (cp >= 0x10000)
			sput(b, "%04X%04X", 0xD800 + ((cp - 0x10000) >> 10),
			    0xDC00 + ((cp - 0x10000) & 0x3FF));
		else
			sput(b, "%04X", cp);
	}
	sput(b, ">");
}

/* The object number of element e (+ 1); D->num maps it to its place. */
static size_t
elnum(const struct dev *D, size_t base, size_t e)
{
	return base + 1 + D->num[e - 1];
}

static void
sput_kid(struct sbuf *b, const struct dev *D, const struct sel *e,
    const struct skid *k, size_t base)
{
	switch (k->kind) {
	case KID_EL:
		sput(b, "%zu 0 R", elnum(D, base, k->a));
		break;
	case KID_MCID:
		if (k->pg + 1 == e->pg)
			sput(b, "%zu", k->a);
		else
			sput(b, "<</Type/MCR/Pg %u 0 R/MCID %zu>>",
			    (unsigned)(D->pages[k->pg]->header.obj_id &
			    0x00FFFFFF), k->a);
		break;
	default:
		sput(b, "<</Type/OBJR/Obj %zu 0 R/Pg %u 0 R>>", k->a,
		    (unsigned)(D->pages[k->pg]->header.obj_id & 0x00FFFFFF));
		break;
	}
}

/* An element's sort key: its type, then the order it was made. */
struct skey {
	const char	*s;
	size_t		 i;
};

static int
bytype(const void *a, const void *b)
{
	const struct skey	*p = a, *q = b;
	int			 c = strcmp(p->s, q->s);

	if (c != 0)
		return c;
	return (p->i > q->i) - (p->i < q->i);
}

/* One row of the ParentTree: s right-aligned in cols bytes (> its length). */
static void
sput_row(struct sbuf *b, size_t cols, const char *s)
{
	size_t	 n = strlen(s);

	sput(b, "%*s%s", (int)(n < cols ? cols - n : 0), "", s);
}

/*
 * The tree as objects base (StructTreeRoot), base + 1 … (the elements),
 * the two attribute objects, then the ParentTree; the catalog's key in
 * root.
 *
 * Size: the elements are numbered by type (all LBody, then all LI, …),
 * each in the order made, and go into object streams in rows of
 * PIA_TREE_COLS bytes (compact.c): neighbours then differ mostly in their
 * numbers, which the PNG Up predictor turns into runs of zeros.  The
 * ParentTree is written one reference a row of cols bytes for the same
 * predictor (consecutive MCIDs point at elements with close numbers).
 */
static void
tag_write(struct dev *D, size_t base, struct sbuf *b, size_t **off,
    size_t **cols, size_t *n, char *root, size_t rootlen)
{
	const struct sel	*e;
	struct skey		*order;
	size_t			 i, j, pt, c, last = base + D->nel + 3;
	char			 one[64];

	*n = D->nel + 4;
	pt = base + D->nel + 3;
	*off = xcalloc(*n + 1, sizeof(**off));
	*cols = xcalloc(*n, sizeof(**cols));
	order = xcalloc(D->nel + 1, sizeof(*order));
	D->num = xcalloc(D->nel + 1, sizeof(*D->num));
	for (i = 0; i < D->nel; i++) {
		order[i].s = D->el[i].s;
		order[i].i = i;
	}
	qsort(order, D->nel, sizeof(*order), bytype);
	for (i = 0; i < D->nel; i++)
		D->num[order[i].i] = i;
	for (i = 0; i < *n - 1; i++)
		(*cols)[i] = PIA_TREE_COLS;
	sput(b, "<</Type/StructTreeRoot/K %zu 0 R/ParentTree %zu 0 R"
	    "/ParentTreeNextKey %zu/RoleMap<<>>>>", elnum(D, base, D->sdoc),
	    pt, D->doc->npages + D->nlinks);
	for (i = 0; i < D->nel; i++) {
		(*off)[i + 1] = b->n;
		e = &D->el[order[i].i];
		sput(b, "<</S/%s/P %zu 0 R", e->s, e->parent ?
		    elnum(D, base, e->parent) : base);
		if (e->pg != 0)
			sput(b, "/Pg %u 0 R", (unsigned)(D->pages[e->pg - 1]->
			    header.obj_id & 0x00FFFFFF));
		if (e->scope != 0)
			sput(b, "/A %zu 0 R", base + D->nel + 1 +
			    (e->scope == 'R' ? 0 : 1));
		if (e->alt != NULL) {
			sput(b, "/Alt");
			sput_text(b, e->alt);
		}
		if (e->nk == 1) {
			sput(b, "/K ");
			sput_kid(b, D, e, &e->k[0], base);
		} else if (e->nk > 1) {
			sput(b, "/K[");
			for (j = 0; j < e->nk; j++) {
				if (j > 0)
					sput(b, " ");
				sput_kid(b, D, e, &e->k[j], base);
			}
			sput(b, "]");
		}
		sput(b, ">>");
	}
	(*off)[D->nel + 1] = b->n;
	sput(b, "<</O/Table/Scope/Row>>");
	(*off)[D->nel + 2] = b->n;
	sput(b, "<</O/Table/Scope/Column>>");
	/* The ParentTree: rows as wide as the widest reference. */
	(*off)[D->nel + 3] = b->n;
	c = (size_t)snprintf(one, sizeof(one), " %zu 0 R", last);
	c = c < 8 ? 8 : c;
	(*cols)[D->nel + 3] = c;
	sput(b, "%-*s", (int)c, "<</Nums[");
	for (i = 0; i < D->doc->npages && D->pages[i] != NULL; i++) {
		snprintf(one, sizeof(one), "%zu[", i);
		sput_row(b, c, one);
		for (j = 0; j < (size_t)D->nmcid[i]; j++) {
			snprintf(one, sizeof(one), "%zu 0 R",
			    elnum(D, base, D->ptree[i][j]));
			sput_row(b, c, one);
		}
		sput_row(b, c, "]");
	}
	for (i = 0; i < D->nlinks; i++) {
		snprintf(one, sizeof(one), "%zu", D->doc->npages + i);
		sput_row(b, c, one);
		snprintf(one, sizeof(one), "%zu 0 R",
		    elnum(D, base, D->links[i]));
		sput_row(b, c, one);
	}
	sput(b, "]>>");
	(*off)[*n] = b->n;
	free(order);
	snprintf(root, rootlen, "/StructTreeRoot %zu 0 R", base);
}

/* ---------------------------------------------------------------- */

/* A gray rectangle, in 1/8 pt. */
struct box {
	long	 x0, x1, y0, y1;
	int	 gray;		/* in 1/1000 */
};

static int
boxcmp(const void *a, const void *b)
{
	const struct box	*p = a, *q = b;

	if (p->gray != q->gray)
		return p->gray < q->gray ? -1 : 1;
	if (p->x0 != q->x0)
		return p->x0 < q->x0 ? -1 : 1;
	if (p->x1 != q->x1)
		return p->x1 < q->x1 ? -1 : 1;
	return (p->y0 > q->y0) - (p->y0 < q->y0);
}

/*
 * Draw a page's fills, joining boxes of one gray stacked in one column
 * (a label column down a page is one rectangle).  Returns the last gray.
 */
static float
fills(HPDF_Page page, const struct pia_dpage *pg)
{
	const struct pia_op	*o;
	struct box		*v;
	size_t			 i, n = 0, k;
	int			 gray = -1;

	v = xcalloc(pg->n + 1, sizeof(*v));
	for (i = 0; i < pg->n; i++) {
		o = &pg->ops[i];
		if (o->kind != PIA_OP_FILL)
			continue;
		v[n].x0 = lround(o->x * 8);
		v[n].x1 = lround((o->x + o->w) * 8);
		v[n].y0 = lround(o->y * 8);
		v[n].y1 = lround((o->y + o->h) * 8);
		v[n++].gray = (int)lround(o->gray * 1000);
	}
	if (n > 0) {
		qsort(v, n, sizeof(*v), boxcmp);
		for (i = 1, k = 0; i < n; i++)
			if (v[i].gray == v[k].gray && v[i].x0 == v[k].x0 &&
			    v[i].x1 == v[k].x1 && v[i].y0 <= v[k].y1)
				v[k].y1 = v[i].y1 > v[k].y1 ? v[i].y1 : v[k].y1;
			else
				v[++k] = v[i];
		n = k + 1;
	}
	for (i = 0; i < n; i++) {
		if (v[i].gray != gray) {
			gray = v[i].gray;
			HPDF_Page_SetGrayFill(page, gray / 1000.0f);
		}
		HPDF_Page_Rectangle(page, v[i].x0 / 8.0f, v[i].y0 / 8.0f,
		    (v[i].x1 - v[i].x0) / 8.0f, (v[i].y1 - v[i].y0) / 8.0f);
		HPDF_Page_Fill(page);
	}
	free(v);
	return gray < 0 ? -1 : gray / 1000.0f;
}

/*
 * A number as a content stream wants it: at most 3 decimals, no trailing
 * 0, and no 0 before the point (".5", "-.625": PDF 32000-1, 7.3.3).
 */
static char *
putnum(char *p, double v)
{
	long	 m = lround(v * 1000);
	int	 frac, digits = 3;

	if (m < 0) {
		*p++ = '-';
		m = -m;
	}
	if (m == 0 || m >= 1000)
		p += sprintf(p, "%ld", m / 1000);
	if ((frac = (int)(m % 1000)) != 0) {
		while (frac % 10 == 0) {
			frac /= 10;
			digits--;
		}
		p += sprintf(p, ".%0*d", digits, frac);
	}
	return p;
}

/*
 * One text run: move to (x, y) relative to the previous run's start (Td),
 * then the run's codes as a literal string.  Written into the page's
 * content stream directly: libharu's TextOut would look up and measure
 * every character again, and it knows only Unicode codes.
 */
static void
text_run(struct dev *D, HPDF_Page page, const struct pia_op *o,
    double *lx, double *ly)
{
	const uint16_t	*code = D->code[o->font];
	double		 x = r2(o->x), y = r2(o->y);
	size_t		 k, l, need = 64 + o->len * 4;
	uint32_t	 cp;
	unsigned	 c;
	int		 i, nb;
	unsigned char	 b, bytes[2];
	char		*p;

	if (need > D->outcap) {
		D->outcap = need * 2;
		D->out = xrealloc(D->out, D->outcap);
	}
	p = putnum(D->out, x - *lx);
	*p++ = ' ';
	p = putnum(p, y - *ly);
	p = stpcpy(p, " Td\n(");
	*lx = x;
	*ly = y;
	for (k = 0; k < o->len; k += l ? l : 1) {
		l = pia_utf8_decode(o->text + k, o->len - k, &cp);
		/* libharu drew what is above the BMP as a space. */
		c = code[l == 0 || cp >= 0x10000 ? 0x20 : cp];
		nb = code_bytes(c, bytes);
		for (i = 0; i < nb; i++) {
			b = bytes[i];
			if (b == '(' || b == ')' || b == '\\')
				*p++ = '\\';
			else if (b == '\r') {
				*p++ = '\\';
				b = 'r';
			}
			*p++ = (char)b;
		}
	}
	p = stpcpy(p, ") Tj\n");
	HPDF_Stream_Write(((HPDF_PageAttr)page->attr)->stream,
	    (const HPDF_BYTE *)D->out, (HPDF_UINT)(p - D->out));
}

/*
 * The images of a page, each file embedded once.  The preflight
 * (glyphs.c) has read every header; a file libharu still refuses is
 * recorded in D->err like any libharu error, and nothing is written.
 */
static void
images(struct dev *D, HPDF_Page page, size_t pgno, const struct pia_dpage *pg)
{
	size_t			 leaf, fig;
	const char		*base;
	const struct pia_op	*o;
	struct pia_image	 im;
	const char		*why;
	HPDF_Image		 img;
	size_t			 i, k;

	for (i = 0; i < pg->n; i++) {
		o = &pg->ops[i];
		if (o->kind != PIA_OP_IMAGE)
			continue;
		for (k = 0; k < D->nimg && strcmp(D->imgpath[k], o->text) != 0; k++)
			;
		if (k == D->nimg) {
			img = NULL;
			if (pia_image_read(o->text, &im, &why) == 0)
				img = im.kind == PIA_IMAGE_PNG ?
				    HPDF_LoadPngImageFromFile(D->pdf, o->text) :
				    HPDF_LoadJpegImageFromFile(D->pdf, o->text);
			if (img == NULL && D->err.no == 0)
				D->err.no = HPDF_INVALID_IMAGE;
			D->imgpath = xrealloc(D->imgpath,
			    (D->nimg + 1) * sizeof(*D->imgpath));
			D->img = xrealloc(D->img, (D->nimg + 1) * sizeof(*D->img));
			D->imgpath[D->nimg] = o->text;
			D->img[D->nimg++] = img;
		}
		if (D->img[k] == NULL)
			continue;
		if ((leaf = tag_leaf(D, o->srow, o->scell)) != 0) {
			fig = selem(D, leaf, "Figure");
			/*
			 * The Markdown alt text; without one (PDF_IMAGE_ALT),
			 * the file's name rather than nothing.
			 */
			base = strrchr(o->text, '/');
			D->el[fig - 1].alt = xstrdup(o->alt != NULL &&
			    o->alt[0] != '\0' ? o->alt : base != NULL ? base + 1 :
			    o->text);
			tag_open(D, page, pgno, fig);
		} else
			mark(D, page, "/Artifact BMC\n");
		HPDF_Page_DrawImage(page, D->img[k], r2(o->x), r2(o->y),
		    r2(o->w), r2(o->h));
		mark(D, page, "EMC\n/Artifact BMC\n");
		/* A hairline frame: screenshots are mostly white on white paper. */
		HPDF_Page_SetLineWidth(page, 0.25);
		HPDF_Page_SetGrayStroke(page, 0.6f);
		HPDF_Page_Rectangle(page, r2(o->x), r2(o->y), r2(o->w), r2(o->h));
		HPDF_Page_Stroke(page);
		mark(D, page, "EMC\n");
	}
}

/* The first artifact text of a page (the running header), or NULL. */
static const struct pia_op *
first_artifact_text(const struct pia_dpage *pg)
{
	size_t	 i;

	for (i = 0; i < pg->n; i++)
		if (pg->ops[i].kind == PIA_OP_TEXT && pg->ops[i].len > 0 &&
		    pg->ops[i].srow == 0)
			return &pg->ops[i];
	return NULL;
}

static int
same_text_op(const struct pia_op *a, const struct pia_op *b)
{
	return a != NULL && b != NULL && a->font == b->font &&
	    a->size == b->size && a->tc == b->tc && r2(a->x) == r2(b->x) &&
	    r2(a->y) == r2(b->y) && a->len == b->len &&
	    memcmp(a->text, b->text, a->len) == 0;
}

/*
 * The running header (the report's title on every page but the cover) is
 * the same line on page after page; each page stream is deflated on its
 * own, so each paid for the whole line (the 120-page bench: ≈ 5 KB).  It
 * is drawn once, in a content stream the pages share.  D->common: the
 * first artifact text most pages start with, if two or more do.
 */
static void
find_common(struct dev *D, const struct pia_doc *doc)
{
	const struct pia_op	*o, *best = NULL;
	size_t			 i, j, n, bestn = 1;

	for (i = 0; i < doc->npages; i++) {
		if ((o = first_artifact_text(&doc->pages[i])) == NULL)
			continue;
		/* Pages before i that start alike have been counted. */
		for (j = 0; j < i && !same_text_op(o,
		    first_artifact_text(&doc->pages[j])); j++)
			continue;
		if (j < i)
			continue;
		for (n = 0, j = i; j < doc->npages; j++)
			n += same_text_op(o, first_artifact_text(&doc->pages[j]));
		if (n > bestn) {
			best = o;
			bestn = n;
		}
		/* Enough when no later first line can be more frequent. */
		if (bestn * 2 > doc->npages)
			break;
	}
	D->common = best;
}

/*
 * Page stream writer for the shared header: text_run writes into the
 * page's stream, so the shared stream borrows a page's writer state.
 */
static int
common_stream(struct dev *D, HPDF_Page page)
{
	HPDF_PageAttr	 attr = (HPDF_PageAttr)page->attr;
	HPDF_Stream	 own = attr->stream;
	HPDF_Array	 contents;
	const char	*name;
	double		 lx = 0, ly = 0;
	char		 buf[64];

	/* The first font of the page: the same name on every page. */
	if ((name = HPDF_Page_GetLocalFontName(page,
	    D->font[D->common->font])) == NULL)
		return -1;
	if (D->commonst == NULL) {
		if ((D->commonst = HPDF_DictStream_New(D->pdf->mmgr,
		    D->pdf->xref)) == NULL)
			return -1;
		D->commonst->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
		snprintf(D->commonfont, sizeof(D->commonfont), "%s", name);
		attr->stream = D->commonst->stream;
		/* q … Q: the page's own stream starts from the default state. */
		raw(page, "q\n");
		mark(D, page, "/Artifact <</Type /Pagination>> BDC\n");
		snprintf(buf, sizeof(buf), "BT\n/%s ", name);
		raw(page, buf);
		*putnum(buf, D->common->size) = '\0';
		raw(page, buf);
		raw(page, " Tf\n");
		if (floor(D->common->tc * 1000 + 0.5) != 0) {
			*putnum(buf, floor(D->common->tc * 1000 + 0.5) /
			    1000) = '\0';
			raw(page, buf);
			raw(page, " Tc\n");
		}
		text_run(D, page, D->common, &lx, &ly);
		raw(page, "ET\n");
		mark(D, page, "EMC\n");
		raw(page, "Q\n");
		attr->stream = own;
	} else if (strcmp(name, D->commonfont) != 0)
		return -1;
	if ((contents = HPDF_Array_New(page->mmgr)) == NULL)
		return -1;
	HPDF_Array_Add(contents, D->commonst);
	HPDF_Array_Add(contents, attr->contents);
	return HPDF_Dict_Add(page, "Contents", contents) == HPDF_OK ? 0 : -1;
}

static void
draw_page(struct dev *D, HPDF_Page page, size_t pgno,
    const struct pia_dpage *pg, FILE *trace)
{
	const struct pia_op	*o;
	size_t			 leaf, cur = 0;
	size_t			 i, srow = 0;
	unsigned		 scell = 0, list = 0;
	int			 inmark = 0;
	double			 size = -1, tc = 0, lx = 0, ly = 0;
	float			 gray = -1;
	int			 font = -1, intext = 0, marked = 0, artifact = 0;
	const struct pia_op	*shared = first_artifact_text(pg);
	char			 num[48];

	/* Before anything names a font on the page (common_stream). */
	if (D->common == NULL || !same_text_op(shared, D->common) ||
	    common_stream(D, page) == -1)
		shared = NULL;
	/* Fills first, then rules, then text on top. */
	mark(D, page, "/Artifact BMC\n");
	gray = fills(page, pg);
	rules(page, pg);
	mark(D, page, "EMC\n");
	images(D, page, pgno, pg);
	if (gray != 0 && gray != -1)
		HPDF_Page_SetGrayFill(page, 0);
	for (i = 0; i < pg->n; i++) {
		o = &pg->ops[i];
		if (o->kind != PIA_OP_TEXT || o->len == 0)
			continue;
		if (o == shared) {
			if (trace != NULL)
				fprintf(trace, "A\t%s\n", cstr(D, o->text,
				    o->len));
			continue;
		}
		if (!intext) {
			HPDF_Page_BeginText(page);
			intext = 1;
		}
		/*
		 * One marked-content sequence per cell (or artifact) run, and
		 * in a list per Lbl and LBody.
		 */
		if (!marked || o->srow != srow || o->scell != scell ||
		    o->list != list || (o->flags & PIA_SP_MARKER) || inmark) {
			leaf = tag_leaf(D, o->srow, o->scell);
			if (leaf != 0)
				leaf = tag_list(D, leaf, o->list,
				    !(o->flags & PIA_SP_MARKER) ? 0 :
				    bullet(o) ? 2 : 1);
			/*
			 * One element's text in a row is one sequence (the
			 * cells of a heading row, a value and its choices).
			 */
			if (!marked || leaf != cur || (leaf == 0 &&
			    (o->srow != srow || o->scell != scell))) {
				if (marked)
					mark(D, page, "EMC\n");
				artifact = leaf == 0;
				if (!artifact)
					tag_open(D, page, pgno, leaf);
				else
					mark(D, page, o->srow == 0 ?
					    "/Artifact <</Type /Pagination>> BDC\n" :
					    "/Artifact BMC\n");
				marked = 1;
			}
			srow = o->srow;
			scell = o->scell;
			list = o->list;
			inmark = (o->flags & PIA_SP_MARKER) != 0;
			cur = leaf;
		}
		if ((int)o->font != font || o->size != size) {
			HPDF_Page_SetFontAndSize(page, D->font[o->font],
			    (HPDF_REAL)o->size);
			font = (int)o->font;
			size = o->size;
		}
		/* Tc in 1/1000 pt: off by 0.02 pt at most over a line. */
		if (floor(o->tc * 1000 + 0.5) != floor(tc * 1000 + 0.5)) {
			tc = floor(o->tc * 1000 + 0.5) / 1000;
			/* Not libharu's: putnum's short form ("-.15 Tc"). */
			strcpy(putnum(num, tc), " Tc\n");
			raw(page, num);
		}
		text_run(D, page, o, &lx, &ly);
		if (trace != NULL)
			fprintf(trace, "%c\t%s\n", artifact ? 'A' :
			    (o->flags & PIA_SP_VALUE) ? 'V' : 'L',
			    cstr(D, o->text, o->len));
	}
	if (marked)
		mark(D, page, "EMC\n");
	if (intext)
		HPDF_Page_EndText(page);
}

static void
links_and_outlines(struct dev *D, const struct pia_doc *doc)
{
	HPDF_Encoder		 utf8 = HPDF_GetEncoder(D->pdf, "UTF-8");
	HPDF_Outline		 stack[8];
	HPDF_Outline		 o;
	HPDF_Annotation		 a;
	HPDF_Rect		 rect;
	const struct pia_op	*op;
	const struct pia_dest	*ds;
	size_t			 i, j;
	int			 lv;
	char			*cut;

	D->dests = xcalloc(doc->ndests ? doc->ndests : 1, sizeof(*D->dests));
	for (i = 0; i < doc->ndests; i++) {
		ds = &doc->dests[i];
		if (ds->page >= doc->npages)
			continue;
		D->dests[i] = HPDF_Page_CreateDestination(D->pages[ds->page]);
		if (D->dests[i] != NULL)
			HPDF_Destination_SetFitH(D->dests[i], r2(ds->y + 6));
	}
	for (i = 0; i < doc->npages; i++)
		for (j = 0; j < doc->pages[i].n; j++) {
			op = &doc->pages[i].ops[j];
			if (op->kind != PIA_OP_LINK || op->dest >= doc->ndests ||
			    D->dests[op->dest] == NULL)
				continue;
			rect.left = r2(op->x);
			rect.bottom = r2(op->y);
			rect.right = r2(op->x + op->w);
			rect.top = r2(op->y + op->h);
			a = HPDF_Page_CreateLinkAnnot(D->pages[i], rect,
			    D->dests[op->dest]);
			if (a != NULL) {
				HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
				tag_link(D, i, op, a);
			}
		}
	memset(stack, 0, sizeof(stack));
	for (i = 0; i < doc->noutl; i++) {
		lv = doc->outl[i].level;
		if (lv < 0)
			lv = 0;
		if (lv > 7)
			lv = 7;
		while (lv > 0 && stack[lv - 1] == NULL)
			lv--;
		o = HPDF_CreateOutline(D->pdf, lv > 0 ? stack[lv - 1] : NULL,
		    short_string(doc->outl[i].title, &cut), utf8);
		free(cut);
		if (o == NULL)
			continue;
		HPDF_Outline_SetOpened(o, lv == 0 ? HPDF_TRUE : HPDF_FALSE);
		if (doc->outl[i].dest < doc->ndests &&
		    D->dests[doc->outl[i].dest] != NULL)
			HPDF_Outline_SetDestination(o,
			    D->dests[doc->outl[i].dest]);
		stack[lv] = o;
		for (j = (size_t)lv + 1; j < 8; j++)
			stack[j] = NULL;
	}
}

int
pia_device_write(struct pia_diag *d, const struct pia_doc *doc,
    struct pia_font *const fonts[PIA_FONT__MAX], const char *path,
    const char *shown, FILE *trace, double *ms)
{
	double		 t = pia_clock_ms(), t2;
	struct dev	 D;
	struct pia_pos	 pos = { shown != NULL ? shown : path, 0, 0 };
	HPDF_BYTE	*file = NULL;
	unsigned char	*packed = NULL;
	size_t		 npacked = 0;
	HPDF_UINT32	 size, got;
	struct pia_pdfextra x;
	struct sbuf	 tree = { NULL, 0, 0 };
	size_t		*treeoff = NULL, *treecols = NULL;
	char		 why[128], root[64];
	size_t		 i;
	int		 rc = -1;

	memset(&x, 0, sizeof(x));
	memset(&D, 0, sizeof(D));
	/* The untagged file, for the side-by-side bench (pia.1 ENVIRONMENT). */
	D.tagged = getenv("PIA_PDF_UNTAGGED") == NULL ||
	    strcmp(getenv("PIA_PDF_UNTAGGED"), "1") != 0;
	if ((D.pdf = HPDF_New(onerror, &D.err)) == NULL) {
		pia_diag(d, &pos, PIA_MSG_PDF_WRITE, "libharu");
		return -1;
	}
	HPDF_SetCompressionMode(D.pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(D.pdf);
	HPDF_SetCurrentEncoder(D.pdf, "UTF-8");
	if (load_fonts(d, &D, doc, fonts) == -1)
		goto out;
	ms[PIA_PDF_SUBSET] += (t2 = pia_clock_ms()) - t;
	t = t2;
	set_info(&D, doc);
	HPDF_SetPageMode(D.pdf, HPDF_PAGE_MODE_USE_OUTLINE);

	D.pages = xcalloc(doc->npages ? doc->npages : 1, sizeof(*D.pages));
	tag_begin(&D, doc);
	find_common(&D, doc);
	for (i = 0; i < doc->npages; i++) {
		if ((D.pages[i] = HPDF_AddPage(D.pdf)) == NULL)
			break;
		HPDF_Page_SetSize(D.pages[i], HPDF_PAGE_SIZE_A4,
		    HPDF_PAGE_PORTRAIT);
		draw_page(&D, D.pages[i], i, &doc->pages[i], trace);
	}
	links_and_outlines(&D, doc);
	tag_end(&D, doc);
	set_id(&D, doc);
	if (D.err.no != 0) {
		snprintf(why, sizeof(why), "libharu のエラー 0x%04X（詳細 %u）",
		    (unsigned)D.err.no, (unsigned)D.err.detail);
		pia_diag(d, &pos, PIA_MSG_PDF_WRITE, why);
		goto out;
	}

	ms[PIA_PDF_DRAW] += (t2 = pia_clock_ms()) - t;
	t = t2;
	/*
	 * The whole file in memory, then the one atomic writer: libharu's file
	 * stream drops errno (a full disk would be a bare libharu code), and
	 * a device such as /dev/null or /dev/full is written in place there.
	 */
	if (HPDF_SaveToStream(D.pdf) != HPDF_OK || D.err.no != 0) {
		snprintf(why, sizeof(why), "libharu のエラー 0x%04X（詳細 %u）",
		    (unsigned)D.err.no, (unsigned)D.err.detail);
		pia_diag(d, &pos, PIA_MSG_PDF_WRITE, why);
		goto out;
	}
	size = HPDF_GetStreamSize(D.pdf);
	file = xmalloc(size ? size : 1);
	got = size;
	HPDF_ResetStream(D.pdf);
	/* Reading to the very end reports HPDF_STREAM_EOF, which is no error here. */
	if (HPDF_ReadFromStream(D.pdf, file, &got) != HPDF_OK && got != size) {
		snprintf(why, sizeof(why), "libharu のエラー 0x%04X（詳細 %u）",
		    (unsigned)D.err.no, (unsigned)D.err.detail);
		pia_diag(d, &pos, PIA_MSG_PDF_WRITE, why);
		goto out;
	}
	/*
	 * PDF 1.5: object streams and a cross-reference stream (compact.c),
	 * the structure tree numbered after libharu's objects.
	 */
	if (D.tagged) {
		x.base = D.pdf->xref->entries->count;
		tag_write(&D, x.base, &tree, &treeoff, &treecols, &x.n, root,
		    sizeof(root));
		x.objs = tree.p;
		x.off = treeoff;
		x.cols = treecols;
		x.root = root;
	}
	if (pia_pdf_compact(file, got, D.tagged ? &x : NULL, &packed, &npacked,
	    why, sizeof(why)) != 0) {
		pia_diag(d, &pos, PIA_MSG_PDF_WRITE, why);
		goto out;
	}
	if (pia_atomic_write(path, packed, npacked) != 0) {
		pia_diag(d, &pos, PIA_MSG_PDF_WRITE, pia_strerror(errno));
		goto out;
	}
	ms[PIA_PDF_SAVE] += pia_clock_ms() - t;
	rc = 0;
out:
	free(file);
	free(packed);
	free(D.pages);
	free(D.dests);
	free(D.buf);
	free(D.out);
	free(D.imgpath);
	free(D.img);
	free(tree.p);
	free(treeoff);
	free(treecols);
	free(D.num);
	for (i = 0; i < D.nel; i++) {
		free(D.el[i].lists);
		free(D.el[i].k);
		free(D.el[i].alt);
	}
	free(D.el);
	free(D.rowel);
	free(D.cellel);
	for (i = 0; D.ptree != NULL && i < doc->npages; i++)
		free(D.ptree[i]);
	free(D.ptree);
	free(D.nmcid);
	free(D.links);
	for (i = 0; i < PIA_FONT__MAX; i++) {
		free(D.code[i]);
		free(D.cps[i]);
	}
	HPDF_Free(D.pdf);
	return rc;
}
