/*
 * The diagnostics sink: collects messages from loaders and checks, then
 * prints them sorted as "file:line:col: error|warning: [CODE] text" so
 * editors can jump to them (as gcc and mandoc print).  No global state: the
 * preview server keeps one sink per build.
 */
#include <stdarg.h>
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
	unsigned		 count[2];	/* per level, never reset by printing */
	unsigned		*per_msg;	/* per message code */
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
	free(d);
}

void
pia_diag(struct pia_diag *d, const struct pia_pos *pos, enum pia_msg m, ...)
{
	struct pia_diag_item *it;
	va_list ap;
	char buf[4096];

	va_start(ap, m);
	vsnprintf(buf, sizeof(buf), msgs[m].text, ap);
	va_end(ap);
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	it = &d->v[d->n++];
	it->file = (pos && pos->file) ? xstrdup(pos->file) : NULL;
	it->line = pos ? pos->line : 0;
	it->col = pos ? pos->col : 0;
	it->msg = m;
	it->text = xstrdup(buf);
	it->seq = d->seq++;
	d->count[msgs[m].level]++;
	d->per_msg[m]++;
}

unsigned
pia_diag_count(const struct pia_diag *d, enum pia_level l)
{
	return d->count[l];
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
pia_diag_print(struct pia_diag *d, FILE *f)
{
	const struct pia_diag_item *it;
	size_t i;

	if (d->n > 1)
		qsort(d->v, d->n, sizeof(*d->v), cmp);
	for (i = 0; i < d->n; i++) {
		it = &d->v[i];
		if (it->file == NULL)
			fputs("pia: ", f);
		else if (it->line == 0)
			fprintf(f, "%s: ", it->file);
		else if (it->col == 0)
			fprintf(f, "%s:%u: ", it->file, it->line);
		else
			fprintf(f, "%s:%u:%u: ", it->file, it->line, it->col);
		fprintf(f, "%s: [%s] %s\n",
		    msgs[it->msg].level == PIA_LEVEL_ERROR ? "error" : "warning",
		    msgs[it->msg].code, it->text);
	}
	forget(d);
}

void
pia_diag_summary(const struct pia_diag *d, FILE *f)
{
	fprintf(f, "エラー %u 件、警告 %u 件\n",
	    d->count[PIA_LEVEL_ERROR], d->count[PIA_LEVEL_WARNING]);
}
