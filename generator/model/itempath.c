/*
 * The one reader of 変更箇所 item paths (項目) as cities write them:
 * "Ⅱ(1)-4-委託事項2-⑥委託先名" as pia prints it, and
 * "II(1)住民基本台帳ファイル - 2⑤保有開始日", "Ⅳ-1②請求方法",
 * "Ⅱ特定個人情報ファイルの概要ー(1)…ー3. 特定個人情報の入手・使用ー④使用の主体",
 * "I-2システム3②システムの機能", "II(1)… - 5 移転先9～16",
 * "…移転先6～8(変更前)、移転先6、7(変更後)", "…(3-1)" as seed 001 writes
 * them: ASCII or full-width Roman numerals, any dash or a long vowel as
 * separator or none at all, the file name or not, 「2⑤」 for 「2-⑤」,
 * labels shortened (「②所属長」) or spelt a little differently.
 *
 * The path is read left to right against the form: at each step the
 * child (or, through groups the path does not name, a descendant; after
 * an item, a sibling) that consumes the most of the text is taken, by
 * number, label, key or entry title.  Every check and renderer that needs
 * the item of a row calls pia_item_resolve.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "util.h"

struct ptext {
	uint32_t	*c;
	size_t		 n;
};

static int
is_sep(uint32_t c)
{
	return c == ' ' || c == '-' || c == '_' || c == '.' || c == ':' || c == '/' ||
	    c == '|' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212 ||
	    c == 0x30FC || c == 0xFF70;
}

/* A long vowel after katakana is part of the word (サーバー), else a dash: "リスク対策ー(1)". */
static int
sep_at(const uint32_t *c, size_t p)
{
	if ((c[p] == 0x30FC || c[p] == 0xFF70) && p > 0 &&
	    ((c[p - 1] >= 0x30A1 && c[p - 1] <= 0x30FA) || (c[p - 1] >= 0xFF66 && c[p - 1] <= 0xFF9D)))
		return 0;
	return is_sep(c[p]);
}

static int
is_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

static int
is_circled(uint32_t c)
{
	return (c >= 0x2460 && c <= 0x2473) || (c >= 0x3251 && c <= 0x325F);
}

/* Code points of s with full-width ASCII folded, spaces as ' '; NULs dropped. */
static void
decode(const char *s, struct ptext *t, int drop_space)
{
	size_t len = strlen(s), k;
	uint32_t c;

	t->c = xcalloc(len + 1, sizeof(*t->c));
	t->n = 0;
	for (; len > 0; s += k, len -= k) {
		if ((k = pia_utf8_decode(s, len, &c)) == 0) {
			k = 1;
			continue;
		}
		if (c >= 0xFF01 && c <= 0xFF5E)
			c -= 0xFEE0;
		if (c == 0x3000 || c == '\t' || c == '\n' || c == '\r' || c == 0xA0)
			c = ' ';
		if (c == 0x301C)	/* 〜 */
			c = '~';
		if (c == ' ' && drop_space)
			continue;
		t->c[t->n++] = c;
	}
}

/* Label text compared without spaces, colons; すべて as 全て. */
/* すべて → 全て: both spellings of 全ての記録項目 read the same. */
static void
subete(struct ptext *t)
{
	size_t i, j;

	for (i = j = 0; i < t->n; i++) {
		if (i + 2 < t->n && t->c[i] == 0x3059 && t->c[i + 1] == 0x3079 &&
		    t->c[i + 2] == 0x3066) {
			t->c[j++] = 0x5168;
			t->c[j++] = 0x3066;
			i += 2;
			continue;
		}
		t->c[j++] = t->c[i];
	}
	t->n = j;
}

static void
label_text(const char *s, struct ptext *t)
{
	size_t i, j;

	decode(s ? s : "", t, 1);
	for (i = j = 0; i < t->n; i++) {
		if (t->c[i] == ':')
			continue;
		t->c[j++] = t->c[i];
	}
	t->n = j;
	subete(t);
}

