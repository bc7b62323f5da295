/*
 * Markdown through plain cmark 0.30 (libs.md §5): parsing, with character
 * columns in messages; what the checks judge for Japanese text — raw HTML
 * (kept in the tree even in safe mode), emphasis markers left as literal
 * text next to 「」。 — is kept on the report (pia_report.md_marks) for
 * check/values.c.  Also the Japanese rules renderers share (include/md.h).
 */
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "diag.h"
#include "load_int.h"
#include "md.h"
#include "model.h"
#include "util.h"

void
pia_mdsrc_index(struct pia_mdsrc *s)
{
	size_t i, cap = 128;

	s->lines = xmalloc(cap * sizeof(size_t));
	s->lines[0] = 0;
	s->nlines = 1;
	for (i = 0; i < s->len; i++)
		if (s->buf[i] == '\n') {
			if (s->nlines == cap) {
				cap *= 2;
				s->lines = xrealloc(s->lines, cap * sizeof(size_t));
			}
			s->lines[s->nlines++] = i + 1;
		}
}

struct pia_pos
pia_md_pos(const struct pia_mdsrc *s, cmark_node *n)
{
	struct pia_pos p = { s->file, 0, 0 };
	int line = cmark_node_get_start_line(n);
	int col = cmark_node_get_start_column(n);
	size_t start, avail;

	/* Inline positions are unreliable in cmark 0.30 (libs.md §5.1): use the block's. */
	while (line <= 0 && cmark_node_parent(n) != NULL) {
		n = cmark_node_parent(n);
		line = cmark_node_get_start_line(n);
		col = cmark_node_get_start_column(n);
		/* A footnote's text keeps the line of its "[^1]:" (footnote.c). */
		if (line <= 0 && pia_md_note_no(n) > 0 && cmark_node_get_on_exit(n) != NULL) {
			line = atoi(cmark_node_get_on_exit(n));
			col = 1;
		}
	}
	if (line <= 0)
		return p;
	p.line = (unsigned)line + s->line0;
	p.col = 1;
	if ((size_t)line <= s->nlines && col > 0) {
		start = s->lines[line - 1];
		avail = s->len - start;
		if ((size_t)(col - 1) < avail)
			p.col = (unsigned)pia_utf8_count(s->buf + start, (size_t)col - 1) + 1;
	}
	return p;
}

static int
is_leaf(cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_THEMATIC_BREAK:
	case CMARK_NODE_CODE_BLOCK:
	case CMARK_NODE_TEXT:
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
	case CMARK_NODE_CODE:
	case CMARK_NODE_HTML_INLINE:
		return 1;
	default:
		return 0;
	}
}

/* Keep what node n of s holds for the checks (pia_report.md_marks). */
static void
mark(struct pia_mdsrc *s, cmark_node *n, enum pia_md_seen seen)
{
	struct pia_report *r = s->r;
	const char *lit = cmark_node_get_literal(n);

	if (r == NULL)
		return;
	r->md_marks = xrealloc(r->md_marks, (r->nmd_marks + 1) * sizeof(*r->md_marks));
	r->md_marks[r->nmd_marks].seen = seen;
	r->md_marks[r->nmd_marks].pos = pia_md_pos(s, n);
	r->md_marks[r->nmd_marks++].text = xstrdup(lit != NULL ? lit : "");
}

/*
 * Whether the relative path url, read from the folder dir, climbs above
 * root by its ".." alone; a missing file that would lie outside is
 * outside, not merely missing.
 */
static int
climbs_out(const char *url, const char *dir, const char *root)
{
	size_t rl = strlen(root), k;
	const char *p;
	long depth = 0;

	/* Folders of dir below root (dir is root or a path under it). */
	if (strncmp(dir, root, rl) == 0)
		for (p = dir + rl; *p; p += k) {
			k = strcspn(p, "/");
			if (k == 0)
				k = 1;
			else if (!(k == 1 && p[0] == '.'))
				depth++;
		}
	for (p = url; *p; p += k) {
		k = strcspn(p, "/");
		if (k == 0)
			k = 1;
		else if (k == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return 1;
		} else if (!(k == 1 && p[0] == '.'))
			depth++;
	}
	return 0;
}

/*
 * An image must be a file inside the content tree, named relative to the
 * report folder: no URL (no external resource on the site), no absolute
 * path, no way out through ".." or a symbolic link.
 */
static void
check_image(struct pia_diag *d, struct pia_mdsrc *s, cmark_node *n)
{
	const char *url = cmark_node_get_url(n);
	struct pia_pos pos = pia_md_pos(s, n);
	char *path;
	int rc;

	if (url == NULL || s->dir == NULL)
		return;
	if (url[0] == '/' || strstr(url, "://") != NULL || strncmp(url, "data:", 5) == 0) {
		pia_diag(d, &pos, PIA_MSG_PATH_OUTSIDE, url);
		return;
	}
	if (climbs_out(url, s->dir, s->root ? s->root : s->dir)) {
		pia_diag(d, &pos, PIA_MSG_PATH_OUTSIDE, url);
		return;
	}
	path = xasprintf("%s/%s", s->dir, url);
	if ((rc = pia_path_inside(s->root ? s->root : s->dir, path)) == -1)
		pia_diag(d, &pos, PIA_MSG_MD_IMAGE, url, path);
	else if (rc == 0)
		pia_diag(d, &pos, PIA_MSG_PATH_OUTSIDE, url);
	free(path);
}

