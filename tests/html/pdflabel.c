/*
 * The PDF link text of the index and report pages: format and real size,
 * 「全項目評価書（PDF：1,234KB）」, KB rounded up, thousands separated; and
 * the size is read from SLUG/SLUG.pdf in the output folder.
 * Built and run by tests/html.sh against pia's objects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "form.h"
#include "html.h"
#include "model.h"
#include "util.h"

static int pass, fail;

static void
label(struct pia_report *r, long long size, const char *want)
{
	struct pia_buf b = { 0 };

	pia_html_pdf_label(&b, r, size);
	if (strcmp(b.data, want) == 0)
		pass++;
	else {
		printf("FAIL: pdflabel: %lld bytes: got %s, want %s\n", size, b.data, want);
		fail++;
	}
	pia_buf_free(&b);
}

int
main(void)
{
	struct pia_form form;
	struct pia_report r;
	char dir[] = "/tmp/pdflabel.XXXXXX", *sub, *pdf;
	FILE *f;

	memset(&form, 0, sizeof(form));
	memset(&r, 0, sizeof(r));
	form.name = "全項目評価書";
	r.form = &form;
	r.slug = "01-jumin";
	label(&r, 0, "全項目評価書（PDF：1KB）");
	label(&r, 100, "全項目評価書（PDF：1KB）");
	label(&r, 1024, "全項目評価書（PDF：1KB）");
	label(&r, 1025, "全項目評価書（PDF：2KB）");
	label(&r, 1263616, "全項目評価書（PDF：1,234KB）");
	label(&r, 1263617, "全項目評価書（PDF：1,235KB）");
	label(&r, 1024LL * 1234567, "全項目評価書（PDF：1,234,567KB）");

	if (mkdtemp(dir) == NULL)
		return 2;
	if (pia_html_pdf_size(&r, dir) == -1)
		pass++;
	else {
		printf("FAIL: pdflabel: a missing PDF has a size\n");
		fail++;
	}
	sub = xasprintf("%s/01-jumin", dir);
	pdf = xasprintf("%s/01-jumin.pdf", sub);
	mkdir(sub, 0755);
	if ((f = fopen(pdf, "wb")) != NULL) {
		fwrite("%PDF-1.4\n", 1, 9, f);
		fseek(f, 5000, SEEK_SET);
		fputc('\n', f);
		fclose(f);
	}
	if (pia_html_pdf_size(&r, dir) == 5001)
		pass++;
	else {
		printf("FAIL: pdflabel: size of %s is %lld, want 5001\n", pdf, pia_html_pdf_size(&r, dir));
		fail++;
	}
	unlink(pdf);
	rmdir(sub);
	rmdir(dir);
	free(pdf);
	free(sub);
	printf("pdflabel: %d passed, %d failed\n", pass, fail);
	return fail != 0;
}
