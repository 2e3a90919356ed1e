#!/bin/sh
# one_cpu.sh PROGRAM [ARGS...]: run a test program confined to one CPU, the first its
# process may use (CI may run in a cpuset without CPU 0). Threads that hand work to each
# other then run by turns: the test must still finish, which it can only do if every
# spin-wait gives the CPU away (ct_spinwait) and the stress scales down (testcpu.h).
set -eu
list=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status)
cpu=${list%%[-,]*}
exec taskset -c "$cpu" "$@"
