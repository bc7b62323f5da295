/*
 * The PDF's text as lines of segments, from poppler-glib's glyph boxes.
 * poppler gives each character of a page's text with its rectangle; the
 * reading order it guesses is not used (a grid's label and value cells
 * come out in either order), only the boxes: glyphs are grouped into lines
 * by their vertical centres and a line is cut into segments where a gap is
 * wider than a glyph, as a cell's border or a column would leave it.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <poppler.h>

#include "import.h"
#include "util.h"

struct glyph {
	uint32_t	cp;
	double		x0, y0, x1, y1;
};

static int
by_centre(const void *a, const void *b)
{
	const struct glyph *x = a, *y = b;
	double cx = (x->y0 + x->y1) / 2, cy = (y->y0 + y->y1) / 2;

	if (cx != cy)
		return cx < cy ? -1 : 1;
	return x->x0 < y->x0 ? -1 : x->x0 > y->x0;
}

static int
by_x(const void *a, const void *b)
{
	const struct glyph *x = a, *y = b;

	return x->x0 < y->x0 ? -1 : x->x0 > y->x0;
}

static int
is_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0;
}

/* Is x one of the columns' starts (cols sorted, ncols of them)? */
static int
at_column(const double *cols, size_t ncols, double x)
{
	size_t i;

	for (i = 0; i < ncols; i++)
		if (fabs(cols[i] - x) < 0.8)
			return 1;
	return 0;
}

static int
by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * The spacing a justified line adds between all its glyphs (pia pdf
 * stretches a line that a line-break rule left short): the median gap of
 * the segment's glyphs, when it has enough of them to tell.  A space of the
 * text stands wider than that.
 */
static double
stretch(const struct glyph *g, size_t n, double h)
{
	double *gap, m;
	size_t i, k = 0;

	if (n < 9)
		return 0;
	gap = xcalloc(n, sizeof(*gap));
	for (i = 1; i < n; i++)
		gap[k++] = g[i].x0 - g[i - 1].x1;
	qsort(gap, k, sizeof(*gap), by_double);
	m = gap[k / 2];
	free(gap);
	return m < 0 ? 0 : m > 0.5 * h ? 0.5 * h : m;
}

/*
 * One line's glyphs (sorted by x) into segments: at a gap wider than a
 * glyph, or at a narrower one where the next glyph starts a column that
 * many lines start at (a label filling its cell up to the value's).
 */
static void
cut_line(struct pia_imp_line *L, struct glyph *g, size_t n, const double *cols, size_t ncols)
{
	struct pia_buf b = { 0 };
	double h = 0, gap, base;
	size_t i, j, k;
	int depth = 0;
	unsigned char *cut = xcalloc(n + 1, 1);

	for (i = 0; i < n; i++)
		if (g[i].y1 - g[i].y0 > h)
			h = g[i].y1 - g[i].y0;
	for (i = 0; i < n; i++) {
		gap = i > 0 ? g[i].x0 - g[i - 1].x1 : 0;
		/*
		 * A cell's border or the next column: wider than a glyph.
		 * Inside 「[ … ]」 (a choice's answer, an empty box) the gap is
		 * the form's own padding, not a border.
		 */
		if (i > 0 && depth == 0 && (gap > 0.95 * h ||
		    (gap > 0.25 * h && at_column(cols, ncols, g[i].x0))))
			cut[i] = 1;
		if (g[i].cp == '[' || g[i].cp == 0xFF3B)
			depth++;
		else if ((g[i].cp == ']' || g[i].cp == 0xFF3D) && depth > 0)
			depth--;
	}
	L->seg = xcalloc(n + 1, sizeof(*L->seg));
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && !cut[j]; j++)
			;
		base = stretch(g + i, j - i, h);
		for (k = i; k < j; k++) {
			if (k > i && g[k].x0 - g[k - 1].x1 > 0.18 * h + base)
				pia_buf_putc(&b, ' ');
			pia_buf_put_cp(&b, g[k].cp);
		}
		L->seg[L->nseg].text = pia_buf_take(&b);
		L->seg[L->nseg].x0 = g[i].x0;
		L->seg[L->nseg].x1 = g[j - 1].x1;
		L->nseg++;
	}
	free(cut);
}

/* The glyphs of each line, kept until the columns are known. */
struct runs {
	struct glyph	**g;
	size_t		 *n;
};

