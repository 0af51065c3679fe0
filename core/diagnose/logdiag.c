/*
 * logdiag.c - rules turning SetupAPI log records into findings (logdiag.h).
 */
#include "logdiag.h"
#include "controllers.h"
#include "setupapi_priv.h"
#include "errcodes.h"
#include "setupapi_xpmsg.h"
#include "error.h"
#include "finding.h"
#include "strbuf.h"

#include <ctype.h>
#include <stdio.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ----------------------------------------------------------------------
 * What each finding says.  %s in title / next_check is the device.
 */
struct rule_text {
	const char *id;
	const char *explanation;
	const char *next_check;
};

static const struct rule_text rule_texts[] = {
	{ WF_FID(NULL_DRIVER_INSTALLED),
	  "Windows found no usable driver for this device and installed the "
	  "NULL driver: the device exists in the device tree but has no "
	  "function driver.  For a boot disk controller this means the next "
	  "boot cannot reach the system disk (Stop 0x7B INACCESSIBLE_BOOT_DEVICE); "
	  "for other devices it shows as an unknown device (Code 28).  On "
	  "Windows 10 / Server 2016 and later this also happens when a driver "
	  "was staged offline without a complete DriverDatabase entry, so "
	  "Kernel-PnP finds no package for the device.",
	  "HKLM\\SYSTEM\\CurrentControlSet\\Enum\\%s: Service and Driver values "
	  "(absent with a NULL driver) and ConfigFlags (0x40 = failed install); "
	  "on Windows 10+ HKLM\\SYSTEM\\DriverDatabase\\DeviceIds\\<hardware id> and "
	  "DriverDatabase\\DriverPackages\\<package>\\Version." },
	{ WF_FID(NO_COMPATIBLE_DRIVER),
	  "No driver package in the driver store or in the INF directory matches "
	  "the hardware or compatible IDs of this device for this Windows "
	  "version and architecture (ERROR_NO_COMPAT_DRIVERS 0xe0000228, or "
	  "problem status STATUS_PNP_NO_COMPAT_DRIVERS 0xc0000490, Device "
	  "Manager Code 28).  Usually the right driver was never added, or the "
	  "one added targets another OS version or architecture.",
	  "HKLM\\SYSTEM\\CurrentControlSet\\Enum\\%s: HardwareID and "
	  "CompatibleIDs; on Windows 8+ HKLM\\SYSTEM\\DriverDatabase\\DeviceIds "
	  "for those IDs; the INF's [Models] section decorations (NTamd64, NTx86, "
	  "TargetOSVersion)." },
	{ WF_FID(DRIVER_INSTALL_INTERRUPTED),
	  "A driver install did not run to its end: the user-mode PnP service "
	  "stopped under it (ERROR_SERVICE_NOT_ACTIVE 0x426, 'The service has "
	  "not been started'), or the machine rebooted or the log ends inside "
	  "the install section.  Windows then leaves the device with a NULL "
	  "driver or half-configured; if it is the boot disk controller the "
	  "next boot can fail with Stop 0x7B.  First boots after a migration, "
	  "with many new devices to install, are where this happens.",
	  "HKLM\\SYSTEM\\CurrentControlSet\\Enum\\%s: Service, Driver and "
	  "ConfigFlags; the Services key of the driver (Start, ImagePath); on "
	  "Windows 10+ DriverDatabase\\DriverPackages\\<package> (Version value)." },
	{ WF_FID(DRIVER_STORE_IMPORT_FAILED),
	  "Importing the driver package into the driver store failed (the "
	  "catalog could not be installed, or the package could not be staged), "
	  "so the package cannot be used for this or other devices.  The error "
	  "code on the lines says why: a stopped service (0x426) during shutdown, "
	  "a signature or catalog problem, or a damaged package.",
	  "C:\\Windows\\System32\\DriverStore\\FileRepository\\<package>; "
	  "HKLM\\SYSTEM\\DriverDatabase\\DriverPackages\\<package> (device: %s)." },
	{ WF_FID(SIGNATURE_PROBLEM),
	  "Signature verification of a driver package or one of its files "
	  "reported a problem (untrusted publisher, untrusted root, missing "
	  "catalog or hash).  When the install still succeeded this is only "
	  "information; when it failed, the driver was refused for its "
	  "signature, and a 64-bit Windows will not load an unsigned "
	  "kernel driver (Code 52).",
	  "The package's .cat file next to its INF; HKLM\\SOFTWARE\\Microsoft\\"
	  "Driver Signing (XP policy); boot options TESTSIGNING / "
	  "nointegritychecks in the BCD (device: %s)." },
	{ WF_FID(DEVICE_PROBLEM_CODE),
	  "The device was left with a Plug and Play problem code, which "
	  "Device Manager shows as 'Code N'.",
	  "HKLM\\SYSTEM\\CurrentControlSet\\Enum\\%s: Service, Driver, "
	  "ConfigFlags, UpperFilters/LowerFilters; the Services\\<service> key "
	  "(Start, ImagePath) and that the .sys file exists for this "
	  "architecture." },
	{ WF_FID(DEVICE_NOT_ENUMERATED),
	  "The device never enumerated: it did not return a valid USB device "
	  "descriptor (Windows names it USB\\DEVICE_DESCRIPTOR_FAILURE or gives "
	  "it vendor and product id 0000), so Windows does not know what it "
	  "is and no driver can match it.  Adding or updating a driver will "
	  "not help; the device, its cable or port, or (in a VM) the USB "
	  "passthrough or redirection of the device is what failed.",
	  "The device and its connection; in a VM the USB controller model "
	  "and the passthrough of %s." },
	{ WF_FID(INSTALL_ERROR_LOGGED),
	  "An XP / Server 2003 setupapi.log message that stands for a failed "
	  "install step was logged (its id, e.g. #E154, is named in the title "
	  "with what it means), and the install's verdict is not in the text "
	  "(an excerpt).  A section whose verdict is \"Device install failed\" "
	  "is reported as device-install-failed with this meaning; one that "
	  "\"finished successfully\" makes no finding: the install went on.",
	  "The whole section of setupapi.log around the line (the device and "
	  "INF it names), then HKLM\\SYSTEM\\CurrentControlSet\\Enum\\%s: "
	  "Service, Driver and ConfigFlags." },
	{ WF_FID(DEVICE_INSTALL_FAILED),
	  "A device or driver install section ended in FAILURE for a reason "
	  "the other rules do not explain; the error code and the error lines "
	  "of the section are the evidence.",
	  "HKLM\\SYSTEM\\CurrentControlSet\\Enum\\%s (if it is a device): "
	  "Service, Driver, ConfigFlags; the INF named in the section." },
};

