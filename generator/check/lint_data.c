/*
 * The lint's data, compiled into pia from generator/lint (tools/embed.sh):
 * typos.xml (known OCR and IME errors), terms.xml (one term, several
 * spellings), obsolete.xml (legal references with the date they ended),
 * reasons.xml (the 説明 vocabulary and its real variants), elisions.xml
 * (markers of elided text).  Data, not code: a city or a new seed adds
 * rows there (domain.md §6 C).
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "diag.h"
#include "embed.h"
#include "lint_int.h"
#include "util.h"
#include "wareki.h"

static char *
prop(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s;

	if (v == NULL)
		return NULL;
	s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

static char *
content(xmlNodePtr n)
{
	xmlChar *v = xmlNodeGetContent(n);
	char *s, *t;

	s = xstrdup(v ? (const char *)v : "");
	xmlFree(v);
	t = pia_strtrim(s);
	free(s);
	return t;
}

static int
is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlDocPtr
open_data(struct pia_lint *L, const char *name)
{
	const struct pia_embedded *e = pia_embedded_find(name);
	xmlDocPtr doc;

	if (e == NULL || (doc = xmlReadMemory(e->data, (int)e->len, name, "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)) == NULL) {
		pia_diag(L->d, NULL, PIA_MSG_LINT_DATA, name);
		return NULL;
	}
	return doc;
}

static int
longer_typo(const void *a, const void *b)
{
	const struct lint_typo *x = a, *y = b;
	size_t lx = strlen(x->wrong), ly = strlen(y->wrong);

	return lx != ly ? (lx > ly ? -1 : 1) : strcmp(x->wrong, y->wrong);
}

static void
load_typos(struct pia_lint *L, xmlNodePtr root)
{
	xmlNodePtr n;
	char *w, *r;

	for (n = root->children; n != NULL; n = n->next) {
		if (!is(n, "typo"))
			continue;
		w = prop(n, "wrong");
		r = prop(n, "right");
		if (w == NULL || r == NULL || *w == '\0') {
			free(w);
			free(r);
			continue;
		}
		L->typos = xrealloc(L->typos, (L->ntypos + 1) * sizeof(*L->typos));
		L->typos[L->ntypos].wrong = w;
		L->typos[L->ntypos++].right = r;
	}
	/* The longest entry first: 変更筒所 is reported, not also 筒所 inside it. */
	if (L->ntypos > 1)
		qsort(L->typos, L->ntypos, sizeof(*L->typos), longer_typo);
}

static void
load_terms(struct pia_lint *L, xmlNodePtr root)
{
	xmlNodePtr n, k;
	struct lint_term *t;

	for (n = root->children; n != NULL; n = n->next) {
		if (!is(n, "term"))
			continue;
		L->terms = xrealloc(L->terms, (L->nterms + 1) * sizeof(*L->terms));
		t = &L->terms[L->nterms++];
		memset(t, 0, sizeof(*t));
		for (k = n->children; k != NULL; k = k->next)
			if (is(k, "spelling")) {
				t->v = xrealloc(t->v, (t->n + 1) * sizeof(*t->v));
				t->v[t->n++] = content(k);
			}
		t->count = xcalloc(t->n ? t->n : 1, sizeof(*t->count));
		t->first = xcalloc(t->n ? t->n : 1, sizeof(*t->first));
	}
}

static void
load_refs(struct pia_lint *L, xmlNodePtr root)
{
	xmlNodePtr n;
	struct lint_ref *r;
	char *ctx, *p, *save = NULL;
	size_t k;

	for (n = root->children; n != NULL; n = n->next) {
		if (!is(n, "ref"))
			continue;
		L->refs = xrealloc(L->refs, (L->nrefs + 1) * sizeof(*L->refs));
		r = &L->refs[L->nrefs++];
		memset(r, 0, sizeof(*r));
		r->text = prop(n, "text");
		r->use = prop(n, "use");
		r->since_text = prop(n, "since");
		if (r->text == NULL)
			r->text = xstrdup("");
		if (r->use == NULL)
			r->use = xstrdup("");
		if (r->since_text == NULL ||
		    pia_wareki_parse(r->since_text, PIA_WAREKI_DATE, &r->since) != PIA_WAREKI_OK)
			memset(&r->since, 0, sizeof(r->since));
		if ((ctx = prop(n, "context")) != NULL) {
			k = 0;
			for (p = strtok_r(ctx, "|", &save); p != NULL; p = strtok_r(NULL, "|", &save)) {
				r->context = xrealloc(r->context, (k + 2) * sizeof(*r->context));
				r->context[k++] = xstrdup(p);
				r->context[k] = NULL;
			}
			free(ctx);
		}
	}
}

