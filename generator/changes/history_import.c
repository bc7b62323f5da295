/*
 * A 変更箇所一覧 exported from a spreadsheet, made into rows of the
 * history.  The header row names the columns (変更日 or ページ, 項目,
 * 変更前の記載, 変更後の記載, 提出時期, 提出時期に係る説明; others are
 * kept as <列>, the columns of the 変更点リスク評価表 become their
 * elements); header rows repeated at page breaks are skipped.  Every row
 * is checked like a row of changes.xml (pia_changes_check) and every cell
 * by the text lint, each problem at ROW:COLUMN with ROW counted from 1 at
 * the first data row.  No row is ever dropped: one that cannot be read is
 * kept with its original text (<原文>) and reported.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "diag.h"
#include "form.h"
#include "history.h"
#include "lint.h"
#include "load.h"
#include "model.h"
#include "pia.h"
#include "tabular.h"
#include "util.h"
#include "wareki.h"

struct importer {
	struct pia_diag		*d;
	struct pia_lint		*L;
	const char		*file;
	struct pia_table	 T;
	/* The header. */
	char			**cols;		/* column names as printed in messages */
	enum pia_tab_role	*roles;
	size_t			 ncols;
	size_t			 col[PIA_TAB_EXTRA];	/* 1-based column of each role, 0: none */
	/* Rows. */
	struct pia_hrow		*rows;
	struct pia_tab_record	**rec;		/* each row's record */
	int			*junk;		/* rows not read as changes */
	size_t			*map;		/* checked row → row (junk rows are not checked) */
	size_t			 n;
	int			 fix;
};

static void
set_header(struct importer *I, const struct pia_tab_record *r)
{
	size_t i;
	enum pia_tab_role x;

	I->ncols = r->n;
	I->cols = xcalloc(r->n, sizeof(*I->cols));
	I->roles = xcalloc(r->n, sizeof(*I->roles));
	for (i = 0; i < r->n; i++) {
		char *t = pia_strtrim(r->f[i]), *p;
		for (p = t; *p; p++)
			if (*p == '\n' || *p == '\t' || *p == '\r')
				*p = ' ';
		I->cols[i] = *t ? t : xasprintf("列%zu", i + 1);
		if (*t == '\0')
			free(t);
		x = pia_tab_role_of(r->f[i]);
		if (x != PIA_TAB_EXTRA && I->col[x] == 0)
			I->col[x] = i + 1;
		else
			x = PIA_TAB_EXTRA;
		I->roles[i] = x;
	}
}

static void
default_header(struct importer *I)
{
	static const enum pia_tab_role order[] = { PIA_TAB_DATE, PIA_TAB_ITEM, PIA_TAB_BEFORE, PIA_TAB_AFTER, PIA_TAB_TIMING, PIA_TAB_REASON };
	size_t i;

	I->ncols = 6;
	I->cols = xcalloc(6, sizeof(*I->cols));
	I->roles = xcalloc(6, sizeof(*I->roles));
	for (i = 0; i < 6; i++) {
		I->cols[i] = xstrdup(pia_tab_role_names[order[i]]);
		I->roles[i] = order[i];
		I->col[order[i]] = i + 1;
	}
}

/* ---- rows -------------------------------------------------------------- */

static struct pia_pos
cell(struct importer *I, size_t row, size_t col)
{
	struct pia_pos p = { I->file, (unsigned)row + 1, (unsigned)col };

	return p;
}

static struct pia_pos
field_pos(const void *ctx, size_t row, enum pia_chg_field f)
{
	struct importer *I = (struct importer *)(uintptr_t)ctx;
	static const enum pia_tab_role map[PIA_CHG__MAX] = {
		[PIA_CHG_DATE] = PIA_TAB_DATE, [PIA_CHG_PAGE] = PIA_TAB_PAGE, [PIA_CHG_ITEM] = PIA_TAB_ITEM,
		[PIA_CHG_BEFORE] = PIA_TAB_BEFORE, [PIA_CHG_AFTER] = PIA_TAB_AFTER,
		[PIA_CHG_TIMING] = PIA_TAB_TIMING, [PIA_CHG_REASON] = PIA_TAB_REASON
	};
	size_t col = I->col[map[f]];

	if (I->map != NULL)
		row = I->map[row];

	/* A list with pages but no dates: date problems belong to the page column. */
	if (col == 0 && f == PIA_CHG_DATE)
		col = I->col[PIA_TAB_PAGE];
	/* The row's own line: merged rows leave gaps. */
	return cell(I, I->rows[row].c.pos.line - 1, col);
}

