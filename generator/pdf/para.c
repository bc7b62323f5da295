/*
 * Paragraphs for the PDF renderer: text with runs of Mincho and Gothic
 * (strong text and headings are Gothic), a size, an indent and a marker
 * (・, 1., [○]) hanging before the first line; and their layout into lines
 * of runs for a given width.
 *
 * Layout asks the line breaker (linebreak.c) for the lines, measuring
 * every code point in the font of the span it belongs to (the breaker
 * calls the measure once per code point, in order, so a cursor finds the
 * span), then cuts each line at span boundaries into runs: one TextOut
 * each, with the line's Tc when it is justified.  Widths come from the
 * fonts' own tables (font.c), never from libharu.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_int.h"
#include "util.h"

/* Line height as a multiple of the size. */
#define LEAD		1.55
/* A wrapped line is justified only while Tc stays below this many em. */
#define MAXTC		0.25

struct pia_para *
pia_content_para(struct pia_content *c, double size, enum pia_align al)
{
	struct pia_para	*p;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 4;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	p = &c->v[c->n++];
	memset(p, 0, sizeof(*p));
	p->size = size;
	/* In 1/8 pt, so that line positions stay short numbers. */
	p->lead = floor(size * LEAD * 8 + 0.5) / 8;
	p->align = al;
	return p;
}

struct pia_para *
pia_content_image(struct pia_content *c, const char *path, double w, double h)
{
	struct pia_para	*p = pia_content_para(c, 9, PIA_AL_LEFT);

	p->image = xstrdup(path);
	p->iw = w;
	p->ih = h;
	return p;
}

void
pia_para_put(struct pia_para *p, const char *s, size_t len,
    enum pia_font_kind font, unsigned flags)
{
	struct pia_span	*sp;

	if (len == 0)
		return;
	if (p->len + len + 1 > p->cap) {
		while (p->len + len + 1 > p->cap)
			p->cap = p->cap ? p->cap * 2 : 64;
		p->text = xrealloc(p->text, p->cap);
	}
	memcpy(p->text + p->len, s, len);
	sp = p->nspans ? &p->spans[p->nspans - 1] : NULL;
	if (sp != NULL && sp->font == font && sp->flags == flags &&
	    sp->off + sp->len == p->len)
		sp->len += len;
	else {
		if (p->nspans == p->capspans) {
			p->capspans = p->capspans ? p->capspans * 2 : 4;
			p->spans = xrealloc(p->spans,
			    p->capspans * sizeof(*p->spans));
		}
		sp = &p->spans[p->nspans++];
		sp->off = p->len;
		sp->len = len;
		sp->font = font;
		sp->flags = flags;
	}
	p->len += len;
	p->text[p->len] = '\0';
}

void
pia_para_puts(struct pia_para *p, const char *s, enum pia_font_kind font,
    unsigned flags)
{
	if (s != NULL)
		pia_para_put(p, s, strlen(s), font, flags);
}

void
pia_para_marker(struct pia_para *p, const char *m, double mx,
    enum pia_font_kind font, unsigned flags)
{
	free(p->marker);
	p->marker = xstrdup(m);
	p->mx = mx;
	p->mfont = font;
	p->mflags = flags;
}

void
pia_content_free(struct pia_content *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->v[i].text);
		free(c->v[i].spans);
		free(c->v[i].alt);
		free(c->v[i].marker);
		free(c->v[i].image);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

void
pia_laid_free(struct pia_laid *l)
{
	if (l == NULL)
		return;
	free(l->runs);
	free(l->lines);
	memset(l, 0, sizeof(*l));
}

/* Bytes of the UTF-8 sequence at s (invalid bytes count one each). */
static size_t
seqlen(const char *s, size_t n, uint32_t *cp)
{
	size_t	 k;

	if ((k = pia_utf8_decode(s, n, cp)) == 0) {
		*cp = 0xFFFD;
		k = 1;
	}
	return k;
}

double
pia_text_width(const struct pia_typesetter *ts, const char *s, size_t len,
    enum pia_font_kind font, double size)
{
	const struct pia_font	*f = ts->fonts[font];
	uint32_t		 cp;
	size_t			 i, k;
	long			 w = 0;

	for (i = 0; i < len; i += k) {
		k = seqlen(s + i, len - i, &cp);
		w += pia_font_width(f, cp);
	}
	return w * size / 1000.0;
}

/* The measure cursor: which span the next code point belongs to. */
struct mcur {
	const struct pia_para		*p;
	struct pia_font *const		*fonts;
	size_t				 off, sp;
};

static double
measure(void *arg, uint32_t cp)
{
	struct mcur		*m = arg;
	const struct pia_para	*p = m->p;
	enum pia_font_kind	 font = PIA_FONT_MINCHO;
	uint32_t		 c;

	while (m->sp < p->nspans &&
	    m->off >= p->spans[m->sp].off + p->spans[m->sp].len)
		m->sp++;
	if (m->sp < p->nspans)
		font = p->spans[m->sp].font;
	if (m->off < p->len)
		m->off += seqlen(p->text + m->off, p->len - m->off, &c);
	return pia_font_width(m->fonts[font], cp) * p->size / 1000.0;
}

static struct pia_run *
newrun(struct pia_laid *out)
{
	struct pia_run	*r;

	if (out->nruns == out->caprun) {
		out->caprun = out->caprun ? out->caprun * 2 : 8;
		out->runs = xrealloc(out->runs, out->caprun * sizeof(*r));
	}
	r = &out->runs[out->nruns++];
	memset(r, 0, sizeof(*r));
	return r;
}

