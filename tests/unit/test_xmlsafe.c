/*
 * The safe XML reader (include/xmlsafe.h): what its byte pre-scan counts
 * as attributes and elements, and which DOCTYPE a template may keep.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"
#include "xmlsafe.h"
#include "unit.h"

/* The message code of reading s (PIA_MSG__MAX: read without a message). */
static enum pia_msg
read_code(const char *s, unsigned opts)
{
	struct pia_diag *d = pia_diag_new();
	const struct pia_diag_item *it;
	struct pia_xfile *xf;
	enum pia_msg m = PIA_MSG__MAX;

	xf = pia_xml_read(d, "t.xml", s, strlen(s), opts);
	if (pia_diag_items(d, &it) > 0)
		m = it[0].msg;
	if ((xf == NULL) != (m != PIA_MSG__MAX))
		m = PIA_MSG__MAX + 1;	/* a tree with an error, or no tree and no error */
	pia_xfile_free(xf);
	pia_diag_free(d);
	return m;
}

/* "<r><e a0='1' …/></r>" with n attributes written by fmt ("%u"). */
static char *
with_attrs(unsigned n, const char *fmt, const char *around)
{
	struct pia_buf b = { 0 };
	unsigned i;

	pia_buf_puts(&b, "<r>");
	pia_buf_puts(&b, around);
	pia_buf_puts(&b, "<e");
	for (i = 0; i < n; i++) {
		pia_buf_putc(&b, ' ');
		pia_buf_printf(&b, fmt, i);
	}
	pia_buf_puts(&b, "/></r>");
	return pia_buf_take(&b);
}

static char *
with_elements(unsigned n)
{
	struct pia_buf b = { 0 };
	unsigned i;

	pia_buf_puts(&b, "<r>");
	for (i = 1; i < n; i++)
		pia_buf_puts(&b, "<e/>");
	pia_buf_puts(&b, "</r>");
	return pia_buf_take(&b);
}

int
main(void)
{
	char *s;

	s = with_attrs(PIA_MAX_ATTRS, "a%u=\"1\"", "");
	EXPECT_INT(read_code(s, 0), PIA_MSG__MAX);
	free(s);
	s = with_attrs(PIA_MAX_ATTRS + 1, "a%u=\"1\"", "");
	EXPECT_INT(read_code(s, 0), PIA_MSG_LIMIT_ATTRS);
	free(s);
	s = with_attrs(PIA_MAX_ATTRS + 1, "xmlns:p%u='u'", "");
	EXPECT_INT(read_code(s, 0), PIA_MSG_LIMIT_ATTRS);
	free(s);
	/* "=" and ">" inside values count once per attribute. */
	s = with_attrs(PIA_MAX_ATTRS, "a%u=\"x=y>z='\"", "");
	EXPECT_INT(read_code(s, 0), PIA_MSG__MAX);
	free(s);
	/* "=" in comments, CDATA, processing instructions and text is no attribute. */
	s = with_attrs(10, "a%u='1'", "<!-- a=1 b=2 --><![CDATA[ <x a=1> ]]><?pi a=1?>a=b ");
	EXPECT_INT(read_code(s, 0), PIA_MSG__MAX);
	free(s);
	{
		struct pia_buf b = { 0 };
		unsigned i;
		pia_buf_puts(&b, "<r><!-- <e ");
		for (i = 0; i < 1000; i++)
			pia_buf_printf(&b, "a%u='1' ", i);
		pia_buf_puts(&b, "> --></r>");
		EXPECT_INT(read_code(b.data, 0), PIA_MSG__MAX);
		pia_buf_free(&b);
	}

	s = with_elements(PIA_MAX_ELEMENTS);
	EXPECT_INT(read_code(s, 0), PIA_MSG__MAX);
	free(s);
	s = with_elements(PIA_MAX_ELEMENTS + 1);
	EXPECT_INT(read_code(s, 0), PIA_MSG_LIMIT_ELEMENTS);
	free(s);

	/* Templates may keep "<!DOCTYPE html>", nothing more, and sources not even that. */
	EXPECT_INT(read_code("<!DOCTYPE html>\n<html/>", PIA_XML_HTML_DOCTYPE), PIA_MSG__MAX);
	EXPECT_INT(read_code("<!DOCTYPE html >\n<html/>", PIA_XML_HTML_DOCTYPE), PIA_MSG__MAX);
	EXPECT_INT(read_code("<!DOCTYPE html>\n<html/>", 0), PIA_MSG_XML_DOCTYPE);
	EXPECT_INT(read_code("<!DOCTYPE html [<!ENTITY x \"y\">]>\n<html/>",
	    PIA_XML_HTML_DOCTYPE), PIA_MSG_XML_DOCTYPE);
	EXPECT_INT(read_code("<!DOCTYPE html SYSTEM \"file:///etc/passwd\">\n<html/>",
	    PIA_XML_HTML_DOCTYPE), PIA_MSG_XML_DOCTYPE);
	/* A second one is a "<" where no tag may start (libxml2: invalid element name). */
	EXPECT_INT(read_code("<!DOCTYPE html>\n<!DOCTYPE html>\n<html/>",
	    PIA_XML_HTML_DOCTYPE), PIA_MSG_XML_LESS_THAN);

	/* pia_xml_doc hands over the tree alone. */
	{
		struct pia_diag *d = pia_diag_new();
		xmlDocPtr doc = pia_xml_doc(d, "t.xml", "<r a='1'/>", 10, 0);
		EXPECT(doc != NULL && xmlDocGetRootElement(doc) != NULL);
		EXPECT_INT(pia_diag_count(d, PIA_LEVEL_ERROR), 0);
		xmlFreeDoc(doc);
		EXPECT(pia_xml_doc(d, "t.xml", "<r>", 3, 0) == NULL);
		EXPECT(pia_diag_count(d, PIA_LEVEL_ERROR) > 0);
		pia_diag_free(d);
	}
	return UNIT_DONE("xmlsafe");
}
