/*
 * The 様式 as data: a form definition (基礎項目評価書 様式2, 重点項目評価書
 * 様式3, 全項目評価書 様式4, one file per version) read from
 * generator/forms/form[234].xml.  Loaders, checks and renderers know the value
 * types below, never individual items.  See pia-forms(5).
 * May be included by any file of pia.
 */
#ifndef PIA_FORM_H
#define PIA_FORM_H

#include <stddef.h>

struct pia_diag;

/* Value types of items.  A new type is a row in each pass's table. */
enum pia_type {
	PIA_T_NONE,		/* a container (section, group, repeat) */
	PIA_T_TEXT,		/* short plain text */
	PIA_T_MARKDOWN,		/* long text, Markdown; may come from a section file */
	PIA_T_CHOICE,		/* exactly one label of a choice list */
	PIA_T_CHECKS,		/* any boxes of a box list; その他（ ） text, （ N ）件 */
	PIA_T_COUNT,		/* non-negative integer, printed （ N ）件 */
	PIA_T_DATE,		/* 和暦 date, 令和7年7月25日 */
	PIA_T_YEARMONTH,	/* 和暦 year and month, 平成27年6月 */
	PIA_T_REF,		/* a cross-reference, 「2. ③対象となる本人の範囲」と同じ。 */
	PIA_T_LIST,		/* numbered list of short entries (記録項目) */
	PIA_T_TABLE,		/* rows of cells under the form's columns (別紙) */
	/* Types of 変更箇所 cells only (<changes><column type=…>): */
	PIA_T_PAGE,		/* the page where the row's item is printed (ページ); text as written */
	PIA_T_ITEMPATH,		/* an item path as the city wrote it (項目) */
	PIA_T_CHANGE,		/* a 変更前 or 変更後 text, shown as a redline of the row's other one */
	PIA_T__MAX
};

/* Kinds of form nodes. */
enum pia_fkind {
	PIA_F_FORM,		/* the root */
	PIA_F_COVER,		/* the cover page (表紙) */
	PIA_F_SECTION,		/* Ⅰ 基本情報 … */
	PIA_F_ANNEX,		/* （別添1） 事務の内容, 別紙 … */
	PIA_F_CHANGES,		/* （別添3） 変更箇所: rows come from the history */
	PIA_F_ROW,		/* a child of a 変更箇所: a row, repeated per history row (and per
				   row with risk columns, PIA_FF_RISK: the 変更点リスク評価表) */
	PIA_F_CELL,		/* a cell of a row: one <column> of the <changes> (cols[0]) */
	PIA_F_GROUP,		/* 1. 特定個人情報ファイルを取り扱う事務, リスク1 … */
	PIA_F_ITEM,		/* ①事務の名称: holds a value */
	PIA_F__MAX
};

/* Flags of form nodes. */
#define PIA_FF_REQUIRED	0x01	/* an empty value is an error */
#define PIA_FF_MARK	0x02	/* ※: a change is a 重要な変更 candidate */
#define PIA_FF_REPEAT	0x04	/* repeated: システム1…n, (1)…(n) */
#define PIA_FF_PUBLISHED 0x08	/* this date is the 公表日 every date is compared to */
#define PIA_FF_FUTURE	0x10	/* this date may lie after 公表日 (予定) */
#define PIA_FF_PERFILE	0x20	/* entries are the report's 特定個人情報ファイル */
#define PIA_FF_TITLE	0x40	/* this item names its repeat entry (ファイル名, 提供先名) */
#define PIA_FF_NUMBERED	0x80	/* list entries are numbered 1. 2. … when printed */
/* Print layout only (pia-forms(5)); checks and the 変更箇所 ignore these. */
#define PIA_FF_SUB	0x100	/* a sub-row of the numbered item before it (その必要性) */
#define PIA_FF_INLINE	0x200	/* printed in the cell of the item before it (（ N ）件) */
#define PIA_FF_MARKNOTE	0x400	/* its note states the ※ of the nodes inside: they print none */
#define PIA_FF_OWN	0x800	/* a sheet of the city's own (別紙): not in the 項目一覧, left out when empty */
#define PIA_FF_RUNIN	0x1000	/* list entries run on 「1. カナ氏名、2. 漢字氏名、…」 */
#define PIA_FF_FLOW	0x2000	/* boxes side by side 「[○] 紙　[　] 専用線 …」, not one a line */
#define PIA_FF_NA	0x4000	/* may be answered 「—」「該当なし」 (not applicable) */
#define PIA_FF_RISK	0x8000	/* a 変更箇所 row of its 変更点リスク評価表 (<risk>), not of its table */
#define PIA_FF_NAMEDNO	0x10000	/* its number is a name: 「リスク1： 目的外の入手…」, printed as a label row */

