/*
 * topology.c - see topology.h.
 */
#define _GNU_SOURCE /* cpu_set_t, pthread_attr_setaffinity_np */
#include "topology.h"

#include <pthread.h>
#include <sched.h>

#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hwloc.h>

#include "bench.h"
#include "registry.h"

static hwloc_topology_t topo;
static int topo_loaded;

int ct_topo_load(const char *synthetic, const char *xml, char *err, size_t errlen)
{
	if (topo_loaded)
		ct_topo_unload();
	if (hwloc_topology_init(&topo) != 0) {
		snprintf(err, errlen, "hwloc: cannot initialise a topology");
		return -1;
	}
	if (synthetic && hwloc_topology_set_synthetic(topo, synthetic) != 0) {
		snprintf(err, errlen, "invalid synthetic topology '%s'", synthetic);
		hwloc_topology_destroy(topo);
		return -1;
	}
	if (xml && hwloc_topology_set_xml(topo, xml) != 0) {
		snprintf(err, errlen, "cannot read topology XML %s: %s", xml, strerror(errno));
		hwloc_topology_destroy(topo);
		return -1;
	}
	if (hwloc_topology_load(topo) != 0) {
		snprintf(err, errlen, "hwloc: cannot load the topology: %s", strerror(errno));
		hwloc_topology_destroy(topo);
		return -1;
	}
	topo_loaded = 1;
	return 0;
}

void ct_topo_unload(void)
{
	if (topo_loaded)
		hwloc_topology_destroy(topo);
	topo_loaded = 0;
}

int ct_topo_is_thissystem(void)
{
	return topo_loaded && hwloc_topology_is_thissystem(topo);
}

static int count_type(hwloc_obj_type_t t)
{
	int n = hwloc_get_nbobjs_by_type(topo, t);
	return n > 0 ? n : 0;
}

void ct_topo_summary_get(ct_topo_summary *s)
{
	memset(s, 0, sizeof(*s));
	s->packages = count_type(HWLOC_OBJ_PACKAGE);
	s->numa_nodes = count_type(HWLOC_OBJ_NUMANODE);
	s->l3_caches = count_type(HWLOC_OBJ_L3CACHE);
	s->cores = count_type(HWLOC_OBJ_CORE);
	s->pus = count_type(HWLOC_OBJ_PU);
	s->smt = s->cores > 0 && s->pus > s->cores;
}

void ct_topo_summary_line(char *out, size_t outlen)
{
	ct_topo_summary s;

	ct_topo_summary_get(&s);
	snprintf(out, outlen, "%d packages, %d NUMA nodes, %d L3 caches, %d cores, %d PUs%s",
		 s.packages, s.numa_nodes, s.l3_caches, s.cores, s.pus, s.smt ? " (SMT)" : "");
}

static const char *const placement_names[] = {
    [CT_PL_CORES] = "cores", [CT_PL_COMPACT] = "compact", [CT_PL_SCATTER] = "scatter",
    [CT_PL_CPUS] = "cpus",   [CT_PL_NONE] = "none",
};

int ct_placement_parse(const char *s, ct_placement *out)
{
	for (int i = 0; i <= CT_PL_NONE; i++)
		if (i != CT_PL_CPUS && !strcmp(s, placement_names[i])) {
			*out = (ct_placement)i;
			return 0;
		}
	return -1;
}

const char *ct_placement_name(ct_placement p)
{
	return placement_names[p];
}

static hwloc_obj_t pu_by_os(int os)
{
	return os < 0 ? NULL : hwloc_get_pu_obj_by_os_index(topo, (unsigned)os);
}

