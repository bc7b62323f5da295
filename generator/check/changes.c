/*
 * The checks of the 変更箇所 history, a pass over the loaded report: the
 * rules of domain.md §4 and §6 A, B on each row (提出時期 事前/事後, 説明
 * as free text whose claim — 重要な変更 or not — agrees with 提出時期,
 * misspelt phrases reported, no row where nothing changed, dates in
 * order, each row's 変更前 equal to the previous 変更後 of the same item,
 * followed through renumbering rows: 移転先4 that became 移転先5, a
 * claimed 重要な変更 on an item marked ※), rows pia publish proposed
 * and nobody confirmed, and the latest row of each item against the
 * item's value now (CHG_CURRENT).  The loader (load/changes.c) only reads
 * the rows and their dates.  The row checks (pia_changes_check) are shared
 * with pia import-changes, which gives each field its own row and column.
 */
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "check.h"
#include "diag.h"
#include "form.h"
#include "lint.h"
#include "model.h"
#include "util.h"
#include "wareki.h"

/* The 説明 phrases pia knows (domain.md §4.1); other wordings are in generator/lint/reasons.xml. */
static const char *const reasons[] = {
	"重要な変更",
	"重要な変更の対象項目だが該当しない",
	"重要な変更の対象項目でない",
	NULL
};

/*
 * A text compared loosely: without white space (PDF line wraps, spaces a
 * spreadsheet added) and with full-width ASCII as ASCII.  For item paths
 * (path 1) also with "II" as "Ⅱ" and every dash as "-"; for chain keys
 * (path 2) without dashes.  Path 0 keeps full-width characters (a no-op
 * must not hide ＜＞ replacing <>); 3 folds them (a chain is not broken by
 * them).  Caller frees.
 */
static char *
loose(const char *s, int path)
{
	static const char *const from[] = { "VIII", "VII", "III", "II", "IV", "VI", "V", "I" };
	static const char *const to[] = { "Ⅷ", "Ⅶ", "Ⅲ", "Ⅱ", "Ⅳ", "Ⅵ", "Ⅴ", "Ⅰ" };
	struct pia_buf b = { 0 };
	size_t k, i, len = s ? strlen(s) : 0;
	uint32_t c;
	char *t;

	while (len > 0) {
		if ((k = pia_utf8_decode(s, len, &c)) == 0) {
			c = (unsigned char)*s;
			k = 1;
		}
		/* Full-width ASCII: a spelling, except where a no-op would hide a real change. */
		if (c >= 0xFF01 && c <= 0xFF5E && path != 0)
			c -= 0xFEE0;
		if ((path == 1 || path == 2) && (c == '-' || c == 0x2010 || c == 0x2212 || c == 0x2015 ||
		    c == 0x2014 || c == 0x2013))
			c = path == 1 ? '-' : ' ';
		/* "リスク対策ー(1)": a long vowel used as a dash; only keys drop it. */
		if (path == 2 && (c == 0x30FC || c == 0xFF70))
			c = ' ';
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != 0x3000 && c != 0xA0)
			pia_buf_put_cp(&b, c);
		s += k;
		len -= k;
	}
	if (b.data == NULL)
		return xstrdup("");
	/* ASCII section numerals: "II(1)" is "Ⅱ(1)". */
	for (i = 0; (path == 1 || path == 2) && i < sizeof(from) / sizeof(from[0]); i++)
		if (strncmp(b.data, from[i], strlen(from[i])) == 0 &&
		    !((b.data[strlen(from[i])] | 0x20) >= 'a' && (b.data[strlen(from[i])] | 0x20) <= 'z')) {
			t = xasprintf("%s%s", to[i], b.data + strlen(from[i]));
			pia_buf_free(&b);
			return t;
		}
	return pia_buf_take(&b);
}

/* Equal but for white space (path 0), or loosely (path 3: full-width ASCII as ASCII too). */
static int
same_loose(const char *a, const char *b, int path)
{
	char *x = loose(a, path), *y = loose(b, path);
	int r = strcmp(x, y) == 0;

	free(x);
	free(y);
	return r;
}

/*
 * The chain holds from a row's 変更後 to the next 変更前: equal loosely,
 * or one containing the other (a list quoting the changed sentence of a
 * long text).  With excerpts, two long texts that differ may quote
 * different parts of one value, so they are taken as linked.
 */
