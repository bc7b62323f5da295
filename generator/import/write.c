/*
 * The placed text as pia's sources: each item's lines read as its type
 * says (a choice from its 「[ … ]」, boxes from their marks, a count from
 * （ N ）件, paragraphs and list entries of a long text from the lines'
 * spacing and markers), written as report.xml in the form's order,
 * changes.xml from the 変更箇所 table's rows, and unplaced.md with the
 * page and position of every text no item took.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "form.h"
#include "history.h"
#include "import_int.h"
#include "model.h"
#include "util.h"

/* Glyphs that mark a checked box or a chosen answer in published PDFs. */
static int
is_mark(uint32_t cp)
{
	return cp == 0x25CB /* ○ */ || cp == 0x25A0 /* ■ */ || cp == 0x2611 /* ☑ */ ||
	    cp == 0x25CF /* ● */ || cp == 0x3007 /* 〇 */ || cp == 0x2713 /* ✓ */ ||
	    cp == 0x2714 || cp == 0x30EC /* レ */ || cp == 0x2612 /* ☒ */ || cp == 0x25C9;
}

/* A box drawn as a glyph of its own at the start of t: ■ (checked) or □ (not), as spreadsheets print them. */
int
pia_imp_is_box(const char *t)
{
	uint32_t cp;
	size_t l = pia_utf8_decode(t, strlen(t), &cp);

	return l > 0 && (cp == 0x25A0 || cp == 0x25A1 || cp == 0x2610 || cp == 0x2611 || cp == 0x2612) &&
	    (t[l] == ' ' || (unsigned char)t[l] >= 0x80);
}

static int
ascii_word(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* 「[○]」 or 「[ ]」 at the start of s: a box as pia pdf prints it. */
static int
bracket_box(const char *s)
{
	uint32_t cp;
	size_t l;

	if (*s++ != '[')
		return 0;
	while (*s == ' ')
		s++;
	if (*s != ']') {
		if ((l = pia_utf8_decode(s, strlen(s), &cp)) == 0 || !is_mark(cp))
			return 0;
		s += l;
		while (*s == ' ')
			s++;
	}
	return *s == ']';
}

/* Append line text to b, with a space where two ASCII words meet at the wrap. */
static void
join(struct pia_buf *b, const char *s)
{
	if (b->len > 0 && ascii_word((unsigned char)b->data[b->len - 1]) &&
	    ascii_word((unsigned char)s[0]))
		pia_buf_putc(b, ' ');
	/* 「…、3.」 / 「氏名」: a number's dot is followed by a space, lost at the wrap. */
	else if (b->len > 1 && b->data[b->len - 1] == '.' && b->data[b->len - 2] >= '0' &&
	    b->data[b->len - 2] <= '9' && s[0] != ' ' && (unsigned char)s[0] >= 0x80)
		pia_buf_putc(b, ' ');
	/* 「[○] 紙 [○] 専用線」 wrapped between two boxes: the space between them, lost at the wrap. */
	else if (b->len > 0 && b->data[b->len - 1] != ' ' && bracket_box(s))
		pia_buf_putc(b, ' ');
	pia_buf_puts(b, s);
}

/* Physical lines of a node: its segments on one page and one y, joined by a space. */
struct pline {
	char		*text;
	double		 x0, x1, y0, y1;
	unsigned	 page;
};

static struct pline *
plines(const struct pia_imp_node *n, size_t *np)
{
	struct pline *p = xcalloc(n->nv + 1, sizeof(*p));
	struct pia_buf b = { 0 };
	size_t i, k = 0;

	for (i = 0; i < n->nv; i++) {
		const struct pia_imp_vline *v = &n->v[i];

		if (k > 0 && p[k - 1].page == v->page && fabs(p[k - 1].y0 - v->y0) < 1.5) {
			pia_buf_puts(&b, p[k - 1].text);
			pia_buf_putc(&b, ' ');
			pia_buf_puts(&b, v->text);
			free(p[k - 1].text);
			p[k - 1].text = pia_buf_take(&b);
			p[k - 1].x1 = v->x1;
			continue;
		}
		p[k].text = xstrdup(v->text);
		p[k].x0 = v->x0;
		p[k].x1 = v->x1;
		p[k].y0 = v->y0;
		p[k].y1 = v->y1;
		p[k].page = v->page;
		k++;
	}
	*np = k;
	return p;
}

static void
plines_free(struct pline *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(p[i].text);
	free(p);
}

/* Does line b start a new paragraph after line a?  full: the right edge of a full line. */
static int
new_para(const struct pline *a, const struct pline *b, double full)
{
	double h = a->y1 - a->y0;

	if (a->page == b->page)
		return b->y0 - a->y1 > 0.7 * h;
	/* Over a page break: a line that stops short ended its paragraph. */
	return a->x1 < full - 1.2 * h;
}

static int
ends_with(const char *s, const char *end)
{
	size_t l = strlen(s), e = strlen(end);

	return l >= e && strcmp(s + l - e, end) == 0;
}

/* Does s end a sentence (「。」)?  A wrapped line seldom stops short there. */
static int
ends_sentence(const char *s)
{
	return ends_with(s, "。");
}

/*
 * Did the line-break rules (禁則) push the start of line t down, leaving
 * line a a little short?  An opening bracket never ends a line
 * (「…委託事項3」 / 「（バックアップ…」), a closing one or 「。、」 never
 * starts one (「…とい」 / 「う。）…」): a wrapped line, not a break.
 */
static int
pushed(const struct pline *a, const char *t, double full)
{
	static const char *const opening = "（「『【［〈《〔";
	static const char *const closing = "。、）」』】］〉》〕，．";
	double h = a->y1 - a->y0;
	char first[5] = { 0 }, second[5] = { 0 };
	uint32_t cp, cp2;
	size_t l, l2;

	if (a->x1 < full - 3 * h || (l = pia_utf8_decode(t, strlen(t), &cp)) == 0 || cp < 0x80)
		return 0;
	memcpy(first, t, l < 4 ? l : 4);
	if (strstr(opening, first) != NULL)
		return 1;
	if ((l2 = pia_utf8_decode(t + l, strlen(t + l), &cp2)) == 0 || cp2 < 0x80)
		return 0;
	memcpy(second, t + l, l2 < 4 ? l2 : 4);
	return strstr(closing, second) != NULL;
}

/*
 * Does s start an entry of the text's own (「2. 転入届…」, 「⑦時期・頻度」)?
 * A line that fills its cell gives no sign of the break after it; a wrapped
 * line seldom starts so, except in a list run on 「1. 氏名、2. 住所、…」
 * (the caller looks for the 「、」 before).
 */
static int
starts_entry(const char *s)
{
	const char *p = s;
	uint32_t cp;

	while (*p >= '0' && *p <= '9')
		p++;
	if (p > s && p - s < 4 && p[0] == '.' && p[1] == ' ')
		return 1;
	return pia_utf8_decode(s, strlen(s), &cp) > 0 && cp >= 0x2460 && cp <= 0x2473;
}

/* A list marker at the start of s: "1. ", "• ", "・"; returns its length (0: none), *num the number. */
static size_t
marker(const char *s, int *num)
{
	const char *p = s;

	*num = 0;
	if (pia_startswith(s, "•"))
		return strlen("•") + (s[strlen("•")] == ' ');
	while (*p >= '0' && *p <= '9')
		p++;
	if (p > s && p - s < 4 && *p == '.' && p[1] == ' ') {
		*num = atoi(s);
		p += 2;
		while (*p == ' ')
			p++;
		return (size_t)(p - s);
	}
	return 0;
}

/* Markdown-escape a paragraph's text so cmark reads it back as written. */
static void
put_md_text(struct pia_buf *b, const char *s, int block_start)
{
	const char *p;

	if (block_start) {
		p = s;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p > s && (*p == '.' || *p == ')')) {
			pia_buf_put(b, s, (size_t)(p - s));
			pia_buf_putc(b, '\\');
			s = p;
		} else if ((*s == '-' || *s == '+' || *s == '*') && (s[1] == ' ' || s[1] == '\0'))
			pia_buf_putc(b, '\\');
		else if (*s == '#' || *s == '>' || *s == '=')
			pia_buf_putc(b, '\\');
	}
	for (; *s; s++) {
		if (strchr("\\`*_[]<&", *s) != NULL)
			pia_buf_putc(b, '\\');
		pia_buf_putc(b, *s);
	}
}

