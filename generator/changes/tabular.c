/*
 * A spreadsheet's export read as records: UTF-8 TSV or CSV (CP932 when
 * the bytes are not UTF-8, as Excel saves in Japan); a field holding a
 * delimiter, newline or quote is double-quoted with inner quotes doubled.
 * And the names of the columns of a 変更箇所一覧, as cities write them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include "tabular.h"
#include "util.h"

const char *const pia_tab_role_names[] = {
	"変更日", "ページ", "項目", "変更前の記載", "変更後の記載", "提出時期",
	"提出時期に係る説明", NULL
};

/*
 * Shift_JIS (CP932) to UTF-8 with ICU; NULL when the bytes are not CP932
 * either (ICU would put U+001A for them and the text would turn into
 * mojibake without a word).
 */
static char *
from_cp932(const char *in, size_t len, size_t *outlen)
{
	UErrorCode e = U_ZERO_ERROR;
	UConverter *cv;
	UChar *u;
	char *out;
	int32_t nu, n;

	if (len > (size_t)INT32_MAX / 4 || (cv = ucnv_open("windows-31j", &e)) == NULL)
		return NULL;
	ucnv_setToUCallBack(cv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &e);
	u = xmalloc((len + 1) * sizeof(*u));
	nu = ucnv_toUChars(cv, u, (int32_t)len + 1, in, (int32_t)len, &e);
	ucnv_close(cv);
	out = xmalloc(len * 3 + 16);
	if (U_SUCCESS(e))
		u_strToUTF8(out, (int32_t)(len * 3 + 16), &n, u, nu, &e);
	free(u);
	if (U_FAILURE(e)) {
		free(out);
		return NULL;
	}
	*outlen = (size_t)n;
	out[n] = '\0';
	return out;
}

/*
 * A file that is UTF-8 up to a bad byte, with Japanese before it, is
 * broken UTF-8 rather than Shift_JIS: Shift_JIS text is almost never
 * valid UTF-8 for a whole character.
 */
