/*
 * pia new --form 基礎|重点|全項目 DIR: write a complete skeleton of a report
 * from its form — every item present, each value a placeholder that
 * pia check reports (VAL_PLACEHOLDER) until staff fill it in.  Structured
 * values go to report.xml (with the choices as comments), long texts to
 * one sections/NN-name.md file per section, headed as the form numbers them.
 */
#include <errno.h>
#include <getopt.h>
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

/* 1 if f or a descendant is written into report.xml (not a Markdown text). */
static int
has_xml(const struct pia_fnode *f)
{
	const struct pia_fnode *c;

	if (f->kind == PIA_F_CHANGES)
		return 0;
	if (f->kind == PIA_F_ITEM)
		return f->type != PIA_T_MARKDOWN;
	for (c = f->child; c != NULL; c = c->next)
		if (has_xml(c))
			return 1;
	return 0;
}

static int
has_md(const struct pia_fnode *f)
{
	const struct pia_fnode *c;

	if (f->kind == PIA_F_ITEM)
		return f->type == PIA_T_MARKDOWN;
	for (c = f->child; c != NULL; c = c->next)
		if (has_md(c))
			return 1;
	return 0;
}

static void
indent(struct pia_buf *b, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		pia_buf_puts(b, "  ");
}

static void
comment_choices(struct pia_buf *b, const struct pia_fnode *f, int depth)
{
	size_t i;

	indent(b, depth);
	pia_buf_puts(b, f->type == PIA_T_CHECKS ? "<!-- チェックする項目を <選択> に書きます:" :
	    "<!-- 選択肢:");
	for (i = 0; i < f->choices->n; i++) {
		pia_buf_printf(b, " %zu) ", i + 1);
		pia_buf_put_xml(b, f->choices->v[i].label, 1);
		if (f->choices->v[i].flags & PIA_CF_OTHER)
			pia_buf_puts(b, "（内容=\"…\"）");
		if (f->choices->v[i].flags & PIA_CF_COUNT)
			pia_buf_puts(b, "（件数=\"…\"）");
	}
	pia_buf_puts(b, " -->\n");
}

static void
write_xml(struct pia_buf *b, const struct pia_fnode *f, int depth)
{
	const struct pia_fnode *c;
	size_t i;

	if (!has_xml(f))
		return;
	if (f->kind != PIA_F_ITEM) {
		indent(b, depth);
		pia_buf_printf(b, "<%s>", f->key);
		if (f->no || f->kind == PIA_F_SECTION || f->entry) {
			char *t = pia_fnode_title(f);
			pia_buf_puts(b, "<!-- ");
			pia_buf_put_xml(b, t, 1);
			if (f->entry)
				pia_buf_puts(b, "（繰り返し: 1件ごとにこの要素を書きます）");
			pia_buf_puts(b, " -->");
			free(t);
		}
		pia_buf_putc(b, '\n');
		for (c = f->child; c != NULL; c = c->next)
			write_xml(b, c, depth + 1);
		indent(b, depth);
		pia_buf_printf(b, "</%s>\n", f->key);
		return;
	}
	if (f->type == PIA_T_CHOICE || f->type == PIA_T_CHECKS)
		comment_choices(b, f, depth);
	else if (f->type == PIA_T_DATE) {
		indent(b, depth);
		pia_buf_puts(b, "<!-- 和暦の日付: 令和7年7月25日 -->\n");
	} else if (f->type == PIA_T_YEARMONTH) {
		indent(b, depth);
		pia_buf_puts(b, "<!-- 和暦の年月: 平成27年6月 -->\n");
	}
	if (f->hint) {
		indent(b, depth);
		pia_buf_puts(b, "<!-- ");
		pia_buf_put_xml(b, f->hint, 1);
		pia_buf_puts(b, " -->\n");
	}
	indent(b, depth);
	pia_buf_printf(b, "<%s>", f->key);
	switch (f->type) {
	case PIA_T_CHECKS:
		pia_buf_puts(b, "<選択>" PIA_PLACEHOLDER "</選択>");
		break;
	case PIA_T_LIST:
		pia_buf_puts(b, "<項目>" PIA_PLACEHOLDER "</項目>");
		break;
	case PIA_T_TABLE:
		pia_buf_puts(b, "<行>");
		for (i = 0; i < f->ncols; i++)
			pia_buf_puts(b, "<列>" PIA_PLACEHOLDER "</列>");
		pia_buf_puts(b, "</行>");
		break;
	default:
		pia_buf_puts(b, PIA_PLACEHOLDER);
		break;
	}
	pia_buf_printf(b, "</%s>\n", f->key);
}

static void
put_heading(struct pia_buf *b, int level, const char *text)
{
	int i;

	/* Headings in Markdown stop at level 6. */
	for (i = 0; i < (level < 6 ? level : 6); i++)
		pia_buf_putc(b, '#');
	pia_buf_printf(b, " %s\n\n", text);
}

/* The title of a repeat's first entry: "システム{n}" → "システム1". */
static char *
first_entry(const struct pia_fnode *f)
{
	const char *p = strstr(f->entry, "{n}");

	if (p == NULL)
		return xstrdup(f->entry);
	return xasprintf("%.*s1%s", (int)(p - f->entry), f->entry, p + 3);
}

