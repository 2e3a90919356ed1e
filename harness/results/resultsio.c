/*
 * resultsio.c - see resultsio.h.
 */
#define _GNU_SOURCE /* nftw, mkdtemp */
#include "resultsio.h"

#include "names.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ct_results_path(const char *run, char *out, size_t outlen, char *err, size_t errlen)
{
	struct stat sb;

	if (stat(run, &sb) != 0) {
		snprintf(err, errlen, "%s: %s", run, strerror(errno));
		return -1;
	}
	if (S_ISDIR(sb.st_mode)) {
		if ((size_t)snprintf(out, outlen, "%s/results.json", run) >= outlen) {
			snprintf(err, errlen, "%s: path too long", run);
			return -1;
		}
		if (stat(out, &sb) != 0) {
			snprintf(err, errlen, "%s: no results.json in this directory", run);
			return -1;
		}
	} else if ((size_t)snprintf(out, outlen, "%s", run) >= outlen) {
		snprintf(err, errlen, "%s: path too long", run);
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", out);
		return -1;
	}
	return 0;
}

/* The checks every results file must pass, on a parsed document (takes the reference). */
static json_t *check_results(json_t *root, const char *path, char *err, size_t errlen)
{
	json_t *ctx, *benches, *b;
	size_t i;

	if (!json_is_object(root)) {
		snprintf(err, errlen, "%s: not a results file (top level is not an object)", path);
		goto bad;
	}
	ctx = json_object_get(root, "context");
	benches = json_object_get(root, "benchmarks");
	if (!json_is_object(ctx)) {
		snprintf(err, errlen, "%s: not a results file (no \"context\" object)", path);
		goto bad;
	}
	if (!json_is_array(benches)) {
		snprintf(err, errlen, "%s: not a results file (no \"benchmarks\" array)", path);
		goto bad;
	}
	json_array_foreach (benches, i, b) {
		if (!json_is_object(b) || !json_is_string(json_object_get(b, "name"))) {
			snprintf(err, errlen, "%s: benchmark %zu has no \"name\" string", path, i);
			goto bad;
		}
	}
	if (ct_results_upgrade(root, path, err, errlen) != 0)
		goto bad;
	return root;
bad:
	json_decref(root);
	return NULL;
}

static void parse_error(const json_error_t *je, const char *path, char *err, size_t errlen)
{
	if (je->line < 0)
		snprintf(err, errlen, "%s: %s", path, je->text);
	else if (je->position == 0)
		snprintf(err, errlen, "%s: empty file, not a results file", path);
	else if (strstr(je->text, "end of file") || strstr(je->text, "premature"))
		snprintf(err, errlen, "%s:%d:%d: truncated JSON: %s", path, je->line, je->column,
			 je->text);
	else
		snprintf(err, errlen, "%s:%d:%d: malformed JSON: %s", path, je->line, je->column,
			 je->text);
}

json_t *ct_results_load(const char *run, char *err, size_t errlen)
{
	char path[PATH_MAX];
	json_error_t je;
	json_t *root;

	if (ct_results_path(run, path, sizeof(path), err, errlen) != 0)
		return NULL;
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		parse_error(&je, path, err, errlen);
		return NULL;
	}
	return check_results(root, path, err, errlen);
}

json_t *ct_results_loadb(const char *buf, size_t len, const char *name, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);

	if (!root) {
		parse_error(&je, name, err, errlen);
		return NULL;
	}
	return check_results(root, name, err, errlen);
}

int ct_json_number(const json_t *obj, const char *key, double *out)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_number(v))
		return -1;
	*out = json_number_value(v);
	return 0;
}

const char *ct_json_string(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static void dirname_of(const char *path, char *out, size_t outlen)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(out, outlen, ".");
	else if (slash == path)
		snprintf(out, outlen, "/");
	else
		snprintf(out, outlen, "%.*s", (int)(slash - path), path);
}

