/*
 * command.h - the hook by which a family adds its own `contend` subcommand, and the few
 * services such a command may use (option parsing, one-line errors, pinning to PUs of this
 * machine, writing a JSON record with the run's context).
 *
 * A family command is a file benches/<family>/cmd_<name>.c defining
 *	int ct_cmd_<name>(int argc, char **argv);   argv[0] is "<name>"
 *	const char ct_cmd_<name>_summary[];         one line for `contend --help`
 * The build finds it next to the harness's own commands; there is no list to edit. It
 * includes only api/ headers, as every file of a family does.
 */
#ifndef CONTEND_COMMAND_H
#define CONTEND_COMMAND_H

#include <jansson.h>
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

/*
 * Choose `want` PUs of this machine for a command's threads: the OS indices in `cpus` (a
 * LIST as `run --cpus` takes it; exactly `want` distinct ones), or the first `want` of the
 * `cores` placement. Refuses a topology that is not this machine (binding would do
 * nothing). Writes OS indices to out[0..want-1]; 0 on success, -1 with a message.
 */
int ct_cmd_pick_pus(const char *cpus, int want, int *out, char *err, size_t errlen);

/* Bind the calling thread to the PU with this OS index; 0 on success. */
int ct_bind_self_os(int os_index);

/* A JSON object describing this machine and build (CPU, topology, kernel, compiler...). */
json_t *ct_cmd_context(void);

/* Check path is writable, create its folders and write doc atomically; 0 or -1 + err. */
int ct_cmd_write_json(const char *path, const json_t *doc, char *err, size_t errlen);
/* Check before the work starts that path could be written (0), or -1 with a message. */
int ct_cmd_check_out(const char *path, char *err, size_t errlen);

#endif