/* Code points of s, at most max (the count in *n); caller frees. */
static uint32_t *
cps(const char *s, size_t max, size_t *n)
{
	uint32_t *v = xcalloc(max + 1, sizeof(*v));
	size_t len = strlen(s), k;

	for (*n = 0; len > 0 && *n < max; s += k, len -= k)
		if ((k = pia_utf8_decode(s, len, &v[*n])) == 0)
			k = 1;
		else
			(*n)++;
	return v;
}

/* The longest run the two texts share, in code points (dynamic programming). */
static size_t
common_run(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t *row = xcalloc(nb + 1, sizeof(*row)), i, j, prev, tmp, best = 0;

	for (i = 1; i <= na; i++)
		for (prev = 0, j = 1; j <= nb; j++) {
			tmp = row[j];
			row[j] = a[i - 1] == b[j - 1] ? prev + 1 : 0;
			if (row[j] > best)
				best = row[j];
			prev = tmp;
		}
	free(row);
	return best;
}

static char	*comparable(const char *);

static int
linked(const char *after, const char *before, int excerpts)
{
	/* As a change row prints a value: "[○]…(58)件" and "…(58件)" are one text. */
	char *x = comparable(after), *y = comparable(before);
	int r = strcmp(x, y) == 0 || (*x && *y && (strstr(x, y) != NULL || strstr(y, x) != NULL));
	size_t nx = pia_utf8_count(x, strlen(x)), ny = pia_utf8_count(y, strlen(y));

	if (!r && excerpts) {
		/* Two long texts: different parts of one value. */
		if (nx > 60 && ny > 60)
			r = 1;
		/* A shorter quote, most of it found in the other (a citation trimmed). */
		else if (nx >= 20 && ny >= 20 && nx <= 4000 && ny <= 4000) {
			size_t na, nb, shorter = nx < ny ? nx : ny;
			uint32_t *a = cps(x, 4000, &na), *b = cps(y, 4000, &nb);
			r = common_run(a, na, b, nb) * 10 >= shorter * 8;
			free(a);
			free(b);
		}
	}
	free(x);
	free(y);
	return r;
}

/*
 * A row whose 変更前 repeats the previous change's 変更前: the old text
 * copied again, the commonest broken chain of real lists (domain.md §6
 * B12), even where it reads like a quote of the newer text.
 */
static int
restated(const struct pia_change *prev, const struct pia_change *c)
{
	return same_loose(c->before, prev->before, 3) && !same_loose(prev->before, prev->after, 3);
}

/* An elided text ("(略)", "省略") cannot be compared. */
static int
elided(const char *s)
{
	return s == NULL || strstr(s, "略)") != NULL || strstr(s, "略）") != NULL ||
	    strstr(s, "省略") != NULL;
}

static char *
trimmed(const char *s)
{
	return pia_strtrim(s ? s : "");
}

/*
 * The key of a row's item for chains and CHG_CURRENT: the item the
 * resolver reads (so "II(1)…ファイル - 2⑤保有開始日" and
 * "Ⅱ(1)-2-⑤保有開始日" are one item), else the path as written, loosely.
 * A range of entries ("移転先9～16") is its own item.  Caller frees.
 */
static char *
row_key(const struct pia_form *F, const char *item, int *table)
{
	struct pia_item_where w;
	char *k, *l;

	if (table != NULL)
		*table = 0;
	if (F == NULL || pia_item_resolve(F, NULL, item, &w) != 0 || w.range || w.part) {
		if (F != NULL)
			pia_item_where_free(&w);
		return loose(item, 2);
	}
	/*
	 * Rows of a table (別紙1 "…項番 8の行") are rows, not versions of one
	 * value; so are rows naming a whole section or group ("II(1)…ファイル - 5"),
	 * each quoting some item of it (seed 001: one 提供・移転の有無, the next a
	 * 移転先's name).  An entry ("移転先8") stays one value.
	 */
	if (table != NULL)
		*table = w.f->type == PIA_T_TABLE || w.f->kind == PIA_F_ANNEX ||
		    ((w.f->kind == PIA_F_SECTION || w.f->kind == PIA_F_GROUP) &&
		    w.nsteps > 0 && w.steps[w.nsteps - 1].index == 0);
	k = w.key;
	w.key = NULL;
	pia_item_where_free(&w);
	if (*k == '\0') {
		free(k);
		return loose(item, 2);
	}
	/* Keys of the form and of written paths never meet: "/" is not in a path read loosely. */
	l = xasprintf("/%s", k);
	free(k);
	return l;
}

