/*
 * Unit tests for the 和暦 module (include/wareki.h): every parse error kind
 * with inputs that trip it and inputs that pass, era boundaries on both
 * sides, full-width digits and spaces, Excel serials, formatting and its
 * round trip over every day since 明治, and the calendar arithmetic.
 */
#include <limits.h>

#include "unit.h"
#include "wareki.h"

#define D	PIA_WAREKI_DATE
#define YM	PIA_WAREKI_YEARMONTH

static const char *
err_name(enum pia_wareki_err e)
{
	switch (e) {
	case PIA_WAREKI_OK:		return "OK";
	case PIA_WAREKI_GANNEN:		return "GANNEN";
	case PIA_WAREKI_EMPTY:		return "EMPTY";
	case PIA_WAREKI_SYNTAX:		return "SYNTAX";
	case PIA_WAREKI_SERIAL:		return "SERIAL";
	case PIA_WAREKI_GREGORIAN:	return "GREGORIAN";
	case PIA_WAREKI_FISCAL:		return "FISCAL";
	case PIA_WAREKI_NODAY:		return "NODAY";
	case PIA_WAREKI_IMPOSSIBLE:	return "IMPOSSIBLE";
	case PIA_WAREKI_ERA:		return "ERA";
	}
	return "?";
}

/*
 * One parse case: the result and the date (0-0-0 when the parser must
 * zero *out).  Reports the caller's line, which EXPECT cannot do here.
 */
#define PARSE(s, want, err, y, m, d) parse_case(__LINE__, (s), (want), (err), (y), (m), (d))

static void
parse_case(int line, const char *s, enum pia_wareki_want want,
    enum pia_wareki_err err, int y, int m, int d)
{
	struct pia_date		 out = { -7, -7, -7 };	/* must be overwritten */
	enum pia_wareki_err	 got;

	got = pia_wareki_parse(s, want, &out);
	if (got == err && out.year == y && out.month == m && out.day == d) {
		unit_pass++;
		return;
	}
	unit_fail++;
	fprintf(stderr, "%s:%d: FAIL: parse \"%s\" = %s %d-%d-%d, want %s %d-%d-%d\n",
	    __FILE__, line, s ? s : "(null)", err_name(got), out.year, out.month, out.day,
	    err_name(err), y, m, d);
}

#define FMT(y, m, d, want) fmt_case(__LINE__, (y), (m), (d), (want))

static void
fmt_case(int line, int y, int m, int d, const char *want)
{
	struct pia_date	 dt = { y, m, d };
	char		 buf[64];
	const char	*got;

	got = pia_wareki_format(&dt, buf, sizeof(buf));
	if (want == NULL ? got == NULL : got != NULL && strcmp(got, want) == 0) {
		unit_pass++;
		return;
	}
	unit_fail++;
	fprintf(stderr, "%s:%d: FAIL: format %d-%d-%d = \"%s\", want \"%s\"\n",
	    __FILE__, line, y, m, d, got ? got : "(null)", want ? want : "(null)");
}

static struct pia_date
mk(int y, int m, int d)
{
	struct pia_date	 r = { y, m, d };

	return r;
}

static long
days(int y1, int m1, int d1, int y2, int m2, int d2)
{
	struct pia_date	 a = mk(y1, m1, d1), b = mk(y2, m2, d2);

	return pia_date_days(&a, &b);
}

static int
cmp(int y1, int m1, int d1, int y2, int m2, int d2)
{
	struct pia_date	 a = mk(y1, m1, d1), b = mk(y2, m2, d2);
	int		 c = pia_date_cmp(&a, &b);

	return c < 0 ? -1 : c > 0;
}

static int
valid(int y, int m, int d)
{
	struct pia_date	 a = mk(y, m, d);

	return pia_date_valid(&a);
}

/* A naive month length, independent of the module's. */
static int
month_len(int y, int m)
{
	if (m == 2)
		return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28;
	return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
}

