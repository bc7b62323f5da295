/*
 * Growable byte buffers: renderers write into these, and the caller
 * decides where the bytes go (a file, the preview server, a test).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void
grow(struct pia_buf *b, size_t more)
{
	size_t need = b->len + more + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->data = xrealloc(b->data, b->cap);
}

void
pia_buf_put(struct pia_buf *b, const char *s, size_t n)
{
	grow(b, n);
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
pia_buf_puts(struct pia_buf *b, const char *s)
{
	pia_buf_put(b, s, strlen(s));
}

void
pia_buf_putc(struct pia_buf *b, char c)
{
	pia_buf_put(b, &c, 1);
}

void
pia_buf_printf(struct pia_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
pia_buf_put_cp(struct pia_buf *b, uint32_t cp)
{
	char s[4];

	if (cp < 0x80) {
		s[0] = (char)cp;
		pia_buf_put(b, s, 1);
	} else if (cp < 0x800) {
		s[0] = (char)(0xC0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3F));
		pia_buf_put(b, s, 2);
	} else if (cp < 0x10000) {
		s[0] = (char)(0xE0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[2] = (char)(0x80 | (cp & 0x3F));
		pia_buf_put(b, s, 3);
	} else {
		s[0] = (char)(0xF0 | (cp >> 18));
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[3] = (char)(0x80 | (cp & 0x3F));
		pia_buf_put(b, s, 4);
	}
}

char *
pia_buf_take(struct pia_buf *b)
{
	char *p = b->data;

	if (p == NULL)
		p = xstrdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void
pia_buf_free(struct pia_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/*
 * The seal's hash of p[0..n): eight bytes at a time, a multiply and a
 * xorshift (each step one-to-one, so any change of a byte changes it),
 * FNV-1a on the rest.  A rebuild of a city checks tens of megabytes of
 * cache with it; byte-wise FNV-1a was a good part of that rebuild.
 */
static unsigned long long
seal_hash(const char *p, size_t n)
{
	uint64_t h = 0xCBF29CE484222325ULL, w;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
		h ^= h >> 29;
	}
	for (; n > 0; p++, n--)
		h = (h ^ (unsigned char)*p) * 0x100000001B3ULL;
	return h;
}

void
pia_buf_seal(struct pia_buf *b, size_t from)
{
	unsigned long long h = seal_hash(b->data ? b->data + from : "", b->len - from);

	pia_buf_printf(b, "end %016llx\n", h);
}

size_t
pia_unseal(const char *p, size_t len)
{
	char want[PIA_SEAL_LEN + 1];

	if (p == NULL || len < PIA_SEAL_LEN)
		return (size_t)-1;
	len -= PIA_SEAL_LEN;
	snprintf(want, sizeof(want), "end %016llx\n", seal_hash(p, len));
	return memcmp(p + len, want, PIA_SEAL_LEN) == 0 ? len : (size_t)-1;
}