static const struct rule_text *rule_text(const char *id)
{
	for (size_t i = 0; i < sizeof rule_texts / sizeof *rule_texts; i++)
		if (strcmp(rule_texts[i].id, id) == 0)
			return &rule_texts[i];
	return NULL;
}

/* ----------------------------------------------------------------------
 * Devices whose failure stops the boot: mass-storage controllers (PCI
 * class 01, seen as "cc_01xx" in the IDs Windows searches), any storage
 * kind of the controller catalogue (core/controllers.c: virtio-blk and
 * virtio-scsi among them), and their virtio service names.
 */
static int has_hint(const char *s)
{
	if (wf_sa_ci_find(s, strlen(s), "cc_01"))
		return 1;
	const struct wf_ctrl_kind *k = wf_ctrl_kind_by_pci(s);
	if (k && k->cls == WF_CTRL_STORAGE)
		return 1;
	for (size_t i = 0; i < wf_ctrl_n_kinds; i++)
		if (wf_ctrl_kinds[i].cls == WF_CTRL_STORAGE && !wf_ctrl_kinds[i].drivers[0].inbox &&
		    wf_sa_ci_find(s, strlen(s), wf_ctrl_kinds[i].drivers[0].service))
			return 1;
	return 0;
}

static int boot_storage(const struct wf_sa_record *r, const char *dev)
{
	if (dev && has_hint(dev))
		return 1;
	if (dev && r->device[0] && strcasecmp(dev, r->device) != 0)
		return 0;	/* another device than the section's */
	for (unsigned i = 0; i < r->n_hwids; i++)
		if (has_hint(r->hwids[i]))
			return 1;
	for (unsigned i = 0; i < r->n_compat; i++)
		if (has_hint(r->compat[i]))
			return 1;
	return has_hint(r->driver) || has_hint(r->instance);
}

/* ROOT\LEGACY_* are the non-PnP drivers: they always get the NULL driver. */
static int legacy_device(const char *dev)
{
	return dev && strncasecmp(dev, "ROOT\\LEGACY_", 12) == 0;
}

static enum wf_severity device_sev(const struct wf_sa_record *r,
				   const char *dev, enum wf_severity base)
{
	if (legacy_device(dev))
		return WF_SEV_INFO;
	if (boot_storage(r, dev && *dev ? dev : NULL))
		return WF_SEV_ERROR;
	return base;
}

/* An XP "#E" line whose row in the message table is a cause ("#E358 ...
 * will not be installed"), whatever event its error code made. */
