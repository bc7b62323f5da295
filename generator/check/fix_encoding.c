/*
 * pia check --fix, first step: sources saved by Windows or Excel in
 * UTF-16 or Shift_JIS (CP932) are rewritten as UTF-8, before the report
 * is loaded (the loader refuses them: SRC_ENCODING).  The XML declaration
 * then says UTF-8 too.  Only the files of the content tree pia reads:
 * site.xml, and per report report.xml, changes.xml and every sections/NAME.md.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "lint.h"
#include "util.h"

/* Where the file is XML, its declaration's encoding="…" made UTF-8. */
static char *
declare_utf8(char *s, size_t *len)
{
	char *end, *enc, *q, *out;
	char quote;

	if (strncmp(s, "<?xml", 5) != 0 || (end = strstr(s, "?>")) == NULL)
		return s;
	for (enc = s; (enc = strstr(enc, "encoding")) != NULL && enc < end; enc += 8) {
		q = enc + 8;
		while (*q == ' ' || *q == '=')
			q++;
		if ((quote = *q) != '"' && quote != '\'')
			continue;
		if ((q = strchr(q + 1, quote)) == NULL || q > end)
			return s;
		out = xasprintf("%.*sencoding=\"UTF-8\"%s", (int)(enc - s), s, q + 1);
		*len = strlen(out);
		free(s);
		return out;
	}
	return s;
}

static void
fix_file(struct pia_diag *d, const char *path)
{
	struct pia_pos pos = { path, 0, 0 };
	enum pia_enc e;
	size_t len, n, skip;
	char *buf, *u;

	if (pia_read_file(path, 64u * 1024 * 1024, &buf, &len) != 0)
		return;		/* the check that follows says why */
	e = pia_enc_sniff(buf, len, &skip);
	if ((e == PIA_ENC_UTF16LE || e == PIA_ENC_UTF16BE || e == PIA_ENC_CP932) &&
	    (u = pia_enc_to_utf8(buf + skip, len - skip, e, &n)) != NULL) {
		n = strlen(u);
		if (strlen(path) > 4 && strcmp(path + strlen(path) - 4, ".xml") == 0)
			u = declare_utf8(u, &n);
		if (pia_lint_write_file(d, path, u, n) == 0)
			pia_diag(d, &pos, PIA_MSG_FIX_APPLIED, pia_enc_name(e), "UTF-8");
		free(u);
	}
	free(buf);
}

static void
fix_report(struct pia_diag *d, const char *dir)
{
	struct dirent *ent;
	char *p, *sdir;
	size_t n;
	DIR *D;

	p = xasprintf("%s/report.xml", dir);
	fix_file(d, p);
	free(p);
	p = xasprintf("%s/changes.xml", dir);
	if (access(p, F_OK) == 0)
		fix_file(d, p);
	free(p);
	sdir = xasprintf("%s/sections", dir);
	if ((D = opendir(sdir)) != NULL) {
		while ((ent = readdir(D)) != NULL) {
			n = strlen(ent->d_name);
			if (ent->d_name[0] == '.' || n < 4 || strcmp(ent->d_name + n - 3, ".md") != 0)
				continue;
			p = xasprintf("%s/%s", sdir, ent->d_name);
			if (pia_path_inside(dir, p) == 1)
				fix_file(d, p);
			free(p);
		}
		closedir(D);
	}
	free(sdir);
}

void
pia_fix_encodings(struct pia_diag *d, const char *path)
{
	struct dirent *ent;
	struct stat st;
	char *p, *rdir;
	DIR *D;

	if (stat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		fix_file(d, path);
		return;
	}
	p = xasprintf("%s/report.xml", path);
	if (access(p, F_OK) == 0) {
		free(p);
		fix_report(d, path);
		return;
	}
	free(p);
	p = xasprintf("%s/site.xml", path);
	if (access(p, F_OK) == 0)
		fix_file(d, p);
	free(p);
	rdir = xasprintf("%s/reports", path);
	if ((D = opendir(rdir)) != NULL) {
		while ((ent = readdir(D)) != NULL) {
			if (ent->d_name[0] == '.')
				continue;
			p = xasprintf("%s/%s", rdir, ent->d_name);
			if (stat(p, &st) == 0 && S_ISDIR(st.st_mode) && pia_path_inside(path, p) == 1)
				fix_report(d, p);
			free(p);
		}
		closedir(D);
	}
	free(rdir);
}
