/*
 * chan_test.c - correctness of every channel kind (benches/channels/chan.h):
 *   transfer   every message delivered exactly once, per-producer FIFO, 64-byte messages
 *              whole, for every kind, capacity, shape (1:1, N:1, N:N where allowed),
 *              message size and blocking policy;
 *   close      receivers drain what was sent, then get CH_CLOSED; senders after close get
 *              CH_CLOSED; a waiting sender or receiver is woken by close;
 *   try        try-send on a full channel, try-receive on an empty one return at once;
 *   timeout    timed forms time out (not before their time) and report CH_TIMEOUT;
 *   cancel     receives (and sends) with many short timeouts racing with concurrent
 *              sends never lose or duplicate a message;
 *   select     fair between two ready channels, times out, wakes on a send, reports
 *              CH_CLOSED once both are closed, loses nothing under concurrency;
 *   lone send  one send with nothing after it is received: by a try-receive that starts
 *              after the send returned, and by a receive already waiting (after a stream,
 *              so the SPSC ring's back-off is at its largest);
 *   costs      the spin budget chan_set_costs derives from measured costs.
 * Every thread has a deadline: a broken channel makes this test fail, never hang.
 * Exits non-zero on the first failure class found (all ct_check_failures are printed).
 */
#define _GNU_SOURCE /* testcpu.h: CPU_COUNT */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channels/chan.h"
#include "channels/chan_wait.h"
#include "testcpu.h"
#include "lib/check.h"

#ifdef __SANITIZE_THREAD__
#define SCALE 10
#else
#define SCALE 1
#endif

#define DEADLINE_NS (120ull * 1000000000ull) /* per transfer: only against hangs */

static const enum ch_kind kinds[] = {CH_MUTEX_RING, CH_MPMC_RING,  CH_SPSC_RING,
				     CH_MPSC_LIST,  CH_MUTEX_LIST, CH_RENDEZVOUS};
static const enum ch_block blocks[] = {CH_SPIN, CH_SPINPARK, CH_PARK};
#define NKINDS	(int)(sizeof kinds / sizeof kinds[0])
#define NBLOCKS (int)(sizeof blocks / sizeof blocks[0])

static size_t caps_of(enum ch_kind k, size_t *out)
{
	static const size_t ring[] = {1, 16, 64, 256, 1024};
	if (k == CH_RENDEZVOUS) {
		out[0] = 0;
		return 1;
	}
	if (k == CH_MPSC_LIST || k == CH_MUTEX_LIST) {
		out[0] = CH_UNBOUNDED;
		return 1;
	}
	memcpy(out, ring, sizeof ring);
	return 5;
}

static uint64_t remaining(uint64_t deadline)
{
	uint64_t now = ct_now_ns();
	return now >= deadline ? 1 : deadline - now;
}

/* Word j of the message for v: v itself first (it names the message), then words that
 * differ from each other and from every other message's, so a word copied from the
 * wrong place, or not at all, shows. */
static uint64_t word(uint64_t v, size_t j)
{
	return j == 0 ? v : (v + j) * 0x9e3779b97f4a7c15ull ^ ~(uint64_t)j;
}

static void fill(uint64_t *m, size_t msz, uint64_t v)
{
	memset(m, 0, CH_MSG_MAX);
	for (size_t j = 0; j < msz / 8; j++)
		m[j] = word(v, j);
}

/* the whole message, every word of it, is the one for v */
static int msg_ok(const uint64_t *m, size_t msz, uint64_t v)
{
	for (size_t j = 0; j < msz / 8; j++)
		if (m[j] != word(v, j))
			return 0;
	return 1;
}

/* A timed form that returned after its timeout: not early, and not far too late (100x the
 * timeout or 1 s, whichever is larger, allows for a slow or busy machine and TSan). */
static int timed_ok(uint64_t t0, uint64_t timeout_ns)
{
	uint64_t el = ct_now_ns() - t0, late = timeout_ns * 100;
	return el >= timeout_ns && el <= (late > 1000000000ull ? late : 1000000000ull);
}

/* ---- transfer: exactly once, FIFO per producer ------------------------------------------ */

#define MAXP 3
struct xfer {
	chan *ch;
	size_t msz;
	int p, c;
	uint64_t per_producer;
	uint64_t deadline;
	int timed_recv, timed_send; /* cancellation: short timeouts, retried */
	atomic_int producers_left;
	atomic_int failed;
	uint8_t *seen[MAXP]; /* seen[pid][s]: how many times message s of pid arrived */
	pthread_mutex_t seen_mu;
	atomic_ulong timeouts;
};

