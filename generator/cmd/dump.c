/*
 * pia dump PATH: the loaded model as indented text, one node a line (the
 * cheapest golden for tests, as mandoc -T tree and lowdown's tree output),
 * the 変更箇所 rows and their cells included.  pia dump --form KIND: the
 * form's own tree, with the columns of its tables and of its 変更箇所.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "check.h"
#include "cmd.h"
#include "diag.h"
#include "form.h"
#include "md.h"
#include "model.h"
#include "pia.h"
#include "util.h"

/* One line of value, with newlines shown as ⏎ so each node stays on its line. */
static void
put_flat(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			fputs("⏎", f);
		else
			fputc(*s, f);
	}
}

static void
dump_value(FILE *f, const struct pia_node *n)
{
	char *t;
	size_t i, j;

	switch (n->f->type) {
	case PIA_T_CHECKS:
		for (i = 0; i < n->nboxes; i++) {
			fprintf(f, " [○%s", n->f->choices->v[n->boxes[i].choice].label);
			if (n->boxes[i].other)
				fprintf(f, "（%s）", n->boxes[i].other);
			if (n->boxes[i].count >= 0)
				fprintf(f, "（%ld）件", n->boxes[i].count);
			fputc(']', f);
		}
		break;
	case PIA_T_MARKDOWN:
		if (n->md) {
			t = pia_md_plain(n->md);
			fputc(' ', f);
			put_flat(f, t);
			free(t);
		} else if (n->text) {
			fputc(' ', f);
			put_flat(f, n->text);
		}
		break;
	case PIA_T_LIST:
		fprintf(f, " (%zu)", n->nlist);
		for (i = 0; i < n->nlist; i++) {
			fputs(i ? "、" : " ", f);
			put_flat(f, n->list[i].text);
		}
		break;
	case PIA_T_TABLE:
		fprintf(f, " (%zu rows)", n->nrows);
		for (i = 0; i < n->nrows; i++) {
			fputs(" |", f);
			for (j = 0; j < n->rows[i].ncells; j++) {
				put_flat(f, n->rows[i].cells[j].text);
				fputc('|', f);
			}
		}
		break;
	default:
		if (n->text) {
			fputc(' ', f);
			put_flat(f, n->text);
		}
		break;
	}
}

/* A field of a change row, on the row's line or its own, when present. */
static void
dump_field(FILE *f, const char *lead, const char *name, const char *value)
{
	if (value == NULL)
		return;
	fprintf(f, "%s%s=", lead, name);
	put_flat(f, value);
}

/* One change row: its attributes on a line, then each text on a line of its own. */
static void
dump_change(FILE *f, const struct pia_change *c)
{
	static const char *const names[] = {
		"変更前", "変更後", "変更理由", "リスク変化", "リスク変化の状況", "リスク対策"
	};
	const char *texts[] = {
		c->before, c->after, c->change_reason, c->risk_change, c->risk_status, c->risk_measure
	};
	size_t k;

	fprintf(f, "  %u:", c->pos.line);
	dump_field(f, " ", "日", c->date_text);
	dump_field(f, " ", "項目", c->item);
	dump_field(f, " ", "提出時期", c->timing);
	dump_field(f, " ", "説明", c->reason);
	dump_field(f, " ", "理由", c->why);
	dump_field(f, " ", "ページ", c->page);
	fputc('\n', f);
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (texts[k] != NULL) {
			dump_field(f, "    ", names[k], texts[k]);
			fputc('\n', f);
		}
}

static void
dump(FILE *f, const struct pia_report *r)
{
	struct pia_walk w;
	struct pia_node *n;
	int depth = 0;
	size_t i;
	char *t;

	fprintf(f, "%s %s %s\n", r->form->title, r->form->stamp, r->slug);
	pia_walk_init(&w, r->root);
	while (pia_walk_next(&w, &n) != PIA_WALK_DONE) {
		if (w.ev == PIA_WALK_EXIT) {
			depth--;
			continue;
		}
		if (n != r->root) {
			fprintf(f, "%*s", depth * 2, "");
			t = pia_node_title(n);
			fputs(t, f);
			free(t);
			if (n->f->flags & PIA_FF_MARK)
				fputs(" ※", f);
			if (n->f->kind == PIA_F_ITEM || n->f->kind == PIA_F_CELL) {
				fprintf(f, " <%s>", pia_type_name(n->f->type));
				if (n->present)
					dump_value(f, n);
				if (n->version != NULL) {
					fputs(" 版=", f);
					put_flat(f, n->version);
				}
			}
			fputc('\n', f);
		}
		depth++;
	}
	fprintf(f, "変更箇所 %zu 行\n", r->nchanges);
	for (i = 0; i < r->nchanges; i++)
		dump_change(f, &r->changes[i]);
}