/*
 * A cell a PDF-to-HTML tool wrapped in <p>…</p> (the seeds have whole rows
 * so): the text inside, its character references decoded.  NULL when the
 * cell is not wrapped.  The wrapper is reported as LINT_MARKUP.
 */
static char *
unwrap(const char *s)
{
	static const struct { const char *ref, *ch; } refs[] = {
		{ "&lt;", "<" }, { "&gt;", ">" }, { "&amp;", "&" }, { "&quot;", "\"" },
		{ "&#39;", "'" }, { "&apos;", "'" }, { "&nbsp;", "\xC2\xA0" }
	};
	struct pia_buf b = { 0 };
	char *t = pia_strtrim(s);
	size_t n = strlen(t), i, k;

	if (n < 7 || strncasecmp(t, "<p>", 3) != 0 || strcasecmp(t + n - 4, "</p>") != 0) {
		free(t);
		return NULL;
	}
	t[n - 4] = '\0';
	for (i = 3; t[i] != '\0';) {
		for (k = 0; k < sizeof(refs) / sizeof(refs[0]); k++)
			if (strncmp(t + i, refs[k].ref, strlen(refs[k].ref)) == 0)
				break;
		if (k < sizeof(refs) / sizeof(refs[0])) {
			pia_buf_puts(&b, refs[k].ch);
			i += strlen(refs[k].ref);
		} else
			pia_buf_putc(&b, t[i++]);
	}
	free(t);
	return b.data ? pia_buf_take(&b) : xstrdup("");
}

/* Cell col of r (1-based; 0 or past the end: empty), unwrapped. */
static char *
get(struct importer *I, size_t row, const struct pia_tab_record *r, size_t col)
{
	char *s, *u;

	if (col == 0 || col > r->n)
		return xstrdup("");
	s = xstrdup(r->f[col - 1]);
	if ((u = unwrap(s)) != NULL) {
		struct pia_pos p = cell(I, row, col);
		pia_diag(I->d, &p, PIA_MSG_LINT_MARKUP, "<p>");
		free(s);
		s = u;
	}
	return s;
}

/* The fixes of a cell (--fix), reported at its row and column. */
static char *
fixed(struct importer *I, size_t row, size_t col, char *s, unsigned flags)
{
	struct pia_pos p = cell(I, row, col);
	char *t;

	if (!I->fix || col == 0)
		return s;
	t = pia_lint_fix_text(I->L, &p, s, flags);
	free(s);
	return t;
}

/*
 * The 説明 cell, kept as written (real lists say 「法令改正による。」
 * 「精査による。」: free text).  With --fix, a cell that is wholly a
 * known wording of a vocabulary value becomes that value, as pia check
 * --fix does in changes.xml.
 */
static void
reason(struct importer *I, size_t row, struct pia_change *c, const char *cellv)
{
	const char *value;
	size_t st, len;
	enum pia_reason_how how;
	struct pia_pos p;
	char *what, *to;

	c->reason = pia_strtrim(cellv);
	if (!I->fix)
		return;
	how = pia_lint_reason(I->L, c->reason, &value, &st, &len);
	if ((how == PIA_REASON_VARIANT || how == PIA_REASON_FORM) && st == 0 &&
	    len == strlen(c->reason)) {
		p = cell(I, row, I->col[PIA_TAB_REASON]);
		what = xasprintf("説明「%s」", c->reason);
		to = xasprintf("「%s」", value);
		pia_diag(I->d, &p, PIA_MSG_FIX_APPLIED, what, to);
		free(what);
		free(to);
		free(c->reason);
		c->reason = xstrdup(value);
	}
}

/*
 * "(3-1)" or "（3-1）" at the end of an item: part 1 of a text a city split
 * over 3 rows to fit a printed page.  Returns 1 and fills *of, *part, the
 * item before the mark (*base) and the mark (*mark), both trimmed (caller
 * frees); else 0.
 */
