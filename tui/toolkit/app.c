/* app.c - see app.h. */
#include "app.h"
#include "draw.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_STACK 16
#define MIN_ROWS 24
#define MIN_COLS 80

/* Bracketed paste (xterm's "Bracketed Paste Mode", DEC private mode 2004):
 * the terminal sends PASTE_BEGIN_SEQ, the text, PASTE_END_SEQ.  Curses
 * reports the markers as these key codes (define_key, above every curses
 * key); inside a paste the bytes are read raw (keypad off). */
#define PASTE_ON_SEQ	"\033[?2004h"
#define PASTE_OFF_SEQ	"\033[?2004l"
#define PASTE_BEGIN_SEQ	"\033[200~"
#define PASTE_END_SEQ	"\033[201~"
#define KEY_PASTE_BEGIN	(KEY_MAX + 1)
#define KEY_PASTE_END	(KEY_MAX + 2)
#define PASTE_IDLE_END	1.0	/* seconds without a byte end a paste */
#define PASTE_READ_MAX	(256 * 1024)	/* bytes read a wake-up (then draw) */

enum { G_HELP = 1, G_BACK, G_QUIT, G_REFRESH };

const struct wf_binding wf_app_keys[] = {
	{ WF_K(KEY_F(1)), G_HELP, "F1", "help", "help for this screen (also ?)" },
	{ '?', G_HELP, NULL, NULL, NULL },
	{ WF_ESC, G_BACK, "Esc", "back", "back to the previous step (Backspace too)" },
	{ WF_K(KEY_BACKSPACE), G_BACK, NULL, NULL, NULL },
	{ 127, G_BACK, NULL, NULL, NULL },
	{ 8, G_BACK, NULL, NULL, NULL },
	{ 'q', G_QUIT, "q", "quit", "quit (asks first while a write is pending)" },
	{ WF_CTRL('c'), G_QUIT, NULL, NULL, NULL },
	{ WF_CTRL('l'), G_REFRESH, "Ctrl-L", NULL, "redraw the whole screen" },
	{ 0, 0, NULL, NULL, NULL },
};

static int lookup(const struct wf_binding *t, int key);

struct entry {
	const struct wf_screen *s;
	void *st;
};

enum dialog_kind { DLG_NONE, DLG_ERROR, DLG_MESSAGE, DLG_CONFIRM };

struct dialog {
	enum dialog_kind kind;
	char title[128];
	char msg[2048];
	void (*fn)(struct wf_app *a, void *ud, int yes);
	void *ud;
};

struct task {
	pthread_t th;
	void (*work)(void *arg);
	void (*done)(struct wf_app *a, void *arg);
	void *arg;
	atomic_int finished;
	struct wf_app *a;
	struct task *next;
};

struct wf_app {
	void *ud;
	struct entry stack[MAX_STACK];
	int depth;
	const struct wf_screen *help;
	void (*on_quit)(struct wf_app *a);
	int (*on_tick)(struct wf_app *a);
	int (*interrupted)(void);	/* the front end's Ctrl-C flag */
	int interrupt_status;
	struct dialog dlg[4];		/* a small stack of dialogs */
	int n_dlg;
	char flash[256];
	int redraw, quit, status, started, closing;
	int cur_y, cur_x;
	int wake[2];
	pthread_mutex_t lock;		/* busy text, tasks list */
	char busy[256];
	double busy_t0;
	unsigned spin;
	char pending[256];
	struct task *tasks;
	/* bracketed paste */
	int paste_on;			/* the terminal's mode is on */
	int pasting;			/* between the markers */
	unsigned paste_match;		/* bytes of PASTE_END_SEQ matched */
	double paste_t;			/* last byte of the paste */
};

double wf_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct wf_app *wf_app_new(void *userdata)
{
	struct wf_app *a = wf_xcalloc(1, sizeof *a);
	a->ud = userdata;
	a->redraw = 1;
	a->cur_y = -1;
	pthread_mutex_init(&a->lock, NULL);
	if (pipe(a->wake) == 0) {
		for (int i = 0; i < 2; i++) {
			fcntl(a->wake[i], F_SETFL, O_NONBLOCK);
			fcntl(a->wake[i], F_SETFD, FD_CLOEXEC);
		}
	} else
		a->wake[0] = a->wake[1] = -1;
	return a;
}