/* One node of a form: its title, key, type and what it prints or checks. */
static void
dump_fnode(FILE *f, const struct pia_fnode *n, int depth)
{
	static const char *const aligns[] = { "", "left", "center", "justify" };
	const struct pia_fnode *c;
	const struct pia_column *col;
	char *t;
	size_t i, j;

	if (n->kind != PIA_F_FORM) {
		fprintf(f, "%*s", depth * 2, "");
		t = pia_fnode_title(n);
		fputs(t, f);
		free(t);
		fprintf(f, " [%s]", n->key);
		if (n->entry != NULL)
			fprintf(f, " entry=%s", n->entry);
		if (n->flags & PIA_FF_MARK)
			fputs(" ※", f);
		if (n->kind == PIA_F_ITEM || n->kind == PIA_F_CELL)
			fprintf(f, " <%s>", pia_type_name(n->type));
		if (n->choices != NULL)
			fprintf(f, " choices=%s", n->choices->id);
		fputc('\n', f);
	}
	/* Columns: a table item's, or a 変更箇所 cell's own. */
	for (i = 0; i < n->ncols; i++) {
		col = &n->cols[i];
		fprintf(f, "%*s", depth * 2 + 2, "");
		fprintf(f, "column key=%s label=%s", col->key, col->label);
		if (n->kind == PIA_F_CELL) {
			fprintf(f, " type=%s from=", pia_type_name(col->type));
			for (j = 0; col->from != NULL && col->from[j] != NULL; j++)
				fprintf(f, "%s%s", j ? "+" : "", col->from[j]);
			fprintf(f, " width=%u narrow=%u", col->width, col->narrow);
			if (col->optional)
				fputs(" optional", f);
			if (col->align != PIA_CA_DEFAULT)
				fprintf(f, " align=%s", aligns[col->align]);
			if (col->version_from != NULL)
				fprintf(f, " version-from=%s", col->version_from);
			if (col->version_label != NULL)
				fprintf(f, " label-version=%s", col->version_label);
		} else
			fprintf(f, " width=%u", col->width);
		fputc('\n', f);
	}
	for (c = n->child; c != NULL; c = c->next)
		dump_fnode(f, c, depth + 1);
}

static int
dump_all(struct pia_cmd_ctx *ctx)
{
	const struct pia_form *F;
	size_t i;

	/* --form KIND: the form's own tree, then the sources if named. */
	if (ctx->opt[0] != NULL) {
		if ((F = pia_forms_find(ctx->fs, ctx->opt[0], NULL)) == NULL) {
			pia_diag(ctx->d, NULL, PIA_MSG_USAGE_FORM, ctx->opt[0]);
			return PIA_EXIT_SYSTEM;
		}
		printf("%s %s %s\n", F->title, F->stamp, F->file);
		dump_fnode(stdout, F->root, -1);
		if (ctx->nargs == 0)
			return PIA_EXIT_OK;
	} else if (ctx->nargs == 0) {
		pia_cmd_error(PIA_MSG_USAGE_OPERANDS, "0", NULL);
		fputs(ctx->cmd->help, stderr);
		return PIA_EXIT_SYSTEM;
	}
	/* As the runner's PIA_CMD_LOAD does, which would refuse --form without PATH. */
	if (pia_cmd_load(ctx->d, ctx->fs, ctx->args[0], &ctx->site, &ctx->report) != PIA_EXIT_OK)
		return PIA_EXIT_SYSTEM;
	pia_check_all(ctx->d, ctx->site, ctx->report, PIA_CHECK_MODEL);
	if (ctx->report)
		dump(stdout, ctx->report);
	for (i = 0; ctx->site && i < ctx->site->nreports; i++)
		dump(stdout, ctx->site->reports[i]);
	return pia_cmd_status(ctx->d);
}

static const struct pia_cmd_opt dump_opts[] = {
	{ "form", 'f', 1, 0 },
	{ NULL, 0, 0, 0 }
};

/* PATH is loaded by dump_all: with --form it may be left out. */
static const struct pia_cmd dump_cmd = {
	.name = "dump",
	.help = "使い方: pia dump [--forms DIR] PATH\n"
	    "       pia dump [--forms DIR] --form 基礎|重点|全項目 [PATH]\n",
	.opts = dump_opts,
	.min_args = 0,
	.max_args = 1,
	.flags = PIA_CMD_FORMS,
	.run = dump_all,
};

int
pia_cmd_dump(int argc, char **argv)
{
	return pia_cmd_run(&dump_cmd, argc, argv);
}