struct targ {
	int id;
	struct xfer *x;
};

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void *xfer_producer(void *arg)
{
	struct xfer *x = ((struct targ *)arg)->x;
	int id = ((struct targ *)arg)->id;
	uint64_t m[CH_MSG_MAX / 8], rs = 88172645463325252ull + (uint64_t)id;
	for (uint64_t s = 0; s < x->per_producer && !atomic_load(&x->failed); s++) {
		fill(m, x->msz, ((uint64_t)(id + 1) << 40) | s);
		int r;
		for (;;) {
			if (x->timed_send)
				r = chan_send_timeout(x->ch, m, 1 + rnd(&rs) % 20000);
			else
				r = chan_send_timeout(x->ch, m, remaining(x->deadline));
			if (r != CH_TIMEOUT || ct_now_ns() >= x->deadline)
				break;
			atomic_fetch_add(&x->timeouts, 1);
			sched_yield(); /* a caller retrying at once must not starve a partner */
		}
		if (r != CH_OK) {
			fprintf(stderr, "  producer %d: send %llu returned %s\n", id,
				(unsigned long long)s, chan_result_name(r));
			atomic_store(&x->failed, 1);
			break;
		}
	}
	if (atomic_fetch_sub(&x->producers_left, 1) == 1 || atomic_load(&x->failed))
		chan_close(x->ch);
	return NULL;
}

static void *xfer_consumer(void *arg)
{
	struct xfer *x = ((struct targ *)arg)->x;
	uint64_t m[CH_MSG_MAX / 8], next[MAXP] = {0};
	uint64_t rs = 2463534242ull + (uint64_t)((struct targ *)arg)->id;
	for (;;) {
		int r;
		if (x->timed_recv)
			r = chan_recv_timeout(x->ch, m, rnd(&rs) % 20000); /* 0: a try */
		else
			r = chan_recv_timeout(x->ch, m, remaining(x->deadline));
		if (r == CH_CLOSED)
			break;
		if (r == CH_TIMEOUT || r == CH_EMPTY) {
			atomic_fetch_add(&x->timeouts, 1);
			if (ct_now_ns() < x->deadline) {
				sched_yield(); /* as in the producer */
				continue;
			}
			fprintf(stderr, "  consumer: deadline passed\n");
			atomic_store(&x->failed, 1);
			chan_close(x->ch);
			break;
		}
		uint64_t v = m[0];
		unsigned pid = (unsigned)(v >> 40) - 1;
		uint64_t s = v & ((1ull << 40) - 1);
		if (pid >= (unsigned)x->p || s >= x->per_producer || !msg_ok(m, x->msz, v)) {
			fprintf(stderr, "  consumer: bad message %llx\n", (unsigned long long)v);
			atomic_store(&x->failed, 1);
			continue;
		}
		if (s < next[pid]) {
			fprintf(stderr, "  consumer: producer %u out of order (%llu after %llu)\n",
				pid, (unsigned long long)s, (unsigned long long)next[pid] - 1);
			atomic_store(&x->failed, 1);
		}
		next[pid] = s + 1;
		pthread_mutex_lock(&x->seen_mu);
		x->seen[pid][s]++;
		pthread_mutex_unlock(&x->seen_mu);
	}
	return NULL;
}

/* Returns 1 when every message arrived exactly once. */
static int transfer(enum ch_kind k, size_t cap, size_t msz, enum ch_block b, int p, int c,
		    uint64_t per_producer, int timed_recv, int timed_send)
{
	struct xfer *x = calloc(1, sizeof(*x));
	x->ch = chan_create(k, cap, msz, b);
	if (!x->ch) {
		fprintf(stderr, "  chan_create(%s, %zu, %zu) failed\n", chan_kind_name(k), cap,
			msz);
		free(x);
		return 0;
	}
	x->msz = msz;
	x->p = p;
	x->c = c;
	x->per_producer = per_producer;
	x->deadline = ct_now_ns() + DEADLINE_NS;
	x->timed_recv = timed_recv;
	x->timed_send = timed_send;
	atomic_init(&x->producers_left, p);
	pthread_mutex_init(&x->seen_mu, NULL);
	for (int i = 0; i < p; i++)
		x->seen[i] = calloc(per_producer ? per_producer : 1, 1);
	pthread_t th[2 * MAXP];
	struct targ a[2 * MAXP];
	for (int i = 0; i < p + c; i++) {
		a[i] = (struct targ){.id = i < p ? i : i - p, .x = x};
		pthread_create(&th[i], NULL, i < p ? xfer_producer : xfer_consumer, &a[i]);
	}
	for (int i = 0; i < p + c; i++)
		pthread_join(th[i], NULL);
	int ok = !atomic_load(&x->failed);
	uint64_t lost = 0, dup = 0;
	for (int i = 0; i < p; i++)
		for (uint64_t s = 0; s < per_producer; s++) {
			lost += x->seen[i][s] == 0;
			dup += x->seen[i][s] > 1;
		}
	if (lost || dup) {
		fprintf(stderr, "  %llu lost, %llu duplicated\n", (unsigned long long)lost,
			(unsigned long long)dup);
		ok = 0;
	}
	for (int i = 0; i < p; i++)
		free(x->seen[i]);
	chan_destroy(x->ch);
	pthread_mutex_destroy(&x->seen_mu);
	free(x);
	return ok;
}

