/*
 * pia new --form 基礎|重点|全項目 DIR: write a complete skeleton of a report
 * from its form — every item present, each value a placeholder that
 * pia check reports (VAL_PLACEHOLDER) until staff fill it in.  Structured
 * values go to report.xml (with the choices as comments), long texts to
 * one sections/NN-name.md file per section, headed as the form numbers them
 * (the texts: cmd/skeleton.c).  The skeleton is written whole into a
 * temporary folder and renamed to DIR, so there is never half of one; an
 * existing empty DIR is taken, one with files in it is left alone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic.h"
#include "check.h"
#include "cmd.h"
#include "diag.h"
#include "form.h"
#include "history.h"
#include "pia.h"
#include "util.h"

/* Where the skeleton is written: a temporary folder, named in messages as DIR. */
struct out {
	struct pia_diag	*d;
	const char	*tmp;
	const char	*shown;
};

/*
 * Write rel (below the temporary folder) from b, or make it a folder when
 * b is NULL; SYS_WRITE at DIR/rel when it fails.
 */
static int
write_file(const struct out *o, const char *rel, const struct pia_buf *b)
{
	struct pia_pos pos = { NULL, 0, 0 };
	char *path = xasprintf("%s/%s", o->tmp, rel), *name;
	int rc = 0;

	if ((b == NULL ? mkdir(path, 0777) :
	    pia_write_file(path, b->data, b->len)) != 0) {
		name = xasprintf("%s/%s", o->shown, rel);
		pos.file = name;
		pia_diag(o->d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(errno));
		free(name);
		rc = -1;
	}
	free(path);
	return rc;
}

enum { OPT_FORM };

static const struct pia_cmd_opt new_opts[] = {
	[OPT_FORM] = { "form", 'f', 1, 1 },
	{ NULL, 0, 0, 0 }
};

/* report.xml, every Markdown file of F, then an empty changes.xml. */
static int
write_all(const struct out *o, const struct pia_form *F, int *n)
{
	const struct pia_fnode *c;
	struct pia_buf b = { 0 };
	char *xml, *path;
	int rc;

	pia_skeleton_report(&b, F);
	rc = write_file(o, "report.xml", &b);
	pia_buf_free(&b);
	if (rc != 0 || write_file(o, "sections", NULL) != 0)
		return -1;
	for (c = F->root->child; c != NULL && rc == 0; c = c->next) {
		if (!pia_skeleton_section(&b, c))
			continue;
		path = xasprintf("sections/%02d-%s.md", ++*n, c->key);
		rc = write_file(o, path, &b);
		free(path);
		pia_buf_free(&b);
	}
	if (rc != 0)
		return rc;
	xml = pia_history_write(NULL,
	    "変更箇所の履歴: <変更 日=\"…\" 項目=\"…\" 提出時期=\"事前|事後\" 説明=\"…\">");
	pia_buf_puts(&b, xml);
	free(xml);
	rc = write_file(o, "changes.xml", &b);
	pia_buf_free(&b);
	return rc;
}

static int
skeleton(struct pia_cmd_ctx *ctx)
{
	const char *dir = ctx->args[0];
	const struct pia_form *F;
	struct pia_pos pos = { dir, 0, 0 };
	struct pia_atomic_dir a;
	struct stat st;
	struct out o;
	int n = 0, rc = PIA_EXIT_OK;

	if ((F = pia_forms_find(ctx->fs, ctx->opt[OPT_FORM], NULL)) == NULL) {
		pia_diag(ctx->d, NULL, PIA_MSG_USAGE_FORM, ctx->opt[OPT_FORM]);
		return PIA_EXIT_SYSTEM;
	}
	if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		pia_diag(ctx->d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(EEXIST));
		return PIA_EXIT_SYSTEM;
	}
	/* A new report folder in a reports/ not made yet: its parents too. */
	if (pia_mkdir_parents(dir) != 0 || pia_atomic_dir_begin(&a, dir) != 0) {
		pia_diag(ctx->d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(errno));
		return PIA_EXIT_SYSTEM;
	}
	o.d = ctx->d;
	o.tmp = a.tmp;
	o.shown = dir;
	if (write_all(&o, F, &n) != 0)
		rc = PIA_EXIT_SYSTEM;
	else if (pia_atomic_dir_commit(&a, PIA_ATOMIC_NOREPLACE) != 0) {
		pia_diag(ctx->d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(errno));
		rc = PIA_EXIT_SYSTEM;
	}
	pia_atomic_dir_end(&a);
	if (rc == PIA_EXIT_OK)
		printf("%s: %s の雛形を作りました（%d 個の Markdown ファイル）\n", dir, F->name, n);
	return rc;
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
