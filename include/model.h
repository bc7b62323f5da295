/*
 * The document model: one report (評価書) as a tree of values that
 * instantiates its form.  Loaders build it, checks read it, renderers walk
 * it; nothing output-specific lives here.  Every form node has a model node
 * (absent values included, so renderers print empty cells); a repeat has one
 * node per entry.
 * May be included by any file of pia.
 */
#ifndef PIA_MODEL_H
#define PIA_MODEL_H

#include <stddef.h>

#include "pia.h"
#include "form.h"
#include "wareki.h"

struct cmark_node;

/*
 * One checked box of a checks value.  The loader keeps its attributes as
 * written; whether the choice takes them is judged by check/values.c.
 */
struct pia_box {
	size_t		 choice;	/* index into the item's choices */
	char		*other;		/* 内容="…" (その他（ … ）) trimmed, or NULL */
	char		*count_written;	/* 件数="…" as written (全角 digits too), or NULL */
	long		 count;		/* （ N ）件 as read, or -1 */
	struct pia_pos	 pos;
};

/*
 * What was written in a value but not kept in it, for the checks to judge
 * (check/values.c): a box whose label is none of the choices, an entry of
 * a repeat beyond its max.
 */
enum pia_stray_kind {
	PIA_STRAY_BOX,		/* text: the <選択> label as written */
	PIA_STRAY_ENTRY		/* f: the repeat the element would have been an entry of */
};
struct pia_stray {
	enum pia_stray_kind	 kind;
	const struct pia_fnode	*f;
	char			*text;
	struct pia_pos		 pos;
};

/* One entry of a list value, or one cell of a table row. */
struct pia_cell {
	char		*text;
	struct pia_pos	 pos;
};

struct pia_row {
	struct pia_cell	*cells;
	size_t		 ncells;
	struct pia_pos	 pos;
};

struct pia_node {
	const struct pia_fnode	*f;		/* what it instantiates */
	unsigned		 index;		/* repeat entries: 1-based; else 0 */
	struct pia_node		*parent, *child, *last, *next, *prev;
	struct pia_pos		 pos;		/* where it was written (file NULL: absent) */

	/* The value, for items; which fields are used depends on f->type. */
	int			 present;	/* a value was given (maybe empty) */
	int			 na;		/* answered 「—」「該当なし」 (items marked na): text as written */
	char			*text;		/* text, ref, choice label, count/date as read */
	char			*written;	/* the text as written when it was read otherwise
						   (全角 digits as half-width), else NULL */
	struct cmark_node	*md;		/* markdown: a cmark DOCUMENT, owned */
	int			 choice;	/* choice: index, or -1 */
	long			 count;		/* count: value, or -1 */
	struct pia_date		 date;		/* date, yearmonth (valid when year != 0) */
	struct pia_box		*boxes;		/* checks: the checked boxes */
	size_t			 nboxes;
	struct pia_cell		*list;		/* list entries */
	size_t			 nlist;
	struct pia_row		*rows;		/* table rows */
	size_t			 nrows;
	char			*version;	/* a 変更箇所 change cell: the version its text is of, or NULL */
	struct pia_stray	*strays;	/* written under it, not kept (see above) */
	size_t			 nstrays;
};

/* One row of the 変更箇所 history. */
struct pia_change {
	struct pia_date	 date;
	char		*date_text;
	char		*item;		/* item path as written: Ⅱ(1)-4-委託事項2-⑥委託先名 */
	char		*before;
	char		*after;
	char		*timing;	/* 事前 | 事後 */
	char		*reason;	/* 重要な変更 | 重要な変更の対象項目だが該当しない | 重要な変更の対象項目でない */
	char		*why;		/* free reason text */
	char		*page;		/* optional ページ column */
	char		*before_ver;	/* optional 変更前の版: 「変更前（…）の記載」 on a 別紙 */
	char		*after_ver;	/* optional 変更後の版 */
	/* The 変更点リスク評価表 (optional, NULL when absent): */
	char		*change_reason;	/* 変更理由 */
	char		*risk_change;	/* リスク変化: あり | なし */
	char		*risk_status;	/* リスク変化の状況 */
	char		*risk_measure;	/* リスク対策 */
	int		 review;	/* 確認="要": proposed by pia publish, not yet confirmed */
	struct pia_pos	 pos;
};