/* A part of the form (a whole file, an entry) holding an item marked ※. */
static int
holds_marked(const struct pia_fnode *f)
{
	const struct pia_fnode *c;

	for (c = f->child; c != NULL; c = c->next)
		if ((c->flags & PIA_FF_MARK) || holds_marked(c))
			return 1;
	return 0;
}

/* The nearest item the resolver reached, for CHG_ITEM: "Ⅱ(1)-2. 基本情報". Caller frees. */
static char *
nearest(const struct pia_item_where *w)
{
	struct pia_buf b = { 0 };
	size_t i;
	char *t;

	for (i = 0; i < w->nsteps; i++) {
		const struct pia_fnode *f = w->steps[i].f;
		if (i > 0)
			pia_buf_putc(&b, '-');
		if (f->kind == PIA_F_COVER)
			pia_buf_puts(&b, f->label);
		else if (i + 1 == w->nsteps || f->no == NULL) {
			t = pia_fnode_title(f);
			pia_buf_puts(&b, t);
			free(t);
		} else {
			/* "5." is written "5" inside a path. */
			size_t l = strlen(f->no);
			pia_buf_put(&b, f->no, l > 1 && f->no[l - 1] == '.' ? l - 1 : l);
		}
		if (w->steps[i].index > 0 && f->entry != NULL) {
			const char *br = strstr(f->entry, "{n}");
			if (br != NULL && (f->kind == PIA_F_SECTION || f->kind == PIA_F_ANNEX))
				pia_buf_printf(&b, "%.*s%u%s", (int)(br - f->entry), f->entry,
				    w->steps[i].index, br + 3);
			else if (br != NULL)
				pia_buf_printf(&b, "-%.*s%u%s", (int)(br - f->entry), f->entry,
				    w->steps[i].index, br + 3);
		}
	}
	return b.data ? pia_buf_take(&b) : xstrdup("");
}

/*
 * For the chain: each row's previous row of the same item, and how many
 * other rows share its item and date.  Sorting keeps this O(n log n) for
 * spreadsheets of any size.
 */
struct chain_sort {
	char *const		 *keys;
	const struct pia_change	 *rows;
	int			  by_date;
};

static int
chain_cmp(const void *a, const void *b, void *arg)
{
	const struct chain_sort *S = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(S->keys[x], S->keys[y]);

	if (c == 0 && S->by_date)
		c = pia_date_cmp(&S->rows[x].date, &S->rows[y].date);
	if (c == 0)
		c = x < y ? -1 : x > y;
	return c;
}

static void
chain_index(char *const *keys, const struct pia_change *rows, size_t n,
    size_t *prev, size_t *sameday)
{
	struct chain_sort S = { keys, rows, 0 };
	size_t *v = xcalloc(n ? n : 1, sizeof(*v)), i, j, run;

	for (i = 0; i < n; i++)
		v[i] = i;
	qsort_r(v, n, sizeof(*v), chain_cmp, &S);
	for (i = 0; i < n; i++)
		prev[v[i]] = i > 0 && strcmp(keys[v[i - 1]], keys[v[i]]) == 0 ? v[i - 1] : (size_t)-1;
	for (i = 0; i < n; i++)
		v[i] = i;
	S.by_date = 1;
	qsort_r(v, n, sizeof(*v), chain_cmp, &S);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(keys[v[i]], keys[v[j]]) == 0 &&
		    pia_date_cmp(&rows[v[i]].date, &rows[v[j]].date) == 0; j++)
			;
		run = j - i;
		for (; i < j; i++)
			sameday[v[i]] = run - 1;
	}
	free(v);
}

/*
 * Whether a row the same day names an entry holding row i's item
 * ("委託事項7" for "委託事項7 ①委託内容"): the item is new with its entry,
 * part of that change, not a change of its own.
 */
static int
inside_row_that_day(char *const *keys, const struct pia_change *rows, size_t n, size_t i)
{
	size_t j, l;

	for (j = 0; j < n; j++) {
		l = strlen(keys[j]);
		if (j != i && keys[j][0] == '/' && strncmp(keys[i], keys[j], l) == 0 &&
		    keys[i][l] == '/' && pia_date_cmp(&rows[j].date, &rows[i].date) == 0)
			return 1;
	}
	return 0;
}