/* Flags of choices and boxes. */
#define PIA_CF_OTHER	0x01	/* box carries free text: その他（ … ） */
#define PIA_CF_COUNT	0x02	/* box carries a count: 提供を行っている（ N ）件 */
#define PIA_CF_ALONE	0x04	/* box excludes every other box (行っていない) */
#define PIA_CF_OTHER_OPT 0x08	/* its （ ） may stay empty: cities often check 評価実施機関内の他部署（ ） alone */

struct pia_choice {
	char		*label;		/* "10万人以上30万人未満" */
	char		*group;		/* checks only: heading of its box group, or NULL */
	unsigned	 flags;		/* PIA_CF_* */
	long		 min, max;	/* range for bucket rules; -1 when open */
	char		*requires;	/* name of a 様式 this answer requires in the city (全項目評価書), or NULL */
};

struct pia_choices {
	char			*id;	/* referenced by items' choices= */
	int			 checks; /* 1: a box list, 0: a choice list */
	struct pia_choice	*v;
	size_t			 n;
};

/* How a 変更箇所 column is aligned in print (align=; default: by its type). */
enum pia_calign {
	PIA_CA_DEFAULT,
	PIA_CA_LEFT,
	PIA_CA_CENTER,
	PIA_CA_JUSTIFY
};

struct pia_column {
	char		*key;
	char		*label;
	unsigned	 width;		/* relative width for printing */
	/* 変更箇所 columns only (<changes><column …>), pia-forms(5): */
	enum pia_type	 type;		/* PIA_T_TEXT, _DATE, _PAGE, _ITEMPATH, _CHANGE */
	char		**from;		/* the history fields shown, NULL-terminated (joined by a line break) */
	unsigned	 narrow;	/* width when the optional columns are printed too (0: width) */
	int		 optional;	/* printed only when a row has a value in it */
	enum pia_calign	 align;
	char		*version_from;	/* the field naming the version of the text (変更前の版), or NULL */
	char		*version_label;	/* the head of a 別紙 per 記載日 with it: 「変更前（{v}）の記載」 */
	int		 bar;		/* risk table: in the PDF, in the bar above the row */
	int		 repeated;	/* risk table: shown in the 変更箇所 table too (the web page leaves it out) */
};

/*
 * A cross-field rule from the form file: kind and attributes as written;
 * check/rules.c implements each kind.  Paths in attributes are relative to
 * scope.  See pia-forms(5) for the kinds.
 */
struct pia_rule {
	char			*kind;
	char			**attr;		/* name, value, …, NULL */
	char			**rows;		/* <row> texts, NULL-terminated, or NULL */
	unsigned		 line;		/* in the form file */
	const struct pia_fnode	*scope;
	struct pia_rule		*next;
};

