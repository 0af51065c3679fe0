/*
 * ptyrun - drive a curses program in a pseudo-terminal and read its screen
 * back as text (libvterm), for the wizard's tests and benchmarks.
 *
 *   ptyrun [-r ROWS] [-c COLS] [-t TERM] [-v] -- PROGRAM ARGS... < SCRIPT
 *
 * The program runs in a pty of ROWSxCOLS (default 24x80) with TERM
 * (default xterm-256color); its output goes into a libvterm screen.  The
 * script on stdin has one command a line ('#' starts a comment):
 *
 *   wait [SECS] TEXT        until TEXT is on the screen (default 20 s)
 *   gone [SECS] TEXT        until TEXT is no longer on the screen
 *   expect NAME | TEXT      PASS: NAME when TEXT is on the screen now
 *   reject NAME | TEXT      PASS: NAME when TEXT is not on the screen
 *   attr NAME | TEXT | A    the first cell of TEXT has attribute A:
 *                           bold, reverse, underline, color (non-default
 *                           colour), plain (none of these)
 *   mono NAME               no cell on the screen has a colour
 *   key KEY...              send keys: Enter Esc Tab BTab Up Down Left Right
 *                           PgUp PgDn Home End Bs Del Space F1..F12, C-x
 *                           (control), or one character
 *   type TEXT               send TEXT as it is
 *   paste FILE              paste FILE's bytes as a terminal does: between
 *                           ESC[200~ and ESC[201~ when the program turned
 *                           bracketed paste on (ESC[?2004h), bare otherwise
 *   rawpaste FILE           paste FILE as a terminal without bracketed paste
 *                           types it: no markers, line ends sent as CR
 *   pastemode NAME | on|off PASS: NAME when the program's last word on
 *                           bracketed paste (ESC[?2004h / l) is that
 *   resize ROWS COLS        change the window size (the program gets SIGWINCH)
 *   settle [MS]             until the output has been quiet for MS (50)
 *   sleep MS
 *   dump [FILE]             the screen, as text, to stdout or FILE
 *   time NAME | TEXT        wait for TEXT; print "TIME: NAME MS" (ms since start)
 *   within MS NAME | TEXT   PASS: NAME when TEXT shows within MS of the last key
 *   lat NAME | KEY          send KEY, print "LAT: NAME MS": ms until the
 *                           output that answers it has stopped (quiet 30 ms);
 *                           KEY may be "resize ROWS COLS"
 *   exit NAME | CODE        wait (20 s) for the program to exit with CODE
 *   sh NAME | COMMAND       PASS: NAME when the shell command succeeds
 *                           ($PTYRUN_PID is the program's process id)
 *   kill                    end the program (SIGTERM, then SIGKILL)
 *
 * Checks print "PASS: NAME" or "FAIL: NAME: why" (the lines tests/run
 * counts) and, on failure, the screen.  A wait that times out fails and
 * ends the script.  Exit status: 0 when nothing failed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vterm.h>

static VTerm *vt;
static VTermScreen *vs;
static int master = -1, rows = 24, cols = 80, verbose;
static pid_t child;
static int child_done, child_status;
static double t_start, t_key;	/* program start, last key sent */
static int failures;
static int paste_mode;		/* the program's ESC[?2004h / ESC[?2004l */
static char mode_tail[8];	/* the end of the last read, for a split one */
static size_t mode_tail_n;

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void on_output(const char *s, size_t len, void *user)
{
	(void)user;
	while (len && master >= 0) {
		ssize_t w = write(master, s, len);
		if (w <= 0)
			break;
		s += w;
		len -= (size_t)w;
	}
}

static void reap(void)
{
	if (child_done || child <= 0)
		return;
	int st;
	if (waitpid(child, &st, WNOHANG) == child) {
		child_done = 1;
		child_status = st;
	}
}

/* Follow ESC[?2004h / ESC[?2004l in the program's output (the last one
 * wins; one split across two reads is seen too). */
