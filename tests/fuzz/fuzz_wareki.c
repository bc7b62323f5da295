/*
 * libFuzzer target: the 和暦 parser (model/wareki.c) in each of its modes,
 * and, for what it accepts, formatting back and date arithmetic.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "wareki.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size), buf[128];
	static const enum pia_wareki_want wants[] = {
		PIA_WAREKI_DATE, PIA_WAREKI_YEARMONTH
	};
	enum pia_wareki_err e;
	struct pia_date dt, later, serial;
	size_t i;

	for (i = 0; i < sizeof(wants) / sizeof(wants[0]); i++) {
		memset(&dt, 0, sizeof(dt));
		e = pia_wareki_parse(s, wants[i], &dt);
		/* These four fill in the date they understood. */
		if (e != PIA_WAREKI_OK && e != PIA_WAREKI_GANNEN && e != PIA_WAREKI_SERIAL &&
		    e != PIA_WAREKI_GREGORIAN)
			continue;
		pia_wareki_format(&dt, buf, sizeof(buf));
		if (pia_date_valid(&dt)) {
			later = pia_date_add_years(&dt, 5);
			(void)pia_date_cmp(&dt, &later);
			(void)pia_date_days(&dt, &later);
		}
	}
	if (size >= 4) {
		long serial_no = (long)((uint32_t)data[0] | (uint32_t)data[1] << 8 |
		    (uint32_t)data[2] << 16 | (uint32_t)data[3] << 24);
		if (pia_date_from_serial(serial_no, &serial) == 0)
			pia_wareki_format(&serial, buf, sizeof(buf));
	}
	free(s);
	return 0;
}
