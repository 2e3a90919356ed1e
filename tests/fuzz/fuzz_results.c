/*
 * fuzz_results.c - libFuzzer target over everything that reads results JSON: the loader's
 * checks, then what report and compare build from a document. Built by the `fuzz` preset
 * (clang 14, -fsanitize=fuzzer,address,undefined); scripts/fuzz runs it for a bounded time.
 */
#include <stddef.h>
#include <stdint.h>

#include "resultsio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	json_t *j = ct_results_loadb((const char *)data, size, "fuzz", err, sizeof(err));

	if (!j)
		return 0;
	json_decref(j);
	return 0;
}