int *ct_cpus_parse(const char *list, int *n, char *err, size_t errlen)
{
	int cap = 16, cnt = 0;
	int *out = malloc(sizeof(int) * (size_t)cap);
	const char *p = list;

	if (!out) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!*p)
		goto bad;
	while (*p) {
		char *end;
		long a, b;

		if (*p < '0' || *p > '9')
			goto bad;
		errno = 0;
		a = strtol(p, &end, 10);
		b = a;
		if (*end == '-') {
			p = end + 1;
			if (*p < '0' || *p > '9')
				goto bad;
			b = strtol(p, &end, 10);
		}
		if (errno || a > b || b > INT_MAX)
			goto bad;
		for (long c = a; c <= b; c++) {
			if (!pu_by_os((int)c)) {
				snprintf(err, errlen,
					 "--cpus %s: CPU %ld is not present on this machine", list,
					 c);
				free(out);
				return NULL;
			}
			for (int j = 0; j < cnt; j++)
				if (out[j] == c) {
					snprintf(err, errlen, "--cpus %s: CPU %ld is listed twice",
						 list, c);
					free(out);
					return NULL;
				}
			if (cnt == cap) {
				cap *= 2;
				int *nw = realloc(out, sizeof(int) * (size_t)cap);
				if (!nw) {
					free(out);
					snprintf(err, errlen, "out of memory");
					return NULL;
				}
				out = nw;
			}
			out[cnt++] = (int)c;
		}
		p = end;
		if (*p == ',') {
			p++;
			if (!*p)
				goto bad;
		} else if (*p) {
			goto bad;
		}
	}
	*n = cnt;
	return out;
bad:
	snprintf(err, errlen, "--cpus %s: not a CPU list (expected e.g. 0,2,4-7)", list);
	free(out);
	return NULL;
}

/*
 * Scatter: each PU gets a path of indices (package, NUMA node, L3, core, PU) from the
 * objects that contain it; the order is a recursive round robin over that tree, so the
 * widest level alternates first. Built from cpusets rather than the hwloc tree's shape,
 * since NUMA nodes are memory children in hwloc 2 and levels may be missing.
 */
#define LEVELS 5

struct pupath {
	int key[LEVELS];
	int os;
};

static int level_index(hwloc_obj_type_t t, hwloc_obj_t pu)
{
	int n = hwloc_get_nbobjs_by_type(topo, t);

	for (int i = 0; i < n; i++) {
		hwloc_obj_t o = hwloc_get_obj_by_type(topo, t, (unsigned)i);
		if (o->cpuset && hwloc_bitmap_isset(o->cpuset, pu->os_index))
			return i;
	}
	return 0;
}

/* Round robin over the groups of items[0..n) that share key[level]: the next item of
 * each group in turn (each group itself ordered recursively). */
static void scatter_rec(struct pupath *items, int n, int level, int *out)
{
	if (level == LEVELS || n <= 1) {
		for (int i = 0; i < n; i++)
			out[i] = items[i].os;
		return;
	}
	/* items arrive sorted by key; find the groups at this level */
	int ngroups = 0;
	int *start = malloc(sizeof(int) * (size_t)(n + 1));
	int *sub = malloc(sizeof(int) * (size_t)n);
	if (!start || !sub)
		abort();
	for (int i = 0; i < n; i++)
		if (i == 0 || items[i].key[level] != items[i - 1].key[level])
			start[ngroups++] = i;
	start[ngroups] = n;
	for (int g = 0; g < ngroups; g++)
		scatter_rec(items + start[g], start[g + 1] - start[g], level + 1, sub + start[g]);
	int k = 0;
	for (int round = 0; k < n; round++)
		for (int g = 0; g < ngroups; g++)
			if (start[g] + round < start[g + 1])
				out[k++] = sub[start[g] + round];
	free(start);
	free(sub);
}

static int cmp_path(const void *a, const void *b)
{
	const struct pupath *x = a, *y = b;

	for (int l = 0; l < LEVELS; l++)
		if (x->key[l] != y->key[l])
			return x->key[l] < y->key[l] ? -1 : 1;
	return 0;
}

