/*
 * fix_addreg.h - carry an INF's AddReg lines into a plan, as Windows's
 * setup would write them (MS "INF AddReg Directive").
 *
 * HKR lines go below the key the caller names (the service key for a
 * service-install section, the device's hardware key - or a DriverDatabase
 * configuration's Device key - for a .HW section).  HKLM lines under
 * SYSTEM\CurrentControlSet go to the given control set, under SOFTWARE to
 * SOFTWARE, when the caller allows HKLM.  FLG_ADDREG_NOCLOBBER keeps a
 * value that exists, OVERWRITEONLY writes only one that exists, KEYONLY
 * creates the key.  DELVAL, APPEND and other roots are not carried: each
 * gives a plan note naming the line.
 */
#ifndef WF_FIX_ADDREG_H
#define WF_FIX_ADDREG_H

#include <stddef.h>

#include "plan.h"

struct wf_fixctx;
struct wf_inf_reg;

/* Returns the number of lines carried. `set` ("ControlSet001") is used
 * for HKLM\SYSTEM\CurrentControlSet lines; allow_hklm 0 skips HKLM
 * lines silently (a second pass over the same section). */
size_t wf_fix_addreg(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		     enum wf_plan_hive which, const char *base, const char *set,
		     const struct wf_inf_reg *v, size_t n, int allow_hklm);

#endif