static void test_transfer(void)
{
	static const int shapes[][2] = {{1, 1}, {3, 1}, {2, 2}, {3, 3}};
	int runs = 0;
	for (int ki = 0; ki < NKINDS; ki++) {
		enum ch_kind k = kinds[ki];
		size_t caps[5], nc = caps_of(k, caps);
		for (size_t ci = 0; ci < nc; ci++)
			for (int si = 0; si < 4; si++) {
				int p = shapes[si][0], c = shapes[si][1];
				if ((p > 1 && !chan_kind_multi_producer(k)) ||
				    (c > 1 && !chan_kind_multi_consumer(k)))
					continue;
				for (int bi = 0; bi < NBLOCKS; bi++) {
					if (!chan_kind_has_block(k) && bi > 0)
						continue;
					for (size_t msz = 8; msz <= 64; msz *= 8) {
						/* parking handoffs cost tens of us: fewer messages
						 */
						uint64_t n =
						    (blocks[bi] == CH_PARK || k == CH_RENDEZVOUS
							 ? 300
							 : 2000) /
						    SCALE;
						/* oversubscribed spinning waits out time slices */
						if (blocks[bi] == CH_SPIN && p + c > 2)
							n = 100 / SCALE;
						n = (uint64_t)ct_test_iters((long long)n, 100);
						uint64_t t0 = ct_now_ns();
						int ok = transfer(k, caps[ci], msz, blocks[bi], p,
								  c, n, 0, 0);
						if (ct_now_ns() - t0 > 2000000000ull)
							fprintf(
							    stderr,
							    "  slow: %.1f s for %s cap %zu p:%d "
							    "c:%d block:%s\n",
							    (double)(ct_now_ns() - t0) / 1e9,
							    chan_kind_name(k), caps[ci], p, c,
							    chan_block_name(blocks[bi]));
						runs++;
						CHECK(ok,
						      "transfer %s cap %zu p:%d c:%d msg:%zu "
						      "block:%s",
						      chan_kind_name(k), caps[ci], p, c, msz,
						      chan_block_name(blocks[bi]));
					}
				}
			}
	}
	printf("transfer: %d configurations\n", runs);
}

/* ---- cancellation safety: many short timeouts racing with sends --------------------------- */

static void test_cancel(void)
{
	for (int ki = 0; ki < NKINDS; ki++) {
		enum ch_kind k = kinds[ki];
		size_t cap = k == CH_RENDEZVOUS				 ? 0
			     : (k == CH_MPSC_LIST || k == CH_MUTEX_LIST) ? CH_UNBOUNDED
									 : 4;
		int p = chan_kind_multi_producer(k) ? 2 : 1;
		int c = chan_kind_multi_consumer(k) ? 2 : 1;
		for (int bi = 0; bi < NBLOCKS; bi++) {
			if (!chan_kind_has_block(k) && bi > 0)
				continue;
			uint64_t n =
			    ct_test_iters((blocks[bi] == CH_SPIN ? 20000 : 3000) / SCALE, 100);
			CHECK(transfer(k, cap, 8, blocks[bi], p, c, n, 1, 0),
			      "cancel (timed receives) %s block:%s", chan_kind_name(k),
			      chan_block_name(blocks[bi]));
			CHECK(transfer(k, cap, 8, blocks[bi], p, c, n / 2, 1, 1),
			      "cancel (timed sends and receives) %s block:%s", chan_kind_name(k),
			      chan_block_name(blocks[bi]));
		}
	}
	printf("cancel: done\n");
}

/* ---- close, try, timeout ------------------------------------------------------------------ */