static void
test_ok(void)
{
	PARSE("令和7年7月25日", D, PIA_WAREKI_OK, 2025, 7, 25);
	PARSE("令和元年5月1日", D, PIA_WAREKI_OK, 2019, 5, 1);
	PARSE("平成28年4月28日", D, PIA_WAREKI_OK, 2016, 4, 28);
	PARSE("平成27年10月30日", D, PIA_WAREKI_OK, 2015, 10, 30);
	PARSE("令和6年12月27日", D, PIA_WAREKI_OK, 2024, 12, 27);
	PARSE("令和07年07月05日", D, PIA_WAREKI_OK, 2025, 7, 5);
	PARSE("令和100年1月1日", D, PIA_WAREKI_OK, 2118, 1, 1);
	/* A full date is fine where a year-month is asked for. */
	PARSE("令和7年7月25日", YM, PIA_WAREKI_OK, 2025, 7, 25);
	PARSE("平成27年6月", YM, PIA_WAREKI_OK, 2015, 6, 0);

	/* Leap days by the Gregorian rules. */
	PARSE("令和6年2月29日", D, PIA_WAREKI_OK, 2024, 2, 29);
	PARSE("平成12年2月29日", D, PIA_WAREKI_OK, 2000, 2, 29);
	PARSE("平成8年2月29日", D, PIA_WAREKI_OK, 1996, 2, 29);

	/* Full-width digits and spaces. */
	PARSE("令和７年７月２５日", D, PIA_WAREKI_OK, 2025, 7, 25);
	PARSE("令和元年１２月３１日", D, PIA_WAREKI_OK, 2019, 12, 31);
	PARSE("令和7年１0月2日", D, PIA_WAREKI_OK, 2025, 10, 2);
	PARSE("令和 7年 7月 25日", D, PIA_WAREKI_OK, 2025, 7, 25);
	PARSE("令和　7年　7月　25日", D, PIA_WAREKI_OK, 2025, 7, 25);
	PARSE("令和 7 年 7 月 25 日", D, PIA_WAREKI_OK, 2025, 7, 25);
	PARSE("令和 元 年 5 月 1 日", D, PIA_WAREKI_OK, 2019, 5, 1);
	PARSE("　令和7年7月25日　", D, PIA_WAREKI_OK, 2025, 7, 25);
	PARSE(" \t令和7年7月25日\r\n", D, PIA_WAREKI_OK, 2025, 7, 25);
	PARSE("　 平成27年6月 　", YM, PIA_WAREKI_OK, 2015, 6, 0);

	/* *out may be NULL. */
	EXPECT_INT(pia_wareki_parse("令和7年7月25日", D, NULL), PIA_WAREKI_OK);
	EXPECT_INT(pia_wareki_parse("令和2年度", D, NULL), PIA_WAREKI_FISCAL);
}

