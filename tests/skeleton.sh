#!/bin/sh
# pia new writes a skeleton of each 様式 that pia check loads, reporting
# placeholders only (VAL_PLACEHOLDER), with exit status 1.
pia=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
pass=0 fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for form in 基礎 重点 全項目; do
	if ! (cd "$work" && "$pia" new --form "$form" "new-$form" >/dev/null); then
		echo "FAIL: pia new --form $form"; fail=$((fail+1)); continue
	fi
	out=$(cd "$work" && "$pia" check "new-$form"); rc=$?
	others=$(printf '%s\n' "$out" | grep -E ': (error|warning): ' | grep -v '\[VAL_PLACEHOLDER\]')
	n=$(printf '%s\n' "$out" | grep -c '\[VAL_PLACEHOLDER\]')
	if [ $rc = 1 ] && [ -z "$others" ] && [ "$n" -gt 20 ]; then
		pass=$((pass+1))
	else
		echo "FAIL: skeleton $form: exit $rc, $n placeholders"; printf '%s\n' "$others" | head -5
		fail=$((fail+1))
	fi
	# A second pia new into the same folder refuses to overwrite.
	if (cd "$work" && "$pia" new --form "$form" "new-$form" >/dev/null 2>&1); then
		echo "FAIL: pia new overwrote new-$form"; fail=$((fail+1))
	else
		pass=$((pass+1))
	fi
done
echo "skeleton: $pass passed, $fail failed"
