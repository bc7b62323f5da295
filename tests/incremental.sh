#!/bin/sh
# Incremental and parallel pia build (issue 20), on tests/fixtures/site-mini:
#   - OUT/.pia-manifest names every report;
#   - a rebuild with nothing changed keeps each report's files (same inode:
#     hard links from the previous site) and writes the same bytes;
#   - after an edit of one report's section, only that report is rendered
#     again (its PDF a new file, the other's the same), its page shows the
#     edit, and the site equals a fresh build of the same sources;
#   - an edit of site.xml, or of the theme, renders every report again;
#   - a report folder missing from the previous site is rendered again;
#   - a damaged manifest renders everything, with no message;
#   - -j 2 writes the same site as -j 1; a worker's failure (an image over
#     the size limit) is told as with -j 1, exit 1, the previous site kept;
#   - the cache (OUT/.pia-cache, inside the site): an unchanged report is
#     not checked again, yet its warnings are told as in a fresh build; its
#     search text (SLUG/search-N.js) is kept, the search index made from the
#     kept postings equals a fresh build's; a damaged cache, or one of
#     another pia, rebuilds silently and equals a fresh build; a report
#     removed or added equals a fresh build too, its cache entries gone or made.
# Usage: incremental.sh PIA.  Prints "incremental: N passed, N failed".
pia=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(pwd)
pass=0 fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ok() { pass=$((pass+1)); }
bad() { echo "FAIL: incremental: $*"; fail=$((fail+1)); }
check() { if eval "$2"; then ok; else bad "$1"; fi; }
ino() { stat -c %i "$1"; }
# node -e "$seal_js…": seal(f, b) writes b to f with the seal util/buf.c puts
# on a cache entry (8 bytes at a time, then FNV-1a on the rest), so an edited
# entry reads whole again.
seal_js='
const fs = require("fs");
function seal(f, b) {
	const M = 0xffffffffffffffffn;
	let h = 0xcbf29ce484222325n, i = 0;
	for (; i + 8 <= b.length; i += 8) {
		h = ((h ^ b.readBigUInt64LE(i)) * 0x9e3779b97f4a7c15n) & M;
		h ^= h >> 29n;
	}
	for (; i < b.length; i++)
		h = ((h ^ BigInt(b[i])) * 0x100000001b3n) & M;
	fs.writeFileSync(f, Buffer.concat([b, Buffer.from("end " + h.toString(16).padStart(16, "0") + "\n")]));
}
'
build() { "$pia" build "$@" >"$work/log" 2>&1; }

src=$work/src out=$work/out
cp -r "$top/tests/fixtures/site-mini" "$src"
a=09-yobou b=10-kenshin
check "first build" "build '$src' -o '$out'"
check "the manifest lacks a report" \
    "[ \"\$(sed 1d '$out/.pia-manifest' | cut -d' ' -f1 | tr '\n' ' ')\" = '$a $b ' ]"

ia=$(ino "$out/$a/$a.pdf") ib=$(ino "$out/$b/$b.pdf") ibp=$(ino "$out/$b/index.html")
cp -r "$out" "$work/before"
check "rebuild, nothing changed" "build '$src' -o '$out'"
check "nothing changed, yet $a.pdf was rendered again" "[ \$(ino '$out/$a/$a.pdf') = $ia ]"
check "nothing changed, yet $b's page was rendered again" "[ \$(ino '$out/$b/index.html') = $ibp ]"
check "nothing changed, yet the site differs" "diff -r '$work/before' '$out' >/dev/null"

# One edit of report b.
md=$src/reports/$b/sections/2-kanren.md
cp "$md" "$work/md"
printf '\n追記の一文：増分の作成を確かめます。\n' >>"$md"
check "the edit did not apply" "! cmp -s '$md' '$work/md'"
check "rebuild after an edit" "build '$src' -o '$out'"
check "$a was rendered again though unchanged" "[ \$(ino '$out/$a/$a.pdf') = $ia ]"
check "$b was not rendered again after its edit" "[ \$(ino '$out/$b/$b.pdf') != $ib ]"
check "$b's page lacks the edit" "grep -q '増分の作成を確かめます' '$out/$b/index.html'"
check "fresh build after the edit" "build '$src' -o '$work/fresh'"
check "the rebuilt site differs from a fresh build" "diff -r '$work/fresh' '$out' >/dev/null"

