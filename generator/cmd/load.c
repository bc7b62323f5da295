/*
 * What the commands share: find out what a path names and load it (the
 * runner then checks it, pia_check_all).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "diag.h"
#include "form.h"
#include "load.h"
#include "model.h"
#include "util.h"

/* "content/" → "content": messages then read content/reports/…, not content//reports/… */
static char *
clean(const char *path)
{
	char *p = xstrdup(path);
	size_t n = strlen(p);

	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	return p;
}

int
pia_cmd_load(struct pia_diag *d, const struct pia_forms *fs, const char *path,
    struct pia_site **site, struct pia_report **report)
{
	struct stat st;
	struct pia_pos pos;
	char *p = clean(path), *probe, *slash;

	*site = NULL;
	*report = NULL;
	pos.file = p;
	pos.line = pos.col = 0;
	if (stat(p, &st) != 0) {
		pia_diag(d, &pos, PIA_MSG_ARG_MISSING);
		free(p);
		return PIA_EXIT_SYSTEM;
	}
	if (S_ISREG(st.st_mode)) {
		/* A report.xml: its folder is the report. */
		if ((slash = strrchr(p, '/')) != NULL && strcmp(slash + 1, "report.xml") == 0)
			*slash = '\0';
		else if (strcmp(p, "report.xml") == 0)
			strcpy(p, ".");
		else {
			pia_diag(d, &pos, PIA_MSG_ARG_KIND);
			free(p);
			return PIA_EXIT_SYSTEM;
		}
	}
	probe = xasprintf("%s/site.xml", p);
	/* lstat: a dangling site.xml link still makes this a content tree, and an error. */
	if (lstat(probe, &st) == 0) {
		*site = pia_load_site(d, fs, p);
		free(probe);
		free(p);
		return PIA_EXIT_OK;
	}
	free(probe);
	probe = xasprintf("%s/report.xml", p);
	if (stat(probe, &st) != 0) {
		pia_diag(d, &pos, PIA_MSG_ARG_NOSOURCE);
		free(probe);
		free(p);
		return PIA_EXIT_SYSTEM;
	}
	free(probe);
	*report = pia_load_report(d, fs, p, NULL);
	free(p);
	return PIA_EXIT_OK;
}

/* --strict, taken off the command line by main.c before the command parses it. */
static int strict;

void
pia_cmd_set_strict(int on)
{
	strict = on;
}

int
pia_cmd_begin(const char *dir, struct pia_diag **d, struct pia_forms **fs)
{
	*d = pia_diag_new();
	pia_diag_set_strict(*d, strict);
	if ((*fs = pia_forms_load(*d, dir)) == NULL) {
		pia_diag_print(*d, stderr);
		pia_diag_free(*d);
		*d = NULL;
		return PIA_EXIT_SYSTEM;
	}
	return PIA_EXIT_OK;
}

int
pia_cmd_status(const struct pia_diag *d)
{
	return pia_diag_status(d);
}
