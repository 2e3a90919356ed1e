/*
 * runner.c - the orchestrator's timed path: each benchmark instance in a child process
 * with a deadline, the round trip and the machine's busy time measured around it, its
 * entries annotated (placement, drift, disturbance, what it declared), and repetitions
 * interleaved across processes with their aggregates computed as Google Benchmark's.
 */
#include "runner.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "plan.h"
#include "resultsio.h"
#include "rtt.h"
#include "sysinfo.h"
#include "topology.h"

/* --- merging ----------------------------------------------------------------------------*/

static void set_num_or_null(json_t *o, const char *k, double v)
{
	json_object_set_new(o, k, v >= 0 && isfinite(v) ? json_real(v) : json_null());
}

struct measures {
	json_t *pu_busy; /* per PU used: its busy share while the benchmark ran (new ref) */
	json_t *pairs;	 /* the drift pairs the benchmark used, each pair's round trips */
	double rtt_before, rtt_after, disturbed_pct;
	double speed_before, speed_after; /* ct_speed_ns() on the first PU of the order */
	int drift, disturbed, oversubscribed;
	const char *pus;
};

/* The per-thread window counters (window.h) folded into one "window" object of arrays;
 * on an aggregate (a mean of starts means nothing) they are dropped. */
static void fold_window(json_t *b)
{
	static const char *const keys[3] = {"window_start_ns_", "window_end_ns_", "window_ops_"};
	static const char *const names[3] = {"start_ns", "end_ns", "ops"};
	int agg = json_is_string(json_object_get(b, "aggregate_name"));
	json_t *arr[3] = {NULL, NULL, NULL};

	for (int i = 0;; i++) {
		char k[64];
		snprintf(k, sizeof(k), "%s%d", keys[0], i);
		if (!json_object_get(b, k))
			break;
		for (int f = 0; f < 3; f++) {
			snprintf(k, sizeof(k), "%s%d", keys[f], i);
			json_t *v = json_object_get(b, k);
			if (!agg) {
				if (!arr[f])
					arr[f] = json_array();
				json_array_append(arr[f], v ? v : json_null());
			}
			json_object_del(b, k);
		}
	}
	if (arr[0]) {
		json_t *w = json_object();
		for (int f = 0; f < 3; f++)
			json_object_set_new(w, names[f], arr[f]);
		json_object_set_new(b, "window", w);
	}
}

static void annotate(json_t *b, const struct measures *m, const ct_def *def)
{
	json_t *params = json_object();

	/* what the benchmark declared; its name is their composition (registry.c) */
	json_object_set_new(b, "workload", json_string(def->workload));
	json_object_set_new(b, "strategy", json_string(def->strategy));
	for (int i = 0; i < CT_MAX_PARAMS && def->params[i].key; i++)
		json_object_set_new(params, def->params[i].key, json_string(def->params[i].value));
	json_object_set_new(b, "params", params);
	if (def->flags & CT_WINDOWED)
		json_object_set_new(b, "windowed", json_true());
	fold_window(b);
	const char *lbl = json_string_value(json_object_get(b, "label"));
	char label[9000];

	if (lbl && *lbl)
		snprintf(label, sizeof(label), "pus:%s; %s", m->pus, lbl);
	else
		snprintf(label, sizeof(label), "pus:%s", m->pus);
	json_object_set_new(b, "label", json_string(label));
	set_num_or_null(b, "rtt_before_ns", m->rtt_before);
	set_num_or_null(b, "rtt_after_ns", m->rtt_after);
	set_num_or_null(b, "speed_before_ns", m->speed_before);
	set_num_or_null(b, "speed_after_ns", m->speed_after);
	json_object_set_new(b, "drift", json_integer(m->drift));
	json_object_set_new(b, "oversubscribed", json_integer(m->oversubscribed));
	set_num_or_null(b, "disturbed_pct", m->disturbed_pct);
	if (m->pu_busy)
		json_object_set(b, "pu_busy_pct", m->pu_busy);
	if (m->pairs)
		json_object_set(b, "rtt_pairs", m->pairs);
	json_object_set_new(b, "disturbed", json_integer(m->disturbed));
}

