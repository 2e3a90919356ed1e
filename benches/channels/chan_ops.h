/*
 * chan_ops.h - send and receive for a kind and message size known where they are called:
 * with constants, the switch folds away and the copy is a fixed-size move, so a benchmark
 * loop compiled per kind calls nothing through a pointer. chan.c's functions call these
 * with run-time values.
 */
#ifndef CONTEND_CHAN_OPS_H
#define CONTEND_CHAN_OPS_H

#include "chan_lists.h"
#include "chan_rendezvous.h"
#include "chan_rings.h"

#define CH_INLINE static inline __attribute__((always_inline))

CH_INLINE int ch_send_k(int kind, size_t msz, chan *c, const void *msg, uint64_t deadline)
{
	switch (kind) {
	case CH_MUTEX_RING:
		return ch_mutex_ring_send((struct ch_mutex_ring *)c, msg, msz, deadline);
	case CH_MPMC_RING:
		return ch_mpmc_send((struct ch_mpmc_ring *)c, msg, msz, deadline);
	case CH_SPSC_RING:
		return ch_spsc_send((struct ch_spsc_ring *)c, msg, msz, deadline);
	case CH_MPSC_LIST:
		return ch_mpsc_send((struct ch_mpsc_list *)c, msg, msz);
	case CH_MUTEX_LIST:
		return ch_mutex_list_send((struct ch_mutex_list *)c, msg, msz);
	case CH_RENDEZVOUS:
		return ch_rv_send((struct ch_rendezvous *)c, msg, msz, deadline);
	}
	return CH_CLOSED;
}

CH_INLINE int ch_recv_k(int kind, size_t msz, chan *c, void *msg, uint64_t deadline)
{
	switch (kind) {
	case CH_MUTEX_RING:
		return ch_mutex_ring_recv((struct ch_mutex_ring *)c, msg, msz, deadline);
	case CH_MPMC_RING:
		return ch_mpmc_recv((struct ch_mpmc_ring *)c, msg, msz, deadline);
	case CH_SPSC_RING:
		return ch_spsc_recv((struct ch_spsc_ring *)c, msg, msz, deadline);
	case CH_MPSC_LIST:
		return ch_mpsc_recv((struct ch_mpsc_list *)c, msg, msz, deadline);
	case CH_MUTEX_LIST:
		return ch_mutex_list_recv((struct ch_mutex_list *)c, msg, msz, deadline);
	case CH_RENDEZVOUS:
		return ch_rv_recv((struct ch_rendezvous *)c, msg, msz, deadline);
	}
	return CH_CLOSED;
}

#endif
