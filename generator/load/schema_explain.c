/*
 * Why a file does not follow its RELAX NG schema, in the words of the
 * file's own elements (SCHEMA_* messages) instead of libxml2's English
 * ("Invalid sequence in interleave").  The schema compiled into pia is
 * read as a tree, and each element of the document is compared with what
 * its definition allows: child elements and how often, attributes, values
 * chosen from a list and XML Schema datatypes (named in Japanese).  The
 * patterns understood are the ones pia's schemas use (element, attribute,
 * optional, zeroOrMore, oneOrMore, choice, group, interleave, ref/define,
 * value, data); a choice's parts may each be there, and a choice that is
 * not optional needs one of them.  What this finds nothing about (the
 * order inside a repeated choice) is left to libxml2's messages.
 */
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlschemastypes.h>

#include "diag.h"
#include "load_int.h"
#include "util.h"
#include "xmlsafe.h"

/* ref → define → ref chains deeper than this are not followed. */
#define MAX_REF_DEPTH	16

/* What an element's pattern allows directly inside it. */
struct item {
	const char	*name;		/* NULL: any name (anyName, nsName) */
	xmlNodePtr	 def;		/* the <element> or <attribute> pattern */
	int		 attr;
	int		 required;
	int		 many;
	int		 order;		/* place in the sequence of its parent; -1: any place (interleave) */
};

/* A <choice> one of whose alternatives must be there: the elements that would do. */
struct required_choice {
	const char	**names;
	size_t		 n;
};

struct allowed {
	struct item	*v;
	size_t		 n, cap;
	int		 next;		/* order of the next item of a sequence */
	struct required_choice *choice;
	size_t		 nchoice;
};

struct explain {
	struct pia_diag		*d;
	const struct pia_xfile	*xf;
	xmlNodePtr		 grammar;
	int			 nmsg;
};

static int
is(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static const char *
prop(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a = xmlHasProp(n, (const xmlChar *)name);

	if (a == NULL || a->children == NULL || a->children->content == NULL)
		return NULL;
	return (const char *)a->children->content;
}

/* <define name="…"> of the grammar, or NULL. */
static xmlNodePtr
define(const struct explain *E, const char *name)
{
	xmlNodePtr k;
	const char *v;

	for (k = E->grammar->children; k != NULL; k = k->next)
		if (is(k, "define") && (v = prop(k, "name")) != NULL && strcmp(v, name) == 0)
			return k;
	return NULL;
}

static void
add(struct allowed *a, const char *name, xmlNodePtr def, int attr, int required, int many,
    int ordered)
{
	size_t i;

	/* The same name twice (two alternatives of a choice): one item that allows the most. */
	for (i = 0; i < a->n; i++)
		if (a->v[i].attr == attr && a->v[i].name != NULL && name != NULL &&
		    strcmp(a->v[i].name, name) == 0) {
			a->v[i].required &= required;
			a->v[i].many |= many;
			return;
		}
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 16;
		a->v = xrealloc(a->v, a->cap * sizeof(*a->v));
	}
	a->v[a->n++] = (struct item){ name, def, attr, required, many, ordered ? a->next++ : -1 };
}

/* 1 when pattern p holds one <element> and nothing else. */
static int
one_element(xmlNodePtr p)
{
	xmlNodePtr k;
	int n = 0;

	for (k = p->children; k != NULL; k = k->next)
		if (k->type == XML_ELEMENT_NODE && (!is(k, "element") || ++n > 1))
			return 0;
	return n == 1;
}

static void
allowed_free(struct allowed *a)
{
	size_t i;

	for (i = 0; i < a->nchoice; i++)
		free(a->choice[i].names);
	free(a->choice);
	free(a->v);
}

static void collect(const struct explain *, xmlNodePtr, int, int, int, int, struct allowed *);
static void collect_one(const struct explain *, xmlNodePtr, int, int, int, int, struct allowed *);

/*
 * A <choice> that is not optional: one of its alternatives must be there.
 * Recorded when every alternative needs an element of its own and nothing
 * else (no attribute, no text, no wildcard); otherwise the choice can be
 * met without an element, and nothing is required of it here.
 */