/* Fields of a change row, for positions. */
enum pia_chg_field {
	PIA_CHG_DATE,
	PIA_CHG_PAGE,
	PIA_CHG_ITEM,
	PIA_CHG_BEFORE,
	PIA_CHG_AFTER,
	PIA_CHG_TIMING,
	PIA_CHG_REASON,
	PIA_CHG__MAX
};

/* Where the fields of rows are, and what the rows carry. */
struct pia_chg_where {
	/* Position of field f of row i; NULL: every field at the row's pos. */
	struct pia_pos	(*pos)(const void *ctx, size_t row, enum pia_chg_field f);
	const void	 *ctx;
	unsigned	  flags;
};
#define PIA_CHG_F_NODATE	0x01	/* no 変更日 column: dates are not read */
#define PIA_CHG_F_NOTIMING	0x02	/* no 提出時期 column */
#define PIA_CHG_F_NOREASON	0x04	/* no 説明 column */
#define PIA_CHG_F_HANDPATH	0x08	/* item paths as people write them: looked up
					   leniently, an unknown one is not reported */
#define PIA_CHG_F_EXCERPTS	0x10	/* 変更前/変更後 may quote only the changed part:
					   two long texts (over 60 characters) that differ
					   are not a broken chain */

/* Position of field f of row i of rows: w's, or (w NULL) the row's own. */
struct pia_pos	pia_chg_pos(const struct pia_chg_where *w, const struct pia_change *rows,
		    size_t i, enum pia_chg_field f);

/*
 * What the Markdown reader met that the checks judge (check/values.c):
 * raw HTML, which cmark keeps even in safe mode, and text with "*" or "_"
 * left in it, emphasis cmark may not have taken next to 「」。.
 */
enum pia_md_seen {
	PIA_MD_SEEN_HTML,
	PIA_MD_SEEN_MARKER
};
struct pia_md_mark {
	enum pia_md_seen seen;
	struct pia_pos	 pos;
	char		*text;		/* the HTML or the text node, as written */
};

/*
 * A footnote of a report's Markdown as written (load/footnote.c), for the
 * checks to judge (check/values.c): every note, and every reference whose
 * label names no note.
 */
struct pia_footnote {
	char		*label;
	struct pia_pos	 pos;		/* the note's line, or the reference */
	int		 ref;		/* a reference naming no note */
	unsigned	 first;		/* a note: the line of the note of that label
					   written before it in its source, or 0 */
	int		 empty;		/* a note without text */
	int		 used;		/* a note some reference refers to */
};

struct pia_site;

struct pia_report {
	char			*dir;		/* content/reports/01-jumin */
	char			*slug;		/* 01-jumin */
	const struct pia_form	*form;
	struct pia_node		*root;		/* instantiates form->root */
	struct pia_change	*changes;
	size_t			 nchanges;
	const struct pia_site	*site;
	struct pia_pos		 pos;		/* report.xml */
	char			**files;	/* source file names positions point to */
	size_t			 nfiles;
	struct pia_footnote	*notes;		/* footnotes as written, in reading order */
	size_t			 nnotes;
	struct pia_md_mark	*md_marks;	/* HTML and markers met in Markdown, in reading order */
	size_t			 nmd_marks;
};

/* A copy of path owned by the report, for positions that outlive loading. */
const char	*pia_report_file(struct pia_report *, const char *path);

/* A contact of the municipality (窓口). */
struct pia_contact {
	char	*id, *dept, *postal, *address, *phone, *hours;
};

struct pia_site {
	char			*dir;		/* the content tree */
	char			*name;		/* 星見台市 */
	char			*reading;	/* ほしみだいし */
	char			*prefecture;
	char			*organ;		/* 評価実施機関名 */
	char			*url;		/* published base URL */
	char			*title;		/* site title */
	int			 toc_pages;	/* PDF: page numbers in the 項目一覧 */
	int			 sheet_by_date;	/* PDF: long 変更箇所 texts on a 別紙 per 記載日 */
	struct pia_contact	*contacts;
	size_t			 ncontacts;
	struct pia_report	**reports;
	size_t			 nreports;
};

/*
 * The marker pia new writes into empty values: the loader keeps it as
 * text, the checks report it (VAL_PLACEHOLDER).
 */
#define PIA_PLACEHOLDER	"【記入してください】"

