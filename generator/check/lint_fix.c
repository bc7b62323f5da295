/*
 * pia check --fix: the safe fixes applied to the source files themselves.
 * Only bytes that are text change: the text and attribute values of XML
 * (never names, comments or processing instructions), the lines of
 * Markdown.  Each fix is a byte-level substitution found by the same
 * scanner that reports the problem (lint_find_fixes), so meaning never
 * changes; the file is replaced atomically (util/atomic.c: a temporary
 * file beside it, synced, then renamed) and only when something changed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "diag.h"
#include "lint_int.h"
#include "util.h"

struct ffile {
	struct pia_lint		*L;
	const char		*path;
	const struct utext	*t;
	struct lint_fix		*v;
	size_t			 n;
	int			 changes;	/* changes.xml: 説明 variants too */
};

static int
at_str(const struct utext *t, size_t i, const char *s)
{
	size_t len = strlen(s);

	return t->off[i] + len <= t->len && memcmp(t->s + t->off[i], s, len) == 0;
}

/* Index of the code point where s starts at or after i, or t->n. */
static size_t
find_str(const struct utext *t, size_t i, const char *s)
{
	for (; i < t->n; i++)
		if (at_str(t, i, s))
			return i;
	return t->n;
}

/*
 * A value that is only a number or a 和暦 date written with full-width
 * digits (「１０」「令和７年１０月１日」) gets half-width ones: the loader
 * reads it so already (VAL_FULLWIDTH).  Text around numbers is left alone.
 */
static void
fullwidth_value(struct ffile *F, size_t i, size_t j)
{
	static const char date_words[] = "令和平成昭和元年月日度，,";
	const struct utext *t = F->t;
	size_t k, n, wide = 0;
	char *v, *half;
	struct lint_fix *f;
	char u[8];

	while (i < j && (t->cp[i] == ' ' || t->cp[i] == '\n' || t->cp[i] == '\t'))
		i++;
	while (j > i && (t->cp[j - 1] == ' ' || t->cp[j - 1] == '\n' || t->cp[j - 1] == '\t'))
		j--;
	for (k = i; k < j; k++) {
		if (t->cp[k] >= 0xFF10 && t->cp[k] <= 0xFF19) {
			wide++;
			continue;
		}
		if (t->cp[k] >= '0' && t->cp[k] <= '9')
			continue;
		n = k + 1 < t->n ? t->off[k + 1] - t->off[k] : t->len - t->off[k];
		snprintf(u, sizeof(u), "%.*s", (int)n, t->s + t->off[k]);
		if (t->cp[k] < 0x80 || strstr(date_words, u) == NULL)
			return;
	}
	/* Only where no other fix touches the value. */
	for (k = 0; k < F->n; k++)
		if (F->v[k].off >= t->off[i] && F->v[k].off < t->off[j])
			return;
	if (wide == 0)
		return;
	v = xstrndup(t->s + t->off[i], t->off[j] - t->off[i]);
	if ((half = pia_halfwidth_digits(v)) != NULL && strlen(half) < sizeof(F->v[0].to) &&
	    strlen(v) < sizeof(F->v[0].what) - 8) {
		F->v = xrealloc(F->v, (F->n + 1) * sizeof(*F->v));
		f = &F->v[F->n++];
		memset(f, 0, sizeof(*f));
		f->off = t->off[i];
		f->len = t->off[j] - t->off[i];
		snprintf(f->to, sizeof(f->to), "%s", half);
		snprintf(f->what, sizeof(f->what), "「%s」", v);
		snprintf(f->repl, sizeof(f->repl), "「%s」", half);
	}
	free(half);
	free(v);
}

