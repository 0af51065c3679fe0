/*
 * errcodes.h - the one table of error codes a Windows driver install logs.
 *
 * SetupAPI errors (0xE000xxxx, and their HRESULT form 0x800Fxxxx), the Win32
 * errors that show up in setupapi logs (0x426 = 1062 ERROR_SERVICE_NOT_ACTIVE
 * ...), the NTSTATUS "problem status" values of a device (0xC0000490 ...),
 * certificate-trust HRESULTs (0x800B0109 ...) and the CM_PROB_* device
 * problem numbers, which are the Device Manager "Code N" numbers.
 *
 *   const struct wf_code *c = wf_code_lookup(0xe0000228);
 *   // c->name = "ERROR_NO_COMPAT_DRIVERS", c->flags & WF_CODE_NO_DRIVER,
 *   // c->role = WF_CODE_CAUSE, c->source = the page it comes from
 *   const struct wf_code *p = wf_cmprob_lookup(0x27);
 *   // p->name = "CM_PROB_DRIVER_FAILED_LOAD", p->dm_code = 39
 *
 * Everything returned points into static tables: never free it.
 */
#ifndef WF_ERRCODES_H
#define WF_ERRCODES_H

#include <stdint.h>

enum wf_code_kind {
	WF_CODE_SETUPAPI,	/* 0xE000xxxx, setupapi.h */
	WF_CODE_WIN32,		/* small numbers, winerror.h */
	WF_CODE_NTSTATUS,	/* 0xCxxxxxxx, ntstatus.h: device problem status */
	WF_CODE_HRESULT,	/* 0x8xxxxxxx, winerror.h: trust / signature */
	WF_CODE_CM_PROB,	/* CM_PROB_* problem number = Device Manager code */
};

/* Cause or noise: what an error line carrying the code means for the
 * install it is logged in. */
enum wf_code_role {
	WF_CODE_UNKNOWN = 0,	/* not in the table */
	WF_CODE_CAUSE,		/* an error that explains a failed install */
	WF_CODE_CONTEXT,	/* the cause only when the install fails; when it
				   goes on, noise (trust verdicts such as
				   0x800b0109, a file or line not found) */
	WF_CODE_NOISE,		/* a normal return in healthy logs
				   (ERROR_DI_DO_DEFAULT): never a finding */
};

/* What a code tells the diagnosis rules. */
enum wf_code_flag {
	WF_CODE_SIGNATURE = 1 << 1, /* a signing / trust verdict */
	WF_CODE_NO_DRIVER = 1 << 2, /* no matching / selected driver */
	WF_CODE_STORE	  = 1 << 3, /* driver store / catalog import */
	WF_CODE_INTERRUPT = 1 << 4, /* service stopped, shutdown in progress */
	WF_CODE_ABSENT	  = 1 << 5, /* the device is not present */
	WF_CODE_LOAD	  = 1 << 6, /* the driver did not load or start */
};

struct wf_code {
	uint32_t value;
	enum wf_code_kind kind;
	const char *name;	/* symbolic name, e.g. "ERROR_NO_COMPAT_DRIVERS" */
	const char *meaning;	/* one line for people */
	int dm_code;		/* Device Manager code, 0 when none */
	unsigned flags;		/* enum wf_code_flag */
	enum wf_code_role role;
	const char *source;	/* where value, name and meaning come from */
};

/* Look up an error value as logged: SetupAPI, HRESULT_FROM_SETUPAPI
 * (0x800Fxxxx is folded onto 0xE000xxxx), HRESULT_FROM_WIN32 (0x8007xxxx is
 * folded onto the Win32 code), Win32, NTSTATUS, trust HRESULTs.  NULL when
 * the value is not in the table. */
const struct wf_code *wf_code_lookup(uint32_t value);

/* Look up a CM_PROB_* problem number (the Device Manager code).  NULL when
 * unknown. */
const struct wf_code *wf_cmprob_lookup(uint32_t problem);

/* Name of a code, or a static "0x%08x"-style fallback for unknown values
 * (the fallback buffer is thread-local and overwritten by the next call). */
const char *wf_code_name(uint32_t value);

/* Flags of a code (0 when unknown). */
unsigned wf_code_flags(uint32_t value);
/* Role of a code (WF_CODE_UNKNOWN when not in the table). */
enum wf_code_role wf_code_role(uint32_t value);
/* "cause", "context", "noise", "unknown" */
const char *wf_code_role_name(enum wf_code_role r);

/* Number of entries in the error and CM_PROB tables (for tests). */
unsigned wf_code_table_size(void);
unsigned wf_cmprob_table_size(void);
/* Entry i of the error table (i < wf_code_table_size()), then of the
 * CM_PROB table (wf_cmprob_at). */
const struct wf_code *wf_code_at(unsigned i);
const struct wf_code *wf_cmprob_at(unsigned i);

#endif
