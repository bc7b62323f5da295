/*
 * The subcommands of pia, one file each under generator/cmd/, dispatched
 * by main.c.  Each takes its own argv (argv[0] is the command name) and
 * returns an exit status (enum pia_exit).
 */
#ifndef PIA_CMD_H
#define PIA_CMD_H

int	pia_cmd_check(int, char **);
int	pia_cmd_new(int, char **);
int	pia_cmd_init(int, char **);
int	pia_cmd_dump(int, char **);
int	pia_cmd_build(int, char **);
int	pia_cmd_diff(int, char **);
int	pia_cmd_publish(int, char **);
int	pia_cmd_import(int, char **);
int	pia_cmd_import_report(int, char **);
int	pia_cmd_pdf(int, char **);
int	pia_cmd_serve(int, char **);

/*
 * Shared by the commands: load what PATH names (a content tree with
 * site.xml, a report folder, or a report.xml) and hand back the site
 * and/or report, unchecked (pia_check_all, check.h, checks them).  Returns PIA_EXIT_SYSTEM when PATH is not
 * such a thing (ARG_* is reported in the sink), else PIA_EXIT_OK.
 */
#include "diag.h"

struct pia_diag;
struct pia_forms;
struct pia_site;
struct pia_report;
int	pia_cmd_load(struct pia_diag *, const struct pia_forms *, const char *path,
	    struct pia_site **, struct pia_report **);

/*
 * Start a command: a new sink and the forms (compiled in, or from dir).
 * When no form can be loaded, prints why, frees the sink and returns
 * PIA_EXIT_SYSTEM; else PIA_EXIT_OK with *d and *fs for the caller to free.
 */
int	pia_cmd_begin(const char *dir, struct pia_diag **d, struct pia_forms **fs);

/*
 * The exit status for what the sink holds (pia_diag_status): 2 with a
 * SYSTEM message, 1 with errors (or warnings under --strict), else 0.
 */
int	pia_cmd_status(const struct pia_diag *);

/*
 * --strict for check, build and pdf: the sinks of pia_cmd_begin count
 * warnings as failures (exit 1; build and pdf write nothing).  Set by
 * main.c, which takes the option off the command line.
 */
void	pia_cmd_set_strict(int);

/*
 * The command runner (cmd/run.c): a command is a table — its options, its
 * help text, how many operands it takes, what to load first — and a run
 * function that does only what is the command's own.  pia_cmd_run parses
 * the options (adding --help, and --forms DIR with PIA_CMD_FORMS), reports
 * usage errors through the message table (exit 2), loads the forms and,
 * with PIA_CMD_LOAD, the first operand; calls run; prints the messages left
 * in the sink; frees everything and returns run's exit status.
 */
#define PIA_CMD_MAXOPTS	16

struct pia_cmd_opt {
	const char	*name;		/* long name: "output" for --output */
	int		 letter;	/* short option ('o') or 0 */
	int		 value;		/* 1: takes a value (--output FILE) */
	int		 required;	/* 1: missing is a usage error */
};

struct pia_cmd;
struct pia_cmd_ctx {
	const struct pia_cmd	*cmd;
	/* The value of option i of cmd->opts; "" for a flag given, NULL when not given. */
	const char		*opt[PIA_CMD_MAXOPTS];
	char			**args;		/* the operands */
	int			 nargs;
	const char		*formdir;	/* --forms DIR or NULL */
	double			 t0;		/* pia_clock_ms() when the command started */
	struct pia_diag		*d;		/* printed by the runner after run */
	struct pia_forms	*fs;		/* with PIA_CMD_FORMS or PIA_CMD_LOAD */
	struct pia_site		*site;		/* with PIA_CMD_LOAD: what args[0] names, */
	struct pia_report	*report;	/* a content tree or a report */
	const char		*kept;		/* set by run: output left as it was (OUT_KEPT on exit 1) */
	int			 quiet;		/* set by run: print nothing when there is no message */
};

#define PIA_CMD_FORMS	0x01	/* --forms DIR; ctx->fs loaded before run */
#define PIA_CMD_LOAD	0x02	/* args[0] loaded and checked (checks) before run; when it names nothing, exit 2 */
#define PIA_CMD_STDOUT	0x04	/* messages on stdout (pia check), else stderr */
#define PIA_CMD_SUMMARY	0x08	/* the summary line after the messages */
#define PIA_CMD_ERRORS	0x10	/* messages only when there is an error (pia diff) */

struct pia_cmd {
	const char			*name;		/* "pdf", for messages */
	const char			*help;		/* pia NAME --help (stdout); after a usage error (stderr) */
	const struct pia_cmd_opt	*opts;		/* ends with a NULL name; NULL for none */
	int				 min_args, max_args;
	unsigned			 flags;		/* PIA_CMD_* */
	unsigned			 checks;	/* with PIA_CMD_LOAD: PIA_CHECK_* run on it (check.h) */
	/* Before anything is loaded (an output over the sources is refused unread); 0 or an exit status. */
	int				(*pre)(struct pia_cmd_ctx *);
	int				(*run)(struct pia_cmd_ctx *);
};

int	pia_cmd_run(const struct pia_cmd *, int argc, char **argv);

/* A message about no file, on stderr at once (a and b fill its format). */
void	pia_cmd_error(enum pia_msg, const char *a, const char *b);

/* pia new's text (cmd/skeleton.c): report.xml of a form; a section's Markdown (0: it has none). */
struct pia_buf;
struct pia_fnode;
struct pia_form;
void	pia_skeleton_report(struct pia_buf *, const struct pia_form *);
int	pia_skeleton_section(struct pia_buf *, const struct pia_fnode *);

#endif