static int
is_roman(uint32_t c)
{
	return c == 'I' || c == 'V' || c == 'X' || (c >= 0x2160 && c <= 0x216B);
}

/*
 * The file named after the path, as seed 002 writes it:
 * "II-4-委託事項1 (1.特定個人情報ファイル名:(1)住民基本台帳ファイル)" reads as
 * "II(1)住民基本台帳ファイル-4-委託事項1".  Left alone unless the path starts
 * with a section numeral.
 */
static void
file_named_after(struct ptext *t)
{
	struct ptext key;
	uint32_t *c;
	size_t i, k, at = (size_t)-1, open, name, roman, n;

	if (t->n == 0 || t->c[t->n - 1] != ')')
		return;
	decode("特定個人情報ファイル名", &key, 0);
	for (i = 0; i + key.n <= t->n; i++) {
		for (k = 0; k < key.n && t->c[i + k] == key.c[k]; k++)
			;
		if (k == key.n)
			at = i;
	}
	n = key.n;
	free(key.c);
	if (at == (size_t)-1)
		return;
	/* "(1." or "(" before the words, ":" and spaces after them. */
	for (open = at; open > 0 && t->c[open - 1] != '(' &&
	    (is_digit(t->c[open - 1]) || is_sep(t->c[open - 1])); open--)
		;
	if (open == 0 || t->c[open - 1] != '(')
		return;
	open--;
	for (name = at + n; name < t->n - 1 && is_sep(t->c[name]); name++)
		;
	for (roman = 0; roman < open && t->c[roman] == ' '; roman++)
		;
	for (k = roman; k < open && is_roman(t->c[k]); k++)
		;
	if (k == roman || name >= t->n - 1)
		return;
	roman = k;
	while (open > roman && t->c[open - 1] == ' ')
		open--;
	/* numeral + file + rest of the path. */
	c = xcalloc(t->n + 1, sizeof(*c));
	memcpy(c, t->c, roman * sizeof(*c));
	memcpy(c + roman, t->c + name, (t->n - 1 - name) * sizeof(*c));
	k = roman + (t->n - 1 - name);
	memcpy(c + k, t->c + roman, (open - roman) * sizeof(*c));
	k += open - roman;
	free(t->c);
	t->c = c;
	t->n = k;
}

/*
 * The path as read: spaces kept (they separate), ASCII Roman numerals
 * at the start of a component as Ⅰ…Ⅷ, すべて as 全て, and the marks that
 * say nothing about the item dropped: (変更前), (変更後), (続き) and a
 * trailing (3-1) of a text split over rows.
 */
