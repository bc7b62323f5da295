#!/bin/sh
# Nothing lost, nothing escapes (issue 16): every output that would write
# over the sources is refused with exit 2 and the sources stay byte-identical;
# a build killed with SIGKILL leaves temporaries that the next build
# removes; a full disk, a read-only disk or a file size limit is exit 2
# with the system's reason in Japanese, and the previous site, PDF or
# source stays as it was.  The disk cases mount a small tmpfs, which
# needs root; without it they are skipped and say so.
# Usage: output.sh PIA.  Prints "output: N passed, N failed".
pia=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(pwd)
pass=0 fail=0
work=$(mktemp -d)
mnt=$work/mnt
cleanup() {
	mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
	rm -rf "$work"
}
trap cleanup EXIT

ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }

# Every file and folder below $1 with its checksum.
listing() {
	(cd "$1" && find . | LC_ALL=C sort && find . -type f | LC_ALL=C sort | xargs -r sha256sum)
}

# expect NAME RC CODE: the last command's exit status and message code
# (CODE an extended regular expression).
expect() {
	if [ "$rc" = "$2" ] && grep -Eq "\[($3)\]" "$work/msg"; then ok; else
		bad "$1: exit $rc (want $2), no [$3]"; sed 3q "$work/msg"; fi
}

# The content tree and the names beside it.
state() {
	listing "$work/content"
	ls -A "$work" | grep -Ev '^(msg|state\..*)$'
}

cp -r "$top/content" "$work/content"
state > "$work/state.before"

# Outputs over the content tree, spelled every way; each refused before
# anything is read or written, the whole work folder unchanged.
cd "$work" || exit 1
ln -s content alias
for o in content content/ ./content content/. content// content/reports \
    content/reports/01-jumin content/reports/new content/reports/.. . ./ .. / \
    "$work" "$work/content" alias alias/ alias/reports content/../content; do
	"$pia" build content -o "$o" >"$work/msg" 2>&1; rc=$?
	expect "build -o $o" 2 OUT_CONTENT
done
# The content named through the link, the output plainly.
"$pia" build alias -o content >"$work/msg" 2>&1; rc=$?
expect "build alias -o content" 2 OUT_CONTENT
rm alias
for o in content/reports/01-jumin/report.xml content/site.xml \
    content/reports/01-jumin/sections/01-表紙.md content/reports/01-jumin/changes.xml \
    content/reports/01-jumin/sections/new.md content/reports/01-jumin/sections/../report.xml; do
	"$pia" pdf content/reports/01-jumin -o "$o" >"$work/msg" 2>&1; rc=$?
	expect "pdf -o $o" 2 OUT_SOURCE
	"$pia" pdf content/reports/01-jumin --trace "$o" -o "$work/x.pdf" >"$work/msg" 2>&1; rc=$?
	expect "pdf --trace $o" 2 OUT_SOURCE
done
for o in content/reports/01-jumin content/reports/01-jumin/ . new/; do
	"$pia" pdf content/reports/01-jumin -o "$o" >"$work/msg" 2>&1; rc=$?
	expect "pdf -o $o" 2 OUT_IS_DIR
done
# An empty name is a usage error, not the current folder.
"$pia" build content -o "" >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok || bad "build -o '': exit $rc"
"$pia" pdf content/reports/01-jumin -o "" >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok || bad "pdf -o '': exit $rc"
"$pia" new --form 基礎 "" >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok || bad "new '': exit $rc"
state > "$work/state.after"
if cmp -s "$work/state.before" "$work/state.after"; then ok; else
	bad "refused outputs changed something"; diff "$work/state.before" "$work/state.after" | sed 5q; fi

# pia build killed with SIGKILL (no handler runs) at several moments: the
# next build removes what the killed one left, and only that.
mkdir "$work/out"
"$pia" build content -o out/site >/dev/null 2>&1 || bad "first build failed"
echo keep > out/site.pia-tmp.notapid.abcdef
echo keep > out/other-file
killed=0
for delay in 0.05 0.15 0.3 0.5 0.7; do
	"$pia" build content -o out/site >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	[ $? = 137 ] && killed=$((killed+1))
done
[ -d out/site ] && ok || bad "SIGKILL: no site left"
"$pia" build content -o out/site >"$work/msg" 2>&1; rc=$?
[ $rc = 0 ] && ok || { bad "build after SIGKILL: exit $rc"; cat "$work/msg"; }
left=$(ls -A out | LC_ALL=C sort | tr '\n' ' ')
if [ "$left" = "other-file site site.pia-tmp.notapid.abcdef " ]; then ok; else
	bad "after SIGKILL and a new build: $left"; fi
echo "output: $killed of 5 builds were killed mid-way"
# pia pdf killed likewise: the next pia pdf of the same file sweeps.
"$pia" pdf content/reports/01-jumin -o out/r.pdf >/dev/null 2>&1
sleep 30 &
live=$!
: > "out/r.pdf.pia-tmp.$live.LiVe00"
for delay in 0.1 0.3; do
	"$pia" pdf content/reports/01-jumin -o out/r.pdf >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
done
"$pia" pdf content/reports/01-jumin -o out/r.pdf >/dev/null 2>&1
left=$(ls -A out | grep '^r\.pdf' | LC_ALL=C sort | tr '\n' ' ')
# A live process's temporary file is never taken.
if [ "$left" = "r.pdf r.pdf.pia-tmp.$live.LiVe00 " ]; then ok; else bad "pdf after SIGKILL: $left"; fi
kill $live 2>/dev/null
wait $live 2>/dev/null
rm -f "out/r.pdf.pia-tmp.$live.LiVe00"

