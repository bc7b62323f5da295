/*
 * Markdown section files (sections/NN-name.md) bound to the form: headings name
 * the form's nodes, nested as the form nests them ("# Ⅰ 基本情報",
 * "## 2. …システム", "### システム1", "#### ②システムの機能"); the blocks under
 * the heading of a markdown item, up to the next heading of the same or a
 * higher level, become its value.  A heading that names nothing in its
 * place is an error with the nearest label as a hint.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmark.h>

#include "diag.h"
#include "form.h"
#include "load_int.h"
#include "md.h"
#include "model.h"
#include "util.h"

/* One level of heading context. */
struct ctx {
	int			 level;
	struct pia_node		*node;		/* NULL: inside an unknown heading */
	const struct pia_fnode	*repeat;	/* a repeat named without entry */
};

#define MAXDEPTH 16

struct sload {
	struct pia_diag		*d;
	struct pia_mdsrc	 src;
	struct ctx		 stack[MAXDEPTH];
	int			 depth;
	struct pia_node		*target;	/* markdown item collecting blocks */
	int			 target_level;
	int			 warned_before;
};

/* The entry index of repeat f under parent, created (with those before it) if needed. */
static struct pia_node *
entry(struct pia_node *parent, const struct pia_fnode *f, unsigned index)
{
	struct pia_node *c;
	size_t n;

	for (c = parent->child; c != NULL; c = c->next)
		if (c->f == f && c->index == index)
			return c;
	for (n = pia_node_entries(parent, f, NULL); n < index; n++)
		c = pia_node_add_entry(parent, f);
	return c;
}

static const char *
type_word(enum pia_type t)
{
	switch (t) {
	case PIA_T_CHOICE:	return "選択肢";
	case PIA_T_CHECKS:	return "チェック";
	case PIA_T_COUNT:	return "件数";
	case PIA_T_DATE:	return "日付";
	case PIA_T_YEARMONTH:	return "年月";
	case PIA_T_LIST:	return "一覧";
	case PIA_T_TABLE:	return "表";
	case PIA_T_REF:		return "参照";
	default:		return "文字";
	}
}

static void
heading(struct sload *S, cmark_node *h)
{
	int level = cmark_node_get_heading_level(h);
	struct pia_pos pos = pia_md_pos(&S->src, h);
	char *text = pia_md_plain(h);
	const struct pia_fnode *f = NULL, *pf;
	struct ctx *top, *nc;
	struct pia_node *m;
	unsigned index = 0;

	S->target = NULL;
	while (S->depth > 1 && S->stack[S->depth - 1].level >= level)
		S->depth--;
	top = &S->stack[S->depth - 1];
	/* Markdown has six heading levels, so the stack holds at most seven. */
	if (S->depth >= MAXDEPTH) {
		free(text);
		return;
	}
	nc = &S->stack[S->depth];
	nc->level = level;
	nc->node = NULL;
	nc->repeat = NULL;
	if (top->node == NULL) {
		/* Below an unknown heading: already reported. */
		S->depth++;
		free(text);
		return;
	}
	/* A repeat named by its heading: its entries come next ("システム1"). */
	if (top->repeat != NULL) {
		unsigned k;
		struct pia_fnode tmp = *top->repeat;
		struct pia_fnode holder;

		memset(&holder, 0, sizeof(holder));
		tmp.next = NULL;
		holder.child = &tmp;
		if (pia_fnode_match(&holder, text, &k) == &tmp && k > 0) {
			f = top->repeat;
			index = k;
		}
	}
	pf = top->node->f;
	if (f == NULL)
		f = pia_fnode_match(pf, text, &index);
	if (f == NULL || f->kind == PIA_F_CHANGES) {
		char *hint = pia_load_hint(top->repeat ? top->repeat : pf, text, 1);
		pia_diag(S->d, &pos, PIA_MSG_MD_HEADING, text,
		    pf->kind == PIA_F_FORM ? "評価書" : pf->label, hint);
		free(hint);
		S->depth++;
		free(text);
		return;
	}
	if ((f->flags & PIA_FF_REPEAT) && index == 0) {
		nc->node = top->node;
		nc->repeat = f;
	} else if (f->flags & PIA_FF_REPEAT) {
		nc->node = entry(top->node, f, index);
		if (nc->node->pos.file == NULL)
			nc->node->pos = pos;
	} else if (f->kind == PIA_F_ITEM) {
		m = pia_node_child(top->node, f);
		/*
		 * Siblings may share a label (three 具体的な管理方法 under one
		 * risk): a heading fills them in the order the form prints them.
		 */
		while (m->present && m->pos.file == pos.file) {
			const struct pia_fnode *g;
			for (g = f->next; g != NULL && strcmp(g->label, f->label) != 0; g = g->next)
				;
			if (g == NULL)
				break;
			f = g;
			m = pia_node_child(top->node, f);
		}
		if (f->type != PIA_T_MARKDOWN && f->type != PIA_T_TEXT) {
			pia_diag(S->d, &pos, PIA_MSG_MD_NOT_TEXT, text, type_word(f->type));
		} else if (m->present) {
			char *where = xasprintf("%s:%u", m->pos.file ? m->pos.file : "",
			    m->pos.line);
			pia_diag(S->d, &pos, PIA_MSG_MD_TWICE, text, where);
			free(where);
		} else {
			m->present = 1;
			m->pos = pos;
			m->md = cmark_node_new(CMARK_NODE_DOCUMENT);
			S->target = m;
			S->target_level = level;
			nc->node = m;
		}
	} else {
		nc->node = pia_node_child(top->node, f);
		if (nc->node->pos.file == NULL)
			nc->node->pos = pos;
	}
	S->depth++;
	free(text);
}