static void
test_era_boundaries(void)
{
	/* 平成 → 令和 */
	PARSE("平成31年4月30日", D, PIA_WAREKI_OK, 2019, 4, 30);
	PARSE("令和元年5月1日", D, PIA_WAREKI_OK, 2019, 5, 1);
	PARSE("平成31年5月1日", D, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("令和元年4月30日", D, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("令和元年4月1日", D, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("平成32年1月1日", D, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("平成31年6月1日", D, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("令和0年5月1日", D, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("平成31年4月", YM, PIA_WAREKI_OK, 2019, 4, 0);
	PARSE("令和元年5月", YM, PIA_WAREKI_OK, 2019, 5, 0);
	PARSE("令和元年4月", YM, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("平成31年5月", YM, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("平成31年6月", YM, PIA_WAREKI_ERA, 0, 0, 0);

	/* 昭和 → 平成: the month of the change belongs to both. */
	PARSE("昭和64年1月7日", D, PIA_WAREKI_OK, 1989, 1, 7);
	PARSE("平成元年1月8日", D, PIA_WAREKI_OK, 1989, 1, 8);
	PARSE("昭和64年1月8日", D, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("平成元年1月7日", D, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("昭和65年1月1日", D, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("昭和65年", YM, PIA_WAREKI_SYNTAX, 0, 0, 0);	/* a year alone is no date */
	PARSE("昭和64年1月", YM, PIA_WAREKI_OK, 1989, 1, 0);
	PARSE("平成元年1月", YM, PIA_WAREKI_OK, 1989, 1, 0);
	PARSE("昭和64年2月", YM, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("平成元年12月31日", D, PIA_WAREKI_OK, 1989, 12, 31);
	PARSE("昭和63年12月31日", D, PIA_WAREKI_OK, 1988, 12, 31);

	/* 大正 → 昭和 */
	PARSE("大正15年12月24日", D, PIA_WAREKI_OK, 1926, 12, 24);
	PARSE("昭和元年12月25日", D, PIA_WAREKI_OK, 1926, 12, 25);
	PARSE("大正15年12月25日", D, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("昭和元年12月24日", D, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("昭和元年11月", YM, PIA_WAREKI_ERA, 0, 0, 0);

	/* 明治 → 大正 */
	PARSE("明治45年7月29日", D, PIA_WAREKI_OK, 1912, 7, 29);
	PARSE("大正元年7月30日", D, PIA_WAREKI_OK, 1912, 7, 30);
	PARSE("明治45年7月30日", D, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("大正元年7月29日", D, PIA_WAREKI_ERA, 0, 0, 0);

	/* The start of 明治 */
	PARSE("明治元年1月25日", D, PIA_WAREKI_OK, 1868, 1, 25);
	PARSE("明治元年1月24日", D, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("明治元年1月", YM, PIA_WAREKI_OK, 1868, 1, 0);
	PARSE("明治0年12月", YM, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("明治6年1月1日", D, PIA_WAREKI_OK, 1873, 1, 1);
}

static void
test_gannen(void)
{
	PARSE("令和1年10月1日", D, PIA_WAREKI_GANNEN, 2019, 10, 1);
	PARSE("令和1年11月5日", D, PIA_WAREKI_GANNEN, 2019, 11, 5);
	PARSE("令和１年５月１日", D, PIA_WAREKI_GANNEN, 2019, 5, 1);
	PARSE("令和01年5月1日", D, PIA_WAREKI_GANNEN, 2019, 5, 1);
	PARSE("平成1年1月8日", D, PIA_WAREKI_GANNEN, 1989, 1, 8);
	PARSE("令和1年5月", YM, PIA_WAREKI_GANNEN, 2019, 5, 0);
	/* A worse problem wins over the style warning. */
	PARSE("令和1年4月1日", D, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("令和1年2月30日", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	PARSE("令和1年5月", D, PIA_WAREKI_NODAY, 0, 0, 0);
	/* 元年 and other years are clean. */
	PARSE("令和元年10月1日", D, PIA_WAREKI_OK, 2019, 10, 1);
	PARSE("令和10年10月1日", D, PIA_WAREKI_OK, 2028, 10, 1);
	PARSE("令和11年1月1日", D, PIA_WAREKI_OK, 2029, 1, 1);
}

static void
test_fiscal(void)
{
	PARSE("令和2年度", D, PIA_WAREKI_FISCAL, 0, 0, 0);
	PARSE("令和3年度", D, PIA_WAREKI_FISCAL, 0, 0, 0);
	PARSE("令和元年度", D, PIA_WAREKI_FISCAL, 0, 0, 0);
	PARSE("令和1年度", D, PIA_WAREKI_FISCAL, 0, 0, 0);
	PARSE("令和２年度", D, PIA_WAREKI_FISCAL, 0, 0, 0);
	PARSE("　令和 2 年 度　", D, PIA_WAREKI_FISCAL, 0, 0, 0);
	PARSE("令和2年度", YM, PIA_WAREKI_FISCAL, 0, 0, 0);
	PARSE("平成27年度", YM, PIA_WAREKI_FISCAL, 0, 0, 0);
	PARSE("2025年度", D, PIA_WAREKI_FISCAL, 0, 0, 0);
	PARSE("令和2年度4月1日", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和2年度末", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和2年4月1日", D, PIA_WAREKI_OK, 2020, 4, 1);
}

static void
test_noday(void)
{
	PARSE("令和2年4月", D, PIA_WAREKI_NODAY, 0, 0, 0);
	PARSE("平成27年6月", D, PIA_WAREKI_NODAY, 0, 0, 0);
	PARSE("令和２年４月", D, PIA_WAREKI_NODAY, 0, 0, 0);
	PARSE("2025年7月", D, PIA_WAREKI_NODAY, 0, 0, 0);
	PARSE("2025/7", D, PIA_WAREKI_NODAY, 0, 0, 0);
	/* Worse problems first. */
	PARSE("令和元年4月", D, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("令和2年13月", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	/* The same inputs are what a year-month field wants. */
	PARSE("令和2年4月", YM, PIA_WAREKI_OK, 2020, 4, 0);
	PARSE("2025年7月", YM, PIA_WAREKI_GREGORIAN, 2025, 7, 0);
}

static void
test_impossible(void)
{
	PARSE("令和5年2月30日", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	PARSE("令和5年2月29日", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	PARSE("平成31年2月29日", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	PARSE("明治33年2月29日", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);	/* 1900 */
	PARSE("令和7年13月1日", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	PARSE("令和7年0月1日", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	PARSE("令和7年7月0日", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	PARSE("令和7年7月00日", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	PARSE("令和7年4月31日", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	PARSE("令和7年7月32日", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	PARSE("令和7年7月99999999999999999999日", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	PARSE("令和7年99999999999999999999月1日", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	PARSE("令和99999999999999999999年1月1日", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	PARSE("令和7982年1月1日", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);	/* year 10000 */
	PARSE("令和7981年12月31日", D, PIA_WAREKI_OK, 9999, 12, 31);
	PARSE("令和7年13月", YM, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	PARSE("令和7年0月", YM, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	/* No such day beats outside the era. */
	PARSE("令和元年4月31日", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	/* Gregorian input too. */
	PARSE("2025年2月30日", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	PARSE("2025/13/1", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	PARSE("2023-02-29", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	PARSE("0000/1/1", D, PIA_WAREKI_IMPOSSIBLE, 0, 0, 0);
	PARSE("2024-02-29", D, PIA_WAREKI_GREGORIAN, 2024, 2, 29);
}

static void
test_serial(void)
{
	PARSE("41957", D, PIA_WAREKI_SERIAL, 2014, 11, 14);
	PARSE("42944", D, PIA_WAREKI_SERIAL, 2017, 7, 28);
	PARSE("43010", D, PIA_WAREKI_SERIAL, 2017, 10, 2);
	PARSE("４１９５７", D, PIA_WAREKI_SERIAL, 2014, 11, 14);
	PARSE(" 41957 ", D, PIA_WAREKI_SERIAL, 2014, 11, 14);
	PARSE("　43010　", D, PIA_WAREKI_SERIAL, 2017, 10, 2);
	PARSE("41957", YM, PIA_WAREKI_SERIAL, 2014, 11, 14);
	PARSE("2025", D, PIA_WAREKI_SERIAL, 1905, 7, 17);	/* a bare year is a number too */
	/* Excel's range, and its phantom 1900-02-29. */
	PARSE("1", D, PIA_WAREKI_SERIAL, 1900, 1, 1);
	PARSE("59", D, PIA_WAREKI_SERIAL, 1900, 2, 28);
	PARSE("60", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("61", D, PIA_WAREKI_SERIAL, 1900, 3, 1);
	PARSE("2958465", D, PIA_WAREKI_SERIAL, 9999, 12, 31);
	PARSE("2958466", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("0", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("99999999999999999999999", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("-1", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("41957.5", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("41957 42944", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
}

static void
test_serial_fn(void)
{
	struct pia_date	 d = { 1, 1, 1 };
	long		 s;
	int		 bad = 0;

	EXPECT_INT(pia_date_from_serial(41957, &d), 0);
	EXPECT(d.year == 2014 && d.month == 11 && d.day == 14);
	EXPECT_INT(pia_date_from_serial(0, &d), -1);
	EXPECT(d.year == 0 && d.month == 0 && d.day == 0);
	EXPECT_INT(pia_date_from_serial(60, &d), -1);
	EXPECT_INT(pia_date_from_serial(-5, &d), -1);
	EXPECT_INT(pia_date_from_serial(2958466, &d), -1);
	EXPECT_INT(pia_date_from_serial(43010, NULL), 0);
	EXPECT_INT(pia_date_from_serial(60, NULL), -1);

	/* Every serial from 61 on is 1899-12-30 plus that many days. */
	for (s = 61; s <= 2958465; s += 7) {
		struct pia_date	 base = { 1899, 12, 30 };

		if (pia_date_from_serial(s, &d) != 0 || !pia_date_valid(&d) ||
		    pia_date_days(&base, &d) != s)
			bad++;
	}
	EXPECT_INT(bad, 0);
}

static void
test_gregorian(void)
{
	PARSE("2025年7月25日", D, PIA_WAREKI_GREGORIAN, 2025, 7, 25);
	PARSE("2025/7/25", D, PIA_WAREKI_GREGORIAN, 2025, 7, 25);
	PARSE("2025-07-25", D, PIA_WAREKI_GREGORIAN, 2025, 7, 25);
	PARSE("2025.7.25", D, PIA_WAREKI_GREGORIAN, 2025, 7, 25);
	PARSE("２０２５／７／２５", D, PIA_WAREKI_GREGORIAN, 2025, 7, 25);
	PARSE("２０２５年７月２５日", D, PIA_WAREKI_GREGORIAN, 2025, 7, 25);
	PARSE(" 2025 年 7 月 25 日 ", D, PIA_WAREKI_GREGORIAN, 2025, 7, 25);
	PARSE("2019/4/30", D, PIA_WAREKI_GREGORIAN, 2019, 4, 30);
	PARSE("1868/1/25", D, PIA_WAREKI_GREGORIAN, 1868, 1, 25);
	PARSE("2025/7", YM, PIA_WAREKI_GREGORIAN, 2025, 7, 0);
	PARSE("2025-07", YM, PIA_WAREKI_GREGORIAN, 2025, 7, 0);
	PARSE("2025/7/25", YM, PIA_WAREKI_GREGORIAN, 2025, 7, 25);
	PARSE("1868年1月", YM, PIA_WAREKI_GREGORIAN, 1868, 1, 0);
	/* Dates that no era covers cannot become 和暦. */
	PARSE("1868/1/24", D, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("1800年1月1日", D, PIA_WAREKI_ERA, 0, 0, 0);
	PARSE("1867年12月", YM, PIA_WAREKI_ERA, 0, 0, 0);
	/* Not Gregorian dates. */
	PARSE("2025/7-25", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("25/7/25", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("7/25", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("25年7月25日", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("02025/7/25", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("2025/7/25 0:00", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("2025-07-25T00:00:00", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("2025/", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("2025/7/", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("2025年7月25", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("西暦2025年7月25日", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
}

static void
test_syntax(void)
{
	PARSE("令和七年七月二十五日", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和7年7月二十五日", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和7年7月25日（予定）", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和7年7月25日 予定", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("平成27年6月を予定", YM, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和7年7月25日日", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和7年7月25日x", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和7年7月25", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和7年7月25日\xe6", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和7年", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和7年", YM, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和7", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和年7月1日", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和元元年5月1日", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和元7年5月1日", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和-7年7月1日", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和7年7日", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和7年7月25日7月", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令 和7年7月25日", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和7年7月2 5日", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("7月25日", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("H27.6.1", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("R7.7.25", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("慶応4年1月1日", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("未定", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("(省略)", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("35.0 11", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("abc", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("－", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	/* Truncated UTF-8 must not be read past its end. */
	PARSE("\xef", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("\xef\xbc", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("\xe3\x80", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
	PARSE("令和7年7月2\xef\xbc", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
}

static void
test_empty(void)
{
	PARSE("", D, PIA_WAREKI_EMPTY, 0, 0, 0);
	PARSE("   ", D, PIA_WAREKI_EMPTY, 0, 0, 0);
	PARSE("　", D, PIA_WAREKI_EMPTY, 0, 0, 0);
	PARSE(" \t\r\n　 ", YM, PIA_WAREKI_EMPTY, 0, 0, 0);
	PARSE(NULL, D, PIA_WAREKI_EMPTY, 0, 0, 0);
	PARSE(" x ", D, PIA_WAREKI_SYNTAX, 0, 0, 0);
}

static void
test_format(void)
{
	struct pia_date	 d = { 2025, 7, 25 };
	char		 small[32];

	FMT(2025, 7, 25, "令和7年7月25日");
	FMT(2019, 5, 1, "令和元年5月1日");
	FMT(2019, 12, 31, "令和元年12月31日");
	FMT(2020, 1, 1, "令和2年1月1日");
	FMT(2019, 4, 30, "平成31年4月30日");
	FMT(1989, 1, 7, "昭和64年1月7日");
	FMT(1989, 1, 8, "平成元年1月8日");
	FMT(1926, 12, 24, "大正15年12月24日");
	FMT(1926, 12, 25, "昭和元年12月25日");
	FMT(1912, 7, 29, "明治45年7月29日");
	FMT(1912, 7, 30, "大正元年7月30日");
	FMT(1868, 1, 25, "明治元年1月25日");
	FMT(1873, 1, 1, "明治6年1月1日");
	FMT(9999, 12, 31, "令和7981年12月31日");
	/* Year-months: the era of the first day. */
	FMT(2015, 6, 0, "平成27年6月");
	FMT(2019, 4, 0, "平成31年4月");
	FMT(2019, 5, 0, "令和元年5月");
	FMT(1989, 1, 0, "昭和64年1月");
	FMT(1868, 1, 0, "明治元年1月");
	/* Before 明治, or not a date. */
	FMT(1868, 1, 24, NULL);
	FMT(1867, 12, 0, NULL);
	FMT(1, 1, 1, NULL);
	FMT(2023, 2, 29, NULL);
	FMT(2025, 13, 1, NULL);
	FMT(2025, 0, 0, NULL);
	FMT(2025, 4, 31, NULL);
	FMT(2025, 7, -1, NULL);
	FMT(10000, 1, 1, NULL);

	/* The buffer: exactly enough is enough, less is NULL. */
	EXPECT_STR(pia_wareki_format(&d, small, 20), "令和7年7月25日");	/* 19 bytes + NUL */
	EXPECT(pia_wareki_format(&d, small, 19) == NULL);
	EXPECT(pia_wareki_format(&d, small, 0) == NULL);
	EXPECT(pia_wareki_format(&d, NULL, 64) == NULL);
	EXPECT(pia_wareki_format(NULL, small, sizeof(small)) == NULL);
}

/* format then parse gives back the same date, for every day and month since 明治. */
static void
test_round_trip(void)
{
	struct pia_date		 d, out, prev = { 1868, 1, 24 };
	enum pia_wareki_err	 e;
	char			 buf[64];
	int			 n = 0, bad = 0, y, m, day;

	for (y = 1868; y <= 2200; y++)
		for (m = 1; m <= 12; m++) {
			for (day = 1; day <= month_len(y, m); day++) {
				d = mk(y, m, day);
				if (y == 1868 && m == 1 && day < 25) {
					if (pia_wareki_format(&d, buf, sizeof(buf)) != NULL)
						bad++;
					continue;
				}
				n++;
				if (pia_wareki_format(&d, buf, sizeof(buf)) == NULL) {
					bad++;
					continue;
				}
				e = pia_wareki_parse(buf, PIA_WAREKI_DATE, &out);
				if (e != PIA_WAREKI_OK || pia_date_cmp(&d, &out) != 0 ||
				    out.day != day) {
					if (bad++ < 5)
						fprintf(stderr, "round trip: %s\n", buf);
				}
				if (pia_date_days(&prev, &d) != 1 || pia_date_cmp(&prev, &d) >= 0)
					bad++;
				prev = d;
			}
			d = mk(y, m, 0);
			if (pia_wareki_format(&d, buf, sizeof(buf)) == NULL ||
			    pia_wareki_parse(buf, PIA_WAREKI_YEARMONTH, &out) != PIA_WAREKI_OK ||
			    out.year != y || out.month != m || out.day != 0) {
				if (bad++ < 5)
					fprintf(stderr, "round trip: %d-%d\n", y, m);
			}
		}
	EXPECT_INT(n, 121602);	/* 1868-01-25 … 2200-12-31 */
	EXPECT_INT(bad, 0);
}

static void
test_valid(void)
{
	EXPECT(valid(2024, 2, 29));
	EXPECT(valid(2000, 2, 29));
	EXPECT(!valid(2023, 2, 29));
	EXPECT(!valid(1900, 2, 29));
	EXPECT(!valid(2100, 2, 29));
	EXPECT(valid(2025, 4, 30));
	EXPECT(!valid(2025, 4, 31));
	EXPECT(valid(2025, 4, 0));
	EXPECT(!valid(2025, 4, -1));
	EXPECT(!valid(2025, 0, 1));
	EXPECT(!valid(2025, 13, 1));
	EXPECT(valid(1, 1, 1));
	EXPECT(valid(9999, 12, 31));
	EXPECT(!valid(0, 1, 1));
	EXPECT(!valid(10000, 1, 1));
	EXPECT(!valid(-1, 1, 1));
	EXPECT(!pia_date_valid(NULL));
}

static void
test_cmp(void)
{
	EXPECT_INT(cmp(2025, 7, 25, 2025, 7, 25), 0);
	EXPECT_INT(cmp(2025, 7, 24, 2025, 7, 25), -1);
	EXPECT_INT(cmp(2025, 7, 25, 2025, 7, 24), 1);
	EXPECT_INT(cmp(2019, 4, 30, 2019, 5, 1), -1);
	EXPECT_INT(cmp(2024, 12, 31, 2025, 1, 1), -1);
	EXPECT_INT(cmp(2025, 1, 1, 2024, 12, 31), 1);
	EXPECT_INT(cmp(2025, 2, 1, 2025, 1, 31), 1);
	/* A year-month is its first day. */
	EXPECT_INT(cmp(2019, 4, 0, 2019, 4, 1), 0);
	EXPECT_INT(cmp(2019, 4, 0, 2019, 4, 2), -1);
	EXPECT_INT(cmp(2019, 5, 0, 2019, 4, 30), 1);
	EXPECT_INT(cmp(2015, 6, 0, 2015, 6, 0), 0);
	EXPECT_INT(cmp(2015, 6, 0, 2015, 7, 0), -1);
}

static void
test_days(void)
{
	struct pia_date	 a, b;
	long		 n = 0;
	int		 bad = 0, y, m;

	EXPECT_INT(days(2025, 7, 25, 2025, 7, 25), 0);
	EXPECT_INT(days(2025, 7, 25, 2025, 7, 26), 1);
	EXPECT_INT(days(2025, 7, 26, 2025, 7, 25), -1);
	EXPECT_INT(days(2019, 4, 30, 2019, 5, 1), 1);
	EXPECT_INT(days(2024, 2, 28, 2024, 3, 1), 2);	/* leap */
	EXPECT_INT(days(2023, 2, 28, 2023, 3, 1), 1);
	EXPECT_INT(days(2000, 2, 28, 2000, 3, 1), 2);	/* divisible by 400 */
	EXPECT_INT(days(1900, 2, 28, 1900, 3, 1), 1);	/* by 100, not 400 */
	EXPECT_INT(days(2100, 2, 28, 2100, 3, 1), 1);
	EXPECT_INT(days(2000, 1, 1, 2001, 1, 1), 366);
	EXPECT_INT(days(2023, 1, 1, 2024, 1, 1), 365);
	EXPECT_INT(days(2024, 1, 1, 2025, 1, 1), 366);
	EXPECT_INT(days(1900, 1, 1, 1901, 1, 1), 365);
	EXPECT_INT(days(2020, 1, 1, 2025, 1, 1), 1827);	/* 2020 and 2024 */
	EXPECT_INT(days(1899, 12, 30, 2014, 11, 14), 41957);
	EXPECT_INT(days(1970, 1, 1, 2000, 1, 1), 10957);
	EXPECT_INT(days(1868, 1, 25, 1989, 1, 8), 44178);
	EXPECT_INT(days(2020, 1, 31, 2025, 7, 25), 2002);	/* s:001 V-1 実施日 → 公表日 */
	EXPECT_INT(days(1, 1, 1, 9999, 12, 31), 3652058);
	EXPECT_INT(days(9999, 12, 31, 1, 1, 1), -3652058);
	/* 意見聴取 平成29年8月15日〜9月15日: 31 days, at least 30. */
	EXPECT_INT(days(2017, 8, 15, 2017, 9, 15), 31);

	/* Against a naive count, month by month from 1800 to 2400. */
	a = mk(1800, 1, 1);
	for (y = 1800; y < 2400; y++)
		for (m = 1; m <= 12; m++) {
			b = mk(y, m, 1);
			if (pia_date_days(&a, &b) != n)
				bad++;
			b.day = month_len(y, m);
			if (pia_date_days(&b, &a) != -(n + b.day - 1))
				bad++;
			n += month_len(y, m);
		}
	EXPECT_INT(bad, 0);
}

static void
test_add_years(void)
{
	struct pia_date	 d, r;

	d = mk(2024, 2, 29);
	r = pia_date_add_years(&d, 1);
	EXPECT(r.year == 2025 && r.month == 2 && r.day == 28);
	r = pia_date_add_years(&d, 4);
	EXPECT(r.year == 2028 && r.month == 2 && r.day == 29);
	r = pia_date_add_years(&d, -4);
	EXPECT(r.year == 2020 && r.month == 2 && r.day == 29);
	r = pia_date_add_years(&d, 5);
	EXPECT(r.year == 2029 && r.month == 2 && r.day == 28);
	r = pia_date_add_years(&d, 76);	/* 2100 is not a leap year */
	EXPECT(r.year == 2100 && r.month == 2 && r.day == 28);
	r = pia_date_add_years(&d, 0);
	EXPECT(r.year == 2024 && r.month == 2 && r.day == 29);

	d = mk(2020, 1, 31);	/* the 5-year rule: s:001 */
	r = pia_date_add_years(&d, 5);
	EXPECT(r.year == 2025 && r.month == 1 && r.day == 31);
	d = mk(2025, 7, 25);
	EXPECT(pia_date_cmp(&r, &d) < 0);

	d = mk(2019, 5, 1);
	r = pia_date_add_years(&d, 5);
	EXPECT(r.year == 2024 && r.month == 5 && r.day == 1);
	d = mk(2015, 6, 0);	/* year-month stays one */
	r = pia_date_add_years(&d, 5);
	EXPECT(r.year == 2020 && r.month == 6 && r.day == 0);
	d = mk(2023, 2, 28);
	r = pia_date_add_years(&d, 1);
	EXPECT(r.year == 2024 && r.month == 2 && r.day == 28);

	/* Absurd n saturates instead of overflowing, giving an invalid date. */
	d = mk(2025, 7, 25);
	r = pia_date_add_years(&d, INT_MAX);
	EXPECT(r.year == INT_MAX && !pia_date_valid(&r));
	r = pia_date_add_years(&d, INT_MIN);
	EXPECT(r.year < 0 && !pia_date_valid(&r));
}

int
main(void)
{
	test_ok();
	test_era_boundaries();
	test_gannen();
	test_fiscal();
	test_noday();
	test_impossible();
	test_serial();
	test_serial_fn();
	test_gregorian();
	test_syntax();
	test_empty();
	test_format();
	test_round_trip();
	test_valid();
	test_cmp();
	test_days();
	test_add_years();
	return UNIT_DONE("wareki");
}
