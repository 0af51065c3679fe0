/*
 * commands.h - the subcommands, one file each (cmd_<name>.c), as git keeps
 * its builtins behind builtin.h.  Each takes the arguments from its own
 * name on (argv[0] = "fix") and returns the exit status (cli.h WF_EXIT_*).
 * main.c's table maps names to these.
 */
#ifndef WF_COMMANDS_H
#define WF_COMMANDS_H

/* inspect IMAGE... [--json]: image, partitions, Windows, controllers. */
int wf_cmd_inspect(int argc, char **argv);
/* log FILE...|- [--json]: SetupAPI log diagnosis. */
int wf_cmd_log(int argc, char **argv);
/* diagnose IMAGE...: why Windows will not boot or drive a device on the
 * controllers the VM presents. */
int wf_cmd_diagnose(int argc, char **argv);
/* fix IMAGE... --fix IDS: plan, apply with backups, verify. */
int wf_cmd_fix(int argc, char **argv);
/* undo IMAGE...: put back what a fix changed. */
int wf_cmd_undo(int argc, char **argv);
/* media ISO -o NEW.iso: install media with the VirtIO drivers inside. */
int wf_cmd_media(int argc, char **argv);

#endif
