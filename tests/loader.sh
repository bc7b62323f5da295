#!/bin/sh
# Hostile content trees for the loader (issue 16, "nothing lost, nothing
# escapes"): each case breaks a copy of tests/fixtures/site-mini, and pia
# build must exit 1 with the expected message, leave the previous site and
# the sources byte-identical, and not read the canary file outside the tree.
# Permission cases need pia to run as a user the modes apply to: as root
# (CI) it runs as nobody through setpriv, in a world-readable temp folder
# holding its own copy of pia and the default theme.
# Usage: loader.sh PIA.  Prints "loader: N passed, N failed".
top=$(pwd)
pass=0 fail=0
work=$(mktemp -d)
trap 'chmod -R u+rwX "$work" 2>/dev/null; rm -rf "$work"' EXIT
chmod 755 "$work"

ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }

# pia and its default theme where another user can run them (themes/default
# is found two folders above the binary).
mkdir -p "$work/b/bin" "$work/themes"
cp "$1" "$work/b/bin/pia"
cp -r "$top/themes/default" "$work/themes/default"
pia=$work/b/bin/pia

if [ "$(id -u)" = 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	else
		as_user() { runuser -u nobody -- "$@"; }
	fi
else
	as_user() { "$@"; }
fi

# Every file with its checksum, and the folder list (links listed, not followed).
listing() {
	(cd "$1" && find . | LC_ALL=C sort && find . -type f -perm -u+r | LC_ALL=C sort | xargs -r sha256sum)
}

# A canary outside the tree: its text must never reach a message or the site.
echo "CANARY-OUTSIDE-THE-TREE" > "$work/canary.md"

mkdir "$work/out"
cp -r "$top/tests/fixtures/site-mini" "$work/good"
chmod -R a+rwX "$work/out" "$work/good"
if as_user "$pia" build "$work/good" -o "$work/out/site" >/dev/null 2>&1; then ok; else bad "build of site-mini failed"; fi
listing "$work/out/site" > "$work/before"

# break KIND: damage $work/c, a fresh copy of site-mini.
breakage() {
	c=$work/c
	case $1 in
	unreadable-report)	chmod 000 "$c/reports/09-yobou" ;;
	unreadable-report-xml)	chmod 000 "$c/reports/09-yobou/report.xml" ;;
	unreadable-reports)	chmod 000 "$c/reports" ;;
	unreadable-sections)	chmod 000 "$c/reports/09-yobou/sections" ;;
	unlistable-sections)	chmod 311 "$c/reports/09-yobou/sections" ;;
	unreadable-section)	chmod 000 "$c/reports/09-yobou/sections/1-cover.md" ;;
	unreadable-changes)	chmod 000 "$c/reports/09-yobou/changes.xml" ;;
	unreadable-site-xml)	chmod 000 "$c/site.xml" ;;
	dangling-report-xml)	rm "$c/reports/09-yobou/report.xml"
				ln -s nowhere.xml "$c/reports/09-yobou/report.xml" ;;
	looping-report-xml)	rm "$c/reports/09-yobou/report.xml"
				ln -s report.xml "$c/reports/09-yobou/report.xml" ;;
	empty-tree)		rm -rf "$c/reports/"*; mkdir "$c/reports/01-new" ;;
	no-report)		rm -rf "$c/reports/"* ;;
	sections-link-out)	rm -rf "$c/reports/09-yobou/sections"; mkdir "$work/outside"
				cp "$work/canary.md" "$work/outside/1-cover.md"
				ln -s "$work/outside" "$c/reports/09-yobou/sections" ;;
	site-xml-link-out)	cp "$c/site.xml" "$work/site-outside.xml"
				echo "<!-- CANARY-OUTSIDE-THE-TREE -->" >> "$work/site-outside.xml"
				rm "$c/site.xml"; ln -s "$work/site-outside.xml" "$c/site.xml" ;;
	bad-name)		mv "$c/reports/09-yobou" "$c/reports/09:yobou" ;;
	esac
}

