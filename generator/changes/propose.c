/*
 * Proposals of 提出時期 and 説明 for computed change rows (domain.md
 * §4.1, §4.2): a change to a ※ item is a 重要な変更, submitted 事前,
 * unless it is only formal — 「誤字脱字、組織名称変更等」 — when it is
 * 重要な変更の対象項目だが該当しない, 事後; a change to any other item is
 * 重要な変更の対象項目でない, 事後.  All the heuristics are in
 * pia_changes_propose(); the words they use are data
 * (generator/changes/change-words.xml, compiled in).  The author confirms
 * every proposal (確認="要" in changes.xml until then).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "changes.h"
#include "diag.h"
#include "embed.h"
#include "form.h"
#include "util.h"
#include "xmlsafe.h"

/* Reasons (the 説明 vocabulary of domain.md §4.1, as changes.xml spells it). */
#define R_IMPORTANT	"重要な変更"
#define R_OBJECT_NOT	"重要な変更の対象項目だが該当しない"
#define R_NOT_OBJECT	"重要な変更の対象項目でない"

/* A string as code points. */
struct cps {
	uint32_t	*v;
	size_t		 n;
};

/* A term replaced by another (<typo>, <rename>). */
struct rename {
	char		*from, *to, *why;
};

struct pia_formal {
	struct cps	*suffix;	/* organisation unit endings */
	size_t		 nsuffix;
	struct cps	*joiner;
	size_t		 njoiner;
	struct rename	*rename;	/* <typo> and <rename> */
	size_t		 nrename;
	struct cps	 significant;
};

static struct cps
cps_of(const char *s)
{
	struct cps c = { NULL, 0 };
	size_t len = strlen(s), k;
	uint32_t cp;

	c.v = xcalloc(len + 1, sizeof(*c.v));
	while (*s) {
		if ((k = pia_utf8_decode(s, len, &cp)) == 0) {
			k = 1;
			cp = 0xFFFD;
		}
		c.v[c.n++] = cp;
		s += k;
		len -= k;
	}
	return c;
}

static void
add_cps(struct cps **v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = cps_of(s);
}

static char *
attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s = xstrdup(v ? (const char *)v : "");

	xmlFree(v);
	return s;
}

struct pia_formal *
pia_formal_load(void)
{
	const struct pia_embedded *e = pia_embedded_find("change-words.xml");
	struct pia_formal *fl = xcalloc(1, sizeof(*fl));
	struct pia_buf sig = { 0 };
	struct pia_diag *d;
	xmlDocPtr doc;
	xmlNodePtr k;

	/* Data compiled into pia, read by the same rules as any source; it has no error to show. */
	d = pia_diag_new();
	doc = e == NULL ? NULL : pia_xml_doc(d, "change-words.xml", e->data, e->len, 0);
	pia_diag_free(d);
	if (doc == NULL) {
		fl->significant = cps_of("");
		return fl;
	}
	for (k = xmlDocGetRootElement(doc)->children; k != NULL; k = k->next) {
		const char *name = (const char *)k->name;
		xmlChar *t;
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp(name, "typo") == 0 || strcmp(name, "rename") == 0) {
			struct rename *r;
			int typo = name[0] == 't';
			fl->rename = xrealloc(fl->rename, (fl->nrename + 1) * sizeof(*fl->rename));
			r = &fl->rename[fl->nrename++];
			r->from = attr(k, typo ? "wrong" : "old");
			r->to = attr(k, typo ? "right" : "new");
			r->why = typo ? xstrdup("誤記の修正") : attr(k, "why");
			continue;
		}
		t = xmlNodeGetContent(k);
		if (strcmp(name, "suffix") == 0)
			add_cps(&fl->suffix, &fl->nsuffix, (const char *)t);
		else if (strcmp(name, "joiner") == 0)
			add_cps(&fl->joiner, &fl->njoiner, (const char *)t);
		else if (strcmp(name, "significant") == 0)
			pia_buf_puts(&sig, (const char *)t);
		xmlFree(t);
	}
	xmlFreeDoc(doc);
	fl->significant = cps_of(sig.data ? sig.data : "");
	pia_buf_free(&sig);
	return fl;
}

void
pia_formal_free(struct pia_formal *fl)
{
	size_t i;

	if (fl == NULL)
		return;
	for (i = 0; i < fl->nsuffix; i++)
		free(fl->suffix[i].v);
	free(fl->suffix);
	for (i = 0; i < fl->njoiner; i++)
		free(fl->joiner[i].v);
	free(fl->joiner);
	for (i = 0; i < fl->nrename; i++) {
		free(fl->rename[i].from);
		free(fl->rename[i].to);
		free(fl->rename[i].why);
	}
	free(fl->rename);
	free(fl->significant.v);
	free(fl);
}

