/*
 * Change rows between two versions of a report (変更箇所, domain.md §4):
 * the old and the new model compared item by item, in the form's order.
 * Entries of repeats (システム, 委託事項, 移転先, the per-file sections)
 * are aligned by their title item and their content, so an inserted
 * 移転先 gives one insertion row and one renumbering row instead of a
 * cascade of false changes.  Markdown values are compared block by block
 * (paragraphs, list items); a changed item's row carries its whole
 * before and after text.  Each row comes with a proposal of 提出時期 and
 * 説明 (domain.md §4.2) for a person to confirm.
 * Reads both models and never changes them; rows point into them, so
 * they live no longer than the two reports.
 * May be included by commands and renderers (no libxml2 here).
 */
#ifndef PIA_CHANGES_H
#define PIA_CHANGES_H

#include <stddef.h>

#include "model.h"

struct cmark_node;

/* The text of an empty or absent value in a change row. */
#define PIA_CH_EMPTY	"（記載なし）"

/*
 * A 変更前 or 変更後 text longer than this many characters (white space
 * not counted) does not fit a row: the PDF prints it on a 別紙 after the
 * 変更箇所 table and refers to it from the cell, the web page collapses
 * it.  400 characters fill about 27 lines of the 122-point column.
 */
#define PIA_CH_LONG	400

/* What a row records. */
enum pia_chkind {
	PIA_CH_CHANGE,		/* the value of an item changed */
	PIA_CH_INSERT,		/* a repeat entry was added (one row for the whole entry) */
	PIA_CH_DELETE,		/* a repeat entry was removed */
	PIA_CH_RENUMBER,	/* entries of a repeat moved to other numbers */
	PIA_CH__MAX
};

/* One block of a Markdown value, aligned with the other version (for redlines). */
enum pia_chop {
	PIA_CHOP_SAME,		/* in both versions (node is the new one) */
	PIA_CHOP_DEL,		/* only in the old version */
	PIA_CHOP_INS,		/* only in the new version */
};

struct pia_chblock {
	enum pia_chop		 op;
	struct cmark_node	*node;	/* paragraph, heading, or list item's block; not owned */
	char			*text;	/* as printed in the row: "2. " and plain text */
};

struct pia_chrow {
	enum pia_chkind		 kind;
	char			*item;		/* canonical path: Ⅱ(1)-4-委託事項2-⑥委託先名 */
	char			*label;		/* long label path, titles joined by " - " */
	char			*before;	/* whole text; PIA_CH_EMPTY when there was none */
	char			*after;
	int			 marked;	/* ※: the item (or an ancestor) is a 重要な変更 object */
	const struct pia_fnode	*f;		/* the form node the item path names */
	const struct pia_node	*old;		/* the nodes compared, NULL when absent; */
	const struct pia_node	*cur;		/*   RENUMBER: the parents of the repeat */

	/* The proposal (pia_changes_propose): static strings, why owned. */
	const char		*timing;	/* 事前 | 事後 */
	const char		*reason;	/* 重要な変更 | 重要な変更の対象項目だが該当しない | 重要な変更の対象項目でない */
	char			*why;		/* 理由: "組織名称の変更", "移転先4から…とする", or NULL */

	struct pia_chblock	*blocks;	/* Markdown items: every block of both versions, aligned */
	size_t			 nblocks;
};

struct pia_chlist {
	struct pia_chrow	*v;
	size_t			 n;
};

/*
 * The rows that turn report old into report cur, in the order of the
 * form (deleted entries where they were, a renumbering row after the
 * entries of its repeat).  No row for an unchanged item, nor for 公表日.
 * Both reports must follow the same kind of 様式 (their versions may
 * differ: items are matched by key).  Returns NULL when they do not.
 * Caller frees with pia_changes_free.
 */
struct pia_chlist	*pia_changes_diff(const struct pia_report *old, const struct pia_report *cur);
void			 pia_changes_free(struct pia_chlist *);

/*
 * The text of an item's value as a change row prints it: choices and
 * texts as written, boxes as "[○]その他（…）" in the form's order, counts
 * as "（5）件", dates in 和暦, lists one entry a line, table rows one a
 * line, Markdown as plain paragraphs and "1. " / "- " list items.  "" for an
 * empty value.  Caller frees.
 */
char			*pia_changes_text(const struct pia_node *);

/*
 * Fill the proposal of a row from its kind, ※ and texts, with the word
 * lists of generator/changes/change-words.xml (NULL: built in, loaded once per
 * list).  The rules, domain.md §4.2: a ※ item → 重要な変更, 事前, unless
 * the change is only formal (an organisation renamed, a listed term
 * replaced, a typo of at most two characters) → 重要な変更の対象項目だが
 * 該当しない, 事後; other items → 重要な変更の対象項目でない, 事後.
 */
struct pia_formal;
struct pia_formal	*pia_formal_load(void);
void			 pia_formal_free(struct pia_formal *);
void			 pia_changes_propose(const struct pia_formal *, struct pia_chrow *);

/*
 * Published versions: snapshot folders REPORT/published/YYYY-MM-DD (the
 * Gregorian 公表日, so names sort).  The newest one's path (caller frees)
 * and date, or NULL when the report has none.  Names that are not such
 * dates are ignored.
 */
char			*pia_version_latest(const char *report_dir, struct pia_date *);
/* The same among the versions dated before limit (a same-day correction compares with it). */
char			*pia_version_before(const char *report_dir, const struct pia_date *limit,
			    struct pia_date *);

/* "2025-08-29" for a date (buf of at least 16 bytes). */
char			*pia_version_name(const struct pia_date *, char *buf, size_t size);

/* 1 when s has more than PIA_CH_LONG characters besides white space. */
int			 pia_changes_long(const char *s);

/*
 * A redline of two texts: the pieces that turn before into after, in
 * order, each kept (PIA_CHOP_SAME), deleted or inserted.  From the
 * longest common subsequence of their code points, then cleaned up so
 * that it reads as edits of phrases: a kept run of one or two characters
 * between two edits is folded into them ("を" left alone between a
 * deletion and an insertion only scatters them), and each run of edits
 * gives its deletion before its insertion.  Texts longer than
 * PIA_CH_REDLINE_MAX code points (together) are compared as one deletion
 * and one insertion.  Caller frees with pia_redline_free.
 */
#define PIA_CH_REDLINE_MAX	20000

struct pia_redpiece {
	enum pia_chop	 op;
	char		*text;
};

struct pia_redline {
	struct pia_redpiece	*v;
	size_t			 n;
};

struct pia_redline	*pia_redline(const char *before, const char *after);
void			 pia_redline_free(struct pia_redline *);

/*
 * Cells of the change lists pia writes for spreadsheets (pia diff): a
 * cell a spreadsheet would run as a formula (=, +, - or @ first, also
 * after leading blanks; a tab or CR first) is written after an
 * apostrophe, the OWASP advice against CSV injection.
 * pia_tsv_guard: "'" for such a cell, else "" (write it before the cell).
 * pia_tsv_unguard: a cell read back from such a list without that
 * apostrophe (cell itself when it has none); unguard(guard + cell) == cell.
 */
const char		*pia_tsv_guard(const char *cell);
const char		*pia_tsv_unguard(const char *cell);

#endif
