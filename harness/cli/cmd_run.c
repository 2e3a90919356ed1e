/*
 * cmd_run.c - `contend run`: the orchestrator. Each benchmark instance runs in a child
 * process with a deadline, so a hang or a crash costs one result, never the run. Around
 * each child the parent measures the cache-line round trip between the first two PUs of
 * the placement (drift) and the machine's busy time (disturbance), then merges what the
 * child reported into one results file, written atomically.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "c2c.h"
#include "cli.h"
#include "names.h"
#include "registry.h"
#include "resultsio.h"
#include "rtt.h"
#include "sysinfo.h"
#include "topology.h"

const char ct_cmd_run_summary[] = "run benchmarks, pinned, each in a child with a deadline";

struct profile {
	const char *name;
	unsigned flag; /* 0: every registered benchmark */
	double min_time;
	long repetitions;
};

static const struct profile profiles[] = {
    {"quick", CT_QUICK, 0.02, 3},
    {"default", CT_DEFAULT, 0.1, 5},
    {"full", 0, 0.2, 5},
};

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: contend run [--quick|--full] [--filter REGEX] [--placement P] [--cpus LIST]\n"
	    "                   [--threads LIST] [--repetitions N] [--interleave] [--min-time S]\n"
	    "                   [--timeout S]"
	    " [--out PATH] [--benchmark_*=...]\n\n"
	    "Runs the benchmarks of a profile (or those matching --filter), each instance in a\n"
	    "child process with a deadline, and writes one Google Benchmark JSON results file.\n\n"
	    "  --quick          the CI profile: every family, few parameters (min time %.2g s, %ld "
	    "reps)\n"
	    "  (no flag)        the default profile (min time %.2g s, %ld repetitions)\n"
	    "  --full           every registered benchmark (min time %.2g s, %ld repetitions)\n"
	    "  --filter REGEX   run the registered benchmarks whose full name matches (POSIX "
	    "ERE);\n"
	    "                   the profile then only sets min time and repetitions\n"
	    "  --placement P    cores (default: one PU per core first), compact, scatter, none\n"
	    "  --cpus LIST      pin to these OS CPU indices, in this order (e.g. 0,2,4-7)\n"
	    "  --threads LIST   thread counts for benchmarks that sweep threads (e.g. 1,2,4)\n"
	    "  --repetitions N  repetitions of every benchmark\n"
	    "  --min-time S     minimum time of each repetition, in seconds\n"
	    "  --timeout S      deadline of each benchmark instance (default 300 s)\n"
	    "  --out PATH       the results file (default results/<host>/<UTC "
	    "stamp>-<pid>/results.json)\n"
	    "  --benchmark_*    passed to Google Benchmark as is\n\n"
	    "Exit status: 0 all ran, 1 some benchmark failed (listed), 2 bad input, 130 "
	    "interrupted.\n",
	    profiles[0].min_time, profiles[0].repetitions, profiles[1].min_time,
	    profiles[1].repetitions, profiles[2].min_time, profiles[2].repetitions);
}

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

/* --- options ------------------------------------------------------------------------------*/

struct options {
	const struct profile *profile;
	const char *filter;
	regex_t re;
	ct_placement placement;
	int placement_given;
	const char *cpus;
	int *threads; /* 0-terminated, or NULL */
	long repetitions;
	int interleave; /* each repetition its own child, round robin over benchmarks */
	double min_time;
	double timeout;
	const char *out;
	int ngb;
	char **gb; /* --benchmark_* pass-through */
};

static int *parse_threads(const char *s)
{
	int cap = 8, n = 0;
	int *v = calloc((size_t)cap + 1, sizeof(int));
	char *copy = strdup(s), *save = NULL, *tok;

	if (!v || !copy)
		ct_die("out of memory");
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long t;
		if (ct_parse_long(tok, 1, 4096, &t) != 0)
			ct_die("--threads %s: '%s' is not a thread count (1 to 4096)", s, tok);
		if (n == cap) {
			cap *= 2;
			v = realloc(v, sizeof(int) * ((size_t)cap + 1));
			if (!v)
				ct_die("out of memory");
		}
		v[n++] = (int)t;
	}
	if (n == 0 || s[strlen(s) - 1] == ',')
		ct_die("--threads %s: not a list of thread counts (e.g. 1,2,4)", s);
	v[n] = 0;
	free(copy);
	return v;
}