/*
 * A long text's lines as Markdown.  In a table cell (cell: the 変更箇所)
 * paragraphs have no spacing of their own: a line that stops short of the
 * cell's right edge ends one, and 「1.」 at a line's start is the text's
 * own, not a list pia drew.  cell 2: a 別紙's text, printed as a cell's.
 */
static char *
to_markdown_as(const struct pia_imp_node *n, int cell)
{
	struct pline *p;
	struct pia_buf b = { 0 }, para = { 0 };
	size_t np, i, k;
	double full = 0;
	int num, inlist = 0, listnum = 0, gap = 1, pgap = 1, pbullet = 0;
	size_t ngap = 0, nline = 0;	/* a cell's breaks: with an empty line, without */

	p = plines(n, &np);
	for (i = 0; i < np; i++)
		if (p[i].x1 > full)
			full = p[i].x1;
	for (i = 0; i < np; i++) {
		const char *t = p[i].text;
		int start = i == 0;

		k = cell ? 0 : marker(t, &num);
		if (cell) {
			double h = p[i > 0 ? i - 1 : 0].y1 - p[i > 0 ? i - 1 : 0].y0;

			/*
			 * A cell prints the text's line breaks as they are: an
			 * empty line between two (a blank line of the text) is
			 * a paragraph, a line that stops short without one a
			 * single line break.
			 */
			gap = i > 0 && p[i - 1].page == p[i].page && new_para(&p[i - 1], &p[i], full);
			if (i > 0 && (gap || new_para(&p[i - 1], &p[i], full) ||
			    pia_startswith(t, "・") || pia_startswith(t, "•") ||
			    (starts_entry(t) && !ends_with(p[i - 1].text, "、")) ||
			    (ends_sentence(p[i - 1].text) && pia_startswith(t, "＜")) ||
			    (p[i - 1].x1 < full - 1.5 * h && !pushed(&p[i - 1], t, full) &&
			    (!ascii_word((unsigned char)t[0]) || ends_sentence(p[i - 1].text))))) {
				start = 1;
				/* Over a page break the spacing is not seen: as the text's other breaks. */
				if (p[i - 1].page != p[i].page)
					gap = ngap > nline;
				else if (gap)
					ngap++;
				else
					nline++;
			}
		} else if (k > 0)
			start = 1;
		else if (i > 0 && inlist && p[i].x0 > p[i - 1].x0 - 1 && p[i].x0 > n->v[0].x0 + 2)
			start = 0;	/* a list entry's hanging line */
		else if (i > 0 && new_para(&p[i - 1], &p[i], full))
			start = 1;
		else if (i > 0 && p[i - 1].page == p[i].page &&
		    p[i - 1].x1 < full - 1.5 * (p[i - 1].y1 - p[i - 1].y0) &&
		    !ascii_word((unsigned char)t[0]))
			start = 1;	/* a cell's line break: no spacing, the line stops short */
		else if (i > 0 && pia_startswith(t, "・"))
			start = 1;	/* 「・」 starts no wrapped line (行頭禁則): a line break of the text's own */
		if (start && para.len > 0) {
			if (b.len)
				pia_buf_puts(&b, cell && !pgap ? "\n" : "\n\n");
			if (inlist) {
				if (listnum > 0)
					pia_buf_printf(&b, "%d. ", listnum);
				else
					pia_buf_puts(&b, "- ");
			}
			pia_buf_put(&b, para.data, para.len);
			pia_buf_free(&para);
		}
		if (start) {
			int bullet = cell && pia_startswith(t, "•");

			inlist = k > 0;
			listnum = num;
			/*
			 * How it is set off from the paragraph before.  A list
			 * after a paragraph: pia pdf prints 「X⏎- a」 and
			 * 「X⏎⏎- a」 alike; a list as Markdown has it (pia publish
			 * copies it so) has the empty line.
			 */
			pgap = gap || (bullet && !pbullet && i > 0);
			pbullet = bullet;
		}
		{
			struct pia_buf esc = { 0 };
			char *e;

			/* changes.xml keeps a cell's text as written, unescaped. */
			if (cell && pia_startswith(t, "•")) {
				/* 「- 」 of the text as written prints as a bullet. */
				pia_buf_puts(&esc, "- ");
				pia_buf_puts(&esc, t + strlen("•") + (t[strlen("•")] == ' '));
			} else if (cell)
				pia_buf_puts(&esc, t);
			else
				put_md_text(&esc, t + k, start && k == 0);
			e = pia_buf_take(&esc);
			join(&para, e);
			free(e);
		}
	}
	if (para.len > 0) {
		if (b.len)
			pia_buf_puts(&b, cell && !pgap ? "\n" : "\n\n");
		if (inlist) {
			if (listnum > 0)
				pia_buf_printf(&b, "%d. ", listnum);
			else
				pia_buf_puts(&b, "- ");
		}
		pia_buf_put(&b, para.data, para.len);
	}
	pia_buf_free(&para);
	plines_free(p, np);
	return b.len ? pia_buf_take(&b) : NULL;
}

