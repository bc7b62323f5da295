/*
 * pia: shared basics for every module (version, source positions).
 * May be included by any file of pia.
 */
#ifndef PIA_H
#define PIA_H

#define PIA_VERSION "0.1.0"

/*
 * A place in a source file.  Lines and columns count from 1; columns are
 * characters (code points), not bytes, so editors and people agree.
 * A line of 0 means "the file as a whole".  file is not owned.
 */
struct pia_pos {
	const char	*file;
	unsigned	 line;
	unsigned	 col;
};

/* Exit statuses of the pia command. */
enum pia_exit {
	PIA_EXIT_OK = 0,	/* no errors (warnings allowed) */
	PIA_EXIT_INVALID = 1,	/* the input has errors */
	PIA_EXIT_SYSTEM = 2	/* usage or system error */
};

#endif