/*
 * Whether row i is an unchanged part of a value split over rows that day
 * ((2-1) as it was, (2-2) the new text): another row of its item that day
 * changes something.
 */
static int
part_of_change(char *const *keys, const struct pia_change *rows, size_t n, size_t i)
{
	size_t j;

	for (j = 0; j < n; j++)
		if (j != i && strcmp(keys[j], keys[i]) == 0 &&
		    pia_date_cmp(&rows[j].date, &rows[i].date) == 0 &&
		    !same_loose(rows[j].before, rows[j].after, 0))
			return 1;
	return 0;
}

/*
 * The numbers of the entries named name+N in a text, in order
 * ("移転先4 …、移転先5 …" gives 4, 5), at most max; their count.
 */
static size_t
entry_numbers(const char *text, const char *name, unsigned *v, size_t max)
{
	size_t n = 0, l = strlen(name);
	const char *p = text;
	unsigned x;

	while (n < max && (p = strstr(p, name)) != NULL) {
		p += l;
		if (*p < '0' || *p > '9')
			continue;
		for (x = 0; *p >= '0' && *p <= '9' && x < 100000; p++)
			x = x * 10 + (unsigned)(*p - '0');
		v[n++] = x;
	}
	return n;
}

/*
 * A renumbering row (項目 names a repeat, "Ⅱ(1)-5-移転先"; 変更前 and
 * 変更後 list "移転先4 …" → "移転先5 …") moves the entries: rows of
 * earlier dates about 移転先4 are, from then on, about 移転先5.  Rewrite
 * their chain keys so that the chain follows the entry, not its number.
 * Rows of the same day already use the new numbers (pia publish writes
 * the inserted entry and the renumbering together).
 */
static void
follow_renumbering(char **keys, const struct pia_change *rows, size_t r)
{
	unsigned olds[64], news[64], d;
	char *item = loose(rows[r].item, 1), *name, *b, *a, *t;
	const char *p, *rest;
	size_t no, nn, i, j, lk = strlen(keys[r]), ln;

	name = strrchr(item, '-') ? strrchr(item, '-') + 1 : item;
	ln = strlen(name);
	if (ln == 0 || (name[ln - 1] >= '0' && name[ln - 1] <= '9') ||
	    rows[r].date.year == 0) {
		free(item);
		return;
	}
	b = loose(rows[r].before, 3);
	a = loose(rows[r].after, 3);
	no = entry_numbers(b, name, olds, 64);
	nn = entry_numbers(a, name, news, 64);
	free(b);
	free(a);
	if (no == 0 || no != nn) {
		free(item);
		return;
	}
	for (i = 0; i < r; i++) {
		if (rows[i].date.year == 0 || pia_date_cmp(&rows[i].date, &rows[r].date) >= 0)
			continue;
		if (strncmp(keys[i], keys[r], lk) != 0)
			continue;
		p = keys[i] + lk;
		if (*p < '0' || *p > '9')
			continue;
		for (d = 0; *p >= '0' && *p <= '9' && d < 100000; p++)
			d = d * 10 + (unsigned)(*p - '0');
		rest = p;
		for (j = 0; j < no && olds[j] != d; j++)
			;
		if (j == no || news[j] == d)
			continue;
		t = xasprintf("%.*s%u%s", (int)lk, keys[i], news[j], rest);
		free(keys[i]);
		keys[i] = t;
	}
	free(item);
}

/*
 * Whether a row between rows j and i (by date) names a part that holds
 * the item of i ("II(1)住民基本台帳ファイル5" for its 提供・移転の有無):
 * that row may be the missing link.  Looks at most 256 rows around.
 */
static int
changed_above(char *const *keys, const struct pia_change *rows, size_t n, size_t j, size_t i)
{
	size_t k, lo = j > 128 ? j - 128 : 0, hi = i + 128 < n ? i + 128 : n, l;

	for (k = lo; k < hi; k++) {
		if (k == i || k == j || pia_date_cmp(&rows[k].date, &rows[j].date) < 0 ||
		    pia_date_cmp(&rows[k].date, &rows[i].date) > 0)
			continue;
		l = strlen(keys[k]);
		if (l > 1 && strncmp(keys[k], keys[i], l) == 0 && keys[i][l] == '/')
			return 1;
	}
	return 0;
}