static void
write_md(struct pia_buf *b, const struct pia_fnode *f, int level)
{
	const struct pia_fnode *c;
	char *t;

	if (!has_md(f))
		return;
	if (f->entry && (f->kind == PIA_F_SECTION || f->kind == PIA_F_ANNEX)) {
		/* A per-file section: its own heading, then the first file's "(1)". */
		t = pia_fnode_title(f);
		put_heading(b, level, t);
		free(t);
		level++;
	}
	t = f->entry ? first_entry(f) : pia_fnode_title(f);
	put_heading(b, level, t);
	free(t);
	if (f->kind == PIA_F_ITEM) {
		pia_buf_puts(b, PIA_PLACEHOLDER);
		if (f->hint)
			pia_buf_puts(b, f->hint);
		pia_buf_puts(b, "\n\n");
		return;
	}
	for (c = f->child; c != NULL; c = c->next)
		write_md(b, c, level + 1);
}

static int
write_file(const char *path, const struct pia_buf *b)
{
	FILE *f = fopen(path, "wx");

	if (f == NULL) {
		fprintf(stderr, "pia: %s: 作れません: %s\n", path, pia_strerror_ja(errno));
		return -1;
	}
	if (fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
		fprintf(stderr, "pia: %s: 書き込めません: %s\n", path, pia_strerror_ja(errno));
		return -1;
	}
	return 0;
}

static void
help(FILE *f)
{
	fputs("使い方: pia new --form 基礎|重点|全項目 [--forms DIR] フォルダー\n"
	    "  様式のすべての項目を持つ評価書の雛形をフォルダーに作ります。\n"
	    "  値は「" PIA_PLACEHOLDER "」になっていて、pia check が記入漏れとして示します。\n", f);
}

int
pia_cmd_new(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "form", required_argument, NULL, 'f' },
		{ "forms", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *kind = NULL, *formdir = NULL, *dir;
	const struct pia_form *F;
	const struct pia_fnode *c;
	struct pia_forms *fs;
	struct pia_diag *d;
	struct pia_buf b = { 0 };
	char *path;
	int ch, n = 0, rc = PIA_EXIT_OK;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:h", opts, NULL)) != -1)
		switch (ch) {
		case 'f':
			kind = optarg;
			break;
		case 'F':
			formdir = optarg;
			break;
		case 'h':
			help(stdout);
			return PIA_EXIT_OK;
		default:
			help(stderr);
			return PIA_EXIT_SYSTEM;
		}
	if (kind == NULL || optind + 1 != argc) {
		help(stderr);
		return PIA_EXIT_SYSTEM;
	}
	dir = argv[optind];
	d = pia_diag_new();
	fs = pia_forms_load(d, formdir);
	pia_diag_print(d, stderr);
	pia_diag_free(d);
	if (fs == NULL)
		return PIA_EXIT_SYSTEM;
	if ((F = pia_forms_find(fs, kind, NULL)) == NULL) {
		fprintf(stderr, "pia: 様式「%s」はありません（基礎、重点、全項目）\n", kind);
		pia_forms_free(fs);
		return PIA_EXIT_SYSTEM;
	}
	/* A new report folder in a reports/ not made yet: its parents too. */
	if (pia_mkdir_parents(dir) != 0) {
		fprintf(stderr, "pia: %s: フォルダーを作れません: %s\n", dir, pia_strerror_ja(errno));
		pia_forms_free(fs);
		return PIA_EXIT_SYSTEM;
	}
	pia_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	pia_buf_printf(&b, "<!-- %s %s の雛形（pia new）。【記入してください】を書き換えます。 -->\n",
	    F->title, F->stamp);
	pia_buf_printf(&b, "<評価書 様式=\"%s\" 版=\"%s\">\n", F->name, F->version);
	for (c = F->root->child; c != NULL; c = c->next)
		write_xml(&b, c, 1);
	pia_buf_puts(&b, "</評価書>\n");
	path = xasprintf("%s/report.xml", dir);
	if (write_file(path, &b) != 0)
		rc = PIA_EXIT_SYSTEM;
	free(path);
	pia_buf_free(&b);

	path = xasprintf("%s/sections", dir);
	if (rc == PIA_EXIT_OK && mkdir(path, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "pia: %s: フォルダーを作れません: %s\n", path, pia_strerror_ja(errno));
		rc = PIA_EXIT_SYSTEM;
	}
	free(path);
	for (c = F->root->child; c != NULL && rc == PIA_EXIT_OK; c = c->next) {
		if (!has_md(c))
			continue;
		write_md(&b, c, 1);
		path = xasprintf("%s/sections/%02d-%s.md", dir, ++n, c->key);
		if (write_file(path, &b) != 0)
			rc = PIA_EXIT_SYSTEM;
		free(path);
		pia_buf_free(&b);
	}
	if (rc == PIA_EXIT_OK) {
		char *xml = pia_history_write(NULL,
		    "変更箇所の履歴: <変更 日=\"…\" 項目=\"…\" 提出時期=\"事前|事後\" 説明=\"…\">");
		pia_buf_puts(&b, xml);
		free(xml);
		path = xasprintf("%s/changes.xml", dir);
		if (write_file(path, &b) != 0)
			rc = PIA_EXIT_SYSTEM;
		free(path);
		pia_buf_free(&b);
	}
	if (rc == PIA_EXIT_OK)
		printf("%s: %s の雛形を作りました（%d 個の Markdown ファイル）\n", dir, F->name, n);
	pia_forms_free(fs);
	return rc;
}
