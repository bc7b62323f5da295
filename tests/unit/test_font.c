/*
 * Unit tests of generator/pdf/font.c on the Debian IPAex fonts: loading,
 * widths (known values measured with libharu, and the font's own hmtx),
 * coverage, and hb-subset output checked for what libharu 2.3.0 needs to
 * load it: a (3,1) format 4 cmap, English name records 2 and 6, and the
 * glyf/loca/hmtx tables, with the layout tables gone.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hb.h>

#include "unit.h"
#include "../../generator/pdf/pdf_int.h"

/* 50 distinct code points of a typical 評価書 sentence. */
static const char sample[] =
    "特定個人情報保護評価書（全項目評価書）の記載要領に従い、"
    "委託先の管理方法を記入する。番号法第９条①Ⅰ※々令和年度";

static uint16_t
be16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Decode UTF-8 into distinct code points; returns how many. */
static size_t
distinct(const char *str, uint32_t *out, size_t max)
{
	const unsigned char	*s = (const unsigned char *)str;
	uint32_t		 c;
	size_t			 n = 0, i;

	while (*s != '\0') {
		if (*s < 0x80)
			c = *s++;
		else if (*s < 0xE0) {
			c = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
			s += 2;
		} else {
			c = (uint32_t)(s[0] & 0x0F) << 12 |
			    (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
			s += 3;
		}
		for (i = 0; i < n && out[i] != c; i++)
			continue;
		if (i == n && n < max)
			out[n++] = c;
	}
	return n;
}

/* Advance of cp in 1/1000 em straight from the font file, for comparison. */
static int
hb_width(const char *path, uint32_t cp)
{
	hb_blob_t	*blob = hb_blob_create_from_file(path);
	hb_face_t	*face = hb_face_create(blob, 0);
	hb_font_t	*font = hb_font_create(face);
	unsigned int	 upem = hb_face_get_upem(face);
	hb_codepoint_t	 g = 0;
	int		 w;

	hb_font_set_scale(font, (int)upem, (int)upem);
	hb_font_get_nominal_glyph(font, cp, &g);
	w = (int)(hb_font_get_glyph_h_advance(font, g) * 1000 / (int)upem);
	hb_font_destroy(font);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
	return w;
}

static int
has_table(hb_face_t *face, hb_tag_t tag)
{
	hb_blob_t	*b = hb_face_reference_table(face, tag);
	int		 yes = hb_blob_get_length(b) > 0;

	hb_blob_destroy(b);
	return yes;
}

/* libharu 2.3.0 reads only a (3,1) format 4 cmap subtable. */
static int
has_cmap_3_1_4(hb_face_t *face)
{
	hb_blob_t		*b = hb_face_reference_table(face,
				    HB_TAG('c', 'm', 'a', 'p'));
	unsigned int		 len, i, n, off;
	const unsigned char	*p = (const unsigned char *)
				    hb_blob_get_data(b, &len);
	int			 yes = 0;

	if (p != NULL && len >= 4) {
		n = be16(p + 2);
		for (i = 0; i < n && 4 + 8 * i + 8 <= len; i++) {
			off = be32(p + 4 + 8 * i + 4);
			if (be16(p + 4 + 8 * i) == 3 &&
			    be16(p + 4 + 8 * i + 2) == 1 &&
			    off + 2 <= len && be16(p + off) == 4)
				yes = 1;
		}
	}
	hb_blob_destroy(b);
	return yes;
}

/* libharu needs name ids 6 and 2 as (1,0,*) or (3,1,0x409) records. */
static int
has_names(hb_face_t *face)
{
	hb_blob_t		*b = hb_face_reference_table(face,
				    HB_TAG('n', 'a', 'm', 'e'));
	unsigned int		 len, i, n, plat, enc, lang, id;
	const unsigned char	*p = (const unsigned char *)
				    hb_blob_get_data(b, &len), *r;
	int			 got6 = 0, got2 = 0;

	if (p != NULL && len >= 6) {
		n = be16(p + 2);
		for (i = 0; i < n && 6 + 12 * i + 12 <= len; i++) {
			r = p + 6 + 12 * i;
			plat = be16(r);
			enc = be16(r + 2);
			lang = be16(r + 4);
			id = be16(r + 6);
			if ((plat == 1 && enc == 0) ||
			    (plat == 3 && enc == 1 && lang == 0x409)) {
				got6 |= id == 6;
				got2 |= id == 2;
			}
		}
	}
	hb_blob_destroy(b);
	return got6 && got2;
}

static void
test_load(void)
{
	struct pia_font	*f;
	const char	*why = NULL;
	char		*path;
	static const unsigned char junk[] = "this is not a font";

	f = pia_font_load(PIA_FONT_MINCHO, NULL, NULL);
	EXPECT(f != NULL);
	if (f != NULL)
		EXPECT_STR(pia_font_path(f), PIA_FONT_MINCHO_PATH);
	pia_font_free(f);

	/* An explicit path overrides the default of the kind. */
	f = pia_font_load(PIA_FONT_MINCHO, PIA_FONT_GOTHIC_PATH, NULL);
	EXPECT(f != NULL);
	if (f != NULL)
		EXPECT_STR(pia_font_path(f), PIA_FONT_GOTHIC_PATH);
	pia_font_free(f);

	EXPECT(pia_font_load(PIA_FONT_GOTHIC, "/nonexistent/x.ttf", &why)
	    == NULL);
	EXPECT_STR(why, "cannot read file");

	why = NULL;
	EXPECT(pia_font_write_temp(junk, sizeof(junk), &path) == 0);
	EXPECT(pia_font_load(PIA_FONT_MINCHO, path, &why) == NULL);
	EXPECT(why != NULL);
	unlink(path);
	free(path);

	pia_font_free(NULL);
}

static void
test_tables(struct pia_font *f, const char *path)
{
	struct pia_fontsize	 fs = { f, 10.5 };

	EXPECT_INT(pia_font_width(f, 0x3042), 1000);	/* あ */
	EXPECT_INT(pia_font_width(f, 0x6F22), 1000);	/* 漢 */
	EXPECT_INT(pia_font_width(f, 0x3000), 1000);
	EXPECT_INT(pia_font_width(f, 'A'), hb_width(path, 'A'));
	EXPECT_INT(pia_font_width(f, ' '), hb_width(path, ' '));
	EXPECT_INT(pia_font_width(f, 'i'), hb_width(path, 'i'));
	EXPECT(pia_font_width(f, 'A') < 1000);		/* proportional */
	/* libharu draws non-BMP characters as spaces. */
	EXPECT_INT(pia_font_width(f, 0x29E3D), pia_font_width(f, ' '));
	/* Missing: .notdef's advance, which is libharu's /DW. */
	EXPECT_INT(pia_font_width(f, 0xE000), hb_width(path, 0xE000));

	EXPECT(pia_font_measure(&fs, 0x3042) == 10.5);
	EXPECT(pia_font_measure(&fs, 'A') ==
	    pia_font_width(f, 'A') * 10.5 / 1000.0);

	EXPECT(pia_font_covers(f, 0x3042));		/* あ */
	EXPECT(pia_font_covers(f, 0x2460));		/* ① */
	EXPECT(pia_font_covers(f, 0x2160));		/* Ⅰ */
	EXPECT(pia_font_covers(f, 0x203B));		/* ※ */
	EXPECT(pia_font_covers(f, 0x3005));		/* 々 */
	EXPECT(pia_font_covers(f, 'A'));
	EXPECT(!pia_font_covers(f, 0));
	EXPECT(!pia_font_covers(f, 0xE000));		/* PUA */
	EXPECT(!pia_font_covers(f, 0x1F600));		/* emoji */
	EXPECT(!pia_font_covers(f, 0x29E3D));	/* 𩸽: in the font, not BMP */
	EXPECT(!pia_font_covers(f, 0xFE00));		/* VS1 */
	EXPECT(!pia_font_covers(f, 0x110000));
	EXPECT(!pia_font_covers(f, UINT32_MAX));
}

static void
test_subset(struct pia_font *f)
{
	uint32_t	 cps[64];
	unsigned char	*data = NULL;
	size_t		 n, len = 0, nh_len, i;
	char		*path = NULL;
	struct stat	 st;
	struct pia_font	*g;
	hb_blob_t	*blob;
	hb_face_t	*face;
	hb_font_t	*font;
	hb_codepoint_t	 gid;
	int		 missing = 0, wrong = 0;

	n = distinct(sample, cps, 64);
	EXPECT_INT(n, 50);
	EXPECT_INT(pia_font_subset(f, cps, n, 0, &data, &len), 0);
	if (data == NULL)
		return;
	EXPECT(len > 1000);
	EXPECT(len < 200 * 1024);

	/* HarfBuzz loads it back and finds every character. */
	blob = hb_blob_create((const char *)data, (unsigned int)len,
	    HB_MEMORY_MODE_READONLY, NULL, NULL);
	face = hb_face_create(blob, 0);
	font = hb_font_create(face);
	/* .notdef, 95 ASCII, the 50 (some overlap ASCII): fewer than 160. */
	EXPECT(hb_face_get_glyph_count(face) > 50);
	EXPECT(hb_face_get_glyph_count(face) < 160);
	for (i = 0; i < n; i++) {
		if (!hb_font_get_nominal_glyph(font, cps[i], &gid) || gid == 0)
			missing++;
		else if (hb_font_get_glyph_h_advance(font, gid) * 1000 /
		    (int)hb_face_get_upem(face) != pia_font_width(f, cps[i]))
			wrong++;
	}
	EXPECT_INT(missing, 0);
	EXPECT_INT(wrong, 0);
	EXPECT(hb_font_get_nominal_glyph(font, 'A', &gid) && gid != 0);
	EXPECT(hb_font_get_nominal_glyph(font, '~', &gid) && gid != 0);
	EXPECT(!hb_font_get_nominal_glyph(font, 0x9B31, &gid));	/* 鬱 */

	/* What libharu 2.3.0 needs, and what must be gone. */
	EXPECT(has_cmap_3_1_4(face));
	EXPECT(has_names(face));
	EXPECT(has_table(face, HB_TAG('g', 'l', 'y', 'f')));
	EXPECT(has_table(face, HB_TAG('l', 'o', 'c', 'a')));
	EXPECT(has_table(face, HB_TAG('h', 'm', 't', 'x')));
	EXPECT(has_table(face, HB_TAG('h', 'h', 'e', 'a')));
	EXPECT(has_table(face, HB_TAG('h', 'e', 'a', 'd')));
	EXPECT(has_table(face, HB_TAG('m', 'a', 'x', 'p')));
	EXPECT(has_table(face, HB_TAG('p', 'o', 's', 't')));
	EXPECT(has_table(face, HB_TAG('O', 'S', '/', '2')));
	EXPECT(has_table(face, HB_TAG('f', 'p', 'g', 'm')));
	EXPECT(!has_table(face, HB_TAG('G', 'S', 'U', 'B')));
	EXPECT(!has_table(face, HB_TAG('G', 'P', 'O', 'S')));
	EXPECT(!has_table(face, HB_TAG('G', 'D', 'E', 'F')));
	EXPECT(!has_table(face, HB_TAG('v', 'm', 't', 'x')));
	hb_font_destroy(font);
	hb_face_destroy(face);
	hb_blob_destroy(blob);

	/* The temporary file holds the same bytes and loads as a font. */
	EXPECT_INT(pia_font_write_temp(data, len, &path), 0);
	if (path != NULL) {
		EXPECT(strstr(path, "/pia-font-") != NULL);
		EXPECT(stat(path, &st) == 0 && (size_t)st.st_size == len);
		EXPECT((st.st_mode & 077) == 0);
		g = pia_font_load(PIA_FONT_MINCHO, path, NULL);
		EXPECT(g != NULL);
		if (g != NULL) {
			for (missing = 0, i = 0; i < n; i++)
				missing += !pia_font_covers(g, cps[i]);
			EXPECT_INT(missing, 0);
			EXPECT(!pia_font_covers(g, 0x9B31));
			EXPECT_INT(pia_font_width(g, 'A'),
			    pia_font_width(f, 'A'));
		}
		pia_font_free(g);
		EXPECT(unlink(path) == 0);
		free(path);
	}
	free(data);

	/* Without hinting: smaller, no fpgm/prep, same characters. */
	nh_len = len;
	EXPECT_INT(pia_font_subset(f, cps, n, PIA_SUBSET_NO_HINTING, &data,
	    &len), 0);
	if (data != NULL) {
		EXPECT(len < nh_len);
		blob = hb_blob_create((const char *)data, (unsigned int)len,
		    HB_MEMORY_MODE_READONLY, NULL, NULL);
		face = hb_face_create(blob, 0);
		font = hb_font_create(face);
		EXPECT(!has_table(face, HB_TAG('f', 'p', 'g', 'm')));
		EXPECT(!has_table(face, HB_TAG('p', 'r', 'e', 'p')));
		EXPECT(has_cmap_3_1_4(face));
		for (missing = 0, i = 0; i < n; i++)
			missing += !hb_font_get_nominal_glyph(font, cps[i],
			    &gid);
		EXPECT_INT(missing, 0);
		hb_font_destroy(font);
		hb_face_destroy(face);
		hb_blob_destroy(blob);
		free(data);
	}

	/* Nothing but ASCII is a valid request too. */
	EXPECT_INT(pia_font_subset(f, NULL, 0, 0, &data, &len), 0);
	EXPECT(data != NULL && len > 0);
	free(data);
}

/*
 * PIA_SUBSET_CODES and pia_font_recode without cps: codes 1 … n map to
 * the glyphs of cps, and the glyphs of their variation sequences (IPAex's
 * format 14 cmap lists some for 葛 and 辻) are left out.
 */
static void
test_codes(struct pia_font *f)
{
	static const uint32_t	 cps[] = { 0x845B, 0x8FBB, 0x3042 };	/* 葛辻あ */
	const size_t		 n = sizeof(cps) / sizeof(cps[0]);
	unsigned char		*data = NULL, *coded = NULL;
	size_t			 len = 0, clen = 0, i;
	hb_blob_t		*blob;
	hb_face_t		*face;
	hb_font_t		*font;
	hb_codepoint_t		 gid;
	unsigned int		 by_chars = 0;

	/* By the characters, the variants come along: what this guards. */
	EXPECT_INT(pia_font_subset(f, cps, n, PIA_SUBSET_EXACT, &data, &len),
	    0);
	if (data != NULL) {
		blob = hb_blob_create((const char *)data, (unsigned int)len,
		    HB_MEMORY_MODE_READONLY, NULL, NULL);
		face = hb_face_create(blob, 0);
		by_chars = hb_face_get_glyph_count(face);
		hb_face_destroy(face);
		hb_blob_destroy(blob);
		free(data);
	}
	EXPECT(by_chars > n + 1);

	EXPECT_INT(pia_font_subset(f, cps, n, PIA_SUBSET_NO_HINTING |
	    PIA_SUBSET_EXACT | PIA_SUBSET_CODES, &data, &len), 0);
	if (data == NULL)
		return;
	EXPECT_INT(pia_font_recode(data, len, NULL, n, &coded, &clen), 0);
	free(data);
	if (coded == NULL)
		return;
	blob = hb_blob_create((const char *)coded, (unsigned int)clen,
	    HB_MEMORY_MODE_READONLY, NULL, NULL);
	face = hb_face_create(blob, 0);
	font = hb_font_create(face);
	EXPECT_INT(hb_face_get_glyph_count(face), n + 1);
	EXPECT(has_cmap_3_1_4(face));
	for (i = 0; i < n; i++) {
		EXPECT(hb_font_get_nominal_glyph(font, (hb_codepoint_t)i + 1,
		    &gid) && gid != 0);
		EXPECT_INT(hb_font_get_glyph_h_advance(font, gid) * 1000 /
		    (int)hb_face_get_upem(face), pia_font_width(f, cps[i]));
	}
	EXPECT(!hb_font_get_nominal_glyph(font, (hb_codepoint_t)n + 1, &gid));
	EXPECT(!hb_font_get_nominal_glyph(font, cps[2], &gid));
	hb_font_destroy(font);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
	free(coded);
}

static void
test_temp(void)
{
	char		*path = NULL, *old;
	const char	*t = getenv("TMPDIR");

	/* $TMPDIR is honoured; a directory that does not exist fails. */
	old = t != NULL ? strdup(t) : NULL;
	setenv("TMPDIR", "/nonexistent-pia-dir", 1);
	errno = 0;
	EXPECT_INT(pia_font_write_temp((const unsigned char *)"x", 1, &path),
	    -1);
	EXPECT(path == NULL);
	EXPECT(errno == ENOENT);
	if (old != NULL) {
		setenv("TMPDIR", old, 1);
		free(old);
	} else
		unsetenv("TMPDIR");
}

int
main(void)
{
	struct pia_font	*mincho, *gothic;

	test_load();
	mincho = pia_font_load(PIA_FONT_MINCHO, NULL, NULL);
	gothic = pia_font_load(PIA_FONT_GOTHIC, NULL, NULL);
	EXPECT(mincho != NULL);
	EXPECT(gothic != NULL);
	if (mincho != NULL) {
		test_tables(mincho, PIA_FONT_MINCHO_PATH);
		/* Measured with libharu (reference/libs.md §3). */
		EXPECT_INT(pia_font_width(mincho, 'A'), 724);
		EXPECT_INT(pia_font_width(mincho, 'i'), 300);
		EXPECT_INT(pia_font_width(mincho, ' '), 290);
		EXPECT_INT(pia_font_width(mincho, 0xFF71), 500);	/* ｱ */
		test_subset(mincho);
		test_codes(mincho);
	}
	if (gothic != NULL) {
		test_tables(gothic, PIA_FONT_GOTHIC_PATH);
		test_subset(gothic);
	}
	test_temp();
	pia_font_free(mincho);
	pia_font_free(gothic);
	return UNIT_DONE("font");
}
