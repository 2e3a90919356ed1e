/*
 * arch.h - the small common header every primitive and benchmark uses: cache-line size and
 * padding, cpu-relax, compiler barriers, a monotonic clock and a start gate.
 *
 * Plain C17 with <stdatomic.h>; no hwloc, jansson or Google Benchmark, so the primitives in
 * benches/ that include only this header compile for any architecture (aarch64 in CI).
 */
#ifndef CONTEND_ARCH_H
#define CONTEND_ARCH_H

#include <sched.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

/*
 * The padding unit. x86-64 lines are 64 bytes, but the adjacent-line prefetcher pulls
 * pairs, as do many Arm cores with 128-byte coherence granules (Apple, Neoverse V), so
 * padding there is 128. CT_CACHELINE is the line itself (false-sharing benchmarks put
 * neighbours inside one), CT_PAD the distance that keeps two objects apart.
 */
#if defined(__x86_64__) || defined(__i386__)
#define CT_CACHELINE 64
#define CT_PAD	     128
#elif defined(__aarch64__) || defined(__powerpc64__)
#define CT_CACHELINE 64
#define CT_PAD	     128
#else
#define CT_CACHELINE 64
#define CT_PAD	     64
#endif

_Static_assert(CT_PAD >= CT_CACHELINE && CT_PAD % CT_CACHELINE == 0,
	       "the padding unit is a whole number of lines");

/* An object alone on its padding unit: alignas and sized to it. */
#define CT_ALIGNED alignas(CT_PAD)

static inline void ct_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#elif defined(__powerpc64__)
	__asm__ __volatile__("or 27,27,27" ::: "memory");
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

/* C equivalent of benchmark::ClobberMemory(): the compiler must assume memory changed. */
static inline void ct_clobber_memory(void)
{
	__asm__ __volatile__("" ::: "memory");
}

/* C equivalents of benchmark::DoNotOptimize(): the value is treated as used. */
#define ct_do_not_optimize(v)	  __asm__ __volatile__("" : : "r,m"(v) : "memory")
#define ct_do_not_optimize_ptr(p) __asm__ __volatile__("" : : "g"(p) : "memory")

static inline uint64_t ct_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Waiting on a partner thread. Pure spinning is right while the partner runs; once one wait
 * has lasted CT_SPIN_YIELD_NS the partner is almost surely not running (preempted, or queued
 * on this very CPU), and spinning on would burn the time slice it needs: a ping-pong whose
 * two threads share a CPU would then advance one scheduler tick per handoff. So from there
 * on each check yields the CPU. A pinned run with a PU per thread never gets that far unless
 * something else took the partner's PU.
 *
 *	ct_spinwait w = CT_SPINWAIT_INIT;
 *	while (!ready()) { uint64_t now = ct_spinwait_step(&w); if (now && now > deadline) ... }
 */
#define CT_SPIN_YIELD_NS 50000u
typedef struct {
	uint64_t t0;
	unsigned n;
} ct_spinwait;
#define CT_SPINWAIT_INIT                                                                           \
	{                                                                                          \
		0, 0                                                                               \
	}

/* One step: a pause; every 64th step also reads the clock (returned, else 0) and past
 * CT_SPIN_YIELD_NS yields. */
static inline uint64_t ct_spinwait_step(ct_spinwait *w)
{
	ct_cpu_relax();
	if ((++w->n & 63) != 0)
		return 0;
	uint64_t now = ct_now_ns();
	if (!w->t0)
		w->t0 = now;
	else if (now - w->t0 > CT_SPIN_YIELD_NS)
		sched_yield();
	return now;
}

/*
 * Start gate: the starter opens it with a release store, waiters spin on an acquire load,
 * so everything written before ct_gate_open is visible to every thread that passed it.
 */
typedef struct {
	CT_ALIGNED atomic_int open;
} ct_gate;

static inline void ct_gate_init(ct_gate *g)
{
	atomic_init(&g->open, 0);
}

static inline void ct_gate_open(ct_gate *g)
{
	atomic_store_explicit(&g->open, 1, memory_order_release);
}

static inline void ct_gate_wait(ct_gate *g)
{
	ct_spinwait w = CT_SPINWAIT_INIT;
	while (!atomic_load_explicit(&g->open, memory_order_acquire))
		ct_spinwait_step(&w);
}

/* A cross-thread stop flag (never a plain bool). */
typedef struct {
	CT_ALIGNED atomic_int stop;
} ct_stop;

static inline void ct_stop_init(ct_stop *s)
{
	atomic_init(&s->stop, 0);
}

static inline void ct_stop_set(ct_stop *s)
{
	atomic_store_explicit(&s->stop, 1, memory_order_release);
}

static inline int ct_stop_seen(ct_stop *s)
{
	return atomic_load_explicit(&s->stop, memory_order_acquire);
}

#endif
