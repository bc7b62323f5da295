/*
 * The preview's HTTP server (libmicrohttpd).  It answers only from the
 * site held in memory (preview.c): a request names a key of that table or
 * gets 404, so nothing outside the rendered site can be reached and there
 * are no folder listings.  Paths with "..", backslashes, control
 * characters or "//" (after libmicrohttpd's percent-decoding, so
 * "%2e%2e" is caught too) are refused with 400 before any lookup.
 *
 * Only requests that name the preview itself in their Host header are
 * answered (127.0.0.1:PORT, localhost:PORT, [::1]:PORT, the --listen
 * address or the address the connection came to): a web page whose own
 * name is made to resolve to 127.0.0.1 (DNS rebinding) would otherwise be
 * "same origin" with the preview and could read the drafts.  Others get
 * 421, a request without Host 400.
 *
 * Every HTML page gets, before </body>, the diagnostics panel and a small
 * script that listens on /__pia/events (server-sent events) and reloads
 * the page when the generation changes.  Both carry a nonce that the
 * Content-Security-Policy of the response allows, and nothing else inline.
 *
 * Threading: libmicrohttpd runs a thread per connection, so the event
 * stream's reader can simply block on the preview's generation
 * (pia_preview_wait) while the main thread watches the sources and
 * rebuilds; the shared site is guarded in preview.c.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "diag.h"
#include "html.h"
#include "serve.h"
#include "util.h"

#define EVENTS_PATH	"/__pia/events"
/* Keep-alive comment on an idle event stream; also how soon a closed client is noticed. */
#define EVENTS_IDLE_MS	10000

struct pia_server {
	struct MHD_Daemon	*d;
	struct pia_preview	*p;
	unsigned		 port;
	char			 listen[INET6_ADDRSTRLEN + 2];	/* "[::1]", "192.0.2.1" */
};

/* The style of the panel (preview.c writes its markup). */
static const char panel_css[] =
	".pia-preview{position:fixed;left:0;right:0;bottom:0;max-height:40vh;overflow:auto;"
	"margin:0;padding:.3em 1em;background:#f3f7f3;color:#111;border-top:3px solid #2e7d32;"
	"font-size:.9rem;z-index:1000}"
	".pia-preview-bad{background:#fff4f4;border-top-color:#c62828}"
	".pia-preview summary{cursor:pointer;font-weight:bold}"
	".pia-preview ul{margin:.3em 0;padding-left:1.2em}"
	".pia-preview-error{color:#b71c1c}"
	".pia-preview code{white-space:pre-wrap;word-break:break-all}"
	"body{padding-bottom:3em}";

int
pia_serve_path_ok(const char *url)
{
	const unsigned char *s;

	if (url == NULL || url[0] != '/')
		return 0;
	if (strstr(url, "..") != NULL || strstr(url, "//") != NULL)
		return 0;
	for (s = (const unsigned char *)url; *s != '\0'; s++)
		if (*s == '\\' || *s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* An address as a Host header names it: "127.0.0.1", "[::1]"; "" if none. */
static void
host_name(const struct sockaddr *sa, char *out, size_t size)
{
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)sa;
	struct in_addr v4;
	char buf[INET6_ADDRSTRLEN];

	out[0] = '\0';
	if (sa->sa_family == AF_INET) {
		if (inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf,
		    sizeof(buf)) != NULL)
			snprintf(out, size, "%s", buf);
	} else if (sa->sa_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr)) {
		memcpy(&v4, &a6->sin6_addr.s6_addr[12], sizeof(v4));
		if (inet_ntop(AF_INET, &v4, buf, sizeof(buf)) != NULL)
			snprintf(out, size, "%s", buf);
	} else if (sa->sa_family == AF_INET6) {
		if (inet_ntop(AF_INET6, &a6->sin6_addr, buf, sizeof(buf)) != NULL)
			snprintf(out, size, "[%s]", buf);
	}
}

