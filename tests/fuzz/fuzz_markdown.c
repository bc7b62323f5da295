/*
 * libFuzzer target: the Markdown-to-model path.  The bytes are a section
 * file (sections/1-fuzz.md) of a report whose report.xml is fixed; the
 * report is loaded and checked as `pia check` does, then its page is
 * rendered to XHTML (the HTML checks included), as `pia build` does.
 */
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "cmd.h"
#include "diag.h"
#include "form.h"
#include "html.h"
#include "model.h"
#include "fuzz_util.h"

static struct pia_forms *forms;

static const char report_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<評価書 様式=\"基礎項目評価書\" 版=\"令和6年10月\">\n"
    "  <表紙><評価書番号>1</評価書番号><公表日>令和7年6月2日</公表日></表紙>\n"
    "</評価書>\n";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct pia_diag *d;
	char *sections;

	(void)argc;
	(void)argv;
	fuzz_quiet();
	if (pia_cmd_begin(NULL, &d, &forms) != 0)
		abort();
	pia_diag_free(d);
	fuzz_write("report.xml", report_xml, sizeof(report_xml) - 1);
	sections = xasprintf("%s/sections", fuzz_dir());
	mkdir(sections, 0755);
	free(sections);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pia_diag *d = pia_diag_new();
	struct pia_site *site = NULL;
	struct pia_report *report = NULL;
	struct pia_html *h;
	struct pia_buf out = { 0 };

	fuzz_write("sections/1-fuzz.md", data, size);
	if (pia_cmd_load(d, forms, fuzz_dir(), &site, &report) == 0)
		pia_check_all(d, site, report, PIA_CHECK_MODEL | PIA_CHECK_HTML);
	if (report != NULL) {
		h = pia_html_new(report, fuzz_dir());
		pia_html_render(h, &out);
		pia_html_free(h);
		pia_buf_free(&out);
	}
	pia_site_free(site);
	pia_report_free(report);
	pia_diag_free(d);
	return 0;
}
