/*
 * pia: search of the city's 評価書 on the static site, without a server
 * and without a network (it works from file:// too).  search-index.js,
 * written by pia build, defines PIA_SEARCH: the reports, the documents
 * (one per part of a report: URL, title, text) and a character-bigram
 * index.  A query is folded like the index (full-width ASCII to ASCII,
 * A–Z to a–z, ideographic space to space), split at spaces into terms;
 * the postings of each term's bigrams are intersected, and each
 * candidate is confirmed by a substring search.  Results are built with
 * DOM methods only (no innerHTML), so no text from a report becomes markup.
 * No dependencies.
 */
(function () {
	"use strict";

	var data = window.PIA_SEARCH;
	var folded = [];

	/* One UTF-16 unit to one unit, so offsets agree with the original text. */
	function fold(s) {
		var out = "", i, c;
		for (i = 0; i < s.length; i++) {
			c = s.charCodeAt(i);
			if (c >= 0xFF01 && c <= 0xFF5E)
				c -= 0xFEE0;
			if (c >= 0x41 && c <= 0x5A)
				c += 0x20;
			if (c === 0x3000 || c === 0x09 || c === 0x0A || c === 0x0D)
				c = 0x20;
			out += String.fromCharCode(c);
		}
		return out;
	}

	function foldedText(d) {
		if (folded[d] === undefined)
			folded[d] = fold(data.docs[d].x);
		return folded[d];
	}

	function intersect(a, b) {
		var out = [], i = 0, j = 0;
		while (i < a.length && j < b.length) {
			if (a[i] === b[j]) {
				out.push(a[i]);
				i++;
				j++;
			} else if (a[i] < b[j])
				i++;
			else
				j++;
		}
		return out;
	}

	function allDocs() {
		var v = [], i;
		for (i = 0; i < data.docs.length; i++)
			v.push(i);
		return v;
	}

	/* Documents that may contain term: every bigram of it must be indexed there. */
	function candidates(term) {
		var cps = Array.from(term), v = null, i, g;
		if (cps.length < 2)
			return allDocs();
		for (i = 0; i + 1 < cps.length; i++) {
			g = data.grams[cps[i] + cps[i + 1]];
			if (!g)
				return [];
			v = v === null ? g.slice() : intersect(v, g);
			if (v.length === 0)
				return v;
		}
		return v;
	}

	function search(query) {
		var terms = fold(query).split(" ").filter(function (t) { return t !== ""; });
		var docs = null, hits = [], i, d, x, at;
		if (terms.length === 0)
			return null;
		for (i = 0; i < terms.length; i++)
			docs = docs === null ? candidates(terms[i]) : intersect(docs, candidates(terms[i]));
		for (i = 0; i < docs.length; i++) {
			d = docs[i];
			x = foldedText(d);
			at = x.indexOf(terms[0]);
			if (at >= 0 && terms.every(function (t) { return x.indexOf(t) >= 0; }))
				hits.push({ doc: d, at: at, len: terms[0].length });
		}
		return hits;
	}

	function el(name, text, cls) {
		var e = document.createElement(name);
		if (text !== undefined && text !== null)
			e.textContent = text;
		if (cls)
			e.className = cls;
		return e;
	}

	/* "…前後の文に<mark>言葉</mark>を含む…" */
	function snippet(hit) {
		var x = data.docs[hit.doc].x, from = Math.max(0, hit.at - 40);
		var to = Math.min(x.length, hit.at + hit.len + 60);
		var p = el("p", null, "search-snippet");
		p.appendChild(document.createTextNode((from > 0 ? "…" : "") + x.slice(from, hit.at)));
		p.appendChild(el("mark", x.slice(hit.at, hit.at + hit.len)));
		p.appendChild(document.createTextNode(x.slice(hit.at + hit.len, to) + (to < x.length ? "…" : "")));
		return p;
	}

	function show(query, hits, out) {
		var byReport = [], order = [], i, r, li, h, a, ul, part, pa, count = 0;
		out.textContent = "";
		if (hits === null)
			return;
		for (i = 0; i < hits.length; i++) {
			r = data.docs[hits[i].doc].r;
			if (!byReport[r]) {
				byReport[r] = [];
				order.push(r);
			}
			byReport[r].push(hits[i]);
			count++;
		}
		order.sort(function (x, y) { return x - y; });
		h = el("h2", order.length === 0 ?
		    "「" + query + "」を含む評価書は見つかりませんでした" :
		    "「" + query + "」を含む評価書：" + order.length + "件（" + count + "か所）");
		h.id = "search-summary";
		out.appendChild(h);
		if (order.length === 0) {
			out.appendChild(el("p", "言葉を短くするか、別の言い方で検索してください。"));
			return;
		}
		ul = el("ol", null, "search-hits");
		for (i = 0; i < order.length; i++) {
			r = data.reports[order[i]];
			li = el("li");
			h = el("h3");
			a = el("a", r.t + "（" + r.k + "）");
			a.href = r.u;
			h.appendChild(a);
			li.appendChild(h);
			part = el("ul", null, "search-parts");
			byReport[order[i]].forEach(function (hit) {
				var d = data.docs[hit.doc], pli = el("li");
				pa = el("a", d.t);
				pa.href = d.u;
				pli.appendChild(pa);
				pli.appendChild(snippet(hit));
				part.appendChild(pli);
			});
			li.appendChild(part);
			ul.appendChild(li);
		}
		out.appendChild(ul);
	}

	function start() {
		var out = document.getElementById("pia-results"), params, q, inputs, i;
		if (!out)
			return;
		if (!data || !data.docs) {
			out.appendChild(el("p", "検索の索引（search-index.js）を読み込めませんでした。"));
			return;
		}
		params = new URLSearchParams(window.location.search);
		q = (params.get("q") || "").trim();
		inputs = document.querySelectorAll("input[name=q]");
		for (i = 0; i < inputs.length; i++)
			inputs[i].value = q;
		if (q === "")
			return;
		document.title = "「" + q + "」の検索結果｜" + document.title;
		show(q, search(q), out);
	}

	if (document.readyState === "loading")
		document.addEventListener("DOMContentLoaded", start);
	else
		start();
}());