/*
 * 「［図］事務の流れ図」: pia pdf's caption under a picture (its alt text).
 * The paragraph becomes the picture again, 「![事務の流れ図](images/p9-1.png)」,
 * with the picture the import writes: the one on the caption's page that
 * ends closest above it.  md: n's Markdown (freed); returns the new text.
 */
static char *
figures(const struct pia_imp_out *O, const struct pia_imp_node *n, char *md)
{
	static const char fig[] = "［図］";
	size_t i, k;
	char *q;

	if (md == NULL || O->doc == NULL)
		return md;
	for (i = 0; i < n->nv; i++) {
		const struct pia_imp_vline *v = &n->v[i];
		const struct pia_imp_image *best = NULL;
		struct pia_buf b = { 0 };
		char *end;

		if (!pia_startswith(v->text, fig))
			continue;
		for (k = 0; k < O->doc->nimage; k++) {
			const struct pia_imp_image *im = &O->doc->image[k];

			if (im->page == v->page && im->png != NULL && im->y1 <= v->y0 + 1 &&
			    (best == NULL || im->y1 > best->y1))
				best = im;
		}
		/* The first caption still in the text, at a paragraph's start. */
		for (q = strstr(md, fig); q != NULL && q != md && !(q - md >= 2 && q[-1] == '\n' && q[-2] == '\n');
		    q = strstr(q + 1, fig))
			;
		if (best == NULL || q == NULL)
			continue;
		end = strstr(q, "\n\n");
		if (end == NULL)
			end = q + strlen(q);
		pia_buf_put(&b, md, (size_t)(q - md));
		pia_buf_puts(&b, "![");
		pia_buf_put(&b, q + strlen(fig), (size_t)(end - q - strlen(fig)));
		pia_buf_printf(&b, "](%s)", best->name);
		pia_buf_puts(&b, end);
		free(md);
		md = pia_buf_take(&b);
	}
	return md;
}

static char *
to_markdown(const struct pia_imp_node *n)
{
	return to_markdown_as(n, 0);
}

