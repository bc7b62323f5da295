#!/bin/sh
# The man page and --help agree: for each command, the options of its
# SYNOPSIS in generator/man/pia.1 are the options its --help shows, and
# the Japanese page generator/man/ja/pia.1 has the same SYNOPSIS.
# Usage: manhelp.sh PIA.  Prints "manhelp: N passed, N failed".
pia=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
pass=0 fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The SYNOPSIS as "command option" lines: .Fl Fl name → --name, .Fl q → -q.
synopsis() {
sed -n '/^\.Sh SYNOPSIS/,/^\.Sh /p' "$1" | awk '
	/^\.Nm/ { cmd = ""; next }
	/^\.Cm / { cmd = $2; print cmd " "; next }
	cmd != "" {
		for (i = 1; i < NF; i++)
			if ($i == "Fl" || $i == ".Fl") {
				if ($(i + 1) == "Fl") { print cmd " --" $(i + 2); i += 2 }
				else { print cmd " -" $(i + 1); i++ }
			}
	}' | LC_ALL=C sort -u
}
synopsis generator/man/pia.1 > "$work/man"
synopsis generator/man/ja/pia.1 > "$work/man-ja"
if cmp -s "$work/man" "$work/man-ja"; then pass=$((pass+1)); else
	echo "FAIL: the SYNOPSIS of ja/pia.1 differs from pia.1 (< en, > ja)"
	diff "$work/man" "$work/man-ja" | grep '^[<>]'
	fail=$((fail+1))
fi
cmds=$(cut -d' ' -f1 "$work/man" | LC_ALL=C sort -u)
[ -n "$cmds" ] || { echo "FAIL: no commands in the SYNOPSIS"; exit 1; }
for c in $cmds; do
	if ! "$pia" "$c" --help > "$work/help" 2>&1; then
		echo "FAIL: pia $c --help exits non-zero"; fail=$((fail+1)); continue
	fi
	grep "^$c " "$work/man" | sed 's/^[^ ]* //' | grep . | LC_ALL=C sort -u > "$work/m"
	# Options are written at the start of a help line or inside [ ] of its usage.
	# "-n, --dry-run": one option, the man page names it by its short name.
	sed 's/\(-[a-zA-Z]\), --[a-z][a-z-]*/\1/' "$work/help" |
	    grep -o -- '--[a-z][a-z-]*\|\(^\|[ [|]\)-[a-zA-Z]\b' | sed 's/^[ [|]//' |
	    grep -v -- '^--help$' | LC_ALL=C sort -u > "$work/h"
	if cmp -s "$work/m" "$work/h"; then pass=$((pass+1)); else
		echo "FAIL: pia $c: pia.1 SYNOPSIS and --help differ (< man, > help)"
		diff "$work/m" "$work/h" | grep '^[<>]'
		fail=$((fail+1))
	fi
done
echo "manhelp: $pass passed, $fail failed"
[ $fail = 0 ]
