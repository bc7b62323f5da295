#!/usr/bin/python3
"""Check the tagging of a pia PDF (issue 19, JIS X 8341-3 / PDF/UA basics).

usage: tagcheck.py PDF TRACE STRUCT_TEXT

PDF is the file, TRACE its `pia pdf --trace` output, STRUCT_TEXT the
output of `pdfinfo -struct-text PDF`.  Checks, printing each failure:
  - catalog: /MarkInfo /Marked true, /Lang (ja-JP), /ViewerPreferences
    /DisplayDocTitle true, XMP metadata with dc:title (= /Info /Title) and
    pdfuaid:part 1, /StructTreeRoot with /ParentTree and /RoleMap;
  - content: every text, image and path painting operator lies inside
    marked content that is an /Artifact or carries an MCID; every MCID of
    a page is in the ParentTree array of the page (/StructParents), and
    the element found there lists that MCID in its /K; every link
    annotation has /Contents and is held (OBJR) by the Link element its
    /StructParent leads to;
  - tree: each TH has /A /Scope (Row or Column), each Figure a non-empty
    /Alt, headings never skip a level going deeper (H1 then H3);
  - text: the characters of the structure text (white space ignored) are
    exactly those pia drew outside artifacts (trace lines V and L);
  - reading order: on every page, the marked-content sequences with text,
    taken in the order of the structure tree, are in visual order: rows
    from the top (first baselines within ROW_PT of each other are one row),
    left to right in a row (a grid row: label, then value).
Uses Debian's python3-pikepdf (hence /usr/bin/python3).
"""
import collections, html, re, sys

import pikepdf

PAINT = {'Tj', 'TJ', "'", '"', 'Do', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*',
         'S', 's', 'sh', 'BI'}

errors = []


def bad(msg):
    if len(errors) < 20:
        print(msg)
    errors.append(msg)


def chars(s):
    return collections.Counter(c for c in s if not c.isspace())


def catalog(pdf):
    root = pdf.Root
    mi = root.get('/MarkInfo')
    if mi is None or not bool(mi.get('/Marked', False)):
        bad('catalog: /MarkInfo /Marked is not true')
    if str(root.get('/Lang', '')) != 'ja-JP':
        bad('catalog: /Lang is %r, want ja-JP' % str(root.get('/Lang', '')))
    vp = root.get('/ViewerPreferences')
    if vp is None or not bool(vp.get('/DisplayDocTitle', False)):
        bad('catalog: /ViewerPreferences /DisplayDocTitle is not true')
    st = root.get('/StructTreeRoot')
    if st is None or '/ParentTree' not in st or '/RoleMap' not in st:
        bad('catalog: no /StructTreeRoot with /ParentTree and /RoleMap')
    md = root.get('/Metadata')
    title = str(pdf.docinfo.get('/Title', ''))
    if md is None:
        bad('catalog: no /Metadata')
    else:
        xmp = md.read_bytes().decode('utf-8')
        m = re.search(r'<dc:title>.*?<rdf:li[^>]*>(.*?)</rdf:li>', xmp, re.S)
        if m is None or html.unescape(m.group(1)) != title:
            bad('XMP: dc:title %r, want %r' % (m and m.group(1), title))
        if '<pdfuaid:part>1</pdfuaid:part>' not in xmp:
            bad('XMP: no pdfuaid:part 1')
    return st


def parent_arrays(st):
    """StructParents key -> ParentTree array (a flat /Nums tree)."""
    out = {}
    stack = [st.ParentTree]
    while stack:
        node = stack.pop()
        nums = node.get('/Nums', [])
        for i in range(0, len(nums), 2):
            out[int(nums[i])] = nums[i + 1]
        stack.extend(node.get('/Kids', []))
    return out


