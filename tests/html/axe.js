// axe-core on every page of a built site, in Debian's Chromium driven by
// playwright-core (no browser download): the wcag2a and wcag2aa rules, at a
// desktop and a phone width.  Also the search page with a query, so the
// results search.js builds are checked too.  A console error about the
// Content-Security-Policy (inline script or style the policy blocks) fails
// the page as well.
//
// Usage: node tests/html/axe.js NODE_MODULES SITE_DIR [QUERY…]
// Prints one FAIL line per violation and ends with "axe: N passed, N failed"
// (one test per page and width).
"use strict";

const fs = require("fs");
const path = require("path");

const [nmArg, site, ...queries] = process.argv.slice(2);
const nm = path.resolve(nmArg);
const { chromium } = require(path.join(nm, "playwright-core"));
const axeSource = fs.readFileSync(path.join(nm, "axe-core", "axe.min.js"), "utf8");

function pages(dir) {
	let out = [];
	for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1)) {
		const p = path.join(dir, e.name);
		if (e.isDirectory())
			out = out.concat(pages(p));
		else if (e.name.endsWith(".html"))
			out.push(p);
	}
	return out;
}

(async () => {
	let pass = 0, fail = 0;
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
	});
	const urls = pages(path.resolve(site)).map((p) => "file://" + p);
	for (const q of queries)
		urls.push("file://" + path.resolve(site, "search.html") + "?q=" + encodeURIComponent(q));
	for (const width of [1280, 390]) {
		const context = await browser.newContext({ viewport: { width, height: 900 } });
		const page = await context.newPage();
		const errors = [];
		let loading = false;
		page.on("pageerror", (e) => errors.push(String(e)));
		// The pages' Content-Security-Policy must not block anything of the site itself
		// (while the page loads and runs its scripts: axe's own fetch() is refused later).
		page.on("console", (m) => {
			if (loading && m.type() === "error" && /Content Security Policy/.test(m.text()))
				errors.push("CSP: " + m.text());
		});
		// Only while the page loads: axe's own CSSOM preload fetch() fails on file://.
		page.on("requestfailed", (r) => {
			if (loading)
				errors.push("request failed: " + r.url() + " " + r.failure().errorText);
		});
		for (const url of urls) {
			errors.length = 0;
			loading = true;
			await page.goto(url);
			await page.waitForLoadState("load");
			loading = false;
			// Evaluated through DevTools: an inline script tag would be refused by the page's CSP.
			await page.evaluate(axeSource);
			const r = await page.evaluate(() => window.axe.run(document, {
				runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] },
			}));
			const name = path.relative(path.resolve(site), decodeURI(url.replace(/^file:\/\//, ""))) + " @" + width;
			// Every resource must come from the site itself (no CDN, no web font).
			const external = await page.evaluate(() => performance.getEntriesByType("resource")
			    .map((e) => e.name).filter((n) => !n.startsWith("file:")));
			if (r.violations.length === 0 && errors.length === 0 && external.length === 0) {
				pass++;
				continue;
			}
			fail++;
			for (const v of r.violations)
				for (const n of v.nodes)
					console.log(`FAIL: axe ${name}: ${v.id} (${v.impact}): ${v.help}: ${n.target.join(" ")}`);
			for (const e of errors)
				console.log(`FAIL: axe ${name}: ${e}`);
			for (const e of external)
				console.log(`FAIL: axe ${name}: external resource ${e}`);
		}
		await context.close();
	}
	await browser.close();
	console.log(`axe: ${pass} passed, ${fail} failed`);
})().catch((e) => {
	console.log("FAIL: axe: " + e);
	console.log("axe: 0 passed, 1 failed");
});
