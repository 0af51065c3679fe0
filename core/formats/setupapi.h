/*
 * setupapi.h - streaming reader for SetupAPI text logs.
 *
 * Reads the logs Windows writes about driver installs, in constant memory
 * whatever their size:
 *   - Vista and later: setupapi.dev.log, setupapi.setup.log,
 *     setupapi.app.log and rotated copies.  A header ([Device Install Log],
 *     OS Version = ...), [Boot Session: ...] lines, and sections
 *         >>>  [Device Install (Hardware initiated) - PCI\VEN_...\3&...]
 *         >>>  Section start 2017/03/29 20:06:28.109
 *         !!!  dvi: ...            (error)   !    dvi: ... (warning)
 *              ndv: {Block} ... {Block - exit(0x...)}
 *         <<<  Section end 2017/03/29 20:06:28.906
 *         <<<  [Exit status: FAILURE(0xe0000203)]
 *   - XP / 2003: setupapi.log, sections "[2020/03/01 19:06:13 264.1531
 *     Driver Install]" and coded lines "#-019", "#I125", "#W059", "#E279".
 *   - Windows 2000: the same sections, lines without the "#xNNN" codes.
 * Encodings: UTF-8 (with or without BOM), ANSI (bytes passed through, made
 * valid UTF-8 in the text this module hands out) and UTF-16LE (with BOM, or
 * detected from the first bytes).  CRLF or LF; NUL bytes are ignored; lines
 * longer than WF_SA_LINE_MAX are cut (and counted); a section that never
 * ends is reported as unfinished.
 *
 * Two layers:
 *   1. wf_sa_reader: bytes -> numbered UTF-8 lines (no allocation per line).
 *   2. wf_sa_parser: lines -> one struct wf_sa_record per section (device
 *      install), handed to a callback when the section ends.  The record
 *      holds the section's device, the hardware and compatible IDs searched,
 *      the driver chosen, services added, exit status and the notable events
 *      (NULL driver, no compatible driver, device problem, ...) with their
 *      line numbers and exact text.  All sizes are bounded.
 *
 *   struct wf_sa_info info;
 *   if (wf_sa_parse_file("setupapi.dev.log", "C:\\Windows\\INF\\setupapi.dev.log",
 *                        on_record, ctx, &info, &err) < 0)
 *           fprintf(stderr, "%s\n", err.msg);
 *
 * Diagnosis rules live in logdiag.h; this module only reads.
 */
#ifndef WF_SETUPAPI_H
#define WF_SETUPAPI_H

#include <stdint.h>
#include <stdio.h>

struct wf_error;

#define WF_SA_LINE_MAX	 8192	/* longer lines are cut here */
#define WF_SA_ID_MAX	 256	/* device / hardware id */
#define WF_SA_TEXT_MAX	 400	/* text of one evidence line */
#define WF_SA_IDS	 12	/* hardware ids (and compatible ids) kept */
#define WF_SA_SERVICES	 8	/* services kept per section */
#define WF_SA_EVENTS	 48	/* events kept per section */

enum wf_sa_format {
	WF_SA_FMT_UNKNOWN = 0,
	WF_SA_FMT_VISTA,	/* setupapi.dev.log style (Vista and later) */
	WF_SA_FMT_XP,		/* setupapi.log with #xNNN message codes */
	WF_SA_FMT_W2K,		/* setupapi.log without codes (Windows 2000) */
};

enum wf_sa_encoding {
	WF_SA_ENC_BYTES = 0,	/* UTF-8 or ANSI, no BOM */
	WF_SA_ENC_UTF8_BOM,
	WF_SA_ENC_UTF16LE,
	WF_SA_ENC_UTF16BE,
};

/* "vista", "xp", "w2k", "unknown" / "utf-8", "utf-8-bom", "utf-16le" */
const char *wf_sa_format_name(enum wf_sa_format f);
const char *wf_sa_encoding_name(enum wf_sa_encoding e);

/* ---- 1. line reader ---------------------------------------------------- */

struct wf_sa_reader;