/* An explicit skip: error_occurred with a message "skipped: ..." (bench.h). */
int ct_result_is_skip(const json_t *b)
{
	const char *msg = json_string_value(json_object_get(b, "error_message"));
	return json_is_true(json_object_get(b, "error_occurred")) && msg &&
	       !strncmp(msg, "skipped: ", 9);
}

static json_t *failed_entry(const ct_instance *inst, const char *why)
{
	return json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:b, s:s}", "name", inst->name, "run_name",
			 inst->name, "run_type", "iteration", "repetitions", 0, "repetition_index",
			 0, "threads", inst->threads, "error_occurred", 1, "error_message", why);
}

/* A short figure for the progress line: the median (or only) run. */
static void figure(json_t *benches, size_t from, char *out, size_t outlen)
{
	json_t *b, *pick = NULL;
	size_t i;

	out[0] = '\0';
	for (i = from; i < json_array_size(benches); i++) {
		b = json_array_get(benches, i);
		const char *agg = json_string_value(json_object_get(b, "aggregate_name"));
		if (json_is_true(json_object_get(b, "error_occurred"))) {
			const char *msg = json_string_value(json_object_get(b, "error_message"));
			if (ct_result_is_skip(b))
				snprintf(out, outlen, "SKIPPED: %s", msg + 9);
			else
				snprintf(out, outlen, "FAILED: %s", msg);
			return;
		}
		if (!pick || (agg && !strcmp(agg, "median")))
			pick = b;
	}
	if (!pick)
		return;
	double t = 0, ips = 0;
	ct_json_number(pick, "real_time", &t);
	const char *unit = json_string_value(json_object_get(pick, "time_unit"));
	int off = snprintf(out, outlen, "%.4g %s/iter", t, unit ? unit : "ns");
	if (ct_json_number(pick, "items_per_second", &ips) == 0 && off > 0 && (size_t)off < outlen)
		snprintf(out + off, outlen - (size_t)off, ", %.4g items/s", ips);
}

/* --- one child, and what the parent measures around it ---------------------------------*/

struct runstate {
	const ct_run_opts *o;
	const int *order;
	int norder, pinned;
	int npairs, pair_pos[CT_DRIFT_PAIRS]; /* ct_topo_pair_sample: pair_pos[0] is 1 */
	const char *pair_shares[CT_DRIFT_PAIRS];
	long ticks;
	int failed, skipped, pus_used;
	json_t *gb_ctx; /* Google Benchmark's context from the first child */
	struct measures last;
};

/*
 * Other CPU time on the PUs the benchmark used (the per-CPU lines of /proc/stat): busy
 * time there less the child's own CPU time, over their total; each PU's busy share is
 * recorded too. Pinned runs only: unpinned (placement none), the whole machine counts.
 */
