/*
 * setupapi_xp.c - the XP / Server 2003 setupapi.log format and its
 * Windows 2000 ancestor (see setupapi.h).
 *
 *   [SetupAPI Log]                          file header (XP), then
 *   OS Version = 5.2.3790 Service Pack 1    header lines
 *   [2020/03/01 19:00:29 264.1067 Driver Install]     section: date time pid.seq title
 *   #-019 Searching for hardware ID(s): pci\ven_80ee&dev_cafe,...
 *   #W059 Selecting best compatible driver failed. Error 0xe0000228: ...
 *   #I125 Installing NULL driver for "PCI\VEN_80EE&...\3&267A616A&0&20".
 *   #E122 Device install failed. Error 0xe0000219: ...
 *   #I121 Device install of "..." finished successfully.
 *
 * "#" + severity ('-' context, 'I' info, 'W' warning, 'E' error) + a
 * three-digit message number.  Windows 2000 writes the same sections with
 * the bare messages ("Installing NULL driver for X.", "Device install
 * finished with error Error 0x...", "Device install finished successfully
 * (X).").  A section has no footer: its verdict is the last "finished"
 * line.
 */
#include "setupapi_priv.h"
#include "setupapi_xpmsg.h"

#include <ctype.h>
#include <string.h>

int wf_sa_xp_is_header(const char *s, size_t n)
{
	/* [yyyy/mm/dd hh:mm:ss ...] */
	static const char pat[] = "[dddd/dd/dd dd:dd:dd";
	if (n < sizeof pat || s[n - 1] != ']')
		return 0;
	for (size_t i = 0; i + 1 < sizeof pat; i++) {
		if (pat[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != pat[i])
			return 0;
	}
	return 1;
}

static void xp_header(struct wf_sa_parser *p, const char *s, size_t n)
{
	struct wf_sa_record *r = p->rec;
	wf_sa_clean_text(r->start, sizeof r->start, s + 1, 19);
	/* after the time: "pid.seq[ title]" */
	const char *t = s + 20, *end = s + n - 1;
	while (t < end && *t == ' ')
		t++;
	while (t < end && *t != ' ')
		t++;
	while (t < end && *t == ' ')
		t++;
	if (t < end)
		wf_sa_clean_text(r->title, sizeof r->title, t, (size_t)(end - t));
}

/* Comma-separated ids after "ID(s): ". */
static void xp_ids(struct wf_sa_parser *p, int which, const char *m, size_t n)
{
	const char *c = memchr(m, ':', n);
	if (!c)
		return;
	const char *s = c + 1, *end = m + n;
	while (s < end) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		const char *e = comma ? comma : end;
		wf_sa_add_id(p, which, s, (size_t)(e - s));
		s = e + 1;
	}
}

/* Id after a marker such as "NULL driver for ". */
static int device_after(struct wf_sa_parser *p, const char *m, size_t n,
			const char *marker)
{
	const char *f = wf_sa_ci_find(m, n, marker);
	if (!f)
		return 0;
	f += strlen(marker);
	wf_sa_set_device(p, f, (size_t)(m + n - f));
	return 1;
}

/* Length of the quote mark at s: '"', or a curly one (U+201C, U+201D) in
 * text that reached the parser without the normaliser's cleaning; 0 when
 * none. */
static size_t quote_at(const char *s, size_t n)
{
	if (n && s[0] == '"')
		return 1;
	if (n >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0x9C || (unsigned char)s[2] == 0x9D))
		return 3;
	return 0;
}

static int file_name(const char *s, size_t n)
{
	static const char *const ext[] = { ".sys", ".inf", ".cat", ".dll", ".exe" };
	for (size_t i = 0; i < sizeof ext / sizeof *ext; i++)
		if (n > 4 && wf_sa_ci_find(s + n - 4, 4, ext[i]))
			return 1;
	return 0;
}

/* The first quoted device id on the line, as the device of what follows
 * (an XP "#E358 ... file "F" for driver "D" ..." of a paste that starts
 * at that line names no device before it; when one of its quoted strings
 * is an id, that is the device).  Paths and file names are not ids. */
static void quoted_device(struct wf_sa_parser *p, const char *m, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t q = quote_at(m + i, n - i);
		if (!q) {
			i++;
			continue;
		}
		size_t a = i + q, b = a, e = 0;
		while (b < n && !(e = quote_at(m + b, n - b)))
			b++;
		if (!e)
			return;
		char id[WF_SA_ID_MAX];
		wf_sa_copy_id(id, m + a, b - a);
		if (wf_sa_is_device_id(id) && !file_name(m + a, b - a)) {
			wf_sa_set_device(p, m + a, b - a);
			return;
		}
		i = b + e;
	}
}

static void verdict(struct wf_sa_parser *p, unsigned long lineno,
		    const char *line, size_t len, enum wf_sa_exit ex,
		    uint32_t code)
{
	struct wf_sa_record *r = p->rec;
	r->exit = ex;
	r->exit_code = code;
	r->exit_line = lineno;
	wf_sa_clean_text(r->exit_text, sizeof r->exit_text, line, len);
}

/* A "#W" / "#E" line the text rules did not take: the message table says
 * whether it bears on the install.  Rows that are context, a step that
 * went well or noise seen in healthy installs make no event; causes and
 * ids not in the table are classified by their error code and words. */
