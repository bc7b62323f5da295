/*
 * Fonts for the PDF renderer, read with HarfBuzz rather than libharu.
 *
 * Widths and coverage: libharu flags a glyph for embedding whenever it
 * measures it (HPDF_Font_GetUnicodeWidth, HPDF_Font_TextWidth), so
 * measuring through libharu bloats the PDF.  Here a table of the advances
 * of all BMP code points is built once per font from the font's own cmap
 * and hmtx, rounded the way libharu 2.3.0 rounds the /W array, plus a
 * coverage bitmap for the lint and for choosing a fallback.
 *
 * Subsetting: libharu 2.3.0 keeps the full cmap, hmtx, loca and post of an
 * embedded TrueType font (≈250 KB per font, reference/libs.md §1.3).
 * hb-subset cuts the font down to the characters of the document first;
 * the result goes to a temporary file because libharu 2.3.0 only loads
 * TrueType from a file (§1.4).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hb.h>
#include <hb-subset.h>

#include "pdf_int.h"

#define NBMP	0x10000

struct pia_font {
	char		*path;
	hb_blob_t	*blob;
	hb_face_t	*face;
	unsigned int	 upem;
	uint16_t	 missing;		/* .notdef advance: libharu's /DW */
	uint16_t	 width[NBMP];		/* 1/1000 em, as in /W */
	uint8_t		 cover[NBMP / 8];	/* bit cp: glyph other than 0 */
};

/*
 * Tables hb-subset must drop.  Layout tables matter most: with GSUB kept,
 * the glyph closure would pull in the vertical, jp78/jp90 and other
 * alternates of every kept character.  libharu never embeds any of these
 * (it copies 13 fixed tables), and no PDF viewer reads them.
 */
static const hb_tag_t drop_tags[] = {
	HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'),
	HB_TAG('G', 'D', 'E', 'F'), HB_TAG('B', 'A', 'S', 'E'),
	HB_TAG('J', 'S', 'T', 'F'), HB_TAG('M', 'A', 'T', 'H'),
	HB_TAG('v', 'h', 'e', 'a'), HB_TAG('v', 'm', 't', 'x'),
	HB_TAG('V', 'O', 'R', 'G'), HB_TAG('k', 'e', 'r', 'n'),
	HB_TAG('m', 'o', 'r', 'x'), HB_TAG('m', 'o', 'r', 't'),
	HB_TAG('k', 'e', 'r', 'x'), HB_TAG('D', 'S', 'I', 'G'),
	HB_TAG('h', 'd', 'm', 'x'), HB_TAG('L', 'T', 'S', 'H'),
	HB_TAG('V', 'D', 'M', 'X'), HB_TAG('P', 'C', 'L', 'T'),
};

static const char *const default_paths[PIA_FONT__MAX] = {
	[PIA_FONT_MINCHO] = PIA_FONT_MINCHO_PATH,
	[PIA_FONT_GOTHIC] = PIA_FONT_GOTHIC_PATH,
};

/* Font units to 1/1000 em, truncated as libharu's GetGidWidth does. */
static uint16_t
milli(hb_position_t adv, unsigned int upem)
{
	if (adv <= 0)
		return 0;
	return (uint16_t)((unsigned long)adv * 1000 / upem);
}

/* Build the width and coverage tables from the cmap and hmtx. */
static int
tables(struct pia_font *f)
{
	hb_font_t	*hf;
	hb_set_t	*set;
	hb_codepoint_t	 c, g;
	uint16_t	 w;
	size_t		 i, n = 0;

	if ((hf = hb_font_create(f->face)) == NULL)
		return -1;
	/* Scale = unitsPerEm: advances come back in font units, unscaled. */
	hb_font_set_scale(hf, (int)f->upem, (int)f->upem);
	f->missing = milli(hb_font_get_glyph_h_advance(hf, 0), f->upem);
	for (i = 0; i < NBMP; i++)
		f->width[i] = f->missing;
	memset(f->cover, 0, sizeof(f->cover));

	set = hb_set_create();
	hb_face_collect_unicodes(f->face, set);
	c = HB_SET_VALUE_INVALID;
	while (hb_set_next(set, &c) && c < NBMP) {
		if (c == 0 || !hb_font_get_nominal_glyph(hf, c, &g) || g == 0)
			continue;
		w = milli(hb_font_get_glyph_h_advance(hf, g), f->upem);
		f->width[c] = w;
		f->cover[c >> 3] |= (uint8_t)(1u << (c & 7));
		n++;
	}
	hb_set_destroy(set);
	hb_font_destroy(hf);
	return n > 0 ? 0 : -1;
}

