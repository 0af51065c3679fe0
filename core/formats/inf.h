/*
 * inf.h - read a driver's INF file (the package virtio-win ships next to
 * each .sys): its class, catalog, DriverVer, the hardware ids it drives
 * (Manufacturer -> Models sections for the guest's architecture), and the
 * services its install sections add (AddService: type, start, error
 * control, binary, load order group).  Fixes take these facts from the
 * INF instead of hard-coding them.
 *
 * The input is untrusted (a file from an ISO or a directory the operator
 * named): UTF-16LE with BOM, UTF-8 or ANSI text; every loop is bounded;
 * a file that is not an INF gives a one-line error naming it.
 *
 *   struct wf_inf inf;
 *   if (wf_inf_parse_file("viostor.inf", "amd64", &inf, &err) == 0) {
 *           inf.class_guid, inf.models[i].hwids[k], inf.services[0].start ...
 *           wf_inf_free(&inf);
 *   }
 *
 * Syntax followed (MS "General Syntax Rules for INF Files", "INF
 * Manufacturer/Models/AddService Directive"): [section] headers, key =
 * value, comma-separated fields, "quoted" fields with "" for a quote, ';'
 * comments, '\' line continuation, %strkey% from [Strings] (%% = %),
 * Models sections decorated NT<arch>[.major[.minor[.type[.suite[.build]]]]].
 */
#ifndef WF_INF_H
#define WF_INF_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* One AddReg line (MS "INF AddReg Directive"):
 *   reg-root, [subkey], [value-entry-name], [flags], [value[, value...]]
 * Strings substituted; the flags kept as written (FLG_ADDREG_*). */
struct wf_inf_reg {
	char *root;		/* "HKR", "HKLM", ... upper-cased */
	char *subkey;		/* "" = the root key itself */
	char *name;		/* "" = the default value */
	uint32_t flags;
	int key_only;		/* FLG_ADDREG_KEYONLY, or neither name, flags nor value */
	uint32_t type;		/* WF_REG_* from the flags' type bits */
	char **strs;		/* SZ / EXPAND_SZ (one), MULTI_SZ (each field) */
	size_t n_strs;
	unsigned char *data;	/* DWORD (4 bytes LE), BINARY and other types: the bytes */
	size_t len;
};

#define WF_ADDREG_NOCLOBBER 0x00000002u	/* do not replace a value that exists */
#define WF_ADDREG_DELVAL 0x00000004u	/* delete, not add */
#define WF_ADDREG_APPEND 0x00000008u	/* append to a MULTI_SZ */
#define WF_ADDREG_KEYONLY 0x00000010u
#define WF_ADDREG_OVERWRITEONLY 0x00000020u	/* only replace a value that exists */

struct wf_inf_model {
	char *desc;		/* device description (strings substituted) */
	char *install;		/* install section name */
	char *decoration;	/* "NTamd64.10.0...16299", "" undecorated */
	char **hwids;		/* hardware ids, as written: "PCI\VEN_1AF4&DEV_1001&SUBSYS_00021AF4&REV_00" */
	size_t n_hwids;
	struct wf_inf_reg *hw_addreg;	/* AddReg of <install>[.NT<arch>|.NT].HW: HKR = the device's key */
	size_t n_hw_addreg;
};

struct wf_inf_service {
	char *name;		/* AddService name */
	int has_type, has_start, has_error;
	uint32_t type, start, error_control;
	char *binary;		/* ServiceBinary as written: "%12%\viostor.sys" */
	char *group;		/* LoadOrderGroup, NULL when absent */
	char *display;		/* DisplayName, NULL when absent */
	struct wf_inf_reg *addreg;	/* AddReg of its service-install section: HKR = Services\<name> */
	size_t n_addreg;
};

struct wf_inf {
	char *name;		/* label for messages */
	char *class_name;	/* [Version] Class */
	char *class_guid;	/* [Version] ClassGuid "{...}" */
	char *provider;
	char *catalog;		/* CatalogFile for the architecture, else CatalogFile */
	char *driver_date;	/* DriverVer date "mm/dd/yyyy" */
	char *driver_version;	/* DriverVer version "a.b.c.d" */
	struct wf_inf_model *models;	/* for the architecture asked (and undecorated) */
	size_t n_models;
	struct wf_inf_service *services;	/* AddService of those models' install sections */
	size_t n_services;
	char **files;		/* [SourceDisksFiles(.arch)] names */
	size_t n_files;
};

/* `arch`: "amd64", "x86" (also "x86_64", "i386"), "arm64".  Errors:
 * "NAME: not an INF file (no [Version] section)", "NAME: line N: ...". */
int wf_inf_parse_mem(const char *name, const void *buf, size_t len,
		     const char *arch, struct wf_inf *out, struct wf_error *e);
/* At most 4 MiB of the file. */
int wf_inf_parse_file(const char *path, const char *arch, struct wf_inf *out,
		      struct wf_error *e);
void wf_inf_free(struct wf_inf *inf);

/* Does the INF list this hardware id (case-insensitive)? */
int wf_inf_has_hwid(const struct wf_inf *inf, const char *hwid);

/* ServiceBinary to a registry ImagePath relative to the system root:
 * "%12%\viostor.sys" -> "System32\drivers\viostor.sys" (dirids 10, 11,
 * 12).  malloc'd; NULL for other dirids. */
char *wf_inf_imagepath(const char *binary);

#endif
