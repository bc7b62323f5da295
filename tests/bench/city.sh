#!/bin/sh
# make bench, issue 20: a generated city of CITY_REPORTS (300) reports of
# about CITY_PAGES (67) pages each, about 20,000 pages in all
# (tests/bench/genreport, seeds 1…N, the example city's site.xml), kept in
# build/bench/city/ between runs.  Measures with PIA (build/release/bin/pia):
#   - a full build with -j 1 and with -j 2 (wall time, and the speed-up);
#   - the rebuild after one edit of one report, against the build of that
#     report alone (a content folder with it only);
#   - the search (tests/bench/search.js): the first load's script bytes, and
#     per query the bytes loaded and the time to the first results.
# Nothing here is part of make check.  Needs chromium and make test-tools
# for the search part (skipped without them).
#
# Usage: sh tests/bench/city.sh [PIA]
set -eu
cd "$(dirname "$0")/../.."
PIA=${1:-build/release/bin/pia}
N=${CITY_REPORTS:-300}
P=${CITY_PAGES:-67}
OUT=build/bench/city
SRC=$OUT/content-$N-$P
NM=build/npm/node_modules

now() { date +%s.%N; }
since() { echo "$(now) $1" | awk '{ printf "%.2f", $1 - $2 }'; }
# CPU seconds (user + system) of a command, when /usr/bin/time is there:
# on a shared machine the wall time also counts the waits for a core.
cpu() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%U %S' -o "$OUT/cpu" "$@" >/dev/null
		awk '{ printf "%.2f", $1 + $2 }' "$OUT/cpu"
	else
		"$@" >/dev/null
		echo "?"
	fi
}

mkdir -p "$OUT"
[ -x "$PIA" ] || [ "$PIA" != build/release/bin/pia ] || CFLAGS="-O2" make -s BUILD=build/release all
if [ ! -f "$SRC/.complete" ]; then
	echo "== generating a city of $N reports of about $P pages ($SRC)"
	rm -rf "$SRC"
	mkdir -p "$SRC/reports"
	cp content/site.xml "$SRC/"
	seq 1 "$N" | xargs -P 2 -I{} sh -c \
	    'python3 tests/bench/genreport --seed {} --pages '"$P"' "'"$SRC"'/reports/$(printf %03d {})-r" >/dev/null'
	touch "$SRC/.complete"
fi

site=$OUT/site
echo "== full build, -j 1 and -j 2"
rm -rf "$site"
t=$(now); "$PIA" build -j 1 "$SRC" -o "$site" >/dev/null; j1=$(since "$t")
rm -rf "$site"
t=$(now); "$PIA" build -j 2 "$SRC" -o "$site" >/dev/null; j2=$(since "$t")
pages=$(for f in "$site"/*/*.pdf; do pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ { print $2 }'; done |
    awk '{ s += $1 } END { print s + 0 }')
echo "city: $N reports, $pages pages; full build -j 1 ${j1} s, -j 2 ${j2} s," \
    "speed-up $(echo "$j1 $j2" | awk '{ printf "%.2f", $1 / $2 }')x"

echo "== rebuild after one edit"
t=$(now); "$PIA" build "$SRC" -o "$site" >/dev/null; same=$(since "$t")
one=$SRC/reports/$(printf %03d $((N / 2)))-r
md=$(ls "$one"/sections/*.md | head -1)
cp "$md" "$OUT/edit.bak"
printf '\n追記：この段落は make bench が加えました。\n' >>"$md"
t=$(now); "$PIA" build "$SRC" -o "$site" >/dev/null; edit=$(since "$t")
cp "$OUT/edit.bak" "$md"
rm -rf "$OUT/one" "$OUT/one-site"
mkdir -p "$OUT/one/reports"
cp "$SRC/site.xml" "$OUT/one/"
cp -R "$one" "$OUT/one/reports/"
t=$(now); "$PIA" build -j 1 "$OUT/one" -o "$OUT/one-site" >/dev/null; alone=$(since "$t")
# The site is rebuilt once more so that it matches the sources again.
"$PIA" build "$SRC" -o "$site" >/dev/null
echo "city: rebuild with nothing changed ${same} s; after one edit ${edit} s;" \
    "that report alone ${alone} s; ratio $(echo "$edit $alone" | awk '{ printf "%.2f", $1 / $2 }')"
# The same in CPU time.
printf '\n追記：この段落は make bench が加えました（CPU）。\n' >>"$md"
edit_cpu=$(cpu "$PIA" build "$SRC" -o "$site")
cp "$OUT/edit.bak" "$md"
rm -rf "$OUT/one-site"
alone_cpu=$(cpu "$PIA" build -j 1 "$OUT/one" -o "$OUT/one-site")
"$PIA" build "$SRC" -o "$site" >/dev/null
echo "city: CPU seconds: after one edit ${edit_cpu}; that report alone ${alone_cpu};" \
    "ratio $(echo "$edit_cpu $alone_cpu" | awk '$2 > 0 { printf "%.2f", $1 / $2; next } { print "?" }')"

if [ -d "$NM/playwright-core" ] && [ -x /usr/bin/chromium ]; then
	echo "== search"
	node tests/bench/search.js "$NM" "$site"
else
	echo "city: search not measured (make test-tools, chromium)"
fi
