/*
 * Internal to generator/changes/: a spreadsheet's export (TSV or CSV) as
 * records of fields, and the names of a 変更箇所一覧's columns.
 */
#ifndef PIA_TABULAR_H
#define PIA_TABULAR_H

#include <stddef.h>

#include "util.h"

/* What a column of a 変更箇所一覧 holds. */
enum pia_tab_role {
	PIA_TAB_DATE, PIA_TAB_PAGE, PIA_TAB_ITEM, PIA_TAB_BEFORE, PIA_TAB_AFTER,
	PIA_TAB_TIMING, PIA_TAB_REASON, PIA_TAB_EXTRA
};

/* The usual name of each role but PIA_TAB_EXTRA, for messages. */
extern const char *const pia_tab_role_names[];

/* One record of the file: its fields and where it was. */
struct pia_tab_record {
	char		**f;
	size_t		  n;
	size_t		  open_quote;	/* 1-based field whose quote is not closed, or 0 */
	size_t		  start, end;	/* bytes of the record in the file */
};

struct pia_table {
	char			*buf;		/* the text, UTF-8 */
	size_t			 len;
	char			 delim;
	struct pia_tab_record	*recs;
	size_t			 nrecs;
};

/*
 * Make buf UTF-8: drop a byte order mark; UTF-16 with a byte order mark
 * (Excel's 「Unicode テキスト」) and text that is not UTF-8 but is CP932
 * (Shift_JIS) are converted (buf replaced, *from says which).  Returns 0
 * for UTF-8, 1 when converted, -1 when it is neither.
 */
int	pia_tab_decode(char **buf, size_t *len, enum pia_enc *from);

/*
 * The delimiter: by the first line when it has only tabs or only commas,
 * else by the file's name (.csv, .tsv), else by what the text holds.
 */
char	pia_tab_delimiter(const char *path, const char *s, size_t len);

/* Split t->buf into t->recs by t->delim. */
void	pia_tab_parse(struct pia_table *);
void	pia_tab_free(struct pia_table *);

/* The header name without white space, full-width ASCII as ASCII.  Caller frees. */
char	*pia_tab_squeeze(const char *);
enum pia_tab_role pia_tab_role_of(const char *name);
/* 1 when the record is a header row: 項目 and 変更前 or 変更後, three known columns. */
int	pia_tab_is_header(const struct pia_tab_record *);
/* 1 when every field is empty or white space. */
int	pia_tab_blank(const struct pia_tab_record *);
/* 1 when every field is dashes, bars and spaces: a separator line of a PDF extraction. */
int	pia_tab_junk(const struct pia_tab_record *);

#endif
