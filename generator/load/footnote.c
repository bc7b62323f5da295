/*
 * Footnotes in Markdown ("本文[^1]。" and a line "[^1]: 注の本文"), which
 * plain cmark 0.30 lacks: it reads "[^1]: 注" as a link reference
 * definition and drops it, so a note would vanish without a word.
 *
 * Before cmark parses, the "[" of every "[^label]" outside an escape is
 * swapped for a byte cmark treats as text (same length, so positions
 * hold); code, URLs and titles get it back after parsing.  Then:
 *   - a paragraph, or a line of one, that starts "[^label]:" becomes a
 *     note: a CUSTOM_BLOCK (on_enter "pia-fn:N", on_exit its line) holding
 *     one paragraph, the note's text;
 *   - every other "[^label]" becomes a reference: a CUSTOM_INLINE
 *     (on_enter "pia-fnref:N") whose one child is the text "注N";
 *   - notes are numbered in the order of their first reference in the
 *     file, and each note is put after the first block that refers to it
 *     below each heading (so it travels with the item value the
 *     reference lands in, include/md.h); notes nobody refers to stay
 *     where they were written.
 * Nothing is said here: every note (written twice, empty, referred to or
 * not) and every reference that names no note is kept as written in the
 * report's notes (pia_report.notes), at its file:line, and check/values.c
 * reports what is wrong with them (MD_FOOTNOTE_*).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "load_int.h"
#include "md.h"
#include "model.h"
#include "util.h"

/*
 * The byte that stands for "[" of a footnote: a control character the
 * file does not hold (almost always U+0001), chosen per parse.
 */
static _Thread_local char SENTINEL;
#define LABEL_MAX	60		/* bytes of a label */

/* Length of the label at p (just after "[^") up to its "]", or 0 when there is none. */
static size_t
label_len(const char *p, const char *end)
{
	size_t n;

	for (n = 0; p + n < end && p[n] != ']'; n++)
		if ((unsigned char)p[n] <= 0x20 || p[n] == '[' || p[n] == '\\' ||
		    p[n] == SENTINEL || n >= LABEL_MAX)
			return 0;
	return p + n < end ? n : 0;
}

/* A copy of buf with the "[" of each footnote label swapped for the sentinel. */
static char *
mark(const char *buf, size_t len)
{
	char *t = xmalloc(len + 1);
	size_t i, n;

	memcpy(t, buf, len);
	t[len] = '\0';
	for (i = 0; i + 1 < len; i++)
		if (buf[i] == '[' && buf[i + 1] == '^' && (i == 0 || buf[i - 1] != '\\') &&
		    (n = label_len(buf + i + 2, buf + len)) > 0 &&
		    (i + 3 + n >= len || buf[i + 3 + n] != '('))
			t[i] = SENTINEL;
	return t;
}

/* s with every sentinel before "^" turned back into "[" (caller frees), or NULL when it has none. */
static char *
unmark(const char *s)
{
	char *t, *p;

	if (s == NULL || strchr(s, SENTINEL) == NULL)
		return NULL;
	t = xstrdup(s);
	for (p = t; (p = strchr(p, SENTINEL)) != NULL; p++)
		if (p[1] == '^')
			*p = '[';
	return t;
}

