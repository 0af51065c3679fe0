/*
 * virt-winfix - entry point.  A subcommand runs in batch mode (no curses):
 * it calls core, prints the report (text or JSON) and exits with a status
 * from cli.h.
 */
#include "cli.h"
#include "commands.h"
#include "chain.h"
#include "help.h"
#include "hosttmp.h"
#include "wizard.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef WF_VERSION
#define WF_VERSION "0.1.0"
#endif

static int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		fputs(wf_help_find("usage"), stdout);
		fputs("\nHelp topics (virt-winfix help TOPIC):\n", stdout);
		for (const struct wf_help_topic *t = wf_help_topics; t->name; t++)
			if (strcmp(t->name, "usage") && strcmp(t->name, "virt-winfix.1"))
				printf("  %s\n", t->name);
		return WF_EXIT_OK;
	}
	const char *text = wf_help_resolve(argv[1], NULL);
	if (!text)
		return wf_cli_usage_error("help: no topic \"%s\" (virt-winfix help lists them)", argv[1]);
	fputs(text, stdout);
	return WF_EXIT_OK;
}

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "inspect", wf_cmd_inspect },
	{ "log", wf_cmd_log },
	{ "diagnose", wf_cmd_diagnose },
	{ "fix", wf_cmd_fix },
	{ "undo", wf_cmd_undo },
	{ "media", wf_cmd_media },
	{ "help", cmd_help },
};

/* No subcommand: the wizard, with the images (paths: a '/' or a '.' in
 * them), the domain (-d) and options given.  Without a terminal: the
 * usage, as before. */
static int wants_wizard(int argc, char **argv)
{
	static const char *const opts[] = {
		"--domain-xml", "--target", "--wizard", "-d", "--domain", "-c", "--connect",
		"-a", "--add", "--pve-config", "--format",
	};
	if (argc < 2)
		return 1;
	const char *a = argv[1];
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		if (!strcmp(a, opts[i]))
			return 1;
	return a[0] != '-' && (strchr(a, '/') || strchr(a, '.'));
}

/* --allow-backing applies to every command and the wizard: an image may
 * then use other host files (backing file, data file, VMDK extents),
 * which are read and, by a fix, written.  Taken out of argv here (up to a
 * "--"), so each command's parser never sees it. */
static int take_allow_backing(int argc, char **argv)
{
	int out = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "--allow-backing"))
			wf_chain_allow_external(1);
		else
			argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}

/* The run's private temporary folder (hosttmp.h): made before any child
 * or thread, removed at exit whatever was interrupted. */
static int private_tmp(void)
{
	struct wf_error e = { 0 };
	if (wf_host_tmp_init(&e))
		return 0;
	wf_cli_fail(&e);
	return -1;
}

int main(int argc, char **argv)
{
	argc = take_allow_backing(argc, argv);
	if (wants_wizard(argc, argv)) {
		if (argc < 2 && !(isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))) {
			fputs(wf_help_find("usage"), stderr);
			return WF_EXIT_INPUT;
		}
		if (private_tmp() < 0)
			return WF_EXIT_INPUT;
		wf_cli_install_signals();
		return wf_wizard_main(argc, argv);
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(wf_help_find("usage"), stdout);
		return WF_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		puts("virt-winfix " WF_VERSION);
		return WF_EXIT_OK;
	}
	if (strcmp(argv[1], "help") && private_tmp() < 0)
		return WF_EXIT_INPUT;
	wf_cli_install_signals();
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	return wf_cli_usage_error("unknown command \"%s\" (virt-winfix --help lists the commands)", argv[1]);
}