static void disturbance(const struct runstate *rs, const ct_cpustat *c0, const ct_cpustat *c1,
			const ct_cpustat_pus *p0, const ct_cpustat_pus *p1, int used,
			double child_cpu_s, struct measures *m)
{
	double busy = 0, total = 0;
	int have = rs->pinned && p0->ok && p1->ok && used > 0;

	for (int i = 0; have && i < used; i++) {
		int pu = rs->order[i];
		if (pu < 0 || pu >= p0->n || pu >= p1->n) {
			have = 0;
			break;
		}
		double b = (double)(p1->busy[pu] - p0->busy[pu]),
		       t = (double)(p1->total[pu] - p0->total[pu]);
		busy += b;
		total += t;
		if (!m->pu_busy)
			m->pu_busy = json_object();
		char k[16];
		snprintf(k, sizeof(k), "%d", pu);
		json_object_set_new(m->pu_busy, k, t > 0 ? json_real(100.0 * b / t) : json_null());
	}
	if (!have) { /* the whole machine */
		json_decref(m->pu_busy);
		m->pu_busy = NULL;
		if (!(c0->ok && c1->ok && c1->total > c0->total))
			return;
		busy = (double)(c1->busy - c0->busy);
		total = (double)(c1->total - c0->total);
	}
	if (total <= 0) { /* not one tick on those PUs: below the counters' resolution */
		m->disturbed_pct = 0;
		return;
	}
	double others = busy / (double)rs->ticks - child_cpu_s;
	/* /proc/stat counts in ticks (10 ms): below two ticks is rounding */
	if (others < 2.0 / (double)rs->ticks)
		others = 0;
	m->disturbed_pct = 100.0 * others / (total / (double)rs->ticks);
	m->disturbed = m->disturbed_pct > 10.0;
}

/* Run inst once (with reps repetitions inside the child) and append its entries, annotated,
 * to out. Returns -1 when interrupted (nothing appended). */
static int run_step(struct runstate *rs, const ct_instance *inst, long reps, json_t *out)
{
	struct measures m = {.rtt_before = -1,
			     .rtt_after = -1,
			     .disturbed_pct = -1,
			     .speed_before = -1,
			     .speed_after = -1,
			     .pus = ""};
	struct ct_child_outcome oc;
	ct_cpustat c0, c1;
	ct_cpustat_pus p0, p1;
	const int *order = rs->order;

	/* every drift pair before (which the benchmark uses is known only after it ran); the
	 * first, positions 0 and 1, is the round trip a result's figures are in units of */
	double before[CT_DRIFT_PAIRS], after[CT_DRIFT_PAIRS];
	for (int k = 0; k < CT_DRIFT_PAIRS; k++) /* -1: not measured */
		before[k] = after[k] = -1;
	for (int k = 0; k < rs->npairs; k++)
		before[k] = ct_rtt_ns(order[0], order[rs->pair_pos[k]], rs->pinned, 15);
	if (rs->npairs)
		m.rtt_before = before[0];
	ct__rtt_before = m.rtt_before; /* the child inherits it */
	m.speed_before = ct_speed_ns(order[0], rs->pinned);
	ct_cpustat_read(&c0);
	ct_cpustat_read_pus(&p0);
	ct_child_run(inst, rs->o, reps, &oc);
	ct_cpustat_read_pus(&p1);
	ct_cpustat_read(&c1);
	m.speed_after = ct_speed_ns(order[0], rs->pinned);
	if (rs->npairs)
		m.rtt_after = after[0] =
		    ct_rtt_ns(order[0], order[rs->pair_pos[0]], rs->pinned, 15);
	if (oc.interrupted) {
		ct_cpustat_pus_free(&p0);
		ct_cpustat_pus_free(&p1);
		json_decref(oc.msg);
		return -1;
	}
	int used = rs->norder; /* PUs the benchmark ran on: all of the order if unknown */
	if (oc.msg) {
		int pos = (int)json_integer_value(json_object_get(oc.msg, "positions"));
		if (pos > 0 && pos < used)
			used = pos;
	}
	/* drift: the round trip of a pair the benchmark used moved by more than 50 % */
	for (int k = 0; k < rs->npairs && rs->pair_pos[k] < used; k++) {
		int b = order[rs->pair_pos[k]];
		if (k > 0)
			after[k] = ct_rtt_ns(order[0], b, rs->pinned, 15);
		if (before[k] > 0 && after[k] > 0) {
			double lo = fmin(before[k], after[k]), hi = fmax(before[k], after[k]);
			m.drift |= (hi - lo) / lo > 0.5;
		}
		if (!m.pairs)
			m.pairs = json_array();
		json_t *one = json_pack("{s:[i,i], s:s, s:i}", "pus", order[0], b, "shares",
					rs->pair_shares[k], "position", rs->pair_pos[k]);
		set_num_or_null(one, "before_ns", before[k]);
		set_num_or_null(one, "after_ns", after[k]);
		json_array_append_new(m.pairs, one);
	}
	disturbance(rs, &c0, &c1, &p0, &p1, used, oc.child_cpu_s, &m);
	ct_cpustat_pus_free(&p0);
	ct_cpustat_pus_free(&p1);
	if (oc.msg) {
		json_t *g = json_object_get(oc.msg, "gbench");
		json_t *gbs = json_object_get(g, "benchmarks"), *b;
		int positions = (int)json_integer_value(json_object_get(oc.msg, "positions"));
		size_t i;
		const char *pus = json_string_value(json_object_get(oc.msg, "pus"));
		if (pus)
			m.pus = pus;
		m.oversubscribed = positions > rs->norder;
		if (positions < 2)
			m.drift = 0; /* one PU: no cache line crossed, nothing drifted */
		if (positions > rs->pus_used)
			rs->pus_used = positions < rs->norder ? positions : rs->norder;
		if (!rs->gb_ctx && json_is_object(json_object_get(g, "context")))
			rs->gb_ctx = json_deep_copy(json_object_get(g, "context"));
		json_array_foreach (gbs, i, b) {
			annotate(b, &m, inst->def);
			if (ct_result_is_skip(b))
				rs->skipped++;
			else if (json_is_true(json_object_get(b, "error_occurred")))
				rs->failed++;
			json_array_append(out, b);
		}
		if (json_array_size(gbs) == 0) {
			json_t *f = failed_entry(inst, "the benchmark reported no run");
			annotate(f, &m, inst->def);
			json_array_append_new(out, f);
			rs->failed++;
		}
		json_decref(oc.msg);
	} else {
		json_t *b = failed_entry(inst, oc.error);
		annotate(b, &m, inst->def);
		json_array_append_new(out, b);
		rs->failed++;
	}
	json_decref(m.pu_busy);
	m.pu_busy = NULL;
	json_decref(m.pairs);
	m.pairs = NULL;
	rs->last = m;
	return 0;
}

