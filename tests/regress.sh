#!/bin/sh
# Golden tests of pia's messages (mandoc's regress/ layout).
#   tests/regress/AREA/CASE/apply   shell run inside a copy of the fixture (tests/fixtures/BASE),
#                                   with sh -e and the edit helpers of tests/regress/lib.sh
#   tests/regress/AREA/CASE/base    fixture name (default: kiso), a folder of the repository, or none
#   tests/regress/AREA/CASE/cmd     the pia arguments (default: check CASE)
#   tests/regress/AREA/CASE/expect  exact output of pia, then "exit N"
# Usage: regress.sh [--update] PIA.  Prints "regress: N passed, N failed".
# The system python3 (the one with Debian's python3 modules) before any pyenv
# shim: a shim costs several shell processes on each of the cases' edits.
if [ -x /usr/bin/python3 ]; then PATH=/usr/bin:$PATH; export PATH; fi
update=0
if [ "$1" = "--update" ]; then update=1; shift; fi
pia=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(pwd)
pass=0 fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for dir in tests/regress/*/*/; do
	dir=${dir%/}
	name=$(basename "$dir")
	base=kiso
	[ -f "$dir/base" ] && base=$(cat "$dir/base")
	rm -rf "${work:?}/$name"
	if [ "$base" = none ]; then
		mkdir "$work/$name"
	elif [ -d "$base" ]; then		# a path from the top of the repository
		cp -r "$base" "$work/$name"
	elif [ -d "tests/fixtures/$base" ]; then
		cp -r "tests/fixtures/$base" "$work/$name"
	else
		echo "FAIL: $dir: no base $base"; fail=$((fail+1)); continue
	fi
	if [ -f "$dir/apply" ]; then
		# sh -e with the helpers of tests/regress/lib.sh: an edit that does not apply fails the case.
		(cd "$work/$name" && REPO="$top" sh -ec '. "$REPO/tests/regress/lib.sh"; . "$1"' apply "$top/$dir/apply") ||
		    { echo "FAIL: $dir: apply failed"; fail=$((fail+1)); continue; }
	fi
	args="check $name"
	[ -f "$dir/cmd" ] && args=$(cat "$dir/cmd")
	got=$(cd "$work" && $pia $args 2>&1; echo "exit $?")
	if [ $update = 1 ]; then
		if [ ! -f "$dir/expect" ] || [ "$got" != "$(cat "$dir/expect")" ]; then
			echo "== $dir"
			[ -f "$dir/expect" ] && printf '%s\n' "$got" | diff -u "$dir/expect" - | sed 1,2d
			[ -f "$dir/expect" ] || printf '%s\n' "$got"
			printf '%s\n' "$got" > "$dir/expect"
		fi
		pass=$((pass+1))
	elif [ "$got" = "$(cat "$dir/expect" 2>/dev/null)" ]; then
		pass=$((pass+1))
	else
		echo "FAIL: $dir"
		printf '%s\n' "$got" | diff -u "$dir/expect" - | sed 1,2d | head -20
		fail=$((fail+1))
	fi
done
echo "regress: $pass passed, $fail failed"
[ $fail = 0 ]