struct pia_fnode {
	enum pia_fkind		 kind;
	enum pia_type		 type;		/* PIA_T_NONE for containers */
	char			*key;		/* unique among siblings; element name in report.xml */
	char			*no;		/* printed number: Ⅰ 1. ① (1) リスク1 …, or NULL */
	char			*label;		/* printed label */
	char			*note;		/* printed after the label: 【任意】 */
	char			*entry;		/* repeats: entry title pattern, "システム{n}" */
	char			*hint;		/* placeholder guidance for pia new */
	char			*role;		/* number | name | organ | department, or NULL */
	unsigned		 flags;		/* PIA_FF_* */
	unsigned		 min, max;	/* repeats: entry count bounds (max 0 = none) */
	unsigned		 range;		/* repeats: after entry 1, entries under 「N～M」 rows of this many (0: none) */
	unsigned		 rangeto;	/* repeats: 「N～M」 rows printed, empty ones too, up to this entry */
	const struct pia_choices *choices;	/* choice and checks items */
	struct pia_column	*cols;		/* table items; a 変更箇所 cell: cols[0] is its column */
	size_t			 ncols;
	struct pia_rule		*rules;		/* rules whose scope is this node */
	unsigned		 line;		/* in the form file */
	struct pia_fnode	*parent, *child, *last, *next;
	size_t			 nchild;
};

struct pia_form {
	char			*file;		/* "form4.xml" */
	char			*kind;		/* 基礎 | 重点 | 全項目 */
	char			*name;		/* 全項目評価書 */
	char			*yoshiki;	/* 様式4 */
	char			*version;	/* 令和6年10月 */
	char			*title;		/* 特定個人情報保護評価書（全項目評価書） */
	char			*stamp;		/* [令和6年10月 様式4] */
	struct pia_choices	*choices;
	size_t			 nchoices;
	struct pia_fnode	*root;
	struct pia_form		*next;		/* in a pia_forms list */
};

/* All forms known to a run. */
struct pia_forms {
	struct pia_form	*first;
};

/*
 * Load the forms compiled into pia, or those in dir when dir is not NULL
 * (--forms DIR while drafting a new 様式 version).  Problems in a form file
 * are reported to the sink; returns NULL when no form could be loaded.
 */
struct pia_forms	*pia_forms_load(struct pia_diag *, const char *dir);
void			 pia_forms_free(struct pia_forms *);

/* The form of a kind (基礎/重点/全項目, or 様式2/3/4, or its name) and version (NULL: newest). */
const struct pia_form	*pia_forms_find(const struct pia_forms *, const char *kind, const char *version);

/* A child of n by key, or NULL. */
const struct pia_fnode	*pia_fnode_child(const struct pia_fnode *, const char *key);

/*
 * Match a heading text ("②事務の内容", "事務の内容", "2. 基本情報",
 * "システム3", "(1) 住民基本台帳ファイル") against n's children.  Returns the
 * child and, for a repeat entry title, sets *index (1-based; 0 otherwise).
 */
const struct pia_fnode	*pia_fnode_match(const struct pia_fnode *, const char *heading, unsigned *index);

/*
 * The form node a canonical item path names, as pia_node_path() prints it
 * and change lists write it: "Ⅱ(1)-4-委託事項2-⑥委託先名", "Ⅰ-2-システム1-③",
 * "表紙-公表日", "（別添2）(3)".  NULL when the form has no such item.
 */
const struct pia_fnode	*pia_form_find_path(const struct pia_form *, const char *path);

/* 1 when f or one of its ancestors carries ※ (mark="yes"). */
int			 pia_fnode_marked(const struct pia_fnode *);

/*
 * 1 when f prints ※: it carries mark="yes" and no ancestor does, nor states
 * the ※ of its contents in its note (mark-note="yes", 「Ⅲ リスク対策
 * ※（7. ②を除く。）」): a ※ on a group covers its rows, as the 様式 prints it.
 */
int			 pia_fnode_mark_shown(const struct pia_fnode *);

/* "①事務の名称": number and label as printed.  Caller frees. */
char			*pia_fnode_title(const struct pia_fnode *);

/* Name of a type as used in form files ("text", "choice" …). */
const char		*pia_type_name(enum pia_type);

/* The index of a label in a choice list, or -1. */
int			 pia_choices_find(const struct pia_choices *, const char *label);

#endif