static void progress(const struct runstate *rs, int k, int n, const char *name, json_t *benches,
		     size_t first)
{
	char fig[600];
	const struct measures *m = &rs->last;

	char clock[96];
	figure(benches, first, fig, sizeof(fig));
	ct_plan_step(k, clock, sizeof(clock));
	fprintf(stderr, "[%d/%d %s] %-60s %s", k, n, clock, name, fig);
	if (m->rtt_before > 0)
		fprintf(stderr, " (rtt %.0f/%.0f ns%s%s)", m->rtt_before, m->rtt_after,
			m->drift ? ", drift" : "", m->disturbed ? ", disturbed" : "");
	fputc('\n', stderr);
}

/* The report chart an instance is drawn in: its workload, every parameter that is neither
 * the view's x axis nor a series parameter, and its threads unless they are the x axis. */
static void chart_key(const ct_instance *in, char *out, size_t len)
{
	const ct_def *d = in->def;
	const ct_view *v = ct_view_of(d->workload);
	size_t n = (size_t)snprintf(out, len, "%s", v && v->cluster ? v->cluster : d->workload);

	for (int i = 0; i < CT_MAX_PARAMS && d->params[i].key && n < len; i++) {
		const char *k = d->params[i].key;
		int skip = v && v->x && !strcmp(v->x, k);
		if (v && v->series) { /* a space-separated list of keys */
			size_t kl = strlen(k);
			for (const char *p = v->series; (p = strstr(p, k)); p += kl)
				if ((p == v->series || p[-1] == ' ') && (p[kl] == ' ' || !p[kl]))
					skip = 1;
		}
		if (!skip)
			n += (size_t)snprintf(out + n, len - n, "/%s:%s", k, d->params[i].value);
	}
	if (n < len && !(v && v->x && !strcmp(v->x, "threads")))
		snprintf(out + n, len - n, "/threads:%d", in->threads);
}

