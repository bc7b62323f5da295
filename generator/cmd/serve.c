/*
 * pia serve CONTENT [--port N] [--listen ADDR]: the live preview.  The
 * site is rendered into memory and served on 127.0.0.1 (serve/server.c);
 * the main thread watches the sources (serve/watch.c) and renders again
 * the report that changed (serve/preview.c); open pages reload by
 * themselves and show the messages of the last build.  Ctrl-C (SIGINT)
 * or SIGTERM stop it cleanly with exit status 0.
 *
 * The signals are blocked in every thread and read from a signalfd in the
 * main loop, beside the inotify descriptor: one poll, no handler racing
 * the rebuild.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "diag.h"
#include "form.h"
#include "pia.h"
#include "serve.h"
#include "util.h"

/* How long an editor's save may keep sending events before it is taken as one. */
#define QUIET_MS	15

enum { OPT_PORT, OPT_LISTEN, OPT_THEME };

static const struct pia_cmd_opt serve_opts[] = {
	[OPT_PORT] = { "port", 'p', 1, 0 },
	[OPT_LISTEN] = { "listen", 0, 1, 0 },
	[OPT_THEME] = { "theme", 0, 1, 0 },
	{ NULL, 0, 0, 0 }
};

/* Until SIGINT or SIGTERM: rebuild what the watcher says changed. */
static int
loop(struct pia_diag *d, int sfd, struct pia_watch *w, struct pia_preview *p)
{
	struct pia_changes ch = { 0 };
	struct signalfd_siginfo si;
	struct pollfd pfd[2];
	size_t i;

	pfd[0].fd = sfd;
	pfd[0].events = POLLIN;
	pfd[1].fd = pia_watch_fd(w);
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			pia_diag(d, NULL, PIA_MSG_SYS_CALL, "poll", strerror(errno));
			pia_changes_clear(&ch);
			return PIA_EXIT_SYSTEM;
		}
		if ((pfd[0].revents & POLLIN) &&
		    read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
			break;
		if ((pfd[1].revents & POLLIN) && pia_watch_read(w, QUIET_MS, &ch)) {
			if (ch.all)
				pia_preview_rebuild(p, NULL);
			else
				for (i = 0; i < ch.nslugs; i++)
					pia_preview_rebuild(p, ch.slugs[i]);
		}
	}
	pia_changes_clear(&ch);
	puts("プレビューを終えました。");
	return PIA_EXIT_OK;
}

static int
serve(struct pia_cmd_ctx *ctx)
{
	const char *addr = ctx->opt[OPT_LISTEN] ? ctx->opt[OPT_LISTEN] : "127.0.0.1";
	const char *content = ctx->args[0], *port_arg = ctx->opt[OPT_PORT];
	struct pia_preview *p = NULL;
	struct pia_server *srv = NULL;
	struct pia_watch *w = NULL;
	sigset_t sigs, old;
	unsigned long port = 8080;
	struct stat st;
	char *end, *probe;
	int sfd, rc = PIA_EXIT_SYSTEM;

	if (port_arg != NULL) {
		errno = 0;
		port = strtoul(port_arg, &end, 10);
		if (errno != 0 || *port_arg == '\0' || *end != '\0' || port > 65535) {
			pia_diag(ctx->d, NULL, PIA_MSG_USAGE_PORT, port_arg);
			return PIA_EXIT_SYSTEM;
		}
	}
	probe = xasprintf("%s/site.xml", content);
	rc = stat(probe, &st) == 0 ? PIA_EXIT_OK : PIA_EXIT_SYSTEM;
	free(probe);
	if (rc != PIA_EXIT_OK) {
		pia_diag(ctx->d, NULL, PIA_MSG_USAGE_SITE, content);
		return rc;
	}
	if (strcmp(addr, "127.0.0.1") != 0 && strcmp(addr, "::1") != 0) {
		pia_diag(ctx->d, NULL, PIA_MSG_USAGE_LISTEN, addr);
		pia_diag_print(ctx->d, stderr);
	}

	/* Blocked before any thread starts, so only the signalfd sees them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &sigs, &old);
	signal(SIGPIPE, SIG_IGN);
	if ((sfd = signalfd(-1, &sigs, SFD_CLOEXEC)) < 0) {
		pia_diag(ctx->d, NULL, PIA_MSG_SYS_CALL, "signalfd", strerror(errno));
		sigprocmask(SIG_SETMASK, &old, NULL);
		return PIA_EXIT_SYSTEM;
	}
	rc = PIA_EXIT_SYSTEM;
	/* Watch first: a save during the first build is then not lost. */
	if ((w = pia_watch_new(content)) != NULL &&
	    (p = pia_preview_new(ctx->fs, content, ctx->opt[OPT_THEME], stderr)) != NULL &&
	    (srv = pia_server_start(p, addr, (unsigned)port)) != NULL) {
		printf("プレビュー: http://%s%s%s:%u/\n", strchr(addr, ':') ? "[" : "", addr,
		    strchr(addr, ':') ? "]" : "", pia_server_port(srv));
		puts("終わるには Ctrl-C を押してください。");
		fflush(stdout);
		rc = loop(ctx->d, sfd, w, p);
	}
	pia_server_stop(srv);
	pia_preview_free(p);
	pia_watch_free(w);
	close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

static const struct pia_cmd serve_cmd = {
	.name = "serve",
	.help = "使い方: pia serve [--port N] [--listen ADDR] [--forms DIR] [--theme DIR] コンテンツのフォルダー\n"
	    "  ウェブページ一式をメモリー上に作り、http://127.0.0.1:N/ で見せます（プレビュー）。\n"
	    "  原稿を保存すると、変わった評価書だけを作り直し、開いているページが読み込み直されます。\n"
	    "  検査の結果はページの下と端末に出ます。エラーのある間は前回の正しい版を見せます。\n"
	    "  PDF は、リンクを開いたときに（原稿が変わっていれば）作り直します。\n"
	    "  --port N       待ち受けるポート（既定 8080、0 = 空いているポートを選んで表示）\n"
	    "  --listen ADDR  127.0.0.1 以外のアドレスで待ち受けます（ほかの機械から見えます）\n"
	    "  終わるには Ctrl-C を押します。\n",
	.opts = serve_opts,
	.min_args = 1,
	.max_args = 1,
	.flags = PIA_CMD_FORMS,
	.run = serve,
};

int
pia_cmd_serve(int argc, char **argv)
{
	return pia_cmd_run(&serve_cmd, argc, argv);
}
