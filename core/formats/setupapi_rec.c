/*
 * setupapi_rec.c - building the section records of the SetupAPI log
 * reader: opening and closing sections, devices, ids, services, drivers,
 * and the events (NULL driver, no compatible driver, problem codes, ...)
 * with their lines.  Shared by both formats; see setupapi_priv.h.
 */
#include "setupapi_priv.h"
#include "errcodes.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

/* ======================================================================
 * 2. records
 */
static void rec_reset(struct wf_sa_parser *p)
{
	struct wf_sa_record *r = p->rec;
	/* only the header fields need clearing; arrays are counted */
	r->title[0] = r->instance[0] = r->device[0] = r->start[0] = '\0';
	r->header[0] = r->exit_text[0] = r->driver[0] = '\0';
	r->first_line = r->last_line = r->exit_line = 0;
	r->exit = WF_SA_EXIT_NONE;
	r->exit_code = 0;
	r->reboot = 0;
	r->cut_start = 0;
	r->n_hwids = r->n_compat = r->n_services = r->n_ev = 0;
	r->ev_dropped = 0;
	r->null_driver = 0;
	p->cur_device[0] = '\0';
	p->list = 0;
	p->n_generic = p->n_sig = 0;
}

void wf_sa_open_section(struct wf_sa_parser *p, unsigned long lineno,
			const char *line, size_t len)
{
	if (p->open)
		wf_sa_close_section(p);
	rec_reset(p);
	p->open = 1;
	p->in_header = 0;
	p->rec->first_line = p->rec->last_line = lineno;
	wf_sa_clean_text(p->rec->header, sizeof p->rec->header, line, len);
	p->info.sections++;
}

void wf_sa_close_section(struct wf_sa_parser *p)
{
	struct wf_sa_record *r = p->rec;
	if (!p->open)
		return;
	p->open = 0;
	if (r->format == WF_SA_FMT_XP || r->format == WF_SA_FMT_W2K)
		r->format = p->xp_codes ? WF_SA_FMT_XP : WF_SA_FMT_W2K;
	if (!r->device[0]) {	/* the first device the body named */
		for (unsigned i = 0; i < r->n_ev && !r->device[0]; i++)
			if (r->ev[i].device[0])
				memcpy(r->device, r->ev[i].device, WF_SA_ID_MAX);
		if (!r->device[0] && p->cur_device[0])
			memcpy(r->device, p->cur_device, WF_SA_ID_MAX);
	}
	for (unsigned i = 0; i < r->n_ev; i++)
		if (!r->ev[i].device[0])
			memcpy(r->ev[i].device, r->device, WF_SA_ID_MAX);
	if (r->exit == WF_SA_EXIT_FAILURE)
		p->info.failed++;
	if (r->exit == WF_SA_EXIT_UNFINISHED)
		p->info.unfinished++;
	if (!p->stop && p->fn && p->fn(r, p->arg))
		p->stop = 1;
}

void wf_sa_set_device(struct wf_sa_parser *p, const char *s, size_t n)
{
	char id[WF_SA_ID_MAX];
	wf_sa_copy_id(id, s, n);
	if (!wf_sa_is_device_id(id))
		return;
	memcpy(p->cur_device, id, sizeof id);
	if (!p->rec->device[0])
		memcpy(p->rec->device, id, sizeof id);
}

struct wf_sa_event *wf_sa_add_event(struct wf_sa_parser *p,
				    enum wf_sa_event_kind kind,
				    unsigned long lineno, const char *line,
				    size_t len, uint32_t code, int error)
{
	struct wf_sa_record *r = p->rec;
	if (!p->open)
		return NULL;
	/* keep room for the events that decide a case */
	if ((kind == WF_SA_EV_ERROR && p->n_generic >= 12) ||
	    (kind == WF_SA_EV_SIGNATURE && p->n_sig >= 8) ||
	    r->n_ev >= WF_SA_EVENTS) {
		r->ev_dropped++;
		return NULL;
	}
	p->n_generic += kind == WF_SA_EV_ERROR;
	p->n_sig += kind == WF_SA_EV_SIGNATURE;
	struct wf_sa_event *ev = &r->ev[r->n_ev++];
	ev->kind = kind;
	ev->line = lineno;
	ev->code = code;
	ev->problem = ev->status = 0;
	ev->error = error;
	ev->cleared = 0;
	ev->msg_sev = p->msg_sev;
	ev->msg_id = p->msg_id;
	memcpy(ev->device, p->cur_device, WF_SA_ID_MAX);
	wf_sa_clean_text(ev->text, sizeof ev->text, line, len);
	if (kind == WF_SA_EV_NULL_DRIVER)
		r->null_driver = 1;
	return ev;
}

void wf_sa_add_id(struct wf_sa_parser *p, int which, const char *s, size_t n)
{
	struct wf_sa_record *r = p->rec;
	unsigned *cnt = which == 1 ? &r->n_hwids : &r->n_compat;
	char (*arr)[WF_SA_ID_MAX] = which == 1 ? r->hwids : r->compat;
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!n || *cnt >= WF_SA_IDS)
		return;
	wf_sa_clean_text(arr[*cnt], WF_SA_ID_MAX, s, n);
	(*cnt)++;
}

void wf_sa_add_service(struct wf_sa_parser *p, const char *s, size_t n)
{
	struct wf_sa_record *r = p->rec;
	char name[64];
	while (n && (*s == ' ' || *s == '\'' || *s == '"')) {
		s++;
		n--;
	}
	size_t k = 0;
	while (k < n && s[k] != '\'' && s[k] != '"' && s[k] != '}' && s[k] != ' ')
		k++;
	if (!k)
		return;
	wf_sa_clean_text(name, sizeof name, s, k);
	for (unsigned i = 0; i < r->n_services; i++)
		if (strcasecmp(r->services[i], name) == 0)
			return;
	if (r->n_services < WF_SA_SERVICES)
		memcpy(r->services[r->n_services++], name, sizeof name);
}

