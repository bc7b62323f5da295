#!/usr/bin/env python3
"""Tests of pia serve (issue 9), and its save-to-reload benchmark.

  client.py test PIA        the checks; prints "serve: N passed, N failed"
  client.py bench PIA [K]   K edits of content/reports/01-jumin/sections/*.md;
                            prints "serve save-to-reload: N ms (median of K)"

Runs the server on a copy of content/ on 127.0.0.1 and a free port; talks
to it over loopback only.  Waits are bounded but nothing is asserted about
time: the latency is printed, not checked.
"""
import http.client
import os
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

WAIT = 60  # seconds: the most any one step may take (sanitizer builds are slow)


class Server:
    def __init__(self, pia, content):
        self.err = open(os.path.join(os.path.dirname(content), "serve.err"), "w+")
        self.proc = subprocess.Popen([pia, "serve", "--port", "0", content],
                                     stdout=subprocess.PIPE, stderr=self.err, text=True)
        line = self.proc.stdout.readline()
        m = re.match(r"プレビュー: http://127\.0\.0\.1:(\d+)/$", line.strip())
        if not m:
            self.proc.kill()
            raise SystemExit("pia serve did not start: %r\n%s" % (line, self.stderr()))
        self.port = int(m.group(1))

    def stderr(self):
        self.err.flush()
        self.err.seek(0)
        return self.err.read()

    def get(self, path, method="GET"):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        c.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
        c.endheaders()
        r = c.getresponse()
        body = r.read()
        c.close()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), body

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        try:
            out, _ = self.proc.communicate(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
            return -1, out
        return self.proc.returncode, out


class Events:
    """A client of /__pia/events: each event's (name, data, time of arrival) into a queue."""

    def __init__(self, port):
        self.q = queue.Queue()
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        self.sock.sendall(b"GET /__pia/events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                          b"Accept: text/event-stream\r\n\r\n" % port)
        self.t = threading.Thread(target=self.run, daemon=True)
        self.t.start()

    def run(self):
        buf = b""
        name, data = "message", ""
        try:
            while True:
                chunk = self.sock.recv(4096)
                if not chunk:
                    break
                buf += chunk
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    line = line.rstrip(b"\r").decode("utf-8", "replace")
                    if line.startswith("event: "):
                        name = line[7:]
                    elif line.startswith("data: "):
                        data = line[6:]
                    elif line == "" and data:
                        self.q.put((name, data, time.monotonic()))
                        name, data = "message", ""
        except OSError:
            pass
        self.q.put(None)

    def next(self, name):
        """The next event called name (others skipped), or None after WAIT seconds."""
        end = time.monotonic() + WAIT
        while time.monotonic() < end:
            try:
                ev = self.q.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                return None
            if ev is None:
                return None
            if ev[0] == name:
                return ev
        return None

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def raw_status(port, request):
    """Send request bytes as they are; the status code of the answer (0: none)."""
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as sock:
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    m = re.match(rb"HTTP/1\.[01] (\d{3}) ", data)
    return int(m.group(1)) if m else 0, data


def host_status(port, host):
    """GET /01-jumin/ with this Host header (None: without one, HTTP/1.0)."""
    if host is None:
        return raw_status(port, b"GET /01-jumin/ HTTP/1.0\r\n\r\n")
    return raw_status(port, b"GET /01-jumin/ HTTP/1.1\r\nHost: " + host.encode() +
                      b"\r\nConnection: close\r\n\r\n")


def copy_content(top):
    tmp = tempfile.mkdtemp(prefix="pia-serve-test.")
    content = os.path.join(tmp, "content")
    shutil.copytree(os.path.join(top, "content"), content)
    return tmp, content


def append(path, text):
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)


class Tally:
    def __init__(self):
        self.passed = self.failed = 0

    def ok(self, cond, what, detail=""):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: %s" % what)
            if detail:
                print("  " + str(detail)[:600])
        return cond


def test(pia, top):
    t = Tally()
    r = subprocess.run([pia, "serve", "--port", "0", os.path.join(top, "tests")],
                       capture_output=True, text=True, timeout=WAIT)
    t.ok(r.returncode == 2 and "site.xml のあるコンテンツのフォルダーを指定してください" in r.stderr,
         "a folder without site.xml is a usage error", (r.returncode, r.stderr))
    r = subprocess.run([pia, "serve", "--port", "70000", os.path.join(top, "content")],
                       capture_output=True, text=True, timeout=WAIT)
    t.ok(r.returncode == 2 and "--port 70000" in r.stderr, "a bad port is a usage error",
         (r.returncode, r.stderr))
    tmp, content = copy_content(top)
    # An address other than loopback's own is said before serving (USAGE_LISTEN; the
    # golden tests cannot run a server that waits for Ctrl-C).
    with tempfile.TemporaryFile("w+") as err:
        p = subprocess.Popen([pia, "serve", "--listen", "127.0.0.2", "--port", "0", content],
                             stdout=subprocess.PIPE, stderr=err, text=True)
        line = p.stdout.readline()
        p.send_signal(signal.SIGINT)
        p.communicate(timeout=WAIT)
        err.seek(0)
        e = err.read()
    t.ok(line.startswith("プレビュー: http://127.0.0.2:") and p.returncode == 0 and
         "pia: warning: [USAGE_LISTEN] 注意: 127.0.0.2 で待ち受けています" in e,
         "--listen elsewhere than 127.0.0.1 warns", (line, p.returncode, e[-300:]))
    srv = Server(pia, content)
    jumin = os.path.join(content, "reports", "01-jumin")
    section = os.path.join(jumin, "sections", "1-kihon.md")
    try:
        st, h, body = srv.get("/")
        t.ok(st == 200 and "評価書の一覧".encode() in body, "GET / is the index", st)
        st, h, body = srv.get("/01-jumin/")
        page = body.decode("utf-8")
        t.ok(st == 200 and "<h1>" in page, "GET /01-jumin/ is the report page", st)
        m = re.search(r"script-src 'self' 'nonce-([0-9a-f]{32})'", h.get("content-security-policy", ""))
        t.ok(m is not None and ('<script nonce="%s">' % m.group(1)) in page
             and "/__pia/events" in page,
             "the page has the reload script, allowed by the CSP nonce", h)
        t.ok('http-equiv="Content-Security-Policy"' not in page,
             "the built site's meta policy, which would refuse the reload script, is left out")
        t.ok('<details class="pia-preview" id="pia-preview">' in page
             and "エラー 0 件、警告 0 件" in page, "the panel says no errors")
        st, h, _ = srv.get("/01-jumin")
        t.ok(st == 301 and h.get("location") == "/01-jumin/", "a folder redirects to folder/", (st, h))
        st, h, body = srv.get("/assets/pia.css")
        t.ok(st == 200 and h.get("content-type", "").startswith("text/css"), "assets are served", st)
        st, _, body = srv.get("/no-such-page.html")
        t.ok(st == 404 and "ページが見つかりません".encode() in body, "404 page in Japanese", st)
        st, _, _ = srv.get("/", method="POST")
        t.ok(st == 405, "POST is refused", st)

        # Traversal, plain and percent-encoded, and no listings.
        for path in ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2fetc/passwd",
                     "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "/01-jumin/..%5c..%5cetc%5cpasswd",
                     "/01-jumin/%00", "//etc/passwd", "/assets/", "/reports/", "/site.xml",
                     "/reports/01-jumin/report.xml"]:
            st, _, body = srv.get(path)
            t.ok(st in (400, 404) and b"root:" not in body and b"<?xml" not in body,
                 "%s is refused" % path, (st, body[:80]))

        # Issue 16: only the preview's own Host is answered (DNS rebinding).
        port = srv.port
        for host in ["127.0.0.1:%d" % port, "localhost:%d" % port, "LocalHost:%d" % port,
                     "[::1]:%d" % port]:
            st, data = host_status(port, host)
            t.ok(st == 200 and "特定個人情報".encode() in data, "Host %s is answered" % host, st)
        for host in ["evil.example:%d" % port, "rebind.attacker.test", "127.0.0.1",
                     "127.0.0.1:%d" % (port + 1 if port < 65535 else 1), "localhost.:%d" % port,
                     "127.0.0.1.evil.example:%d" % port, "[::2]:%d" % port, ""]:
            st, data = host_status(port, host)
            t.ok(st == 421 and b"<h1>" in data and "特定個人情報".encode() not in data,
                 "Host %r is refused with 421 and no draft" % host, (st, data[:200]))
        st, data = host_status(port, None)
        t.ok(st == 400 and "特定個人情報".encode() not in data, "a request without Host is refused (400)",
             (st, data[:200]))
        st, data = raw_status(port, b"GET /__pia/events HTTP/1.1\r\nHost: evil.example:%d\r\n"
                              b"Connection: close\r\n\r\n" % port)
        t.ok(st == 421, "the event stream refuses another Host too", st)

        # The address or port cannot be had: messages of the table, exit 2.
        r = subprocess.run([pia, "serve", "--port", "0", "--listen", "no-such-address", content],
                           capture_output=True, text=True, timeout=WAIT)
        t.ok(r.returncode == 2 and "error: [SERVE_ADDRESS]" in r.stderr,
             "--listen that is not an address is SERVE_ADDRESS", (r.returncode, r.stderr[-300:]))
        r = subprocess.run([pia, "serve", "--port", str(port), content],
                           capture_output=True, text=True, timeout=WAIT)
        t.ok(r.returncode == 2 and "error: [SERVE_LISTEN]" in r.stderr and str(port) in r.stderr,
             "a port in use is SERVE_LISTEN", (r.returncode, r.stderr[-300:]))

        # Listening on the loopback address only.
        ss = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True).stdout
        mine = [l.split()[3] for l in ss.splitlines()
                if len(l.split()) > 3 and l.split()[3].endswith(":%d" % srv.port)]
        t.ok(mine == ["127.0.0.1:%d" % srv.port], "ss -ltn shows 127.0.0.1 only", mine)

        # A save: the listener is told, and the page has the new word.
        ev = Events(srv.port)
        hello = ev.next("hello")
        t.ok(hello is not None, "the event stream says hello")
        word = "プレビュー試験の語句"
        t0 = time.monotonic()
        append(section, "\n%s\n" % word)
        got = ev.next("reload")
        t.ok(got is not None, "an edit of a section is told to the listener")
        if got is not None:
            print("serve save-to-reload: %.0f ms (one edit of 01-jumin)" % ((got[2] - t0) * 1000))
        st, _, body = srv.get("/01-jumin/")
        t.ok(st == 200 and word.encode() in body, "the page served has the new word")
        if got is not None and hello is not None:
            t.ok(got[1] != hello[1], "the reload names a new generation", (hello, got))

        # A save that breaks the XML: the error with file:line:col, the last good page stays.
        rx = os.path.join(jumin, "report.xml")
        with open(rx, encoding="utf-8") as f:
            good = f.read()
        lines = good.split("\n")
        lines[4] = lines[4].replace("<", "<<", 1)
        with open(rx, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        t.ok(ev.next("reload") is not None, "a broken save is told to the listener")
        st, _, body = srv.get("/01-jumin/")
        page = body.decode("utf-8")
        t.ok(st == 200 and word in page, "the last good page stays served", st)
        t.ok(re.search(r"<li class=\"pia-preview-error\"><code>[^<]*reports/01-jumin/report\.xml:5:\d+: "
                       r"error: \[XML_LESS_THAN\]", page) is not None,
             "the page shows the error at file:line:col",
             re.findall(r"<details.*?</details>", page, re.S))
        t.ok("読み込めないため、次の評価書は前回の正しい版を表示しています：<strong>01-jumin</strong>" in page,
             "the page says it shows the last good version")
        st, _, body = srv.get("/")
        t.ok("[XML_LESS_THAN]".encode() in body, "every page shows the error")
        t.ok(re.search(r"reports/01-jumin/report\.xml:5:\d+: error: \[XML_LESS_THAN\]",
                       srv.stderr()) is not None, "the terminal shows the error", srv.stderr()[-400:])
        # Everything loaded again (site.xml saved) while 01-jumin is broken: its last good page stays.
        os.utime(os.path.join(content, "site.xml"))
        t.ok(ev.next("reload") is not None, "a save of site.xml is told to the listener")
        st, _, body = srv.get("/01-jumin/")
        t.ok(st == 200 and word.encode() in body and b"[XML_LESS_THAN]" in body,
             "after a full reload the last good page of a broken report stays", st)
        with open(rx, "w", encoding="utf-8") as f:
            f.write(good)
        t.ok(ev.next("reload") is not None, "the fix is told to the listener")
        st, _, body = srv.get("/01-jumin/")
        t.ok("エラー 0 件、警告 0 件".encode() in body, "after the fix the panel is clean")

        # A draft with errors (an unanswered item, not a broken file) is shown as it is.
        draft = good.replace("<評価書名>", "<評価書名>【記入してください】下書き", 1)
        with open(rx, "w", encoding="utf-8") as f:
            f.write(draft)
        t.ok(ev.next("reload") is not None, "a draft with errors is told to the listener")
        st, _, body = srv.get("/01-jumin/")
        page = body.decode("utf-8")
        t.ok(st == 200 and "【記入してください】下書き" in page and "[VAL_PLACEHOLDER]" in page
             and "前回の正しい版" not in page,
             "a draft with errors is shown as it is, with its errors", st)
        with open(rx, "w", encoding="utf-8") as f:
            f.write(good)
        t.ok(ev.next("reload") is not None, "the finished draft is told to the listener")

        # Issue 17: the panel has what pia check says, the PDF's and the city's checks too.
        with open(rx, "w", encoding="utf-8") as f:
            f.write(good.replace("<評価書名>", "<評価書名>\ue000", 1))
        t.ok(ev.next("reload") is not None, "a character the PDF lacks is told to the listener")
        st, _, body = srv.get("/01-jumin/")
        page = body.decode("utf-8")
        t.ok(st == 200 and re.search(r"reports/01-jumin/report\.xml:\d+:\d+: error: \[PDF_GLYPH\]", page)
             is not None and "前回の正しい版" not in page,
             "the panel shows PDF_GLYPH as pia check does, the draft shown as it is",
             re.findall(r"<details.*?</details>", page, re.S)[:1])
        m = re.search(r"<(部署|担当部署)>([^<]+)</", good)
        t.ok(m is not None, "01-jumin names its 担当部署")
        if m is not None:
            with open(rx, "w", encoding="utf-8") as f:
                f.write(good.replace(m.group(0), m.group(0).replace(m.group(2), "窓口のない課"), 1))
            t.ok(ev.next("reload") is not None, "a 担当部署 without a 窓口 is told to the listener")
            st, _, body = srv.get("/01-jumin/")
            t.ok("[SITE_NO_CONTACT]".encode() in body and "窓口のない課".encode() in body,
                 "the panel shows the city's check (SITE_NO_CONTACT) of the changed report",
                 re.findall(rb"<details.*?</details>", body, re.S)[:1])
        with open(rx, "w", encoding="utf-8") as f:
            f.write(good)
        t.ok(ev.next("reload") is not None, "the fixed report is told to the listener")
        st, _, body = srv.get("/01-jumin/")
        t.ok("エラー 0 件、警告 0 件".encode() in body, "and its panel is clean again")

        # A broken site.xml: everything shown stays.
        sx = os.path.join(content, "site.xml")
        with open(sx, encoding="utf-8") as f:
            site_good = f.read()
        with open(sx, "w", encoding="utf-8") as f:
            f.write(site_good.replace("<", "<<", 2))
        t.ok(ev.next("reload") is not None, "a broken site.xml is told to the listener")
        st, _, body = srv.get("/01-jumin/")
        t.ok(st == 200 and word.encode() in body
             and "site.xml にエラーがあるため、前回の正しい版を表示しています".encode() in body
             and re.search(rb"site\.xml:\d+:\d+: error: \[", body) is not None,
             "with site.xml broken the pages stay and say why", st)
        with open(sx, "w", encoding="utf-8") as f:
            f.write(site_good)
        t.ok(ev.next("reload") is not None, "the fixed site.xml is told to the listener")
        st, _, body = srv.get("/")
        t.ok(st == 200 and "エラー 0 件、警告 0 件".encode() in body, "and the panel is clean again")

        # A report folder added, then removed.
        shutil.copytree(os.path.join(content, "reports", "03-jido-fuyo"),
                        os.path.join(content, "reports", "05-copy"))
        st = 0
        while st != 200 and ev.next("reload") is not None:
            st, _, body = srv.get("/05-copy/")
        t.ok(st == 200, "a new report folder gets its page", st)
        shutil.rmtree(os.path.join(content, "reports", "05-copy"))
        while st != 404 and ev.next("reload") is not None:
            st, _, body = srv.get("/05-copy/")
        t.ok(st == 404, "a removed report folder loses its page", st)
        st, _, body = srv.get("/")
        t.ok(b"05-copy/" not in body and b"03-jido-fuyo/" in body, "and the index follows")

        # The PDF: made on request, made again when the sources changed.
        st, h, pdf1 = srv.get("/03-jido-fuyo/03-jido-fuyo.pdf")
        t.ok(st == 200 and pdf1.startswith(b"%PDF-") and h.get("content-type") == "application/pdf",
             "the PDF is served", (st, pdf1[:20]))
        st, _, pdf2 = srv.get("/03-jido-fuyo/03-jido-fuyo.pdf")
        t.ok(pdf2 == pdf1 and srv.stderr().count("03-jido-fuyo.pdf を作りました") == 1,
             "an unchanged report's PDF is not made again")
        md = sorted(os.listdir(os.path.join(content, "reports", "03-jido-fuyo", "sections")))[0]
        append(os.path.join(content, "reports", "03-jido-fuyo", "sections", md), "\n追記した段落です。\n")
        t.ok(ev.next("reload") is not None, "an edit of another report is told")
        st, _, pdf3 = srv.get("/03-jido-fuyo/03-jido-fuyo.pdf")
        t.ok(st == 200 and pdf3.startswith(b"%PDF-") and pdf3 != pdf1,
             "after an edit the PDF is made again")
        # A draft with errors: its PDF is stamped 下書き; once finished, not.
        rx3 = os.path.join(content, "reports", "03-jido-fuyo", "report.xml")
        with open(rx3, encoding="utf-8") as f:
            good3 = f.read()
        with open(rx3, "w", encoding="utf-8") as f:
            f.write(good3.replace("<評価書名>", "<評価書名>【記入してください】", 1))
        t.ok(ev.next("reload") is not None, "a draft with errors in 03 is told")
        st, _, pdf4 = srv.get("/03-jido-fuyo/03-jido-fuyo.pdf")
        info4 = pdfinfo(tmp, pdf4)
        t.ok(st == 200 and "Keywords:        下書き" in info4 and "Title:           【下書き】" in info4,
             "the PDF of a draft with errors says 下書き", info4[:300])
        with open(rx3, "w", encoding="utf-8") as f:
            f.write(good3)
        t.ok(ev.next("reload") is not None, "the finished 03 is told")
        st, _, pdf5 = srv.get("/03-jido-fuyo/03-jido-fuyo.pdf")
        t.ok(st == 200 and "下書き" not in pdfinfo(tmp, pdf5), "the PDF of the finished report does not")
        ev.close()
    finally:
        rc, out = srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    t.ok(rc == 0 and "プレビューを終えました。" in out, "SIGINT stops the server with status 0",
         (rc, out[-200:], srv.stderr()[-800:]))
    print("serve: %d passed, %d failed" % (t.passed, t.failed))
    return t.failed == 0


def pdfinfo(tmp, data):
    """pdfinfo's text for PDF bytes."""
    path = os.path.join(tmp, "probe.pdf")
    with open(path, "wb") as f:
        f.write(data)
    return subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout


def bench(pia, top, k):
    tmp, content = copy_content(top)
    srv = Server(pia, content)
    sections = os.path.join(content, "reports", "01-jumin", "sections")
    files = sorted(f for f in os.listdir(sections) if f.endswith(".md"))
    to_event, to_page = [], []
    try:
        ev = Events(srv.port)
        ev.next("hello")
        for i in range(k):
            word = "計測用の語句%d" % i
            t0 = time.monotonic()
            append(os.path.join(sections, files[i % len(files)]), "\n%s\n" % word)
            got = ev.next("reload")
            if got is None:
                raise SystemExit("no reload event after edit %d" % i)
            st, _, body = srv.get("/01-jumin/")
            t1 = time.monotonic()
            if word.encode() not in body:
                raise SystemExit("edit %d is not on the page" % i)
            to_event.append((got[2] - t0) * 1000)
            to_page.append((t1 - t0) * 1000)
            time.sleep(0.2)
        ev.close()
    finally:
        rc, _ = srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print("serve save-to-reload: %.0f ms (median of %d)" % (statistics.median(to_event), k))
    print("serve save-to-reload max: %.0f ms; save-to-reloaded-page (event + page fetched): "
          "%.0f ms median" % (max(to_event), statistics.median(to_page)))
    return rc == 0


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("test", "bench"):
        raise SystemExit(__doc__)
    pia = os.path.abspath(sys.argv[2])
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if sys.argv[1] == "test":
        ok = test(pia, top)
    else:
        ok = bench(pia, top, int(sys.argv[3]) if len(sys.argv) > 3 else 15)
    sys.exit(0 if ok else 1)
