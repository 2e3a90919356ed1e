/*
 * evloop.h - anti-pattern 2: a single-threaded event loop (epoll) that receives a stream of
 * events through a pipe, every `every`-th of which needs a blocking call (sleep for block_ns,
 * the stand-in for a synchronous read or DNS lookup). Either the loop makes the call itself
 * (inline: every event queued behind it waits) or hands it to a worker of a pool and goes
 * on (worker: the worker signals completion through an eventfd the loop also watches).
 *
 * The loop records each ordinary event's latency: the time from its posting by the
 * producer to its handling by the loop, in a histogram of 1 µs buckets.
 *
 * Threads: the producer (ap_evloop_producer, until ap_evloop_stop) and the pool's worker
 * (fo_pool_worker) are started by the owner; both stop on request.
 */
#ifndef CONTEND_ANTIPATTERNS_EVLOOP_H
#define CONTEND_ANTIPATTERNS_EVLOOP_H

#ifndef _GNU_SOURCE
#error "define _GNU_SOURCE before the first #include (pipe2)"
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "arch.h"
#include "fanout/pool.h"
#include "fanout/work.h"

#define AP_EVLOOP_BUCKETS 100000 /* 1 µs each: up to 100 ms */

struct ap_ev_rec {
	uint64_t seq, posted_ns;
};

typedef struct {
	int pfd[2]; /* events: producer -> loop (write end non-blocking) */
	int donefd; /* completions: worker -> loop */
	int epfd;
	int handoff; /* 0: the loop blocks inline; 1: hands the call to the pool */
	int every;
	uint64_t period_ns, block_ns;
	fo_pool pool;
	ct_stop stop;
	CT_ALIGNED atomic_long
	    overflow; /* events the producer could not post (loop too far behind) */
	/* the loop's own (single thread) */
	uint64_t next_seq;
	long handed, completed, blocking, errors;
	uint64_t lat_sum_ns, lat_max_ns, lat_n;
	uint32_t *hist;
} ap_evloop;

/* Returns 0, or -1. */
static inline int ap_evloop_init(ap_evloop *l, int handoff, int every, uint64_t period_ns,
				 uint64_t block_ns)
{
	memset(l, 0, sizeof(*l));
	l->handoff = handoff;
	l->every = every;
	l->period_ns = period_ns;
	l->block_ns = block_ns;
	l->pfd[0] = l->pfd[1] = l->donefd = l->epfd = -1;
	ct_stop_init(&l->stop);
	atomic_init(&l->overflow, 0);
	l->hist = calloc(AP_EVLOOP_BUCKETS, sizeof(*l->hist));
	if (!l->hist || pipe2(l->pfd, O_CLOEXEC) ||
	    fcntl(l->pfd[1], F_SETFL, O_NONBLOCK | fcntl(l->pfd[1], F_GETFL)) ||
	    (l->donefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0 ||
	    (l->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0 || fo_pool_init(&l->pool, 4096))
		return -1;
	struct epoll_event a = {.events = EPOLLIN, .data.fd = l->pfd[0]};
	struct epoll_event b = {.events = EPOLLIN, .data.fd = l->donefd};
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->pfd[0], &a) ||
	    epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->donefd, &b))
		return -1;
	return 0;
}

