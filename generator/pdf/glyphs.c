/*
 * What the PDF cannot draw: characters and images.
 *
 * Characters the PDF fonts cannot draw.  libharu 2.3.0 turns characters
 * above U+FFFF into spaces and draws a box for others the font lacks
 * (reference/libs.md §2.1); a 評価書 must show neither, so every value of
 * the report is checked against the coverage of both IPAex fonts before
 * any page is laid out, and each problem is reported where it was
 * written: the line of the source file and the column of the character on
 * it (found by reading that line again, since values are trimmed and
 * Markdown inline positions are unreliable, libs.md §5.1).
 */

#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "diag.h"
#include "form.h"
#include "md.h"
#include "model.h"
#include "pdf_int.h"
#include "util.h"

/* Source files can be large; read them only when there is a problem. */
#define MAXFILE	(8u * 1024 * 1024)

struct gstate {
	struct pia_diag		*d;
	const char		*dir;		/* the report folder images are in */
	int			 alt;		/* report images without alt text */
	struct pia_font *const	*fonts;
	unsigned		 count;
	char			*path;		/* the file in buf */
	char			*buf;
	size_t			 len;
};

static int
lacks(const struct gstate *G, uint32_t cp)
{
	int	 f;

	if (cp == '\n' || cp == '\t' || cp == '\r')
		return 0;
	for (f = 0; f < PIA_FONT__MAX; f++)
		if (!pia_font_covers(G->fonts[f], cp))
			return 1;
	return 0;
}

static const char *
hint(uint32_t cp)
{
	if (cp >= 0xE0100 && cp <= 0xE01EF)
		return "異体字セレクタ（IVS）は使えません。削除してください";
	if (cp >= 0xFE00 && cp <= 0xFE0F)
		return "異体字セレクタは使えません。削除してください";
	if ((cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000)
		return "外字（私用領域の文字）は使えません。通常の文字に置き換えてください";
	if ((cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) ||
	    cp == 0x200D)
		return "絵文字は使えません。文字で書いてください";
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return "制御文字は使えません。削除してください";
	if (cp >= 0x10000)
		return "U+10000 以上の文字は PDF に出せません（libharu が空白にします）。通常の字体に置き換えてください";
	return "別の文字に置き換えてください";
}

/* Line and column of the first cp on or after line `line` (within a few lines). */
static void
locate(struct gstate *G, struct pia_pos *pos, uint32_t cp)
{
	char		 u[8];
	const char	*p, *end, *hit, *ls;
	size_t		 ul, line = 1;
	struct pia_buf	 b = { 0 };

	if (pos->file == NULL || pos->line == 0)
		return;
	if (G->path == NULL || strcmp(G->path, pos->file) != 0) {
		free(G->path);
		free(G->buf);
		G->path = xstrdup(pos->file);
		G->buf = NULL;
		G->len = 0;
		if (pia_read_file(pos->file, MAXFILE, &G->buf, &G->len) != 0) {
			G->buf = NULL;
			G->len = 0;
		}
	}
	if (G->buf == NULL)
		return;
	pia_buf_put_cp(&b, cp);
	ul = b.len < sizeof(u) ? b.len : sizeof(u) - 1;
	memcpy(u, b.data, ul);
	u[ul] = '\0';
	pia_buf_free(&b);
	/* Start of the line. */
	for (p = G->buf, end = G->buf + G->len; p < end && line < pos->line; p++)
		if (*p == '\n')
			line++;
	if (p >= end)
		return;
	/* The first occurrence from there (values are written after their tag). */
	if ((hit = memmem(p, (size_t)(end - p), u, ul)) == NULL)
		return;
	for (ls = p; p < hit; p++)
		if (*p == '\n') {
			line++;
			ls = p + 1;
		}
	pos->line = (unsigned)line;
	pos->col = (unsigned)pia_utf8_count(ls, (size_t)(hit - ls)) + 1;
}

static void
report(struct gstate *G, const struct pia_pos *at, unsigned dline,
    uint32_t cp)
{
	struct pia_pos	 pos = { 0 };
	struct pia_buf	 b = { 0 };

	if (at != NULL)
		pos = *at;
	if (pos.line > 0)
		pos.line += dline;
	pos.col = 0;
	locate(G, &pos, cp);
	pia_buf_put_cp(&b, cp);
	pia_diag(G->d, pos.file ? &pos : NULL, PIA_MSG_PDF_GLYPH, b.data,
	    (unsigned)cp, hint(cp));
	pia_buf_free(&b);
	G->count++;
}

/*
 * Check a text written at pos; dline is added to the line (a Markdown
 * block's line within its file).  Each character is reported once per text.
 */
static void
text(struct gstate *G, const struct pia_pos *pos, unsigned dline,
    const char *s)
{
	uint32_t	 cp, seen[16];
	size_t		 i, k, n, nseen = 0, j;
	unsigned	 nl = 0;

	if (s == NULL)
		return;
	n = strlen(s);
	for (i = 0; i < n; i += k) {
		if ((k = pia_utf8_decode(s + i, n - i, &cp)) == 0) {
			k = 1;
			continue;
		}
		if (cp == '\n')
			nl++;
		if (!lacks(G, cp))
			continue;
		for (j = 0; j < nseen && seen[j] != cp; j++)
			;
		if (j < nseen)
			continue;
		if (nseen < 16)
			seen[nseen++] = cp;
		report(G, pos, dline + nl, cp);
	}
}

/*
 * A Markdown value.  Blocks parsed from a section file carry that file's
 * line numbers; blocks parsed from inside report.xml count from the
 * element's line.
 */
/*
 * A Markdown image the PDF cannot embed (not PNG or JPEG, a 16-bit PNG,
 * a broken header).  A missing file or one outside the content tree is
 * reported by the loader already (MD_IMAGE, PATH_OUTSIDE).
 */
static void
image(struct gstate *G, const struct pia_pos *at, unsigned line,
    const char *url, cmark_node *m)
{
	struct pia_pos		 pos = *at;
	struct pia_image	 im;
	const char		*why;
	char			*path;

	if (url == NULL || *url == '\0' || G->dir == NULL)
		return;
	path = xasprintf("%s/%s", G->dir, url);
	/* Paths out of the report folder are the loader's (PATH_OUTSIDE). */
	if (pia_path_inside(G->dir, path) == 1 &&
	    pia_image_read(path, &im, &why) == -1) {
		pos.line = line;
		pos.col = 0;
		pia_diag(G->d, &pos, PIA_MSG_PDF_IMAGE, url, why);
		G->count++;
	} else if (G->alt) {
		/* The tagged PDF's Figure /Alt: a screen reader's only text. */
		char	*alt = pia_md_plain(m);

		if (alt[0] == '\0') {
			pos.line = line;
			pos.col = 0;
			pia_diag(G->d, &pos, PIA_MSG_PDF_IMAGE_ALT, url, url);
		}
		free(alt);
	}
	free(path);
}

static void
markdown(struct gstate *G, const struct pia_node *n)
{
	struct pia_pos		 pos = n->pos;
	cmark_iter		*it;
	cmark_event_type	 ev;
	cmark_node		*m, *b;
	const char		*s;
	size_t			 fl;
	int			 inmd, line;

	fl = pos.file ? strlen(pos.file) : 0;
	inmd = fl > 3 && strcmp(pos.file + fl - 3, ".md") == 0;
	it = cmark_iter_new(n->md);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		m = cmark_iter_get_node(it);
		switch (cmark_node_get_type(m)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_CODE_BLOCK:
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			s = cmark_node_get_literal(m);
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			s = cmark_node_get_url(m);
			break;
		default:
			continue;
		}
		for (b = m, line = 0; b != NULL && line <= 0;
		    b = cmark_node_parent(b))
			line = cmark_node_get_start_line(b);
		if (line <= 0)
			line = 1;
		if (cmark_node_get_type(m) == CMARK_NODE_IMAGE) {
			image(G, inmd ? &pos : &n->pos, inmd ? (unsigned)line :
			    n->pos.line + (unsigned)line - 1, s, m);
			continue;
		}
		if (inmd) {
			pos.line = (unsigned)line;
			text(G, &pos, 0, s);
		} else
			text(G, &n->pos, (unsigned)line - 1, s);
	}
	cmark_iter_free(it);
}

