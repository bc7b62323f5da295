/*
 * The one XML escaper of the files pia writes (changes.xml, the report
 * skeleton): text and attribute values, so that libxml2 reads back what
 * was meant.
 */
#include <string.h>

#include "util.h"

/*
 * In attributes, a newline or a tab written raw would be read back as a
 * space (attribute-value normalisation, XML 1.0 §3.3.3), so they are
 * character references there.  Characters XML 1.0 cannot hold (C0
 * controls but tab and newline, U+FFFE, U+FFFF), carriage returns and
 * bytes that are no UTF-8 are left out.
 */
void
pia_buf_put_xml(struct pia_buf *b, const char *s, int attr)
{
	size_t k, len = s ? strlen(s) : 0;
	uint32_t c;

	while (len > 0) {
		if ((k = pia_utf8_decode(s, len, &c)) == 0) {
			s++;
			len--;
			continue;
		}
		if (c == '&')
			pia_buf_puts(b, "&amp;");
		else if (c == '<')
			pia_buf_puts(b, "&lt;");
		else if (c == '>')
			pia_buf_puts(b, "&gt;");
		else if (c == '"' && attr)
			pia_buf_puts(b, "&quot;");
		else if (c == '\n' && attr)
			pia_buf_puts(b, "&#10;");
		else if (c == '\t' && attr)
			pia_buf_puts(b, "&#9;");
		else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0xFFFE || c == 0xFFFF)
			;
		else
			pia_buf_put(b, s, k);
		s += k;
		len -= k;
	}
}