/* Append the lines of one page's glyphs (sorted by centre) to doc. */
static void
page_lines(struct pia_imp_doc *doc, struct runs *R, size_t *cap, unsigned page, struct glyph *g, size_t n)
{
	size_t i = 0, j;
	double c0, h;

	while (i < n) {
		c0 = (g[i].y0 + g[i].y1) / 2;
		h = g[i].y1 - g[i].y0;
		for (j = i + 1; j < n; j++) {
			double c = (g[j].y0 + g[j].y1) / 2;

			if (c - c0 > 0.4 * (h > 1 ? h : 1))
				break;
		}
		qsort(g + i, j - i, sizeof(*g), by_x);
		if (doc->nline == *cap) {
			*cap = *cap ? *cap * 2 : 256;
			doc->line = xrealloc(doc->line, *cap * sizeof(*doc->line));
			R->g = xrealloc(R->g, *cap * sizeof(*R->g));
			R->n = xrealloc(R->n, *cap * sizeof(*R->n));
		}
		{
			struct pia_imp_line *L = &doc->line[doc->nline++];
			size_t k;

			memset(L, 0, sizeof(*L));
			L->page = page;
			L->y0 = g[i].y0;
			L->y1 = g[i].y1;
			for (k = i; k < j; k++) {
				if (g[k].y0 < L->y0)
					L->y0 = g[k].y0;
				if (g[k].y1 > L->y1)
					L->y1 = g[k].y1;
			}
			R->g[doc->nline - 1] = xmalloc((j - i) * sizeof(*g));
			memcpy(R->g[doc->nline - 1], g + i, (j - i) * sizeof(*g));
			R->n[doc->nline - 1] = j - i;
		}
		i = j;
	}
}


/*
 * The x where many lines or wide-gap segments start: the grid's columns.
 * Counted to half a point; a column is an x that at least 3 % of the lines
 * (and 8) start at.
 */
static size_t
columns(const struct runs *R, size_t nline, double **out)
{
	double *xs = NULL, *cols = NULL;
	size_t nx = 0, cap = 0, i, k, ncols = 0, run;

	for (i = 0; i < nline; i++)
		for (k = 0; k < R->n[i]; k++) {
			const struct glyph *g = &R->g[i][k];
			double h = g->y1 - g->y0;

			if (k > 0 && g->x0 - R->g[i][k - 1].x1 < 0.25 * h)
				continue;
			if (nx == cap) {
				cap = cap ? cap * 2 : 256;
				xs = xrealloc(xs, cap * sizeof(*xs));
			}
			xs[nx++] = g->x0;
		}
	if (nx > 0)
		qsort(xs, nx, sizeof(*xs), by_double);
	for (i = 0; i < nx; i = k) {
		for (k = i + 1; k < nx && xs[k] - xs[i] < 0.6; k++)
			;
		run = k - i;
		if (run >= 8 && run * 100 >= nline * 3) {
			cols = xrealloc(cols, (ncols + 1) * sizeof(*cols));
			cols[ncols++] = xs[i];
		}
	}
	free(xs);
	*out = cols;
	return ncols;
}

/*
 * The pictures of a page with text (a 事務の流れ drawn as an image): text
 * inside them is lost to the importer, so each is listed for a warning.
 * Smaller than 10 points either way: a rule or a dot, no text.
 */
static cairo_status_t
png_put(void *closure, const unsigned char *data, unsigned int len)
{
	pia_buf_put(closure, (const char *)data, len);
	return CAIRO_STATUS_SUCCESS;
}

static void
page_images(struct pia_imp_doc *doc, PopplerPage *p, unsigned page)
{
	GList *map = poppler_page_get_image_mapping(p), *l;
	unsigned no = 0;

	for (l = map; l != NULL; l = l->next) {
		const PopplerImageMapping *m = l->data;
		double w = fabs(m->area.x2 - m->area.x1), h = fabs(m->area.y2 - m->area.y1);
		struct pia_imp_image *im;
		cairo_surface_t *sf;

		if (w < 10 || h < 10)
			continue;
		doc->image = xrealloc(doc->image, (doc->nimage + 1) * sizeof(*doc->image));
		im = &doc->image[doc->nimage++];
		memset(im, 0, sizeof(*im));
		/* Poppler's image areas count y from the top, as its glyph boxes do. */
		im->page = page;
		im->no = ++no;
		im->y0 = fmin(m->area.y1, m->area.y2);
		im->y1 = fmax(m->area.y1, m->area.y2);
		im->name = xasprintf("images/p%u-%u.png", page, no);
		/* The picture itself, so the import keeps it (the text inside stays a picture). */
		if ((sf = poppler_page_get_image(p, m->image_id)) != NULL) {
			struct pia_buf b = { 0 };

			if (cairo_surface_write_to_png_stream(sf, png_put, &b) == CAIRO_STATUS_SUCCESS &&
			    b.len > 0) {
				im->pnglen = b.len;
				im->png = pia_buf_take(&b);
			} else
				pia_buf_free(&b);
			cairo_surface_destroy(sf);
		}
	}
	poppler_page_free_image_mapping(map);
}