static void
require_choice(const struct explain *E, xmlNodePtr choice, int depth, struct allowed *a)
{
	struct required_choice rc = { NULL, 0 };
	struct allowed alt;
	xmlNodePtr k;
	size_t i;
	int needs;

	for (k = choice->children; k != NULL; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		memset(&alt, 0, sizeof(alt));
		collect_one(E, k, 0, 0, 0, depth, &alt);
		needs = 0;
		for (i = 0; i < alt.n; i++) {
			if (alt.v[i].attr || alt.v[i].name == NULL)
				needs = -1;
			else if (needs >= 0 && alt.v[i].required)
				needs = 1;
		}
		for (i = 0; needs > 0 && i < alt.n; i++) {
			rc.names = xrealloc(rc.names, (rc.n + 1) * sizeof(*rc.names));
			rc.names[rc.n++] = alt.v[i].name;
		}
		allowed_free(&alt);
		if (needs <= 0) {
			free(rc.names);
			return;
		}
	}
	if (rc.n == 0)
		return;
	a->choice = xrealloc(a->choice, (a->nchoice + 1) * sizeof(*a->choice));
	a->choice[a->nchoice++] = rc;
}

/* The items of pattern k into a. */
static void
collect_one(const struct explain *E, xmlNodePtr k, int optional, int many, int ordered,
    int depth, struct allowed *a)
{
	xmlNodePtr def;
	const char *ref;

	if (k->type != XML_ELEMENT_NODE)
		return;
	if (is(k, "element") || is(k, "attribute"))
		add(a, prop(k, "name"), k, is(k, "attribute"), !optional, many, ordered);
	else if (is(k, "optional"))
		collect(E, k, 1, many, ordered, depth, a);
	else if (is(k, "choice")) {	/* its parts in no order among themselves */
		if (!optional)
			require_choice(E, k, depth, a);
		collect(E, k, 1, many, 0, depth, a);
	} else if (is(k, "zeroOrMore"))	/* a repeated mix: any order */
		collect(E, k, 1, 1, ordered && one_element(k), depth, a);
	else if (is(k, "oneOrMore"))
		collect(E, k, optional, 1, ordered && one_element(k), depth, a);
	else if (is(k, "group"))
		collect(E, k, optional, many, ordered, depth, a);
	else if (is(k, "interleave") || is(k, "mixed"))
		collect(E, k, optional, many, 0, depth, a);
	else if (is(k, "ref") && depth < MAX_REF_DEPTH &&
	    (ref = prop(k, "name")) != NULL && (def = define(E, ref)) != NULL)
		collect(E, def, optional, many, ordered, depth + 1, a);
}

/* The items of pattern p's children into a. */
static void
collect(const struct explain *E, xmlNodePtr p, int optional, int many, int ordered, int depth,
    struct allowed *a)
{
	xmlNodePtr k;

	for (k = p->children; k != NULL; k = k->next)
		collect_one(E, k, optional, many, ordered, depth, a);
}

/* 1 when pattern p lets text stand directly inside its element. */
static int
takes_text(const struct explain *E, xmlNodePtr p, int depth)
{
	xmlNodePtr k, def;
	const char *ref;

	for (k = p->children; k != NULL; k = k->next) {
		if (is(k, "text") || is(k, "data") || is(k, "value") || is(k, "list") ||
		    is(k, "mixed"))
			return 1;
		if ((is(k, "optional") || is(k, "choice") || is(k, "zeroOrMore") ||
		    is(k, "oneOrMore") || is(k, "group") || is(k, "interleave")) &&
		    takes_text(E, k, depth))
			return 1;
		if (is(k, "ref") && depth < MAX_REF_DEPTH && (ref = prop(k, "name")) != NULL &&
		    (def = define(E, ref)) != NULL && takes_text(E, def, depth + 1))
			return 1;
	}
	return 0;
}

/* The allowed names of one kind, "<名称> <よみ>" or "URL タイトル" (caller frees); NULL if none. */
static char *
names(const struct allowed *a, int attr)
{
	struct pia_buf b;
	size_t i;

	memset(&b, 0, sizeof(b));
	for (i = 0; i < a->n; i++) {
		if (a->v[i].attr != attr || a->v[i].name == NULL)
			continue;
		if (b.len > 0)
			pia_buf_puts(&b, " ");
		pia_buf_printf(&b, attr ? "%s" : "<%s>", a->v[i].name);
	}
	if (b.len == 0) {
		pia_buf_free(&b);
		return NULL;
	}
	return pia_buf_take(&b);
}

/*
 * "（「部署」のことですか）" when one allowed name of the kind is near the
 * misspelt name (at most half its characters differ, ASCII case aside),
 * else "" (caller frees): a typo gets its fix, an unrelated name nothing.
 */