static void
add_phrase(struct pia_lint *L, char *text, const char *value, enum pia_reason_how how)
{
	L->phrases = xrealloc(L->phrases, (L->nphrases + 1) * sizeof(*L->phrases));
	L->phrases[L->nphrases].text = text;
	L->phrases[L->nphrases].value = value;
	L->phrases[L->nphrases++].how = how;
}

static int
longer_first(const void *a, const void *b)
{
	const struct lint_phrase *x = a, *y = b;
	size_t lx = strlen(x->text), ly = strlen(y->text);

	if (lx != ly)
		return lx > ly ? -1 : 1;
	return strcmp(x->text, y->text);
}

static void
load_reasons(struct pia_lint *L, xmlNodePtr root)
{
	xmlNodePtr n, k;
	char *value;

	for (n = root->children; n != NULL; n = n->next) {
		if (!is(n, "reason") || (value = prop(n, "value")) == NULL)
			continue;
		L->values = xrealloc(L->values, (L->nvalues + 1) * sizeof(*L->values));
		L->values[L->nvalues++] = value;
		add_phrase(L, xstrdup(value), value, PIA_REASON_EXACT);
		for (k = n->children; k != NULL; k = k->next)
			if (is(k, "form"))
				add_phrase(L, content(k), value, PIA_REASON_FORM);
			else if (is(k, "variant"))
				add_phrase(L, content(k), value, PIA_REASON_VARIANT);
	}
	if (L->nphrases > 1)
		qsort(L->phrases, L->nphrases, sizeof(*L->phrases), longer_first);
}

static void
load_elisions(struct pia_lint *L, xmlNodePtr root)
{
	xmlNodePtr n;
	char *m, *norm;

	for (n = root->children; n != NULL; n = n->next) {
		if (!is(n, "marker"))
			continue;
		m = content(n);
		norm = lint_elision_norm(m, strlen(m), NULL);
		free(m);
		L->elisions = xrealloc(L->elisions, (L->nelisions + 1) * sizeof(*L->elisions));
		L->elisions[L->nelisions++] = norm;
	}
}

int
lint_data_load(struct pia_lint *L)
{
	static const struct {
		const char	*file, *root;
		void		(*fn)(struct pia_lint *, xmlNodePtr);
	} files[] = {
		{ "typos.xml", "typos", load_typos },
		{ "terms.xml", "terms", load_terms },
		{ "obsolete.xml", "obsolete", load_refs },
		{ "reasons.xml", "reasons", load_reasons },
		{ "elisions.xml", "elisions", load_elisions },
	};
	xmlDocPtr doc;
	xmlNodePtr root;
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if ((doc = open_data(L, files[i].file)) == NULL) {
			rc = -1;
			continue;
		}
		root = xmlDocGetRootElement(doc);
		if (root != NULL && is(root, files[i].root))
			files[i].fn(L, root);
		xmlFreeDoc(doc);
	}
	lint_finder_init(&L->find_typos, L->ntypos ? &L->typos[0].wrong : NULL,
	    sizeof(*L->typos), L->ntypos);
	lint_finder_init(&L->find_elisions, L->elisions,
	    sizeof(*L->elisions), L->nelisions);
	return rc;
}

void
lint_data_free(struct pia_lint *L)
{
	size_t i, j;

	for (i = 0; i < L->ntypos; i++) {
		free(L->typos[i].wrong);
		free(L->typos[i].right);
	}
	free(L->typos);
	for (i = 0; i < L->nterms; i++) {
		for (j = 0; j < L->terms[i].n; j++)
			free(L->terms[i].v[j]);
		free(L->terms[i].v);
		free(L->terms[i].count);
		free(L->terms[i].first);
	}
	free(L->terms);
	for (i = 0; i < L->nrefs; i++) {
		free(L->refs[i].text);
		free(L->refs[i].use);
		free(L->refs[i].since_text);
		for (j = 0; L->refs[i].context && L->refs[i].context[j]; j++)
			free(L->refs[i].context[j]);
		free(L->refs[i].context);
	}
	free(L->refs);
	for (i = 0; i < L->nphrases; i++)
		free(L->phrases[i].text);
	free(L->phrases);
	for (i = 0; i < L->nvalues; i++)
		free(L->values[i]);
	free(L->values);
	for (i = 0; i < L->nelisions; i++)
		free(L->elisions[i]);
	free(L->elisions);
	lint_finder_free(&L->find_typos);
	lint_finder_free(&L->find_elisions);
}
