/*
 * Unit tests for the atomic writer (include/atomic.h): output path
 * resolution and relations, the Japanese errno reasons, file and folder
 * writes, and the sweep of temporaries left by a killed run: removed when
 * their process is gone, kept while it lives, an old folder put back when
 * a swap was cut in half, and names that are not pia's left alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atomic.h"
#include "unit.h"
#include "util.h"

static char	 top[] = "/tmp/pia-unit-atomic.XXXXXX";

static int
exists(const char *rel)
{
	struct stat	 st;
	char		*p = xasprintf("%s/%s", top, rel);
	int		 ok = lstat(p, &st) == 0;

	free(p);
	return ok;
}

static void
make(const char *rel, int dir)
{
	char	*p = xasprintf("%s/%s", top, rel);
	int	 fd;

	if (dir)
		mkdir(p, 0755);
	else if ((fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644)) != -1)
		close(fd);
	free(p);
}

static char *
slurp(const char *rel)
{
	char	*p = xasprintf("%s/%s", top, rel), *data = NULL;
	size_t	 len;

	if (pia_read_file(p, 1 << 20, &data, &len) != 0)
		data = NULL;
	free(p);
	return data;
}

/* A pid that no process has: a child that has exited and been reaped. */
static long
dead_pid(void)
{
	pid_t	 pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return (long)pid;
}

/* pia_path_resolve of top/rel. */
static char *
resolved(const char *rel)
{
	char	*in = xasprintf("%s/%s", top, rel), *p = pia_path_resolve(in);

	free(in);
	return p;
}

static void
resolve(void)
{
	char	*p, *want;

	p = pia_path_resolve(top);
	EXPECT_STR(p, top);
	free(p);
	make("a", 1);
	make("a/b", 1);
	want = xasprintf("%s/a/new/x", top);
	p = resolved("a/b/../new/./x/");
	EXPECT_STR(p, want);
	free(p);
	free(want);
	/* ".." of a part that does not exist yet is taken by name. */
	want = xasprintf("%s/a", top);
	p = resolved("a/none/..");
	EXPECT_STR(p, want);
	free(p);
	free(want);
	/* A symbolic link is followed. */
	p = xasprintf("%s/link", top);
	want = xasprintf("%s/a/b", top);
	EXPECT(symlink(want, p) == 0);
	free(p);
	p = resolved("link/c");
	free(want);
	want = xasprintf("%s/a/b/c", top);
	EXPECT_STR(p, want);
	free(p);
	free(want);
	p = pia_path_resolve("/");
	EXPECT_STR(p, "/");
	free(p);

	EXPECT_INT(pia_path_relation("/a/b", "/a/b"), PIA_PATH_SAME);
	EXPECT_INT(pia_path_relation("/a/b/c", "/a/b"), PIA_PATH_INSIDE);
	EXPECT_INT(pia_path_relation("/a", "/a/b"), PIA_PATH_CONTAINS);
	EXPECT_INT(pia_path_relation("/", "/a/b"), PIA_PATH_CONTAINS);
	EXPECT_INT(pia_path_relation("/a/b", "/"), PIA_PATH_INSIDE);
	EXPECT_INT(pia_path_relation("/a/bc", "/a/b"), PIA_PATH_APART);
	EXPECT_INT(pia_path_relation("/a/b", "/a/bc"), PIA_PATH_APART);
}

static void
reasons(void)
{
	EXPECT_STR(pia_strerror(ENOSPC), "ディスクの空きが足りません（ENOSPC）");
	EXPECT_STR(pia_strerror(EROFS), "読み取り専用のディスクです（EROFS）");
	EXPECT(strstr(pia_strerror(EACCES), "EACCES") != NULL);
	EXPECT(strstr(pia_strerror(EDQUOT), "EDQUOT") != NULL);
	EXPECT(strstr(pia_strerror(EIO), "EIO") != NULL);
}

static void
files(void)
{
	char	*p = xasprintf("%s/f.txt", top), *data;
	struct stat st;

	EXPECT_INT(pia_atomic_write(p, "one", 3), 0);
	EXPECT(chmod(p, 0600) == 0);
	EXPECT_INT(pia_atomic_write(p, "two", 3), 0);
	EXPECT_STR((data = slurp("f.txt")), "two");
	free(data);
	EXPECT(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600);
	free(p);
	/* A folder, or a name ending in "/", is not a file to replace. */
	p = xasprintf("%s/a", top);
	errno = 0;
	EXPECT_INT(pia_atomic_write(p, "x", 1), -1);
	EXPECT_INT(errno, EISDIR);
	free(p);
	p = xasprintf("%s/g.txt/", top);
	EXPECT_INT(pia_atomic_write(p, "x", 1), -1);
	EXPECT(!exists("g.txt"));
	free(p);
	/* A device is written in place, and its failure has its reason. */
	errno = 0;
	EXPECT_INT(pia_atomic_write("/dev/full", "x", 1), -1);
	EXPECT_INT(errno, ENOSPC);
	EXPECT_INT(pia_atomic_write("/dev/null", "x", 1), 0);
}

