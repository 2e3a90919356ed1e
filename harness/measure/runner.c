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

#include "plan.h"
#include "resultsio.h"
#include "rtt.h"
#include "sysinfo.h"
#include "topology.h"

/* --- signals ----------------------------------------------------------------------------*/

static volatile sig_atomic_t interrupted;
static volatile sig_atomic_t child_pid;

static void on_signal(int sig)
{
	(void)sig;
	if (interrupted) { /* second signal: end at once */
		if (child_pid > 0)
			kill(-child_pid, SIGKILL);
		_exit(130);
	}
	interrupted = 1;
}

void ct_runner_signals(void)
{
	struct sigaction sa = {.sa_handler = on_signal};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int ct_runner_interrupted(void)
{
	return interrupted;
}

/* --- one instance in a child ------------------------------------------------------------*/

static int write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The child: run the instance, write {"gbench": ..., "pus": "...", "positions": N}. */
static void child_main(const ct_instance *inst, const ct_run_opts *o, long nreps, int fd)
{
	char *flags[64 + 4];
	char mt[64], reps[64], err[512];
	int nf = 0;
	char *raw = NULL;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	snprintf(mt, sizeof(mt), "--benchmark_min_time=%g", o->min_time);
	snprintf(reps, sizeof(reps), "--benchmark_repetitions=%ld", nreps);
	flags[nf++] = mt;
	flags[nf++] = reps;
	for (int i = 0; i < o->ngb && nf < 64; i++)
		flags[nf++] = o->gb[i];
	ct_pus_reset();
	if (ct_shim_run(inst, nf, flags, &raw, err, sizeof(err)) != 0) {
		fprintf(stderr, "contend: %s: %s\n", inst->name, err);
		_exit(3);
	}
	char *clean = ct_json_sanitize_nonfinite(raw);
	json_error_t je;
	json_t *g = clean ? json_loads(clean, 0, &je) : NULL;
	if (!g) {
		fprintf(stderr, "contend: %s: Google Benchmark wrote JSON we cannot read: %s\n",
			inst->name, clean ? je.text : "out of memory");
		_exit(3);
	}
	char pus[8192];
	int positions = ct_pus_format(pus, sizeof(pus));
	json_t *msg = json_pack("{s:o, s:s, s:i}", "gbench", g, "pus", pus, "positions", positions);
	char *s = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
	if (!s || write_all(fd, s, strlen(s)) != 0)
		_exit(3);
	_exit(0);
}

struct outcome {
	json_t *msg;	    /* the child's message, or NULL */
	char error[512];    /* why it failed, when msg is NULL */
	double child_cpu_s; /* CPU time of the child */
	int interrupted;
};

static void run_child(const ct_instance *inst, const ct_run_opts *o, long nreps,
		      struct outcome *out)
{
	int pfd[2];
	char *buf = NULL;
	size_t len = 0, cap = 0;
	struct rusage ru;
	int status = 0, killed = 0;

	memset(out, 0, sizeof(*out));
	if (pipe(pfd) != 0) {
		snprintf(out->error, sizeof(out->error), "cannot create a pipe: %s",
			 strerror(errno));
		return;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(out->error, sizeof(out->error), "cannot fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return;
	}
	if (pid == 0) {
		setpgid(0, 0); /* its own group: a terminal's ^C reaches the parent only */
		close(pfd[0]);
		child_main(inst, o, nreps, pfd[1]);
	}
	setpgid(pid, pid);
	child_pid = pid;
	close(pfd[1]);
	uint64_t deadline = ct_now_ns() + (uint64_t)(o->timeout * 1e9);
	for (;;) {
		struct pollfd p = {.fd = pfd[0], .events = POLLIN};
		int r = poll(&p, 1, 100);
		if (interrupted) {
			kill(-pid, SIGKILL);
			killed = 2;
			break;
		}
		if (ct_now_ns() > deadline) {
			kill(-pid, SIGKILL);
			killed = 1;
			break;
		}
		if (r <= 0)
			continue;
		if (len + 65536 > cap) {
			cap = cap ? 2 * cap : 1 << 20;
			char *nb = realloc(buf, cap);
			if (!nb) {
				kill(-pid, SIGKILL);
				snprintf(out->error, sizeof(out->error), "out of memory");
				killed = 3;
				break;
			}
			buf = nb;
		}
		ssize_t n = read(pfd[0], buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(pfd[0]);
	while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
		;
	child_pid = 0;
	out->child_cpu_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
			   (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	if (killed == 2) {
		out->interrupted = 1;
		snprintf(out->error, sizeof(out->error), "interrupted");
	} else if (killed == 1) {
		snprintf(out->error, sizeof(out->error), "killed at its deadline of %g s (hung?)",
			 o->timeout);
	} else if (killed == 3) {
		/* error set above */
	} else if (WIFSIGNALED(status)) {
		snprintf(out->error, sizeof(out->error), "crashed: signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	} else if (WEXITSTATUS(status) != 0) {
		snprintf(out->error, sizeof(out->error),
			 "the benchmark process exited with status %d", WEXITSTATUS(status));
	} else {
		json_error_t je;
		out->msg = buf ? json_loadb(buf, len, 0, &je) : NULL;
		if (!out->msg)
			snprintf(out->error, sizeof(out->error),
				 "the benchmark process reported nothing readable");
	}
	free(buf);
}

/* --- merging ----------------------------------------------------------------------------*/

static void set_num_or_null(json_t *o, const char *k, double v)
{
	json_object_set_new(o, k, v >= 0 && isfinite(v) ? json_real(v) : json_null());
}

struct measures {
	double rtt_before, rtt_after, disturbed_pct;
	int drift, disturbed, oversubscribed;
	const char *pus;
};

static void annotate(json_t *b, const struct measures *m, const ct_def *def)
{
	json_t *params = json_object();

	/* what the benchmark declared; its name is their composition (registry.c) */
	json_object_set_new(b, "workload", json_string(def->workload));
	json_object_set_new(b, "strategy", json_string(def->strategy));
	for (int i = 0; i < CT_MAX_PARAMS && def->params[i].key; i++)
		json_object_set_new(params, def->params[i].key, json_string(def->params[i].value));
	json_object_set_new(b, "params", params);
	const char *lbl = json_string_value(json_object_get(b, "label"));
	char label[9000];

	if (lbl && *lbl)
		snprintf(label, sizeof(label), "pus:%s; %s", m->pus, lbl);
	else
		snprintf(label, sizeof(label), "pus:%s", m->pus);
	json_object_set_new(b, "label", json_string(label));
	set_num_or_null(b, "rtt_before_ns", m->rtt_before);
	set_num_or_null(b, "rtt_after_ns", m->rtt_after);
	json_object_set_new(b, "drift", json_integer(m->drift));
	json_object_set_new(b, "oversubscribed", json_integer(m->oversubscribed));
	set_num_or_null(b, "disturbed_pct", m->disturbed_pct);
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
	int norder, rtt_ok, pinned;
	long ticks;
	int failed, skipped, pus_used;
	json_t *gb_ctx; /* Google Benchmark's context from the first child */
	struct measures last;
};

/* Run inst once (with reps repetitions inside the child) and append its entries, annotated,
 * to out. Returns -1 when interrupted (nothing appended). */
static int run_step(struct runstate *rs, const ct_instance *inst, long reps, json_t *out)
{
	struct measures m = {.rtt_before = -1, .rtt_after = -1, .disturbed_pct = -1, .pus = ""};
	struct outcome oc;
	ct_cpustat c0, c1;
	const int *order = rs->order;

	if (rs->rtt_ok)
		m.rtt_before = ct_rtt_ns(order[0], order[1], rs->pinned, 15);
	ct__rtt_before = m.rtt_before; /* the child inherits it */
	ct_cpustat_read(&c0);
	run_child(inst, rs->o, reps, &oc);
	ct_cpustat_read(&c1);
	if (rs->rtt_ok)
		m.rtt_after = ct_rtt_ns(order[0], order[1], rs->pinned, 15);
	if (oc.interrupted)
		return -1;
	if (m.rtt_before > 0 && m.rtt_after > 0) {
		double lo = fmin(m.rtt_before, m.rtt_after), hi = fmax(m.rtt_before, m.rtt_after);
		m.drift = (hi - lo) / lo > 0.5;
	}
	if (c0.ok && c1.ok && c1.total > c0.total) {
		double busy = (double)(c1.busy - c0.busy) / (double)rs->ticks;
		double total = (double)(c1.total - c0.total) / (double)rs->ticks;
		double others = busy - oc.child_cpu_s;
		/* /proc/stat counts in ticks (10 ms): below two ticks is rounding */
		if (others < 2.0 / (double)rs->ticks)
			others = 0;
		m.disturbed_pct = 100.0 * others / total;
		m.disturbed = m.disturbed_pct > 10.0;
	}
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

/* --- aggregates for interleaved repetitions (as Google Benchmark writes them) -----------*/

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Fields of an entry that are not measurements. */
static int is_field(const char *k)
{
	static const char *const f[] = {"family_index", "per_family_instance_index",
					"repetitions",	"repetition_index",
					"threads",	"iterations"};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (!strcmp(k, f[i]))
			return 1;
	return 0;
}

/* The flags the harness sets: an aggregate is marked if any repetition was. */
static int is_flag(const char *k)
{
	return !strcmp(k, "drift") || !strcmp(k, "oversubscribed") || !strcmp(k, "disturbed");
}

static void add_aggregates(json_t *out, json_t *reps)
{
	static const char *const names[] = {"mean", "median", "stddev", "cv"};
	json_t *first = NULL, *b;
	size_t i, n = 0;

	json_array_foreach (reps, i, b)
		if (!json_is_true(json_object_get(b, "error_occurred"))) {
			if (!first)
				first = b;
			n++;
		}
	if (n < 2)
		return;
	double *v = malloc(sizeof(double) * n);
	if (!v)
		return;
	for (int a = 0; a < 4; a++) {
		json_t *agg = json_object();
		const char *run_name = json_string_value(json_object_get(first, "run_name"));
		char name[600];
		snprintf(name, sizeof(name), "%s_%s", run_name ? run_name : "?", names[a]);
		json_object_set_new(agg, "name", json_string(name));
		json_object_set(agg, "family_index", json_object_get(first, "family_index"));
		json_object_set(agg, "per_family_instance_index",
				json_object_get(first, "per_family_instance_index"));
		json_object_set(agg, "run_name", json_object_get(first, "run_name"));
		json_object_set_new(agg, "run_type", json_string("aggregate"));
		json_object_set_new(agg, "repetitions", json_integer((json_int_t)n));
		json_object_set(agg, "threads", json_object_get(first, "threads"));
		json_object_set_new(agg, "aggregate_name", json_string(names[a]));
		json_object_set_new(agg, "aggregate_unit",
				    json_string(a == 3 ? "percentage" : "time"));
		json_object_set_new(agg, "iterations", json_integer((json_int_t)n));
		const char *key;
		json_t *val;
		json_object_foreach (first, key, val) {
			if (!json_is_number(val) || is_field(key))
				continue;
			size_t k = 0, j;
			double mx = 0;
			json_array_foreach (reps, j, b) {
				double x;
				if (json_is_true(json_object_get(b, "error_occurred")) ||
				    ct_json_number(b, key, &x) != 0)
					continue;
				v[k++] = x;
				mx = fmax(mx, x);
			}
			if (k == 0) {
				json_object_set_new(agg, key, json_null());
				continue;
			}
			if (is_flag(key)) {
				json_object_set_new(agg, key, json_integer(mx > 0));
				continue;
			}
			double mean = 0, ss = 0, r;
			for (j = 0; j < k; j++)
				mean += v[j] / (double)k;
			for (j = 0; j < k; j++)
				ss += (v[j] - mean) * (v[j] - mean);
			double sd = k > 1 ? sqrt(ss / (double)(k - 1)) : 0;
			qsort(v, k, sizeof(double), cmp_dbl);
			double med = k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
			r = a == 0	? mean
			    : a == 1	? med
			    : a == 2	? sd
			    : mean != 0 ? sd / mean
					: NAN;
			set_num_or_null(agg, key, r);
		}
		json_object_set(agg, "time_unit", json_object_get(first, "time_unit"));
		json_object_set(agg, "label", json_object_get(first, "label"));
		json_array_append_new(out, agg);
	}
	free(v);
}

void ct_run(ct_instance **sel, int nsel, const ct_run_opts *opts, ct_run_result *res)
{
	json_t *benches = json_array();
	const ct_run_opts o = *opts;
	struct runstate rs = {.o = &o,
			      .order = o.order,
			      .norder = o.norder,
			      .rtt_ok = o.norder >= 2,
			      .pinned = o.pinned,
			      .ticks = ct_clock_ticks()};
	char est[32];
	ct_plan_format(ct_plan_begin(sel, nsel, o.min_time, o.repetitions, o.interleave), est,
		       sizeof(est));
	fprintf(stderr,
		"contend: estimated %s for the whole run (contend run --dry-run lists it)\n", est);
	if (!o.interleave) {
		for (int k = 0; k < nsel && !interrupted; k++) {
			size_t first = json_array_size(benches);
			if (run_step(&rs, sel[k], o.repetitions, benches) != 0)
				break;
			progress(&rs, k + 1, nsel, sel[k]->name, benches, first);
		}
	} else {
		/* Repetition r of every benchmark, then r + 1: each repetition in its own
		 * process at its own time, so the spread between repetitions includes what
		 * changes over minutes on this machine, not only within one process. */
		json_t **per = calloc((size_t)nsel, sizeof(json_t *));
		if (!per)
			abort();
		for (int k = 0; k < nsel; k++)
			per[k] = json_array();
		int step = 0, nsteps = nsel * (int)o.repetitions;
		for (long r = 0; r < o.repetitions && !interrupted; r++)
			for (int k = 0; k < nsel && !interrupted; k++) {
				json_t *one = json_array(), *b;
				size_t i;
				if (run_step(&rs, sel[k], 1, one) != 0) {
					json_decref(one);
					break;
				}
				json_array_foreach (one, i, b) {
					json_object_set_new(b, "repetitions",
							    json_integer(o.repetitions));
					json_object_set_new(b, "repetition_index", json_integer(r));
				}
				progress(&rs, ++step, nsteps, sel[k]->name, one, 0);
				json_array_extend(per[k], one);
				json_decref(one);
			}
		for (int k = 0; k < nsel; k++) {
			json_array_extend(benches, per[k]);
			add_aggregates(benches, per[k]);
			json_decref(per[k]);
		}
		free(per);
	}
	res->benches = benches;
	res->gb_ctx = rs.gb_ctx;
	res->failed = rs.failed;
	res->skipped = rs.skipped;
	res->pus_used = rs.pus_used;
	res->interrupted = interrupted;
}