static int
split_mark(const char *item, unsigned *of, unsigned *part, char **base, char **mark)
{
	char *t = pia_strtrim(item);
	size_t n = strlen(t), close, open, q;
	unsigned x = 0, y = 0;
	int dash = 0, digits = 0, hit = 0;

	if (n >= 1 && t[n - 1] == ')')
		close = n - 1;
	else if (n >= 3 && strcmp(t + n - 3, "）") == 0)
		close = n - 3;
	else
		goto out;
	for (q = close; q > 0 && ((t[q - 1] >= '0' && t[q - 1] <= '9') || t[q - 1] == '-'); q--)
		;
	if (q > 0 && t[q - 1] == '(')
		open = q - 1;
	else if (q >= 3 && strncmp(t + q - 3, "（", 3) == 0)
		open = q - 3;
	else
		goto out;
	for (; q < close; q++) {
		if (t[q] == '-') {
			if (dash++ || digits == 0)
				goto out;
			digits = 0;
		} else if (digits++ < 3) {
			if (dash)
				y = y * 10 + (unsigned)(t[q] - '0');
			else
				x = x * 10 + (unsigned)(t[q] - '0');
		} else
			goto out;
	}
	if (dash != 1 || digits == 0 || x < 2 || y < 1 || y > x)
		goto out;
	*of = x;
	*part = y;
	*mark = xstrdup(t + open);
	t[open] = '\0';
	*base = pia_strtrim(t);
	hit = 1;
out:
	free(t);
	return hit;
}

static int
page_ok(const char *s)
{
	char *t = pia_strtrim(s);
	const char *p = t;
	int digits = 0, ok;

	if (strncmp(p, "P", 1) == 0 || strncmp(p, "p", 1) == 0)
		p++;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p != '-' && *p != ',' && *p != '~' && strncmp(p, "～", 3) != 0 &&
		    strncmp(p, "、", 3) != 0 && strncmp(p, "ページ", 9) != 0 &&
		    strncmp(p, "頁", 3) != 0)
			break;
		else if ((unsigned char)*p >= 0x80)
			p += (strncmp(p, "ページ", 9) == 0 ? 9 : 3) - 1;
	}
	ok = digits > 0 && *p == '\0';
	free(t);
	return ok;
}

static int
blank_str(const char *s)
{
	char *t = pia_strtrim(s ? s : "");
	int r = *t == '\0';

	free(t);
	return r;
}

/*
 * The 変更前/変更後 of a date item (実施日, 公表日, 保有開始日) holding a
 * bare number: an Excel serial that lost its format (domain.md §6 A1).
 */
static void
serial_cell(struct importer *I, size_t row, size_t col, const char *item, const char *v)
{
	char *i = pia_strtrim(item), *t = pia_strtrim(v), buf[64];
	size_t n = strlen(i);
	struct pia_date d;
	struct pia_pos p;

	if (col > 0 && n >= 3 && (strcmp(i + n - 3, "日") == 0 || strstr(i, "年月") != NULL) &&
	    pia_wareki_parse(t, PIA_WAREKI_DATE, &d) == PIA_WAREKI_SERIAL && strlen(t) == 5) {
		p = cell(I, row, col);
		pia_diag(I->d, &p, PIA_MSG_DATE_SERIAL, t,
		    pia_wareki_format(&d, buf, sizeof(buf)) ? buf : "?");
	}
	free(i);
	free(t);
}