static void
folders(void)
{
	struct pia_atomic_dir	 a;
	char			*p = xasprintf("%s/site", top), *q, *data;

	EXPECT_INT(pia_atomic_dir_begin(&a, p), 0);
	q = xasprintf("%s/index.html", a.tmp);
	EXPECT_INT(pia_write_file(q, "new", 3), 0);
	free(q);
	EXPECT_INT(pia_atomic_dir_commit(&a, 0), 0);
	pia_atomic_dir_end(&a);
	EXPECT_STR((data = slurp("site/index.html")), "new");
	free(data);
	/* Replaced whole; an abandoned write leaves the folder as it was. */
	EXPECT_INT(pia_atomic_dir_begin(&a, p), 0);
	pia_atomic_dir_end(&a);
	EXPECT_STR((data = slurp("site/index.html")), "new");
	free(data);
	/* NOREPLACE leaves a folder with files alone. */
	EXPECT_INT(pia_atomic_dir_begin(&a, p), 0);
	EXPECT_INT(pia_atomic_dir_commit(&a, PIA_ATOMIC_NOREPLACE), -1);
	pia_atomic_dir_end(&a);
	EXPECT_STR((data = slurp("site/index.html")), "new");
	free(data);
	free(p);
}

/* Nothing but want[] in the folder top. */
static void
only(const char *const *want, size_t n)
{
	char	 cmd[256];
	FILE	*f;
	char	 line[256];
	size_t	 i, got = 0;
	int	 known;

	snprintf(cmd, sizeof(cmd), "ls -A %s", top);
	if ((f = popen(cmd, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		for (known = 0, i = 0; i < n; i++)
			known |= strcmp(line, want[i]) == 0;
		if (!known)
			fprintf(stderr, "unexpected: %s\n", line);
		EXPECT(known);
		got++;
	}
	pclose(f);
	EXPECT_INT(got, n);
}

static void
sweep(void)
{
	long	 gone = dead_pid();
	char	 name[128], live[128], old[128], *p, *q, *data;
	static const char *const after[] = { "a", "link", "f.txt", "site",
	    "site.pia-tmp.1x.abcdef", "site.pia-tmp.123.abc", "other.pia-tmp.1.abcdef",
	    "site-2.pia-tmp.1.abcdef", NULL };

	/* Temporaries of a dead run: a folder with files and a file. */
	snprintf(name, sizeof(name), "site.pia-tmp.%ld.Q1w2E3", gone);
	make(name, 1);
	p = xasprintf("%s/in", name);
	make(p, 0);
	free(p);
	snprintf(name, sizeof(name), "site.pia-tmp.%ld.zzzzzz", gone);
	make(name, 0);
	/* Of live runs (this one, and pid 1): kept. */
	snprintf(live, sizeof(live), "site.pia-tmp.%ld.AAAAAA", (long)getpid());
	make(live, 1);
	make("site.pia-tmp.1.BBBBBB", 1);
	/* Not pia's names, or another target's. */
	make("site.pia-tmp.1x.abcdef", 1);
	make("site.pia-tmp.123.abc", 1);
	make("other.pia-tmp.1.abcdef", 1);
	make("site-2.pia-tmp.1.abcdef", 1);
	p = xasprintf("%s/site", top);
	EXPECT_INT(pia_atomic_sweep(p), 2);
	{
		const char *want[] = { after[0], after[1], after[2], after[3], after[4],
		    after[5], after[6], after[7], live, "site.pia-tmp.1.BBBBBB" };
		only(want, sizeof(want) / sizeof(want[0]));
	}

	/* Killed between the two renames: the old folder comes back. */
	snprintf(old, sizeof(old), "site.pia-old.%ld.CcDdEe", gone);
	q = xasprintf("%s/%s", top, old);
	EXPECT(rename(p, q) == 0);
	free(q);
	snprintf(name, sizeof(name), "site.pia-tmp.%ld.CcDdEe", gone);
	make(name, 1);
	EXPECT_INT(pia_atomic_sweep(p), 2);
	EXPECT_STR((data = slurp("site/index.html")), "new");
	free(data);
	snprintf(name, sizeof(name), "site.pia-tmp.%ld.CcDdEe", gone);
	EXPECT(!exists(name));
	free(p);
}

int
main(void)
{
	if (mkdtemp(top) == NULL)
		return 1;
	resolve();
	reasons();
	files();
	folders();
	sweep();
	pia_rm_tree(top);
	return UNIT_DONE("atomic");
}
