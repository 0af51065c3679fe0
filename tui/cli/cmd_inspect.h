#ifndef WF_CMD_INSPECT_H
#define WF_CMD_INSPECT_H
/* virt-winfix inspect IMAGE... [--json]; argv[0] = "inspect". */
int wf_cmd_inspect(int argc, char **argv);
#endif