void *wf_app_userdata(struct wf_app *a) { return a->ud; }
void wf_app_set_status(struct wf_app *a, int status) { a->status = status; }
void wf_app_set_help(struct wf_app *a, const struct wf_screen *help) { a->help = help; }
void wf_app_on_quit(struct wf_app *a, void (*fn)(struct wf_app *a)) { a->on_quit = fn; }
void wf_app_on_tick(struct wf_app *a, int (*fn)(struct wf_app *a)) { a->on_tick = fn; }

void wf_app_on_interrupt(struct wf_app *a, int (*interrupted)(void), int status)
{
	a->interrupted = interrupted;
	a->interrupt_status = status;
}
void wf_app_redraw(struct wf_app *a) { a->redraw = 1; }
int wf_app_dialog_open(struct wf_app *a) { return a->n_dlg > 0; }

void wf_app_cursor(struct wf_app *a, int y, int x)
{
	a->cur_y = y;
	a->cur_x = x;
}

int wf_app_start(struct wf_app *a)
{
	setlocale(LC_ALL, "");
	if (!initscr())
		return -1;
	a->started = 1;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	define_key(PASTE_BEGIN_SEQ, KEY_PASTE_BEGIN);
	define_key(PASTE_END_SEQ, KEY_PASTE_END);
	set_escdelay(25);
	curs_set(0);
	wf_theme_init();
	return 0;
}

/* --- stack ---------------------------------------------------------------- */

void wf_app_push(struct wf_app *a, const struct wf_screen *s, void *arg)
{
	if (a->depth == MAX_STACK)
		return;
	struct entry *e = &a->stack[a->depth++];
	e->s = s;
	e->st = NULL;
	e->st = s->enter ? s->enter(a, arg) : NULL;
	a->redraw = 1;
}

void wf_app_pop(struct wf_app *a)
{
	if (!a->depth)
		return;
	struct entry e = a->stack[--a->depth];
	if (e.s->leave)
		e.s->leave(a, e.st);
	a->redraw = 1;
}

void wf_app_pop_to(struct wf_app *a, const struct wf_screen *s)
{
	int i = a->depth - 1;
	while (i >= 0 && a->stack[i].s != s)
		i--;
	if (i < 0)
		return;
	while (a->depth > i + 1)
		wf_app_pop(a);
}

void wf_app_replace(struct wf_app *a, const struct wf_screen *s, void *arg)
{
	wf_app_pop(a);
	wf_app_push(a, s, arg);
}

const struct wf_screen *wf_app_top(struct wf_app *a)
{
	return a->depth ? a->stack[a->depth - 1].s : NULL;
}

const struct wf_screen *wf_app_below(struct wf_app *a)
{
	return a->depth > 1 ? a->stack[a->depth - 2].s : NULL;
}

void *wf_app_state_of(struct wf_app *a, const struct wf_screen *s)
{
	for (int i = a->depth - 1; i >= 0; i--)
		if (a->stack[i].s == s)
			return a->stack[i].st;
	return NULL;
}

/* --- dialogs and flash ------------------------------------------------------ */

static struct dialog *new_dialog(struct wf_app *a, enum dialog_kind k,
				 const char *title)
{
	if (a->closing)
		return NULL;
	if (a->n_dlg == (int)(sizeof a->dlg / sizeof a->dlg[0]))
		a->n_dlg--;	/* drop the oldest-but-one: keep the newest */
	struct dialog *d = &a->dlg[a->n_dlg++];
	memset(d, 0, sizeof *d);
	d->kind = k;
	snprintf(d->title, sizeof d->title, "%s", title);
	a->redraw = 1;
	return d;
}

void wf_app_error(struct wf_app *a, const char *fmt, ...)
{
	struct dialog *d = new_dialog(a, DLG_ERROR, "Error");
	if (!d)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	va_end(ap);
}

