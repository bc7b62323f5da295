# Helpers for tests/regress/*/*/apply, sourced by tests/regress.sh (which runs
# each apply with sh -e).  A case whose edit no longer applies must fail, not
# quietly test the unedited fixture: every helper stops the case when the text
# it edits is not where it expects it.
#
# OLD and NEW are literal text (no regular expressions) with these escapes:
#   \n newline  \t tab  \\ backslash  \xHH one byte  \uXXXX \UXXXXXXXX one character
#
#   edit FILE OLD NEW        replace OLD, which must occur exactly once
#   edit_first FILE OLD NEW  replace the first OLD of one or more
#   edit_all FILE OLD NEW    replace every OLD, of one or more
#   edit_line FILE N OLD NEW replace OLD, which must occur exactly once in line N
#                            (its newline included: OLD '…\n', NEW '…\nnew line\n' adds a line)
#   delete FILE OLD          remove OLD, which must occur exactly once
#   append FILE TEXT         add TEXT at the end of FILE, which must exist
#   expect_line FILE N TEXT  line N of FILE must contain TEXT (before a line-number sed)

regress_edit() {
	python3 - "$@" <<'PY'
import re, sys

mode, path, old, new = sys.argv[1:5]
line = int(sys.argv[5]) if mode == "line" else 0

def unescape(text):
	def one(match):
		s = match.group(0).decode("ascii")
		simple = {"n": b"\n", "t": b"\t", "\\": b"\\"}
		if s[1] in simple:
			return simple[s[1]]
		if s[1] == "x":
			return bytes([int(s[2:], 16)])
		return chr(int(s[2:], 16)).encode("utf-8")
	raw = text.encode("utf-8", "surrogateescape")
	return re.sub(rb"\\(?:[nt\\]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})", one, raw)

try:
	data = open(path, "rb").read()
except OSError as e:
	sys.exit("apply: %s: %s" % (path, e.strerror))
old_b, new_b = unescape(old), unescape(new)
lines = data.splitlines(keepends=True)
if mode == "line":
	where = ", line %d" % line
	text = lines[line - 1] if 0 < line <= len(lines) else b""
else:
	where = ""
	text = data
count = text.count(old_b) if old_b else 0
if mode == "append":
	data += new_b
elif (mode in ("once", "line") and count != 1) or count == 0:
	sys.exit("apply: %s%s: the text to edit occurs %d times (expected %s): %s"
	    % (path, where, count, "once" if mode in ("once", "line") else "at least once", old))
elif mode == "line":
	lines[line - 1] = text.replace(old_b, new_b)
	data = b"".join(lines)
else:
	data = data.replace(old_b, new_b, 1 if mode != "all" else -1)
open(path, "wb").write(data)
PY
}

edit() { regress_edit once "$1" "$2" "$3"; }
edit_first() { regress_edit first "$1" "$2" "$3"; }
edit_all() { regress_edit all "$1" "$2" "$3"; }
edit_line() { regress_edit line "$1" "$3" "$4" "$2"; }
delete() { regress_edit once "$1" "$2" ""; }
append() { regress_edit append "$1" "" "$2"; }

expect_line() {
	sed -n "$2p" "$1" | grep -qF -- "$3" || {
		echo "apply: $1: line $2 does not contain: $3" >&2
		return 1
	}
}
