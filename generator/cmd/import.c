/*
 * pia import-changes FILE -o OUT: a 変更箇所一覧 exported from a
 * spreadsheet (UTF-8 TSV or CSV; a field holding a tab, comma, newline or
 * quote is double-quoted with inner quotes doubled) into pia's
 * changes.xml (pia(5)).  The header row names the columns (変更日 or ページ,
 * 項目, 変更前の記載, 変更後の記載, 提出時期, 提出時期に係る説明; others are
 * kept as <列>); header rows repeated at page breaks are skipped.  Every
 * row is checked like a row of changes.xml (pia_changes_check) and every
 * cell by the text lint, and each problem is printed as
 *   FILE:ROW:COLUMN: error|warning: [CODE] message
 * with ROW counted from 1 at the first data row and COLUMN the header's
 * name.  No row is ever dropped: one that cannot be read is written with
 * its original text (<原文>) and reported.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include "cmd.h"
#include "diag.h"
#include "form.h"
#include "lint.h"
#include "model.h"
#include "pia.h"
#include "util.h"
#include "wareki.h"

#define MAX_INPUT	PIA_MAX_FILE

enum role {
	R_DATE, R_PAGE, R_ITEM, R_BEFORE, R_AFTER, R_TIMING, R_REASON, R_EXTRA
};

static const char *const role_names[] = {
	"変更日", "ページ", "項目", "変更前の記載", "変更後の記載", "提出時期",
	"提出時期に係る説明", NULL
};

/* One record of the file: its fields and where it was. */
struct record {
	char		**f;
	size_t		  n;
	size_t		  open_quote;	/* 1-based field whose quote is not closed, or 0 */
	size_t		  start, end;	/* bytes of the record in the file */
};

struct importer {
	struct pia_diag		*d;
	struct pia_lint		*L;
	const char		*file;
	char			*buf;
	size_t			 len;
	char			 delim;
	struct record		*recs;
	size_t			 nrecs;
	/* The header. */
	char			**cols;		/* column names as printed in messages */
	enum role		*roles;
	size_t			 ncols;
	size_t			 col[R_EXTRA];	/* 1-based column of each role, 0: none */
	/* Rows. */
	struct pia_change	*rows;
	struct record		**rec;		/* each row's record */
	char			**raw;		/* original text when not understood, or NULL */
	int			*junk;		/* rows not read as changes */
	size_t			*map;		/* checked row → row (junk rows are not checked) */
	size_t			 n;
	int			 fix;
};

static void
help(FILE *f)
{
	fputs("使い方: pia import-changes [--fix] [--form 基礎|重点|全項目] [-q] FILE -o OUT\n"
	    "  FILE  表計算ソフトから書き出した変更箇所一覧（UTF-8 の TSV または CSV）\n"
	    "        見出しの行: 変更日（またはページ）、項目、変更前の記載、変更後の記載、\n"
	    "        提出時期、提出時期に係る説明（ほかの列はそのまま残します）\n"
	    "  -o OUT  書き出す changes.xml（フォルダーならその中の changes.xml、- なら標準出力）\n"
	    "  --fix   安全な書き換え（令和1年→令和元年、ノーブレークスペース、縦書き用の文字、\n"
	    "          説明の書き方の揺れ、ローマ数字）をして、直した箇所を示す\n"
	    "  --form  項目が※の項目かを様式で確かめる\n"
	    "  -q      問題がなければ何も表示しない\n"
	    "表示: ファイル:行:列名: error|warning: [コード] メッセージ（行はデータの1行目を1と数えます）\n"
	    "終了コード: 0 エラーなし / 1 エラーあり / 2 使い方・システムの誤り\n", f);
}

/* ---- reading --------------------------------------------------------- */

/*
 * Shift_JIS (CP932) to UTF-8 with ICU; NULL when the bytes are not CP932
 * either (ICU would put U+001A for them and the text would turn into
 * mojibake without a word).
 */
static char *
from_cp932(const char *in, size_t len, size_t *outlen)
{
	UErrorCode e = U_ZERO_ERROR;
	UConverter *cv;
	UChar *u;
	char *out;
	int32_t nu, n;

	if (len > (size_t)INT32_MAX / 4 || (cv = ucnv_open("windows-31j", &e)) == NULL)
		return NULL;
	ucnv_setToUCallBack(cv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &e);
	u = xmalloc((len + 1) * sizeof(*u));
	nu = ucnv_toUChars(cv, u, (int32_t)len + 1, in, (int32_t)len, &e);
	ucnv_close(cv);
	out = xmalloc(len * 3 + 16);
	if (U_SUCCESS(e))
		u_strToUTF8(out, (int32_t)(len * 3 + 16), &n, u, nu, &e);
	free(u);
	if (U_FAILURE(e)) {
		free(out);
		return NULL;
	}
	*outlen = (size_t)n;
	out[n] = '\0';
	return out;
}

