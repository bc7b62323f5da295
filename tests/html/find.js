// The site's search, offline from file://, in Debian's Chromium (issue 20):
//   - for each report, a word found in its Ⅲ (else anywhere in it) and in no
//     other report finds that report and only it;
//   - sampled 4-character strings of the pages' texts are found: the
//     document they were taken from is among the hits when the string is in
//     at most 10 documents, and then the hits are exactly those documents;
//   - the same strings made absent (two characters swapped, checked absent
//     everywhere) find nothing;
//   - folding: a word with ASCII in it, typed full-width and in capitals,
//     finds what the word finds;
//   - a query typed in the header of a report page (a sub-folder) reaches
//     the search page;
//   - what a query loads: only the shards and fragments it needs.
// The texts are read from the built SLUG/search-N.js, so any content works.
//
// Usage: node tests/html/find.js NODE_MODULES SITE_DIR [SAMPLES]
// Ends with "find: N passed, N failed".
"use strict";

const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [nmArg, siteArg, samplesArg] = process.argv.slice(2);
const nm = path.resolve(nmArg), site = path.resolve(siteArg);
const SAMPLES = Number(samplesArg || 12);
const { chromium } = require(path.join(nm, "playwright-core"));

// The built index, as search.js sees it.
const box = { store: { s: {}, f: {} } };
box.PIA_SEARCH_PUT = (k, n, o) => { box.store[k][n] = o; };
vm.runInNewContext(fs.readFileSync(path.join(site, "search-index.js"), "utf8").replace(/^var /m, "this."), box);
const data = box.PIA_SEARCH;
// Each report's text fragments are in its folder: DIR/search-N.js, put as "DIR/N".
const docs = [], reports = [];
data.dirs.forEach((dir, r) => {
	const d = decodeURIComponent(dir);
	for (let n = 0; fs.existsSync(path.join(site, d, `search-${n}.js`)); n++) {
		vm.runInNewContext(fs.readFileSync(path.join(site, d, `search-${n}.js`), "utf8"), box);
		const f = box.store.f[`${dir}/${n}`];
		for (const x of f.docs)
			docs.push(Object.assign({ r }, x));
		reports[r] = f.report;
	}
});

// The folding of search.js, with the table from search-index.js.
const foldTo = {};
for (let i = 0; i + 1 < data.fold.length; i += 2)
	foldTo[data.fold.charCodeAt(i)] = data.fold.charCodeAt(i + 1);
function fold(s) {
	let out = "";
	for (let i = 0; i < s.length; i++) {
		let c = s.charCodeAt(i);
		if (c >= 0xFF01 && c <= 0xFF5E)
			c -= 0xFEE0;
		if (c >= 0x41 && c <= 0x5A)
			c += 0x20;
		else if (c === 0x3000 || c === 0x09 || c === 0x0A || c === 0x0D)
			c = 0x20;
		else if (c === 0x2D)
			c = 0x30FC;
		else if (foldTo[c] !== undefined)
			c = foldTo[c];
		out += String.fromCharCode(c);
	}
	return out;
}
const folded = docs.map((d) => fold(d.x));
const docsWith = (w) => folded.reduce((v, x, i) => (x.includes(fold(w)) ? v.concat(i) : v), []);

// A deterministic pseudo-random sequence (the samples are the same each run).
let seed = 20;
function rnd(n) {
	seed = (seed * 1103515245 + 12345) % 2147483648;
	return seed % n;
}

const punct = /[\s、。，．「」『』（）()・：:；;,.\-―…ー›]/;

function uniqueWord(r, part) {
	const others = folded.filter((x, i) => docs[i].r !== r).join("\n");
	for (let i = 0; i < docs.length; i++) {
		const d = docs[i];
		if (d.r !== r || (part !== null && !d.t.startsWith(part)))
			continue;
		const cps = Array.from(d.x);
		for (let k = 0; k + 4 <= cps.length; k++) {
			const w = cps.slice(k, k + 4).join("");
			if (!punct.test(w) && !others.includes(fold(w)))
				return w;
		}
	}
	return null;
}