static inline void ap_evloop_destroy(ap_evloop *l)
{
	int fds[] = {l->pfd[0], l->pfd[1], l->donefd, l->epfd};
	for (int i = 0; i < 4; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (l->pool.ring)
		fo_pool_destroy(&l->pool);
	free(l->hist);
}

/* The producer: posts one event every period_ns (absolute schedule) until stopped. */
static inline void ap_evloop_producer(ap_evloop *l)
{
	uint64_t t0 = ct_now_ns();
	for (uint64_t i = 0; !ct_stop_seen(&l->stop); i++) {
		struct timespec ts = {.tv_sec = (time_t)((t0 + i * l->period_ns) / 1000000000u),
				      .tv_nsec = (long)((t0 + i * l->period_ns) % 1000000000u)};
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
		struct ap_ev_rec r = {i, ct_now_ns()};
		if (write(l->pfd[1], &r, sizeof(r)) != (ssize_t)sizeof(r)) {
			atomic_fetch_add(&l->overflow, 1);
			return; /* the loop cannot have kept up: the run is invalid, stop */
		}
	}
}

static inline void ap_evloop_blocking_job(void *arg)
{
	ap_evloop *l = arg;
	uint64_t one = 1;
	ap_sleep_ns(l->block_ns);
	if (write(l->donefd, &one, sizeof(one)) != (ssize_t)sizeof(one))
		abort(); /* an eventfd write fails only on overflow of 2^64 - 1 */
}

/* Handle one event taken from the pipe. */
static inline void ap_evloop_handle(ap_evloop *l, const struct ap_ev_rec *r)
{
	uint64_t now = ct_now_ns();
	if (r->seq != l->next_seq)
		l->errors++;
	l->next_seq = r->seq + 1;
	if ((long)(r->seq % (uint64_t)l->every) == l->every - 1) {
		l->blocking++;
		if (l->handoff) {
			l->handed++;
			fo_pool_submit(&l->pool, ap_evloop_blocking_job, l);
		} else {
			ap_sleep_ns(l->block_ns);
		}
		return;
	}
	uint64_t lat = now - r->posted_ns;
	l->lat_sum_ns += lat;
	l->lat_n++;
	if (lat > l->lat_max_ns)
		l->lat_max_ns = lat;
	uint64_t b = lat / 1000;
	l->hist[b < AP_EVLOOP_BUCKETS ? b : AP_EVLOOP_BUCKETS - 1]++;
}

/* Run the loop until it has handled n events. Returns 0, or -1 on a kernel error or when
 * the producer gave up (the pipe was full). */
static inline int ap_evloop_run(ap_evloop *l, int64_t n)
{
	int64_t handled = 0;
	while (handled < n) {
		struct epoll_event ev[2];
		int k = epoll_wait(l->epfd, ev, 2, 100);
		if (k == 0 && atomic_load(&l->overflow))
			return -1; /* the producer gave up: no more events will come */
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (int i = 0; i < k; i++) {
			if (ev[i].data.fd == l->donefd) {
				uint64_t v;
				if (read(l->donefd, &v, sizeof(v)) == (ssize_t)sizeof(v))
					l->completed += (long)v;
				continue;
			}
			struct ap_ev_rec r[64];
			ssize_t got = read(l->pfd[0], r, sizeof(r));
			if (got < 0 && errno != EAGAIN && errno != EINTR)
				return -1;
			/* a pipe write of one record is atomic, so reads return whole records */
			for (ssize_t j = 0; j < got / (ssize_t)sizeof(r[0]) && handled < n; j++) {
				ap_evloop_handle(l, &r[j]);
				handled++;
			}
		}
	}
	return 0;
}

/* After the run: stop the producer, let the handed-off calls finish and count them. */
static inline void ap_evloop_stop(ap_evloop *l)
{
	ct_stop_set(&l->stop);
}

static inline void ap_evloop_drain_completions(ap_evloop *l)
{
	uint64_t v;
	fo_pool_wait(&l->pool);
	while (read(l->donefd, &v, sizeof(v)) == (ssize_t)sizeof(v))
		l->completed += (long)v;
}

/* The latency (ns) below which a fraction q of the ordinary events fell (1 µs resolution). */
static inline double ap_evloop_quantile_ns(const ap_evloop *l, double q)
{
	uint64_t want = (uint64_t)(q * (double)l->lat_n), seen = 0;
	for (int b = 0; b < AP_EVLOOP_BUCKETS; b++) {
		seen += l->hist[b];
		if (seen > want)
			return (b + 1) * 1000.0;
	}
	return AP_EVLOOP_BUCKETS * 1000.0;
}

#endif
