/*
 * no_thread_left_test.c - anti-pattern 4 (a thread started with no way to stop it), proved
 * absent: every quick-profile benchmark of the fanout and antipatterns families (sem_,
 * fanout_, forkjoin_, wake_, anti_) runs here, in this process, through the same shim
 * `contend run` uses, and the process has as many threads after each as before it. Pools,
 * wake partners, per-job threads, event-loop workers: all must have stopped and been joined.
 */
#define _GNU_SOURCE
#include <regex.h>
#include <string.h>

#include "fanout/testutil.h"
#include "registry.h"

int main(void)
{
	regex_t re;
	int count, ran = 0;

	regcomp(&re, "^(sem|fanout|forkjoin|wake|anti)_", REG_EXTENDED | REG_NOSUB);
	ct_registry_init(ct_families_register);
	ct_instance *inst = ct_instances(2, NULL, &count);
	char mt[40], reps[] = "--benchmark_repetitions=1";
	snprintf(mt, sizeof(mt), "--benchmark_min_time=%s", CT_TSAN ? "0.0005" : "0.005");
	char *flags[] = {mt, reps};

	for (int i = 0; i < count; i++) {
		if (regexec(&re, inst[i].name, 0, NULL, 0) || !(inst[i].def->flags & CT_QUICK))
			continue;
		int before = ct_test_threads_baseline();
		uint64_t t0 = ct_now_ns();
		char *json = NULL, err[256] = "";
		int rc = ct_shim_run(&inst[i], 2, flags, &json, err, sizeof(err));
		int after = ct_test_threads();
		CHECK(rc == 0, "%s: %s", inst[i].name, err);
		CHECK(!json || !strstr(json, "\"error_occurred\": true"), "%s failed: %s",
		      inst[i].name, json);
		CHECK(after == before, "%s: %d threads before, %d after", inst[i].name, before,
		      after);
		printf("%-72s threads %d -> %d, %.0f ms\n", inst[i].name, before, after,
		       (double)(ct_now_ns() - t0) / 1e6);
		free(json);
		ran++;
	}
	CHECK(ran >= 10, "only %d benchmarks ran", ran);
	free(inst);
	regfree(&re);
	return ct_test_done("fanout_no_thread_left_test");
}
