/*
 * Data files compiled into the binary (tools/embed.sh): the 様式 definitions
 * and the schemas.  Used by the form and site loaders only.
 */
#ifndef PIA_EMBED_H
#define PIA_EMBED_H

#include <stddef.h>

struct pia_embedded {
	const char	*name;	/* base name, "form4.xml" */
	const char	*data;
	size_t		 len;
};

/* Terminated by an entry with name NULL. */
extern const struct pia_embedded pia_embedded[];

/* The embedded file of that base name, or NULL. */
const struct pia_embedded *pia_embedded_find(const char *name);

#endif