static char *
nearest(const struct allowed *a, const char *name, int attr)
{
	const char *best = NULL;
	size_t i, d, bestd = (size_t)-1, len, blen, lcp, bestlcp = 0;
	char *x = xstrdup(name), *y, *p;

	for (p = x; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	for (i = 0; i < a->n; i++) {
		if (a->v[i].attr != attr || a->v[i].name == NULL)
			continue;
		y = xstrdup(a->v[i].name);
		for (p = y; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p += 'a' - 'A';
		d = pia_utf8_distance(x, y);
		/* A tie goes to the name sharing the longer start: 電話番号 is 電話, not 郵便番号. */
		for (lcp = 0; x[lcp] != '\0' && x[lcp] == y[lcp]; lcp++)
			;
		free(y);
		if (d < bestd || (d == bestd && lcp > bestlcp)) {
			bestd = d;
			bestlcp = lcp;
			best = a->v[i].name;
		}
	}
	free(x);
	if (best == NULL || bestd == 0)
		return xstrdup("");
	len = pia_utf8_count(name, strlen(name));
	blen = pia_utf8_count(best, strlen(best));
	if (2 * bestd > (len > blen ? len : blen))
		return xstrdup("");
	return xasprintf(attr ? "（%s のことですか）" : "（<%s> のことですか）", best);
}

static const struct item *
find(const struct allowed *a, const char *name, int attr)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (a->v[i].attr == attr && (a->v[i].name == NULL || strcmp(a->v[i].name, name) == 0))
			return &a->v[i];
	return NULL;
}

/* A datatype of XML Schema in a clerk's words ("0 以上の整数（半角数字）"). */
static const char *
type_words(const char *type)
{
	static const struct { const char *type, *words; } known[] = {
		{ "nonNegativeInteger",	"0 以上の整数（半角数字）" },
		{ "positiveInteger",	"1 以上の整数（半角数字）" },
		{ "integer",		"整数（半角数字）" },
		{ "decimal",		"数（半角数字）" },
		{ "boolean",		"true か false" },
		{ "date",		"2025-10-01 の形の日付（半角）" },
		{ "anyURI",		"URI" },
	};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i].type, type) == 0)
			return known[i].words;
	return NULL;
}

/*
 * What pattern p allows as a value, into b ("「あり」「なし」" or "0 以上の
 * 整数（半角数字）"); *ok when have is one of them.  Returns 0 when p
 * allows text of any kind (or a datatype pia cannot name): nothing to say.
 */
static int
allowed_values(const struct explain *E, xmlNodePtr p, const char *have, int depth,
    struct pia_buf *b, int *ok)
{
	xmlSchemaTypePtr st;
	xmlNodePtr def;
	const char *type, *words, *ref;
	char *t;

	if (is(p, "value")) {
		if ((t = (char *)xmlNodeGetContent(p)) != NULL) {
			if (strcmp(t, have) == 0)
				*ok = 1;
			/* 「あり」「なし」 run on; after a datatype's words, a comma. */
			pia_buf_printf(b, "%s「%s」", b->len >= 3 &&
			    memcmp(b->data + b->len - 3, "」", 3) != 0 ? "、" : "", t);
			xmlFree(t);
		}
		return 1;
	}
	if (is(p, "data")) {
		/* Parameters (pattern=…) would narrow the type: not explained here. */
		for (def = p->children; def != NULL; def = def->next)
			if (def->type == XML_ELEMENT_NODE)
				return 0;
		if ((type = prop(p, "type")) == NULL || (words = type_words(type)) == NULL ||
		    (st = xmlSchemaGetPredefinedType((const xmlChar *)type,
		    (const xmlChar *)"http://www.w3.org/2001/XMLSchema")) == NULL)
			return 0;
		if (xmlSchemaValidatePredefinedType(st, (const xmlChar *)have, NULL) == 0)
			*ok = 1;
		pia_buf_printf(b, "%s%s", b->len > 0 ? "、" : "", words);
		return 1;
	}
	if (is(p, "choice")) {
		for (def = p->children; def != NULL; def = def->next)
			if (def->type == XML_ELEMENT_NODE &&
			    !allowed_values(E, def, have, depth, b, ok))
				return 0;
		return 1;
	}
	if (is(p, "ref") && depth < MAX_REF_DEPTH && (ref = prop(p, "name")) != NULL &&
	    (def = define(E, ref)) != NULL) {
		for (def = def->children; def != NULL && def->type != XML_ELEMENT_NODE; def = def->next)
			;
		return def != NULL && allowed_values(E, def, have, depth + 1, b, ok);
	}
	return 0;
}

/*
 * The values the <element> or <attribute> def allows when it names them
 * (caller frees), with *listed when have is one; NULL when it allows other
 * text too.  The content is the first pattern that is not an attribute.
 */
