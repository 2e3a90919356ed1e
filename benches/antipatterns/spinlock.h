/*
 * spinlock.h - a test-and-test-and-set spinlock that never yields or parks: the lock of
 * anti-pattern 3, which falls apart when threads outnumber PUs (a preempted holder keeps
 * every waiter spinning through its whole time slice). C11 atomics only.
 */
#ifndef CONTEND_ANTIPATTERNS_SPINLOCK_H
#define CONTEND_ANTIPATTERNS_SPINLOCK_H

#include "arch.h"

typedef struct {
	CT_ALIGNED atomic_int held;
} ap_spinlock;

static inline void ap_spin_init(ap_spinlock *l)
{
	atomic_init(&l->held, 0);
}

static inline void ap_spin_lock(ap_spinlock *l)
{
	for (;;) {
		if (!atomic_exchange_explicit(&l->held, 1, memory_order_acquire))
			return;
		while (atomic_load_explicit(&l->held, memory_order_relaxed))
			ct_cpu_relax();
	}
}

static inline void ap_spin_unlock(ap_spinlock *l)
{
	atomic_store_explicit(&l->held, 0, memory_order_release);
}

#endif
