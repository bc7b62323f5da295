/*
 * Search without a server: at build time every report is cut into
 * documents (one per top-level part: 表紙, Ⅰ, Ⅱ (1), …, 変更箇所) and a
 * character-bigram index is built over their folded text.  Japanese has
 * no spaces between words, so bigrams find any word of two or more
 * characters without a dictionary.  The index and the texts go into
 * search-index.js, read by the theme's search.js with a <script> element
 * (fetch() of a JSON file does not work from file://); search.js
 * intersects the postings of a query's bigrams, then confirms each
 * candidate with a plain substring search and shows where it matched.
 *
 * A new value type is a row in search_acts[].
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "form.h"
#include "html.h"
#include "md.h"
#include "model.h"
#include "util.h"

/* Per value type: append the searchable text of an item. */
typedef void (*search_fn)(struct pia_buf *, const struct pia_node *);

static void	s_text(struct pia_buf *, const struct pia_node *);
static void	s_md(struct pia_buf *, const struct pia_node *);
static void	s_choice(struct pia_buf *, const struct pia_node *);
static void	s_checks(struct pia_buf *, const struct pia_node *);
static void	s_list(struct pia_buf *, const struct pia_node *);
static void	s_table(struct pia_buf *, const struct pia_node *);

static const search_fn search_acts[PIA_T__MAX] = {
	[PIA_T_NONE] = NULL,
	[PIA_T_TEXT] = s_text,
	[PIA_T_MARKDOWN] = s_md,
	[PIA_T_CHOICE] = s_choice,
	[PIA_T_CHECKS] = s_checks,
	[PIA_T_COUNT] = s_text,
	[PIA_T_DATE] = s_text,
	[PIA_T_YEARMONTH] = s_text,
	[PIA_T_REF] = s_text,
	[PIA_T_LIST] = s_list,
	[PIA_T_TABLE] = s_table,
};

static void
sep(struct pia_buf *b)
{
	if (b->len > 0 && b->data[b->len - 1] != ' ')
		pia_buf_putc(b, ' ');
}

static void
s_text(struct pia_buf *b, const struct pia_node *n)
{
	sep(b);
	if (n->text)
		pia_buf_puts(b, n->text);
}

static void
s_md(struct pia_buf *b, const struct pia_node *n)
{
	char *t;

	if (n->md == NULL) {
		s_text(b, n);
		return;
	}
	t = pia_md_plain(n->md);
	sep(b);
	pia_buf_puts(b, t);
	free(t);
}

static void
s_choice(struct pia_buf *b, const struct pia_node *n)
{
	const struct pia_choices *c = n->f->choices;

	if (c != NULL && n->choice >= 0 && (size_t)n->choice < c->n) {
		sep(b);
		pia_buf_puts(b, c->v[n->choice].label);
	}
}

static void
s_checks(struct pia_buf *b, const struct pia_node *n)
{
	const struct pia_choices *c = n->f->choices;
	size_t i;

	for (i = 0; c != NULL && i < n->nboxes; i++) {
		sep(b);
		pia_buf_puts(b, c->v[n->boxes[i].choice].label);
		if (n->boxes[i].other) {
			pia_buf_puts(b, "（");
			pia_buf_puts(b, n->boxes[i].other);
			pia_buf_puts(b, "）");
		}
	}
}

static void
s_list(struct pia_buf *b, const struct pia_node *n)
{
	size_t i;

	for (i = 0; i < n->nlist; i++) {
		sep(b);
		pia_buf_puts(b, n->list[i].text);
	}
}

static void
s_table(struct pia_buf *b, const struct pia_node *n)
{
	size_t i, j;

	for (i = 0; i < n->nrows; i++)
		for (j = 0; j < n->rows[i].ncells; j++) {
			sep(b);
			pia_buf_puts(b, n->rows[i].cells[j].text);
		}
}

