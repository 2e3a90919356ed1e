/*
 * rtt.h - the cache-line round trip between two PUs: the unit every two-thread result is
 * held against, measured around each benchmark (drift check) and for the c2c matrix.
 */
#ifndef CONTEND_RTT_H
#define CONTEND_RTT_H

/*
 * Median round trip in ns of a cache line bounced between two threads pinned to the PUs
 * with OS indices a and b (pinned == 0: both unpinned), over `batches` batches of 100
 * round trips after a warm-up. Takes about batches * 100 round trips (a few ms at most:
 * it gives up after 250 ms). Returns -1 if it could not be measured.
 */
double ct_rtt_ns(int a, int b, int pinned, int batches);

/*
 * The speed of one PU, in ns per iteration of a fixed loop (four independent chains of L1
 * loads and adds, two multiply-add chains: what a one-thread benchmark's code does), on a
 * fresh thread bound to the PU with OS index pu (pinned == 0: unbound): the best of 5
 * trials of 20,000 iterations, ~0.2 ms. On a shared host a vCPU flips between states
 * (1.4 or 2.3 ns here, within seconds); a one-PU result carries the state it ran in.
 * Returns -1 if it could not be measured.
 */
double ct_speed_ns(int pu, int pinned);

/* 1: the detection loop spins with a PAUSE (for comparison; default 0: a bare load). */
extern int ct_rtt_pause;

/* The round trip measured before the running benchmark (see ct_rtt_before_ns). */
extern double ct__rtt_before;

#endif