static void
read_row(struct importer *I, struct pia_tab_record *r)
{
	size_t row = I->n;
	struct pia_change *c;
	struct pia_date asof;
	const struct pia_date *ap;
	char *reason_cell, *why;

	I->rows = xrealloc(I->rows, (I->n + 1) * sizeof(*I->rows));
	I->rec = xrealloc(I->rec, (I->n + 1) * sizeof(*I->rec));
	I->junk = xrealloc(I->junk, (I->n + 1) * sizeof(*I->junk));
	I->junk[I->n] = 0;
	memset(&I->rows[I->n], 0, sizeof(I->rows[I->n]));
	c = &I->rows[I->n].c;
	I->rec[I->n] = r;
	I->n++;
	c->pos = cell(I, row, 0);
	c->date_text = fixed(I, row, I->col[PIA_TAB_DATE], get(I, row, r, I->col[PIA_TAB_DATE]), PIA_LINT_PATH);
	/* --fix: 令和７年 written 令和7年 (without it, read so with VAL_FULLWIDTH). */
	if (I->fix && I->col[PIA_TAB_DATE] != 0) {
		char *half = pia_halfwidth_digits(c->date_text);

		if (half != NULL) {
			struct pia_pos p = cell(I, row, I->col[PIA_TAB_DATE]);
			pia_diag(I->d, &p, PIA_MSG_FIX_APPLIED, c->date_text, half);
			free(c->date_text);
			c->date_text = half;
		}
	}
	/*
	 * An empty 変更日 under a dated row: a merged cell of the spreadsheet,
	 * which Excel exports in its first row only.  The row has that date.
	 */
	if (blank_str(c->date_text) && row > 0 && !blank_str(I->rows[row - 1].c.date_text) &&
	    !pia_tab_junk(r)) {
		free(c->date_text);
		c->date_text = xstrdup(I->rows[row - 1].c.date_text);
	}
	c->item = fixed(I, row, I->col[PIA_TAB_ITEM], get(I, row, r, I->col[PIA_TAB_ITEM]), PIA_LINT_PATH);
	c->before = fixed(I, row, I->col[PIA_TAB_BEFORE], get(I, row, r, I->col[PIA_TAB_BEFORE]), PIA_LINT_ROW);
	c->after = fixed(I, row, I->col[PIA_TAB_AFTER], get(I, row, r, I->col[PIA_TAB_AFTER]), PIA_LINT_ROW);
	c->timing = fixed(I, row, I->col[PIA_TAB_TIMING], get(I, row, r, I->col[PIA_TAB_TIMING]), PIA_LINT_PATH);
	c->page = I->col[PIA_TAB_PAGE] ? get(I, row, r, I->col[PIA_TAB_PAGE]) : NULL;
	reason_cell = fixed(I, row, I->col[PIA_TAB_REASON], get(I, row, r, I->col[PIA_TAB_REASON]), PIA_LINT_ROW);

	if (r->open_quote > 0) {
		struct pia_pos p = cell(I, row, r->open_quote);
		pia_diag(I->d, &p, PIA_MSG_IMP_QUOTE);
	}
	if (pia_tab_junk(r) || (blank_str(c->item) && blank_str(c->before) && blank_str(c->after))) {
		struct pia_pos p = cell(I, row, 1);
		pia_diag(I->d, &p, PIA_MSG_IMP_ROW);
		I->rows[row].raw = xstrndup(I->T.buf + r->start, r->end - r->start);
		I->junk[row] = 1;
	} else if (blank_str(c->item) && r->n == I->ncols) {
		/*
		 * Text without a 項目: a long cell the export or a page break
		 * split off its row (domain.md §6 C32).  Which row it belongs to
		 * is a guess, so it is kept as written, not checked as a change.
		 */
		struct pia_pos p = cell(I, row, I->col[PIA_TAB_ITEM]);
		pia_diag(I->d, &p, PIA_MSG_IMP_FRAGMENT);
		I->rows[row].raw = xstrndup(I->T.buf + r->start, r->end - r->start);
		I->junk[row] = 1;
	} else if (r->n != I->ncols) {
		struct pia_pos p = cell(I, row, r->n > I->ncols ? I->ncols + 1 : r->n + 1);
		pia_diag(I->d, &p, PIA_MSG_IMP_FIELDS, (unsigned)r->n, (unsigned)I->ncols,
		    r->n > I->ncols ? "余った列は原文として残しました" :
		    "足りない列は空欄と見なしました");
		/* Fields shifted by a stray tab: not checked as a change, only kept. */
		if (r->n > I->ncols) {
			I->rows[row].raw = xstrndup(I->T.buf + r->start, r->end - r->start);
			I->junk[row] = 1;
		}
	}
	if (pia_tab_junk(r)) {
		reason(I, row, c, reason_cell);
		free(reason_cell);
		return;
	}

	/* The text lint of every cell, as of the row's date. */
	ap = NULL;
	if (pia_wareki_parse(c->date_text, PIA_WAREKI_DATE, &asof) <= PIA_WAREKI_GANNEN)
		ap = &asof;
	{
		struct pia_pos p;
		p = cell(I, row, I->col[PIA_TAB_ITEM]);
		if (I->col[PIA_TAB_ITEM])
			pia_lint_text(I->L, &p, c->item, PIA_LINT_PATH | PIA_LINT_PLAIN, NULL);
		p = cell(I, row, I->col[PIA_TAB_BEFORE]);
		if (I->col[PIA_TAB_BEFORE])
			pia_lint_text(I->L, &p, c->before, PIA_LINT_ROW | PIA_LINT_PLAIN |
			    PIA_LINT_OLD, ap);
		p = cell(I, row, I->col[PIA_TAB_AFTER]);
		if (I->col[PIA_TAB_AFTER])
			pia_lint_text(I->L, &p, c->after, PIA_LINT_ROW | PIA_LINT_PLAIN |
			    PIA_LINT_CURRENT | PIA_LINT_TERMS, ap);
		p = cell(I, row, I->col[PIA_TAB_TIMING]);
		if (I->col[PIA_TAB_TIMING])
			pia_lint_text(I->L, &p, c->timing, PIA_LINT_PATH | PIA_LINT_PLAIN, NULL);
		p = cell(I, row, I->col[PIA_TAB_REASON]);
		if (I->col[PIA_TAB_REASON])
			pia_lint_text(I->L, &p, reason_cell, PIA_LINT_ROW | PIA_LINT_PLAIN, NULL);
		serial_cell(I, row, I->col[PIA_TAB_BEFORE], c->item, c->before);
		serial_cell(I, row, I->col[PIA_TAB_AFTER], c->item, c->after);
		if (I->col[PIA_TAB_PAGE] && !page_ok(c->page) && !I->junk[row]) {
			p = cell(I, row, I->col[PIA_TAB_PAGE]);
			why = pia_strtrim(c->page);
			pia_diag(I->d, &p, PIA_MSG_IMP_PAGE, why);
			free(why);
		}
	}
	reason(I, row, c, reason_cell);
	free(reason_cell);
}

