#!/bin/sh
# make bench: the numbers of issue 11, printed as tables.
#
# Builds pia with the release flags into build/release, generates synthetic
# 全項目 reports (tests/bench/genreport, seed BENCH_SEED) of 120, 250, 500 and
# 1,000 pages into build/bench/, and measures on one core (taskset -c 0 when
# available) the median wall time of BENCH_RUNS runs and the peak memory of:
# pia check, the site of one report, the PDF of one report, the whole example
# city; then WeasyPrint rendering pia's own HTML page of the 120-page report,
# the byte composition of the 120-page PDF, and the serve latency when
# tests/bench/serve-latency.sh exists.  Nothing here is part of make check.
#
# Environment: BENCH_RUNS (5), BENCH_SEED (2: 121 and 1,029 pages today),
# BENCH_WEASY_RUNS (1: WeasyPrint takes minutes on 120 pages),
# BENCH_NO_WEASY=1 skips WeasyPrint, CC (cc).
set -eu
cd "$(dirname "$0")/../.."

RUNS=${BENCH_RUNS:-5}
SEED=${BENCH_SEED:-2}
WRUNS=${BENCH_WEASY_RUNS:-1}
REL=build/release
OUT=build/bench
PIA=$REL/bin/pia
SIZES="120 250 500 1000"

mkdir -p "$OUT"
echo "== release build ($REL, -O2)"
# CFLAGS from the environment replaces the Makefile's "-O2 -g" default and
# keeps its own additions (-std=c11, warnings, includes).
CFLAGS="-O2" make -s BUILD=$REL all
${CC:-cc} -O2 -std=c11 -Wall -Wextra -D_GNU_SOURCE -o "$OUT/measure" tests/bench/measure.c

PIN=""
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
	PIN="taskset -c 0"
fi

echo "== generating reports (genreport --seed $SEED)"
for p in $SIZES; do
	rm -rf "$OUT/r$p"
	python3 tests/bench/genreport --seed "$SEED" --pages "$p" "$OUT/r$p"
	if ! "$PIA" check "$OUT/r$p" >"$OUT/r$p.check" 2>&1; then
		cat "$OUT/r$p.check"
		echo "bench: the generated $p-page report does not check clean" >&2
		exit 1
	fi
done
# A content folder with the 120-page report alone, for pia build.
rm -rf "$OUT/site120"
mkdir -p "$OUT/site120/reports"
cp content/site.xml "$OUT/site120/"
cp -R "$OUT/r120" "$OUT/site120/reports/01-bench"

pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }
bytes() { if [ -d "$1" ]; then find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; else stat -c %s "$1"; fi; }

# measure NAME RUNS CMD… → sets MS (median), KB (peak), MIN (fastest run),
# CPU (median user + system time)
measure() {
	_name=$1 _runs=$2; shift 2
	set -- $(eval "$PIN" '"$OUT/measure"' "$_runs" '"$@"') || true
	if [ "${5:-1}" != 0 ]; then
		echo "bench: $_name failed (exit ${5:-?})" >&2
		exit 1
	fi
	MS=$1 KB=$2 MIN=$3 CPU=$6
}

RESULTS=$OUT/results.txt
: >"$RESULTS"
# row CASE PAGES MS KB BYTES TARGET_MS TARGET_MB TARGET_KB (targets "-" when
# none); the fastest run and the CPU time of the last measure are columns 9
# and 10.
row() {
	echo "$* $MIN $CPU" >>"$RESULTS"
}

