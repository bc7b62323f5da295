#!/bin/sh
# Real-like 変更箇所一覧 (issue 18, item 7): three lists as cities export
# them from spreadsheets (tests/fixtures/realchanges: a 重点 TSV with a title
# row, a 全項目 CSV with ページ and quoted multi-line cells, a 全項目 TSV with
# CRLF, a header repeated at a page break and split rows), 109 rows in all,
# with defects of the classes of domain.md §6 planted and keyed in NAME.answers
# (spreadsheet row, column, class).  pia import-changes must:
#   - find each planted defect at its row and column (recall per class ≥ 95 %),
#   - report nothing else (precision per class ≥ 95 %): the rest of the rows
#     are written as real cities write them (free-text 説明, item paths with
#     II/Ⅱ, -, －, spaces, (記載なし), obsolete words in a 変更前 of the day
#     the law changed);
#   - keep every row in changes.xml;
# and tests/realchanges/measure.py must itself fail when a key is not found.
# Usage: realchanges.sh PIA.  Prints "realchanges: N passed, N failed".
pia=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
fx=tests/fixtures/realchanges
pass=0 fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ok() { pass=$((pass+1)); }
ko() { echo "FAIL: realchanges: $*"; fail=$((fail+1)); }
check() { if eval "$2"; then ok; else ko "$1"; fi; }

out=$(python3 tests/realchanges/measure.py "$pia" "$fx" 2>&1); rc=$?
printf '%s\n' "$out" | sed -n '/^all /p;/^rows read/p'
check "recall or precision below 95 % in a class: $(printf '%s\n' "$out" | grep -E '<$|^missed|^false' | tr '\n' ' ')" "[ $rc = 0 ]"
check "the measure found no planted defect" "printf '%s\n' \"\$out\" | grep -qE '^all +[0-9]+ +[0-9]+ +[1-9]'"
check "not every class of the lists was measured" \
    "[ \$(printf '%s\n' \"\$out\" | grep -cE '^(1|2|3|4|5|6|10|11|12|13|19|20|21|23|24|25|26|27|28|29|30|31|32|34) ') = 24 ]"

# Every row is kept: the data rows of the files, less the (3-1)…(3-3) parts merged into one.
for f in a-jumin-jutenn.tsv:重点:40 b-kokuho-zenkou.csv:全項目:36 c-juminzei-zenkou.tsv:全項目:33; do
	name=${f%%:*}; rest=${f#*:}; form=${rest%%:*}; want=${rest#*:}
	"$pia" import-changes --form "$form" "$fx/$name" -o - 2>/dev/null > "$work/$name.xml"
	got=$(grep -c '<変更 ' "$work/$name.xml")
	check "$name: $got rows written, want $want" "[ '$got' = '$want' ]"
done
# A fragment row is kept as written, its text in <原文>.
check "the fragment row's text is not kept" \
    "grep -q '税務システム' '$work/a-jumin-jutenn.tsv.xml' && grep -q '<原文>' '$work/a-jumin-jutenn.tsv.xml'"

# The measure fails when a key is not found, and when a finding has no key.
cp -r "$fx" "$work/fx"
printf '5\t変更後の記載\t13\n' >> "$work/fx/a-jumin-jutenn.answers"
python3 tests/realchanges/measure.py "$pia" "$work/fx" > "$work/m1" 2>&1; rc=$?
check "a planted defect pia does not find passes the measure" "[ $rc = 1 ] && grep -q '^missed: a-jumin-jutenn.tsv row 5 変更後の記載 class 13' '$work/m1'"
cp "$fx/a-jumin-jutenn.answers" "$work/fx/"
sed -i '/^4\t変更前の記載\tperson/d;/^5\t変更前の記載\tperson/d' "$work/fx/a-jumin-jutenn.answers"
python3 tests/realchanges/measure.py "$pia" "$work/fx" > "$work/m2" 2>&1; rc=$?
check "a finding without a key passes the measure" "[ $rc = 1 ] && grep -q '^false: a-jumin-jutenn.tsv row 4 変更前の記載 class person' '$work/m2'"

echo "realchanges: $pass passed, $fail failed"
[ $fail = 0 ]
