/*
 * classes.h - the device setup classes the diagnosis looks at, by GUID.
 *
 * One table (classes.c) of the classes whose UpperFilters/LowerFilters and
 * devices matter when Windows moves to other hardware: the storage classes
 * on the boot path (a broken filter there is Stop 0x7B) and the others
 * (a broken filter there is Code 19/39 on the device).
 *
 *   const struct wf_class *c = wf_class_by_guid("{4d36e967-e325-11ce-bfc1-08002be10318}");
 *   if (c && c->boot_path) ...
 */
#ifndef WF_CLASSES_H
#define WF_CLASSES_H

#include <stddef.h>

struct wf_class {
	const char *guid;	/* "{4D36E967-E325-11CE-BFC1-08002BE10318}" */
	const char *name;	/* the class key's Class value: "DiskDrive" */
	const char *label;	/* for people: "Disk drives" */
	int boot_path;		/* on the path to the boot volume */
};

extern const struct wf_class wf_classes[];
extern const size_t wf_n_classes;

/* Case-insensitive; braces required.  NULL when not in the table. */
const struct wf_class *wf_class_by_guid(const char *guid);
/* By Class name ("SCSIAdapter"), case-insensitive. */
const struct wf_class *wf_class_by_name(const char *name);

#define WF_CLASS_DISKDRIVE	"{4D36E967-E325-11CE-BFC1-08002BE10318}"
#define WF_CLASS_HDC		"{4D36E96A-E325-11CE-BFC1-08002BE10318}"
#define WF_CLASS_SCSIADAPTER	"{4D36E97B-E325-11CE-BFC1-08002BE10318}"
#define WF_CLASS_CDROM		"{4D36E965-E325-11CE-BFC1-08002BE10318}"
#define WF_CLASS_VOLUME		"{71A27CDD-812A-11D0-BEC7-08002BE2092F}"
#define WF_CLASS_NET		"{4D36E972-E325-11CE-BFC1-08002BE10318}"

#endif