static int
utf8_before(const char *s, size_t bad)
{
	size_t i;

	for (i = 0; i < bad; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

int
pia_tab_decode(char **buf, size_t *len, enum pia_enc *from)
{
	size_t bad, n, skip;
	char *u;

	/* UTF-16 only by its byte order mark: Excel always writes one. */
	*from = pia_enc_sniff(*buf, *len, &skip);
	if (skip > 0) {
		if ((u = pia_enc_to_utf8(*buf + skip, *len - skip, *from, &n)) == NULL)
			return -1;
		free(*buf);
		*buf = u;
		*len = n;
		return 1;
	}
	*from = PIA_ENC_CP932;

	/* A byte order mark, as Excel writes it. */
	if (*len >= 3 && memcmp(*buf, "\xEF\xBB\xBF", 3) == 0) {
		memmove(*buf, *buf + 3, *len - 2);
		*len -= 3;
	}
	if (pia_utf8_valid(*buf, *len, &bad))
		return 0;
	u = memchr(*buf, '\0', *len) == NULL && !utf8_before(*buf, bad) ?
	    from_cp932(*buf, *len, &n) : NULL;
	if (u == NULL)
		return -1;
	free(*buf);
	*buf = u;
	*len = n;
	return 1;
}

static void
add_field(struct pia_tab_record *r, struct pia_buf *b)
{
	r->f = xrealloc(r->f, (r->n + 1) * sizeof(*r->f));
	r->f[r->n++] = b->data ? pia_buf_take(b) : xstrdup("");
}

/*
 * Split the file into records: fields separated by the delimiter, quoted
 * fields may hold delimiters, newlines and doubled quotes.  A line ends
 * with LF, CRLF or a CR alone (old Mac exports), mixed in one file too;
 * inside a quoted field each is read as LF.  A quote inside an unquoted
 * field is an ordinary character.
 */
void
pia_tab_parse(struct pia_table *t)
{
	const char *s = t->buf;
	size_t p = 0, len = t->len;
	struct pia_buf b = { 0 };

	while (p < len) {
		struct pia_tab_record *r;
		t->recs = xrealloc(t->recs, (t->nrecs + 1) * sizeof(*t->recs));
		r = &t->recs[t->nrecs++];
		memset(r, 0, sizeof(*r));
		r->start = p;
		for (;;) {
			if (p < len && s[p] == '"') {
				p++;
				for (;;) {
					if (p >= len) {
						r->open_quote = r->n + 1;
						break;
					}
					if (s[p] == '"' && p + 1 < len && s[p + 1] == '"') {
						pia_buf_putc(&b, '"');
						p += 2;
					} else if (s[p] == '"') {
						p++;
						break;
					} else if (s[p] == '\r') {
						pia_buf_putc(&b, '\n');
						p += p + 1 < len && s[p + 1] == '\n' ? 2 : 1;
					} else
						pia_buf_putc(&b, s[p++]);
				}
			}
			/* Unquoted text, or what follows a closing quote. */
			while (p < len && s[p] != t->delim && s[p] != '\n' && s[p] != '\r')
				pia_buf_putc(&b, s[p++]);
			add_field(r, &b);
			if (p < len && s[p] == t->delim) {
				p++;
				continue;
			}
			r->end = p;
			if (p < len && s[p] == '\r')
				p++;
			if (p < len && s[p] == '\n')
				p++;
			break;
		}
	}
	pia_buf_free(&b);
}

void
pia_tab_free(struct pia_table *t)
{
	size_t i, k;

	for (i = 0; i < t->nrecs; i++) {
		for (k = 0; k < t->recs[i].n; k++)
			free(t->recs[i].f[k]);
		free(t->recs[i].f);
	}
	free(t->recs);
	free(t->buf);
	memset(t, 0, sizeof(*t));
}

char
pia_tab_delimiter(const char *path, const char *s, size_t len)
{
	size_t n = strlen(path), i, tabs = 0, commas = 0;

	/*
	 * The first line says it when it has only one of the two: Excel's
	 * 「Unicode テキスト」 or a tab-separated export renamed .csv is TSV.
	 */
	for (i = 0; i < len && s[i] != '\n' && s[i] != '\r'; i++) {
		tabs += s[i] == '\t';
		commas += s[i] == ',';
	}
	if (tabs > 0 && commas == 0)
		return '\t';
	if (commas > 0 && tabs == 0)
		return ',';
	tabs = commas = 0;
	if (n > 4 && (strcmp(path + n - 4, ".csv") == 0 || strcmp(path + n - 4, ".CSV") == 0))
		return ',';
	if (n > 4 && (strcmp(path + n - 4, ".tsv") == 0 || strcmp(path + n - 4, ".TSV") == 0))
		return '\t';
	for (i = 0; i < len && i < 65536; i++) {
		tabs += s[i] == '\t';
		commas += s[i] == ',';
	}
	return commas > tabs ? ',' : '\t';
}

char *
pia_tab_squeeze(const char *s)
{
	struct pia_buf b = { 0 };
	size_t k, len = strlen(s);
	uint32_t c;

	while (len > 0) {
		if ((k = pia_utf8_decode(s, len, &c)) == 0) {
			c = (unsigned char)*s;
			k = 1;
		}
		if (c >= 0xFF01 && c <= 0xFF5E)
			c -= 0xFEE0;
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != 0x3000 && c != 0xA0)
			pia_buf_put_cp(&b, c);
		s += k;
		len -= k;
	}
	return b.data ? pia_buf_take(&b) : xstrdup("");
}

enum pia_tab_role
pia_tab_role_of(const char *name)
{
	char *s = pia_tab_squeeze(name);
	enum pia_tab_role r = PIA_TAB_EXTRA;

	if (strstr(s, "提出時期に係る説明") || strcmp(s, "説明") == 0 ||
	    strstr(s, "提出時期の説明"))
		r = PIA_TAB_REASON;
	else if (strstr(s, "提出時期"))
		r = PIA_TAB_TIMING;
	else if (pia_startswith(s, "変更前"))
		r = PIA_TAB_BEFORE;
	else if (pia_startswith(s, "変更後"))
		r = PIA_TAB_AFTER;
	else if (strstr(s, "変更日") || strcmp(s, "日付") == 0 || strcmp(s, "年月日") == 0 ||
	    strstr(s, "変更年月日"))
		r = PIA_TAB_DATE;
	else if (strstr(s, "ページ") || strcmp(s, "頁") == 0 || strstr(s, "該当頁"))
		r = PIA_TAB_PAGE;
	else if (strstr(s, "項目") || strcmp(s, "変更箇所") == 0)
		r = PIA_TAB_ITEM;
	free(s);
	return r;
}

int
pia_tab_is_header(const struct pia_tab_record *r)
{
	size_t i, known = 0;
	int item = 0, text = 0;
	enum pia_tab_role x;

	for (i = 0; i < r->n; i++) {
		x = pia_tab_role_of(r->f[i]);
		if (x != PIA_TAB_EXTRA)
			known++;
		item |= x == PIA_TAB_ITEM;
		text |= x == PIA_TAB_BEFORE || x == PIA_TAB_AFTER;
	}
	return item && text && known >= 3;
}

int
pia_tab_blank(const struct pia_tab_record *r)
{
	size_t i;
	char *t;
	int empty = 1;

	for (i = 0; i < r->n && empty; i++) {
		t = pia_strtrim(r->f[i]);
		empty = *t == '\0';
		free(t);
	}
	return empty;
}

int
pia_tab_junk(const struct pia_tab_record *r)
{
	size_t i;
	const char *p;

	for (i = 0; i < r->n; i++)
		for (p = r->f[i]; *p; p++)
			if (*p != '-' && *p != '|' && *p != ':' && *p != '=' && *p != ' ' &&
			    *p != '\t' && *p != '+' && *p != '_')
				return 0;
	return 1;
}