static char *
values(const struct explain *E, xmlNodePtr def, const char *have, int *listed)
{
	struct pia_buf b;
	xmlNodePtr k;

	*listed = 0;
	for (k = def->children; k != NULL; k = k->next)
		if (k->type == XML_ELEMENT_NODE && !is(k, "attribute") && !is(k, "optional") &&
		    !is(k, "zeroOrMore") && !is(k, "empty"))
			break;
	if (k == NULL)
		return NULL;
	memset(&b, 0, sizeof(b));
	if (!allowed_values(E, k, have, 0, &b, listed) || b.len == 0) {
		pia_buf_free(&b);
		return NULL;
	}
	return pia_buf_take(&b);
}

/*
 * The value have of def (attribute what of el, or element <what> at at
 * inside el) against its list of values.
 */
static void
check_value(struct explain *E, xmlNodePtr el, xmlNodePtr at, xmlNodePtr def, const char *what,
    const char *have)
{
	struct pia_pos pos;
	int listed;
	char *list, *trimmed = pia_strtrim(have);

	list = values(E, def, trimmed, &listed);
	if (list != NULL && !listed) {
		pos = pia_xfile_pos(E->xf, at);
		/* 確認="済": the row was confirmed, and the mark of the wait goes away. */
		if (strcmp(what, "確認") == 0 && strcmp((const char *)el->name, "変更") == 0)
			pia_diag(E->d, &pos, PIA_MSG_SCHEMA_CONFIRM, trimmed);
		else
			pia_diag(E->d, &pos, PIA_MSG_SCHEMA_VALUE, (const char *)el->name, what,
			    trimmed, list);
		E->nmsg++;
	}
	free(list);
	free(trimmed);
}

/* SCHEMA_MISSING when none of the alternatives of rc is inside el: "<a> か <b>". */
static void
missing_choice(struct explain *E, xmlNodePtr el, const struct pia_pos *pos,
    const struct required_choice *rc)
{
	struct pia_buf b;
	xmlNodePtr k;
	size_t i;

	for (k = el->children; k != NULL; k = k->next)
		for (i = 0; k->type == XML_ELEMENT_NODE && i < rc->n; i++)
			if (strcmp((const char *)k->name, rc->names[i]) == 0)
				return;
	memset(&b, 0, sizeof(b));
	for (i = 0; i < rc->n; i++)
		pia_buf_printf(&b, "%s<%s>", i > 0 ? " か " : "", rc->names[i]);
	pia_diag(E->d, pos, PIA_MSG_SCHEMA_MISSING, (const char *)el->name, b.data,
	    rc->n > 1 ? "（どれか一つを書きます）" : "");
	pia_buf_free(&b);
	E->nmsg++;
}

