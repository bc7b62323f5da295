/*
 * Internal to the lint (check/lint*.c): its data, the decoded text it
 * scans, and the scanners shared by reporting and fixing.
 * Nothing outside check/lint*.c includes this header.
 */
#ifndef PIA_LINT_INT_H
#define PIA_LINT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "lint.h"
#include "wareki.h"

struct pia_diag;

struct lint_typo {
	char	*wrong, *right;
};

struct lint_term {
	char		**v;		/* spellings; v[0] is preferred */
	size_t		  n;
	unsigned	 *count;	/* uses per spelling in the report */
	struct pia_pos	 *first;	/* first use of each spelling */
};

struct lint_ref {
	char		*text, *use;
	char		**context;	/* NULL-terminated, or NULL */
	struct pia_date	 since;
	char		*since_text;
};

struct lint_phrase {
	char			*text;
	const char		*value;		/* the vocabulary value it stands for */
	enum pia_reason_how	 how;
};

/* A source file read for positions, cached per lint context. */
struct lint_src {
	char		*path;
	char		*buf;
	size_t		 len;
	size_t		*lines;
	size_t		 nlines;
};

/*
 * Many fixed strings found in one pass (lint_find.c).  Patterns are
 * chained by a hash of their first three bytes; shorter ones are tried
 * at every character.  The finder points into the patterns, not owning
 * them.
 */
struct lint_finder {
	uint32_t	*head;		/* chains, by a hash of the first three bytes */
	uint32_t	*next;
	const char	**pats;
	size_t		*lens;
	size_t		 n;
	uint32_t	 shorts;	/* chain of the short patterns */
	size_t		 nshort;
};

struct lint_match {
	size_t	 pat, off;
};

/* Index n patterns, each a char * at pats + i * stride. */
void	lint_finder_init(struct lint_finder *, char *const *pats, size_t stride,
	    size_t n);
void	lint_finder_free(struct lint_finder *);
/*
 * Every occurrence of every pattern in s (overlapping ones too), sorted
 * by pattern then offset, as strstr called per pattern would meet them.
 * Returns the count; *out is for the caller to free.
 */
size_t	lint_finder_run(const struct lint_finder *, const char *s, size_t len,
	    struct lint_match **out);

struct pia_lint {
	struct pia_diag		*d;
	int			 locate;
	struct lint_typo	*typos;
	size_t			 ntypos;
	struct lint_term	*terms;
	size_t			 nterms;
	struct lint_ref		*refs;
	size_t			 nrefs;
	struct lint_phrase	*phrases;	/* longest first */
	size_t			 nphrases;
	char			**values;	/* the vocabulary values */
	size_t			 nvalues;
	char			**elisions;	/* markers without spaces, ASCII parentheses */
	size_t			 nelisions;
	struct lint_finder	 find_typos;	/* over typos[].wrong */
	struct lint_finder	 find_elisions;
	struct lint_src		*srcs;
	size_t			 nsrcs;
};

/* Text decoded into code points, with the byte offset of each (off[n] = len). */
struct utext {
	const char	*s;
	size_t		 len;
	uint32_t	*cp;
	size_t		*off;
	size_t		 n;
};

void	utext_init(struct utext *, const char *s, size_t len);
void	utext_free(struct utext *);

/* "（図 省略）" → "(図省略)", the form elision markers are matched in; map as in lint_text.c. */
char	*lint_elision_norm(const char *s, size_t len, size_t *map);

/* Load the data files into L (lint_data.c); -1 after a message. */
int	lint_data_load(struct pia_lint *);
void	lint_data_free(struct pia_lint *);

/* A safe fix found by a scanner: replace len bytes at off by to. */
struct lint_fix {
	size_t		 off, len;
	char		 to[96];	/* the replacement */
	char		 what[192];	/* shown in FIX_APPLIED: 「令和1年」, U+00A0 */
	char		 repl[96];	/* shown in FIX_APPLIED */
};

/*
 * Find the safe fixes in a text (code points i…j of t): appended to *v.
 * flags as for pia_lint_text.  Used by pia_lint_fix_text and the file fixer.
 */
void	lint_find_fixes(const struct utext *, size_t i, size_t j, unsigned flags,
	    struct lint_fix **v, size_t *n);

/* Character classes. */
int	lint_is_kanji(uint32_t);
int	lint_is_katakana(uint32_t);
int	lint_is_hiragana(uint32_t);

/* Roman numeral of ASCII letters at code point i (its length in *len), 0 if none. */
int	lint_roman_at(const struct utext *, size_t i, size_t lo, size_t hi, size_t *len);
/* The horizontal form of a vertical presentation form, or 0. */
uint32_t lint_vertical_to(uint32_t);
/* 1 for characters nobody sees that the fix removes. */
int	lint_is_invisible(uint32_t);
/* 令和1年 at code point i: the index of the "1", or (size_t)-1. */
size_t	lint_gannen_at(const struct utext *, size_t i, size_t hi);

/*
 * A period "令和7年6月2日から令和7年7月1日まで", "平成29年8月15日～9月15日":
 * its first and last day.  Returns 0, or -1 when s names no such period.
 */
int	lint_period(const char *s, struct pia_date *from, struct pia_date *to);

/* Apply fixes (sorted by offset, not overlapping) to s; caller frees. */
char	*lint_apply(const char *s, size_t len, const struct lint_fix *, size_t n, size_t *outlen);

/* Position of a text snippet: refined in the source file when L->locate. */
struct pia_pos lint_where(struct pia_lint *, const struct pia_pos *base,
	    const char *text, size_t off, size_t len);
/* The cached source of a file, or NULL. */
struct lint_src *lint_source(struct pia_lint *, const char *path);
/* Position of byte offset off in a source. */
struct pia_pos lint_src_pos(const struct lint_src *, size_t off);

#endif
