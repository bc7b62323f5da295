/*
 * 和暦 dates: parse and print 令和7年7月25日, 令和元年, year-month
 * (平成27年6月), convert to and from the Gregorian calendar, and explain
 * what is wrong with a date a person typed (domain.md §5.2, §6 A).
 * Pure functions, no diagnostics sink: callers turn pia_wareki_err into messages.
 * May be included by any file of pia.
 */
#ifndef PIA_WAREKI_H
#define PIA_WAREKI_H

/* A calendar date.  day is 0 for a year-month. */
struct pia_date {
	int	year;	/* Gregorian */
	int	month;	/* 1–12 */
	int	day;	/* 1–31, or 0 */
};

/* What to accept. */
enum pia_wareki_want {
	PIA_WAREKI_DATE,	/* 令和7年7月25日 */
	PIA_WAREKI_YEARMONTH,	/* 平成27年6月 (a full date is accepted too) */
};

enum pia_wareki_err {
	PIA_WAREKI_OK,
	PIA_WAREKI_GANNEN,	/* valid, but written 令和1年: official usage is 元年 (warning; *out is set) */
	PIA_WAREKI_EMPTY,	/* nothing but white space */
	PIA_WAREKI_SYNTAX,	/* not a 和暦 date at all */
	PIA_WAREKI_SERIAL,	/* a bare number, probably an Excel serial: *out holds the date it meant */
	PIA_WAREKI_GREGORIAN,	/* 2025年7月25日 or 2025-07-25: *out is set, the report wants 和暦 */
	PIA_WAREKI_FISCAL,	/* 令和2年度: a fiscal year where a date is due */
	PIA_WAREKI_NODAY,	/* 令和2年4月 where a full date is due */
	PIA_WAREKI_IMPOSSIBLE,	/* no such day: 2月30日, 13月, 0日 */
	PIA_WAREKI_ERA,		/* outside its era: 平成32年…, 令和元年4月1日, 昭和65年;
				   also a Gregorian date before 明治 (1868-01-25) */
};

/*
 * Parse s (UTF-8; ASCII or full-width digits; surrounding white space
 * ignored; eras 明治 大正 昭和 平成 令和).  Returns PIA_WAREKI_OK or a
 * problem; *out is filled whenever the meaning is clear (OK, GANNEN,
 * SERIAL, GREGORIAN), otherwise zeroed.
 *
 * Accepted: ERA N年 M月 [D日] with N a number or 元, ASCII or ideographic
 * spaces allowed between the parts; ERA N年度 (FISCAL); a bare number
 * (SERIAL when 1…2958465 but not Excel's phantom 60, else SYNTAX);
 * YYYY年M月[D日], YYYY/M[/D], YYYY-M[-D], YYYY.M[.D] with a four-digit
 * year and one separator throughout, ／－． too (GREGORIAN, or FISCAL for
 * YYYY年度).  Anything else, kanji numerals included, is SYNTAX.  When
 * several things are wrong the first of SYNTAX, FISCAL, IMPOSSIBLE, ERA,
 * NODAY is returned; GANNEN only for an otherwise good date.  A year-month
 * is inside an era when any of its days is (平成31年4月 and 令和元年5月).
 * A NULL s is EMPTY; out may be NULL.
 */
enum pia_wareki_err pia_wareki_parse(const char *s, enum pia_wareki_want, struct pia_date *out);

/*
 * Print d as 和暦 into buf (size ≥ 64): "令和7年7月25日", "令和元年5月1日",
 * "平成27年6月" when day is 0 (named after the era of the month's first
 * day: 1989-01 is 昭和64年1月).  Returns buf, or NULL for a date before
 * 明治, an invalid date, or a buffer too small.
 */
char	*pia_wareki_format(const struct pia_date *d, char *buf, unsigned long size);

/*
 * Gregorian date from an Excel (1900 system) serial: 41957 → 2014-11-14.
 * Returns 0, or -1 (and *out zeroed) outside 1…2958465 and for 60, Excel's
 * nonexistent 1900-02-29.  out may be NULL.
 */
int	 pia_date_from_serial(long serial, struct pia_date *out);

/* 1 when year/month/day (day 0 allowed) is a real Gregorian date in years 1…9999. */
int	 pia_date_valid(const struct pia_date *);

/* <0, 0, >0 like strcmp; a year-month compares as its first day. */
int	 pia_date_cmp(const struct pia_date *, const struct pia_date *);

/* Days from a to b (b − a); both should be full dates (a day 0 counts as the 1st). */
long	 pia_date_days(const struct pia_date *a, const struct pia_date *b);

/* Add n years (for the 5-year rule); 2月29日 becomes 2月28日 in a common year; day 0 stays 0. */
struct pia_date pia_date_add_years(const struct pia_date *, int n);

#endif
