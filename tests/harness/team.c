/*
 * team.c - ct_team_start's promise (bench.h): when it returns, every thread it started has
 * run, pinned itself to its PU of the placement order and recorded it, and waits at the
 * gate; no member's fn runs before ct_team_go; ct_team_join waits for every fn. Many more
 * members than PUs, so a start that did not wait for them would return while the last
 * ones have not yet run.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "topology.h"
#include "lib/check.h"

#define MEMBERS 48

static atomic_int ran;

static void member(void *arg, int index)
{
	(void)arg;
	(void)index;
	atomic_fetch_add(&ran, 1);
}

int main(void)
{
	char err[256], got[MEMBERS * 8], want[MEMBERS * 8];
	if (ct_topo_load(NULL, NULL, err, sizeof err) != 0) {
		fprintf(stderr, "FAIL topology: %s\n", err);
		return 1;
	}
	int n = 0;
	int *order = ct_topo_order(CT_PL_CORES, NULL, 0, &n);
	CHECK(order && n > 0, "no placement order");
	if (!order || n <= 0)
		return 1;
	ct_placement_set(CT_PL_CORES, order, n);
	size_t off = 0;
	for (int i = 0; i < MEMBERS; i++)
		off += (size_t)snprintf(want + off, sizeof want - off, "%s%d", i ? "," : "",
					order[i % n]);

	for (int round = 0; round < 5; round++) {
		ct_pus_reset();
		atomic_store(&ran, 0);
		ct_team *t = ct_team_start(NULL, MEMBERS, 0, member, NULL);
		CHECK(t != NULL, "round %d: no team", round);
		if (!t)
			break;
		/* read at once: nothing has waited for the members but ct_team_start itself */
		int recorded = ct_pus_format(got, sizeof got);
		CHECK(recorded == MEMBERS && strcmp(got, want) == 0,
		      "round %d: after start, %d member(s) recorded, PUs %s (want %s)", round,
		      recorded, got, want);
		CHECK(atomic_load(&ran) == 0, "round %d: %d fn ran before the gate opened", round,
		      atomic_load(&ran));
		ct_team_go(t);
		ct_team_join(t);
		CHECK(atomic_load(&ran) == MEMBERS, "round %d: %d of %d fn ran by the join", round,
		      atomic_load(&ran), MEMBERS);
	}
	free(order);
	return ct_check_status("harness_team");
}
