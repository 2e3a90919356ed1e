/*
 * fuzz_results.c - libFuzzer target over everything that reads results JSON: the loader's
 * checks, then what report and compare build from a document. Built by the `fuzz` preset
 * (clang 14, -fsanitize=fuzzer,address,undefined); scripts/fuzz runs it for a bounded time.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "report.h"
#include "resultsio.h"

/* The readers take files: each input goes through one (on tmpfs when there is one). */
static char path[256];

static int write_input(const uint8_t *data, size_t size)
{
	if (!path[0]) {
		const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
		snprintf(path, sizeof(path), "%s/contend-fuzz-%ld.json", dir, (long)getpid());
	}
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t w = fwrite(data, 1, size, f);
	return fclose(f) == 0 && w == size ? 0 : -1;
}

static void fuzz_report(void)
{
	struct rp_report r;
	char err[512], *runs[1] = {path};

	memset(&r, 0, sizeof(r));
	if (rp_load(&r, 1, runs, err, sizeof(err)) == 0)
		rp_build(&r);
	rp_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* compare: the document against itself, under two metrics */
static void fuzz_compare(const json_t *j)
{
	static const char *const metrics[] = {"real_time", "items_per_second"};
	char err[512];

	for (int i = 0; i < 2; i++) {
		struct ct_decide_opts o = {.alpha = 0.05, .threshold = 5};
		struct ct_report rep;
		memset(&rep, 0, sizeof(rep));
		if (ct_metric_resolve(metrics[i], NULL, &o.metric, err, sizeof(err)) != 0)
			continue;
		if (ct_compare_runs(j, "base", j, "new", &o, &rep, err, sizeof(err)) == 0) {
			char *md = ct_report_markdown(&rep, &o);
			free(md);
		}
		ct_report_free(&rep);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	json_t *j = ct_results_loadb((const char *)data, size, "fuzz", err, sizeof(err));

	if (!j)
		return 0;
	fuzz_compare(j);
	json_decref(j);
	/* a document the loader accepts goes on to what report and compare build from it */
	if (write_input(data, size) == 0)
		fuzz_report();
	return 0;
}
