/*
 * pia new --form 基礎|重点|全項目 DIR: write a complete skeleton of a report
 * from its form — every item present, each value a placeholder that
 * pia check reports (VAL_PLACEHOLDER) until staff fill it in.  Structured
 * values go to report.xml (with the choices as comments), long texts to
 * one sections/NN-name.md file per section, headed as the form numbers them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "cmd.h"
#include "diag.h"
#include "form.h"
#include "history.h"
#include "pia.h"
#include "util.h"

static int
write_file(struct pia_diag *d, const char *path, const struct pia_buf *b)
{
	const struct pia_pos pos = { .file = path };
	FILE *f = fopen(path, "wx");

	if (f == NULL) {
		pia_diag(d, &pos, PIA_MSG_SYS_WRITE, strerror(errno));
		return -1;
	}
	if (fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
		pia_diag(d, &pos, PIA_MSG_SYS_WRITE, strerror(errno));
		return -1;
	}
	return 0;
}

/* mkdir DIR, which may be there already. */
static int
make_dir(struct pia_diag *d, const char *path)
{
	if (mkdir(path, 0777) != 0 && errno != EEXIST) {
		pia_diag(d, &(struct pia_pos){ .file = path }, PIA_MSG_SYS_WRITE, strerror(errno));
		return -1;
	}
	return 0;
}

enum { OPT_FORM };

static const struct pia_cmd_opt new_opts[] = {
	[OPT_FORM] = { "form", 'f', 1, 1 },
	{ NULL, 0, 0, 0 }
};

/* Every Markdown file of F, then an empty changes.xml. */
static int
write_rest(struct pia_diag *d, const struct pia_form *F, const char *dir, int *n)
{
	const struct pia_fnode *c;
	struct pia_buf b = { 0 };
	char *xml;
	char *path;
	int rc = 0;

	path = xasprintf("%s/sections", dir);
	rc = make_dir(d, path);
	free(path);
	for (c = F->root->child; c != NULL && rc == 0; c = c->next) {
		if (!pia_skeleton_section(&b, c))
			continue;
		path = xasprintf("%s/sections/%02d-%s.md", dir, ++*n, c->key);
		rc = write_file(d, path, &b);
		free(path);
		pia_buf_free(&b);
	}
	if (rc != 0)
		return rc;
	xml = pia_history_write(NULL,
	    "変更箇所の履歴: <変更 日=\"…\" 項目=\"…\" 提出時期=\"事前|事後\" 説明=\"…\">");
	pia_buf_puts(&b, xml);
	free(xml);
	path = xasprintf("%s/changes.xml", dir);
	rc = write_file(d, path, &b);
	free(path);
	pia_buf_free(&b);
	return rc;
}

static int
skeleton(struct pia_cmd_ctx *ctx)
{
	const char *dir = ctx->args[0];
	const struct pia_form *F;
	struct pia_buf b = { 0 };
	char *path;
	int n = 0, rc;

	if ((F = pia_forms_find(ctx->fs, ctx->opt[OPT_FORM], NULL)) == NULL) {
		pia_diag(ctx->d, NULL, PIA_MSG_USAGE_FORM, ctx->opt[OPT_FORM]);
		return PIA_EXIT_SYSTEM;
	}
	if (make_dir(ctx->d, dir) != 0)
		return PIA_EXIT_SYSTEM;
	pia_skeleton_report(&b, F);
	path = xasprintf("%s/report.xml", dir);
	rc = write_file(ctx->d, path, &b);
	free(path);
	pia_buf_free(&b);
	if (rc != 0 || write_rest(ctx->d, F, dir, &n) != 0)
		return PIA_EXIT_SYSTEM;
	printf("%s: %s の雛形を作りました（%d 個の Markdown ファイル）\n", dir, F->name, n);
	return PIA_EXIT_OK;
}

static const struct pia_cmd new_cmd = {
	.name = "new",
	.help = "使い方: pia new --form 基礎|重点|全項目 [--forms DIR] フォルダー\n"
	    "  様式のすべての項目を持つ評価書の雛形をフォルダーに作ります。\n"
	    "  値は「" PIA_PLACEHOLDER "」になっていて、pia check が記入漏れとして示します。\n",
	.opts = new_opts,
	.min_args = 1,
	.max_args = 1,
	.flags = PIA_CMD_FORMS,
	.run = skeleton,
};

int
pia_cmd_new(int argc, char **argv)
{
	return pia_cmd_run(&new_cmd, argc, argv);
}