static void
path_text(const char *s, struct ptext *t)
{
	static const char *const drop[] = { "(変更前)", "(変更後)", "(続き)" };
	struct ptext d;
	size_t i, j, k, r, m;

	decode(s, t, 0);
	/* Marks. */
	for (r = 0; r < sizeof(drop) / sizeof(drop[0]); r++) {
		decode(drop[r], &d, 0);
		for (i = j = 0; i < t->n; ) {
			for (k = 0; k < d.n && i + k < t->n && t->c[i + k] == d.c[k]; k++)
				;
			if (k == d.n) {
				i += k;
				continue;
			}
			t->c[j++] = t->c[i++];
		}
		t->n = j;
		free(d.c);
	}
	while (t->n > 0 && t->c[t->n - 1] == ' ')
		t->n--;
	/* A trailing (3-1). */
	if (t->n >= 5 && t->c[t->n - 1] == ')') {
		for (i = t->n - 1; i > 0 && (is_digit(t->c[i - 1]) || is_sep(t->c[i - 1]) ||
		    t->c[i - 1] == 0x2013); i--)
			;
		if (i > 0 && t->c[i - 1] == '(' && i < t->n - 1) {
			for (k = i, m = 0; k < t->n - 1; k++)
				m += is_digit(t->c[k]) ? 0 : 1;
			if (m > 0 && is_digit(t->c[i]))
				t->n = i - 1;
		}
	}
	file_named_after(t);
	subete(t);
	/* A space between two Japanese characters is a line wrap: "保 管場所". */
	for (i = j = 0; i < t->n; i++) {
		if (t->c[i] == ' ' && j > 0 && i + 1 < t->n && t->c[j - 1] >= 0x3000 &&
		    t->c[i + 1] >= 0x3000 && !is_sep(t->c[j - 1]) && !is_sep(t->c[i + 1]) &&
		    !is_circled(t->c[i + 1]))
			continue;
		/* Nor does one after a file's number: "(3) 送付先情報ファイル". */
		if (t->c[i] == ' ' && j >= 3 && t->c[j - 1] == ')' && is_digit(t->c[j - 2]) &&
		    i + 1 < t->n && t->c[i + 1] >= 0x3000 && !is_sep(t->c[i + 1]) &&
		    !is_circled(t->c[i + 1]))
			continue;
		t->c[j++] = t->c[i];
	}
	t->n = j;
	/* ASCII Roman numerals: "II(1)", "IV-1", "V-1①". */
	for (i = 0; i < t->n; i++) {
		static const uint32_t roman[] = { 0x2160, 0x2161, 0x2162, 0x2163, 0x2164,
		    0x2165, 0x2166, 0x2167 };
		static const char *const asc[] = { "I", "II", "III", "IV", "V", "VI", "VII", "VIII" };
		size_t best = 0, len = 0;
		if (i > 0 && !is_sep(t->c[i - 1]) && t->c[i - 1] != ')' && t->c[i - 1] != '(')
			continue;
		for (r = 0; r < 8; r++) {
			size_t l = strlen(asc[r]);
			for (k = 0; k < l && i + k < t->n && t->c[i + k] == (uint32_t)asc[r][k]; k++)
				;
			if (k == l && l > len && !(i + l < t->n && ((t->c[i + l] | 0x20) >= 'a' &&
			    (t->c[i + l] | 0x20) <= 'z')))
				best = r, len = l;
		}
		if (len == 0)
			continue;
		t->c[i] = roman[best];
		memmove(t->c + i + 1, t->c + i + len, (t->n - i - len) * sizeof(*t->c));
		t->n -= len - 1;
	}
}

static size_t
skip_sep(const struct ptext *t, size_t p)
{
	/* Between words, even "システムーシステム1" is a dash. */
	while (p < t->n && is_sep(t->c[p]))
		p++;
	return p;
}

/* Does l occur at p of t?  Its length, or 0. */
static size_t
at(const struct ptext *t, size_t p, const struct ptext *l)
{
	size_t k;

	if (l->n == 0 || p + l->n > t->n)
		return 0;
	for (k = 0; k < l->n; k++)
		if (t->c[p + k] != l->c[k])
			return 0;
	return l->n;
}

/* The end of the word at p: up to a separator, a digit, a circled number or "(". */
static size_t
word_end(const struct ptext *t, size_t p)
{
	while (p < t->n && !sep_at(t->c, p) && !is_digit(t->c[p]) && !is_circled(t->c[p]) &&
	    t->c[p] != '(')
		p++;
	return p;
}

/*
 * A label at p, whole or as cities shorten or extend it: its length.
 * "所属長" for 所属長の役職名 (the word is the label's start),
 * "特定個人情報の提供・移転の有無" for 提供・移転の有無 (the word ends with it).
 */
static size_t
label_at(const struct ptext *t, size_t p, const struct ptext *l)
{
	size_t e, k, n;

	if (l->n == 0)
		return 0;
	if ((n = at(t, p, l)) > 0)
		return n;
	/* Labels may hold digits and brackets: compare over spaces too. */
	e = word_end(t, p);
	if (e == p)
		return 0;
	/* The word is the label's beginning (at least 2 characters). */
	if (e - p >= 2 && e - p < l->n) {
		for (k = 0; k < e - p && t->c[p + k] == l->c[k]; k++)
			;
		if (k == e - p)
			return k;
	}
	/* The word ends with the label. */
	if (e - p > l->n) {
		for (k = 0; k < l->n && t->c[e - l->n + k] == l->c[k]; k++)
			;
		if (k == l->n)
			return e - p;
	}
	return 0;
}

