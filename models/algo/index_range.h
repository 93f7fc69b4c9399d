/* The index-range calculator's arithmetic: for a broadcast vector, which stationary rows
 * and, inside them, which columns can yield a valid product at all.
 *
 * A broadcast vector is known to the hardware only by the bounding box of its members in
 * the broadcast plane (rows [r0, r1], columns [c0, c1]); the window returned covers the
 * union of every member's valid set, so it never drops a valid product. For a vector whose
 * members share one row (or one column) the window on that axis is exact, including the
 * stride step of the forward convolution. */
#ifndef ANT_INDEX_RANGE_H
#define ANT_INDEX_RANGE_H

#include <stdint.h>

#include "layer_geometry.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Indices lo, lo + step, ... <= hi; empty when lo > hi. */
typedef struct ant_range {
    int32_t lo;
    int32_t hi;
    int32_t step;
} ant_range;

typedef struct ant_window {
    ant_range rows;
    ant_range cols;
} ant_window;

static inline int ant_range_empty(ant_range r) { return r.lo > r.hi; }

static inline int32_t ant_range_count(ant_range r)
{
    return r.lo > r.hi ? 0 : (r.hi - r.lo) / r.step + 1;
}

/* Stationary window for a broadcast vector spanning rows [r0, r1] and columns [c0, c1] of
 * the broadcast plane (r0 <= r1, c0 <= c1, all inside the plane). */
void ant_index_window(const ant_geometry *g, int32_t r0, int32_t r1, int32_t c0, int32_t c1,
                      ant_window *window);

/* The other direction, as the anticipator of each PE computes it: for an image (stationary)
 * vector spanning rows [r0, r1] and columns [c0, c1] of the stationary plane, the rows and
 * columns of the kernel (broadcast) plane that can meet at least one member in a valid
 * product. Like the hardware's min/max over its members, the result is the union range
 * (step 1): a superset of every member's valid set, never missing one. */
void ant_kernel_window(const ant_geometry *g, int32_t r0, int32_t r1, int32_t c0, int32_t c1,
                       ant_window *window);

#ifdef __cplusplus
}
#endif

#endif /* ANT_INDEX_RANGE_H */
