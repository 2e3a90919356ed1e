/*
 * spin.h - the family's one spin-wait: until an atomic reaches a value. It spins, yields
 * the CPU once a wait passes CT_SPIN_YIELD_NS (arch.h: the partner is not running), and
 * gives up when a stop flag is set or nothing has changed for AT_STALL_NS, 10 s (the
 * partner is gone; a preempted partner comes back long before), so every thread the family
 * starts has a way to stop.
 */
#ifndef CONTEND_ATOMICS_SPIN_H
#define CONTEND_ATOMICS_SPIN_H

#include <stdint.h>

#include "arch.h"

#define AT_STALL_NS 10000000000ull

/* Wait until *p >= want (mo: the load's ordering, a constant). 0, or -1 on stop/stall. */
#define AT_AWAIT_GE(p, want, mo, stopflag)                                                         \
	({                                                                                         \
		int r_ = 0;                                                                        \
		ct_spinwait w_ = CT_SPINWAIT_INIT;                                                 \
		while (atomic_load_explicit((p), (mo)) < (want)) {                                 \
			uint64_t now_ = ct_spinwait_step(&w_);                                     \
			if (now_ && (w_.n & 4095) == 0 &&                                          \
			    (ct_stop_seen(stopflag) || now_ - w_.t0 > AT_STALL_NS)) {              \
				ct_stop_set(stopflag);                                             \
				r_ = -1;                                                           \
				break;                                                             \
			}                                                                          \
		}                                                                                  \
		r_;                                                                                \
	})

#endif