# A file size limit (ulimit -f, no root needed): EFBIG, not a silent death by SIGXFSZ.
listing out/site > "$work/site.before"
(ulimit -f 64; exec "$pia" build content -o out/site) >"$work/msg" 2>&1; rc=$?
expect "build under ulimit -f" 2 'PDF_WRITE|SYS_WRITE'
grep -q 'EFBIG' "$work/msg" && ok || bad "ulimit -f: no EFBIG in: $(cat "$work/msg")"
listing out/site > "$work/site.after"
cmp -s "$work/site.before" "$work/site.after" && ok || bad "ulimit -f: the site changed"
[ -z "$(ls -A out | grep pia-)" ] || [ "$(ls -A out | grep pia-)" = site.pia-tmp.notapid.abcdef ] && ok ||
	bad "ulimit -f: left $(ls -A out)"

# A full disk and a read-only disk: a small tmpfs (root only).
mkdir "$mnt"
if mount -t tmpfs -o size=6m tmpfs "$mnt" 2>/dev/null; then
	# The site (4 MB) fits once, not twice: the second build fills the disk
	# (without the manifest it renders every report again, issue 20).
	"$pia" build content -o "$mnt/site" >"$work/msg" 2>&1; rc=$?
	[ $rc = 0 ] && ok || { bad "tmpfs: first build exit $rc"; cat "$work/msg"; }
	rm -f "$mnt/site/.pia-manifest"
	listing "$mnt/site" > "$work/site.before"
	"$pia" build content -o "$mnt/site" >"$work/msg" 2>&1; rc=$?
	expect "build on a full disk" 2 'PDF_WRITE|SYS_WRITE'
	grep -q 'ディスクの空きが足りません（ENOSPC）' "$work/msg" && ok || bad "full disk: $(cat "$work/msg")"
	grep -q 'エラーがあるため' "$work/msg" && bad "full disk blamed the sources" || ok
	listing "$mnt/site" > "$work/site.after"
	cmp -s "$work/site.before" "$work/site.after" && ok || bad "full disk: the site changed"
	left=$(ls -A "$mnt")
	[ "$left" = site ] && ok || bad "full disk: left $left"
	# pia pdf on a nearly full disk: the previous PDF stays.
	cp "$mnt/site/01-jumin/01-jumin.pdf" "$mnt/keep.pdf"
	dd if=/dev/zero of="$mnt/fill" bs=1k count=$(( $(df -k "$mnt" | awk 'NR==2 {print $4}') - 40 )) 2>/dev/null
	"$pia" pdf content/reports/01-jumin -o "$mnt/keep.pdf" >"$work/msg" 2>&1; rc=$?
	expect "pdf on a full disk" 2 PDF_WRITE
	cmp -s "$mnt/keep.pdf" "$mnt/site/01-jumin/01-jumin.pdf" && ok || bad "full disk: the old PDF changed"
	rm -f "$mnt/fill" "$mnt/keep.pdf"
	# check --fix on a read-only disk: EROFS, the source as it was.  The
	# disk grows first: the site nearly fills it and the sources must fit.
	mount -o remount,size=32m "$mnt"
	cp -r content "$mnt/src" || bad "read-only: the sources were not copied"
	printf '\n令和1年\n' >> "$mnt/src/reports/01-jumin/sections/01-表紙.md"
	cksum < "$mnt/src/reports/01-jumin/sections/01-表紙.md" > "$work/md.before"
	mount -o remount,ro "$mnt"
	"$pia" check --fix "$mnt/src" >"$work/msg" 2>&1; rc=$?
	expect "check --fix on a read-only disk" 2 SYS_WRITE
	grep -q '読み取り専用のディスクです（EROFS）' "$work/msg" && ok || bad "read-only: $(grep SYS_WRITE "$work/msg")"
	cksum < "$mnt/src/reports/01-jumin/sections/01-表紙.md" | cmp -s - "$work/md.before" && ok ||
		bad "read-only: the source changed"
	"$pia" build content -o "$mnt/site" >"$work/msg" 2>&1; rc=$?
	expect "build on a read-only disk" 2 SYS_WRITE
	umount "$mnt"
else
	echo "output: tmpfs cannot be mounted here (not root?): full and read-only disk cases skipped"
fi

# pia serve killed with SIGKILL leaves its folder in TMPDIR; the next server sweeps it,
# and a server stopped with SIGINT leaves nothing.  A report folder the loader cannot
# read is listed by the preview too (its error shown, not skipped).
mkdir "$work/servetmp"
cp -r content "$work/serve-content"
mkdir "$work/serve-content/reports/05-unreadable"
serve_once() {	# SIGNAL: start pia serve, wait for its address, send SIGNAL
	TMPDIR="$work/servetmp" "$pia" serve --port 0 "$work/serve-content" >"$work/serve.out" 2>"$work/serve.err" &
	spid=$!
	i=0
	while [ $i -lt 100 ] && ! grep -q 'http://127' "$work/serve.out"; do sleep 0.1; i=$((i+1)); done
	grep -q 'http://127' "$work/serve.out" && ok || bad "pia serve did not start: $(head -3 "$work/serve.err")"
	kill -"$1" $spid; wait $spid 2>/dev/null
}
serve_once KILL
[ -n "$(ls -A "$work/servetmp")" ] && ok || bad "serve: SIGKILL left no temporary folder (the sweep test cannot work)"
grep -q '05-unreadable/report.xml.*SYS_OPEN' "$work/serve.err" && ok ||
	bad "serve: the report folder without report.xml was not reported: $(head -3 "$work/serve.err")"
serve_once INT
left=$(ls -A "$work/servetmp")
[ -z "$left" ] && ok || bad "serve: left in TMPDIR after a SIGKILL and a SIGINT: $left"

echo "output: $pass passed, $fail failed"
[ $fail = 0 ]
