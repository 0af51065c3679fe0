/* virt-winfix diagnose: why Windows will not boot or drive a device on the
 * controllers the VM presents (batch mode). */
#ifndef WF_CMD_DIAGNOSE_H
#define WF_CMD_DIAGNOSE_H

int wf_cmd_diagnose(int argc, char **argv);

#endif
