/*
 * util.h - the small utilities every layer above shares: one-line errors with exit status
 * 2 and option parsing (declared in command.h, which families see too), an allocation
 * wrapper, a string builder, the Markdown escaper, running a child with a deadline, and
 * where the gnuplot templates are.
 */
#ifndef CONTEND_UTIL_H
#define CONTEND_UTIL_H

#include <stddef.h>

#include "command.h"

/* realloc and strdup that abort on failure (n 0 allocates 1 byte). */
void *ct_xrealloc(void *p, size_t n);
char *ct_xstrdup(const char *s);

/*
 * Directory holding the gnuplot templates: plots/ next to the program (a build tree), else
 * ../share/contend/plots from the program's directory (installed); never the source tree.
 * ct_plots_dir_found sets *found to 0 when neither exists (the path is then the installed
 * one, for the error message).
 */
const char *ct_plots_dir(void);
const char *ct_plots_dir_found(int *found);

#endif
