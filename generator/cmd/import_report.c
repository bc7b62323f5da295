/*
 * pia import-report [--form 基礎|重点|全項目] FILE.pdf -o DIR: a published
 * 評価書 brought in from its PDF (issue 21).  The 様式 is found on the cover
 * (its stamp 「[令和6年10月 様式4]」 or its title), the text is placed by
 * the form's labels (generator/import/), and DIR gets report.xml,
 * changes.xml (the 変更箇所 table) and, when some text found no item,
 * unplaced.md — written whole into a temporary folder and renamed, as
 * pia new does.  Every doubt is a warning at FILE.pdf:page N.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic.h"
#include "cmd.h"
#include "diag.h"
#include "form.h"
#include "../import/import_int.h"
#include "pia.h"
#include "util.h"

enum { OPT_FORM, OPT_OUTPUT };
static const struct pia_cmd_opt import_opts[] = {
	[OPT_FORM] = { "form", 'f', 1, 0 },
	[OPT_OUTPUT] = { "output", 'o', 1, 1 },
	{ NULL, 0, 0, 0 }
};

void
pia_imp_warn(struct pia_imp_out *O, unsigned page, enum pia_msg m, const char *a, const char *b)
{
	char *file = page ? xasprintf("%s:page %u", O->file, page) : xstrdup(O->file);
	struct pia_pos pos = { file, 0, 0 };

	pia_diag(O->d, &pos, m, a, b);
	free(file);
}

/* The form whose stamp or title stands on the first page; NULL when none does. */
static const struct pia_form *
detect(const struct pia_forms *fs, const struct pia_imp_doc *doc)
{
	const struct pia_form *F, *best = NULL;
	struct pia_buf b = { 0 };
	char *page1, *st, *ti;
	size_t i, j;

	for (i = 0; i < doc->nline && doc->line[i].page <= 1; i++)
		for (j = 0; j < doc->line[i].nseg; j++)
			pia_buf_puts(&b, doc->line[i].seg[j].text);
	if (b.len == 0)
		return NULL;
	page1 = pia_imp_norm(b.data);
	pia_buf_free(&b);
	for (F = fs->first; F != NULL; F = F->next) {
		st = pia_imp_norm(F->stamp);
		ti = pia_imp_norm(F->title);
		if (strstr(page1, st) != NULL)
			best = F;
		else if (best == NULL && strstr(page1, ti) != NULL)
			best = pia_forms_find(fs, F->kind, NULL);
		free(st);
		free(ti);
		if (best != NULL && best == F)
			break;
	}
	free(page1);
	return best;
}

static int
write_out(struct pia_diag *d, const char *tmp, const char *shown, const char *rel, const char *text,
    size_t len)
{
	char *path = xasprintf("%s/%s", tmp, rel), *name, *slash;
	int rc = 0;

	/* rel in a folder of its own (images/): the folder first. */
	if ((slash = strrchr(path, '/')) != NULL && strchr(rel, '/') != NULL) {
		*slash = '\0';
		(void)pia_mkdir_parents(path);
		*slash = '/';
	}
	if (pia_write_file(path, text, len ? len : strlen(text)) != 0) {
		name = xasprintf("%s/%s", shown, rel);
		pia_diag(d, &(struct pia_pos){ name, 0, 0 }, PIA_MSG_SYS_WRITE, pia_strerror(errno));
		free(name);
		rc = -1;
	}
	free(path);
	return rc;
}