/*
 * A label a city spelt a little differently: the word at p and the label
 * differ by at most one character in five ("ルール内容及び…" for
 * ルールの内容及び…, "…その他のリスクに対する措置" for …その他のリスク及び
 * そのリスクに対する措置).  The word's length, or 0.
 */
static size_t
label_near(const struct ptext *t, size_t p, const struct ptext *l)
{
	size_t e = word_end(t, p), n = e - p, i, j, prev, tmp, lcs, *row, longer;

	if (n < 8 || l->n < 8 || n > 200 || l->n > 200)
		return 0;
	longer = n > l->n ? n : l->n;
	if ((n > l->n ? n - l->n : l->n - n) * 5 > longer)
		return 0;
	row = xcalloc(l->n + 1, sizeof(*row));
	for (i = 1; i <= n; i++)
		for (prev = 0, j = 1; j <= l->n; j++) {
			tmp = row[j];
			row[j] = t->c[p + i - 1] == l->c[j - 1] ? prev + 1 :
			    (row[j] > row[j - 1] ? row[j] : row[j - 1]);
			prev = tmp;
		}
	lcs = row[l->n];
	free(row);
	return (longer - lcs) * 5 <= longer ? n : 0;
}

/* Digits at p: the number and its length via *len (0: none). */
static unsigned
number_at(const struct ptext *t, size_t p, size_t *len)
{
	unsigned v = 0;
	size_t k = 0;

	while (p + k < t->n && is_digit(t->c[p + k]) && v < 100000)
		v = v * 10 + (t->c[p + k++] - '0');
	*len = k;
	return k ? v : 0;
}

/*
 * An entry title at p, "システム3", "移転先9～16", "(1)住民基本台帳ファイル":
 * its length, the entry number in *index.  A range or list of entries
 * ("～16", "、移転先6、7") names the repeat: *index 0.  After the number
 * of a per-file entry, the file name as written is passed over.
 */
static size_t
entry_at(const struct ptext *t, size_t p, const struct pia_fnode *f, unsigned *index, int *range,
    int bare)
{
	struct ptext pre = { NULL, 0 }, post = { NULL, 0 };
	const char *brace;
	size_t q, len, k, r = 0;
	unsigned v;
	char *s;

	*index = 0;
	if (f->entry == NULL || (brace = strstr(f->entry, "{n}")) == NULL)
		return 0;
	s = xstrndup(f->entry, (size_t)(brace - f->entry));
	label_text(s, &pre);
	free(s);
	label_text(brace + 3, &post);
	q = p;
	/* bare: the label said "移転先" already ("…提供・移転移転先9"). */
	if (!bare) {
		if (pre.n > 0 && at(t, q, &pre) == 0)
			goto out;
		q += pre.n;
	}
	if ((v = number_at(t, q, &len)) == 0)
		goto out;
	q += len;
	if (post.n > 0) {
		if (at(t, q, &post) == 0)
			goto out;
		q += post.n;
	}
	*index = v;
	/* Ranges and lists: "～16", "、移転先6、7". */
	for (;;) {
		k = skip_sep(t, q);
		if (k < t->n && (t->c[k] == '~' || t->c[k] == 0x3001 || t->c[k] == ',')) {
			k = skip_sep(t, k + 1);
			if (pre.n > 0 && at(t, k, &pre))
				k += pre.n;
			if (number_at(t, k, &len) > 0) {
				q = k + len;
				*index = 0;
				if (range != NULL)
					*range = 1;
				continue;
			}
		}
		break;
	}
	/* The file name after "(1)". */
	if (f->flags & PIA_FF_PERFILE)
		q = word_end(t, q);
	r = q - p;
out:
	free(pre.c);
	free(post.c);
	return r;
}

/* A key is a word of its own: "委託" is not the start of "委託の有無". */
static size_t
key_at(const struct ptext *t, size_t p, const struct ptext *k)
{
	size_t n = at(t, p, k);

	if (n > 0 && p + n < t->n && word_end(t, p + n) != p + n)
		return 0;
	return n;
}