/*
 * A file that is UTF-8 up to a bad byte, with Japanese before it, is
 * broken UTF-8 rather than Shift_JIS: Shift_JIS text is almost never
 * valid UTF-8 for a whole character.
 */
static int
utf8_before(const char *s, size_t bad)
{
	size_t i;

	for (i = 0; i < bad; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

static void
add_field(struct record *r, struct pia_buf *b)
{
	r->f = xrealloc(r->f, (r->n + 1) * sizeof(*r->f));
	r->f[r->n++] = b->data ? pia_buf_take(b) : xstrdup("");
}

/*
 * Split the file into records: fields separated by the delimiter, quoted
 * fields may hold delimiters, newlines and doubled quotes.  CRLF is read
 * as LF.  A quote inside an unquoted field is an ordinary character.
 */
static void
parse(struct importer *I)
{
	const char *s = I->buf;
	size_t p = 0, len = I->len;
	struct pia_buf b = { 0 };

	while (p < len) {
		struct record *r;
		I->recs = xrealloc(I->recs, (I->nrecs + 1) * sizeof(*I->recs));
		r = &I->recs[I->nrecs++];
		memset(r, 0, sizeof(*r));
		r->start = p;
		for (;;) {
			if (p < len && s[p] == '"') {
				p++;
				for (;;) {
					if (p >= len) {
						r->open_quote = r->n + 1;
						break;
					}
					if (s[p] == '"' && p + 1 < len && s[p + 1] == '"') {
						pia_buf_putc(&b, '"');
						p += 2;
					} else if (s[p] == '"') {
						p++;
						break;
					} else if (s[p] == '\r' && p + 1 < len && s[p + 1] == '\n') {
						p++;
					} else
						pia_buf_putc(&b, s[p++]);
				}
			}
			/* Unquoted text, or what follows a closing quote. */
			while (p < len && s[p] != I->delim && s[p] != '\n' &&
			    !(s[p] == '\r' && p + 1 < len && s[p + 1] == '\n'))
				pia_buf_putc(&b, s[p++]);
			add_field(r, &b);
			if (p < len && s[p] == I->delim) {
				p++;
				continue;
			}
			r->end = p;
			if (p < len && s[p] == '\r')
				p++;
			if (p < len && s[p] == '\n')
				p++;
			break;
		}
	}
	pia_buf_free(&b);
}

/* The header name without white space, for matching. */
static char *
squeeze(const char *s)
{
	struct pia_buf b = { 0 };
	size_t k, len = strlen(s);
	uint32_t c;

	while (len > 0) {
		if ((k = pia_utf8_decode(s, len, &c)) == 0) {
			c = (unsigned char)*s;
			k = 1;
		}
		if (c >= 0xFF01 && c <= 0xFF5E)
			c -= 0xFEE0;
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != 0x3000 && c != 0xA0)
			pia_buf_put_cp(&b, c);
		s += k;
		len -= k;
	}
	return b.data ? pia_buf_take(&b) : xstrdup("");
}

static enum role
role_of(const char *name)
{
	char *s = squeeze(name);
	enum role r = R_EXTRA;

	if (strstr(s, "提出時期に係る説明") || strcmp(s, "説明") == 0 ||
	    strstr(s, "提出時期の説明"))
		r = R_REASON;
	else if (strstr(s, "提出時期"))
		r = R_TIMING;
	else if (pia_startswith(s, "変更前"))
		r = R_BEFORE;
	else if (pia_startswith(s, "変更後"))
		r = R_AFTER;
	else if (strstr(s, "変更日") || strcmp(s, "日付") == 0 || strcmp(s, "年月日") == 0 ||
	    strstr(s, "変更年月日"))
		r = R_DATE;
	else if (strstr(s, "ページ") || strcmp(s, "頁") == 0 || strstr(s, "該当頁"))
		r = R_PAGE;
	else if (strstr(s, "項目") || strcmp(s, "変更箇所") == 0)
		r = R_ITEM;
	free(s);
	return r;
}

/* 1 when the record is a header row: 項目 and 変更前 or 変更後, three known columns. */
static int
is_header(const struct record *r)
{
	size_t i, known = 0;
	int item = 0, text = 0;
	enum role x;

	for (i = 0; i < r->n; i++) {
		x = role_of(r->f[i]);
		if (x != R_EXTRA)
			known++;
		item |= x == R_ITEM;
		text |= x == R_BEFORE || x == R_AFTER;
	}
	return item && text && known >= 3;
}

static int
blank(const struct record *r)
{
	size_t i;
	char *t;
	int empty = 1;

	for (i = 0; i < r->n && empty; i++) {
		t = pia_strtrim(r->f[i]);
		empty = *t == '\0';
		free(t);
	}
	return empty;
}

static void
set_header(struct importer *I, const struct record *r)
{
	size_t i;
	enum role x;

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
		x = role_of(r->f[i]);
		if (x != R_EXTRA && I->col[x] == 0)
			I->col[x] = i + 1;
		else
			x = R_EXTRA;
		I->roles[i] = x;
	}
}

