/*
 * Search without a server, sharded so that a city of hundreds of reports
 * stays quick (issue 20).  At build time every report is cut into
 * documents, one per section of its page that holds items (the run of
 * items under one heading: "Ⅱ … 3. 特定個人情報の入手・使用"), each the
 * heading, then every item's label and value.  A character-bigram index
 * is built over their folded text: Japanese has no spaces between words,
 * so bigrams find any word of two or more characters without a
 * dictionary.  The output is a set of small scripts, read by the theme's
 * search.js through <script> elements (fetch() does not work from
 * file://):
 *
 *   search-index.js   PIA_SEARCH: the number of documents, each report's
 *                     folder and first document, the first bigram of each
 *                     postings shard, the folding table;
 *   search/sN.js      postings shard N: bigram → documents, with the
 *                     bigram's count in each and whether it is in a label;
 *   SLUG/search-N.js  text fragment N of a report: its documents
 *                     N * FRAG_DOCS and on (heading, URL, text, where each
 *                     item label is) and the report's name.  In the
 *                     report's folder and depending on it alone, so a
 *                     build keeps an unchanged report's fragments.
 *
 * A query loads the shards of its bigrams, ranks the candidate documents
 * (label and heading hits first, then term frequency), then loads only
 * the fragments of the first candidates to confirm them with a substring
 * search and show them.  Shards of at most SHARD_BYTES (unless one bigram
 * alone is more), documents near DOC_BYTES and FRAG_DOCS documents to a
 * fragment bound what one query transfers; on a city of 300 reports
 * (20,000 pages) the entry is about 5 KB.
 *
 * Postings are written as base-64 variable-length numbers (5 bits per
 * character, 32 = more follows): per document the gap to the previous
 * one, then min(count, 15) * 2 + (1 if in a label or heading).  A bigram
 * in so many documents that this is longer is written as three bitmaps
 * instead (dense()): the postings of 「する」 or 「個人」 in 40,000
 * documents take 20 KB, not 80.
 *
 * In stages, so a build reuses what an unchanged report gave:
 * pia_search_report() extracts one report's documents, from which
 * pia_search_fragments() writes its fragments and pia_search_postings()
 * its postings (bytes a build keeps, OUT/.pia-cache/SLUG.idx);
 * pia_search_merge() makes the entry and the shards from every report's
 * postings, numbering the documents report after report.  A new value
 * type is a row in search_acts[].
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "form.h"
#include "html.h"
#include "md.h"
#include "model.h"
#include "util.h"

/* Target size of a postings shard and of a text fragment, in bytes. */
#define SHARD_BYTES	(24u * 1024)
#define FRAG_DOCS	3u
/* Target size of a document's text, and the characters a cut value repeats. */
#define DOC_BYTES	2048u
#define OVERLAP		3u

/* Per value type: append the searchable text of an item. */
typedef void (*search_fn)(struct pia_buf *, const struct pia_node *);

static void	s_text(struct pia_buf *, const struct pia_node *);
static void	s_md(struct pia_buf *, const struct pia_node *);
static void	s_choice(struct pia_buf *, const struct pia_node *);
static void	s_checks(struct pia_buf *, const struct pia_node *);
static void	s_list(struct pia_buf *, const struct pia_node *);
static void	s_table(struct pia_buf *, const struct pia_node *);

static const search_fn search_acts[PIA_T__MAX] = {
	[PIA_T_NONE] = NULL,
	[PIA_T_TEXT] = s_text,
	[PIA_T_MARKDOWN] = s_md,
	[PIA_T_CHOICE] = s_choice,
	[PIA_T_CHECKS] = s_checks,
	[PIA_T_COUNT] = s_text,
	[PIA_T_DATE] = s_text,
	[PIA_T_YEARMONTH] = s_text,
	[PIA_T_REF] = s_text,
	[PIA_T_LIST] = s_list,
	[PIA_T_TABLE] = s_table,
	[PIA_T_CHANGE] = s_text,
};

static void
sep(struct pia_buf *b)
{
	if (b->len > 0 && b->data[b->len - 1] != ' ')
		pia_buf_putc(b, ' ');
}

static void
s_text(struct pia_buf *b, const struct pia_node *n)
{
	sep(b);
	if (n->text)
		pia_buf_puts(b, n->text);
}

static void
s_md(struct pia_buf *b, const struct pia_node *n)
{
	char *t;

	if (n->md == NULL) {
		s_text(b, n);
		return;
	}
	t = pia_md_plain(n->md);
	sep(b);
	pia_buf_puts(b, t);
	free(t);
}

static void
s_choice(struct pia_buf *b, const struct pia_node *n)
{
	const struct pia_choices *c = n->f->choices;

	if (c != NULL && n->choice >= 0 && (size_t)n->choice < c->n) {
		sep(b);
		pia_buf_puts(b, c->v[n->choice].label);
	}
}

static void
s_checks(struct pia_buf *b, const struct pia_node *n)
{
	const struct pia_choices *c = n->f->choices;
	size_t i;

	for (i = 0; c != NULL && i < n->nboxes; i++) {
		sep(b);
		pia_buf_puts(b, c->v[n->boxes[i].choice].label);
		if (n->boxes[i].other) {
			pia_buf_puts(b, "（");
			pia_buf_puts(b, n->boxes[i].other);
			pia_buf_puts(b, "）");
		}
	}
}

static void
s_list(struct pia_buf *b, const struct pia_node *n)
{
	size_t i;

	for (i = 0; i < n->nlist; i++) {
		sep(b);
		pia_buf_puts(b, n->list[i].text);
	}
}

static void
s_table(struct pia_buf *b, const struct pia_node *n)
{
	size_t i, j;

	for (i = 0; i < n->nrows; i++)
		for (j = 0; j < n->rows[i].ncells; j++) {
			sep(b);
			pia_buf_puts(b, n->rows[i].cells[j].text);
		}
}

/* ---- folding ------------------------------------------------------------ */

/*
 * Characters folded one to one (so offsets in the folded text are those of
 * the original), sorted by the first: half-width katakana to full-width,
 * the marks people type for the long vowel mark to ー, and common 旧字体
 * (and 異体字 of names) to the 新字体.  search-index.js carries this table
 * to search.js, so the indexer and the query fold alike.  All are in the
 * Basic Multilingual Plane: one UTF-16 unit each in search.js.
 */
