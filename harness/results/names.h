/*
 * names.h - benchmark names: the one grammar, <workload>/<strategy>[/<key>:<value>]...
 * followed by Google Benchmark's suffixes (/real_time, /manual_time, /threads:N ...), taken
 * apart; the results schema; and the rename map that lets a schema-1 file be read.
 */
#ifndef CONTEND_NAMES_H
#define CONTEND_NAMES_H

#include <jansson.h>
#include <stddef.h>

/* The results schema this contend writes; a reader also accepts the one before it. */
#define CT_SCHEMA	   2
#define CT_SCHEMA_PREVIOUS 1

/*
 * Take a name apart: *base_len is the length of the composed part (before Google
 * Benchmark's suffixes); workload, strategy and params (a new object of key -> string) are
 * filled when the name follows the grammar. Returns 0, or -1 when it does not (fewer than
 * two parts, or a part after the strategy that is not key:value).
 */
int ct_name_parse(const char *name, size_t *base_len, char *workload, size_t wlen, char *strategy,
		  size_t slen, json_t **params);

/* The new name of a schema-1 name up to its "/threads:" part, or NULL if it did not change. */
const char *ct_name_from_v1(const char *old, size_t len);

/* A schema-1 name (suffixes and all) in the new grammar, malloc'd; NULL if unchanged. */
char *ct_name_upgrade_v1(const char *name);

/*
 * Check the schema of a loaded results document and bring it to CT_SCHEMA: a schema-1 file
 * has its names rewritten through the map (name and run_name keep their suffixes) and gets
 * workload, strategy and params. 0, or -1 with one line naming both schemas.
 */
int ct_results_upgrade(json_t *root, const char *path, char *err, size_t errlen);

#endif
