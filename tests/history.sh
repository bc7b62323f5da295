#!/bin/sh
# The 変更箇所 history is never lost (issue 16), asserted on bytes:
# import-changes leaves an existing changes.xml byte-identical when the list
# has errors or no rows and reads CR-only line ends; pia publish writes
# nothing through published/ or a version folder that links out of the
# report, and a refused publication leaves the report as it was; a version
# with unconfirmed rows (確認="要") is never kept, and a same-day correction
# keeps the version it replaces.
# Usage: history.sh PIA.  Prints "history: N passed, N failed".
pia=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(pwd)
pass=0 fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }
# expect NAME STATUS COMMAND…: the command's exit status
expect() {
	name=$1 want=$2; shift 2
	"$@" >"$work/out.txt" 2>&1; got=$?
	if [ "$got" = "$want" ]; then ok; else bad "$name: exit $got, not $want"; sed 5q "$work/out.txt"; fi
}
same() {	# same NAME A B: files byte-identical
	if cmp -s "$2" "$3"; then ok; else bad "$1: $2 changed"; fi
}
tree() {	# every file under a folder with its checksum
	(cd "$1" && find . | LC_ALL=C sort && find . -type f | LC_ALL=C sort | xargs sha256sum)
}

head='変更日\t項目\t変更前の記載\t変更後の記載\t提出時期\t提出時期に係る説明'
row1='令和6年4月1日\tⅠ-7-②所属長の役職名\t市民課長\t市民生活課長\t事後\t重要な変更には該当しない変更'
row2='令和6年5月1日\tⅠ-7-①部署\t市民課\t市民生活課\t事後\t重要な変更には該当しない変更'
cd "$work" || exit 2
cp "$top/tests/fixtures/kiso/changes.xml" history.xml
cp history.xml before.xml

# A list with an error: exit 1, the history as it was.
printf "$head\n$row1\n令和6年5月1日\tⅠ-7-①部署\t市民課\t市民生活課\t\t重要な変更には該当しない変更\n" > errors.tsv
expect errors 1 "$pia" import-changes errors.tsv -o history.xml
same errors before.xml history.xml
# No rows (only a header; an empty file): exit 1, the history as it was.
printf "$head\n" > header.tsv
expect header-only 1 "$pia" import-changes header.tsv -o history.xml
same header-only before.xml history.xml
: > empty.tsv
expect empty 1 "$pia" import-changes empty.tsv -o history.xml
same empty before.xml history.xml
# CR-only line ends are line ends: two rows written (before: one record, "0 行", exit 0).
printf "$head\r$row1\r$row2\r" > mac.tsv
expect cr-only 0 "$pia" import-changes mac.tsv -o history.xml
if [ "$(grep -c '<変更 ' history.xml)" = 2 ]; then ok; else bad "cr-only: not 2 rows"; cat history.xml; fi
# Mixed CRLF, CR and LF give the same history as LF alone.
printf "$head\n$row1\n$row2\n" > lf.tsv
printf "$head\r\n$row1\r$row2\n" > mixed.tsv
"$pia" import-changes lf.tsv -o lf.xml >/dev/null 2>&1
"$pia" import-changes mixed.tsv -o mixed.xml >/dev/null 2>&1
same mixed lf.xml mixed.xml
# The written file is complete and nothing is left beside it.
left=$(ls -A | grep -c 'pia-')
if [ "$left" = 0 ]; then ok; else bad "temporary files left: $(ls -A | grep pia-)"; fi
# Issue 17: the history is saved by the one atomic writer (util/atomic.c): a temporary
# of a run killed with SIGKILL (a pid that is gone) is swept by the next save, one of a
# live process is left alone, and a failed write says why in Japanese (exit 2).
sleep 30 &
live=$!
: > "lf.xml.pia-tmp.999999999.DeAd00"
: > "lf.xml.pia-tmp.$live.LiVe00"
expect sweep 0 "$pia" import-changes lf.tsv -o lf.xml
left=$(ls -A | grep '^lf\.xml' | LC_ALL=C sort | tr '\n' ' ')
if [ "$left" = "lf.xml lf.xml.pia-tmp.$live.LiVe00 " ]; then ok; else bad "sweep: left $left"; fi
kill $live 2>/dev/null; wait $live 2>/dev/null
rm -f "lf.xml.pia-tmp.$live.LiVe00"
expect dev-full 2 "$pia" import-changes lf.tsv -o /dev/full
if grep -q '^/dev/full: error: \[SYS_WRITE\] 書き込めません: ディスクの空きが足りません（ENOSPC）$' "$work/out.txt"; then ok
else bad "dev-full: $(cat "$work/out.txt")"; fi
[ -c /dev/full ] && ok || bad "dev-full: /dev/full is no longer a device"

