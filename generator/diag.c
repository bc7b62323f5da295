/*
 * The diagnostics sink: collects messages from loaders and checks, then
 * prints them sorted as "file:line:col: error|warning: [CODE] text" so
 * editors can jump to them (as gcc and mandoc print).  No global state: the
 * preview server keeps one sink per build.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

static const struct pia_msginfo msgs[PIA_MSG__MAX] = {
#define PIA_MSG(code, level, text) { #code, PIA_LEVEL_##level, text },
#include "messages.def"
#undef PIA_MSG
};

struct pia_diag {
	struct pia_diag_item	*v;
	size_t			 n, cap;
	unsigned		 seq;
	unsigned		 count[PIA_LEVEL__MAX];	/* never reset by printing */
	unsigned		*per_msg;	/* per message code */
	char			**slugs;	/* every report named, kept to the end */
	size_t			 nslugs;
	const char		*report;	/* what messages are about now */
	int			 strict;
	pia_diag_place_fn	*place;		/* how places print; NULL: file:line:col */
	const void		*place_ctx;
};

const struct pia_msginfo *
pia_msg_info(enum pia_msg m)
{
	return &msgs[m];
}

struct pia_diag *
pia_diag_new(void)
{
	struct pia_diag *d = xcalloc(1, sizeof(*d));

	d->per_msg = xcalloc(PIA_MSG__MAX, sizeof(unsigned));
	return d;
}

static void
forget(struct pia_diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].text);
	}
	d->n = 0;
}

void
pia_diag_free(struct pia_diag *d)
{
	if (d == NULL)
		return;
	forget(d);
	free(d->v);
	free(d->per_msg);
	while (d->nslugs > 0)
		free(d->slugs[--d->nslugs]);
	free(d->slugs);
	free(d);
}

const char *
pia_diag_report(struct pia_diag *d, const char *slug)
{
	const char *prev = d->report;
	size_t i;

	if (slug == NULL) {
		d->report = NULL;
		return prev;
	}
	for (i = 0; i < d->nslugs; i++)
		if (d->slugs[i] == slug || strcmp(d->slugs[i], slug) == 0)
			break;
	if (i == d->nslugs) {
		d->slugs = xrealloc(d->slugs, (d->nslugs + 1) * sizeof(*d->slugs));
		d->slugs[d->nslugs++] = xstrdup(slug);
	}
	d->report = d->slugs[i];
	return prev;
}

void
pia_diag_set_strict(struct pia_diag *d, int strict)
{
	d->strict = strict;
}

int
pia_diag_status(const struct pia_diag *d)
{
	if (d->count[PIA_LEVEL_SYSTEM] > 0)
		return PIA_EXIT_SYSTEM;
	if (d->count[PIA_LEVEL_ERROR] + d->count[PIA_LEVEL_FATAL] > 0)
		return PIA_EXIT_INVALID;
	if (d->strict && d->count[PIA_LEVEL_WARNING] > 0)
		return PIA_EXIT_INVALID;
	return PIA_EXIT_OK;
}

const char *
pia_level_name(enum pia_level l)
{
	return l == PIA_LEVEL_WARNING ? "warning" : "error";
}