static size_t	inner_label(const struct ptext *, size_t, const struct pia_fnode *, int);

/* A number of the form at p: "2." as "2" or "2.", "①", "リスク2", "Ⅱ", "（別添1）". */
static size_t
no_at(const struct ptext *t, size_t p, const struct pia_fnode *f)
{
	struct ptext no;
	size_t n;

	if (f->no == NULL)
		return 0;
	label_text(f->no, &no);
	if (no.n > 1 && no.c[no.n - 1] == '.')
		no.n--;
	n = at(t, p, &no);
	/* "1" must not be the start of "10". */
	if (n > 0 && is_digit(no.c[no.n - 1]) && p + n < t->n && is_digit(t->c[p + n]))
		n = 0;
	/* "別添1" for "(別添1)". */
	if (n == 0 && no.n > 2 && no.c[0] == '(' && no.c[no.n - 1] == ')') {
		struct ptext in = { no.c + 1, no.n - 2 };
		n = at(t, p, &in);
	}
	free(no.c);
	return n;
}

/*
 * How much of t at p names form node f: by entry title, number and
 * label, label or key.  The entry number, if any, in *index.
 */
static size_t
names_at(const struct ptext *t, size_t p, const struct pia_fnode *f, unsigned *index, int *range)
{
	struct ptext lab, key;
	size_t n, q, best = 0, e;
	unsigned ix;

	*index = 0;
	if (f->kind == PIA_F_COVER) {
		label_text(f->label, &lab);
		best = at(t, p, &lab);
		free(lab.c);
		return best;
	}
	label_text(f->label, &lab);
	label_text(f->key, &key);
	if ((n = entry_at(t, p, f, &ix, range, 0)) > best)
		best = n, *index = ix;
	if ((n = no_at(t, p, f)) > 0) {
		q = skip_sep(t, p + n);
		ix = 0;
		/* "2システム3", "Ⅱ(1)…": the entry right after the number. */
		if (f->entry != NULL && (e = entry_at(t, q, f, &ix, range, 0)) > 0)
			n = q + e - p;
		/*
		 * The label after the number, unless a node inside names more
		 * of the text: "7特定個人情報の保管・消去におけるその他のリスク…".
		 */
		else if (((e = label_at(t, q, &lab)) > 0 || (e = key_at(t, q, &key)) > 0 ||
		    (e = label_near(t, q, &lab)) > 0) && inner_label(t, q, f, 2) <= e) {
			n = q + e - p;
			q = skip_sep(t, p + n);
			if (f->entry != NULL && (e = entry_at(t, q, f, &ix, range, 0)) > 0)
				n = q + e - p;
		}
		if (n > best)
			best = n, *index = ix;
	}
	/*
	 * Another circled number before the whole label: "⑦使用の主体" (the
	 * 全項目 number) for ④使用の主体 of a 重点.  The label decides.
	 */
	if (best == 0 && f->no != NULL && p + 1 < t->n && is_circled(t->c[p]) &&
	    (e = at(t, p + 1, &lab)) > 0 && word_end(t, p + 1 + e) == p + 1 + e)
		best = 1 + e;
	if ((n = label_at(t, p, &lab)) > best || (n = key_at(t, p, &key)) > best ||
	    (n = label_near(t, p, &lab)) > best) {
		q = skip_sep(t, p + n);
		if (f->entry != NULL && ((e = entry_at(t, q, f, &ix, range, 0)) > 0 ||
		    (e = entry_at(t, q, f, &ix, range, 1)) > 0))
			n = q + e - p;
		else
			ix = 0;
		if (n > best)
			best = n, *index = ix;
	}
	free(lab.c);
	free(key.c);
	return best;
}