static const uint32_t fold_pairs[][2] = {
	{ 0x2010, 0x30FC }, { 0x2011, 0x30FC }, { 0x2012, 0x30FC },
	{ 0x2013, 0x30FC }, { 0x2014, 0x30FC }, { 0x2015, 0x30FC },
	{ 0x2212, 0x30FC }, { 0x2500, 0x30FC },
	{ 0x4E58, 0x4E57 },	/* 乘 乗 */
	{ 0x4E9E, 0x4E9C },	/* 亞 亜 */
	{ 0x4F5B, 0x4ECF },	/* 佛 仏 */
	{ 0x4F86, 0x6765 },	/* 來 来 */
	{ 0x50B3, 0x4F1D },	/* 傳 伝 */
	{ 0x50DE, 0x507D },	/* 僞 偽 */
	{ 0x5109, 0x5039 },	/* 儉 倹 */
	{ 0x5152, 0x5150 },	/* 兒 児 */
	{ 0x5169, 0x4E21 },	/* 兩 両 */
	{ 0x528D, 0x5263 },	/* 劍 剣 */
	{ 0x5291, 0x5264 },	/* 劑 剤 */
	{ 0x52DE, 0x52B4 },	/* 勞 労 */
	{ 0x52F5, 0x52B1 },	/* 勵 励 */
	{ 0x5340, 0x533A },	/* 區 区 */
	{ 0x537B, 0x5374 },	/* 卻 却 */
	{ 0x53C3, 0x53C2 },	/* 參 参 */
	{ 0x55AE, 0x5358 },	/* 單 単 */
	{ 0x570B, 0x56FD },	/* 國 国 */
	{ 0x570D, 0x56F2 },	/* 圍 囲 */
	{ 0x5713, 0x5186 },	/* 圓 円 */
	{ 0x5716, 0x56F3 },	/* 圖 図 */
	{ 0x5718, 0x56E3 },	/* 團 団 */
	{ 0x58D3, 0x5727 },	/* 壓 圧 */
	{ 0x58F9, 0x58F1 },	/* 壹 壱 */
	{ 0x5B78, 0x5B66 },	/* 學 学 */
	{ 0x5BE6, 0x5B9F },	/* 實 実 */
	{ 0x5BEB, 0x5199 },	/* 寫 写 */
	{ 0x5BF6, 0x5B9D },	/* 寶 宝 */
	{ 0x5C07, 0x5C06 },	/* 將 将 */
	{ 0x5C08, 0x5C02 },	/* 專 専 */
	{ 0x5C0D, 0x5BFE },	/* 對 対 */
	{ 0x5D8B, 0x5CF6 },	/* 嶋 島 */
	{ 0x5EE3, 0x5E83 },	/* 廣 広 */
	{ 0x5F9E, 0x5F93 },	/* 從 従 */
	{ 0x5FB7, 0x5FB3 },	/* 德 徳 */
	{ 0x60E0, 0x6075 },	/* 惠 恵 */
	{ 0x6236, 0x6238 },	/* 戶 戸 */
	{ 0x64C7, 0x629E },	/* 擇 択 */
	{ 0x64D4, 0x62C5 },	/* 擔 担 */
	{ 0x64DA, 0x62E0 },	/* 據 拠 */
	{ 0x6578, 0x6570 },	/* 數 数 */
	{ 0x6649, 0x664B },	/* 晉 晋 */
	{ 0x6703, 0x4F1A },	/* 會 会 */
	{ 0x689D, 0x6761 },	/* 條 条 */
	{ 0x69AE, 0x6804 },	/* 榮 栄 */
	{ 0x6AA2, 0x691C },	/* 檢 検 */
	{ 0x6AFB, 0x685C },	/* 櫻 桜 */
	{ 0x6B0A, 0x6A29 },	/* 權 権 */
	{ 0x6B78, 0x5E30 },	/* 歸 帰 */
	{ 0x6C23, 0x6C17 },	/* 氣 気 */
	{ 0x6FA4, 0x6CA2 },	/* 澤 沢 */
	{ 0x6FF1, 0x6D5C },	/* 濱 浜 */
	{ 0x7028, 0x702C },	/* 瀨 瀬 */
	{ 0x7063, 0x6E7E },	/* 灣 湾 */
	{ 0x722D, 0x4E89 },	/* 爭 争 */
	{ 0x7368, 0x72EC },	/* 獨 独 */
	{ 0x756B, 0x753B },	/* 畫 画 */
	{ 0x767C, 0x767A },	/* 發 発 */
	{ 0x76E1, 0x5C3D },	/* 盡 尽 */
	{ 0x79AE, 0x793C },	/* 禮 礼 */
	{ 0x7A31, 0x79F0 },	/* 稱 称 */
	{ 0x7D93, 0x7D4C },	/* 經 経 */
	{ 0x7E23, 0x770C },	/* 縣 県 */
	{ 0x7E3D, 0x7DCF },	/* 總 総 */
	{ 0x7E8C, 0x7D9A },	/* 續 続 */
	{ 0x8072, 0x58F0 },	/* 聲 声 */
	{ 0x81FA, 0x53F0 },	/* 臺 台 */
	{ 0x820A, 0x65E7 },	/* 舊 旧 */
	{ 0x85DD, 0x82B8 },	/* 藝 芸 */
	{ 0x8655, 0x51E6 },	/* 處 処 */
	{ 0x865F, 0x53F7 },	/* 號 号 */
	{ 0x87F2, 0x866B },	/* 蟲 虫 */
	{ 0x88DD, 0x88C5 },	/* 裝 装 */
	{ 0x89BA, 0x899A },	/* 覺 覚 */
	{ 0x89BD, 0x89A7 },	/* 覽 覧 */
	{ 0x89C0, 0x89B3 },	/* 觀 観 */
	{ 0x8B49, 0x8A3C },	/* 證 証 */
	{ 0x8B6F, 0x8A33 },	/* 譯 訳 */
	{ 0x8B80, 0x8AAD },	/* 讀 読 */
	{ 0x8B8A, 0x5909 },	/* 變 変 */
	{ 0x8CE3, 0x58F2 },	/* 賣 売 */
	{ 0x8F15, 0x8EFD },	/* 輕 軽 */
	{ 0x8FA8, 0x5F01 },	/* 辨 弁 */
	{ 0x8FAF, 0x5F01 },	/* 辯 弁 */
	{ 0x9089, 0x8FBA },	/* 邉 辺 */
	{ 0x908A, 0x8FBA },	/* 邊 辺 */
	{ 0x91AB, 0x533B },	/* 醫 医 */
	{ 0x9435, 0x9244 },	/* 鐵 鉄 */
	{ 0x95DC, 0x95A2 },	/* 關 関 */
	{ 0x96A8, 0x968F },	/* 隨 随 */
	{ 0x96B1, 0x96A0 },	/* 隱 隠 */
	{ 0x96D9, 0x53CC },	/* 雙 双 */
	{ 0x96DC, 0x96D1 },	/* 雜 雑 */
	{ 0x975C, 0x9759 },	/* 靜 静 */
	{ 0x9918, 0x4F59 },	/* 餘 余 */
	{ 0x9A5B, 0x99C5 },	/* 驛 駅 */
	{ 0x9AD4, 0x4F53 },	/* 體 体 */
	{ 0x9AD9, 0x9AD8 },	/* 髙 高 */
	{ 0x9B2A, 0x95D8 },	/* 鬪 闘 */
	{ 0x9E7D, 0x5869 },	/* 鹽 塩 */
	{ 0x9EB5, 0x9EBA },	/* 麵 麺 */
	{ 0x9EC3, 0x9EC4 },	/* 黃 黄 */
	{ 0x9ED1, 0x9ED2 },	/* 黑 黒 */
	{ 0x9F4A, 0x6589 },	/* 齊 斉 */
	{ 0x9F4B, 0x658E },	/* 齋 斎 */
	{ 0x9F52, 0x6B6F },	/* 齒 歯 */
	{ 0x9F8D, 0x7ADC },	/* 龍 竜 */
	{ 0xFA11, 0x5D0E },	/* 﨑 崎 */
	{ 0xFF61, 0x3002 }, { 0xFF62, 0x300C }, { 0xFF63, 0x300D },
	{ 0xFF64, 0x3001 }, { 0xFF65, 0x30FB }, { 0xFF66, 0x30F2 },
	{ 0xFF67, 0x30A1 }, { 0xFF68, 0x30A3 }, { 0xFF69, 0x30A5 },
	{ 0xFF6A, 0x30A7 }, { 0xFF6B, 0x30A9 }, { 0xFF6C, 0x30E3 },
	{ 0xFF6D, 0x30E5 }, { 0xFF6E, 0x30E7 }, { 0xFF6F, 0x30C3 },
	{ 0xFF70, 0x30FC }, { 0xFF71, 0x30A2 }, { 0xFF72, 0x30A4 },
	{ 0xFF73, 0x30A6 }, { 0xFF74, 0x30A8 }, { 0xFF75, 0x30AA },
	{ 0xFF76, 0x30AB }, { 0xFF77, 0x30AD }, { 0xFF78, 0x30AF },
	{ 0xFF79, 0x30B1 }, { 0xFF7A, 0x30B3 }, { 0xFF7B, 0x30B5 },
	{ 0xFF7C, 0x30B7 }, { 0xFF7D, 0x30B9 }, { 0xFF7E, 0x30BB },
	{ 0xFF7F, 0x30BD }, { 0xFF80, 0x30BF }, { 0xFF81, 0x30C1 },
	{ 0xFF82, 0x30C4 }, { 0xFF83, 0x30C6 }, { 0xFF84, 0x30C8 },
	{ 0xFF85, 0x30CA }, { 0xFF86, 0x30CB }, { 0xFF87, 0x30CC },
	{ 0xFF88, 0x30CD }, { 0xFF89, 0x30CE }, { 0xFF8A, 0x30CF },
	{ 0xFF8B, 0x30D2 }, { 0xFF8C, 0x30D5 }, { 0xFF8D, 0x30D8 },
	{ 0xFF8E, 0x30DB }, { 0xFF8F, 0x30DE }, { 0xFF90, 0x30DF },
	{ 0xFF91, 0x30E0 }, { 0xFF92, 0x30E1 }, { 0xFF93, 0x30E2 },
	{ 0xFF94, 0x30E4 }, { 0xFF95, 0x30E6 }, { 0xFF96, 0x30E8 },
	{ 0xFF97, 0x30E9 }, { 0xFF98, 0x30EA }, { 0xFF99, 0x30EB },
	{ 0xFF9A, 0x30EC }, { 0xFF9B, 0x30ED }, { 0xFF9C, 0x30EF },
	{ 0xFF9D, 0x30F3 }, { 0xFF9E, 0x309B }, { 0xFF9F, 0x309C },
};
#define NFOLD	(sizeof(fold_pairs) / sizeof(fold_pairs[0]))