def kids(elem):
    """The /K of an element as a list (a single kid may stand alone)."""
    k = elem.get('/K')
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def lists_mcid(elem, page, mcid):
    for x in kids(elem):
        if isinstance(x, int) or (isinstance(x, pikepdf.Object) and
                                  x._type_code == pikepdf.ObjectType.integer):
            if int(x) == mcid and elem.get('/Pg') is not None and \
                    elem.Pg.objgen == page.objgen:
                return True
        elif isinstance(x, pikepdf.Dictionary) and \
                x.get('/Type') == pikepdf.Name.MCR:
            pg = x.get('/Pg', elem.get('/Pg'))
            if int(x.MCID) == mcid and pg is not None and \
                    pg.objgen == page.objgen:
                return True
    return False


ROW_PT = 6


def visual_order(pos):
    """MCIDs in visual order from {mcid: (x, y) of its first text}."""
    todo = sorted(pos, key=lambda m: (-pos[m][1], pos[m][0]))
    out = []
    while todo:
        top = pos[todo[0]][1]
        row = [m for m in todo if top - pos[m][1] < ROW_PT]
        row.sort(key=lambda m: pos[m][0])
        out.extend(row)
        todo = [m for m in todo if m not in row]
    return out


def order_problem(pos, tree_order):
    """None, or what is wrong with tree_order (MCIDs of one page in the
    order of the structure tree) given their positions pos."""
    got = [m for m in tree_order if m in pos]
    want = visual_order(pos)
    if got == want:
        return None
    i = next(i for i in range(min(len(got), len(want))) if got[i] != want[i]) \
        if any(a != b for a, b in zip(got, want)) else min(len(got), len(want))
    return 'structure reads MCID %s where the page shows MCID %s next ' \
        '(at %s)' % (got[i] if i < len(got) else '-',
                     want[i] if i < len(want) else '-',
                     pos.get(want[i]) if i < len(want) else '-')


def tree_mcids(st, pages):
    """{page index: [MCID, …]} in the order of the structure tree."""
    out = collections.defaultdict(list)
    seen = set()

    def walk(e, depth):
        if depth > 50 or e.objgen in seen and e.objgen != (0, 0):
            return
        seen.add(e.objgen)
        pg = e.get('/Pg')
        for x in kids(e):
            if isinstance(x, pikepdf.Dictionary) and '/S' in x:
                walk(x, depth + 1)
            elif isinstance(x, pikepdf.Dictionary) and \
                    x.get('/Type') == pikepdf.Name.MCR:
                p = x.get('/Pg', pg)
                if p is not None and p.objgen in pages:
                    out[pages[p.objgen]].append(int(x.MCID))
            elif not isinstance(x, pikepdf.Dictionary):
                if pg is not None and pg.objgen in pages:
                    out[pages[pg.objgen]].append(int(x))

    for x in kids(st):
        walk(x, 0)
    return out


