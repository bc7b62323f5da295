/*
 * The finished PDF made compact: libharu 2.3.0 writes PDF 1.3, every
 * small dictionary an object of its own behind a plain cross-reference
 * table.  Here it is rewritten as PDF 1.5: every object that is not a
 * stream goes into object streams (deflated with zlib), the offsets into
 * a cross-reference stream.  Page contents, fonts and images, already
 * deflated by libharu, are copied as they are.  The structure tree of the
 * tagged PDF never goes through libharu: device.c hands its objects over
 * as text (numbered after libharu's) and they go straight into the object
 * streams, with an entry for the catalog.  Its thousands of small
 * elements go into object streams laid out in rows (rowed_stream): the
 * header's offsets and the elements' numbers cost most of their bytes,
 * and the PNG Up predictor turns rows that differ only in digits into
 * near-zero rows (the 120-page bench report's tree: 66 KB → 36 KB).
 *
 * libharu's file is simple and regular (hpdf_xref.c): "N 0 obj", the
 * value, "endobj"; a stream's /Length is an indirect number object of its
 * own, written after the stream.  Those lengths are put into the stream
 * dictionaries and their objects dropped (free entries).  Nothing here
 * depends on time or addresses: the same input gives the same bytes, and
 * the /ID stays the one pia set (a digest of the display list).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "pdf_int.h"
#include "util.h"

/* A growing byte buffer. */
struct buf {
	unsigned char	*p;
	size_t		 n, cap;
};