void wf_app_message(struct wf_app *a, const char *title, const char *fmt, ...)
{
	struct dialog *d = new_dialog(a, DLG_MESSAGE, title);
	if (!d)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	va_end(ap);
}

void wf_app_confirm(struct wf_app *a, const char *title, const char *msg,
		    void (*fn)(struct wf_app *a, void *ud, int yes), void *ud)
{
	struct dialog *d = new_dialog(a, DLG_CONFIRM, title);
	if (!d)
		return;
	snprintf(d->msg, sizeof d->msg, "%s", msg);
	d->fn = fn;
	d->ud = ud;
}

void wf_app_flash(struct wf_app *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->flash, sizeof a->flash, fmt, ap);
	va_end(ap);
	a->redraw = 1;
}

void wf_app_pending_write(struct wf_app *a, const char *what)
{
	snprintf(a->pending, sizeof a->pending, "%s", what ? what : "");
}

/* --- busy indicator ------------------------------------------------------------ */

void wf_app_busy(struct wf_app *a, const char *text)
{
	pthread_mutex_lock(&a->lock);
	snprintf(a->busy, sizeof a->busy, "%s", text ? text : "");
	a->busy_t0 = wf_now();
	pthread_mutex_unlock(&a->lock);
	a->redraw = 1;
}

void wf_app_busy_text(struct wf_app *a, const char *text)
{
	pthread_mutex_lock(&a->lock);
	if (a->busy[0] && text)
		snprintf(a->busy, sizeof a->busy, "%s", text);
	pthread_mutex_unlock(&a->lock);
	wf_app_wake(a);
}

double wf_app_busy_seconds(struct wf_app *a)
{
	pthread_mutex_lock(&a->lock);
	double s = a->busy[0] ? wf_now() - a->busy_t0 : 0;
	pthread_mutex_unlock(&a->lock);
	return s;
}

const char *wf_app_spinner(struct wf_app *a)
{
	return wf_spinner(a->spin);
}

/* --- tasks ------------------------------------------------------------------------ */

void wf_app_wake(struct wf_app *a)
{
	if (a->wake[1] >= 0) {
		char c = 1;
		ssize_t r = write(a->wake[1], &c, 1);
		(void)r;	/* a full pipe already wakes the loop */
	}
}

static void *task_main(void *p)
{
	struct task *t = p;
	t->work(t->arg);
	atomic_store(&t->finished, 1);
	wf_app_wake(t->a);
	return NULL;
}

int wf_app_task(struct wf_app *a, void (*work)(void *arg),
		void (*done)(struct wf_app *a, void *arg), void *arg)
{
	struct task *t = wf_xcalloc(1, sizeof *t);
	t->work = work;
	t->done = done;
	t->arg = arg;
	t->a = a;
	pthread_mutex_lock(&a->lock);
	t->next = a->tasks;
	a->tasks = t;
	pthread_mutex_unlock(&a->lock);
	if (pthread_create(&t->th, NULL, task_main, t) != 0) {
		pthread_mutex_lock(&a->lock);
		a->tasks = t->next;
		pthread_mutex_unlock(&a->lock);
		free(t);
		return -1;
	}
	return 0;
}

int wf_app_tasks_running(struct wf_app *a)
{
	int n = 0;
	pthread_mutex_lock(&a->lock);
	for (struct task *t = a->tasks; t; t = t->next)
		n++;
	pthread_mutex_unlock(&a->lock);
	return n;
}

/* Join finished tasks (all of them when `wait`) and run their `done`. */
static int reap_tasks(struct wf_app *a, int wait)
{
	int any = 0;
	for (;;) {
		struct task *t = NULL, **pp;
		pthread_mutex_lock(&a->lock);
		for (pp = &a->tasks; *pp; pp = &(*pp)->next)
			if (wait || atomic_load(&(*pp)->finished)) {
				t = *pp;
				*pp = t->next;
				break;
			}
		pthread_mutex_unlock(&a->lock);
		if (!t)
			return any;
		pthread_join(t->th, NULL);
		if (t->done)
			t->done(a, t->arg);
		free(t);
		any = 1;
	}
}