/*
 * Which risk element extra column k of row i fills (index into
 * pia_history_risk_names): a column named like one, with a non-empty cell; for
 * リスク変化 only あり or なし.  -2 for such a column's empty cell (no
 * element at all), -1 for the rest (kept as a <列>).
 */
static int
risk_col(const struct importer *I, size_t k, size_t i)
{
	char *name, *t;
	size_t j;
	int r, hit = -1;

	if (I->roles[k] != PIA_TAB_EXTRA)
		return -1;
	name = pia_tab_squeeze(I->cols[k]);
	for (r = 0; pia_history_risk_names[r] != NULL && hit < 0; r++)
		if (strcmp(name, pia_history_risk_names[r]) == 0)
			hit = r;
	/* A second column of the same name stays a <列>. */
	for (j = 0; j < k && hit >= 0; j++)
		if (I->roles[j] == PIA_TAB_EXTRA) {
			t = pia_tab_squeeze(I->cols[j]);
			if (strcmp(t, name) == 0)
				hit = -1;
			free(t);
		}
	free(name);
	if (hit < 0)
		return -1;
	t = pia_strtrim(I->rec[i]->f[k]);
	if (*t == '\0')
		hit = -2;
	else if (hit == 1 && strcmp(t, "あり") != 0 && strcmp(t, "なし") != 0)
		hit = -1;
	free(t);
	return hit;
}

/* ---- rows split for print ------------------------------------------------ */

/* An item compared loosely: without white space and dashes ("- 7特定…" and "7特定…"). */
static char *
item_key(const char *s)
{
	static const char *const dashes[] = { "-", "‐", "–", "—", "―", "−", "ー", NULL };
	char *t = pia_tab_squeeze(s), *p;
	size_t i, l;
	struct pia_buf b = { 0 };

	for (p = t; *p;) {
		for (i = 0; dashes[i] != NULL && strncmp(p, dashes[i], strlen(dashes[i])) != 0; i++)
			;
		if (dashes[i] != NULL) {
			p += strlen(dashes[i]);
			continue;
		}
		l = 1;
		pia_buf_put(&b, p, l);
		p += l;
	}
	free(t);
	return b.data ? pia_buf_take(&b) : xstrdup("");
}

static int
ends(const struct pia_buf *b, const char *suffix)
{
	size_t n = strlen(suffix);

	return b->len >= n && memcmp(b->data + b->len - n, suffix, n) == 0;
}

/* A part that holds nothing: the rows after the first repeat (記載なし). */
static int
says_nothing(const char *s)
{
	return *s == '\0' || strcmp(s, "(記載なし)") == 0 || strcmp(s, "（記載なし）") == 0 ||
	    strcmp(s, "記載なし") == 0;
}

/*
 * The text of a split value: the parts in order, each trimmed.  A part
 * that holds nothing is left out when another holds text, and a part
 * equal to the one before it (the unchanged 変更前 repeated on every
 * printed row) is taken once.  A part that ends a sentence or a bracket
 * is followed by a newline; otherwise the next goes on (a cut in the
 * middle of a sentence).  Caller frees.
 */
