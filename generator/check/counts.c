/*
 * The （ N ）件 of 委託の有無 and 提供・移転の有無 against the entries a
 * change list adds and removes (domain.md §6 B10, B11).  Real lists raise
 * 「委託する（ 2 ）件」 to 3 and add 委託事項3 and 委託事項4 the same day,
 * or add 委託事項4 while the count stays 3.  Only what the rows themselves
 * show is compared: a count changed with no entry rows that day (entries
 * kept in 別紙1, ranges 「移転先9～16」) says nothing, so it is not reported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "form.h"
#include "model.h"
#include "util.h"

/* The three kinds of entries and how their count reads in a cell. */
static const struct kind {
	const char	*entry;		/* the entry group's key in the form */
	const char	*count_item;	/* the key of the row that holds the count */
	const char	*lead;		/* the words before （ N ）件 in that cell; NULL: any */
} kinds[] = {
	{ "委託事項", "委託の有無", NULL },
	{ "提供先", "提供移転の有無", "提供を行っている" },
	{ "移転先", "提供移転の有無", "移転を行っている" },
};
#define NKINDS	(sizeof(kinds) / sizeof(kinds[0]))

static struct pia_pos
fpos(const struct pia_chg_where *w, const struct pia_change *rows, size_t i,
    enum pia_chg_field f)
{
	if (w != NULL && w->pos != NULL)
		return w->pos(w->ctx, i, f);
	return rows[i].pos;
}

static long	count_at(const char *);

/* The N of 「（ N ）件」 (or 「N件」) after lead in s (anywhere if lead is NULL), -1 if none. */
static long
count_in(const char *s, const char *lead)
{
	const char *p;
	long n = -1;
	int digit = 0;

	if (s == NULL)
		return -1;
	if (lead != NULL)
		return (p = strstr(s, lead)) != NULL ? count_at(p + strlen(lead)) : -1;
	for (p = s; *p != '\0' && n < 0; p++) {
		if ((*p == '(' || strncmp(p, "（", 3) == 0 || (*p >= '0' && *p <= '9' && !digit)))
			n = count_at(p);
		digit = *p >= '0' && *p <= '9';
	}
	return n;
}

static long
count_at(const char *p)
{
	long n = -1;
	uint32_t c;
	size_t k;

	/* Up to the first digit: brackets, spaces, ] of a box; nothing else. */
	while (*p != '\0' && (k = pia_utf8_decode(p, strlen(p), &c)) > 0) {
		if (c >= '0' && c <= '9')
			break;
		if (c >= 0xFF10 && c <= 0xFF19)
			break;
		if (c != ' ' && c != 0x3000 && c != '(' && c != 0xFF08 && c != ']' &&
		    c != 0xFF3D && c != '\t')
			return -1;
		p += k;
	}
	while (*p != '\0' && (k = pia_utf8_decode(p, strlen(p), &c)) > 0) {
		if (c >= 0xFF10 && c <= 0xFF19)
			c -= 0xFF10 - '0';
		else if (c < '0' || c > '9')
			break;
		n = (n < 0 ? 0 : n) * 10 + (long)(c - '0');
		if (n > 100000)
			return -1;
		p += k;
	}
	if (n < 0)
		return -1;
	while (*p == ' ' || *p == ')' || strncmp(p, "）", 3) == 0 || strncmp(p, "　", 3) == 0)
		p += *p == ' ' || *p == ')' ? 1 : 3;
	return strncmp(p, "件", 3) == 0 ? n : -1;
}

/* 「(記載なし)」「(削除)」 or empty: the cell holds no entry. */
static int
no_entry(const char *s)
{
	static const char *const none[] = {
		"記載なし", "(記載なし)", "（記載なし）", "削除", "(削除)", "（削除）",
		"空欄", "(空欄)", "（空欄）", "なし", "—", "－", "-", NULL
	};
	char *t = pia_strtrim(s ? s : "");
	size_t i;
	int r = *t == '\0';

	for (i = 0; !r && none[i] != NULL; i++)
		r = strcmp(t, none[i]) == 0;
	free(t);
	return r;
}

/* What a row names: the scope (the steps above the entry), a kind and entry number, or a count. */
struct named {
	char	*scope;		/* "ファイルの概要1/委託"; NULL: nothing of ours */
	int	 kind;		/* index into kinds; -1: a count row */
	unsigned entry;		/* entry number */
	int	 whole;		/* the row is the entry itself or its title, not one of its items */
};

static void
name_row(const struct pia_form *F, const char *item, struct named *nm)
{
	struct pia_item_where w;
	struct pia_buf b = { 0 };
	size_t i, j, k;

	memset(nm, 0, sizeof(*nm));
	nm->kind = -1;
	if (pia_item_resolve(F, NULL, item, &w) != 0 || w.range || w.nsteps == 0) {
		pia_item_where_free(&w);
		return;
	}
	for (i = 0; i < w.nsteps && nm->scope == NULL; i++)
		for (k = 0; k < NKINDS; k++) {
			const char *key = w.steps[i].f->key;

			if (key == NULL)
				continue;
			if (strcmp(key, kinds[k].entry) == 0 && w.steps[i].index > 0) {
				nm->kind = (int)k;
				nm->entry = w.steps[i].index;
				nm->whole = i + 1 == w.nsteps || (i + 2 == w.nsteps &&
				    (w.steps[i + 1].f->flags & PIA_FF_TITLE));
			} else if (strcmp(key, kinds[k].count_item) == 0 ||
			    (strcmp(key, "件数") == 0 && k == 0 && i > 0 &&
			    strcmp(w.steps[i - 1].f->key, "委託") == 0))
				nm->kind = -1;
			else
				continue;
			for (j = 0; j < i; j++) {
				if (j > 0)
					pia_buf_putc(&b, '/');
				pia_buf_puts(&b, w.steps[j].f->key);
				if (w.steps[j].index > 0)
					pia_buf_printf(&b, "%u", w.steps[j].index);
			}
			nm->scope = b.data ? pia_buf_take(&b) : xstrdup("");
			break;
		}
	pia_item_where_free(&w);
}