static char *
to_markdown_cell(const struct pia_imp_node *n)
{
	return to_markdown_as(n, 1);
}

static char *
to_text(const struct pia_imp_node *n)
{
	struct pline *p;
	struct pia_buf b = { 0 };
	size_t np, i;

	p = plines(n, &np);
	for (i = 0; i < np; i++)
		join(&b, p[i].text);
	plines_free(p, np);
	return b.len ? pia_buf_take(&b) : NULL;
}

/* Text without any space (dates, counts). */
static char *
squeeze(char *s)
{
	char *r = s, *w = s;

	if (s == NULL)
		return NULL;
	for (; *s; s++)
		if (*s != ' ')
			*w++ = *s;
	*w = '\0';
	return r;
}

/* "[ 実施する ]" → "実施する"; NULL when s is no bracketed answer. */
static char *
bracketed(const char *s)
{
	size_t n = strlen(s);
	char *in, *t;

	if (n < 2 || s[0] != '[' || s[n - 1] != ']')
		return NULL;
	in = xstrndup(s + 1, n - 2);
	t = pia_strtrim(in);
	free(in);
	return t;
}

/* The 「（ N ）件」 at the end of s: the count, and s cut before it; -1 when none. */
static long
count_suffix(char *s)
{
	char *k = strstr(s, "（"), *last = NULL;
	long v = -1;

	for (; k != NULL; k = strstr(k + 1, "（"))
		last = k;
	if (last != NULL) {
		char *p = last + strlen("（"), *end;

		while (*p == ' ')
			p++;
		v = strtol(p, &end, 10);
		if (end == p)
			return -1;
		while (*end == ' ')
			end++;
		if (!pia_startswith(end, "）件"))
			return -1;
		*last = '\0';
		{
			size_t l = strlen(s);

			while (l > 0 && s[l - 1] == ' ')
				s[--l] = '\0';
		}
	}
	return v;
}

struct box {
	char	*text;
	int	 marked;
	double	 x0;
	size_t	 order;		/* index of its choice, or past the last */
};

/* Where a box's text stands among the choices: its own, or an その他（…）/（ N ）件 box's. */
static size_t
box_order(const struct pia_choices *C, const char *t)
{
	size_t k, best = C->n, bl = 0;

	for (k = 0; k < C->n; k++) {
		size_t l = strlen(C->v[k].label);

		if (strcmp(t, C->v[k].label) == 0)
			return k;
		if (strncmp(t, C->v[k].label, l) == 0 && l > bl) {
			best = k;
			bl = l;
		}
	}
	return best;
}

/* Write the boxes of a checks item; unknown marked labels are warned about. */
static void
put_checks(struct pia_imp_out *O, struct pia_buf *b, const struct pia_imp_node *n, const char *ind)
{
	struct box *bx = xcalloc(n->nv + 1, sizeof(*bx));
	size_t nb = 0, i, k;
	const struct pia_choices *C = n->f->choices;

	for (i = 0; i < n->nv; i++) {
		const char *t = n->v[i].text, *close;
		uint32_t cp;

		if (pia_imp_is_box(t)) {
			size_t l = pia_utf8_decode(t, strlen(t), &cp);

			bx[nb].marked = is_mark(cp);
			bx[nb].text = pia_strtrim(t + l);
			bx[nb].x0 = n->v[i].x0;
			nb++;
		} else if (t[0] == '[' && (close = strchr(t, ']')) != NULL) {
			const char *q;
			int m = 0;

			for (q = t + 1; q < close;) {
				size_t l = pia_utf8_decode(q, (size_t)(close - q), &cp);

				if (l == 0)
					break;
				if (is_mark(cp))
					m = 1;
				q += l;
			}
			bx[nb].marked = m;
			bx[nb].text = pia_strtrim(close + 1);
			bx[nb].x0 = n->v[i].x0;
			nb++;
		} else if (nb > 0) {
			/* A long label wrapped onto the next line: the box nearest left. */
			size_t best = nb - 1;

			for (k = nb; k-- > 0;)
				if (fabs(bx[k].x0 - n->v[i].x0) < fabs(bx[best].x0 - n->v[i].x0))
					best = k;
			if (C != NULL && pia_choices_find(C, bx[best].text) < 0) {
				struct pia_buf j = { 0 };

				pia_buf_puts(&j, bx[best].text);
				join(&j, t);
				free(bx[best].text);
				bx[best].text = pia_buf_take(&j);
			}
		}
	}
	/* Boxes print in columns (flow); the sources list them in the 様式's order. */
	{
		size_t a, z;

		for (a = 0; C != NULL && a < nb; a++)
			bx[a].order = box_order(C, bx[a].text);
		for (a = 1; a < nb; a++)
			for (z = a; z > 0 && bx[z - 1].order > bx[z].order; z--) {
				struct box tmp = bx[z];

				bx[z] = bx[z - 1];
				bx[z - 1] = tmp;
			}
	}
	for (i = 0; i < nb; i++) {
		char *t = bx[i].text, *other = NULL;
		long cnt;
		int c = -1;

		if (!bx[i].marked || C == NULL)
			continue;
		cnt = count_suffix(t);
		if ((c = pia_choices_find(C, t)) < 0) {
			/* 「その他（…）」: the label, then the text in its brackets. */
			for (k = 0; k < C->n && c < 0; k++) {
				size_t l = strlen(C->v[k].label);

				if ((C->v[k].flags & PIA_CF_OTHER) && strncmp(t, C->v[k].label, l) == 0 &&
				    pia_startswith(t + l, "（")) {
					char *in = xstrdup(t + l + strlen("（")), *e;
					size_t il = strlen(in);

					if (il >= strlen("）") && strcmp(in + il - strlen("）"), "）") == 0)
						in[il - strlen("）")] = '\0';
					e = pia_strtrim(in);
					free(in);
					other = e;
					c = (int)k;
				}
			}
		}
		if (c < 0) {
			pia_imp_warn(O, n->v[0].page, PIA_MSG_IMPORT_CHOICE, t, n->f->label);
			continue;
		}
		pia_buf_printf(b, "%s  <選択", ind);
		if (other != NULL && other[0] != '\0') {
			pia_buf_puts(b, " 内容=\"");
			pia_buf_put_xml(b, other, 1);
			pia_buf_putc(b, '"');
		}
		if (cnt >= 0)
			pia_buf_printf(b, " 件数=\"%ld\"", cnt);
		pia_buf_putc(b, '>');
		pia_buf_put_xml(b, C->v[c].label, 0);
		pia_buf_puts(b, "</選択>\n");
		free(other);
	}
	for (i = 0; i < nb; i++)
		free(bx[i].text);
	free(bx);
}