# site.xml and the theme are read by every report's page.
ia=$(ino "$out/$a/$a.pdf") ib=$(ino "$out/$b/$b.pdf")
sed -i 's/電話="0999-00-0000"/電話="0999-00-0001"/' "$src/site.xml"
check "the site.xml edit did not apply" "grep -q '0999-00-0001' '$src/site.xml'"
check "rebuild after site.xml" "build '$src' -o '$out'"
check "site.xml changed, yet $a was not rendered again" "[ \$(ino '$out/$a/$a.pdf') != $ia ]"
check "site.xml changed, yet $b was not rendered again" "[ \$(ino '$out/$b/$b.pdf') != $ib ]"
mkdir -p "$work/theme/assets"
printf '/* a city theme */\n' >"$work/theme/assets/pia.css"
check "build with a theme" "build '$src' -o '$out' --theme '$work/theme'"
ia=$(ino "$out/$a/$a.pdf")
printf '/* a city theme, changed */\n' >"$work/theme/assets/pia.css"
check "rebuild after a theme edit" "build '$src' -o '$out' --theme '$work/theme'"
check "the theme changed, yet $a was not rendered again" "[ \$(ino '$out/$a/$a.pdf') != $ia ]"

# What the previous site lacks, or a manifest pia cannot read: rendered.
check "build" "build '$src' -o '$out'"
rm -rf "${out:?}/$a"
check "rebuild with $a's folder gone" "build '$src' -o '$out'"
check "$a's folder was not written again" "[ -s '$out/$a/$a.pdf' ] && [ -s '$out/$a/index.html' ]"
ia=$(ino "$out/$a/$a.pdf")
printf 'garbage\n%s 0\n' "$a" >"$out/.pia-manifest"
# No message: the log holds build's one line of what it wrote, nothing else.
check "rebuild with a damaged manifest" "build '$src' -o '$out' && grep -q 'ウェブページ一式を書きました' '$work/log' && ! grep -qv 'ウェブページ一式を書きました' '$work/log'"
check "a damaged manifest, yet $a was not rendered again" "[ \$(ino '$out/$a/$a.pdf') != $ia ]"

# Worker processes.
rm -rf "$work/j1" "$work/j2"
check "-j 1" "build -j 1 '$src' -o '$work/j1'"
check "-j 2" "build -j 2 '$src' -o '$work/j2'"
check "-j 2 differs from -j 1" "diff -r '$work/j1' '$work/j2' >/dev/null"
cp -r "$work/j2" "$work/j2.before"
truncate -s 17M "$src/reports/$b/images/flow.png"
build -j 1 "$src" -o "$work/j1"; rc1=$?; sed "s|$work/j1|OUT|g" "$work/log" >"$work/log1"
build -j 2 "$src" -o "$work/j2"; rc2=$?; sed "s|$work/j2|OUT|g" "$work/log" >"$work/log2"
check "a worker's failure: exit $rc2, not 1" "[ $rc2 = 1 ]"
check "a worker's failure is not told as with -j 1 (exit $rc1)" "[ $rc1 = 1 ] && cmp -s '$work/log1' '$work/log2'"
check "a worker's failure is not SYS_TOOBIG" "grep -q 'SYS_TOOBIG' '$work/log'"
check "a worker's failure changed the previous site" "diff -r '$work/j2.before' '$work/j2' >/dev/null"