int *ct_topo_order(ct_placement p, const int *cpus, int ncpus, int *n)
{
	int npu = count_type(HWLOC_OBJ_PU);
	int *out;

	if (p == CT_PL_CPUS) {
		out = malloc(sizeof(int) * (size_t)(ncpus > 0 ? ncpus : 1));
		if (!out)
			abort();
		memcpy(out, cpus, sizeof(int) * (size_t)ncpus);
		*n = ncpus;
		return out;
	}
	out = malloc(sizeof(int) * (size_t)(npu > 0 ? npu : 1));
	if (!out)
		abort();
	*n = npu;
	if (p == CT_PL_COMPACT || p == CT_PL_NONE) {
		for (int i = 0; i < npu; i++)
			out[i] =
			    (int)hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, (unsigned)i)->os_index;
		return out;
	}
	if (p == CT_PL_CORES) {
		int k = 0;
		char *used = calloc((size_t)npu, 1);
		if (!used)
			abort();
		/* the first PU of every core, in core order */
		int ncores = count_type(HWLOC_OBJ_CORE);
		for (int c = 0; c < ncores; c++) {
			hwloc_obj_t core = hwloc_get_obj_by_type(topo, HWLOC_OBJ_CORE, (unsigned)c);
			hwloc_obj_t pu = hwloc_get_obj_inside_cpuset_by_type(topo, core->cpuset,
									     HWLOC_OBJ_PU, 0);
			if (pu && !used[pu->logical_index]) {
				used[pu->logical_index] = 1;
				out[k++] = (int)pu->os_index;
			}
		}
		for (int i = 0; i < npu; i++)
			if (!used[i])
				out[k++] =
				    (int)hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, (unsigned)i)
					->os_index;
		free(used);
		return out;
	}
	/* scatter */
	static const hwloc_obj_type_t types[LEVELS] = {
	    HWLOC_OBJ_PACKAGE, HWLOC_OBJ_NUMANODE, HWLOC_OBJ_L3CACHE, HWLOC_OBJ_CORE, HWLOC_OBJ_PU};
	struct pupath *items = malloc(sizeof(*items) * (size_t)(npu > 0 ? npu : 1));
	if (!items)
		abort();
	for (int i = 0; i < npu; i++) {
		hwloc_obj_t pu = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, (unsigned)i);
		for (int l = 0; l < LEVELS - 1; l++)
			items[i].key[l] = level_index(types[l], pu);
		items[i].key[LEVELS - 1] = (int)pu->logical_index;
		items[i].os = (int)pu->os_index;
	}
	qsort(items, (size_t)npu, sizeof(*items), cmp_path);
	scatter_rec(items, npu, 0, out);
	free(items);
	return out;
}

/*
 * Where the sharing changes along an order, per level (cores, L3s, NUMA nodes, packages):
 * the largest k whose first k PUs all lie in one object of the level (the first object is
 * full: compact crosses a core at k + 1), and the largest k whose first k PUs all lie in
 * distinct objects (every object used once: scatter and cores start sharing at k + 1).
 * Points of 1 or n are left out (a sweep has them anyway).
 */
int ct_topo_boundaries(const int *order, int n, int *out, int max)
{
	static const hwloc_obj_type_t types[] = {HWLOC_OBJ_CORE, HWLOC_OBJ_L3CACHE,
						 HWLOC_OBJ_NUMANODE, HWLOC_OBJ_PACKAGE};
	int nb = 0, *obj = malloc(sizeof(int) * (size_t)(n > 0 ? n : 1));

	if (!obj)
		abort();
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		if (count_type(types[t]) < 2)
			continue;
		for (int i = 0; i < n; i++) {
			hwloc_obj_t pu = pu_by_os(order[i]);
			obj[i] = pu ? level_index(types[t], pu) : -1;
		}
		int fill = 1, spread = 1;
		while (fill < n && obj[fill] == obj[0])
			fill++;
		for (int dup = 0; spread < n && !dup; spread += !dup)
			for (int j = 0; j < spread && !dup; j++)
				dup = obj[j] == obj[spread];
		int pts[2] = {fill, spread};
		for (int k = 0; k < 2; k++) {
			int seen = pts[k] <= 1 || pts[k] >= n;
			for (int j = 0; j < nb && !seen; j++)
				seen = out[j] == pts[k];
			if (!seen && nb < max)
				out[nb++] = pts[k];
		}
	}
	free(obj);
	return nb;
}

/* 1 if PUs a and b are in one object of type t (0 when the topology has no such object). */
static int share(hwloc_obj_type_t t, hwloc_obj_t a, hwloc_obj_t b)
{
	return count_type(t) > 0 && level_index(t, a) == level_index(t, b);
}

