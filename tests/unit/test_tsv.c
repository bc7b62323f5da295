/*
 * Unit tests for the cells of pia diff's TSV (generator/changes/diff.c):
 * which cells a spreadsheet would run as formulas get an apostrophe
 * (OWASP CSV injection), which do not, and that taking the apostrophe off
 * again (as an importer of such a list does) gives the cell back.
 */
#include <stdlib.h>

#include "changes.h"
#include "unit.h"
#include "util.h"

static const char *const formulas[] = {
	"=1+1", "+1", "-1", "@SUM(A1)", "=HYPERLINK(\"http://x.example\",\"y\")",
	" =1", "   -2", "\u3000=1", "\u00a0@x", "\t", "\tabc", "\r=1", "\n=1",
	" \t=1", "'=1", "''+1", "-", NULL
};

static const char *const plain[] = {
	"", "随時", "1件", "a=b", "x-1", "（記載なし）", "'abc", "''", "'",
	"＝全角は数式ではない", "－", " 1", "※", NULL
};

int
main(void)
{
	size_t i;
	char *g;

	for (i = 0; formulas[i] != NULL; i++) {
		EXPECT_STR(pia_tsv_guard(formulas[i]), "'");
		g = xasprintf("%s%s", pia_tsv_guard(formulas[i]), formulas[i]);
		EXPECT_STR(pia_tsv_unguard(g), formulas[i]);
		free(g);
	}
	for (i = 0; plain[i] != NULL; i++) {
		EXPECT_STR(pia_tsv_guard(plain[i]), "");
		EXPECT_STR(pia_tsv_unguard(plain[i]), plain[i]);
	}
	/* An apostrophe the author wrote before a formula is kept: two go out, one comes back. */
	EXPECT_STR(pia_tsv_unguard("''=1"), "'=1");
	EXPECT_STR(pia_tsv_guard(NULL), "");
	return UNIT_DONE("tsv");
}