void
pia_changes_check(struct pia_diag *d, const struct pia_lint *lint, const struct pia_form *F,
    const struct pia_change *rows, size_t n, const struct pia_chg_where *w)
{
	unsigned flags = w ? w->flags : 0;
	char **keys = xcalloc(n ? n : 1, sizeof(*keys));
	char buf[64], buf2[64], *t;
	struct pia_pos p;
	size_t i, j, prev;

	size_t *prevrow, *sameday;
	int *tables;

	tables = xcalloc(n ? n : 1, sizeof(*tables));
	for (i = 0; i < n; i++)
		keys[i] = row_key(F, rows[i].item, &tables[i]);
	/* After the dates: a renumbering moves the rows of earlier dates only. */
	for (i = 0; i < n; i++)
		follow_renumbering(keys, rows, i);
	prevrow = xcalloc(n ? n : 1, sizeof(*prevrow));
	sameday = xcalloc(n ? n : 1, sizeof(*sameday));
	chain_index(keys, rows, n, prevrow, sameday);
	for (i = 0; i < n; i++) {
		const struct pia_change *c = &rows[i];
		const char *value = NULL;
		int important = 0, unimportant = 0, claimed = 0, after = 0, ahead = 0;

		/* The loader read the dates (pia_changes_dates); a row needs one, or a page. */
		if (!(flags & PIA_CHG_F_NODATE) && (c->page == NULL || *c->page == '\0')) {
			t = trimmed(c->date_text);
			if (*t == '\0') {
				p = pia_chg_pos(w, rows, i, PIA_CHG_DATE);
				pia_diag(d, &p, PIA_MSG_CHG_NODATE);
			}
			free(t);
		}
		if (!(flags & PIA_CHG_F_NOTIMING)) {
			t = trimmed(c->timing);
			if (strcmp(t, "事前") != 0 && strcmp(t, "事後") != 0) {
				p = pia_chg_pos(w, rows, i, PIA_CHG_TIMING);
				pia_diag(d, &p, PIA_MSG_CHG_TIMING, t);
			}
			after = strcmp(t, "事後") == 0;
			ahead = strcmp(t, "事前") == 0;
			free(t);
		}
		/*
		 * 説明 is free text, printed as written (domain.md §4.1).  A phrase
		 * of the vocabulary in it says whether the row claims a 重要な変更;
		 * only a claim that contradicts 提出時期 is reported.
		 */
		if (!(flags & PIA_CHG_F_NOREASON)) {
			t = trimmed(c->reason);
			for (j = 0; reasons[j] && strcmp(reasons[j], t) != 0; j++)
				;
			p = pia_chg_pos(w, rows, i, PIA_CHG_REASON);
			if (reasons[j] != NULL)
				value = reasons[j];
			else if (*t == '\0') {
				if (c->why == NULL || *c->why == '\0')
					pia_diag(d, &p, PIA_MSG_CHG_REASON);
			} else {
				size_t st, len;
				enum pia_reason_how how = pia_lint_reason(lint, t, &value, &st, &len);
				if (how == PIA_REASON_VARIANT && st == 0 && len == strlen(t))
					pia_diag(d, &p, PIA_MSG_CHG_REASON_VARIANT, t, value);
				else if (how == PIA_REASON_NONE)
					value = NULL;
			}
			free(t);
			important = value != NULL && strcmp(value, reasons[0]) == 0;
			unimportant = value != NULL && !important;
			claimed = value != NULL && strcmp(value, reasons[2]) != 0;
		}
		if (F != NULL) {
			struct pia_item_where iw;
			int whole = pia_item_resolve(F, NULL, c->item, &iw) == 0;
			if (!whole && !(flags & PIA_CHG_F_HANDPATH)) {
				char *near = nearest(&iw);
				p = pia_chg_pos(w, rows, i, PIA_CHG_ITEM);
				pia_diag(d, &p, PIA_MSG_CHG_ITEM, c->item, *near ? near : "なし");
				free(near);
			} else if (whole && claimed && !pia_fnode_marked(iw.f) && !holds_marked(iw.f) &&
			    !inside_row_that_day(keys, rows, n, i)) {
				p = pia_chg_pos(w, rows, i, PIA_CHG_REASON);
				pia_diag(d, &p, PIA_MSG_CHG_NOT_MARKED, c->item);
			}
			pia_item_where_free(&iw);
		}
		if (important && after) {
			p = pia_chg_pos(w, rows, i, PIA_CHG_TIMING);
			pia_diag(d, &p, PIA_MSG_CHG_IMPORTANT_AFTER);
		}
		if (unimportant && ahead) {
			p = pia_chg_pos(w, rows, i, PIA_CHG_TIMING);
			pia_diag(d, &p, PIA_MSG_CHG_UNIMPORTANT_BEFORE);
		}
		if (same_loose(c->before, c->after, 0) && !part_of_change(keys, rows, n, i)) {
			p = pia_chg_pos(w, rows, i, PIA_CHG_AFTER);
			pia_diag(d, &p, PIA_MSG_CHG_NOOP);
		}
		/* Order: against the latest earlier row that has a date. */
		for (prev = i; prev-- > 0 && rows[prev].date.year == 0;)
			;
		if (c->date.year && prev < i && pia_date_cmp(&c->date, &rows[prev].date) < 0) {
			p = pia_chg_pos(w, rows, i, PIA_CHG_DATE);
			pia_diag(d, &p, PIA_MSG_CHG_ORDER,
			    pia_wareki_format(&c->date, buf, sizeof(buf)) ? buf : "",
			    pia_wareki_format(&rows[prev].date, buf2, sizeof(buf2)) ? buf2 : "");
		}
		/*
		 * The chain: the latest earlier row of the same item.  Rows of one
		 * item on one day are parts of one change (a long text split,
		 * several sentences changed), not links of the chain.
		 */
		j = prevrow[i];
		if (j != (size_t)-1 && (pia_date_cmp(&rows[j].date, &c->date) != 0 || c->date.year == 0) &&
		    sameday[i] == 0 && sameday[j] == 0 && !tables[i] &&
		    !elided(c->before) && !elided(rows[j].after) &&
		    (!linked(rows[j].after, c->before, 1) || restated(&rows[j], c)) &&
		    !changed_above(keys, rows, n, j, i)) {
			struct pia_pos pj = pia_chg_pos(w, rows, j, PIA_CHG_AFTER);
			char *where = xasprintf("%u 行目", pj.line);
			p = pia_chg_pos(w, rows, i, PIA_CHG_BEFORE);
			pia_diag(d, &p, PIA_MSG_CHG_CHAIN, where);
			free(where);
		}
	}
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	free(prevrow);
	free(sameday);
	free(tables);
}

