#!/bin/sh
# pia build never publishes half a site: a failed build leaves the previous
# output byte-identical (same files, same bytes), and SIGINT or SIGTERM at
# any moment of a build of the real content/ leaves either the old site or
# the whole new one, and nothing beside it (no OUT.tmp.*, no OUT.old.*).
# The delays only vary where the signal lands; no assertion depends on time.
# Usage: atomic.sh PIA.  Prints "atomic: N passed, N failed".
pia=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(pwd)
pass=0 fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }

# Every file of a site with its checksum, and the folder list.
listing() {
	(cd "$1" && find . | LC_ALL=C sort && find . -type f | LC_ALL=C sort | xargs sha256sum)
}

# Nothing but the site itself in the output's parent folder.
alone() {
	extra=$(ls -A "$work/out" | grep -v '^site$')
	[ -z "$extra" ] || { bad "$1: left beside the site: $extra"; return 1; }
}

mkdir "$work/out"
cp -r "$top/content" "$work/content"
if "$pia" build "$work/content" -o "$work/out/site" >/dev/null 2>&1; then ok; else bad "first build of content/ failed"; fi
listing "$work/out/site" > "$work/before"

# Failed builds: each breaks the content in one way, early (loading) or late
# (while the PDFs are written), and must leave the site as it was.
breakage() {
	r=$work/broken/reports/01-jumin
	case $1 in
	syntax)		sed -i 's|</評価書名>||' "$r/report.xml" ;;
	xxe)		sed -i '1a <!DOCTYPE x [ <!ENTITY e SYSTEM "file:///etc/passwd"> ]>' "$work/broken/site.xml" ;;
	choice)		sed -i '0,/<対象人数>[^<]*</s//<対象人数>約3万人</' "$r/report.xml" ;;
	glyph)		f=$(ls "$r"/sections/*.md | tail -1); printf '\n\360\237\230\200\n' >> "$f" ;;
	link)		f=$(ls "$r"/sections/*.md | tail -1); printf '\n[手順](javascript:alert(1))\n' >> "$f" ;;
	symlink)	ln -s /etc/passwd "$r/sections/9-passwd.md" ;;
	esac
}
for kind in syntax xxe choice glyph link symlink; do
	rm -rf "$work/broken"
	cp -r "$work/content" "$work/broken"
	breakage $kind
	"$pia" build "$work/broken" -o "$work/out/site" >"$work/msg" 2>&1
	rc=$?
	if [ $rc = 1 ]; then ok; else bad "$kind: exit $rc, not 1"; sed 5q "$work/msg"; fi
	listing "$work/out/site" > "$work/after"
	if cmp -s "$work/before" "$work/after"; then ok; else bad "$kind: the previous site changed"; fi
	alone "$kind" && ok
done

# Signals at several moments of a build of the real content.
hit=0
for sig in INT TERM; do
	for delay in 0 0.02 0.05 0.1 0.2 0.3 0.5 0.8; do
		# A background job of sh starts with SIGINT ignored; Ctrl-C does not.
		env --default-signal=INT,TERM "$pia" build "$work/content" -o "$work/out/site" \
		    >/dev/null 2>&1 &
		pid=$!
		sleep $delay
		kill -$sig $pid 2>/dev/null
		wait $pid 2>/dev/null
		rc=$?
		[ $rc = 0 ] || hit=$((hit+1))
		# Killed by the signal (128+n), or finished before it came (0).
		case $rc in
		0|130|143) ok ;;
		*) bad "SIG$sig after ${delay}s: exit $rc" ;;
		esac
		if [ -d "$work/out/site" ]; then
			listing "$work/out/site" > "$work/after"
			if cmp -s "$work/before" "$work/after"; then ok; else bad "SIG$sig after ${delay}s: the site is not whole"; fi
		else
			bad "SIG$sig after ${delay}s: no site left"
		fi
		alone "SIG$sig after ${delay}s" && ok
	done
done

# pia pdf alone: an interrupted PDF leaves the previous file and no temporary one.
mkdir "$work/pdfout"
"$pia" pdf "$work/content/reports/01-jumin" -o "$work/pdfout/r.pdf" >/dev/null 2>&1
cksum <"$work/pdfout/r.pdf" >"$work/pdf.before"
for delay in 0.05 0.1 0.2 0.3 0.4 0.6; do
	env --default-signal=INT,TERM "$pia" pdf "$work/content/reports/01-jumin" \
	    -o "$work/pdfout/r.pdf" >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -INT $pid 2>/dev/null
	wait $pid 2>/dev/null
	rc=$?
	case $rc in
	0|130) ok ;;
	*) bad "pdf SIGINT after ${delay}s: exit $rc" ;;
	esac
	left=$(ls -A "$work/pdfout" | grep -v '^r\.pdf$')
	# Finished or not, r.pdf holds the same bytes (the build is reproducible).
	if [ -z "$left" ] && [ "$(cksum <"$work/pdfout/r.pdf")" = "$(cat "$work/pdf.before")" ]; then ok; else
		bad "pdf SIGINT after ${delay}s: left '$left' or changed the previous PDF"; fi
done

echo "atomic: $hit of 16 builds were interrupted (the others had finished)"
echo "atomic: $pass passed, $fail failed"
[ $fail = 0 ]
