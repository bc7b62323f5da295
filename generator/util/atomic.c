/*
 * The one atomic writer of pia (include/atomic.h): files through a synced
 * temporary file and a rename, folders through a temporary folder and two
 * renames; stale temporaries of killed runs are swept by the next write of
 * the same target.  Also the Japanese reasons for errno and the
 * resolution of output paths that do not exist yet, which the commands
 * use to refuse an output that would overwrite their sources.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "util.h"

/* Longest part of the target's name kept in a temporary name (NAME_MAX is 255). */
#define BASE_MAX	160

static const struct {
	int		 no;
	const char	*text;
} reasons[] = {
	{ ENOSPC,	"ディスクの空きが足りません（ENOSPC）" },
	{ EDQUOT,	"ディスクの使用量の上限（クォータ）を超えました（EDQUOT）" },
	{ EFBIG,	"ファイルの大きさの上限を超えました（EFBIG）" },
	{ EACCES,	"権限がありません（EACCES）" },
	{ EPERM,	"この操作は許可されていません（EPERM）" },
	{ EROFS,	"読み取り専用のディスクです（EROFS）" },
	{ EIO,		"ディスクの読み書きに失敗しました（EIO）" },
	{ ENOENT,	"ファイルまたはフォルダーがありません（ENOENT）" },
	{ ENOTDIR,	"途中にフォルダーではないものがあります（ENOTDIR）" },
	{ EISDIR,	"フォルダーです。ファイルの名前を指定してください（EISDIR）" },
	{ EEXIST,	"既にあります（EEXIST）" },
	{ ENOTEMPTY,	"フォルダーが空ではありません（ENOTEMPTY）" },
	{ ENAMETOOLONG,	"名前が長すぎます（ENAMETOOLONG）" },
	{ ELOOP,	"シンボリックリンクが多すぎるか循環しています（ELOOP）" },
	{ EMFILE,	"開いているファイルが多すぎます（EMFILE）" },
	{ ENFILE,	"システムで開いているファイルが多すぎます（ENFILE）" },
	{ ENOMEM,	"メモリが不足しています（ENOMEM）" },
	{ EXDEV,	"別のディスクへは移せません（EXDEV）" },
	{ EBUSY,	"使用中です（EBUSY）" },
	{ ETXTBSY,	"実行中のファイルです（ETXTBSY）" },
	{ EINVAL,	"この場所には書けません（EINVAL）" },
	{ EMLINK,	"リンクが多すぎます（EMLINK）" },
	{ EPIPE,	"読み手が閉じました（EPIPE）" },
};

const char *
pia_strerror(int e)
{
	size_t	 i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].no == e)
			return reasons[i].text;
	return strerror(e);
}

/*
 * A file over the size limit (ulimit -f) raises SIGXFSZ, which would kill
 * pia without a word; ignored, the write fails with EFBIG and is reported.
 */
static void
no_sigxfsz(void)
{
	signal(SIGXFSZ, SIG_IGN);
}

/* Split path into its folder ("." when none) and its last name; caller frees both. */
static void
split(const char *path, char **dir, char **base)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL) {
		*dir = xstrdup(".");
		*base = xstrdup(path);
	} else {
		*dir = slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
		*base = xstrdup(slash + 1);
	}
}

/* "DIR/NAME.pia-KIND.PID.XXXXXX" for target; caller frees. */
static char *
temp_name(const char *target, const char *kind)
{
	char	*dir, *base, *t;

	split(target, &dir, &base);
	t = xasprintf("%s/%.*s.pia-%s.%ld.XXXXXX", dir, BASE_MAX, base, kind,
	    (long)getpid());
	free(dir);
	free(base);
	return t;
}

/*
 * If name is "BASE.pia-tmp.PID.XXXXXX" or "BASE.pia-old.PID.XXXXXX",
 * return its pid and set *old; else 0.
 */
static long
temp_pid(const char *name, const char *base, int *old)
{
	size_t	 n = strlen(base), i;
	long	 pid = 0;

	if (n > BASE_MAX)
		n = BASE_MAX;
	if (strncmp(name, base, n) != 0)
		return 0;
	name += n;
	if (strncmp(name, ".pia-tmp.", 9) == 0)
		*old = 0;
	else if (strncmp(name, ".pia-old.", 9) == 0)
		*old = 1;
	else
		return 0;
	name += 9;
	if (!isdigit((unsigned char)*name))
		return 0;
	while (isdigit((unsigned char)*name)) {
		pid = pid * 10 + (*name++ - '0');
		if (pid > INT_MAX)
			return 0;
	}
	if (*name++ != '.')
		return 0;
	for (i = 0; i < 6; i++)
		if (!isalnum((unsigned char)name[i]))
			return 0;
	return name[6] == '\0' ? pid : 0;
}

