/*
 * File reading and small string helpers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <ftw.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

int
pia_read_file(const char *path, size_t max, char **out, size_t *len)
{
	struct stat st;
	FILE *f;
	char *p;
	size_t n;
	int fd;

	*out = NULL;
	*len = 0;
	/* O_NONBLOCK: a FIFO or device given as a source must not hang pia. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1) {
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		return -1;
	}
	if ((f = fdopen(fd, "rb")) == NULL) {
		close(fd);
		return -1;
	}
	if ((size_t)st.st_size > max) {
		fclose(f);
		return -2;
	}
	p = xmalloc((size_t)st.st_size + 1);
	n = fread(p, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		free(p);
		fclose(f);
		errno = EIO;
		return -1;
	}
	fclose(f);
	p[n] = '\0';
	*out = p;
	*len = n;
	return 0;
}

static int
is_space_at(const char *s, size_t *k)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
		*k = 1;
		return 1;
	}
	if ((unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 &&
	    (unsigned char)s[2] == 0x80) {
		*k = 3;		/* U+3000 IDEOGRAPHIC SPACE */
		return 1;
	}
	return 0;
}

char *
pia_strtrim(const char *s)
{
	size_t k, len;
	const char *end;

	while (*s && is_space_at(s, &k))
		s += k;
	len = strlen(s);
	end = s + len;
	for (;;) {
		if (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
		    end[-1] == '\n' || end[-1] == '\r'))
			end--;
		else if (end - s >= 3 && (unsigned char)end[-3] == 0xE3 &&
		    (unsigned char)end[-2] == 0x80 && (unsigned char)end[-1] == 0x80)
			end -= 3;
		else
			break;
	}
	return xstrndup(s, (size_t)(end - s));
}

int
pia_startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

double
pia_clock_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
pia_rm_tree(const char *path)
{
	/* FTW_PHYS: a symbolic link is removed, never followed. */
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int
pia_path_inside(const char *root, const char *path)
{
	char *real = realpath(path, NULL), *rroot = realpath(root, NULL);
	size_t rl;
	int rc;

	if (real == NULL)
		rc = -1;
	else if (rroot == NULL || strncmp(real, rroot, (rl = strlen(rroot))) != 0 ||
	    (real[rl] != '/' && real[rl] != '\0'))
		rc = 0;
	else
		rc = 1;
	free(real);
	free(rroot);
	return rc;
}
