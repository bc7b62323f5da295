// make bench: the search of a built site in Debian's Chromium (issue 20).
// Prints the script bytes of the search page's first load, then per query
// the bytes of the shards and fragments it loaded, the time search.js took to
// show the first results (data-ms of #pia-results, from the query to the
// results in the page) and the hits shown.  Queries: those given, else a
// common word, two 4-character strings sampled from the site's text (one
// from the middle, one from the end) and a word found nowhere.
//
// Usage: node tests/bench/search.js NODE_MODULES SITE_DIR [QUERY…]
"use strict";

const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [nmArg, siteArg, ...given] = process.argv.slice(2);
const site = path.resolve(siteArg);
const { chromium } = require(path.join(path.resolve(nmArg), "playwright-core"));

// Text fragments live in the reports' folders (DIR/search-N.js, search-index.js v3).
const frags = fs.readdirSync(site, { withFileTypes: true }).filter((e) => e.isDirectory())
    .flatMap((e) => fs.readdirSync(path.join(site, e.name)).filter((f) => /^search-\d+\.js$/.test(f))
    .map((f) => path.join(e.name, f))).sort();

function sampled(frag) {
	const box = { PIA_SEARCH_PUT: (k, n, o) => { box.o = o; } };
	vm.runInNewContext(fs.readFileSync(path.join(site, frags[frag]), "utf8"), box);
	for (const d of box.o.docs) {
		const cps = Array.from(d.x);
		for (let k = Math.floor(cps.length / 2); k + 4 <= cps.length; k++) {
			const w = cps.slice(k, k + 4).join("");
			if (!/[\s、。，．「」『』（）()・：:；;,.\-―…ー]/.test(w))
				return w;
		}
	}
	return "個人情報";
}

const nfrag = frags.length;
const queries = given.length ? given :
    ["個人情報", sampled(Math.floor(nfrag / 2)), sampled(nfrag - 1), "該当なしの言葉ゑゑゑ"];
const size = (rel) => fs.statSync(path.join(site, rel)).size;

(async () => {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu", "--no-first-run",
		    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
	});
	const first = ["search-index.js", "assets/search.js"].reduce((s, f) => s + size(f), 0);
	console.log(`search: first load ${(first / 1024).toFixed(1)} KB of script ` +
	    `(search-index.js ${(size("search-index.js") / 1024).toFixed(1)} KB), ` +
	    `${nfrag} fragments, ${fs.readdirSync(path.join(site, "search")).length} shards`);
	for (const q of queries) {
		let best = null;
		// The best of three runs, each in a new page (nothing cached in the page).
		for (let run = 0; run < 3; run++) {
			const page = await browser.newPage();
			await page.goto("file://" + path.join(site, "search.html") + "?q=" + encodeURIComponent(q));
			await page.waitForSelector("#pia-results[data-ms]", { timeout: 60000 });
			const ms = Number(await page.getAttribute("#pia-results", "data-ms"));
			const srcs = await page.$$eval("script", (v) => v.map((s) => s.getAttribute("src")));
			const loaded = srcs.filter((s) => s && /^(search\/s\d+|[^/]+\/search-\d+)\.js$/.test(s));
			const bytes = loaded.reduce((s, f) => s + size(f), 0);
			const hits = (await page.$$(".search-parts > li")).length;
			await page.close();
			if (best === null || ms < best.ms)
				best = { ms, bytes, n: loaded.length, hits };
		}
		console.log(`search: 「${q}」 ${(best.bytes / 1024).toFixed(1)} KB in ${best.n} scripts, ` +
		    `${best.ms} ms, ${best.hits} hits shown`);
	}
	await browser.close();
})().catch((e) => {
	console.log("search: failed: " + e);
	process.exit(1);
});
