/*
 * libFuzzer target: the TSV/CSV importer (changes/history_import.c), run as
 * `pia import-changes FILE -o OUT` on the bytes, once as .tsv and once
 * as .csv (the name decides the delimiter), with --fix the second time.
 */
#include <stddef.h>
#include <stdint.h>

#include "cmd.h"
#include "fuzz_util.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

static void
run(const char *name, const uint8_t *data, size_t size, int fix)
{
	char *in = xasprintf("%s/%s", fuzz_dir(), name);
	char *out = xasprintf("%s/changes.xml", fuzz_dir());
	char *argv[] = { "import-changes", fix ? "--fix" : "-q", in, "-o", out, NULL };

	fuzz_write(name, data, size);
	pia_cmd_import(5, argv);
	free(in);
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run("list.tsv", data, size, 0);
	run("list.csv", data, size, 1);
	return 0;
}
