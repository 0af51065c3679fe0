#ifndef WF_CMD_LOG_H
#define WF_CMD_LOG_H
/* virt-winfix log FILE... [--json]; argv[0] = "log". */
int wf_cmd_log(int argc, char **argv);
#endif