/* --- drawing ----------------------------------------------------------------------- */

static void draw_title(struct wf_app *a, const struct wf_screen *s)
{
	attr_t t = wf_attr(WF_C_TITLE);
	wf_draw_fill(0, 0, COLS, t);
	char left[256];
	const char *title = s ? s->title : "";
	if (s && s->get_title)
		title = s->get_title(a, a->stack[a->depth - 1].st);
	snprintf(left, sizeof left, " virt-winfix %s %s", wf_glyph(WF_G_BULLET), title);
	int used = wf_draw_text(0, 0, COLS, left, t);
	pthread_mutex_lock(&a->lock);
	char busy[300] = "";
	if (a->busy[0])
		snprintf(busy, sizeof busy, " %s %.0f s  %s", wf_spinner(a->spin),
			 wf_now() - a->busy_t0, a->busy);
	pthread_mutex_unlock(&a->lock);
	if (busy[0]) {
		int bw = wf_text_width(busy);
		int room = COLS - used - 2;
		if (bw > room)
			bw = room;
		if (bw > 8)
			wf_draw_clip(0, COLS - bw - 1, bw, busy, t);
	}
}

static int add_hint(int x, const struct wf_binding *b)
{
	if (!b->keyname || !b->label || x >= COLS - 4)
		return x;
	int w = wf_text_width(b->keyname) + wf_text_width(b->label) + 2;
	if (x + w > COLS)
		return COLS;
	x += wf_draw_text(LINES - 1, x, COLS - x, b->keyname, wf_attr(WF_C_KEY));
	x += wf_draw_textf(LINES - 1, x, COLS - x, wf_attr(WF_C_STATUS), " %s ", b->label);
	return x;
}

static void draw_keybar(struct wf_app *a, const struct wf_screen *s)
{
	attr_t st = wf_attr(WF_C_STATUS);
	wf_draw_fill(LINES - 1, 0, COLS, st);
	if (a->flash[0]) {
		wf_draw_textf(LINES - 1, 0, COLS, st | A_BOLD, " %s", a->flash);
		return;
	}
	int x = 0;
	if (a->n_dlg) {
		const struct dialog *d = &a->dlg[a->n_dlg - 1];
		static const struct wf_binding ok = { '\r', 0, "Enter", "close", NULL };
		static const struct wf_binding yes = { 'y', 0, "y", "yes", NULL };
		static const struct wf_binding no = { 'n', 0, "n", "no", NULL };
		if (d->kind == DLG_CONFIRM) {
			x = add_hint(x, &yes);
			add_hint(x, &no);
		} else
			add_hint(x, &ok);
		return;
	}
	for (const struct wf_binding *b = s && s->keys ? s->keys : NULL; b && b->key; b++)
		x = add_hint(x, b);
	for (const struct wf_binding *b = wf_app_keys; b->key; b++)
		if ((b->action != G_BACK || a->depth > 1) && !lookup(s ? s->keys : NULL, b->key))
			x = add_hint(x, b);
}

static void draw_dialog(struct wf_app *a)
{
	const struct dialog *d = &a->dlg[a->n_dlg - 1];
	int w = COLS - 8 > 70 ? 70 : COLS - 8;
	struct wf_lines l = { 0 };
	wf_wrap(&l, d->msg, w - 4, 0, 0, WF_C_DIALOG, 0);
	int h = (int)l.n + 4;
	if (h > LINES - 4)
		h = LINES - 4;
	int y = (LINES - h) / 2, x = (COLS - w) / 2;
	attr_t at = wf_attr(d->kind == DLG_ERROR ? WF_C_DIALOGERR : WF_C_DIALOG);
	wf_draw_box(y, x, h, w, at, d->title);
	for (int i = 0; i < (int)l.n && i < h - 4; i++)
		wf_draw_text(y + 1 + i, x + 2, w - 4, l.v[i].text, at);
	const char *buttons = d->kind == DLG_CONFIRM ? "[ Yes ]   [ No ]" : "[ OK ]";
	int bw = wf_text_width(buttons);
	wf_draw_text(y + h - 2, x + (w - bw) / 2, bw, buttons, at | A_BOLD);
	wf_lines_free(&l);
}