/* 1 when no process has this pid (ours counts as alive: never sweep our own). */
static int
dead(long pid)
{
	if (pid == (long)getpid())
		return 0;
	return kill((pid_t)pid, 0) == -1 && errno == ESRCH;
}

int
pia_atomic_sweep(const char *target)
{
	struct dirent	*e;
	struct stat	 st;
	DIR		*dp;
	char		*dir, *base, *p;
	long		 pid;
	int		 old, n = 0, saved = errno;

	split(target, &dir, &base);
	if (*base == '\0' || (dp = opendir(dir)) == NULL)
		goto out;
	while ((e = readdir(dp)) != NULL) {
		if ((pid = temp_pid(e->d_name, base, &old)) <= 0 || !dead(pid))
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		/* mkstemp and mkdtemp make no symbolic links: such a name is not ours. */
		if (lstat(p, &st) == 0 && !S_ISLNK(st.st_mode)) {
			/* Killed between the two renames: the old folder is the only copy. */
			if (old && S_ISDIR(st.st_mode) && access(target, F_OK) != 0 &&
			    errno == ENOENT && rename(p, target) == 0)
				n++;
			else if (S_ISDIR(st.st_mode)) {
				pia_rm_tree(p);
				n++;
			} else if (S_ISREG(st.st_mode) && unlink(p) == 0)
				n++;
		}
		free(p);
	}
	closedir(dp);
out:
	free(dir);
	free(base);
	errno = saved;
	return n;
}