/* Create the complete tree of nodes for a form (no values). */
struct pia_node	*pia_node_new_tree(const struct pia_fnode *);
/* Append a new entry of repeat f under parent (index = count + 1), with its subtree. */
struct pia_node	*pia_node_add_entry(struct pia_node *parent, const struct pia_fnode *f);
/*
 * The same as the last child of parent with that index, in constant time
 * (for the rows of a 変更箇所, thousands of them): the caller keeps the order.
 */
/* Link n as the last child of parent (n's own children as they are). */
void		 pia_node_append(struct pia_node *parent, struct pia_node *n);
struct pia_node	*pia_node_append_entry(struct pia_node *parent, const struct pia_fnode *f,
		    unsigned index);
void		 pia_node_free(struct pia_node *);

/* The child of n instantiating form node f (the first entry of a repeat), or NULL. */
struct pia_node	*pia_node_child(const struct pia_node *, const struct pia_fnode *);
/* The child by key (first entry of a repeat), or NULL. */
struct pia_node	*pia_node_child_key(const struct pia_node *, const char *key);
/* The entries of repeat f under parent: count, and the first via *first. */
size_t		 pia_node_entries(const struct pia_node *parent, const struct pia_fnode *f, struct pia_node **first);
/* 1 if s (trimmed) says "not applicable": 「—」「－」「-」「―」「該当なし」. */
int		 pia_text_na(const char *);
/* 1 if an item has a non-empty value. */
int		 pia_node_filled(const struct pia_node *);
/* 1 when some item under n has a value (a group or sheet worth printing). */
int		 pia_node_any_filled(const struct pia_node *);

/*
 * The canonical path of a node in the form's own notation:
 * "Ⅱ(1)-4-委託事項2-⑥委託先名".  Caller frees.
 */
char		*pia_node_path(const struct pia_node *);
/* The printed label of a node, "⑥委託先名", "委託事項2", "(1) 住民基本台帳ファイル".  Caller frees. */
char		*pia_node_title(const struct pia_node *);

/*
 * An item path of a change row as a city writes it ("II(1)住民基本台帳ファイル
 * - 2⑤保有開始日", "Ⅳ-1②請求方法", "…移転先9～16"), read against the form
 * (generator/model/itempath.c).  The one resolver every check and renderer
 * uses.
 */
struct pia_item_step {
	const struct pia_fnode	*f;
	unsigned		 index;		/* entry number; 0: none or the whole repeat */
};
struct pia_item_where {
	struct pia_item_step	*steps;		/* from the top of the form down */
	size_t			 nsteps;
	const struct pia_fnode	*f;		/* the deepest node named, NULL if none */
	int			 complete;	/* the whole path was read */
	int			 range;		/* entries named as a range or list: "移転先9～16" */
	int			 part;		/* ends in words of the city's own: "③他のシステムとの接続 その他" */
	const struct pia_node	*node;		/* with a report: its deepest node named */
	int			 node_complete;	/* node is the one of the last step */
	char			*key;		/* "ファイルの概要1/提供移転/移転先4/…" */
};
/* Resolve path against F (and root, if not NULL): 0 if it was read whole, else -1. */
int		 pia_item_resolve(const struct pia_form *, const struct pia_node *root,
		    const char *path, struct pia_item_where *);
void		 pia_item_where_free(struct pia_item_where *);
/* The key pia_item_resolve gives the path of node n.  Caller frees. */
char		*pia_node_key(const struct pia_node *);

/* Depth-first walk without recursion (cmark's iterator, simplified). */
enum pia_walk_event { PIA_WALK_DONE, PIA_WALK_ENTER, PIA_WALK_EXIT };
struct pia_walk {
	struct pia_node	*root, *cur;
	enum pia_walk_event ev;
};
void		 pia_walk_init(struct pia_walk *, struct pia_node *root);
enum pia_walk_event pia_walk_next(struct pia_walk *, struct pia_node **);

/* The item of a report with that role= in its form ("name", "number", …), or NULL. */
const struct pia_node *pia_report_role(const struct pia_report *, const char *role);
/* The 公表日 item (published="yes"), or NULL. */
const struct pia_node *pia_report_published(const struct pia_report *);

void		 pia_report_free(struct pia_report *);
void		 pia_site_free(struct pia_site *);

#endif
