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
#include <getopt.h>
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

static void
help(FILE *f)
{
	fputs("使い方: pia serve [--port N] [--listen ADDR] [--forms DIR] [--theme DIR] コンテンツのフォルダー\n"
	    "  ウェブページ一式をメモリー上に作り、http://127.0.0.1:N/ で見せます（プレビュー）。\n"
	    "  原稿を保存すると、変わった評価書だけを作り直し、開いているページが読み込み直されます。\n"
	    "  検査の結果はページの下と端末に出ます。エラーのある間は前回の正しい版を見せます。\n"
	    "  PDF は、リンクを開いたときに（原稿が変わっていれば）作り直します。\n"
	    "  --port N       待ち受けるポート（既定 8080、0 = 空いているポートを選んで表示）\n"
	    "  --listen ADDR  127.0.0.1 以外のアドレスで待ち受けます（ほかの機械から見えます）\n"
	    "  終わるには Ctrl-C を押します。\n", f);
}

int
pia_cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "listen", required_argument, NULL, 'L' },
		{ "forms", required_argument, NULL, 'F' },
		{ "theme", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *formdir = NULL, *theme = NULL, *addr = "127.0.0.1";
	struct pia_diag *d;
	struct pia_forms *fs;
	struct pia_preview *p = NULL;
	struct pia_server *srv = NULL;
	struct pia_watch *w = NULL;
	struct pia_changes ch = { 0 };
	struct pollfd pfd[2];
	struct signalfd_siginfo si;
	sigset_t sigs, old;
	unsigned long port = 8080;
	struct stat st;
	char *end, *probe;
	size_t i;
	int c, sfd = -1, rc = PIA_EXIT_SYSTEM;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:h", opts, NULL)) != -1)
		switch (c) {
		case 'p':
			errno = 0;
			port = strtoul(optarg, &end, 10);
			if (errno != 0 || *optarg == '\0' || *end != '\0' || port > 65535) {
				fprintf(stderr, "pia: --port %s: 0 から 65535 の数を指定してください\n",
				    optarg);
				return PIA_EXIT_SYSTEM;
			}
			break;
		case 'L':
			addr = optarg;
			break;
		case 'F':
			formdir = optarg;
			break;
		case 'T':
			theme = optarg;
			break;
		case 'h':
			help(stdout);
			return PIA_EXIT_OK;
		default:
			help(stderr);
			return PIA_EXIT_SYSTEM;
		}
	if (optind + 1 != argc) {
		help(stderr);
		return PIA_EXIT_SYSTEM;
	}

	probe = xasprintf("%s/site.xml", argv[optind]);
	if (stat(probe, &st) != 0) {
		fprintf(stderr, "pia: %s: site.xml のあるコンテンツのフォルダーを指定してください\n",
		    argv[optind]);
		free(probe);
		return PIA_EXIT_SYSTEM;
	}
	free(probe);

	/* Blocked before any thread starts, so only the signalfd sees them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &sigs, &old);
	signal(SIGPIPE, SIG_IGN);
	if ((sfd = signalfd(-1, &sigs, SFD_CLOEXEC)) < 0) {
		perror("pia: signalfd");
		sigprocmask(SIG_SETMASK, &old, NULL);
		return PIA_EXIT_SYSTEM;
	}
	if (pia_cmd_begin(formdir, &d, &fs) != PIA_EXIT_OK)
		goto out_sig;
	/* Watch first: a save during the first build is then not lost. */
	if ((w = pia_watch_new(argv[optind])) == NULL ||
	    (p = pia_preview_new(fs, argv[optind], theme, stderr)) == NULL ||
	    (srv = pia_server_start(p, addr, (unsigned)port)) == NULL)
		goto out;
	if (strcmp(addr, "127.0.0.1") != 0 && strcmp(addr, "::1") != 0)
		fprintf(stderr, "pia: 注意: %s で待ち受けています。ほかの機械からも原稿が見えます\n",
		    addr);
	printf("プレビュー: http://%s%s%s:%u/\n", strchr(addr, ':') ? "[" : "", addr,
	    strchr(addr, ':') ? "]" : "", pia_server_port(srv));
	puts("終わるには Ctrl-C を押してください。");
	fflush(stdout);

	pfd[0].fd = sfd;
	pfd[0].events = POLLIN;
	pfd[1].fd = pia_watch_fd(w);
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("pia: poll");
			goto out;
		}
		if (pfd[0].revents & POLLIN) {
			if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
				break;
		}
		if ((pfd[1].revents & POLLIN) && pia_watch_read(w, QUIET_MS, &ch)) {
			if (ch.all)
				pia_preview_rebuild(p, NULL);
			else
				for (i = 0; i < ch.nslugs; i++)
					pia_preview_rebuild(p, ch.slugs[i]);
		}
	}
	puts("プレビューを終えました。");
	rc = PIA_EXIT_OK;
out:
	pia_changes_clear(&ch);
	pia_server_stop(srv);
	pia_preview_free(p);
	pia_watch_free(w);
	pia_forms_free(fs);
	pia_diag_free(d);
out_sig:
	close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}
