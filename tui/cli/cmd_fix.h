/* virt-winfix fix / undo (batch mode). */
#ifndef WF_CMD_FIX_H
#define WF_CMD_FIX_H

int wf_cmd_fix(int argc, char **argv);
int wf_cmd_undo(int argc, char **argv);

#endif