/* An item of the report and its chain key, for CHG_CURRENT. */
struct keyed {
	char			*key;
	const struct pia_node	*node;
};

static int
keyed_cmp(const void *a, const void *b)
{
	return strcmp(((const struct keyed *)a)->key, ((const struct keyed *)b)->key);
}

/* Up to 24 characters of s from code point start, with "…" where cut.  Caller frees. */
static char *
excerpt(const char *s, size_t start)
{
	struct pia_buf b = { 0 };
	size_t i = 0, k, len = strlen(s);
	uint32_t c;

	if (start > 0)
		pia_buf_puts(&b, "…");
	for (; len > 0 && i < start + 24; s += k, len -= k, i++) {
		if ((k = pia_utf8_decode(s, len, &c)) == 0) {
			c = 0xFFFD;
			k = 1;
		}
		if (i >= start)
			pia_buf_put_cp(&b, c);
	}
	if (len > 0)
		pia_buf_puts(&b, "…");
	return b.data ? pia_buf_take(&b) : xstrdup("");
}

/*
 * A text that says there is nothing: a value gone ("(記載なし)", "(削除)")
 * or an item not applicable, answered as cities do ("—", "－", "-",
 * "該当なし", "なし").
 */
static int
says_empty(const char *s)
{
	static const char *const none[] = {
		"（記載なし）", "(記載なし)", "記載なし", "（削除）", "(削除)", "（空欄）", "(空欄)",
		"—", "―", "－", "-", "‐", "−", "ー", "該当なし", "なし", NULL
	};
	size_t i;

	if (*s == '\0')
		return 1;
	for (i = 0; none[i] != NULL; i++)
		if (strcmp(s, none[i]) == 0)
			return 1;
	return 0;
}