static int xp_cause(const struct wf_sa_event *ev)
{
	const struct wf_xp_msg *row = ev->msg_sev == 'E' ?
		wf_xp_msg_lookup('E', ev->msg_id) : NULL;
	return row && row->role == WF_XP_ROLE_CAUSE;
}

/* The install of this record failed: a FAILURE exit, or (in an excerpt
 * that does not show the exit) a failed driver store import or an XP
 * error message that the message table calls a cause. */
static int record_failed(const struct wf_sa_record *r)
{
	if (r->exit == WF_SA_EXIT_FAILURE)
		return 1;
	if (r->exit == WF_SA_EXIT_SUCCESS)
		return 0;
	for (unsigned i = 0; i < r->n_ev; i++)
		if (r->ev[i].kind == WF_SA_EV_STORE_FAIL || xp_cause(&r->ev[i]))
			return 1;
	return 0;
}

/* "USB\DEVICE_DESCRIPTOR_FAILURE", "USB\VID_0000&PID_0000": the device
 * never told Windows what it is, so no driver can match it. */
static int never_enumerated(const char *dev)
{
	if (!dev || !*dev)
		return 0;
	size_t n = strlen(dev);
	return wf_sa_ci_find(dev, n, "DEVICE_DESCRIPTOR_FAILURE") ||
	       wf_sa_ci_find(dev, n, "VID_0000&PID_0000");
}

/* ----------------------------------------------------------------------
 * The accumulator: findings deduplicated through a small hash table.
 */
#define NBUCKETS 1024

struct slot {
	struct slot *next;
	char *key;		/* id "\x1f" lower-case device */
	size_t idx;		/* in out->v */
	unsigned long count;	/* occurrences */
	unsigned long last_rec;	/* record serial of the last occurrence */
};

struct wf_logdiag {
	struct wf_findings *out;
	struct slot *buckets[NBUCKETS];
	struct slot **slots;	/* by finding index */
	size_t n_slots;
	struct wf_logsummary sum;
	struct wf_sa_info last;
	const char *source;	/* display name of the log being read */
	unsigned long rec_serial;
	int finished;
};

struct wf_logdiag *wf_logdiag_new(struct wf_findings *out)
{
	struct wf_logdiag *d = wf_xcalloc(1, sizeof *d);
	d->out = out;
	return d;
}

void wf_logdiag_free(struct wf_logdiag *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < NBUCKETS; i++) {
		struct slot *s = d->buckets[i], *n;
		for (; s; s = n) {
			n = s->next;
			free(s->key);
			free(s);
		}
	}
	free(d->slots);
	free(d);
}

static unsigned hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static const char *dev_label(const char *dev)
{
	return dev && *dev ? dev : "(device not named in the log)";
}

/* The finding for (id, device), created on first use; NULL when the cap
 * is reached.  *created tells the caller to fill the texts. */
static struct slot *get_slot(struct wf_logdiag *d, const char *id,
			     const char *dev, int *created)
{
	struct wf_strbuf key = WF_STRBUF_INIT;
	wf_sb_adds(&key, id);
	wf_sb_addc(&key, '\x1f');
	for (const char *p = dev ? dev : ""; *p; p++)
		wf_sb_addc(&key, (char)tolower((unsigned char)*p));
	unsigned b = hash(key.buf) % NBUCKETS;
	*created = 0;
	for (struct slot *s = d->buckets[b]; s; s = s->next)
		if (strcmp(s->key, key.buf) == 0) {
			wf_sb_release(&key);
			return s;
		}
	if (d->out->n >= WF_LOGDIAG_MAX_FINDINGS) {
		d->sum.findings_dropped++;
		wf_sb_release(&key);
		return NULL;
	}
	struct slot *s = wf_xcalloc(1, sizeof *s);
	s->key = wf_sb_detach(&key);
	s->idx = d->out->n;
	s->next = d->buckets[b];
	d->buckets[b] = s;
	wf_findings_add(d->out, id, WF_SEV_INFO, dev && *dev ? dev : NULL);
	d->slots = wf_xrealloc(d->slots, (d->n_slots + 1) * sizeof *d->slots);
	d->slots[d->n_slots++] = s;
	*created = 1;
	const struct rule_text *t = rule_text(id);
	struct wf_finding *f = &d->out->v[s->idx];
	if (t) {
		wf_finding_set(&f->explanation, "%s", t->explanation);
		/* next_check holds one "%s" for the device */
		struct wf_strbuf nc = WF_STRBUF_INIT;
		const char *pct = strstr(t->next_check, "%s");
		if (pct) {
			wf_sb_add(&nc, t->next_check, (size_t)(pct - t->next_check));
			wf_sb_adds(&nc, dev && *dev ? dev : "<device>");
			wf_sb_adds(&nc, pct + 2);
		} else {
			wf_sb_adds(&nc, t->next_check);
		}
		free(f->next_check);
		f->next_check = wf_sb_detach(&nc);
	}
	return s;
}

