#!/bin/sh
# pia serve (issue 9): on a copy of content/, a server on 127.0.0.1 and a
# free port; the index and a report page, the reload script and its CSP
# nonce, a section edit told to an event listener and shown on the page,
# a save that breaks report.xml (the error at file:line:col on the page and
# in the terminal, the last good page kept), traversal plain and
# percent-encoded refused, no listings, only the preview's own Host header
# answered (421 for others, 400 without one: DNS rebinding, issue 16),
# SERVE_ADDRESS and SERVE_LISTEN, `ss -ltn` showing 127.0.0.1 only,
# the PDF made on request and again after an edit, stamped 下書き while the
# report has errors, SIGINT → exit 0.
# The save-to-reload time is printed, not asserted (tests/bench/serve-latency.sh).
# Usage: serve.sh PIA.  Prints "serve: N passed, N failed".
exec python3 "$(dirname "$0")/serve/client.py" test "$1"