/*
 * A value as people write it in a change row and as pia prints it, made
 * alike: bullets (・, -, *) and numbers like (1) at the start of a line
 * (and 「・」 after a space, lines a row ran together),
 * the [○] of boxes and the 、 between listed values dropped, then
 * compared loosely (path 3).  Caller frees.
 */
static char *
comparable(const char *s)
{
	static const char *const lead[] = { "・", "•", "- ", "* ", "-", NULL };
	struct pia_buf b = { 0 };
	const char *p = s ? s : "";
	size_t i;
	char *t;

	while (*p != '\0') {
		/* The start of a line. */
		while (*p == ' ' || *p == '\t' || strncmp(p, "　", 3) == 0)
			p += *p == ' ' || *p == '\t' ? 1 : 3;
		for (i = 0; lead[i] != NULL; i++)
			if (pia_startswith(p, lead[i])) {
				p += strlen(lead[i]);
				break;
			}
		if ((*p == '(' || pia_startswith(p, "（")) &&
		    p[*p == '(' ? 1 : 3] >= '0' && p[*p == '(' ? 1 : 3] <= '9') {
			const char *q = p + (*p == '(' ? 1 : 3);
			while (*q >= '0' && *q <= '9')
				q++;
			if (*q == ')' || pia_startswith(q, "）"))
				p = q + (*q == ')' ? 1 : 3);
		}
		for (; *p != '\0' && *p != '\n'; p++) {
			if (pia_startswith(p, "[○]") || pia_startswith(p, "[ ○ ]") || pia_startswith(p, "、")) {
				p += strlen(pia_startswith(p, "、") ? "、" :
				    pia_startswith(p, "[○]") ? "[○]" : "[ ○ ]") - 1;
				/* "(1)住民基本台帳ファイル、(2)…": the numbers of a list. */
				if (p[1] == '(' && p[2] >= '0' && p[2] <= '9') {
					const char *q = p + 2;
					while (*q >= '0' && *q <= '9')
						q++;
					if (*q == ')')
						p = q;
				}
				continue;
			}
			/* "[100項目以上]": a choice as seed 001 quotes it. */
			if (*p == '[' || *p == ']')
				continue;
			/* "・A ・B": lines of bullets a row ran together. */
			if ((*p == ' ' || pia_startswith(p, "　")) &&
			    pia_startswith(p + (*p == ' ' ? 1 : 3), "・")) {
				p += (*p == ' ' ? 1 : 3) + strlen("・") - 1;
				continue;
			}
			/* "(58件)" is "(58)件". */
			if (*p == '(' && p[1] >= '0' && p[1] <= '9') {
				const char *q = p + 1;
				while (*q >= '0' && *q <= '9')
					q++;
				if (pia_startswith(q, "件)")) {
					pia_buf_put(&b, p, (size_t)(q - p));
					pia_buf_puts(&b, ")件");
					p = q + strlen("件)") - 1;
					continue;
				}
			}
			pia_buf_putc(&b, *p);
		}
		if (*p == '\n')
			pia_buf_putc(&b, *p++);
	}
	t = loose(b.data ? b.data : "", 3);
	pia_buf_free(&b);
	return t;
}

/* A row that quotes a sentence of a value: 16 characters or more of it. */
static int
quotes(const char *x, const char *y)
{
	return pia_utf8_count(x, strlen(x)) >= 16 && strstr(y, x) != NULL;
}

/* "委託する(6)件" for the choice "委託する": the value and its count. */
static int
counted(const char *x, const char *y)
{
	size_t ly = strlen(y);
	const char *p = x + ly;

	if (*y == '\0' || strncmp(x, y, ly) != 0 || *p++ != '(')
		return 0;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	return strcmp(p, ")件") == 0;
}

/* A row may name one box of a checks item: "提供を行っている(60件)" (see below). */

/* "2件" for 委託の有無: the count beside the item (seed 001 "1件 → 2件"). */
static int
count_of(const char *x, const struct pia_node *n)
{
	const struct pia_node *c;
	char *end;
	long v = strtol(x, &end, 10);

	if (end == x || strcmp(end, "件") != 0 || n->parent == NULL)
		return 0;
	for (c = n->parent->child; c != NULL; c = c->next)
		if (c->f->type == PIA_T_COUNT && c->count == v)
			return 1;
	return 0;
}

