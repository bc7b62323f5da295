#!/usr/bin/env python3
"""How much of a report's source text its PDF carries (issue 18).

usage: carriage.py FORMS_DIR REPORT_DIR PDFTOTEXT_OUT MIN_PERCENT

S is the multiset of the characters of every value in the sources, read
as tests/pdf/textcheck.py reads them (report.xml items along the form,
Markdown without its syntax, the section files, changes.xml); O what
pdftotext extracts.  Carried = sum over characters of min(S[c], O[c]),
a share of the sum of S.  Prints "carried N of M characters (P %)" and
the characters most missing; exits 1 below MIN_PERCENT.
"""
import collections, importlib.util, os, re, sys
import xml.etree.ElementTree as ET

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    'textcheck', os.path.join(here, '..', 'pdf', 'textcheck.py'))
tc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tc)

def sources(forms_dir, rdir):
    report = ET.parse(os.path.join(rdir, 'report.xml')).getroot()
    form, _ = tc.form_for(forms_dir, report.get('様式'))
    src = []
    tc.values(report, form, src)
    sec = os.path.join(rdir, 'sections')
    if os.path.isdir(sec):
        for name in sorted(os.listdir(sec)):
            if name.endswith('.md'):
                with open(os.path.join(sec, name), encoding='utf-8') as f:
                    src.append(tc.md_plain(f.read(), True))
    ch = os.path.join(rdir, 'changes.xml')
    if os.path.exists(ch):
        for e in ET.parse(ch).getroot():
            for a in ('日', '項目', '提出時期', '説明'):
                src.append(e.get(a) or '')
            for k in e:
                if k.tag not in tc.RISK:
                    src.append(re.sub(r'^( *)[-*+][ \t]', r'\1',
                                      ''.join(k.itertext()), flags=re.M))
    return tc.chars(''.join(src))

def main():
    forms_dir, rdir, txt, want = sys.argv[1:5]
    S = sources(forms_dir, rdir)
    with open(txt, encoding='utf-8') as f:
        O = tc.chars(f.read())
    total = sum(S.values())
    carried = sum(min(n, O[c]) for c, n in S.items())
    pct = 100.0 * carried / total if total else 0.0
    print('carried %d of %d characters (%.2f %%)' % (carried, total, pct))
    missing = collections.Counter({c: n - O[c] for c, n in S.items() if O[c] < n})
    if missing:
        print('missing: ' + ' '.join('%s×%d' % (c, n) for c, n in missing.most_common(12)))
    return 0 if total > 0 and pct >= float(want) else 1

if __name__ == '__main__':
    sys.exit(main())