void wf_sa_set_driver(struct wf_sa_parser *p, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '[' || *s == '"' || *s == '(')) {
		s++;
		n--;
	}
	size_t k = 0;
	while (k < n && s[k] != ']' && s[k] != '"' && s[k] != ')' && s[k] != '}')
		k++;
	if (k)
		wf_sa_clean_text(p->rec->driver, WF_SA_ID_MAX, s, k);
}

int wf_sa_kind_of_code(uint32_t code, unsigned flags)
{
	if (code == 0xE0000228u || code == 0x800F0228u)
		return WF_SA_EV_NO_COMPAT;
	if (flags & WF_CODE_INTERRUPT)
		return WF_SA_EV_INTERRUPT;
	if (flags & WF_CODE_STORE)
		return WF_SA_EV_STORE_FAIL;
	if (flags & WF_CODE_SIGNATURE)
		return WF_SA_EV_SIGNATURE;
	return -1;
}

/* "Failed to install catalog", "Failed to import driver package into
 * Driver Store", "Driver package import failed for device". */
static int is_store_text(const char *m, size_t n)
{
	if (!SA_FIND(m, n, "ail"))	/* Fail, fail, failed */
		return 0;
	return wf_sa_ci_find(m, n, "install catalog") ||
	       wf_sa_ci_find(m, n, "import") ||
	       wf_sa_ci_find(m, n, "driver store");
}

void wf_sa_error_line(struct wf_sa_parser *p, unsigned long lineno,
		      const char *line, size_t len, const char *msg,
		      size_t mlen, int error)
{
	uint32_t code = 0;
	int has = wf_sa_line_code(msg, mlen, &code);
	unsigned flags = has ? wf_code_flags(code) : 0;
	int added = 0;

	if (has && wf_code_role(code) == WF_CODE_NOISE)
		return;	/* a normal return (table role) */
	int k = has ? wf_sa_kind_of_code(code, flags) : -1;
	if (k == WF_SA_EV_NO_COMPAT && wf_sa_ci_find(msg, mlen, "null driver"))
		k = -1;	/* XP "#W..." lines that also say NULL driver */
	if (k >= 0) {
		wf_sa_add_event(p, (enum wf_sa_event_kind)k, lineno, line, len, code, error);
		added = 1;
	}
	if (k != WF_SA_EV_STORE_FAIL && k != WF_SA_EV_SIGNATURE &&
	    is_store_text(msg, mlen)) {
		wf_sa_add_event(p, WF_SA_EV_STORE_FAIL, lineno, line, len, code, error);
		added = 1;
	}
	if (!added && (error || has))
		wf_sa_add_event(p, WF_SA_EV_ERROR, lineno, line, len, code, error);
	else if (!added && p->n_generic < 4)	/* a few warnings as context */
		wf_sa_add_event(p, WF_SA_EV_ERROR, lineno, line, len, 0, 0);
}

int wf_sa_problem_line(struct wf_sa_parser *p, unsigned long lineno,
		       const char *line, size_t len, const char *msg,
		       size_t mlen)
{
	uint32_t prob = 0, status = 0;
	/* "has problem: 0x1f ..., problem status: 0xc00000bb."; the space
	 * after a colon may be gone (a hard wrap cut on it, a mail archive
	 * took it) */
	const char *hp = wf_sa_ci_find(msg, mlen, "has problem:");
	if (hp) {
		if (!wf_sa_hex_after(hp, (size_t)(msg + mlen - hp), NULL, &prob))
			return 0;
		wf_sa_hex_after(msg, mlen, "problem status:", &status);
	} else if (SA_STARTS(msg, mlen, "Device Status:")) {
		const char *br = memchr(msg, '[', mlen);
		if (!br) {	/* no problem now: earlier ones are cleared */
			struct wf_sa_record *r = p->rec;
			for (unsigned i = 0; i < r->n_ev; i++)
				if (r->ev[i].kind == WF_SA_EV_PROBLEM &&
				    strcasecmp(r->ev[i].device, p->cur_device) == 0)
					r->ev[i].cleared = 1;
			return 1;
		}
		size_t rest = (size_t)(msg + mlen - br);
		if (!wf_sa_hex_after(br, rest, NULL, &prob))
			return 0;
		/* "[0x1c - 0xc0000490]"; "[0x1c -0xc0000490]" when a hard
		 * wrap cut on the second space and an archive took it */
		wf_sa_hex_after(br, rest, "-", &status);
	} else {
		return 0;
	}
	if (!prob)
		return 1;
	struct wf_sa_event *ev = wf_sa_add_event(p, WF_SA_EV_PROBLEM, lineno,
						 line, len, status, 1);
	if (ev) {
		ev->problem = prob;
		ev->status = status;
	}
	return 1;
}


/* "Installing NULL driver", "Install Null Driver: ...", "Installed NULL
 * driver": a NULL driver install.  "Add Service: NULL Controlling service"
 * (a device run without a function driver, by design) is not. */
int wf_sa_null_driver_text(const char *m, size_t n)
{
	/* cheap test first: "NULL " or "Null " (logs write no other case) */
	if (!SA_FIND(m, n, "ULL ") && !SA_FIND(m, n, "ull "))
		return 0;
	return wf_sa_ci_find(m, n, "installing null driver") ||
	       wf_sa_ci_find(m, n, "install null driver") ||
	       wf_sa_ci_find(m, n, "installed null driver");
}
