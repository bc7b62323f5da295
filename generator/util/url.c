/*
 * The web addresses a city writes in site.xml: only absolute http and
 * https URLs may become links, so that no address from the sources can
 * run script in a page or a feed reader ("javascript:", "data:",
 * "vbscript:", "file:", "//host", or a scheme hidden by blanks, control
 * characters or case, which browsers strip or ignore).  And such an
 * address shown in a one-line message, its control characters visible.
 */
#include <string.h>
#include <strings.h>

#include "util.h"

int
pia_url_is_web(const char *url)
{
	const unsigned char *p;
	size_t n;

	if (url == NULL)
		return 0;
	if (strncasecmp(url, "https://", 8) == 0)
		n = 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		n = 7;
	else
		return 0;
	/* A host must follow: "https:///x" and "https://?q" name none. */
	if (url[n] == '\0' || strchr("/?#@:", url[n]) != NULL)
		return 0;
	/* Nothing a browser would strip or that could end the attribute. */
	for (p = (const unsigned char *)url; *p; p++)
		if (*p <= 0x20 || *p == 0x7F || strchr("\"'<>\\`{}|^", *p) != NULL)
			return 0;
	return 1;
}

char *
pia_str_visible(const char *s)
{
	struct pia_buf b = { 0 };

	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			pia_buf_printf(&b, "<U+%04X>", (unsigned char)*s);
		else
			pia_buf_putc(&b, *s);
	return pia_buf_take(&b);
}
