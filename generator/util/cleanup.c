/*
 * Files and folders to remove if SIGINT or SIGTERM ends pia while it
 * writes them: the temporary site folder of pia build, the temporary
 * PDF beside FILE.pdf.  An interrupted run then leaves neither half a
 * site nor a stray temporary file, and re-raises the signal so the exit
 * status still says what happened; exit() on running out of memory removes
 * them as well.  SIGKILL runs nothing: the next write of the same target
 * sweeps what is left (util/atomic.c).  Writers nest (the site writer writes
 * PDFs), so the paths form a small stack.  The handler uses only
 * async-signal-safe calls: openat, getdents64, unlinkat, close, lseek,
 * sigaction, raise, kill, waitpid.
 *
 * pia build -j forks workers that write into the temporary site folder:
 * the handler kills and reaps them before it removes the folder (else a
 * worker still writing leaves it behind), and a worker itself removes
 * nothing of its parent's.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

#define NSLOT	4

static char			path[NSLOT][4096];
static volatile sig_atomic_t	armed[NSLOT];
static int			depth;
static int			registered;
static struct sigaction		saved_int, saved_term;
static pid_t			workers[64];
static volatile sig_atomic_t	nworkers;

/* Remove name (below dirfd) and all it holds; returns 0 when it is gone. */
static int
rm_at(int dirfd, const char *name, int level)
{
	char		 buf[4096];
	struct dirent64	*e;
	ssize_t		 n, off;
	int		 fd, removed;

	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return unlinkat(dirfd, name, 0);
	/* Entries removed while reading may hide others: read again until none goes. */
	do {
		removed = 0;
		lseek(fd, 0, SEEK_SET);
		while ((n = getdents64(fd, buf, sizeof(buf))) > 0)
			for (off = 0; off < n; off += e->d_reclen) {
				e = (struct dirent64 *)(buf + off);
				if (strcmp(e->d_name, ".") == 0 ||
				    strcmp(e->d_name, "..") == 0)
					continue;
				if ((e->d_type == DT_DIR && level < 32 ?
				    rm_at(fd, e->d_name, level + 1) :
				    unlinkat(fd, e->d_name, 0)) == 0)
					removed = 1;
			}
	} while (removed && n == 0);
	close(fd);
	return unlinkat(dirfd, name, AT_REMOVEDIR);
}

static void
on_signal(int sig)
{
	int	 i;

	for (i = 0; i < nworkers; i++)
		kill(workers[i], SIGKILL);
	for (i = 0; i < nworkers; i++)
		while (waitpid(workers[i], NULL, 0) == -1 && errno == EINTR)
			;
	nworkers = 0;
	for (i = NSLOT - 1; i >= 0; i--)
		if (armed[i])
			rm_at(AT_FDCWD, path[i], 0);
	sigaction(SIGINT, &saved_int, NULL);
	sigaction(SIGTERM, &saved_term, NULL);
	raise(sig);
}

/*
 * exit() with a slot armed (the single fatal path: out of memory in
 * util/xalloc.c) removes the paths too; every other exit has popped them.
 */
static void
at_exit(void)
{
	int	 i;

	for (i = NSLOT - 1; i >= 0; i--)
		if (armed[i])
			rm_at(AT_FDCWD, path[i], 0);
}

static void
block(sigset_t *old)
{
	sigset_t	 set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, old);
}

int
pia_cleanup_push(const char *p)
{
	struct sigaction	 sa;
	sigset_t		 old;
	int			 slot = -1;

	block(&old);
	if (!registered)
		registered = atexit(at_exit) == 0;
	if (depth == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaddset(&sa.sa_mask, SIGINT);
		sigaddset(&sa.sa_mask, SIGTERM);
		/* A signal ignored by whoever started pia (nohup, a background job) stays ignored. */
		sigaction(SIGINT, NULL, &saved_int);
		sigaction(SIGTERM, NULL, &saved_term);
		if (saved_int.sa_handler != SIG_IGN)
			sigaction(SIGINT, &sa, NULL);
		if (saved_term.sa_handler != SIG_IGN)
			sigaction(SIGTERM, &sa, NULL);
	}
	if (depth < NSLOT) {
		slot = depth++;
		armed[slot] = 0;
		if (p != NULL && strlen(p) < sizeof(path[slot])) {
			memcpy(path[slot], p, strlen(p) + 1);
			armed[slot] = 1;
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return slot;
}

void
pia_cleanup_set(int slot, const char *p)
{
	sigset_t	 old;

	if (slot < 0 || slot >= NSLOT)
		return;
	block(&old);
	armed[slot] = 0;
	if (p != NULL && strlen(p) < sizeof(path[slot])) {
		memcpy(path[slot], p, strlen(p) + 1);
		armed[slot] = 1;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

void
pia_cleanup_pop(int slot)
{
	sigset_t	 old;

	if (slot < 0 || slot >= NSLOT)
		return;
	block(&old);
	while (depth > slot)
		armed[--depth] = 0;
	if (depth == 0) {
		sigaction(SIGINT, &saved_int, NULL);
		sigaction(SIGTERM, &saved_term, NULL);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

void
pia_cleanup_block(sigset_t *old)
{
	block(old);
}

void
pia_cleanup_workers(const pid_t *v, size_t n)
{
	sigset_t	 old;
	size_t		 i;

	block(&old);
	nworkers = 0;
	for (i = 0; i < n && i < sizeof(workers) / sizeof(workers[0]); i++)
		workers[i] = v[i];
	nworkers = (sig_atomic_t)i;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

void
pia_cleanup_in_worker(void)
{
	int	 i;

	nworkers = 0;
	for (i = 0; i < NSLOT; i++)
		armed[i] = 0;
}