int ct_check_out_path_for(const char *flag, const char *path, int mkdirs, char *err, size_t errlen)
{
	struct stat sb;
	char dir[PATH_MAX];

	if (!path[0] || path[strlen(path) - 1] == '/') {
		snprintf(err, errlen, "%s %s: names a directory, a file is meant", flag, path);
		return -1;
	}
	if (stat(path, &sb) == 0) {
		if (!S_ISREG(sb.st_mode)) {
			snprintf(err, errlen, "%s %s: exists and is not a regular file", flag,
				 path);
			return -1;
		}
		return 0;
	}
	if (errno != ENOENT) {
		snprintf(err, errlen, "%s %s: %s", flag, path, strerror(errno));
		return -1;
	}
	/* Walk up to the first existing ancestor: it must be a directory. */
	dirname_of(path, dir, sizeof(dir));
	for (;;) {
		if (stat(dir, &sb) == 0) {
			if (!S_ISDIR(sb.st_mode)) {
				snprintf(err, errlen, "%s %s: %s is not a directory", flag, path,
					 dir);
				return -1;
			}
			break;
		}
		if (errno != ENOENT) {
			snprintf(err, errlen, "%s %s: %s", flag, path, strerror(errno));
			return -1;
		}
		if (!mkdirs) {
			snprintf(err, errlen, "%s %s: directory %s does not exist", flag, path,
				 dir);
			return -1;
		}
		char up[PATH_MAX];
		dirname_of(dir, up, sizeof(up));
		if (strcmp(up, dir) == 0)
			break;
		snprintf(dir, sizeof(dir), "%s", up);
	}
	return 0;
}

int ct_check_out_path(const char *path, int mkdirs, char *err, size_t errlen)
{
	return ct_check_out_path_for("--out", path, mkdirs, err, errlen);
}

static int empty_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	return empty;
}

/* 1: exists (empty, or holding marker), 0: to be created, -1: refused. */
static int out_dir_state(const char *out, const char *marker, const char *what, char *err,
			 size_t errlen)
{
	struct stat sb;
	char up[PATH_MAX], parent[PATH_MAX], p[PATH_MAX];

	if (lstat(out, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode)) {
			snprintf(err, errlen, "--out %s: exists and is not a directory", out);
			return -1;
		}
		snprintf(p, sizeof(p), "%s/%s", out, marker);
		if (!(lstat(p, &sb) == 0 && S_ISREG(sb.st_mode)) && !empty_dir(out)) {
			snprintf(err, errlen,
				 "--out %s: a directory holding something other than a contend "
				 "%s; give a new or empty directory",
				 out, what);
			return -1;
		}
		return 1;
	}
	if (errno == ENOTDIR) {
		snprintf(err, errlen, "--out %s: a part of the path is not a directory", out);
		return -1;
	}
	if (errno != ENOENT) {
		snprintf(err, errlen, "--out %s: %s", out, strerror(errno));
		return -1;
	}
	/* the first ancestor that exists must be a directory */
	snprintf(up, sizeof(up), "%s", out);
	for (;;) {
		dirname_of(up, parent, sizeof(parent));
		if (stat(parent, &sb) == 0) {
			if (!S_ISDIR(sb.st_mode)) {
				snprintf(err, errlen, "--out %s: %s is not a directory", out,
					 parent);
				return -1;
			}
			return 0;
		}
		if (errno != ENOENT) {
			snprintf(err, errlen, "--out %s: %s: %s", out, parent, strerror(errno));
			return -1;
		}
		if (!strcmp(parent, up) || !strcmp(parent, ".") || !strcmp(parent, "/"))
			return 0;
		snprintf(up, sizeof(up), "%s", parent);
	}
}

int ct_check_out_dir(const char *out, const char *marker, char *err, size_t errlen)
{
	char what[64];
	const char *base = strrchr(out, '/');
	int rc;

	snprintf(what, sizeof(what), "%.*s", (int)strcspn(marker, "."), marker);
	if ((rc = out_dir_state(out, marker, what, err, errlen)) < 0)
		return -1;
	base = base ? base + 1 : out;
	if (!strcmp(base, ".") || !strcmp(base, "..") || !base[0]) {
		snprintf(err, errlen, "--out %s: name the %s directory itself", out, what);
		return -1;
	}
	return rc;
}

int ct_out_dir_stage(const char *out, char *stage, size_t n, char *err, size_t errlen)
{
	char parent[PATH_MAX];
	const char *base = strrchr(out, '/');

	base = base ? base + 1 : out;
	dirname_of(out, parent, sizeof(parent));
	if ((size_t)snprintf(stage, n, "%s/.%s.tmp.XXXXXX", parent, base) >= n) {
		snprintf(err, errlen, "path too long");
		return -1;
	}
	if (ct_mkdirs_for(stage, err, errlen) != 0)
		return -1;
	if (!mkdtemp(stage)) {
		snprintf(err, errlen, "cannot create a directory in %s: %s", parent,
			 strerror(errno));
		return -2;
	}
	return 0;
}

