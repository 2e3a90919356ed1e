/*
 * cli.h - what every subcommand shares: one-line errors with exit status 2, number parsing,
 * and the entry points main() dispatches to.
 *
 * A subcommand is a file harness/cmd_<name>.c defining
 *	int ct_cmd_<name>(int argc, char **argv);   argv[0] is "<name>"
 *	const char ct_cmd_<name>_summary[];         one line for `contend --help`
 * The build finds it; there is no list to edit.
 */
#ifndef CONTEND_CLI_H
#define CONTEND_CLI_H

#include <stddef.h>

/* Print "contend: <message>" on stderr and exit with status 2 (bad input). */
__attribute__((noreturn, format(printf, 1, 2))) void ct_die(const char *fmt, ...);

/* Parse a whole decimal integer in [min, max]; 0 on success, -1 otherwise. */
int ct_parse_long(const char *s, long min, long max, long *out);
/* Parse a whole finite number in [min, max]; 0 on success, -1 otherwise. */
int ct_parse_double(const char *s, double min, double max, double *out);

/*
 * Option matching for hand-written loops: if argv[*i] is `name` (then the value is the next
 * argument) or `name=value`, return the value and advance *i; otherwise NULL. A missing
 * value is an error (ct_die).
 */
const char *ct_opt_value(int argc, char **argv, int *i, const char *name);

/* Directory holding gnuplot templates: next to the program, else the source tree. */
const char *ct_plots_dir(void);

#define CT_COMMAND(n)                                                                              \
	int ct_cmd_##n(int argc, char **argv);                                                     \
	extern const char ct_cmd_##n##_summary[];
#include "commands.h"
#undef CT_COMMAND

#endif