/* Wrap an open stream (not closed by the reader). */
struct wf_sa_reader *wf_sa_reader_new(FILE *f);
void wf_sa_reader_free(struct wf_sa_reader *r);

/* Next line: returns 1 with *line and *len set (NUL-terminated, without CR/LF, valid
 * until the next call), 0 at end of input, -1 on a read error (errno set). */
int wf_sa_reader_next(struct wf_sa_reader *r, char **line, size_t *len);
unsigned long wf_sa_reader_lineno(const struct wf_sa_reader *r);
enum wf_sa_encoding wf_sa_reader_encoding(const struct wf_sa_reader *r);
unsigned long long wf_sa_reader_bytes(const struct wf_sa_reader *r);
unsigned long wf_sa_reader_long_lines(const struct wf_sa_reader *r);
/* True when UTF-16 input ended in the middle of a code unit. */
int wf_sa_reader_odd_tail(const struct wf_sa_reader *r);
int wf_sa_reader_big_endian(const struct wf_sa_reader *r);
/* The caller still holds *line (len bytes, a line this reader returned):
 * before its buffers are reused the reader copies it aside and updates
 * *line.  NULL = nothing held.  Valid for the next wf_sa_reader_next(). */
void wf_sa_reader_keep(struct wf_sa_reader *r, const char **line, size_t len);

/* ---- 2. section records ------------------------------------------------ */

enum wf_sa_exit {
	WF_SA_EXIT_NONE = 0,	/* no status logged (XP sections without a verdict) */
	WF_SA_EXIT_SUCCESS,
	WF_SA_EXIT_FAILURE,
	WF_SA_EXIT_UNFINISHED,	/* no section end: a new boot session, or the
				   end of a whole log file (crash, power off) */
	WF_SA_EXIT_CUT,		/* no section end because the text ends: an
				   excerpt (no file header) cut inside it */
};

enum wf_sa_event_kind {
	WF_SA_EV_NULL_DRIVER,	/* "Installing NULL driver", XP #I125 */
	WF_SA_EV_NO_COMPAT,	/* 0xe0000228 ERROR_NO_COMPAT_DRIVERS */
	WF_SA_EV_PROBLEM,	/* device has a CM_PROB_* problem */
	WF_SA_EV_SIGNATURE,	/* signing / trust error code */
	WF_SA_EV_STORE_FAIL,	/* driver store or catalog import failed */
	WF_SA_EV_INTERRUPT,	/* service not active (0x426), shutdown */
	WF_SA_EV_ERROR,		/* another error line */
	WF_SA_EV_BOOT,		/* a new boot session began inside the section */
	WF_SA_EV__COUNT
};

/* "null-driver", "no-compat", ... (for tests and debugging) */
const char *wf_sa_event_name(enum wf_sa_event_kind k);

struct wf_sa_event {
	enum wf_sa_event_kind kind;
	unsigned long line;		/* 1-based line number */
	uint32_t code;			/* error code on the line, 0 if none */
	uint32_t problem;		/* PROBLEM: CM_PROB number */
	uint32_t status;		/* PROBLEM: problem status (NTSTATUS), 0 if none */
	int error;			/* logged as an error ("!!!", "#E") */
	int cleared;			/* PROBLEM: a later status line shows no problem */
	char msg_sev;			/* XP "#E154": 'E', 0 on other lines */
	unsigned msg_id;		/* XP "#E154": 154 (setupapi_xpmsg.h) */
	char device[WF_SA_ID_MAX];	/* device it is about; "" = the section's */
	char text[WF_SA_TEXT_MAX];	/* the line as logged (made valid UTF-8) */
};

