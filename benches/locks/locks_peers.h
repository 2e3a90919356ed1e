/*
 * locks_peers.h - the optional comparison rows: Concurrency Kit (ck_*) and liburcu
 * (urcu_*). Registered whether or not the library was found; without it each row fails
 * at once with "skipped: built without libck" (or liburcu), so the gap is visible in
 * `contend list` and in every results file.
 */
#ifndef CONTEND_LOCKS_PEERS_H
#define CONTEND_LOCKS_PEERS_H

void lk_register_peers(void);

#endif
