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
/* The same, the message naming the option that gave the path (ct_check_out_path: --out). */
int ct_check_out_path_for(const char *flag, const char *path, int mkdirs, char *err, size_t errlen);

/*
 * An output directory a command builds whole (report, history), checked before anything
 * runs: OUT (no trailing '/') may be missing, an empty directory, or one holding a previous
 * output of the command (the regular file MARKER, e.g. "report.md"); when missing, the
 * first ancestor that exists must be a directory. OUT must name the directory itself (not
 * "." or ".."). Returns 1 (exists: to be replaced), 0 (to be created), or -1 with a
 * one-line message in err ("--out OUT: ..."; the output is named after MARKER up to its
 * first dot: "a contend report").
 */
int ct_check_out_dir(const char *out, const char *marker, char *err, size_t errlen);

/*
 * Make the temporary directory OUT is built in, beside it (PARENT/.BASE.tmp.XXXXXX, into
 * stage), creating PARENT if needed. Returns 0; -1 if the path is too long or PARENT cannot
 * be made; -2 if the directory cannot be created. err holds the message without the
 * "--out OUT: " a caller puts before it.
 */
int ct_out_dir_stage(const char *out, char *stage, size_t n, char *err, size_t errlen);

/*
 * Put the finished STAGE in place of OUT: when OUT exists (a previous output), it is moved
 * aside first, then removed, or put back if the rename fails. Returns 0, or -1 with STAGE
 * removed and a message in err ("cannot move the previous WHAT OUT aside: ..." or "cannot
 * rename STAGE to OUT: ...").
 */
int ct_out_dir_publish(const char *stage, const char *out, int exists, const char *what, char *err,
		       size_t errlen);

/* Remove a directory tree, as far as it can (rm -rf). */
void ct_rm_tree(const char *path);

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
