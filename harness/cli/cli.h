/*
 * cli.h - the entry points main() dispatches to (one per subcommand), and through util.h the
 * one-line errors and option parsing every subcommand uses.
 *
 * A subcommand is a file harness/cli/cmd_<name>.c (or benches/<family>/cmd_<name>.c, see
 * api/command.h) defining
 *	int ct_cmd_<name>(int argc, char **argv);   argv[0] is "<name>"
 *	const char ct_cmd_<name>_summary[];         one line for `contend --help`
 * The build finds it; there is no list to edit.
 */
#ifndef CONTEND_CLI_H
#define CONTEND_CLI_H

#include <stddef.h>

#include "util.h"

#define CT_COMMAND(n)                                                                              \
	int ct_cmd_##n(int argc, char **argv);                                                     \
	extern const char ct_cmd_##n##_summary[];
#include "commands.h"
#undef CT_COMMAND

#endif
