/*
 * What the commands share: find out what a path names, load it, check it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
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
	char *p = clean(path), *probe, *slash;
	size_t i;

	*site = NULL;
	*report = NULL;
	if (stat(p, &st) != 0) {
		fprintf(stderr, "pia: %s: ありません (no such file or folder)\n", p);
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
			fprintf(stderr, "pia: %s: コンテンツのフォルダー、評価書のフォルダー、"
			    "report.xml のいずれかを指定してください\n", p);
			free(p);
			return PIA_EXIT_SYSTEM;
		}
	}
	probe = xasprintf("%s/site.xml", p);
	if (stat(probe, &st) == 0) {
		if ((*site = pia_load_site(d, fs, p)) != NULL)
			for (i = 0; i < (*site)->nreports; i++)
				pia_check_report(d, (*site)->reports[i]);
		free(probe);
		free(p);
		return PIA_EXIT_OK;
	}
	free(probe);
	probe = xasprintf("%s/report.xml", p);
	if (stat(probe, &st) != 0) {
		fprintf(stderr, "pia: %s: site.xml も report.xml もありません\n", p);
		free(probe);
		free(p);
		return PIA_EXIT_SYSTEM;
	}
	free(probe);
	if ((*report = pia_load_report(d, fs, p, NULL)) != NULL)
		pia_check_report(d, *report);
	free(p);
	return PIA_EXIT_OK;
}

int
pia_cmd_begin(const char *dir, struct pia_diag **d, struct pia_forms **fs)
{
	*d = pia_diag_new();
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
	/* Output that cannot or must not be written is not the sources' fault. */
	static const enum pia_msg sys[] = { PIA_MSG_SYS_WRITE, PIA_MSG_PDF_WRITE,
	    PIA_MSG_OUT_CONTENT, PIA_MSG_OUT_NOT_SITE, PIA_MSG_OUT_NOT_DIR,
	    PIA_MSG_OUT_IS_DIR, PIA_MSG_OUT_SOURCE };
	size_t i;

	for (i = 0; i < sizeof(sys) / sizeof(sys[0]); i++)
		if (pia_diag_count_msg(d, sys[i]) > 0)
			return PIA_EXIT_SYSTEM;
	return pia_diag_count(d, PIA_LEVEL_ERROR) > 0 ? PIA_EXIT_INVALID : PIA_EXIT_OK;
}
