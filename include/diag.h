/*
 * Diagnostics: the one table of messages (messages.def) and the sink that
 * collects them.  Loaders and checks report problems here and go on, so one
 * run reports everything; pia_diag_status gives the exit status from the
 * worst level.
 * May be included by any file of pia.
 */
#ifndef PIA_DIAG_H
#define PIA_DIAG_H

#include <stdio.h>
#include "pia.h"

/*
 * Levels, from least to worst.  FATAL and SYSTEM print as "error" too; the
 * exit status follows from the worst level reported (pia_diag_status).
 */
enum pia_level {
	PIA_LEVEL_WARNING,	/* publishable, but worth a look (--strict: fails) */
	PIA_LEVEL_ERROR,	/* the sources load but are wrong: exit 1 */
	PIA_LEVEL_FATAL,	/* a source cannot be loaded at all (unreadable,
				   malformed, out of the tree, over a limit): exit 1;
				   the preview keeps the report's last good page */
	PIA_LEVEL_SYSTEM,	/* usage or system: writing, fonts, themes,
				   memory: exit 2 */
	PIA_LEVEL__MAX
};

enum pia_msg {
#define PIA_MSG(code, level, text) PIA_MSG_##code,
#include "messages.def"
#undef PIA_MSG
	PIA_MSG__MAX
};

struct pia_msginfo {
	const char	*code;	/* "VAL_CHOICE" */
	enum pia_level	 level;
	const char	*text;	/* printf format, Japanese */
};

/* The table row of a message. */
const struct pia_msginfo *pia_msg_info(enum pia_msg);

struct pia_diag;

struct pia_diag	*pia_diag_new(void);
void		 pia_diag_free(struct pia_diag *);

/*
 * Report a message at pos (pos or pos->file may be NULL for messages about
 * no file).  The arguments fill the message's printf format.
 */
void	 pia_diag(struct pia_diag *, const struct pia_pos *, enum pia_msg, ...);

/*
 * Print one message of the table at once to f, formatted and escaped as
 * pia_diag_print does, without a sink: for code that has none (the site
 * and theme writers, the preview's server and watcher) and reports a
 * system error on its way out by returning failure.  Not counted anywhere.
 */
void	 pia_diag_now(FILE *, const struct pia_pos *, enum pia_msg, ...);

/*
 * Count of messages of a level or worse so far (PIA_LEVEL_ERROR: every
 * message printed as "error").  Printing does not reset the counts.
 */
unsigned pia_diag_count(const struct pia_diag *, enum pia_level);
/* Count of one message code so far (used by tests and the importer). */
unsigned pia_diag_count_msg(const struct pia_diag *, enum pia_msg);

/*
 * Messages reported from now on are about the report slug (NULL: about no
 * report: site.xml, the forms, the command line).  Loaders and checkers
 * set it around the work on one report.  Returns the previous one, to be
 * set again when done; the strings stay valid as long as the sink.
 */
const char *pia_diag_report(struct pia_diag *, const char *slug);

/* With strict set, warnings make pia_diag_status fail too (--strict). */
void	 pia_diag_set_strict(struct pia_diag *, int);

/*
 * The exit status for what was reported: PIA_EXIT_SYSTEM with a SYSTEM
 * message, else PIA_EXIT_INVALID with an ERROR or FATAL one (or, when
 * strict, a warning), else PIA_EXIT_OK.
 */
int	 pia_diag_status(const struct pia_diag *);

/* "error" or "warning", as a level is printed. */
const char *pia_level_name(enum pia_level);

/*
 * A copy of s (NULL: "") safe to print on a terminal: control characters
 * (C0 but tab, DEL, C1) and bidirectional overrides (U+202A–202E,
 * U+2066–2069) are written as "\x1b" or "<U+202E>", and bytes that are not
 * UTF-8 as "\xNN", so a hostile file name or value cannot drive the
 * terminal or reorder what is read.  Caller frees.  pia_diag applies it to
 * every message and file name.
 */
char	*pia_diag_escape(const char *s);

/*
 * Print every message sorted by file, line and column as
 * "file:line:col: error|warning: [CODE] text", then forget them.
 */
void	 pia_diag_print(struct pia_diag *, FILE *);

/*
 * One line of --timing to f: the phase's name padded to 20 columns (kanji
 * count two), the milliseconds, then note ("（12 ページ）" or "").
 */
void	 pia_diag_timing(FILE *f, const char *name, double ms, const char *note);

/* SYS_NOMEM on stderr straight from the table, without allocating, then exit 2. */
_Noreturn void pia_diag_nomem(void);

/* Print the summary line ("エラー 2 件、警告 1 件"). */
void	 pia_diag_summary(const struct pia_diag *, FILE *);

/*
 * pia build's line after a site was written: the output folder (escaped
 * like every message), how many reports, the warnings, the index page.
 */
void	 pia_diag_summary_site(const struct pia_diag *, FILE *, const char *out,
	    size_t nreports);

/*
 * pia pdf's line after a PDF was written: the file (escaped), its pages,
 * the warnings; for a draft (--force despite errors) the errors too and
 * that every page carries 「下書き」.  what: "PDF" or "変更点リスク評価表の PDF".
 */
void	 pia_diag_summary_pdf(const struct pia_diag *, FILE *, const char *out,
	    const char *what, unsigned pages, int draft);

/* Iterate over collected messages (for the preview server and tests). */
struct pia_diag_item {
	char		*file;	/* escaped (pia_diag_escape) */
	unsigned	 line, col;
	enum pia_msg	 msg;
	char		*text;	/* formatted message, escaped */
	unsigned	 seq;	/* order of reporting, keeps sort stable */
	const char	*report; /* slug of the report it is about, or NULL */
};
size_t	 pia_diag_items(const struct pia_diag *, const struct pia_diag_item **);

/*
 * How places are printed from now on, for a source whose places are not
 * file:line:col (pia import-changes: a spreadsheet's row as staff count
 * it, and the column's name).  place returns the text before
 * ": error|warning:" (caller frees; it escapes what it adds), or NULL for
 * the usual place.  A NULL place: the usual form again.
 */
typedef char	*pia_diag_place_fn(const struct pia_diag_item *, const void *ctx);
void	 pia_diag_set_place(struct pia_diag *, pia_diag_place_fn *, const void *ctx);

/*
 * Add a message already formatted and escaped (an item of another sink,
 * such as a worker process's of pia build -j): file may be NULL.
 */
void	 pia_diag_add_item(struct pia_diag *, const char *file, unsigned line,
	    unsigned col, enum pia_msg, const char *text);

/* Sort the messages by file, line, column and order, as they print. */
void	 pia_diag_sort(struct pia_diag *);

/* One message as printed, without the newline; caller frees. */
char	*pia_diag_line(const struct pia_diag_item *);

#endif