/* The entries of a list item: one a line, 「1. 」 numbers and run-in 「、2. 」 taken off. */
static void
put_list(struct pia_buf *b, const struct pia_imp_node *n, const char *ind)
{
	struct pline *p;
	size_t np, i, k;
	int num;
	char **e = NULL;
	size_t ne = 0;

	p = plines(n, &np);
	if (n->f->flags & PIA_FF_RUNIN) {
		struct pia_buf all = { 0 };
		char *s, *q, *start;

		for (i = 0; i < np; i++)
			join(&all, p[i].text);
		s = pia_buf_take(&all);
		for (q = start = s; s != NULL && *q; q++) {
			if (pia_startswith(q, "、") && q[strlen("、")] >= '0' && q[strlen("、")] <= '9') {
				const char *d = q + strlen("、");

				while (*d >= '0' && *d <= '9')
					d++;
				if (*d == '.') {
					e = xrealloc(e, (ne + 1) * sizeof(*e));
					e[ne++] = xstrndup(start, (size_t)(q - start));
					start = q + strlen("、");
				}
			}
		}
		if (s != NULL && *start) {
			e = xrealloc(e, (ne + 1) * sizeof(*e));
			e[ne++] = xstrdup(start);
		}
		free(s);
		for (i = 0; i < ne; i++) {
			k = marker(e[i], &num);
			if (k == 0 && e[i][0] >= '0' && e[i][0] <= '9') {
				char *d = e[i];

				while (*d >= '0' && *d <= '9')
					d++;
				if (*d == '.')
					k = (size_t)(d + 1 - e[i]);
				while (e[i][k] == ' ')
					k++;
			}
			memmove(e[i], e[i] + k, strlen(e[i] + k) + 1);
		}
	} else {
		for (i = 0; i < np; i++) {
			k = (n->f->flags & PIA_FF_NUMBERED) ? marker(p[i].text, &num) : 0;
			if (i > 0 && (n->f->flags & PIA_FF_NUMBERED) && k == 0) {
				struct pia_buf j = { 0 };

				pia_buf_puts(&j, e[ne - 1]);
				join(&j, p[i].text);
				free(e[ne - 1]);
				e[ne - 1] = pia_buf_take(&j);
				continue;
			}
			e = xrealloc(e, (ne + 1) * sizeof(*e));
			e[ne++] = xstrdup(p[i].text + k);
		}
		/* 「(1) 国民年金被保険者ファイル」: the 様式's own numbering of entry 1, 2, … */
		for (i = 0; i < ne; i++) {
			char num[32];
			size_t l;

			snprintf(num, sizeof(num), "(%zu)", i + 1);
			l = strlen(num);
			if (strncmp(e[i], num, l) == 0 && e[i][l] == ' ' && e[i][l + 1] != '\0')
				memmove(e[i], e[i] + l + 1, strlen(e[i] + l + 1) + 1);
		}
	}
	for (i = 0; i < ne; i++) {
		pia_buf_printf(b, "%s  <項目>", ind);
		pia_buf_put_xml(b, e[i], 0);
		pia_buf_puts(b, "</項目>\n");
		free(e[i]);
	}
	free(e);
	plines_free(p, np);
}

/* Does the table's header name column c (its key or label, or the label's end: 「…の項番」 printed 「項番」)? */
static int
col_title(const struct pia_column *c, const char *t)
{
	char *n = pia_imp_norm(t), *k = pia_imp_norm(c->key), *l = pia_imp_norm(c->label ? c->label : c->key);
	size_t nl = strlen(n), ll = strlen(l);
	int r = nl > 0 && (strcmp(n, k) == 0 || strcmp(n, l) == 0 || (ll > nl && strcmp(l + ll - nl, n) == 0));

	free(n);
	free(k);
	free(l);
	return r;
}