/* 1 when host is name:PORT (or name alone on port 80), name without regard to case. */
static int
host_is(const char *host, const char *name, unsigned port)
{
	size_t n = strlen(name);
	char p[16];

	if (n == 0 || strncasecmp(host, name, n) != 0)
		return 0;
	if (host[n] == '\0')
		return port == 80;
	snprintf(p, sizeof(p), ":%u", port);
	return strcmp(host + n, p) == 0;
}

/* 1 when the Host header names this preview (see the top of this file). */
static int
host_ok(const struct pia_server *srv, struct MHD_Connection *c, const char *host)
{
	const union MHD_ConnectionInfo *ci;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char local[INET6_ADDRSTRLEN + 2];

	if (host_is(host, "127.0.0.1", srv->port) || host_is(host, "localhost", srv->port) ||
	    host_is(host, "[::1]", srv->port) || host_is(host, srv->listen, srv->port))
		return 1;
	/* Listening on every address (0.0.0.0, ::): the one this connection came to. */
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci == NULL || getsockname(ci->connect_fd, (struct sockaddr *)&ss, &len) != 0)
		return 0;
	host_name((const struct sockaddr *)&ss, local, sizeof(local));
	return host_is(host, local, srv->port);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decoding of the request path in place (libmicrohttpd's, but a
 * "%00" becomes U+0001): a decoded NUL would cut the path short where
 * pia_serve_path_ok cannot see it, while a control character is refused.
 */
static size_t
unescape(void *cls, struct MHD_Connection *c, char *s)
{
	char *r = s, *w = s;
	int hi, lo;

	(void)cls;
	(void)c;
	while (*r != '\0') {
		if (r[0] == '%' && (hi = hexval(r[1])) >= 0 && (lo = hexval(r[2])) >= 0) {
			*w = (char)(hi << 4 | lo);
			if (*w == '\0')
				*w = '\001';
			w++;
			r += 3;
		} else
			*w++ = *r++;
	}
	*w = '\0';
	return (size_t)(w - s);
}

static void
nonce(char out[33])
{
	unsigned char r[16];
	size_t i;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		memset(r, 0, sizeof(r));	/* never blocks after boot; a fixed nonce is still a nonce */
	for (i = 0; i < sizeof(r); i++)
		snprintf(out + 2 * i, 3, "%02x", r[i]);
}

/* Headers every answer has: nothing cached (a preview is always new), no sniffing. */
static void
common_headers(struct MHD_Response *resp, const char *type)
{
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
}

static enum MHD_Result
send_buf(struct MHD_Connection *c, unsigned status, const char *type,
    struct pia_buf *body, const char *csp_nonce)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;
	char *csp;
	size_t len = body->len;
	char *data = body->data != NULL ? pia_buf_take(body) : xstrdup("");

	resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(data);
		return MHD_NO;
	}
	common_headers(resp, type);
	if (csp_nonce != NULL) {
		csp = xasprintf("default-src 'self'; script-src 'self' 'nonce-%s'; "
		    "style-src 'self' 'nonce-%s'; img-src 'self' data:; connect-src 'self'; "
		    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
		    csp_nonce, csp_nonce);
		MHD_add_response_header(resp, "Content-Security-Policy", csp);
		free(csp);
	}
	rc = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return rc;
}

/* A short page of our own (400, 404, 405), in Japanese. */
static void
small_page(struct pia_buf *b, const char *title, const char *text)
{
	pia_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	    "<title>%s｜プレビュー</title>\n<link rel=\"stylesheet\" href=\"/assets/pia.css\"/>\n"
	    "</head>\n<body>\n<main id=\"main\">\n<h1>%s</h1>\n<p>%s</p>\n"
	    "<p><a href=\"/" PIA_HTML_PAGE "\">評価書の一覧へ</a></p>\n</main>\n</body>\n</html>\n",
	    title, title, text);
}

