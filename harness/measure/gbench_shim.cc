// gbench_shim.cc - the only C++ in contend: the C API of bench.h over Google Benchmark.
//
// Every exported function is extern "C" and catches everything: no C++ exception crosses
// into C. The timed loop is begin/end (or batches), so the cost per iteration is the C loop
// itself, as in C++'s `for (auto _ : state)`.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

extern "C" {
#include "registry.h"
}

struct ct_state {
	benchmark::State *s;
	const ct_def *def;
	int64_t done; // iterations handed out by ct_batch
};

extern "C" int64_t ct_begin(ct_state *st)
{
	int64_t n = (int64_t)st->s->max_iterations;
	if (!st->s->KeepRunningBatch(n))
		return 0;
	st->done = n;
	return n;
}

extern "C" void ct_end(ct_state *st)
{
	// After ct_begin took every iteration, this call stops the clock.
	while (st->s->KeepRunningBatch(1))
		;
}

extern "C" int64_t ct_batch(ct_state *st, int64_t max)
{
	int64_t left = (int64_t)st->s->max_iterations - st->done;
	int64_t k = left < max ? left : max;
	if (k <= 0)
		k = 1; // the call that finds nothing left stops the clock
	if (!st->s->KeepRunningBatch(k))
		return 0;
	st->done += k;
	return k;
}

extern "C" void ct_pause(ct_state *st)
{
	st->s->PauseTiming();
}

extern "C" void ct_resume(ct_state *st)
{
	st->s->ResumeTiming();
}

extern "C" int ct_thread_index(const ct_state *st)
{
	return st->s->thread_index();
}

extern "C" int ct_threads(const ct_state *st)
{
	return st->s->threads();
}

extern "C" int64_t ct_arg(const ct_state *st, int i)
{
	return i >= 0 && i < st->def->nargs ? st->def->args[i] : 0;
}

extern "C" int64_t ct_iterations(const ct_state *st)
{
	return (int64_t)st->s->iterations();
}

extern "C" void ct_counter(ct_state *st, const char *name, double value, unsigned flags)
{
	try {
		int f = benchmark::Counter::kDefaults;
		if (flags & CT_COUNTER_RATE)
			f |= benchmark::Counter::kIsRate;
		if (flags & CT_COUNTER_AVG_THREADS)
			f |= benchmark::Counter::kAvgThreads;
		if (flags & CT_COUNTER_AVG_ITERATIONS)
			f |= benchmark::Counter::kAvgIterations;
		st->s->counters[name] =
		    benchmark::Counter(value, static_cast<benchmark::Counter::Flags>(f));
	} catch (...) {
		st->s->SkipWithError("contend: out of memory setting a counter");
	}
}

// Each thread's window as counters (the runner folds them into the result's "window"
// object): times relative to the first start, so they stay exact as doubles.
extern "C" void ct_window_record(ct_state *st, int threads, const uint64_t *t0, const uint64_t *t1,
				 const uint64_t *ops)
{
	try {
		uint64_t first = UINT64_MAX;
		for (int i = 0; i < threads; i++)
			first = t0[i] < first ? t0[i] : first;
		for (int i = 0; i < threads; i++) {
			std::string k = std::to_string(i);
			st->s->counters["window_start_ns_" + k] = (double)(t0[i] - first);
			st->s->counters["window_end_ns_" + k] = (double)(t1[i] - first);
			st->s->counters["window_ops_" + k] = (double)ops[i];
		}
	} catch (...) {
		st->s->SkipWithError("contend: out of memory recording the window");
	}
}

extern "C" void ct_items_processed(ct_state *st, int64_t items)
{
	st->s->SetItemsProcessed(items);
}

extern "C" void ct_label(ct_state *st, const char *text)
{
	try {
		st->s->SetLabel(text);
	} catch (...) {
	}
}

extern "C" void ct_skip_error(ct_state *st, const char *msg)
{
	st->s->SkipWithError(msg);
}

extern "C" void ct_set_iteration_time(ct_state *st, double seconds)
{
	st->s->SetIterationTime(seconds);
}

extern "C" const char *ct_shim_gbench_version(void)
{
	return CONTEND_GBENCH_VERSION;
}

static void run_c(benchmark::State &s, const ct_def *def)
{
	ct_state st{&s, def, 0};
	ct__thread_enter(s.thread_index());
	def->fn(&st, def->ctx);
	ct__thread_leave(s.thread_index());
}

// The harness's own reference: the native range-for, body a compiler barrier.
static void run_native_null(benchmark::State &s, const ct_def *)
{
	ct__thread_enter(s.thread_index());
	for (auto _ : s)
		benchmark::ClobberMemory();
	ct__thread_leave(s.thread_index());
}

extern "C" int ct_shim_run(const ct_instance *inst, int nflags, char **flags, char **json_out,
			   char *err, size_t errlen)
{
	try {
		std::vector<char *> argv;
		static char prog[] = "contend";
		argv.push_back(prog);
		for (int i = 0; i < nflags; i++)
			argv.push_back(flags[i]);
		argv.push_back(nullptr);
		int argc = (int)argv.size() - 1;
		benchmark::Initialize(&argc, argv.data());
		if (argc > 1) {
			snprintf(err, errlen, "unknown Google Benchmark flag %s", argv[1]);
			return -1;
		}
		const ct_def *def = inst->def;
		auto fn = def->fn == ct__native_null_cpp ? run_native_null : run_c;
		auto *b = benchmark::RegisterBenchmark(
		    def->name, [fn, def](benchmark::State &s) { fn(s, def); });
		b->Threads(inst->threads);
		if (def->flags & CT_MANUAL_TIME)
			b->UseManualTime();
		else if (def->flags & CT_REAL_TIME)
			b->UseRealTime();

		std::ostringstream out, errs;
		benchmark::JSONReporter json;
		json.SetOutputStream(&out);
		json.SetErrorStream(&errs);
		size_t ran = benchmark::RunSpecifiedBenchmarks(&json);
		benchmark::ClearRegisteredBenchmarks();
		if (ran == 0) {
			snprintf(err, errlen, "Google Benchmark ran nothing for %s", inst->name);
			return -1;
		}
		std::string s = out.str();
		*json_out = strdup(s.c_str());
		if (!*json_out) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		return 0;
	} catch (const std::exception &e) {
		snprintf(err, errlen, "Google Benchmark failed: %s", e.what());
	} catch (...) {
		snprintf(err, errlen, "Google Benchmark failed (unknown exception)");
	}
	return -1;
}
