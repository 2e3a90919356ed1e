/*
 * mp.h - message passing between two threads, ping-pong: the writer stores a payload, then
 * a flag; the reader waits for the flag, then reads the payload, and answers the same way.
 * Payload and flag are on separate lines. Orderings (payload store/flag store, flag
 * load/payload load):
 *   relaxed_unsafe   all relaxed: nothing orders the payload before the flag, so the
 *                    reader may see the flag and an old payload (it is counted, not hidden)
 *   release_acquire  payload relaxed, flag store release, flag load acquire
 *   seq_cst          every access seq_cst
 * Includes only arch.h.
 */
#ifndef CONTEND_ATOMICS_MP_H
#define CONTEND_ATOMICS_MP_H

#include <stdint.h>

#include "arch.h"

enum at_mp_order { AT_MP_RELAXED_UNSAFE, AT_MP_RELEASE_ACQUIRE, AT_MP_SEQ_CST, AT_MP_NORDERS };

typedef struct at_mp {
	CT_ALIGNED _Atomic uint64_t flag; /* odd: side 0 sent, even: side 1 answered */
	CT_ALIGNED _Atomic uint64_t payload;
	ct_stop stop;
} at_mp;

const char *at_mp_order_name(enum at_mp_order o);
void at_mp_init(at_mp *m);
/*
 * Run n round trips as side 0 (starts) or side 1 (answers); both sides run the same n.
 * Returns the number of stale payloads this side read (the flag seen, the payload older),
 * or -1 if the partner stopped answering (stop flag set, or 10 s in one wait).
 */
int64_t at_mp_run(at_mp *m, int side, int64_t n, enum at_mp_order o);

#endif