static void
default_header(struct importer *I)
{
	static const enum role order[] = { R_DATE, R_ITEM, R_BEFORE, R_AFTER, R_TIMING, R_REASON };
	size_t i;

	I->ncols = 6;
	I->cols = xcalloc(6, sizeof(*I->cols));
	I->roles = xcalloc(6, sizeof(*I->roles));
	for (i = 0; i < 6; i++) {
		I->cols[i] = xstrdup(role_names[order[i]]);
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
	static const enum role map[PIA_CHG__MAX] = {
		[PIA_CHG_DATE] = R_DATE, [PIA_CHG_PAGE] = R_PAGE, [PIA_CHG_ITEM] = R_ITEM,
		[PIA_CHG_BEFORE] = R_BEFORE, [PIA_CHG_AFTER] = R_AFTER,
		[PIA_CHG_TIMING] = R_TIMING, [PIA_CHG_REASON] = R_REASON
	};
	size_t col = I->col[map[f]];

	if (I->map != NULL)
		row = I->map[row];

	/* A list with pages but no dates: date problems belong to the page column. */
	if (col == 0 && f == PIA_CHG_DATE)
		col = I->col[R_PAGE];
	return cell(I, row, col);
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
get(struct importer *I, size_t row, const struct record *r, size_t col)
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

/* Trim white space and the punctuation a phrase leaves at its edges. */
static char *
trim_punct(const char *s, size_t len)
{
	static const char *const punct[] = { "、", "。", "，", "．", ",", ".", "：", ":", "・",
	    " ", "　", "\n", "\t", NULL };
	const char *a = s, *e = s + len;
	size_t i;
	int again = 1;

	while (again) {
		again = 0;
		for (i = 0; punct[i]; i++) {
			size_t l = strlen(punct[i]);
			if ((size_t)(e - a) >= l && strncmp(a, punct[i], l) == 0) {
				a += l;
				again = 1;
			}
			if ((size_t)(e - a) >= l && strncmp(e - l, punct[i], l) == 0) {
				e -= l;
				again = 1;
			}
		}
	}
	/* "（組織改正）" left alone: without its brackets. */
	if (e - a >= 6 && ((strncmp(a, "（", 3) == 0 && strncmp(e - 3, "）", 3) == 0)) &&
	    memchr(a + 3, 0xEF, (size_t)(e - a) - 6) == NULL) {
		a += 3;
		e -= 3;
	} else if (e - a >= 2 && *a == '(' && e[-1] == ')' && memchr(a + 1, '(', (size_t)(e - a) - 2) == NULL) {
		a++;
		e--;
	}
	return xstrndup(a, (size_t)(e - a));
}

/*
 * The 説明 cell: the vocabulary phrase becomes 説明 (as its value when it
 * is the wording lists use, as written when a variant, unless --fix), the
 * rest becomes 理由.  Without a phrase, the whole cell is checked as 説明
 * and written as 理由.
 */
static void
split_reason(struct importer *I, size_t row, struct pia_change *c, const char *cellv)
{
	const char *value;
	size_t st, len;
	enum pia_reason_how how = pia_lint_reason(I->L, cellv, &value, &st, &len);
	struct pia_pos p = cell(I, row, I->col[R_REASON]);
	char *phrase, *rest;

	if (how == PIA_REASON_NONE) {
		c->reason = pia_strtrim(cellv);
		c->why = NULL;
		return;
	}
	phrase = xstrndup(cellv + st, len);
	{
		struct pia_buf b = { 0 };
		pia_buf_put(&b, cellv, st);
		if (st > 0 && cellv[st + len] != '\0')
			pia_buf_puts(&b, "。");
		pia_buf_puts(&b, cellv + st + len);
		rest = trim_punct(b.data ? b.data : "", b.len);
		pia_buf_free(&b);
	}
	if (how == PIA_REASON_VARIANT && I->fix) {
		char *what = xasprintf("説明「%s」", phrase), *to = xasprintf("「%s」", value);
		pia_diag(I->d, &p, PIA_MSG_FIX_APPLIED, what, to);
		free(what);
		free(to);
		how = PIA_REASON_EXACT;
	}
	if (how == PIA_REASON_VARIANT) {
		c->reason = phrase;
	} else {
		c->reason = xstrdup(value);
		free(phrase);
	}
	c->why = *rest ? rest : NULL;
	if (*rest == '\0')
		free(rest);
}

/* "(3-1)" at the end of an item: a long text split over rows. */
static int
split_mark(const char *item, char *out, size_t size)
{
	char *t = pia_strtrim(item), *p;
	size_t n = strlen(t);
	int hit = 0;

	if (n >= 5 && (t[n - 1] == ')' || (n >= 3 && strcmp(t + n - 3, "）") == 0))) {
		size_t close = t[n - 1] == ')' ? n - 1 : n - 3;
		for (p = t + close; p > t && p[-1] != '(' && strncmp(p - 3 >= t ? p - 3 : t, "（", 3) != 0; p--)
			;
		if (p > t) {
			const char *q = p;
			int digits1 = 0, digits2 = 0, dash = 0;
			for (; q < t + close; q++) {
				if (*q >= '0' && *q <= '9')
					dash ? digits2++ : digits1++;
				else if (*q == '-' && !dash)
					dash = 1;
				else
					break;
			}
			if (q == t + close && dash && digits1 && digits2) {
				size_t open = (size_t)(p - t) - (p[-1] == '(' ? 1 : 3);
				snprintf(out, size, "%s", t + open);
				hit = 1;
			}
		}
	}
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

/* Nothing but dashes, bars and spaces: a separator line of a PDF extraction. */
static int
junk(const struct record *r)
{
	size_t i;
	const char *p;

	for (i = 0; i < r->n; i++)
		for (p = r->f[i]; *p; p++)
			if (*p != '-' && *p != '|' && *p != ':' && *p != '=' && *p != ' ' &&
			    *p != '\t' && *p != '+' && *p != '_')
				return 0;
	return 1;
}

static void
read_row(struct importer *I, struct record *r)
{
	size_t row = I->n;
	struct pia_change *c;
	struct pia_date asof;
	const struct pia_date *ap;
	unsigned head;
	char mark[64], *reason_cell, *why;

	I->rows = xrealloc(I->rows, (I->n + 1) * sizeof(*I->rows));
	I->rec = xrealloc(I->rec, (I->n + 1) * sizeof(*I->rec));
	I->raw = xrealloc(I->raw, (I->n + 1) * sizeof(*I->raw));
	I->junk = xrealloc(I->junk, (I->n + 1) * sizeof(*I->junk));
	I->junk[I->n] = 0;
	c = &I->rows[I->n];
	memset(c, 0, sizeof(*c));
	I->rec[I->n] = r;
	I->raw[I->n] = NULL;
	I->n++;
	c->pos = cell(I, row, 0);
	c->date_text = fixed(I, row, I->col[R_DATE], get(I, row, r, I->col[R_DATE]), PIA_LINT_PATH);
	/*
	 * An empty 変更日 under a dated row: a merged cell of the spreadsheet,
	 * which Excel exports in its first row only.  The row has that date.
	 */
	if (blank_str(c->date_text) && row > 0 && !blank_str(I->rows[row - 1].date_text) &&
	    !junk(r)) {
		free(c->date_text);
		c->date_text = xstrdup(I->rows[row - 1].date_text);
	}
	c->item = fixed(I, row, I->col[R_ITEM], get(I, row, r, I->col[R_ITEM]), PIA_LINT_PATH);
	c->before = fixed(I, row, I->col[R_BEFORE], get(I, row, r, I->col[R_BEFORE]), PIA_LINT_ROW);
	c->after = fixed(I, row, I->col[R_AFTER], get(I, row, r, I->col[R_AFTER]), PIA_LINT_ROW);
	c->timing = fixed(I, row, I->col[R_TIMING], get(I, row, r, I->col[R_TIMING]), PIA_LINT_PATH);
	c->page = I->col[R_PAGE] ? get(I, row, r, I->col[R_PAGE]) : NULL;
	reason_cell = fixed(I, row, I->col[R_REASON], get(I, row, r, I->col[R_REASON]), PIA_LINT_ROW);

	if (r->open_quote > 0) {
		struct pia_pos p = cell(I, row, r->open_quote);
		pia_diag(I->d, &p, PIA_MSG_IMP_QUOTE);
	}
	if (junk(r) || (blank_str(c->item) && blank_str(c->before) && blank_str(c->after))) {
		struct pia_pos p = cell(I, row, 1);
		pia_diag(I->d, &p, PIA_MSG_IMP_ROW);
		I->raw[row] = xstrndup(I->buf + r->start, r->end - r->start);
		I->junk[row] = 1;
	} else if (r->n != I->ncols) {
		struct pia_pos p = cell(I, row, r->n > I->ncols ? I->ncols + 1 : r->n + 1);
		pia_diag(I->d, &p, PIA_MSG_IMP_FIELDS, (unsigned)r->n, (unsigned)I->ncols,
		    r->n > I->ncols ? "余った列は原文として残しました" :
		    "足りない列は空欄と見なしました");
		/* Fields shifted by a stray tab: not checked as a change, only kept. */
		if (r->n > I->ncols) {
			I->raw[row] = xstrndup(I->buf + r->start, r->end - r->start);
			I->junk[row] = 1;
		}
	}
	if (junk(r)) {
		split_reason(I, row, c, reason_cell);
		free(reason_cell);
		return;
	}

	/* The text lint of every cell, as of the row's date. */
	ap = NULL;
	if (pia_wareki_parse(c->date_text, PIA_WAREKI_DATE, &asof) <= PIA_WAREKI_GANNEN)
		ap = &asof;
	head = strstr(c->item, "所属長") != NULL ? PIA_LINT_HEAD : 0;
	{
		struct pia_pos p;
		p = cell(I, row, I->col[R_ITEM]);
		if (I->col[R_ITEM])
			pia_lint_text(I->L, &p, c->item, PIA_LINT_PATH | PIA_LINT_PLAIN, NULL);
		p = cell(I, row, I->col[R_BEFORE]);
		if (I->col[R_BEFORE])
			pia_lint_text(I->L, &p, c->before, PIA_LINT_ROW | PIA_LINT_PLAIN |
			    PIA_LINT_OLD | head, ap);
		p = cell(I, row, I->col[R_AFTER]);
		if (I->col[R_AFTER])
			pia_lint_text(I->L, &p, c->after, PIA_LINT_ROW | PIA_LINT_PLAIN |
			    PIA_LINT_CURRENT | PIA_LINT_TERMS | head, ap);
		p = cell(I, row, I->col[R_TIMING]);
		if (I->col[R_TIMING])
			pia_lint_text(I->L, &p, c->timing, PIA_LINT_PATH | PIA_LINT_PLAIN, NULL);
		p = cell(I, row, I->col[R_REASON]);
		if (I->col[R_REASON])
			pia_lint_text(I->L, &p, reason_cell, PIA_LINT_ROW | PIA_LINT_PLAIN, NULL);
		serial_cell(I, row, I->col[R_BEFORE], c->item, c->before);
		serial_cell(I, row, I->col[R_AFTER], c->item, c->after);
		if (I->col[R_ITEM] && split_mark(c->item, mark, sizeof(mark))) {
			p = cell(I, row, I->col[R_ITEM]);
			pia_diag(I->d, &p, PIA_MSG_IMP_SPLIT, mark);
		}
		if (I->col[R_PAGE] && !page_ok(c->page)) {
			p = cell(I, row, I->col[R_PAGE]);
			why = pia_strtrim(c->page);
			pia_diag(I->d, &p, PIA_MSG_IMP_PAGE, why);
			free(why);
		}
	}
	split_reason(I, row, c, reason_cell);
	free(reason_cell);
}

/* ---- writing ----------------------------------------------------------- */

/* XML text: escaped, without the characters XML 1.0 cannot hold. */
static void
xml_put(struct pia_buf *b, const char *s, int attr)
{
	size_t k, len = s ? strlen(s) : 0;
	uint32_t c;

	while (len > 0) {
		if ((k = pia_utf8_decode(s, len, &c)) == 0) {
			s++;
			len--;
			continue;
		}
		if (c == '&')
			pia_buf_puts(b, "&amp;");
		else if (c == '<')
			pia_buf_puts(b, "&lt;");
		else if (c == '>')
			pia_buf_puts(b, "&gt;");
		else if (c == '"' && attr)
			pia_buf_puts(b, "&quot;");
		else if (c == '\n' && attr)
			pia_buf_puts(b, "&#10;");
		else if (c == '\t' && attr)
			pia_buf_puts(b, "&#9;");
		else if (c == '\r')
			;
		else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0xFFFE || c == 0xFFFF)
			;
		else
			pia_buf_put(b, s, k);
		s += k;
		len -= k;
	}
}

static void
attr(struct pia_buf *b, const char *name, const char *value)
{
	pia_buf_printf(b, " %s=\"", name);
	xml_put(b, value ? value : "", 1);
	pia_buf_putc(b, '"');
}

/* The optional elements of the 変更点リスク評価表, in the schema's order. */
static const char *const risk_names[] = {
	"変更理由", "リスク変化", "リスク変化の状況", "リスク対策", NULL
};

/*
 * Which risk element extra column k of row i fills (index into
 * risk_names): a column named like one, with a non-empty cell; for
 * リスク変化 only あり or なし.  -2 for such a column's empty cell (no
 * element at all), -1 for the rest (kept as a <列>).
 */
static int
risk_col(const struct importer *I, size_t k, size_t i)
{
	char *name, *t;
	size_t j;
	int r, hit = -1;

	if (I->roles[k] != R_EXTRA)
		return -1;
	name = squeeze(I->cols[k]);
	for (r = 0; risk_names[r] != NULL && hit < 0; r++)
		if (strcmp(name, risk_names[r]) == 0)
			hit = r;
	/* A second column of the same name stays a <列>. */
	for (j = 0; j < k && hit >= 0; j++)
		if (I->roles[j] == R_EXTRA) {
			t = squeeze(I->cols[j]);
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

static char *
render(struct importer *I)
{
	struct pia_buf b = { 0 };
	size_t i, k, r;

	pia_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<!-- pia import-changes で読み込んだ変更箇所の履歴 (pia(5)) -->\n<変更履歴>\n");
	for (i = 0; i < I->n; i++) {
		struct pia_change *c = &I->rows[i];
		char *t;
		pia_buf_puts(&b, "  <変更");
		t = pia_strtrim(c->date_text);
		attr(&b, "日", t);
		free(t);
		t = pia_strtrim(c->item);
		attr(&b, "項目", t);
		free(t);
		t = pia_strtrim(c->timing);
		attr(&b, "提出時期", t);
		free(t);
		/* A 説明 outside the vocabulary is kept as 理由; 説明 stays for a person to choose. */
		{
			const char *v = NULL;
			size_t st, len;
			enum pia_reason_how how = pia_lint_reason(I->L, c->reason, &v, &st, &len);
			if (how == PIA_REASON_NONE && c->why == NULL) {
				attr(&b, "説明", "");
				if (c->reason && *c->reason)
					attr(&b, "理由", c->reason);
			} else {
				attr(&b, "説明", c->reason);
				if (c->why)
					attr(&b, "理由", c->why);
			}
		}
		if (c->page != NULL) {
			t = pia_strtrim(c->page);
			attr(&b, "ページ", t);
			free(t);
		}
		pia_buf_puts(&b, ">\n    <変更前>");
		xml_put(&b, c->before, 0);
		pia_buf_puts(&b, "</変更前>\n    <変更後>");
		xml_put(&b, c->after, 0);
		pia_buf_puts(&b, "</変更後>\n");
		/* The columns of the 変更点リスク評価表 become their elements (pia(5)). */
		for (r = 0; risk_names[r] != NULL; r++)
			for (k = 0; k < I->ncols && k < I->rec[i]->n; k++)
				if (risk_col(I, k, i) == (int)r) {
					t = pia_strtrim(I->rec[i]->f[k]);
					pia_buf_printf(&b, "    <%s>", risk_names[r]);
					xml_put(&b, t, 0);
					pia_buf_printf(&b, "</%s>\n", risk_names[r]);
					free(t);
				}
		for (k = 0; k < I->ncols && k < I->rec[i]->n; k++)
			if (I->roles[k] == R_EXTRA && risk_col(I, k, i) == -1) {
				pia_buf_puts(&b, "    <列");
				attr(&b, "名", I->cols[k]);
				pia_buf_putc(&b, '>');
				xml_put(&b, I->rec[i]->f[k], 0);
				pia_buf_puts(&b, "</列>\n");
			}
		if (I->raw[i] != NULL) {
			pia_buf_puts(&b, "    <原文>");
			xml_put(&b, I->raw[i], 0);
			pia_buf_puts(&b, "</原文>\n");
		}
		pia_buf_puts(&b, "  </変更>\n");
	}
	pia_buf_puts(&b, "</変更履歴>\n");
	return pia_buf_take(&b);
}

/* ---- messages ---------------------------------------------------------- */

static int
by_place(const void *a, const void *b)
{
	const struct pia_diag_item *x = *(const struct pia_diag_item *const *)a;
	const struct pia_diag_item *y = *(const struct pia_diag_item *const *)b;
	int c;

	if ((x->file == NULL) != (y->file == NULL))
		return x->file == NULL ? -1 : 1;
	if (x->file && (c = strcmp(x->file, y->file)) != 0)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* As pia_diag_print, but the column is the header's name. */
static void
print(struct importer *I, FILE *f)
{
	const struct pia_diag_item *v, **p;
	const struct pia_msginfo *m;
	size_t n = pia_diag_items(I->d, &v), i;

	p = xcalloc(n ? n : 1, sizeof(*p));
	for (i = 0; i < n; i++)
		p[i] = &v[i];
	qsort(p, n, sizeof(*p), by_place);
	for (i = 0; i < n; i++) {
		m = pia_msg_info(p[i]->msg);
		if (p[i]->file == NULL)
			fputs("pia: ", f);
		else if (p[i]->line == 0)
			fprintf(f, "%s: ", p[i]->file);
		else if (p[i]->col == 0)
			fprintf(f, "%s:%u: ", p[i]->file, p[i]->line);
		else if (p[i]->col <= I->ncols)
			fprintf(f, "%s:%u:%s: ", p[i]->file, p[i]->line, I->cols[p[i]->col - 1]);
		else
			fprintf(f, "%s:%u:列%u: ", p[i]->file, p[i]->line, p[i]->col);
		fprintf(f, "%s: [%s] %s\n", pia_level_name(m->level),
		    m->code, p[i]->text);
	}
	free(p);
}

static void
importer_free(struct importer *I)
{
	size_t i, k;

	for (i = 0; i < I->nrecs; i++) {
		for (k = 0; k < I->recs[i].n; k++)
			free(I->recs[i].f[k]);
		free(I->recs[i].f);
	}
	free(I->recs);
	for (i = 0; i < I->ncols; i++)
		free(I->cols[i]);
	free(I->cols);
	free(I->roles);
	for (i = 0; i < I->n; i++) {
		struct pia_change *c = &I->rows[i];
		free(c->date_text);
		free(c->item);
		free(c->before);
		free(c->after);
		free(c->timing);
		free(c->reason);
		free(c->why);
		free(c->page);
		free(I->raw[i]);
	}
	free(I->rows);
	free(I->rec);
	free(I->raw);
	free(I->junk);
	free(I->buf);
}

/* The delimiter: by the name, else by what the first lines hold. */
static char
delimiter(const char *path, const char *s, size_t len)
{
	size_t n = strlen(path), i, tabs = 0, commas = 0;

	if (n > 4 && (strcmp(path + n - 4, ".csv") == 0 || strcmp(path + n - 4, ".CSV") == 0))
		return ',';
	if (n > 4 && (strcmp(path + n - 4, ".tsv") == 0 || strcmp(path + n - 4, ".TSV") == 0))
		return '\t';
	for (i = 0; i < len && i < 65536; i++) {
		tabs += s[i] == '\t';
		commas += s[i] == ',';
	}
	return commas > tabs ? ',' : '\t';
}

int
pia_cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "fix", no_argument, NULL, 'x' },
		{ "form", required_argument, NULL, 'f' },
		{ "forms", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 }
	};
	struct importer I;
	struct pia_forms *fs = NULL;
	const struct pia_form *F = NULL;
	const char *out = NULL, *kind = NULL, *formdir = NULL;
	struct pia_chg_where where;
	struct pia_pos pos;
	char *xml = NULL, *target = NULL;
	size_t i, k, bad;
	int c, rc = PIA_EXIT_OK, quiet = 0, header = -1;
	FILE *msgs = stdout;
	struct stat st;

	memset(&I, 0, sizeof(I));
	optind = 1;
	while ((c = getopt_long(argc, argv, "ho:q", opts, NULL)) != -1)
		switch (c) {
		case 'x':
			I.fix = 1;
			break;
		case 'f':
			kind = optarg;
			break;
		case 'F':
			formdir = optarg;
			break;
		case 'h':
			help(stdout);
			return PIA_EXIT_OK;
		case 'o':
			out = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		default:
			help(stderr);
			return PIA_EXIT_SYSTEM;
		}
	if (optind + 1 != argc || out == NULL) {
		help(stderr);
		return PIA_EXIT_SYSTEM;
	}
	I.file = argv[optind];
	I.d = pia_diag_new();
	if (strcmp(out, "-") == 0)
		msgs = stderr;
	if (kind != NULL) {
		if ((fs = pia_forms_load(I.d, formdir)) == NULL ||
		    (F = pia_forms_find(fs, kind, NULL)) == NULL) {
			fprintf(stderr, "pia: 様式「%s」は定義されていません（基礎、重点、全項目）\n", kind);
			rc = PIA_EXIT_SYSTEM;
			goto out;
		}
	}
	if ((I.L = pia_lint_new(I.d, 0)) == NULL) {
		rc = PIA_EXIT_SYSTEM;
		goto done;
	}
	pos.file = I.file;
	pos.line = pos.col = 0;
	if ((c = pia_read_file(I.file, MAX_INPUT, &I.buf, &I.len)) != 0) {
		if (c == -2) {
			char lim[32];
			snprintf(lim, sizeof(lim), "%u", MAX_INPUT);
			pia_diag(I.d, &pos, PIA_MSG_SYS_TOOBIG, lim);
			/* Too big is a property of the input, like any other invalid input. */
			rc = PIA_EXIT_INVALID;
		} else {
			pia_diag(I.d, &pos, PIA_MSG_SYS_OPEN, strerror(errno));
			rc = PIA_EXIT_SYSTEM;
		}
		goto done;
	}
	/* A byte order mark, as Excel writes it. */
	if (I.len >= 3 && memcmp(I.buf, "\xEF\xBB\xBF", 3) == 0) {
		memmove(I.buf, I.buf + 3, I.len - 2);
		I.len -= 3;
	}
	if (!pia_utf8_valid(I.buf, I.len, &bad)) {
		size_t n;
		char *u = memchr(I.buf, '\0', I.len) == NULL && !utf8_before(I.buf, bad) ?
		    from_cp932(I.buf, I.len, &n) : NULL;
		if (u == NULL) {
			pia_diag(I.d, &pos, PIA_MSG_XML_UTF8);
			rc = PIA_EXIT_INVALID;
			goto done;
		}
		pia_diag(I.d, &pos, PIA_MSG_IMP_ENCODING);
		free(I.buf);
		I.buf = u;
		I.len = n;
	}
	I.delim = delimiter(I.file, I.buf, I.len);
	parse(&I);
	for (i = 0; i < I.nrecs && header < 0; i++)
		if (is_header(&I.recs[i]))
			header = (int)i;
	if (header >= 0)
		set_header(&I, &I.recs[header]);
	else {
		pia_diag(I.d, &pos, PIA_MSG_IMP_HEADER);
		default_header(&I);
	}
	for (i = 0; i < R_EXTRA; i++)
		if (I.col[i] == 0 && i != R_DATE && i != R_PAGE) {
			pia_diag(I.d, &pos, PIA_MSG_IMP_COLUMN, role_names[i]);
		}
	if (I.col[R_DATE] == 0 && I.col[R_PAGE] == 0)
		pia_diag(I.d, &pos, PIA_MSG_IMP_COLUMN, "変更日（またはページ）");
	for (i = (size_t)(header + 1); i < I.nrecs; i++) {
		if (blank(&I.recs[i]) || (header >= 0 && is_header(&I.recs[i])))
			continue;
		if (I.n == PIA_MAX_ROWS) {
			pos.line = (unsigned)I.n + 1;
			pia_diag(I.d, &pos, PIA_MSG_LIMIT_ROWS, PIA_MAX_ROWS);
			pos.line = 0;
			break;
		}
		for (k = 0; k < I.recs[i].n; k++)
			if (strlen(I.recs[i].f[k]) > PIA_MAX_TEXT) {
				struct pia_pos at = { I.file, (unsigned)I.n + 1, (unsigned)k + 1 };
				pia_diag(I.d, &at, PIA_MSG_LIMIT_TEXT, PIA_MAX_TEXT);
			}
		read_row(&I, &I.recs[i]);
	}
	where.pos = field_pos;
	where.ctx = &I;
	where.flags = PIA_CHG_F_HANDPATH | PIA_CHG_F_EXCERPTS | (I.col[R_DATE] ? 0 : PIA_CHG_F_NODATE) |
	    (I.col[R_TIMING] ? 0 : PIA_CHG_F_NOTIMING) | (I.col[R_REASON] ? 0 : PIA_CHG_F_NOREASON);
	/* The rows read as changes are checked together; junk rows are only kept. */
	{
		struct pia_change *v = xcalloc(I.n ? I.n : 1, sizeof(*v));
		size_t m = 0;
		I.map = xcalloc(I.n ? I.n : 1, sizeof(*I.map));
		for (i = 0; i < I.n; i++)
			if (!I.junk[i]) {
				v[m] = I.rows[i];
				I.map[m++] = i;
			}
		pia_changes_check(I.d, I.L, F, v, m, &where);
		/* Terms spelled two ways among the 変更後 texts (the report as it now reads). */
		pia_lint_terms(I.L);
		free(v);
		free(I.map);
		I.map = NULL;
	}

	xml = render(&I);
	if (strcmp(out, "-") == 0) {
		target = NULL;
	} else if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
		target = xasprintf("%s/changes.xml", out);
	else
		target = xstrdup(out);
	if (target != NULL && pia_lint_write_file(I.d, target, xml, strlen(xml)) != 0)
		rc = PIA_EXIT_SYSTEM;
done:
	if (rc == PIA_EXIT_OK)
		rc = pia_cmd_status(I.d);
	if (!quiet || pia_diag_count(I.d, PIA_LEVEL_ERROR) +
	    pia_diag_count(I.d, PIA_LEVEL_WARNING) > 0) {
		print(&I, msgs);
		pia_diag_summary(I.d, msgs);
		fprintf(msgs, "変更箇所 %zu 行%s\n", I.n, strcmp(out, "-") == 0 ? "（標準出力）" : "");
	}
	fflush(msgs);
	if (xml != NULL && target == NULL && rc != PIA_EXIT_SYSTEM)
		fputs(xml, stdout);
out:
	free(xml);
	free(target);
	pia_lint_free(I.L);
	importer_free(&I);
	pia_diag_free(I.d);
	pia_forms_free(fs);
	return rc;
}