struct waiter {
	chan *ch;
	int send; /* 1: wait in send, 0: in recv */
	atomic_int result;
};

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;
	uint64_t m[CH_MSG_MAX / 8] = {7};
	int r = w->send ? chan_send_timeout(w->ch, m, DEADLINE_NS)
			: chan_recv_timeout(w->ch, m, DEADLINE_NS);
	atomic_store(&w->result, r);
	return NULL;
}

/* A thread waiting in send (send=1) or receive is woken by close and gets CH_CLOSED. */
static void close_wakes(enum ch_kind k, size_t cap, enum ch_block b, int send)
{
	chan *ch = chan_create(k, cap, 8, b);
	uint64_t m[CH_MSG_MAX / 8] = {1};
	if (send && cap != 0)
		for (size_t i = 0; i < cap; i++)
			CHECK(chan_try_send(ch, m) == CH_OK, "fill %s", chan_kind_name(k));
	struct waiter w = {.ch = ch, .send = send};
	atomic_init(&w.result, -1);
	pthread_t th;
	pthread_create(&th, NULL, waiter_main, &w);
	struct timespec ts = {0, 20 * 1000 * 1000}; /* let it start waiting (not required) */
	nanosleep(&ts, NULL);
	chan_close(ch);
	pthread_join(th, NULL);
	CHECK(atomic_load(&w.result) == CH_CLOSED, "%s block:%s: a waiting %s got %s, not closed",
	      chan_kind_name(k), chan_block_name(b), send ? "send" : "receive",
	      chan_result_name(atomic_load(&w.result)));
	chan_destroy(ch);
}

static void test_close_try_timeout(void)
{
	for (int ki = 0; ki < NKINDS; ki++) {
		enum ch_kind k = kinds[ki];
		size_t caps[5], nc = caps_of(k, caps);
		for (int bi = 0; bi < NBLOCKS; bi++) {
			if (!chan_kind_has_block(k) && bi > 0)
				continue;
			enum ch_block b = blocks[bi];
			const char *kn = chan_kind_name(k), *bn = chan_block_name(b);
			for (size_t ci = 0; ci < nc; ci++) {
				size_t cap = caps[ci];
				size_t fill_n = cap == CH_UNBOUNDED ? 100 : cap;
				chan *ch = chan_create(k, cap, 64, b);
				uint64_t m[CH_MSG_MAX / 8];
				CHECK(ch != NULL, "create %s cap %zu", kn, cap);
				if (!ch)
					continue;
				/* try-receive on empty, try-send on full: at once */
				uint64_t t0 = ct_now_ns();
				CHECK(chan_try_recv(ch, m) == CH_EMPTY, "%s: try_recv on empty",
				      kn);
				for (size_t i = 0; i < fill_n; i++) {
					fill(m, 64, i);
					CHECK(chan_try_send(ch, m) == CH_OK, "%s: try_send %zu", kn,
					      i);
				}
				if (cap != CH_UNBOUNDED)
					CHECK(chan_try_send(ch, m) == CH_FULL,
					      "%s cap %zu: try_send on full", kn, cap);
				CHECK(ct_now_ns() - t0 < 1000000000ull, "%s: try forms waited", kn);
				/* timed forms time out, not early */
				if (cap != CH_UNBOUNDED) {
					t0 = ct_now_ns();
					CHECK(chan_send_timeout(ch, m, 2000000) == CH_TIMEOUT,
					      "%s %s: send_timeout on full", kn, bn);
					CHECK(timed_ok(t0, 2000000),
					      "%s %s: send timed out early or late", kn, bn);
				}
				/* close: sends fail, what was sent drains in order, then closed */
				CHECK(chan_close(ch) == 1, "%s: first close", kn);
				CHECK(chan_close(ch) == 0, "%s: second close", kn);
				CHECK(chan_try_send(ch, m) == CH_CLOSED, "%s: try_send after close",
				      kn);
				CHECK(chan_send(ch, m) == CH_CLOSED, "%s: send after close", kn);
				CHECK(chan_send_timeout(ch, m, 1000) == CH_CLOSED,
				      "%s: send_timeout after close", kn);
				for (size_t i = 0; i < fill_n; i++) {
					int r = i % 3 == 0   ? chan_recv(ch, m)
						: i % 3 == 1 ? chan_try_recv(ch, m)
							     : chan_recv_timeout(ch, m, 1000000);
					CHECK(r == CH_OK && m[0] == i && msg_ok(m, 64, i),
					      "%s cap %zu: drain %zu after close: %s", kn, cap, i,
					      chan_result_name(r));
				}
				CHECK(chan_recv(ch, m) == CH_CLOSED, "%s: recv after drain", kn);
				CHECK(chan_try_recv(ch, m) == CH_CLOSED, "%s: try_recv after drain",
				      kn);
				CHECK(chan_recv_timeout(ch, m, 1000) == CH_CLOSED,
				      "%s: recv_timeout after drain", kn);
				chan_destroy(ch);
			}
			/* receive with timeout on an empty open channel */
			chan *ch = chan_create(k, caps[0], 8, b);
			uint64_t m[CH_MSG_MAX / 8], t0 = ct_now_ns();
			CHECK(chan_recv_timeout(ch, m, 2000000) == CH_TIMEOUT,
			      "%s %s: recv_timeout", kn, bn);
			CHECK(timed_ok(t0, 2000000), "%s %s: recv timed out early or late", kn, bn);
			if (k == CH_RENDEZVOUS) {
				t0 = ct_now_ns();
				CHECK(chan_send_timeout(ch, m, 2000000) == CH_TIMEOUT,
				      "rendezvous %s: send_timeout without receiver", bn);
				CHECK(timed_ok(t0, 2000000),
				      "rendezvous %s: send timed out early or late", bn);
				CHECK(chan_try_send(ch, m) == CH_FULL,
				      "rendezvous: try_send without receiver");
			}
			chan_destroy(ch);
			close_wakes(k, caps[0], b, 0);
			if (caps[0] != CH_UNBOUNDED)
				close_wakes(k, caps[0], b, 1);
		}
	}
	printf("close/try/timeout: done\n");
}

