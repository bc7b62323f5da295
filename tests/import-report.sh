#!/bin/sh
# pia import-report (issue 21): the round trip of pia's own PDFs and the
# committed fixture PDF.  Each report is rendered by pia pdf, imported, and
# the dumps of the source and of the import are compared item by item (the
# lines of pia dump with a value) and line by line of the 変更箇所 rows (the
# 変更点リスク評価表's elements left out: pia pdf prints them in the
# --risk-table PDF only); the shares are printed and must not fall below
# the floors below, so a regression fails.  Usage: import-report.sh PIA.  Prints "import-report: N passed, N failed".
pia=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
pass=0 fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ok() { pass=$((pass+1)); }
ko() { echo "FAIL: $*"; fail=$((fail+1)); }

# The value lines of a dump before the 変更箇所 (not the cells of its rows 行N and 評価表の行N in the tree,
# which the rows after show too), and its rows after, each sorted.
split_dump() {	# dump out-prefix
	awk '/^変更箇所 /{exit} /^    (評価表の)?行[0-9]+$/{inrow=1; next} inrow&&/^      /{next} {inrow=0}
	    / <[a-z]*>/' "$1" | LC_ALL=C sort > "$2.items"
	awk 'f&&/^  [0-9]+: /{sub(/^  [0-9]+: /,""); print; next} f&&/^    /&&!/^    (リスク変化|リスク変化の状況|リスク対策|変更理由)=/{print} /^変更箇所 /{f=1}' "$1" |
	    LC_ALL=C sort > "$2.rows"
}

# roundtrip SOURCE ITEMS_FLOOR ROWS_FLOOR (floors in per mille of the source's lines)
roundtrip() {
	src=$1; name=$(basename "$src"); w=$work/$name
	mkdir -p "$w"
	if ! "$pia" pdf "$src" -o "$w/in.pdf" >/dev/null 2>&1; then ko "$name: pia pdf failed"; return; fi
	if ! "$pia" import-report "$w/in.pdf" -o "$w/$name" > "$w/log" 2>&1; then
		ko "$name: import-report failed"; head -5 "$w/log"; return
	fi
	"$pia" dump "$src" > "$w/a.dump" 2>/dev/null
	# Errors of the import's own (a 変更箇所 row read amiss) still dump: shares say how far.
	"$pia" dump "$w/$name" > "$w/b.dump" 2>"$w/b.err"
	if ! grep -q '^  表紙' "$w/b.dump"; then ko "$name: the import does not load"; head -5 "$w/b.err"; return; fi
	split_dump "$w/a.dump" "$w/a"; split_dump "$w/b.dump" "$w/b"
	n=$(wc -l < "$w/a.items"); m=$(LC_ALL=C comm -12 "$w/a.items" "$w/b.items" | wc -l)
	rn=$(wc -l < "$w/a.rows"); rm_=$(LC_ALL=C comm -12 "$w/a.rows" "$w/b.rows" | wc -l)
	echo "import-report: $name: items $m/$n, 変更箇所 lines $rm_/$rn"
	if [ $((m * 1000)) -ge $(($2 * n)) ]; then ok; else
		ko "$name: items in place $m/$n, below the floor of $2 per mille"
		LC_ALL=C comm -23 "$w/a.items" "$w/b.items" | head -5; fi
	if [ $((rm_ * 1000)) -ge $(($3 * rn)) ]; then ok; else
		ko "$name: 変更箇所 lines $rm_/$rn, below the floor of $3 per mille"
		LC_ALL=C comm -23 "$w/a.rows" "$w/b.rows" | head -5; fi
}

roundtrip tests/fixtures/kiso 1000 1000
roundtrip content/reports/04-jido-teate 1000 1000
roundtrip content/reports/03-jido-fuyo 1000 1000
roundtrip content/reports/02-kokuho 1000 993
roundtrip content/reports/01-jumin 998 985
# Its 事務の流れ is a picture: the text inside is lost, and the import says so, on its page; the
# picture itself is kept (a PNG the import's report refers to, in place of pia's 「［図］…」 caption).
if grep -q '^.*in\.pdf:page [0-9]*: warning: \[IMPORT_IMAGE\] ' "$work/01-jumin/log"; then ok; else
	ko "01-jumin: no IMPORT_IMAGE warning for the picture of its 事務の流れ"; fi
png=$(sed -n 's/.*!\[[^]]*\](\(images\/[^)]*\.png\)).*/\1/p' "$work/01-jumin/01-jumin/report.xml" | head -1)
if [ -n "$png" ] && [ "$(head -c 4 "$work/01-jumin/01-jumin/$png" 2>/dev/null | od -An -c | tr -d ' ')" = '211PNG' ]; then ok; else
	ko "01-jumin: the picture of its 事務の流れ is not kept as a PNG the report refers to ($png)"; fi
# The bench's generated 全項目評価書 (tests/bench/genreport, as make bench makes them), 40 pages.
if python3 tests/bench/genreport --seed 7 --pages 40 "$work/gen/bench7" >/dev/null 2>&1; then
	roundtrip "$work/gen/bench7" 996 1000
else
	ko "tests/bench/genreport failed"
fi

