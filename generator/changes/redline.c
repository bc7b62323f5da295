/*
 * Redlines of the 変更箇所 history: rows of changes.xml carry only their
 * 変更前 and 変更後 texts, so the web page finds what changed inside them
 * here, character by character (Japanese has no spaces to split words
 * at), and shows it as deletions and insertions.  Also the test of a text
 * too long for a row of the table.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "util.h"

/* Pairs of characters the table of the common subsequence may hold (8 MB). */
#define CELLS_MAX	(4u * 1024 * 1024)

int
pia_changes_long(const char *s)
{
	size_t n = 0, k, len = s ? strlen(s) : 0;
	uint32_t c;

	for (; len > 0; s += k, len -= k) {
		if ((k = pia_utf8_decode(s, len, &c)) == 0) {
			c = (unsigned char)*s;
			k = 1;
		}
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != 0x3000)
			n++;
	}
	return n > PIA_CH_LONG;
}

/* The code points of s and, in *off, where each starts (one more: the end). */
static uint32_t *
decode(const char *s, size_t *n, size_t **off)
{
	size_t len = strlen(s), i = 0, k;
	uint32_t *v = xcalloc(len + 1, sizeof(*v));

	*off = xcalloc(len + 2, sizeof(**off));
	for (*n = 0; i < len; i += k) {
		(*off)[*n] = i;
		if ((k = pia_utf8_decode(s + i, len - i, &v[*n])) == 0) {
			v[*n] = 0xFFFD;
			k = 1;
		}
		(*n)++;
	}
	(*off)[*n] = len;
	return v;
}

/* Append bytes to the last piece when it has the same op, else a new piece. */
static void
add(struct pia_redline *R, enum pia_chop op, const char *s, size_t len)
{
	struct pia_redpiece *p;
	size_t old;

	if (len == 0)
		return;
	if (R->n > 0 && R->v[R->n - 1].op == op) {
		p = &R->v[R->n - 1];
		old = strlen(p->text);
		p->text = xrealloc(p->text, old + len + 1);
		memcpy(p->text + old, s, len);
		p->text[old + len] = '\0';
		return;
	}
	R->v = xrealloc(R->v, (R->n + 1) * sizeof(*R->v));
	p = &R->v[R->n++];
	p->op = op;
	p->text = xmalloc(len + 1);
	memcpy(p->text, s, len);
	p->text[len] = '\0';
}

/*
 * The op of every step from (0, 0) to (na, nb) through the common
 * subsequence of a and b: SAME moves both, DEL moves a, INS moves b.
 * Returns the number of steps; ops has room for na + nb.
 */
static size_t
steps(const uint32_t *a, size_t na, const uint32_t *b, size_t nb, enum pia_chop *ops)
{
	uint16_t *L = xcalloc((na + 1) * (nb + 1), sizeof(*L));
	size_t i, j, n = 0;

#define AT(i, j) L[(i) * (nb + 1) + (j)]
	/* Lengths of the common subsequences of the suffixes. */
	for (i = na; i-- > 0;)
		for (j = nb; j-- > 0;)
			AT(i, j) = a[i] == b[j] ? AT(i + 1, j + 1) + 1 :
			    AT(i + 1, j) >= AT(i, j + 1) ? AT(i + 1, j) : AT(i, j + 1);
	for (i = j = 0; i < na || j < nb;)
		if (i < na && j < nb && a[i] == b[j]) {
			ops[n++] = PIA_CHOP_SAME;
			i++, j++;
		} else if (j == nb || (i < na && AT(i + 1, j) >= AT(i, j + 1))) {
			ops[n++] = PIA_CHOP_DEL;
			i++;
		} else {
			ops[n++] = PIA_CHOP_INS;
			j++;
		}
#undef AT
	free(L);
	return n;
}

/* The character-level redline of before and after, appended to R. */
static void
by_chars(struct pia_redline *R, const char *before, const char *after)
{
	struct pia_buf del = { 0 }, ins = { 0 };
	size_t na, nb, *oa, *ob, pre, suf, n, k, i, j, run, ia, ib;
	uint32_t *a, *b;
	enum pia_chop *ops;

	a = decode(before, &na, &oa);
	b = decode(after, &nb, &ob);
	/* The common start and end cost nothing; most edits are local. */
	for (pre = 0; pre < na && pre < nb && a[pre] == b[pre]; pre++)
		;
	for (suf = 0; suf < na - pre && suf < nb - pre &&
	    a[na - 1 - suf] == b[nb - 1 - suf]; suf++)
		;
	ops = xcalloc(na + nb + 1, sizeof(*ops));
	for (n = 0; n < pre; n++)
		ops[n] = PIA_CHOP_SAME;
	if (na + nb <= PIA_CH_REDLINE_MAX &&
	    (double)(na - pre - suf + 1) * (double)(nb - pre - suf + 1) <= CELLS_MAX)
		n += steps(a + pre, na - pre - suf, b + pre, nb - pre - suf, ops + n);
	else {
		for (k = pre; k < na - suf; k++)
			ops[n++] = PIA_CHOP_DEL;
		for (k = pre; k < nb - suf; k++)
			ops[n++] = PIA_CHOP_INS;
	}
	for (k = 0; k < suf; k++)
		ops[n++] = PIA_CHOP_SAME;

	/*
	 * Pieces: a kept run of at most two characters between edits joins
	 * them (it goes to both sides), and each stretch of edits gives its
	 * deletion, then its insertion.
	 */
	for (i = ia = ib = 0; i < n; i = j) {
		for (j = i; j < n && ops[j] == ops[i]; j++)
			;
		run = j - i;
		if (ops[i] == PIA_CHOP_SAME && (i == 0 || j == n || run > 2)) {
			if (del.len || ins.len) {
				add(R, PIA_CHOP_DEL, del.data, del.len);
				add(R, PIA_CHOP_INS, ins.data, ins.len);
				del.len = ins.len = 0;
			}
			add(R, PIA_CHOP_SAME, before + oa[ia], oa[ia + run] - oa[ia]);
			ia += run;
			ib += run;
			continue;
		}
		if (ops[i] != PIA_CHOP_INS) {
			pia_buf_put(&del, before + oa[ia], oa[ia + run] - oa[ia]);
			ia += run;
		}
		if (ops[i] != PIA_CHOP_DEL) {
			pia_buf_put(&ins, after + ob[ib], ob[ib + run] - ob[ib]);
			ib += run;
		}
	}
	add(R, PIA_CHOP_DEL, del.data, del.len);
	add(R, PIA_CHOP_INS, ins.data, ins.len);
	pia_buf_free(&del);
	pia_buf_free(&ins);
	free(ops);
	free(a);
	free(b);
	free(oa);
	free(ob);
}

