/*
 * 和暦 (Japanese era) dates.  Reports write every date as 令和7年7月25日,
 * year 1 as 元年, and 保有開始日 sometimes as a year-month (平成27年6月).
 * The municipal spreadsheets these reports come from are full of near
 * misses: Excel serial numbers (41957), 令和1年, 令和2年度, Gregorian dates,
 * 2月30日, 平成32年.  pia_wareki_parse() reads a date as a person typed it
 * and, when it is not a clean 和暦 date, says which of those mistakes it
 * is and, where the meaning is still clear, what date was meant, so the
 * checker can offer a fix.  The rest is plain calendar arithmetic on the
 * proleptic Gregorian calendar: validity, comparison, day differences,
 * adding years for the 5-year re-assessment rule, Excel serials, and
 * printing a date back as 和暦.
 *
 * Japan kept the lunisolar calendar until 明治5年12月2日 (1872-12-31);
 * dates in 明治1–5 are treated here as Gregorian, which is wrong for
 * history but harmless for documents written since 2014.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "wareki.h"

/*
 * The eras, oldest first.  An era runs from its start to the day before
 * the next one starts.  明治 starts on 1868-01-25 (the first day of
 * 慶応4年, to which the 改元 was made retroactive), so 明治元年 is 1868.
 */
static const struct era {
	const char	*name;
	int		 year, month, day;	/* first day */
} eras[] = {
	{ "明治", 1868, 1, 25 },
	{ "大正", 1912, 7, 30 },
	{ "昭和", 1926, 12, 25 },
	{ "平成", 1989, 1, 8 },
	{ "令和", 2019, 5, 1 },
};
#define NERAS	(int)(sizeof(eras) / sizeof(eras[0]))

/* Excel (1900 system) serials: 1 is 1900-01-01, 2958465 is 9999-12-31. */
#define SERIAL_MAX	2958465L

/* Numbers longer than this are saturated: no valid date part is that big. */
#define NUM_MAX		999999999L

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && is_leap(y))
		return 29;
	return dim[m - 1];
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil): closed form, so no loops over years and no tables.
 */
