/*
 * Small utilities used everywhere: allocation that never returns NULL,
 * growable byte buffers, UTF-8 decoding, file reading.
 * May be included by any file of pia.
 */
#ifndef PIA_UTIL_H
#define PIA_UTIL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Allocation: on failure these print a message and exit(2); the single fatal path. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte buffer, always NUL-terminated after the first append. */
struct pia_buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	 pia_buf_put(struct pia_buf *, const char *, size_t);
void	 pia_buf_puts(struct pia_buf *, const char *);
void	 pia_buf_putc(struct pia_buf *, char);
void	 pia_buf_printf(struct pia_buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 pia_buf_put_cp(struct pia_buf *, uint32_t);	/* one code point as UTF-8 */
char	*pia_buf_take(struct pia_buf *);	/* caller frees; buffer reset */
/*
 * A seal on what a cache keeps: "end ", a 64-bit hash (buf.c) of the bytes of b
 * from offset from on, in hex, and a newline (PIA_SEAL_LEN bytes).
 * pia_unseal returns the length of p[0..len) before its seal when the seal
 * ends it and matches, else (size_t)-1: a file cut short or changed.
 */
#define PIA_SEAL_LEN	21
void	 pia_buf_seal(struct pia_buf *, size_t from);
size_t	 pia_unseal(const char *p, size_t len);
void	 pia_buf_free(struct pia_buf *);
/*
 * s escaped for XML: element text (attr 0) or a value between double
 * quotes (attr 1: also ", newline and tab).  Characters XML cannot hold
 * are left out (util/xmlesc.c).
 */
void	 pia_buf_put_xml(struct pia_buf *, const char *s, int attr);

/*
 * Decode one UTF-8 sequence at s (at most n bytes).  Returns its length in
 * bytes and sets *cp; returns 0 for an invalid or truncated sequence
 * (overlong forms, surrogates and values above U+10FFFF are invalid).
 */
size_t	 pia_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* 1 when the whole string is valid UTF-8 without NUL, else 0; *bad gets the byte offset of the first problem. */
int	 pia_utf8_valid(const char *s, size_t n, size_t *bad);
/* Number of code points in the first n bytes (invalid bytes count as one each). */
size_t	 pia_utf8_count(const char *s, size_t n);
/* Edit distance in code points (the first 128 of each), for "did you mean" hints. */
size_t	 pia_utf8_distance(const char *a, const char *b);

/* s with its full-width digits (０…９) half-width; NULL when it has none (util/encoding.c). */
char		*pia_halfwidth_digits(const char *s);

/* mkdir -p: path and its missing parents.  0, or -1 with errno. */
int		 pia_mkdir_parents(const char *path);

/* Encodings Windows and Excel save Japanese text in (util/encoding.c). */
enum pia_enc {
	PIA_ENC_UTF8,
	PIA_ENC_UTF16LE,
	PIA_ENC_UTF16BE,
	PIA_ENC_CP932,
	PIA_ENC_UNKNOWN
};
/*
 * The encoding of a file's bytes: UTF-16 by its byte order mark (*skip =
 * its length) or by its NUL bytes, UTF-8 when valid, CP932 when the bytes
 * decode as such, else UNKNOWN (broken UTF-8, binary).
 */
enum pia_enc	 pia_enc_sniff(const char *s, size_t len, size_t *skip);
/* The encoding as staff know it, with where it comes from ("Excel の「CSV」"). */
const char	*pia_enc_name(enum pia_enc);
/* Bytes in encoding e as UTF-8 (caller frees; *outlen may be NULL), or NULL. */
char		*pia_enc_to_utf8(const char *s, size_t len, enum pia_enc e, size_t *outlen);
/* 1 for East-Asian wide/fullwidth characters and Japanese punctuation (soft-break joining). */
int	 pia_cp_is_wide(uint32_t);

/* Limits on what pia reads; each is refused with a message naming it. */
/* Largest source file (XML, Markdown, TSV, CSV). */
#define PIA_MAX_FILE	(8u * 1024 * 1024)
/* Deepest element nesting of an XML source; the deepest 様式 item is about 8. */
#define PIA_MAX_DEPTH	64u
/* Most attributes on one XML element; pia's own files have at most 7, and libxml2 spends attrs² on each. */
#define PIA_MAX_ATTRS	64u
/* Most elements in one XML file; a 120-page report has a few thousand, a full history of PIA_MAX_ROWS about 110,000. */
#define PIA_MAX_ELEMENTS	200000u
/* Longest single value (text node, attribute, Markdown paragraph). */
#define PIA_MAX_TEXT	(1u * 1024 * 1024)
/* Most rows of a 変更箇所 history (changes.xml or an imported list). */
#define PIA_MAX_ROWS	10000u

/*
 * Read a whole file into memory, NUL-terminated.  Refuses files larger than
 * max bytes (returns -2), other failures return -1 with errno set.
 */
int	 pia_read_file(const char *path, size_t max, char **out, size_t *len);

/*
 * Remove a path (file or folder tree) if SIGINT or SIGTERM ends pia while
 * it is being written (util/cleanup.c).  push returns a slot (or -1 when
 * too deeply nested), set points the slot at another path (NULL: none),
 * pop disarms the slot and every one pushed after it.
 */
int	 pia_cleanup_push(const char *path);
void	 pia_cleanup_set(int slot, const char *path);
void	 pia_cleanup_pop(int slot);
/*
 * Worker processes writing below the armed paths (pia build -j): the
 * handler kills and reaps them before it removes anything.  Fork with
 * pia_cleanup_block(&old) in force, register the new pid, then restore
 * old; in the child call pia_cleanup_in_worker (it then removes only what
 * it arms itself) before restoring old.
 */
void	 pia_cleanup_block(sigset_t *old);
void	 pia_cleanup_workers(const pid_t *, size_t n);
void	 pia_cleanup_in_worker(void);

/*
 * Whether path, symbolic links resolved, lies inside the folder root:
 * 1 inside, 0 outside, -1 when path does not exist.
 */
int	 pia_path_inside(const char *root, const char *path);

/*
 * 1 when url is an absolute http:// or https:// URL with a host and no
 * blank, control character, quote, backslash or angle bracket; 0 for
 * anything else (other schemes, relative or protocol-relative URLs).
 */
int	 pia_url_is_web(const char *url);
/* s for a one-line message: control characters as <U+0009>.  Caller frees. */
char	*pia_str_visible(const char *s);

/* Remove a folder and all it holds (symbolic links are not followed). */
void	 pia_rm_tree(const char *path);

/* Milliseconds of a monotonic clock, for phase timings. */
double	 pia_clock_ms(void);

/* Trim ASCII and ideographic (U+3000) white space at both ends; returns a new string. */
char	*pia_strtrim(const char *);
/* 1 if s starts with prefix. */
int	 pia_startswith(const char *s, const char *prefix);

#endif
