#!/bin/sh
# Nothing executable from the sources reaches a page.  Hostile text is put
# into every kind of value pia publishes (site.xml elements and attributes,
# report.xml text, Markdown text, code, link titles, image alt texts, the
# 変更箇所 history), the site is built, and then:
#   - the pages hold no <script> element, event attribute or javascript:
#     URL beyond those the theme writes itself (compared with a clean build);
#   - each hostile string was published as text, escaped where it has markup;
#   - search-index.js, run in a sandbox where alert() is a trap, defines
#     the index and never calls it (nothing leaves its string literals);
#   - tags in report text are refused before anything is written.
# Usage: html-escape.sh PIA.  Prints "html-escape: N passed, N failed".
pia=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(pwd)
pass=0 fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }

# What can run in a page, as a browser parses it: script elements, on*
# attributes, javascript: (or data:, vbscript:) URLs, frames and objects.
executable() {
	[ -d "$1" ] || { echo "no site"; return; }
	python3 - "$1" <<'PY'
import html.parser, os, sys
class Scan(html.parser.HTMLParser):
    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "frame", "base"):
            found.append("%s <%s %s>" % (name, tag, dict(attrs).get("src", "")))
        for k, v in attrs:
            v = (v or "").strip().lower()
            if k.startswith("on") or k == "srcdoc" or v.startswith(("javascript:", "vbscript:", "data:text")):
                found.append("%s <%s %s=%s>" % (name, tag, k, v))
found = []
for d, _, files in os.walk(sys.argv[1]):
    for f in files:
        if f.endswith((".html", ".xhtml", ".svg")):
            name = os.path.relpath(os.path.join(d, f), sys.argv[1])
            Scan(convert_charrefs=True).feed(open(os.path.join(d, f), encoding="utf-8").read())
print("\n".join(sorted(found)))
PY
}

cp -r "$top/tests/fixtures/site-mini" "$work/clean"
"$pia" build "$work/clean" -o "$work/clean-site" >/dev/null 2>&1 || bad "clean build failed"
executable "$work/clean-site" > "$work/clean-exec"
grep -q "search.js" "$work/clean-exec" && ok || bad "the scanner misses the theme's own script"

cp -r "$top/tests/fixtures/site-mini" "$work/evil"
mkdir -p "$work/evil/reports/09-yobou/images"
cp "$work/evil/reports/10-kenshin/images/flow.png" "$work/evil/reports/09-yobou/images/x.png"
# XML values are written escaped, as XML requires: the value pia reads is the markup itself.
python3 - "$work/evil" <<'PY'
import sys
top = sys.argv[1]
site, rep = top + "/site.xml", top + "/reports/09-yobou/"

def edit(path, old, new):
    s = open(path, encoding="utf-8").read()
    assert old in s, (path, old)
    open(path, "w", encoding="utf-8").write(s.replace(old, new, 1))

edit(site, "<名称>試験町</名称>",
     "<名称>試験町&lt;script&gt;alert(&quot;x1&quot;)&lt;/script&gt;</名称>")
edit(site, '受付時間="平日', '受付時間="&apos; onfocus=&apos;alert(12) 平日')
# A second 窓口 whose 部署 is the hostile one 09-yobou names (a report's 担当部署
# must have its 窓口, SITE_NO_CONTACT) and whose 住所 carries markup (site.xml is not
# linted, so it reaches the page); 10-kenshin keeps the plain one.
plain = [l for l in open(site, encoding="utf-8").read().splitlines() if '<窓口 id="kenko"' in l][0]
hostile = plain.replace('id="kenko"', 'id="kenko-x"').replace('部署="健康福祉課"',
    '部署="健康福祉課&apos; onmouseover=&apos;alert(4)"').replace('住所="',
    '住所="&quot;&gt;&lt;img src=x onerror=alert(2)&gt;')
assert hostile.count("alert(") == 3, hostile
edit(site, plain, plain + "\n" + hostile)
edit(rep + "report.xml", "<システムの名称>健康管理システム</システムの名称>",
     "<システムの名称>健康管理システム&quot; onmouseover=&quot;alert(3)</システムの名称>")
edit(rep + "report.xml", "<部署>健康福祉課</部署>",
     "<部署>健康福祉課' onmouseover='alert(4)</部署>")
edit(rep + "changes.xml", "<変更後>健康福祉課長</変更後>",
     '<変更後>健康福祉課長" onclick="alert(10)\\"+alert(11)+"</変更後>')
with open(rep + "sections/3-risk.md", "a", encoding="utf-8") as f:
    f.write('\n入力は x &lt; y &amp;&amp; z &gt; w alert(5) と `" onclick="alert(6)` を含む。'
            '[手順](docs/a.html "\\" onclick=\\"alert(8)")'
            ' ![図の説明 " onerror="alert(9)](images/x.png) 終わり。\n')
PY