struct pia_font *
pia_font_load(enum pia_font_kind kind, const char *path, const char **why)
{
	struct pia_font	*f = NULL;
	hb_blob_t	*glyf = NULL;
	const char	*err = "out of memory";

	if (path == NULL) {
		if ((unsigned)kind >= PIA_FONT__MAX) {
			err = "unknown font kind";
			goto fail;
		}
		path = default_paths[kind];
	}
	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (f->path = strdup(path)) == NULL)
		goto fail;
	if ((f->blob = hb_blob_create_from_file_or_fail(path)) == NULL) {
		err = "cannot read file";
		goto fail;
	}
	f->face = hb_face_create(f->blob, 0);
	if (hb_face_get_glyph_count(f->face) == 0) {
		err = "not a font file";
		goto fail;
	}
	glyf = hb_face_reference_table(f->face, HB_TAG('g', 'l', 'y', 'f'));
	if (hb_blob_get_length(glyf) == 0) {
		err = "not a TrueType font (no glyf table; "
		    "libharu 2.3.0 cannot embed CFF outlines)";
		goto fail;
	}
	hb_blob_destroy(glyf);
	glyf = NULL;
	f->upem = hb_face_get_upem(f->face);
	if (tables(f) == -1) {
		err = "no Unicode characters in the cmap";
		goto fail;
	}
	return f;
fail:
	hb_blob_destroy(glyf);
	pia_font_free(f);
	if (why != NULL)
		*why = err;
	return NULL;
}

void
pia_font_free(struct pia_font *f)
{
	if (f == NULL)
		return;
	/* hb_*_destroy accept NULL. */
	hb_face_destroy(f->face);
	hb_blob_destroy(f->blob);
	free(f->path);
	free(f);
}

const char *
pia_font_path(const struct pia_font *f)
{
	return f->path;
}

int
pia_font_width(const struct pia_font *f, uint32_t cp)
{
	/* libharu turns everything above U+FFFF into a space. */
	if (cp >= NBMP)
		cp = 0x20;
	return f->width[cp];
}

int
pia_font_covers(const struct pia_font *f, uint32_t cp)
{
	if (cp >= NBMP)
		return 0;
	return (f->cover[cp >> 3] >> (cp & 7)) & 1;
}

double
pia_font_measure(void *arg, uint32_t cp)
{
	const struct pia_fontsize	*fs = arg;

	return pia_font_width(fs->font, cp) * fs->size / 1000.0;
}

/* The bytes of a blob, copied for the caller to free; 0 or -1. */
static int
blob_copy(hb_blob_t *blob, unsigned char **out, size_t *outlen)
{
	const char	*data;
	unsigned int	 len;

	data = hb_blob_get_data(blob, &len);
	if (data == NULL || len == 0 || (*out = malloc(len)) == NULL)
		return -1;
	memcpy(*out, data, len);
	*outlen = len;
	return 0;
}

static hb_blob_t	*codes_cmap(hb_font_t *, const uint32_t *, size_t);

/*
 * f as a face whose cmap maps code k (1 … n) to the glyph of cps[k - 1]
 * and nothing else, the other tables f's own (referenced, not copied).
 * Subsetting it by the codes keeps the glyphs of cps only: subsetting f
 * by the characters also keeps every glyph f's format 14 cmap subtable
 * lists for them (IPAex: the Adobe-Japan1 variants of 葉, 辻, 隆, …),
 * which the PDF never draws (the bench report: 23 glyphs, ≈ 5 KB).
 */