static char *
join_parts(char *const *parts, size_t n)
{
	struct pia_buf b = { 0 };
	const char *prev = NULL;
	size_t i;
	int text = 0;

	for (i = 0; i < n; i++)
		text |= !says_nothing(parts[i]);
	for (i = 0; i < n; i++) {
		if ((text && says_nothing(parts[i])) || (prev != NULL && strcmp(prev, parts[i]) == 0))
			continue;
		if (b.len > 0 && (ends(&b, "。") || ends(&b, "）") || ends(&b, ")") ||
		    ends(&b, "」") || ends(&b, "．")))
			pia_buf_putc(&b, '\n');
		pia_buf_puts(&b, parts[i]);
		prev = parts[i];
	}
	return b.data ? pia_buf_take(&b) : xstrdup("");
}

/*
 * Rows g[0..n) are one value split for print: the first becomes the whole
 * row (its item without the mark, the texts joined), the others are
 * emptied for removal.  Reports IMP_SPLIT naming the rows.
 */
static void
merge_group(struct importer *I, const size_t *g, size_t n, char *base, char *const *marks)
{
	struct pia_change *c = &I->rows[g[0]].c;
	char **before = xcalloc(n, sizeof(*before)), **after = xcalloc(n, sizeof(*after));
	struct pia_buf lines = { 0 };
	struct pia_pos p;
	char *span;
	size_t k;

	for (k = 0; k < n; k++) {
		before[k] = pia_strtrim(I->rows[g[k]].c.before);
		after[k] = pia_strtrim(I->rows[g[k]].c.after);
		pia_buf_printf(&lines, "%s%u", k ? "・" : "", I->rows[g[k]].c.pos.line);
	}
	span = xasprintf("項目の「%s」〜「%s」", marks[0], marks[n - 1]);
	p = cell(I, c->pos.line - 1, I->col[PIA_TAB_ITEM]);
	pia_diag(I->d, &p, PIA_MSG_IMP_SPLIT, lines.data, span);
	free(span);
	pia_buf_free(&lines);
	free(c->item);
	c->item = base;
	free(c->before);
	free(c->after);
	c->before = join_parts(before, n);
	c->after = join_parts(after, n);
	for (k = 0; k < n; k++) {
		free(before[k]);
		free(after[k]);
		if (k > 0)
			I->junk[g[k]] = -1;
	}
	free(before);
	free(after);
}

/*
 * Rows a city split into (3-1), (3-2), (3-3) to fit a printed page (seed
 * 001's last date) are one change: each complete run of parts, in order,
 * of one date and one item (compared loosely; separator lines between
 * are passed over), becomes one row.  A part outside such a run is kept
 * as it is and reported (IMP_SPLIT_PART).
 */
static void
merge_splits(struct importer *I)
{
	size_t *g = xcalloc(I->n ? I->n : 1, sizeof(*g)), n, i, j, k, keep;
	char **marks = xcalloc(I->n ? I->n : 1, sizeof(*marks)), *base, *b2, *m2;
	char *key, *k2, *d1, *d2;
	unsigned of, part, of2, part2;
	struct pia_pos p;

	for (i = 0; I->col[PIA_TAB_ITEM] && i < I->n; i++) {
		/* Junk rows, and parts merged into an earlier row (-1), start no run. */
		if (I->junk[i] ||
		    !split_mark(I->rows[i].c.item, &of, &part, &base, &marks[0]))
			continue;
		n = 0;
		g[n++] = i;
		key = item_key(base);
		d1 = pia_strtrim(I->rows[i].c.date_text);
		for (j = i + 1; part == 1 && n < of && j < I->n; j++) {
			if (I->junk[j])
				continue;
			if (!split_mark(I->rows[j].c.item, &of2, &part2, &b2, &m2))
				break;
			k2 = item_key(b2);
			d2 = pia_strtrim(I->rows[j].c.date_text);
			free(b2);
			if (of2 != of || part2 != n + 1 || strcmp(k2, key) != 0 || strcmp(d1, d2) != 0) {
				free(m2);
				free(k2);
				free(d2);
				break;
			}
			marks[n] = m2;
			g[n++] = j;
			free(k2);
			free(d2);
		}
		free(key);
		free(d1);
		if (n == of)
			merge_group(I, g, n, base, marks);
		else {
			p = cell(I, I->rows[i].c.pos.line - 1, I->col[PIA_TAB_ITEM]);
			pia_diag(I->d, &p, PIA_MSG_IMP_SPLIT_PART, marks[0]);
			free(base);
		}
		for (k = 0; k < n; k++)
			free(marks[k]);
	}
	/* Drop the rows merged into another. */
	for (i = keep = 0; i < I->n; i++) {
		if (I->junk[i] == -1) {
			pia_history_free_row(&I->rows[i]);
			continue;
		}
		I->rows[keep] = I->rows[i];
		I->rec[keep] = I->rec[i];
		I->junk[keep++] = I->junk[i];
	}
	I->n = keep;
	free(g);
	free(marks);
}

