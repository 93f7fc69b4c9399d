/* SCNN+ (SCNN's PT-IS-CP-sparse dataflow, extended to the backward passes): the image plane
 * is tiled over the PEs; the pass's kernel non-zeros are broadcast to every PE as F-wide
 * vectors packed across output channels in (r, s, k) order; every PE multiplies every
 * kernel vector with each of its I-wide image vectors, one pair a cycle, whether or not any
 * product is valid. Products of a pair go to `banks` accumulator banks chosen from output
 * channel and position (ant_output_bank); a pair whose products collide costs
 * max(per-bank) - 1 more cycles.
 *
 * Time: each PE is busy (kernel vectors x its image vectors + its conflict cycles); the
 * broadcast path delivers `broadcasts_per_cycle` vectors a cycle; a FIFO per PE decouples
 * them, so the pass lasts as long as the busier of the two. Only valid products are
 * computed; the rest are counted. */
#include <string.h>
#include <stdlib.h>

#include "outer_product_state.h"

static int reserve_vector_scratch(ant_array *a, uint32_t vectors)
{
    if (a->vcap >= vectors)
        return 0;
    const uint32_t banks = a->p.banks;
    uint16_t *hist = calloc((size_t)vectors * banks, sizeof(uint16_t));
    uint16_t *vmax = calloc(vectors, sizeof(uint16_t));
    uint32_t *touched = malloc(sizeof(uint32_t) * vectors);
    if (!hist || !vmax || !touched) {
        free(hist);
        free(vmax);
        free(touched);
        return -1;
    }
    free(a->vhist);
    free(a->vmax);
    free(a->vtouched);
    a->vhist = hist;
    a->vmax = vmax;
    a->vtouched = touched;
    a->vcap = vectors;
    return 0;
}

int ant_run_scnn_plus(ant_array *a, const csr_plane *s, const ant_broadcast_job *jobs, uint32_t n_jobs,
                      ant_counters *ctr)
{
    const ant_geometry *g = &a->g;
    if (ant_prepare_cross_channel(a, s, jobs, n_jobs) != 0)
        return -1;
    const ant_kernel_stream *ks = &a->ks;
    const uint32_t F = a->p.f, I = a->p.i, banks = a->p.banks;
    const uint32_t n_vectors = a->n_tiles ? a->img_first[a->n_tiles] : 0;
    if (reserve_vector_scratch(a, n_vectors ? n_vectors : 1) != 0)
        return -1;
    const uint64_t n_kvec = ceil_div_u64(ks->nnz, F);
    const int32_t out_w = g->output[ANT_COL];
    const uint32_t out_size = (uint32_t)(g->output[ANT_ROW] * out_w);
    memset(a->pe_extra, 0, sizeof(uint64_t) * a->n_pe);

    /* Valid products, kernel vector by kernel vector, to find each pair's bank collisions. */
    uint64_t valid = 0;
    uint32_t pos = 0;
    for (uint64_t kv = 0; kv < n_kvec; ++kv) {
        const uint32_t e0 = (uint32_t)kv * F, e1 = (uint32_t)((kv + 1) * F < ks->nnz ? (kv + 1) * F : ks->nnz);
        uint32_t n_touched = 0;
        for (uint32_t e = e0; e < e1; ++e) {
            while (ks->pos_start[pos + 1] <= e)
                ++pos;
            int32_t br, bc;
            ant_kernel_stream_coord(ks, (int32_t)(pos / (uint32_t)ks->minors),
                                    (int32_t)(pos % (uint32_t)ks->minors), &br, &bc);
            ant_window w;
            ant_index_window(g, br, br, bc, bc, &w);
            if (ant_range_empty(w.rows) || ant_range_empty(w.cols))
                continue;
            const ant_broadcast_job *job = &jobs[ks->plane[e]];
            const float kval = ks->val[e];
            float *out = job->output;
            for (int32_t r = w.rows.lo; r <= w.rows.hi; r += w.rows.step) {
                uint32_t f, l;
                row_window(a, s, r, w.cols.lo, w.cols.hi, &f, &l);
                if (f == l)
                    continue;
                const int32_t row_base = axis_out(g, ANT_ROW, br, r) * out_w;
                for (uint32_t se = f; se < l; ++se) {
                    const int32_t sc = s->col_idx[se];
                    if (w.cols.step > 1 && (sc - w.cols.lo) % w.cols.step != 0)
                        continue;
                    const uint32_t out_idx = (uint32_t)(row_base + axis_out(g, ANT_COL, bc, sc));
                    out[out_idx] += kval * s->val[se];
                    ++valid;
                    const uint32_t iv = a->img_vec[se];
                    a->contributed[(size_t)job->output_id * a->n_tiles + a->vec_tile[iv]] = 1;
                    if (a->vmax[iv] == 0)
                        a->vtouched[n_touched++] = iv;
                    const uint16_t h = ++a->vhist[(size_t)iv * banks + ant_output_bank(job->output_id, out_idx, out_size, banks)];
                    if (h > a->vmax[iv])
                        a->vmax[iv] = h;
                }
            }
        }
        for (uint32_t t = 0; t < n_touched; ++t) {
            const uint32_t iv = a->vtouched[t];
            a->pe_extra[a->vec_tile[iv]] += a->vmax[iv] - 1u;
            a->vmax[iv] = 0;
            memset(a->vhist + (size_t)iv * banks, 0, sizeof(uint16_t) * banks);
        }
    }

    uint64_t busiest = 0, busy_sum = 0, pairs = 0, extra = 0, image_nnz = 0;
    for (uint32_t t = 0; t < a->n_tiles; ++t) {
        const uint64_t entries = a->img_first[t + 1] - a->img_first[t];
        const uint64_t work = n_kvec * ceil_div_u64(entries, I) + a->pe_extra[t];
        pairs += n_kvec * ceil_div_u64(entries, I);
        extra += a->pe_extra[t];
        image_nnz += entries;
        busy_sum += work;
        busiest = max64(busiest, work);
    }
    const uint64_t broadcast = ceil_div_u64(n_kvec, a->p.broadcasts_per_cycle);
    ctr->cycles += max64(busiest, broadcast);
    ctr->compute_cycles += busiest;
    ctr->broadcast_vectors += n_kvec;
    ctr->vector_pairs += pairs;
    ctr->products_issued += image_nnz * ks->nnz;
    ctr->products_valid += valid;
    ctr->bank_conflict_cycles += extra;
    ctr->pe_busy_cycles += busy_sum;
    /* A PE re-reads its image vector for every kernel vector; the kernel buffer is read once
     * per broadcast. */
    for (uint32_t t = 0; t < a->n_tiles; ++t)
        ctr->stationary_reads += n_kvec * (uint64_t)(a->img_first[t + 1] - a->img_first[t]);
    ctr->kernel_index_reads += ks->nnz;
    ctr->kernel_value_reads += ks->nnz;
    return 0;
}
