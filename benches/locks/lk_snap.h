/*
 * lk_snap.h - the 64-byte configuration snapshot of lock_readmostly: eight 64-bit fields,
 * all from one version v (field i holds v + i). A reader that finds two fields from
 * different versions has seen a torn snapshot. Writers replace version v with v + 1, so
 * after a run field 0 equals the number of writes: a lost write shows too.
 */
#ifndef CONTEND_LK_SNAP_H
#define CONTEND_LK_SNAP_H

#include <stdint.h>

#define LK_SNAP_WORDS 8

typedef struct {
	uint64_t f[LK_SNAP_WORDS];
} lk_snap_t;

static inline void lk_snap_fill(uint64_t *f, uint64_t v)
{
	for (int i = 0; i < LK_SNAP_WORDS; i++)
		f[i] = v + (uint64_t)i;
}

/* 1 if the fields are not all from one version. */
static inline int lk_snap_torn(const uint64_t *f)
{
	uint64_t bad = 0;
	for (int i = 1; i < LK_SNAP_WORDS; i++)
		bad |= f[i] ^ (f[0] + (uint64_t)i);
	return bad != 0;
}

#endif
