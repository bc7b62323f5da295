#!/usr/bin/env python3
"""pdfbytes: where the bytes of a PDF written by pia (libharu) go.

Usage: pdfbytes.py FILE.pdf

Prints one line per kind of object: bytes in the file (each object from
"N 0 obj" to "endobj", so dictionaries and stream data together), share of
the file, number of objects, and for streams the inflated size.  libharu
writes neither object streams nor cross-reference streams, so the objects
can be read from the file as they are; a PDF with object streams is
refused rather than measured wrongly.
"""
import re
import sys
import zlib

OBJ = re.compile(rb"(\d+) 0 obj\b")
REF = rb"\s+(\d+)\s+0\s+R"


def refs(data, key):
	return set(int(m.group(1)) for m in re.finditer(rb"/" + key + REF, data))


def ref_arrays(data, key):
	"""/Key [ 1 0 R 2 0 R ] or /Key 1 0 R"""
	out = set()
	for m in re.finditer(rb"/" + key + rb"\s*\[([^\]]*)\]", data):
		out |= set(int(x) for x in re.findall(rb"(\d+)\s+0\s+R", m.group(1)))
	return out | refs(data, key)


def main(path):
	data = open(path, "rb").read()
	if b"/ObjStm" in data or b"/XRefStm" in data or b"/Type /XRef" in data:
		sys.stderr.write("pdfbytes: %s uses object or xref streams; not measured\n" % path)
		return 2
	starts = [(int(m.group(1)), m.start()) for m in OBJ.finditer(data)]
	objs = {}
	for num, pos in starts:
		end = data.find(b"endobj", pos)
		if end < 0:
			continue
		objs[num] = data[pos:end + 6]
	contents = ref_arrays(data, b"Contents")
	fontfiles = refs(data, b"FontFile2") | refs(data, b"FontFile3") | refs(data, b"FontFile")
	tounicode = refs(data, b"ToUnicode")
	cidtogid = refs(data, b"CIDToGIDMap")
	widths = refs(data, b"W") | refs(data, b"Widths")
	lengths = refs(data, b"Length")
	# A /Length object belongs to its stream's kind.
	length_of = {}
	for num, body in objs.items():
		m = re.search(rb"/Length" + REF, body)
		if m:
			length_of[int(m.group(1))] = num

	def kind(num, body):
		if num in lengths:
			return kind(length_of[num], objs[length_of[num]]) if length_of.get(num) in objs else "other"
		if num in fontfiles:
			return "font programs (subset TrueType)"
		if num in tounicode:
			return "font ToUnicode CMaps"
		if num in cidtogid:
			return "font CIDToGIDMap"
		if num in contents:
			return "page content streams"
		if num in widths or re.search(rb"/Type\s*/(Font|FontDescriptor)\b", body) or b"/CIDSystemInfo" in body:
			return "font dictionaries, widths (/W)"
		if re.search(rb"/Type\s*/Pages?\b", body):
			return "page objects"
		if re.search(rb"/Type\s*/Annot\b|/Subtype\s*/Link\b", body):
			return "annotations (links)"
		if re.search(rb"/Type\s*/Outlines\b", body) or b"/First" in body and b"/Last" in body:
			return "outlines (bookmarks)"
		if re.search(rb"/Type\s*/(StructTreeRoot|StructElem|MCR|OBJR)\b|/ParentTree\b|/K\s", body):
			return "structure tree (tags)"
		if b"stream" in body and (b"/Subtype /Image" in body or b"/Subtype/Image" in body):
			return "images"
		if re.match(rb"\d+ 0 obj\s*\[", body) and b" 0 R" not in body[:200]:
			return "arrays (destinations, widths)"
		if re.match(rb"\d+ 0 obj\s*\[", body):
			return "destinations"
		return "other objects (catalog, info, …)"

	total = len(data)
	rows = {}
	for num, body in objs.items():
		k = kind(num, body)
		r = rows.setdefault(k, [0, 0, 0])
		r[0] += len(body)
		r[1] += 1
		s = body.find(b"stream")
		if s >= 0 and b"FlateDecode" in body[:s]:
			e = body.rfind(b"endstream")
			raw = body[s + 6:e].lstrip(b"\r\n")
			try:
				r[2] += len(zlib.decompressobj().decompress(raw))
			except zlib.error:
				pass
	counted = sum(r[0] for r in rows.values())
	rows["xref, trailer, header"] = [total - counted, 0, 0]
	print("%-34s %10s %6s %7s %12s" % ("part of " + path.split("/")[-1], "bytes", "share", "objects", "inflated"))
	for k, r in sorted(rows.items(), key=lambda kv: -kv[1][0]):
		print("%-34s %10d %5.1f%% %7d %12s" % (k, r[0], 100.0 * r[0] / total, r[1], r[2] or "-"))
	print("%-34s %10d %5.1f%% %7d" % ("total", total, 100.0, len(objs)))
	return 0


if __name__ == "__main__":
	if len(sys.argv) != 2:
		sys.stderr.write("usage: pdfbytes.py FILE.pdf\n")
		sys.exit(2)
	sys.exit(main(sys.argv[1]))