/* The text of one part of a report: entry titles and every value. */
static void
part_text(struct pia_buf *b, const struct pia_report *r, struct pia_node *part)
{
	struct pia_walk w;
	struct pia_node *n;
	size_t i;

	pia_walk_init(&w, part);
	while (pia_walk_next(&w, &n) != PIA_WALK_DONE) {
		if (w.ev != PIA_WALK_ENTER || n->f->kind != PIA_F_ITEM || !n->present)
			continue;
		if (search_acts[n->f->type] != NULL)
			search_acts[n->f->type](b, n);
	}
	if (part->f->kind == PIA_F_CHANGES)
		for (i = 0; i < r->nchanges; i++) {
			const struct pia_change *c = &r->changes[i];
			sep(b);
			pia_buf_puts(b, c->item ? c->item : "");
			sep(b);
			pia_buf_puts(b, c->before ? c->before : "");
			sep(b);
			pia_buf_puts(b, c->after ? c->after : "");
			sep(b);
			pia_buf_puts(b, c->why ? c->why : "");
		}
}

uint32_t
pia_search_fold(uint32_t cp)
{
	if (cp >= 0xFF01 && cp <= 0xFF5E)	/* Ａ１！ → A1! */
		cp -= 0xFEE0;
	if (cp >= 'A' && cp <= 'Z')
		cp += 'a' - 'A';
	if (cp == 0x3000 || cp == '\t' || cp == '\n' || cp == '\r')
		cp = ' ';
	return cp;
}

/*
 * Text as stored: white space runs become one space and control
 * characters go, so the folded text (search.js folds one character into
 * one character) has the same length and offsets as this one.
 */
static char *
squeeze(const char *s)
{
	struct pia_buf b = { 0 };
	size_t n = strlen(s), k;
	uint32_t cp;

	while (n > 0) {
		if ((k = pia_utf8_decode(s, n, &cp)) == 0) {
			s++;
			n--;
			continue;
		}
		if (pia_search_fold(cp) == ' ') {
			if (b.len > 0 && b.data[b.len - 1] != ' ')
				pia_buf_putc(&b, ' ');
		} else if (cp >= 0x20 && cp != 0x7F && cp != 0x2028 && cp != 0x2029)
			pia_buf_put(&b, s, k);
		s += k;
		n -= k;
	}
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	return pia_buf_take(&b);
}

/* ---- the bigram table: open addressing, keys (a << 21) | b ---------- */

struct gram {
	uint64_t	 key;	/* 0: empty slot */
	unsigned	*docs;
	size_t		 n, cap;
};

struct grams {
	struct gram	*v;
	size_t		 cap, used;
};

static size_t
slot(const struct grams *g, uint64_t key)
{
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & (g->cap - 1);

	while (g->v[i].key != 0 && g->v[i].key != key)
		i = (i + 1) & (g->cap - 1);
	return i;
}

static void
grow(struct grams *g)
{
	struct grams ng;
	size_t i;

	ng.cap = g->cap ? g->cap * 2 : 4096;
	ng.used = g->used;
	ng.v = xcalloc(ng.cap, sizeof(*ng.v));
	for (i = 0; i < g->cap; i++)
		if (g->v[i].key != 0)
			ng.v[slot(&ng, g->v[i].key)] = g->v[i];
	free(g->v);
	*g = ng;
}

static void
add(struct grams *g, uint32_t a, uint32_t b, unsigned doc)
{
	uint64_t key = ((uint64_t)a << 21) | b;
	struct gram *e;

	if ((g->used + 1) * 2 > g->cap)
		grow(g);
	e = &g->v[slot(g, key)];
	if (e->key == 0) {
		e->key = key;
		g->used++;
	}
	if (e->n > 0 && e->docs[e->n - 1] == doc)
		return;
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 4;
		e->docs = xrealloc(e->docs, e->cap * sizeof(unsigned));
	}
	e->docs[e->n++] = doc;
}

static void
index_text(struct grams *g, const char *s, unsigned doc)
{
	size_t n = strlen(s), k;
	uint32_t cp, prev = ' ';

	while (n > 0) {
		if ((k = pia_utf8_decode(s, n, &cp)) == 0) {
			k = 1;
			cp = ' ';
		}
		cp = pia_search_fold(cp);
		if (prev != ' ' && cp != ' ')
			add(g, prev, cp, doc);
		prev = cp;
		s += k;
		n -= k;
	}
}

