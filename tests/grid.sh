#!/bin/sh
# The grid as the 様式 prints it (issue 18, items 4–6), on the 重点 report of
# tests/fixtures/grid: pieces of pdftotext -layout compared with the golden
# tests/grid/pdf.expect (sub-rows under their numbered item, （ N ）件 in the
# 委託の有無 cell, boxes side by side (flow), 「委託事項2～5」 range rows and the empty ranges up to 20,
# the 項目一覧 as the 様式 lists it, the 別添 記録項目 run in, bullets of the
# 変更箇所, the 別紙 per 記載日 with its versions); then properties that hold
# on every page: no ※ inside Ⅲ but its heading, no box label broken across
# lines or pages, an empty 別紙1 left out, page numbers in the 項目一覧 only
# when site.xml asks; every PDF through tests/pdf/textcheck.py and qpdf; and
# the same structures on the web page (tests/grid/html.expect).
# Usage: grid.sh [--update] PIA.  Prints "grid: N passed, N failed".
update=0
if [ "$1" = "--update" ]; then update=1; shift; fi
pia=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(pwd)
pass=0 fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ok() { pass=$((pass+1)); }
bad() { echo "FAIL: grid: $*"; fail=$((fail+1)); }

# golden NAME FILE: FILE equals tests/grid/NAME.expect (or becomes it with --update).
golden() {
	if [ $update = 1 ]; then
		cp "$2" "$top/tests/grid/$1.expect"; ok
	elif diff -u "$top/tests/grid/$1.expect" "$2" >"$work/$1.diff"; then ok; else
		bad "$1 differs from tests/grid/$1.expect"; sed 30q "$work/$1.diff"; fi
}

# pdf NAME DIR [options]: write NAME.pdf, check it, keep its text and layout.
pdf() {
	name=$1 dir=$2; shift 2
	if ! "$pia" pdf "$@" --trace "$work/$name.trace" "$dir" -o "$work/$name.pdf" \
	    >"$work/$name.err" 2>&1; then
		bad "$name: pia pdf failed"; sed 5q "$work/$name.err"; return 1; fi
	pdftotext "$work/$name.pdf" "$work/$name.txt"
	pdftotext -layout "$work/$name.pdf" "$work/$name.layout"
	if qpdf --check "$work/$name.pdf" >/dev/null 2>&1; then ok; else bad "$name: qpdf --check"; fi
	if out=$(python3 "$top/tests/pdf/textcheck.py" "$top/generator/forms" "$dir" \
	    "$work/$name.txt" "$work/$name.trace" "$work/$name.layout"); then ok; else
		bad "$name: text"; printf '%s\n' "$out" | sed 12q; fi
}

# pieces FILE PATTERN LINES: the first line matching PATTERN and the LINES
# lines after it, trailing blanks removed, under a "== PATTERN" line.
pieces() {
	python3 - "$@" <<'PY'
import re, sys
lines = open(sys.argv[1], encoding='utf-8').read().replace('\f', '\n').split('\n')
pat, n = sys.argv[2], int(sys.argv[3])
print('== ' + pat)
for i, l in enumerate(lines):
    if re.search(pat, l):
        for k in lines[i:i + n + 1]:
            print(k.rstrip())
        break
else:
    print('(not found)')
PY
}

cp -r tests/fixtures/grid "$work/c"
rep=$work/c/reports/02-kokuho

pdf k "$rep" || exit 1
{
	pieces "$work/k.layout" '^項目一覧' 15
	pieces "$work/k.layout" '^③対象となる' 9
	pieces "$work/k.layout" '^④記録される' 10
	pieces "$work/k.layout" '^ +情報の突合' 2
	pieces "$work/k.layout" '^委託の有無' 4
	pieces "$work/k.layout" '^②入手方法' 3
	pieces "$work/k.layout" '^提供・移転の有無' 2
	echo '== range rows'
	grep -E '^(委託事項|提供先|移転先)[0-9]+～' "$work/k.layout"
	pieces "$work/k.layout" '^1\. [^ ]+、2\. ' 1
	pieces "$work/k.layout" '^令和5年4月1日 +Ⅲ-\(1\)-4-リスク-規' 3
} >"$work/pdf.out"
golden pdf "$work/pdf.out"

# ※ inside Ⅲ: the heading 「Ⅲ リスク対策 ※（7. ②を除く。）」 states it, no row repeats it.
n=$(awk '/^Ⅲ リスク対策/ { in3 = 1; next } /^Ⅳ / { in3 = 0 } in3 && /※/' "$work/k.layout" | wc -l)
if [ "$n" = 0 ]; then ok; else bad "$n lines of Ⅲ carry a ※ of their own"; fi
# ※ of a marked group covers its rows: 「5. …情報連携 ※」, not ①実施の有無 ※.
if grep -q '^5\. 情報提供ネットワークシステムによる情報連携 ※' "$work/k.layout" &&
    ! grep -q '^①実施の有無 ※' "$work/k.layout"; then ok; else
	bad "the ※ of Ⅰ-5 is not on the group alone"; fi