/*
 * Is line i of n a piece of f's first column's title wrapped in its narrow cell
 * (「主務省 / 令第2 / 条の表」), alone on its line?  A row's first cell has
 * the row's other cells beside it.
 */
static int
title_piece(const struct pia_imp_node *n, size_t i, const struct pia_fnode *f)
{
	const struct pia_column *c = &f->cols[0];
	const struct pia_imp_vline *v = &n->v[i];
	char *t = pia_imp_norm(v->text), *l = pia_imp_norm(c->label ? c->label : c->key);
	size_t k, j;
	int r = pia_utf8_count(t, strlen(t)) >= 2 && strstr(l, t) != NULL;

	/* Beside it only the other columns' titles (the header row's first line), or nothing. */
	for (k = 0; r && k < n->nv; k++) {
		if (k == i || n->v[k].page != v->page || fabs(n->v[k].y0 - v->y0) >= 1)
			continue;
		for (j = 1; j < f->ncols && !col_title(&f->cols[j], n->v[k].text); j++)
			;
		if (j == f->ncols)
			r = 0;
	}
	free(t);
	free(l);
	return r;
}

/*
 * The rows of a table item (a 別紙's 提供先一覧) under its header row: the
 * header's titles give the columns (a cell's text starts right of the
 * title before), a line with text in the first column starts a row, the
 * header printed again on the next pages is left out.
 */
static void
put_table(struct pia_buf *b, const struct pia_imp_node *n, const char *ind)
{
	const struct pia_fnode *f = n->f;
	double *edge = xcalloc(f->ncols + 1, sizeof(*edge));
	struct pia_buf *cell = xcalloc(f->ncols + 1, sizeof(*cell));
	size_t i, k, found = 0;
	int have = 0;

	/* The header: the first line whose segments are the columns' titles. */
	for (i = 0; i < n->nv && found < f->ncols; i++) {
		for (k = found; k < f->ncols; k++)
			if (col_title(&f->cols[k], n->v[i].text))
				break;
		if (k == f->ncols)
			continue;
		edge[k] = k == 0 ? -1e9 : n->v[i - (i > 0)].x1 - 1;
		if (k == 0)
			edge[0] = -1e9;
		found = k + 1;
	}
	if (found < f->ncols || f->ncols == 0) {
		free(edge);
		free(cell);
		return;
	}
	for (k = 1; k < f->ncols; k++)
		if (edge[k] == 0)
			edge[k] = edge[k - 1];
	for (; i <= n->nv; i++) {
		const struct pia_imp_vline *v = i < n->nv ? &n->v[i] : NULL;
		size_t col = 0;
		int newrow = 0;

		if (v != NULL && col_title(&f->cols[0], v->text))
			continue;	/* the header again, on the next page */
		if (v != NULL && title_piece(n, i, f))
			continue;	/* the first column's title, wrapped */
		if (v != NULL) {
			for (k = f->ncols; k-- > 1;)
				if (v->x0 >= edge[k])
					break;
			if (k > 0 && col_title(&f->cols[k], v->text))
				continue;
			col = k;
			newrow = k == 0;
		}
		if ((v == NULL || newrow) && have) {
			pia_buf_printf(b, "%s  <行>", ind);
			for (k = 0; k < f->ncols; k++) {
				pia_buf_puts(b, "<列>");
				if (cell[k].len)
					pia_buf_put_xml(b, cell[k].data, 0);
				pia_buf_puts(b, "</列>");
				pia_buf_free(&cell[k]);
			}
			pia_buf_puts(b, "</行>\n");
			have = 0;
		}
		if (v == NULL)
			break;
		join(&cell[col], v->text);
		have = 1;
	}
	for (k = 0; k < f->ncols; k++)
		pia_buf_free(&cell[k]);
	free(cell);
	free(edge);
}

/* The choice written in 「[ … ]」, else a line that is one of the choices. */
static char *
choice_value(struct pia_imp_out *O, const struct pia_imp_node *n)
{
	size_t i;
	char *t;

	for (i = 0; i < n->nv; i++)
		if ((t = bracketed(n->v[i].text)) != NULL) {
			if (t[0] == '\0') {
				free(t);
				return NULL;
			}
			if (n->f->choices && pia_choices_find(n->f->choices, t) < 0 && !pia_text_na(t))
				pia_imp_warn(O, n->v[i].page, PIA_MSG_IMPORT_CHOICE, t, n->f->label);
			return t;
		}
	for (i = 0; i < n->nv; i++)
		if (n->f->choices && pia_choices_find(n->f->choices, n->v[i].text) >= 0)
			return xstrdup(n->v[i].text);
	if (n->nv > 0) {
		t = to_text(n);
		pia_imp_warn(O, n->v[0].page, PIA_MSG_IMPORT_CHOICE, t, n->f->label);
		return t;
	}
	return NULL;
}

static int
has_value(const struct pia_imp_node *n)
{
	const struct pia_imp_node *c;

	if (n->nv > 0)
		return 1;
	for (c = n->child; c != NULL; c = c->next)
		if (has_value(c))
			return 1;
	return 0;
}

