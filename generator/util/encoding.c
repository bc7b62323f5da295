/*
 * The encodings Windows and Excel save Japanese text in, recognised so
 * that a source saved in one of them is named (not called "bad UTF-8")
 * and can be converted: UTF-16 with a byte order mark (Excel's 「Unicode
 * テキスト」, Notepad's "Unicode"), LE or BE, and Shift_JIS as Windows
 * writes it (CP932).  Conversion is ICU's, stopping at the first byte
 * that does not belong to the encoding, so nothing turns into mojibake
 * without a word.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include "util.h"

static const char *const icu_names[] = {
	[PIA_ENC_UTF8] = "UTF-8",
	[PIA_ENC_UTF16LE] = "UTF-16LE",
	[PIA_ENC_UTF16BE] = "UTF-16BE",
	[PIA_ENC_CP932] = "windows-31j",
};

static const char *const user_names[] = {
	[PIA_ENC_UTF8] = "UTF-8",
	[PIA_ENC_UTF16LE] = "UTF-16（リトルエンディアン。Excel の「Unicode テキスト」やメモ帳の「UTF-16 LE」）",
	[PIA_ENC_UTF16BE] = "UTF-16（ビッグエンディアン。メモ帳の「UTF-16 BE」）",
	[PIA_ENC_CP932] = "Shift_JIS（CP932。Excel の「CSV」やメモ帳の「ANSI」）",
	[PIA_ENC_UNKNOWN] = "不明",
};

char *
pia_halfwidth_digits(const char *s)
{
	const char *p;
	char *out, *o;

	/* ０…９ are U+FF10…U+FF19: EF BC 90 … EF BC 99. */
	for (p = s; (p = strstr(p, "\xEF\xBC")) != NULL; p += 2)
		if ((unsigned char)p[2] >= 0x90 && (unsigned char)p[2] <= 0x99)
			break;
	if (p == NULL)
		return NULL;
	out = o = xmalloc(strlen(s) + 1);
	for (p = s; *p != '\0';)
		if (memcmp(p, "\xEF\xBC", 2) == 0 && (unsigned char)p[2] >= 0x90 &&
		    (unsigned char)p[2] <= 0x99) {
			*o++ = (char)('0' + ((unsigned char)p[2] - 0x90));
			p += 3;
		} else
			*o++ = *p++;
	*o = '\0';
	return out;
}

const char *
pia_enc_name(enum pia_enc e)
{
	return user_names[e];
}

/* in (len bytes, in encoding e) as UTF-8, NUL-terminated; NULL at a byte not of e. */
char *
pia_enc_to_utf8(const char *in, size_t len, enum pia_enc e, size_t *outlen)
{
	UErrorCode err = U_ZERO_ERROR;
	UConverter *cv;
	UChar *u;
	char *out;
	int32_t nu, n = 0;

	if (e == PIA_ENC_UNKNOWN || len > (size_t)INT32_MAX / 4 ||
	    (cv = ucnv_open(icu_names[e], &err)) == NULL)
		return NULL;
	ucnv_setToUCallBack(cv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &err);
	u = xmalloc((len + 1) * sizeof(*u));
	nu = ucnv_toUChars(cv, u, (int32_t)len + 1, in, (int32_t)len, &err);
	ucnv_close(cv);
	out = xmalloc(len * 3 + 16);
	if (U_SUCCESS(err))
		u_strToUTF8(out, (int32_t)(len * 3 + 16), &n, u, nu, &err);
	free(u);
	if (U_FAILURE(err)) {
		free(out);
		return NULL;
	}
	out[n] = '\0';
	if (outlen != NULL)
		*outlen = (size_t)n;
	return out;
}

enum pia_enc
pia_enc_sniff(const char *s, size_t len, size_t *skip)
{
	const unsigned char *b = (const unsigned char *)s;
	size_t bad, i, zeros_even = 0, zeros_odd = 0;
	char *u;

	*skip = 0;
	if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
		*skip = 2;
		return PIA_ENC_UTF16LE;
	}
	if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
		*skip = 2;
		return PIA_ENC_UTF16BE;
	}
	/* Without a mark: ASCII as UTF-16 has a NUL in every other byte. */
	for (i = 0; i < len && i < 4096; i++)
		if (b[i] == 0 && i % 2)
			zeros_odd++;
		else if (b[i] == 0)
			zeros_even++;
	if (len >= 4 && zeros_odd > len / 8 && zeros_even == 0)
		return PIA_ENC_UTF16LE;
	if (len >= 4 && zeros_even > len / 8 && zeros_odd == 0)
		return PIA_ENC_UTF16BE;
	if (pia_utf8_valid(s, len, &bad))
		return PIA_ENC_UTF8;
	/* UTF-8 text up to a broken byte is broken UTF-8, not Shift_JIS. */
	for (i = 0; i < bad; i++)
		if (b[i] >= 0x80)
			return PIA_ENC_UNKNOWN;
	if (memchr(s, '\0', len) == NULL &&
	    (u = pia_enc_to_utf8(s, len, PIA_ENC_CP932, NULL)) != NULL) {
		free(u);
		return PIA_ENC_CP932;
	}
	return PIA_ENC_UNKNOWN;
}