# A box label is never broken: every 電子記録媒体 box reads whole on its line.
all=$(grep -c '\] 電子記録媒体' "$work/k.layout")
whole=$(grep -c '\] 電子記録媒体（フラッシュメモリを除く。）' "$work/k.layout")
if [ "$all" -gt 0 ] && [ "$all" = "$whole" ]; then ok; else
	bad "box label broken: $whole of $all 電子記録媒体 lines whole"; fi
# …nor split between pages: no page ends inside a box (its next line indented, no box).
if python3 - "$work/k.layout" <<'PY'; then ok; else bad "a box label runs on to the next page"; fi
import re, sys
pages = open(sys.argv[1], encoding='utf-8').read().split('\f')
for p in pages[1:]:
    body = [l for l in p.split('\n')[2:] if l.strip()]
    # A page starting with the rest of a label: a line of only く。） or the like.
    if body and re.match(r'^\s+[^\s\[［]', body[0]) and re.search(r'^\s*(く。）|別、生年月日)', body[0].strip()):
        sys.exit(1)
PY

# The 項目一覧 with page numbers when site.xml asks for them.
cp -r tests/fixtures/grid "$work/p"
sed -i 's|<サイト |<PDF 項目一覧のページ="あり"/>\n  <サイト |' "$work/p/site.xml"
grep -q '項目一覧のページ="あり"' "$work/p/site.xml" || bad "the site.xml edit did not apply"
pdf p "$work/p/reports/02-kokuho"
if grep -Eq '^Ⅲ リスク対策 +[0-9]+$' "$work/p.layout" && ! grep -Eq '^Ⅲ リスク対策 +[0-9]+$' "$work/k.layout"; then ok; else
	bad "page numbers in the 項目一覧: only with 項目一覧のページ=\"あり\""; fi

# An empty 別紙1 (a sheet of the city's own) is left out, and from the 項目一覧.
cp -r tests/fixtures/grid "$work/e"
python3 - "$work/e/reports/02-kokuho/report.xml" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding='utf-8').read()
t = re.sub(r'<行>.*?</行>\s*', '', s, flags=re.S)
assert t != s
open(p, 'w', encoding='utf-8').write(t)
PY
"$pia" pdf --force "$work/e/reports/02-kokuho" -o "$work/e.pdf" >/dev/null 2>&1
pdftotext -layout "$work/e.pdf" "$work/e.layout"
if grep -q '^（別紙1） 番号法' "$work/k.layout" && ! grep -q '（別紙1） 番号法' "$work/e.layout"; then ok; else
	bad "an empty （別紙1） is printed or listed in the 項目一覧"; fi

# The 別紙 per 記載日: --appendix-by-date, and the site setting, with the versions in the heads.
python3 - "$rep/changes.xml" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding='utf-8').read()
t = s.replace('<変更 日="令和5年11月30日" ',
    '<変更 日="令和5年11月30日" 変更前の版="令和6年1月まで稼働の現行システム" '
    '変更後の版="令和6年2月からガバメントクラウド上の標準準拠システム" ', 1)
assert t != s
open(p, 'w', encoding='utf-8').write(t)
PY
pdf d "$rep" --appendix-by-date
{
	echo '== sheets'
	grep -E '^（別添2-別紙[0-9]+）' "$work/d.layout"
	pieces "$work/d.layout" '^（別添2-別紙3）' 4
	echo '== references in the table'
	grep -o '（別添2-別紙[0-9]*参照）' "$work/d.txt" | sort | uniq -c | sed 's/^ *//'
} >"$work/date.out"
golden date "$work/date.out"
sed -i 's|<サイト |<PDF 変更箇所の別紙="記載日ごと"/>\n  <サイト |' "$work/c/site.xml"
"$pia" pdf "$rep" -o "$work/ds.pdf" >/dev/null 2>&1
if cmp -s "$work/d.pdf" "$work/ds.pdf"; then ok; else
	bad "site.xml 変更箇所の別紙=\"記載日ごと\" differs from --appendix-by-date"; fi

# The web page: the same structures.
cp -r tests/fixtures/grid "$work/h"
if "$pia" build "$work/h" -o "$work/site" >"$work/h.err" 2>&1; then ok; else
	bad "pia build failed"; sed 5q "$work/h.err"; fi
page=$work/site/02-kokuho/index.html
{
	echo '== sub-rows'
	grep -o '<tr class="pia-sub"><th scope="row">.*</th>' "$page" | sed 's|</th>.*|</th>|' | sort | uniq -c | sed 's/^ *//'
	echo '== inline'
	grep -o '<p class="pia-inline">[^<]*</p>' "$page" | uniq -c | sed 's/^ *//'
	echo '== ※ in Ⅲ'
	awk '/<h2[^>]*>Ⅲ/ { in3 = 1 } /<h2[^>]*>Ⅳ/ { in3 = 0 } in3' "$page" >"$work/h3"
	echo "rows $(grep -o '<th scope="row">' "$work/h3" | wc -l), with ※ $(grep -o '<th scope="row">[^<]*※' "$work/h3" | wc -l)"
	echo '== bullets'
	grep -o '<td data-label="変更前の記載">・<del>星見台市</del>' "$page" | uniq -c | sed 's/^ *//'
} >"$work/html.out"
golden html "$work/html.out"

echo "grid: $pass passed, $fail failed"
[ $fail = 0 ]
