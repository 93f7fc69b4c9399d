/* The PE array's cross-channel kernels as they were before their fast path (main at
 * 386b8eb), kept unchanged as the reference the fast path must match counter for counter and
 * bit for bit: every (image vector, kernel element) pair of ANT's per-PE anticipator is
 * enumerated and mapped through ant_output_coord, and every kernel element's index window is
 * computed on its own. Slow by design; only the tests link it. */
#include <stdlib.h>
#include <string.h>

#include "dataflow.h"
#include "dataflow_reference.h"
#include "outer_product_state.h"

static uint64_t accumulate_in_stream_order_reference(ant_array *a, const csr_plane *s, const ant_broadcast_job *jobs)
{
    const ant_geometry *g = &a->g;
    const ant_kernel_stream *ks = &a->ks;
    const int32_t out_w = g->output[ANT_COL];
    uint64_t valid = 0;
    uint32_t pos = 0;
    for (uint32_t e = 0; e < ks->nnz; ++e) {
        while (ks->pos_start[pos + 1] <= e)
            ++pos;
        int32_t br, bc;
        ant_kernel_stream_coord(ks, (int32_t)(pos / (uint32_t)ks->minors), (int32_t)(pos % (uint32_t)ks->minors),
                                &br, &bc);
        ant_window w;
        ant_index_window(g, br, br, bc, bc, &w);
        if (ant_range_empty(w.rows) || ant_range_empty(w.cols))
            continue;
        float *out = jobs[ks->plane[e]].output;
        const float kval = ks->val[e];
        for (int32_t r = w.rows.lo; r <= w.rows.hi; r += w.rows.step) {
            uint32_t f, l;
            row_window(a, s, r, w.cols.lo, w.cols.hi, &f, &l);
            const int32_t row_base = axis_out(g, ANT_ROW, br, r) * out_w;
            for (uint32_t se = f; se < l; ++se) {
                const int32_t sc = s->col_idx[se];
                if (w.cols.step > 1 && (sc - w.cols.lo) % w.cols.step != 0)
                    continue;
                out[row_base + axis_out(g, ANT_COL, bc, sc)] += kval * s->val[se];
                ++valid;
            }
        }
    }
    return valid;
}

static int run_anticipating_pe_reference(ant_array *a, const csr_plane *s, const ant_broadcast_job *jobs, uint32_t n_jobs,
                            ant_counters *ctr)
{
    const ant_geometry *g = &a->g;
    if (ant_prepare_cross_channel(a, s, jobs, n_jobs) != 0)
        return -1;
    const ant_kernel_stream *ks = &a->ks;
    const uint32_t F = a->p.f, I = a->p.i, banks = a->p.banks;
    const uint32_t k_scan = a->p.scan_width, share = a->p.pes_per_kernel_port;
    const int32_t out_w = g->output[ANT_COL];
    const uint32_t out_size = (uint32_t)(g->output[ANT_ROW] * out_w);
    uint16_t *hist = a->hist; /* sv_max * banks >= banks entries: one pair's occupancy */
    uint64_t busiest = 0;

    for (uint32_t t = 0; t < a->n_tiles; ++t) {
        const uint32_t first = a->img_first[t], last = a->img_first[t + 1];
        uint64_t time = 0;
        for (uint32_t v0 = first; v0 < last; v0 += I) {
            const uint32_t v1 = v0 + I < last ? v0 + I : last, members = v1 - v0;
            int32_t c0 = INT32_MAX, c1 = -1;
            for (uint32_t m = v0; m < v1; ++m) {
                const int32_t c = s->col_idx[a->img_order[m]];
                c0 = min32(c0, c);
                c1 = max32(c1, c);
            }
            ant_window w;
            ant_kernel_window(g, a->img_row[v0], a->img_row[v1 - 1], c0, c1, &w);
            ++ctr->ranges_computed;
            ctr->stationary_reads += members;
            const ant_range major = ks->major_is_row ? w.rows : w.cols;
            const ant_range minor = ks->major_is_row ? w.cols : w.rows;
            if (ant_range_empty(major) || ant_range_empty(minor))
                continue;
            const uint32_t span = ant_kernel_stream_at(ks, major.hi + 1, 0) - ant_kernel_stream_at(ks, major.lo, 0);
            const uint64_t scan = ceil_div_u64(span, k_scan) * share;
            ctr->kernel_index_reads += span;
            ctr->window_rows_searched += (uint64_t)(major.hi - major.lo + 1);

            uint64_t selected = 0, conflicts = 0;
            uint16_t pair_max = 0;
            for (int32_t mj = major.lo; mj <= major.hi; ++mj) {
                uint32_t e = ant_kernel_stream_at(ks, mj, minor.lo);
                for (int32_t mn = minor.lo; mn <= minor.hi; ++mn) {
                    const uint32_t pos_end = ks->pos_start[(uint32_t)mj * (uint32_t)ks->minors + (uint32_t)mn + 1];
                    int32_t br, bc;
                    ant_kernel_stream_coord(ks, mj, mn, &br, &bc);
                    for (; e < pos_end; ++e) {
                        if (selected % F == 0 && selected > 0) {
                            /* The previous kernel vector is complete: settle its collisions. */
                            if (pair_max > 1)
                                conflicts += pair_max - 1u;
                            if (pair_max)
                                memset(hist, 0, sizeof(uint16_t) * banks);
                            pair_max = 0;
                        }
                        ++selected;
                        const ant_broadcast_job *job = &jobs[ks->plane[e]];
                        for (uint32_t m = v0; m < v1; ++m) {
                            const uint32_t se = a->img_order[m];
                            int32_t orow, ocol;
                            if (!ant_output_coord(g, br, bc, a->img_row[m], s->col_idx[se], &orow, &ocol))
                                continue;
                            const uint32_t out_idx = (uint32_t)(orow * out_w + ocol);
                            ++ctr->products_valid;
                            ant_mark_contributed(a->contributed + (size_t)job->output_id * a->tile_words, t);
                            const uint16_t h = ++hist[ant_output_bank(job->output_id, out_idx, out_size, banks)];
                            if (h > pair_max)
                                pair_max = h;
                        }
                    }
                }
            }
            if (pair_max > 1)
                conflicts += pair_max - 1u;
            if (pair_max)
                memset(hist, 0, sizeof(uint16_t) * banks);
            const uint64_t kernel_vectors = ceil_div_u64(selected, F);
            ctr->vector_pairs += kernel_vectors;
            ctr->products_issued += selected * members;
            ctr->kernel_value_reads += selected;
            ctr->bank_conflict_cycles += conflicts;
            if (scan > kernel_vectors)
                ctr->scan_bound_cycles += scan - kernel_vectors;
            time += max64(scan, kernel_vectors) + conflicts;
        }
        if (time > 0)
            time += a->p.range_latency;
        a->pe_time[t] = time;
        ctr->pe_busy_cycles += time;
        busiest = max64(busiest, time);
    }
    ctr->cycles += busiest;
    ctr->compute_cycles += busiest;
    /* The products themselves, in the order every mode uses (the loop above only counted). */
    accumulate_in_stream_order_reference(a, s, jobs);
    return 0;
}