void ct_run(ct_instance **sel, int nsel, const ct_run_opts *opts, ct_run_result *res)
{
	json_t *benches = json_array();
	const ct_run_opts o = *opts;
	struct runstate rs = {.o = &o,
			      .order = o.order,
			      .norder = o.norder,
			      .pinned = o.pinned,
			      .ticks = ct_clock_ticks()};
	/* none with fewer than two PUs: no round trip to measure */
	rs.npairs =
	    ct_topo_pair_sample(o.order, o.norder, rs.pair_pos, rs.pair_shares, CT_DRIFT_PAIRS);
	char est[32];
	ct_plan_format(ct_plan_begin(sel, nsel, o.min_time, o.repetitions, o.interleave), est,
		       sizeof(est));
	fprintf(stderr,
		"contend: estimated %s for the whole run (contend run --dry-run lists it)\n", est);
	if (!o.interleave) {
		for (int k = 0; k < nsel && !ct_runner_interrupted(); k++) {
			size_t first = json_array_size(benches);
			if (run_step(&rs, sel[k], o.repetitions, benches) != 0)
				break;
			progress(&rs, k + 1, nsel, sel[k]->name, benches, first);
		}
	} else {
		/* Repetition r of every benchmark, then r + 1: each repetition in its own
		 * process at its own time, so the spread between repetitions includes what
		 * changes over minutes on this machine, not only within one process, and each
		 * benchmark's repetitions are spread over the whole run, so two runs see the same
		 * mix of host states. Within a pass, the benchmarks of one report chart run one
		 * after another, so the strategies it compares see the same seconds. */
		json_t **per = calloc((size_t)nsel, sizeof(json_t *));
		int *group = calloc((size_t)nsel, sizeof(int)), ngroups = 0;
		char(*keys)[512] = calloc((size_t)nsel, sizeof(*keys));
		if (!per || !group || !keys)
			abort();
		/* the benchmarks of one report chart: a group, run together in each pass */
		for (int k = 0; k < nsel; k++) {
			per[k] = json_array();
			chart_key(sel[k], keys[k], sizeof(keys[k]));
			group[k] = -1;
			for (int j = 0; j < k && group[k] < 0; j++)
				if (!strcmp(keys[j], keys[k]))
					group[k] = group[j];
			if (group[k] < 0)
				group[k] = ngroups++;
		}
		int step = 0, nsteps = nsel * (int)o.repetitions;
		for (long r = 0; r < o.repetitions && !ct_runner_interrupted(); r++)
			for (int g = 0; g < ngroups && !ct_runner_interrupted(); g++)
				for (int k = 0; k < nsel && !ct_runner_interrupted(); k++) {
					if (group[k] != g)
						continue;
					json_t *one = json_array(), *b;
					size_t i;
					if (run_step(&rs, sel[k], 1, one) != 0) {
						json_decref(one);
						break;
					}
					json_array_foreach (one, i, b) {
						json_object_set_new(b, "repetitions",
								    json_integer(o.repetitions));
						json_object_set_new(b, "repetition_index",
								    json_integer(r));
					}
					progress(&rs, ++step, nsteps, sel[k]->name, one, 0);
					json_array_extend(per[k], one);
					json_decref(one);
				}
		for (int k = 0; k < nsel; k++) {
			json_array_extend(benches, per[k]);
			ct_add_aggregates(benches, per[k]);
			json_decref(per[k]);
		}
		free(per);
		free(group);
		free(keys);
	}
	res->benches = benches;
	res->gb_ctx = rs.gb_ctx;
	res->failed = rs.failed;
	res->skipped = rs.skipped;
	res->pus_used = rs.pus_used;
	res->interrupted = ct_runner_interrupted();
}
