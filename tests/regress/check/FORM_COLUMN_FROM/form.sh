# A small 様式2 of this case's own (its lines stay put when the real forms change), with the
# 変更箇所 columns written as $columns (set before it is sourced), and a report and history for it.
mkdir forms rep
cat > forms/form2.xml <<XML
<?xml version="1.0" encoding="UTF-8"?>
<form kind="基礎" name="基礎項目評価書" yoshiki="様式2" version="令和6年10月"
      title="特定個人情報保護評価書（基礎項目評価書）">
  <cover key="表紙">
    <item key="評価書名" type="text" role="name"/>
    <item key="公表日" type="date" published="yes"/>
  </cover>
  <section key="関連情報" no="Ⅰ" label="関連情報">
    <item key="事務の名称" no="①" type="text"/>
  </section>
  <changes key="変更箇所" label="変更箇所">
$columns
  </changes>
</form>
XML
cat > rep/report.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<評価書 様式="基礎項目評価書" 版="令和6年10月">
  <表紙>
    <評価書名>検診に関する事務 基礎項目評価書</評価書名>
    <公表日>令和7年6月2日</公表日>
  </表紙>
  <関連情報><事務の名称>検診に関する事務</事務の名称></関連情報>
</評価書>
XML
cat > rep/changes.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<変更履歴>
  <変更 日="令和6年6月3日" 項目="Ⅰ-①事務の名称" 提出時期="事後" 説明="重要な変更の対象項目でない" 理由="名称の整理" 変更前の版="旧システム">
    <変更前>検診事務</変更前>
    <変更後>検診に関する事務</変更後>
  </変更>
</変更履歴>
XML