int ct_out_dir_publish(const char *stage, const char *out, int exists, const char *what, char *err,
		       size_t errlen)
{
	char parent[PATH_MAX], old[PATH_MAX];
	const char *base = strrchr(out, '/');

	base = base ? base + 1 : out;
	dirname_of(out, parent, sizeof(parent));
	if (exists) {
		if ((size_t)snprintf(old, sizeof(old), "%s/.%s.old.XXXXXX", parent, base) >=
			sizeof(old) ||
		    !mkdtemp(old)) {
			snprintf(err, errlen, "cannot move the previous %s %s aside: %s", what, out,
				 strerror(errno));
			ct_rm_tree(stage);
			return -1;
		}
		if (rename(out, old) != 0) {
			snprintf(err, errlen, "cannot move the previous %s %s aside: %s", what, out,
				 strerror(errno));
			rmdir(old); /* the empty place made for it */
			ct_rm_tree(stage);
			return -1;
		}
	}
	if (rename(stage, out) != 0) {
		snprintf(err, errlen, "cannot rename %s to %s: %s", stage, out, strerror(errno));
		if (exists)
			rename(old, out);
		ct_rm_tree(stage);
		return -1;
	}
	if (exists)
		ct_rm_tree(old);
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

void ct_rm_tree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int ct_mkdirs_for(const char *path, char *err, size_t errlen)
{
	char dir[PATH_MAX];
	size_t i, n;

	dirname_of(path, dir, sizeof(dir));
	n = strlen(dir);
	for (i = 1; i <= n; i++) {
		if (dir[i] != '/' && dir[i] != '\0')
			continue;
		char c = dir[i];
		dir[i] = '\0';
		if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "mkdir %s: %s", dir, strerror(errno));
			return -1;
		}
		dir[i] = c;
	}
	return 0;
}

int ct_write_file_atomic(const char *path, const char *data, size_t len, char *err, size_t errlen)
{
	char dir[PATH_MAX], tmp[PATH_MAX];
	const char *base = strrchr(path, '/');
	int fd, saved;
	size_t off = 0;
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;

	base = base ? base + 1 : path;
	/* Never rename over what is not a regular file: as root, a rename onto /dev/full
	 * replaces the device node itself. The callers check the path first; this holds even
	 * when a caller forgot. */
	struct stat sb;
	if (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "cannot write %s: not a regular file; nothing written", path);
		return -1;
	}
	dirname_of(path, dir, sizeof(dir));
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.tmp.XXXXXX", dir, base) >= sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a file in %s: %s", dir, strerror(errno));
		return -1;
	}
	/* EFBIG under `ulimit -f` arrives as SIGXFSZ first: take it as an error. */
	sigaction(SIGXFSZ, &ign, &old);
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		off += (size_t)w;
	}
	if (fsync(fd) != 0 && errno != EINVAL)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	sigaction(SIGXFSZ, &old, NULL);
	return 0;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	sigaction(SIGXFSZ, &old, NULL);
	snprintf(err, errlen, "cannot write %s: %s; nothing written", path, strerror(saved));
	return -1;
}

int ct_write_json_atomic(const char *path, const json_t *j, char *err, size_t errlen)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
	int rc;

	if (!s) {
		snprintf(err, errlen, "%s: cannot serialise JSON", path);
		return -1;
	}
	size_t n = strlen(s);
	char *t = realloc(s, n + 2);
	if (!t) {
		free(s);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	t[n] = '\n';
	t[n + 1] = '\0';
	rc = ct_write_file_atomic(path, t, n + 1, err, errlen);
	free(t);
	return rc;
}

char *ct_json_sanitize_nonfinite(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(2 * n + 1), *o = out; /* "NaN" -> "null" grows by at most 1/3 */
	int in_str = 0;

	if (!out)
		return NULL;
	for (const char *p = s; *p;) {
		if (in_str) {
			if (*p == '\\' && p[1])
				*o++ = *p++;
			else if (*p == '"')
				in_str = 0;
			*o++ = *p++;
			continue;
		}
		if (*p == '"') {
			in_str = 1;
			*o++ = *p++;
			continue;
		}
		if (isdigit((unsigned char)*p) || (*p == '-' && isdigit((unsigned char)p[1]))) {
			do /* a number, exponent included */
				*o++ = *p++;
			while (*p && strchr("0123456789eE.+-", *p));
			continue;
		}
		const char *w = p;
		if ((*w == '-' || *w == '+') && isalpha((unsigned char)w[1]))
			w++;
		if (!isalpha((unsigned char)*w)) {
			*o++ = *p++;
			continue;
		}
		const char *e = w;
		while (isalpha((unsigned char)*e))
			e++;
		size_t len = (size_t)(e - w);
		if (w == p && ((len == 4 && (!strncmp(w, "true", 4) || !strncmp(w, "null", 4))) ||
			       (len == 5 && !strncmp(w, "false", 5)))) {
			memcpy(o, w, len);
			o += len;
		} else {
			memcpy(o, "null", 4); /* NaN, -nan, inf, Infinity, ... */
			o += 4;
		}
		p = e;
	}
	*o = '\0';
	return out;
}
