/*
 * pia: publish 特定個人情報保護評価書 from sources kept in a repository.
 * This file only dispatches subcommands; each lives in generator/cmd/.
 * Only main() exits (and xalloc on out-of-memory).
 */
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cmd.h"
#include "pia.h"

static const struct {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*what;
} cmds[] = {
	{ "check", pia_cmd_check, "評価書の記載を検査する（エラーと警告を表示）" },
	{ "build", pia_cmd_build, "市のウェブページ一式を作る" },
	{ "pdf", pia_cmd_pdf, "評価書の PDF（様式どおりの A4）を作る" },
	{ "serve", pia_cmd_serve, "原稿を保存するたびに更新されるプレビューを見せる" },
	{ "init", pia_cmd_init, "市区町村のコンテンツのフォルダーを始める（site.xml と reports/）" },
	{ "new", pia_cmd_new, "様式に沿った評価書の雛形を作る" },
	{ "dump", pia_cmd_dump, "読み込んだ評価書の内容を木の形で表示する" },
	{ "diff", pia_cmd_diff, "二つの版の変更箇所を項目ごとに表示する（TSV）" },
	{ "publish", pia_cmd_publish, "版を公表する（前の版と比べた変更箇所を履歴に加える）" },
	{ "import-changes", pia_cmd_import, "表計算ソフトの変更箇所一覧を changes.xml に読み込む" },
	{ "import-report", pia_cmd_import_report, "公表した評価書の PDF を原稿（report.xml、changes.xml）に読み込む" },
};

static void
usage(FILE *f)
{
	size_t i;

	fputs("使い方: pia コマンド [オプション] 引数…\n"
	    "usage: pia COMMAND [OPTIONS] ARGS…\n\nコマンド:\n", f);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-15s %s\n", cmds[i].name, cmds[i].what);
	fputs("\n各コマンドの説明: pia コマンド --help\n"
	    "終了コード: 0 問題なし / 1 入力に誤り / 2 使い方の誤り・システムの誤り\n", f);
}

/*
 * --strict (check, build, pdf: warnings fail the run) is taken off the
 * command line here, so each command's own options stay as they are.
 * Returns the new argc; arguments after "--" are left alone.
 */
static int
take_strict(const char *cmd, int argc, char **argv)
{
	int i, k, strict = 0;

	if (strcmp(cmd, "check") != 0 && strcmp(cmd, "build") != 0 &&
	    strcmp(cmd, "pdf") != 0)
		return argc;
	for (i = k = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				argv[k++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--strict") == 0)
			strict = 1;
		else
			argv[k++] = argv[i];
	}
	argv[k] = NULL;
	pia_cmd_set_strict(strict);
	return k;
}

#if defined(__SANITIZE_ADDRESS__)
#define PIA_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PIA_SANITIZED 1
#endif
#endif

/*
 * Faulting in fresh heap pages was the largest single cost of writing a
 * PDF (a 160-page report touches 20 MB in some 5,500 faults, each dear in
 * a virtual machine).  Reserve the heap in one step, keep large buffers
 * and freed memory in it, and ask for transparent huge pages there: the
 * same as glibc's tunable glibc.malloc.hugetlb=1, which a program cannot
 * set for itself.  Only addresses are reserved; RSS grows as pages are used.
 */
static void
heap_setup(void)
{
#ifndef PIA_SANITIZED
	const uintptr_t	 huge = 2u << 20;
	uintptr_t	 lo, hi;
	void		*p;

	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 64 << 20);
	/* Large enough that the heap must grow now, by the pad as well. */
	if ((p = malloc(16 << 20)) == NULL)
		return;
	lo = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	hi = (uintptr_t)sbrk(0) & ~(huge - 1);
	if (hi > lo)
		madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
	free(p);
#endif
}

int
main(int argc, char **argv)
{
	size_t i;

	heap_setup();
	/* Over a file size limit (ulimit -f) a write fails with EFBIG and is reported, not a silent kill. */
	signal(SIGXFSZ, SIG_IGN);
	if (argc < 2) {
		usage(stderr);
		return PIA_EXIT_SYSTEM;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return PIA_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("pia %s\n", PIA_VERSION);
		return PIA_EXIT_OK;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(take_strict(argv[1], argc - 1, argv + 1),
			    argv + 1);
	pia_cmd_error(PIA_MSG_USAGE_COMMAND, argv[1], NULL);
	usage(stderr);
	return PIA_EXIT_SYSTEM;
}
