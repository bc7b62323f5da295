/*
 * Internal to generator/changes/: sequence alignment and the blocks of
 * Markdown values.
 */
#ifndef PIA_CHANGES_INT_H
#define PIA_CHANGES_INT_H

#include <stddef.h>

struct cmark_node;
struct pia_buf;

/*
 * Score of pairing element i of the old sequence with element j of the
 * new one: > 0 when they may be paired (higher is better), else 0.
 */
typedef long	(*pia_align_score)(const void *ctx, size_t i, size_t j);

/*
 * Align two sequences, order kept: the pairing with the largest sum of
 * scores (an LCS when scores are 0 or 1).  Sets pair[i] to the index in
 * the new sequence paired with old element i, or -1.  Above a size
 * limit, only equal-position and common prefix/suffix pairs are tried.
 */
void	pia_align(size_t nold, size_t nnew, pia_align_score, const void *ctx, long *pair);

/* One unit of a Markdown value: a paragraph, a heading, a code block, or a list item's block. */
struct pia_mdunit {
	struct cmark_node	*node;
	char			*text;		/* plain text (pia_md_plain) */
	char			*marker;	/* "1. ", "- " on an item's first block, else "" */
	unsigned		 depth;		/* list nesting */
	int			 gap;		/* 1: a blank line before it when printed */
};

/* The units of a Markdown DOCUMENT, in order.  Free with pia_mdunits_free. */
size_t	pia_mdunits(struct cmark_node *doc, struct pia_mdunit **);
void	pia_mdunits_free(struct pia_mdunit *, size_t);
/* The units printed as a change row's text. */
void	pia_mdunits_print(struct pia_buf *, const struct pia_mdunit *, size_t);

#endif