static void
node(struct gstate *G, const struct pia_node *n)
{
	size_t	 i, j;

	if (!n->present)
		return;
	if (n->md != NULL)
		markdown(G, n);
	else
		text(G, &n->pos, 0, n->text);
	for (i = 0; i < n->nboxes; i++)
		text(G, &n->boxes[i].pos, 0, n->boxes[i].other);
	for (i = 0; i < n->nlist; i++)
		text(G, &n->list[i].pos, 0, n->list[i].text);
	for (i = 0; i < n->nrows; i++)
		for (j = 0; j < n->rows[i].ncells; j++)
			text(G, &n->rows[i].cells[j].pos, 0,
			    n->rows[i].cells[j].text);
}

unsigned
pia_glyphs_check(struct pia_diag *d, const struct pia_report *r,
    struct pia_font *const fonts[PIA_FONT__MAX], int alt)
{
	struct gstate		 G;
	struct pia_walk		 w;
	struct pia_node		*n;
	const struct pia_change	*c;
	size_t			 i;

	memset(&G, 0, sizeof(G));
	G.d = d;
	G.dir = r->dir;
	G.alt = alt;
	G.fonts = fonts;
	pia_walk_init(&w, r->root);
	while (pia_walk_next(&w, &n) != PIA_WALK_DONE)
		if (w.ev == PIA_WALK_ENTER && n->f->kind == PIA_F_ITEM)
			node(&G, n);
	for (i = 0; i < r->nchanges; i++) {
		c = &r->changes[i];
		text(&G, &c->pos, 0, c->date_text);
		text(&G, &c->pos, 0, c->item);
		text(&G, &c->pos, 0, c->before);
		text(&G, &c->pos, 0, c->after);
		text(&G, &c->pos, 0, c->timing);
		text(&G, &c->pos, 0, c->reason);
		text(&G, &c->pos, 0, c->why);
	}
	free(G.path);
	free(G.buf);
	return G.count;
}
