/* w_input.c - one-line input with Tab completion (widgets.h). */
#include "widgets.h"
#include "error.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wchar.h>

void wf_input_set(struct wf_input *in, const char *s)
{
	snprintf(in->buf, sizeof in->buf, "%s", s);
	in->len = in->cur = strlen(in->buf);
	in->msg[0] = '\0';
}

static size_t prev_char(const struct wf_input *in, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	while (i > 0 && ((unsigned char)in->buf[i] & 0xC0) == 0x80)
		i--;
	return i;
}

static size_t next_char(const struct wf_input *in, size_t i)
{
	if (i >= in->len)
		return in->len;
	i++;
	while (i < in->len && ((unsigned char)in->buf[i] & 0xC0) == 0x80)
		i++;
	return i;
}

static void delete_range(struct wf_input *in, size_t from, size_t to)
{
	memmove(in->buf + from, in->buf + to, in->len - to + 1);
	in->len -= to - from;
	in->cur = from;
}

static int insert(struct wf_input *in, int key)
{
	char mb[8];
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = wcrtomb(mb, (wchar_t)key, &st);
	if (n == (size_t)-1 || in->len + n + 1 >= sizeof in->buf)
		return WF_HANDLED;
	memmove(in->buf + in->cur + n, in->buf + in->cur, in->len - in->cur + 1);
	memcpy(in->buf + in->cur, mb, n);
	in->len += n;
	in->cur += n;
	return WF_HANDLED | WF_REDRAW;
}

int wf_input_edit_key(struct wf_input *in, int key, enum wf_edit *what)
{
	*what = WF_EDIT_NONE;
	if (key == WF_ESC)
		*what = WF_EDIT_CANCEL;
	else if (key == '\r' || key == '\n' || key == WF_K(KEY_ENTER))
		*what = WF_EDIT_COMMIT;
	if (*what != WF_EDIT_NONE)
		return WF_HANDLED | WF_REDRAW;
	int r = wf_input_key(in, key);
	return r ? r : WF_HANDLED;	/* the line takes every key while editing */
}

int wf_key_is_back(int key)
{
	return key == WF_ESC || key == 127 || key == 8 || key == WF_K(KEY_BACKSPACE);
}

int wf_input_key(struct wf_input *in, int key)
{
	in->msg[0] = '\0';
	switch (key) {
	case WF_K(KEY_LEFT): case WF_CTRL('b'):
		in->cur = prev_char(in, in->cur);
		break;
	case WF_K(KEY_RIGHT): case WF_CTRL('f'):
		in->cur = next_char(in, in->cur);
		break;
	case WF_K(KEY_HOME): case WF_CTRL('a'):
		in->cur = 0;
		break;
	case WF_K(KEY_END): case WF_CTRL('e'):
		in->cur = in->len;
		break;
	case WF_K(KEY_BACKSPACE): case 127: case 8:
		if (in->cur)
			delete_range(in, prev_char(in, in->cur), in->cur);
		break;
	case WF_K(KEY_DC): case WF_CTRL('d'):
		if (in->cur < in->len)
			delete_range(in, in->cur, next_char(in, in->cur));
		break;
	case WF_CTRL('u'):
		delete_range(in, 0, in->cur);
		break;
	case WF_CTRL('k'):
		in->buf[in->cur] = '\0';
		in->len = in->cur;
		break;
	case WF_CTRL('w'): {
		size_t i = in->cur;
		while (i > 0 && in->buf[i - 1] == ' ')
			i--;
		while (i > 0 && in->buf[i - 1] != ' ' && in->buf[i - 1] != '/')
			i--;
		if (i == in->cur && i > 0)
			i--;
		delete_range(in, i, in->cur);
		break;
	}
	case '\t':
		if (!in->complete)
			return WF_IGNORED;
		in->complete(in, in->ud);
		break;
	default:
		if (key >= 32 && key != 127 && key < 0x110000)
			return insert(in, key);
		return WF_IGNORED;
	}
	return WF_HANDLED | WF_REDRAW;
}

