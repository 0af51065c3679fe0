/*
 * app.h - the wizard's one loop: a stack of screens, key dispatch, redraw
 * and resize, modal dialogs, and background tasks polled while a spinner
 * turns (after htop's ScreenManager and tig's view ops).
 *
 * A screen is a table of operations (struct wf_screen, one per file in
 * screens/).  Screens never read keys or refresh: the loop calls draw()
 * when something changed and key() with each key, and acts on the flags
 * the handler returns.  Key bindings are data (struct wf_binding): one
 * table per screen gives the key, its name and label in the key bar, and
 * the line the help screen shows.
 *
 *   struct wf_app *a = wf_app_new(&ud);
 *   wf_app_push(a, &my_screen, arg);
 *   int status = wf_app_run(a);        // until a screen returns WF_QUIT
 *   wf_app_free(a);
 *
 * Slow work (the appliance) runs in a thread started with wf_app_task();
 * its `done` callback runs on the UI thread, from the loop, after which
 * every screen's tick() may refresh its state.  The UI never waits for a
 * task: the loop polls the terminal and a wake-up pipe, and animates the
 * busy spinner every 100 ms while something is running.
 */
#ifndef WF_APP_H
#define WF_APP_H

#include <stddef.h>
#include <wchar.h>

#include "theme.h"

struct wf_app;

/* What a key handler did (bit flags). */
enum {
	WF_IGNORED = 0,		/* not this screen's key: try the global keys */
	WF_HANDLED = 1 << 0,
	WF_REDRAW = 1 << 1,	/* draw again (the loop does it) */
	WF_BACK = 1 << 2,	/* leave this screen */
	WF_QUIT = 1 << 3,	/* leave the program (asks when a write is pending) */
};

/* Keys: characters are themselves; curses key codes (KEY_UP ...) are
 * WF_K(KEY_UP), above every Unicode character. */
#define WF_K(code) ((int)(code) + 0x110000)
#define WF_CTRL(c) ((c) & 0x1f)
#define WF_ESC 27

/* Global actions (the app's own table); screens use their own numbers. */
enum { WF_ACT_NONE = 0 };

struct wf_binding {
	int key;		/* 0 ends the table */
	int action;		/* passed to the screen's key() */
	const char *keyname;	/* in the key bar and help ("Enter"); NULL = hidden */
	const char *label;	/* in the key bar ("open"); NULL = help only */
	const char *help;	/* one line for the help screen */
};

struct wf_screen {
	const char *name;	/* "pick" */
	const char *title;	/* "Pick the disk image" */
	const char *help;	/* help topic: "screens/<name>" (help/screens/<name>.txt) */
	int step;		/* wizard step 1..6 shown in the title, 0 = none */
	const struct wf_binding *keys;
	/* Called when pushed; returns the screen's state (may be NULL). */
	void *(*enter)(struct wf_app *a, void *arg);
	/* Draw into the body rectangle. */
	void (*draw)(struct wf_app *a, void *st, int y, int x, int h, int w);
	/* A key: `action` from the screen's table (0 when none matched),
	 * `key` as above.  Returns WF_* flags. */
	int (*key)(struct wf_app *a, void *st, int action, int key);
	/* Called when popped; frees the state. */
	void (*leave)(struct wf_app *a, void *st);
	/* Optional: background state changed (a task ended); WF_* flags. */
	int (*tick)(struct wf_app *a, void *st);
	/* Optional: the help topic now (a finding's article); NULL = `help`. */
	const char *(*topic)(struct wf_app *a, void *st);
	/* Optional: the title now; NULL = `title`. */
	const char *(*get_title)(struct wf_app *a, void *st);
	/* Optional: a screen that takes pasted text.  While such a screen is
	 * on top the app turns the terminal's bracketed paste on (ESC[?2004h;
	 * off again, ESC[?2004l, when another screen is on top and at the
	 * end), and what the terminal sends between ESC[200~ and ESC[201~
	 * arrives here byte for byte, never as keys: in chunks as it is
	 * read, then once with `end` set (n = 0).  A paste with no end marker
	 * ends after a second without bytes.  On a screen without this op,
	 * or while a dialog is open, a paste is read and dropped.  Returns
	 * WF_* flags. */
	int (*paste)(struct wf_app *a, void *st, const char *text, size_t n, int end);
};

