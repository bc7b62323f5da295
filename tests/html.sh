#!/bin/sh
# The web site of pia build (issue 6): on tests/fixtures/site-mini, and on the
# example city content/ when it checks clean:
#   files and layout, same bytes on a second build, lang="ja" everywhere, no
#   external resource, the index lists every report with its PDF's real size
#   (or 「PDF は準備中です」), every text of the sources is on its page, Atom
#   and sitemap well-formed, the Nu Html Checker reports 0 errors (HTML, CSS,
#   SVG), axe-core reports 0 wcag2a/wcag2aa violations at desktop and phone
#   widths, the offline search finds a word of one report's Ⅲ in that report
#   only; themes (--theme, fallback, a broken template keeps the old site);
#   escaping; valgrind on the fixture's build; the 変更箇所 redline (golden
#   tests/html/redline.expect) and the 変更点リスク評価表 with its PDF.
# Usage: html.sh PIA.  Needs java, chromium and `make test-tools` (npm).
# Last line: "html: N passed, N failed".
pia=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(pwd)
nm=$top/build/npm/node_modules
vnu=$nm/vnu-jar/build/dist/vnu.jar
pass=0 fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ok() { pass=$((pass+1)); }
ko() { echo "FAIL: html: $*"; fail=$((fail+1)); }
check() { if eval "$2"; then ok; else ko "$1"; fi; }
# Add a tool's "NAME: N passed, N failed" line to the totals and show its FAIL lines.
tool() {
	printf '%s\n' "$1" | grep 'FAIL' | head -30
	line=$(printf '%s\n' "$1" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -1)
	if [ -z "$line" ]; then ko "$2 printed no result"; return; fi
	pass=$((pass + $(printf '%s\n' "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')))
	fail=$((fail + $(printf '%s\n' "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')))
}

[ -f "$vnu" ] || make -s test-tools >/dev/null 2>&1 || true
tools=1
for t in java node /usr/bin/chromium; do
	command -v $t >/dev/null 2>&1 || { ko "$t is missing (tools/debian-packages.txt)"; tools=0; }
done
[ -f "$vnu" ] && [ -d "$nm/axe-core" ] && [ -d "$nm/playwright-core" ] ||
	{ ko "npm test tools are missing (make test-tools)"; tools=0; }

# The whole site of CONTENT in OUT: everything but the browser and Nu checks.
site_tests() {	# CONTENT OUT
	content=$1 out=$2
	check "$content: pia build" "'$pia' build '$content' -o '$out' >'$work/log' 2>&1"
	[ -f "$out/index.html" ] || { cat "$work/log"; return 1; }
	for f in index.html search.html search-index.js feed.atom sitemap.xml \
	    assets/pia.css assets/search.js assets/logo.svg; do
		check "$content: $f is missing" "[ -s '$out/$f' ]"
	done
	check "$content: a second build differs" \
	    "'$pia' build '$content' -o '$out.2' >/dev/null 2>&1 && diff -r '$out' '$out.2' >/dev/null"
	rm -rf "$out.2"
	for p in $(cd "$out" && find . -name '*.html' | sort); do
		check "$content: $p lacks lang=\"ja\"" "grep -q '<html lang=\"ja\">' '$out/$p'"
		check "$content: $p loads something from outside" \
		    "! grep -Eq '<(link|script|img|iframe|source)[^>]+(src|href)=\"(https?:)?//' '$out/$p'"
		check "$content: $p has a script or event attribute it should not" \
		    "[ \$(grep -Eci '<script' '$out/$p') -le 2 ] && ! grep -Eqi ' on[a-z]+=\"' '$out/$p'"
		# The Content-Security-Policy of every page, and nothing inline that it would block.
		check "$content: $p lacks its Content-Security-Policy" \
		    "grep -q '^<meta http-equiv=\"Content-Security-Policy\" content=\"default-src .none.; script-src .self.; style-src .self.;' '$out/$p'"
		check "$content: $p has an inline script or style the CSP blocks" \
		    "! grep -Eqi '<script( [^>]*)?>[^<]|<script>|<style| style=\"' '$out/$p'"
	done
	for r in "$content"/reports/*/; do
		slug=$(basename "$r")
		page=$out/$slug/index.html
		check "$content: no page for $slug" "[ -f '$page' ]"
		check "$content: the index does not link $slug" "grep -q 'href=\"$slug/index.html\"' '$out/index.html'"
		if [ -f "$out/$slug/$slug.pdf" ]; then
			kb=$(( ($(wc -c < "$out/$slug/$slug.pdf") + 1023) / 1024 ))
			kb=$(printf '%s' "$kb" | sed -E ':a;s/^([0-9]+)([0-9]{3})/\1,\2/;ta')
			check "$content: the index does not state $slug.pdf as ${kb}KB" \
			    "grep -q 'href=\"$slug/$slug.pdf\">[^<]*（PDF：${kb}KB）</a>' '$out/index.html'"
		else
			check "$content: no PDF for $slug, yet no 「PDF は準備中です」" \
			    "grep -q 'PDF は準備中です' '$page'"
		fi
		tool "$(node "$top/tests/html/texts.js" "$r" "$page" 2>&1)" texts
	done
	check "$content: feed.atom is not well-formed" "xmllint --noout '$out/feed.atom'"
	check "$content: sitemap.xml is not well-formed" "xmllint --noout '$out/sitemap.xml'"
	check "$content: the index has a row per report" \
	    "[ \$(grep -c 'scope=\"row\"' '$out/index.html') -eq \$(ls -d '$content'/reports/*/ | wc -l) ]"
}

browser_tests() {	# OUT
	[ $tools = 1 ] || return
	# make check-sanitize: the pages are the same bytes the plain run checks.
	[ "${PIA_SKIP_BROWSER:-0}" = 1 ] && return
	out=$(java -jar "$vnu" --errors-only --format gnu --also-check-css --also-check-svg \
	    --skip-non-html "$1" 2>&1)
	if [ -z "$out" ]; then ok; else ko "Nu Html Checker on $1:"; printf '%s\n' "$out" | head -30; fi
	tool "$(node "$top/tests/html/axe.js" "$nm" "$1" 住民 2>&1)" axe
	tool "$(node "$top/tests/html/find.js" "$nm" "$1" 2>&1)" find
}

# ---- the fixture -------------------------------------------------------------
site_tests tests/fixtures/site-mini "$work/mini"
check "fixture: the image is not copied" "cmp -s tests/fixtures/site-mini/reports/10-kenshin/images/flow.png '$work/mini/10-kenshin/images/flow.png'"
check "fixture: the measure heading is not a heading" "grep -q '<h4 class=\"pia-measure\">＜試験町における措置＞</h4>' '$work/mini/10-kenshin/index.html'"
check "fixture: a soft break between Japanese characters became a space" \
    "grep -q '読み合わせを行い、入力後に' '$work/mini/10-kenshin/index.html'"
check "fixture: the sitemap has no absolute address" \
    "grep -q '<loc>https://www.town.shiken.example.jp/pia/10-kenshin/index.html</loc>' '$work/mini/sitemap.xml'"
check "fixture: the feed lacks the revision of 令和6年6月3日" \
    "grep -q '<updated>2024-06-03T00:00:00+09:00</updated>' '$work/mini/feed.atom'"
browser_tests "$work/mini"

# ---- the 変更箇所 redline and the 変更点リスク評価表 --------------------------------
# Two rows (tests/html/redline-changes.xml): each cell keeps its whole text, the
# deleted part in <del>, the inserted part in <ins>; the risk table and its PDF
# for the report that has risk columns only.
cp -r tests/fixtures/site-mini "$work/red"
cp tests/html/redline-changes.xml "$work/red/reports/10-kenshin/changes.xml"
check "redline: pia build" "'$pia' build '$work/red' -o '$work/redout' >'$work/log' 2>&1"
sed -n '/<table class="pia-grid pia-changes">/,/<\/section>/p' "$work/redout/10-kenshin/index.html" >"$work/redline.got"
if diff -u tests/html/redline.expect "$work/redline.got" >"$work/redline.diff"; then ok; else
	ko "redline: the 変更箇所 of 10-kenshin differs from tests/html/redline.expect"; sed 20q "$work/redline.diff"; fi
check "redline: no 10-kenshin-risk.pdf" "[ -s '$work/redout/10-kenshin/10-kenshin-risk.pdf' ] && qpdf --check '$work/redout/10-kenshin/10-kenshin-risk.pdf' >/dev/null 2>&1"
check "redline: 09-yobou has a risk PDF without risk columns" "[ ! -e '$work/redout/09-yobou/09-yobou-risk.pdf' ]"
check "redline: 09-yobou has a 変更点リスク評価表" "! grep -q 'pia-risk' '$work/redout/09-yobou/index.html'"
browser_tests "$work/redout"

# ---- the example city (once it checks clean) --------------------------------------
if [ -f content/site.xml ] && "$pia" check content >/dev/null 2>&1; then
	site_tests content "$work/city"
	browser_tests "$work/city"
else
	echo "html: content/ does not check clean yet; the example city was not built"
fi

# ---- themes ----------------------------------------------------------------------
cp -r themes/default "$work/theme"
sed -i 's|--brand: #1d4e89;|--brand: #6b1d1d;|' "$work/theme/assets/pia.css"
sed -i 's|<p class="site-footer-organ" data-pia-text="organ"></p>|<p class="site-footer-organ">試験町役場 情報公開係</p>|' "$work/theme/html/page.xhtml"
rm "$work/theme/html/search.xhtml" "$work/theme/assets/search.js"
check "theme: pia build --theme" "'$pia' build --theme '$work/theme' tests/fixtures/site-mini -o '$work/themed' >/dev/null 2>&1"
check "theme: the footer of the theme is not used" "grep -q '試験町役場 情報公開係' '$work/themed/09-yobou/index.html'"
check "theme: the colours of the theme are not used" "grep -q '#6b1d1d' '$work/themed/assets/pia.css'"
check "theme: a file the theme lacks does not come from the default theme" \
    "[ -s '$work/themed/assets/search.js' ] && grep -q 'pia-results' '$work/themed/search.html'"
printf '<html><body><p>unclosed</body></html>\n' > "$work/theme/html/index.xhtml"
"$pia" build --theme "$work/theme" tests/fixtures/site-mini -o "$work/themed" >"$work/log" 2>&1
check "theme: a broken template does not exit 2" "[ $? = 2 ]"
check "theme: a broken template is not reported with its line" "grep -q 'index.xhtml:[0-9]*: ' '$work/log'"
check "theme: a broken template changed the old site" "grep -q '試験町役場 情報公開係' '$work/themed/09-yobou/index.html'"
check "theme: no leftover temporary folder" "[ -z \"\$(ls -d '$work'/themed.* 2>/dev/null)\" ]"
# Inline script or style the pages' CSP would refuse is refused with its line; the old site stays.
cp -r themes/default "$work/theme2"
sed -i 's|<footer class="site-footer">|<footer class="site-footer"><script>document.title="x"</script>|' "$work/theme2/html/page.xhtml"
"$pia" build --theme "$work/theme2" tests/fixtures/site-mini -o "$work/themed" >"$work/log" 2>&1
check "theme: an inline script does not exit 2" "[ $? = 2 ] && grep -q 'page.xhtml:[0-9]*: テンプレートの「src のない <script>」は' '$work/log'"
check "theme: an inline script changed the old site" "grep -q '試験町役場 情報公開係' '$work/themed/09-yobou/index.html'"

# ---- escaping: text from sources never becomes markup --------------------------------
# (Markup-like text is refused by the lint, LINT_MARKUP; what passes must still be escaped.)
cp -r tests/fixtures/site-mini "$work/esc"
sed -i 's|<システムの名称>健康管理システム</システムの名称>|<システムの名称>健康管理システム（a \&lt; b \&amp; c \&gt; d、"x"）</システムの名称>|' \
    "$work/esc/reports/09-yobou/report.xml"
check "escape: pia build" "'$pia' build '$work/esc' -o '$work/esc-out' >/dev/null 2>&1"
check "escape: a value was not escaped" \
    "grep -q '健康管理システム（a &lt; b &amp; c &gt; d、&quot;x&quot;）' '$work/esc-out/09-yobou/index.html'"
check "escape: a value broke the search index" \
    "node -e 'require(\"vm\").runInNewContext(require(\"fs\").readFileSync(process.argv[1], \"utf8\"))' '$work/esc-out/search-index.js' 2>/dev/null"

# ---- reports of one 事務 stand together on the index (issue 22) ------------------------
# 04 (基礎, 児童手当) names a 重点 of its 事務; 02 (重点) is made that report: the index
# lists 04 right after 02, before 03, although the reports sort by 評価書番号 otherwise.
cp -r content "$work/pair"
sed -i 's|<評価書の種類>基礎項目評価書</評価書の種類>|<評価書の種類>基礎項目評価書及び重点項目評価書</評価書の種類>|' \
    "$work/pair/reports/04-jido-teate/report.xml"
sed -i 's|<事務の名称>国民健康保険に関する事務</事務の名称>|<事務の名称>児童手当に関する事務</事務の名称>|; s|<部署>健康福祉部保険年金課</部署>|<部署>こども未来部子育て支援課</部署>|' \
    "$work/pair/reports/02-kokuho/report.xml"
check "pair: the edits did not apply" \
    "grep -q 基礎項目評価書及び重点項目評価書 '$work/pair/reports/04-jido-teate/report.xml' && grep -q '<事務の名称>児童手当に関する事務' '$work/pair/reports/02-kokuho/report.xml'"
check "pair: pia check is not clean" "'$pia' check '$work/pair' >'$work/log' 2>&1"
check "pair: pia build" "'$pia' build '$work/pair' -o '$work/pair-out' >'$work/log' 2>&1"
order=$(grep -o 'href="0[1-4]-[a-z-]*/index.html"' "$work/pair-out/index.html" | sed 's|href="||; s|/index.html"||' | tr '\n' ' ')
check "pair: index order is '$order'" "[ '$order' = '01-jumin 02-kokuho 04-jido-teate 03-jido-fuyo ' ]"

# ---- the PDF link text (a small C program against pia's objects) --------------------
objdir=$(dirname "$pia")/../obj
if cc -std=c11 -D_GNU_SOURCE -Iinclude -o "$work/pdflabel" tests/html/pdflabel.c \
    $(find "$objdir" -name '*.o' ! -name main.o) \
    $(pkg-config --libs libcmark libxml-2.0 harfbuzz-subset icu-uc icu-i18n libmicrohttpd zlib poppler-glib) -lhpdf -lm -pthread \
    $(case "$pia" in */san/*) echo -fsanitize=address,undefined;; esac) 2>"$work/log"; then
	tool "$("$work/pdflabel" 2>&1)" pdflabel
else
	ko "tests/html/pdflabel.c does not build"; head -5 "$work/log"
fi

# ---- valgrind on the fixture's build (not for a sanitizer build) ----------------------
if command -v valgrind >/dev/null 2>&1 && ! ldd "$pia" 2>/dev/null | grep -q asan; then
	check "valgrind: pia build reports errors or leaks" \
	    "valgrind -q --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite,indirect \
	    '$pia' build tests/fixtures/site-mini -o '$work/vg' >'$work/log' 2>&1"
	grep -q '==' "$work/log" && head -20 "$work/log"
fi

echo "html: $pass passed, $fail failed"