int ct_topo_pair_sample(const int *order, int n, int *pos, const char **shares, int max)
{
	static const struct {
		hwloc_obj_type_t t;
		const char *name;
	} lv[] = {{HWLOC_OBJ_CORE, "core"},
		  {HWLOC_OBJ_L3CACHE, "l3"},
		  {HWLOC_OBJ_NUMANODE, "numa"},
		  {HWLOC_OBJ_PACKAGE, "package"}};
	enum { NLV = sizeof(lv) / sizeof(lv[0]) };
	int found[NLV + 1] = {0}, np = 0;
	hwloc_obj_t first = n > 0 ? pu_by_os(order[0]) : NULL;

	for (int j = 1; first && j < n && np < max; j++) {
		hwloc_obj_t pu = pu_by_os(order[j]);
		if (!pu)
			continue;
		size_t k = 0; /* the smallest object both are in; NLV: only the machine */
		while (k < NLV && !share(lv[k].t, first, pu))
			k++;
		if (found[k])
			continue;
		found[k] = 1;
		pos[np] = j;
		shares[np++] = k < NLV ? lv[k].name : "machine";
	}
	return np;
}

/* --- the run's placement ----------------------------------------------------------------*/

static ct_placement run_placement = CT_PL_NONE;
static int *run_order;
static int run_n;

void ct_placement_set(ct_placement p, const int *order, int n)
{
	free(run_order);
	run_order = malloc(sizeof(int) * (size_t)(n > 0 ? n : 1));
	if (!run_order)
		abort();
	memcpy(run_order, order, sizeof(int) * (size_t)n);
	run_n = n;
	run_placement = p;
}

int ct_bind_self_os(int os_index)
{
	hwloc_obj_t pu = topo_loaded ? pu_by_os(os_index) : NULL;

	if (!pu)
		return -1;
	return hwloc_set_cpubind(topo, pu->cpuset, HWLOC_CPUBIND_THREAD) == 0 ? 0 : -1;
}

int ct_current_pu(void)
{
	int r = -1;
	hwloc_bitmap_t set;

	if (!topo_loaded)
		return -1;
	set = hwloc_bitmap_alloc();
	if (set && hwloc_get_last_cpu_location(topo, set, HWLOC_CPUBIND_THREAD) == 0)
		r = hwloc_bitmap_first(set);
	hwloc_bitmap_free(set);
	return r;
}

/* PUs by position; written by benchmark and team threads, read after they are joined. */
#define CT_MAX_POS 4096
static _Atomic int pus_seen[CT_MAX_POS];
static atomic_int pus_max = -1;

void ct_pus_reset(void)
{
	for (int i = 0; i < CT_MAX_POS; i++)
		atomic_store_explicit(&pus_seen[i], -1, memory_order_relaxed);
	atomic_store(&pus_max, -1);
}

void ct_pus_record(int pos, int os_index)
{
	if (pos < 0 || pos >= CT_MAX_POS)
		return;
	atomic_store_explicit(&pus_seen[pos], os_index, memory_order_relaxed);
	int m = atomic_load(&pus_max);
	while (pos > m && !atomic_compare_exchange_weak(&pus_max, &m, pos))
		;
}

int ct_pus_format(char *out, size_t outlen)
{
	int m = atomic_load(&pus_max);
	size_t off = 0;

	out[0] = '\0';
	for (int i = 0; i <= m && off < outlen; i++) {
		int v = atomic_load_explicit(&pus_seen[i], memory_order_relaxed);
		if (v < 0)
			off += (size_t)snprintf(out + off, outlen - off, "%s?", i ? "," : "");
		else
			off += (size_t)snprintf(out + off, outlen - off, "%s%d", i ? "," : "", v);
	}
	return m + 1;
}

/* --- pinning hooks (bench.h, registry.h) ----------------------------------------------- */

int ct_placement_pus(void)
{
	return run_n;
}

int ct_pin_self(int pos)
{
	if (run_placement != CT_PL_NONE && run_n > 0)
		ct_bind_self_os(run_order[pos % run_n]);
	int pu = ct_current_pu();
	ct_pus_record(pos, pu);
	return pu;
}

int ct_attr_bind(void *pthread_attr, int pos)
{
	cpu_set_t set;

	if (run_placement == CT_PL_NONE || run_n <= 0)
		return 0;
	int os = run_order[pos % run_n];
	if (os < 0 || os >= CPU_SETSIZE)
		return -1;
	CPU_ZERO(&set);
	CPU_SET(os, &set);
	return pthread_attr_setaffinity_np((pthread_attr_t *)pthread_attr, sizeof(set), &set) ? -1
											      : 0;
}

void ct__thread_enter(int thread_index)
{
	ct_pin_self(thread_index);
}

void ct__thread_leave(int thread_index)
{
	ct_pus_record(thread_index, ct_current_pu());
}
