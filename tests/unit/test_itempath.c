/*
 * Unit tests of the item path resolver (pia_item_resolve): paths as the
 * real change lists write them (seed 001 and the tests/fixtures/real-jutenn
 * rows) lead to the form node and entry pia prints as Ⅱ(1)-2-⑤保有開始日;
 * paths that name nothing are read only as far as they go.
 */
#include <stdlib.h>

#include "diag.h"
#include "form.h"
#include "model.h"
#include "unit.h"

/* The key the resolver gives path, or "-" followed by the key reached when it stops early. */
static char *
key_of(const struct pia_form *F, const char *path)
{
	struct pia_item_where w;
	char *k;
	int rc = pia_item_resolve(F, NULL, path, &w);

	k = rc == 0 ? w.key : NULL;
	if (rc != 0) {
		size_t n = strlen(w.key) + 2;
		k = malloc(n);
		snprintf(k, n, "-%s", w.key);
		free(w.key);
	}
	w.key = NULL;
	pia_item_where_free(&w);
	return k;
}

#define KEY(F, path, want) do { char *k_ = key_of((F), (path)); EXPECT_STR(k_, (want)); \
	free(k_); } while (0)

int
main(void)
{
	struct pia_diag *d = pia_diag_new();
	struct pia_forms *fs = pia_forms_load(d, NULL);
	const struct pia_form *J = pia_forms_find(fs, "重点", NULL);
	const struct pia_form *Z = pia_forms_find(fs, "全項目", NULL);

	/* pia's own notation. */
	KEY(J, "Ⅱ(1)-2-⑤保有開始日", "ファイルの概要1/基本情報/保有開始日");
	KEY(J, "Ⅰ-2-システム1-③他のシステムとの接続", "基本情報/システム1/他のシステムとの接続");
	/* Seed 001's spellings. */
	KEY(J, "II(1)住民基本台帳ファイル - 2⑤保有開始日", "ファイルの概要1/基本情報/保有開始日");
	KEY(J, "Ⅱ(3)送付先情報ファイル -2 ③対象となる本人の範囲 そ の必要性", "ファイルの概要3/基本情報/その必要性");
	KEY(J, "Ⅳ-1②請求方法", "開示請求問合せ/開示請求/請求方法");
	KEY(J, "I-6②所属長", "基本情報/担当部署/所属長の役職名");
	KEY(J, "I-2システム3②システムの機能", "基本情報/システム3/システムの機能");
	KEY(J, "V-1①実施日", "評価実施手続/基礎項目評価/実施日");
	KEY(J, "II(1)住民基本ファイル -4委託事項2 ⑤再委託の許諾 方法(3-1)",
	    "ファイルの概要1/委託/委託事項2/再委託/再委託の許諾方法");
	KEY(J, "Ⅱ(1)住民基本ファイル -4委託の有無", "ファイルの概要1/委託/委託の有無");
	KEY(J, "II(1)住民基本ファイル -5特定個人情報の提供・移転移転先9 ①法令上の根拠",
	    "ファイルの概要1/提供移転/移転先9/法令上の根拠");
	KEY(J, "II(1)住民基本ファイル -5特定個人情報の提供・移転の有無", "ファイルの概要1/提供移転/提供移転の有無");
	KEY(J, "Ⅲ(1)住民基本台帳ファイル5ルール内容及びルール遵守の確認方法",
	    "リスク対策1/提供移転/リスク/ルールの内容");
	KEY(J, "Ⅲ(1)住民基本台帳ファイル7特定個人情報の保管・消去におけるその他のリスク及びそのリスクに対する措置",
	    "リスク対策1/保管消去/その他のリスク");
	KEY(J, "Ⅲ(1)住民基本台帳ファイル - 3特定個人情報の使用 特定個人情報の使用におけるその他のリスク及びそのリスクに対する措置 (2-1)",
	    "リスク対策1/使用/その他のリスク");
	KEY(J, "III(1)住民基本台帳ファイル - 10", "リスク対策1/その他のリスク対策");
	KEY(J, "II(1)住民基本台帳ファイル - 5 移転先8", "ファイルの概要1/提供移転/移転先8");
	KEY(J, "Ⅱ特定個人情報ファイルの概要ー(1)住民基本台帳ファイルー3. 特定個人情報の入手・使用ー④使用の主体",
	    "ファイルの概要1/入手使用/使用の主体");
	KEY(J, "II(1)住民基本台帳ファイル 3⑤使用方法 情報の突合", "ファイルの概要1/入手使用/情報の突合");
	KEY(J, "II(1)住民基本台帳ファイル - 5 提供先1 別紙1 別表第2の項番 8の行", "別紙1/提供先一覧");
	KEY(J, "別紙1", "別紙1/提供先一覧");
	KEY(J, "(別添1) 特定個人情報ファイル記録項目 (2)本人確認情報ファイル", "記録項目2");
	KEY(J, "表紙 特記事項", "表紙/特記事項");
	/* Ranges and lists name the repeat. */
	KEY(J, "II(1)住民基本台帳ファイル 5 移転先9～16", "ファイルの概要1/提供移転/移転先");
	KEY(J, "II(1)住民基本台帳ファイル - 5 移転先6～8(変更前)、移転先6、7(変更後)", "ファイルの概要1/提供移転/移転先");
	/* A number the 様式 of another type gives the item (全項目's ⑦ on a 重点): the label decides. */
	KEY(J, "Ⅱ特定個人情報ファイルの概要ー(1)住民基本台帳ファイルー3. 特定個人情報の入手・使用ー⑦使用の主体",
	    "ファイルの概要1/入手使用/使用の主体");
	/* 全項目: ⑦使用の主体. */
	KEY(Z, "Ⅱ特定個人情報ファイルの概要ー(1)住民基本台帳ファイルー3. 特定個人情報の入手・使用ー⑦使用の主体",
	    "ファイルの概要1/入手使用/使用の主体");
	KEY(J, "Ⅲ(1)住民基本台帳ファイル7特定個人情報の保管・消去におけるその他のリスクに対する措置 (2-2)",
	    "リスク対策1/保管消去/その他のリスク");
	KEY(Z, "Ⅳ-1-監査の内容", "その他のリスク対策/監査/監査の内容");
	/* The file named after the path, as seed 002's 別紙 writes it. */
	KEY(J, "II-4-委託事項1 (1.特定個人情報ファイル名:(1)住民基本台帳ファイル)",
	    "ファイルの概要1/委託/委託事項1");
	KEY(J, "Ⅲ-7-その他の措置の内容 (1.特定個人情報ファイル名:(2)本人確認情報ファイル)",
	    "リスク対策2/保管消去/リスク/その他の措置の内容");
	KEY(J, "II-6 (1.特定個人情報ファイル名:(3) 送付先情報ファイル)", "ファイルの概要3/保管消去");
	KEY(J, "II(3) 送付先情報ファイル-6", "ファイルの概要3/保管消去");
	/* Not items: read as far as they go. */
	KEY(J, "Ⅰ-5-③課長名", "-基本情報/情報連携");
	KEY(J, "Ⅸ-1", "-");
	pia_forms_free(fs);
	pia_diag_free(d);
	return UNIT_DONE("itempath");
}