# pia publish through links out of the report.
publish_out() {	# publish_out NAME SETUP: refused, nothing outside changed, report unchanged
	rm -rf "$work/p" && mkdir "$work/p" && cp -r "$top/tests/fixtures/versions" "$work/p/r"
	cd "$work/p/r" || exit 2
	sed -i 's|<公表日>令和7年8月29日|<公表日>令和8年3月31日|; s|国民健康保険税を適正に賦課するため|国民健康保険税を適正に賦課し、及び徴収するため|' report.xml
	eval "$2"
	cd "$work/p" || exit 2
	tree outside > "$work/outside.before"
	tree r > "$work/report.before"
	expect "$1" 1 "$pia" publish --date 令和8年3月31日 r
	tree outside > "$work/outside.after"
	tree r > "$work/report.after"
	same "$1 (outside)" "$work/outside.before" "$work/outside.after"
	same "$1 (report)" "$work/report.before" "$work/report.after"
	cd "$work" || exit 2
}
publish_out published 'mv published ../outside && ln -s ../outside published'
publish_out version 'mkdir ../outside && mv published/2025-08-29 ../outside/v && ln -s ../../outside/v published/2025-08-29'
publish_out changes 'mkdir ../outside && mv changes.xml ../outside/ && ln -s ../outside/changes.xml changes.xml'

# Publishing takes two runs: the first proposes rows (確認="要") and keeps no version.
rm -rf "$work/two" && cp -r "$top/tests/fixtures/versions" "$work/two"
cd "$work/two" || exit 2
sed -i 's|<公表日>令和7年8月29日|<公表日>令和8年3月31日|; s|国民健康保険税を適正に賦課するため|国民健康保険税を適正に賦課し、及び徴収するため|' report.xml
grep -q '賦課し、及び徴収する' report.xml || bad "two-step: edit did not apply"
tree published > "$work/published.before"
expect two-step-proposes 1 "$pia" publish --date 令和8年3月31日 .
tree published > "$work/published.after"
same "two-step (no version kept)" "$work/published.before" "$work/published.after"
if [ "$(grep -c '確認="要"' changes.xml)" = 1 ]; then ok; else bad "two-step: not 1 proposed row"; fi
# Run again unconfirmed: still refused, the history not grown.
cp changes.xml "$work/proposed.xml"
expect two-step-unconfirmed 1 "$pia" publish --date 令和8年3月31日 .
same "two-step (history as proposed)" "$work/proposed.xml" changes.xml
[ -e published/2026-03-31 ] && bad "two-step: published unconfirmed rows"
# Confirmed: the version is kept with the history as confirmed.
sed -i 's| 確認="要"||' changes.xml
expect two-step-confirmed 0 "$pia" publish --date 令和8年3月31日 .
same "two-step (snapshot history)" changes.xml published/2026-03-31/changes.xml
same "two-step (snapshot report)" report.xml published/2026-03-31/report.xml
# A same-day correction replaces that version, keeps the old one byte for byte and records it.
tree published/2026-03-31 > "$work/v1.tree"
sed -i 's|徴収するため。|徴収するため。 |' report.xml
expect correct-refused-without-flag 1 "$pia" publish --date 令和8年3月31日 .
expect correct 0 "$pia" publish --correct --date 令和8年3月31日 .
tree published/2026-03-31.訂正前1 > "$work/v1.kept"
same "correct (old version kept)" "$work/v1.tree" "$work/v1.kept"
same "correct (new version)" report.xml published/2026-03-31/report.xml
if grep -q '^令和8年3月31日の版を訂正しました（訂正前の版: 2026-03-31.訂正前1/）$' published/訂正記録.txt; then ok; else bad "correct: not recorded"; fi
expect correct-again 0 "$pia" publish --correct --date 令和8年3月31日 .
if [ -d published/2026-03-31.訂正前2 ] && [ "$(wc -l < published/訂正記録.txt)" = 2 ]; then ok; else bad "correct-again: not kept as 訂正前2"; fi
# The versions were written whole in temporaries of util/atomic.c: none is left.
left=$(ls -A published | LC_ALL=C sort | tr '\n' ' ')
if [ "$left" = "2025-08-29 2026-03-31 2026-03-31.訂正前1 2026-03-31.訂正前2 訂正記録.txt " ]; then ok
else bad "published/ holds: $left"; fi
cd "$work" || exit 2

echo "history: $pass passed, $fail failed"
[ $fail = 0 ]
