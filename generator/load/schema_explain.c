/*
 * Why a file does not follow its RELAX NG schema, in the words of the
 * file's own elements (SCHEMA_* messages) instead of libxml2's English
 * ("Invalid sequence in interleave").  The schema compiled into pia is
 * read as a tree, and each element of the document is compared with what
 * its definition allows: child elements and how often, attributes, and
 * values chosen from a list.  The patterns understood are the ones pia's
 * schemas use (element, attribute, optional, zeroOrMore, oneOrMore,
 * choice, group, interleave, ref/define, value); a choice is taken as
 * "any of its parts may be there".  What this finds nothing about (a
 * datatype, text where none belongs) is left to libxml2's messages.
 */
#include <string.h>

#include <libxml/tree.h>

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

struct allowed {
	struct item	*v;
	size_t		 n, cap;
	int		 next;		/* order of the next item of a sequence */
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

/* The items of pattern p's children into a. */
static void
collect(const struct explain *E, xmlNodePtr p, int optional, int many, int ordered, int depth,
    struct allowed *a)
{
	xmlNodePtr k, def;
	const char *ref;

	for (k = p->children; k != NULL; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (is(k, "element") || is(k, "attribute"))
			add(a, prop(k, "name"), k, is(k, "attribute"), !optional, many, ordered);
		else if (is(k, "optional"))
			collect(E, k, 1, many, ordered, depth, a);
		else if (is(k, "choice"))	/* its parts in no order among themselves */
			collect(E, k, 1, many, 0, depth, a);
		else if (is(k, "zeroOrMore"))	/* a repeated mix: any order */
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

/*
 * The values a pattern allows when it is a list of <value>s ("「要」" or
 * "「あり」「なし」", caller frees); NULL when it allows other text too.
 */
static char *
values(xmlNodePtr def, const char *have, int *listed)
{
	struct pia_buf b;
	xmlNodePtr k, v, c;
	char *t;

	*listed = 0;
	for (k = def->children; k != NULL && k->type != XML_ELEMENT_NODE; k = k->next)
		;
	if (k == NULL || (!is(k, "value") && !is(k, "choice")))
		return NULL;
	memset(&b, 0, sizeof(b));
	c = is(k, "value") ? k : k->children;
	for (v = c; v != NULL; v = is(k, "value") ? NULL : v->next) {
		if (v->type != XML_ELEMENT_NODE)
			continue;
		if (!is(v, "value")) {
			pia_buf_free(&b);
			return NULL;
		}
		t = (char *)xmlNodeGetContent(v);
		if (t != NULL) {
			if (strcmp(t, have) == 0)
				*listed = 1;
			pia_buf_printf(&b, "「%s」", t);
			xmlFree(t);
		}
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

	list = values(def, trimmed, &listed);
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

static void
walk(struct explain *E, xmlNodePtr el, xmlNodePtr def)
{
	struct allowed a = { NULL, 0, 0, 0 };
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
			pia_diag(E->d, &pos, PIA_MSG_SCHEMA_MISSING, (const char *)el->name, a.v[i].name);
			E->nmsg++;
		}
	}
	free(a.v);
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