static hb_face_t *
coded_face(const struct pia_font *f, const uint32_t *cps, size_t n)
{
	hb_face_t	*builder;
	hb_font_t	*hf;
	hb_blob_t	*table, *cmap;
	hb_tag_t	 tags[64];
	unsigned int	 ntags = 64, i;

	if ((hf = hb_font_create(f->face)) == NULL)
		return NULL;
	cmap = codes_cmap(hf, cps, n);
	hb_font_destroy(hf);
	if (cmap == NULL)
		return NULL;
	builder = hb_face_builder_create();
	hb_face_get_table_tags(f->face, 0, &ntags, tags);
	for (i = 0; i < ntags; i++) {
		if (tags[i] == HB_TAG('c', 'm', 'a', 'p'))
			continue;
		table = hb_face_reference_table(f->face, tags[i]);
		hb_face_builder_add_table(builder, tags[i], table);
		hb_blob_destroy(table);
	}
	hb_face_builder_add_table(builder, HB_TAG('c', 'm', 'a', 'p'), cmap);
	hb_blob_destroy(cmap);
	return builder;
}

int
pia_font_subset(const struct pia_font *f, const uint32_t *cps, size_t n,
    unsigned int flags, unsigned char **out, size_t *outlen)
{
	hb_subset_input_t	*in;
	hb_face_t		*source = NULL, *sub = NULL;
	hb_blob_t		*blob = NULL;
	hb_set_t		*set;
	size_t			 i;
	int			 rc = -1;

	*out = NULL;
	*outlen = 0;
	if ((flags & PIA_SUBSET_CODES) && n >= PIA_FONT_MAXCODES)
		return -1;
	if ((in = hb_subset_input_create_or_fail()) == NULL)
		return -1;

	set = hb_subset_input_unicode_set(in);
	if (flags & PIA_SUBSET_CODES) {
		if ((source = coded_face(f, cps, n)) == NULL)
			goto out;
		if (n > 0)
			hb_set_add_range(set, 1, (hb_codepoint_t)n);
	} else {
		/* ASCII: page numbers, URLs and the like (≈60 B a glyph). */
		if (!(flags & PIA_SUBSET_EXACT))
			hb_set_add_range(set, 0x20, 0x7E);
		for (i = 0; i < n; i++)
			hb_set_add(set, cps[i]);
	}
	if (!hb_set_allocation_successful(set))
		goto out;

	set = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
	for (i = 0; i < sizeof(drop_tags) / sizeof(drop_tags[0]); i++)
		hb_set_add(set, drop_tags[i]);
	if (!hb_set_allocation_successful(set))
		goto out;

	/*
	 * The .notdef outline is kept so that a character missing from the
	 * subset shows as a box.  Glyph names go (post format 3), as libharu
	 * 2.4 does.  Without hinting, libharu 2.3.0 writes empty cvt, fpgm
	 * and prep tables in their place (SaveFontData's emptyTable).
	 */
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NOTDEF_OUTLINE |
	    ((flags & PIA_SUBSET_NO_HINTING) ? HB_SUBSET_FLAGS_NO_HINTING : 0));

	if ((sub = hb_subset_or_fail(source != NULL ? source : f->face,
	    in)) == NULL)
		goto out;
	blob = hb_face_reference_blob(sub);
	if (blob_copy(blob, out, outlen) == -1)
		goto out;
	rc = 0;
out:
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	hb_face_destroy(source);
	hb_subset_input_destroy(in);
	return rc;
}

int
pia_font_write_temp(const unsigned char *data, size_t len, char **path)
{
	static const char	 name[] = "/pia-font-XXXXXX";
	const char		*dir;
	char			*p;
	size_t			 dl, done = 0;
	ssize_t			 k;
	int			 fd, saved;

	*path = NULL;
	if ((dir = getenv("TMPDIR")) == NULL || *dir == '\0')
		dir = "/tmp";
	dl = strlen(dir);
	if ((p = malloc(dl + sizeof(name))) == NULL)
		return -1;
	memcpy(p, dir, dl);
	memcpy(p + dl, name, sizeof(name));
	if ((fd = mkstemp(p)) == -1) {
		saved = errno;
		free(p);
		errno = saved;
		return -1;
	}
	while (done < len) {
		k = write(fd, data + done, len - done);
		if (k == -1 && errno == EINTR)
			continue;
		if (k <= 0)
			goto fail;
		done += (size_t)k;
	}
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	*path = p;
	return 0;
fail:
	saved = errno ? errno : EIO;
	if (fd != -1)
		close(fd);
	unlink(p);
	free(p);
	errno = saved;
	return -1;
}