/* ---- select ------------------------------------------------------------------------------- */

struct late_sender {
	chan *ch;
	uint64_t v;
};

static void *late_send(void *arg)
{
	struct late_sender *l = arg;
	struct timespec ts = {0, 10 * 1000 * 1000};
	nanosleep(&ts, NULL);
	chan_send_timeout(l->ch, &l->v, DEADLINE_NS);
	return NULL;
}

static void test_select(void)
{
	for (int ki = 0; ki < NKINDS; ki++) {
		enum ch_kind k = kinds[ki];
		size_t caps[5];
		caps_of(k, caps);
		size_t cap = k == CH_RENDEZVOUS ? 0 : caps[0] == CH_UNBOUNDED ? CH_UNBOUNDED : 64;
		for (int bi = 0; bi < NBLOCKS; bi++) {
			if (!chan_kind_has_block(k) && bi > 0)
				continue;
			enum ch_block b = blocks[bi];
			const char *kn = chan_kind_name(k), *bn = chan_block_name(b);
			chan *a = chan_create(k, cap, 8, b), *c = chan_create(k, cap, 8, b);
			uint64_t m = 0;
			int which = -1;
			/* fairness: both ready all along, the takes alternate */
			if (k != CH_RENDEZVOUS) {
				for (uint64_t i = 0; i < 32; i++) {
					m = i;
					chan_send(a, &m);
					m = 100 + i;
					chan_send(c, &m);
				}
				int from[2] = {0, 0};
				uint64_t nexta = 0, nextc = 100;
				for (int i = 0; i < 32; i++) {
					int r = chan_select_recv(a, c, &m, 0, &which);
					CHECK(r == CH_OK, "%s select on ready: %s", kn,
					      chan_result_name(r));
					if (r != CH_OK)
						break;
					from[which]++;
					CHECK(m == (which ? nextc++ : nexta++),
					      "%s select: wrong message", kn);
				}
				CHECK(from[0] == 16 && from[1] == 16,
				      "%s select unfair: %d from a, %d from b", kn, from[0],
				      from[1]);
				while (chan_try_recv(a, &m) == CH_OK ||
				       chan_try_recv(c, &m) == CH_OK)
					;
			}
			/* timeout when nothing comes */
			uint64_t t0 = ct_now_ns();
			CHECK(chan_select_recv(a, c, &m, 3000000, &which) == CH_TIMEOUT,
			      "%s %s: select timeout", kn, bn);
			CHECK(timed_ok(t0, 3000000), "%s %s: select timed out early or late", kn,
			      bn);
			/* woken by a send on the second channel */
			struct late_sender l = {.ch = c, .v = 4242};
			pthread_t th;
			pthread_create(&th, NULL, late_send, &l);
			int r = chan_select_recv(a, c, &m, DEADLINE_NS, &which);
			CHECK(r == CH_OK && which == 1 && m == 4242,
			      "%s %s: select woken by send: %s", kn, bn, chan_result_name(r));
			pthread_join(th, NULL);
			/* one closed: still receives from the other; both closed: closed */
			chan_close(a);
			if (k != CH_RENDEZVOUS) {
				m = 5;
				chan_send(c, &m);
				r = chan_select_recv(a, c, &m, DEADLINE_NS, &which);
				CHECK(r == CH_OK && which == 1 && m == 5,
				      "%s: select with one closed: %s", kn, chan_result_name(r));
			}
			chan_close(c);
			r = chan_select_recv(a, c, &m, DEADLINE_NS, &which);
			CHECK(r == CH_CLOSED, "%s: select on two closed: %s", kn,
			      chan_result_name(r));
			chan_destroy(a);
			chan_destroy(c);
		}
	}
	printf("select: done\n");
}