static void
put_node(struct pia_imp_out *O, struct pia_buf *b, const struct pia_imp_node *n, int depth)
{
	const struct pia_fnode *fc;
	const struct pia_imp_node *c;
	char ind[64];
	char *v = NULL;

	snprintf(ind, sizeof(ind), "%*s", depth * 2, "");
	if (n->f->kind != PIA_F_ITEM) {
		pia_buf_printf(b, "%s<%s>\n", ind, n->f->key);
		for (fc = n->f->child; fc != NULL; fc = fc->next) {
			unsigned idx, maxi = 0;

			for (c = n->child; c != NULL; c = c->next)
				if (c->f == fc && c->index > maxi)
					maxi = c->index;
			for (idx = 0; idx <= maxi; idx++)
				for (c = n->child; c != NULL; c = c->next)
					if (c->f == fc && c->index == idx && has_value(c))
						put_node(O, b, c, depth + 1);
		}
		pia_buf_printf(b, "%s</%s>\n", ind, n->f->key);
		return;
	}
	O->items++;
	switch (n->f->type) {
	case PIA_T_CHECKS:
		pia_buf_printf(b, "%s<%s>\n", ind, n->f->key);
		put_checks(O, b, n, ind);
		pia_buf_printf(b, "%s</%s>\n", ind, n->f->key);
		return;
	case PIA_T_TABLE:
		pia_buf_printf(b, "%s<%s>\n", ind, n->f->key);
		put_table(b, n, ind);
		pia_buf_printf(b, "%s</%s>\n", ind, n->f->key);
		return;
	case PIA_T_LIST:
		pia_buf_printf(b, "%s<%s>\n", ind, n->f->key);
		put_list(b, n, ind);
		pia_buf_printf(b, "%s</%s>\n", ind, n->f->key);
		return;
	case PIA_T_CHOICE:
		v = choice_value(O, n);
		break;
	case PIA_T_MARKDOWN:
		v = figures(O, n, to_markdown(n));
		break;
	case PIA_T_COUNT:
	case PIA_T_DATE:
	case PIA_T_YEARMONTH:
		v = squeeze(to_text(n));
		if (v != NULL && n->f->type == PIA_T_COUNT) {
			/* 「（ 6 ）件」 as printed, or the bare number. */
			char *t = xstrdup(v);
			long c = count_suffix(t);

			free(t);
			if (c >= 0) {
				free(v);
				v = xasprintf("%ld", c);
			}
		}
		break;
	default:
		v = to_text(n);
		break;
	}
	if (v == NULL)
		return;
	pia_buf_printf(b, "%s<%s>", ind, n->f->key);
	pia_buf_put_xml(b, v, 0);
	pia_buf_printf(b, "</%s>\n", n->f->key);
	free(v);
}

char *
pia_imp_report_xml(struct pia_imp_out *O, const struct pia_form *F, const struct pia_imp_place *P)
{
	struct pia_buf b = { 0 };
	const struct pia_fnode *fc;
	const struct pia_imp_node *c;

	pia_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	pia_buf_puts(&b, "<!-- pia import-report で PDF から読み込んだ評価書 (pia(5)) -->\n");
	pia_buf_puts(&b, "<評価書 様式=\"");
	pia_buf_put_xml(&b, F->name, 1);
	pia_buf_puts(&b, "\" 版=\"");
	pia_buf_put_xml(&b, F->version, 1);
	pia_buf_puts(&b, "\">\n");
	for (fc = F->root->child; fc != NULL; fc = fc->next) {
		unsigned idx, maxi = 0;

		if (fc->kind == PIA_F_CHANGES)
			continue;
		for (c = P->root->child; c != NULL; c = c->next)
			if (c->f == fc && c->index > maxi)
				maxi = c->index;
		for (idx = 0; idx <= maxi; idx++)
			for (c = P->root->child; c != NULL; c = c->next)
				if (c->f == fc && c->index == idx && has_value(c))
					put_node(O, &b, c, 1);
	}
	pia_buf_puts(&b, "</評価書>\n");
	return pia_buf_take(&b);
}

/* 「（別紙3参照）」 or 「（別添3-別紙3参照）」: 3, else 0. */
static unsigned
appendix_ref(const char *t)
{
	const char *p;
	char *end;
	unsigned long n;
	size_t l = strlen(t);

	if (pia_startswith(t, "\\"))
		t++;
	if (!pia_startswith(t, "（") || l < strlen("参照）") ||
	    strcmp(t + strlen(t) - strlen("参照）"), "参照）") != 0 ||
	    (p = strstr(t, "別紙")) == NULL)
		return 0;
	p += strlen("別紙");
	n = strtoul(p, &end, 10);
	if (end == p || strcmp(end, "参照）") != 0)
		return 0;
	return (unsigned)n;
}

/* The row's 項目 cell, squeezed, or NULL.  Caller frees. */
static char *
row_item(const struct pia_imp_place *P, size_t i)
{
	int k;

	for (k = 0; k < P->nccols; k++)
		if (strcmp(P->ccol_name[k], "項目") == 0)
			return squeeze(to_text(P->rows[i][k]));
	return NULL;
}

