/*
 * c2c.h - the core-to-core matrix: the cache-line round trip (ct_rtt_ns, rtt.h) between
 * every pair of a set of PUs, or a recorded sample of the pairs when there are many. It
 * describes the machine (the physical limit every two-thread result is held against); each
 * result's own unit stays the rtt_before_ns measured around it.
 *
 * Pairs are unordered (a < b in the order given; the diagonal is never measured). Each pair
 * is measured `repeats` times in rounds over all selected pairs, so a host moving vCPUs
 * (seen here: 60 <-> 330 ns every few seconds) spreads over every pair instead of landing
 * on one; alternate rounds swap the two ends. Per pair: the median of the repeats, and
 * min and max as the spread.
 */
#ifndef CONTEND_C2C_H
#define CONTEND_C2C_H

#include <jansson.h>

#define CT_C2C_REPEATS 7  /* samples per pair by default */
#define CT_C2C_BATCHES 10 /* ct_rtt_ns batches of 100 round trips in one sample */

typedef struct ct_c2c_pair {
	int a, b;      /* OS indices */
	double rtt_ns; /* median over the samples; -1 if none succeeded */
	double min_ns, max_ns;
	int samples; /* samples that succeeded */
} ct_c2c_pair;

typedef struct ct_c2c {
	int npus;
	int *pus;	  /* distinct OS indices, in the order given */
	long pairs_total; /* npus * (npus - 1) / 2 */
	int npairs;	  /* selected (and measured) */
	ct_c2c_pair *pairs;
	int repeats;
	const char *selection; /* "all", or how the sample was drawn */
	double span_s;	       /* rounds started at r/repeats of this */
	double seconds;	       /* how long the measurement took */
} ct_c2c;

/*
 * Measure the pairs of pus (duplicates dropped): all of them when there are at most
 * sample_max, otherwise sample_max of them: every pair with the first PU (so each PU
 * appears), then pairs drawn with a fixed seed (the same sample each time). Threads are
 * pinned with ct_bind_self_os, so the topology must be loaded (ct_topo_load). span_s > 0
 * starts round r at r/repeats of span_s (sleeping between rounds), so the
 * spread shows placement drift that comes and goes every few seconds; 0: back to back.
 * 0, or -1 if out of memory. Free with ct_c2c_free.
 */
int ct_c2c_measure(const int *pus, int n, int sample_max, int repeats, double span_s, ct_c2c *out);
void ct_c2c_free(ct_c2c *m);

/* The context's `c2c` list: {"a", "b", "rtt_ns", "min_ns", "max_ns", "samples"} per pair
 * that was measured (a pair whose every sample failed is left out and counted in
 * c2c_sample.failed). */
json_t *ct_c2c_list_json(const ct_c2c *m);
/* {"pus": [...], "pairs_total", "pairs_measured", "failed", "selection", "repeats",
 *  "batches", "span_s", "seconds"}: what the list covers. */
json_t *ct_c2c_sample_json(const ct_c2c *m);

/* For the runner: measure pus (the placement order the run used), rounds back to back,
 * and return the `c2c` list; NULL if it could not be measured. */
json_t *ct_c2c_json(const int *pus, int n, int sample_max);
/* The same, setting both `c2c` and `c2c_sample` in ctx; 0 or -1. */
int ct_c2c_context(json_t *ctx, const int *pus, int n, int sample_max);

#endif