/* Literal text everywhere but in plain text nodes, and URLs and titles, as written. */
static void
restore(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_node *n;
	char *t;

	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (cmark_iter_get_event_type(it) != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_CODE:
		case CMARK_NODE_CODE_BLOCK:
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			if ((t = unmark(cmark_node_get_literal(n))) != NULL)
				cmark_node_set_literal(n, t);
			free(t);
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			if ((t = unmark(cmark_node_get_url(n))) != NULL)
				cmark_node_set_url(n, t);
			free(t);
			if ((t = unmark(cmark_node_get_title(n))) != NULL)
				cmark_node_set_title(n, t);
			free(t);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

struct note {
	char		*label;
	cmark_node	*block;		/* the CUSTOM_BLOCK */
	unsigned	 line;		/* in the buffer, from 1 */
	unsigned	 no;		/* 0 until numbered */
	int		 used;
	int		 dup;		/* a second note of its label */
	unsigned	 first;		/* dup: the line of the first one, in the file */
	cmark_node	*placed_after;	/* top block the last copy went after */
	long		 placed_seg;	/* its heading segment, -1 for none */
};

struct notes {
	struct pia_mdsrc	*s;
	struct note		*v;
	size_t			 n, cap;
	size_t			*hash;		/* open addressing: index + 1 of the first note of a label */
	size_t			 hcap, nhash;
	unsigned		 next_no;
	cmark_node		*last_top;	/* where place() put its last note */
	cmark_node		*last_note;
	unsigned		 ref_line;	/* ref_pos's cursor */
	size_t			 ref_off;
	size_t			 col_line;	/* ref_pos's column cursor: col_off on */
	size_t			 col_off;	/* buffer line col_line is column col */
	unsigned		 col;
};

static size_t
hash_label(const char *s, size_t len)
{
	size_t h = 2166136261u, i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* The first note of a label, or NULL (a hash table: a file may hold many notes). */
static struct note *
find(struct notes *N, const char *label, size_t len)
{
	size_t i, mask = N->hcap - 1;
	struct note *o;

	if (N->hcap == 0)
		return NULL;
	for (i = hash_label(label, len) & mask; N->hash[i] != 0; i = (i + 1) & mask) {
		o = &N->v[N->hash[i] - 1];
		if (strlen(o->label) == len && memcmp(o->label, label, len) == 0)
			return o;
	}
	return NULL;
}

static void
hash_put(size_t *h, size_t cap, const struct note *v, size_t idx)
{
	size_t i;

	for (i = hash_label(v[idx].label, strlen(v[idx].label)) & (cap - 1); h[i] != 0;
	    i = (i + 1) & (cap - 1))
		;
	h[i] = idx + 1;
}

static void
hash_add(struct notes *N, size_t idx)
{
	size_t *h, cap, i;

	if ((N->nhash + 1) * 2 > N->hcap) {
		cap = N->hcap ? N->hcap * 2 : 64;
		h = xcalloc(cap, sizeof(*h));
		for (i = 0; i < N->hcap; i++)
			if (N->hash[i] != 0)
				hash_put(h, cap, N->v, N->hash[i] - 1);
		free(N->hash);
		N->hash = h;
		N->hcap = cap;
	}
	hash_put(N->hash, N->hcap, N->v, idx);
	N->nhash++;
}

/* Where a message about buffer line `line` goes; col 1. */
static struct pia_pos
line_pos(const struct pia_mdsrc *s, unsigned line)
{
	struct pia_pos p = { s->file, line + s->line0, 1 };

	return p;
}

/*
 * The position of the first "[^label]" at or after the start of buffer
 * line `from` (a reference inside a paragraph that starts there).
 */
static struct pia_pos
ref_pos(struct notes *N, unsigned from, const char *label)
{
	const struct pia_mdsrc *s = N->s;
	char *needle = xasprintf("[^%s]", label);
	size_t start = from >= 1 && from <= s->nlines ? s->lines[from - 1] : 0, l;
	size_t nl = strlen(needle);
	const char *hit = NULL, *p;
	struct pia_pos pos = line_pos(s, from);

	/* References of one paragraph come in order: go on from the last one found. */
	if (N->ref_line == from && N->ref_off > start)
		start = N->ref_off;
	for (p = s->buf + start; p + nl <= s->buf + s->len; p++)
		if (*p == '[' && memcmp(p, needle, nl) == 0) {
			hit = p;
			break;
		}
	if (hit != NULL) {
		N->ref_line = from;
		N->ref_off = (size_t)(hit - s->buf) + 1;
		for (l = from > 0 ? from - 1 : 0; l + 1 < s->nlines && s->lines[l + 1] <= (size_t)(hit - s->buf); l++)
			;
		pos.line = (unsigned)l + 1 + s->line0;
		/* Count on from the last reference of the line: a line may hold 150,000. */
		if (N->col == 0 || N->col_line != l || N->col_off > (size_t)(hit - s->buf)) {
			N->col_line = l;
			N->col_off = s->lines[l];
			N->col = 1;
		}
		N->col += (unsigned)pia_utf8_count(s->buf + N->col_off,
		    (size_t)(hit - s->buf) - N->col_off);
		N->col_off = (size_t)(hit - s->buf);
		pos.col = N->col;
	}
	free(needle);
	return pos;
}

/* The line of the nearest block holding n (inline positions are unreliable, libs.md §5.1). */
static unsigned
node_line(cmark_node *n)
{
	int line;

	for (; n != NULL; n = cmark_node_parent(n))
		if (cmark_node_get_type(n) < CMARK_NODE_FIRST_INLINE &&
		    (line = cmark_node_get_start_line(n)) > 0)
			return (unsigned)line;
	return 1;
}

/* Length of the label of a note start "\001^label]:" at t, or 0. */
static size_t
note_start(const char *t)
{
	size_t n;

	if (t[0] != SENTINEL || t[1] != '^')
		return 0;
	n = label_len(t + 2, t + strlen(t));
	return n > 0 && t[2 + n + 1] == ':' ? n : 0;
}

/* A footnote as written into the report's notes (label owned by it). */
static void
keep(struct notes *N, char *label, const struct pia_pos *pos, int ref, unsigned first,
    int empty, int used)
{
	struct pia_report *r = N->s->r;
	struct pia_footnote *x;

	if (r == NULL) {
		free(label);
		return;
	}
	/* Doubling: a file may hold a great many notes. */
	if ((r->nnotes & (r->nnotes - 1)) == 0)
		r->notes = xrealloc(r->notes, (r->nnotes ? r->nnotes * 2 : 1) * sizeof(*r->notes));
	x = &r->notes[r->nnotes++];
	x->label = label;
	x->pos = *pos;
	x->ref = ref;
	x->first = first;
	x->empty = empty;
	x->used = used;
}

static void
new_note(struct notes *N, const char *label, size_t len, cmark_node *block, unsigned line)
{
	struct note *o;
	char *lab = xmalloc(len + 1);
	unsigned first = 0;
	int dup = 0;

	memcpy(lab, label, len);
	lab[len] = '\0';
	if ((o = find(N, label, len)) != NULL) {
		first = o->line + N->s->line0;
		dup = 1;
	}
	if (N->n == N->cap) {
		N->cap = N->cap ? N->cap * 2 : 16;
		N->v = xrealloc(N->v, N->cap * sizeof(*N->v));
	}
	o = &N->v[N->n++];
	memset(o, 0, sizeof(*o));
	o->label = lab;
	o->block = block;
	o->line = line;
	o->dup = dup;
	o->first = first;
	o->placed_seg = -1;
	if (!dup)
		hash_add(N, N->n - 1);
}

/*
 * Split paragraph p into its own text and the notes it holds: a note
 * starts the paragraph or a line of it with "[^label]:" and runs to the
 * next such line or the paragraph's end.
 */
static void
split_notes(struct notes *N, cmark_node *p)
{
	cmark_node *c, *next, *prev = NULL, *after = p, *note, *q = NULL;
	unsigned line = node_line(p);
	const char *t;
	char buf[32];
	size_t k;

	for (c = cmark_node_first_child(p); c != NULL; prev = c, c = next) {
		next = cmark_node_next(c);
		if (cmark_node_get_type(c) == CMARK_NODE_SOFTBREAK ||
		    cmark_node_get_type(c) == CMARK_NODE_LINEBREAK)
			line++;
		if (cmark_node_get_type(c) == CMARK_NODE_TEXT &&
		    (prev == NULL || cmark_node_get_type(prev) == CMARK_NODE_SOFTBREAK ||
		    cmark_node_get_type(prev) == CMARK_NODE_LINEBREAK) &&
		    (k = note_start(t = cmark_node_get_literal(c))) > 0) {
			/* The line break before the note ends the text before it. */
			if (prev != NULL) {
				cmark_node_free(prev);
				prev = NULL;
			}
			note = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
			q = cmark_node_new(CMARK_NODE_PARAGRAPH);
			cmark_node_append_child(note, q);
			snprintf(buf, sizeof(buf), "%u", line);
			cmark_node_set_on_exit(note, buf);
			cmark_node_insert_after(after, note);
			after = note;
			new_note(N, t + 2, k, note, line);
			t += 2 + k + 2;
			while (*t == ' ' || *t == '\t')
				t++;
			if (*t != '\0') {
				char *rest = xstrdup(t);
				cmark_node_set_literal(c, rest);
				free(rest);
				cmark_node_unlink(c);
				cmark_node_append_child(q, c);
			} else
				cmark_node_free(c);
			c = NULL;
			continue;
		}
		if (q != NULL) {
			cmark_node_unlink(c);
			cmark_node_append_child(q, c);
		}
	}
	if (after != p && cmark_node_first_child(p) == NULL)
		cmark_node_free(p);
}

/* The block right below the document that holds n. */
static cmark_node *
top_block(cmark_node *n)
{
	while (cmark_node_parent(n) != NULL &&
	    cmark_node_get_type(cmark_node_parent(n)) != CMARK_NODE_DOCUMENT)
		n = cmark_node_parent(n);
	return n;
}

/* A copy of an inline subtree (notes referred to under two headings). */
static cmark_node *
clone(cmark_node *n)
{
	cmark_node *c = cmark_node_new(cmark_node_get_type(n)), *k;

	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
	case CMARK_NODE_HTML_INLINE:
		cmark_node_set_literal(c, cmark_node_get_literal(n));
		break;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		cmark_node_set_url(c, cmark_node_get_url(n));
		cmark_node_set_title(c, cmark_node_get_title(n));
		break;
	case CMARK_NODE_CUSTOM_BLOCK:
	case CMARK_NODE_CUSTOM_INLINE:
		cmark_node_set_on_enter(c, cmark_node_get_on_enter(n));
		cmark_node_set_on_exit(c, cmark_node_get_on_exit(n));
		break;
	default:
		break;
	}
	for (k = cmark_node_first_child(n); k != NULL; k = cmark_node_next(k))
		cmark_node_append_child(c, clone(k));
	return c;
}

/*
 * Put note o after the top block b, once per heading segment.  References
 * come in document order, so the notes put after one block are put one
 * after the other (last_note), in the order of their first reference.
 */
static void
place(struct notes *N, struct note *o, cmark_node *b)
{
	long seg = (long)(intptr_t)cmark_node_get_user_data(b);
	cmark_node *at = b == N->last_top ? N->last_note : b, *x;

	if (o->placed_after != NULL && o->placed_seg == seg)
		return;
	if (o->placed_after == NULL) {
		x = o->block;
		if (at != x)
			cmark_node_insert_after(at, x);
	} else {
		x = clone(o->block);
		cmark_node_insert_after(at, x);
	}
	N->last_top = b;
	N->last_note = x;
	o->placed_after = b;
	o->placed_seg = seg;
}

/* A reference seen: note `note` goes after top block `top`. */
struct ref {
	size_t		 note;
	cmark_node	*top;
};

static void
refs_in_text(struct notes *N, cmark_node *t, int in_note, struct ref **places, size_t *np)
{
	const char *s = cmark_node_get_literal(t), *end = s + strlen(s), *p, *a;
	struct pia_buf lit = { 0 };
	struct note *o;
	cmark_node *r, *x;
	char buf[48], *lab;
	size_t k;

	for (a = p = s; (p = strchr(p, SENTINEL)) != NULL; ) {
		/* Labels cut by other inline markup, and labels inside a note, stay text. */
		if (p[1] != '^' || (k = label_len(p + 2, end)) == 0 || in_note) {
			p++;
			continue;
		}
		if ((o = find(N, p + 2, k)) == NULL) {
			struct pia_pos pos;
			lab = xmalloc(k + 1);
			memcpy(lab, p + 2, k);
			lab[k] = '\0';
			pos = ref_pos(N, node_line(t), lab);
			keep(N, lab, &pos, 1, 0, 0, 0);
			p++;
			continue;
		}
		/* The text before, then the reference. */
		pia_buf_put(&lit, a, (size_t)(p - a));
		if (lit.len > 0) {
			x = cmark_node_new(CMARK_NODE_TEXT);
			pia_buf_putc(&lit, '\0');
			cmark_node_set_literal(x, lit.data);
			cmark_node_insert_before(t, x);
		}
		lit.len = 0;
		if (o->no == 0)
			o->no = ++N->next_no;
		o->used = 1;
		r = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
		snprintf(buf, sizeof(buf), PIA_MD_FNREF "%u", o->no);
		cmark_node_set_on_enter(r, buf);
		x = cmark_node_new(CMARK_NODE_TEXT);
		snprintf(buf, sizeof(buf), "注%u", o->no);
		cmark_node_set_literal(x, buf);
		cmark_node_append_child(r, x);
		cmark_node_insert_before(t, r);
		/* Doubling: a file may hold a great many references. */
		if ((*np & (*np - 1)) == 0)
			*places = xrealloc(*places, (*np ? *np * 2 : 1) * sizeof(**places));
		(*places)[*np].note = (size_t)(o - N->v);
		(*places)[*np].top = top_block(t);
		(*np)++;
		a = p = p + 2 + k + 1;
	}
	/* What is left, with unknown labels shown as written. */
	pia_buf_puts(&lit, a);
	pia_buf_putc(&lit, '\0');
	if ((lab = unmark(lit.data)) != NULL) {
		cmark_node_set_literal(t, lab);
		free(lab);
	} else
		cmark_node_set_literal(t, lit.data);
	if (lit.data[0] == '\0')
		cmark_node_free(t);
	pia_buf_free(&lit);
}

static int
in_note(cmark_node *n)
{
	for (; n != NULL; n = cmark_node_parent(n))
		if (cmark_node_get_type(n) == CMARK_NODE_CUSTOM_BLOCK)
			return 1;
	return 0;
}

/* Collect the nodes of type `type` (and, for TEXT, only those holding the sentinel). */
static cmark_node **
collect(cmark_node *doc, cmark_node_type type, size_t *count)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_node **v = NULL, *n;
	size_t k = 0;
	const char *t;

	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (cmark_iter_get_event_type(it) != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(n) != type)
			continue;
		if (type == CMARK_NODE_TEXT &&
		    ((t = cmark_node_get_literal(n)) == NULL || strchr(t, SENTINEL) == NULL))
			continue;
		if ((k & (k - 1)) == 0)
			v = xrealloc(v, (k ? k * 2 : 1) * sizeof(*v));
		v[k++] = n;
	}
	cmark_iter_free(it);
	*count = k;
	return v;
}

