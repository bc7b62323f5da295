/*
 * libxml2's well-formedness errors in the words of city staff.  libxml2
 * speaks English; the mistakes people make by hand in report.xml are few
 * (a tag left open or misspelt, a bare & or <, an unquoted attribute, text after
 * the root, a file cut short), so each has its own row in messages.def,
 * with the place libxml2 found it and, for an element left open, the line
 * of its opening tag; a source saved as UTF-16 or Shift_JIS is named as
 * such.  After one of the structural errors, libxml2's follow-on complaints
 * about the same broken structure are dropped: they only repeat it.
 */
#include <string.h>

#include <libxml/xmlerror.h>

#include "diag.h"
#include "load_int.h"
#include "util.h"

int
pia_source_encoding(struct pia_diag *d, const char *path, const char *buf, size_t len)
{
	struct pia_pos pos = { path, 0, 0 };
	enum pia_enc e;
	size_t skip;

	e = pia_enc_sniff(buf, len, &skip);
	if (e != PIA_ENC_UTF16LE && e != PIA_ENC_UTF16BE && e != PIA_ENC_CP932)
		return 0;
	pia_diag(d, &pos, PIA_MSG_SRC_ENCODING, pia_enc_name(e));
	return -1;
}

int
pia_xml_syntax_diag(struct pia_diag *d, const struct pia_pos *pos, const xmlError *e,
    int *broken)
{
	const char *s1 = e->str1 != NULL ? e->str1 : "";
	const char *s2 = e->str2 != NULL ? e->str2 : "";
	const char *m = e->message != NULL ? e->message : "";

	/* "attributes construct error", "Extra content" …: the first error said it. */
	if (*broken && e->code != XML_ERR_UNDECLARED_ENTITY && e->code != XML_WAR_UNDECLARED_ENTITY)
		return 1;
	switch (e->code) {
	case XML_ERR_TAG_NAME_MISMATCH:
		pia_diag(d, pos, PIA_MSG_XML_UNCLOSED, e->int1, s1, s1, s2);
		break;
	case XML_ERR_TAG_NOT_FINISHED:
		pia_diag(d, pos, PIA_MSG_XML_PREMATURE, e->int1, s1);
		break;
	case XML_ERR_GT_REQUIRED:
		if (strncmp(m, "Couldn't find end of Start Tag", 30) != 0)
			return 0;
		pia_diag(d, pos, PIA_MSG_XML_TAG_END, e->int1, s1);
		break;
	case XML_ERR_DOCUMENT_END:
		pia_diag(d, pos, PIA_MSG_XML_JUNK);
		break;
	case XML_ERR_ATTRIBUTE_NOT_STARTED:
	case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
	case XML_ERR_LT_IN_ATTRIBUTE:
		pia_diag(d, pos, PIA_MSG_XML_ATTR_QUOTE);
		break;
	case XML_ERR_NAME_REQUIRED:
		/* A & that starts no reference: "xmlParseEntityRef: no name". */
		if (strncmp(m, "xmlParseEntityRef", 17) == 0) {
			pia_diag(d, pos, PIA_MSG_XML_AMPERSAND);
			return 1;
		}
		/* A < that starts no tag: "StartTag: invalid element name". */
		if (strncmp(m, "StartTag: invalid element name", 30) != 0)
			return 0;
		pia_diag(d, pos, PIA_MSG_XML_LESS_THAN);
		break;
	default:
		return 0;
	}
	*broken = 1;
	return 1;
}
