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
int	pia_cmd_pdf(int, char **);
int	pia_cmd_serve(int, char **);

/*
 * Shared by the commands: load what PATH names (a content tree with
 * site.xml, a report folder, or a report.xml), run every check, and hand
 * back the site and/or report.  Returns PIA_EXIT_SYSTEM when PATH is not
 * such a thing (ARG_* is reported in the sink), else PIA_EXIT_OK.
 */
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

#endif