# Another layout: a source drawn as the PPC's Excel 様式 prints it (label cells vertically centred,
# a group's merged label cell beside its items' (再委託), ＜選択肢＞ lists beside 「[ 答え ]」, boxes as
# [ 〇 ] and ■/□ on the heading rows, （ N ）件, numbered entries (システム1, 委託事項2, 提供先1), a
# value continued on the next page, running header and footer; excel-layout.py, with Debian's
# python3-reportlab), then imported.  Items in place (as the round trip counts them) and the
# characters of the values kept: in the import's values or in unplaced.md, counted each.
# excel_layout SOURCE FORM CLEAN (CLEAN 1: the source is a whole report, pia check must find its import clean)
excel_layout() {
	src=$1; name=$(basename "$src"); w=$work/$name
	mkdir -p "$w"
	"$pia" dump "$src" > "$w/a.dump" 2>/dev/null
	if ! /usr/bin/python3 tests/fixtures/pdf-import/excel-layout.py "$w/a.dump" "$2" \
	    "$w/in.pdf" > "$w/py.log" 2>&1; then
		ko "excel-layout.py failed (is python3-reportlab installed?)"; tail -3 "$w/py.log"; return
	fi
	if ! "$pia" import-report "$w/in.pdf" -o "$w/out" > "$w/log" 2>&1; then
		ko "$name (excel layout): import-report failed"; head -5 "$w/log"; return
	fi
	"$pia" dump "$w/out" > "$w/b.dump" 2>/dev/null
	split_dump "$w/a.dump" "$w/a"; split_dump "$w/b.dump" "$w/b"
	n=$(wc -l < "$w/a.items"); m=$(LC_ALL=C comm -12 "$w/a.items" "$w/b.items" | wc -l)
	rn=$(wc -l < "$w/a.rows"); rm_=$(LC_ALL=C comm -12 "$w/a.rows" "$w/b.rows" | wc -l)
	chars=$(/usr/bin/python3 - "$w/a.dump" "$w/b.dump" "$w/out/unplaced.md" <<'PY'
import collections, re, sys
def values(path):
    c = collections.Counter()
    try:
        text = open(path, encoding="utf-8").read()
    except FileNotFoundError:
        return c
    if path.endswith(".md"):
        c.update(ch for ch in text if not ch.isspace())
        return c
    for ln in text.split("\n")[1:]:
        if not ln.startswith("  "):
            break
        m = re.search(r" <[a-z]+> (.*)$", ln)
        if m:
            c.update(ch for ch in m.group(1) if not ch.isspace() and ch != "⏎")
    return c
a = values(sys.argv[1])
b = values(sys.argv[2]) + values(sys.argv[3])
print(sum(min(k, b[ch]) for ch, k in a.items()), sum(a.values()))
PY
)
	kept=${chars% *}; total=${chars#* }
	echo "import-report: $name (excel layout): items $m/$n, 変更箇所 lines $rm_/$rn, characters $kept/$total"
	# All in place today (the issue asks 98 %): any item lost is a regression.
	if [ "$m" = "$n" ]; then ok; else
		ko "$name (excel layout): items in place $m/$n, not all"
		LC_ALL=C comm -23 "$w/a.items" "$w/b.items" | head -5; fi
	if [ "$rm_" = "$rn" ]; then ok; else
		ko "$name (excel layout): 変更箇所 lines $rm_/$rn"; LC_ALL=C comm -23 "$w/a.rows" "$w/b.rows" | head -5; fi
	if [ -n "$total" ] && [ "$total" -gt 0 ] && [ "$kept" = "$total" ]; then ok; else
		ko "$name (excel layout): characters kept $kept/$total, not all"; fi
	# Nothing left over, and (a whole report) one pia check finds clean.
	if [ ! -f "$w/out/unplaced.md" ]; then ok; else ko "$name (excel layout): text left in unplaced.md"; fi
	[ "$3" = 1 ] || return
	out=$("$pia" check "$w/out" 2>&1); rc=$?
	if [ $rc = 0 ] && [ "$out" = "エラー 0 件、警告 0 件" ]; then ok; else
		ko "$name (excel layout): pia check of the import: exit $rc"; printf '%s\n' "$out" | head -5; fi
}
excel_layout tests/fixtures/excel-kiso generator/forms/form2.xml 1
excel_layout tests/fixtures/excel-jutenn generator/forms/form3.xml 0

# The committed fixture (pia pdf of tests/fixtures/kiso): the files written,
# a report pia check finds clean, the same model as its source.
f=tests/fixtures/pdf-import/kiso.pdf
if "$pia" import-report "$f" -o "$work/fx" > "$work/fx.log" 2>&1 &&
    [ -f "$work/fx/report.xml" ] && [ -f "$work/fx/changes.xml" ] && [ ! -f "$work/fx/unplaced.md" ]; then ok; else
	ko "import-report $f"; head -5 "$work/fx.log"; fi
out=$("$pia" check "$work/fx" 2>&1); rc=$?
if [ $rc = 0 ] && [ "$out" = "エラー 0 件、警告 0 件" ]; then ok; else ko "pia check of the imported fixture: exit $rc"; printf '%s\n' "$out" | head -5; fi
# (without the header line, which names the folder, and the rows' line numbers in changes.xml)
"$pia" dump tests/fixtures/kiso | sed '1d; s/^  [0-9]*: /  /' > "$work/fa"
"$pia" dump "$work/fx" | sed '1d; s/^  [0-9]*: /  /' > "$work/fb"
if cmp -s "$work/fa" "$work/fb"; then ok; else ko "the imported fixture's dump differs from tests/fixtures/kiso"; diff "$work/fa" "$work/fb" | head -10; fi
# An existing folder with files in it is left alone (exit 2, nothing written over).
mkdir -p "$work/full" && echo keep > "$work/full/report.xml"
"$pia" import-report "$f" -o "$work/full" >/dev/null 2>&1; rc=$?
if [ $rc = 2 ] && [ "$(cat "$work/full/report.xml")" = keep ]; then ok; else ko "import-report over a folder with files: exit $rc"; fi
# Usage errors exit 2.
"$pia" import-report "$f" >/dev/null 2>&1; rc=$?
if [ $rc = 2 ]; then ok; else ko "import-report without -o: exit $rc"; fi
echo "import-report: $pass passed, $fail failed"
[ $fail = 0 ]