/* ---- the rows as written ------------------------------------------------ */

static void
trim(char **s)
{
	char *t = pia_strtrim(*s ? *s : "");

	free(*s);
	*s = t;
}

/*
 * Row i as changes.xml holds it: attributes trimmed, the columns of the 変更点リスク評価表 as their elements (pia(5)), other
 * columns as <列>.
 */
static void
finish_row(struct importer *I, size_t i)
{
	struct pia_hrow *h = &I->rows[i];
	struct pia_change *c = &h->c;
	const struct pia_tab_record *r = I->rec[i];
	char **risk[] = { &c->change_reason, &c->risk_change, &c->risk_status, &c->risk_measure };
	size_t k;
	int x;

	trim(&c->date_text);
	trim(&c->item);
	trim(&c->timing);
	if (c->page != NULL)
		trim(&c->page);
	for (k = 0; k < I->ncols && k < r->n; k++) {
		x = risk_col(I, k, i);
		if (x >= 0 && *risk[x] == NULL)
			*risk[x] = pia_strtrim(r->f[k]);
		else if (x >= 0 || (I->roles[k] == PIA_TAB_EXTRA && x == -1)) {
			h->cols = xrealloc(h->cols, (h->ncols + 1) * sizeof(*h->cols));
			h->cols[h->ncols].name = xstrdup(I->cols[k]);
			h->cols[h->ncols++].text = xstrdup(r->f[k]);
		}
	}
}

/* ---- messages ---------------------------------------------------------- */

char *
pia_history_import_place(const struct pia_diag_item *it, const void *ctx)
{
	const struct pia_import *I = ctx;
	char row[96], *col, *place;

	if (it->file == NULL || it->line == 0)
		return NULL;
	/* ROW counts the changes; the spreadsheet counts header rows too: say both. */
	if (it->line <= I->nsheet && I->sheet[it->line - 1] != it->line)
		snprintf(row, sizeof(row), "%u（表計算ソフトの %zu 行目）", it->line,
		    I->sheet[it->line - 1]);
	else
		snprintf(row, sizeof(row), "%u", it->line);
	if (it->col == 0)
		return xasprintf("%s:%s", it->file, row);
	if (it->col > I->ncols)
		return xasprintf("%s:%s:列%u", it->file, row, it->col);
	/* A column's name is the spreadsheet's: escaped like every message. */
	col = pia_diag_escape(I->cols[it->col - 1]);
	place = xasprintf("%s:%s:%s", it->file, row, col);
	free(col);
	return place;
}

