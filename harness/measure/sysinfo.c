/*
 * sysinfo.c - see sysinfo.h.
 */
#include "sysinfo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <hwloc.h>

#include "registry.h"
#include "git_commit.h" /* generated at build time */
#include "topology.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

/* First line of a file, trimmed; NULL if unreadable. */
static char *read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static json_t *cpu_model(int *hv_flag)
{
	char line[4096], model[512] = "";
	FILE *f = fopen("/proc/cpuinfo", "r");

	*hv_flag = 0;
	if (!f)
		return json_null();
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		if (!model[0] && (!strncmp(line, "model name", 10) || !strncmp(line, "Model", 5) ||
				  !strncmp(line, "cpu model", 9))) {
			snprintf(model, sizeof(model), "%s", colon + 2);
			model[strcspn(model, "\n")] = '\0';
		}
		if (!strncmp(line, "flags", 5) && strstr(colon, " hypervisor"))
			*hv_flag = 1;
	}
	fclose(f);
	return model[0] ? json_string(model) : json_null();
}

static json_t *hypervisor(int hv_flag)
{
	char buf[64];

	if (read_line("/sys/hypervisor/type", buf, sizeof(buf)) && buf[0])
		return json_string(buf);
#if defined(__x86_64__) || defined(__i386__)
	if (hv_flag) {
		unsigned a, b, c, d;
		char v[13];
		__cpuid(0x40000000, a, b, c, d);
		memcpy(v, &b, 4);
		memcpy(v + 4, &c, 4);
		memcpy(v + 8, &d, 4);
		v[12] = '\0';
		if (!strcmp(v, "KVMKVMKVM"))
			return json_string("kvm");
		if (!strcmp(v, "Microsoft Hv"))
			return json_string("hyperv");
		if (!strncmp(v, "VMwareVMware", 12))
			return json_string("vmware");
		if (!strncmp(v, "XenVMMXenVMM", 12))
			return json_string("xen");
		return json_string(v[0] ? v : "unknown");
	}
#endif
	return hv_flag ? json_string("unknown") : json_null();
}

void ct_sysinfo_fill(json_t *ctx)
{
	struct utsname u;
	char buf[256];
	int hv;
	ct_topo_summary s;
	unsigned api = hwloc_get_api_version();

	json_object_set_new(ctx, "cpu_model", cpu_model(&hv));
	if (uname(&u) == 0) {
		json_object_set_new(ctx, "arch", json_string(u.machine));
		json_object_set_new(ctx, "kernel", json_string(u.release));
	}
	json_object_set_new(ctx, "hypervisor", hypervisor(hv));
	ct_topo_summary_get(&s);
	json_object_set_new(ctx, "smt", json_boolean(s.smt));
	json_object_set_new(ctx, "topology",
			    json_pack("{s:i, s:i, s:i, s:i, s:i}", "packages", s.packages,
				      "numa_nodes", s.numa_nodes, "l3_caches", s.l3_caches, "cores",
				      s.cores, "pus", s.pus));
	json_object_set_new(
	    ctx, "governor",
	    read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", buf, sizeof(buf))
		? json_string(buf)
		: json_null());
	if (read_line("/sys/devices/system/cpu/cpufreq/boost", buf, sizeof(buf)))
		json_object_set_new(ctx, "boost", json_boolean(atoi(buf) != 0));
	else if (read_line("/sys/devices/system/cpu/intel_pstate/no_turbo", buf, sizeof(buf)))
		json_object_set_new(ctx, "boost", json_boolean(atoi(buf) == 0));
	else
		json_object_set_new(ctx, "boost", json_null());
	json_object_set_new(ctx, "compiler", json_string(CONTEND_COMPILER));
	json_object_set_new(ctx, "cflags", json_string(CONTEND_CFLAGS));
	json_object_set_new(ctx, "build_type", json_string(CONTEND_BUILD_TYPE));
	json_object_set_new(ctx, "git_commit", json_string(CONTEND_GIT_COMMIT));
	json_object_set_new(ctx, "gbench_version", json_string(ct_shim_gbench_version()));
#ifdef HWLOC_VERSION
	(void)api;
	json_object_set_new(ctx, "hwloc_version", json_string(HWLOC_VERSION));
#else
	snprintf(buf, sizeof(buf), "%u.%u.%u", api >> 16, (api >> 8) & 0xff, api & 0xff);
	json_object_set_new(ctx, "hwloc_version", json_string(buf));
#endif
}

json_t *ct_loadavg_json(void)
{
	double la[3];

	if (getloadavg(la, 3) != 3)
		return json_null();
	return json_pack("[f, f, f]", la[0], la[1], la[2]);
}

void ct_cpustat_read(ct_cpustat *s)
{
	unsigned long long v[10] = {0};
	FILE *f = fopen("/proc/stat", "r");

	s->ok = 0;
	s->busy = s->total = 0;
	if (!f)
		return;
	int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
		       &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n < 8)
		return;
	/* user nice system idle iowait irq softirq steal (guest is inside user) */
	s->total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
	s->busy = s->total - v[3] - v[4];
	s->ok = 1;
}

void ct_cpustat_read_pus(ct_cpustat_pus *s)
{
	char line[512];
	FILE *f = fopen("/proc/stat", "r");

	memset(s, 0, sizeof(*s));
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v[8] = {0};
		int cpu;
		if (strncmp(line, "cpu", 3) != 0 || line[3] < '0' || line[3] > '9')
			continue;
		if (sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &v[0],
			   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) < 9 ||
		    cpu < 0 || cpu > 65535)
			continue;
		if (cpu >= s->n) {
			int n = cpu + 1;
			unsigned long long *b = realloc(s->busy, sizeof(*b) * (size_t)n);
			unsigned long long *t =
			    b ? realloc(s->total, sizeof(*t) * (size_t)n) : NULL;
			if (!b || !t) {
				free(b ? b : s->busy);
				free(t ? t : s->total);
				memset(s, 0, sizeof(*s));
				fclose(f);
				return;
			}
			for (int i = s->n; i < n; i++)
				b[i] = t[i] = 0;
			s->busy = b;
			s->total = t;
			s->n = n;
		}
		s->total[cpu] = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
		s->busy[cpu] = s->total[cpu] - v[3] - v[4];
	}
	fclose(f);
	s->ok = s->n > 0;
}

void ct_cpustat_pus_free(ct_cpustat_pus *s)
{
	free(s->busy);
	free(s->total);
	memset(s, 0, sizeof(*s));
}

long ct_clock_ticks(void)
{
	long t = sysconf(_SC_CLK_TCK);
	return t > 0 ? t : 100;
}