/* s with every from replaced by to.  Caller frees. */
static char *
replace_all(const char *s, const char *from, const char *to)
{
	struct pia_buf b = { 0 };
	const char *p;
	size_t n = strlen(from);

	pia_buf_puts(&b, "");
	while (n > 0 && (p = strstr(s, from)) != NULL) {
		pia_buf_put(&b, s, (size_t)(p - s));
		pia_buf_puts(&b, to);
		s = p + n;
	}
	pia_buf_puts(&b, s);
	return pia_buf_take(&b);
}

/* The listed term replacements that turn before into after, or NULL. */
static const char *
by_terms(const struct pia_formal *fl, const char *before, const char *after)
{
	char *s = xstrdup(before), *t;
	const char *why = NULL;
	size_t i;

	for (i = 0; i < fl->nrename; i++) {
		if (fl->rename[i].from[0] == '\0' || strstr(s, fl->rename[i].from) == NULL)
			continue;
		t = replace_all(s, fl->rename[i].from, fl->rename[i].to);
		free(s);
		s = t;
		if (why == NULL)
			why = fl->rename[i].why;
	}
	if (strcmp(s, after) != 0)
		why = NULL;
	free(s);
	return why;
}

static int
is_sep(uint32_t c)
{
	static const uint32_t seps[] = {
		U' ', U'\t', U'\n', U'\r', U'\u3000', U'、', U'。', U'，', U'．', U',', U'.',
		U'「', U'」', U'『', U'』', U'（', U'）', U'(', U')', U'［', U'］', U'[', U']',
		U'【', U'】', U'〈', U'〉', U'＜', U'＞', U'<', U'>', U'・', U'：', U':', U'；',
		U';', U'／', U'/', U'!', U'?', U'！', U'？', U'"', U'\'', U'“', U'”', U'‘',
		U'’', U'｜', U'|'
	};
	size_t i;

	for (i = 0; i < sizeof(seps) / sizeof(seps[0]); i++)
		if (seps[i] == c)
			return 1;
	return 0;
}

static int
in(const struct cps *set, uint32_t c)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->v[i] == c)
			return 1;
	return 0;
}

/* 1 when v[0..end) ends with w. */
static int
ends_with(const uint32_t *v, size_t end, const struct cps *w)
{
	return w->n > 0 && end >= w->n && memcmp(v + end - w->n, w->v, w->n * sizeof(*v)) == 0;
}

static int
contains(const uint32_t *v, size_t n, const struct cps *w)
{
	size_t i;

	for (i = 0; w->n > 0 && i + w->n <= n; i++)
		if (memcmp(v + i, w->v, w->n * sizeof(*v)) == 0)
			return 1;
	return 0;
}