echo "== measuring ($RUNS runs each${PIN:+, pinned to CPU 0})"
measure "check city" "$RUNS" "$PIA" check content
row "check-city" - "$MS" "$KB" 0 - - -
measure "check 120p" "$RUNS" "$PIA" check "$OUT/r120"
row "check-120p" - "$MS" "$KB" 0 - - -
for p in $SIZES; do
	measure "pdf ${p}p" "$RUNS" "$PIA" pdf "$OUT/r$p" -o "$OUT/r$p.pdf"
	eval "PDF_MS_$p=\$MS PDF_MIN_$p=\$MIN PDF_CPU_$p=\$CPU"
	np=$(pages "$OUT/r$p.pdf")
	eval "PAGES_$p=\$np"
	if [ "$p" = 120 ]; then
		row "pdf-${p}p" "$np" "$MS" "$KB" "$(bytes "$OUT/r$p.pdf")" 150 64 250
	else
		# Linear in pages from the 120-page targets.
		row "pdf-${p}p" "$np" "$MS" "$KB" "$(bytes "$OUT/r$p.pdf")" \
		    "$(awk -v n="$np" 'BEGIN { printf "%d", 150 * n / 120 }')" \
		    "$(awk -v n="$np" 'BEGIN { printf "%d", 64 * n / 120 }')" -
	fi