static int reserve_vector_scratch_reference(ant_array *a, uint32_t vectors)
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

static int run_scnn_plus_reference(ant_array *a, const csr_plane *s, const ant_broadcast_job *jobs, uint32_t n_jobs,
                      ant_counters *ctr)
{
    const ant_geometry *g = &a->g;
    if (ant_prepare_cross_channel(a, s, jobs, n_jobs) != 0)
        return -1;
    const ant_kernel_stream *ks = &a->ks;
    const uint32_t F = a->p.f, I = a->p.i, banks = a->p.banks;
    const uint32_t n_vectors = a->n_tiles ? a->img_first[a->n_tiles] : 0;
    if (reserve_vector_scratch_reference(a, n_vectors ? n_vectors : 1) != 0)
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
                    ant_mark_contributed(a->contributed + (size_t)job->output_id * a->tile_words, a->vec_tile[iv]);
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

uint64_t ant_array_exported_psums_by_full_scan(const ant_array *a)
{
    uint64_t total = 0;
    for (uint32_t o = 0; o < a->n_outputs; ++o)
        for (uint32_t j = 0; j < a->n_tiles; ++j)
            if (a->contributed[(size_t)o * a->tile_words + j / 64] >> (j % 64) & 1)
                total += a->tiling.tiles[j].exported_psums;
    return total;
}

int ant_array_run_reference(ant_array *a, ant_mode mode, const csr_plane *s, const ant_broadcast_job *jobs,
                            uint32_t n_jobs, ant_counters *ctr)
{
    ant_note_pass_outputs(a, jobs, n_jobs);
    switch (ant_dataflow_of(mode, a->p.mapping, a->p.anticipator, a->p.scnn_packing)) {
    case ANT_DATAFLOW_SCNN_PLUS:
        if (a->g.op == ANT_OP_SPMM && a->p.scnn_spmm == ANT_SCNN_SPMM_CONTRACTION)
            break;
        return run_scnn_plus_reference(a, s, jobs, n_jobs, ctr);
    case ANT_DATAFLOW_ANT_PE: return run_anticipating_pe_reference(a, s, jobs, n_jobs, ctr);
    default: break;
    }
    return ant_array_run(a, mode, s, jobs, n_jobs, ctr);
}