/* A text segment of XML: the fixes, and NBSP written as a character reference. */
static void
segment(struct ffile *F, size_t i, size_t j)
{
	static const char *const refs[] = { "&#160;", "&#xA0;", "&#xa0;", "&#x00A0;", "&#x00a0;" };
	const struct utext *t = F->t;
	size_t k, r;

	lint_find_fixes(t, i, j, 0, &F->v, &F->n);
	fullwidth_value(F, i, j);
	for (k = i; k < j; k++) {
		if (t->cp[k] != '&')
			continue;
		for (r = 0; r < sizeof(refs) / sizeof(refs[0]); r++)
			if (at_str(t, k, refs[r])) {
				F->v = xrealloc(F->v, (F->n + 1) * sizeof(*F->v));
				memset(&F->v[F->n], 0, sizeof(F->v[F->n]));
				F->v[F->n].off = t->off[k];
				F->v[F->n].len = strlen(refs[r]);
				snprintf(F->v[F->n].to, sizeof(F->v[F->n].to), " ");
				snprintf(F->v[F->n].what, sizeof(F->v[F->n].what), "%s", refs[r]);
				snprintf(F->v[F->n].repl, sizeof(F->v[F->n].repl), "空白");
				F->n++;
				break;
			}
	}
}

/* 説明="重要な変更該当する変更" → 説明="重要な変更" in changes.xml. */
static void
reason_value(struct ffile *F, size_t i, size_t j)
{
	const struct utext *t = F->t;
	const char *value;
	size_t st, len;
	char *v = xstrndup(t->s + t->off[i], t->off[j] - t->off[i]);
	enum pia_reason_how how = pia_lint_reason(F->L, v, &value, &st, &len);

	/* Only a misspelling: 説明 is free text, its wording is the city's. */
	if (how == PIA_REASON_VARIANT && st == 0 &&
	    len == strlen(v) && strlen(value) < sizeof(F->v[0].to)) {
		struct lint_fix *f;
		F->v = xrealloc(F->v, (F->n + 1) * sizeof(*F->v));
		f = &F->v[F->n++];
		memset(f, 0, sizeof(*f));
		f->off = t->off[i];
		f->len = t->off[j] - t->off[i];
		snprintf(f->to, sizeof(f->to), "%s", value);
		snprintf(f->what, sizeof(f->what), "説明「%s」", v);
		snprintf(f->repl, sizeof(f->repl), "「%s」", value);
	}
	free(v);
}

static void
scan_xml(struct ffile *F)
{
	const struct utext *t = F->t;
	size_t i = 0, j, name, name_end;
	uint32_t q;

	while (i < t->n) {
		if (t->cp[i] != '<') {
			for (j = i; j < t->n && t->cp[j] != '<'; j++)
				;
			segment(F, i, j);
			i = j;
			continue;
		}
		if (at_str(t, i, "<!--")) {
			i = find_str(t, i + 4, "-->") + 3;
			continue;
		}
		if (at_str(t, i, "<![CDATA[")) {
			j = find_str(t, i + 9, "]]>");
			segment(F, i + 9, j);
			i = j + 3;
			continue;
		}
		if (at_str(t, i, "<?")) {
			i = find_str(t, i + 2, "?>") + 2;
			continue;
		}
		/* A tag: attribute values are text. */
		for (j = i + 1; j < t->n && t->cp[j] != '>';) {
			if (t->cp[j] != '"' && t->cp[j] != '\'') {
				j++;
				continue;
			}
			q = t->cp[j];
			/* The attribute's name: back over "=" and the name. */
			for (name_end = j; name_end > i && (t->cp[name_end - 1] == '=' ||
			    t->cp[name_end - 1] == ' '); name_end--)
				;
			for (name = name_end; name > i && t->cp[name - 1] != ' ' &&
			    t->cp[name - 1] != '\t' && t->cp[name - 1] != '\n'; name--)
				;
			i = ++j;
			while (j < t->n && t->cp[j] != q)
				j++;
			if (F->changes && t->off[name_end] - t->off[name] == strlen("説明") &&
			    memcmp(t->s + t->off[name], "説明", strlen("説明")) == 0) {
				size_t before = F->n;
				reason_value(F, i, j);
				if (F->n == before)
					segment(F, i, j);
			} else
				segment(F, i, j);
			if (j < t->n)
				j++;
		}
		i = j + 1;
	}
}