/* The longest label of a node inside f (down to depth) at p. */
static size_t
inner_label(const struct ptext *t, size_t p, const struct pia_fnode *f, int depth)
{
	const struct pia_fnode *c;
	struct ptext lab;
	size_t n, best = 0;

	for (c = f->child; c != NULL; c = c->next) {
		label_text(c->label, &lab);
		if ((n = at(t, p, &lab)) > best)
			best = n;
		if ((n = label_near(t, p, &lab)) > best)
			best = n;
		free(lab.c);
		label_text(c->key, &lab);
		if ((n = key_at(t, p, &lab)) > best)
			best = n;
		free(lab.c);
		if (depth > 1 && (n = inner_label(t, p, c, depth - 1)) > best)
			best = n;
	}
	return best;
}

struct cand {
	const struct pia_fnode	*f;
	const struct pia_fnode	*via;	/* the child of cur it lies under */
	size_t			 len;
	unsigned		 index;
	int			 range;	/* "移転先9～16": the entries named as a range */
};

/* The best match among f's descendants down to depth (document order wins ties). */
static void
search(const struct ptext *t, size_t p, const struct pia_fnode *f, const struct pia_fnode *via,
    int depth, struct cand *best)
{
	const struct pia_fnode *c;
	unsigned ix;
	size_t n;
	int r;

	for (c = f->child; c != NULL; c = c->next) {
		r = 0;
		if (c->kind == PIA_F_CHANGES)
			continue;
		n = names_at(t, p, c, &ix, &r);
		if (n > best->len) {
			best->f = c;
			best->via = via ? via : c;
			best->len = n;
			best->index = ix;
			best->range = r;
		}
	}
	if (depth > 1)
		for (c = f->child; c != NULL; c = c->next)
			if (c->child != NULL && c->kind != PIA_F_CHANGES)
				search(t, p, c, via ? via : c, depth - 1, best);
}

void
pia_item_where_free(struct pia_item_where *w)
{
	free(w->steps);
	free(w->key);
	memset(w, 0, sizeof(*w));
}

static void
push(struct pia_item_where *w, const struct pia_fnode *f, unsigned index)
{
	w->steps = xrealloc(w->steps, (w->nsteps + 1) * sizeof(*w->steps));
	w->steps[w->nsteps].f = f;
	w->steps[w->nsteps].index = index;
	w->nsteps++;
}

/* The steps from the root to f (a node reached through groups the path skipped). */
static void
push_chain(struct pia_item_where *w, const struct pia_fnode *from, const struct pia_fnode *f,
    unsigned index)
{
	const struct pia_fnode *v[32];
	size_t n = 0;

	for (; f != NULL && f != from && n < 32; f = f->parent)
		v[n++] = f;
	while (n-- > 0)
		push(w, v[n], n == 0 ? index : 0);
}

/* A key for chains: "ファイルの概要1/提供移転/移転先4/法令上の根拠". */
static char *
steps_key(const struct pia_item_step *s, size_t n)
{
	struct pia_buf b = { 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			pia_buf_putc(&b, '/');
		pia_buf_puts(&b, s[i].f->key);
		if (s[i].index > 0)
			pia_buf_printf(&b, "%u", s[i].index);
	}
	return b.data ? pia_buf_take(&b) : xstrdup("");
}

char *
pia_node_key(const struct pia_node *n)
{
	struct pia_item_step v[64];
	size_t depth = 0, i;

	for (; n != NULL && n->f->kind != PIA_F_FORM && depth < 64; n = n->parent) {
		v[depth].f = n->f;
		v[depth++].index = n->index;
	}
	for (i = 0; i < depth / 2; i++) {
		struct pia_item_step x = v[i];
		v[i] = v[depth - 1 - i];
		v[depth - 1 - i] = x;
	}
	return steps_key(v, depth);
}

/* Trailing words that name no item but a part of a table: "…項番 8の行". */
static int
table_rest(const struct ptext *t, size_t p)
{
	size_t k;

	for (k = p; k + 1 < t->n; k++)
		if (t->c[k] == 0x306E && t->c[k + 1] == 0x884C)	/* の行 */
			return 1;
	return 0;
}

