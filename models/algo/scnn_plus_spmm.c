/* SCNN+ on SPMM, C = A * B, the way SCNN runs a fully-connected layer: as a 1x1 convolution
 * whose input channels are the contraction index j. SCNN's PT-IS-CP dataflow takes one input
 * channel per pass, so a pass here is one j: the non-zeros of A's column j (packed F-wide
 * across A's rows, the "output channels") are broadcast to the PEs holding B's row j, and
 * each multiplies them with its I-wide vectors of that row. Every product is valid — a 1x1
 * convolution has no redundant Cartesian products — and the cost is the lanes the short
 * rows and columns leave idle and the PEs that hold no part of row j.
 *
 * B is tiled as the planar tiling places it (row j in one row of PEs, its columns, the
 * batch, split over that row's PEs), which lets SCNN+ use up to pe_cols PEs per pass where a
 * per-sample 1x1 plane would use one: the generous reading of the baseline.
 *
 * Time: passes run back to back; a pass lasts as long as its busiest PE (kernel vectors x its
 * image vectors + its bank-conflict cycles), and at least the broadcast of its vectors. */
#include <stdlib.h>
#include <string.h>

#include "outer_product_state.h"

typedef struct spmm_pass_stats {
    uint64_t busiest, busy_sum, pairs, extra, stationary_reads, valid;
} spmm_pass_stats;

/* Multiplies kernel entries [e0, e1) of column j (their A rows found from the stream's
 * positions, their output from the entry's plane) with B's row-j entries [f, l) of one tile, F x I at a time, accumulating into
 * the output and counting each pair's bank conflicts. */
static void tile_pass(ant_array *a, const csr_plane *s, const ant_broadcast_job *jobs, int32_t j, uint32_t e0,
                      uint32_t e1, uint32_t f, uint32_t l, uint32_t *touched, spmm_pass_stats *st)
{
    const ant_kernel_stream *ks = &a->ks;
    const uint32_t F = a->p.f, I = a->p.i, banks = a->p.banks;
    const int32_t out_w = a->g.output[ANT_COL];
    const uint32_t out_size = (uint32_t)(a->g.output[ANT_ROW] * out_w);
    const uint64_t kv = ceil_div_u64(e1 - e0, F), nv = ceil_div_u64(l - f, I);
    uint64_t extra = 0;
    uint32_t pos = (uint32_t)j * (uint32_t)ks->minors;
    for (uint32_t k0 = e0; k0 < e1; k0 += F) {
        const uint32_t k1 = k0 + F < e1 ? k0 + F : e1;
        const uint32_t pos0 = pos; /* the cursor restarts for every image vector */
        for (uint32_t i0 = f; i0 < l; i0 += I) {
            const uint32_t i1 = i0 + I < l ? i0 + I : l;
            uint32_t n_touched = 0, most = 0;
            pos = pos0;
            for (uint32_t ke = k0; ke < k1; ++ke) {
                while (ks->pos_start[pos + 1] <= ke)
                    ++pos;
                const int32_t m = (int32_t)(pos % (uint32_t)ks->minors);
                const float kval = ks->val[ke];
                const ant_broadcast_job *job = &jobs[ks->plane[ke]];
                for (uint32_t ie = i0; ie < i1; ++ie) {
                    const uint32_t out_idx = (uint32_t)(m * out_w + s->col_idx[ie]);
                    job->output[out_idx] += kval * s->val[ie];
                    const uint32_t bank = ant_output_bank(job->output_id, out_idx, out_size, banks);
                    if (a->vhist[bank] == 0)
                        touched[n_touched++] = bank;
                    if (++a->vhist[bank] > most)
                        most = a->vhist[bank];
                }
            }
            for (uint32_t t = 0; t < n_touched; ++t)
                a->vhist[touched[t]] = 0;
            extra += most - 1u;
            st->valid += (uint64_t)(k1 - k0) * (i1 - i0);
        }
    }
    const uint64_t work = kv * nv + extra;
    st->busiest = max64(st->busiest, work);
    st->busy_sum += work;
    st->pairs += kv * nv;
    st->extra += extra;
    st->stationary_reads += kv * (l - f);
}

int ant_run_scnn_plus_spmm(ant_array *a, const csr_plane *s, const ant_broadcast_job *jobs, uint32_t n_jobs,
                           ant_counters *ctr)
{
    if (ant_prepare_cross_channel(a, s, jobs, n_jobs) != 0)
        return -1;
    const ant_kernel_stream *ks = &a->ks;
    const uint32_t F = a->p.f, I = a->p.i, banks = a->p.banks;
    /* One bank histogram, and the banks a pair touched (at most F x I). */
    uint16_t *hist = calloc(banks, sizeof(uint16_t));
    uint32_t *touched = malloc(sizeof(uint32_t) * (size_t)F * I);
    if (!hist || !touched) {
        free(hist);
        free(touched);
        return -1;
    }
    uint16_t *saved = a->vhist;
    a->vhist = hist;
    spmm_pass_stats all = {0};
    for (int32_t j = 0; j < ks->majors; ++j) {
        const uint32_t e0 = ant_kernel_stream_at(ks, j, 0), e1 = ks->pos_start[(uint32_t)(j + 1) * (uint32_t)ks->minors];
        if (e0 == e1 || s->row_ptr[j] == s->row_ptr[j + 1])
            continue;
        spmm_pass_stats pass = {0};
        for (uint32_t t = 0; t < a->n_tiles; ++t) {
            const ant_tile *tile = &a->tiling.tiles[t];
            if (ant_tile_empty(tile) || j < tile->r0 || j >= tile->r1)
                continue;
            uint32_t f, l;
            csr_row_window(s, (uint32_t)j, (uint32_t)tile->c0, (uint32_t)(tile->c1 - 1), &f, &l);
            if (f == l)
                continue;
            tile_pass(a, s, jobs, j, e0, e1, f, l, touched, &pass);
            for (uint32_t q = 0; q < n_jobs; ++q)
                ant_mark_contributed(a->contributed + (size_t)jobs[q].output_id * a->tile_words, t);
        }
        const uint64_t kv = ceil_div_u64(e1 - e0, F);
        ctr->cycles += max64(pass.busiest, ceil_div_u64(kv, a->p.broadcasts_per_cycle));
        ctr->compute_cycles += pass.busiest;
        ctr->broadcast_vectors += kv;
        ctr->kernel_index_reads += e1 - e0;
        ctr->kernel_value_reads += e1 - e0;
        all.pairs += pass.pairs;
        all.extra += pass.extra;
        all.busy_sum += pass.busy_sum;
        all.stationary_reads += pass.stationary_reads;
        all.valid += pass.valid;
    }
    a->vhist = saved;
    free(hist);
    free(touched);
    ctr->vector_pairs += all.pairs;
    ctr->products_issued += all.valid;
    ctr->products_valid += all.valid;
    ctr->bank_conflict_cycles += all.extra;
    ctr->pe_busy_cycles += all.busy_sum;
    ctr->stationary_reads += all.stationary_reads;
    return 0;
}
