/*
 * cmd_litmus.c - `contend litmus`, the atomics family's own command: run the SB and MP
 * litmus tests (litmus.h) under each ordering on two pinned threads, and print how often
 * each outcome (r1 r2) was seen, marking the one sequential consistency forbids.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "arch.h"
#include "command.h"
#include "litmus.h"

const char ct_cmd_litmus_summary[] =
    "litmus tests (store buffering, message passing): which outcomes each ordering allows";

#define DEFAULT_TRIALS 1000000L

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: contend litmus [--test sb|mp|all] [--ordering O|all] [--trials N]\n"
	    "                      [--cpus A,B] [--out FILE]\n\n"
	    "Two pinned threads race through N trials of a tiny program, a barrier before each;\n"
	    "every outcome (r1 r2) is counted. `*` marks the outcome sequential consistency\n"
	    "forbids; C11 allows it only under the orderings marked `allowed`. Seeing it where\n"
	    "C11 forbids it is a bug (compiler or hardware): exit status 1.\n\n"
	    "  SB  T0: x = 1; r1 = y      T1: y = 1; r2 = x       SC forbids r1 r2 = 00\n"
	    "  MP  T0: data = 1; flag = 1  T1: r1 = flag; r2 = data SC forbids r1 r2 = 10\n\n"
	    "  --test T       sb, mp or all (default)\n"
	    "  --ordering O   relaxed, release_acquire, seq_cst, fence, or all (default)\n"
	    "  --trials N     trials per test and ordering (default %ld)\n"
	    "  --cpus A,B     the two PUs (OS indices; default the first two of placement cores)\n"
	    "  --out FILE     also write the counts as JSON\n",
	    DEFAULT_TRIALS);
}

struct side {
	at_litmus *l;
	int side, pu;
	int64_t n;
	int r;
};

static void *side_main(void *p)
{
	struct side *s = p;
	ct_bind_self_os(s->pu);
	s->r = at_litmus_run(s->l, s->side, s->n);
	return NULL;
}

int ct_cmd_litmus(int argc, char **argv)
{
	const char *cpus_s = NULL, *out = NULL, *v;
	int test_sel = -1, order_sel = -1;
	long trials = DEFAULT_TRIALS;
	char err[1024];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if ((v = ct_opt_value(argc, argv, &i, "--test"))) {
			test_sel = -2;
			for (int t = 0; t < AT_LT_NTESTS; t++)
				if (!strcmp(v, at_litmus_test_name(t)))
					test_sel = t;
			if (!strcmp(v, "all"))
				test_sel = -1;
			if (test_sel == -2)
				ct_die("--test %s: unknown test (sb, mp, all)", v);
		} else if ((v = ct_opt_value(argc, argv, &i, "--ordering"))) {
			order_sel = -2;
			for (int o = 0; o < AT_LO_NORDERS; o++)
				if (!strcmp(v, at_litmus_order_name(o)))
					order_sel = o;
			if (!strcmp(v, "all"))
				order_sel = -1;
			if (order_sel == -2)
				ct_die("--ordering %s: unknown ordering (relaxed, release_acquire, "
				       "seq_cst, fence, all)",
				       v);
		} else if ((v = ct_opt_value(argc, argv, &i, "--trials"))) {
			if (ct_parse_long(v, 1, 1000000000L, &trials) != 0)
				ct_die("--trials %s: not a trial count from 1 to 1e9", v);
		} else if ((v = ct_opt_value(argc, argv, &i, "--cpus"))) {
			cpus_s = v;
		} else if ((v = ct_opt_value(argc, argv, &i, "--out"))) {
			out = v;
		} else {
			ct_die("litmus: unknown option '%s' (see contend litmus --help)", argv[i]);
		}
	}
	int pus[2];
	if (ct_cmd_pick_pus(cpus_s, 2, pus, err, sizeof(err)) != 0)
		ct_die("litmus: %s", err);
	if (out && ct_cmd_check_out(out, err, sizeof(err)) != 0)
		ct_die("%s", err);

	struct utsname u;
	printf("litmus: %ld trials per test and ordering, threads on PUs %d and %d (%s)\n", trials,
	       pus[0], pus[1], uname(&u) == 0 ? u.machine : "?");
	printf("counts of r1 r2; * marks the outcome sequential consistency forbids\n");

	json_t *results = json_array();
	int bugs = 0, stalled = 0;
	static at_litmus l;
	for (int t = 0; t < AT_LT_NTESTS; t++) {
		if (test_sel >= 0 && test_sel != t)
			continue;
		int fb = at_litmus_forbidden(t);
		printf("\n%s\n",
		       t == AT_LT_SB
			   ? "SB (store buffering)  T0: x = 1; r1 = y   T1: y = 1; r2 = x"
			   : "MP (message passing)  T0: data = 1; flag = 1   T1: r1 = flag; "
			     "r2 = data");
		printf("  %-16s", "ordering");
		for (int k = 0; k < 4; k++)
			printf(" %11s%c",
			       k == 0	? "00"
			       : k == 1 ? "01"
			       : k == 2 ? "10"
					: "11",
			       k == fb ? '*' : ' ');
		printf("  C11 on %d%d\n", fb >> 1, fb & 1);
		for (int o = 0; o < AT_LO_NORDERS; o++) {
			if (order_sel >= 0 && order_sel != o)
				continue;
			at_litmus_init(&l, t, o);
			struct side s[2] = {{&l, 0, pus[0], trials, 0}, {&l, 1, pus[1], trials, 0}};
			pthread_t th[2];
			uint64_t t0 = ct_now_ns();
			for (int k = 0; k < 2; k++)
				if (pthread_create(&th[k], NULL, side_main, &s[k]) != 0)
					ct_die("litmus: cannot start a thread");
			for (int k = 0; k < 2; k++)
				pthread_join(th[k], NULL);
			double secs = (double)(ct_now_ns() - t0) / 1e9;
			int allows = at_litmus_c11_allows(t, o);
			printf("  %-16s", at_litmus_order_name(o));
			for (int k = 0; k < 4; k++)
				printf(" %11llu%c", (unsigned long long)l.counts[k],
				       k == fb && l.counts[k] ? '*' : ' ');
			printf("  %s", allows ? "allowed" : "forbidden");
			if (s[0].r || s[1].r) {
				printf("  STALLED (a thread stopped answering)");
				stalled = 1;
			} else if (!allows && l.counts[fb]) {
				printf("  BUG: seen although C11 forbids it");
				bugs = 1;
			}
			printf("\n");
			json_array_append_new(
			    results,
			    json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:b, s:b, s:f}", "test",
				      at_litmus_test_name(t), "ordering", at_litmus_order_name(o),
				      "outcome_00", (json_int_t)l.counts[0], "outcome_01",
				      (json_int_t)l.counts[1], "outcome_10",
				      (json_int_t)l.counts[2], "outcome_11",
				      (json_int_t)l.counts[3], "forbidden_seen",
				      (json_int_t)l.counts[fb], "c11_allows", allows, "completed",
				      !(s[0].r || s[1].r), "seconds", secs));
		}
	}

	int status = bugs || stalled;
	if (out) {
		json_t *root = json_object();
		json_object_set_new(root, "contend_litmus", json_integer(1));
		json_object_set_new(root, "context", ct_cmd_context());
		json_object_set_new(root, "trials", json_integer(trials));
		json_object_set_new(root, "pus", json_pack("[i, i]", pus[0], pus[1]));
		json_object_set_new(root, "results", json_incref(results));
		if (ct_cmd_write_json(out, root, err, sizeof(err)) != 0) {
			fprintf(stderr, "contend: %s\n", err);
			status = 1;
		}
		json_decref(root);
	}
	json_decref(results);
	return status;
}
