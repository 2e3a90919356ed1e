/*
 * litmus.h - litmus tests: two threads race through many trials of a tiny program, and
 * every outcome (r1, r2) is counted. Each trial starts at a two-thread barrier; trial i
 * stores the value i + 1, so a load reads "1" (this trial's store) or "0" (an older value)
 * and nothing is ever reset.
 *
 *   SB, store buffering   T0: x = 1; r1 = y      T1: y = 1; r2 = x
 *                         sequential consistency forbids r1 = r2 = 0
 *   MP, message passing   T0: data = 1; flag = 1  T1: r1 = flag; r2 = data
 *                         sequential consistency forbids r1 = 1, r2 = 0
 *
 * Orderings: relaxed (all relaxed), release_acquire (stores release, loads acquire; MP:
 * data relaxed, flag release/acquire), seq_cst (all seq_cst), and fence (relaxed accesses
 * with fences: SB a seq_cst fence between store and load; MP a release fence before the
 * flag store and an acquire fence after the flag load). C11 allows the SC-forbidden
 * outcome only for SB relaxed, SB release_acquire and MP relaxed; hardware decides whether
 * it shows up (x86-64 shows SB's 00 but never MP's 10: its stores are not reordered).
 *
 * What the harness's timing contributes: the barrier releases both sides within about
 * one cache-line transfer of each other, so most trials run one side wholly before or after
 * the other (SB: 01 and 10; MP: 00 and 11). In MP each side then waits a pseudo-random
 * 0-7 empty loop iterations of its own, drawn afresh each trial (as litmus7 staggers its
 * threads), so the reader meets the writer at varying offsets, not one fixed by the
 * barrier. Measured (Xeon, KVM, 10^6 trials): the reader inside the writer's two stores
 * (01) in 2.5-3.9 % of trials with this stagger, 3.8 % without; 0-63 iterations pushed the
 * sides apart (0.3-1.5 %). SB runs without a stagger: its 00 needs both stores still in
 * the store buffers, which a delay on either side only makes rarer.
 * Includes only arch.h.
 */
#ifndef CONTEND_ATOMICS_LITMUS_H
#define CONTEND_ATOMICS_LITMUS_H

#include <stdint.h>

#include "arch.h"

enum at_litmus_test { AT_LT_SB, AT_LT_MP, AT_LT_NTESTS };
enum at_litmus_order {
	AT_LO_RELAXED,
	AT_LO_RELEASE_ACQUIRE,
	AT_LO_SEQ_CST,
	AT_LO_FENCE,
	AT_LO_NORDERS
};

typedef struct {
	CT_ALIGNED _Atomic uint64_t v;
} at_litmus_word;

typedef struct at_litmus {
	at_litmus_word arrive[2]; /* the per-trial barrier: each side's trial number */
	at_litmus_word x, y;	  /* SB: x, y; MP: data, flag */
	at_litmus_word res[2];	  /* side 1's result of trials i with i % 2 */
	ct_stop stop;
	enum at_litmus_test test;
	enum at_litmus_order order;
	uint64_t counts[4]; /* written by side 0: index r1 * 2 + r2 */
} at_litmus;

const char *at_litmus_test_name(enum at_litmus_test t);	  /* "sb", "mp" */
const char *at_litmus_order_name(enum at_litmus_order o); /* "relaxed", ... */
/* The outcome sequential consistency forbids: r1 * 2 + r2 (SB: 0, MP: 2). */
int at_litmus_forbidden(enum at_litmus_test t);
/* 1 if C11 allows that outcome under this ordering (so seeing it is not a bug). */
int at_litmus_c11_allows(enum at_litmus_test t, enum at_litmus_order o);

void at_litmus_init(at_litmus *l, enum at_litmus_test t, enum at_litmus_order o);
/*
 * Run n trials as side 0 or 1 (two threads, the same n, at the same time). Side 0 adds
 * the outcomes to l->counts. 0, or -1 if the partner stopped answering (10 s stall).
 */
int at_litmus_run(at_litmus *l, int side, int64_t n);

#endif
