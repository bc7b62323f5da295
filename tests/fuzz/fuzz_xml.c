/*
 * libFuzzer target: the safe XML reader (load/xmlsafe.c) on raw bytes,
 * then the same bytes as the report.xml of a report folder through the
 * report loader and every check, as `pia check` runs them.
 */
#include <stddef.h>
#include <stdint.h>

#include "../../generator/load/load_int.h"
#include "check.h"
#include "cmd.h"
#include "diag.h"
#include "form.h"
#include "model.h"
#include "fuzz_util.h"

static struct pia_forms *forms;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct pia_diag *d;

	(void)argc;
	(void)argv;
	fuzz_quiet();
	if (pia_cmd_begin(NULL, &d, &forms) != 0)
		abort();
	pia_diag_free(d);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pia_diag *d = pia_diag_new();
	struct pia_xfile *xf;
	struct pia_site *site = NULL;
	struct pia_report *report = NULL;

	xf = pia_xfile_read(d, "fuzz.xml", (const char *)data, size);
	pia_xfile_free(xf);
	pia_diag_free(d);

	fuzz_write("report.xml", data, size);
	d = pia_diag_new();
	if (pia_cmd_load(d, forms, fuzz_dir(), &site, &report) == 0)
		pia_check_all(d, site, report, PIA_CHECK_MODEL);
	pia_site_free(site);
	pia_report_free(report);
	pia_diag_free(d);
	return 0;
}