static void xp_coded(struct wf_sa_parser *p, unsigned long lineno,
		     const char *line, size_t len, const char *m, size_t n,
		     char sev, unsigned id)
{
	const struct wf_xp_msg *row = wf_xp_msg_lookup(sev, id);
	if (row && row->role != WF_XP_ROLE_CAUSE)
		return;
	uint32_t code;
	if (sev == 'E')
		wf_sa_error_line(p, lineno, line, len, m, n, 1);
	else if (row || wf_sa_line_code(m, n, &code))
		wf_sa_error_line(p, lineno, line, len, m, n, 0);
	else if (wf_sa_ci_find(m, n, "unsigned or incorrectly signed"))
		wf_sa_add_event(p, WF_SA_EV_SIGNATURE, lineno, line, len, 0, 0);
}

static void xp_body(struct wf_sa_parser *p, unsigned long lineno,
		    const char *line, size_t len);

void wf_sa_xp_line(struct wf_sa_parser *p, unsigned long lineno,
		   const char *line, size_t len)
{
	xp_body(p, lineno, line, len);
	p->msg_sev = 0;
	p->msg_id = 0;
}

static void xp_body(struct wf_sa_parser *p, unsigned long lineno,
		    const char *line, size_t len)
{
	const char *m = line;
	size_t n = len;
	char sev = 0;

	if (*m == '[') {
		if (wf_sa_xp_is_header(m, n))
			xp_header(p, m, n);
		return;
	}
	if (n >= 5 && m[0] == '#' && m[1] && strchr("-IWEVT", m[1]) &&
	    isdigit((unsigned char)m[2]) && isdigit((unsigned char)m[3]) &&
	    isdigit((unsigned char)m[4])) {
		sev = m[1];
		p->xp_codes = 1;
		p->msg_sev = sev;
		p->msg_id = (unsigned)((m[2] - '0') * 100 + (m[3] - '0') * 10 + (m[4] - '0'));
		m += 5;
		n -= 5;
		while (n && *m == ' ') {
			m++;
			n--;
		}
	}
	if (!n)
		return;

	switch (*m) {
	case 'S':
		if (SA_STARTS(m, n, "Searching for hardware ID")) {
			xp_ids(p, 1, m, n);
			return;
		}
		if (SA_STARTS(m, n, "Searching for compatible ID")) {
			xp_ids(p, 2, m, n);
			return;
		}
		if (SA_STARTS(m, n, "Selected driver installs from section")) {
			const char *in = wf_sa_ci_find(m, n, " in ");
			if (in)
				wf_sa_set_driver(p, in + 4, (size_t)(m + n - in - 4));
			return;
		}
		break;
	case 'I':
		if (wf_sa_null_driver_text(m, n < 40 ? n : 40)) {
			device_after(p, m, n, "driver for ");
			wf_sa_add_event(p, WF_SA_EV_NULL_DRIVER, lineno, line, len, 0, 0);
			return;
		}
		break;
	case 'D':
		if (SA_STARTS(m, n, "Doing full install of ") ||
		    SA_STARTS(m, n, "Doing copy-only install of ")) {
			device_after(p, m, n, "install of ");
			return;
		}
		if (SA_STARTS(m, n, "Device install of ") &&
		    wf_sa_ci_find(m, n, "finished successfully")) {
			device_after(p, m, n, "install of ");	/* XP #I121 */
			verdict(p, lineno, line, len, WF_SA_EXIT_SUCCESS, 0);
			return;
		}
		if (SA_STARTS(m, n, "Device install finished successfully")) {
			device_after(p, m, n, "successfully (");	/* 2000 */
			verdict(p, lineno, line, len, WF_SA_EXIT_SUCCESS, 0);
			return;
		}
		if (SA_STARTS(m, n, "Device install failed") ||
		    SA_STARTS(m, n, "Device install finished with error")) {
			uint32_t code = 0;
			wf_sa_line_code(m, n, &code);
			verdict(p, lineno, line, len, WF_SA_EXIT_FAILURE, code);
			wf_sa_error_line(p, lineno, line, len, m, n, 1);
			return;
		}
		if (wf_sa_ci_find(m, n, "has problem:")) {
			wf_sa_problem_line(p, lineno, line, len, m, n);
			return;
		}
		break;
	case 'M':	/* 2000: "Munged cmdline: rundll32.exe newdev.dll,DevInstall X" */
		if (SA_STARTS(m, n, "Munged cmdline:"))
			device_after(p, m, n, "DevInstall ");
		return;
	default:
		break;
	}

	if (sev == 'E' && p->msg_id == 358)
		quoted_device(p, m, n);
	if (sev == 'E' || sev == 'W') {
		xp_coded(p, lineno, line, len, m, n, sev, p->msg_id);
		return;
	}
	if (sev != 0)
		return;		/* XP info and context lines */
	uint32_t code;
	if (SA_FIND(m, n, "rror") && wf_sa_line_code(m, n, &code))
		wf_sa_error_line(p, lineno, line, len, m, n, 1);	/* 2000 */
	else if (SA_FIND(m, n, "signed") &&
		 wf_sa_ci_find(m, n, "unsigned or incorrectly signed"))
		wf_sa_add_event(p, WF_SA_EV_SIGNATURE, lineno, line, len, 0, 0);
}