(async () => {
	let pass = 0, fail = 0;
	const ok = (cond, what) => {
		if (cond)
			pass++;
		else {
			fail++;
			console.log("FAIL: find: " + what);
		}
	};
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
	});
	const page = await browser.newPage();
	const results = async (q) => {
		await page.goto("file://" + path.join(site, "search.html") + "?q=" + encodeURIComponent(q));
		await page.waitForSelector("#pia-results h2, #pia-results p");
		return {
			reports: await page.$$eval(".search-hits > li > h3 > a", (v) => v.map((a) => a.getAttribute("href"))),
			parts: await page.$$eval(".search-parts > li > a", (v) => v.map((a) => a.getAttribute("href"))),
			more: (await page.$$(".search-more")).length > 0,
			scripts: await page.$$eval("script", (v) => v.map((s) => s.getAttribute("src"))),
		};
	};

	// A word of each report's own.
	let tried = 0;
	for (let r = 0; r < reports.length; r++) {
		let where = "Ⅲ", w = uniqueWord(r, where);
		if (w === null)
			w = uniqueWord(r, where = null);
		if (w === null)
			continue;
		tried++;
		const got = await results(w);
		ok(got.reports.length === 1 && got.reports[0] === reports[r].u,
		    `「${w}」 (only in ${reports[r].u}, ${where || "anywhere"}) found ${JSON.stringify(got.reports)}`);
	}
	ok(tried > 0, "no report has a word of its own");

	// Sampled strings, and the same made absent.
	let sampled = 0, absent = 0;
	for (let guard = 0; sampled < SAMPLES && guard < SAMPLES * 50; guard++) {
		const i = rnd(docs.length), cps = Array.from(docs[i].x);
		if (cps.length < 4)
			continue;
		const k = rnd(cps.length - 3), w = cps.slice(k, k + 4).join("");
		if (/\s/.test(w))
			continue;
		sampled++;
		const where = docsWith(w), want = where.map((j) => docs[j].u);
		const got = await results(w);
		if (where.length <= 10)
			ok(JSON.stringify([...got.parts].sort()) === JSON.stringify([...want].sort()) && !got.more,
			    `「${w}」 (in ${where.length} documents: ${JSON.stringify(want)}) found ${JSON.stringify(got.parts)}`);
		else
			ok(got.parts.length >= 10, `「${w}」 (in ${where.length} documents) found only ${got.parts.length}`);
		const a = cps[k] + cps[k + 2] + cps[k + 1] + cps[k + 3];
		if (docsWith(a).length === 0) {
			absent++;
			const none = await results(a);
			ok(none.parts.length === 0 && !none.more &&
			    (await page.textContent("#search-summary")).includes("見つかりませんでした"),
			    `「${a}」 (nowhere) found ${JSON.stringify(none.parts)}`);
		}
	}
	ok(sampled > 0, "no string sampled");
	ok(absent > 0, "no absent string tried");
	ok((await results("該当なしの言葉ゑゑゑ")).parts.length === 0, "a word found nowhere found something");

	// Folding: ASCII typed full-width and in capitals.
	for (let i = 0; i < docs.length; i++) {
		const m = docs[i].x.match(/[A-Za-z0-9][A-Za-z0-9]+/);
		if (m === null)
			continue;
		const wide = m[0].toUpperCase().replace(/[A-Z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xFEE0));
		const plain = await results(m[0]), widened = await results(wide);
		ok(plain.parts.length > 0 && JSON.stringify(plain.parts) === JSON.stringify(widened.parts),
		    `「${wide}」 found ${widened.parts.length}, 「${m[0]}」 ${plain.parts.length}`);
		break;
	}

	// What a query loads: the entry, search.js, then shards and fragments only.
	const w = uniqueWord(0, null);
	if (w !== null) {
		const got = await results(w);
		const extra = got.scripts.filter((s) => s !== "search-index.js" && s !== "assets/search.js");
		ok(extra.length > 0 && extra.every((s) => /^(search\/s\d+|[^/]+\/search-\d+)\.js$/.test(s)),
		    `「${w}」 loaded ${JSON.stringify(got.scripts)}`);
	}

	// From a report page in a sub-folder, through the header's search form.
	const first = reports[0];
	await page.goto("file://" + path.join(site, first.u));
	await page.fill("#site-q", first.t);
	await Promise.all([page.waitForNavigation(), page.press("#site-q", "Enter")]);
	await page.waitForSelector("#pia-results h2");
	const hits = await page.$$eval(".search-hits > li > h3 > a", (v) => v.map((a) => a.getAttribute("href")));
	ok(hits.includes(first.u), `the header form of ${first.u} did not find it: ${JSON.stringify(hits)}`);
	await browser.close();
	console.log(`find: ${pass} passed, ${fail} failed`);
})().catch((e) => {
	console.log("FAIL: find: " + e);
	console.log("find: 0 passed, 1 failed");
});
