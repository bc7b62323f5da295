/*
 * pia init [--name 名称] DIR: start a city's content folder — a commented
 * site.xml with every field and one 窓口, an empty reports/ folder and a
 * README for the city's team saying what to do next.  DIR is created with
 * its parents; an existing DIR must be empty, so nothing is ever
 * overwritten.  When a file cannot be written, what init made is removed.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "diag.h"
#include "pia.h"
#include "util.h"

/* The name goes into element text: the five XML specials escaped. */
static void
put_text(struct pia_buf *b, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': pia_buf_puts(b, "&lt;"); break;
		case '>': pia_buf_puts(b, "&gt;"); break;
		case '&': pia_buf_puts(b, "&amp;"); break;
		default: pia_buf_putc(b, *s); break;
		}
}

/* Write a whole file; -1 with errno set when any step fails. */
static int
write_whole(const char *path, const struct pia_buf *b)
{
	FILE *f;
	int e;

	if ((f = fopen(path, "wx")) == NULL)
		return -1;
	if (fwrite(b->data, 1, b->len, f) != b->len || fflush(f) != 0) {
		e = errno;
		fclose(f);
		errno = e;
		return -1;
	}
	return fclose(f);
}

/* mkdir -p: every missing folder of path. */
static int
mkdir_parents(const char *path)
{
	char *p = xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1; rc == 0 && *s; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, 0777) != 0 && errno != EEXIST)
				rc = -1;
			*s = '/';
		}
	if (rc == 0 && mkdir(p, 0777) != 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

/* site.xml: every element and attribute of site.rng, each with a comment. */
static void
site_xml(struct pia_buf *b, const char *name)
{
	const char *n = name != NULL ? name : "【自治体の名称】";

	pia_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<!--\n"
	    "  自治体の設定（pia init で作成）。【】の部分を書き換えてください。\n"
	    "  書き方の詳細は man pia.5 の「site.xml」にあります。\n"
	    "-->\n"
	    "<自治体>\n"
	    "  <!-- 自治体の名称。評価書の表紙とウェブページの見出しに使います。 -->\n");
	pia_buf_puts(b, "  <名称>");
	put_text(b, n);
	pia_buf_puts(b, "</名称>\n"
	    "  <!-- 名称の読み（ひらがな）。一覧の並べ替えと読み上げに使います。 -->\n"
	    "  <よみ>【よみ】</よみ>\n"
	    "  <!-- 都道府県名（市区町村のとき）。 -->\n"
	    "  <都道府県>【都道府県名】</都道府県>\n"
	    "  <!-- 評価実施機関名（評価書の表紙に載ります。例: 〇〇市長）。 -->\n");
	pia_buf_puts(b, "  <評価実施機関名>");
	if (name != NULL) {
		put_text(b, name);
		pia_buf_puts(b, "長");
	} else
		pia_buf_puts(b, "【評価実施機関名】");
	pia_buf_puts(b, "</評価実施機関名>\n"
	    "  <!--\n"
	    "    公開するサイト: URL は公開先の絶対 URL（https://…/ で終わる）。サイトマップと\n"
	    "    更新情報（Atom）の絶対リンクに使います。タイトルはページの題名です。\n"
	    "  -->\n"
	    "  <サイト URL=\"https://【www.city.example.jp】/pia/\" タイトル=\"特定個人情報保護評価書\"/>\n"
	    "  <!--\n"
	    "    問合せの窓口: 評価書の「担当部署」と同じ部署名の窓口が、その評価書のページに載ります。\n"
	    "    窓口は部署ごとに一つずつ書きます。id は短い名前（重ならないもの）です。\n"
	    "  -->\n"
	    "  <窓口 id=\"総務課\" 部署=\"【部署名（評価書の担当部署と同じ書き方）】\" 郵便番号=\"【000-0000】\"\n"
	    "        住所=\"【所在地】\" 電話=\"【000-000-0000】\"\n"
	    "        受付時間=\"【午前8時30分から午後5時15分まで（土曜日、日曜日、休日及び年末年始を除く。）】\"/>\n"
	    "</自治体>\n");
}

