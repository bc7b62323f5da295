/*
 * System errors in Japanese for the messages city staff read (strerror
 * speaks English in the C locale), and folders made with their parents.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

const char *
pia_strerror_ja(int err)
{
	switch (err) {
	case ENOENT:
		return "ファイルやフォルダーがありません";
	case EACCES:
	case EPERM:
		return "権限がありません";
	case EEXIST:
		return "すでにあります";
	case ENOTDIR:
		return "途中の名前がフォルダーではありません";
	case EISDIR:
		return "フォルダーです";
	case ENOSPC:
	case EDQUOT:
		return "ディスクの空きがありません";
	case EROFS:
		return "書き込めない場所です（読み取り専用）";
	case ENAMETOOLONG:
		return "名前が長すぎます";
	case ELOOP:
		return "リンクが循環しています";
	default:
		return strerror(err);
	}
}

int
pia_mkdir_parents(const char *path)
{
	char *p = xstrdup(path), *s;
	struct stat st;
	int rc = 0;

	/* Each ancestor in turn; one that is there already is fine if it is a folder. */
	for (s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		if (s[-1] != '/') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0777) != 0 && (errno != EEXIST ||
			    stat(p, &st) != 0 || !S_ISDIR(st.st_mode))) {
				if (errno == EEXIST)
					errno = ENOTDIR;
				rc = -1;
			}
			*s = c;
		}
		if (*s == '\0')
			break;
	}
	free(p);
	return rc;
}
