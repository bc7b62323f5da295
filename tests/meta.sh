#!/bin/sh
# Every message code of include/messages.def is explained in pia(1)
# DIAGNOSTICS and has a golden test case (tests/regress/AREA/CODE) that trips it
# (or a check in tests/serve/client.py, or is listed as untestable below);
# the table has no control characters; the man pages pass mandoc -Tlint.
# Messages of the preview are tested by tests/serve/client.py instead.
# A few system errors cannot be provoked by a test (pia(1) says so):
#   SYS_NOMEM       out of memory
#   SYS_FEED        libxml2's writer failing
#   SERVE_WATCH     inotify's limits used up
#   LINT_DATA       the lint's data compiled into pia being broken
#   THEME_DEFAULT, THEME_TEMPLATE  the built pia always finds its themes/default
#   CONTENT_NOSITE  cmd/serve.c and cmd/build.c check before the preview does
untestable="SYS_NOMEM SYS_FEED SERVE_WATCH LINT_DATA THEME_DEFAULT THEME_TEMPLATE CONTENT_NOSITE"
pass=0 fail=0
for code in $(sed -n 's/^PIA_MSG(\([A-Z_0-9]*\),.*/\1/p' include/messages.def); do
	if grep -q "^\.It Sy $code " generator/man/pia.1; then pass=$((pass+1)); else
		echo "FAIL: $code is not explained in generator/man/pia.1"; fail=$((fail+1)); fi
	case " $untestable " in *" $code "*) continue ;; esac
	if grep -q "error: \[$code\]" tests/serve/client.py; then pass=$((pass+1)); continue; fi
	if ls -d tests/regress/*/"$code" >/dev/null 2>&1 &&
	    grep -q "\[$code\]" tests/regress/*/"$code"/expect; then pass=$((pass+1)); else
		echo "FAIL: $code has no test case tests/regress/*/$code whose output shows it"; fail=$((fail+1)); fi
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
