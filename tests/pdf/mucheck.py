#!/usr/bin/python3
"""A second reader: MuPDF (mutool) renders every page of a pia PDF without
a warning and extracts, page by page, the same characters as poppler's
pdftotext (white space aside; the order differs between the two).

usage: mucheck.py PDF

MuPDF maps a font's ToUnicode CMap onto CIDs and keeps only CIDs that
are codes of the Encoding's codespace: with pia's mixed 1/2-byte codes
and CIDs by rank, every two-byte character came out as U+FFFD there.
Prints each failure; exit 1 when any.
"""
import collections, subprocess, sys


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, errors='replace')


def main(pdf):
    fails = []
    info = run('pdfinfo', pdf).stdout
    pages = int(next(l.split()[1] for l in info.splitlines() if l.startswith('Pages:')))
    drawn = run('mutool', 'draw', '-o', '/dev/null', pdf)
    # A build of MuPDF without lcms says so once; nothing to do with the file.
    warnings = [l for l in drawn.stderr.splitlines()
                if ('warning' in l or 'error' in l) and 'ICC support is not available' not in l]
    if drawn.returncode != 0 or warnings:
        fails.append('mutool draw: exit %d %s' % (drawn.returncode, '; '.join(warnings[:3])))
    mu = run('mutool', 'draw', '-q', '-F', 'txt', '-o', '-', pdf).stdout.split('\f')
    for i in range(pages):
        po = run('pdftotext', '-f', str(i + 1), '-l', str(i + 1), pdf, '-').stdout
        a = collections.Counter(c for c in po if not c.isspace() and c != '\f')
        b = collections.Counter(c for c in (mu[i] if i < len(mu) else '') if not c.isspace())
        if a != b:
            fails.append('page %d: poppler only %s, MuPDF only %s' % (
                i + 1, ''.join(sorted((a - b).elements()))[:40], ''.join(sorted((b - a).elements()))[:40]))
    for f in fails[:8]:
        print(f)
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
