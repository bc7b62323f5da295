/*
 * The images Markdown shows, as the PDF writer needs them before
 * libharu sees them: the format (PNG or JPEG, the two libharu 2.3.0
 * embeds) and the size in pixels, read from the file's header.  Layout
 * needs the size before any page is drawn, and a file libharu cannot
 * embed must be reported at its Markdown line, not as a libharu error
 * number.  Reading two headers is a few lines; libpng and libjpeg would
 * decode far more than that.
 */
#include <stdio.h>
#include <string.h>

#include "pdf_int.h"

/*
 * Bytes an image may take once decoded (width × height × samples): libharu
 * decodes a PNG whole into memory, so a 3.5 MB file of 30000 × 30000
 * pixels took 7 GB.  64 MiB holds an A4 page scanned at 300 dpi in colour
 * (26 MB) or a 4000 × 4000 screenshot with transparency.
 */
#define MAX_DECODED	(64.0 * 1024 * 1024)

/* Big-endian 16 and 32 bit. */
static unsigned
be16at(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static unsigned long
be32at(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
	    (unsigned long)p[2] << 8 | p[3];
}

/* PNG: the IHDR chunk follows the signature. */
static int
png(FILE *f, struct pia_image *im, const char **why)
{
	unsigned char	 h[33];

	if (fread(h, 1, sizeof(h), f) != sizeof(h) ||
	    memcmp(h + 12, "IHDR", 4) != 0) {
		*why = "PNG の見出しが壊れています";
		return -1;
	}
	im->kind = PIA_IMAGE_PNG;
	im->w = be32at(h + 16);
	im->h = be32at(h + 20);
	/* Samples a pixel: gray, -, RGB, palette (an index and its alpha), gray+alpha, -, RGBA. */
	switch (h[25]) {
	case 0:
		im->samples = 1;
		break;
	case 2:
		im->samples = 3;
		break;
	case 3:
	case 4:
		im->samples = 2;
		break;
	default:
		im->samples = 4;
		break;
	}
	/* libharu 2.3.0 strips 16-bit samples but declares 16 bits. */
	if (h[24] == 16) {
		*why = "16 ビットの PNG は入れられません（8 ビットで保存し直してください）";
		return -1;
	}
	return 0;
}

/* JPEG: walk the markers to the first start of frame (SOF0…SOF15). */
static int
jpeg(FILE *f, struct pia_image *im, const char **why)
{
	unsigned char	 m[9];
	unsigned	 len;
	int		 c;

	*why = "JPEG の見出しが壊れています";
	if (fseek(f, 2, SEEK_SET) != 0)
		return -1;
	for (;;) {
		if ((c = getc(f)) == EOF)
			return -1;
		if (c != 0xFF)
			return -1;
		while ((c = getc(f)) == 0xFF)
			;
		if (c == EOF || c == 0xD9 || c == 0xDA)
			return -1;
		if (c == 0x01 || (c >= 0xD0 && c <= 0xD7))
			continue;		/* markers without a length */
		if (fread(m, 1, 2, f) != 2 || (len = be16at(m)) < 2)
			return -1;
		if (c >= 0xC0 && c <= 0xCF && c != 0xC4 && c != 0xC8 &&
		    c != 0xCC) {
			if (len < 8 || fread(m, 1, 6, f) != 6)
				return -1;
			im->kind = PIA_IMAGE_JPEG;
			im->h = be16at(m + 1);
			im->w = be16at(m + 3);
			im->samples = m[5];
			/* libharu knows gray, RGB and CMYK. */
			if (m[5] != 1 && m[5] != 3 && m[5] != 4) {
				*why = "JPEG の色の成分の数が扱えません";
				return -1;
			}
			return 0;
		}
		if (fseek(f, (long)len - 2, SEEK_CUR) != 0)
			return -1;
	}
}

int
pia_image_read(const char *path, struct pia_image *im, const char **why)
{
	static const unsigned char	 sig_png[8] =
	    { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
	unsigned char			 sig[8];
	FILE				*f;
	int				 rc = -1;

	memset(im, 0, sizeof(*im));
	*why = "開けません";
	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	*why = "PNG でも JPEG でもありません（PDF に入れられるのはこの二つです）";
	if (fread(sig, 1, sizeof(sig), f) == sizeof(sig)) {
		if (memcmp(sig, sig_png, 8) == 0) {
			rewind(f);
			rc = png(f, im, why);
		} else if (sig[0] == 0xFF && sig[1] == 0xD8)
			rc = jpeg(f, im, why);
	}
	fclose(f);
	if (rc == 0 && (im->w == 0 || im->h == 0 || im->w > 30000 ||
	    im->h > 30000)) {
		*why = "画像の大きさが正しくありません";
		rc = -1;
	} else if (rc == 0 && (double)im->w * im->h * im->samples > MAX_DECODED) {
		/* Before libharu decodes anything: the message names the Markdown line. */
		*why = "画像が大きすぎます（展開すると 64 MiB を超えます。幅と高さの画素数を減らしてください）";
		rc = -1;
	}
	return rc;
}