done
# Side by side: the same 120-page report without the tagging
# (PIA_PDF_UNTAGGED=1, pia.1 ENVIRONMENT), for what the structure tree costs.
measure "pdf 120p untagged" "$RUNS" env PIA_PDF_UNTAGGED=1 "$PIA" pdf "$OUT/r120" -o "$OUT/r120-untagged.pdf"
UNTAG_MS=$MS UNTAG_MIN=$MIN UNTAG_CPU=$CPU
row "pdf-120p-untagged" "$(pages "$OUT/r120-untagged.pdf")" "$MS" "$KB" "$(bytes "$OUT/r120-untagged.pdf")" - - -
# pia build has no HTML-only mode: the page of one report is measured as
# the site of that report alone minus the PDF it also writes (fastest runs,
# which other load on the machine disturbs least).
measure "site of the 120p report" "$RUNS" "$PIA" build "$OUT/site120" -o "$OUT/site120-out"
SITE_MIN=$MIN SITE_CPU=$CPU
row "site-120p(html+pdf)" "$PAGES_120" "$MS" "$KB" "$(bytes "$OUT/site120-out")" - - -
HTML=$OUT/site120-out/01-bench/index.html
MIN=$(awk -v a="$SITE_MIN" -v b="$PDF_MIN_120" 'BEGIN { d = a - b; printf "%.1f", (d > 0 ? d : 0) }')
CPU=$(awk -v a="$SITE_CPU" -v b="$PDF_CPU_120" 'BEGIN { d = a - b; printf "%.1f", (d > 0 ? d : 0) }')
row "html-120p(site-pdf)" - "$MIN" 0 "$(bytes "$HTML")" - - -
measure "city build" "$RUNS" "$PIA" build content -o "$OUT/city-out"
cp=0
for f in "$OUT"/city-out/*/*.pdf; do
	cp=$((cp + $(pages "$f")))
done
row "city-build" "$cp" "$MS" "$KB" "$(bytes "$OUT/city-out")" 1000 - -

echo
echo "pia $(git rev-parse --short HEAD 2>/dev/null || echo '?') on $(nproc) cores, $(uname -m); median of $RUNS runs${PIN:+, one core};" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
awk '
function verdict(ms, mb, kb, tms, tmb, tkb,   v) {
	v = ""
	if (tms != "-" && ms > tms) v = v " time"
	if (tmb != "-" && mb > tmb) v = v " mem"
	if (tkb != "-" && kb > tkb) v = v " size"
	if (tms == "-" && tmb == "-" && tkb == "-") return "-"
	return v == "" ? "ok" : "MISS" v
}
BEGIN { printf "%-22s %6s %9s %8s %8s %8s %10s  %-26s %s\n", "case", "pages", "wall ms", "min ms", "cpu ms", "peak MB", "bytes", "target", "ok/MISS" }
{
	mb = $4 / 1024; kb = $5 / 1024
	t = ""
	if ($6 != "-") t = t "<=" $6 "ms "
	if ($7 != "-") t = t "<=" $7 "MB "
	if ($8 != "-") t = t "<=" $8 "KB"
	if (t == "") t = "-"
	printf "%-22s %6s %9.1f %8.1f %8.1f %8s %10s  %-26s %s\n", $1, $2, $3, $9, $10, ($4 > 0 ? sprintf("%.1f", mb) : "-"),
	    ($5 > 0 ? $5 : "-"), t, verdict($3, mb, kb, $6, $7, $8)
}' "$RESULTS"

# pia is single-threaded: wall far above CPU time means it waited for the core.
awk '$1 == "pdf-120p" && $3 > 1.5 * $10 { printf "note: the machine is busy (wall %.0f ms for %.0f ms of CPU): compare \"cpu ms\", or run again when idle\n", $3, $10 }' "$RESULTS"

echo
awk -v tc="$PDF_CPU_120" -v uc="$UNTAG_CPU" -v tm="$PDF_MIN_120" -v um="$UNTAG_MIN" \
    -v tb="$(bytes "$OUT/r120.pdf")" -v ub="$(bytes "$OUT/r120-untagged.pdf")" 'BEGIN {
	printf "tagged/untagged, 120 pages: cpu %.0f/%.0f ms = %.2f× (target <= 1.2×), fastest %.0f/%.0f ms = %.2f×, bytes %d/%d = %.2f× (target <= 420 KB: %s)\n",
	    tc, uc, tc / uc, tm, um, tm / um, tb, ub, tb / ub, (tb <= 420 * 1024 ? "ok" : "MISS") }'

echo
echo "linearity of pia pdf (per page, fastest runs, relative to the 120-page case)"
printf '%-8s %8s %10s %10s %12s %8s\n' pages "ms/page" "KB peak/p" "bytes/page" "ms/p ratio" "verdict"
for p in $SIZES; do
	awk -v p="pdf-${p}p" -v base="pdf-120p" '
	$1 == base { bms = $9 / $2 }
	$1 == p { n = $2; ms = $9; kb = $4; by = $5 }
	END {
		r = (ms / n) / bms
		printf "%-8d %8.2f %10.1f %10d %12.2f %8s\n", n, ms / n, kb / n, by / n, r, (r <= 1.25 ? "linear" : "MISS")
	}' "$RESULTS"
done

echo
echo "bytes of the 120-page PDF"
python3 tests/bench/pdfbytes.py "$OUT/r120.pdf"

echo
if [ -z "${BENCH_NO_WEASY:-}" ]; then
	if ! command -v weasyprint >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "== installing WeasyPrint (tests/bench/debian-packages.txt)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		    $(cat tests/bench/debian-packages.txt) >"$OUT/apt.log" 2>&1 || true
	fi
	if command -v weasyprint >/dev/null 2>&1; then
		measure "weasyprint" "$WRUNS" weasyprint "$HTML" "$OUT/weasy120.pdf"
		wp=$(pages "$OUT/weasy120.pdf")
		wb=$(bytes "$OUT/weasy120.pdf")
		pb=$(bytes "$OUT/r120.pdf")
		echo "WeasyPrint $(weasyprint --version 2>/dev/null | awk '{ print $NF }') on pia's HTML page of the 120-page report (median of $WRUNS)"
		printf '%-22s %6s %10s %8s %10s\n' tool pages "wall ms" "peak MB" bytes
		printf '%-22s %6s %10.1f %8.1f %10s\n' "pia pdf" "$PAGES_120" "$PDF_MS_120" \
		    "$(awk '$1 == "pdf-120p" { print $4 / 1024 }' "$RESULTS")" "$pb"
		printf '%-22s %6s %10.1f %8.1f %10s\n' weasyprint "$wp" "$MS" "$(awk -v k="$KB" 'BEGIN { print k / 1024 }')" "$wb"
		awk -v w="$MS" -v p="$PDF_MS_120" -v wb="$wb" -v pb="$pb" 'BEGIN {
			printf "ratio weasyprint/pia: time %.1f×, bytes %.2f×\n", w / p, wb / pb }'
	else
		echo "WeasyPrint: not installed (apt-get install weasyprint as root); skipped"
	fi
fi

if [ -x tests/bench/serve-latency.sh ] || [ -f tests/bench/serve-latency.sh ]; then
	echo
	echo "== serve latency (tests/bench/serve-latency.sh)"
	sh tests/bench/serve-latency.sh "$PIA" || echo "serve-latency.sh failed (exit $?)"
fi