static void parse_options(int argc, char **argv, struct options *o)
{
	const char *v;
	int quick = 0, full = 0, have_reps = 0, have_min = 0;

	memset(o, 0, sizeof(*o));
	o->placement = CT_PL_CORES;
	o->timeout = 300;
	o->gb = calloc((size_t)argc + 1, sizeof(char *));
	if (!o->gb)
		ct_die("out of memory");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(a, "--quick")) {
			quick = 1;
		} else if (!strcmp(a, "--full")) {
			full = 1;
		} else if (!strcmp(a, "--interleave")) {
			o->interleave = 1;
		} else if ((v = ct_opt_value(argc, argv, &i, "--filter"))) {
			int rc = regcomp(&o->re, v, REG_EXTENDED | REG_NOSUB);
			if (rc != 0) {
				char msg[128];
				regerror(rc, &o->re, msg, sizeof(msg));
				ct_die("--filter %s: not a regular expression: %s", v, msg);
			}
			o->filter = v;
		} else if ((v = ct_opt_value(argc, argv, &i, "--placement"))) {
			if (ct_placement_parse(v, &o->placement) != 0)
				ct_die(
				    "--placement %s: unknown placement (cores, compact, scatter, "
				    "none; or --cpus LIST)",
				    v);
			o->placement_given = 1;
		} else if ((v = ct_opt_value(argc, argv, &i, "--cpus"))) {
			o->cpus = v;
		} else if ((v = ct_opt_value(argc, argv, &i, "--threads"))) {
			o->threads = parse_threads(v);
		} else if ((v = ct_opt_value(argc, argv, &i, "--repetitions"))) {
			if (ct_parse_long(v, 1, 1000, &o->repetitions) != 0)
				ct_die("--repetitions %s: not a count from 1 to 1000", v);
			have_reps = 1;
		} else if ((v = ct_opt_value(argc, argv, &i, "--min-time"))) {
			if (ct_parse_double(v, 0.0001, 3600, &o->min_time) != 0)
				ct_die("--min-time %s: not a time in seconds (0.0001 to 3600)", v);
			have_min = 1;
		} else if ((v = ct_opt_value(argc, argv, &i, "--timeout"))) {
			if (ct_parse_double(v, 0.1, 86400, &o->timeout) != 0)
				ct_die("--timeout %s: not a time in seconds (0.1 to 86400)", v);
		} else if ((v = ct_opt_value(argc, argv, &i, "--out"))) {
			o->out = v;
		} else if (!strncmp(a, "--benchmark_", 12)) {
			if (!strchr(a, '='))
				ct_die("%s: pass Google Benchmark flags as --benchmark_x=value", a);
			o->gb[o->ngb++] = argv[i];
		} else {
			ct_die("run: unknown option '%s' (see contend run --help)", a);
		}
	}
	if (quick && full)
		ct_die("run: --quick and --full exclude each other");
	if (o->cpus && o->placement_given)
		ct_die("run: give --placement or --cpus, not both");
	if (o->cpus)
		o->placement = CT_PL_CPUS;
	o->profile = quick ? &profiles[0] : full ? &profiles[2] : &profiles[1];
	if (!have_reps)
		o->repetitions = o->profile->repetitions;
	if (!have_min)
		o->min_time = o->profile->min_time;
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
static void child_main(const ct_instance *inst, const struct options *o, long nreps, int fd)
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

