#!/usr/bin/env python3
"""Compare the text of a report's PDF with the report's sources.

usage: textcheck.py FORMS_DIR REPORT_DIR PDFTOTEXT_OUT TRACE [LAYOUT_OUT]

Three multisets of characters (white space ignored):
  S  the characters of every value in the sources: report.xml text and
     value attributes (Markdown items stripped of their syntax), the
     Markdown section files without headings and syntax, changes.xml;
  T  every string pia drew (its --trace), V lines (source text) and L
     lines (layout: labels, choice lists, headers, page numbers; A lines,
     the artifacts of the tagged PDF, count as layout);
  O  what pdftotext extracts.
Passes when O == T (extraction returns exactly what was drawn: no glyph
lost, none added), V == S (every source character printed once, nothing
else from the sources), and every layout character comes from the form,
the sources or pia's own fixed strings.  Prints differences otherwise.

With LAYOUT_OUT (pdftotext -layout), also checks 禁則: no line starts
with a character that must not start a line, unless the sources start a
line there themselves (an author's 「・」 bullet written as text).
"""
import collections, html, os, re, sys
import xml.etree.ElementTree as ET

# Strings pdf.c draws itself (besides the form's labels and choices).
FIXED = ("0123456789/.()[]（）［］○　・•◦ 　：" "項目一覧（続き）＜選択肢＞件［図］"
         "ページ変更日項目変更前の記載変更後の記載提出時期提出時期に係る説明"
         "-別添紙参照記載分～"
         "【下書き】エラーのある原稿から作成（公表用ではありません）")

# Elements of changes.xml that the report's own PDF does not print.
RISK = ('変更理由', 'リスク変化', 'リスク変化の状況', 'リスク対策')

# Characters that must not start a line (the list, JIS X 4051).
NOSTART = set("、。，．）」』】〕〉》・：；？！"
              "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶー々ゝゞヽヾ")

def chars(s):
    return collections.Counter(c for c in s if not c.isspace())

def md_plain(text, headings):
    """Markdown to its printed characters (a small, independent reading)."""
    out = []
    fence = False
    for line in text.split('\n'):
        s = line.strip()
        if s.startswith('```') or s.startswith('~~~'):
            fence = not fence
            continue
        if fence:
            out.append(line)
            continue
        if headings and re.match(r'#{1,6}\s', s):
            continue
        s = re.sub(r'^(>\s*)+', '', s)
        s = re.sub(r'^([-*+]|\d{1,9}[.)])\s+', '', s)
        s = re.sub(r'^(>\s*)+', '', s)
        s = re.sub(r'^#{1,6}\s+', '', s)
        if re.fullmatch(r'([-*_]\s*){3,}', s):
            continue
        s = re.sub(r'!\[([^\]]*)\]\([^)]*\)', r'\1', s)
        s = re.sub(r'\[([^\]]*)\]\(([^)\s]*)\)',
                   lambda m: m.group(1) + ('' if m.group(1) == m.group(2) else m.group(2)), s)
        s = re.sub(r'<((?:https?|mailto):[^>\s]*)>', r'\1', s)
        s = s.replace('**', '').replace('__', '').replace('`', '')
        s = re.sub(r'\\$', '', s)
        s = re.sub(r'\\([!-/:-@\[-`{-~])', r'\1', s)
        out.append(html.unescape(s))
    return '\n'.join(out)

def form_for(forms_dir, kind):
    for name in sorted(os.listdir(forms_dir)):
        if not name.endswith('.xml'):
            continue
        root = ET.parse(os.path.join(forms_dir, name)).getroot()
        if kind in (root.get('name'), root.get('kind'), root.get('yoshiki')):
            return root, os.path.join(forms_dir, name)
    sys.exit('textcheck: no form for ' + kind)

STRUCT = ('cover', 'section', 'annex', 'group', 'item', 'changes')