/*
 * CHG_CURRENT: the latest row of each item (keys followed through
 * renumbering, as for the chain) against the item's value now, both as a
 * change row prints a value and compared loosely.  Rows that name no
 * item of the report (a whole entry, a repeat, a path the form does not
 * know), tables, elided texts and items changed in several rows on their
 * last day are left alone; a row that quotes part of the value (the
 * sentence it changed), or the value with its count ("委託する（6）件"),
 * agrees with it.
 */
static void
check_current(struct pia_diag *d, const struct pia_report *r)
{
	struct keyed *items = NULL, probe, *hit;
	size_t nitems = 0, i, j, n = r->nchanges, start;
	char **keys, *path, *x, *y, *cur, *ex, *ey;
	struct pia_walk w;
	struct pia_node *nd;
	uint32_t cx, cy;
	size_t kx, ky, lx, ly;

	if (r->root == NULL || n == 0)
		return;
	pia_walk_init(&w, r->root);
	while (pia_walk_next(&w, &nd) != PIA_WALK_DONE)
		if (w.ev == PIA_WALK_ENTER && nd->f->kind == PIA_F_ITEM) {
			items = xrealloc(items, (nitems + 1) * sizeof(*items));
			path = pia_node_key(nd);
			items[nitems].key = xasprintf("/%s", path);
			items[nitems++].node = nd;
			free(path);
		}
	qsort(items, nitems, sizeof(*items), keyed_cmp);
	keys = xcalloc(n, sizeof(*keys));
	for (i = 0; i < n; i++)
		keys[i] = row_key(r->form, r->changes[i].item, NULL);
	for (i = 0; i < n; i++)
		follow_renumbering(keys, r->changes, i);
	for (i = 0; i < n; i++) {
		const struct pia_change *c = &r->changes[i];
		/* Only the last row of its item; not one of several on that day. */
		for (j = i + 1; j < n && strcmp(keys[j], keys[i]) != 0; j++)
			;
		if (j < n)
			continue;
		for (j = i; j-- > 0 && strcmp(keys[j], keys[i]) != 0;)
			;
		if (j != (size_t)-1 && pia_date_cmp(&r->changes[j].date, &c->date) == 0)
			continue;
		probe.key = keys[i];
		hit = bsearch(&probe, items, nitems, sizeof(*items), keyed_cmp);
		if (hit == NULL || elided(c->after))
			continue;
		/* A table (別紙) is summed up by its rows, not quoted. */
		if (hit->node->f->type == PIA_T_TABLE)
			continue;
		cur = pia_changes_text(hit->node);
		x = comparable(c->after);
		y = comparable(cur);
		if (strcmp(x, y) != 0 && !(says_empty(x) && says_empty(y)) &&
		    !quotes(x, y) && !counted(x, y) && !count_of(x, hit->node) &&
		    !(hit->node->f->type == PIA_T_CHECKS && *x != '\0' && strstr(y, x) != NULL)) {
			/* Show both from a little before where they part. */
			for (start = 0, lx = strlen(x), ly = strlen(y), kx = ky = 0;; start++) {
				size_t a = pia_utf8_decode(x + kx, lx - kx, &cx);
				size_t b = pia_utf8_decode(y + ky, ly - ky, &cy);
				if (a == 0 || b == 0 || cx != cy)
					break;
				kx += a;
				ky += b;
			}
			start = start > 8 ? start - 8 : 0;
			ex = excerpt(x, start);
			ey = excerpt(*y ? y : PIA_CH_EMPTY, *y ? start : 0);
			pia_diag(d, &c->pos, PIA_MSG_CHG_CURRENT, c->item, ex, ey);
			free(ex);
			free(ey);
		}
		free(x);
		free(y);
		free(cur);
	}
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	for (i = 0; i < nitems; i++)
		free(items[i].key);
	free(items);
}

void
pia_check_changes(struct pia_diag *d, const struct pia_report *r)
{
	struct pia_lint *lint;
	size_t i;

	/* 確認="要": computed by pia publish, not yet confirmed by a person. */
	for (i = 0; i < r->nchanges; i++)
		if (r->changes[i].review)
			pia_diag(d, &r->changes[i].pos, PIA_MSG_CHG_REVIEW);
	lint = pia_lint_new(d, 0);
	pia_changes_check(d, lint, r->form, r->changes, r->nchanges, NULL);
	pia_changes_counts(d, r->form, r->changes, r->nchanges, NULL);
	pia_lint_free(lint);
	check_current(d, r);
}
