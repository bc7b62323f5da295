/*
 * pia: search of the city's 評価書 on the static site, without a server
 * and without a network (it works from file:// too).  pia build writes
 * search-index.js (PIA_SEARCH: how many documents, how many to a text
 * fragment, each report's folder and first document, the first bigram of
 * each postings shard, the folding table), the shards search/sN.js and,
 * in each report's folder, its text fragments search-N.js, each calling
 * PIA_SEARCH_PUT.  They are loaded on demand with
 * <script> elements (fetch() does not work from file://).
 *
 * A query is folded like the index (full-width ASCII to ASCII, A–Z to
 * a–z, white space to space, half-width katakana to full-width, dashes to
 * ー, 旧字体 to 新字体: one UTF-16 unit to one, so offsets agree with the
 * original text) and split at spaces into terms.  For each term the
 * shards of its bigrams (of a long term every other one and the last,
 * which together cover it) are loaded; documents holding all of them are
 * the candidates, ranked with hits in a heading or label first, then by
 * the bigrams' counts.  Only the fragments of the first candidates are
 * loaded, to confirm each with a substring search and show the item it
 * was found in.  Results are built with DOM methods only (no innerHTML),
 * so no text from a report becomes markup.  No dependencies.
 */
(function () {
	"use strict";

	var data = window.PIA_SEARCH;
	var PAGE = 10;		/* hits shown per step */
	var ROUND = 12;		/* fragments loaded per round; a step loads at most two rounds' worth */
	var store = { s: {}, f: {} }, pending = {}, foldTo = {};
	var firsts = [];	/* first bigram of each shard but the first */
	var foldedText = {};

	window.PIA_SEARCH_PUT = function (kind, n, obj) {
		if (store[kind])
			store[kind][n] = obj;
	};

	/* One UTF-16 unit to one unit, so offsets agree with the original text. */
	function fold(s) {
		var out = "", i, c, t;
		for (i = 0; i < s.length; i++) {
			c = s.charCodeAt(i);
			if (c >= 0xFF01 && c <= 0xFF5E)
				c -= 0xFEE0;
			if (c >= 0x41 && c <= 0x5A)
				c += 0x20;
			else if (c === 0x3000 || c === 0x09 || c === 0x0A || c === 0x0D)
				c = 0x20;
			else if (c === 0x2D)
				c = 0x30FC;
			else if (c >= 0x2010 && (t = foldTo[c]) !== undefined)
				c = t;
			out += String.fromCharCode(c);
		}
		return out;
	}

	/* Base-64 digits of 5 bits, low first, 32 = more follow (search.c). */
	var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	var digit = {};
	(function () {
		var i;
		for (i = 0; i < 64; i++)
			digit[B64.charAt(i)] = i;
	}());

	function vlqs(s) {
		var out = [], v = 0, shift = 0, i, d;
		for (i = 0; i < s.length; i++) {
			d = digit[s.charAt(i)];
			v += (d & 31) * Math.pow(2, shift);
			if (d & 32)
				shift += 5;
			else {
				out.push(v);
				v = 0;
				shift = 0;
			}
		}
		return out;
	}

	function cmpCodePoints(a, b) {
		var x = Array.from(a), y = Array.from(b), i, p, q;
		for (i = 0; i < x.length && i < y.length; i++) {
			p = x[i].codePointAt(0);
			q = y[i].codePointAt(0);
			if (p !== q)
				return p < q ? -1 : 1;
		}
		return x.length - y.length;
	}

	/* The shard holding a bigram: the last one whose first bigram is not after it. */
	function shardOf(gram) {
		var lo = 0, hi = firsts.length, mid;
		while (lo < hi) {
			mid = (lo + hi) >> 1;
			if (cmpCodePoints(firsts[mid], gram) <= 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		return lo;
	}

	/* The report holding a document: the last one whose first document is not after it. */
	function reportIndex(doc) {
		var lo = 0, hi = data.starts.length, mid;
		while (lo < hi) {
			mid = (lo + hi) >> 1;
			if (data.starts[mid] <= doc)
				lo = mid + 1;
			else
				hi = mid;
		}
		return lo - 1;
	}

	/* A report's fragments are its own: "DIR/N" is DIR/search-N.js. */
	function fragOf(doc) {
		var r = reportIndex(doc);
		return data.dirs[r] + "/" + Math.floor((doc - data.starts[r]) / data.per);
	}

	function srcOf(kind, n) {
		var at;
		if (kind === "s")
			return "search/s" + n + ".js";
		at = n.lastIndexOf("/");
		return n.slice(0, at) + "/search-" + n.slice(at + 1) + ".js";
	}

	function load(kind, n) {
		var key = kind + n;
		if (store[kind][n] !== undefined)
			return Promise.resolve(store[kind][n]);
		if (!pending[key])
			pending[key] = new Promise(function (resolve, reject) {
				var s = document.createElement("script");
				s.src = srcOf(kind, n);
				s.onload = function () {
					if (store[kind][n] !== undefined)
						resolve(store[kind][n]);
					else
						reject(new Error(s.src));
				};
				s.onerror = function () { reject(new Error(s.src)); };
				document.head.appendChild(s);
			});
		return pending[key];
	}

	/*
	 * The bigrams to look up for a term: all of a short one (each narrows
	 * the candidates, and every false one costs a fragment); of a longer
	 * one, every other one and the last, which cover it.
	 */
	function gramsOf(term) {
		var cps = Array.from(term), v = [], i, step = cps.length <= 5 ? 1 : 2;
		for (i = 0; i + 1 < cps.length; i += step)
			v.push(cps[i] + cps[i + 1]);
		if (step === 2 && cps.length % 2 === 1)
			v.push(cps[cps.length - 2] + cps[cps.length - 1]);
		return v;
	}

	/*
	 * Postings as doc → [count, label]: gaps and weights, or "!" and three
	 * bitmaps of 6 documents a digit (present, in a label, found 3 times).
	 */
	function postings(s) {
		var v, m = new Map(), i, doc = -1, len, bit;
		if (s.charAt(0) === "!") {
			len = Math.ceil(data.docs / 6);
			for (i = 0; i < data.docs; i++) {
				bit = 1 << (i % 6);
				if (digit[s.charAt(1 + Math.floor(i / 6))] & bit)
					m.set(i, [digit[s.charAt(1 + 2 * len + Math.floor(i / 6))] & bit ? 3 : 1,
					    digit[s.charAt(1 + len + Math.floor(i / 6))] & bit ? 1 : 0]);
			}
			return m;
		}
		v = vlqs(s);
		for (i = 0; i + 1 < v.length; i += 2) {
			doc += v[i] + 1;
			m.set(doc, [v[i + 1] >> 1, v[i + 1] & 1]);
		}
		return m;
	}

	/* Candidate documents of the terms, ranked; a Promise. */
	function candidates(terms) {
		var grams = [], need = {}, i;
		terms.forEach(function (t) {
			gramsOf(t).forEach(function (g) {
				grams.push(g);
				need[shardOf(g)] = true;
			});
		});
		if (data.nshards === 0)
			return Promise.resolve([]);
		return Promise.all(Object.keys(need).map(function (n) {
			return load("s", n);
		})).then(function () {
			var cur = null, next;
			for (i = 0; i < grams.length; i++) {
				var s = store.s[shardOf(grams[i])][grams[i]], p;
				if (s === undefined)
					return [];
				p = postings(s);
				if (cur === null) {
					cur = new Map();
					p.forEach(function (w, d) { cur.set(d, [w[0], w[1]]); });
				} else {
					next = new Map();
					cur.forEach(function (w, d) {
						var q = p.get(d);
						if (q !== undefined)
							next.set(d, [Math.min(w[0], q[0]), w[1] & q[1]]);
					});
					cur = next;
				}
				if (cur.size === 0)
					return [];
			}
			var out = [];
			cur.forEach(function (w, d) { out.push({ doc: d, tf: w[0], label: w[1] }); });
			out.sort(function (a, b) {
				return b.label - a.label || b.tf - a.tf || a.doc - b.doc;
			});
			return out;
		});
	}

	function docOf(d) {
		return store.f[fragOf(d)].docs[(d - data.starts[reportIndex(d)]) % data.per];
	}

	function reportOf(d) {
		return store.f[fragOf(d)].report;
	}

	function folded(d) {
		if (foldedText[d] === undefined)
			foldedText[d] = fold(docOf(d).x);
		return foldedText[d];
	}

	/* The search of one query, confirmed step by step. */
	function Search(query, terms) {
		this.query = query;
		this.terms = terms;
		this.cands = null;
		this.next = 0;		/* first candidate not yet confirmed */
		this.hits = [];
	}

	/* Confirm candidates until PAGE more hits or ROUND fragments; a Promise. */
	Search.prototype.step = function () {
		var self = this, want = this.hits.length + PAGE, loaded = 0;
		function round() {
			var frags = {}, nf = 0, end = self.next, f;
			while (end < self.cands.length) {
				f = fragOf(self.cands[end].doc);
				if (!frags[f]) {
					if (loaded + nf === 2 * ROUND)
						break;
					frags[f] = true;
					nf++;
				}
				end++;
				if (end - self.next >= want - self.hits.length + 4)
					break;
			}
			return Promise.all(Object.keys(frags).map(function (n) {
				return load("f", n);
			})).then(function () {
				var i, c, x, at;
				for (i = self.next; i < end; i++) {
					c = self.cands[i];
					x = folded(c.doc);
					at = x.indexOf(self.terms[0]);
					if (at >= 0 && self.terms.every(function (t) { return x.indexOf(t) >= 0; }))
						self.hits.push({ doc: c.doc, at: at });
				}
				self.next = end;
				loaded += nf;
				/* Fragments are loaded per round; a step stops at 2 * ROUND of them. */
				if (self.hits.length < want && self.next < self.cands.length && loaded < 2 * ROUND)
					return round();
				return self;
			});
		}
		if (this.cands === null)
			return candidates(this.terms).then(function (c) {
				self.cands = c;
				return round();
			});
		return round();
	};

	Search.prototype.done = function () {
		return this.cands !== null && this.next >= this.cands.length;
	};

	function el(name, text, cls) {
		var e = document.createElement(name);
		if (text !== undefined && text !== null)
			e.textContent = text;
		if (cls)
			e.className = cls;
		return e;
	}

	/* The label of the item a position falls in ("" for the heading). */
	function itemAt(d, at) {
		var l = d.l, i, best = -1;
		for (i = 2; i + 1 < l.length; i += 2)
			if (l[i] <= at)
				best = i;
		return best < 0 ? null : { from: l[best], to: l[best] + l[best + 1] };
	}

	/* Text with every term marked: "…前後の文に<mark>言葉</mark>を含む…". */
	function marked(p, x, fx, from, to, terms) {
		var pos = from, i, best, at, len;
		while (pos < to) {
			best = -1;
			len = 0;
			for (i = 0; i < terms.length; i++) {
				at = fx.indexOf(terms[i], pos);
				if (at >= 0 && at < to && (best < 0 || at < best)) {
					best = at;
					len = terms[i].length;
				}
			}
			if (best < 0) {
				p.appendChild(document.createTextNode(x.slice(pos, to)));
				break;
			}
			if (best > pos)
				p.appendChild(document.createTextNode(x.slice(pos, best)));
			p.appendChild(el("mark", x.slice(best, Math.min(best + len, to))));
			pos = best + len;
		}
	}

	function snippet(hit, terms, item) {
		var d = docOf(hit.doc), x = d.x, fx = folded(hit.doc);
		var start = item && item.to <= hit.at ? item.to + 1 : 0;
		var from = Math.max(start, hit.at - 40), to = Math.min(x.length, hit.at + 80);
		var p = el("p", null, "search-snippet");
		if (from > start)
			p.appendChild(document.createTextNode("…"));
		marked(p, x, fx, from, to, terms);
		if (to < x.length)
			p.appendChild(document.createTextNode("…"));
		return p;
	}

	function show(s, out) {
		var byReport = {}, order = [], i, r, li, h, a, ol, parts, more;
		out.textContent = "";
		for (i = 0; i < s.hits.length; i++) {
			r = reportIndex(s.hits[i].doc);
			if (!byReport[r]) {
				byReport[r] = [];
				order.push(r);
			}
			byReport[r].push(s.hits[i]);
		}
		if (s.hits.length === 0)
			h = el("h2", s.done() ? "「" + s.query + "」を含む評価書は見つかりませんでした" :
			    "「" + s.query + "」を含む箇所はまだ見つかっていません");
		else if (s.done())
			h = el("h2", "「" + s.query + "」を含む評価書：" + order.length + "件（" +
			    s.hits.length + "か所）");
		else
			h = el("h2", "「" + s.query + "」を含む箇所：関係の深い順に" + s.hits.length +
			    "か所（評価書" + order.length + "件）");
		h.id = "search-summary";
		out.appendChild(h);
		if (s.hits.length === 0 && s.done()) {
			out.appendChild(el("p", "言葉を短くするか、別の言い方で検索してください。"));
			return;
		}
		ol = el("ol", null, "search-hits");
		for (i = 0; i < order.length; i++) {
			r = reportOf(byReport[order[i]][0].doc);
			li = el("li");
			h = el("h3");
			a = el("a", r.t + "（" + r.k + "）");
			a.href = r.u;
			h.appendChild(a);
			li.appendChild(h);
			parts = el("ul", null, "search-parts");
			byReport[order[i]].forEach(function (hit) {
				var d = docOf(hit.doc), pli = el("li"), item = itemAt(d, hit.at), pa;
				pa = el("a", d.t + (item ? " › " + d.x.slice(item.from, item.to) : ""));
				pa.href = d.u;
				pli.appendChild(pa);
				pli.appendChild(snippet(hit, s.terms, item));
				parts.appendChild(pli);
			});
			li.appendChild(parts);
			ol.appendChild(li);
		}
		out.appendChild(ol);
		if (!s.done()) {
			more = el("button", "さらに探す", "search-more");
			more.type = "button";
			more.addEventListener("click", function () {
				more.disabled = true;
				s.step().then(function () { show(s, out); }, function () { failed(out); });
			});
			out.appendChild(more);
		}
	}

	function failed(out) {
		out.textContent = "";
		out.appendChild(el("p", "検索の索引（search-index.js と search/）を読み込めませんでした。"));
	}

	function start() {
		var out = document.getElementById("pia-results"), params, q, inputs, i, terms, s, t0;
		if (!out)
			return;
		if (!data || data.v !== 3 || typeof data.shards !== "string") {
			failed(out);
			return;
		}
		for (i = 0; i + 1 < data.fold.length; i += 2)
			foldTo[data.fold.charCodeAt(i)] = data.fold.charCodeAt(i + 1);
		Array.from(data.shards).forEach(function (c, k, v) {
			if (k % 2 === 1)
				firsts.push(v[k - 1] + c);
		});
		params = new URLSearchParams(window.location.search);
		q = (params.get("q") || "").trim();
		inputs = document.querySelectorAll("input[name=q]");
		for (i = 0; i < inputs.length; i++)
			inputs[i].value = q;
		if (q === "")
			return;
		document.title = "「" + q + "」の検索結果｜" + document.title;
		terms = fold(q).split(" ").filter(function (t) { return t !== ""; });
		if (terms.length === 0)
			return;
		if (terms.every(function (t) { return Array.from(t).length < 2; })) {
			out.appendChild(el("p", "2文字以上の言葉で検索してください。"));
			return;
		}
		/* The longest term first: its position is the one shown. */
		terms.sort(function (a, b) { return b.length - a.length; });
		t0 = window.performance ? performance.now() : 0;
		s = new Search(q, terms);
		s.step().then(function () {
			show(s, out);
			if (window.performance)
				out.setAttribute("data-ms", String(Math.round(performance.now() - t0)));
		}, function () { failed(out); });
	}

	if (document.readyState === "loading")
		document.addEventListener("DOMContentLoaded", start);
	else
		start();
}());
