/*
 * libFuzzer target: the line breaker (pdf/linebreak.c) with the real IPAex
 * 明朝 widths.  The first byte picks the line width (5 to 260 points, so
 * single characters wider than the line occur too); the rest is the text.
 * The breaker's own promises are checked: lines in order, inside the text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../generator/pdf/pdf_int.h"

static struct pia_font *mincho;
static struct pia_breaker *breaker;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if ((mincho = pia_font_load(PIA_FONT_MINCHO, NULL, NULL)) == NULL ||
	    (breaker = pia_linebreak_new()) == NULL)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pia_fontsize fs = { NULL, 10.5 };
	struct pia_measure m = { &fs, pia_font_measure };
	struct pia_lines lines = { 0 };
	size_t i, end = 0;
	double maxw;

	if (size < 1)
		return 0;
	fs.font = mincho;
	maxw = 5.0 + data[0];
	if (pia_linebreak_para(breaker, (const char *)data + 1, size - 1, maxw, &m, &lines) == 0)
		for (i = 0; i < lines.n; i++) {
			if (lines.v[i].off < end || lines.v[i].off + lines.v[i].len > size - 1)
				abort();
			end = lines.v[i].off + lines.v[i].len;
		}
	pia_linebreak_lines_free(&lines);
	return 0;
}
