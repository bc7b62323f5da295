#!/usr/bin/env python3
"""Recall and precision of pia import-changes on real-like 変更箇所一覧.

Usage: measure.py PIA DIR [--min PERCENT]

DIR holds lists (*.tsv, *.csv), each with NAME.answers: one planted defect a
line, "ROW<TAB>COLUMN<TAB>CLASS" (ROW as the spreadsheet counts it, COLUMN the
header's name, CLASS a defect class of domain.md §6 or a word for the others).
DIR/MANIFEST names the form of each list ("FILE<TAB>重点").  Every finding
pia prints is mapped to its classes by CODES; a finding counts once per
(list, row, column, class).  A finding of no planted defect is a false
positive; a planted defect no finding names is a miss.  Prints a table per
class and exits 1 when a class is below --min (default 95) in either.
"""
import collections
import os
import re
import subprocess
import sys

# Message code -> the defect classes (domain.md §6) it reports.
CODES = {
    "DATE_SERIAL": {"1"}, "DATE_GANNEN": {"2"}, "DATE_FISCAL": {"3"},
    "CHG_TIMING": {"4"}, "CHG_REASON": {"4"}, "CHG_NODATE": {"4"},
    "DATE_ERA": {"5"}, "DATE_IMPOSSIBLE": {"5"}, "CHG_ORDER": {"5"},
    "DATE_PLAN_PAST": {"6"}, "LINT_UNDECIDED": {"6"},
    "CHG_COUNT": {"10", "11"}, "CHG_COUNT_ENTRY": {"10", "11"},
    "CHG_CHAIN": {"12"}, "CHG_NOOP": {"13"},
    "CHG_IMPORTANT_AFTER": {"19"}, "CHG_UNIMPORTANT_BEFORE": {"19"},
    "CHG_REASON_VARIANT": {"20"}, "CHG_NOT_MARKED": {"21"},
    "LINT_TYPO": {"23"}, "LINT_CHOON": {"23"}, "LINT_SCRIPT": {"23", "30"},
    "LINT_PLACEHOLDER": {"24"},
    "LINT_ELISION_ROW": {"25"}, "LINT_ELISION": {"25"},
    "LINT_REPEAT": {"26"}, "LINT_BRACKET": {"27"}, "LINT_BRACKET_STYLE": {"27"},
    "LINT_TERM": {"28"}, "LINT_OBSOLETE": {"29"},
    "LINT_NBSP": {"30"}, "LINT_ROMAN": {"30"}, "LINT_DIGITS": {"30"},
    "LINT_INVISIBLE": {"30"}, "LINT_VERTICAL": {"30"}, "VAL_FULLWIDTH": {"30"},
    "LINT_MARKUP": {"31"}, "IMP_ROW": {"31"},
    "IMP_SPLIT": {"32"}, "IMP_SPLIT_PART": {"32"}, "IMP_FRAGMENT": {"32"},
    "IMP_PAGE": {"34"},
    "LINT_PERSON": {"person"}, "LINT_MYNUMBER": {"mynumber"}, "CHG_ITEM": {"item"},
}
LINE = re.compile(r"^(?P<file>[^:]+):\d+（表計算ソフトの (?P<row>\d+) 行目）:(?P<col>[^:]+): "
                  r"(?:error|warning): \[(?P<code>[A-Z_0-9]+)\]")


def run(pia, path, form):
    cmd = [pia, "import-changes"] + (["--form", form] if form else []) + [path, "-o", os.devnull]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit("measure: %s exited %d: %s" % (" ".join(cmd), p.returncode, p.stderr))
    return p.stdout.splitlines() + p.stderr.splitlines()


def main():
    args = sys.argv[1:]
    least = 95.0
    if "--min" in args:
        i = args.index("--min")
        least = float(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    pia, d = args
    forms = {}
    for line in open(os.path.join(d, "MANIFEST"), encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            f, form = line.rstrip("\n").split("\t")
            forms[f] = form
    planted, found, unknown = set(), set(), collections.Counter()
    rows = 0
    for name in sorted(forms):
        path = os.path.join(d, name)
        for line in open(os.path.splitext(path)[0] + ".answers", encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                r, col, cls = line.rstrip("\n").split("\t")
                planted.add((name, int(r), col, cls))
        for line in run(pia, path, forms[name]):
            m = LINE.match(line)
            if line.startswith("変更箇所 "):
                rows += int(re.search(r"(\d+) 行", line).group(1))
            if not m:
                continue
            if m.group("code") not in CODES:
                unknown[m.group("code")] += 1
                found.add((name, int(m.group("row")), m.group("col"), "?" + m.group("code")))
                continue
            for cls in CODES[m.group("code")]:
                key = (name, int(m.group("row")), m.group("col"), cls)
                # A code of two classes counts for the one planted there.
                if len(CODES[m.group("code")]) == 1 or key in planted:
                    found.add(key)
                    break
            else:
                found.add((name, int(m.group("row")), m.group("col"),
                           sorted(CODES[m.group("code")])[0]))
    classes = sorted({k[3] for k in planted | found},
                     key=lambda c: (not c.isdigit(), int(c) if c.isdigit() else 0, c))
    bad = 0
    print("class  planted  found  hit  recall%  precision%")
    for c in classes:
        p = {k for k in planted if k[3] == c}
        f = {k for k in found if k[3] == c}
        hit = len(p & f)
        rec = 100.0 * hit / len(p) if p else 100.0
        pre = 100.0 * hit / len(f) if f else 100.0
        flag = "" if rec >= least and pre >= least else "  <"
        bad += bool(flag)
        print("%-6s %7d %6d %4d %8.1f %11.1f%s" % (c, len(p), len(f), hit, rec, pre, flag))
    hit = len(planted & found)
    print("all    %7d %6d %4d %8.1f %11.1f" % (len(planted), len(found), hit,
          100.0 * hit / max(len(planted), 1), 100.0 * hit / max(len(found), 1)))
    print("rows read: %d in %d lists" % (rows, len(forms)))
    for k in sorted(planted - found):
        print("missed: %s row %d %s class %s" % k)
    for k in sorted(found - planted):
        print("false: %s row %d %s class %s" % k)
    return 1 if bad else 0


sys.exit(main())
