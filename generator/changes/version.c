/*
 * Published versions of a report: snapshot folders under REPORT/published/
 * named by the Gregorian date of their 公表日 (YYYY-MM-DD, so that names
 * sort), each holding report.xml, sections/ and changes.xml as published.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "util.h"
#include "wareki.h"

char *
pia_version_name(const struct pia_date *d, char *buf, size_t size)
{
	if (snprintf(buf, size, "%04d-%02d-%02d", d->year, d->month, d->day) >= (int)size)
		return NULL;
	return buf;
}

/* "2025-08-29" → date; -1 for any other name. */
static int
parse_name(const char *s, struct pia_date *d)
{
	int n = 0;
	char check[16];

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &d->year, &d->month, &d->day, &n) != 3 ||
	    n != 10 || !pia_date_valid(d) || d->day == 0)
		return -1;
	/* Exactly the canonical spelling: no "2025-8-29 " look-alikes. */
	if (pia_version_name(d, check, sizeof(check)) == NULL || strcmp(check, s) != 0)
		return -1;
	return 0;
}

char *
pia_version_latest(const char *dir, struct pia_date *out)
{
	return pia_version_before(dir, NULL, out);
}

char *
pia_version_before(const char *dir, const struct pia_date *limit, struct pia_date *out)
{
	char *pdir = xasprintf("%s/published", dir), *best = NULL;
	struct pia_date d, bd;
	struct dirent *e;
	DIR *D;

	memset(&bd, 0, sizeof(bd));
	if ((D = opendir(pdir)) == NULL) {
		free(pdir);
		return NULL;
	}
	while ((e = readdir(D)) != NULL) {
		if (parse_name(e->d_name, &d) != 0 || (limit != NULL && pia_date_cmp(&d, limit) >= 0))
			continue;
		/*
		 * Every entry named by a date is a version, even one that cannot
		 * be read (a file, no permission, no report.xml): the loader says
		 * why, rather than an older version being used in silence.
		 */
		if (best == NULL || pia_date_cmp(&d, &bd) > 0) {
			free(best);
			best = xasprintf("%s/%s", pdir, e->d_name);
			bd = d;
		}
	}
	closedir(D);
	free(pdir);
	if (best != NULL && out != NULL)
		*out = bd;
	return best;
}