# case KIND CODE: the build fails with exit 1 and CODE, as the other user.
check() {
	rm -rf "$work/c" "$work/outside" "$work/site-outside.xml"
	cp -r "$top/tests/fixtures/site-mini" "$work/c"
	chmod -R a+rwX "$work/c"
	breakage "$1"
	listing "$work/c" > "$work/src-before" 2>/dev/null
	as_user "$pia" build "$work/c" -o "$work/out/site" >"$work/msg" 2>&1
	rc=$?
	if [ $rc = 1 ]; then ok; else bad "$1: exit $rc, not 1"; sed 5q "$work/msg"; fi
	if grep -q "\[$2\]" "$work/msg"; then ok; else bad "$1: no [$2]"; sed 5q "$work/msg"; fi
	if grep -q CANARY "$work/msg"; then bad "$1: read the canary outside the tree"; else ok; fi
	listing "$work/out/site" > "$work/after"
	if cmp -s "$work/before" "$work/after"; then ok; else bad "$1: the previous site changed"; fi
	listing "$work/c" > "$work/src-after" 2>/dev/null
	if cmp -s "$work/src-before" "$work/src-after"; then ok; else bad "$1: the sources changed"; fi
}

check unreadable-report SYS_OPEN
check unreadable-report-xml SYS_OPEN
check unreadable-reports SYS_OPEN
check unreadable-sections SYS_OPEN
check unlistable-sections SYS_OPEN
check unreadable-section SYS_OPEN
check unreadable-changes SYS_OPEN
check unreadable-site-xml SYS_OPEN
check dangling-report-xml SYS_OPEN
check looping-report-xml SYS_OPEN
check empty-tree SYS_OPEN
check no-report CONTENT_NOREPORT
check sections-link-out PATH_OUTSIDE
check site-xml-link-out PATH_OUTSIDE
check bad-name REPORT_NAME_CHAR

# The messages name the folder of an unreadable report exactly.
rm -rf "$work/c"; cp -r "$top/tests/fixtures/site-mini" "$work/c"; chmod -R a+rwX "$work/c"
chmod 000 "$work/c/reports/09-yobou"
got=$(as_user "$pia" check "$work/c" 2>&1)
want="$work/c/reports/09-yobou/report.xml: error: [SYS_OPEN] ファイルを開けません: Permission denied
エラー 1 件、警告 0 件"
if [ "$got" = "$want" ]; then ok; else bad "check of an unreadable report folder:"; printf '%s\n' "$got" | sed 5q; fi

# pia diff: an unreadable newest version is an error, not a diff against an older one.
rm -rf "$work/v"; cp -r "$top/tests/fixtures/versions" "$work/v"
cp -r "$work/v/published/2025-08-29" "$work/v/published/2025-09-30"
chmod -R a+rwX "$work/v"; chmod 000 "$work/v/published/2025-09-30"
got=$(as_user "$pia" diff "$work/v" 2>&1); rc=$?
want="$work/v/published/2025-09-30/report.xml: error: [SYS_OPEN] ファイルを開けません: Permission denied
エラー 1 件、警告 0 件"
if [ $rc = 1 ] && [ "$got" = "$want" ]; then ok; else bad "diff with an unreadable newest version: exit $rc"; printf '%s\n' "$got" | sed 5q; fi

# pia diff: a published/ that cannot be listed is an error, not "no version yet" (exit 2).
rm -rf "$work/v"; cp -r "$top/tests/fixtures/versions" "$work/v"
chmod -R a+rwX "$work/v"; chmod 000 "$work/v/published"
got=$(as_user "$pia" diff "$work/v" 2>&1); rc=$?
want="$work/v/published: error: [SYS_OPEN] ファイルを開けません: 権限がありません（EACCES）
エラー 1 件、警告 0 件"
if [ $rc = 1 ] && [ "$got" = "$want" ]; then ok; else bad "diff with an unreadable published/: exit $rc"; printf '%s\n' "$got" | sed 5q; fi
chmod 755 "$work/v/published"

# pia publish: a published/ linked out of the report is refused before anything is written there.
rm -rf "$work/k" "$work/elsewhere"; cp -r "$top/tests/fixtures/kiso" "$work/k"; mkdir "$work/elsewhere"
ln -s "$work/elsewhere" "$work/k/published"
"$pia" publish --first --date 令和7年6月2日 "$work/k" >"$work/msg" 2>&1; rc=$?
if [ $rc = 1 ] && grep -q '\[PATH_OUTSIDE\]' "$work/msg"; then ok; else bad "publish into a link out: exit $rc"; sed 5q "$work/msg"; fi
if [ -z "$(ls -A "$work/elsewhere")" ]; then ok; else bad "publish wrote outside the tree: $(ls -A "$work/elsewhere")"; fi

echo "loader: $pass passed, $fail failed"
[ $fail = 0 ]
