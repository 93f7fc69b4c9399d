/* What both cross-channel dataflows need before a pass: the kernel buffer's stream of the
 * pass's kernel planes, and the image plane cut into the PEs' tiles and I-wide vectors. */
#include <stdlib.h>
#include <string.h>

#include "outer_product_state.h"

/* The kernel stream is rebuilt only when the pass's planes change: a weight-gradient job
 * meets the same output-gradient planes in every pass of a sample. */
static int prepare_stream(ant_array *a, const ant_broadcast_job *jobs, uint32_t n_jobs)
{
    int same = a->ks_valid && a->ks_n == n_jobs;
    for (uint32_t j = 0; j < n_jobs && same; ++j)
        same = jobs[j].plane_key != 0 && a->ks_keys[j] == jobs[j].plane_key;
    if (same)
        return 0;
    a->ks_valid = 0;
    if (a->ks_keys_cap < n_jobs) {
        uint32_t *keys = realloc(a->ks_keys, sizeof(uint32_t) * n_jobs);
        if (!keys)
            return -1;
        a->ks_keys = keys;
        a->ks_keys_cap = n_jobs;
    }
    const csr_plane **planes = malloc(sizeof(*planes) * (n_jobs ? n_jobs : 1));
    if (!planes)
        return -1;
    for (uint32_t j = 0; j < n_jobs; ++j) {
        planes[j] = jobs[j].plane;
        a->ks_keys[j] = jobs[j].plane_key;
    }
    const int rc = ant_kernel_stream_build(&a->ks, &a->g, planes, n_jobs);
    free(planes);
    if (rc != 0)
        return -1;
    a->ks_n = n_jobs;
    a->ks_valid = 1;
    return 0;
}

/* Tiles in PE order; inside a tile, entries row-major; every I consecutive entries of a
 * tile form one image vector. */
static int prepare_image(ant_array *a, const csr_plane *s)
{
    const uint32_t nnz = csr_nnz(s) ? csr_nnz(s) : 1;
    if (a->img_cap < nnz) {
        uint32_t *order = realloc(a->img_order, sizeof(uint32_t) * nnz);
        if (order)
            a->img_order = order;
        int32_t *row = realloc(a->img_row, sizeof(int32_t) * nnz);
        if (row)
            a->img_row = row;
        uint32_t *vec = realloc(a->img_vec, sizeof(uint32_t) * nnz);
        if (vec)
            a->img_vec = vec;
        uint32_t *tile = realloc(a->vec_tile, sizeof(uint32_t) * nnz);
        if (tile)
            a->vec_tile = tile;
        if (!order || !row || !vec || !tile)
            return -1;
        a->img_cap = nnz;
    }
    for (uint32_t w = 0; w < a->n_scratch; ++w) {
        ant_scratch *sc = &a->scratch[w];
        if (sc->win_cap >= nnz)
            continue;
        float *val = realloc(sc->win_val, sizeof(float) * nnz);
        if (val)
            sc->win_val = val;
        uint32_t *out = realloc(sc->win_out, sizeof(uint32_t) * nnz);
        if (out)
            sc->win_out = out;
        uint32_t *vec = realloc(sc->win_vec, sizeof(uint32_t) * nnz);
        if (vec)
            sc->win_vec = vec;
        if (!val || !out || !vec)
            return -1;
        sc->win_cap = nnz;
    }
    const uint32_t width = a->p.i;
    uint32_t at = 0, vectors = 0;
    for (uint32_t t = 0; t < a->n_tiles; ++t) {
        const ant_tile *tile = &a->tiling.tiles[t];
        const uint32_t first = at;
        a->img_first[t] = at;
        for (int32_t r = tile->r0; r < tile->r1 && !ant_tile_empty(tile); ++r) {
            uint32_t f, l;
            csr_row_window(s, (uint32_t)r, (uint32_t)tile->c0, (uint32_t)(tile->c1 - 1), &f, &l);
            for (uint32_t e = f; e < l; ++e) {
                a->img_order[at] = e;
                a->img_row[at] = r;
                a->img_vec[e] = vectors + (at - first) / width;
                ++at;
            }
        }
        const uint32_t n = (uint32_t)ceil_div_u64(at - first, width);
        for (uint32_t v = 0; v < n; ++v)
            a->vec_tile[vectors + v] = t;
        vectors += n;
    }
    a->img_first[a->n_tiles] = at;
    return 0;
}

