/*
 * main.c - `contend`: dispatch to the subcommands (harness/cmd_*.c).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "git_commit.h" /* generated at build time */

struct command {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
};

static const struct command commands[] = {
#define CT_COMMAND(n) {#n, ct_cmd_##n, ct_cmd_##n##_summary},
#include "commands.h"
#undef CT_COMMAND
};

static void usage(FILE *f)
{
	fprintf(f, "usage: contend <command> [options]   (contend <command> --help for more)\n\n"
		   "Measures which synchronization strategy wins for a workload on this "
		   "machine, and by how much.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(
	    f, "\n  --help     this text\n  --version  version, git commit, templates directory\n");
}

int main(int argc, char **argv)
{
	if (argc < 2)
		ct_die("no command given (try contend --help)");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		int found;
		const char *plots = ct_plots_dir_found(&found);
		printf("contend %s (git %s)\ntemplates: %s%s\n", CONTEND_VERSION,
		       CONTEND_GIT_COMMIT, plots, found ? "" : " (missing)");
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	ct_die("unknown command '%s' (try contend --help)", argv[1]);
}
