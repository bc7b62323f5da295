#!/bin/sh
# Every message code of include/messages.def is explained in pia(1)
# DIAGNOSTICS (and in the Japanese page, in the same order; no page explains
# a code the table lacks), has a golden test case (tests/regress/AREA/CODE) that trips it
# (or a check in tests/serve/client.py), and a near miss (tests/regress/AREA/CODE-pass,
# or CODE-WHAT-pass): the closest edit that must not trip it, whose output does not
# show the code.  The table has no control characters; the man pages pass mandoc -Tlint.

# Codes no golden case can show, with the reason (one a line: CODE<tab>why).
no_fail_case='
SYS_CALL	a failing signalfd(2) or poll(2) in pia serve cannot be caused from outside
USAGE_LISTEN	pia serve runs until stopped, which a golden cannot; tests/serve/client.py checks it
SYS_NOMEM	out of memory
SYS_FEED	the feed writer of libxml2 failing
SERVE_WATCH	the limits of inotify used up
LINT_DATA	the lint data compiled into pia being broken
THEME_DEFAULT	the built pia always finds its themes/default
THEME_TEMPLATE	the built pia always finds its themes/default
CONTENT_NOSITE	cmd/serve.c and cmd/build.c check before the preview does
PUB_HISTORY_END	publish has loaded changes.xml against changes.rng first: only a file changed meanwhile
'
# Codes with a failing case but no meaningful near miss, with the reason.
no_pass_case='
'

exempt() {
	printf '%s\n' "$1" | grep -q "^$2	"
}

pass=0 fail=0
for code in $(sed -n 's/^PIA_MSG(\([A-Z_0-9]*\),.*/\1/p' include/messages.def); do
	if grep -q "^\.It Sy $code " generator/man/pia.1; then pass=$((pass+1)); else
		echo "FAIL: $code is not explained in generator/man/pia.1"; fail=$((fail+1)); fi
	if exempt "$no_fail_case" "$code"; then
		continue
	fi
	if grep -q "error: \[$code\]" tests/serve/client.py; then pass=$((pass+1)); continue; fi
	if ls -d tests/regress/*/"$code" >/dev/null 2>&1 &&
	    grep -q "\[$code\]" tests/regress/*/"$code"/expect; then pass=$((pass+1)); else
		echo "FAIL: $code has no test case tests/regress/*/$code whose output shows it"; fail=$((fail+1)); fi
	if exempt "$no_pass_case" "$code"; then
		continue
	fi
	near=0
	for dir in tests/regress/*/"$code"-pass tests/regress/*/"$code"-*-pass; do
		[ -f "$dir/expect" ] || continue
		if grep -q "\[$code\]" "$dir/expect"; then
			echo "FAIL: $dir: the near miss shows $code"; fail=$((fail+1)); near=-1; break
		fi
		near=1
	done
	if [ $near = 1 ]; then pass=$((pass+1)); elif [ $near = 0 ]; then
		echo "FAIL: $code has no near miss tests/regress/*/$code-pass (or an exemption in tests/meta.sh)"
		fail=$((fail+1)); fi
done
# Both pages' DIAGNOSTICS list every code of the table and nothing else, and
# the Japanese page lists them in the English page's order.
sed -n 's/^PIA_MSG(\([A-Z_0-9]*\),.*/\1/p' include/messages.def | sort >"${TMPDIR:-/tmp}/meta-codes.$$"
for m in generator/man/pia.1 generator/man/ja/pia.1; do
	for code in $(sed -n 's/^\.It Sy \([A-Z_0-9]*\) Pq .*/\1/p' "$m"); do
		if grep -qx "$code" "${TMPDIR:-/tmp}/meta-codes.$$"; then pass=$((pass+1)); else
			echo "FAIL: $m explains $code, which include/messages.def does not have"; fail=$((fail+1)); fi
	done
done
for code in $(cat "${TMPDIR:-/tmp}/meta-codes.$$"); do
	if grep -q "^\.It Sy $code Pq " generator/man/ja/pia.1; then pass=$((pass+1)); else
		echo "FAIL: $code is not explained in generator/man/ja/pia.1"; fail=$((fail+1)); fi
done
rm -f "${TMPDIR:-/tmp}/meta-codes.$$"
en=$(sed -n 's/^\.It Sy \([A-Z_0-9]*\) Pq .*/\1/p' generator/man/pia.1 | tr '\n' ' ')
ja=$(sed -n 's/^\.It Sy \([A-Z_0-9]*\) Pq .*/\1/p' generator/man/ja/pia.1 | tr '\n' ' ')
if [ "$en" = "$ja" ]; then pass=$((pass+1)); else
	echo "FAIL: the DIAGNOSTICS of ja/pia.1 are not in the order of pia.1:"
	printf '%s\n' "$en" | tr ' ' '\n' >"${TMPDIR:-/tmp}/meta-en.$$"
	printf '%s\n' "$ja" | tr ' ' '\n' | diff "${TMPDIR:-/tmp}/meta-en.$$" - | sed 5q
	rm -f "${TMPDIR:-/tmp}/meta-en.$$"; fail=$((fail+1)); fi
# pia(5) documents every element and attribute site.rng and changes.rng define:
# an element as <NAME or .Aq NAME, an attribute as NAME= or the word NAME.
for rng in generator/load/site.rng generator/load/changes.rng; do
	for n in $(sed -n 's/.*<element name="\([^"]*\)".*/\1/p' "$rng" | sort -u); do
		if grep -q -e "<$n[ >/]" -e "<$n\$" -e "Aq $n\( \|\$\)" generator/man/pia.5; then pass=$((pass+1)); else
			echo "FAIL: pia.5 does not document the element $n of $rng"; fail=$((fail+1)); fi
	done
	for n in $(sed -n 's/.*<attribute name="\([^"]*\)".*/\1/p' "$rng" | sort -u); do
		if grep -q -E "$n=|(^|[ ,(（、])$n($|[ ,)）、.])" generator/man/pia.5; then pass=$((pass+1)); else
			echo "FAIL: pia.5 does not document the attribute $n of $rng"; fail=$((fail+1)); fi
	done
done
# pia_diag escapes the formatted text, which is right only while the table's
# own texts hold no control characters.
if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" include/messages.def; then
	echo "FAIL: include/messages.def holds a control character"; fail=$((fail+1))
else pass=$((pass+1)); fi
for m in generator/man/*.[0-9] generator/man/ja/*.[0-9]; do
	if out=$(mandoc -Tlint -W warning "$m" 2>&1) && [ -z "$out" ]; then pass=$((pass+1)); else
		echo "FAIL: $m: $out"; fail=$((fail+1)); fi
done
echo "meta: $pass passed, $fail failed"
[ $fail = 0 ]
