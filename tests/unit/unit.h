/*
 * A very small unit-test harness: each tests/unit/test_*.c is one program.
 * EXPECT counts a failure and goes on; main returns the failure count.
 * The last line printed is "NAME: N passed, N failed", which tests/run.sh adds up.
 */
#ifndef PIA_UNIT_H
#define PIA_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_pass, unit_fail;

#define EXPECT(cond) do { \
	if (cond) unit_pass++; \
	else { unit_fail++; fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define EXPECT_STR(got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	if (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0) unit_pass++; \
	else { unit_fail++; fprintf(stderr, "%s:%d: FAIL: got \"%s\", want \"%s\"\n", \
	    __FILE__, __LINE__, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } \
} while (0)

#define EXPECT_INT(got, want) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	if (g_ == w_) unit_pass++; \
	else { unit_fail++; fprintf(stderr, "%s:%d: FAIL: %s = %lld, want %lld\n", \
	    __FILE__, __LINE__, #got, g_, w_); } \
} while (0)

#define UNIT_DONE(name) \
	(printf("%s: %d passed, %d failed\n", (name), unit_pass, unit_fail), unit_fail != 0)

#endif
