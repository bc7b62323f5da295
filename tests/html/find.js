// The site's search, offline from file://, in Debian's Chromium: for each
// report, a word found in its Ⅲ and in no other report must find that
// report and only it; a word found nowhere finds nothing; a query typed in
// the header of a report page (a sub-folder) reaches the search page.
// Words are picked from the built search-index.js, so any content works.
//
// Usage: node tests/html/find.js NODE_MODULES SITE_DIR
// Ends with "find: N passed, N failed".
"use strict";

const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [nmArg, siteArg] = process.argv.slice(2);
const nm = path.resolve(nmArg), site = path.resolve(siteArg);
const { chromium } = require(path.join(nm, "playwright-core"));

const ctx = {};
vm.runInNewContext(fs.readFileSync(path.join(site, "search-index.js"), "utf8").replace(/^var /m, "this."), ctx);
const data = ctx.PIA_SEARCH;

// A word of 4 characters from report r's Ⅲ (or, with part null, anywhere in
// it) that no other report contains.
function uniqueWord(r, part) {
	const others = data.docs.filter((d) => d.r !== r).map((d) => d.x).join("\n");
	for (const d of data.docs.filter((d) => d.r === r && (part === null || d.t.startsWith(part)))) {
		const cps = Array.from(d.x);
		for (let i = 0; i + 4 <= cps.length; i++) {
			const w = cps.slice(i, i + 4).join("");
			if (/[\s、。，．「」『』（）()・：:；;,.\-―…]/.test(w))
				continue;
			if (!others.includes(w))
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
		await page.waitForSelector("#pia-results h2");
		return page.$$eval(".search-hits > li > h3 > a", (v) => v.map((a) => a.getAttribute("href")));
	};
	let tried = 0;
	for (let r = 0; r < data.reports.length; r++) {
		// A 基礎 report's Ⅲ is one choice: then a word from anywhere in it.
		let where = "Ⅲ", w = uniqueWord(r, where);
		if (w === null)
			w = uniqueWord(r, where = null);
		if (w === null)
			continue;
		tried++;
		const got = await results(w);
		ok(got.length === 1 && got[0] === data.reports[r].u,
		    `「${w}」 (only in ${data.reports[r].u}, ${where || "anywhere"}) found ${JSON.stringify(got)}`);
	}
	ok(tried > 0, "no report has a word of its own");
	ok((await results("該当なしの言葉ゑゑゑ")).length === 0, "a word found nowhere found something");
	// From a report page in a sub-folder, through the header's search form.
	const first = data.reports[0];
	await page.goto("file://" + path.join(site, first.u));
	await page.fill("#site-q", data.reports[0].t);
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