static void draw_all(struct wf_app *a)
{
	a->cur_y = -1;
	erase();
	const struct wf_screen *s = wf_app_top(a);
	if (LINES < MIN_ROWS || COLS < MIN_COLS) {
		char msg[128];
		snprintf(msg, sizeof msg, "The terminal is %dx%d: virt-winfix needs %dx%d.",
			 COLS, LINES, MIN_COLS, MIN_ROWS);
		wf_draw_text(LINES / 2, 0, COLS, msg, wf_attr(WF_C_WARNING));
		wf_draw_text(LINES / 2 + 1, 0, COLS, "Make it larger, or press q to quit.",
			     wf_attr(WF_C_NORMAL));
	} else {
		draw_title(a, s);
		if (s && s->draw)
			s->draw(a, a->stack[a->depth - 1].st, 1, 0, LINES - 2, COLS);
		draw_keybar(a, s);
		if (a->n_dlg)
			draw_dialog(a);
	}
	if (a->cur_y >= 0 && !a->n_dlg) {
		curs_set(1);
		move(a->cur_y, a->cur_x);
	} else {
		curs_set(0);
		move(LINES - 1, COLS - 1);
	}
	refresh();
	a->redraw = 0;
}

/* --- keys ------------------------------------------------------------------------------- */

const char *wf_key_name(int key, char *buf, size_t n)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
		{ '\r', "Enter" }, { '\n', "Enter" }, { WF_K(KEY_ENTER), "Enter" },
		{ ' ', "Space" }, { '\t', "Tab" }, { WF_K(KEY_BTAB), "Shift-Tab" },
		{ WF_ESC, "Esc" }, { WF_K(KEY_UP), "Up" }, { WF_K(KEY_DOWN), "Down" },
		{ WF_K(KEY_LEFT), "Left" }, { WF_K(KEY_RIGHT), "Right" },
		{ WF_K(KEY_PPAGE), "PgUp" }, { WF_K(KEY_NPAGE), "PgDn" },
		{ WF_K(KEY_HOME), "Home" }, { WF_K(KEY_END), "End" },
		{ WF_K(KEY_BACKSPACE), "Backspace" }, { 127, "Backspace" },
		{ WF_K(KEY_DC), "Delete" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].key == key)
			return names[i].name;
	if (key >= WF_K(KEY_F(1)) && key <= WF_K(KEY_F(12)))
		snprintf(buf, n, "F%d", key - WF_K(KEY_F(0)));
	else if (key > 0 && key < 32)
		snprintf(buf, n, "Ctrl-%c", key + 64);
	else if (key < 0x110000) {
		wchar_t w[2] = { (wchar_t)key, 0 };
		if (wcstombs(buf, w, n) == (size_t)-1)
			snprintf(buf, n, "U+%04X", key);
	} else
		snprintf(buf, n, "key %d", key - 0x110000);
	return buf;
}

static int lookup(const struct wf_binding *t, int key)
{
	for (; t && t->key; t++)
		if (t->key == key)
			return t->action;
	return 0;
}

static void really_quit(struct wf_app *a, void *ud, int yes)
{
	(void)ud;
	if (yes)
		a->quit = 1;
}

static void ask_quit(struct wf_app *a)
{
	if (!a->pending[0]) {
		a->quit = 1;
		return;
	}
	char msg[512];
	snprintf(msg, sizeof msg, "%s. Quit anyway?", a->pending);
	wf_app_confirm(a, "Quit?", msg, really_quit, NULL);
}

