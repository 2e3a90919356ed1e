/*
 * metric.c - which figure decides a row and in which direction: --metric NAME (and
 * --direction), or by default the metric each workload's view declares.
 */
#include "compare.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "resultsio.h"
#include "stats.h"
#include "util.h"

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

/* ---- metric ---------------------------------------------------------------------------- */

int ct_metric_resolve(const char *name, const char *direction, struct ct_metric *m, char *err,
		      size_t errlen)
{
	static const char *const lower_suffix[] = {"_ns",     "_us",  "_ms", "_time",
						   "_per_op", "_pct", "_cv", "_maxmin"};
	static const char *const lower_part[] = {"rtt", "latency", "makespan"};
	static const char *const higher_suffix[] = {"per_second", "_per_sec", "_per_s",
						    "throughput"};
	int dir = -1;
	size_t i;

	memset(m, 0, sizeof(*m));
	if (!name) {
		if (direction) {
			snprintf(err, errlen,
				 "--direction needs --metric: each row's declared "
				 "metric comes with its direction");
			return -1;
		}
		m->declared = 1;
		snprintf(m->name, sizeof(m->name), "declared metric");
		return 0;
	}
	if (!*name || strlen(name) >= sizeof(m->name)) {
		snprintf(err, errlen,
			 "--metric: give a metric name (real_time, cpu_time, "
			 "items_per_second or a counter)");
		return -1;
	}
	snprintf(m->name, sizeof(m->name), "%s", name);
	if (!strcmp(name, "drift") || !strcmp(name, "disturbed") ||
	    !strcmp(name, "oversubscribed")) {
		snprintf(err, errlen, "--metric %s: a mark the harness sets, not a measure", name);
		return -1;
	}
	if (!strcmp(name, "real_time") || !strcmp(name, "cpu_time")) {
		m->is_time = 1;
		dir = 0;
	}
	for (i = 0; dir < 0 && i < sizeof(higher_suffix) / sizeof(*higher_suffix); i++)
		if (ends_with(name, higher_suffix[i]))
			dir = 1;
	for (i = 0; dir < 0 && i < sizeof(lower_suffix) / sizeof(*lower_suffix); i++)
		if (ends_with(name, lower_suffix[i]))
			dir = 0;
	for (i = 0; dir < 0 && i < sizeof(lower_part) / sizeof(*lower_part); i++)
		if (strstr(name, lower_part[i]))
			dir = 0;
	m->is_rate = ends_with(name, "per_second");
	if (direction) {
		if (!strcmp(direction, "lower"))
			dir = 0;
		else if (!strcmp(direction, "higher"))
			dir = 1;
		else {
			snprintf(err, errlen,
				 "--direction %s: say lower or higher (which is better)",
				 direction);
			return -1;
		}
	}
	if (dir < 0) {
		snprintf(
		    err, errlen,
		    "--metric %s: cannot tell from the name whether lower or higher is better; "
		    "add --direction lower|higher",
		    name);
		return -1;
	}
	m->higher_better = dir;
	return 0;
}

int ct_metric_of_entry(const json_t *root, const json_t *e, const struct ct_metric *req,
		       struct ct_metric *out, char *err, size_t errlen)
{
	if (!req->declared) {
		*out = *req;
		return 0;
	}
	const json_t *views = json_object_get(json_object_get(root, "context"), "contend_views");
	const char *w = ct_json_string(e, "workload");
	const json_t *v = w ? json_object_get(views, w) : NULL;
	const char *name = ct_json_string(v, "metric");
	const char *dir = ct_json_string(v, "direction");

	if (!name) /* no view (a schema-1 file, an unknown workload): the time per iteration */
		return ct_metric_resolve("real_time", NULL, out, err, errlen);
	if (dir && strcmp(dir, "lower_is_better") != 0 && strcmp(dir, "higher_is_better") != 0) {
		snprintf(err, errlen,
			 "workload %s: its view's direction '%s' is neither "
			 "lower_is_better nor higher_is_better",
			 w, dir);
		return -1;
	}
	return ct_metric_resolve(name,
				 !dir				  ? NULL
				 : strcmp(dir, "lower_is_better") ? "higher"
								  : "lower",
				 out, err, errlen);
}
