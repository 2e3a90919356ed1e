/*
 * sysinfo.h - what a results file records about the machine and the build, and the
 * machine's busy time (/proc/stat) for the disturbance check.
 */
#ifndef CONTEND_SYSINFO_H
#define CONTEND_SYSINFO_H

#include <jansson.h>

/* cpu_model, arch, kernel, hypervisor, smt, governor, boost, compiler, cflags, git_commit,
 * gbench_version, hwloc_version, topology{...} into ctx. */
void ct_sysinfo_fill(json_t *ctx);
/* [1, 5, 15] minute load averages (or null). */
json_t *ct_loadavg_json(void);

/* Machine CPU time from /proc/stat, in clock ticks: busy (user..steal) and total. */
typedef struct ct_cpustat {
	unsigned long long busy, total;
	int ok;
} ct_cpustat;
void ct_cpustat_read(ct_cpustat *s);

/* The same per PU (the cpuN lines), indexed by OS index: n entries, malloc'd arrays. */
typedef struct ct_cpustat_pus {
	unsigned long long *busy, *total;
	int n, ok;
} ct_cpustat_pus;
void ct_cpustat_read_pus(ct_cpustat_pus *s);
void ct_cpustat_pus_free(ct_cpustat_pus *s);
/* Clock ticks per second. */
long ct_clock_ticks(void);

#endif
