/*
 * The text and privacy lint (domain.md §6 C and the privacy rules) and the
 * checks of 変更箇所 rows (§6 A, B), shared by pia check (every value and
 * change row of a report), the changes.xml loader and pia import-changes
 * (every cell of a spreadsheet's change list).  Messages go to the sink;
 * the safe fixes (pia check --fix, pia import-changes --fix) are made here
 * too, so what is reported and what is fixed never disagree.
 * May be included by checks, loaders and commands; not by renderers.
 */
#ifndef PIA_LINT_H
#define PIA_LINT_H

#include <stddef.h>

#include "pia.h"
#include "wareki.h"

struct pia_diag;
struct pia_form;
struct pia_change;

/* What a text is, for pia_lint_text and pia_lint_fix_text (flags). */
#define PIA_LINT_BODY	0x01	/* a value of a report: elisions are errors, terms are counted */
#define PIA_LINT_ROW	0x02	/* 変更前/変更後/理由 of a change row: elisions warn */
#define PIA_LINT_PATH	0x04	/* an item path (項目) or a date cell: characters only */
#define PIA_LINT_HEAD	0x08	/* a 役職名 (所属長): a personal name warns */
#define PIA_LINT_PLAIN	0x10	/* not Markdown: "**" and "-----" are leaked markup */
#define PIA_LINT_CURRENT 0x20	/* text in force at asof (not a 変更前): 未定 warns */
#define PIA_LINT_OLD	0x40	/* a 変更前, replaced at asof: a plan or a reference is
				   reported only when it had been stale for over a year */
#define PIA_LINT_TERMS	0x80	/* count terms for pia_lint_terms */

struct pia_lint;

/*
 * A lint context with its data (the XML files of generator/lint, compiled in).
 * locate: refine positions by finding the offending text in the source
 * file from the value's line on (pia check); 0 keeps the given positions
 * (pia import-changes: row and column).  Returns NULL, after a
 * LINT_DATA message, when the data cannot be read.
 */
struct pia_lint	*pia_lint_new(struct pia_diag *, int locate);
void		 pia_lint_free(struct pia_lint *);

/*
 * Lint text written at pos.  asof is the date the text speaks as of (the
 * 公表日, a change row's 変更日) or NULL when unknown: it decides whether
 * a legal reference is obsolete and a 予定 has passed.
 */
void	pia_lint_text(struct pia_lint *, const struct pia_pos *, const char *text,
	    unsigned flags, const struct pia_date *asof);

/* Report each term spelled two ways among the PIA_LINT_TERMS texts so far, and forget them. */
void	pia_lint_terms(struct pia_lint *);

/*
 * The safe fixes of text (令和1年 → 令和元年, NBSP → space, vertical forms,
 * invisible characters, ASCII Roman numerals): a new string, caller frees.
 * Each fix is reported as FIX_APPLIED at pos.
 */
char	*pia_lint_fix_text(struct pia_lint *, const struct pia_pos *, const char *text, unsigned flags);

/*
 * Apply the safe fixes to a source file in place (report.xml, changes.xml,
 * a section file): only text and attribute values of XML, every line of
 * Markdown; 説明 variants of changes.xml become their value.  The file is
 * replaced atomically (temporary file and rename) and only when something
 * changed; each fix is reported as FIX_APPLIED at its line and column.
 * Returns the number of fixes, or -1 after SYS_OPEN.
 */
int	pia_lint_fix_file(struct pia_lint *, const char *path);

/*
 * Rewrite the sources under path (a content folder, a report folder or a
 * file) that are UTF-16 or Shift_JIS as UTF-8, atomically; FIX_APPLIED
 * for each (check/fix_encoding.c).
 */
void	pia_fix_encodings(struct pia_diag *, const char *path);

/*
 * Write a file atomically (pia_atomic_write, atomic.h): a temporary file
 * beside path, synced, then renamed, so a reader never sees half a file.
 * Keeps the mode of the file it replaces.  Returns 0, or -1 after SYS_WRITE.
 */
int	pia_lint_write_file(struct pia_diag *, const char *path, const char *buf, size_t len);

/* How a 説明 was found (pia_lint_reason). */
enum pia_reason_how {
	PIA_REASON_NONE,	/* no phrase of the vocabulary */
	PIA_REASON_EXACT,	/* the value itself */
	PIA_REASON_FORM,	/* the wording real lists use for it */
	PIA_REASON_VARIANT	/* a misspelling of it: warn, --fix replaces */
};

/*
 * Find the longest 説明 phrase in text: its value in *value, its place in
 * *start and *len (bytes).  Leading item numbers are skipped.
 */
enum pia_reason_how pia_lint_reason(const struct pia_lint *, const char *text,
	    const char **value, size_t *start, size_t *len);

/* The three values, for messages. */
#define PIA_REASONS	"「重要な変更」「重要な変更の対象項目だが該当しない」「重要な変更の対象項目でない」"

#endif