void wf_input_draw(struct wf_input *in, struct wf_app *a, int y, int x, int w,
		   attr_t at, int focused)
{
	wf_draw_fill(y, x, w, at);
	char save = in->buf[in->cur];
	in->buf[in->cur] = '\0';
	int ccol = wf_text_width(in->buf);
	in->buf[in->cur] = save;
	if (ccol < in->scroll)
		in->scroll = ccol;
	if (ccol - in->scroll > w - 1)
		in->scroll = ccol - w + 1;
	wf_draw_textn(y, x, w, in->buf, in->len, in->scroll, at);
	if (focused)
		wf_app_cursor(a, y, x + ccol - in->scroll);
}

/* --- path completion ------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Put back the text that followed the cursor; the cursor stays. */
static void put_back(struct wf_input *in, const char *tail)
{
	snprintf(in->buf + in->len, sizeof in->buf - in->len, "%s", tail);
	in->cur = in->len;
	in->len = strlen(in->buf);
}

void wf_complete_path(struct wf_input *in, void *ud)
{
	(void)ud;
	char tail[sizeof in->buf];	/* kept after the completion */
	snprintf(tail, sizeof tail, "%s", in->buf + in->cur);
	in->buf[in->cur] = '\0';	/* complete what is before the cursor */
	in->len = in->cur;
	char dir[1024], base[512];
	const char *slash = strrchr(in->buf, '/');
	if (slash) {
		size_t dl = (size_t)(slash - in->buf) + 1;
		snprintf(dir, sizeof dir, "%.*s", (int)dl, in->buf);
		snprintf(base, sizeof base, "%s", slash + 1);
	} else {
		snprintf(dir, sizeof dir, "./");
		snprintf(base, sizeof base, "%.500s", in->buf);
	}
	char real_dir[1100];
	if (dir[0] == '~' && dir[1] == '/' && getenv("HOME"))
		snprintf(real_dir, sizeof real_dir, "%s%s", getenv("HOME"), dir + 1);
	else
		snprintf(real_dir, sizeof real_dir, "%s", dir);
	DIR *d = opendir(real_dir);
	if (!d) {
		snprintf(in->msg, sizeof in->msg, "no such folder: %.480s", dir);
		put_back(in, tail);
		return;
	}
	char **match = NULL;
	size_t n = 0, bl = strlen(base);
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (strncmp(de->d_name, base, bl))
			continue;
		if (de->d_name[0] == '.' && bl == 0)
			continue;	/* hidden files only when asked for */
		match = wf_xrealloc(match, (n + 1) * sizeof *match);
		match[n++] = wf_xstrdup(de->d_name);
	}
	closedir(d);
	if (!n) {
		snprintf(in->msg, sizeof in->msg, "no match for \"%.200s\" in %.250s", base, dir);
		put_back(in, tail);
		return;
	}
	qsort(match, n, sizeof *match, cmp_str);
	/* the longest common prefix of all matches */
	size_t common = strlen(match[0]);
	for (size_t i = 1; i < n; i++) {
		size_t k = 0;
		while (k < common && match[i][k] == match[0][k])
			k++;
		common = k;
	}
	char out[1024];
	int len = snprintf(out, sizeof out, "%s%.*s", slash ? dir : "", (int)common, match[0]);
	if (n == 1 && len > 0 && (size_t)len < sizeof out - 1) {
		char full[2200];
		struct stat st;
		snprintf(full, sizeof full, "%s%s", real_dir, match[0]);
		if (stat(full, &st) == 0 && S_ISDIR(st.st_mode))
			strcat(out, "/");
	}
	wf_input_set(in, out);
	put_back(in, tail);
	if (n > 1) {
		size_t o = (size_t)snprintf(in->msg, sizeof in->msg, "%zu matches:", n);
		for (size_t i = 0; i < n && o < sizeof in->msg - 1; i++)
			o += (size_t)snprintf(in->msg + o, sizeof in->msg - o, " %s", match[i]);
	}
	for (size_t i = 0; i < n; i++)
		free(match[i]);
	free(match);
}
