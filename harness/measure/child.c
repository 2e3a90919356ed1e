/*
 * child.c - one benchmark instance in a child process with a deadline (a hang or a crash
 * costs one result, never the run), and the signals that stop it: the first SIGINT/SIGTERM
 * stops the running child, the second ends everything at once.
 */
#include "child.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "resultsio.h"
#include "runner.h"
#include "topology.h"

/* --- signals ----------------------------------------------------------------------------*/

static volatile sig_atomic_t interrupted;
static volatile sig_atomic_t child_pid;

static void on_signal(int sig)
{
	(void)sig;
	if (interrupted) { /* second signal: end at once */
		if (child_pid > 0)
			kill(-child_pid, SIGKILL);
		_exit(130);
	}
	interrupted = 1;
}

void ct_runner_signals(void)
{
	struct sigaction sa = {.sa_handler = on_signal};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int ct_runner_interrupted(void)
{
	return interrupted;
}

/* --- one instance in a child ------------------------------------------------------------*/

static int write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The child: run the instance, write {"gbench": ..., "pus": "...", "positions": N}. */
static void child_main(const ct_instance *inst, const ct_run_opts *o, long nreps, int fd)
{
	char *flags[64 + 4];
	char mt[64], reps[64], err[512];
	int nf = 0;
	char *raw = NULL;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	snprintf(mt, sizeof(mt), "--benchmark_min_time=%g", o->min_time);
	snprintf(reps, sizeof(reps), "--benchmark_repetitions=%ld", nreps);
	flags[nf++] = mt;
	flags[nf++] = reps;
	for (int i = 0; i < o->ngb && nf < 64; i++)
		flags[nf++] = o->gb[i];
	ct_pus_reset();
	if (ct_shim_run(inst, nf, flags, &raw, err, sizeof(err)) != 0) {
		fprintf(stderr, "contend: %s: %s\n", inst->name, err);
		_exit(3);
	}
	char *clean = ct_json_sanitize_nonfinite(raw);
	json_error_t je;
	json_t *g = clean ? json_loads(clean, 0, &je) : NULL;
	if (!g) {
		fprintf(stderr, "contend: %s: Google Benchmark wrote JSON we cannot read: %s\n",
			inst->name, clean ? je.text : "out of memory");
		_exit(3);
	}
	char pus[8192];
	int positions = ct_pus_format(pus, sizeof(pus));
	json_t *msg = json_pack("{s:o, s:s, s:i}", "gbench", g, "pus", pus, "positions", positions);
	char *s = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
	if (!s || write_all(fd, s, strlen(s)) != 0)
		_exit(3);
	_exit(0);
}

void ct_child_run(const ct_instance *inst, const ct_run_opts *o, long nreps,
		  struct ct_child_outcome *out)
{
	int pfd[2];
	char *buf = NULL;
	size_t len = 0, cap = 0;
	struct rusage ru;
	int status = 0, killed = 0;

	memset(out, 0, sizeof(*out));
	if (pipe(pfd) != 0) {
		snprintf(out->error, sizeof(out->error), "cannot create a pipe: %s",
			 strerror(errno));
		return;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(out->error, sizeof(out->error), "cannot fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return;
	}
	if (pid == 0) {
		setpgid(0, 0); /* its own group: a terminal's ^C reaches the parent only */
		close(pfd[0]);
		child_main(inst, o, nreps, pfd[1]);
	}
	setpgid(pid, pid);
	child_pid = pid;
	close(pfd[1]);
	uint64_t deadline = ct_now_ns() + (uint64_t)(o->timeout * 1e9);
	for (;;) {
		struct pollfd p = {.fd = pfd[0], .events = POLLIN};
		int r = poll(&p, 1, 100);
		if (interrupted) {
			kill(-pid, SIGKILL);
			killed = 2;
			break;
		}
		if (ct_now_ns() > deadline) {
			kill(-pid, SIGKILL);
			killed = 1;
			break;
		}
		if (r <= 0)
			continue;
		if (len + 65536 > cap) {
			cap = cap ? 2 * cap : 1 << 20;
			char *nb = realloc(buf, cap);
			if (!nb) {
				kill(-pid, SIGKILL);
				snprintf(out->error, sizeof(out->error), "out of memory");
				killed = 3;
				break;
			}
			buf = nb;
		}
		ssize_t n = read(pfd[0], buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(pfd[0]);
	while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
		;
	child_pid = 0;
	out->child_cpu_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
			   (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	if (killed == 2) {
		out->interrupted = 1;
		snprintf(out->error, sizeof(out->error), "interrupted");
	} else if (killed == 1) {
		snprintf(out->error, sizeof(out->error), "killed at its deadline of %g s (hung?)",
			 o->timeout);
	} else if (killed == 3) {
		/* error set above */
	} else if (WIFSIGNALED(status)) {
		snprintf(out->error, sizeof(out->error), "crashed: signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	} else if (WEXITSTATUS(status) != 0) {
		snprintf(out->error, sizeof(out->error),
			 "the benchmark process exited with status %d", WEXITSTATUS(status));
	} else {
		json_error_t je;
		out->msg = buf ? json_loadb(buf, len, 0, &je) : NULL;
		if (!out->msg)
			snprintf(out->error, sizeof(out->error),
				 "the benchmark process reported nothing readable");
	}
	free(buf);
}
