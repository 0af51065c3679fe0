/*
 * rules_disk.c - the boot disk against the VM's firmware (image mode: the
 * facts come from the appliance, c->in->disk; hive-only mode skips them).
 *
 *  - Firmware.  Windows boots a GPT disk only through UEFI, and an MBR
 *    disk only through BIOS (MS "Windows and GPT FAQ": "Can Windows boot
 *    from a GPT disk? ... only on UEFI-based systems"; MS "UEFI/GPT-based
 *    hard drive partitions" and "BIOS/MBR-based hard drive partitions").
 *    SeaBIOS runs the MBR's boot code, which a GPT disk's protective MBR
 *    from Windows Setup does not carry; OVMF looks for an EFI system
 *    partition, which an MBR Windows install does not have.
 *  - NTFS geometry (XP / 2003 / 2000).  Their NTFS boot code reads NTLDR
 *    with the BPB's sectors per track (0x18), heads (0x1A) and hidden
 *    sectors (0x1C, the volume's first LBA); values from the old
 *    machine's BIOS stop the boot with "A disk read error occurred".
 *    QEMU + SeaBIOS present the LBA-assisted translation (63 sectors, 16
 *    to 255 heads by disk size, bootsect.h); virt-v2v's convert_windows
 *    rewrites the heads field of XP/2000 guests by the same size steps
 *    (its comment: found by testing XP on RHEL 5 and Fedora 14).
 *    Vista and later boot through bootmgr with LBA reads only.
 */
#include "bootsect.h"
#include "rules.h"
#include "text.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void firmware_emit(struct wf_rctx *c, const struct wf_rule *r, int sev, const char *need,
			  const char *have, const char *why, const char *evidence)
{
	const struct wf_disk_facts *d = c->in->disk;
	struct wf_finding *f = wf_rule_emit(c, r->id, sev, "firmware", need, have, NULL);
	wf_finding_set(&f->explanation, "%s", why);
	wf_finding_set(&f->next_check,
		       "virsh edit VM: %s; then virsh dumpxml VM | grep -E \"<loader|firmware=\"",
		       strcmp(need, "UEFI") == 0 ?
		       "<os firmware='efi'> (libvirt picks OVMF; Windows 11 also wants a <tpm>)" :
		       "remove firmware='efi' and the <loader>/<nvram> lines (SeaBIOS)");
	wf_finding_add_evidence(f, "disk", d->win_device, 0, 0, evidence);
	if (c->targets->note[0])
		wf_finding_add_evidence(f, "targets", c->targets->note, 0, 0, "");
}

void wf_rule_firmware(struct wf_rctx *c, const struct wf_rule *r)
{
	const struct wf_disk_facts *d = c->in->disk;
	if (!d || !d->pttype[0])
		return;
	enum wf_firmware fw = c->targets->firmware;
	char ev[200];
	int gpt = strcmp(d->pttype, "gpt") == 0;
	if (gpt) {
		snprintf(ev, sizeof ev, "GPT; EFI system partition: %s; MBR boot code: %s",
			 d->esp ? "yes" : "none", d->mbr_code ? "yes" : "none");
		if (fw == WF_FW_EFI)
			return;
		firmware_emit(c, r, fw == WF_FW_BIOS ? WF_SEV_ERROR : WF_SEV_INFO, "UEFI",
			      fw == WF_FW_BIOS ? "BIOS" : "firmware not given",
			      fw == WF_FW_BIOS ?
			      "The disk is GPT, as Windows Setup lays it out on a UEFI machine, but the VM starts "
			      "SeaBIOS. BIOS firmware runs the boot code of the MBR, and the protective MBR of "
			      "a GPT disk has none (or none that finds Windows): the VM stops at \"No bootable "
			      "device\". Windows boots from GPT only through UEFI: give the VM OVMF." :
			      "The disk is GPT: Windows on it boots only through UEFI. No --domain-xml or "
			      "--target efi|bios was given, so the VM's firmware is not known; libvirt's default "
			      "for x86 is SeaBIOS, which cannot boot it.", ev);
		return;
	}
	if (strcmp(d->pttype, "dos") || fw != WF_FW_EFI || d->esp)
		return;
	snprintf(ev, sizeof ev, "MBR; active partition: %d; EFI system partition (type 0xEF): none",
		 d->active);
	firmware_emit(c, r, -1, "BIOS", "UEFI",
		      "The disk is MBR with an active partition and no EFI system partition, as Windows "
		      "Setup lays it out on a BIOS machine, but the VM starts OVMF (UEFI). UEFI firmware "
		      "looks for \\EFI\\BOOT\\BOOTX64.EFI on an EFI system partition and ignores the MBR's "
		      "boot code: the VM drops to the UEFI shell or \"BdsDxe: No bootable option\". Start "
		      "it with SeaBIOS, or convert the disk with mbr2gpt (Windows 10 1703+) first.", ev);
}