/* Select under concurrency: two producers, one selecting consumer with short timeouts. */
struct sel_prod {
	chan *ch;
	int id;
	uint64_t n;
};

static void *sel_prod_main(void *arg)
{
	struct sel_prod *s = arg;
	for (uint64_t i = 0; i < s->n; i++) {
		uint64_t m = ((uint64_t)(s->id + 1) << 40) | i;
		if (chan_send_timeout(s->ch, &m, DEADLINE_NS) != CH_OK)
			break;
	}
	chan_close(s->ch);
	return NULL;
}

static void test_select_stress(void)
{
	for (int ki = 0; ki < NKINDS; ki++) {
		enum ch_kind k = kinds[ki];
		size_t caps[5];
		caps_of(k, caps);
		for (int bi = 0; bi < NBLOCKS; bi++) {
			if (!chan_kind_has_block(k) && bi > 0)
				continue;
			uint64_t n =
			    ct_test_iters((blocks[bi] == CH_SPIN ? 20000 : 2000) / SCALE, 100);
			struct sel_prod sp[2];
			pthread_t th[2];
			for (int i = 0; i < 2; i++) {
				sp[i] =
				    (struct sel_prod){chan_create(k, caps[0], 8, blocks[bi]), i, n};
				pthread_create(&th[i], NULL, sel_prod_main, &sp[i]);
			}
			uint64_t next[2] = {0, 0}, got = 0, m, deadline = ct_now_ns() + DEADLINE_NS,
				 rs = 99;
			int which, r, bad = 0;
			while ((r = chan_select_recv(sp[0].ch, sp[1].ch, &m, rnd(&rs) % 10000,
						     &which)) != CH_CLOSED) {
				if (r == CH_OK) {
					bad += (m >> 40) != (uint64_t)which + 1 ||
					       (m & ((1ull << 40) - 1)) != next[which];
					next[which]++;
					got++;
				} else if (ct_now_ns() > deadline) {
					chan_close(sp[0].ch);
					chan_close(sp[1].ch);
					bad++;
				} else {
					sched_yield(); /* timed out: let the producers on */
				}
			}
			for (int i = 0; i < 2; i++)
				pthread_join(th[i], NULL);
			CHECK(!bad && got == 2 * n,
			      "%s block:%s: select stress got %llu of %llu, %d bad",
			      chan_kind_name(k), chan_block_name(blocks[bi]),
			      (unsigned long long)got, (unsigned long long)(2 * n), bad);
			chan_destroy(sp[0].ch);
			chan_destroy(sp[1].ch);
		}
	}
	printf("select stress: done\n");
}

/* ---- lone send: a message is visible the moment its send returns ---------------------
 * After a stream (so the SPSC ring's back-off has grown to its largest), one send with
 * nothing after it: a try-receive that starts after the send returned (ordered by a flag)
 * must take it at once, and a receiver already waiting must get it. */

struct lone {
	chan *ch;
	long stream;
	atomic_int sent; /* 1: the stream is sent; 2: the lone send returned */
	int try_r, wait_r;
	uint64_t got_try, got_wait;
};

static void *lone_consumer(void *arg)
{
	struct lone *l = arg;
	uint64_t m[CH_MSG_MAX / 8], deadline = ct_now_ns() + DEADLINE_NS;
	for (long i = 0; i < l->stream; i++)
		if (chan_recv_timeout(l->ch, m, remaining(deadline)) != CH_OK)
			return NULL;
	ct_spinwait w = CT_SPINWAIT_INIT;
	while (atomic_load_explicit(&l->sent, memory_order_acquire) < 2)
		ct_spinwait_step(&w);
	l->try_r = chan_try_recv(l->ch, m); /* nothing may stand between the send and this */
	l->got_try = m[0];
	/* now wait for a second lone message, sent while this receive waits */
	atomic_store_explicit(&l->sent, 3, memory_order_release);
	l->wait_r = chan_recv_timeout(l->ch, m, remaining(deadline));
	l->got_wait = m[0];
	return NULL;
}

