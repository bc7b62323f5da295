/*
 * The text of a skeleton (pia new): report.xml with every item of a form,
 * each value a placeholder and the choices as comments, and the Markdown
 * file of a section, headed as the form numbers it.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmd.h"
#include "form.h"
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

void
pia_skeleton_report(struct pia_buf *b, const struct pia_form *F)
{
	const struct pia_fnode *c;

	pia_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	pia_buf_printf(b, "<!-- %s %s の雛形（pia new）。【記入してください】を書き換えます。 -->\n",
	    F->title, F->stamp);
	pia_buf_printf(b, "<評価書 様式=\"%s\" 版=\"%s\">\n", F->name, F->version);
	for (c = F->root->child; c != NULL; c = c->next)
		write_xml(b, c, 1);
	pia_buf_puts(b, "</評価書>\n");
}

int
pia_skeleton_section(struct pia_buf *b, const struct pia_fnode *section)
{
	if (!has_md(section))
		return 0;
	write_md(b, section, 1);
	return 1;
}