void
pia_changes_counts(struct pia_diag *d, const struct pia_form *F, const struct pia_change *rows,
    size_t n, const struct pia_chg_where *w)
{
	struct named *nm;
	size_t i, j, k, day, end;

	if (F == NULL || n == 0)
		return;
	nm = xcalloc(n, sizeof(*nm));
	for (i = 0; i < n; i++)
		name_row(F, rows[i].item, &nm[i]);
	/* Each scope and kind on its own, the list read in its order, a day at a time. */
	for (i = 0; i < n; i++) {
		if (nm[i].scope == NULL)
			continue;
		for (k = 0; k < NKINDS; k++) {
			long known = -1;
			int seen = 0;
			unsigned *had = NULL;	/* entries named on earlier days */
			size_t nhad = 0, h;

			/* Start once per scope and kind: at its first row. */
			for (j = 0; j < i && !seen; j++)
				seen = nm[j].scope != NULL && strcmp(nm[j].scope, nm[i].scope) == 0 &&
				    (nm[j].kind == (int)k || nm[j].kind == -1);
			if (seen || (nm[i].kind != (int)k && nm[i].kind != -1))
				continue;
			for (day = i; day < n; day = end) {
				long before = -1, after = -1;
				size_t count_row = n, added = 0, removed = 0, late = n;
				unsigned nums[64];
				size_t nn = 0, q;

				for (end = day + 1; end < n &&
				    pia_date_cmp(&rows[end].date, &rows[day].date) == 0; end++)
					;
				for (j = day; j < end; j++) {
					if (nm[j].scope == NULL || strcmp(nm[j].scope, nm[i].scope) != 0)
						continue;
					if (nm[j].kind == -1) {
						long a = count_in(rows[j].after, kinds[k].lead);

						if (a < 0)
							continue;
						count_row = j;
						before = count_in(rows[j].before, kinds[k].lead);
						after = a;
					}
				}
				/* Entries that appear (every row of it that day from nothing) or go. */
				for (j = day; j < end; j++) {
					int fresh = 1, gone = 0, dup = 0, whole = 0;
					long base = count_row < n ? before : known;

					if (nm[j].scope == NULL || strcmp(nm[j].scope, nm[i].scope) != 0 ||
					    nm[j].kind != (int)k)
						continue;
					for (q = 0; q < nn; q++)
						dup |= nums[q] == nm[j].entry;
					if (dup || nn == sizeof(nums) / sizeof(nums[0]))
						continue;
					for (q = day; q < end; q++)
						if (nm[q].scope != NULL && strcmp(nm[q].scope, nm[i].scope) == 0 &&
						    nm[q].kind == (int)k && nm[q].entry == nm[j].entry) {
							fresh &= no_entry(rows[q].before) && !no_entry(rows[q].after);
							whole |= nm[q].whole;
							gone |= nm[q].whole && !no_entry(rows[q].before) &&
							    no_entry(rows[q].after);
						}
					/* An entry already counted or named is being filled in, not added. */
					if (fresh && base >= 0 && (long)nm[j].entry <= base)
						fresh = 0;
					/* Named before: only a row of the whole entry adds it again. */
					for (h = 0; h < nhad && fresh && !whole; h++)
						fresh = had[h] != nm[j].entry;
					if (!fresh && !gone)
						continue;
					nums[nn++] = nm[j].entry;
					if (fresh) {
						added++;
						if (count_row == n && known >= 0 && (long)nm[j].entry > known &&
						    late == n)
							late = j;
					} else
						removed++;
				}
				if (count_row < n && before >= 0 && added + removed > 0 &&
				    (long)added - (long)removed != after - before) {
					struct pia_pos p = fpos(w, rows, count_row, PIA_CHG_AFTER);
					char a[24], b[24], ad[24], rm[24];

					snprintf(a, sizeof(a), "%ld", before);
					snprintf(b, sizeof(b), "%ld", after);
					snprintf(ad, sizeof(ad), "%zu", added);
					snprintf(rm, sizeof(rm), "%zu", removed);
					pia_diag(d, &p, PIA_MSG_CHG_COUNT, a, b, kinds[k].entry, ad, rm);
				} else if (late < n) {
					struct pia_pos p = fpos(w, rows, late, PIA_CHG_ITEM);
					char num[24], c[24];

					snprintf(num, sizeof(num), "%s%u", kinds[k].entry, nm[late].entry);
					snprintf(c, sizeof(c), "%ld", known);
					pia_diag(d, &p, PIA_MSG_CHG_COUNT_ENTRY, num, c);
				}
				for (j = day; j < end; j++)
					if (nm[j].scope != NULL && strcmp(nm[j].scope, nm[i].scope) == 0 &&
					    nm[j].kind == (int)k) {
						had = xrealloc(had, (nhad + 1) * sizeof(*had));
						had[nhad++] = nm[j].entry;
					}
				if (count_row < n)
					known = after;
				else if (known >= 0)
					known += (long)added - (long)removed;
			}
			free(had);
		}
	}
	for (i = 0; i < n; i++)
		free(nm[i].scope);
	free(nm);
}