static void watch_paste_mode(const char *buf, size_t n)
{
	static const char pre[] = "\033[?2004";	/* then 'h' (on) or 'l' (off) */
	static char scan[sizeof mode_tail + 65536];
	const size_t k = sizeof pre - 1;
	size_t m = mode_tail_n;
	memcpy(scan, mode_tail, m);
	memcpy(scan + m, buf, n);
	m += n;
	for (size_t i = 0; i + k < m; i++)
		if (!memcmp(scan + i, pre, k) && (scan[i + k] == 'h' || scan[i + k] == 'l'))
			paste_mode = scan[i + k] == 'h';
	mode_tail_n = m < k ? m : k;
	memcpy(mode_tail, scan + m - mode_tail_n, mode_tail_n);
}

/* Read what the program wrote, for at most `ms`; returns bytes read. */
static size_t pump(int ms)
{
	struct pollfd p = { master, POLLIN, 0 };
	size_t total = 0;
	double end = now_ms() + ms;
	for (;;) {
		int left = (int)(end - now_ms());
		if (left < 0)
			left = 0;
		int r = poll(&p, 1, left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		char buf[65536];
		ssize_t n = read(master, buf, sizeof buf);
		if (n <= 0) {	/* EIO: the program is gone */
			reap();
			if (left == 0)
				break;
			struct timespec ts = { 0, 5 * 1000 * 1000 };
			nanosleep(&ts, NULL);
			if (child_done)
				break;
			continue;
		}
		watch_paste_mode(buf, (size_t)n);
		vterm_input_write(vt, buf, (size_t)n);
		total += (size_t)n;
		if (left == 0)
			continue;	/* drain what is there */
	}
	vterm_screen_flush_damage(vs);
	reap();
	return total;
}

/* One row as UTF-8, trailing blanks cut. */
static void row_text(int row, char *out, size_t outsz)
{
	size_t o = 0, keep = 0;
	for (int c = 0; c < cols; c++) {
		VTermScreenCell cell;
		VTermPos pos = { row, c };
		if (!vterm_screen_get_cell(vs, pos, &cell))
			break;
		uint32_t ch = cell.chars[0];
		if (ch == (uint32_t)-1)	/* right half of a wide character */
			continue;
		if (ch == 0)
			ch = ' ';
		char u[8];
		size_t n = 0;
		if (ch < 0x80)
			u[n++] = (char)ch;
		else if (ch < 0x800) {
			u[n++] = (char)(0xC0 | (ch >> 6));
			u[n++] = (char)(0x80 | (ch & 0x3F));
		} else if (ch < 0x10000) {
			u[n++] = (char)(0xE0 | (ch >> 12));
			u[n++] = (char)(0x80 | ((ch >> 6) & 0x3F));
			u[n++] = (char)(0x80 | (ch & 0x3F));
		} else {
			u[n++] = (char)(0xF0 | (ch >> 18));
			u[n++] = (char)(0x80 | ((ch >> 12) & 0x3F));
			u[n++] = (char)(0x80 | ((ch >> 6) & 0x3F));
			u[n++] = (char)(0x80 | (ch & 0x3F));
		}
		if (o + n + 1 >= outsz)
			break;
		memcpy(out + o, u, n);
		o += n;
		if (ch != ' ')
			keep = o;
		if (cell.width == 2)
			c++;
	}
	out[keep] = '\0';
}

static void dump(FILE *f)
{
	char line[4096];
	fprintf(f, "+%.*s+\n", cols, "--------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------");
	for (int r = 0; r < rows; r++) {
		row_text(r, line, sizeof line);
		fprintf(f, "|%s\n", line);
	}
	fprintf(f, "+%.*s+\n", cols, "--------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------");
	fflush(f);
}

/* Where TEXT is on the screen: row, and column in cells; 0 when absent. */
static int find_text(const char *text, int *row, int *col)
{
	char line[4096];
	for (int r = 0; r < rows; r++) {
		row_text(r, line, sizeof line);
		char *p = strstr(line, text);
		if (!p)
			continue;
		if (row)
			*row = r;
		if (col) {	/* count cells up to p */
			int c = 0;
			for (char *q = line; q < p; q++)
				if (((unsigned char)*q & 0xC0) != 0x80)
					c++;
			/* wide characters before p take two cells: walk the cells */
			int cell = 0, chars = 0;
			while (cell < cols && chars < c) {
				VTermScreenCell vc;
				VTermPos pos = { r, cell };
				vterm_screen_get_cell(vs, pos, &vc);
				cell += vc.width == 2 ? 2 : 1;
				chars++;
			}
			*col = cell;
		}
		return 1;
	}
	return 0;
}

static void fail(const char *name, const char *fmt, ...)
{
	va_list ap;
	printf("FAIL: %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	dump(stdout);
	failures++;
}

static void pass(const char *name)
{
	printf("PASS: %s\n", name);
	fflush(stdout);
}

/* Read what the program is still writing, until 30 ms pass without
 * output (at most 0.5 s): a screen is often written in several chunks, and
 * the text a wait found may be only the first of them (seen on a slow CI
 * machine: "1 error" of a heading drawn before the list under it). */
static void finish_frame(void)
{
	double end = now_ms() + 500;
	while (pump(30) && now_ms() < end)
		;
}

/* Wait until TEXT is present (want=1) or absent (want=0). */
static int wait_for(const char *text, int want, double secs)
{
	double end = now_ms() + secs * 1000;
	for (;;) {
		if (find_text(text, NULL, NULL) == want) {
			finish_frame();
			return 1;
		}
		if (now_ms() > end)
			return 0;
		if (child_done) {
			pump(0);
			return find_text(text, NULL, NULL) == want;
		}
		pump(20);
	}
}

static void send_bytes(const char *s, size_t n)
{
	t_key = now_ms();
	while (n) {
		ssize_t w = write(master, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static const struct {
	const char *name, *seq;
} keys[] = {
	{ "Enter", "\r" }, { "Esc", "\033" }, { "Tab", "\t" }, { "BTab", "\033[Z" },
	{ "Up", "\033OA" }, { "Down", "\033OB" }, { "Right", "\033OC" },
	{ "Left", "\033OD" }, { "PgUp", "\033[5~" }, { "PgDn", "\033[6~" },
	{ "Home", "\033OH" }, { "End", "\033OF" }, { "Bs", "\177" },
	{ "Del", "\033[3~" }, { "Space", " " }, { "F1", "\033OP" }, { "F2", "\033OQ" },
	{ "F3", "\033OR" }, { "F4", "\033OS" }, { "F5", "\033[15~" },
	{ "F6", "\033[17~" }, { "F7", "\033[18~" }, { "F8", "\033[19~" },
	{ "F9", "\033[20~" }, { "F10", "\033[21~" }, { "F11", "\033[23~" },
	{ "F12", "\033[24~" },
};

static int send_key(const char *k)
{
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!strcmp(k, keys[i].name)) {
			send_bytes(keys[i].seq, strlen(keys[i].seq));
			return 0;
		}
	if (k[0] == 'C' && k[1] == '-' && k[2] && !k[3]) {
		char c = (char)(k[2] & 0x1F);
		send_bytes(&c, 1);
		return 0;
	}
	if (k[0] && !k[1]) {
		send_bytes(k, 1);
		return 0;
	}
	fprintf(stderr, "ptyrun: unknown key %s\n", k);
	return -1;
}

/* After an Esc the program waits ESCDELAY to tell it from a sequence:
 * give it time before the next key. */
static void after_key(const char *k)
{
	if (!strcmp(k, "Esc"))
		pump(60);
}

/* Send n bytes without a deadlock: the program may be writing its
 * screen while we write its input, so read its output while the pty's
 * input is full. */
static void send_pumping(const char *s, size_t n)
{
	int fl = fcntl(master, F_GETFL);
	fcntl(master, F_SETFL, fl | O_NONBLOCK);
	t_key = now_ms();
	while (n) {
		ssize_t w = write(master, s, n < 1024 ? n : 1024);
		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			pump(5);
			continue;
		}
		if (w <= 0)
			break;
		s += w;
		n -= (size_t)w;
		pump(0);
	}
	fcntl(master, F_SETFL, fl);
}

static char *read_whole(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *b = NULL;
	size_t len = 0, cap = 0, r;
	do {
		if (len + 65536 > cap) {
			cap = cap ? cap * 2 : 65536 * 2;
			char *nb = realloc(b, cap);
			if (!nb) {
				free(b);
				fclose(f);
				return NULL;
			}
			b = nb;
		}
		r = fread(b + len, 1, cap - len, f);
		len += r;
	} while (r > 0);
	fclose(f);
	*n = len;
	return b;
}

/* paste FILE (bracketed when the program asked for it) / rawpaste FILE */
static int paste_file(const char *path, int raw)
{
	size_t n;
	char *b = read_whole(path, &n);
	if (!b) {
		fprintf(stderr, "ptyrun: cannot read %s\n", path);
		return -1;
	}
	if (raw) {
		for (size_t i = 0; i < n; i++)
			if (b[i] == '\n')
				b[i] = '\r';
		send_pumping(b, n);
	} else {
		vterm_keyboard_start_paste(vt);	/* ESC[200~ when mode 2004 is on */
		send_pumping(b, n);
		vterm_keyboard_end_paste(vt);
	}
	free(b);
	pump(5);
	return 0;
}

static void set_size(int r, int c)
{
	struct winsize ws = { (unsigned short)r, (unsigned short)c, 0, 0 };
	rows = r;
	cols = c;
	vterm_set_size(vt, r, c);
	ioctl(master, TIOCSWINSZ, &ws);
	if (child > 0)
		kill(child, SIGWINCH);
}

/* Split "NAME | REST" in place. */
static char *split_bar(char *s)
{
	char *bar = strstr(s, " | ");
	if (!bar)
		return NULL;
	*bar = '\0';
	return bar + 3;
}

static int check_attr(const char *name, const char *text, const char *a)
{
	int r, c;
	if (!find_text(text, &r, &c)) {
		fail(name, "\"%s\" not on the screen", text);
		return 0;
	}
	VTermScreenCell cell;
	VTermPos pos = { r, c };
	vterm_screen_get_cell(vs, pos, &cell);
	int colored = !VTERM_COLOR_IS_DEFAULT_FG(&cell.fg) || !VTERM_COLOR_IS_DEFAULT_BG(&cell.bg);
	int ok = !strcmp(a, "bold") ? cell.attrs.bold
		: !strcmp(a, "reverse") ? cell.attrs.reverse
		: !strcmp(a, "underline") ? cell.attrs.underline != 0
		: !strcmp(a, "color") ? colored
		: !strcmp(a, "plain") ? !cell.attrs.bold && !cell.attrs.reverse && !colored
		: -1;
	if (ok < 0) {
		fail(name, "unknown attribute %s", a);
		return 0;
	}
	if (ok)
		pass(name);
	else
		fail(name, "\"%s\" at %d,%d is not %s (bold=%d reverse=%d color=%d)", text,
		     r, c, a, cell.attrs.bold, cell.attrs.reverse, colored);
	return ok;
}

static int check_mono(const char *name)
{
	for (int r = 0; r < rows; r++)
		for (int c = 0; c < cols; c++) {
			VTermScreenCell cell;
			VTermPos pos = { r, c };
			vterm_screen_get_cell(vs, pos, &cell);
			if (!VTERM_COLOR_IS_DEFAULT_FG(&cell.fg) || !VTERM_COLOR_IS_DEFAULT_BG(&cell.bg)) {
				fail(name, "colour at %d,%d", r, c);
				return 0;
			}
		}
	pass(name);
	return 1;
}

static void kill_child(void)
{
	if (child <= 0 || child_done)
		return;
	kill(child, SIGTERM);
	for (int i = 0; i < 100 && !child_done; i++)
		pump(20);
	if (!child_done) {
		kill(child, SIGKILL);
		waitpid(child, &child_status, 0);
		child_done = 1;
	}
}

/* Ms until the output answering a key is complete: the last byte before
 * the output has been quiet for 30 ms (or 2 s without any output). */
static double latency(void)
{
	double t0 = now_ms(), last = -1;
	double give_up = t0 + 2000;
	for (;;) {
		size_t n = pump(last < 0 ? 5 : 30);
		if (n) {
			last = now_ms();
			continue;
		}
		if (last >= 0 || now_ms() > give_up)
			break;
	}
	return last < 0 ? -1 : last - t0;
}

static int run_line(char *line)
{
	char *nl = strchr(line, '\n');
	if (nl)
		*nl = '\0';
	while (*line == ' ' || *line == '\t')
		line++;
	if (!*line || *line == '#')
		return 0;
	char *arg = strchr(line, ' ');
	if (arg)
		*arg++ = '\0';
	else
		arg = line + strlen(line);
	if (verbose)
		fprintf(stderr, "ptyrun: %s %s\n", line, arg);
	if (!strcmp(line, "wait") || !strcmp(line, "gone")) {
		double secs = 20;
		char *end;
		double v = strtod(arg, &end);
		if (end != arg && *end == ' ') {
			secs = v;
			arg = end + 1;
		}
		int want = !strcmp(line, "wait");
		if (!wait_for(arg, want, secs)) {
			fail(want ? "wait" : "gone", "%s \"%s\" after %.0f s", want ? "no" : "still", arg, secs);
			return -1;
		}
	} else if (!strcmp(line, "expect") || !strcmp(line, "reject")) {
		char *text = split_bar(arg);
		if (!text)
			return fprintf(stderr, "ptyrun: %s NAME | TEXT\n", line), -1;
		pump(0);
		int want = !strcmp(line, "expect");
		if (find_text(text, NULL, NULL) == want)
			pass(arg);
		else
			fail(arg, "\"%s\" %s the screen", text, want ? "not on" : "on");
	} else if (!strcmp(line, "attr")) {
		char *text = split_bar(arg), *a = text ? split_bar(text) : NULL;
		if (!a)
			return fprintf(stderr, "ptyrun: attr NAME | TEXT | ATTR\n"), -1;
		pump(0);
		check_attr(arg, text, a);
	} else if (!strcmp(line, "mono")) {
		pump(0);
		check_mono(arg);
	} else if (!strcmp(line, "key")) {
		for (char *k = strtok(arg, " "); k; k = strtok(NULL, " ")) {
			if (send_key(k) < 0)
				return -1;
			pump(5);
			after_key(k);
		}
	} else if (!strcmp(line, "type")) {
		send_bytes(arg, strlen(arg));
		pump(5);
	} else if (!strcmp(line, "paste") || !strcmp(line, "rawpaste")) {
		if (paste_file(arg, !strcmp(line, "rawpaste")) < 0)
			return -1;
	} else if (!strcmp(line, "pastemode")) {
		char *want = split_bar(arg);
		if (!want)
			return fprintf(stderr, "ptyrun: pastemode NAME | on|off\n"), -1;
		pump(0);
		if (paste_mode == !strcmp(want, "on"))
			pass(arg);
		else
			fail(arg, "bracketed paste is %s", paste_mode ? "on" : "off");
	} else if (!strcmp(line, "resize")) {
		int r, c;
		if (sscanf(arg, "%d %d", &r, &c) != 2)
			return fprintf(stderr, "ptyrun: resize ROWS COLS\n"), -1;
		set_size(r, c);
		pump(50);
	} else if (!strcmp(line, "settle")) {
		int ms = *arg ? atoi(arg) : 50;
		while (pump(ms))
			;
	} else if (!strcmp(line, "sleep")) {
		pump(atoi(arg));
	} else if (!strcmp(line, "dump")) {
		pump(0);
		if (*arg) {
			FILE *f = fopen(arg, "w");
			if (f) {
				dump(f);
				fclose(f);
			}
		} else
			dump(stdout);
	} else if (!strcmp(line, "time")) {
		char *text = split_bar(arg);
		if (!text)
			return fprintf(stderr, "ptyrun: time NAME | TEXT\n"), -1;
		if (!wait_for(text, 1, 20)) {
			fail(arg, "no \"%s\"", text);
			return -1;
		}
		printf("TIME: %s %.1f ms (%.1f ms after the last key)\n", arg, now_ms() - t_start,
		       t_key ? now_ms() - t_key : 0);
	} else if (!strcmp(line, "lat")) {
		char *k = split_bar(arg);
		if (!k)
			return fprintf(stderr, "ptyrun: lat NAME | KEY\n"), -1;
		while (pump(20))
			;
		int r, c;
		if (sscanf(k, "resize %d %d", &r, &c) == 2)
			set_size(r, c);
		else if (send_key(k) < 0)
			return -1;
		printf("LAT: %s %.1f\n", arg, latency());
		fflush(stdout);
	} else if (!strcmp(line, "exit")) {
		char *code_s = split_bar(arg);
		if (!code_s)
			return fprintf(stderr, "ptyrun: exit NAME | CODE\n"), -1;
		int code = atoi(code_s);
		const char *name = arg;
		double end = now_ms() + 20000;
		while (!child_done && now_ms() < end)
			pump(20);
		if (!child_done)
			fail(name, "still running");
		else if (WIFEXITED(child_status) && WEXITSTATUS(child_status) == code)
			pass(name);
		else if (WIFEXITED(child_status))
			fail(name, "exit %d, expected %d", WEXITSTATUS(child_status), code);
		else
			fail(name, "killed by signal %d", WTERMSIG(child_status));
	} else if (!strcmp(line, "within")) {
		char *end;
		double ms = strtod(arg, &end);
		char *name = end, *text;
		while (*name == ' ')
			name++;
		if (end == arg || !(text = split_bar(name)))
			return fprintf(stderr, "ptyrun: within MS NAME | TEXT\n"), -1;
		double left = t_key + ms - now_ms();
		if (wait_for(text, 1, left > 0 ? left / 1000 : 0))
			pass(name);
		else
			fail(name, "no \"%s\" within %.0f ms of the last key", text, ms);
	} else if (!strcmp(line, "sh")) {
		char *cmd = split_bar(arg);
		if (!cmd)
			return fprintf(stderr, "ptyrun: sh NAME | COMMAND\n"), -1;
		pump(0);
		char pid[32];
		snprintf(pid, sizeof pid, "%d", (int)child);
		setenv("PTYRUN_PID", pid, 1);
		int st = system(cmd);
		if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			pass(arg);
		else
			fail(arg, "%s: status %d", cmd, st);
	} else if (!strcmp(line, "kill")) {
		kill_child();
	} else {
		fprintf(stderr, "ptyrun: unknown command %s\n", line);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *term = "xterm-256color";
	int i = 1;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (!strcmp(argv[i], "-r") && i + 1 < argc)
			rows = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-c") && i + 1 < argc)
			cols = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-t") && i + 1 < argc)
			term = argv[++i];
		else if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else
			break;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: ptyrun [-r ROWS] [-c COLS] [-t TERM] [-v] -- PROGRAM ARGS... < SCRIPT\n");
		return 2;
	}
	vt = vterm_new(rows, cols);
	vterm_set_utf8(vt, 1);
	vterm_output_set_callback(vt, on_output, NULL);
	vs = vterm_obtain_screen(vt);
	vterm_screen_enable_altscreen(vs, 1);
	vterm_screen_reset(vs, 1);

	struct winsize ws = { (unsigned short)rows, (unsigned short)cols, 0, 0 };
	t_start = now_ms();
	child = forkpty(&master, NULL, NULL, &ws);
	if (child < 0) {
		perror("ptyrun: forkpty");
		return 2;
	}
	if (child == 0) {
		setenv("TERM", term, 1);
		setenv("ESCDELAY", "25", 1);
		execvp(argv[i], argv + i);
		perror("ptyrun: exec");
		_exit(127);
	}
	signal(SIGPIPE, SIG_IGN);
	char line[4096];
	while (fgets(line, sizeof line, stdin))
		if (run_line(line) < 0) {
			failures++;
			break;
		}
	kill_child();
	vterm_free(vt);
	return failures ? 1 : 0;
}
