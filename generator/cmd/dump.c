/*
 * pia dump PATH: the loaded model as indented text, one node a line (the
 * cheapest golden for tests, as mandoc -T tree and lowdown's tree output).
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
			if (n->f->kind == PIA_F_ITEM) {
				fprintf(f, " <%s>", pia_type_name(n->f->type));
				if (n->present)
					dump_value(f, n);
			}
			fputc('\n', f);
		}
		depth++;
	}
	fprintf(f, "変更箇所 %zu 行\n", r->nchanges);
	for (i = 0; i < r->nchanges; i++)
		dump_change(f, &r->changes[i]);
}

static int
dump_all(struct pia_cmd_ctx *ctx)
{
	size_t i;

	if (ctx->report)
		dump(stdout, ctx->report);
	for (i = 0; ctx->site && i < ctx->site->nreports; i++)
		dump(stdout, ctx->site->reports[i]);
	return pia_cmd_status(ctx->d);
}

static const struct pia_cmd dump_cmd = {
	.name = "dump",
	.help = "使い方: pia dump PATH\n",
	.min_args = 1,
	.max_args = 1,
	.flags = PIA_CMD_LOAD,
	.checks = PIA_CHECK_MODEL,
	.run = dump_all,
};

int
pia_cmd_dump(int argc, char **argv)
{
	return pia_cmd_run(&dump_cmd, argc, argv);
}
