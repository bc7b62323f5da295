/*
 * Order-keeping alignment of two sequences (repeat entries, Markdown
 * blocks): the classic LCS table, weighted by a score so that entries can
 * be paired by how alike they are and not only when equal.  Written here
 * rather than taken from a library: the sequences are short (a few hundred
 * blocks, sixty 提供先) and the score is ours.
 */
#include <stdlib.h>

#include "changes_int.h"
#include "util.h"

/* Largest table filled (cells); above it only the ends are paired. */
#define ALIGN_MAX_CELLS	(1u << 21)

static void
ends_only(size_t na, size_t nb, pia_align_score score, const void *ctx, long *pair)
{
	size_t i, k;

	for (i = 0; i < na && i < nb && score(ctx, i, i) > 0; i++)
		pair[i] = (long)i;
	for (k = 1; k <= na - i && k <= nb - i && score(ctx, na - k, nb - k) > 0; k++)
		pair[na - k] = (long)(nb - k);
}

void
pia_align(size_t na, size_t nb, pia_align_score score, const void *ctx, long *pair)
{
	long *t, *s, best;
	size_t i, j, w = nb + 1;

	for (i = 0; i < na; i++)
		pair[i] = -1;
	if (na == 0 || nb == 0)
		return;
	if (na > ALIGN_MAX_CELLS / nb) {
		ends_only(na, nb, score, ctx, pair);
		return;
	}
	/* t[i][j]: best sum for the first i old and j new elements; s caches scores. */
	t = xcalloc((na + 1) * w, sizeof(*t));
	s = xmalloc(na * nb * sizeof(*s));
	for (i = 1; i <= na; i++)
		for (j = 1; j <= nb; j++) {
			long sc = s[(i - 1) * nb + j - 1] = score(ctx, i - 1, j - 1);
			best = t[(i - 1) * w + j] > t[i * w + j - 1] ?
			    t[(i - 1) * w + j] : t[i * w + j - 1];
			if (sc > 0 && t[(i - 1) * w + j - 1] + sc > best)
				best = t[(i - 1) * w + j - 1] + sc;
			t[i * w + j] = best;
		}
	/* Walk back, preferring a pair where it is as good as a skip. */
	for (i = na, j = nb; i > 0 && j > 0;) {
		long sc = s[(i - 1) * nb + j - 1];
		if (sc > 0 && t[i * w + j] == t[(i - 1) * w + j - 1] + sc) {
			pair[i - 1] = (long)(j - 1);
			i--;
			j--;
		} else if (t[i * w + j] == t[(i - 1) * w + j])
			i--;
		else
			j--;
	}
	free(s);
	free(t);
}