static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t	 w;

	while (len > 0) {
		if ((w = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {
			errno = ENOSPC;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Make the renames in dir durable; failures here change nothing written. */
static void
sync_dir_of(const char *path)
{
	char	*dir, *base;
	int	 fd;

	split(path, &dir, &base);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
	free(base);
}

static mode_t
new_mode(mode_t bits)
{
	mode_t	 mask = umask(022);

	umask(mask);
	return bits & ~mask;
}

/* Open path with flags, write all of data, close; -1 with errno when a step fails. */
static int
write_opened(const char *path, int flags, const void *data, size_t len)
{
	int	 fd, e;

	if ((fd = open(path, flags | O_WRONLY | O_CLOEXEC, 0666)) == -1)
		return -1;
	if (write_all(fd, data, len) != 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

/* Write into an existing device or pipe, which must not be replaced. */
static int
write_in_place(const char *path, const void *data, size_t len)
{
	return write_opened(path, O_NOCTTY, data, len);
}

int
pia_write_file(const char *path, const void *data, size_t len)
{
	no_sigxfsz();
	return write_opened(path, O_CREAT | O_TRUNC | O_NOFOLLOW, data, len);
}

int
pia_atomic_write(const char *path, const void *data, size_t len)
{
	sigset_t	 hold, was;
	struct stat	 st;
	mode_t		 mode;
	char		*real = NULL, *tmp;
	int		 fd, slot, e;

	no_sigxfsz();
	if (*path == '\0' || path[strlen(path) - 1] == '/') {
		errno = *path == '\0' ? ENOENT : EISDIR;
		return -1;
	}
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			return -1;
		}
		if (!S_ISREG(st.st_mode))
			return write_in_place(path, data, len);
		mode = st.st_mode & 07777;
		/* Through a symbolic link: replace the file it names, keep the link. */
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
		    (real = realpath(path, NULL)) != NULL)
			path = real;
	} else
		mode = new_mode(0666);
	pia_atomic_sweep(path);
	tmp = temp_name(path, "tmp");
	/* No SIGINT/SIGTERM between creating the temporary and arming its removal. */
	sigemptyset(&hold);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGTERM);
	sigprocmask(SIG_BLOCK, &hold, &was);
	if ((fd = mkstemp(tmp)) == -1) {
		e = errno;
		sigprocmask(SIG_SETMASK, &was, NULL);
		free(tmp);
		free(real);
		errno = e;
		return -1;
	}
	slot = pia_cleanup_push(tmp);
	sigprocmask(SIG_SETMASK, &was, NULL);
	if (fchmod(fd, mode) != 0 || write_all(fd, data, len) != 0 ||
	    fsync(fd) != 0) {
		e = errno;
		close(fd);
		goto fail;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		e = errno;
		goto fail;
	}
	pia_cleanup_pop(slot);
	sync_dir_of(path);
	free(tmp);
	free(real);
	return 0;
fail:
	unlink(tmp);
	pia_cleanup_pop(slot);
	free(tmp);
	free(real);
	errno = e;
	return -1;
}

int
pia_atomic_dir_begin(struct pia_atomic_dir *a, const char *path)
{
	size_t	 n;
	int	 e;

	no_sigxfsz();
	memset(a, 0, sizeof(*a));
	a->slot = -1;
	a->path = xstrdup(path);
	n = strlen(a->path);
	while (n > 1 && a->path[n - 1] == '/')
		a->path[--n] = '\0';
	pia_atomic_sweep(a->path);
	a->tmp = temp_name(a->path, "tmp");
	if (mkdtemp(a->tmp) == NULL) {
		e = errno;
		free(a->tmp);
		free(a->path);
		a->tmp = a->path = NULL;
		errno = e;
		return -1;
	}
	(void)chmod(a->tmp, new_mode(0777));
	a->slot = pia_cleanup_push(a->tmp);
	return 0;
}

static void
hold_signals(sigset_t *saved)
{
	sigset_t	 set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, saved);
}

int
pia_atomic_dir_commit(struct pia_atomic_dir *a, int flags)
{
	sigset_t	 saved;
	struct stat	 st;
	size_t		 n;
	int		 e;

	hold_signals(&saved);
	if (!(flags & PIA_ATOMIC_NOREPLACE) && lstat(a->path, &st) == 0) {
		/* The temporary name with "old" for "tmp": a name no one else has. */
		a->old = xstrdup(a->tmp);
		for (n = strlen(a->old) - 9; n > 0 && strncmp(a->old + n, ".pia-tmp.", 9) != 0; n--)
			;
		memcpy(a->old + n + 5, "old", 3);
		if (rename(a->path, a->old) != 0) {
			e = errno;
			free(a->old);
			a->old = NULL;
			goto fail;
		}
	}
	if (rename(a->tmp, a->path) != 0) {
		e = errno;
		if (a->old != NULL && rename(a->old, a->path) == 0) {
			free(a->old);
			a->old = NULL;
		}
		goto fail;
	}
	a->done = 1;
	/* The new folder is in place: from here a signal removes only the old one. */
	pia_cleanup_set(a->slot, a->old);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (a->old != NULL)
		pia_rm_tree(a->old);
	pia_cleanup_set(a->slot, NULL);
	sync_dir_of(a->path);
	return 0;
fail:
	sigprocmask(SIG_SETMASK, &saved, NULL);
	errno = e;
	return -1;
}

void
pia_atomic_dir_end(struct pia_atomic_dir *a)
{
	if (a->tmp != NULL && !a->done)
		pia_rm_tree(a->tmp);
	pia_cleanup_pop(a->slot);
	free(a->path);
	free(a->tmp);
	free(a->old);
	memset(a, 0, sizeof(*a));
	a->slot = -1;
}

char *
pia_path_resolve(const char *path)
{
	struct pia_buf	 b = { 0 };
	char		*abs, *real = NULL, *cut, *s, *name;
	char		 cwd[PATH_MAX];

	if (*path == '/')
		abs = xstrdup(path);
	else if (getcwd(cwd, sizeof(cwd)) == NULL)
		return NULL;
	else
		abs = xasprintf("%s/%s", cwd, path);
	/* The longest leading part that exists, resolved by the kernel. */
	cut = abs + strlen(abs);
	for (;;) {
		char	 c = *cut;

		*cut = '\0';
		real = realpath(*abs ? abs : "/", NULL);
		*cut = c;
		if (real != NULL || cut == abs)
			break;
		while (cut > abs && *--cut != '/')
			;
	}
	if (real == NULL)
		real = xstrdup("/");
	pia_buf_puts(&b, strcmp(real, "/") == 0 ? "" : real);
	free(real);
	/* The rest does not exist: "." and ".." by their names alone. */
	for (s = strtok_r(cut, "/", &name); s != NULL; s = strtok_r(NULL, "/", &name)) {
		if (strcmp(s, ".") == 0)
			continue;
		if (strcmp(s, "..") == 0) {
			while (b.len > 0 && b.data[--b.len] != '/')
				;
			if (b.len < b.cap)
				b.data[b.len] = '\0';
			continue;
		}
		pia_buf_putc(&b, '/');
		pia_buf_puts(&b, s);
	}
	free(abs);
	if (b.len == 0)
		pia_buf_putc(&b, '/');
	return pia_buf_take(&b);
}

enum pia_path_rel
pia_path_relation(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b);

	if (strcmp(a, b) == 0)
		return PIA_PATH_SAME;
	if (strcmp(b, "/") == 0 || (la > lb && strncmp(a, b, lb) == 0 && a[lb] == '/'))
		return PIA_PATH_INSIDE;
	if (strcmp(a, "/") == 0 || (lb > la && strncmp(a, b, la) == 0 && b[la] == '/'))
		return PIA_PATH_CONTAINS;
	return PIA_PATH_APART;
}