static void test_lone_send(void)
{
	static const enum ch_kind lk[] = {CH_SPSC_RING, CH_MPMC_RING, CH_MUTEX_RING, CH_MPSC_LIST};
	for (size_t ki = 0; ki < sizeof lk / sizeof lk[0]; ki++)
		for (int bi = 0; bi < NBLOCKS; bi++) {
			size_t cap = lk[ki] == CH_MPSC_LIST ? CH_UNBOUNDED : 64;
			struct lone l = {.ch = chan_create(lk[ki], cap, 8, blocks[bi]),
					 .stream = ct_test_iters(20000 / SCALE, 20),
					 .try_r = -1,
					 .wait_r = -1};
			atomic_init(&l.sent, 0);
			pthread_t th;
			pthread_create(&th, NULL, lone_consumer, &l);
			uint64_t m[CH_MSG_MAX / 8] = {0};
			for (long i = 0; i < l.stream; i++) {
				m[0] = (uint64_t)i;
				chan_send(l.ch, m);
			}
			atomic_store_explicit(&l.sent, 1, memory_order_release);
			/* let the consumer drain and find the channel empty (back-off grown) */
			struct timespec ms = {0, 2000000};
			nanosleep(&ms, NULL);
			m[0] = 0xabc;
			CHECK(chan_send(l.ch, m) == CH_OK, "lone send");
			atomic_store_explicit(&l.sent, 2, memory_order_release);
			ct_spinwait w = CT_SPINWAIT_INIT;
			while (atomic_load_explicit(&l.sent, memory_order_acquire) < 3)
				ct_spinwait_step(&w);
			nanosleep(&ms, NULL); /* the receive is waiting now, most likely */
			m[0] = 0xdef;
			CHECK(chan_send(l.ch, m) == CH_OK, "second lone send");
			pthread_join(th, NULL);
			CHECK(l.try_r == CH_OK && l.got_try == 0xabc,
			      "%s/%s: a try-receive after a lone send returned got %s",
			      chan_kind_name(lk[ki]), chan_block_name(blocks[bi]),
			      chan_result_name(l.try_r));
			CHECK(l.wait_r == CH_OK && l.got_wait == 0xdef,
			      "%s/%s: a waiting receive did not get a lone send: %s",
			      chan_kind_name(lk[ki]), chan_block_name(blocks[bi]),
			      chan_result_name(l.wait_r));
			chan_destroy(l.ch);
		}
	printf("lone send: done\n");
}

/* ---- spin budgets come from the costs the caller measured ------------------------------- */

static void test_costs(void)
{
	chan *c = chan_create(CH_SPSC_RING, 64, 8, CH_SPINPARK);
	CHECK(chan_spin_budget_ns(c) == 20000, "default budget %llu",
	      (unsigned long long)chan_spin_budget_ns(c));
	chan_set_costs(c, &(struct chan_costs){.rtt_ns = 100, .wake_ns = 8000});
	CHECK(chan_spin_budget_ns(c) == 8000, "budget = wake cost: %llu",
	      (unsigned long long)chan_spin_budget_ns(c));
	chan_set_costs(c, &(struct chan_costs){.rtt_ns = 100, .wake_ns = 100});
	CHECK(chan_spin_budget_ns(c) == 400, "budget at least 4 round trips: %llu",
	      (unsigned long long)chan_spin_budget_ns(c));
	chan_set_costs(c, &(struct chan_costs){.rtt_ns = 100, .wake_ns = 1e6});
	CHECK(chan_spin_budget_ns(c) == 50000, "budget at most 50 us: %llu",
	      (unsigned long long)chan_spin_budget_ns(c));
	chan_set_costs(c,
		       &(struct chan_costs){.rtt_ns = 400, .wake_ns = 8000, .oversubscribed = 1});
	CHECK(chan_spin_budget_ns(c) == 1600, "oversubscribed: 4 round trips: %llu",
	      (unsigned long long)chan_spin_budget_ns(c));
	CHECK(chan_spin_away_ns(c) == 8000,
	      "oversubscribed, partner on another PU: the wake cost: %llu",
	      (unsigned long long)chan_spin_away_ns(c));
	chan_set_costs(c,
		       &(struct chan_costs){.rtt_ns = 20000, .wake_ns = 8000, .oversubscribed = 1});
	CHECK(chan_spin_budget_ns(c) == 50000 && chan_spin_away_ns(c) == 50000,
	      "oversubscribed: both budgets at most 50 us: %llu, %llu",
	      (unsigned long long)chan_spin_budget_ns(c), (unsigned long long)chan_spin_away_ns(c));
	chan_set_costs(c, &(struct chan_costs){.rtt_ns = 100, .wake_ns = 8000});
	CHECK(chan_spin_away_ns(c) == chan_spin_budget_ns(c),
	      "not oversubscribed: one budget wherever the partner is: %llu",
	      (unsigned long long)chan_spin_away_ns(c));
	chan_set_costs(c, &(struct chan_costs){0});
	CHECK(chan_spin_budget_ns(c) == 20000, "unknown costs: the default");
	chan_destroy(c);
}

