#include "planar_tiling.h"

#include <stdlib.h>

/* Per axis: for each tile index, the reach [lo, hi] in output indices and the number of
 * reached outputs it owns. */
typedef struct axis_reach {
    int32_t *lo, *hi, *owned;
} axis_reach;

static int32_t min32(int32_t a, int32_t b) { return a < b ? a : b; }

static int axis_reach_init(axis_reach *ar, const ant_geometry *g, int axis, int32_t tiles,
                           int32_t tile)
{
    const int32_t n_stat = g->stationary[axis], n_out = g->output[axis];
    const int32_t n_bcast = g->broadcast[axis];
    int32_t *owner = malloc(sizeof(int32_t) * (size_t)n_out);
    ar->lo = malloc(sizeof(int32_t) * (size_t)tiles);
    ar->hi = malloc(sizeof(int32_t) * (size_t)tiles);
    ar->owned = calloc((size_t)tiles, sizeof(int32_t));
    if (!owner || !ar->lo || !ar->hi || !ar->owned) {
        free(owner);
        return -1;
    }
    for (int32_t o = 0; o < n_out; ++o)
        owner[o] = -1;
    for (int32_t t = 0; t < tiles; ++t) {
        ar->lo[t] = n_out;
        ar->hi[t] = -1;
    }
    if (g->op == ANT_OP_SPMM) {
        /* Rows: every B row (contraction index) reaches every output row; the first tile
         * row owns them. Columns: B's column n is output column n. */
        for (int32_t t = 0; t < tiles; ++t) {
            int32_t s0 = t * tile, s1 = min32(s0 + tile, n_stat);
            if (s0 >= s1)
                continue;
            ar->lo[t] = axis == ANT_ROW ? 0 : s0;
            ar->hi[t] = axis == ANT_ROW ? n_out - 1 : s1 - 1;
            ar->owned[t] = axis == ANT_ROW ? (t == 0 ? n_out : 0) : s1 - s0;
        }
        free(owner);
        return 0;
    }
    /* Brute force over the axis: a handful of thousand steps per job, and obviously right. */
    for (int32_t s = 0; s < n_stat; ++s) {
        int32_t t = s / tile;
        for (int32_t b = 0; b < n_bcast; ++b) {
            int32_t o;
            if (!ant_axis_output(g, axis, b, s, &o))
                continue;
            if (owner[o] < 0)
                owner[o] = t;
            if (o < ar->lo[t])
                ar->lo[t] = o;
            if (o > ar->hi[t])
                ar->hi[t] = o;
        }
    }
    for (int32_t t = 0; t < tiles; ++t)
        for (int32_t o = ar->lo[t]; o <= ar->hi[t]; ++o)
            ar->owned[t] += owner[o] == t;
    free(owner);
    return 0;
}

static void axis_reach_free(axis_reach *ar)
{
    free(ar->lo);
    free(ar->hi);
    free(ar->owned);
}

int ant_tiling_init(ant_tiling *t, const ant_geometry *g, uint32_t pe_rows, uint32_t pe_cols)
{
    axis_reach rows = {0}, cols = {0};
    int rc = -1;
    t->pe_rows = pe_rows;
    t->pe_cols = pe_cols;
    t->tile_h = (g->stationary[ANT_ROW] + (int32_t)pe_rows - 1) / (int32_t)pe_rows;
    t->tile_w = (g->stationary[ANT_COL] + (int32_t)pe_cols - 1) / (int32_t)pe_cols;
    t->tiles = calloc((size_t)pe_rows * pe_cols, sizeof(ant_tile));
    if (!t->tiles)
        return -1;
    if (axis_reach_init(&rows, g, ANT_ROW, (int32_t)pe_rows, t->tile_h) != 0 ||
        axis_reach_init(&cols, g, ANT_COL, (int32_t)pe_cols, t->tile_w) != 0)
        goto out;
    for (uint32_t pr = 0; pr < pe_rows; ++pr) {
        for (uint32_t pc = 0; pc < pe_cols; ++pc) {
            ant_tile *tile = &t->tiles[pr * pe_cols + pc];
            tile->r0 = min32((int32_t)pr * t->tile_h, g->stationary[ANT_ROW]);
            tile->r1 = min32(tile->r0 + t->tile_h, g->stationary[ANT_ROW]);
            tile->c0 = min32((int32_t)pc * t->tile_w, g->stationary[ANT_COL]);
            tile->c1 = min32(tile->c0 + t->tile_w, g->stationary[ANT_COL]);
            if (ant_tile_empty(tile))
                continue;
            int64_t reach_r = rows.hi[pr] - rows.lo[pr] + 1;
            int64_t reach_c = cols.hi[pc] - cols.lo[pc] + 1;
            if (reach_r <= 0 || reach_c <= 0)
                continue;
            tile->exported_psums =
                (uint64_t)(reach_r * reach_c - (int64_t)rows.owned[pr] * cols.owned[pc]);
        }
    }
    rc = 0;
out:
    axis_reach_free(&rows);
    axis_reach_free(&cols);
    if (rc != 0)
        ant_tiling_free(t);
    return rc;
}

void ant_tiling_free(ant_tiling *t)
{
    free(t->tiles);
    t->tiles = NULL;
}
