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

struct pia_redline *
pia_redline(const char *before, const char *after)
{
	struct pia_redline *R = xcalloc(1, sizeof(*R));
	struct pia_buf del = { 0 }, ins = { 0 };
	size_t na, nb, *oa, *ob, pre, suf, n, k, i, j, run, ia, ib;
	uint32_t *a, *b;
	enum pia_chop *ops;

	before = before ? before : "";
	after = after ? after : "";
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
