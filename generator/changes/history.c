/*
 * changes.xml written by one serializer: the rows of an import, the rows
 * pia publish proposes, appended to a history the author has written.
 * Every text goes through pia_buf_put_xml, so newlines in attributes
 * survive as &#10; and element texts read back as they were.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "diag.h"
#include "history.h"
#include "pia.h"
#include "util.h"

#define ROOT	"変更履歴"

static void
free_change(struct pia_change *c)
{
	free(c->date_text);
	free(c->item);
	free(c->before);
	free(c->after);
	free(c->timing);
	free(c->reason);
	free(c->why);
	free(c->page);
	free(c->change_reason);
	free(c->risk_change);
	free(c->risk_status);
	free(c->risk_measure);
}

void
pia_history_free_row(struct pia_hrow *r)
{
	size_t k;

	free_change(&r->c);
	for (k = 0; k < r->ncols; k++) {
		free(r->cols[k].name);
		free(r->cols[k].text);
	}
	free(r->cols);
	free(r->raw);
	memset(r, 0, sizeof(*r));
}

void
pia_history_free(struct pia_history *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->n; i++)
		pia_history_free_row(&h->v[i]);
	free(h->v);
	h->v = NULL;
	h->n = 0;
}

static void
attr(struct pia_buf *b, const char *name, const char *value)
{
	pia_buf_printf(b, " %s=\"", name);
	pia_buf_put_xml(b, value ? value : "", 1);
	pia_buf_putc(b, '"');
}

/*
 * An element's text so that the loader (pia_xtext: common indentation of
 * the lines after the first removed, trimmed) reads back exactly s: when
 * every later line is indented, the text starts on its own line, indented.
 */
static void
block(struct pia_buf *b, const char *name, const char *s)
{
	const char *p, *line, *eol;
	int later = 0, indented = 1;
	char *one;

	for (p = strchr(s, '\n'); p != NULL; p = strchr(p + 1, '\n'))
		if (p[1] != '\n' && p[1] != '\0') {
			later = 1;
			if (p[1] != ' ' && p[1] != '\t')
				indented = 0;
		}
	pia_buf_printf(b, "    <%s>", name);
	if (later && indented) {
		for (line = s;; line = eol + 1) {
			eol = strchr(line, '\n');
			one = xstrndup(line, eol ? (size_t)(eol - line) : strlen(line));
			pia_buf_putc(b, '\n');
			if (one[0] != '\0')
				pia_buf_puts(b, "      ");
			pia_buf_put_xml(b, one, 0);
			free(one);
			if (eol == NULL)
				break;
		}
	} else
		pia_buf_put_xml(b, s, 0);
	pia_buf_printf(b, "</%s>\n", name);
}

const char *const pia_history_risk_names[] = {
	"変更理由", "リスク変化", "リスク変化の状況", "リスク対策", NULL
};

void
pia_history_put_row(struct pia_buf *b, const struct pia_hrow *r)
{
	/* In the order of pia_history_risk_names. */
	const char *const risk[] = {
		r->c.change_reason, r->c.risk_change, r->c.risk_status, r->c.risk_measure
	};
	size_t k;

	pia_buf_puts(b, "  <変更");
	attr(b, "日", r->c.date_text);
	attr(b, "項目", r->c.item);
	attr(b, "提出時期", r->c.timing);
	attr(b, "説明", r->c.reason);
	if (r->c.why != NULL)
		attr(b, "理由", r->c.why);
	if (r->c.page != NULL)
		attr(b, "ページ", r->c.page);
	if (r->review)
		attr(b, "確認", "要");
	pia_buf_puts(b, ">\n");
	block(b, "変更前", r->c.before ? r->c.before : "");
	block(b, "変更後", r->c.after ? r->c.after : "");
	for (k = 0; k < sizeof(risk) / sizeof(risk[0]); k++)
		if (risk[k] != NULL)
			block(b, pia_history_risk_names[k], risk[k]);
	for (k = 0; k < r->ncols; k++) {
		pia_buf_puts(b, "    <列");
		attr(b, "名", r->cols[k].name);
		pia_buf_putc(b, '>');
		pia_buf_put_xml(b, r->cols[k].text, 0);
		pia_buf_puts(b, "</列>\n");
	}
	if (r->raw != NULL) {
		pia_buf_puts(b, "    <原文>");
		pia_buf_put_xml(b, r->raw, 0);
		pia_buf_puts(b, "</原文>\n");
	}
	pia_buf_puts(b, "  </変更>\n");
}

