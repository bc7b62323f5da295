#!/bin/sh
# make install / make uninstall (issue 22): install into a DESTDIR, then run
# the installed binary from / (no source tree in reach, no themes/ in ".")
# through the city's steps: new → check → build → pdf → serve; uninstall
# leaves nothing.  With dpkg-buildpackage present (and PIA_SKIP_DEB unset),
# the Debian package is built from a copy of the tree, checked by lintian and
# its unpacked binary runs the same steps; with PIA_TEST_APT=1 and as root,
# apt-get installs it, /usr/bin/pia runs them, apt-get removes it.
# Usage: install.sh PIA.  Prints "install: N passed, N failed".
top=$(pwd)
pass=0 fail=0
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT

ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }

# The steps a city runs, with the binary $1 whose data sits under its ../share.
walkthrough() {
	bin=$1 tag=$2 w="$work/$tag"
	mkdir -p "$w"
	cp -r "$top/content" "$w/city"
	( cd / && "$bin" --version ) >/dev/null 2>&1 && ok || bad "$tag: --version"
	# A new city: init; its 【】 are errors until the city fills them in; then
	# its site.xml is valid (the only error: no report yet).
	out=$(cd / && "$bin" init --name 星見台市 "$w/new-city" 2>&1; echo "exit $?")
	case "$out" in *"exit 0") ok ;; *) bad "$tag: init: $out" ;; esac
	out=$(cd / && "$bin" check "$w/new-city" 2>&1; echo "exit $?")
	case "$out" in *"[CONTENT_NOREPORT]"*"[SITE_PLACEHOLDER]"*"exit 1") ok ;; *) bad "$tag: check after init: $out" ;; esac
	sed -i 's/【[^】]*】/ほしみだい/g' "$w/new-city/site.xml"
	out=$(cd / && "$bin" check "$w/new-city" 2>&1; echo "exit $?")
	case "$out" in *"[CONTENT_NOREPORT]"*"エラー 1 件、警告 0 件"*"exit 1") ok ;; *) bad "$tag: check of the filled site.xml: $out" ;; esac
	out=$(cd / && "$bin" new --form 基礎 "$w/new-city/reports/01-draft" 2>&1; echo "exit $?")
	case "$out" in *"exit 0") ok ;; *) bad "$tag: new: $out" ;; esac
	out=$(cd / && "$bin" check "$w/new-city" 2>&1; echo "exit $?")
	case "$out" in *VAL_PLACEHOLDER*"exit 1") ok ;; *) bad "$tag: check of the skeleton: $(printf '%s' "$out" | tail -2)" ;; esac
	case "$out" in *CONTENT_NOREPORT*) bad "$tag: the new report was not found" ;; *) ok ;; esac
	out=$(cd / && "$bin" check "$w/city" 2>&1; echo "exit $?")
	[ "$out" = "$(printf 'エラー 0 件、警告 0 件\nexit 0')" ] && ok || bad "$tag: check of the city: $out"
	out=$(cd / && "$bin" build "$w/city" -o "$w/site" 2>&1; echo "exit $?")
	case "$out" in *"exit 0") ok ;; *) bad "$tag: build: $out" ;; esac
	[ -f "$w/site/index.html" ] && [ -f "$w/site/assets/pia.css" ] && ok || bad "$tag: build wrote no index or no theme assets"
	cmp -s "$w/site/assets/pia.css" "$top/themes/default/assets/pia.css" && ok || bad "$tag: the theme's CSS is not the installed default"
	out=$(cd / && "$bin" pdf "$w/city/reports/03-jido-fuyo" -o "$w/kiso.pdf" 2>&1; echo "exit $?")
	# Its one line says the file and its pages (the 様式2 of 03-jido-fuyo: 15).
	[ "$out" = "$(printf '%s: PDF を書きました（15 ページ、警告 0 件）\nexit 0' "$w/kiso.pdf")" ] &&
	    pdffonts "$w/kiso.pdf" | grep -q IPAex && ok || bad "$tag: pdf: $out"
	# The preview: started from /, it must find its theme and answer.
	if (cd / && python3 - "$bin" "$w/city") <<'EOF'
import subprocess, sys, re, urllib.request
p = subprocess.Popen([sys.argv[1], "serve", "--port", "0", sys.argv[2]],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", p.stdout.readline())
    body = urllib.request.urlopen("http://127.0.0.1:%s/" % m.group(1), timeout=20).read().decode()
    css = urllib.request.urlopen("http://127.0.0.1:%s/assets/pia.css" % m.group(1), timeout=20).status
    sys.exit(0 if "<html" in body and css == 200 else 1)
finally:
    p.terminate(); p.wait()
EOF
	then ok; else bad "$tag: serve from / did not answer with the theme"; fi
}

