/*
 * The diagnostics sink: control characters and bidi overrides shown
 * escaped (issue 16), levels and the exit status they give (--strict
 * too), counts of a level or worse, and the report each message is about.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pia.h"
#include "unit.h"

static void
escaped(const char *in, const char *want)
{
	char *got = pia_diag_escape(in);

	EXPECT_STR(got, want);
	free(got);
}

static void
test_escape(void)
{
	escaped("令和7年", "令和7年");
	escaped("a\tb", "a\tb");			/* tab stays */
	escaped("\033[31mred", "\\x1b[31mred");		/* ESC */
	escaped("\033]0;title\007", "\\x1b]0;title\\x07");	/* OSC, BEL */
	escaped("a\nb\rc", "a\\x0ab\\x0dc");		/* one message, one line */
	escaped("del\177", "del\\x7f");
	escaped("c1\302\205\302\233", "c1<U+0085><U+009B>");	/* NEL, CSI */
	escaped("\342\200\256evil\342\200\254", "<U+202E>evil<U+202C>");
	escaped("\342\201\246x\342\201\251", "<U+2066>x<U+2069>");
	escaped("\342\200\217rlm", "\342\200\217rlm");	/* a mark, not an override */
	escaped("bad\377\233x", "bad\\xff\\x9bx");	/* bytes that are not UTF-8 */
	escaped("cut\343\201", "cut\\xe3\\x81");	/* a truncated sequence */
	escaped(NULL, "");
}

static void
test_levels(void)
{
	struct pia_diag *d = pia_diag_new();
	struct pia_pos pos = { "a\033b.xml", 3, 4 };
	const struct pia_diag_item *v;
	char *line;

	EXPECT_INT(pia_diag_status(d), PIA_EXIT_OK);
	pia_diag(d, &pos, PIA_MSG_DATE_GANNEN, "令和1年", "令和元年");
	EXPECT_INT(pia_diag_status(d), PIA_EXIT_OK);
	pia_diag_set_strict(d, 1);
	EXPECT_INT(pia_diag_status(d), PIA_EXIT_INVALID);
	pia_diag_set_strict(d, 0);
	pia_diag(d, &pos, PIA_MSG_XML_SYNTAX, "x\342\200\256y");
	EXPECT_INT(pia_diag_status(d), PIA_EXIT_INVALID);
	EXPECT_INT(pia_diag_count(d, PIA_LEVEL_WARNING), 2);
	EXPECT_INT(pia_diag_count(d, PIA_LEVEL_ERROR), 1);
	EXPECT_INT(pia_diag_count(d, PIA_LEVEL_FATAL), 1);
	EXPECT_INT(pia_diag_count(d, PIA_LEVEL_SYSTEM), 0);
	EXPECT_INT(pia_diag_items(d, &v), 2);
	line = pia_diag_line(&v[1]);
	EXPECT_STR(line, "a\\x1bb.xml:3:4: error: [XML_SYNTAX] "
	    "XMLの書き方に誤りがあります: x<U+202E>y");
	free(line);
	pia_diag(d, NULL, PIA_MSG_PDF_WRITE, "disk full");
	EXPECT_INT(pia_diag_status(d), PIA_EXIT_SYSTEM);
	EXPECT_INT(pia_diag_items(d, &v), 3);
	line = pia_diag_line(&v[2]);
	EXPECT_STR(line, "pia: error: [PDF_WRITE] PDF を書けません: disk full");
	free(line);
	EXPECT_STR(pia_level_name(PIA_LEVEL_FATAL), "error");
	EXPECT_STR(pia_level_name(PIA_LEVEL_SYSTEM), "error");
	EXPECT_STR(pia_level_name(PIA_LEVEL_WARNING), "warning");
	pia_diag_free(d);
}

static void
test_report(void)
{
	struct pia_diag *d = pia_diag_new();
	const struct pia_diag_item *v;
	const char *prev;
	char slug[16];
	size_t n;

	pia_diag(d, NULL, PIA_MSG_CONTENT_NOREPORT);
	strcpy(slug, "01-jumin");
	prev = pia_diag_report(d, slug);
	EXPECT(prev == NULL);
	/* The sink keeps its own copy: the caller's string may change. */
	strcpy(slug, "xx");
	pia_diag(d, NULL, PIA_MSG_CHG_NOOP);
	prev = pia_diag_report(d, "02-kokuho");
	EXPECT_STR(prev, "01-jumin");
	pia_diag(d, NULL, PIA_MSG_CHG_NOOP);
	pia_diag_report(d, prev);
	pia_diag(d, NULL, PIA_MSG_CHG_NOOP);
	pia_diag_report(d, NULL);
	pia_diag(d, NULL, PIA_MSG_CHG_NOOP);
	n = pia_diag_items(d, &v);
	EXPECT_INT(n, 5);
	if (n == 5) {
		EXPECT(v[0].report == NULL);
		EXPECT_STR(v[1].report, "01-jumin");
		EXPECT_STR(v[2].report, "02-kokuho");
		EXPECT_STR(v[3].report, "01-jumin");
		EXPECT(v[4].report == NULL);
	}
	pia_diag_free(d);
}

/* pia_diag_now: the same line, at once, counted nowhere. */
static void
test_now(void)
{
	struct pia_pos pos = { "out\342\200\256", 0, 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		return;
	pia_diag_now(f, &pos, PIA_MSG_SYS_WRITE, "No space left on device");
	pia_diag_now(f, NULL, PIA_MSG_THEME_DEFAULT);
	fclose(f);
	EXPECT_STR(text, "out<U+202E>: error: [SYS_WRITE] 書き込めません: No space left on device\n"
	    "pia: error: [THEME_DEFAULT] 既定のテーマ themes/default が見つかりません"
	    "（--theme で指定してください）\n");
	free(text);
}

int
main(void)
{
	test_escape();
	test_levels();
	test_report();
	test_now();
	return UNIT_DONE("diag");
}
