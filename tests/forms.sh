#!/bin/sh
# The 様式 files validate against their schema (xmllint, independent of pia's own loader).
pass=0 fail=0
for f in generator/forms/form*.xml; do
	if xmllint --noout --nonet --relaxng generator/forms/form.rng "$f" 2>/dev/null; then
		pass=$((pass+1))
	else
		echo "FAIL: $f does not validate against form.rng"; fail=$((fail+1))
	fi
done
for f in generator/forms/form.rng generator/load/site.rng generator/load/changes.rng; do
	if xmllint --noout --nonet "$f"; then pass=$((pass+1)); else fail=$((fail+1)); fi
done
echo "forms: $pass passed, $fail failed"
