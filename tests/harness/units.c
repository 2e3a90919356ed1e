/*
 * units.c - unit checks of the harness's plain-C parts: NaN sanitising, CPU lists, the
 * results loader's errors, output-path refusal, atomic writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry.h"
#include "resultsio.h"
#include "topology.h"
#include "lib/check.h"

static void sanitize(const char *in, const char *want)
{
	char *out = ct_json_sanitize_nonfinite(in);
	if (!out || strcmp(out, want) != 0) {
		fprintf(stderr, "FAIL sanitize(%s) = %s, want %s\n", in, out ? out : "NULL", want);
		ct_check_failures++;
	}
	free(out);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

int main(void)
{
	char err[512], dir[] = "/tmp/contend-units-XXXXXX", path[600], path2[700];

	sanitize("{\"a\": NaN, \"b\": -nan, \"c\": inf, \"d\": -Infinity}",
		 "{\"a\": null, \"b\": null, \"c\": null, \"d\": null}");
	sanitize("{\"x\": 1e-05, \"y\": -2.5E+10, \"t\": true, \"f\": false, \"n\": null}",
		 "{\"x\": 1e-05, \"y\": -2.5E+10, \"t\": true, \"f\": false, \"n\": null}");
	sanitize("{\"NaN\": \"a NaN \\\" inf\"}", "{\"NaN\": \"a NaN \\\" inf\"}");
	sanitize("[NaN,NaN]", "[null,null]");

	CHECK(ct_topo_load("pack:2 core:2 pu:2", NULL, err, sizeof(err)) == 0);
	CHECK(!ct_topo_is_thissystem());
	int n = 0, *c = ct_cpus_parse("3,0-1,7", &n, err, sizeof(err));
	CHECK(c && n == 4 && c[0] == 3 && c[1] == 0 && c[2] == 1 && c[3] == 7);
	free(c);
	CHECK(!ct_cpus_parse("8", &n, err, sizeof(err)) && strstr(err, "not present"));
	CHECK(!ct_cpus_parse("1,1", &n, err, sizeof(err)) && strstr(err, "twice"));
	CHECK(!ct_cpus_parse("1,", &n, err, sizeof(err)));
	CHECK(!ct_cpus_parse("a", &n, err, sizeof(err)));
	CHECK(!ct_cpus_parse("3-1", &n, err, sizeof(err)));
	CHECK(!ct_cpus_parse("", &n, err, sizeof(err)));
	CHECK(ct_topo_load("pack:2 bogus:3", NULL, err, sizeof(err)) != 0);

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/results.json", dir);
	CHECK(!ct_results_load(path, err, sizeof(err)) && strstr(err, "No such file"));
	write_text(path, "{\"context\": {}, \"benchmarks\": [{\"name\": \"x\"}");
	CHECK(!ct_results_load(path, err, sizeof(err)) && strstr(err, "truncated"));
	write_text(path, "{\"context\": {}, \"benchmarks\": [{\"name\": x}]}");
	CHECK(!ct_results_load(path, err, sizeof(err)) && strstr(err, "malformed"));
	write_text(path, "{\"context\": {}, \"context\": {}, \"benchmarks\": []}");
	CHECK(!ct_results_load(path, err, sizeof(err)));
	write_text(path, "[1]");
	CHECK(!ct_results_load(path, err, sizeof(err)) && strstr(err, "not a results file"));
	write_text(path, "{\"context\": {}, \"benchmarks\": [{\"nam\": 1}]}");
	CHECK(!ct_results_load(path, err, sizeof(err)) && strstr(err, "no \"name\""));
	/* the schema: its own and the previous one are read, any other refused, naming both */
	write_text(path, "{\"context\": {}, \"benchmarks\": [{\"name\": \"x\"}]}");
	CHECK(!ct_results_load(path, err, sizeof(err)) && strstr(err, "contend_schema none") &&
	      strstr(err, "schema 2 and 1"));
	write_text(path, "{\"context\": {\"contend_schema\": 3}, \"benchmarks\": []}");
	CHECK(!ct_results_load(path, err, sizeof(err)) && strstr(err, "contend_schema 3"));
	write_text(path,
		   "{\"context\": {\"contend_schema\": 1}, \"benchmarks\": [{\"name\": "
		   "\"overhead_null/c/threads:1\"}, {\"name\": \"lock_counter/mutex/real_time/"
		   "threads:2\"}]}");
	json_t *j = ct_results_load(path, err, sizeof(err));
	CHECK(j != NULL);
	json_t *b0 = json_array_get(json_object_get(j, "benchmarks"), 0);
	json_t *b1 = json_array_get(json_object_get(j, "benchmarks"), 1);
	CHECK(!strcmp(json_string_value(json_object_get(b0, "name")), "overhead_null/c/threads:1"));
	CHECK(!strcmp(json_string_value(json_object_get(b0, "workload")), "overhead_null"));
	CHECK(!strcmp(json_string_value(json_object_get(b1, "name")),
		      "lock_counter/mutex/real_time/threads:2"));
	CHECK(!strcmp(json_string_value(json_object_get(b1, "strategy")), "mutex"));
	json_decref(j);
	write_text(path, "{\"context\": {\"contend_schema\": 2}, \"benchmarks\": [{\"name\": "
			 "\"chan_throughput/spsc_ring/cap:64/msg:8/real_time/threads:1\"}]}");
	j = ct_results_load(path, err, sizeof(err));
	CHECK(j != NULL);
	b0 = json_array_get(json_object_get(j, "benchmarks"), 0);
	CHECK(!strcmp(json_string_value(json_object_get(json_object_get(b0, "params"), "cap")),
		      "64"));
	CHECK(json_object_size(json_object_get(b0, "params")) == 2);
	json_decref(j);
	j = ct_results_load(dir, err, sizeof(err)); /* a run directory */
	CHECK(j != NULL);
	json_decref(j);

	/* output paths: device, directory, under a regular file */
	CHECK(ct_check_out_path("/dev/full", 1, err, sizeof(err)) != 0);
	CHECK(ct_check_out_path(dir, 1, err, sizeof(err)) != 0);
	snprintf(path2, sizeof(path2), "%s/sub/x.json", path);
	CHECK(ct_check_out_path(path2, 1, err, sizeof(err)) != 0 && strstr(err, "ot a directory"));
	snprintf(path2, sizeof(path2), "%s/new/deeper/x.json", dir);
	CHECK(ct_check_out_path(path2, 1, err, sizeof(err)) == 0);
	CHECK(ct_mkdirs_for(path2, err, sizeof(err)) == 0);
	CHECK(ct_write_file_atomic(path2, "abc", 3, err, sizeof(err)) == 0);
	struct stat sb;
	CHECK(stat(path2, &sb) == 0 && sb.st_size == 3);
	/* a failed write leaves the old file and no temporary */
	CHECK(ct_write_file_atomic("/proc/version", "x", 1, err, sizeof(err)) != 0);

	char cmd[800];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	if (ct_check_failures)
		return 1;
	printf("all unit checks passed\n");
	return 0;
}