def values(elem, fnode, acc):
    """Walk report.xml along the form: text of items, Markdown stripped."""
    kids = {k.get('key') or {'cover': '表紙', 'changes': '変更箇所'}.get(k.tag): k
            for k in fnode if k.tag in STRUCT}
    for e in elem:
        f = kids.get(e.tag)
        if f is None:
            continue
        if f.tag == 'item':
            t = f.get('type')
            for sub in e.iter():
                for a, v in sub.attrib.items():
                    acc.append(v)
            if t == 'markdown':
                acc.append(md_plain(e.text or '', False))
            else:
                acc.append(''.join(e.itertext()))
        else:
            values(e, f, acc)

def main():
    forms_dir, rdir, txt, trace = sys.argv[1:5]
    report = ET.parse(os.path.join(rdir, 'report.xml')).getroot()
    form, form_path = form_for(forms_dir, report.get('様式'))
    src = []
    values(report, form, src)
    sec = os.path.join(rdir, 'sections')
    if os.path.isdir(sec):
        for name in sorted(os.listdir(sec)):
            if name.endswith('.md'):
                with open(os.path.join(sec, name), encoding='utf-8') as f:
                    src.append(md_plain(f.read(), True))
    ch = os.path.join(rdir, 'changes.xml')
    if os.path.exists(ch):
        for e in ET.parse(ch).getroot():
            for a in ('日', '項目', '提出時期', '説明', '理由'):
                src.append(e.get(a) or '')
            for k in e:
                # The risk columns are printed in the 変更点リスク評価表 only.
                if k.tag not in RISK:
                    # A Markdown bullet 「- 」 is printed as a hanging 「•」.
                    src.append(re.sub(r'^( *)[-*+][ \t]', r'\1',
                                      ''.join(k.itertext()), flags=re.M))
    S = chars(''.join(src))
    # The versions a 別紙 per 記載日 names in its column heads: layout,
    # printed once per sheet rather than once per row.
    versions = ''
    if os.path.exists(ch):
        for e in ET.parse(ch).getroot():
            versions += (e.get('変更前の版') or '') + (e.get('変更後の版') or '')
    V = collections.Counter(); L = collections.Counter()
    with open(trace, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            (V if line[:1] == 'V' else L).update(chars(line[2:]))
    with open(txt, encoding='utf-8') as f:
        O = chars(f.read())
    T = V + L
    with open(form_path, encoding='utf-8') as f:
        allowed = set(f.read()) | set(S) | set(FIXED) | set(versions)
    bad = 0
    if len(sys.argv) > 5:
        starts = set()
        for t in src:
            for line in t.split('\n'):
                line = ''.join(line.split())
                if line:
                    starts.add(line[:4])
        n = 0
        with open(sys.argv[5], encoding='utf-8') as f:
            for i, line in enumerate(f, 1):
                s = line.strip()
                if not s or s[0] not in NOSTART:
                    continue
                seg = ''.join(re.split(r'\s{2,}', s)[0].split())
                if seg[:4] in starts:
                    continue
                n += 1
                if n <= 10:
                    print('  kinsoku: line %d: %s' % (i, s[:60]))
        if n:
            bad += 1
            print('FAIL: %d lines of pdftotext -layout start with a character 禁則 forbids' % n)
    def show(name, c):
        items = sorted(c.items(), key=lambda kv: -kv[1])[:40]
        print('  %s: %s' % (name, ' '.join('%s×%d(U+%04X)' % (k, n, ord(k)) for k, n in items)))
    if O != T:
        bad += 1
        print('FAIL: pdftotext differs from what was drawn')
        show('missing from pdftotext', T - O)
        show('extra in pdftotext', O - T)
    if V != S:
        bad += 1
        print('FAIL: printed source text differs from the sources')
        show('in the sources, not printed', S - V)
        show('printed, not in the sources', V - S)
    stray = collections.Counter({c: n for c, n in L.items() if c not in allowed})
    if stray:
        bad += 1
        print('FAIL: layout text not from the form, the sources or pia')
        show('stray', stray)
    print('%s: sources %d chars, printed %d source + %d layout, pdftotext %d' %
          ('ok' if bad == 0 else 'FAIL', sum(S.values()), sum(V.values()),
           sum(L.values()), sum(O.values())))
    sys.exit(1 if bad else 0)

# Run as a script; tests/realchanges/carriage.py imports its readers.
if __name__ == '__main__':
    main()
