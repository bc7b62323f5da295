#!/bin/sh
# Run every test of pia: unit programs, golden messages, skeletons, form
# files, man pages, the bench report generator, the preview server.
# Usage: run.sh PIA UNIT_TEST_BINARIES…
# Last line: "N passed, N failed" over all groups.
pia=$1; shift
total_pass=0 total_fail=0

count() {	# add up a group's "NAME: N passed, N failed" line
	line=$(printf '%s\n' "$1" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -1)
	p=$(printf '%s\n' "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')
	f=$(printf '%s\n' "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	[ -n "$p" ] || { p=0; f=1; }
	total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
}

for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	printf '%s\n' "$out" | grep -E 'FAIL|passed' 
	[ $rc = 0 ] || printf '%s\n' "$out" | tail -5
	count "$out"
done

out=$(sh tests/regress.sh "$pia" 2>&1)
printf '%s\n' "$out" | grep -E 'FAIL|^[-+@]|passed'
count "$out"

out=$(sh tests/history.sh "$pia" 2>&1)
printf '%s\n' "$out"
count "$out"

out=$(sh tests/skeleton.sh "$pia" 2>&1)
printf '%s\n' "$out"
count "$out"

out=$(sh tests/forms.sh 2>&1)
printf '%s\n' "$out"
count "$out"

out=$(sh tests/meta.sh 2>&1)
printf '%s\n' "$out"
count "$out"

out=$(sh tests/manhelp.sh "$pia" 2>&1)
printf '%s\n' "$out"
count "$out"

out=$(sh tests/html.sh "$pia" 2>&1)
printf '%s\n' "$out" | grep -E 'FAIL|passed'
count "$out"

out=$(sh tests/genreport.sh "$pia" 2>&1)
printf '%s\n' "$out"
count "$out"

out=$(sh tests/pdf.sh "$pia" 2>&1)
printf '%s\n' "$out"
count "$out"

out=$(sh tests/grid.sh "$pia" 2>&1)
printf '%s\n' "$out"
count "$out"

out=$(sh tests/import-report.sh "$pia" 2>&1)
printf '%s\n' "$out" | grep -E 'FAIL|passed|items'
count "$out"

out=$(sh tests/serve.sh "$pia" 2>&1)
printf '%s\n' "$out"
count "$out"

out=$(sh tests/atomic.sh "$pia" 2>&1)
printf '%s\n' "$out"
count "$out"

out=$(sh tests/loader.sh "$pia" 2>&1)
printf '%s\n' "$out"
count "$out"

out=$(sh tests/output.sh "$pia" 2>&1)
printf '%s\n' "$out"
count "$out"

out=$(sh tests/install.sh "$pia" 2>&1)
printf '%s\n' "$out"
count "$out"

out=$(sh tests/html-escape.sh "$pia" 2>&1)
printf '%s\n' "$out"
count "$out"

out=$(sh tests/footnote.sh "$pia" 2>&1)
printf '%s\n' "$out"
count "$out"

out=$(sh tests/realchanges.sh "$pia" 2>&1)
printf '%s\n' "$out"
count "$out"

echo "$total_pass passed, $total_fail failed"
[ $total_fail = 0 ]
