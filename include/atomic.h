/*
 * Writing output so that nothing is lost: the one atomic writer of pia
 * (util/atomic.c), the Japanese reason for a failed system call, and the
 * resolution of output paths that have not been created yet.
 *
 *  - A file is written to a temporary file beside it, synced and renamed
 *    over it (pia_atomic_write).
 *  - A folder is written whole into a temporary folder beside it, then
 *    swapped in; the old folder is removed last (pia_atomic_dir_*).
 *
 * Temporary names are "NAME.pia-tmp.PID.XXXXXX" (and "NAME.pia-old.PID.XXXXXX"
 * for a folder being replaced), NAME the target's name (its first 160
 * bytes).  A run killed with SIGKILL runs no cleanup handler; the next
 * write of the same target finds the names of a process that no longer
 * exists and removes them (a folder whose swap was cut in half is put back
 * instead), never names of a live process or any other name.
 *
 * The writers only set errno; callers report with pia_strerror.
 * May be included by any file of pia.
 */
#ifndef PIA_ATOMIC_H
#define PIA_ATOMIC_H

#include <stddef.h>

/*
 * The reason for errno e in Japanese, with the symbolic name for support
 * ("ディスクの空きが足りません（ENOSPC）"); strerror for the rare others.
 * Used by every message about a failed read or write.
 */
const char	*pia_strerror(int e);

/*
 * Write len bytes to path atomically.  An existing file keeps its
 * permission bits; a new one gets 0666 less the umask.  An existing device
 * or pipe (/dev/null, /dev/full, /dev/stdout) is written in place, as
 * replacing it would be wrong.  Refuses a folder or a name ending in "/"
 * (EISDIR).  Returns 0, or -1 with errno set and path as it was.
 */
int	 pia_atomic_write(const char *path, const void *data, size_t len);

/*
 * Create (or truncate) path and write len bytes, for the files inside a
 * temporary folder, which is swapped in whole.  A symbolic link at path
 * is not followed (ELOOP).  Returns 0, or -1 with errno set.
 */
int	 pia_write_file(const char *path, const void *data, size_t len);

/* A folder being written (pia_atomic_dir_begin ... _commit ... _end). */
struct pia_atomic_dir {
	char	*path;		/* the target */
	char	*tmp;		/* the temporary folder to fill */
	char	*old;		/* the previous target while it is removed */
	int	 slot;		/* util/cleanup.c slot */
	int	 done;		/* committed */
};

/* pia_atomic_dir_commit: fail with EEXIST/ENOTEMPTY rather than replace a folder. */
#define PIA_ATOMIC_NOREPLACE	0x1

/*
 * Start writing the folder path: remove stale temporary folders of dead
 * runs beside it, create a new empty one (a->tmp, mode 0755 less the
 * umask) and have SIGINT/SIGTERM remove it.  Returns 0, or -1 with errno.
 */
int	 pia_atomic_dir_begin(struct pia_atomic_dir *a, const char *path);

/*
 * Put a->tmp in the place of a->path with two renames (signals held
 * meanwhile), then remove the previous folder.  With PIA_ATOMIC_NOREPLACE
 * an existing non-empty path is left alone and the call fails.  Returns
 * 0, or -1 with errno; then path is as it was.
 */
int	 pia_atomic_dir_commit(struct pia_atomic_dir *a, int flags);

/* Finish: remove a->tmp unless committed, disarm the signal cleanup, free. */
void	 pia_atomic_dir_end(struct pia_atomic_dir *a);

/*
 * Remove the stale temporary files and folders of target (see above) in
 * its folder.  Called by the writers; exposed for tests.  Returns how many
 * were removed or put back.
 */
int	 pia_atomic_sweep(const char *target);

/*
 * The absolute path that path names, with ".", ".." and symbolic links of
 * its existing leading part resolved, and the rest (not created yet)
 * appended after removing "." and "..".  Caller frees; NULL with errno
 * when the current folder cannot be found.
 */
char	*pia_path_resolve(const char *path);

/*
 * How two resolved paths lie: PIA_PATH_SAME, PIA_PATH_INSIDE (a inside
 * b), PIA_PATH_CONTAINS (a an ancestor of b), or PIA_PATH_APART.
 */
enum pia_path_rel {
	PIA_PATH_APART,
	PIA_PATH_SAME,
	PIA_PATH_INSIDE,
	PIA_PATH_CONTAINS
};
enum pia_path_rel pia_path_relation(const char *a, const char *b);

#endif