/* Add one log line as evidence, merging with the previous item when the
 * line follows it. */
static void add_line(struct wf_logdiag *d, struct wf_finding *f,
		     unsigned long line, const char *text)
{
	if (f->n_evidence) {
		struct wf_evidence *ev = &f->evidence[f->n_evidence - 1];
		if (ev->first && strcmp(ev->source, d->source) == 0) {
			if (line >= ev->first && line <= ev->last)
				return;	/* already there */
			if (line == ev->last + 1 && ev->last - ev->first < 12) {
				size_t a = strlen(ev->text), b = strlen(text);
				ev->text = wf_xrealloc(ev->text, a + b + 2);
				ev->text[a] = '\n';
				memcpy(ev->text + a + 1, text, b + 1);
				ev->last = line;
				return;
			}
		}
	}
	if (f->n_evidence >= WF_LOGDIAG_MAX_EVIDENCE)
		return;
	wf_finding_add_evidence(f, d->source, NULL, line, line, text);
}

/* One occurrence of a finding in a record. */
static struct wf_finding *hit(struct wf_logdiag *d, const struct wf_sa_record *r,
			      const char *id, const char *dev,
			      enum wf_severity sev, int *created)
{
	struct slot *s = get_slot(d, id, dev, created);
	if (!s)
		return NULL;
	if (s->last_rec != d->rec_serial || s->count == 0) {
		s->count++;
		s->last_rec = d->rec_serial;
	}
	struct wf_finding *f = &d->out->v[s->idx];
	if (*created || sev > f->severity) {
		f->severity = sev;
		*created = 1;	/* (re)write the texts for the worse case */
	}
	return f;
}

static const char *code_text(uint32_t code)
{
	const struct wf_code *c = wf_code_lookup(code);
	return c ? c->meaning : "unknown code";
}

/* "#E154" for an event of an XP message line. */
static void msg_label(char *out, size_t n, const struct wf_sa_event *ev)
{
	snprintf(out, n, "#%c%03u", ev->msg_sev, ev->msg_id % 1000);
}

/* An XP message the message table calls a cause (or an "#E" id it does
 * not know), outside a section whose verdict is FAILURE: a finding of
 * its own.  Noise and context rows never get here (the parser makes no
 * event for them). */
static int xp_msg_rule(struct wf_logdiag *d, const struct wf_sa_record *r,
		       const struct wf_sa_event *ev, const char *dev, int success)
{
	const struct wf_xp_msg *row = wf_xp_msg_lookup(ev->msg_sev, ev->msg_id);
	if (!row && ev->msg_sev != 'E')
		return 0;	/* an unknown warning: no finding */
	if (success && r->exit == WF_SA_EXIT_SUCCESS)
		return 0;	/* the install went on: not its cause */
	enum wf_severity sev = !row ? WF_SEV_WARNING :
		ev->msg_sev == 'E' ? WF_SEV_ERROR : WF_SEV_WARNING;
	int created;
	struct wf_finding *f = hit(d, r, WF_FID(INSTALL_ERROR_LOGGED), dev, sev, &created);
	if (!f)
		return 0;
	if (created) {
		char id[8], code[64] = "";
		msg_label(id, sizeof id, ev);
		if (ev->code)
			snprintf(code, sizeof code, " (0x%08x %s)", (unsigned)ev->code,
				 wf_code_name(ev->code));
		int unsourced = !row || strncmp(row->meaning, "[U]", 3) == 0;
		wf_finding_set(&f->title, "%s for %s: %s%s", id, dev_label(dev),
			       !row ? "message id not in our table" :
			       unsourced ? "meaning not sourced [U]" : row->meaning, code);
		struct wf_strbuf sb = WF_STRBUF_INIT;
		wf_sb_adds(&sb, rule_text(WF_FID(INSTALL_ERROR_LOGGED))->explanation);
		if (row)
			wf_sb_addf(&sb, " %s: %s (source: %s).", id, row->meaning, row->source);
		else
			wf_sb_addf(&sb, " %s is not in our message table, so its "
				   "meaning is not known; the words of the line are "
				   "the evidence.", id);
		if (ev->code)
			wf_sb_addf(&sb, " 0x%08x: %s.", (unsigned)ev->code, code_text(ev->code));
		free(f->explanation);
		f->explanation = wf_sb_detach(&sb);
	}
	add_line(d, f, ev->line, ev->text);
	return 1;
}