uint32_t ant_position_window(const ant_array *a, const csr_plane *s, int32_t br, int32_t bc, ant_scratch *sc)
{
    const ant_geometry *g = &a->g;
    const int32_t out_w = g->output[ANT_COL];
    ant_window w;
    ant_index_window(g, br, br, bc, bc, &w);
    if (ant_range_empty(w.rows) || ant_range_empty(w.cols))
        return 0;
    /* Output column of every column in the window (-1 off the stride lattice), once, so
     * that the entries below need neither a division nor a modulo. */
    for (int32_t c = w.cols.lo; c <= w.cols.hi; ++c)
        sc->col_out[c] = (c - w.cols.lo) % w.cols.step == 0 ? axis_out(g, ANT_COL, bc, c) : -1;
    uint32_t n = 0;
    for (int32_t r = w.rows.lo; r <= w.rows.hi; r += w.rows.step) {
        uint32_t f, l;
        row_window(a, s, r, w.cols.lo, w.cols.hi, &f, &l);
        const int32_t row_base = axis_out(g, ANT_ROW, br, r) * out_w;
        for (uint32_t se = f; se < l; ++se) {
            const int32_t o = sc->col_out[s->col_idx[se]];
            if (o < 0)
                continue;
            sc->win_val[n] = s->val[se];
            sc->win_out[n] = (uint32_t)(row_base + o);
            sc->win_vec[n] = a->img_vec[se];
            ++n;
        }
    }
    return n;
}

int ant_reserve_task_extra(ant_array *a)
{
    if (a->task_extra)
        return 0;
    a->task_extra = malloc(sizeof(uint64_t) * (size_t)a->n_scratch * ANT_MAX_TASKS_PER_WORKER * a->n_tiles);
    return a->task_extra ? 0 : -1;
}

int ant_reserve_vector_scratch(ant_scratch *sc, uint32_t banks, uint32_t vectors)
{
    if (sc->vcap >= vectors)
        return 0;
    uint16_t *hist = calloc((size_t)vectors * banks, sizeof(uint16_t));
    uint16_t *vmax = calloc(vectors, sizeof(uint16_t));
    uint32_t *touched = malloc(sizeof(uint32_t) * vectors);
    if (!hist || !vmax || !touched) {
        free(hist);
        free(vmax);
        free(touched);
        return -1;
    }
    free(sc->vhist);
    free(sc->vmax);
    free(sc->vtouched);
    sc->vhist = hist;
    sc->vmax = vmax;
    sc->vtouched = touched;
    sc->vcap = vectors;
    return 0;
}

uint64_t ant_accumulate_planes(ant_array *a, const csr_plane *s, const ant_broadcast_job *jobs, uint32_t j0,
                               uint32_t j1, ant_scratch *sc)
{
    const ant_kernel_stream *ks = &a->ks;
    const uint32_t positions = (uint32_t)ks->majors * (uint32_t)ks->minors;
    uint64_t valid = 0;
    for (uint32_t q = 0; q < positions; ++q) {
        uint32_t e0 = ks->pos_start[q], e1 = ks->pos_start[q + 1];
        /* Entries of a position are sorted by plane: keep those of planes j0..j1-1. */
        while (e0 < e1 && ks->plane[e0] < j0)
            ++e0;
        while (e1 > e0 && ks->plane[e1 - 1] >= j1)
            --e1;
        if (e0 == e1)
            continue;
        int32_t br, bc;
        ant_kernel_stream_coord(ks, (int32_t)(q / (uint32_t)ks->minors), (int32_t)(q % (uint32_t)ks->minors), &br,
                                &bc);
        const uint32_t n = ant_position_window(a, s, br, bc, sc);
        if (n == 0)
            continue;
        valid += (uint64_t)n * (e1 - e0);
        const float *restrict sval = sc->win_val;
        const uint32_t *restrict sout = sc->win_out;
        for (uint32_t e = e0; e < e1; ++e) {
            float *restrict out = jobs[ks->plane[e]].output;
            const float kval = ks->val[e];
            for (uint32_t i = 0; i < n; ++i)
                out[sout[i]] += kval * sval[i];
        }
    }
    return valid;
}

/* Each job's terms of the bank hash and of the contribution flags, once per pass instead of
 * once per kernel entry. */
static int prepare_jobs(ant_array *a, const ant_broadcast_job *jobs, uint32_t n_jobs)
{
    if (a->job_cap < n_jobs) {
        uint32_t *hash = realloc(a->job_hash, sizeof(uint32_t) * n_jobs);
        if (hash)
            a->job_hash = hash;
        uint32_t *contrib = realloc(a->job_contrib, sizeof(uint32_t) * n_jobs);
        if (contrib)
            a->job_contrib = contrib;
        if (!hash || !contrib)
            return -1;
        a->job_cap = n_jobs;
    }
    const uint32_t out_size = (uint32_t)(a->g.output[ANT_ROW] * a->g.output[ANT_COL]);
    for (uint32_t j = 0; j < n_jobs; ++j) {
        a->job_hash[j] = jobs[j].output_id * out_size * ANT_BANK_HASH;
        a->job_contrib[j] = jobs[j].output_id * a->tile_words;
    }
    return 0;
}

int ant_prepare_cross_channel(ant_array *a, const csr_plane *s, const ant_broadcast_job *jobs, uint32_t n_jobs)
{
    if (prepare_stream(a, jobs, n_jobs) != 0 || prepare_jobs(a, jobs, n_jobs) != 0)
        return -1;
    if (prepare_image(a, s) != 0)
        return -1;
    ant_array_build_prefix(a, s);
    return 0;
}