static long
days_from_civil(long y, int m, int d)
{
	long	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil. */
static void
civil_from_days(long z, struct pia_date *out)
{
	long	era, doe, yoe, y, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	out->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	out->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	out->year = (int)(y + (out->month <= 2));
}

/* Day number of a date, a year-month counting as its first day. */
static long
day_number(const struct pia_date *d)
{
	return days_from_civil(d->year, d->month, d->day == 0 ? 1 : d->day);
}

static long
era_start(int i)
{
	return days_from_civil(eras[i].year, eras[i].month, eras[i].day);
}

/* Day number of the last day of era i; LONG_MAX for the current era. */
static long
era_end(int i)
{
	return i + 1 < NERAS ? era_start(i + 1) - 1 : LONG_MAX;
}

/* The era in force on day number n, or -1 before 明治. */
static int
era_of_day(long n)
{
	int	i;

	for (i = NERAS - 1; i >= 0; i--)
		if (n >= era_start(i))
			return i;
	return -1;
}

int
pia_date_valid(const struct pia_date *d)
{
	/* Four-digit years only: keeps the arithmetic far from overflow. */
	if (d == NULL || d->year < 1 || d->year > 9999)
		return 0;
	if (d->month < 1 || d->month > 12)
		return 0;
	return d->day >= 0 && d->day <= days_in_month(d->year, d->month);
}

int
pia_date_cmp(const struct pia_date *a, const struct pia_date *b)
{
	long	na = day_number(a), nb = day_number(b);

	return na < nb ? -1 : na > nb;
}

long
pia_date_days(const struct pia_date *a, const struct pia_date *b)
{
	return day_number(b) - day_number(a);
}

struct pia_date
pia_date_add_years(const struct pia_date *d, int n)
{
	struct pia_date	 r = *d;
	long long	 y = (long long)d->year + n;

	/* Saturate rather than overflow; the result is then simply invalid. */
	r.year = y > INT_MAX ? INT_MAX : y < INT_MIN ? INT_MIN : (int)y;
	if (r.month == 2 && r.day == 29 && !is_leap(r.year))
		r.day = 28;
	return r;
}

int
pia_date_from_serial(long serial, struct pia_date *out)
{
	struct pia_date	 d;

	/*
	 * Excel believes 1900 was a leap year: serial 60 is the phantom
	 * 1900-02-29, and serials below it count from 1899-12-31, not from
	 * the 1899-12-30 that is right for everything after.
	 */
	if (serial < 1 || serial > SERIAL_MAX || serial == 60) {
		if (out != NULL)
			memset(out, 0, sizeof(*out));
		return -1;
	}
	civil_from_days(days_from_civil(1899, 12, serial < 60 ? 31 : 30) + serial, &d);
	if (out != NULL)
		*out = d;
	return 0;
}

char *
pia_wareki_format(const struct pia_date *d, char *buf, unsigned long size)
{
	struct pia_date	 last;
	char		 year[16];
	int		 i, n;

	if (d == NULL || buf == NULL || size == 0 || !pia_date_valid(d))
		return NULL;
	if (d->day != 0)
		i = era_of_day(day_number(d));
	else {
		/*
		 * A year-month is named after the era of its first day, like
		 * pia_date_cmp; 1868-01 starts before 明治 but ends in it.
		 */
		i = era_of_day(day_number(d));
		if (i < 0) {
			last = *d;
			last.day = days_in_month(d->year, d->month);
			i = era_of_day(day_number(&last));
		}
	}
	if (i < 0)
		return NULL;
	if (d->year == eras[i].year)
		snprintf(year, sizeof(year), "元");
	else
		snprintf(year, sizeof(year), "%d", d->year - eras[i].year + 1);
	if (d->day != 0)
		n = snprintf(buf, size, "%s%s年%d月%d日", eras[i].name, year, d->month, d->day);
	else
		n = snprintf(buf, size, "%s%s年%d月", eras[i].name, year, d->month);
	if (n < 0 || (unsigned long)n >= size)
		return NULL;
	return buf;
}

/*
 * The scanner.  Every helper looks at p, and on a match returns the
 * position just after it; on no match it returns NULL.  People paste
 * dates from spreadsheets and word processors, so digits may be ASCII or
 * full-width (U+FF10–U+FF19) and spaces ASCII or ideographic (U+3000).
 */

/* Length of one white-space character at p, or 0. */
static int
space_len(const char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\v' || *p == '\f')
		return 1;
	if (strncmp(p, "\xe3\x80\x80", 3) == 0)	/* U+3000; strncmp stops at the NUL */
		return 3;
	return 0;
}

static const char *
skip_space(const char *p)
{
	int	n;

	while ((n = space_len(p)) > 0)
		p += n;
	return p;
}

/* Value of one digit at p (its length in *len), or -1. */
static int
digit(const char *p, int *len)
{
	const unsigned char	*u = (const unsigned char *)p;

	if (u[0] >= '0' && u[0] <= '9') {
		*len = 1;
		return u[0] - '0';
	}
	if (u[0] == 0xef && u[1] == 0xbc && u[2] >= 0x90 && u[2] <= 0x99) {
		*len = 3;
		return u[2] - 0x90;
	}
	return -1;
}

/* A run of digits: its value (saturated at NUM_MAX) and how many digits. */
static const char *
number(const char *p, long *val, int *ndigits)
{
	int	d, len;

	*val = 0;
	*ndigits = 0;
	while ((d = digit(p, &len)) >= 0) {
		*val = *val > NUM_MAX / 10 ? NUM_MAX : *val * 10 + d;
		(*ndigits)++;
		p += len;
	}
	return *ndigits > 0 ? p : NULL;
}

/* The literal s at p, with any spaces before it. */
static const char *
lit(const char *p, const char *s)
{
	size_t	n = strlen(s);

	p = skip_space(p);
	return strncmp(p, s, n) == 0 ? p + n : NULL;
}

/* A number with any spaces before it. */
static const char *
num(const char *p, long *val)
{
	int	nd;

	return number(skip_space(p), val, &nd);
}

/* End of input, allowing trailing spaces. */
static int
at_end(const char *p)
{
	return *skip_space(p) == '\0';
}

/* A date separator of the numeric Gregorian forms (2025/7/25, 2025-07-25). */
static const char *
separator(const char *p, const char **which)
{
	static const char	*seps[] = { "/", "-", ".", "／", "－", "．" };
	size_t			 i;
	const char		*q;

	for (i = 0; i < sizeof(seps) / sizeof(seps[0]); i++)
		if ((q = lit(p, seps[i])) != NULL) {
			*which = seps[i];
			return q;
		}
	return NULL;
}

/* What the grammar found, before any calendar check. */
struct parsed {
	int	era;		/* index into eras, or -1 for Gregorian */
	long	year;		/* as written: era year, or Gregorian year */
	long	month, day;	/* day 0 when absent */
	int	has_day;
	int	year_one;	/* era year written as a number equal to 1 */
};

/*
 * Month and optional day after the year: "7月25日", "7月", with spaces
 * allowed between the parts.  Returns 0 unless the input ends there.
 */
static int
month_day(const char *p, struct parsed *r)
{
	if ((p = num(p, &r->month)) == NULL || (p = lit(p, "月")) == NULL)
		return 0;
	if (at_end(p))
		return 1;
	if ((p = num(p, &r->day)) == NULL || (p = lit(p, "日")) == NULL)
		return 0;
	r->has_day = 1;
	return at_end(p);
}

/*
 * Calendar checks on a syntactically good date, in order of what is most
 * useful to tell the writer: a day that cannot exist, a date outside its
 * era, a missing day.  Sets *out on success.
 */
static enum pia_wareki_err
check(const struct parsed *r, enum pia_wareki_want want, struct pia_date *out)
{
	struct pia_date	 d, last;
	long		 y;

	y = r->era >= 0 ? eras[r->era].year + r->year - 1 : r->year;
	if (y < 1 || y > 9999 || r->month < 1 || r->month > 12 || r->day > 31)
		return PIA_WAREKI_IMPOSSIBLE;
	d.year = (int)y;
	d.month = (int)r->month;
	d.day = (int)r->day;
	if ((r->has_day && d.day == 0) || !pia_date_valid(&d))
		return PIA_WAREKI_IMPOSSIBLE;

	/*
	 * A year-month belongs to an era if any of its days does: 平成31年4月
	 * and 令和元年5月 are both right, 令和元年4月 is not.  A Gregorian
	 * date must fall in some era, or it cannot be given as 和暦.
	 */
	last = d;
	if (d.day == 0)
		last.day = days_in_month(d.year, d.month);
	if (r->era >= 0) {
		if (day_number(&last) < era_start(r->era) || day_number(&d) > era_end(r->era))
			return PIA_WAREKI_ERA;
	} else if (day_number(&last) < era_start(0))
		return PIA_WAREKI_ERA;

	if (want == PIA_WAREKI_DATE && !r->has_day)
		return PIA_WAREKI_NODAY;
	*out = d;
	if (r->era < 0)
		return PIA_WAREKI_GREGORIAN;
	return r->year_one ? PIA_WAREKI_GANNEN : PIA_WAREKI_OK;
}

enum pia_wareki_err
pia_wareki_parse(const char *s, enum pia_wareki_want want, struct pia_date *out)
{
	struct pia_date	 dummy, *o = out != NULL ? out : &dummy;
	struct parsed	 r;
	const char	*p, *q, *sep, *sep2;
	long		 n;
	int		 i, nd;

	memset(o, 0, sizeof(*o));
	memset(&r, 0, sizeof(r));
	r.era = -1;
	if (s == NULL || at_end(s))
		return PIA_WAREKI_EMPTY;
	p = skip_space(s);

	for (i = 0; i < NERAS; i++)
		if ((q = lit(p, eras[i].name)) != NULL)
			break;
	if (i < NERAS) {
		/* 令和7年7月25日, 令和元年5月1日, 令和2年度 */
		r.era = i;
		if ((p = lit(q, "元")) != NULL)
			r.year = 1;
		else if ((p = num(q, &r.year)) != NULL)
			r.year_one = r.year == 1;
		else
			return PIA_WAREKI_SYNTAX;
		if ((p = lit(p, "年")) == NULL)
			return PIA_WAREKI_SYNTAX;
		if ((q = lit(p, "度")) != NULL)
			return at_end(q) ? PIA_WAREKI_FISCAL : PIA_WAREKI_SYNTAX;
		if (!month_day(p, &r))
			return PIA_WAREKI_SYNTAX;
		return check(&r, want, o);
	}

	if ((p = number(p, &n, &nd)) == NULL)
		return PIA_WAREKI_SYNTAX;
	if (at_end(p)) {
		/* A bare number: what Excel stores when a date cell loses its format. */
		return pia_date_from_serial(n, o) == 0 ? PIA_WAREKI_SERIAL : PIA_WAREKI_SYNTAX;
	}

	/* Gregorian dates need four-digit years: "25年7月" could be any era. */
	if (nd != 4)
		return PIA_WAREKI_SYNTAX;
	r.year = n;
	if ((q = lit(p, "年")) != NULL) {
		/* 2025年7月25日, 2025年度 */
		if ((p = lit(q, "度")) != NULL)
			return at_end(p) ? PIA_WAREKI_FISCAL : PIA_WAREKI_SYNTAX;
		if (!month_day(q, &r))
			return PIA_WAREKI_SYNTAX;
		return check(&r, want, o);
	}

	/* 2025/7/25, 2025-07-25, 2025/7: one separator throughout. */
	if ((p = separator(p, &sep)) == NULL || (p = num(p, &r.month)) == NULL)
		return PIA_WAREKI_SYNTAX;
	if (!at_end(p)) {
		if ((p = separator(p, &sep2)) == NULL || strcmp(sep, sep2) != 0 ||
		    (p = num(p, &r.day)) == NULL || !at_end(p))
			return PIA_WAREKI_SYNTAX;
		r.has_day = 1;
	}
	return check(&r, want, o);
}