/* ----------------------------------------------------------------------
 * Rules per event and per record.
 */
static int event_rule(struct wf_logdiag *d, const struct wf_sa_record *r,
		      const struct wf_sa_event *ev)
{
	const char *dev = ev->device[0] ? ev->device :
			  r->instance[0] ? r->instance : NULL;
	const char *label = dev_label(dev);
	int success = !record_failed(r);
	struct wf_finding *f;
	int created, explained = 0;

	if (never_enumerated(dev) && ev->kind != WF_SA_EV_SIGNATURE &&
	    ev->kind != WF_SA_EV_STORE_FAIL) {
		f = hit(d, r, WF_FID(DEVICE_NOT_ENUMERATED), dev, WF_SEV_WARNING, &created);
		if (f && created)
			wf_finding_set(&f->title, "%s never enumerated: no driver will help", label);
		if (f)
			add_line(d, f, ev->line, ev->text);
		return 1;
	}
	switch (ev->kind) {
	case WF_SA_EV_NULL_DRIVER:
		f = hit(d, r, WF_FID(NULL_DRIVER_INSTALLED), dev,
			device_sev(r, dev, WF_SEV_WARNING), &created);
		if (f && created)
			wf_finding_set(&f->title, "NULL driver installed for %s", label);
		explained = !legacy_device(dev);
		break;
	case WF_SA_EV_NO_COMPAT:
		f = hit(d, r, WF_FID(NO_COMPATIBLE_DRIVER), dev,
			device_sev(r, dev, WF_SEV_WARNING), &created);
		if (f && created)
			wf_finding_set(&f->title, "No compatible driver for %s", label);
		explained = !legacy_device(dev);
		break;
	case WF_SA_EV_PROBLEM: {
		const struct wf_code *pc = wf_cmprob_lookup(ev->problem);
		enum wf_severity sev = ev->cleared ? WF_SEV_INFO :
			(pc && (pc->flags & WF_CODE_LOAD)) ? WF_SEV_ERROR :
			device_sev(r, dev, WF_SEV_WARNING);
		f = hit(d, r, WF_FID(DEVICE_PROBLEM_CODE), dev, sev, &created);
		if (f && created) {
			wf_finding_set(&f->title, "%s has Device Manager Code %u (%s)%s",
				       label, (unsigned)ev->problem,
				       pc ? pc->name : "unknown problem",
				       ev->cleared ? ", cleared later in the same install" : "");
			struct wf_strbuf sb = WF_STRBUF_INIT;
			wf_sb_adds(&sb, rule_text(WF_FID(DEVICE_PROBLEM_CODE))->explanation);
			wf_sb_addf(&sb, " Code %u: %s.", (unsigned)ev->problem,
				   pc ? pc->meaning : "not in our table");
			if (ev->status)
				wf_sb_addf(&sb, " Problem status 0x%08x %s: %s.",
					   (unsigned)ev->status, wf_code_name(ev->status),
					   code_text(ev->status));
			if (ev->cleared)
				wf_sb_adds(&sb, " A later status line of the same install "
					   "shows no problem, so this was the state "
					   "before the driver was installed.");
			free(f->explanation);
			f->explanation = wf_sb_detach(&sb);
		}
		explained = !ev->cleared;
		if (f)	/* before another hit(): it may move the findings */
			add_line(d, f, ev->line, ev->text);
		f = NULL;
		if (!ev->cleared && (wf_code_flags(ev->status) & WF_CODE_NO_DRIVER)) {
			struct wf_finding *g = hit(d, r, WF_FID(NO_COMPATIBLE_DRIVER), dev,
						   device_sev(r, dev, WF_SEV_WARNING), &created);
			if (g && created)
				wf_finding_set(&g->title, "No compatible driver for %s", label);
			if (g)
				add_line(d, g, ev->line, ev->text);
		}
		break;
	}
	case WF_SA_EV_SIGNATURE: {
		/* the table's role decides: a trust verdict (context) is the
		 * cause only when the install fails; a cause row stays worth
		 * a warning even when the install went on */
		int cause = wf_code_role(ev->code) == WF_CODE_CAUSE;
		f = hit(d, r, WF_FID(SIGNATURE_PROBLEM), dev,
			!success ? WF_SEV_ERROR : cause ? WF_SEV_WARNING : WF_SEV_INFO,
			&created);
		if (f && created)
			wf_finding_set(&f->title, "Signature problem%s%s%s for %s%s",
				       ev->code ? " (" : "",
				       ev->code ? wf_code_name(ev->code) : "",
				       ev->code ? ")" : "", label,
				       !success ? " (the install failed: this is its cause)" :
				       cause ? " (the install went on, but this code is a failure by itself)" :
				       " (the install went on: not a cause)");
		explained = !success;
		break;
	}
	case WF_SA_EV_STORE_FAIL:
		f = hit(d, r, WF_FID(DRIVER_STORE_IMPORT_FAILED), dev,
			WF_SEV_ERROR, &created);
		if (f && created)
			wf_finding_set(&f->title, "Driver package import failed%s%s%s for %s",
				       ev->code ? " (" : "",
				       ev->code ? wf_code_name(ev->code) : "",
				       ev->code ? ")" : "", label);
		explained = 1;
		break;
	case WF_SA_EV_INTERRUPT:
		f = hit(d, r, WF_FID(DRIVER_INSTALL_INTERRUPTED), dev,
			success ? WF_SEV_INFO : device_sev(r, dev, WF_SEV_ERROR),
			&created);
		if (f && created)
			wf_finding_set(&f->title, "Driver install for %s was interrupted (%s)",
				       label, wf_code_name(ev->code));
		explained = !success;
		break;
	case WF_SA_EV_ERROR:
		if (!ev->msg_id || r->exit == WF_SA_EXIT_FAILURE)
			return 0;	/* evidence of failure_rule */
		return xp_msg_rule(d, r, ev, dev, success);
	default:
		return 0;
	}
	if (f)
		add_line(d, f, ev->line, ev->text);
	return explained;
}

