/*
 * Folders made with their parents (pia new into a reports/ not made yet).
 * System errors in Japanese are pia_strerror (util/atomic.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

int
pia_mkdir_parents(const char *path)
{
	char *p = xstrdup(path), *s;
	struct stat st;
	int rc = 0;

	/* Each ancestor in turn; one that is there already is fine if it is a folder. */
	for (s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		if (s[-1] != '/') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0777) != 0 && (errno != EEXIST ||
			    stat(p, &st) != 0 || !S_ISDIR(st.st_mode))) {
				if (errno == EEXIST)
					errno = ENOTDIR;
				rc = -1;
			}
			*s = c;
		}
		if (*s == '\0')
			break;
	}
	free(p);
	return rc;
}