"$pia" build "$work/evil" -o "$work/evil-site" >"$work/msg" 2>&1
rc=$?
if [ $rc = 0 ]; then ok; else bad "hostile build: exit $rc"; sed 10q "$work/msg"; fi
executable "$work/evil-site" > "$work/evil-exec"
if cmp -s "$work/clean-exec" "$work/evil-exec"; then ok; else
	bad "executable markup from the sources:"; diff "$work/clean-exec" "$work/evil-exec" | sed 10q; fi

# Each hostile string was published (as text), the markup ones escaped.
for n in 2 3 4 5 6 9 12; do
	if grep -rqF "alert($n)" "$work/evil-site" --include='*.html' 2>/dev/null; then ok; else
		bad "alert($n) was not published"; fi
done
for s in '&lt;script&gt;alert(&quot;x1&quot;)&lt;/script&gt;' 'x &lt; y &amp;&amp; z &gt; w alert(5)' \
    '&lt;img src=x onerror=alert(2)&gt;'; do
	if grep -rqF "$s" "$work/evil-site" --include='*.html' 2>/dev/null; then ok; else
		bad "not found escaped: $s"; fi
done

# The search index is data: evaluating it (the entry, the shards of search/
# and the reports' text fragments, SLUG/search-N.js) calls nothing but PIA_SEARCH_PUT.
if command -v node >/dev/null 2>&1; then
	if node -e '
		const vm = require("vm"), fs = require("fs"), path = require("path");
		const put = [];
		const box = { called: [], alert: (x) => box.called.push(x), PIA_SEARCH_PUT: (k, n, o) => put.push(o) };
		const site = process.argv[1];
		vm.runInNewContext(fs.readFileSync(path.join(site, "search-index.js"), "utf8"), box);
		for (const f of fs.readdirSync(path.join(site, "search")))
			vm.runInNewContext(fs.readFileSync(path.join(site, "search", f), "utf8"), box);
		for (const d of box.PIA_SEARCH.dirs)
			for (const f of fs.readdirSync(path.join(site, decodeURIComponent(d))).filter((f) => /^search-\d+\.js$/.test(f)))
				vm.runInNewContext(fs.readFileSync(path.join(site, decodeURIComponent(d), f), "utf8"), box);
		if (box.called.length || typeof box.PIA_SEARCH !== "object") process.exit(1);
		if (!JSON.stringify(put).includes("alert(")) process.exit(2);
	' "$work/evil-site" 2>"$work/node"; then ok; else
		bad "search-index.js or search/ ran source text or lost it"; sed 5q "$work/node"; fi
fi

# Names become links.  A report folder named like a script URL, a query or a
# fragment is refused when loaded (REPORT_NAME_CHAR, issue 16), so no such
# link is ever written; a name of the allowed kind that is still not a plain
# word (Japanese, ., ~) becomes a link that reaches its page and its PDF.
cp -r "$top/tests/fixtures/site-mini" "$work/names"
mv "$work/names/reports/09-yobou" "$work/names/reports/javascript:alert(14)"
"$pia" build "$work/names" -o "$work/names-site" >"$work/msg" 2>&1
if [ $? = 1 ] && grep -q 'REPORT_NAME_CHAR' "$work/msg" && [ ! -e "$work/names-site" ]; then ok; else
	bad "a folder named javascript:alert(14) was not refused"; sed 5q "$work/msg"; fi
rm -rf "$work/names"
cp -r "$top/tests/fixtures/site-mini" "$work/names"
mv "$work/names/reports/10-kenshin" "$work/names/reports/健診.v2~b"
"$pia" build "$work/names" -o "$work/names-site" >"$work/msg" 2>&1 || { bad "build with a Japanese folder name"; sed 5q "$work/msg"; }
executable "$work/names-site" > "$work/names-exec"
if cmp -s "$work/clean-exec" "$work/names-exec"; then ok; else
	bad "a folder name became executable:"; diff "$work/clean-exec" "$work/names-exec" | sed 10q; fi
link=$(grep -o 'href="[^"]*v2~b/index.html"' "$work/names-site/index.html" | head -1 | sed 's/^href="//; s/"$//')
if [ -n "$link" ] && python3 -c 'import os, sys, urllib.parse as u; sys.exit(not os.path.isfile(os.path.join(sys.argv[1], u.unquote(sys.argv[2]))))' \
    "$work/names-site" "$link"; then ok; else bad "the link of 健診.v2~b does not reach its page: '$link'"; fi

# Tags in report text are refused before any HTML is written (LINT_MARKUP).
cp -r "$top/tests/fixtures/site-mini" "$work/tags"
printf '\n入力は`<script>alert(13)</script>`で行う。\n' >> "$work/tags/reports/09-yobou/sections/3-risk.md"
"$pia" build "$work/tags" -o "$work/tags-site" >"$work/msg" 2>&1
if [ $? = 1 ] && grep -q 'LINT_MARKUP' "$work/msg" && [ ! -e "$work/tags-site" ]; then ok; else
	bad "a <script> code span was not refused"; sed 5q "$work/msg"; fi

echo "html-escape: $pass passed, $fail failed"
[ $fail = 0 ]
