#!/usr/bin/python3
"""The structure tree of a pia PDF stays compact (issue 19).

usage: treesize.py PDF [MAX_BYTES_PER_ELEMENT [MIN_ELEMENTS]]

Finds the object streams that hold the structure elements and the
ParentTree (qpdf --show-xref), checks that each is deflated with a PNG
predictor (/DecodeParms /Predictor >= 10) and holds nothing else, and
that together they take at most MAX_BYTES_PER_ELEMENT (default 8) bytes
of stream data per element when there are at least MIN_ELEMENTS (default
500; a small tree pays the fixed costs of deflate).  Plain object streams take about 11 on the
bench report, rows with the predictor about 6.  Prints "N elements, B
bytes (X per element)"; exit 1 on a failure.
Uses Debian's python3-pikepdf (hence /usr/bin/python3).
"""
import re
import subprocess
import sys

import pikepdf


def main():
    path = sys.argv[1]
    limit = float(sys.argv[2]) if len(sys.argv) > 2 else 8.0
    least = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    pdf = pikepdf.open(path)
    st = pdf.Root.get('/StructTreeRoot')
    if st is None:
        print('no /StructTreeRoot')
        sys.exit(1)
    ids, todo = set(), list(st.get('/K') if isinstance(st.get('/K'), pikepdf.Array)
                            else [st.K])
    while todo:
        e = todo.pop()
        if e.objgen[0] in ids:
            continue
        ids.add(e.objgen[0])
        k = e.get('/K')
        for x in (k if isinstance(k, pikepdf.Array) else [k] if k is not None else []):
            if isinstance(x, pikepdf.Dictionary) and '/S' in x:
                todo.append(x)
    elements = len(ids)
    ids.add(st.ParentTree.objgen[0])
    xref = subprocess.run(['qpdf', '--show-xref', path], capture_output=True,
                          text=True, check=True).stdout
    where, members = {}, {}
    for m in re.finditer(r'^(\d+)/0: compressed; stream = (\d+)', xref, re.M):
        where[int(m.group(1))] = int(m.group(2))
        members.setdefault(int(m.group(2)), set()).add(int(m.group(1)))
    streams = set()
    for i in ids:
        if i not in where:
            print('object %d of the tree is not in an object stream' % i)
            sys.exit(1)
        streams.add(where[i])
    total, problems = 0, []
    for s in sorted(streams):
        o = pdf.get_object(s, 0)
        dp = o.get('/DecodeParms')
        if dp is None or int(dp.get('/Predictor', 1)) < 10:
            problems.append('object stream %d: no PNG predictor' % s)
        others = [i for i in members[s] if i not in ids]
        # The StructTreeRoot and the two attribute dictionaries may share.
        if len(others) > 3:
            problems.append('object stream %d: %d objects outside the tree'
                            % (s, len(others)))
        total += len(o.read_raw_bytes())
    per = total / max(elements, 1)
    print('%d elements, %d bytes (%.1f per element)' % (elements, total, per))
    if per > limit and elements >= least:
        problems.append('over %.1f bytes per element' % limit)
    for p in problems[:5]:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
