/*
 * winpath.h - turn Windows paths found in the registry into paths in the
 * mounted guest filesystem.
 */
#ifndef WF_WINPATH_H
#define WF_WINPATH_H

/* The file a service's ImagePath names, as a path below the guest root
 * ("/Windows/System32/drivers/viostor.sys").  `image_path` may be NULL (the
 * kernel then loads System32\drivers\<service>.sys), relative to the system
 * root ("System32\DRIVERS\atapi.sys"), "\SystemRoot\...", "%SystemRoot%\...",
 * "\??\C:\..." or "C:\...".  `systemroot` is the guest path of the Windows
 * directory ("/Windows").  Case is kept; resolve it with
 * guestfs_case_sensitive_path.  Returns NULL for paths on another drive or
 * command lines that are not a file (service ImagePath of a user-mode
 * service with arguments is cut at ".exe"). malloc'd. */
char *wf_imagepath_to_guest(const char *image_path, const char *service,
			    const char *systemroot);

#endif
