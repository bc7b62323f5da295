/*
 * Diagnostics: the one table of messages (messages.def) and the sink that
 * collects them.  Loaders and checks report problems here and go on, so one
 * run reports everything; main.c decides the exit status from the worst level.
 * May be included by any file of pia.
 */
#ifndef PIA_DIAG_H
#define PIA_DIAG_H

#include <stdio.h>
#include "pia.h"

enum pia_level {
	PIA_LEVEL_WARNING,
	PIA_LEVEL_ERROR
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

/* Count of messages of a level so far. */
unsigned pia_diag_count(const struct pia_diag *, enum pia_level);
/* Count of one message code so far (used by tests and the importer). */
unsigned pia_diag_count_msg(const struct pia_diag *, enum pia_msg);

/*
 * Print every message sorted by file, line and column as
 * "file:line:col: error|warning: [CODE] text", then forget them.
 */
void	 pia_diag_print(struct pia_diag *, FILE *);

/* Print the summary line ("エラー 2 件、警告 1 件"). */
void	 pia_diag_summary(const struct pia_diag *, FILE *);

/* Iterate over collected messages (for the preview server and tests). */
struct pia_diag_item {
	char		*file;
	unsigned	 line, col;
	enum pia_msg	 msg;
	char		*text;	/* formatted message */
	unsigned	 seq;	/* order of reporting, keeps sort stable */
};
size_t	 pia_diag_items(const struct pia_diag *, const struct pia_diag_item **);

#endif