static void run_child(const ct_instance *inst, const struct options *o, long nreps,
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
static int is_skip(const json_t *b)
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
			if (is_skip(b))
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
	const struct options *o;
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
			if (is_skip(b))
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

	figure(benches, first, fig, sizeof(fig));
	fprintf(stderr, "[%d/%d] %-60s %s", k, n, name, fig);
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

/* --- the run ----------------------------------------------------------------------------*/

static void default_out(char *out, size_t outlen)
{
	char host[256] = "localhost", stamp[64];
	struct timespec ts;
	struct tm tm;

	gethostname(host, sizeof(host) - 1);
	for (char *p = host; *p; p++)
		if (*p == '/')
			*p = '_';
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	snprintf(out, outlen, "results/%s/%s.%03ldZ-%ld/results.json", host, stamp,
		 ts.tv_nsec / 1000000, (long)getpid());
}

static json_t *command_line(int argc, char **argv)
{
	size_t n = strlen("contend");
	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	char *s = malloc(n + 1);
	if (!s)
		ct_die("out of memory");
	strcpy(s, "contend");
	for (int i = 0; i < argc; i++) {
		strcat(s, " ");
		strcat(s, argv[i]);
	}
	json_t *j = json_string(s);
	free(s);
	return j;
}

int ct_cmd_run(int argc, char **argv)
{
	struct options o;
	char err[1024], outpath[PATH_MAX];
	int *cpus = NULL, ncpus = 0, norder = 0, ninst = 0, failed = 0;

	parse_options(argc, argv, &o);

	/* This machine only: binding does nothing on a synthetic or XML topology. */
	if (ct_topo_load(NULL, NULL, err, sizeof(err)) != 0)
		ct_die("%s", err);
	if (!ct_topo_is_thissystem())
		ct_die("run: the topology is not this machine (HWLOC_SYNTHETIC or HWLOC_XMLFILE "
		       "set?): threads could not be pinned; use `contend topo` to inspect it");
	if (o.cpus && !(cpus = ct_cpus_parse(o.cpus, &ncpus, err, sizeof(err))))
		ct_die("%s", err);
	int *order = ct_topo_order(o.placement, cpus, ncpus, &norder);
	ct_placement_set(o.placement, order, norder);

	ct_registry_init(ct_families_register);
	ct_instance *all = ct_instances(norder, o.threads, &ninst);
	ct_instance **sel = calloc((size_t)ninst + 1, sizeof(ct_instance *));
	int nsel = 0;
	if (!sel)
		ct_die("out of memory");
	for (int i = 0; i < ninst; i++) {
		if (o.filter ? regexec(&o.re, all[i].name, 0, NULL, 0) == 0
			     : (!o.profile->flag || (all[i].def->flags & o.profile->flag)))
			sel[nsel++] = &all[i];
	}
	if (nsel == 0)
		ct_die("run: no benchmark matches%s%s (see contend list)",
		       o.filter ? " --filter " : "", o.filter ? o.filter : " the profile");

	if (o.out)
		snprintf(outpath, sizeof(outpath), "%s", o.out);
	else
		default_out(outpath, sizeof(outpath));
	if (ct_check_out_path(outpath, 1, err, sizeof(err)) != 0)
		ct_die("%s", err);

	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	json_t *ctx = json_object(), *benches = json_array(), *gb_ctx = NULL;
	json_object_set_new(ctx, "load_avg_before", ct_loadavg_json());
	char order_s[8192];
	size_t off = 0;
	order_s[0] = '\0';
	for (int i = 0; i < norder && off < sizeof(order_s); i++)
		off += (size_t)snprintf(order_s + off, sizeof(order_s) - off, "%s%d", i ? "," : "",
					order[i]);

	int rtt_ok = norder >= 2;
	int pus_used = 0, skipped = 0; /* how far into the order any benchmark's threads reached */
	int pinned = o.placement != CT_PL_NONE;
	long ticks = ct_clock_ticks();
	fprintf(stderr,
		"contend: %d benchmark%s, profile %s, placement %s (PUs %s), %ld rep%s, "
		"min time %g s, deadline %g s each -> %s\n",
		nsel, nsel == 1 ? "" : "s", o.profile->name, ct_placement_name(o.placement),
		order_s, o.repetitions, o.repetitions == 1 ? "" : "s", o.min_time, o.timeout,
		outpath);

	struct runstate rs = {.o = &o,
			      .order = order,
			      .norder = norder,
			      .rtt_ok = rtt_ok,
			      .pinned = pinned,
			      .ticks = ticks};
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
			ct_die("out of memory");
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
	failed = rs.failed;
	skipped = rs.skipped;
	pus_used = rs.pus_used;
	gb_ctx = rs.gb_ctx;

	/* Google Benchmark's own context first (date, host, caches ...), then ours. */
	json_t *root_ctx = gb_ctx ? gb_ctx : json_object();
	json_object_update(root_ctx, ctx);
	json_decref(ctx);
	ctx = root_ctx;
	json_object_set_new(ctx, "contend_schema", json_integer(CT_SCHEMA));
	json_object_set_new(ctx, "contend_version", json_string(CONTEND_VERSION));
	json_object_set_new(ctx, "command_line", command_line(argc, argv));
	json_object_set_new(ctx, "profile", json_string(o.profile->name));
	json_object_set_new(ctx, "profile_min_time", json_real(o.min_time));
	json_object_set_new(ctx, "profile_repetitions", json_integer(o.repetitions));
	json_object_set_new(ctx, "interleaved", json_boolean(o.interleave));
	json_object_set_new(ctx, "filter", o.filter ? json_string(o.filter) : json_null());
	json_object_set_new(ctx, "placement", json_string(ct_placement_name(o.placement)));
	json_object_set_new(ctx, "placement_order", json_string(order_s));
	ct_sysinfo_fill(ctx);
	/* What the report, compare and history need to know of each workload that ran. */
	json_t *views = json_object();
	for (int i = 0; i < nsel; i++) {
		const char *w = sel[i]->def->workload;
		const ct_view *v = json_object_get(views, w) ? NULL : ct_view_of(w);
		if (v)
			json_object_set_new(views, w, ct_view_json(v));
	}
	json_object_set_new(ctx, "contend_views", views);
	/* The machine's limit for the PUs this run used (unpinned pairs mean nothing). */
	if (pinned && pus_used >= 2 && !interrupted)
		ct_c2c_context(ctx, order, pus_used, 64);
	json_object_set_new(ctx, "load_avg_after", ct_loadavg_json());
	json_object_set_new(ctx, "interrupted", json_boolean(interrupted));
	json_t *root = json_pack("{s:o, s:o}", "context", ctx, "benchmarks", benches);

	int rc = failed ? 1 : 0;
	if (ct_mkdirs_for(outpath, err, sizeof(err)) != 0 ||
	    ct_write_json_atomic(outpath, root, err, sizeof(err)) != 0) {
		fprintf(stderr, "contend: %s\n", err);
		rc = 2;
	} else {
		printf("%s\n", outpath);
		if (failed) {
			json_t *b;
			size_t i;
			fprintf(stderr, "contend: %d run%s failed:\n", failed,
				failed == 1 ? "" : "s");
			json_array_foreach (benches, i, b) {
				if (!json_is_true(json_object_get(b, "error_occurred")) ||
				    is_skip(b))
					continue;
				fprintf(stderr, "  %s: %s\n",
					json_string_value(json_object_get(b, "name")),
					json_string_value(json_object_get(b, "error_message")));
			}
		}
		if (skipped)
			fprintf(stderr, "contend: %d run%s skipped (see their error_message)\n",
				skipped, skipped == 1 ? "" : "s");
		if (interrupted) {
			fprintf(stderr, "contend: interrupted; the results so far are in %s\n",
				outpath);
			rc = 130;
		}
	}
	json_decref(root);
	free(sel);
	free(all);
	free(order);
	free(cpus);
	free(o.gb);
	free(o.threads);
	if (o.filter)
		regfree(&o.re);
	return rc;
}
