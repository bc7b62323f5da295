/*
 * The one safe XML reader of pia (generator/load/xmlsafe.c).  Every XML
 * file pia reads goes through it: sources, 様式 files, the lint and
 * change-word data compiled in, and theme templates.  The rules
 * (libs.md §6.2): a size limit; UTF-8 only; a DOCTYPE is refused before
 * libxml2 sees the bytes; no more than PIA_MAX_ATTRS attributes on an
 * element, counted before libxml2's quadratic duplicate check runs;
 * XML_PARSE_NONET only (never NOENT or HUGE); nesting depth and value
 * length limits.  Problems go to the sink as file:line:col messages.
 * May be included by any module that reads XML; it brings in libxml2's
 * tree.h.
 */
#ifndef PIA_XMLSAFE_H
#define PIA_XMLSAFE_H

#include <stddef.h>

#include <libxml/tree.h>

#include "pia.h"

struct pia_diag;

/* Options of pia_xml_read. */
#define PIA_XML_HTML_DOCTYPE	0x1	/* allow exactly "<!DOCTYPE html>" (templates) */

/* An XML file read safely, with what is needed to give line:col positions. */
struct pia_xfile {
	char		*path;		/* as shown in messages */
	char		*buf;
	size_t		 len;
	size_t		*lines;		/* byte offset of each line start; lines[0] = line 1 */
	size_t		 nlines;
	xmlDocPtr	 doc;
};

/*
 * Read path (or, when mem is not NULL, the len bytes at mem under that
 * name) by the rules above; opts is 0 or PIA_XML_HTML_DOCTYPE.  Problems
 * go to the sink; returns NULL when there is no usable tree.  Caller frees
 * with pia_xfile_free.
 */
struct pia_xfile *pia_xml_read(struct pia_diag *, const char *path, const char *mem,
		    size_t len, unsigned opts);
/* pia_xml_read with opts 0. */
struct pia_xfile *pia_xfile_read(struct pia_diag *, const char *path, const char *mem, size_t len);
void		 pia_xfile_free(struct pia_xfile *);

/*
 * For readers that need no positions: the document alone (caller frees
 * with xmlFreeDoc), or NULL with the problems in the sink.
 */
xmlDocPtr	 pia_xml_doc(struct pia_diag *, const char *path, const char *mem,
		    size_t len, unsigned opts);

/* Position of element n: its line, and the column of its "<name" on that line. */
struct pia_pos	 pia_xfile_pos(const struct pia_xfile *, xmlNodePtr n);
/* Position of byte offset off. */
struct pia_pos	 pia_xfile_offpos(const struct pia_xfile *, size_t off);

#endif
