/*
 * resultsio.h - reading and writing results files: the one loader that report, compare and
 * baselines use (clear one-line errors for missing, malformed, truncated or wrong files),
 * and the atomic writer every output file goes through.
 */
#ifndef CONTEND_RESULTSIO_H
#define CONTEND_RESULTSIO_H

#include <stddef.h>

#include <jansson.h>

/* Resolve RUN (a results.json, or a run directory holding one) to the file's path. */
int ct_results_path(const char *run, char *out, size_t outlen, char *err, size_t errlen);

/*
 * Load and check a results file: valid JSON, an object with a "context" object and a
 * "benchmarks" array whose items are objects with a string "name". Returns a new reference,
 * or NULL with a one-line message in err ("FILE: what is wrong").
 */
json_t *ct_results_load(const char *run, char *err, size_t errlen);

/* The same checks on a buffer (name is used in messages); for fuzzing and pipes. */
json_t *ct_results_loadb(const char *buf, size_t len, const char *name, char *err, size_t errlen);

/* A number field of a benchmark entry; returns 0 and sets *out, or -1 if absent/null. */
int ct_json_number(const json_t *obj, const char *key, double *out);
/* A string field or NULL. */
const char *ct_json_string(const json_t *obj, const char *key);

/*
 * Refuse an output path before anything runs: one that exists and is not a regular file
 * (a device such as /dev/full, a directory), or whose parent is not a directory (ENOTDIR).
 * A missing parent directory is allowed when mkdirs is set (it is created at write time).
 * Returns 0, or -1 with a one-line message in err.
 */
int ct_check_out_path(const char *path, int mkdirs, char *err, size_t errlen);

/* Create the directories above path (like mkdir -p of its dirname). */
int ct_mkdirs_for(const char *path, char *err, size_t errlen);

/*
 * Write data to path atomically: a temporary file in the same directory, fsync, rename.
 * On any failure (ENOSPC, EFBIG, ...) the temporary is removed, path is untouched, and
 * -1 is returned with a one-line message in err.
 */
int ct_write_file_atomic(const char *path, const char *data, size_t len, char *err, size_t errlen);

/* Dump json (indent 2) and write it atomically. */
int ct_write_json_atomic(const char *path, const json_t *j, char *err, size_t errlen);

/* A copy of Google Benchmark's JSON text with every bare NaN / Infinity token (outside
 * strings) written as null, so that it is valid JSON. malloc'd; NULL if out of memory. */
char *ct_json_sanitize_nonfinite(const char *s);
#endif
