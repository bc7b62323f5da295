/*
 * pia serve: the live preview.  Three parts, driven by cmd/serve.c:
 *   serve/preview.c  the site rendered in memory (path → bytes), rendered
 *                    again one report at a time, the diagnostics of the
 *                    last attempt, the generation counter that tells open
 *                    pages to reload, and the PDFs made on request;
 *   serve/server.c   HTTP with libmicrohttpd: safe paths, the reload
 *                    script and diagnostics panel put into every page,
 *                    server-sent events on /__pia/events;
 *   serve/watch.c    inotify on the content tree; an editor's burst of
 *                    events for one save becomes one change.
 * For cmd/serve.c and serve/ only.
 */
#ifndef PIA_SERVE_H
#define PIA_SERVE_H

#include <stddef.h>
#include <stdio.h>

#include "util.h"

struct pia_forms;

/* ---- preview.c --------------------------------------------------------- */

struct pia_preview;

/*
 * Load, check and render the content tree dir (with the theme in themedir,
 * NULL: the default) into memory.  Reports with errors are shown as they
 * are; one whose sources do not load (a FATAL message about it) is left
 * out.  Every message is shown on every page.  Messages and progress go to log.
 * Returns NULL after printing why when dir has no site.xml or the theme
 * or a temporary folder cannot be had.  fs must outlive the preview.
 */
struct pia_preview	*pia_preview_new(const struct pia_forms *, const char *dir,
			    const char *themedir, FILE *log);
void			 pia_preview_free(struct pia_preview *);

/*
 * Load and check again the report folder reports/slug (slug NULL: the
 * whole tree, site.xml too).  Unless it has a FATAL message its page and
 * the site's common pages are rendered again; otherwise the last good
 * render stays.  Its messages are shown either way.  Either way open pages are told to reload.
 * Called by one thread (the watcher) only.
 */
void	pia_preview_rebuild(struct pia_preview *, const char *slug);

/* What the server answers for a path of the site. */
struct pia_reply {
	int		 status;	/* 200, 404, or 500 (a PDF could not be made) */
	const char	*type;		/* Content-Type */
	struct pia_buf	 body;		/* caller frees */
	int		 page;		/* 1: an HTML page to put the panel and script into */
	struct pia_buf	 panel;		/* the diagnostics panel (HTML), caller frees */
	unsigned long	 generation;	/* of the site the reply was taken from */
};

/*
 * The file at key ("index.html", "01-jumin/index.html", "assets/pia.css",
 * "01-jumin/01-jumin.pdf"), which must already be a safe relative path
 * (server.c checks).  A report's PDF is made here when its sources changed
 * since the last one.  Fills *out (status 404 with an empty body when
 * there is no such file); 1 in *dir_index when key names a folder whose
 * key/index.html exists (the server redirects to key/).
 */
void	pia_preview_get(struct pia_preview *, const char *key, struct pia_reply *out,
	    int *dir_index);

/* The generation now: it changes with every rebuild. */
unsigned long pia_preview_generation(struct pia_preview *);

/*
 * Wait until the generation differs from seen (1, *now set), timeout_ms
 * passes (0), or pia_preview_stop was called (-1).  For event streams.
 */
int	pia_preview_wait(struct pia_preview *, unsigned long seen, unsigned long *now,
	    int timeout_ms);

/* Wake every waiter for good: the server is stopping. */
void	pia_preview_stop(struct pia_preview *);

/* ---- server.c ---------------------------------------------------------- */

struct pia_server;

/*
 * Serve the preview on addr (an IPv4 or IPv6 address; the caller passes
 * 127.0.0.1 unless told otherwise) and port (0: any free port).  Returns
 * NULL after printing why.
 */
struct pia_server	*pia_server_start(struct pia_preview *, const char *addr,
			    unsigned port);
/* The port listened on. */
unsigned		 pia_server_port(const struct pia_server *);
/* Stop: end the event streams, close connections, join the threads. */
void			 pia_server_stop(struct pia_server *);

/*
 * 1 when a decoded request path may name a file of the site: it starts
 * with '/', and has no "..", backslash, control character or "//".
 * Exposed for the unit test.
 */
int	pia_serve_path_ok(const char *);

/* ---- watch.c ----------------------------------------------------------- */

struct pia_watch;

/* What changed: every report folder touched, or everything. */
struct pia_changes {
	int	  all;		/* site.xml, a report added or removed, lost events */
	char	**slugs;
	size_t	  nslugs;
};

/* Watch every folder below dir.  NULL after printing why. */
struct pia_watch	*pia_watch_new(const char *dir);
void			 pia_watch_free(struct pia_watch *);
/* The descriptor to poll for input. */
int			 pia_watch_fd(const struct pia_watch *);

/*
 * Read the events waiting, then more until quiet_ms pass without one (an
 * editor's save is several events), into *ch (emptied first).  Returns 1
 * when something that matters changed, else 0.
 */
int	pia_watch_read(struct pia_watch *, int quiet_ms, struct pia_changes *ch);
void	pia_changes_clear(struct pia_changes *);

#endif
