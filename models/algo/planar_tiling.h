/* Planar tiling of the stationary plane over a grid of PEs (SCNN's PT-IS mapping), and the
 * partial-sum bookkeeping that follows from it: which outputs a PE's tile can reach, and
 * how many of those belong to another PE (halo / cross-PE reduction traffic). */
#ifndef ANT_PLANAR_TILING_H
#define ANT_PLANAR_TILING_H

#include <stdint.h>

#include "layer_geometry.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ant_tile {
    int32_t r0, r1; /* stationary rows [r0, r1) */
    int32_t c0, c1; /* stationary cols [c0, c1) */
    /* Partial sums this tile sends to other PEs per output plane it contributes to: the
     * outputs its tile can reach minus the ones it owns. An output is owned by the PE
     * holding the lowest stationary index that contributes to it. */
    uint64_t exported_psums;
} ant_tile;

typedef struct ant_tiling {
    uint32_t pe_rows, pe_cols;
    int32_t tile_h, tile_w;
    ant_tile *tiles; /* pe_rows * pe_cols, row-major; empty tiles have r0 == r1 */
} ant_tiling;

/* Builds the tiling for geometry g. Returns 0, or -1 if memory runs out. */
int ant_tiling_init(ant_tiling *t, const ant_geometry *g, uint32_t pe_rows, uint32_t pe_cols);
void ant_tiling_free(ant_tiling *t);

static inline int ant_tile_empty(const ant_tile *tile)
{
    return tile->r0 >= tile->r1 || tile->c0 >= tile->c1;
}

#ifdef __cplusplus
}
#endif

#endif /* ANT_PLANAR_TILING_H */
