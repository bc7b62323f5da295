#!/bin/sh
# pia import-report (issue 21): the round trip of pia's own PDFs and the
# committed fixture PDF.  Each report is rendered by pia pdf, imported, and
# the dumps of the source and of the import are compared item by item (the
# lines of pia dump with a value) and row by row (the 変更箇所); the shares
# are printed and must not fall below the floors below, so a regression
# fails.  Usage: import-report.sh PIA.  Prints "import-report: N passed, N failed".
pia=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
pass=0 fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ok() { pass=$((pass+1)); }
ko() { echo "FAIL: $*"; fail=$((fail+1)); }

# The value lines of a dump before the 変更箇所 (not the cells of its rows 行N in the tree,
# which the rows after show too), and its rows after, each sorted.
split_dump() {	# dump out-prefix
	awk '/^変更箇所 /{exit} /^    行[0-9]+$/{inrow=1; next} inrow&&/^      /{next} {inrow=0}
	    / <[a-z]*>/' "$1" | LC_ALL=C sort > "$2.items"
	awk 'f&&/^  [0-9]+: /{sub(/^  [0-9]+: /,""); print; next} f&&/^    /{print} /^変更箇所 /{f=1}' "$1" |
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
roundtrip content/reports/03-jido-fuyo 1000 960
roundtrip content/reports/02-kokuho 450 700
roundtrip content/reports/01-jumin 410 90

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
