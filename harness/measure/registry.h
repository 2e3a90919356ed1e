/*
 * registry.h - the one registry of benchmarks (list, run and the tests read it), its
 * expansion into instances (one per thread count), and the per-run state the shim and the
 * placement share.
 */
#ifndef CONTEND_REGISTRY_H
#define CONTEND_REGISTRY_H

#include <jansson.h>
#include <stddef.h>

#include "bench.h"

/*
 * Register every family (once), through register_families: the composition root (the
 * program, a test) passes ct_families_register, which the build generates from the folders
 * of benches/, so the registry itself knows no family. Test-only benchmarks only when
 * CONTEND_TEST_BENCHES=1.
 */
void ct_registry_init(void (*register_families)(void));
/* Generated (benches/): calls every family's ct_register_<family>(). */
void ct_families_register(void);

/* The view a family declared for a workload, or NULL. */
const ct_view *ct_view_of(const char *workload);
/* A view as the results carry it (context.contend_views.<workload>). */
json_t *ct_view_json(const ct_view *v);

/* One benchmark at one thread count: the unit a child process runs. */
typedef struct ct_instance {
	const ct_def *def;
	int threads;
	char name[256]; /* exactly as Google Benchmark names it */
} ct_instance;

/*
 * Expand the registry into instances. npus is the size of the placement order (a sweep
 * runs 1, 2, 4 ... npus); override_threads (0-terminated, or NULL) replaces sweeps.
 * Returns a malloc'd array; *count is set.
 */
ct_instance *ct_instances(int npus, const int *override_threads, int *count);
/* The same with the placement's boundaries (ct_topo_boundaries, 0-terminated, or NULL)
 * added to every sweep: 1, 2, 4 ... below npus, the boundaries, npus, ascending. */
ct_instance *ct_instances_sweep(int npus, const int *boundaries, const int *override_threads,
				int *count);

/* The composed name, <workload>/<strategy>[/<key>:<value>]... (without Google Benchmark's
 * suffixes). */
void ct_compose_name(const ct_def *def, char *out, size_t outlen);

/* Google Benchmark's name for def at a thread count. */
void ct_instance_name(const ct_def *def, int threads, char *out, size_t outlen);

/* --- the shim (gbench_shim.cc) ----------------------------------------------------------*/
/*
 * Run one instance in this process with Google Benchmark, given extra gbench flags
 * (--benchmark_min_time=..., ...). On success returns a malloc'd JSON string (Google
 * Benchmark's JSON, possibly with bare NaN) and 0; on failure -1 with a message in err.
 */
int ct_shim_run(const ct_instance *inst, int nflags, char **flags, char **json_out, char *err,
		size_t errlen);
/* Version string of the Google Benchmark library (from its CMake package). */
const char *ct_shim_gbench_version(void);

/* --- per-thread hooks the shim calls (placement.c) --------------------------------------*/
void ct__thread_enter(int thread_index); /* pin benchmark thread i */
void ct__thread_leave(int thread_index); /* record the PU it ran on */

#endif