static int
import_report(struct pia_cmd_ctx *ctx)
{
	const char *file = ctx->args[0], *dir = ctx->opt[OPT_OUTPUT];
	struct pia_pos pos = { dir, 0, 0 };
	struct pia_imp_doc doc;
	struct pia_imp_place P;
	struct pia_imp_out O;
	struct pia_atomic_dir a;
	const struct pia_form *F;
	struct stat st;
	char *err = NULL, *xml = NULL, *chg = NULL, *un = NULL;
	size_t i;
	int rc = PIA_EXIT_OK;

	if (ctx->opt[OPT_FORM] != NULL &&
	    pia_forms_find(ctx->fs, ctx->opt[OPT_FORM], NULL) == NULL) {
		pia_diag(ctx->d, NULL, PIA_MSG_USAGE_FORM, ctx->opt[OPT_FORM]);
		return PIA_EXIT_SYSTEM;
	}
	if (stat(file, &st) != 0) {
		pia_diag(ctx->d, &(struct pia_pos){ file, 0, 0 }, PIA_MSG_ARG_MISSING);
		return PIA_EXIT_SYSTEM;
	}
	if (pia_imp_read(file, &doc, &err) != 0) {
		pia_diag(ctx->d, &(struct pia_pos){ file, 0, 0 }, PIA_MSG_IMPORT_PDF, err);
		free(err);
		return PIA_EXIT_SYSTEM;
	}
	memset(&O, 0, sizeof(O));
	O.d = ctx->d;
	O.file = file;
	O.doc = &doc;
	for (i = 0; i < doc.nempty && doc.nline > 0; i++)
		pia_imp_warn(&O, doc.empty[i], PIA_MSG_IMPORT_NOTEXT, NULL, NULL);
	for (i = 0; i < doc.nimage; i++) {
		/* Where on the page, in the millimetres a ruler on the printout shows. */
		char *at = xasprintf("%.0f～%.0f", doc.image[i].y0 * 25.4 / 72, doc.image[i].y1 * 25.4 / 72);

		pia_imp_warn(&O, doc.image[i].page, PIA_MSG_IMPORT_IMAGE, at, doc.image[i].name);
		free(at);
	}
	if (doc.nline == 0) {
		pia_diag(ctx->d, &(struct pia_pos){ file, 0, 0 }, PIA_MSG_IMPORT_EMPTY);
		pia_imp_doc_free(&doc);
		return PIA_EXIT_INVALID;
	}
	if (ctx->opt[OPT_FORM] != NULL)
		F = pia_forms_find(ctx->fs, ctx->opt[OPT_FORM], NULL);
	else if ((F = detect(ctx->fs, &doc)) == NULL) {
		pia_diag(ctx->d, &(struct pia_pos){ file, 0, 0 }, PIA_MSG_IMPORT_FORM);
		pia_imp_doc_free(&doc);
		return PIA_EXIT_INVALID;
	}
	pia_imp_strip_running(&doc);
	pia_imp_hoist(&doc);
	memset(&P, 0, sizeof(P));
	pia_imp_place(&P, F, &doc);
	xml = pia_imp_report_xml(&O, F, &P);
	chg = pia_imp_changes_xml(&P);
	un = pia_imp_unplaced_md(&P);
	if (un != NULL) {
		unsigned last = 0;

		/* One warning a page: the list with positions is in unplaced.md. */
		for (i = 0; i < P.unplaced->nv; i++)
			if (P.unplaced->v[i].page != last) {
				last = P.unplaced->v[i].page;
				pia_imp_warn(&O, last, PIA_MSG_IMPORT_UNPLACED, P.unplaced->v[i].text, NULL);
			}
	}
	if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		pia_diag(ctx->d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(EEXIST));
		rc = PIA_EXIT_SYSTEM;
	} else if (pia_mkdir_parents(dir) != 0 || pia_atomic_dir_begin(&a, dir) != 0) {
		pia_diag(ctx->d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(errno));
		rc = PIA_EXIT_SYSTEM;
	} else {
		if (write_out(ctx->d, a.tmp, dir, "report.xml", xml, 0) != 0 ||
		    write_out(ctx->d, a.tmp, dir, "changes.xml", chg, 0) != 0 ||
		    (un != NULL && write_out(ctx->d, a.tmp, dir, "unplaced.md", un, 0) != 0))
			rc = PIA_EXIT_SYSTEM;
		/* The pictures, kept as pictures (images/pN-K.png). */
		for (i = 0; i < doc.nimage && rc == PIA_EXIT_OK; i++) {
			if (doc.image[i].png != NULL && write_out(ctx->d, a.tmp, dir, doc.image[i].name,
			    doc.image[i].png, doc.image[i].pnglen) != 0)
				rc = PIA_EXIT_SYSTEM;
		}
		if (rc == PIA_EXIT_OK && pia_atomic_dir_commit(&a, PIA_ATOMIC_NOREPLACE) != 0) {
			pia_diag(ctx->d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(errno));
			rc = PIA_EXIT_SYSTEM;
		}
		pia_atomic_dir_end(&a);
	}
	if (rc == PIA_EXIT_OK)
		printf("%s: %s を読み込みました（%s、%zu 項目、変更箇所 %zu 行%s）\n", dir, file,
		    F->name, O.items, P.nrows, un != NULL ? "、置き場所の分からない文字は unplaced.md" : "");
	free(xml);
	free(chg);
	free(un);
	pia_imp_place_free(&P);
	pia_imp_doc_free(&doc);
	return rc;
}

static const struct pia_cmd import_report_cmd = {
	.name = "import-report",
	.help = "使い方: pia import-report [--form 基礎|重点|全項目] [--forms DIR] FILE.pdf -o フォルダー\n"
	    "  公表した評価書の PDF を読み、様式の項目に当てはめて report.xml と changes.xml を\n"
	    "  フォルダーに書きます。様式は表紙から見分けます（--form で指定もできます）。\n"
	    "  どの項目にも当てはめられない文字は unplaced.md にページと位置を付けて残します。\n"
	    "表示: FILE.pdf:page N: warning: [コード] メッセージ\n",
	.opts = import_opts,
	.min_args = 1,
	.max_args = 1,
	.flags = PIA_CMD_FORMS,
	.run = import_report,
};

int
pia_cmd_import_report(int argc, char **argv)
{
	return pia_cmd_run(&import_report_cmd, argc, argv);
}
