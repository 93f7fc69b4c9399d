/* The firmware's side of the job manifest (sw/include/ant_manifest.h): the tensors
 * `ant-vp run --load name=file.npy` placed in DRAM, the scratch memory after them, and the
 * results the firmware hands back for `--save name=out.npy`.
 *
 *   const ant_manifest_tensor *x = ant_manifest_find("x", 4);   NULL: not loaded / not 4-D
 *   const float *xv = ant_manifest_data(x);
 *   ant_arena scratch;  ant_manifest_scratch(&scratch);       DRAM for descriptors, outputs
 *   ant_manifest_publish("y", y, 4, (uint32_t[]){n, k, ho, wo});
 *
 * Every function that can fail returns an ant_status (ant_driver.h) and records it for
 * ant_last_error(). */
#ifndef ANT_MANIFEST_ACCESS_H
#define ANT_MANIFEST_ACCESS_H

#include <stdint.h>

#include "ant_driver.h"
#include "ant_manifest.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The manifest at ANT_MANIFEST_ADDRESS, or NULL when the runner wrote none (no --load or
 * --save on the command line) or one of another version. */
const ant_manifest *ant_manifest_get(void);

/* The entry called `name` (loaded or published), or NULL when there is none or when ndim
 * is not 0 and the entry has another number of dimensions. */
const ant_manifest_tensor *ant_manifest_find(const char *name, uint32_t ndim);

/* The entry's dense float32 data (C order), or NULL for a NULL entry. */
const float *ant_manifest_data(const ant_manifest_tensor *tensor);

/* An arena over the DRAM the runner left free after the loaded tensors.
 * ANT_DRV_NOT_READY without a manifest, ANT_DRV_INVALID for a NULL arena. */
ANT_MUST_CHECK ant_status ant_manifest_scratch(ant_arena *arena);

/* Appends an entry naming `ndim` (1..4) dimensions of dense float32 data at `data`, which
 * must stay in DRAM until the firmware exits. ANT_DRV_NOT_READY without a manifest,
 * ANT_DRV_INVALID for a bad argument (empty name, or one of 32 characters or more, a name
 * already there, a zero dimension), ANT_DRV_NO_MEMORY when all entries are used. */
ANT_MUST_CHECK ant_status ant_manifest_publish(const char *name, const float *data, uint32_t ndim,
                                               const uint32_t *shape);

#ifdef __cplusplus
}
#endif

#endif /* ANT_MANIFEST_ACCESS_H */