/* A control character that s does not contain, or 0 when it holds them all. */
static char
free_control(const char *s, size_t len)
{
	static const char cand[] = "\001\002\003\004\005\006\007\010\016\017\020\021"
	    "\022\023\024\025\026\027\030\031\032\033\034\035\036\037";
	size_t i;

	for (i = 0; cand[i] != '\0'; i++)
		if (memchr(s, cand[i], len) == NULL)
			return cand[i];
	return 0;
}

cmark_node *
pia_md_parse_notes(struct pia_mdsrc *s)
{
	struct notes N;
	cmark_node *doc, **v, *b;
	struct ref *places = NULL;
	char *t, buf[32];
	size_t i, n, np = 0;
	long seg = 0;
	struct pia_pos pos;
	struct note *o;

	/* A file holding every control character gets no footnotes (they are then links to nowhere). */
	if ((SENTINEL = free_control(s->buf, s->len)) == 0)
		return cmark_parse_document(s->buf, s->len, CMARK_OPT_DEFAULT);
	t = mark(s->buf, s->len);
	memset(&N, 0, sizeof(N));
	N.s = s;
	doc = cmark_parse_document(t, s->len, CMARK_OPT_DEFAULT);
	free(t);
	restore(doc);
	cmark_consolidate_text_nodes(doc);
	/* Notes first, so that references know them. */
	v = collect(doc, CMARK_NODE_PARAGRAPH, &n);
	for (i = 0; i < n; i++)
		split_notes(&N, v[i]);
	free(v);
	v = collect(doc, CMARK_NODE_TEXT, &n);
	for (i = 0; i < n; i++)
		refs_in_text(&N, v[i], in_note(v[i]), &places, &np);
	free(v);
	for (i = 0; i < N.n; i++) {
		o = &N.v[i];
		pos = line_pos(s, o->line);
		keep(&N, xstrdup(o->label), &pos, 0, o->first,
		    cmark_node_first_child(cmark_node_first_child(o->block)) == NULL, o->used);
		if (!o->used)
			o->no = ++N.next_no;
		snprintf(buf, sizeof(buf), PIA_MD_FN "%u", o->no);
		cmark_node_set_on_enter(o->block, buf);
	}
	/* Heading segments of the top blocks: a note is copied once under each heading that refers to it. */
	for (b = cmark_node_first_child(doc); b != NULL; b = cmark_node_next(b)) {
		if (cmark_node_get_type(b) == CMARK_NODE_HEADING)
			seg++;
		cmark_node_set_user_data(b, (void *)(intptr_t)seg);
	}
	for (i = 0; i < np; i++)
		place(&N, &N.v[places[i].note], places[i].top);
	for (b = cmark_node_first_child(doc); b != NULL; b = cmark_node_next(b))
		cmark_node_set_user_data(b, NULL);
	for (i = 0; i < N.n; i++)
		free(N.v[i].label);
	free(N.v);
	free(N.hash);
	free(places);
	return doc;
}

unsigned
pia_md_note_no(cmark_node *n)
{
	const char *e;

	if (cmark_node_get_type(n) == CMARK_NODE_CUSTOM_BLOCK)
		e = cmark_node_get_on_enter(n);
	else if (cmark_node_get_type(n) == CMARK_NODE_CUSTOM_INLINE)
		e = cmark_node_get_on_enter(n);
	else
		return 0;
	if (e != NULL && strncmp(e, PIA_MD_FN, strlen(PIA_MD_FN)) == 0)
		return (unsigned)strtoul(e + strlen(PIA_MD_FN), NULL, 10);
	if (e != NULL && strncmp(e, PIA_MD_FNREF, strlen(PIA_MD_FNREF)) == 0)
		return (unsigned)strtoul(e + strlen(PIA_MD_FNREF), NULL, 10);
	return 0;
}