/* 1 for the code points shown escaped: C0 but tab, DEL, C1, bidi overrides. */
static int
unsafe(uint32_t cp)
{
	return (cp < 0x20 && cp != '\t') || (cp >= 0x7f && cp <= 0x9f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

char *
pia_diag_escape(const char *s)
{
	struct pia_buf b = { 0 };
	size_t i = 0, n, k;
	uint32_t cp;

	if (s == NULL)
		s = "";
	n = strlen(s);
	pia_buf_puts(&b, "");
	while (i < n) {
		k = pia_utf8_decode(s + i, n - i, &cp);
		if (k == 0)
			pia_buf_printf(&b, "\\x%02x", (unsigned char)s[i++]);
		else if (!unsafe(cp)) {
			pia_buf_put(&b, s + i, k);
			i += k;
		} else {
			if (cp < 0x80)
				pia_buf_printf(&b, "\\x%02x", (unsigned)cp);
			else
				pia_buf_printf(&b, "<U+%04X>", (unsigned)cp);
			i += k;
		}
	}
	return pia_buf_take(&b);
}

/* Fill it from the table row m and its arguments; the strings are escaped. */
static void
fill(struct pia_diag_item *it, const struct pia_pos *pos, enum pia_msg m,
    va_list ap)
{
	char buf[4096];

	vsnprintf(buf, sizeof(buf), msgs[m].text, ap);
	/*
	 * The table's texts hold no control characters, so escaping the
	 * formatted text escapes exactly what the arguments brought in.
	 */
	it->file = (pos && pos->file) ? pia_diag_escape(pos->file) : NULL;
	it->line = pos ? pos->line : 0;
	it->col = pos ? pos->col : 0;
	it->msg = m;
	it->text = pia_diag_escape(buf);
	it->report = NULL;
}

void
pia_diag(struct pia_diag *d, const struct pia_pos *pos, enum pia_msg m, ...)
{
	struct pia_diag_item *it;
	va_list ap;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	it = &d->v[d->n++];
	va_start(ap, m);
	fill(it, pos, m, ap);
	va_end(ap);
	it->seq = d->seq++;
	it->report = d->report;
	d->count[msgs[m].level]++;
	d->per_msg[m]++;
}

void
pia_diag_add_item(struct pia_diag *d, const char *file, unsigned line, unsigned col,
    enum pia_msg m, const char *text)
{
	struct pia_diag_item *it;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	it = &d->v[d->n++];
	it->file = file ? xstrdup(file) : NULL;
	it->line = line;
	it->col = col;
	it->msg = m;
	it->text = xstrdup(text);
	it->seq = d->seq++;
	it->report = d->report;
	d->count[msgs[m].level]++;
	d->per_msg[m]++;
}

void
pia_diag_now(FILE *f, const struct pia_pos *pos, enum pia_msg m, ...)
{
	struct pia_diag_item it;
	va_list ap;
	char *line;

	va_start(ap, m);
	fill(&it, pos, m, ap);
	va_end(ap);
	line = pia_diag_line(&it);
	fprintf(f, "%s\n", line);
	fflush(f);
	free(line);
	free(it.file);
	free(it.text);
}

unsigned
pia_diag_count(const struct pia_diag *d, enum pia_level l)
{
	unsigned n = 0;

	for (; l < PIA_LEVEL__MAX; l++)
		n += d->count[l];
	return n;
}

unsigned
pia_diag_count_msg(const struct pia_diag *d, enum pia_msg m)
{
	return d->per_msg[m];
}

size_t
pia_diag_items(const struct pia_diag *d, const struct pia_diag_item **v)
{
	*v = d->v;
	return d->n;
}

static int
cmp(const void *a, const void *b)
{
	const struct pia_diag_item *x = a, *y = b;
	int c;

	/* Messages about no file come first, then by file, line, column, order. */
	if ((x->file == NULL) != (y->file == NULL))
		return x->file == NULL ? -1 : 1;
	if (x->file && (c = strcmp(x->file, y->file)) != 0)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
pia_diag_sort(struct pia_diag *d)
{
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(*d->v), cmp);
}

char *
pia_diag_line(const struct pia_diag_item *it)
{
	const char *level = pia_level_name(msgs[it->msg].level);
	const char *code = msgs[it->msg].code;

	if (it->file == NULL)
		return xasprintf("pia: %s: [%s] %s", level, code, it->text);
	if (it->line == 0)
		return xasprintf("%s: %s: [%s] %s", it->file, level, code, it->text);
	if (it->col == 0)
		return xasprintf("%s:%u: %s: [%s] %s", it->file, it->line, level,
		    code, it->text);
	return xasprintf("%s:%u:%u: %s: [%s] %s", it->file, it->line, it->col,
	    level, code, it->text);
}

void
pia_diag_set_place(struct pia_diag *d, pia_diag_place_fn *place, const void *ctx)
{
	d->place = place;
	d->place_ctx = ctx;
}

void
pia_diag_print(struct pia_diag *d, FILE *f)
{
	char *line, *place;
	size_t i;

	pia_diag_sort(d);
	for (i = 0; i < d->n; i++) {
		place = d->place != NULL ? d->place(&d->v[i], d->place_ctx) : NULL;
		if (place != NULL) {
			line = xasprintf("%s: %s: [%s] %s", place,
			    pia_level_name(msgs[d->v[i].msg].level), msgs[d->v[i].msg].code,
			    d->v[i].text);
			free(place);
		} else
			line = pia_diag_line(&d->v[i]);
		fprintf(f, "%s\n", line);
		free(line);
	}
	forget(d);
}

void
pia_diag_summary(const struct pia_diag *d, FILE *f)
{
	fprintf(f, "エラー %u 件、警告 %u 件\n",
	    pia_diag_count(d, PIA_LEVEL_ERROR), d->count[PIA_LEVEL_WARNING]);
}

void
pia_diag_summary_site(const struct pia_diag *d, FILE *f, const char *out, size_t nreports)
{
	char *o = pia_diag_escape(out);

	fprintf(f, "%s: ウェブページ一式を書きました（評価書 %zu 件のページと PDF、警告 %u 件）。"
	    "入口は %s/index.html です\n", o, nreports, d->count[PIA_LEVEL_WARNING], o);
	free(o);
}

void
pia_diag_summary_pdf(const struct pia_diag *d, FILE *f, const char *out, const char *what,
    unsigned pages, int draft)
{
	char *o = pia_diag_escape(out);

	if (draft)
		fprintf(f, "%s: 下書きの %s を書きました（%u ページ、エラー %u 件、警告 %u 件。"
		    "どのページにも「下書き」の印があります）\n", o, what, pages,
		    pia_diag_count(d, PIA_LEVEL_ERROR), d->count[PIA_LEVEL_WARNING]);
	else
		fprintf(f, "%s: %s を書きました（%u ページ、警告 %u 件）\n", o, what, pages,
		    d->count[PIA_LEVEL_WARNING]);
	free(o);
}

void
pia_diag_timing(FILE *f, const char *name, double ms, const char *note)
{
	size_t		 i = 0, k, cols = 0;
	uint32_t	 cp;

	while (name[i] != '\0') {
		k = pia_utf8_decode(name + i, strlen(name + i), &cp);
		i += k ? k : 1;
		cols += pia_cp_is_wide(cp) ? 2 : 1;
	}
	fprintf(f, "%s%*s %8.1f ms%s\n", name, (int)(cols < 20 ? 20 - cols : 0), "", ms, note);
}

_Noreturn void
pia_diag_nomem(void)
{
	/* Straight from the table: formatting a message would need memory. */
	fprintf(stderr, "pia: %s: [%s] %s\n", pia_level_name(msgs[PIA_MSG_SYS_NOMEM].level),
	    msgs[PIA_MSG_SYS_NOMEM].code, msgs[PIA_MSG_SYS_NOMEM].text);
	exit(2);
}
