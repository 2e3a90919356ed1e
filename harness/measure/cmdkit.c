/*
 * cmdkit.c - the services api/command.h offers a family's own subcommand: picking and
 * binding PUs of this machine, the run context, and writing its JSON record.
 */
#include <stdlib.h>

#include "command.h"
#include "resultsio.h"
#include "sysinfo.h"
#include "topology.h"

int ct_cmd_pick_pus(const char *cpus, int want, int *out, char *err, size_t errlen)
{
	int *pus, n;

	if (ct_topo_load(NULL, NULL, err, errlen) != 0)
		return -1;
	if (!ct_topo_is_thissystem()) {
		snprintf(
		    err, errlen,
		    "the topology is not this machine (HWLOC_SYNTHETIC or HWLOC_XMLFILE set?): "
		    "threads could not be pinned");
		return -1;
	}
	if (cpus) {
		if (!(pus = ct_cpus_parse(cpus, &n, err, errlen)))
			return -1;
		int distinct = n == want;
		for (int i = 0; distinct && i < n; i++)
			for (int j = 0; j < i; j++)
				if (pus[i] == pus[j])
					distinct = 0;
		if (!distinct) {
			snprintf(err, errlen, "--cpus %s: give exactly %d different PUs", cpus,
				 want);
			free(pus);
			return -1;
		}
	} else {
		pus = ct_topo_order(CT_PL_CORES, NULL, 0, &n);
		if (n < want) {
			snprintf(
			    err, errlen,
			    "this machine has %d PU%s; the command needs %d threads running at "
			    "once",
			    n, n == 1 ? "" : "s", want);
			free(pus);
			return -1;
		}
	}
	for (int i = 0; i < want; i++)
		out[i] = pus[i];
	free(pus);
	return 0;
}

json_t *ct_cmd_context(void)
{
	json_t *ctx = json_object();

	ct_sysinfo_fill(ctx);
	json_object_set_new(ctx, "contend_version", json_string(CONTEND_VERSION));
	return ctx;
}

int ct_cmd_check_out(const char *path, char *err, size_t errlen)
{
	return ct_check_out_path(path, 1, err, errlen);
}

int ct_cmd_write_json(const char *path, const json_t *doc, char *err, size_t errlen)
{
	if (ct_mkdirs_for(path, err, errlen) != 0)
		return -1;
	return ct_write_json_atomic(path, doc, err, errlen);
}
