/*
 * Markdown values: the Japanese rules every renderer applies to cmark trees.
 * May be included by renderers and checks (cmark only, no libxml2).
 */
#ifndef PIA_MD_H
#define PIA_MD_H

#include <stdint.h>

struct cmark_node;

/*
 * 1 when a SOFTBREAK joins two wide (Japanese) characters and must vanish;
 * 0 when it stands for a space (libs.md §5.2).
 */
int	pia_md_softbreak_joins(struct cmark_node *softbreak);

/* A document of one paragraph holding s as it is (no Markdown read: 「-」 stays 「-」). */
struct cmark_node *pia_md_literal(const char *s);

/*
 * An item marked na written as a lone 「-」 in a section file: cmark reads an
 * empty list; make it the paragraph 「-」 the city wrote.  1 if it was one.
 */
int	pia_md_fix_na(struct cmark_node **doc);

/* The plain text of a subtree (TEXT and CODE literals; soft breaks joined). Caller frees. */
char	*pia_md_plain(struct cmark_node *);

/*
 * 1 when a paragraph is a measure heading "＜星見台市における措置＞" (the
 * whole paragraph is one bracketed phrase); renderers print it as a sub-heading.
 */
int	pia_md_is_measure_heading(struct cmark_node *paragraph);

/*
 * Footnotes (load/footnote.c).  A reference "本文[^1]" is a CUSTOM_INLINE
 * whose on_enter is PIA_MD_FNREF "N" and whose one child is the text
 * "注N"; a note "[^1]: 注の本文" is a CUSTOM_BLOCK whose on_enter is
 * PIA_MD_FN "N" holding one paragraph, placed among the blocks of the
 * value that refers to it (a value may hold the same note twice; show it
 * once).  Renderers print the references where they are and the notes
 * after the value; N counts from 1 in each source file.
 */
#define PIA_MD_FN	"pia-fn:"
#define PIA_MD_FNREF	"pia-fnref:"

/* N of a note block or a reference, or 0 for any other node. */
unsigned pia_md_note_no(struct cmark_node *);

#endif