# The package installed with apt-get, its binary run, the package removed.
apt_walkthrough() {
	if dpkg -s pia >/dev/null 2>&1; then
		bad "apt: a pia package is installed already (not replaced by the test)"
		return
	fi
	apt="apt-get -y -q --no-install-recommends -o DPkg::Lock::Timeout=120"
	# Never the network: every dependency must be installed already (tools/debian-packages.txt).
	others=$($apt install --simulate "$1" 2>&1 | sed -n 's/^Inst \([^ ]*\).*/\1/p' | grep -vx pia)
	if [ -n "$others" ]; then
		bad "apt: installing the package would download $(echo $others)"; return; fi
	if $apt install "$1" >"$work/apt.log" 2>&1; then ok; else
		bad "apt-get install $(basename "$1"): $(tail -3 "$work/apt.log")"; return; fi
	for f in /usr/bin/pia /usr/share/pia/themes/default/html/page.xhtml \
	    /usr/share/man/man1/pia.1.gz /usr/share/man/ja/man1/pia.1.gz /usr/share/man/ja/man5/pia.5.gz; do
		[ -f "$f" ] && ok || bad "apt: the package did not install $f"
	done
	walkthrough /usr/bin/pia apt
	if $apt remove pia >"$work/apt.log" 2>&1; then ok; else
		bad "apt-get remove pia: $(tail -3 "$work/apt.log")"; fi
	[ ! -e /usr/bin/pia ] && [ ! -e /usr/share/pia ] && ok || bad "apt-get remove left /usr/bin/pia or /usr/share/pia"
}

# make install into a DESTDIR, the binary run from /.
dest="$work/dest"
if make -s install DESTDIR="$dest" PREFIX=/usr/local >"$work/install.log" 2>&1; then ok; else bad "make install: $(tail -3 "$work/install.log")"; fi
for f in bin/pia share/pia/themes/default/html/page.xhtml share/pia/themes/default/assets/search.js \
    share/man/man1/pia.1 share/man/man5/pia.5 share/man/man5/pia-forms.5; do
	[ -f "$dest/usr/local/$f" ] && ok || bad "make install did not write $f"
done
[ -x "$dest/usr/local/bin/pia" ] && walkthrough "$dest/usr/local/bin/pia" destdir
if make -s uninstall DESTDIR="$dest" PREFIX=/usr/local >"$work/uninstall.log" 2>&1; then ok; else bad "make uninstall: $(tail -3 "$work/uninstall.log")"; fi
left=$(find "$dest" -type f | sed "s|^$dest||")
[ -z "$left" ] && ok || bad "make uninstall left: $left"

# The Debian package, built from a copy of the committed tree.
if [ -z "${PIA_SKIP_DEB:-}" ] && command -v dpkg-buildpackage >/dev/null 2>&1 && command -v lintian >/dev/null 2>&1; then
	mkdir "$work/src"
	# Committed and new files, as a fresh checkout of this tree would have them.
	git -C "$top" ls-files -z -c -o --exclude-standard | (cd "$top" && xargs -0 cp --parents -t "$work/src")
	if (cd "$work/src" && dpkg-buildpackage -us -uc -b) >"$work/deb.log" 2>&1; then ok; else bad "dpkg-buildpackage: $(tail -5 "$work/deb.log")"; fi
	deb=$(ls "$work"/pia_*.deb 2>/dev/null | head -1)
	if [ -n "$deb" ]; then
		errs=$(lintian --fail-on error "$deb" 2>&1 | grep '^E:')
		[ -z "$errs" ] && ok || bad "lintian: $errs"
		dpkg-deb -x "$deb" "$work/debroot" && ok || bad "dpkg-deb -x"
		[ -x "$work/debroot/usr/bin/pia" ] && walkthrough "$work/debroot/usr/bin/pia" deb
		# PIA_TEST_APT=1 as root (CI, a throwaway machine): installed by apt as a
		# city's server gets it (no download: its dependencies are there), the
		# installed /usr/bin/pia runs the steps from /, then apt removes it.
		if [ "${PIA_TEST_APT:-}" = 1 ] && [ "$(id -u)" = 0 ]; then
			apt_walkthrough "$deb"
		fi
	else
		bad "no .deb was built"
	fi
fi

echo "install: $pass passed, $fail failed"
[ $fail = 0 ]