static struct pia_lline *
newline(struct pia_laid *out, double top, const struct pia_para *p)
{
	struct pia_lline	*l;

	if (out->nlines == out->capline) {
		out->capline = out->capline ? out->capline * 2 : 4;
		out->lines = xrealloc(out->lines, out->capline * sizeof(*l));
	}
	l = &out->lines[out->nlines++];
	l->top = top;
	l->height = p->lead;
	/* CJK glyphs sit centred in the line: their middle is 0.38 em up. */
	l->base = top + p->lead / 2 + 0.38 * p->size;
	l->run0 = out->nruns;
	l->nruns = 0;
	l->glued = 0;
	return l;
}

/* Cut one line of p into runs at span boundaries. */
static void
runs(const struct pia_typesetter *ts, const struct pia_para *p,
    const struct pia_line *ln, double avail, struct pia_laid *out,
    struct pia_lline *ll)
{
	const struct pia_span	*sp;
	struct pia_run		*r;
	size_t			 i, a, b, end = ln->off + ln->len, lo, hi, mid;
	double			 x = p->indent, tc = 0;

	if (p->align == PIA_AL_JUSTIFY && ln->end == PIA_LINE_WRAP &&
	    ln->extra <= MAXTC * p->size)
		tc = ln->extra;
	else if (p->align == PIA_AL_CENTER && ln->width < avail)
		x += (avail - ln->width) / 2;
	else if (p->align == PIA_AL_RIGHT && ln->width < avail)
		x += avail - ln->width;
	/*
	 * Spans are in text order: start at the first one that ends after
	 * the line's start (a paragraph of 150,000 footnote references has
	 * hundreds of thousands of spans; no line walks them all).
	 */
	for (lo = 0, hi = p->nspans; lo < hi; ) {
		mid = lo + (hi - lo) / 2;
		if (p->spans[mid].off + p->spans[mid].len <= ln->off)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < p->nspans && p->spans[i].off < end; i++) {
		sp = &p->spans[i];
		a = sp->off > ln->off ? sp->off : ln->off;
		b = sp->off + sp->len < end ? sp->off + sp->len : end;
		if (a >= b)
			continue;
		r = newrun(out);
		r->x = x;
		r->tc = tc;
		r->size = p->size;
		r->text = p->text + a;
		r->len = b - a;
		r->font = sp->font;
		r->flags = sp->flags;
		x += pia_text_width(ts, r->text, r->len, r->font, r->size) +
		    tc * (double)pia_utf8_count(r->text, r->len);
		ll->nruns++;
	}
}

/*
 * An image block: one line as tall as the image, scaled down to the
 * width and to PIA_IMAGE_MAXH, kept in 1/8 pt like every other position.
 */
static void
image(struct pia_laid *out, const struct pia_para *p, double avail, double *y)
{
	struct pia_lline	*ll;
	struct pia_run		*r;
	double			 w = p->iw, h = p->ih;

	if (w > avail) {
		h *= avail / w;
		w = avail;
	}
	if (h > PIA_IMAGE_MAXH) {
		w *= PIA_IMAGE_MAXH / h;
		h = PIA_IMAGE_MAXH;
	}
	w = floor(w * 8) / 8;
	h = floor(h * 8) / 8;
	ll = newline(out, *y, p);
	ll->height = h + 3;
	ll->base = *y + h;
	r = newrun(out);
	r->x = p->indent;
	r->size = p->size;
	r->image = p->image;
	r->alt = p->alt;
	r->w = w;
	r->h = h;
	ll->nruns++;
	*y += ll->height;
}

int
pia_layout(struct pia_typesetter *ts, const struct pia_content *c,
    double width, struct pia_laid *out)
{
	const struct pia_para	*p;
	struct pia_measure	 m;
	struct pia_lline	*ll;
	struct pia_run		*r;
	struct mcur		 cur;
	size_t			 i, j, k;
	double			 y = 0, avail;

	out->nruns = out->nlines = 0;
	out->height = 0;
	for (i = 0; i < c->n; i++) {
		p = &c->v[i];
		if (i > 0)
			y += p->before;
		avail = width - p->indent;
		if (avail < p->size)
			avail = p->size;
		if (p->image != NULL) {
			image(out, p, avail, &y);
			continue;
		}
		memset(&cur, 0, sizeof(cur));
		cur.p = p;
		cur.fonts = ts->fonts;
		m.arg = &cur;
		m.width = measure;
		if (pia_linebreak_para(ts->br, p->text ? p->text : "", p->len,
		    avail, &m, &ts->lines) == -1)
			return -1;
		for (j = 0; j < ts->lines.n || (j == 0 && ts->lines.n == 0);
		    j++) {
			ll = newline(out, y, p);
			ll->glued = j > 0 && p->keep;
			if (j == 0 && p->marker != NULL) {
				r = newrun(out);
				r->x = p->mx;
				r->size = p->size;
				r->text = p->marker;
				r->len = strlen(p->marker);
				r->font = p->mfont;
				r->flags = p->mflags;
				ll->nruns++;
			}
			if (j < ts->lines.n)
				runs(ts, p, &ts->lines.v[j], avail, out, ll);
			/* The list a run is in, and its marker, for the tags. */
			for (k = 0; k < ll->nruns; k++) {
				out->runs[ll->run0 + k].list = p->list;
				if (k == 0 && j == 0 && p->marker != NULL)
					out->runs[ll->run0].flags |= PIA_SP_MARKER;
			}
			y += p->lead;
		}
	}
	out->height = y;
	return 0;
}