/* body with the panel, its style and the reload script put before </body>. */
static void
inject(struct pia_buf *out, const struct pia_reply *r, const char *n)
{
	const char *body = r->body.data != NULL ? r->body.data : "";
	const char *at = NULL, *s;

	for (s = body; (s = strstr(s, "</body>")) != NULL; s++)
		at = s;
	if (at == NULL)
		at = body + r->body.len;
	pia_buf_put(out, body, (size_t)(at - body));
	pia_buf_printf(out, "<style nonce=\"%s\">%s</style>\n", n, panel_css);
	if (r->panel.len)
		pia_buf_put(out, r->panel.data, r->panel.len);
	/* The generation of this page: a stream that starts at another one reloads at once. */
	pia_buf_printf(out, "<script nonce=\"%s\">(function(){var g=\"%lu\";"
	    "if(!window.EventSource)return;var es=new EventSource(\"" EVENTS_PATH "\");"
	    "es.addEventListener(\"hello\",function(e){if(e.data!==g){es.close();location.reload();}});"
	    "es.addEventListener(\"reload\",function(){es.close();location.reload();});"
	    "})();</script>\n", n, r->generation);
	pia_buf_put(out, at, (size_t)(body + r->body.len - at));
}

static enum MHD_Result
send_page(struct MHD_Connection *c, unsigned status, struct pia_reply *r)
{
	struct pia_buf out = { 0 };
	char n[33];

	nonce(n);
	inject(&out, r, n);
	return send_buf(c, status, "text/html; charset=utf-8", &out, n);
}

/* ---- server-sent events -------------------------------------------------- */

struct stream {
	struct pia_preview	*p;
	unsigned long		 seen;
	int			 started;
};

static ssize_t
stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;
	unsigned long now;
	int n, rc;

	(void)pos;
	if (!s->started) {
		s->started = 1;
		n = snprintf(buf, max, "retry: 500\nevent: hello\ndata: %lu\n\n", s->seen);
		return n < 0 || (size_t)n >= max ? MHD_CONTENT_READER_END_WITH_ERROR : n;
	}
	rc = pia_preview_wait(s->p, s->seen, &now, EVENTS_IDLE_MS);
	if (rc < 0)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (rc == 0)
		n = snprintf(buf, max, ": keep-alive\n\n");
	else {
		s->seen = now;
		n = snprintf(buf, max, "event: reload\ndata: %lu\n\n", now);
	}
	return n < 0 || (size_t)n >= max ? MHD_CONTENT_READER_END_WITH_ERROR : n;
}

static enum MHD_Result
send_events(struct MHD_Connection *c, struct pia_preview *p)
{
	struct MHD_Response *resp;
	struct stream *s = xcalloc(1, sizeof(*s));
	enum MHD_Result rc;

	s->p = p;
	s->seen = pia_preview_generation(p);
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 256, stream_read, s, free);
	if (resp == NULL) {
		free(s);
		return MHD_NO;
	}
	common_headers(resp, "text/event-stream; charset=utf-8");
	rc = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return rc;
}