int
pia_imp_read(const char *file, struct pia_imp_doc *doc, char **err)
{
	struct runs R = { NULL, NULL };
	double *cols = NULL;
	size_t ncols, li;
	PopplerDocument *pd;
	GError *e = NULL;
	char *abs, *uri;
	size_t cap = 0;
	int i, np;

	memset(doc, 0, sizeof(*doc));
	*err = NULL;
	abs = g_canonicalize_filename(file, NULL);
	uri = g_filename_to_uri(abs, NULL, &e);
	g_free(abs);
	if (uri == NULL) {
		*err = xstrdup(e ? e->message : "?");
		g_clear_error(&e);
		return -1;
	}
	pd = poppler_document_new_from_file(uri, NULL, &e);
	g_free(uri);
	if (pd == NULL) {
		*err = xstrdup(e ? e->message : "?");
		g_clear_error(&e);
		return -1;
	}
	np = poppler_document_get_n_pages(pd);
	doc->npages = (unsigned)np;
	for (i = 0; i < np; i++) {
		PopplerPage *p = poppler_document_get_page(pd, i);
		PopplerRectangle *r = NULL;
		guint nr = 0;
		char *text, *s;
		struct glyph *g;
		size_t ng = 0, k = 0;
		double w, h;

		if (p == NULL)
			continue;
		poppler_page_get_size(p, &w, &h);
		if (i == 0) {
			doc->pagew = w;
			doc->pageh = h;
		}
		text = poppler_page_get_text(p);
		if (text == NULL || !poppler_page_get_text_layout(p, &r, &nr))
			nr = 0;
		g = xcalloc(nr + 1, sizeof(*g));
		/* One rectangle per character of the page's text, in order. */
		for (s = text; s != NULL && *s != '\0' && k < nr; k++) {
			uint32_t cp;
			size_t len = pia_utf8_decode(s, strlen(s), &cp);

			if (len == 0) {
				s++;
				continue;
			}
			s += len;
			if (is_space(cp) || cp < 0x20 || r[k].x2 <= r[k].x1)
				continue;
			g[ng].cp = cp;
			g[ng].x0 = r[k].x1;
			g[ng].x1 = r[k].x2;
			g[ng].y0 = r[k].y1;
			g[ng].y1 = r[k].y2;
			ng++;
		}
		if (ng == 0) {
			doc->empty = xrealloc(doc->empty, (doc->nempty + 1) * sizeof(*doc->empty));
			doc->empty[doc->nempty++] = (unsigned)i + 1;
		} else
			page_images(doc, p, (unsigned)i + 1);
		qsort(g, ng, sizeof(*g), by_centre);
		page_lines(doc, &R, &cap, (unsigned)i + 1, g, ng);
		free(g);
		g_free(r);
		g_free(text);
		g_object_unref(p);
	}
	g_object_unref(pd);
	ncols = columns(&R, doc->nline, &cols);
	for (li = 0; li < doc->nline; li++) {
		cut_line(&doc->line[li], R.g[li], R.n[li], cols, ncols);
		free(R.g[li]);
	}
	free(R.g);
	free(R.n);
	free(cols);
	return 0;
}

void
pia_imp_doc_free(struct pia_imp_doc *doc)
{
	size_t i, j;

	for (i = 0; i < doc->nline; i++) {
		for (j = 0; j < doc->line[i].nseg; j++)
			free(doc->line[i].seg[j].text);
		free(doc->line[i].seg);
	}
	free(doc->line);
	free(doc->empty);
	for (i = 0; i < doc->nimage; i++) {
		free(doc->image[i].png);
		free(doc->image[i].name);
	}
	free(doc->image);
	memset(doc, 0, sizeof(*doc));
}

/* The line's text with each run of digits folded to one '#', to find a running line on each page. */
static char *
shape(const struct pia_imp_line *L)
{
	struct pia_buf b = { 0 };
	size_t i;
	const char *s;

	for (i = 0; i < L->nseg; i++) {
		if (i)
			pia_buf_putc(&b, '|');
		for (s = L->seg[i].text; *s; s++)
			if (*s < '0' || *s > '9')
				pia_buf_putc(&b, *s);
			else if (s[1] < '0' || s[1] > '9')
				pia_buf_putc(&b, '#');
	}
	return pia_buf_take(&b);
}

void
pia_imp_strip_running(struct pia_imp_doc *doc)
{
	char **sh;
	unsigned *pages;
	size_t i, j, k, n = doc->nline;
	double band = doc->pageh * 0.09;

	if (doc->npages < 2 || n == 0)
		return;
	sh = xcalloc(n, sizeof(*sh));
	pages = xcalloc(n, sizeof(*pages));
	for (i = 0; i < n; i++)
		sh[i] = shape(&doc->line[i]);
	/* A line in the top or bottom band whose shape recurs on most pages. */
	for (i = 0; i < n; i++) {
		const struct pia_imp_line *L = &doc->line[i];
		unsigned last = 0;

		if (L->y0 > band && L->y1 < doc->pageh - band)
			continue;
		for (j = 0; j < n; j++) {
			const struct pia_imp_line *M = &doc->line[j];

			if (M->page != last && fabs(M->y0 - L->y0) < 2 &&
			    strcmp(sh[i], sh[j]) == 0) {
				pages[i]++;
				last = M->page;
			}
		}
	}
	for (i = k = 0; i < n; i++) {
		const struct pia_imp_line *L = &doc->line[i];
		int drop = pages[i] * 2 > doc->npages - (L->page == 1);

		if (drop) {
			for (j = 0; j < L->nseg; j++)
				free(L->seg[j].text);
			free(L->seg);
		} else
			doc->line[k++] = doc->line[i];
		free(sh[i]);
	}
	doc->nline = k;
	free(sh);
	free(pages);
}