int
pia_history_import(struct pia_diag *d, struct pia_lint *L, const struct pia_form *F,
    const char *file, int fix, struct pia_import *out)
{
	struct importer I;
	struct pia_chg_where where;
	struct pia_pos pos = { file, 0, 0 };
	char lim[32];
	size_t i, k, m;
	int c, header = -1, rc = 0;
	enum pia_enc enc;

	memset(out, 0, sizeof(*out));
	memset(&I, 0, sizeof(I));
	I.d = d;
	I.L = L;
	I.file = file;
	I.fix = fix;
	if ((c = pia_read_file(file, PIA_MAX_FILE, &I.T.buf, &I.T.len)) != 0) {
		if (c == -2) {
			snprintf(lim, sizeof(lim), "%u", PIA_MAX_FILE);
			pia_diag(d, &pos, PIA_MSG_SYS_TOOBIG, lim);
			/* Too big is a property of the input, like any other invalid input. */
			rc = -1;
		} else {
			pia_diag(d, &pos, PIA_MSG_SYS_OPEN, strerror(errno));
			rc = -2;
		}
		goto out;
	}
	if ((c = pia_tab_decode(&I.T.buf, &I.T.len, &enc)) < 0) {
		pia_diag(d, &pos, PIA_MSG_XML_UTF8);
		rc = -1;
		goto out;
	} else if (c == 1)
		pia_diag(d, &pos, PIA_MSG_IMP_ENCODING, pia_enc_name(enc));
	I.T.delim = pia_tab_delimiter(file, I.T.buf, I.T.len);
	pia_tab_parse(&I.T);
	for (i = 0; i < I.T.nrecs && header < 0; i++)
		if (pia_tab_is_header(&I.T.recs[i]))
			header = (int)i;
	if (header >= 0)
		set_header(&I, &I.T.recs[header]);
	else {
		pia_diag(d, &pos, PIA_MSG_IMP_HEADER);
		default_header(&I);
	}
	for (i = 0; i < PIA_TAB_EXTRA; i++)
		if (I.col[i] == 0 && i != PIA_TAB_DATE && i != PIA_TAB_PAGE)
			pia_diag(d, &pos, PIA_MSG_IMP_COLUMN, pia_tab_role_names[i]);
	if (I.col[PIA_TAB_DATE] == 0 && I.col[PIA_TAB_PAGE] == 0)
		pia_diag(d, &pos, PIA_MSG_IMP_COLUMN, "変更日（またはページ）");
	for (i = (size_t)(header + 1); i < I.T.nrecs; i++) {
		if (pia_tab_blank(&I.T.recs[i]) || (header >= 0 && pia_tab_is_header(&I.T.recs[i])))
			continue;
		if (I.n == PIA_MAX_ROWS) {
			pos.line = (unsigned)I.n + 1;
			pia_diag(d, &pos, PIA_MSG_LIMIT_ROWS, PIA_MAX_ROWS);
			pos.line = 0;
			break;
		}
		for (k = 0; k < I.T.recs[i].n; k++)
			if (strlen(I.T.recs[i].f[k]) > PIA_MAX_TEXT) {
				struct pia_pos at = { file, (unsigned)I.n + 1, (unsigned)k + 1 };
				pia_diag(d, &at, PIA_MSG_LIMIT_TEXT, PIA_MAX_TEXT);
			}
		/* Where staff find the row: the spreadsheet counts the header too. */
		out->sheet = xrealloc(out->sheet, (I.n + 1) * sizeof(*out->sheet));
		out->sheet[I.n] = i + 1;
		out->nsheet = I.n + 1;
		read_row(&I, &I.T.recs[i]);
	}
	merge_splits(&I);
	where.pos = field_pos;
	where.ctx = &I;
	where.flags = PIA_CHG_F_HANDPATH | PIA_CHG_F_EXCERPTS |
	    (I.col[PIA_TAB_DATE] ? 0 : PIA_CHG_F_NODATE) |
	    (I.col[PIA_TAB_TIMING] ? 0 : PIA_CHG_F_NOTIMING) |
	    (I.col[PIA_TAB_REASON] ? 0 : PIA_CHG_F_NOREASON);
	/* The rows read as changes are checked together; junk rows are only kept. */
	{
		struct pia_change *v = xcalloc(I.n ? I.n : 1, sizeof(*v));
		I.map = xcalloc(I.n ? I.n : 1, sizeof(*I.map));
		for (i = m = 0; i < I.n; i++)
			if (!I.junk[i]) {
				v[m] = I.rows[i].c;
				I.map[m++] = i;
			}
		pia_changes_dates(v, m, &where);
		pia_check_change_dates(d, v, m, &where);
		pia_changes_check(d, L, F, v, m, &where);
		pia_changes_counts(d, F, v, m, &where);
		/* Terms spelled two ways among the 変更後 texts (the report as it now reads). */
		pia_lint_terms(L);
		free(v);
		free(I.map);
		I.map = NULL;
	}
	for (i = 0; i < I.n; i++)
		finish_row(&I, i);
	out->h.v = I.rows;
	out->h.n = I.n;
	I.rows = NULL;
out:
	out->cols = I.cols;
	out->ncols = I.ncols;
	free(I.roles);
	free(I.rec);
	free(I.junk);
	pia_tab_free(&I.T);
	return rc;
}

void
pia_history_import_free(struct pia_import *I)
{
	size_t i;

	pia_history_free(&I->h);
	free(I->sheet);
	I->sheet = NULL;
	I->nsheet = 0;
	for (i = 0; i < I->ncols; i++)
		free(I->cols[i]);
	free(I->cols);
	I->cols = NULL;
	I->ncols = 0;
}