/* ---- requests ------------------------------------------------------------ */

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **state)
{
	struct pia_server *srv = cls;
	struct pia_buf b = { 0 };
	struct pia_reply r;
	struct MHD_Response *resp;
	enum MHD_Result rc;
	const char *host;
	char *key, *loc;
	int dir_index;

	(void)version;
	(void)upload;
	(void)upload_size;
	(void)state;
	if ((host = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_HOST)) == NULL) {
		small_page(&b, "不正な要求です", "Host ヘッダーがありません。");
		return send_buf(c, MHD_HTTP_BAD_REQUEST, "text/html; charset=utf-8", &b, NULL);
	}
	if (!host_ok(srv, c, host)) {
		small_page(&b, "このアドレスには答えません",
		    "プレビューは http://127.0.0.1:ポート/ や http://localhost:ポート/ "
		    "のように、自分のアドレスで開いたときだけ答えます。");
		return send_buf(c, MHD_HTTP_MISDIRECTED_REQUEST, "text/html; charset=utf-8",
		    &b, NULL);
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		small_page(&b, "使えない要求です", "プレビューは GET と HEAD だけに答えます。");
		return send_buf(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/html; charset=utf-8", &b, NULL);
	}
	if (!pia_serve_path_ok(url)) {
		small_page(&b, "不正なパスです", "このパスは使えません。");
		return send_buf(c, MHD_HTTP_BAD_REQUEST, "text/html; charset=utf-8", &b, NULL);
	}
	if (strcmp(url, EVENTS_PATH) == 0)
		return send_events(c, srv->p);

	key = url[1] == '\0' || url[strlen(url) - 1] == '/' ?
	    xasprintf("%s" PIA_HTML_PAGE, url + 1) : xstrdup(url + 1);
	pia_preview_get(srv->p, key, &r, &dir_index);
	free(key);
	if (dir_index) {
		/* The pages link relatively: a folder is served as folder/. */
		resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		if (resp == NULL)
			rc = MHD_NO;
		else {
			common_headers(resp, "text/plain; charset=utf-8");
			loc = xasprintf("%s/", url);
			MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, loc);
			free(loc);
			rc = MHD_queue_response(c, MHD_HTTP_MOVED_PERMANENTLY, resp);
			MHD_destroy_response(resp);
		}
	} else if (r.status == 404) {
		/* With the panel and the script: a report with errors has no page yet. */
		pia_buf_free(&r.body);
		small_page(&r.body, "ページが見つかりません",
		    "このアドレスのページはありません。評価書にエラーがあると、"
		    "正しく読めるまでページを作りません（下の検査の結果を見てください）。");
		rc = send_page(c, MHD_HTTP_NOT_FOUND, &r);
	} else if (r.page)
		rc = send_page(c, (unsigned)r.status, &r);
	else
		rc = send_buf(c, (unsigned)r.status, r.type, &r.body, NULL);
	pia_buf_free(&r.body);
	pia_buf_free(&r.panel);
	return rc;
}

struct pia_server *
pia_server_start(struct pia_preview *p, const char *addr, unsigned port)
{
	struct pia_server *srv;
	struct sockaddr_in a4;
	struct sockaddr_in6 a6;
	struct sockaddr *sa;
	const union MHD_DaemonInfo *info;
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_AUTO;

	memset(&a4, 0, sizeof(a4));
	memset(&a6, 0, sizeof(a6));
	if (inet_pton(AF_INET, addr, &a4.sin_addr) == 1) {
		a4.sin_family = AF_INET;
		a4.sin_port = htons((uint16_t)port);
		sa = (struct sockaddr *)&a4;
	} else if (inet_pton(AF_INET6, addr, &a6.sin6_addr) == 1) {
		a6.sin6_family = AF_INET6;
		a6.sin6_port = htons((uint16_t)port);
		sa = (struct sockaddr *)&a6;
		flags |= MHD_USE_IPv6;
	} else {
		pia_diag_now(stderr, NULL, PIA_MSG_SERVE_ADDRESS, addr);
		return NULL;
	}
	srv = xcalloc(1, sizeof(*srv));
	srv->p = p;
	srv->d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, srv,
	    MHD_OPTION_SOCK_ADDR, sa,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
	    MHD_OPTION_END);
	if (srv->d == NULL) {
		pia_diag_now(stderr, NULL, PIA_MSG_SERVE_LISTEN, addr, port);
		free(srv);
		return NULL;
	}
	info = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info != NULL && info->port != 0 ? info->port : port;
	host_name(sa, srv->listen, sizeof(srv->listen));
	return srv;
}

unsigned
pia_server_port(const struct pia_server *srv)
{
	return srv->port;
}

void
pia_server_stop(struct pia_server *srv)
{
	if (srv == NULL)
		return;
	pia_preview_stop(srv->p);
	MHD_stop_daemon(srv->d);
	free(srv);
}