static void unfinished_rule(struct wf_logdiag *d, const struct wf_sa_record *r)
{
	const char *dev = r->device[0] ? r->device : r->instance[0] ? r->instance : NULL;
	int created;
	struct wf_finding *f = hit(d, r, WF_FID(DRIVER_INSTALL_INTERRUPTED), dev,
				   device_sev(r, dev, WF_SEV_WARNING), &created);
	if (!f)
		return;
	if (created)
		wf_finding_set(&f->title, "Driver install for %s was interrupted (%s)",
			       dev_label(dev), r->reboot ? "a new boot began inside the section"
			       : "the log ends inside the section");
	add_line(d, f, r->first_line, r->header);
	for (unsigned i = 0; i < r->n_ev; i++)
		if (r->ev[i].kind == WF_SA_EV_BOOT)
			add_line(d, f, r->ev[i].line, r->ev[i].text);
}

/* What the XP message ids of a failed section's error lines mean. */
static void xp_meanings(struct wf_strbuf *sb, const struct wf_sa_record *r)
{
	for (unsigned i = 0; i < r->n_ev; i++) {
		const struct wf_sa_event *ev = &r->ev[i];
		const struct wf_xp_msg *row = ev->msg_id ?
			wf_xp_msg_lookup(ev->msg_sev, ev->msg_id) : NULL;
		int dup = 0;
		for (unsigned k = 0; k < i && !dup; k++)
			dup = r->ev[k].msg_id == ev->msg_id && r->ev[k].msg_sev == ev->msg_sev;
		if (!row || dup)
			continue;
		char id[8];
		msg_label(id, sizeof id, ev);
		wf_sb_addf(sb, " %s: %s (source: %s).", id, row->meaning, row->source);
	}
}

static void failure_rule(struct wf_logdiag *d, const struct wf_sa_record *r)
{
	const char *dev = r->device[0] ? r->device : r->instance[0] ? r->instance : NULL;
	int created;
	enum wf_severity sev = (wf_code_flags(r->exit_code) & WF_CODE_ABSENT) ?
		WF_SEV_INFO : device_sev(r, dev, WF_SEV_ERROR);
	const char *fid = WF_FID(DEVICE_INSTALL_FAILED);
	if (never_enumerated(dev)) {
		fid = WF_FID(DEVICE_NOT_ENUMERATED);
		sev = WF_SEV_WARNING;
	}
	struct wf_finding *f = hit(d, r, fid, dev, sev, &created);
	if (!f)
		return;
	if (created && fid == WF_FID(DEVICE_NOT_ENUMERATED)) {
		wf_finding_set(&f->title, "%s never enumerated: no driver will help",
			       dev_label(dev));
	} else if (created) {
		wf_finding_set(&f->title, "%s failed for %s: 0x%08x %s",
			       r->title[0] ? r->title : "Device install",
			       dev_label(dev), (unsigned)r->exit_code,
			       wf_code_name(r->exit_code));
		struct wf_strbuf sb = WF_STRBUF_INIT;
		wf_sb_adds(&sb, rule_text(WF_FID(DEVICE_INSTALL_FAILED))->explanation);
		wf_sb_addf(&sb, " 0x%08x: %s.", (unsigned)r->exit_code,
			   code_text(r->exit_code));
		xp_meanings(&sb, r);
		if (wf_code_flags(r->exit_code) & WF_CODE_ABSENT)
			wf_sb_adds(&sb, " The device was not present when the "
				   "install ran (typically a tools installer "
				   "offering drivers for hardware of another "
				   "hypervisor); harmless by itself.");
		free(f->explanation);
		f->explanation = wf_sb_detach(&sb);
	}
	add_line(d, f, r->first_line, r->header);
	int shown = 0;
	for (int pass = 0; pass < 2 && shown < 3; pass++)
		for (unsigned i = 0; i < r->n_ev && shown < 3; i++) {
			const struct wf_sa_event *ev = &r->ev[i];
			if (ev->kind != WF_SA_EV_ERROR || ev->error != !pass)
				continue;
			add_line(d, f, ev->line, ev->text);
			shown++;
		}
	if (r->exit_line)
		add_line(d, f, r->exit_line, r->exit_text);
}