static void
walk(struct explain *E, xmlNodePtr el, xmlNodePtr def)
{
	struct allowed a = { NULL, 0, 0, 0, NULL, 0 };
	const struct item *it, *last = NULL;
	struct pia_pos pos;
	xmlAttrPtr at;
	xmlNodePtr k, j;
	size_t i;
	char *list, *v, *what;
	int texted = 0, misordered = 0;

	collect(E, def, 0, 0, 1, 0, &a);
	pos = pia_xfile_pos(E->xf, el);
	for (at = el->properties; at != NULL; at = at->next) {
		const char *an = (const char *)at->name;
		if ((it = find(&a, an, 1)) == NULL) {
			if ((list = names(&a, 1)) != NULL) {
				char *hint = nearest(&a, an, 1);
				pia_diag(E->d, &pos, PIA_MSG_SCHEMA_ATTR, (const char *)el->name, an,
				    hint, list);
				free(hint);
			} else
				pia_diag(E->d, &pos, PIA_MSG_SCHEMA_NO_ATTR, (const char *)el->name, an,
				    (const char *)el->name);
			free(list);
			E->nmsg++;
		} else if (it->name != NULL) {
			v = (char *)xmlNodeListGetString(el->doc, at->children, 1);
			check_value(E, el, el, it->def, an, v != NULL ? v : "");
			xmlFree(v);
		}
	}
	for (i = 0; i < a.n; i++)
		if (a.v[i].attr && a.v[i].required && a.v[i].name != NULL &&
		    xmlHasProp(el, (const xmlChar *)a.v[i].name) == NULL) {
			pia_diag(E->d, &pos, PIA_MSG_SCHEMA_ATTR_MISSING, (const char *)el->name,
			    a.v[i].name);
			E->nmsg++;
		}
	for (k = el->children; k != NULL; k = k->next) {
		struct pia_pos kpos;
		if ((k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) &&
		    !texted && !xmlIsBlankNode(k) && !takes_text(E, def, 0)) {
			/* Text among elements: the first piece of it, once per element. */
			char *t = pia_strtrim((const char *)k->content);
			pia_diag(E->d, &pos, PIA_MSG_XML_TEXT, (const char *)el->name, t);
			free(t);
			E->nmsg++;
			texted = 1;
			continue;
		}
		if (k->type != XML_ELEMENT_NODE)
			continue;
		kpos = pia_xfile_pos(E->xf, k);
		if ((it = find(&a, (const char *)k->name, 0)) == NULL) {
			if ((list = names(&a, 0)) != NULL) {
				char *hint = nearest(&a, (const char *)k->name, 0);
				pia_diag(E->d, &kpos, PIA_MSG_SCHEMA_ELEMENT, (const char *)el->name,
				    (const char *)k->name, hint, list);
				free(hint);
			} else
				pia_diag(E->d, &kpos, PIA_MSG_SCHEMA_NO_CHILD, (const char *)el->name,
				    (const char *)k->name, (const char *)el->name);
			free(list);
			E->nmsg++;
			continue;
		}
		if (it->name == NULL)
			continue;	/* any element: its content is the schema's own business */
		/* A sequence written out of order: the first element that comes too late, once. */
		if (it->order >= 0) {
			if (last != NULL && it->order < last->order && !misordered) {
				pia_diag(E->d, &kpos, PIA_MSG_SCHEMA_ORDER, (const char *)el->name,
				    (const char *)k->name, last->name);
				E->nmsg++;
				misordered = 1;
			}
			if (last == NULL || it->order > last->order)
				last = it;
		}
		if (!it->many) {
			for (j = el->children; j != k; j = j->next)
				if (j->type == XML_ELEMENT_NODE && xmlStrEqual(j->name, k->name))
					break;
			if (j != k) {
				pia_diag(E->d, &kpos, PIA_MSG_SCHEMA_TWICE, (const char *)el->name,
				    (const char *)k->name, (unsigned)xmlGetLineNo(j));
				E->nmsg++;
				continue;
			}
		}
		if (pia_xonly_text(k, NULL) && k->children != NULL) {
			v = (char *)xmlNodeGetContent(k);
			what = xasprintf("<%s>", (const char *)k->name);
			check_value(E, el, k, it->def, what, v != NULL ? v : "");
			free(what);
			xmlFree(v);
		}
		walk(E, k, it->def);
	}
	for (i = 0; i < a.n; i++) {
		if (a.v[i].attr || !a.v[i].required || a.v[i].name == NULL)
			continue;
		for (k = el->children; k != NULL; k = k->next)
			if (k->type == XML_ELEMENT_NODE &&
			    strcmp((const char *)k->name, a.v[i].name) == 0)
				break;
		if (k == NULL) {
			what = xasprintf("<%s>", a.v[i].name);
			pia_diag(E->d, &pos, PIA_MSG_SCHEMA_MISSING, (const char *)el->name, what, "");
			free(what);
			E->nmsg++;
		}
	}
	for (i = 0; i < a.nchoice; i++)
		missing_choice(E, el, &pos, &a.choice[i]);
	allowed_free(&a);
}

int
pia_schema_explain(struct pia_diag *d, const struct pia_xfile *xf, const char *schema,
    const char *mem, size_t len)
{
	struct explain E;
	xmlDocPtr rng;
	xmlNodePtr start, el, root;
	const char *name;

	if ((rng = pia_xml_doc(d, schema, mem, len, 0)) == NULL)
		return 0;
	memset(&E, 0, sizeof(E));
	E.d = d;
	E.xf = xf;
	E.grammar = xmlDocGetRootElement(rng);
	root = xmlDocGetRootElement(xf->doc);
	for (start = E.grammar != NULL ? E.grammar->children : NULL; start != NULL; start = start->next)
		if (is(start, "start"))
			break;
	for (el = start != NULL ? start->children : NULL; el != NULL; el = el->next)
		if (is(el, "element"))
			break;
	if (el != NULL && root != NULL && (name = prop(el, "name")) != NULL) {
		if (strcmp(name, (const char *)root->name) != 0) {
			struct pia_pos pos = pia_xfile_pos(xf, root);
			pia_diag(d, &pos, PIA_MSG_XML_ROOT, name, (const char *)root->name);
			E.nmsg++;
		} else
			walk(&E, root, el);
	}
	xmlFreeDoc(rng);
	return E.nmsg;
}