struct wf_sa_record {
	enum wf_sa_format format;
	char title[WF_SA_ID_MAX];	/* "Device Install (Hardware initiated)" */
	char instance[WF_SA_ID_MAX];	/* text after " - " in the title, may be "" */
	char device[WF_SA_ID_MAX];	/* device instance id of the install, may be "" */
	char start[32];			/* section start time as logged */
	unsigned long first_line, last_line;
	char header[WF_SA_TEXT_MAX];	/* the section's first line */
	enum wf_sa_exit exit;
	uint32_t exit_code;		/* FAILURE(0x...) / XP install error */
	unsigned long exit_line;	/* 0 when none */
	char exit_text[WF_SA_TEXT_MAX];
	int reboot;			/* unfinished because a boot session began */
	int cut_start;			/* the excerpt begins inside this section */
	char hwids[WF_SA_IDS][WF_SA_ID_MAX];
	unsigned n_hwids;
	char compat[WF_SA_IDS][WF_SA_ID_MAX];
	unsigned n_compat;
	char driver[WF_SA_ID_MAX];	/* INF of the driver chosen, "" = none seen */
	char services[WF_SA_SERVICES][64];
	unsigned n_services;
	int null_driver;		/* a NULL driver was installed */
	struct wf_sa_event ev[WF_SA_EVENTS];
	unsigned n_ev;
	unsigned long ev_dropped;	/* events beyond WF_SA_EVENTS */
};

/* Called once per section when it ends (or at end of input).  The record is
 * only valid during the call.  Return 0 to go on, non-zero to stop. */
typedef int (*wf_sa_record_fn)(const struct wf_sa_record *rec, void *arg);

struct wf_sa_info {
	enum wf_sa_format format;
	enum wf_sa_encoding encoding;
	char os_version[64];		/* from the log header, "" if none */
	char arch[16];
	unsigned long lines;
	unsigned long long bytes;
	unsigned long sections;
	unsigned long failed;		/* sections with FAILURE */
	unsigned long unfinished;	/* sections with no end */
	unsigned long boot_sessions;
	unsigned long long_lines;	/* lines cut at WF_SA_LINE_MAX */
	int odd_tail;			/* UTF-16 input cut mid code unit */
	int whole;			/* a whole log: it starts with the file
					   header ([Device Install Log] or
					   [SetupAPI Log]); else an excerpt */
	unsigned long sa_lines;		/* lines recognised as SetupAPI lines */
	unsigned long cut_start;	/* sections begun before the excerpt */
	unsigned long cut_end;		/* sections the excerpt ends inside */
	unsigned long joined;		/* wrapped lines joined back */
	unsigned long prefixed;		/* lines whose tool prefix was stripped */
	unsigned long binary_lines;	/* lines with control bytes (not text) */
	char other[96];			/* first line that is not a SetupAPI line */
	char cut_device[WF_SA_ID_MAX];	/* device of the last section cut at the end */
	unsigned long cut_line;		/* its first line */
};

struct wf_sa_parser;

/* Line-by-line interface (for callers that have lines already, and tests). */
struct wf_sa_parser *wf_sa_parser_new(wf_sa_record_fn fn, void *arg);
/* Feed one line (without its newline). Returns non-zero once the callback
 * asked to stop. */
int wf_sa_parser_line(struct wf_sa_parser *p, unsigned long lineno,
		      const char *line, size_t len);
/* End of input: report a still-open section as unfinished. */
int wf_sa_parser_finish(struct wf_sa_parser *p);
const struct wf_sa_info *wf_sa_parser_info(const struct wf_sa_parser *p);
void wf_sa_parser_free(struct wf_sa_parser *p);

/* Whole stream / file.  `display_name` names the input in error messages
 * (the guest path for a log read from an image); NULL = the path.  Returns 0,
 * or -1 with `e` set (WF_ERR_INPUT) when the input cannot be read.  `info`
 * may be NULL. */
int wf_sa_parse_stream(FILE *f, const char *display_name, wf_sa_record_fn fn,
		       void *arg, struct wf_sa_info *info, struct wf_error *e);
int wf_sa_parse_file(const char *path, const char *display_name,
		     wf_sa_record_fn fn, void *arg, struct wf_sa_info *info,
		     struct wf_error *e);

/* Copy `len` bytes of log text into `out` (size `outsz`) as valid UTF-8:
 * NUL bytes dropped, other control characters shown as '?', bytes that are
 * not UTF-8 taken as Windows-1252/Latin-1.  Cut with "..." when too long. */
void wf_sa_clean_text(char *out, size_t outsz, const char *s, size_t len);

#endif