static void dialog_key(struct wf_app *a, int key)
{
	struct dialog d = a->dlg[a->n_dlg - 1];
	int yes = -1;
	if (d.kind == DLG_CONFIRM) {
		if (key == 'y' || key == 'Y' || key == '\r' || key == WF_K(KEY_ENTER))
			yes = 1;
		else if (key == 'n' || key == 'N' || key == WF_ESC || key == 'q')
			yes = 0;
	} else if (key == '\r' || key == WF_K(KEY_ENTER) || key == WF_ESC || key == ' ' ||
		   key == 'q')
		yes = 1;
	if (yes < 0)
		return;
	a->n_dlg--;
	a->redraw = 1;
	if (d.fn)
		d.fn(a, d.ud, yes);
}

static void handle_key(struct wf_app *a, int key)
{
	if (key == WF_K(KEY_RESIZE)) {
		a->redraw = 1;
		return;
	}
	if (a->flash[0]) {
		a->flash[0] = '\0';
		a->redraw = 1;
	}
	if (a->n_dlg) {
		dialog_key(a, key);
		return;
	}
	int r = WF_IGNORED;
	if (a->depth && LINES >= MIN_ROWS && COLS >= MIN_COLS) {
		struct entry *e = &a->stack[a->depth - 1];
		if (e->s->key)
			r = e->s->key(a, e->st, lookup(e->s->keys, key), key);
	}
	if (r == WF_IGNORED) {
		switch (lookup(wf_app_keys, key)) {
		case G_HELP:
			if (a->help && wf_app_top(a) != a->help) {
				struct entry *e = &a->stack[a->depth - 1];
				const char *topic = e->s->topic ? e->s->topic(a, e->st) : NULL;
				wf_app_push(a, a->help, (void *)(topic ? topic : e->s->help));
			}
			break;
		case G_BACK:
			if (a->depth > 1)
				r = WF_BACK;
			break;
		case G_QUIT:
			r = WF_QUIT;
			break;
		case G_REFRESH:
			clearok(curscr, TRUE);
			break;
		}
		a->redraw = 1;
	}
	if (r & WF_REDRAW)
		a->redraw = 1;
	if ((r & WF_BACK) && a->depth > 1)
		wf_app_pop(a);
	if (r & WF_QUIT)
		ask_quit(a);
}

/* --- bracketed paste ------------------------------------------------------------------ */

