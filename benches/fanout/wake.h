/*
 * wake.h - one-way wake-up mechanisms: a thread blocks in fo_wake_wait() until another calls
 * fo_wake_signal(). Five kinds: a futex word, a mutex+condvar flag, a POSIX sem_t, an
 * eventfd watched through epoll, and a pipe. A signal is remembered until consumed (a
 * signal before the wait is not lost); several signals before one wait may count as one
 * (futex, condvar, eventfd) or as several (sem_t, pipe): the ping-pong never sends two.
 */
#ifndef CONTEND_FANOUT_WAKE_H
#define CONTEND_FANOUT_WAKE_H

#ifndef _GNU_SOURCE
#error "define _GNU_SOURCE before the first #include (sem_clockwait, pipe2)"
#endif

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "arch.h"

enum fo_wake_kind {
	FO_WAKE_FUTEX,
	FO_WAKE_CONDVAR,
	FO_WAKE_SEM,
	FO_WAKE_EVENTFD,
	FO_WAKE_PIPE,
	FO_WAKE_KINDS
};

static const char *const fo_wake_names[FO_WAKE_KINDS] = {"futex", "condvar", "sem", "eventfd_epoll",
							 "pipe"};

typedef struct {
	int kind;
	CT_ALIGNED atomic_int word; /* futex: 1 = signalled */
	pthread_mutex_t m;	    /* condvar */
	pthread_cond_t c;
	int flag;
	sem_t sem;
	int efd, epfd; /* eventfd + epoll */
	int pfd[2];    /* pipe: [0] read, [1] write */
} fo_wake;

/* Returns 0, or -1 (errno set) if the kernel objects could not be made. */
static inline int fo_wake_init(fo_wake *w, int kind)
{
	w->kind = kind;
	w->efd = w->epfd = w->pfd[0] = w->pfd[1] = -1;
	atomic_init(&w->word, 0);
	switch (kind) {
	case FO_WAKE_FUTEX:
		return 0;
	case FO_WAKE_CONDVAR:
		w->flag = 0;
		pthread_mutex_init(&w->m, NULL);
		pthread_cond_init(&w->c, NULL);
		return 0;
	case FO_WAKE_SEM:
		return sem_init(&w->sem, 0, 0);
	case FO_WAKE_EVENTFD: {
		w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		w->epfd = epoll_create1(EPOLL_CLOEXEC);
		struct epoll_event ev = {.events = EPOLLIN, .data.fd = w->efd};
		if (w->efd < 0 || w->epfd < 0 || epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->efd, &ev))
			return -1;
		return 0;
	}
	case FO_WAKE_PIPE:
		return pipe2(w->pfd, O_CLOEXEC);
	}
	return -1;
}

static inline void fo_wake_destroy(fo_wake *w)
{
	switch (w->kind) {
	case FO_WAKE_CONDVAR:
		pthread_cond_destroy(&w->c);
		pthread_mutex_destroy(&w->m);
		break;
	case FO_WAKE_SEM:
		sem_destroy(&w->sem);
		break;
	case FO_WAKE_EVENTFD:
		if (w->epfd >= 0)
			close(w->epfd);
		if (w->efd >= 0)
			close(w->efd);
		break;
	case FO_WAKE_PIPE:
		if (w->pfd[0] >= 0)
			close(w->pfd[0]);
		if (w->pfd[1] >= 0)
			close(w->pfd[1]);
		break;
	}
}

/* Block until signalled; consumes the signal. Returns 0, or -1 on a kernel error. */
static inline int fo_wake_wait(fo_wake *w)
{
	switch (w->kind) {
	case FO_WAKE_FUTEX:
		while (!atomic_exchange_explicit(&w->word, 0, memory_order_acquire))
			syscall(SYS_futex, (int *)&w->word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0,
				NULL, NULL, 0);
		return 0;
	case FO_WAKE_CONDVAR:
		pthread_mutex_lock(&w->m);
		while (!w->flag)
			pthread_cond_wait(&w->c, &w->m);
		w->flag = 0;
		pthread_mutex_unlock(&w->m);
		return 0;
	case FO_WAKE_SEM:
		while (sem_wait(&w->sem) != 0)
			if (errno != EINTR)
				return -1;
		return 0;
	case FO_WAKE_EVENTFD:
		for (;;) {
			uint64_t v;
			if (read(w->efd, &v, sizeof(v)) == (ssize_t)sizeof(v))
				return 0;
			if (errno != EAGAIN && errno != EINTR)
				return -1;
			struct epoll_event ev;
			if (epoll_wait(w->epfd, &ev, 1, -1) < 0 && errno != EINTR)
				return -1;
		}
	case FO_WAKE_PIPE:
		for (;;) {
			char b;
			ssize_t r = read(w->pfd[0], &b, 1);
			if (r == 1)
				return 0;
			if (r == 0 || errno != EINTR)
				return -1;
		}
	}
	return -1;
}

static inline int fo_wake_signal(fo_wake *w)
{
	switch (w->kind) {
	case FO_WAKE_FUTEX:
		atomic_store_explicit(&w->word, 1, memory_order_release);
		syscall(SYS_futex, (int *)&w->word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL,
			0);
		return 0;
	case FO_WAKE_CONDVAR:
		pthread_mutex_lock(&w->m);
		w->flag = 1;
		pthread_cond_signal(&w->c);
		pthread_mutex_unlock(&w->m);
		return 0;
	case FO_WAKE_SEM:
		return sem_post(&w->sem);
	case FO_WAKE_EVENTFD: {
		uint64_t one = 1;
		return write(w->efd, &one, sizeof(one)) == (ssize_t)sizeof(one) ? 0 : -1;
	}
	case FO_WAKE_PIPE: {
		char b = 1;
		ssize_t r;
		while ((r = write(w->pfd[1], &b, 1)) < 0 && errno == EINTR)
			;
		return r == 1 ? 0 : -1;
	}
	}
	return -1;
}

#endif