static void
put_rows(struct pia_buf *b, const struct pia_history *h)
{
	size_t i;

	for (i = 0; h != NULL && i < h->n; i++)
		pia_history_put_row(b, &h->v[i]);
}

char *
pia_history_write(const struct pia_history *h, const char *comment)
{
	struct pia_buf b = { 0 };

	pia_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	if (comment != NULL)
		pia_buf_printf(&b, "<!-- %s -->\n", comment);
	pia_buf_puts(&b, "<" ROOT ">\n");
	put_rows(&b, h);
	pia_buf_puts(&b, "</" ROOT ">\n");
	return pia_buf_take(&b);
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The last occurrence of needle that starts before end, or NULL. */
static const char *
last_before(const char *s, const char *end, const char *needle)
{
	size_t n = strlen(needle);
	const char *p;

	if ((size_t)(end - s) < n)
		return NULL;
	for (p = end - n; p >= s; p--)
		if (memcmp(p, needle, n) == 0)
			return p;
	return NULL;
}

char *
pia_history_append(const char *old, size_t len, const struct pia_history *h)
{
	struct pia_buf b = { 0 };
	const char *end = old + len, *p, *bol;
	size_t nroot = strlen(ROOT);

	if (h == NULL || h->n == 0) {
		pia_buf_put(&b, old, len);
		return b.data ? pia_buf_take(&b) : xstrdup("");
	}

	/*
	 * After the root element only comments, processing instructions and
	 * white space may come (XML 1.0 Misc): step back over them, so an end
	 * tag quoted in a trailing comment is not taken for the real one.
	 */
	for (;;) {
		while (end > old && is_space(end[-1]))
			end--;
		if (end - old >= 3 && memcmp(end - 3, "-->", 3) == 0 &&
		    (p = last_before(old, end - 3, "<!--")) != NULL)
			end = p;
		else if (end - old >= 2 && memcmp(end - 2, "?>", 2) == 0 &&
		    (p = last_before(old, end - 2, "<?")) != NULL && p != old)
			end = p;
		else
			break;
	}
	if (end == old || end[-1] != '>')
		return NULL;
	/* <変更履歴/>: an empty history. */
	if (end - old >= 2 && end[-2] == '/') {
		for (p = end - 2; p > old && is_space(p[-1]); p--)
			;
		if ((size_t)(p - old) < nroot + 1 || memcmp(p - nroot - 1, "<" ROOT, nroot + 1) != 0)
			return NULL;
		pia_buf_put(&b, old, (size_t)(p - old));
		pia_buf_puts(&b, ">\n");
		put_rows(&b, h);
		pia_buf_puts(&b, "</" ROOT ">");
		pia_buf_put(&b, end, len - (size_t)(end - old));
		return pia_buf_take(&b);
	}
	/* </変更履歴 >: the end tag. */
	for (p = end - 1; p > old && is_space(p[-1]); p--)
		;
	if ((size_t)(p - old) < nroot + 2 || memcmp(p - nroot - 2, "</" ROOT, nroot + 2) != 0)
		return NULL;
	p -= nroot + 2;
	/* Rows start on a line of their own. */
	for (bol = p; bol > old && (bol[-1] == ' ' || bol[-1] == '\t'); bol--)
		;
	pia_buf_put(&b, old, (size_t)(bol - old));
	if (bol > old && bol[-1] != '\n')
		pia_buf_putc(&b, '\n');
	put_rows(&b, h);
	pia_buf_put(&b, p, len - (size_t)(p - old));
	return pia_buf_take(&b);
}

int
pia_history_save(struct pia_diag *d, const char *path, const char *data, size_t len)
{
	struct pia_pos pos = { path, 0, 0 };

	if (pia_atomic_write(path, data, len) == 0)
		return 0;
	pia_diag(d, &pos, PIA_MSG_SYS_WRITE, pia_strerror(errno));
	return -1;
}