static int on_record(const struct wf_sa_record *r, void *arg)
{
	struct wf_logdiag *d = arg;
	int explained = 0;
	d->rec_serial++;
	for (unsigned i = 0; i < r->n_ev; i++)
		explained |= event_rule(d, r, &r->ev[i]);
	if (r->exit == WF_SA_EXIT_UNFINISHED) {
		unfinished_rule(d, r);
		explained = 1;
	}
	if (r->exit == WF_SA_EXIT_FAILURE && !explained)
		failure_rule(d, r);
	return 0;
}

/* ----------------------------------------------------------------------
 * Driving the parser.
 */
static void account(struct wf_logdiag *d, const struct wf_sa_info *in)
{
	struct wf_logsummary *s = &d->sum;
	d->last = *in;
	s->files++;
	if (in->sa_lines == 0)
		s->unrecognised++;
	s->lines += in->lines;
	s->bytes += in->bytes;
	s->sections += in->sections;
	s->failed += in->failed;
	s->unfinished += in->unfinished;
	s->boot_sessions += in->boot_sessions;
	s->long_lines += in->long_lines;
	s->encoding = in->encoding;
	s->excerpts += !in->whole && in->sa_lines;
	s->cut_start += in->cut_start;
	s->cut_end += in->cut_end;
	s->joined += in->joined;
	s->prefixed += in->prefixed;
	if (in->cut_end) {
		memcpy(s->cut_device, in->cut_device, sizeof s->cut_device);
		s->cut_line = in->cut_line;
	}
	if (in->format != WF_SA_FMT_UNKNOWN)
		s->format = in->format;
	if (in->os_version[0]) {
		memcpy(s->os_version, in->os_version, sizeof s->os_version);
		memcpy(s->arch, in->arch, sizeof s->arch);
	}
}

int wf_logdiag_add_stream(struct wf_logdiag *d, FILE *f,
			  const char *display_name, struct wf_error *e)
{
	struct wf_sa_info info;
	d->source = display_name ? display_name : "(stream)";
	int rc = wf_sa_parse_stream(f, d->source, on_record, d, &info, e);
	account(d, &info);
	return rc;
}

int wf_logdiag_add_file(struct wf_logdiag *d, const char *path,
			const char *display_name, struct wf_error *e)
{
	struct wf_sa_info info;
	memset(&info, 0, sizeof info);
	d->source = display_name ? display_name : path;
	int rc = wf_sa_parse_file(path, d->source, on_record, d, &info, e);
	if (rc == 0 || info.lines)
		account(d, &info);
	return rc;
}

const struct wf_sa_info *wf_logdiag_last_info(const struct wf_logdiag *d)
{
	return &d->last;
}

void wf_logdiag_finish(struct wf_logdiag *d, struct wf_logsummary *sum)
{
	if (!d->finished) {
		d->finished = 1;
		for (size_t i = 0; i < d->n_slots; i++) {
			struct slot *s = d->slots[i];
			struct wf_finding *f = &d->out->v[s->idx];
			if (s->count <= 1)
				continue;
			struct wf_strbuf sb = WF_STRBUF_INIT;
			wf_sb_adds(&sb, f->explanation ? f->explanation : "");
			wf_sb_addf(&sb, " Seen in %lu install sections", s->count);
			if (f->n_evidence >= WF_LOGDIAG_MAX_EVIDENCE)
				wf_sb_addf(&sb, "; the first %d pieces of evidence are shown",
					   WF_LOGDIAG_MAX_EVIDENCE);
			wf_sb_adds(&sb, ".");
			free(f->explanation);
			f->explanation = wf_sb_detach(&sb);
		}
		wf_findings_sort(d->out);
	}
	if (sum)
		*sum = d->sum;
}

