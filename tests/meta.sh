#!/bin/sh
# Every message code of include/messages.def is explained in pia(1)
# DIAGNOSTICS and has a golden test case (tests/regress/AREA/CODE) that trips it;
# the man pages pass mandoc -Tlint.
pass=0 fail=0
for code in $(sed -n 's/^PIA_MSG(\([A-Z_0-9]*\),.*/\1/p' include/messages.def); do
	if grep -q "^\.It Sy $code " generator/man/pia.1; then pass=$((pass+1)); else
		echo "FAIL: $code is not explained in generator/man/pia.1"; fail=$((fail+1)); fi
	if ls -d tests/regress/*/"$code" >/dev/null 2>&1 &&
	    grep -q "\[$code\]" tests/regress/*/"$code"/expect; then pass=$((pass+1)); else
		echo "FAIL: $code has no test case tests/regress/*/$code whose output shows it"; fail=$((fail+1)); fi
done
for m in generator/man/*.[0-9]; do
	if out=$(mandoc -Tlint -W warning "$m" 2>&1) && [ -z "$out" ]; then pass=$((pass+1)); else
		echo "FAIL: $m: $out"; fail=$((fail+1)); fi
done
echo "meta: $pass passed, $fail failed"