static int
is_digit(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

static int
is_hiragana(uint32_t c)
{
	return c >= 0x3041 && c <= 0x309F;
}

/*
 * The edit from a to b: common prefix p and suffix s (not overlapping),
 * the changed middles a[p, na - s) and b[p, nb - s).
 */
struct edit {
	const struct cps *a, *b;
	size_t		 p, s, ma, mb;	/* ma, mb: lengths of the middles */
};

static struct edit
edit_of(const struct cps *a, const struct cps *b)
{
	struct edit e;
	size_t min = a->n < b->n ? a->n : b->n;

	e.a = a;
	e.b = b;
	for (e.p = 0; e.p < min && a->v[e.p] == b->v[e.p]; e.p++)
		;
	for (e.s = 0; e.s < min - e.p && a->v[a->n - 1 - e.s] == b->v[b->n - 1 - e.s]; e.s++)
		;
	e.ma = a->n - e.p - e.s;
	e.mb = b->n - e.p - e.s;
	return e;
}

static int
middle_has(const struct edit *e, int (*pred)(uint32_t))
{
	size_t i;

	for (i = 0; i < e->ma; i++)
		if (pred(e->a->v[e->p + i]))
			return 1;
	for (i = 0; i < e->mb; i++)
		if (pred(e->b->v[e->p + i]))
			return 1;
	return 0;
}

/*
 * One organisation name renamed: the changed middles hold no separator
 * and no joiner, and for some k both texts up to k characters into the
 * common suffix (no separator on the way) end with a unit ending.  When a
 * middle is empty (こども部 → こども未来部) k must be at least 1, so that
 * an added second name (保険年金課 → 保険年金課及び税務課) is not a rename.
 */
static int
is_org_rename(const struct pia_formal *fl, const struct edit *e)
{
	size_t k, i, ea, eb;

	if (middle_has(e, is_sep) || e->ma > 16 || e->mb > 16)
		return 0;
	for (i = 0; i < fl->njoiner; i++)
		if (contains(e->a->v + e->p, e->ma, &fl->joiner[i]) ||
		    contains(e->b->v + e->p, e->mb, &fl->joiner[i]))
			return 0;
	for (k = (e->ma == 0 || e->mb == 0) ? 1 : 0; k <= e->s && k <= 8; k++) {
		if (k > 0 && is_sep(e->a->v[e->a->n - e->s + k - 1]))
			break;
		ea = e->p + e->ma + k;
		eb = e->p + e->mb + k;
		for (i = 0; i < fl->nsuffix; i++)
			if (ends_with(e->a->v, ea, &fl->suffix[i]) &&
			    ends_with(e->b->v, eb, &fl->suffix[i]))
				return 1;
		/* Endings may differ: 福祉部 → 福祉局. */
		if (k == 0) {
			size_t j;
			for (i = 0; i < fl->nsuffix; i++)
				for (j = 0; j < fl->nsuffix; j++)
					if (ends_with(e->a->v, ea, &fl->suffix[i]) &&
					    ends_with(e->b->v, eb, &fl->suffix[j]))
						return 1;
		}
	}
	return 0;
}

/*
 * A typo: at most two characters changed on each side, in a text of some
 * length, and none of them a digit, a separator or a significant
 * character, nor only hiragana (する → しない changes the meaning).
 */
static int
is_typo(const struct pia_formal *fl, const struct edit *e)
{
	const uint32_t *mid[2] = { e->a->v + e->p, e->b->v + e->p };
	size_t len[2] = { e->ma, e->mb }, i, k;
	int kana = 1;

	if (e->ma > 2 || e->mb > 2 || e->a->n < 8 || e->b->n < 8)
		return 0;
	if (middle_has(e, is_digit) || middle_has(e, is_sep))
		return 0;
	for (k = 0; k < 2; k++)
		for (i = 0; i < len[k]; i++) {
			if (in(&fl->significant, mid[k][i]))
				return 0;
			if (!is_hiragana(mid[k][i]))
				kana = 0;
		}
	return !kana;
}

/* Why a change of text is only formal, or NULL. */
static const char *
formal(const struct pia_formal *fl, const char *before, const char *after)
{
	struct cps a, b;
	struct edit e;
	const char *why;

	if ((why = by_terms(fl, before, after)) != NULL)
		return why;
	a = cps_of(before);
	b = cps_of(after);
	e = edit_of(&a, &b);
	if (e.ma + e.mb == 0)
		why = NULL;
	else if (is_org_rename(fl, &e))
		why = "組織名称の変更";
	else if (is_typo(fl, &e))
		why = "誤記の修正";
	free(a.v);
	free(b.v);
	return why;
}

/* Types whose change may be formal: texts.  Choices, boxes, counts and dates never are. */
static int
texty(const struct pia_fnode *f)
{
	if (f == NULL || f->kind != PIA_F_ITEM)
		return 0;
	switch (f->type) {
	case PIA_T_TEXT:
	case PIA_T_MARKDOWN:
	case PIA_T_REF:
	case PIA_T_LIST:
	case PIA_T_TABLE:
		return 1;
	default:
		return 0;
	}
}

void
pia_changes_propose(const struct pia_formal *fl, struct pia_chrow *r)
{
	const char *why = NULL;
	int only_formal, important = 0;

	if (r->kind == PIA_CH_CHANGE && texty(r->f) && fl != NULL &&
	    strcmp(r->before, PIA_CH_EMPTY) != 0 && strcmp(r->after, PIA_CH_EMPTY) != 0)
		why = formal(fl, r->before, r->after);
	/* Renumbering only moves entries: it is never more than formal. */
	only_formal = why != NULL || r->kind == PIA_CH_RENUMBER;
	if (!r->marked)
		r->reason = R_NOT_OBJECT;
	else if (only_formal)
		r->reason = R_OBJECT_NOT;
	else {
		r->reason = R_IMPORTANT;
		important = 1;
	}
	r->timing = important ? "事前" : "事後";
	if (why != NULL && r->why == NULL)
		r->why = xstrdup(why);
}
