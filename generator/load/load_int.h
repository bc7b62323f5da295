/*
 * Internal to generator/load/: XML helpers over the safe reader
 * (xmlsafe.h) and Markdown sources with positions.
 */
#ifndef PIA_LOAD_INT_H
#define PIA_LOAD_INT_H

#include <libxml/tree.h>

#include "pia.h"
#include "util.h"
#include "wareki.h"
#include "xmlsafe.h"

struct pia_diag;
struct pia_report;

/*
 * A 和暦 date as written (trimmed, 全角 digits read as half-width) into
 * *out, zero when it is none: nothing said, the checks judge the text
 * (check/values.c).  元年 reads as 1年 (load/report.c).
 */
void		 pia_load_date(const char *, enum pia_wareki_want, struct pia_date *);
/* changes.xml at path into r's rows (load/changes.c). */
void		 pia_load_changes(struct pia_diag *, struct pia_report *, const char *path);
/* The sections/NN-name.md files of the report folder dir into r (load/sections.c). */
void		 pia_load_sections(struct pia_diag *, struct pia_report *, const char *dir,
		    const char *root);
struct pia_fnode;
/* "（「事務の名称」のことですか）" or "" for an unknown name: md suggests titles (caller frees). */
char		*pia_load_hint(const struct pia_fnode *, const char *name, int md);


/*
 * SRC_ENCODING and -1 when a source is UTF-16 or Shift_JIS (saved by
 * Windows or Excel): named, with how to convert, instead of a bad byte.
 */
int		 pia_source_encoding(struct pia_diag *, const char *path, const char *buf, size_t len);
/*
 * A libxml2 well-formedness error as its own Japanese message (xmlmsg.c):
 * 1 when reported or dropped as a follow-on of an earlier one in the same
 * file (*broken, 0 at the start of a file), 0 to report it generically.
 */
int		 pia_xml_syntax_diag(struct pia_diag *, const struct pia_pos *,
		    const xmlError *, int *broken);

/*
 * Validate against a RELAX NG schema compiled into pia (by name, e.g.
 * "form.rng"); messages name the line.  Returns 0 when valid.
 */
int		 pia_xfile_relaxng(struct pia_diag *, const struct pia_xfile *, const char *schema);

/*
 * Why xf does not follow the schema compiled in as name (its len bytes at
 * mem), in SCHEMA_* messages naming the elements (schema_explain.c);
 * returns how many were reported, 0 when the cause is not found there.
 */
int		 pia_schema_explain(struct pia_diag *, const struct pia_xfile *, const char *name,
		    const char *mem, size_t len);

/* Attribute value (caller frees) or NULL. */
char		*pia_xattr(xmlNodePtr, const char *name);
/* The text (pia_xtext) of n's first child element of that name, or NULL (caller frees). */
char		*pia_xchild_text(xmlNodePtr, const char *name);
/* Text content of an element with its common indentation removed, trimmed (caller frees). */
char		*pia_xtext(xmlNodePtr);
/* The element's text: 1 when n has only text children (comments allowed). */
int		 pia_xonly_text(xmlNodePtr, xmlNodePtr *first_element);

/*
 * Markdown source text with line starts, to turn cmark's byte columns into
 * character columns and to place text taken from inside XML at its line.
 */
struct pia_mdsrc {
	const char	*file;
	const char	*buf;
	size_t		 len;
	size_t		*lines;
	size_t		 nlines;
	unsigned	 line0;		/* line of buf's first line in file, minus 1 */
	const char	*dir;		/* report folder: images are relative to it */
	const char	*root;		/* content tree: nothing may point outside it */
	struct pia_report *r;		/* its footnotes as written go to r->notes */
};

struct cmark_node;

/*
 * The fields of a 変更箇所 history row a <column from=…> may name (rows.c):
 * the attributes and elements of a <変更> in changes.xml (日, 項目, …).
 * pia_rows_field: its index, or -1.  pia_rows_fields: all of them joined
 * by 「、」, for FORM_COLUMN_FROM (caller frees).
 */
struct pia_report;
int		 pia_rows_field(const char *name);
char		*pia_rows_fields(void);
/* The history's rows as nodes of the tree: one PIA_F_ROW entry each, cells per column (rows.c). */
void		 pia_load_rows(struct pia_report *);

/*
 * Parse Markdown with plain cmark and check what cmark cannot: raw HTML is
 * an error; "*" or "_" left unparsed next to Japanese punctuation is a
 * warning.  Returns the DOCUMENT (caller frees with cmark_node_free).
 */
struct cmark_node *pia_md_parse(struct pia_diag *, struct pia_mdsrc *);
/*
 * cmark's parse with footnotes (load/footnote.c, include/md.h); the notes
 * and the references that name none are kept in s->r->notes as written,
 * for check/values.c to judge.
 */
struct cmark_node *pia_md_parse_notes(struct pia_mdsrc *);
/* Position of a cmark node in its source. */
struct pia_pos	 pia_md_pos(const struct pia_mdsrc *, struct cmark_node *);
void		 pia_mdsrc_index(struct pia_mdsrc *);

#endif