int wf_logdiag_file(const char *path, const char *display_name,
		    struct wf_findings *out, struct wf_logsummary *sum,
		    struct wf_error *e)
{
	struct wf_logdiag *d = wf_logdiag_new(out);
	int rc = wf_logdiag_add_file(d, path, display_name, e);
	wf_logdiag_finish(d, sum);
	wf_logdiag_free(d);
	return rc;
}

int wf_logdiag_stream(FILE *f, const char *display_name,
		      struct wf_findings *out, struct wf_logsummary *sum,
		      struct wf_error *e)
{
	struct wf_logdiag *d = wf_logdiag_new(out);
	int rc = wf_logdiag_add_stream(d, f, display_name, e);
	wf_logdiag_finish(d, sum);
	wf_logdiag_free(d);
	return rc;
}

/* ----------------------------------------------------------------------
 * Summary rendering.
 */
void wf_logsummary_to_text(const struct wf_logsummary *s, struct wf_strbuf *out)
{
	wf_sb_addf(out, "%u log%s, %lu lines, %lu sections (%lu failed, %lu unfinished), "
		   "%lu boot sessions; format %s",
		   s->files, s->files == 1 ? "" : "s", s->lines, s->sections,
		   s->failed, s->unfinished, s->boot_sessions,
		   wf_sa_format_name(s->format));
	if (s->os_version[0])
		wf_sb_addf(out, ", OS Version %s%s%s", s->os_version,
			   s->arch[0] ? " " : "", s->arch);
	wf_sb_addc(out, '\n');
	if (s->excerpts)
		wf_sb_addf(out, "note: %s an excerpt (no [Device Install Log] or "
			   "[SetupAPI Log] file header at its start)%s\n",
			   s->files == 1 ? "the text is" : "some texts are",
			   s->cut_start ? "; it begins inside an install section" : "");
	if (s->cut_end)
		wf_sb_addf(out, "note: the excerpt ends inside the section for %s "
			   "(from line %lu): what came after is not in the text, so "
			   "this install is cut off, not known to be interrupted\n",
			   s->cut_device[0] ? s->cut_device : "an unnamed device",
			   s->cut_line);
	if (s->joined || s->prefixed)
		wf_sb_addf(out, "note: pasted text repaired: %lu wrapped lines joined, "
			   "%lu tool prefixes stripped\n", s->joined, s->prefixed);
	if (s->long_lines)
		wf_sb_addf(out, "note: %lu over-long lines were cut at %d bytes\n",
			   s->long_lines, WF_SA_LINE_MAX);
	if (s->findings_dropped)
		wf_sb_addf(out, "note: %lu more findings were not kept (limit %d)\n",
			   s->findings_dropped, WF_LOGDIAG_MAX_FINDINGS);
}

struct json_object *wf_logsummary_to_json(const struct wf_logsummary *s)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "files", json_object_new_int64(s->files));
	json_object_object_add(o, "unrecognised", json_object_new_int64(s->unrecognised));
	json_object_object_add(o, "lines", json_object_new_int64((int64_t)s->lines));
	json_object_object_add(o, "bytes", json_object_new_int64((int64_t)s->bytes));
	json_object_object_add(o, "sections", json_object_new_int64((int64_t)s->sections));
	json_object_object_add(o, "failed_sections", json_object_new_int64((int64_t)s->failed));
	json_object_object_add(o, "unfinished_sections", json_object_new_int64((int64_t)s->unfinished));
	json_object_object_add(o, "boot_sessions", json_object_new_int64((int64_t)s->boot_sessions));
	json_object_object_add(o, "long_lines", json_object_new_int64((int64_t)s->long_lines));
	json_object_object_add(o, "findings_dropped", json_object_new_int64((int64_t)s->findings_dropped));
	json_object_object_add(o, "excerpts", json_object_new_int64(s->excerpts));
	json_object_object_add(o, "sections_cut_at_start", json_object_new_int64((int64_t)s->cut_start));
	json_object_object_add(o, "sections_cut_at_end", json_object_new_int64((int64_t)s->cut_end));
	json_object_object_add(o, "lines_joined", json_object_new_int64((int64_t)s->joined));
	json_object_object_add(o, "prefixes_stripped", json_object_new_int64((int64_t)s->prefixed));
	json_object_object_add(o, "format", json_object_new_string(wf_sa_format_name(s->format)));
	json_object_object_add(o, "encoding", json_object_new_string(wf_sa_encoding_name(s->encoding)));
	json_object_object_add(o, "os_version", json_object_new_string(s->os_version));
	json_object_object_add(o, "arch", json_object_new_string(s->arch));
	return o;
}