uint32_t
pia_search_fold(uint32_t cp)
{
	size_t lo = 0, hi = NFOLD, mid;

	if (cp >= 0xFF01 && cp <= 0xFF5E)	/* Ａ１！ → A1! */
		cp -= 0xFEE0;
	if (cp >= 'A' && cp <= 'Z')
		return cp + ('a' - 'A');
	if (cp == 0x3000 || cp == '\t' || cp == '\n' || cp == '\r')
		return ' ';
	if (cp == '-')				/* －, - as a long vowel mark: ー */
		return 0x30FC;
	if (cp < 0x2010)
		return cp;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (fold_pairs[mid][0] == cp)
			return fold_pairs[mid][1];
		if (fold_pairs[mid][0] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return cp;
}

/* The table as search.js reads it: a string of pairs, from then to. */
static void
fold_table(struct pia_buf *out)
{
	size_t i;

	pia_buf_putc(out, '"');
	for (i = 0; i < NFOLD; i++) {
		pia_buf_put_cp(out, fold_pairs[i][0]);
		pia_buf_put_cp(out, fold_pairs[i][1]);
	}
	pia_buf_putc(out, '"');
}

/* ---- one report's documents --------------------------------------------- */

/* One document: a heading, its URL, its text and where its item labels are. */
struct sdoc {
	char	*t;		/* heading path: "Ⅱ … (1) … › 3. 特定個人情報の入手・使用" */
	char	*u;		/* "01-jumin/index.html#p3-2-4" */
	char	*x;		/* text as stored (squeezed, not folded) */
	size_t	*lab;		/* label spans in UTF-16 units: offset, length, … */
	size_t	 nlab;		/* number of size_t in lab */
};

struct pia_search_report {
	char		*t, *k, *u;	/* 事務, 様式 name, page URL */
	char		*slug, *dir;	/* its folder, as named on disk and in a URL */
	struct sdoc	*v;
	size_t		 n;
};

/* UTF-16 length of s: the offsets search.js uses. */
static size_t
u16len(const char *s, size_t n)
{
	size_t k, len = 0;
	uint32_t cp;

	while (n > 0) {
		if ((k = pia_utf8_decode(s, n, &cp)) == 0)
			k = 1, cp = 0;
		len += cp > 0xFFFF ? 2 : 1;
		s += k;
		n -= k;
	}
	return len;
}

/*
 * Text as stored: white space runs become one space and control
 * characters go, so the folded text (search.js folds one unit into one
 * unit) has the same length and offsets as this one.  Appended to b after
 * one space (none at the start of b).
 */
static void
squeeze_to(struct pia_buf *b, const char *s)
{
	size_t n = strlen(s), k;
	uint32_t cp;

	while (n > 0) {
		if ((k = pia_utf8_decode(s, n, &cp)) == 0) {
			s++;
			n--;
			continue;
		}
		if (pia_search_fold(cp) == ' ') {
			if (b->len > 0 && b->data[b->len - 1] != ' ')
				pia_buf_putc(b, ' ');
		} else if (cp >= 0x20 && cp != 0x7F && cp != 0x2028 && cp != 0x2029)
			pia_buf_put(b, s, k);
		s += k;
		n -= k;
	}
	while (b->len > 0 && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
}

/* Documents being built for one report. */
struct collect {
	struct pia_search_report	*sr;
	const struct pia_report		*r;
	const struct pia_node		*owner;		/* the container of the open document */
	struct pia_buf			 x;
	size_t				*lab;
	size_t				 nlab, caplab;
};

static void
add_label(struct collect *c, size_t off, size_t len)
{
	if (c->nlab + 2 > c->caplab) {
		c->caplab = c->caplab ? c->caplab * 2 : 16;
		c->lab = xrealloc(c->lab, c->caplab * sizeof(size_t));
	}
	c->lab[c->nlab++] = off;
	c->lab[c->nlab++] = len;
}

/* Append a label (heading or item label) to the open document's text. */
static void
put_label(struct collect *c, const char *label)
{
	size_t off;

	if (c->x.len > 0)
		pia_buf_putc(&c->x, ' ');
	off = u16len(c->x.data ? c->x.data : "", c->x.len);
	squeeze_to(&c->x, label);
	/* Always a span, maybe empty: the first one is the heading's. */
	add_label(c, off, u16len(c->x.data ? c->x.data : "", c->x.len) - off);
}

static void
close_doc(struct collect *c)
{
	struct sdoc *d;

	if (c->owner == NULL)
		return;
	/* open_doc made room for it and set its heading and URL. */
	d = &c->sr->v[c->sr->n++];
	d->x = pia_buf_take(&c->x);
	if (d->x == NULL)
		d->x = xstrdup("");
	d->lab = c->lab;
	d->nlab = c->nlab;
	c->lab = NULL;
	c->nlab = c->caplab = 0;
	c->owner = NULL;
}

/* The top-level part holding n (or n itself). */
static const struct pia_node *
top_part(const struct pia_node *n)
{
	while (n->parent != NULL && n->parent->parent != NULL)
		n = n->parent;
	return n;
}

static void
open_doc(struct collect *c, const struct pia_node *owner)
{
	struct pia_buf h = { 0 }, u = { 0 };
	const struct pia_node *top = top_part(owner);
	struct sdoc *d;
	char *d_t;

	close_doc(c);
	pia_html_heading(&h, top);
	if (owner != top) {
		pia_buf_puts(&h, " › ");
		pia_html_heading(&h, owner);
	}
	d_t = pia_buf_take(&h);
	pia_html_name(&u, c->r->slug);
	pia_buf_puts(&u, "/" PIA_HTML_PAGE "#");
	pia_html_id(&u, owner);
	c->owner = owner;
	/* The document is stored when closed; its heading and URL now. */
	c->sr->v = xrealloc(c->sr->v, (c->sr->n + 1) * sizeof(*c->sr->v));
	d = &c->sr->v[c->sr->n];
	memset(d, 0, sizeof(*d));
	d->t = d_t;
	d->u = pia_buf_take(&u);
	/* The text starts with the heading the page shows above the items. */
	h.len = 0;
	pia_html_heading(&h, owner);
	put_label(c, h.data);
	pia_buf_free(&h);
}

/* "①事務の名称", "2. 特定個人情報ファイル名", with 【注記】, as the page shows it. */
static void
item_label(struct pia_buf *b, const struct pia_node *n)
{
	const struct pia_fnode *f = n->f;
	size_t len = f->no ? strlen(f->no) : 0;
	char *t;

	if (n->index == 0 && len > 0 && f->no[len - 1] == '.' && f->label != NULL) {
		pia_buf_puts(b, f->no);
		pia_buf_putc(b, ' ');
		pia_buf_puts(b, f->label);
	} else {
		t = pia_node_title(n);
		pia_buf_puts(b, t);
		free(t);
	}
	if (f->note)
		pia_buf_puts(b, f->note);
}

/*
 * The next document of the same section: its heading and URL again, an
 * empty heading in its text (the page shows the heading once).
 */
static void
continue_doc(struct collect *c)
{
	const struct pia_node *owner = c->owner;
	struct sdoc *d, *prev;

	close_doc(c);
	c->sr->v = xrealloc(c->sr->v, (c->sr->n + 1) * sizeof(*c->sr->v));
	prev = &c->sr->v[c->sr->n - 1];
	d = &c->sr->v[c->sr->n];
	memset(d, 0, sizeof(*d));
	d->t = xstrdup(prev->t);
	d->u = xstrdup(prev->u);
	c->owner = owner;
	add_label(c, 0, 0);
}

/* Bytes of s up to at most max, ending on a character boundary. */
static size_t
cut_at(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

/* Start of the last n characters of s[0..len). */
static size_t
back_chars(const char *s, size_t len, size_t n)
{
	while (len > 0 && n > 0) {
		len--;
		if (((unsigned char)s[len] & 0xC0) != 0x80)
			n--;
	}
	return len;
}

/*
 * An item: its label, then its value.  A document is kept near DOC_BYTES,
 * so a hit loads little text: an item that would overflow it starts the
 * next document of the section, and a value longer than one is cut, each
 * piece after the first under the label again and starting OVERLAP
 * characters back, so that every string of up to OVERLAP + 1 characters
 * is whole in some piece.
 */
static void
put_value(struct collect *c, const char *label, const char *value)
{
	struct pia_buf v = { 0 };
	size_t at = 0, n, room;

	if (value != NULL)
		squeeze_to(&v, value);
	if (c->nlab > 2 && c->x.len + strlen(label) + v.len + 2 > DOC_BYTES)
		continue_doc(c);
	put_label(c, label);
	while (at < v.len) {
		room = c->x.len + 1 < DOC_BYTES ? DOC_BYTES - c->x.len - 1 : 0;
		if (room < DOC_BYTES / 4)
			room = DOC_BYTES / 4;
		n = cut_at(v.data + at, v.len - at, room);
		if (n == 0)
			n = v.len - at;
		pia_buf_putc(&c->x, ' ');
		pia_buf_put(&c->x, v.data + at, n);
		if (at + n >= v.len)
			break;
		continue_doc(c);
		put_label(c, label);
		at = back_chars(v.data, at + n, OVERLAP);
	}
	pia_buf_free(&v);
}

/*
 * A 変更箇所 part: one document, a value per row of its tables (the
 * 変更点リスク評価表's too) under the row's item path, its text the cells
 * the page shows, each by its type as any item (the item path is the
 * label, a page number no text to find).
 */
static void
put_rows(struct collect *c, const struct pia_node *part, struct pia_buf *t)
{
	const struct pia_node *row, *cell, *item;

	for (row = part->child; row != NULL; row = row->next) {
		if (row->f->kind != PIA_F_ROW || !row->present)
			continue;
		if (c->owner != part)
			open_doc(c, part);
		t->len = 0;
		if (t->data)
			t->data[0] = '\0';
		item = NULL;
		for (cell = row->child; cell != NULL; cell = cell->next) {
			if (cell->f->type == PIA_T_ITEMPATH && item == NULL)
				item = cell;
			/* The risk table's copies of the texts above are not on the page. */
			if (!cell->present || cell->f->cols[0].repeated ||
			    search_acts[cell->f->type] == NULL)
				continue;
			search_acts[cell->f->type](t, cell);
		}
		put_value(c, item != NULL && item->text != NULL ? item->text : "",
		    t->data != NULL ? t->data : "");
	}
	close_doc(c);
}

struct pia_search_report *
pia_search_report(const struct pia_report *r)
{
	struct pia_search_report *sr = xcalloc(1, sizeof(*sr));
	struct collect c;
	struct pia_walk w;
	struct pia_node *n, *part;
	struct pia_buf t = { 0 }, l = { 0 };

	memset(&c, 0, sizeof(c));
	c.sr = sr;
	c.r = r;
	sr->t = pia_html_jimu(r);
	sr->k = xstrdup(r->form->name);
	pia_html_name(&t, r->slug);
	sr->dir = xstrdup(t.data);
	sr->slug = xstrdup(r->slug);
	pia_buf_puts(&t, "/" PIA_HTML_PAGE);
	sr->u = pia_buf_take(&t);
	for (part = r->root->child; part != NULL; part = part->next) {
		if (part->f->kind == PIA_F_ITEM)
			continue;
		if (part->f->kind == PIA_F_CHANGES) {
			put_rows(&c, part, &t);
			continue;
		}
		pia_walk_init(&w, part);
		while (pia_walk_next(&w, &n) != PIA_WALK_DONE) {
			if (w.ev != PIA_WALK_ENTER || n->f->kind != PIA_F_ITEM)
				continue;
			if (!n->present || search_acts[n->f->type] == NULL)
				continue;
			if (c.owner != n->parent)
				open_doc(&c, n->parent);
			t.len = 0;
			if (t.data)
				t.data[0] = '\0';
			search_acts[n->f->type](&t, n);
			l.len = 0;
			if (l.data)
				l.data[0] = '\0';
			item_label(&l, n);
			put_value(&c, l.data, t.data);
		}
		close_doc(&c);
	}
	pia_buf_free(&t);
	pia_buf_free(&l);
	pia_buf_free(&c.x);
	free(c.lab);
	return sr;
}

void
pia_search_report_free(struct pia_search_report *sr)
{
	size_t i;

	if (sr == NULL)
		return;
	for (i = 0; i < sr->n; i++) {
		free(sr->v[i].t);
		free(sr->v[i].u);
		free(sr->v[i].x);
		free(sr->v[i].lab);
	}
	free(sr->v);
	free(sr->t);
	free(sr->k);
	free(sr->u);
	free(sr->slug);
	free(sr->dir);
	free(sr);
}

/* ---- the bigram table: open addressing, keys (a << 21) | b ---------- */

struct post {
	unsigned	doc;
	unsigned short	tf;
	unsigned char	label;
};

struct gram {
	uint64_t	 key;	/* 0: empty slot */
	struct post	*p;
	size_t		 n, cap;
};

struct grams {
	struct gram	*v;
	size_t		 cap, used;
};

static size_t
slot(const struct grams *g, uint64_t key)
{
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & (g->cap - 1);

	while (g->v[i].key != 0 && g->v[i].key != key)
		i = (i + 1) & (g->cap - 1);
	return i;
}

static void
grow(struct grams *g)
{
	struct grams ng;
	size_t i;

	ng.cap = g->cap ? g->cap * 2 : 4096;
	ng.used = g->used;
	ng.v = xcalloc(ng.cap, sizeof(*ng.v));
	for (i = 0; i < g->cap; i++)
		if (g->v[i].key != 0)
			ng.v[slot(&ng, g->v[i].key)] = g->v[i];
	free(g->v);
	*g = ng;
}

static void
add(struct grams *g, uint32_t a, uint32_t b, unsigned doc, int label)
{
	uint64_t key = ((uint64_t)a << 21) | b;
	struct gram *e;

	if ((g->used + 1) * 2 > g->cap)
		grow(g);
	e = &g->v[slot(g, key)];
	if (e->key == 0) {
		e->key = key;
		g->used++;
	}
	if (e->n > 0 && e->p[e->n - 1].doc == doc) {
		if (e->p[e->n - 1].tf < 0xFFFF)
			e->p[e->n - 1].tf++;
		e->p[e->n - 1].label |= label;
		return;
	}
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 4;
		e->p = xrealloc(e->p, e->cap * sizeof(*e->p));
	}
	e->p[e->n].doc = doc;
	e->p[e->n].tf = 1;
	e->p[e->n].label = (unsigned char)label;
	e->n++;
}

/* Index one document: every bigram of folded characters without a space. */
static void
index_doc(struct grams *g, const struct sdoc *d, unsigned doc)
{
	const char *s = d->x;
	size_t n = strlen(s), k, at = 0, li = 0;
	uint32_t cp, prev = ' ';
	int inlab, prevlab = 0;

	while (n > 0) {
		if ((k = pia_utf8_decode(s, n, &cp)) == 0) {
			k = 1;
			cp = ' ';
		}
		while (li + 1 < d->nlab && at >= d->lab[li] + d->lab[li + 1])
			li += 2;
		inlab = li + 1 < d->nlab && at >= d->lab[li] && at < d->lab[li] + d->lab[li + 1];
		cp = pia_search_fold(cp);
		if (prev != ' ' && cp != ' ')
			add(g, prev, cp, doc, prevlab && inlab);
		prev = cp;
		prevlab = inlab;
		at += cp > 0xFFFF ? 2 : 1;
		s += k;
		n -= k;
	}
}

static int
cmp_gram(const void *a, const void *b)
{
	const struct gram *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* A JSON string; U+2028/2029 are escaped for older script engines. */
static void
json_str(struct pia_buf *b, const char *s)
{
	pia_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\') {
			pia_buf_putc(b, '\\');
			pia_buf_putc(b, *s);
		} else if ((unsigned char)*s < 0x20)
			pia_buf_printf(b, "\\u%04x", (unsigned char)*s);
		else if (strncmp(s, "\xe2\x80\xa8", 3) == 0 || strncmp(s, "\xe2\x80\xa9", 3) == 0) {
			pia_buf_printf(b, "\\u%s", s[2] == '\xa8' ? "2028" : "2029");
			s += 2;
		} else if (*s == '<' && s[1] == '/')
			pia_buf_puts(b, "<\\/");	/* never "</script" */
		else
			pia_buf_putc(b, *s);
	}
	pia_buf_putc(b, '"');
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* A number as base-64 digits of 5 bits, low first; 32 = more follow. */
static void
vlq(struct pia_buf *b, size_t v)
{
	do {
		unsigned d = v & 31;
		v >>= 5;
		pia_buf_putc(b, b64[d | (v ? 32 : 0)]);
	} while (v);
}

/* ---- the files ------------------------------------------------------------ */

static struct pia_search_file *
new_file(struct pia_search_files *fs, char *name)
{
	struct pia_search_file *f;

	fs->v = xrealloc(fs->v, (fs->n + 1) * sizeof(*fs->v));
	f = &fs->v[fs->n++];
	f->name = name;
	memset(&f->b, 0, sizeof(f->b));
	return f;
}

static void
put_doc(struct pia_buf *b, const struct sdoc *d)
{
	size_t i;

	pia_buf_puts(b, "{\"t\":");
	json_str(b, d->t);
	pia_buf_puts(b, ",\"u\":");
	json_str(b, d->u);
	pia_buf_puts(b, ",\"x\":");
	json_str(b, d->x);
	pia_buf_puts(b, ",\"l\":[");
	for (i = 0; i < d->nlab; i++)
		pia_buf_printf(b, i ? ",%zu" : "%zu", d->lab[i]);
	pia_buf_puts(b, "]}");
}

/*
 * The text fragments of one report, FRAG_DOCS documents each, in its own
 * folder (SLUG/search-N.js): search.js finds a document's fragment from
 * the report's first document (search-index.js), and a report's fragments
 * depend on it alone, so a build keeps those of an unchanged report.
 */
void
pia_search_fragments(const struct pia_search_report *sr, struct pia_search_files *fs)
{
	struct pia_search_file *f;
	struct pia_buf key = { 0 };
	size_t i, nf;

	for (i = 0, nf = 0; i < sr->n; nf++) {
		f = new_file(fs, xasprintf("%s/search-%zu.js", sr->slug, nf));
		key.len = 0;
		pia_buf_printf(&key, "%s/%zu", sr->dir, nf);
		pia_buf_printf(&f->b, "/* pia: search text %zu of this report */\nPIA_SEARCH_PUT(\"f\",", nf);
		json_str(&f->b, key.data);
		pia_buf_puts(&f->b, ",{\"report\":{\"t\":");
		json_str(&f->b, sr->t);
		pia_buf_puts(&f->b, ",\"k\":");
		json_str(&f->b, sr->k);
		pia_buf_puts(&f->b, ",\"u\":");
		json_str(&f->b, sr->u);
		pia_buf_puts(&f->b, "},\"docs\":[");
		do {
			pia_buf_puts(&f->b, i % FRAG_DOCS ? ",\n" : "\n");
			put_doc(&f->b, &sr->v[i]);
		} while (++i < sr->n && i % FRAG_DOCS != 0);
		pia_buf_puts(&f->b, "\n]});\n");
	}
	pia_buf_free(&key);
}

/* Postings as gaps and weights (see the top of this file). */
static void
sparse(struct pia_buf *b, const struct gram *e)
{
	size_t d, prev = 0;

	for (d = 0; d < e->n; d++) {
		const struct post *p = &e->p[d];
		vlq(b, d == 0 ? p->doc : p->doc - prev - 1);
		vlq(b, (size_t)(p->tf > 15 ? 15 : p->tf) * 2 + (p->label ? 1 : 0));
		prev = p->doc;
	}
}

/*
 * Postings of a bigram found in many documents: "!" and three bitmaps of
 * ndocs bits, 6 to a base-64 digit: in the document, in a label or
 * heading there, found DENSE_TF times or more there.
 */
#define DENSE_TF	3
static void
dense(struct pia_buf *b, const struct gram *e, size_t ndocs)
{
	size_t len = (ndocs + 5) / 6, at = b->len, d, k;
	char *m;

	pia_buf_putc(b, '!');
	for (k = 0; k < 3 * len; k++)
		pia_buf_putc(b, 'A');
	m = b->data + at + 1;
	for (d = 0; d < e->n; d++) {
		const struct post *p = &e->p[d];
		size_t i = p->doc / 6;
		unsigned bit = 1u << (p->doc % 6);
		m[i] = b64[(strchr(b64, m[i]) - b64) | bit];
		if (p->label)
			m[len + i] = b64[(strchr(b64, m[len + i]) - b64) | bit];
		if (p->tf >= DENSE_TF)
			m[2 * len + i] = b64[(strchr(b64, m[2 * len + i]) - b64) | bit];
	}
}

/* One shard file from the postings in shard. */
static void
put_shard(struct pia_search_files *fs, struct pia_buf *shard, size_t n)
{
	struct pia_search_file *f = new_file(fs, xasprintf("search/s%zu.js", n));

	pia_buf_printf(&f->b, "/* pia: search postings %zu */\nPIA_SEARCH_PUT(\"s\",%zu,{", n, n);
	pia_buf_put(&f->b, shard->data, shard->len);
	pia_buf_puts(&f->b, "\n});\n");
	shard->len = 0;
}

/* ---- one report's postings, as a build keeps them ------------------------ */

/*
 * What pia_search_postings writes: the head, then unsigned LEB128 numbers:
 * the documents, the bigrams, and per bigram (keys ascending) the gap to
 * the previous key, the number of postings, then per posting the gap to
 * the previous document (the first: the document) and tf * 2 + label;
 * then the seal (pia_buf_seal): a file cut short or changed does not read.  A build keeps it per report (OUT/.pia-cache/), and
 * the site's index is made from them all (pia_search_merge) without the
 * reports' text.
 */
#define POST_HEAD	"pia-postings 1\n"

static void
leb(struct pia_buf *b, uint64_t v)
{
	do {
		unsigned char c = v & 0x7F;
		v >>= 7;
		pia_buf_putc(b, (char)(c | (v ? 0x80 : 0)));
	} while (v);
}

/* The next number at *p (before end): 0, or -1 when it does not read. */
static int
unleb(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	unsigned shift = 0;

	*v = 0;
	while (*p < end && shift < 64) {
		unsigned char c = *(*p)++;
		*v |= (uint64_t)(c & 0x7F) << shift;
		if (!(c & 0x80))
			return 0;
		shift += 7;
	}
	return -1;
}

void
pia_search_postings(const struct pia_search_report *sr, struct pia_buf *out)
{
	struct grams g = { NULL, 0, 0 };
	size_t i, j, d, start = out->len;
	uint64_t prev = 0;

	for (i = 0; i < sr->n; i++)
		index_doc(&g, &sr->v[i], (unsigned)i);
	for (i = j = 0; i < g.cap; i++)
		if (g.v[i].key != 0)
			g.v[j++] = g.v[i];
	if (j > 0)
		qsort(g.v, j, sizeof(*g.v), cmp_gram);
	pia_buf_puts(out, POST_HEAD);
	leb(out, sr->n);
	leb(out, j);
	for (i = 0; i < j; i++) {
		leb(out, g.v[i].key - prev);
		prev = g.v[i].key;
		leb(out, g.v[i].n);
		for (d = 0; d < g.v[i].n; d++) {
			const struct post *p = &g.v[i].p[d];
			leb(out, d == 0 ? p->doc : p->doc - g.v[i].p[d - 1].doc);
			leb(out, (uint64_t)p->tf * 2 + p->label);
		}
		free(g.v[i].p);
	}
	pia_buf_seal(out, start);
	free(g.v);
}

/*
 * A report's postings as a cursor: its bigrams in key order, read one at
 * a time, so that the reports' are merged without a table of them all.
 */
struct cursor {
	const unsigned char	*p, *end;
	uint64_t		 key, n, left, ndocs;
	size_t			 r;		/* the report */
};

/* The cursor's next bigram: 1, 0 at the end, -1 when it does not read. */
static int
next_gram(struct cursor *c)
{
	uint64_t v;

	if (c->left == 0)
		return c->p == c->end ? 0 : -1;
	if (unleb(&c->p, c->end, &v) != 0 || unleb(&c->p, c->end, &c->n) != 0 ||
	    (v == 0 && c->key != 0) || v > ((uint64_t)1 << 42) - c->key ||
	    c->n == 0 || c->n > c->ndocs)
		return -1;
	c->key += v;
	if ((c->key >> 21) == 0 || (c->key >> 21) > 0x10FFFF || (c->key & 0x1FFFFF) > 0x10FFFF)
		return -1;
	c->left--;
	return 1;
}

/* The postings of the cursor's bigram, its documents from base, appended to e. */
static int
take_posts(struct cursor *c, uint64_t base, struct gram *e)
{
	uint64_t k, v, w, doc = 0;

	for (k = 0; k < c->n; k++) {
		if (unleb(&c->p, c->end, &v) != 0 || unleb(&c->p, c->end, &w) != 0 ||
		    (k > 0 && v == 0) || v >= c->ndocs - doc || w > 0x1FFFF)
			return -1;
		doc += v;
		if (e->n == e->cap) {
			e->cap = e->cap ? e->cap * 2 : 64;
			e->p = xrealloc(e->p, e->cap * sizeof(*e->p));
		}
		e->p[e->n].doc = (unsigned)(base + doc);
		e->p[e->n].tf = (unsigned short)(w / 2);
		e->p[e->n].label = (unsigned char)(w & 1);
		e->n++;
	}
	return 0;
}

/* Heap order: by key, then by report (so documents come in order). */
static int
before(const struct cursor *a, const struct cursor *b)
{
	return a->key != b->key ? a->key < b->key : a->r < b->r;
}

static void
sift(struct cursor **h, size_t n, size_t i)
{
	struct cursor *t;
	size_t m;

	for (;;) {
		m = i;
		if (2 * i + 1 < n && before(h[2 * i + 1], h[m]))
			m = 2 * i + 1;
		if (2 * i + 2 < n && before(h[2 * i + 2], h[m]))
			m = 2 * i + 2;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

/* A cursor on postings b (report r) before its first bigram; 0, or -1 when the head does not read. */
static int
open_cursor(struct cursor *c, const struct pia_buf *b, size_t r)
{
	size_t hl = strlen(POST_HEAD), len = pia_unseal(b->data, b->len);

	memset(c, 0, sizeof(*c));
	if (len == (size_t)-1 || len < hl || memcmp(b->data, POST_HEAD, hl) != 0)
		return -1;
	c->p = (const unsigned char *)b->data + hl;
	c->end = (const unsigned char *)b->data + len;
	c->r = r;
	if (unleb(&c->p, c->end, &c->ndocs) != 0 || unleb(&c->p, c->end, &c->left) != 0 ||
	    c->ndocs > 0xFFFFFF || c->left > (uint64_t)(c->end - c->p))
		return -1;
	return 0;
}

int
pia_search_postings_ok(const struct pia_buf *b)
{
	struct cursor c;
	struct gram e = { 0, NULL, 0, 0 };
	int got = -1;

	if (open_cursor(&c, b, 0) == 0)
		while ((got = next_gram(&c)) > 0) {
			e.n = 0;
			if (take_posts(&c, 0, &e) != 0) {
				got = -1;
				break;
			}
		}
	free(e.p);
	return got == 0 ? 0 : -1;
}

int
pia_search_merge(const struct pia_buf *const *post, const char *const *dirs, size_t nr,
    struct pia_search_files *fs)
{
	struct pia_buf firsts = { 0 }, shard = { 0 }, k = { 0 }, one = { 0 };
	struct pia_buf *entry;
	struct cursor *cv, **heap;
	struct gram e = { 0, NULL, 0, 0 };
	size_t r, i, doc = 0, nshard = 0, ei = fs->n, nh = 0, *starts;
	int rc = 0, got;

	cv = xcalloc(nr + 1, sizeof(*cv));
	heap = xcalloc(nr + 1, sizeof(*heap));
	starts = xcalloc(nr + 1, sizeof(*starts));
	for (r = 0; rc == 0 && r < nr; r++) {
		struct cursor *c = &cv[r];

		if (open_cursor(c, post[r], r) != 0) {
			rc = -1;
			break;
		}
		starts[r] = doc;
		doc += c->ndocs;
		if ((got = next_gram(c)) < 0)
			rc = -1;
		else if (got > 0)
			heap[nh++] = c;
	}
	for (i = nh; i-- > 0;)
		sift(heap, nh, i);
	/* The entry first, the shards after it. */
	if (rc == 0)
		new_file(fs, xstrdup("search-index.js"));
	/* Bigrams in code point order, so the same sources give the same bytes. */
	while (rc == 0 && nh > 0) {
		uint64_t key = heap[0]->key;

		e.key = key;
		e.n = 0;
		while (rc == 0 && nh > 0 && heap[0]->key == key) {
			struct cursor *c = heap[0];
			if (take_posts(c, starts[c->r], &e) != 0 || (got = next_gram(c)) < 0) {
				rc = -1;
				break;
			}
			if (got == 0)
				heap[0] = heap[--nh];
			sift(heap, nh, 0);
		}
		if (rc != 0)
			break;
		k.len = 0;
		pia_buf_put_cp(&k, (uint32_t)(key >> 21));
		pia_buf_put_cp(&k, (uint32_t)(key & 0x1FFFFF));
		one.len = 0;
		pia_buf_puts(&one, "\n");
		json_str(&one, k.data);
		pia_buf_puts(&one, ":\"");
		/* Whichever is shorter: gaps and weights, or the bitmaps. */
		if (e.n * 2 > 3 * ((doc + 5) / 6) + 1)
			dense(&one, &e, doc);
		else
			sparse(&one, &e);
		pia_buf_putc(&one, '"');
		/* A shard stays under SHARD_BYTES unless one bigram alone is more. */
		if (shard.len > 0 && shard.len + one.len > SHARD_BYTES)
			put_shard(fs, &shard, nshard++);
		if (shard.len == 0 && nshard > 0)
			pia_buf_puts(&firsts, k.data);
		if (shard.len > 0)
			pia_buf_putc(&shard, ',');
		pia_buf_put(&shard, one.data, one.len);
	}
	/* Every report read to its end. */
	for (r = 0; rc == 0 && r < nr; r++)
		if (cv[r].left != 0 || cv[r].p != cv[r].end)
			rc = -1;
	if (rc == 0 && shard.len > 0)
		put_shard(fs, &shard, nshard++);
	if (rc == 0) {
		entry = &fs->v[ei].b;
		pia_buf_puts(entry, "/* pia: the search index of this site, read by assets/search.js;"
		    " the rest is in search/ and the reports' folders. */\nvar PIA_SEARCH = {\"v\":3,");
		pia_buf_printf(entry, "\"docs\":%zu,\"reports\":%zu,\"per\":%u,\"nshards\":%zu,\n\"dirs\":[",
		    doc, nr, FRAG_DOCS, nshard);
		for (r = 0; r < nr; r++) {
			if (r > 0)
				pia_buf_putc(entry, ',');
			json_str(entry, dirs[r]);
		}
		pia_buf_puts(entry, "],\n\"starts\":[");
		for (r = 0; r < nr; r++)
			pia_buf_printf(entry, r ? ",%zu" : "%zu", starts[r]);
		/* Shard 0 starts at the first bigram: the first bigrams of the later ones, run together. */
		pia_buf_puts(entry, "],\n\"shards\":");
		json_str(entry, firsts.data ? firsts.data : "");
		pia_buf_puts(entry, ",\n\"fold\":");
		fold_table(entry);
		pia_buf_puts(entry, "\n};\n");
	} else {
		/* What was added goes: fs as it was. */
		while (fs->n > ei) {
			fs->n--;
			free(fs->v[fs->n].name);
			pia_buf_free(&fs->v[fs->n].b);
		}
	}
	free(e.p);
	free(cv);
	free(heap);
	free(starts);
	pia_buf_free(&firsts);
	pia_buf_free(&shard);
	pia_buf_free(&k);
	pia_buf_free(&one);
	return rc;
}

const char *
pia_search_dir(const struct pia_search_report *sr)
{
	return sr->dir;
}

void
pia_search_files(struct pia_search_report *const *v, size_t nr, struct pia_search_files *fs)
{
	struct pia_buf *post = xcalloc(nr + 1, sizeof(*post));
	const struct pia_buf **pv = xcalloc(nr + 1, sizeof(*pv));
	const char **dirs = xcalloc(nr + 1, sizeof(*dirs));
	size_t r;

	memset(fs, 0, sizeof(*fs));
	for (r = 0; r < nr; r++) {
		pia_search_postings(v[r], &post[r]);
		pv[r] = &post[r];
		dirs[r] = v[r]->dir;
	}
	(void)pia_search_merge(pv, dirs, nr, fs);
	for (r = 0; r < nr; r++) {
		pia_search_fragments(v[r], fs);
		pia_buf_free(&post[r]);
	}
	free(post);
	free(pv);
	free(dirs);
}

void
pia_search_files_free(struct pia_search_files *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		free(fs->v[i].name);
		pia_buf_free(&fs->v[i].b);
	}
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}

void
pia_search_site(const struct pia_site *s, struct pia_search_files *fs)
{
	const struct pia_report **v = pia_html_sorted(s);
	struct pia_search_report **sv;
	size_t i, n;

	for (n = 0; v[n] != NULL; n++)
		;
	sv = xcalloc(n + 1, sizeof(*sv));
	for (i = 0; i < n; i++)
		sv[i] = pia_search_report(v[i]);
	pia_search_files(sv, n, fs);
	for (i = 0; i < n; i++)
		pia_search_report_free(sv[i]);
	free(sv);
	free(v);
}