void wf_rule_ntfs_geometry(struct wf_rctx *c, const struct wf_rule *r)
{
	const struct wf_disk_facts *d = c->in->disk;
	if (!d || !d->bpb_ok || !d->disk_bytes || strcmp(d->pttype, "dos") ||
	    !c->winver || c->winver >= WF_WINVER(6, 0))
		return;
	if (d->active && d->active != d->win_part)
		return;		/* boots from another partition's boot sector */
	unsigned heads, spt;
	wf_bios_lba_geometry(d->disk_bytes / 512, &heads, &spt);
	int bad_geo = d->bpb_heads != heads || d->bpb_spt != spt;
	int bad_hidden = d->bpb_hidden != d->win_start;
	if (!bad_geo && !bad_hidden)
		return;
	char have[80], want[80];
	snprintf(have, sizeof have, "%u heads, %u sectors/track, %" PRIu32 " hidden sectors",
		 d->bpb_heads, d->bpb_spt, d->bpb_hidden);
	snprintf(want, sizeof want, "%u heads, %u sectors/track, %" PRIu64 " hidden sectors",
		 heads, spt, d->win_start);
	struct wf_finding *f = wf_rule_emit(c, r->id, -1, d->win_device, have, want, NULL);
	wf_finding_set(&f->explanation,
		       "%s boots through the NTFS boot sector of %s, which reads NTLDR with the disk geometry "
		       "stored in its BIOS Parameter Block: %s. On QEMU, SeaBIOS presents this %" PRIu64
		       " MiB disk with LBA-assisted translation as %u heads and %u sectors per track, and the "
		       "volume starts at sector %" PRIu64 ". With the old values the boot stops with \"A disk "
		       "read error occurred. Press Ctrl+Alt+Del to restart\".",
		       c->ver->release, d->win_device, have, d->disk_bytes >> 20, heads, spt, d->win_start);
	wf_finding_set(&f->next_check,
		       "virt-winfix cannot change a boot sector (its executor writes files and hives only). "
		       "Back up the image, then with the VM off: guestfish -a IMAGE run : pwrite-device %s "
		       "\"\\x%02x\\x%02x\\x%02x\\x%02x\" 0x18%s (little-endian sectors per track, heads at "
		       "0x18; virt-v2v rewrites the heads field the same way). Check with: guestfish -a IMAGE "
		       "--ro run : pread-device %s 12 0x18 | od -An -tu2",
		       d->win_device, spt & 0xff, spt >> 8, heads & 0xff, heads >> 8,
		       bad_hidden ? " and write the hidden sectors (4 bytes little-endian at 0x1C)" : "",
		       d->win_device);
	wf_finding_add_evidence(f, "disk", d->win_device, 0, 0, "");
	wf_finding_set(&f->evidence[f->n_evidence - 1].text,
		       "NTFS boot sector: sectors/track (0x18) = %u, heads (0x1A) = %u, hidden sectors (0x1C) = "
		       "%" PRIu32 "; partition %d starts at sector %" PRIu64 "; disk %" PRIu64 " bytes",
		       d->bpb_spt, d->bpb_heads, d->bpb_hidden, d->win_part, d->win_start, d->disk_bytes);
}