/* Text items written in Markdown keep their plain text. */
static void
finish_text(struct pia_node *m)
{
	char *plain;

	/* Not applicable (na="yes"): 「—」, 「該当なし」, or a lone 「-」 cmark read as a list. */
	if ((m->f->flags & PIA_FF_NA) && m->md != NULL) {
		if (pia_md_fix_na(&m->md))
			m->na = 1;
		else {
			plain = pia_md_plain(m->md);
			m->na = pia_text_na(plain);
			free(plain);
		}
	}
	if (m->f->type == PIA_T_TEXT && m->md != NULL) {
		m->text = pia_md_plain(m->md);
		cmark_node_free(m->md);
		m->md = NULL;
	}
}

static void
load_file(struct pia_diag *d, struct pia_report *r, const char *path, const char *root)
{
	struct sload S;
	struct pia_pos pos = { path, 0, 0 };
	cmark_node *doc, *b, *next;
	char *buf;
	size_t len, bad;
	int rc;

	/* A section linked in from outside the content tree would publish that file. */
	if (pia_path_inside(root ? root : r->dir, path) == 0) {
		pia_diag(d, &pos, PIA_MSG_PATH_OUTSIDE, path);
		return;
	}
	if ((rc = pia_read_file(path, PIA_MAX_FILE, &buf, &len)) != 0) {
		if (rc == -2) {
			char lim[32];
			snprintf(lim, sizeof(lim), "%u", PIA_MAX_FILE);
			pia_diag(d, &pos, PIA_MSG_SYS_TOOBIG, lim);
		} else
			pia_diag(d, &pos, PIA_MSG_SYS_OPEN, strerror(errno));
		return;
	}
	memset(&S, 0, sizeof(S));
	S.d = d;
	S.src.file = path = pia_report_file(r, path);
	S.src.buf = buf;
	S.src.len = len;
	S.src.dir = r->dir;
	S.src.root = root;
	S.src.r = r;
	pia_mdsrc_index(&S.src);
	if (pia_source_encoding(d, path, buf, len) != 0) {
		free(S.src.lines);
		free(buf);
		return;
	}
	if (!pia_utf8_valid(buf, len, &bad)) {
		struct pia_mdsrc *s = &S.src;
		size_t lo = 0;
		while (lo + 1 < s->nlines && s->lines[lo + 1] <= bad)
			lo++;
		pos.line = (unsigned)lo + 1;
		pos.col = (unsigned)pia_utf8_count(buf + s->lines[lo], bad - s->lines[lo]) + 1;
		pia_diag(d, &pos, PIA_MSG_XML_UTF8);
		free(S.src.lines);
		free(buf);
		return;
	}
	doc = pia_md_parse(d, &S.src);
	S.stack[0].level = 0;
	S.stack[0].node = r->root;
	S.depth = 1;
	for (b = cmark_node_first_child(doc); b != NULL; b = next) {
		next = cmark_node_next(b);
		if (cmark_node_get_type(b) == CMARK_NODE_HEADING &&
		    !(S.target && cmark_node_get_heading_level(b) > S.target_level)) {
			if (S.target)
				finish_text(S.target);
			heading(&S, b);
			continue;
		}
		if (S.target != NULL) {
			cmark_node_unlink(b);
			cmark_node_append_child(S.target->md, b);
		} else if (S.stack[S.depth - 1].node != NULL && !S.warned_before &&
		    cmark_node_get_type(b) != CMARK_NODE_THEMATIC_BREAK) {
			pos = pia_md_pos(&S.src, b);
			if (S.depth == 1)
				pia_diag(d, &pos, PIA_MSG_MD_BEFORE_HEADING);
			else {
				char *t = pia_node_title(S.stack[S.depth - 1].node);
				pia_diag(d, &pos, PIA_MSG_MD_NOT_TEXT, t, "見出し");
				free(t);
			}
			S.warned_before = 1;
		}
	}
	if (S.target)
		finish_text(S.target);
	cmark_node_free(doc);
	free(S.src.lines);
	free(buf);
}

static int
is_md(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 3 && strcmp(e->d_name + n - 3, ".md") == 0;
}

void
pia_load_sections(struct pia_diag *d, struct pia_report *r, const char *dir, const char *root)
{
	struct dirent **v;
	char *sdir = xasprintf("%s/sections", dir), *path;
	struct pia_pos pos = { sdir, 0, 0 };
	struct stat st;
	int i, n;

	/*
	 * No sections/ is a report written in report.xml alone.  Anything else
	 * that cannot be listed (no permission, a file, a dangling link) or
	 * lies outside the tree is an error: its texts would go missing with
	 * only "required item" messages to show for it.
	 */
	if (lstat(sdir, &st) != 0 && errno == ENOENT) {
		free(sdir);
		return;
	}
	if (pia_path_inside(root ? root : r->dir, sdir) == 0) {
		pia_diag(d, &pos, PIA_MSG_PATH_OUTSIDE, sdir);
		free(sdir);
		return;
	}
	if ((n = scandir(sdir, &v, is_md, alphasort)) < 0)
		pia_diag(d, &pos, PIA_MSG_SYS_OPEN, strerror(errno));
	for (i = 0; i < n; i++) {
		path = xasprintf("%s/%s", sdir, v[i]->d_name);
		load_file(d, r, path, root);
		free(path);
		free(v[i]);
	}
	if (n >= 0)
		free(v);
	free(sdir);
}
