/*
 * The 変更箇所 history as data (changes.xml, pia(5)).  One serializer
 * writes it (pia_history_write, and pia_history_append, which adds rows
 * to a history without touching a byte its author wrote); the importer
 * turns a spreadsheet's 変更箇所一覧 into rows (changes/tabular.c reads
 * the TSV or CSV, changes/history_import.c makes and checks the rows);
 * pia_history_publish computes and commits the rows of a new version.
 * A report's changes.xml is read by the loader (load/changes.c), which
 * owns the safe XML reader.
 * May be included by commands; not by renderers.
 */
#ifndef PIA_HISTORY_H
#define PIA_HISTORY_H

#include <stddef.h>
#include <stdio.h>

#include "model.h"

struct pia_buf;
struct pia_diag;
struct pia_form;
struct pia_lint;

/* A column of an imported list that is no field of a row: <列 名="name">text</列>. */
struct pia_hcol {
	char	*name;
	char	*text;
};

struct pia_hrow {
	struct pia_change	 c;		/* attributes, 変更前/変更後, the risk elements */
	struct pia_hcol		*cols;		/* other columns, in their order */
	size_t			 ncols;
	char			*raw;		/* <原文>: the line as read, or NULL */
	int			 review;	/* 確認="要": proposed by pia publish */
};

struct pia_history {
	struct pia_hrow		*v;
	size_t			 n;
};

/* The elements of the 変更点リスク評価表 in the schema's order, NULL-terminated. */
extern const char *const pia_history_risk_names[];

/* Free what the rows own (every string of c, cols, raw) and the array. */
void	 pia_history_free(struct pia_history *);
/* Free what one row owns and clear it. */
void	 pia_history_free_row(struct pia_hrow *);

/* One <変更> element, indented by two spaces, with its line end. */
void	 pia_history_put_row(struct pia_buf *, const struct pia_hrow *);

/* A whole changes.xml of the rows, with comment (or NULL) after the declaration.  Caller frees. */
char	*pia_history_write(const struct pia_history *, const char *comment);

/*
 * The history old (len bytes, a well-formed changes.xml) with the rows
 * added as the last children of its root; every byte of old is kept.
 * NULL when the end of the root element cannot be found.  Caller frees.
 */
char	*pia_history_append(const char *old, size_t len, const struct pia_history *);

/*
 * Write a history atomically through the one writer (util/atomic.c): a
 * reader never sees half a file and a failure leaves the old one as it
 * was.  Returns 0, or -1 after SYS_WRITE with the reason in Japanese.
 */
int	 pia_history_save(struct pia_diag *, const char *path, const char *data, size_t len);

/* ---- import-changes ---------------------------------------------------- */

struct pia_import {
	struct pia_history	 h;
	char			**cols;		/* the header's column names, for messages */
	size_t			 ncols;
	size_t			*sheet;		/* row k+1's row number in the spreadsheet (header rows counted) */
	size_t			 nsheet;
};

/*
 * Read a 変更箇所一覧 (UTF-8 or CP932 TSV/CSV; LF, CRLF or CR line ends)
 * into rows: header found by its names, each cell linted, the rows checked
 * as a history (with form F when not NULL), rows split for print
 * ("(3-1)"…) merged.  --fix when fix.  Problems go to d, at ROW:column.
 * Returns 0, -1 when the file cannot be read as a list (messages given:
 * too big, not text), -2 when it cannot be opened.  Free with
 * pia_history_import_free (also after a failure).
 */
int	 pia_history_import(struct pia_diag *, struct pia_lint *, const struct pia_form *,
	    const char *file, int fix, struct pia_import *);
void	 pia_history_import_free(struct pia_import *);

/*
 * The place of an import's message, FILE:ROW:COLUMN-NAME (ROW with the
 * spreadsheet's own number when they differ), for pia_diag_set_place with
 * the struct pia_import as ctx.
 */
struct pia_diag_item;
char	*pia_history_import_place(const struct pia_diag_item *, const void *ctx);

/* ---- publish ------------------------------------------------------------- */

struct pia_publish {
	const char	*dir;		/* the report folder, without a trailing slash */
	const char	*date;		/* --date, a 和暦 date */
	const struct pia_forms *fs;	/* the forms (pia_cmd_begin) */
	int		 first;		/* --first: no previous version */
	int		 dry;		/* -n: print the rows, write nothing */
	int		 correct;	/* --correct: replace the version of the same day */
};

/*
 * Publish the version of opt->dir dated opt->date (pia(1) publish):
 * refuse with coded messages when it may not be published; append the
 * rows since the last snapshot not yet in changes.xml (確認="要"); while
 * any row has 確認="要", refuse (PUB_UNREVIEWED at each); else keep the
 * version under published/ (with opt->correct in place of the same day's
 * one, which is kept as YYYY-MM-DD.訂正前N) and check the report again.  Never writes
 * through a link that leads out of the report folder.  Returns the exit
 * status.
 */
int	 pia_history_publish(const struct pia_publish *);

#endif