/* Markdown: every line; NBSP at a line's start goes (a space could make code). */
static void
scan_md(struct ffile *F)
{
	const struct utext *t = F->t;
	size_t k;

	lint_find_fixes(t, 0, t->n, 0, &F->v, &F->n);
	for (k = 0; k < F->n; k++) {
		size_t i, o = F->v[k].off;
		if (strcmp(F->v[k].to, " ") != 0)
			continue;
		for (i = o; i > 0 && (t->s[i - 1] == ' ' || (i >= 2 &&
		    (unsigned char)t->s[i - 2] == 0xC2 && (unsigned char)t->s[i - 1] == 0xA0));)
			i -= t->s[i - 1] == ' ' ? 1 : 2;
		if (i == 0 || t->s[i - 1] == '\n') {
			F->v[k].to[0] = '\0';
			snprintf(F->v[k].repl, sizeof(F->v[k].repl), "（削除）");
		}
	}
}

static int
by_offset(const void *a, const void *b)
{
	const struct lint_fix *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

int
pia_lint_write_file(struct pia_diag *d, const char *path, const char *buf, size_t len)
{
	struct pia_pos pos = { path, 0, 0 };

	if (pia_atomic_write(path, buf, len) == 0)
		return 0;
	pia_diag(d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(errno));
	return -1;
}

int
pia_lint_fix_file(struct pia_lint *L, const char *path)
{
	struct ffile F;
	struct utext t;
	struct lint_src src;
	struct pia_pos pos = { path, 0, 0 };
	struct pia_buf out = { 0 };
	size_t len, i, at = 0, bad, n, cap;
	const char *base;
	char *buf;
	int rc;

	if (pia_read_file(path, 64u * 1024 * 1024, &buf, &len) != 0) {
		pia_diag(L->d, &pos, PIA_MSG_SYS_OPEN, strerror(errno));
		return -1;
	}
	if (!pia_utf8_valid(buf, len, &bad)) {
		free(buf);
		return 0;	/* the loader reports it */
	}
	utext_init(&t, buf, len);
	memset(&F, 0, sizeof(F));
	F.L = L;
	F.path = path;
	F.t = &t;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	F.changes = strcmp(base, "changes.xml") == 0;
	n = strlen(path);
	if (n > 4 && strcmp(path + n - 4, ".xml") == 0)
		scan_xml(&F);
	else
		scan_md(&F);
	if (F.n == 0) {
		rc = 0;
		goto out;
	}
	qsort(F.v, F.n, sizeof(*F.v), by_offset);
	/* Positions in the file as it was. */
	memset(&src, 0, sizeof(src));
	src.path = (char *)path;
	src.buf = buf;
	src.len = len;
	cap = 64;
	src.lines = xmalloc(cap * sizeof(*src.lines));
	src.lines[0] = 0;
	src.nlines = 1;
	for (i = 0; i < len; i++)
		if (buf[i] == '\n') {
			if (src.nlines == cap) {
				cap *= 2;
				src.lines = xrealloc(src.lines, cap * sizeof(*src.lines));
			}
			src.lines[src.nlines++] = i + 1;
		}
	for (i = 0; i < F.n; i++) {
		pos = lint_src_pos(&src, F.v[i].off);
		pos.file = path;
		pia_diag(L->d, &pos, PIA_MSG_FIX_APPLIED, F.v[i].what, F.v[i].repl);
		pia_buf_put(&out, buf + at, F.v[i].off - at);
		pia_buf_puts(&out, F.v[i].to);
		at = F.v[i].off + F.v[i].len;
	}
	pia_buf_put(&out, buf + at, len - at);
	free(src.lines);
	rc = pia_lint_write_file(L->d, path, out.data ? out.data : "", out.len) == 0 ? (int)F.n : -1;
	pia_buf_free(&out);
out:
	free(F.v);
	utext_free(&t);
	free(buf);
	return rc;
}