/* The lines of s, each with its '\n'; *n of them.  Caller frees the array (not the lines: they point into s). */
static const char **
lines(const char *s, size_t *n, size_t **len)
{
	const char **v = NULL, *p = s, *nl;

	*n = 0;
	*len = NULL;
	while (*p != '\0') {
		nl = strchr(p, '\n');
		v = xrealloc(v, (*n + 1) * sizeof(*v));
		*len = xrealloc(*len, (*n + 1) * sizeof(**len));
		v[*n] = p;
		(*len)[*n] = nl ? (size_t)(nl - p) + 1 : strlen(p);
		p += (*len)[(*n)++];
	}
	return v;
}

static int
same_line(const char *a, size_t la, const char *b, size_t lb)
{
	/* The last line may lack its '\n'. */
	if (la > 0 && a[la - 1] == '\n')
		la--;
	if (lb > 0 && b[lb - 1] == '\n')
		lb--;
	return la == lb && memcmp(a, b, la) == 0;
}

/*
 * Lines first, then characters: lines both texts have are kept whole, and
 * each stretch of lines between them is compared character by character,
 * so that an edit is not matched against a like phrase of another
 * paragraph.  Too many lines to pair (the table would pass CELLS_MAX):
 * characters only.
 */
struct pia_redline *
pia_redline(const char *before, const char *after)
{
	struct pia_redline *R = xcalloc(1, sizeof(*R));
	const char **la, **lb;
	size_t na, nb, *lena, *lenb, i, j, i0, j0;
	uint16_t *L;
	char *x, *y;

	before = before ? before : "";
	after = after ? after : "";
	la = lines(before, &na, &lena);
	lb = lines(after, &nb, &lenb);
	if ((na < 2 && nb < 2) || (double)(na + 1) * (double)(nb + 1) > CELLS_MAX ||
	    na > 60000 || nb > 60000) {
		by_chars(R, before, after);
		goto out;
	}
	L = xcalloc((na + 1) * (nb + 1), sizeof(*L));
#define AT(i, j) L[(i) * (nb + 1) + (j)]
	for (i = na; i-- > 0;)
		for (j = nb; j-- > 0;)
			AT(i, j) = same_line(la[i], lena[i], lb[j], lenb[j]) ? AT(i + 1, j + 1) + 1 :
			    AT(i + 1, j) >= AT(i, j + 1) ? AT(i + 1, j) : AT(i, j + 1);
	for (i = j = 0; i < na || j < nb;) {
		/* A stretch of lines that differ, up to the next line in both. */
		for (i0 = i, j0 = j; (i < na || j < nb) &&
		    !(i < na && j < nb && same_line(la[i], lena[i], lb[j], lenb[j]));)
			if (j == nb || (i < na && AT(i + 1, j) >= AT(i, j + 1)))
				i++;
			else
				j++;
		if (i > i0 || j > j0) {
			x = xstrndup(i > i0 ? la[i0] : "", i > i0 ? (size_t)(la[i - 1] + lena[i - 1] - la[i0]) : 0);
			y = xstrndup(j > j0 ? lb[j0] : "", j > j0 ? (size_t)(lb[j - 1] + lenb[j - 1] - lb[j0]) : 0);
			by_chars(R, x, y);
			free(x);
			free(y);
		}
		if (i < na && j < nb) {
			/* The kept line; a last line may have its '\n' on one side only. */
			size_t lc = lenb[j] - (lb[j][lenb[j] - 1] == '\n');
			int nla = la[i][lena[i] - 1] == '\n', nlb = lb[j][lenb[j] - 1] == '\n';
			add(R, PIA_CHOP_SAME, lb[j], lc);
			if (nla || nlb)
				add(R, nla && nlb ? PIA_CHOP_SAME : nla ? PIA_CHOP_DEL : PIA_CHOP_INS, "\n", 1);
			i++;
			j++;
		}
	}
#undef AT
	free(L);
out:
	free(la);
	free(lb);
	free(lena);
	free(lenb);
	return R;
}

void
pia_redline_free(struct pia_redline *R)
{
	size_t i;

	if (R == NULL)
		return;
	for (i = 0; i < R->n; i++)
		free(R->v[i].text);
	free(R->v);
	free(R);
}
