#include "session.h"
#include "appliance.h"
#include "hostfile.h"
#include "text.h"
#include "hosttmp.h"

#include <dirent.h>
#include <errno.h>
#include <guestfs.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define WF_SESSION_MEMSIZE 768	/* MB; see new_handle() */

struct drive {
	char *path;
	char *format;
	int readonly;
};

struct wf_session {
	guestfs_h *g;
	struct drive *drives;
	size_t n_drives;
	atomic_int cancel;
	atomic_int launching;
	int tcg;
	int writable;		/* the write protection is lifted */
	char *note;
	char *fast;		/* the uncompressed-kernel appliance launched (appliance.h) */
	double launch_seconds;
	wf_session_notify notify;
	void *notify_ud;
	char first_error[256];	/* first libguestfs error of the last launch */
};

static void notify(struct wf_session *s, int important, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void notify(struct wf_session *s, int important, const char *fmt, ...)
{
	if (!s->notify)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	s->notify(s->notify_ud, msg, important);
}

/* libguestfs reports a failed launch as "guestfs_launch failed, see
 * earlier error messages": keep the first message, which says why. */
static void on_guestfs_error(guestfs_h *g, void *ud, const char *msg)
{
	struct wf_session *s = ud;
	(void)g;
	if (s && !s->first_error[0] && msg)
		snprintf(s->first_error, sizeof s->first_error, "%s", msg);
}

static guestfs_h *new_handle(struct wf_session *s, struct wf_error *e)
{
	guestfs_h *g = guestfs_create();
	if (!g) {
		wf_error_set(e, WF_ERR_APPLIANCE,
			     "cannot create a libguestfs handle: %s", strerror(errno));
		return NULL;
	}
	/* we report errors ourselves, as one line */
	guestfs_set_error_handler(g, on_guestfs_error, s);
	/* Appliance memory: under TCG the guest kernel initialises every page
	 * in emulation.  Measured here (3 paired launches, TCG, busy shared
	 * host): 768 MB launched in 0.84x the time of libguestfs' default
	 * 1280 MB (each of the 3 pairs faster, 0.66-0.96); 2 vCPUs were
	 * slower (1.14x).  LIBGUESTFS_MEMSIZE still overrides. */
	const char *ms = getenv("LIBGUESTFS_MEMSIZE");
	if (!ms || !*ms)
		guestfs_set_memsize(g, WF_SESSION_MEMSIZE);
	guestfs_set_pgroup(g, 1);	/* Ctrl-C reaches us, not qemu; we stop it */
	/* libguestfs' own temporary files in the run's private folder, the
	 * appliance cache where it would be without our TMPDIR (hosttmp.h) */
	if (wf_host_tmp_dir() && guestfs_set_tmpdir(g, wf_host_tmp_dir()) < 0) {
		wf_error_set(e, WF_ERR_APPLIANCE, "%s", guestfs_last_error(g));
		guestfs_close(g);
		return NULL;
	}
	if (wf_host_tmp_cachedir() && guestfs_set_cachedir(g, wf_host_tmp_cachedir()) < 0) {
		wf_error_set(e, WF_ERR_APPLIANCE, "%s", guestfs_last_error(g));
		guestfs_close(g);
		return NULL;
	}
	return g;
}

struct wf_session *wf_session_new(struct wf_error *e)
{
	struct wf_session *s = wf_xcalloc(1, sizeof *s);
	s->g = new_handle(s, e);
	if (!s->g) {
		free(s);
		return NULL;
	}
	return s;
}

void wf_session_set_notify(struct wf_session *s, wf_session_notify fn, void *ud)
{
	s->notify = fn;
	s->notify_ud = ud;
}

int wf_session_add(struct wf_session *s, const struct wf_image *img,
		   int readonly, struct wf_error *e)
{
	s->drives = wf_xrealloc(s->drives, (s->n_drives + 1) * sizeof *s->drives);
	struct drive *d = &s->drives[s->n_drives++];
	d->path = wf_xstrdup(img->path);
	d->format = wf_xstrdup(wf_format_qemu(img->format));
	d->readonly = readonly;
	return 0;
}

static int add_drives(struct wf_session *s, struct wf_error *e)
{
	for (size_t i = 0; i < s->n_drives; i++) {
		struct drive *d = &s->drives[i];
		if (guestfs_add_drive_opts(s->g, d->path,
					   GUESTFS_ADD_DRIVE_OPTS_FORMAT, d->format,
					   GUESTFS_ADD_DRIVE_OPTS_READONLY, d->readonly,
					   -1) < 0)
			return wf_error_set(e, WF_ERR_INPUT, "%s: %s", d->path,
					    guestfs_last_error(s->g));
	}
	return 0;
}

/* --- remembering that KVM does not work on this host ------------------- */

/* The cache folder ($XDG_CACHE_HOME/virt-winfix, not another user's
 * under sudo -E), opened private (hostfile.h); -1 when none. */
static int kvm_cache_dir(void)
{
	const char *env = getenv("VIRT_WINFIX_KVM_CACHE");
	if (env && strcmp(env, "0") == 0)
		return -1;
	char *dir = wf_host_user_dir("XDG_CACHE_HOME", ".cache");
	int fd = dir ? wf_hostdir_open(dir, WF_HOSTDIR_CREATE | WF_HOSTDIR_PARENTS |
				       WF_HOSTDIR_PRIVATE, NULL) : -1;
	free(dir);
	return fd;
}

/* What the memory is keyed by: the kernel and the hypervisor binary. */
static char *kvm_cache_key(guestfs_h *g)
{
	struct utsname u;
	struct stat st;
	uname(&u);
	char *hv = guestfs_get_hv(g);
	long long qm = hv && stat(hv, &st) == 0 ? (long long)st.st_mtime : 0;
	char *key = wf_xasprintf("%s %s hv=%s mtime=%lld\n", u.release, u.version,
				 hv ? hv : "?", qm);
	free(hv);
	return key;
}

static int kvm_known_broken(guestfs_h *g)
{
	char buf[512] = "";
	int dfd = kvm_cache_dir();
	int fd = dfd < 0 ? -1 : wf_hostfile_open_read(dfd, "kvm-broken", NULL);
	if (dfd >= 0)
		close(dfd);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	char *key = kvm_cache_key(g);
	int hit = strcmp(buf, key) == 0;
	free(key);
	return hit;
}

static void kvm_remember_broken(guestfs_h *g)
{
	int dfd = kvm_cache_dir();
	if (dfd < 0)
		return;
	char *key = kvm_cache_key(g);
	wf_hostfile_write(dfd, "kvm-broken", key, strlen(key), 0600, NULL);
	free(key);
	close(dfd);
}

/* --- cancellation -------------------------------------------------------- */

/* Parent pid of a process from /proc/PID/stat, or 0. */
static pid_t parent_of(const char *pid)
{
	char path[300], buf[512];
	snprintf(path, sizeof path, "/proc/%s/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *rp = strrchr(buf, ')');
	int ppid = 0;
	return rp && sscanf(rp + 2, "%*c %d", &ppid) == 1 ? (pid_t)ppid : 0;
}

enum { MAX_PROCS = 65536 };

/* Kill every descendant (qemu; supermin and what it runs): libguestfs
 * runs qemu in its own process group, so the terminal's Ctrl-C does not
 * reach it, and supermin's helpers would outlive it and keep writing in
 * our temporary folder.  Descendants are found by walking the parent
 * links of a snapshot of /proc (bounded table, bounded passes). */
static void kill_children(void)
{
	DIR *d = opendir("/proc");
	if (!d)
		return;
	pid_t *pid = wf_xcalloc(MAX_PROCS, sizeof *pid);
	pid_t *ppid = wf_xcalloc(MAX_PROCS, sizeof *ppid);
	char *mine = wf_xcalloc(MAX_PROCS, 1);
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) && n < MAX_PROCS) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		pid[n] = (pid_t)atoi(de->d_name);
		ppid[n++] = parent_of(de->d_name);
	}
	closedir(d);
	pid_t me = getpid();
	for (int changed = 1, pass = 0; changed && pass < 64; pass++) {
		changed = 0;
		for (size_t i = 0; i < n; i++) {
			if (mine[i] || pid[i] == me)
				continue;
			int hit = ppid[i] == me;
			for (size_t j = 0; !hit && j < n; j++)
				hit = mine[j] && pid[j] == ppid[i];
			if (hit)
				mine[i] = changed = 1;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (mine[i])
			kill(pid[i], SIGTERM);
	free(pid);
	free(ppid);
	free(mine);
}

static void *watch_cancel(void *arg)
{
	struct wf_session *s = arg;
	while (atomic_load(&s->launching)) {
		if (atomic_load(&s->cancel)) {
			kill_children();
			break;
		}
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return NULL;
}

void wf_session_cancel(struct wf_session *s)
{
	atomic_store(&s->cancel, 1);
	if (s->g)
		guestfs_user_cancel(s->g);	/* async-signal-safe */
}

int wf_session_cancelled(const struct wf_session *s)
{
	return atomic_load(&((struct wf_session *)s)->cancel);
}

static int launch_once(struct wf_session *s, struct wf_error *e)
{
	if (add_drives(s, e) < 0)
		return -1;
	pthread_t th;
	s->first_error[0] = '\0';
	atomic_store(&s->launching, 1);
	int have_thread = pthread_create(&th, NULL, watch_cancel, s) == 0;
	int r = guestfs_launch(s->g);
	atomic_store(&s->launching, 0);
	if (have_thread)
		pthread_join(th, NULL);
	if (atomic_load(&s->cancel))
		return wf_error_set(e, WF_ERR_CANCELLED, "interrupted during the appliance launch");
	if (r < 0)
		return wf_error_set(e, WF_ERR_APPLIANCE, "%s",
				    s->first_error[0] ? s->first_error
				    : guestfs_last_error(s->g) ? guestfs_last_error(s->g)
				    : "launch failed");
	return 0;
}

static int settings_force_tcg(guestfs_h *g)
{
	char *v = guestfs_get_backend_setting(g, "force_tcg");
	int yes = v != NULL;
	free(v);
	return yes;
}

/* First line of a libguestfs message: they come with paragraphs of advice. */
static void first_line(char *msg)
{
	char *nl = strchr(msg, '\n');
	if (nl)
		*nl = '\0';
}

/* The appliance with the uncompressed kernel (appliance.h), for the
 * direct backend on libguestfs' own path; NULL to launch the standard
 * one.  VIRT_WINFIX_FAST_APPLIANCE=0 turns it off. */
static char *fast_appliance(struct wf_session *s)
{
	const char *env = getenv("VIRT_WINFIX_FAST_APPLIANCE");
	char *backend = guestfs_get_backend(s->g);
	const char *path = guestfs_get_path(s->g);	/* not to be freed */
	char *cache = guestfs_get_cachedir(s->g);
	char *why = NULL, *dir = NULL;
	if (env && strcmp(env, "0") == 0)
		why = wf_xstrdup("turned off (VIRT_WINFIX_FAST_APPLIANCE=0)");
	else if (!backend || strcmp(backend, "direct") != 0)
		why = wf_xasprintf("backend %s", backend ? backend : "?");
	else if (!path || !cache || strchr(path, ':'))
		why = wf_xstrdup("libguestfs' path has several folders");
	else {
		struct wf_appliance_src src = { 0 };
		char *c = wf_xasprintf("%s/.guestfs-%ld", cache, (long)geteuid());
		char *sd = wf_xasprintf("%s/supermin.d", path);
		src.cache = c, src.supermin_d = sd;
		dir = wf_appliance_fast(&src, &why);
		free(c);
		free(sd);
	}
	if (!dir)
		notify(s, 0, "standard appliance: %s", why ? why : "?");
	free(why);
	free(backend);
	free(cache);
	return dir;
}

/* One launch on a fresh handle (after the first), TCG when s->tcg. */
static int attempt(struct wf_session *s, int fresh, struct wf_error *e)
{
	if (fresh) {
		guestfs_close(s->g);
		s->g = new_handle(s, e);
		if (!s->g)
			return -1;
	}
	if (s->tcg)
		guestfs_set_backend_setting(s->g, "force_tcg", "1");
	if (s->fast)
		guestfs_set_path(s->g, s->fast);
	notify(s, 0, "starting the appliance%s%s", s->tcg ? " (TCG)" : "",
	       s->fast ? " from its uncompressed kernel" : "");
	return launch_once(s, e);
}

static int retry_wanted(struct wf_session *s, int r, const struct wf_error *e)
{
	return r < 0 && e && e->kind == WF_ERR_APPLIANCE && !atomic_load(&s->cancel);
}

int wf_session_launch(struct wf_session *s, struct wf_error *e)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int known = kvm_known_broken(s->g);
	s->tcg = settings_force_tcg(s->g) || known;
	if (known && !settings_force_tcg(s->g))
		s->note = wf_xstrdup("KVM failed on this host before; using TCG (software emulation, slower)");
	if (s->note)
		notify(s, 1, "%s", s->note);
	s->fast = fast_appliance(s);
	int r = attempt(s, 0, e);
	if (retry_wanted(s, r, e) && !s->tcg) {
		char why[sizeof e->msg];
		memcpy(why, e->msg, sizeof why);
		first_line(why);
		s->tcg = 1;
		free(s->note);
		s->note = wf_xasprintf("KVM launch failed (%.200s); retried with TCG (software emulation, slower)", why);
		notify(s, 1, "%s", s->note);
		r = attempt(s, 1, e);
		if (r == 0)
			kvm_remember_broken(s->g);
	}
	if (retry_wanted(s, r, e) && s->fast) {
		notify(s, 1, "the appliance with the uncompressed kernel failed to start (%.200s); "
		       "starting the standard one", e->msg);
		wf_appliance_reject(s->fast);
		free(s->fast);
		s->fast = NULL;
		r = attempt(s, 1, e);
	}
	if (r == 0)
		r = wf_session_set_writable(s, 0, e);
	/* nothing to flush at the close when nothing can be written: the
	 * autosync is a round trip of ~0.3-1 s under TCG */
	if (r == 0 && !wf_session_has_writable(s))
		guestfs_set_autosync(s->g, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s->launch_seconds = (double)(t1.tv_sec - t0.tv_sec) +
			    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (r < 0 && e && e->kind == WF_ERR_APPLIANCE) {
		first_line(e->msg);
		wf_error_prefix(e, "cannot start the libguestfs appliance");
	}
	return r;
}

int wf_session_has_writable(const struct wf_session *s)
{
	for (size_t i = 0; i < s->n_drives; i++)
		if (!s->drives[i].readonly)
			return 1;
	return 0;
}

/* libguestfs names the drives in the order added, /dev/sda, /dev/sdb, ...
 * /dev/sdz, /dev/sdaa (guestfs(3), "BLOCK DEVICE NAMING"): computed, not
 * asked (each call to the appliance is a round trip through TCG). */
char *wf_session_device(struct wf_session *s, size_t i)
{
	if (i >= s->n_drives)
		return NULL;
	char rev[8], name[16] = "/dev/sd";
	size_t n = 0, l = strlen(name);
	for (size_t k = i + 1; k && n < sizeof rev; k = (k - 1) / 26)
		rev[n++] = (char)('a' + (k - 1) % 26);
	while (n)
		name[l++] = rev[--n];
	name[l] = '\0';
	return wf_xstrdup(name);
}

int wf_session_set_writable(struct wf_session *s, int on, struct wf_error *e)
{
	if (!wf_session_has_writable(s))
		return 0;
	for (size_t i = 0; i < s->n_drives; i++) {
		if (s->drives[i].readonly)
			continue;
		char *dev = wf_session_device(s, i);
		int r = !dev ? -1 : on ? guestfs_blockdev_setrw(s->g, dev) : guestfs_blockdev_setro(s->g, dev);
		if (r < 0) {
			wf_error_set(e, WF_ERR_APPLIANCE, "%s: cannot make it %s in the appliance: %s",
				     dev ? dev : s->drives[i].path, on ? "writable" : "read-only",
				     guestfs_last_error(s->g) ? guestfs_last_error(s->g) : "no such device");
			free(dev);
			return -1;
		}
		free(dev);
	}
	s->writable = on;
	return 0;
}

guestfs_h *wf_session_guestfs(struct wf_session *s) { return s->g; }
const char *wf_session_note(const struct wf_session *s) { return s->note; }
int wf_session_tcg(const struct wf_session *s) { return s->tcg; }
double wf_session_launch_seconds(const struct wf_session *s) { return s->launch_seconds; }

void wf_session_close(struct wf_session *s)
{
	if (!s)
		return;
	if (s->g) {
		guestfs_shutdown(s->g);
		guestfs_close(s->g);
	}
	for (size_t i = 0; i < s->n_drives; i++) {
		free(s->drives[i].path);
		free(s->drives[i].format);
	}
	free(s->drives);
	free(s->note);
	free(s->fast);
	free(s);
}
