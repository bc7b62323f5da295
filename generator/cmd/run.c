/*
 * The command runner: what every subcommand does around its own work —
 * options and operands from its table, --help, usage errors through the
 * message table, the forms and the sources loaded, the messages printed,
 * everything freed, one exit status (include/cmd.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cmd.h"
#include "diag.h"
#include "form.h"
#include "model.h"
#include "pia.h"
#include "util.h"

/* getopt_long values of the options the runner adds; a table's own use their index. */
enum {
	OPT_HELP = PIA_CMD_MAXOPTS,
	OPT_FORMS
};

void
pia_cmd_error(enum pia_msg m, const char *a, const char *b)
{
	struct pia_diag *d = pia_diag_new();

	pia_diag(d, NULL, m, a, b);
	pia_diag_print(d, stderr);
	pia_diag_free(d);
}

/* A usage error: the message, then the command's help, exit status 2. */
static int
usage_error(const struct pia_cmd *cmd, enum pia_msg m, const char *a, const char *b)
{
	pia_cmd_error(m, a, b);
	fputs(cmd->help, stderr);
	return PIA_EXIT_SYSTEM;
}

/* The option as it was written: "--output", "-o". */
static const char *
spelled(char **argv, int letter)
{
	static char buf[3];

	if (letter >= 'A' && letter < 128) {
		snprintf(buf, sizeof(buf), "-%c", letter);
		return buf;
	}
	return argv[optind - 1];
}

/* Options and operands into ctx: -1 to go on, or the exit status when the command is done (help, usage error). */
static int
parse(const struct pia_cmd *cmd, struct pia_cmd_ctx *ctx, int argc, char **argv)
{
	struct option longs[PIA_CMD_MAXOPTS + 3];
	char shorts[2 * PIA_CMD_MAXOPTS + 4] = ":h";
	size_t ns = 2;
	int c, i, n = 0, index;

	for (i = 0; cmd->opts != NULL && cmd->opts[i].name != NULL; i++) {
		longs[n++] = (struct option){ cmd->opts[i].name,
		    cmd->opts[i].value ? required_argument : no_argument, NULL, i };
		if (cmd->opts[i].letter != 0) {
			shorts[ns++] = (char)cmd->opts[i].letter;
			if (cmd->opts[i].value)
				shorts[ns++] = ':';
		}
	}
	shorts[ns] = '\0';
	longs[n++] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	if (cmd->flags & PIA_CMD_FORMS)
		longs[n++] = (struct option){ "forms", required_argument, NULL, OPT_FORMS };
	longs[n] = (struct option){ NULL, 0, NULL, 0 };

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		index = c;
		if (c == 'h')
			index = OPT_HELP;
		else if (c != '?' && c != ':' && c >= PIA_CMD_MAXOPTS)
			for (i = 0; cmd->opts != NULL && cmd->opts[i].name != NULL; i++)
				if (cmd->opts[i].letter == c)
					index = i;
		if (index == OPT_HELP) {
			fputs(cmd->help, stdout);
			return PIA_EXIT_OK;
		}
		if (index == OPT_FORMS)
			ctx->formdir = optarg;
		else if (c == ':')
			return usage_error(cmd, PIA_MSG_USAGE_VALUE, spelled(argv, optopt), NULL);
		else if (c == '?')
			return usage_error(cmd, PIA_MSG_USAGE_OPTION, spelled(argv, optopt),
			    cmd->name);
		else if (cmd->opts[index].value && *optarg == '\0') {
			/* An empty name is a slip, never "the current folder". */
			char name[64];

			snprintf(name, sizeof(name), "--%s", cmd->opts[index].name);
			return usage_error(cmd, PIA_MSG_USAGE_VALUE, name, NULL);
		} else
			ctx->opt[index] = cmd->opts[index].value ? optarg : "";
	}
	for (i = 0; cmd->opts != NULL && cmd->opts[i].name != NULL; i++)
		if (cmd->opts[i].required && ctx->opt[i] == NULL)
			return usage_error(cmd, PIA_MSG_USAGE_REQUIRED, cmd->opts[i].name, NULL);
	ctx->args = argv + optind;
	ctx->nargs = argc - optind;
	for (i = 0; i < ctx->nargs && *ctx->args[i] != '\0'; i++)
		continue;
	if (ctx->nargs < cmd->min_args || ctx->nargs > cmd->max_args || i < ctx->nargs) {
		char count[16];

		/* An empty operand is no operand: counted out. */
		snprintf(count, sizeof(count), "%d", i);
		return usage_error(cmd, PIA_MSG_USAGE_OPERANDS, count, NULL);
	}
	return -1;
}

int
pia_cmd_run(const struct pia_cmd *cmd, int argc, char **argv)
{
	struct pia_cmd_ctx ctx = { .cmd = cmd, .t0 = pia_clock_ms() };
	FILE *out = (cmd->flags & PIA_CMD_STDOUT) ? stdout : stderr;
	unsigned errors, messages;
	int rc;

	if ((rc = parse(cmd, &ctx, argc, argv)) >= 0)
		return rc;
	if (cmd->flags & (PIA_CMD_FORMS | PIA_CMD_LOAD)) {
		if (pia_cmd_begin(ctx.formdir, &ctx.d, &ctx.fs) != PIA_EXIT_OK)
			return PIA_EXIT_SYSTEM;
	} else
		ctx.d = pia_diag_new();
	rc = cmd->pre != NULL ? cmd->pre(&ctx) : PIA_EXIT_OK;
	if (rc == PIA_EXIT_OK && (cmd->flags & PIA_CMD_LOAD))
		if ((rc = pia_cmd_load(ctx.d, ctx.fs, ctx.args[0], &ctx.site, &ctx.report)) ==
		    PIA_EXIT_OK)
			pia_check_all(ctx.d, ctx.site, ctx.report, cmd->checks);
	if (rc == PIA_EXIT_OK)
		rc = cmd->run(&ctx);

	errors = pia_diag_count(ctx.d, PIA_LEVEL_ERROR);
	messages = errors + pia_diag_count(ctx.d, PIA_LEVEL_WARNING);
	if (!((cmd->flags & PIA_CMD_ERRORS) && errors == 0) && !(ctx.quiet && messages == 0)) {
		pia_diag_print(ctx.d, out);
		if (cmd->flags & PIA_CMD_SUMMARY)
			pia_diag_summary(ctx.d, out);
	}
	/* After the messages it follows from, so not in the sorted sink. */
	if (rc == PIA_EXIT_INVALID && ctx.kept != NULL)
		pia_cmd_error(PIA_MSG_OUT_KEPT, ctx.kept, NULL);
	pia_site_free(ctx.site);
	pia_report_free(ctx.report);
	pia_forms_free(ctx.fs);
	pia_diag_free(ctx.d);
	return rc;
}
