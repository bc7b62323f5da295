/*
 * Lookup in the table of data files compiled into pia (tools/embed.sh).
 */
#include <string.h>

#include "embed.h"

const struct pia_embedded *
pia_embedded_find(const char *name)
{
	const struct pia_embedded *e;

	for (e = pia_embedded; e->name != NULL; e++)
		if (strcmp(e->name, name) == 0)
			return e;
	return NULL;
}