cmark_node *
pia_md_parse(struct pia_diag *d, struct pia_mdsrc *s)
{
	cmark_node *doc, *n;
	cmark_iter *it;
	cmark_event_type ev;
	struct pia_pos pos;
	const char *lit;
	unsigned depth = 0;
	int deep = 0;

	doc = pia_md_parse_notes(s);
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		/* Leaves have no EXIT event (cmark's iterator); containers count as depth. */
		if (ev == CMARK_EVENT_EXIT) {
			depth--;
			continue;
		}
		if (!is_leaf(n) && ++depth > PIA_MAX_DEPTH && !deep) {
			pos = pia_md_pos(s, n);
			pia_diag(d, &pos, PIA_MSG_LIMIT_DEPTH, PIA_MAX_DEPTH);
			deep = 1;
		}
		if ((lit = cmark_node_get_literal(n)) != NULL && strlen(lit) > PIA_MAX_TEXT) {
			pos = pia_md_pos(s, n);
			pia_diag(d, &pos, PIA_MSG_LIMIT_TEXT, PIA_MAX_TEXT);
		}
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			mark(s, n, PIA_MD_SEEN_HTML);
			break;
		case CMARK_NODE_IMAGE:
			check_image(d, s, n);
			break;
		case CMARK_NODE_TEXT:
			if (lit != NULL && strpbrk(lit, "*_") != NULL)
				mark(s, n, PIA_MD_SEEN_MARKER);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	return doc;
}

/* Last code point of the text just before n, or 0. */
static uint32_t
last_cp(cmark_node *n)
{
	const char *t, *p;
	uint32_t cp = 0;

	for (n = cmark_node_previous(n); n != NULL; n = cmark_node_last_child(n)) {
		if (cmark_node_get_type(n) == CMARK_NODE_TEXT ||
		    cmark_node_get_type(n) == CMARK_NODE_CODE) {
			t = cmark_node_get_literal(n);
			if (t == NULL || *t == '\0')
				return 0;
			p = t + strlen(t);
			do
				p--;
			while (p > t && ((unsigned char)*p & 0xC0) == 0x80);
			pia_utf8_decode(p, strlen(p), &cp);
			return cp;
		}
		if (cmark_node_last_child(n) == NULL)
			return 0;
	}
	return 0;
}

static uint32_t
first_cp(cmark_node *n)
{
	const char *t;
	uint32_t cp = 0;

	for (n = cmark_node_next(n); n != NULL; n = cmark_node_first_child(n)) {
		if (cmark_node_get_type(n) == CMARK_NODE_TEXT ||
		    cmark_node_get_type(n) == CMARK_NODE_CODE) {
			t = cmark_node_get_literal(n);
			if (t != NULL)
				pia_utf8_decode(t, strlen(t), &cp);
			return cp;
		}
		if (cmark_node_first_child(n) == NULL)
			return 0;
	}
	return 0;
}

int
pia_md_softbreak_joins(cmark_node *sb)
{
	uint32_t a = last_cp(sb), b = first_cp(sb);

	return a != 0 && b != 0 && pia_cp_is_wide(a) && pia_cp_is_wide(b);
}

cmark_node *
pia_md_literal(const char *s)
{
	cmark_node *doc = cmark_node_new(CMARK_NODE_DOCUMENT);
	cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
	cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);

	cmark_node_set_literal(text, s);
	cmark_node_append_child(para, text);
	cmark_node_append_child(doc, para);
	return doc;
}

int
pia_md_fix_na(cmark_node **doc)
{
	cmark_node *list, *item;

	if (*doc == NULL || (list = cmark_node_first_child(*doc)) == NULL ||
	    cmark_node_next(list) != NULL || cmark_node_get_type(list) != CMARK_NODE_LIST ||
	    cmark_node_get_list_type(list) != CMARK_BULLET_LIST ||
	    (item = cmark_node_first_child(list)) == NULL || cmark_node_next(item) != NULL ||
	    cmark_node_first_child(item) != NULL)
		return 0;
	cmark_node_free(*doc);
	*doc = pia_md_literal("-");
	return 1;
}

char *
pia_md_plain(cmark_node *root)
{
	struct pia_buf b = { 0 };
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	cmark_node *n;
	int blocks = 0;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_CODE_BLOCK:
			if (ev == CMARK_EVENT_ENTER)
				pia_buf_puts(&b, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_SOFTBREAK:
			if (!pia_md_softbreak_joins(n))
				pia_buf_putc(&b, ' ');
			break;
		case CMARK_NODE_LINEBREAK:
			pia_buf_putc(&b, '\n');
			break;
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_HEADING:
			if (ev == CMARK_EVENT_ENTER && blocks++ > 0)
				pia_buf_putc(&b, '\n');
			break;
		case CMARK_NODE_CUSTOM_BLOCK:
			/* A footnote: "注N　" and its text, as a block of its own. */
			if (ev == CMARK_EVENT_ENTER && pia_md_note_no(n) > 0) {
				if (blocks > 0)
					pia_buf_putc(&b, '\n');
				pia_buf_printf(&b, "注%u　", pia_md_note_no(n));
				blocks = 0;	/* its paragraph goes on this line */
			}
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	return pia_buf_take(&b);
}

int
pia_md_is_measure_heading(cmark_node *p)
{
	cmark_node *t = cmark_node_first_child(p);
	const char *s;
	size_t n;

	if (cmark_node_get_type(p) != CMARK_NODE_PARAGRAPH || t == NULL ||
	    cmark_node_next(t) != NULL || cmark_node_get_type(t) != CMARK_NODE_TEXT)
		return 0;
	s = cmark_node_get_literal(t);
	n = strlen(s);
	/* ＜…＞ is U+FF1C … U+FF1E, three bytes each. */
	return n > 6 && strncmp(s, "＜", 3) == 0 && strcmp(s + n - 3, "＞") == 0 &&
	    strstr(s + 3, "＜") == NULL;
}
