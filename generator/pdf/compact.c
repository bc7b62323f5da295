/*
 * The finished PDF made compact with libqpdf: libharu 2.3.0 writes
 * PDF 1.3, every small dictionary an object of its own behind a plain
 * cross-reference table.  qpdf rewrites it as PDF 1.5 with object streams
 * and a cross-reference stream; page contents and fonts, already deflated
 * by libharu, are copied as they are (no recompression: fast).  The
 * first /ID stays pia's (a digest of the display list, device.c), the
 * second is qpdf's deterministic one (a digest of the output), and qpdf
 * adds no date, so the same sources still give the same bytes.
 */

#include <stdio.h>
#include <string.h>

#include <qpdf/qpdf-c.h>

#include "pdf_int.h"
#include "util.h"

int
pia_pdf_compact(const unsigned char *pdf, size_t len, unsigned char **out,
    size_t *outlen, char *why, size_t whylen)
{
	qpdf_data	 q;
	qpdf_error	 e;
	int		 rc = -1;

	if ((q = qpdf_init()) == NULL) {
		snprintf(why, whylen, "qpdf");
		return -1;
	}
	/* Errors come back through qpdf_get_error, not on stderr. */
	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	if (qpdf_read_memory(q, "pia.pdf", (const char *)pdf,
	    (unsigned long long)len, NULL) & QPDF_ERRORS)
		goto out;
	*out = NULL;
	if (qpdf_init_write_memory(q) & QPDF_ERRORS)
		goto out;
	qpdf_set_object_stream_mode(q, qpdf_o_generate);
	qpdf_set_deterministic_ID(q, QPDF_TRUE);
	/*
	 * Streams as libharu wrote them (all deflated): qpdf would otherwise
	 * inflate each one to see whether it could do better, which takes
	 * more time than the rest of the rewrite.
	 */
	qpdf_set_stream_data_mode(q, qpdf_s_preserve);
	if (qpdf_write(q) & QPDF_ERRORS)
		goto out;
	/* qpdf's buffer lives until qpdf_cleanup: a copy for the caller. */
	*outlen = qpdf_get_buffer_length(q);
	*out = xmalloc(*outlen ? *outlen : 1);
	memcpy(*out, qpdf_get_buffer(q), *outlen);
	rc = 0;
out:
	if (rc == -1) {
		e = qpdf_get_error(q);
		snprintf(why, whylen, "qpdf: %s",
		    e != NULL ? qpdf_get_error_full_text(q, e) : "?");
	}
	qpdf_cleanup(&q);
	return rc;
}
