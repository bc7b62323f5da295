/*
 * Model and form tests over every 様式: each node's canonical path
 * (pia_node_path) resolves back to its form node (pia_form_find_path), and
 * each heading title a Markdown file would use (pia_node_title) matches
 * its form node under the parent (pia_fnode_match).
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "form.h"
#include "model.h"
#include "unit.h"

/* Give every repeat two entries so paths with entry numbers are covered. */
static void
grow(struct pia_node *n)
{
	const struct pia_fnode *f;
	struct pia_node *c;

	for (f = n->f->child; f != NULL; f = f->next)
		if (f->flags & PIA_FF_REPEAT) {
			pia_node_add_entry(n, f);
			pia_node_add_entry(n, f);
		}
	for (c = n->child; c != NULL; c = c->next)
		grow(c);
}

static void
check_form(const struct pia_form *F)
{
	struct pia_node *root = pia_node_new_tree(F->root), *n;
	struct pia_walk w;
	int paths = 0, bad = 0;

	grow(root);
	pia_walk_init(&w, root);
	while (pia_walk_next(&w, &n) != PIA_WALK_DONE) {
		char *path, *title;
		const struct pia_fnode *f;
		unsigned index;

		if (w.ev != PIA_WALK_ENTER || n == root)
			continue;
		path = pia_node_path(n);
		f = pia_form_find_path(F, path);
		paths++;
		if (f != n->f) {
			if (bad++ < 5)
				fprintf(stderr, "%s: path %s resolves to %s\n", F->name, path,
				    f ? f->key : "nothing");
		}
		/* The heading a section file would use names the node under its parent. */
		title = pia_node_title(n);
		f = pia_fnode_match(n->parent->f, title, &index);
		/*
		 * Per-file entries "(1)" and labels shared by siblings are resolved
		 * by context (the section heading, the order): skip them here.
		 */
		if (n->f->kind != PIA_F_COVER && !(n->f->flags & PIA_FF_PERFILE) &&
		    strcmp(f ? f->label : "", n->f->label) != 0 && (f != n->f || index != n->index)) {
			if (bad++ < 5)
				fprintf(stderr, "%s: heading %s matches %s\n", F->name, title,
				    f ? f->key : "nothing");
		}
		free(title);
		free(path);
	}
	EXPECT(paths > 40);
	EXPECT_INT(bad, 0);
	pia_node_free(root);
}

int
main(void)
{
	struct pia_diag *d = pia_diag_new();
	struct pia_forms *fs = pia_forms_load(d, NULL);
	const struct pia_form *F;
	int nforms = 0;
	struct pia_node *root;

	EXPECT(fs != NULL);
	EXPECT_INT(pia_diag_count(d, PIA_LEVEL_ERROR), 0);
	for (F = fs ? fs->first : NULL; F != NULL; F = F->next) {
		check_form(F);
		nforms++;
	}
	EXPECT_INT(nforms, 3);

	/* Lookup by kind, name and 様式 number; unknown names fail. */
	EXPECT(pia_forms_find(fs, "全項目", NULL) != NULL);
	EXPECT(pia_forms_find(fs, "重点項目評価書", NULL) != NULL);
	EXPECT(pia_forms_find(fs, "様式2", NULL) != NULL);
	EXPECT(pia_forms_find(fs, "様式9", NULL) == NULL);
	EXPECT(pia_forms_find(fs, "全項目", "平成26年4月") == NULL);

	/* Paths in the notation of real change lists. */
	F = pia_forms_find(fs, "全項目", NULL);
	EXPECT(pia_form_find_path(F, "表紙-公表日") != NULL);
	EXPECT(pia_form_find_path(F, "Ⅰ-2-システム3-①システムの名称") != NULL);
	EXPECT(pia_form_find_path(F, "Ⅰ-2-システム3-①") != NULL);
	EXPECT(pia_form_find_path(F, "Ⅱ(2)-4-委託事項1") != NULL);
	EXPECT(pia_form_find_path(F, "Ⅰ-9-存在しない") == NULL);
	EXPECT(pia_form_find_path(F, "Ⅸ") == NULL);

	/* Headings written with full-width digits and spaces still match. */
	{
		unsigned index;
		const struct pia_fnode *sec = pia_fnode_match(F->root, "Ⅰ　基本情報", &index);
		EXPECT(sec != NULL && sec->kind == PIA_F_SECTION);
		EXPECT(sec && pia_fnode_match(sec, "システム１２", &index) != NULL && index == 12);
		/* The repeat itself, by its key: its entries follow as sub-headings. */
		EXPECT(sec && pia_fnode_match(sec, "システム", &index) != NULL && index == 0);
		EXPECT(sec && pia_fnode_match(sec, "システムの一覧", &index) == NULL);
	}

	/* Entries are inserted after their earlier siblings and numbered in order. */
	root = pia_node_new_tree(F->root);
	{
		const struct pia_fnode *sec = pia_fnode_child(F->root, "基本情報");
		const struct pia_fnode *sys = sec ? pia_fnode_child(sec, "システム") : NULL;
		struct pia_node *s = pia_node_child(root, sec), *first;
		EXPECT(sys != NULL && s != NULL);
		if (sys && s) {
			pia_node_add_entry(s, sys);
			pia_node_add_entry(s, sys);
			EXPECT_INT(pia_node_entries(s, sys, &first), 2);
			EXPECT_INT(first->index, 1);
			EXPECT_INT(first->next->index, 2);
		}
	}
	pia_node_free(root);

	pia_forms_free(fs);
	pia_diag_free(d);
	return UNIT_DONE("model");
}