/* The 変更前 or 変更後 of 別紙 no for item (the only one of that number when its 項目 is not found). */
static char *
from_appendix(const struct pia_imp_place *P, unsigned no, char *item, int before, char *ref)
{
	const struct pia_imp_appx *a, *one = NULL;
	size_t i, n = 0;
	char *t = NULL;

	for (i = 0; i < P->nappx; i++) {
		char *it;

		a = &P->appx[i];
		if (a->no != no)
			continue;
		n++;
		one = a;
		it = squeeze(to_text(a->item));
		if (it != NULL && item != NULL && strcmp(it, item) == 0) {
			free(it);
			break;
		}
		free(it);
	}
	if (i == P->nappx && n != 1)
		one = NULL;
	if (one != NULL)
		t = to_markdown_as(before ? one->before : one->after, 2);
	free(item);
	if (t == NULL)
		return ref;
	free(ref);
	return t;
}

/*
 * A row continued on the next page prints its 項目 again with 「（続き）」
 * (「Ⅱ(1)-5-移転先Ⅱ(1)-5-移転先（続き）」 once read): the item once.
 */
static char *
once(char *s)
{
	size_t l, h;

	if (s == NULL || (l = strlen(s)) <= strlen("（続き）") ||
	    strcmp(s + l - strlen("（続き）"), "（続き）") != 0)
		return s;
	l -= strlen("（続き）");
	h = l / 2;
	if (l % 2 == 0 && memcmp(s, s + h, h) == 0)
		s[h] = '\0';
	return s;
}

char *
pia_imp_changes_xml(const struct pia_imp_place *P)
{
	struct pia_history h = { 0 };
	size_t i;
	int k;
	unsigned no;
	char *xml;

	h.v = xcalloc(P->nrows + 1, sizeof(*h.v));
	for (i = 0; i < P->nrows; i++) {
		struct pia_change *c = &h.v[h.n].c;

		for (k = 0; k < P->nccols; k++) {
			const struct pia_imp_node *cell = P->rows[i][k];
			const char *name = P->ccol_name[k];
			char *t;

			if (strcmp(name, "変更前の記載") == 0 || strcmp(name, "変更後の記載") == 0) {
				t = to_markdown_cell(cell);
				if (t != NULL && (no = appendix_ref(t)) > 0)
					t = from_appendix(P, no, row_item(P, i), strcmp(name, "変更前の記載") == 0, t);
			}
			else if (strcmp(name, "項目") == 0)
				t = once(squeeze(to_text(cell)));
			else if (strcmp(name, "変更日") == 0 || strcmp(name, "提出時期") == 0 ||
			    strcmp(name, "ページ") == 0)
				t = squeeze(to_text(cell));
			else
				t = to_text(cell);
			if (t == NULL)
				t = xstrdup("");
			if (strcmp(name, "変更日") == 0)
				c->date_text = t;
			else if (strcmp(name, "項目") == 0)
				c->item = t;
			else if (strcmp(name, "変更前の記載") == 0)
				c->before = t;
			else if (strcmp(name, "変更後の記載") == 0)
				c->after = t;
			else if (strcmp(name, "提出時期") == 0)
				c->timing = t;
			else if (strcmp(name, "提出時期に係る説明") == 0) {
				/* The 説明, then the 理由 of the change as its own paragraph. */
				char *md = to_markdown_cell(cell), *br;

				free(t);
				t = md ? md : xstrdup("");
				if ((br = strchr(t, '\n')) != NULL) {
					c->why = xstrdup(br + strspn(br, "\n"));
					*br = '\0';
				} else {
					/* One paragraph: the 説明 is one of the 様式's phrases, the longest that starts it. */
					static const char *const said[] = {
						"重要な変更の対象項目だが該当しない",
						"重要な変更の対象項目でない", "重要な変更", NULL
					};
					size_t q;

					for (q = 0; said[q] != NULL; q++)
						if (pia_startswith(t, said[q]) && t[strlen(said[q])] != '\0') {
							c->why = xstrdup(t + strlen(said[q]));
							t[strlen(said[q])] = '\0';
							break;
						}
				}
				c->reason = t;
			}
			else if (strcmp(name, "ページ") == 0)
				c->page = t;
			else
				free(t);
		}
		h.n++;
	}
	xml = pia_history_write(&h, "pia import-report で PDF の変更箇所から読み込んだ履歴 (pia(5))");
	pia_history_free(&h);
	return xml;
}

char *
pia_imp_unplaced_md(const struct pia_imp_place *P)
{
	struct pia_buf b = { 0 };
	size_t i;

	if (P->unplaced->nv == 0)
		return NULL;
	pia_buf_puts(&b, "# 置き場所の分からなかった文字\n\n"
	    "PDF のどの項目にも当てはめられなかった文字です。ページと位置（左上からのポイント）を見て、"
	    "正しい項目に移してください。\n\n");
	for (i = 0; i < P->unplaced->nv; i++) {
		const struct pia_imp_vline *v = &P->unplaced->v[i];

		pia_buf_printf(&b, "- %u ページ (x %.0f, y %.0f): ", v->page, v->x0, v->y0);
		put_md_text(&b, v->text, 0);
		pia_buf_putc(&b, '\n');
	}
	return pia_buf_take(&b);
}