static int
cmp_gram(const void *a, const void *b)
{
	const struct gram *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* Empty a buffer for reuse, keeping its memory. */
static void
reset(struct pia_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* A JSON string; U+2028/2029 are escaped for older script engines. */
static void
json_str(struct pia_buf *b, const char *s)
{
	pia_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\') {
			pia_buf_putc(b, '\\');
			pia_buf_putc(b, *s);
		} else if ((unsigned char)*s < 0x20)
			pia_buf_printf(b, "\\u%04x", (unsigned char)*s);
		else if (strncmp(s, "\xe2\x80\xa8", 3) == 0 || strncmp(s, "\xe2\x80\xa9", 3) == 0) {
			pia_buf_printf(b, "\\u%s", s[2] == '\xa8' ? "2028" : "2029");
			s += 2;
		} else if (*s == '<' && s[1] == '/')
			pia_buf_puts(b, "<\\/");	/* never "</script" */
		else
			pia_buf_putc(b, *s);
	}
	pia_buf_putc(b, '"');
}

int
pia_search_index(const struct pia_site *s, struct pia_buf *out)
{
	const struct pia_report **v = pia_html_sorted(s);
	struct grams g = { NULL, 0, 0 };
	struct pia_buf t = { 0 }, h = { 0 }, url = { 0 };
	struct pia_node *part;
	unsigned doc = 0;
	char *text, *jimu;
	size_t i, j;

	pia_buf_puts(out, "/* pia: the search index of this site, read by assets/search.js. */\n"
	    "var PIA_SEARCH = {\n\"reports\": [");
	for (i = 0; v[i] != NULL; i++) {
		jimu = pia_html_jimu(v[i]);
		pia_buf_puts(out, i ? ",\n{\"t\":" : "\n{\"t\":");
		json_str(out, jimu);
		pia_buf_puts(out, ",\"k\":");
		json_str(out, v[i]->form->name);
		pia_buf_puts(out, ",\"u\":");
		reset(&url);
		pia_html_name(&url, v[i]->slug);
		pia_buf_puts(&url, "/" PIA_HTML_PAGE);
		json_str(out, url.data);
		pia_buf_puts(out, "}");
		free(jimu);
	}
	pia_buf_puts(out, "\n],\n\"docs\": [");
	for (i = 0; v[i] != NULL; i++)
		for (part = v[i]->root->child; part != NULL; part = part->next) {
			if (part->f->kind == PIA_F_ITEM)
				continue;
			reset(&t);
			part_text(&t, v[i], part);
			text = squeeze(t.data ? t.data : "");
			reset(&h);
			pia_html_heading(&h, part);
			reset(&url);
			pia_html_name(&url, v[i]->slug);
			pia_buf_puts(&url, "/" PIA_HTML_PAGE "#");
			pia_html_id(&url, part);
			pia_buf_printf(out, "%s\n{\"r\":%zu,\"t\":", doc ? "," : "", i);
			json_str(out, h.data);
			pia_buf_puts(out, ",\"u\":");
			json_str(out, url.data);
			pia_buf_puts(out, ",\"x\":");
			json_str(out, text);
			pia_buf_puts(out, "}");
			index_text(&g, text, doc++);
			free(text);
		}
	pia_buf_puts(out, "\n],\n\"grams\": {");
	/* Sorted by code points, so the same sources give the same bytes. */
	for (i = j = 0; i < g.cap; i++)
		if (g.v[i].key != 0)
			g.v[j++] = g.v[i];
	if (j > 0)	/* qsort(NULL, 0, …) is undefined: no text, no grams */
		qsort(g.v, j, sizeof(*g.v), cmp_gram);
	for (i = 0; i < j; i++) {
		struct pia_buf k = { 0 };
		size_t d;
		pia_buf_put_cp(&k, (uint32_t)(g.v[i].key >> 21));
		pia_buf_put_cp(&k, (uint32_t)(g.v[i].key & 0x1FFFFF));
		pia_buf_puts(out, i ? ",\n" : "\n");
		json_str(out, k.data);
		pia_buf_putc(out, ':');
		pia_buf_putc(out, '[');
		for (d = 0; d < g.v[i].n; d++)
			pia_buf_printf(out, d ? ",%u" : "%u", g.v[i].docs[d]);
		pia_buf_putc(out, ']');
		pia_buf_free(&k);
		free(g.v[i].docs);
	}
	pia_buf_puts(out, "\n}\n};\n");
	free(g.v);
	free(v);
	pia_buf_free(&t);
	pia_buf_free(&h);
	pia_buf_free(&url);
	return 0;
}