int
pia_item_resolve(const struct pia_form *F, const struct pia_node *root, const char *path,
    struct pia_item_where *w)
{
	const struct pia_fnode *cur = F->root, *scope;
	struct ptext t;
	struct cand best;
	size_t p = 0, i;
	unsigned ix;
	int from_root;

	memset(w, 0, sizeof(*w));
	path_text(path ? path : "", &t);
	for (;;) {
		p = skip_sep(&t, p);
		if (p >= t.n)
			break;
		/* The entry number of the repeat we are in: "Ⅱ特定個人情報ファイルの概要ー(1)…". */
		if (w->nsteps > 0 && w->steps[w->nsteps - 1].index == 0 && cur->entry != NULL &&
		    (i = entry_at(&t, p, cur, &ix, &w->range, 0)) > 0) {
			w->steps[w->nsteps - 1].index = ix;
			p += i;
			continue;
		}
		memset(&best, 0, sizeof(best));
		/* After an item, its siblings: "⑤使用方法 情報の突合". */
		scope = cur->kind == PIA_F_ITEM ? cur->parent : cur;
		search(&t, p, scope, NULL, 3, &best);
		/* A part of the report named from anywhere: "提供先1 別紙1". */
		from_root = 0;
		if (best.f == NULL && scope != F->root) {
			search(&t, p, F->root, NULL, 1, &best);
			from_root = best.f != NULL;
		}
		if (best.f == NULL) {
			if (cur->kind == PIA_F_ITEM && cur->type == PIA_T_TABLE && table_rest(&t, p))
				p = t.n;
			/* A city's own wording of the label of the number just read: "②事務の概要". */
			else if (cur->kind == PIA_F_ITEM && w->nsteps > 0 && word_end(&t, p) == t.n) {
				p = t.n;
				w->part = 1;
			}
			break;
		}
		if (from_root) {
			w->nsteps = 0;
			push_chain(w, F->root, best.f, best.index);
		} else if (scope == cur)
			push_chain(w, cur, best.f, best.index);
		else {
			/* A sibling of the item: the steps down to their parent stay. */
			size_t keep;
			for (keep = w->nsteps; keep > 0 && w->steps[keep - 1].f != scope; keep--)
				;
			w->nsteps = keep;
			push_chain(w, scope, best.f, best.index);
		}
		cur = best.f;
		p += best.len;
		w->range |= best.range;
		/* A table of a section or annex named by the annex: its one item. */
		if (p >= t.n && cur->kind == PIA_F_ANNEX && cur->child != NULL && cur->child->next == NULL &&
		    cur->child->type == PIA_T_TABLE) {
			push(w, cur->child, 0);
			cur = cur->child;
		}
	}
	/* A table named by its annex followed by a row: "別紙1 …項番 8の行". */
	if (p < t.n && cur->kind == PIA_F_ANNEX && table_rest(&t, p)) {
		const struct pia_fnode *c;
		for (c = cur->child; c != NULL; c = c->next)
			if (c->type == PIA_T_TABLE) {
				push(w, c, 0);
				cur = c;
				p = t.n;
				break;
			}
	}
	w->complete = p >= t.n && w->nsteps > 0;
	w->f = w->nsteps > 0 ? w->steps[w->nsteps - 1].f : NULL;
	w->key = steps_key(w->steps, w->nsteps);
	/* The node of the report, as deep as the entries are known. */
	if (root != NULL) {
		const struct pia_node *n = root, *c;
		for (i = 0; i < w->nsteps; i++) {
			for (c = n->child; c != NULL; c = c->next)
				if (c->f == w->steps[i].f &&
				    (w->steps[i].index == 0 ? c->index <= 1 : c->index == w->steps[i].index))
					break;
			if (c == NULL)
				break;
			/* A repeat named without its number: the repeat, not an entry. */
			if (w->steps[i].index == 0 && c->index > 0)
				break;
			n = c;
		}
		w->node = n == root ? NULL : n;
		w->node_complete = i == w->nsteps;
	}
	free(t.c);
	return w->complete ? 0 : -1;
}