static void term_write(const char *s)
{
	fflush(stdout);	/* curses flushes its own output at each refresh */
	size_t n = strlen(s);
	while (n) {
		ssize_t w = write(STDOUT_FILENO, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* The terminal's mode follows the top screen. */
static void paste_mode_sync(struct wf_app *a, int want)
{
	if (!a->started)
		want = 0;
	if (want == a->paste_on)
		return;
	term_write(want ? PASTE_ON_SEQ : PASTE_OFF_SEQ);
	a->paste_on = want;
}

/* Hand a chunk of the paste to the top screen (or drop it). */
static void paste_deliver(struct wf_app *a, const char *s, size_t n, int end)
{
	struct entry *e = a->depth ? &a->stack[a->depth - 1] : NULL;
	if (!e || !e->s->paste || a->n_dlg || (!n && !end))
		return;
	if (e->s->paste(a, e->st, s, n, end) & WF_REDRAW)
		a->redraw = 1;
}

static void paste_end(struct wf_app *a)
{
	a->pasting = 0;
	a->paste_match = 0;
	keypad(stdscr, TRUE);
	paste_deliver(a, NULL, 0, 1);
	a->redraw = 1;
}

/* Inside a paste: bytes as they came, up to the end marker (never blocks). */
static void read_paste(struct wf_app *a)
{
	static const char endm[] = PASTE_END_SEQ;
	char buf[4096];
	size_t n = 0;
	for (size_t total = 0; total < PASTE_READ_MAX; total++) {
		int c = getch();
		if (c == ERR)
			break;
		if (c > 0xff) {		/* KEY_RESIZE: not a byte of the paste */
			a->redraw = 1;
			continue;
		}
		a->paste_t = wf_now();
		if (n + sizeof endm > sizeof buf) {
			paste_deliver(a, buf, n, 0);
			n = 0;
		}
		if ((char)c == endm[a->paste_match]) {
			if (++a->paste_match == sizeof endm - 1) {
				paste_deliver(a, buf, n, 0);
				paste_end(a);
				return;
			}
			continue;
		}
		/* a partial marker was text after all */
		memcpy(buf + n, endm, a->paste_match);
		n += a->paste_match;
		a->paste_match = (char)c == endm[0];
		if (!a->paste_match)
			buf[n++] = (char)c;
	}
	paste_deliver(a, buf, n, 0);
	a->redraw = 1;
}

/* Read every key the terminal has for us (never blocks). */
static void read_keys(struct wf_app *a)
{
	nodelay(stdscr, TRUE);
	for (int i = 0; i < 256 && !a->quit; i++) {
		if (a->pasting) {
			read_paste(a);
			if (a->pasting)
				return;
			continue;
		}
		wint_t ch;
		int r = get_wch(&ch);
		if (r == ERR)
			break;
		if (r == KEY_CODE_YES && ch == KEY_PASTE_BEGIN) {
			a->pasting = 1;
			a->paste_match = 0;
			a->paste_t = wf_now();
			keypad(stdscr, FALSE);	/* no key sequences inside */
			continue;
		}
		if (r == KEY_CODE_YES && ch == KEY_PASTE_END)
			continue;	/* a stray end marker */
		handle_key(a, r == KEY_CODE_YES ? WF_K(ch) : (int)ch);
	}
}

/* Background state may have changed: the hook, then the top screen. */
static int tick(struct wf_app *a)
{
	int r = 0;
	if (a->on_tick)
		r |= a->on_tick(a);
	if (a->depth) {
		struct entry *e = &a->stack[a->depth - 1];
		if (e->s->tick)
			r |= e->s->tick(a, e->st);
	}
	return r;
}

int wf_app_run(struct wf_app *a)
{
	if (!a->started && wf_app_start(a) < 0)
		return 2;
	while (!a->quit && a->depth) {
		int t = tick(a);
		if (t & WF_REDRAW)
			a->redraw = 1;
		if ((t & WF_BACK) && a->depth > 1)
			wf_app_pop(a);
		if (t & WF_QUIT)
			ask_quit(a);
		if (a->quit)
			break;
		paste_mode_sync(a, a->depth && a->stack[a->depth - 1].s->paste);
		if (a->redraw)
			draw_all(a);
		pthread_mutex_lock(&a->lock);
		int busy = a->busy[0] != 0 || a->tasks != NULL;
		pthread_mutex_unlock(&a->lock);
		struct pollfd p[2] = { { 0, POLLIN, 0 }, { a->wake[0], POLLIN, 0 } };
		int r = poll(p, a->wake[0] >= 0 ? 2 : 1, busy ? 100 : a->pasting ? 250 : -1);
		if (a->pasting && r == 0 && wf_now() - a->paste_t > PASTE_IDLE_END)
			paste_end(a);	/* the end marker never came */
		if (a->interrupted && a->interrupted()) {
			a->status = a->interrupt_status;
			break;
		}
		if (r < 0 && errno != EINTR)
			break;
		if (r == 0 && busy) {
			a->spin++;
			a->redraw = 1;
		}
		if (r > 0 && (p[1].revents & POLLIN)) {
			char buf[64];
			while (read(a->wake[0], buf, sizeof buf) > 0)
				;
			reap_tasks(a, 0);
			a->redraw = 1;
		}
		read_keys(a);	/* also after EINTR: KEY_RESIZE */
	}
	if (a->on_quit)
		a->on_quit(a);
	paste_mode_sync(a, 0);
	endwin();
	a->started = 0;
	return a->status;
}

void wf_app_free(struct wf_app *a)
{
	if (!a)
		return;
	a->closing = 1;
	reap_tasks(a, 1);
	while (a->depth)
		wf_app_pop(a);
	paste_mode_sync(a, 0);
	if (a->started)
		endwin();
	if (a->wake[0] >= 0) {
		close(a->wake[0]);
		close(a->wake[1]);
	}
	pthread_mutex_destroy(&a->lock);
	free(a);
}
