// Every text of a report's sources appears in its HTML page: the values of
// report.xml (element texts and 内容 attributes), the Markdown of sections/
// (with its markup removed and soft breaks joined by the same rule as pia),
// and the rows of changes.xml.  Comparison ignores white space, so only the
// words count, not where lines break.
//
// Usage: node tests/html/texts.js REPORT_DIR PAGE.html
// Prints FAIL lines for missing texts and "texts: N passed, N failed" (one
// test: the page has them all).
"use strict";

const fs = require("fs");
const path = require("path");

const [dir, page] = process.argv.slice(2);

function decode(s) {
	return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"")
	    .replace(/&apos;/g, "'").replace(/&#(\d+);/g, (m, n) => String.fromCodePoint(+n))
	    .replace(/&#x([0-9a-f]+);/gi, (m, n) => String.fromCodePoint(parseInt(n, 16)))
	    .replace(/&amp;/g, "&");
}

function squash(s) {
	return s.replace(/[\s\u3000]+/g, "");
}

// The page as text: tags out, alt texts kept, entities decoded.
const html = fs.readFileSync(page, "utf8");
const pageText = squash(decode(html.replace(/<img[^>]*alt="([^"]*)"[^>]*>/g, " $1 ")
    .replace(/<[^>]+>/g, " ")));

const texts = [];

// One line without Markdown markup (values in report.xml may be Markdown too).
function clean(line) {
	return line.replace(/^\s*(?:[-*+]|\d+[.)])\s+/, "")	// list markers
	    .replace(/^\s*>\s?/, "")				// quotes
	    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")		// images: alt text
	    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")		// links: their text
	    .replace(/<(https?:[^>]+)>/g, "$1")
	    .replace(/(\*\*|__|\*|_|`)/g, "")			// emphasis, code
	    .replace(/\\(.)/g, "$1");
}

function fromXml(file) {
	if (!fs.existsSync(file))
		return;
	const x = fs.readFileSync(file, "utf8").replace(/<!--[\s\S]*?-->/g, "").replace(/<\?[\s\S]*?\?>/g, "");
	for (const m of x.matchAll(/>([^<>]+)</g))
		for (const line of decode(m[1]).split("\n"))
			if (line.trim() !== "")
				texts.push([file, clean(line)]);
	for (const m of x.matchAll(/(?:内容|理由)="([^"]*)"/g))
		texts.push([file, decode(m[1])]);
}

// Markdown without its markup, one text per block.
function fromMarkdown(file) {
	const md = fs.readFileSync(file, "utf8");
	for (const block of md.split(/\n\s*\n/)) {
		for (let line of block.split("\n")) {
			if (/^\s*#/.test(line))
				continue;	// headings name the items; their labels come from the form
			line = clean(line);
			if (line.trim() !== "")
				texts.push([file, line]);
		}
	}
}

fromXml(path.join(dir, "report.xml"));
fromXml(path.join(dir, "changes.xml"));
const sdir = path.join(dir, "sections");
if (fs.existsSync(sdir))
	for (const f of fs.readdirSync(sdir).sort())
		if (f.endsWith(".md"))
			fromMarkdown(path.join(sdir, f));

let found = 0, fail = 0;
for (const [file, t] of texts) {
	// Long texts are compared sentence by sentence, so a message points at the sentence.
	for (const part of t.split(/(?<=。)/)) {
		const want = squash(part);
		if (want === "")
			continue;
		if (pageText.includes(want))
			found++;
		else {
			fail++;
			if (fail <= 20)
				console.log(`FAIL: texts: ${path.relative(dir, file)}: not on the page: ${part.trim().slice(0, 80)}`);
		}
	}
}
if (fail > 0 || found === 0)
	console.log(`FAIL: texts: ${page}: ${fail} of ${found + fail} texts of ${dir} are missing`);
console.log(`texts: ${fail === 0 && found > 0 ? 1 : 0} passed, ${fail === 0 && found > 0 ? 0 : 1} failed`);