/* Big-endian 16-bit store: TrueType tables are big-endian. */
static unsigned char *
be16(unsigned char *p, unsigned int v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
	return p + 2;
}

/*
 * A cmap table with one (3,1) format 4 subtable: the segment 1…n reads
 * its glyphs from glyphIdArray (idRangeOffset 4 points just past the two
 * idRangeOffset words), then the 0xFFFF segment the format requires.
 */
static hb_blob_t *
codes_cmap(hb_font_t *hf, const uint32_t *cps, size_t n)
{
	unsigned int	 segs = n > 0 ? 2 : 1, len, i;
	unsigned char	*t, *p;
	hb_codepoint_t	 g;

	len = 12 + 16 + segs * 8 + (unsigned int)n * 2;
	if ((t = calloc(1, len)) == NULL)
		return NULL;
	p = be16(t, 0);			/* version */
	p = be16(p, 1);			/* one encoding record */
	p = be16(p, 3);			/* Windows */
	p = be16(p, 1);			/* Unicode BMP */
	p = be16(p, 0);			/* offset, high word */
	p = be16(p, 12);
	p = be16(p, 4);			/* format */
	p = be16(p, len - 12);
	p = be16(p, 0);			/* language */
	p = be16(p, segs * 2);
	/* searchRange = 2 × 2^floor(log2 segs), entrySelector = its log2 - 1. */
	p = be16(p, segs * 2);
	p = be16(p, segs - 1);
	p = be16(p, 0);			/* rangeShift */
	if (n > 0)
		p = be16(p, (unsigned int)n);	/* endCode */
	p = be16(p, 0xFFFF);
	p = be16(p, 0);			/* reservedPad */
	if (n > 0)
		p = be16(p, 1);		/* startCode */
	p = be16(p, 0xFFFF);
	if (n > 0)
		p = be16(p, 0);		/* idDelta */
	p = be16(p, 1);
	if (n > 0)
		p = be16(p, 4);		/* idRangeOffset */
	p = be16(p, 0);
	for (i = 0; i < n; i++) {
		/* No cps: hf's cmap maps the codes themselves. */
		if (!hb_font_get_nominal_glyph(hf, cps != NULL ? cps[i] :
		    (hb_codepoint_t)i + 1, &g))
			g = 0;
		p = be16(p, g);
	}
	return hb_blob_create((const char *)t, len, HB_MEMORY_MODE_WRITABLE,
	    t, free);
}

int
pia_font_recode(const unsigned char *font, size_t len, const uint32_t *cps,
    size_t n, unsigned char **out, size_t *outlen)
{
	hb_blob_t	*blob, *table, *cmap = NULL, *res = NULL;
	hb_face_t	*face, *builder = NULL;
	hb_font_t	*hf = NULL;
	hb_tag_t	 tags[64];
	unsigned int	 ntags = 64, i;
	int		 rc = -1;

	*out = NULL;
	*outlen = 0;
	if (n >= PIA_FONT_MAXCODES || len > 0x7fffffff)
		return -1;
	blob = hb_blob_create((const char *)font, (unsigned int)len,
	    HB_MEMORY_MODE_READONLY, NULL, NULL);
	face = hb_face_create(blob, 0);
	hf = hb_font_create(face);
	if ((cmap = codes_cmap(hf, cps, n)) == NULL)
		goto out;
	builder = hb_face_builder_create();
	hb_face_get_table_tags(face, 0, &ntags, tags);
	for (i = 0; i < ntags; i++) {
		if (tags[i] == HB_TAG('c', 'm', 'a', 'p'))
			continue;
		table = hb_face_reference_table(face, tags[i]);
		hb_face_builder_add_table(builder, tags[i], table);
		hb_blob_destroy(table);
	}
	hb_face_builder_add_table(builder, HB_TAG('c', 'm', 'a', 'p'), cmap);
	res = hb_face_reference_blob(builder);
	if (blob_copy(res, out, outlen) == -1)
		goto out;
	rc = 0;
out:
	hb_blob_destroy(res);
	hb_blob_destroy(cmap);
	hb_face_destroy(builder);
	hb_font_destroy(hf);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
	return rc;
}