def content(pdf, st):
    arrays = parent_arrays(st) if st is not None else {}
    pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
    order = tree_mcids(st, pages) if st is not None else {}
    for n, page in enumerate(pdf.pages, 1):
        stack, mcids = [], []
        pos, x, y = {}, 0.0, 0.0
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op == 'BT':
                x = y = 0.0
            elif op == 'Td':
                x += float(operands[0])
                y += float(operands[1])
            elif op == 'Tm':
                x, y = float(operands[4]), float(operands[5])
            elif op in ('Tj', 'TJ') and stack and stack[-1][1] is not None \
                    and stack[-1][1] not in pos:
                pos[stack[-1][1]] = (x, y)
            if op in ('BDC', 'BMC'):
                tag = str(operands[0])
                mcid = None
                if op == 'BDC' and isinstance(operands[1], pikepdf.Dictionary) \
                        and '/MCID' in operands[1]:
                    mcid = int(operands[1].MCID)
                    mcids.append(mcid)
                stack.append((tag, mcid))
            elif op == 'EMC':
                if not stack:
                    bad('page %d: EMC without BDC/BMC' % n)
                else:
                    stack.pop()
            elif op in PAINT:
                if not any(t == '/Artifact' or m is not None
                           for t, m in stack):
                    bad('page %d: %s outside tagged content and artifacts'
                        % (n, op))
        if stack:
            bad('page %d: marked content left open' % n)
        for a in page.obj.get('/Annots', []):
            if a.get('/Subtype') != pikepdf.Name.Link:
                continue
            e = arrays.get(int(a.get('/StructParent', -1)))
            if e is None or str(e.get('/S', '')) != '/Link' or not any(
                    isinstance(x, pikepdf.Dictionary) and
                    x.get('/Type') == pikepdf.Name.OBJR and
                    x.Obj.objgen == a.objgen for x in kids(e)):
                bad('page %d: a link annotation is not in a Link element' % n)
            if not str(a.get('/Contents', '')).strip():
                bad('page %d: a link annotation without /Contents' % n)
        key = page.obj.get('/StructParents')
        if key is None:
            if mcids:
                bad('page %d: MCIDs but no /StructParents' % n)
            continue
        arr = arrays.get(int(key))
        if arr is None:
            bad('page %d: /StructParents %d not in the ParentTree' % (n, key))
            continue
        if len(arr) != len(mcids) or sorted(mcids) != list(range(len(mcids))):
            bad('page %d: MCIDs %d, ParentTree array %d' %
                (n, len(mcids), len(arr)))
        for mcid in mcids:
            if mcid >= len(arr) or not isinstance(arr[mcid], pikepdf.Dictionary):
                bad('page %d: MCID %d not in the ParentTree' % (n, mcid))
            elif not lists_mcid(arr[mcid], page.obj, mcid):
                bad('page %d: element of MCID %d does not list it' % (n, mcid))
        why = order_problem(pos, order.get(n - 1, []))
        if why is not None:
            bad('page %d: reading order: %s' % (n, why))


def tree(st):
    last = [0]

    def walk(e, depth):
        if depth > 50:
            bad('tree: deeper than 50')
            return
        s = str(e.get('/S', ''))
        if s == '/TH':
            a = e.get('/A')
            if a is None or str(a.get('/Scope', '')) not in ('/Row', '/Column'):
                bad('tree: TH without /Scope Row or Column')
        if s == '/Figure' and not str(e.get('/Alt', '')).strip():
            bad('tree: Figure without /Alt')
        m = re.fullmatch(r'/H([1-6])', s)
        if m:
            lv = int(m.group(1))
            if lv > last[0] + 1:
                bad('tree: heading H%d after H%d' % (lv, last[0]))
            last[0] = lv
        k = e.get('/K')
        if k is None:
            return
        for x in (k if isinstance(k, pikepdf.Array) else [k]):
            if isinstance(x, pikepdf.Dictionary) and '/S' in x:
                walk(x, depth + 1)

    top = kids(st)
    if not top or str(top[0].get('/S', '')) != '/Document':
        bad('tree: the root element is not Document')
    for x in top:
        walk(x, 0)


def text(trace, structtext):
    drawn = collections.Counter()
    with open(trace, encoding='utf-8') as f:
        for line in f:
            if line[:1] in ('V', 'L'):
                drawn.update(chars(line[2:].rstrip('\n')))
    tagged = collections.Counter()
    with open(structtext, encoding='utf-8') as f:
        for line in f:
            t = line.strip()
            if len(t) >= 2 and t[0] == '"' and t[-1] == '"':
                tagged.update(chars(t[1:-1]))
    if tagged != drawn:
        lost, extra = drawn - tagged, tagged - drawn
        bad('text: structure text differs from what was drawn: '
            'missing %r, extra %r' % (''.join(sorted(lost.elements()))[:60],
                                      ''.join(sorted(extra.elements()))[:60]))


def main():
    path, trace, structtext = sys.argv[1:4]
    pdf = pikepdf.open(path)
    st = catalog(pdf)
    content(pdf, st)
    if st is not None:
        tree(st)
    text(trace, structtext)
    sys.exit(1 if errors else 0)


if __name__ == '__main__':
    main()