/* Where the partner waited decides the budget (ch_partner_where): run on one PU, then the
 * other, as each side of an oversubscribed channel in turn. */
static int where_on(chan *c, int cpu, int side)
{
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one) != 0 || sched_getcpu() != cpu)
		return -1; /* not pinned: no answer matches */
	return ch_partner_where(c, side);
}

static void test_partner_where(void)
{
	cpu_set_t all;
	int a = ct_test_cpu_nth(0), b = ct_test_cpu_nth(1);
	if (ct_test_cpus() < 2 || a < 0 || b < 0 || a % 64 == b % 64 ||
	    sched_getaffinity(0, sizeof(all), &all) != 0) {
		printf("partner where: skipped (needs two CPUs)\n");
		return;
	}
	chan *c = chan_create(CH_MPMC_RING, 64, 8, CH_SPINPARK);
	chan_set_costs(c,
		       &(struct chan_costs){.rtt_ns = 100, .wake_ns = 8000, .oversubscribed = 1});
	CHECK(where_on(c, a, CH_TX) == 0, "no receiver seen yet: unknown");
	CHECK(where_on(c, b, CH_RX) == CH_AT_AWAY, "the one sender waited on the other PU: away");
	CHECK(where_on(c, a, CH_TX) == CH_AT_AWAY, "the one receiver waited on the other PU: away");
	CHECK(where_on(c, b, CH_TX) == CH_AT_HERE,
	      "a second sender where the receiver last waited: here");
	CHECK(where_on(c, a, CH_TX) == 0, "a sender with a peer on another PU: not away");
	chan_destroy(c);
	c = chan_create(CH_MPMC_RING, 64, 8, CH_SPINPARK);
	chan_set_costs(c, &(struct chan_costs){.rtt_ns = 100, .wake_ns = 8000});
	CHECK(ch_partner_where(c, CH_TX) == 0 && ch_partner_where(c, CH_RX) == 0,
	      "not oversubscribed: no partner rule");
	chan_destroy(c);
	sched_setaffinity(0, sizeof(all), &all);
	printf("partner where: done\n");
}

static void test_create(void)
{
	CHECK(!chan_create(CH_MPMC_RING, 0, 8, CH_SPIN), "ring with capacity 0");
	CHECK(!chan_create(CH_MPMC_RING, 3, 8, CH_SPIN), "lock-free ring, capacity not 2^k");
	CHECK(!chan_create(CH_MUTEX_LIST, 64, 8, CH_SPIN), "bounded list");
	CHECK(!chan_create(CH_RENDEZVOUS, 1, 8, CH_SPIN), "rendezvous with capacity");
	CHECK(!chan_create(CH_MUTEX_RING, 4, 16, CH_SPIN), "16-byte messages");
	chan *c = chan_create(CH_MUTEX_RING, 3, 8, CH_SPIN);
	CHECK(c != NULL, "mutex ring of 3");
	chan_destroy(c);
}

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : "";
	uint64_t t0 = ct_now_ns();
	test_create();
	test_costs();
	test_partner_where();
	if (!*only || !strcmp(only, "lone"))
		test_lone_send();
	if (!*only || !strcmp(only, "close"))
		test_close_try_timeout();
	if (!*only || !strcmp(only, "select")) {
		test_select();
		test_select_stress();
	}
	if (!*only || !strcmp(only, "cancel"))
		test_cancel();
	if (!*only || !strcmp(only, "transfer"))
		test_transfer();
	printf("%s: %d failure(s) in %.1f s\n", ct_check_failures ? "FAILED" : "ok",
	       ct_check_failures, (double)(ct_now_ns() - t0) / 1e9);
	return ct_check_failures ? 1 : 0;
}
