/*
 * Many fixed strings found in one pass over a text, for the lint rules
 * that look for a list of patterns (typos, elision markers).  Calling
 * strstr once per pattern cost a pass over every text for each of
 * hundreds of patterns; here each text is read once, and at each
 * character only the patterns whose first three bytes hash alike are
 * compared.  Patterns and texts are valid UTF-8, so a match can only
 * start where a character starts.
 */
#include <stdlib.h>
#include <string.h>

#include "lint_int.h"
#include "util.h"

#define NHEAD	4096

/* The chain of a pattern or text position: a hash of its first three bytes. */
static unsigned
key3(const char *s)
{
	unsigned	 h = (unsigned char)s[0] * 0x9E37u ^
	    (unsigned char)s[1] * 0x85EBu ^ (unsigned char)s[2] * 0xC2B3u;

	return (h ^ h >> 12) % NHEAD;
}

void
lint_finder_init(struct lint_finder *F, char *const *pats, size_t stride,
    size_t n)
{
	size_t	 i;

	memset(F, 0, sizeof(*F));
	F->head = xmalloc(NHEAD * sizeof(*F->head));
	for (i = 0; i < NHEAD; i++)
		F->head[i] = (uint32_t)-1;
	F->next = xmalloc((n ? n : 1) * sizeof(*F->next));
	F->pats = xmalloc((n ? n : 1) * sizeof(*F->pats));
	F->lens = xmalloc((n ? n : 1) * sizeof(*F->lens));
	F->n = n;
	/* Backwards, so each chain lists its patterns in their order. */
	for (i = n; i-- > 0; ) {
		const char *p = *(char *const *)((const char *)pats + i * stride);

		F->pats[i] = p;
		F->lens[i] = strlen(p);
		F->next[i] = (uint32_t)-1;
		if (F->lens[i] < 3) {		/* too short to key: always tried */
			F->next[i] = F->shorts;
			F->shorts = (uint32_t)i;
			F->nshort++;
			continue;
		}
		F->next[i] = F->head[key3(p)];
		F->head[key3(p)] = (uint32_t)i;
	}
	if (F->nshort == 0)
		F->shorts = (uint32_t)-1;
}

void
lint_finder_free(struct lint_finder *F)
{
	free(F->head);
	free(F->next);
	free(F->pats);
	free(F->lens);
	memset(F, 0, sizeof(*F));
}

static int
by_pattern(const void *a, const void *b)
{
	const struct lint_match *x = a, *y = b;

	if (x->pat != y->pat)
		return x->pat < y->pat ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

static void
add(struct lint_match **v, size_t *n, size_t *cap, size_t pat, size_t off)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[*n].pat = pat;
	(*v)[*n].off = off;
	(*n)++;
}

size_t
lint_finder_run(const struct lint_finder *F, const char *s, size_t len,
    struct lint_match **out)
{
	struct lint_match	*v = NULL;
	size_t			 n = 0, cap = 0, o;
	uint32_t		 i;

	for (o = 0; o < len; o++) {
		if (((unsigned char)s[o] & 0xC0) == 0x80)
			continue;
		if (o + 2 < len)
			for (i = F->head[key3(s + o)]; i != (uint32_t)-1;
			    i = F->next[i])
				if (F->lens[i] <= len - o &&
				    memcmp(s + o, F->pats[i], F->lens[i]) == 0)
					add(&v, &n, &cap, i, o);
		for (i = F->shorts; F->nshort > 0 && i != (uint32_t)-1;
		    i = F->next[i])
			if (F->lens[i] > 0 && F->lens[i] <= len - o &&
			    memcmp(s + o, F->pats[i], F->lens[i]) == 0)
				add(&v, &n, &cap, i, o);
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), by_pattern);
	*out = v;
	return n;
}
