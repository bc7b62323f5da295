/*
 * Shared by the libFuzzer targets of tests/fuzz/: a private temporary
 * folder per process and whole-file writes into it.  Targets that drive a
 * loader through files (report folders, change lists) use it; the others
 * call pia's functions on the bytes directly.
 */
#ifndef PIA_FUZZ_UTIL_H
#define PIA_FUZZ_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* A folder of this process under $TMPDIR (or /tmp); made once. */
static inline const char *
fuzz_dir(void)
{
	static char *dir;
	const char *t;

	if (dir == NULL) {
		t = getenv("TMPDIR");
		dir = xasprintf("%s/pia-fuzz.XXXXXX", t && *t ? t : "/tmp");
		if (mkdtemp(dir) == NULL) {
			perror(dir);
			abort();
		}
	}
	return dir;
}

/* Write data to dir/rel, replacing it; aborts on failure (a harness bug). */
static inline void
fuzz_write(const char *rel, const void *data, size_t size)
{
	char *path = xasprintf("%s/%s", fuzz_dir(), rel);
	FILE *f = fopen(path, "wb");

	if (f == NULL || (size > 0 && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
		perror(path);
		abort();
	}
	free(path);
}

/* Messages go to a sink the targets never print; stdout is not needed either. */
static inline void
fuzz_quiet(void)
{
	if (freopen("/dev/null", "w", stdout) == NULL)
		abort();
}

#endif