static void
readme(struct pia_buf *b, const char *dir)
{
	pia_buf_puts(b, "# 特定個人情報保護評価書の原稿\n\n"
	    "このフォルダーは pia で評価書を作り、検査し、公開するための原稿です。\n"
	    "リポジトリ（git など）で管理し、変更はレビューしてから公表します。\n\n"
	    "## 最初に\n\n"
	    "1. `site.xml` の【】の部分（名称、窓口など）を書き換えます。\n"
	    "2. 評価書ごとに雛形を作ります（様式は 基礎・重点・全項目 から選びます）:\n\n"
	    "   ```sh\n");
	pia_buf_printf(b, "   pia new --form 重点 %s/reports/01-jumin\n", dir);
	pia_buf_puts(b, "   ```\n\n"
	    "   フォルダー名（01-jumin）はウェブページのアドレスになります。半角の英数字と「-」で付けます。\n"
	    "3. `report.xml`（選択肢・件数・日付など）と `sections/*.md`（文章）の【記入してください】を書き換えます。\n\n"
	    "## いつもの作業\n\n"
	    "```sh\n");
	pia_buf_printf(b, "pia check %s             # 検査（ファイル:行:桁 でエラーと警告を示します）\n", dir);
	pia_buf_printf(b, "pia serve %s             # 書きながら見るプレビュー（http://127.0.0.1:8080/）\n", dir);
	pia_buf_printf(b, "pia build %s -o 公開用    # ウェブページ一式と PDF（出力はこのフォルダーの外に）\n", dir);
	pia_buf_printf(b, "pia publish --date 令和X年Y月Z日 %s/reports/01-jumin   # 版を公表し、変更箇所を履歴に加える\n", dir);
	pia_buf_puts(b, "```\n\n"
	    "エラーがある間は `pia build` は出力を書き換えません（前回のページが残ります）。\n"
	    "書き方の詳細は `man pia`（コマンドとメッセージ）と `man 5 pia`（原稿の形）にあります。\n");
}

/* 1 if dir exists and has an entry other than . and .. */
static int
nonempty(const char *dir)
{
	DIR *dp;
	struct dirent *e;
	int found = 0;

	if ((dp = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : -1;
	while (!found && (e = readdir(dp)) != NULL)
		found = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(dp);
	return found;
}

enum { OPT_NAME };

static const struct pia_cmd_opt init_opts[] = {
	[OPT_NAME] = { "name", 'n', 1, 0 },
	{ NULL, 0, 0, 0 }
};

static int
init(struct pia_cmd_ctx *ctx)
{
	const char *name = ctx->opt[OPT_NAME], *dir = ctx->args[0];
	struct pia_diag *d = ctx->d;
	struct pia_buf b = { 0 };
	struct pia_pos pos = { NULL, 0, 0 };
	char *site = NULL, *reports = NULL, *rd = NULL;
	int rc = PIA_EXIT_SYSTEM, made = 0, st;

	pos.file = dir;
	if ((st = nonempty(dir)) != 0) {
		if (st > 0)
			pia_diag(d, &pos, PIA_MSG_INIT_NOT_EMPTY);
		else
			pia_diag(d, &pos, PIA_MSG_SYS_WRITE, strerror(errno));
		goto out;
	}
	if (access(dir, F_OK) != 0) {
		if (mkdir_parents(dir) != 0) {
			pia_diag(d, &pos, PIA_MSG_SYS_WRITE, strerror(errno));
			goto out;
		}
		made = 1;
	}
	site = xasprintf("%s/site.xml", dir);
	reports = xasprintf("%s/reports", dir);
	rd = xasprintf("%s/README.md", dir);
	site_xml(&b, name);
	if (write_whole(site, &b) != 0) {
		pos.file = site;
		pia_diag(d, &pos, PIA_MSG_SYS_WRITE, strerror(errno));
		goto undo;
	}
	pia_buf_free(&b);
	readme(&b, dir);
	if (write_whole(rd, &b) != 0) {
		pos.file = rd;
		pia_diag(d, &pos, PIA_MSG_SYS_WRITE, strerror(errno));
		goto undo;
	}
	if (mkdir(reports, 0777) != 0) {
		pos.file = reports;
		pia_diag(d, &pos, PIA_MSG_SYS_WRITE, strerror(errno));
		goto undo;
	}
	printf("%s: コンテンツのフォルダーを作りました（site.xml、reports/、README.md）。\n"
	    "次に site.xml の【】を書き換え、pia new --form 重点 %s/reports/01-NAME で評価書の雛形を作ります。\n",
	    dir, dir);
	rc = PIA_EXIT_OK;
	goto out;
undo:
	/* Leave DIR as it was: empty, or not there. */
	unlink(site);
	unlink(rd);
	rmdir(reports);
	if (made)
		rmdir(dir);
out:
	pia_buf_free(&b);
	free(site);
	free(reports);
	free(rd);
	return rc;
}

static const struct pia_cmd init_cmd = {
	.name = "init",
	.help = "使い方: pia init [--name 名称] フォルダー\n"
	    "  市区町村のコンテンツのフォルダーを始めます: 説明つきの site.xml（すべての欄と窓口一つ）、\n"
	    "  空の reports/ と、担当者向けの README.md を作ります。フォルダーは親も含めて作り、\n"
	    "  すでにあるときは空でなければなりません（何も上書きしません）。\n"
	    "  --name 名称  自治体の名称（例: 星見台市）。評価実施機関名は「名称＋長」になります\n",
	.opts = init_opts,
	.min_args = 1,
	.max_args = 1,
	.run = init,
};

int
pia_cmd_init(int argc, char **argv)
{
	return pia_cmd_run(&init_cmd, argc, argv);
}