struct wf_app *wf_app_new(void *userdata);
void *wf_app_userdata(struct wf_app *a);
/* Start curses; first frame drawn by wf_app_run(). */
int wf_app_start(struct wf_app *a);
/* Run until WF_QUIT (or SIGTERM/SIGHUP); returns the exit status set
 * with wf_app_set_status (default 0; 130 when interrupted).  Ends curses
 * before returning. */
int wf_app_run(struct wf_app *a);
/* Waits for running tasks (after the `on_quit` hook had them cancelled). */
void wf_app_free(struct wf_app *a);
void wf_app_set_status(struct wf_app *a, int status);

/* Screen stack. */
void wf_app_push(struct wf_app *a, const struct wf_screen *s, void *arg);
void wf_app_pop(struct wf_app *a);
/* Pop until `s` is on top (nothing when it is not on the stack). */
void wf_app_pop_to(struct wf_app *a, const struct wf_screen *s);
/* Replace the top screen. */
void wf_app_replace(struct wf_app *a, const struct wf_screen *s, void *arg);
const struct wf_screen *wf_app_top(struct wf_app *a);
/* The screen under the top one (NULL when none). */
const struct wf_screen *wf_app_below(struct wf_app *a);
/* The state of the topmost screen `s`, NULL when not on the stack. */
void *wf_app_state_of(struct wf_app *a, const struct wf_screen *s);
void wf_app_redraw(struct wf_app *a);

/* The help screen (pushed on F1 or '?' with the topic name as argument). */
void wf_app_set_help(struct wf_app *a, const struct wf_screen *help);
/* Called when the program is about to quit (cancel tasks, ...). */
void wf_app_on_quit(struct wf_app *a, void (*fn)(struct wf_app *a));
/* Called after every task and before drawing; WF_REDRAW when something
 * changed. */
void wf_app_on_tick(struct wf_app *a, int (*fn)(struct wf_app *a));
/* The loop asks interrupted() after every wake-up; when it returns non-zero
 * (the front end caught SIGINT/SIGTERM) wf_app_run returns `status`. */
void wf_app_on_interrupt(struct wf_app *a, int (*interrupted)(void), int status);

/* Dialogs (modal, drawn over the screen; keys go to them first). */
void wf_app_error(struct wf_app *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void wf_app_message(struct wf_app *a, const char *title, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Yes/no: `fn(a, ud, yes)` is called with the answer (Enter/y = yes,
 * Esc/n = no). */
void wf_app_confirm(struct wf_app *a, const char *title, const char *msg,
		    void (*fn)(struct wf_app *a, void *ud, int yes), void *ud);
int wf_app_dialog_open(struct wf_app *a);

/* A transient line in the key bar, until the next key. */
void wf_app_flash(struct wf_app *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The busy indicator in the title bar: spinner, text, elapsed seconds
 * since `wf_app_busy` was called.  NULL text = not busy.  The text can be
 * changed from any thread with wf_app_busy_text (the start time stays). */
void wf_app_busy(struct wf_app *a, const char *text);
void wf_app_busy_text(struct wf_app *a, const char *text);
/* Seconds since the busy indicator was started (0 when idle). */
double wf_app_busy_seconds(struct wf_app *a);
const char *wf_app_spinner(struct wf_app *a);

/* Quitting asks first while a write is pending (NULL = none). */
void wf_app_pending_write(struct wf_app *a, const char *what);

/* Show the terminal cursor at y,x after this draw (input lines). */
void wf_app_cursor(struct wf_app *a, int y, int x);

/* Background work: `work(arg)` runs on a new thread; when it returns,
 * `done(a, arg)` runs on the UI thread.  -1 if no thread could start
 * (then nothing runs). */
int wf_app_task(struct wf_app *a, void (*work)(void *arg),
		void (*done)(struct wf_app *a, void *arg), void *arg);
/* Tasks still running. */
int wf_app_tasks_running(struct wf_app *a);
/* Wake the loop from another thread (it runs the tick hooks). */
void wf_app_wake(struct wf_app *a);

/* Key name for help texts ("Enter", "F1", "j"). */
const char *wf_key_name(int key, char *buf, size_t n);
/* Bindings of the app itself (help, back, quit), for the help screen. */
extern const struct wf_binding wf_app_keys[];

/* Monotonic seconds. */
double wf_now(void);

#endif
