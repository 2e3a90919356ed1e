/*
 * topology.h - hwloc: discovery, placement orders, binding, the topology summary, and the
 * run's placement state that benchmark threads and team threads are pinned from.
 *
 * Orders are lists of PU OS indices:
 *   compact  logical PU order (SMT siblings, then cores, then caches, then packages)
 *   scatter  round robin over the widest level first: packages, NUMA nodes, L3s, cores,
 *            then SMT siblings
 *   cores    one PU per core (default), then the remaining PUs in compact order
 *   cpus     an explicit list of OS indices, kept as given
 *   none     no binding; the order is the compact order, used only to count PUs
 */
#ifndef CONTEND_TOPOLOGY_H
#define CONTEND_TOPOLOGY_H

#include "command.h" /* ct_bind_self_os */

#include <stddef.h>

typedef enum {
	CT_PL_CORES,
	CT_PL_COMPACT,
	CT_PL_SCATTER,
	CT_PL_CPUS,
	CT_PL_NONE,
} ct_placement;

typedef struct ct_topo_summary {
	int packages, numa_nodes, l3_caches, cores, pus;
	int smt; /* PUs per core > 1 somewhere */
} ct_topo_summary;

/* Load the topology: this machine, or a synthetic description, or an XML file (at most one
 * of them non-NULL). HWLOC_SYNTHETIC / HWLOC_XMLFILE in the environment also apply. */
int ct_topo_load(const char *synthetic, const char *xml, char *err, size_t errlen);
void ct_topo_unload(void);
/* 1 if the loaded topology is this machine (binding works), 0 otherwise. */
int ct_topo_is_thissystem(void);
void ct_topo_summary_get(ct_topo_summary *s);
/* "2 packages, 4 NUMA nodes, ..." one line. */
void ct_topo_summary_line(char *out, size_t outlen);

/* Parse a placement name; -1 if unknown. */
int ct_placement_parse(const char *s, ct_placement *out);
const char *ct_placement_name(ct_placement p);

/*
 * Parse a CPU list ("0,2,4-7") into OS indices that exist in the loaded topology.
 * Returns a malloc'd array and its length, or NULL with a one-line message in err.
 */
int *ct_cpus_parse(const char *list, int *n, char *err, size_t errlen);

/* The order for a placement (cpus: the parsed list). malloc'd; *n is its length. */
int *ct_topo_order(ct_placement p, const int *cpus, int ncpus, int *n);

/*
 * The thread counts along an order at which the sharing changes: for cores, L3s, NUMA
 * nodes and packages, the count that fills the first object and the count that uses every
 * object once (1 and n left out). Writes at most max into out; returns how many.
 */
int ct_topo_boundaries(const int *order, int n, int *out, int max);

/*
 * The pairs drift is checked on: position 0 with, for each kind of sharing, the first
 * position of the order whose PU shares with position 0's no smaller object than that:
 * "core" (SMT siblings), "l3" (cores under one L3), "numa" (one NUMA node), "package",
 * "machine" (two packages). Writes at most max positions (ascending) and their kinds;
 * returns how many. Position 1 is always the first.
 */
int ct_topo_pair_sample(const int *order, int n, int *pos, const char **shares, int max);
#define CT_DRIFT_PAIRS 5 /* at most one pair per kind of sharing */

/* --- the run's placement (set once before benchmarks run) ----------------------------- */
void ct_placement_set(ct_placement p, const int *order, int n);
/* OS index of the PU the calling thread last ran on, -1 if unknown. */
int ct_current_pu(void);

/* PUs recorded for the current benchmark instance, by position in the order. */
void ct_pus_reset(void);
void ct_pus_record(int pos, int os_index);
/* "0,1,2" for positions 0..max recorded; returns the number of positions (threads). */
int ct_pus_format(char *out, size_t outlen);

#endif