static void
put(struct buf *b, const void *s, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 4096;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void
puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* One object of the input. */
struct obj {
	const unsigned char	*body;		/* the value, after "N 0 obj" */
	size_t			 len;
	int			 stream;	/* its value is a stream */
	int			 dropped;	/* a /Length folded into its stream */
	size_t			 where;		/* output: offset, or objstm */
	size_t			 idx;		/* index in its object stream */
	int			 kind;		/* 0 free, 1 direct, 2 in objstm */
	size_t			 cols;		/* > 0: in a stream of rows */
};

#define PIA_ROWED_MAX	8192

static const unsigned char *
find(const unsigned char *s, size_t n, const char *what)
{
	return memmem(s, n, what, strlen(what));
}

static int
isws(unsigned char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' ||
	    c == 0;
}

/* Deflate in[0…n) at level (1 … 9) into b. */
static int
deflate_into(struct buf *b, const unsigned char *in, size_t n, int level)
{
	uLongf	 need = compressBound((uLong)n);

	if (b->n + need > b->cap) {
		b->cap = b->n + need + 4096;
		b->p = xrealloc(b->p, b->cap);
	}
	if (compress2(b->p + b->n, &need, in, (uLong)n, level) != Z_OK)
		return -1;
	b->n += need;
	return 0;
}

static int
isdelim(unsigned char c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' ||
	    c == ']' || c == '{' || c == '}' || c == '/' || c == '%';
}

/*
 * Object text s[0…n) into b without the white space PDF syntax does not
 * need (libharu writes "<<\n/Type /Font\n…>>"): a run of white space is
 * dropped next to a delimiter and is one space elsewhere ("/Length 853",
 * "7 0 R").  Strings are copied as they are.
 */
static void
tight(struct buf *b, const unsigned char *s, size_t n)
{
	size_t		 i = 0, j;
	int		 depth, space = 0;

	while (i < n) {
		if (isws(s[i])) {
			space = 1;
			i++;
			continue;
		}
		if (space && b->n > 0 && !isdelim(b->p[b->n - 1]) &&
		    !isdelim(s[i]))
			put(b, " ", 1);
		space = 0;
		j = i + 1;
		if (s[i] == '(') {
			/* A literal string: balanced parentheses, \ escapes. */
			for (depth = 1; j < n && depth > 0; j++)
				if (s[j] == '\\')
					j++;
				else if (s[j] == '(')
					depth++;
				else if (s[j] == ')')
					depth--;
			if (j > n)
				j = n;
		} else if (s[i] == '<' && i + 1 < n && s[i + 1] == '<')
			j = i + 2;
		else if (s[i] == '<') {
			while (j < n && s[j] != '>')	/* a hex string */
				j++;
			if (j < n)
				j++;
		}
		put(b, s + i, j - i);
		i = j;
	}
}

/* Decimal digits of v. */
static size_t
digits(size_t v)
{
	size_t	 n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/*
 * Rows r and p look alike: the same bytes but for digits.  Such a row is
 * written as its difference to the row above (PNG Up), mostly zeros; any
 * other row as it is (PNG None).
 */
static int
alike(const unsigned char *r, const unsigned char *p, size_t cols)
{
	size_t	 j;

	for (j = 0; j < cols; j++)
		if (r[j] != p[j] && !(r[j] >= '0' && r[j] <= '9' &&
		    p[j] >= '0' && p[j] <= '9'))
			return 0;
	return 1;
}

/*
 * Objects o[from…to) (none a stream, to - from ≤ 65,535) as object
 * stream number num in rows of cols bytes: the header one pair a row
 * (numbers right-aligned, so the digits stay in their columns), each
 * object from the start of a row, padded with spaces to a whole row.
 * Deflated with the PNG predictor, Up on a row like the one above, None
 * on any other.  Appended to b; 0, or -1 on a zlib error.
 */
static int
rowed_stream(struct buf *b, struct obj *o, size_t from, size_t to,
    size_t cols, size_t num, struct buf *raw, struct buf *z)
{
	const unsigned char	*r, *prev;
	unsigned char		*zero;
	size_t			 i, off = 0, wn, wo, pw, first, k;
	char			 tmp[160];
	int			 rc;

	for (i = from; i < to; i++)
		off += (o[i].len + 1 + cols - 1) / cols * cols;
	wn = digits(to - 1);
	wo = digits(off);
	pw = (wn + 1 + wo + 1 + cols - 1) / cols * cols;
	raw->n = 0;
	off = 0;
	for (i = from; i < to; i++) {
		k = raw->n;
		snprintf(tmp, sizeof(tmp), "%*zu %*zu", (int)wn, i, (int)wo,
		    off);
		puts_(raw, tmp);
		while (raw->n < k + pw - 1)
			put(raw, " ", 1);
		put(raw, "\n", 1);
		o[i].idx = i - from;
		o[i].where = num;
		o[i].kind = 2;
		off += (o[i].len + 1 + cols - 1) / cols * cols;
	}
	first = raw->n;
	for (i = from; i < to; i++) {
		k = raw->n;
		put(raw, o[i].body, o[i].len);
		while ((raw->n - k + 1) % cols != 0)
			put(raw, " ", 1);
		put(raw, "\n", 1);
	}
	/* The rows with their predictor bytes, in z for now. */
	z->n = 0;
	zero = xcalloc(1, cols);
	prev = zero;
	for (k = 0; k < raw->n; k += cols) {
		r = raw->p + k;
		if (alike(r, prev, cols)) {
			put(z, "\2", 1);
			for (i = 0; i < cols; i++) {
				unsigned char	 d = (unsigned char)(r[i] - prev[i]);

				put(z, &d, 1);
			}
		} else {
			put(z, "", 1);
			put(z, r, cols);
		}
		prev = r;
	}
	free(zero);
	raw->n = 0;
	/*
	 * Level 8: on rows that are mostly zeros level 9 follows hash chains
	 * four times as long for 2 % fewer bytes (bench: 15 ms of CPU for
	 * 700 bytes).
	 */
	rc = deflate_into(raw, z->p, z->n, 8);
	if (rc != 0)
		return -1;
	snprintf(tmp, sizeof(tmp), "%zu 0 obj\n<</Type/ObjStm/N %zu/First %zu"
	    "/Filter/FlateDecode/DecodeParms<</Predictor 15/Columns %zu>>"
	    "/Length %zu>>stream\n", num, to - from, first, cols, raw->n);
	puts_(b, tmp);
	put(b, raw->p, raw->n);
	puts_(b, "\nendstream\nendobj\n");
	return 0;
}

/* An unsigned number after "key" in the dictionary text d[0…n), or -1. */
static long
ref_after(const unsigned char *d, size_t n, const char *key, int *indirect)
{
	const unsigned char	*p, *e = d + n;
	long			 v = 0, g;

	if ((p = find(d, n, key)) == NULL)
		return -1;
	p += strlen(key);
	while (p < e && isws(*p))
		p++;
	if (p == e || *p < '0' || *p > '9')
		return -1;
	for (; p < e && *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	*indirect = 0;
	/* "N 0 R"? */
	{
		const unsigned char	*q = p;

		while (q < e && isws(*q))
			q++;
		for (g = 0; q < e && *q >= '0' && *q <= '9'; q++)
			g = 1;
		while (q < e && isws(*q))
			q++;
		if (g && q < e && *q == 'R')
			*indirect = 1;
	}
	return v;
}

/* Copy a trailer entry "/Key value" (a reference or an array) into b. */
static void
trailer_entry(struct buf *b, const unsigned char *t, size_t n, const char *key)
{
	const unsigned char	*p, *e = t + n, *s;

	if ((p = find(t, n, key)) == NULL)
		return;
	s = p;
	p += strlen(key);
	while (p < e && isws(*p))
		p++;
	if (p < e && *p == '[') {
		while (p < e && *p != ']')
			p++;
		p++;
	} else
		while (p < e && *p != '/' && *p != '>')
			p++;
	if (p > e)
		p = e;
	put(b, s, (size_t)(p - s));
}

int
pia_pdf_compact(const unsigned char *pdf, size_t len,
    const struct pia_pdfextra *x, unsigned char **out, size_t *outlen,
    char *why, size_t whylen)
{
	const unsigned char	*p, *e = pdf + len, *t, *q;
	struct obj		*o = NULL;
	struct buf		 b = { 0 }, hdr = { 0 }, body = { 0 };
	struct buf		 xs = { 0 }, z = { 0 };
	size_t			 nobj, nall, i, j, k, start, off, root = 0;
	size_t			*stmoff = NULL;	/* offset of each object stream */
	size_t			 xref, nstm, maxv, w, first, nin;
	unsigned char		*row, *prev;
	long			 v;
	int			 ind;
	char			 tmp[160];
	int			 rc = -1;

	*out = NULL;
	/* startxref → the table "xref\n0 N\n" and its 20-byte entries. */
	for (p = e; p > pdf && (p = memrchr(pdf, 's', (size_t)(p - pdf))) != NULL;)
		if ((size_t)(e - p) >= 9 && memcmp(p, "startxref", 9) == 0)
			break;
	if (p == NULL || p == pdf) {
		snprintf(why, whylen, "PDF: startxref がありません");
		return -1;
	}
	xref = strtoul((const char *)p + 9, NULL, 10);
	if (xref >= len || len - xref < 16 || memcmp(pdf + xref, "xref", 4) != 0) {
		snprintf(why, whylen, "PDF: xref がありません");
		return -1;
	}
	p = pdf + xref + 4;
	while (p < e && isws(*p))
		p++;
	if (strtoul((const char *)p, (char **)&q, 10) != 0) {
		snprintf(why, whylen, "PDF: xref の先頭が 0 でありません");
		return -1;
	}
	nobj = strtoul((const char *)q, (char **)&p, 10);
	while (p < e && isws(*p))
		p++;
	if (nobj == 0 || (size_t)(e - p) < nobj * 20 ||
	    (x != NULL && x->n > 0 && x->base != nobj)) {
		snprintf(why, whylen, "PDF: xref の大きさ %zu", nobj);
		return -1;
	}
	t = p + nobj * 20;		/* "trailer << … >>" */
	nall = nobj + (x != NULL ? x->n : 0);
	o = xcalloc(nall + 1, sizeof(*o));
	for (i = 1; i < nobj; i++) {
		q = p + i * 20;
		if (q[17] != 'n')
			continue;
		start = strtoul((const char *)q, NULL, 10);
		if (start >= xref) {
			snprintf(why, whylen, "PDF: オブジェクト %zu の位置", i);
			goto out;
		}
		/* "N 0 obj" then the value, up to "endobj". */
		q = pdf + start;
		if ((q = find(q, (size_t)(e - q), "obj")) == NULL)
			goto bad;
		q += 3;
		if ((t = find(q, (size_t)(pdf + xref - q), "endobj")) == NULL)
			goto bad;
		while (q < t && isws(*q))
			q++;
		o[i].body = q;
		while (t > q && isws(t[-1]))
			t--;
		o[i].len = (size_t)(t - q);
		o[i].kind = 1;
		o[i].stream = o[i].len >= 9 &&
		    memcmp(t - 9, "endstream", 9) == 0;
	}
	t = p + nobj * 20;
	/* Each stream's indirect /Length into its dictionary. */
	for (i = 1; i < nobj; i++) {
		if (!o[i].stream)
			continue;
		q = find(o[i].body, o[i].len, "stream");
		v = ref_after(o[i].body, (size_t)(q - o[i].body), "/Length", &ind);
		if (v > 0 && ind && (size_t)v < nobj && o[v].kind == 1 &&
		    !o[v].stream)
			o[v].dropped = 1;
	}
	for (i = 1; i < nobj; i++)
		if (o[i].dropped)
			o[i].kind = 0;
	root = 0;
	{
		int	 r;

		v = ref_after(t, (size_t)(e - t), "/Root", &r);
		if (v <= 0 || (size_t)v >= nobj || !r || o[v].kind != 1 ||
		    o[v].stream)
			goto bad;
		root = (size_t)v;
	}
	for (i = 0; x != NULL && i < x->n; i++) {
		o[nobj + i].body = (const unsigned char *)x->objs + x->off[i];
		o[nobj + i].len = x->off[i + 1] - x->off[i];
		o[nobj + i].kind = 1;
		o[nobj + i].cols = x->cols != NULL ? x->cols[i] : 0;
	}

	puts_(&b, "%PDF-1.5\n%\xE2\xE3\xCF\xD3\n");
	/* Streams as they are, their /Length direct. */
	for (i = 1; i < nobj; i++) {
		if (o[i].kind != 1 || !o[i].stream)
			continue;
		o[i].where = b.n;
		snprintf(tmp, sizeof(tmp), "%zu 0 obj\n", i);
		puts_(&b, tmp);
		q = find(o[i].body, o[i].len, "stream");
		v = ref_after(o[i].body, (size_t)(q - o[i].body), "/Length", &ind);
		/* The dictionary, tight, then the stream as it is. */
		body.n = 0;
		if (v > 0 && ind && (size_t)v < nobj && o[v].dropped) {
			const unsigned char *l = find(o[i].body,
			    (size_t)(q - o[i].body), "/Length");
			const unsigned char *r = find(l, (size_t)(q - l), "R");

			put(&body, o[i].body, (size_t)(l - o[i].body));
			snprintf(tmp, sizeof(tmp), "/Length %.*s",
			    (int)o[v].len, (const char *)o[v].body);
			puts_(&body, tmp);
			put(&body, r + 1, (size_t)(q - (r + 1)));
		} else
			put(&body, o[i].body, (size_t)(q - o[i].body));
		tight(&b, body.p, body.n);
		put(&b, q, o[i].len - (size_t)(q - o[i].body));
		puts_(&b, "\nendobj\n");
	}
	/*
	 * The rest in object streams of at most 256 objects each, in object
	 * order (neighbours look alike: better compression).
	 */
	nstm = 0;
	for (i = 1; i <= nall; ) {
		/* Collect up to 256 objects for one object stream. */
		hdr.n = body.n = 0;
		for (nin = 0; i < nall && nin < 256; i++) {
			if (o[i].kind != 1 || o[i].stream || o[i].cols != 0)
				continue;
			snprintf(tmp, sizeof(tmp), "%zu %zu ", i, body.n);
			puts_(&hdr, tmp);
			o[i].idx = nin++;
			o[i].where = nall + nstm;	/* its object number */
			o[i].kind = 2;
			tight(&body, o[i].body, o[i].len);
			if (i == root && x != NULL && x->root != NULL) {
				/* The catalog's closing ">>" gets the extra keys. */
				while (body.n > 0 && body.p[body.n - 1] != '>')
					body.n--;
				if (body.n < 2)
					goto bad;
				body.n -= 2;
				puts_(&body, x->root);
				puts_(&body, ">>");
			}
			put(&body, "\n", 1);
		}
		if (nin == 0)
			break;
		first = hdr.n;
		put(&hdr, body.p, body.n);
		z.n = 0;
		if (deflate_into(&z, hdr.p, hdr.n, 9) != 0)
			goto zerr;
		snprintf(tmp, sizeof(tmp), "%zu 0 obj\n<</Type/ObjStm/N %zu"
		    "/First %zu/Filter/FlateDecode/Length %zu>>stream\n",
		    nall + nstm, nin, first, z.n);
		if (nstm % 64 == 0)
			stmoff = xrealloc(stmoff, (nstm + 64) * sizeof(*stmoff));
		stmoff[nstm] = b.n;
		puts_(&b, tmp);
		put(&b, z.p, z.n);
		puts_(&b, "\nendstream\nendobj\n");
		nstm++;
	}
	/*
	 * Objects to be laid out in rows: runs of the same row width, up to
	 * PIA_ROWED_MAX objects a stream (more context for deflate; one
	 * stream inflates to a few hundred KB).
	 */
	for (i = 1; i < nall; ) {
		if (o[i].kind != 1 || o[i].cols == 0) {
			i++;
			continue;
		}
		for (j = i + 1; j < nall && j - i < PIA_ROWED_MAX &&
		    o[j].kind == 1 && o[j].cols == o[i].cols; j++)
			;
		if (nstm % 64 == 0)
			stmoff = xrealloc(stmoff, (nstm + 64) * sizeof(*stmoff));
		stmoff[nstm] = b.n;
		if (rowed_stream(&b, o, i, j, o[i].cols, nall + nstm, &hdr,
		    &z) != 0)
			goto zerr;
		nstm++;
		i = j;
	}
	/*
	 * The cross-reference stream, last object: /W [1 w 2], rows with the
	 * PNG Up predictor (each row minus the one above: long runs of
	 * zeros, which deflate well).
	 */
	k = nall + nstm;		/* its number; Size = k + 1 */
	off = b.n;
	maxv = off;
	if (k > maxv)
		maxv = k;
	for (w = 1; w < 8 && (maxv >> (8 * w)) != 0; w++)
		;
	xs.n = 0;
	row = xcalloc(1, 4 + w);
	prev = xcalloc(1, 4 + w);
	for (i = 0; i <= k; i++) {
		size_t	 f2 = 0, f3 = 0;
		int	 type = 0;

		if (i == 0)
			f3 = 65535;
		else if (i == k) {
			type = 1;
			f2 = off;
		} else if (i < nall && o[i].kind == 2) {
			type = 2;
			f2 = o[i].where;
			f3 = o[i].idx;
		} else if (i >= nall) {
			type = 1;
			f2 = stmoff[i - nall];
		} else if (o[i].kind == 1) {
			type = 1;
			f2 = o[i].where;
		}
		row[0] = 2;
		row[1] = (unsigned char)type;
		for (j = 0; j < w; j++)
			row[2 + j] = (unsigned char)(f2 >> (8 * (w - 1 - j)));
		row[2 + w] = (unsigned char)(f3 >> 8);
		row[3 + w] = (unsigned char)f3;
		{
			unsigned char	 d[16];

			d[0] = 2;
			for (j = 1; j < 3 + w + 1 && j < 16; j++)
				d[j] = (unsigned char)(row[j] - prev[j]);
			put(&xs, d, 3 + w + 1);
		}
		memcpy(prev, row, 3 + w + 1);
	}
	free(row);
	free(prev);
	z.n = 0;
	if (deflate_into(&z, xs.p, xs.n, 9) != 0)
		goto zerr;
	snprintf(tmp, sizeof(tmp), "%zu 0 obj\n<</Type/XRef/Size %zu/W[1 %zu 2]"
	    "/Filter/FlateDecode/DecodeParms<</Predictor 12/Columns %zu>>",
	    k, k + 1, w, w + 3);
	puts_(&b, tmp);
	t = p + nobj * 20;
	trailer_entry(&b, t, (size_t)(e - t), "/Root");
	trailer_entry(&b, t, (size_t)(e - t), "/Info");
	trailer_entry(&b, t, (size_t)(e - t), "/ID");
	snprintf(tmp, sizeof(tmp), "/Length %zu>>stream\n", z.n);
	puts_(&b, tmp);
	put(&b, z.p, z.n);
	snprintf(tmp, sizeof(tmp), "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n",
	    off);
	puts_(&b, tmp);
	*out = b.p;
	*outlen = b.n;
	b.p = NULL;
	rc = 0;
	goto out;
zerr:
	snprintf(why, whylen, "zlib");
	goto out;
bad:
	snprintf(why, whylen, "PDF: libharu の出力を読めません");
out:
	free(o);
	free(stmoff);
	free(b.p);
	free(hdr.p);
	free(body.p);
	free(xs.p);
	free(z.p);
	return rc;
}
