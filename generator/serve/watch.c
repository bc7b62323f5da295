/*
 * Watching the sources with inotify.  Folders are watched, not files:
 * editors save by writing a temporary file and renaming it over the old
 * one (or by deleting and creating), which a watch on the file itself
 * would lose.  Every folder below the content tree is watched, and new
 * ones as they appear.  A change is named by the report folder it is in
 * (reports/SLUG/…); site.xml, or a report folder coming or going, means
 * everything.  The editor's burst of events for one save is read as one
 * change: after the first event, more are read until quiet_ms pass
 * without one.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "serve.h"
#include "util.h"

#define WATCH_MASK	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | \
			 IN_DELETE | IN_DELETE_SELF | IN_ATTRIB | IN_ONLYDIR)
/* A save that keeps events coming longer than this is taken in parts. */
#define MAX_BURST_MS	500

struct pia_watch {
	int	  fd;
	char	 *dir;
	char	**rel;		/* by watch descriptor: the folder relative to dir ("" = dir) */
	size_t	  nrel;
};

static void
add(struct pia_watch *w, const char *rel)
{
	char *path = rel[0] ? xasprintf("%s/%s", w->dir, rel) : xstrdup(w->dir);
	struct dirent *e;
	DIR *dp;
	int wd;
	char *sub;

	wd = inotify_add_watch(w->fd, path, WATCH_MASK);
	if (wd >= 0) {
		if ((size_t)wd >= w->nrel) {
			w->rel = xrealloc(w->rel, ((size_t)wd + 1) * sizeof(*w->rel));
			memset(w->rel + w->nrel, 0, ((size_t)wd + 1 - w->nrel) * sizeof(*w->rel));
			w->nrel = (size_t)wd + 1;
		}
		free(w->rel[wd]);
		w->rel[wd] = xstrdup(rel);
	}
	if ((dp = opendir(path)) != NULL) {
		while ((e = readdir(dp)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			if (e->d_type == DT_DIR) {
				sub = rel[0] ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
				add(w, sub);
				free(sub);
			}
		}
		closedir(dp);
	}
	free(path);
}

struct pia_watch *
pia_watch_new(const char *dir)
{
	struct pia_watch *w = xcalloc(1, sizeof(*w));

	struct pia_pos pos = { dir, 0, 0 };

	if ((w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0) {
		pia_diag_now(stderr, &pos, PIA_MSG_SERVE_WATCH, strerror(errno));
		free(w);
		return NULL;
	}
	w->dir = xstrdup(dir);
	add(w, "");
	if (w->nrel == 0) {
		pia_diag_now(stderr, &pos, PIA_MSG_SERVE_WATCH, strerror(errno));
		pia_watch_free(w);
		return NULL;
	}
	return w;
}

void
pia_watch_free(struct pia_watch *w)
{
	size_t i;

	if (w == NULL)
		return;
	close(w->fd);
	for (i = 0; i < w->nrel; i++)
		free(w->rel[i]);
	free(w->rel);
	free(w->dir);
	free(w);
}

int
pia_watch_fd(const struct pia_watch *w)
{
	return w->fd;
}

void
pia_changes_clear(struct pia_changes *ch)
{
	size_t i;

	for (i = 0; i < ch->nslugs; i++)
		free(ch->slugs[i]);
	free(ch->slugs);
	memset(ch, 0, sizeof(*ch));
}

static void
add_slug(struct pia_changes *ch, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < ch->nslugs; i++)
		if (strlen(ch->slugs[i]) == n && strncmp(ch->slugs[i], s, n) == 0)
			return;
	ch->slugs = xrealloc(ch->slugs, (ch->nslugs + 1) * sizeof(*ch->slugs));
	ch->slugs[ch->nslugs++] = xstrndup(s, n);
}

/* Editors' side files: backups, swap files, vim's write test "4913". */
static int
ignored(const char *name)
{
	size_t n = strlen(name);

	return name[0] == '.' || name[0] == '#' || (n > 0 && name[n - 1] == '~') ||
	    strcmp(name, "4913") == 0;
}

/* One event; returns 1 when it matters. */
static int
event(struct pia_watch *w, const struct inotify_event *ev, struct pia_changes *ch)
{
	const char *rel, *slash;
	char *full;
	int matters = 0;

	if (ev->mask & IN_Q_OVERFLOW) {
		ch->all = 1;
		return 1;
	}
	if (ev->wd < 0 || (size_t)ev->wd >= w->nrel || w->rel[ev->wd] == NULL)
		return 0;
	rel = w->rel[ev->wd];
	if (ev->mask & IN_IGNORED) {
		free(w->rel[ev->wd]);
		w->rel[ev->wd] = NULL;
		return 0;
	}
	if (ev->len == 0 || ignored(ev->name))
		return 0;
	full = rel[0] ? xasprintf("%s/%s", rel, ev->name) : xstrdup(ev->name);
	if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)))
		add(w, full);
	if (strcmp(full, "site.xml") == 0 || strcmp(full, "reports") == 0)
		ch->all = matters = 1;
	else if (pia_startswith(full, "reports/")) {
		rel = full + 8;
		if ((slash = strchr(rel, '/')) != NULL) {
			add_slug(ch, rel, (size_t)(slash - rel));
			matters = 1;
		} else if (ev->mask & IN_ISDIR) {
			/* a report folder came or went */
			ch->all = matters = 1;
		}
	}
	free(full);
	return matters;
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

int
pia_watch_read(struct pia_watch *w, int quiet_ms, struct pia_changes *ch)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	struct pollfd pfd = { w->fd, POLLIN, 0 };
	struct timespec t0;
	ssize_t n;
	char *s;
	int matters = 0;

	pia_changes_clear(ch);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		n = read(w->fd, buf, sizeof(buf));
		if (n > 0) {
			for (s = buf; s < buf + n; s += sizeof(*ev) + ev->len) {
				ev = (const struct inotify_event *)s;
				if (event(w, ev, ch))
					matters = 1;
			}
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		/* Nothing waiting: wait a little for the rest of the save. */
		if (!matters || ms_since(&t0) > MAX_BURST_MS)
			break;
		if (poll(&pfd, 1, quiet_ms) <= 0)
			break;
	}
	return matters;
}