# The cache.  Sites are compared with a fresh build of the same sources,
# the messages with the fresh build's (OUT named alike).
rm -rf "$src" "$out"
cp -r "$top/tests/fixtures/site-mini" "$src"
same_as_fresh() {
	rm -rf "$work/fresh"
	build "$src" -o "$work/fresh"; sed "s|$work/fresh|OUT|g" "$work/log" >"$work/log.fresh"
	check "$1: the site differs from a fresh build" "diff -r '$work/fresh' '$out' >/dev/null"
	check "$1: the messages differ from a fresh build's" "cmp -s '$work/log.out' '$work/log.fresh'"
}
mda=$(ls "$src/reports/$a"/sections/*.md | tail -1)
printf '\n詳細は未定です。\n' >>"$mda"
check "build with a warning" "build '$src' -o '$out' && grep -q LINT_UNDECIDED '$work/log'"
check "the cache is not in the site" \
    "[ -s '$out/.pia-cache/$a.msg' ] && [ -s '$out/.pia-cache/$a.idx' ] && [ -s '$out/.pia-cache/$b.idx' ]"
check "$a's search text is not in its folder" "[ -s '$out/$a/search-0.js' ] && [ ! -e '$out/search/f0.js' ]"
# A changed cache entry is damaged (its seal, "end" and a hash of the rest,
# no longer matches): the report is checked again.
ia=$(ino "$out/$a/search-0.js")
sed -i 's/未定のまま公表されます/未定のまま公表されます（記録から）/' "$out/.pia-cache/$a.msg"
check "rebuild with a changed cache entry" "build '$src' -o '$out'"
check "a changed cache entry was believed" "! grep -q '（記録から）' '$work/log' && grep -q LINT_UNDECIDED '$work/log'"
check "$a's search text was written again" "[ \$(ino '$out/$a/search-0.js') = $ia ]"
# An unchanged report's messages are the cache's, not a new check's: an
# entry changed and sealed again is told as it is.
if command -v node >/dev/null 2>&1; then
	sed -i 's/未定のまま公表されます/未定のまま公表されます（記録から）/' "$out/.pia-cache/$a.msg"
	node -e "$seal_js"'
		const f = process.argv[1];
		const b = fs.readFileSync(f).subarray(0, fs.statSync(f).size - 21);
		seal(f, b);
	' "$out/.pia-cache/$a.msg"
	check "rebuild, nothing changed" "build '$src' -o '$out'"
	check "$a was checked again though unchanged" "grep -q '（記録から）' '$work/log'"
	rm "$out/.pia-cache/$a.msg"
fi
printf '\n追記の一文：索引を確かめます。\n' >>"$md"
check "rebuild after an edit of $b" "build '$src' -o '$out'"
sed "s|$out|OUT|g" "$work/log" >"$work/log.out"
check "$a's warning was not told again from the cache" "grep -q LINT_UNDECIDED '$work/log.out'"
check "$a's search text was written again after $b's edit" "[ \$(ino '$out/$a/search-0.js') = $ia ]"
check "the search index lacks the edit" "grep -rq '索引を確かめます' '$out/$b/'"
same_as_fresh "after an edit"

for f in "$a.msg" "$a.idx"; do
	printf 'pia-cache 1\ngarbage' >"$out/.pia-cache/$f"
done
# A postings file cut short, and a message file with a byte changed inside.
len=$(stat -c %s "$out/.pia-cache/$b.idx")
truncate -s $((len / 2)) "$out/.pia-cache/$b.idx"
printf '\377' | dd of="$out/.pia-cache/$b.msg" bs=1 seek=20 conv=notrunc 2>/dev/null
check "rebuild with a damaged cache" "build '$src' -o '$out' && [ \"\$(grep -c LINT_UNDECIDED '$work/log')\" = 1 ]"
sed "s|$out|OUT|g" "$work/log" >"$work/log.out"
same_as_fresh "a damaged cache"
rm -f "$out/.pia-cache/$b.idx" "$out/.pia-cache/$a.msg"
check "rebuild with cache entries gone" "build '$src' -o '$out'"
sed "s|$out|OUT|g" "$work/log" >"$work/log.out"
same_as_fresh "cache entries gone"

# An unchanged report is not loaded: the summary its entry keeps stands for
# it in the site-wide pages, and its loader's warnings are told again.
printf '\n**「重要」**です。\n' >>"$mda"
check "build with a loader's warning" "build '$src' -o '$out' && grep -q MD_EMPHASIS '$work/log'"
check "$a's cache entry has no summary" "grep -q '^summary\$' '$out/.pia-cache/$a.msg'"
printf '\n追記の一文：要約を確かめます。\n' >>"$md"
check "rebuild after another edit of $b" "build '$src' -o '$out'"
sed "s|$out|OUT|g" "$work/log" >"$work/log.out"
check "$a's loader warning was not told again" "grep -q MD_EMPHASIS '$work/log.out'"
same_as_fresh "an unchanged report with a loader's warning"
# Its postings cut short, its entry whole: it is loaded after all.
truncate -s 100 "$out/.pia-cache/$a.idx"
check "rebuild with $a's postings cut short" "build '$src' -o '$out'"
sed "s|$out|OUT|g" "$work/log" >"$work/log.out"
same_as_fresh "postings cut short"
# The summary changed and sealed again is believed: the index shows it.
if command -v node >/dev/null 2>&1; then
	node -e "$seal_js"'
		const f = process.argv[1];
		let b = fs.readFileSync(f).subarray(0, fs.statSync(f).size - 21);
		const at = b.indexOf("\nsummary\n");
		if (at < 0 || !b.subarray(at).includes("予防接種"))
			process.exit(1);
		b = Buffer.concat([b.subarray(0, at), Buffer.from(b.subarray(at).toString().replaceAll("予防接種", "豫防接種"))]);
		seal(f, b);
	' "$out/.pia-cache/$a.msg"; nrc=$?
	check "the summary of $a could not be changed" "[ $nrc = 0 ] && grep -q '豫防接種' '$out/.pia-cache/$a.msg'"
	check "rebuild, nothing changed" "build '$src' -o '$out'"
	check "$a was loaded though unchanged" "grep -q '豫防接種' '$out/index.html'"
	rm "$out/.pia-cache/$a.msg"
	check "rebuild with $a's entry gone" "build '$src' -o '$out' && ! grep -q '豫防接種' '$out/index.html'"
fi

# A report that no longer loads beside an unchanged one (its summary then
# loaded for the checks of whole reports): the messages of a fresh build.
cp "$src/reports/$b/report.xml" "$work/report.xml"
printf '<broken' >>"$src/reports/$b/report.xml"
build "$src" -o "$out"; rc=$?
sed "s|$out|OUT|g" "$work/log" >"$work/log.out"
rm -rf "$work/fresh"
build "$src" -o "$work/fresh"; sed "s|$work/fresh|OUT|g" "$work/log" >"$work/log.fresh"
check "a report that does not load: exit $rc, or no MD_EMPHASIS" \
    "[ $rc = 1 ] && grep -q XML_JUNK '$work/log.out' && grep -q MD_EMPHASIS '$work/log.out'"
check "a report that does not load: the messages differ from a fresh build's" \
    "cmp -s '$work/log.out' '$work/log.fresh'"
cp "$work/report.xml" "$src/reports/$b/report.xml"

# Another pia (its binary differs by a byte): nothing of its cache is used.
cp "$pia" "$work/pia2"
printf 'x' >>"$work/pia2"
check "build with another pia" "'$work/pia2' build '$src' -o '$out' >'$work/log' 2>&1"
ia=$(ino "$out/$a/$a.pdf") im=$(ino "$out/.pia-cache/$a.idx")
check "rebuild after another pia" "build '$src' -o '$out'"
sed "s|$out|OUT|g" "$work/log" >"$work/log.out"
check "another pia's $a.pdf was kept" "[ \$(ino '$out/$a/$a.pdf') != $ia ]"
check "another pia's postings of $a were kept" "[ \$(ino '$out/.pia-cache/$a.idx') != $im ]"
same_as_fresh "after another pia"

# A report removed, then added again.
mv "$src/reports/$a" "$work/$a"
check "rebuild with $a removed" "build '$src' -o '$out'"
sed "s|$out|OUT|g" "$work/log" >"$work/log.out"
check "$a removed, yet its folder or cache is left" \
    "[ ! -e '$out/$a' ] && [ -z \"\$(ls '$out/.pia-cache' | grep '^$a')\" ]"
check "$a removed, yet the search index names it" "! grep -q '$a' '$out/search-index.js'"
same_as_fresh "a report removed"
mv "$work/$a" "$src/reports/$a"
check "rebuild with $a added" "build '$src' -o '$out'"
sed "s|$out|OUT|g" "$work/log" >"$work/log.out"
check "$a added, yet the search index lacks it" "grep -q '\"$a\"' '$out/search-index.js'"
same_as_fresh "a report added"

echo "incremental: $pass passed, $fail failed"
[ $fail = 0 ]
