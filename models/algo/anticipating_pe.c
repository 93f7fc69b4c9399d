/* ANT's PE as the paper builds it (ISCA 2022; pipeline as in the authors' FastPath 2022
 * talk): the image plane is tiled over the PEs as in SCNN, but nothing is broadcast. Each PE,
 * for each of its I-wide image vectors,
 *   1. computes the kernel row range and column range of the vector (min/max over its
 *      members: the union range),
 *   2. scans the kernel index buffer over the rows in range, `scan_width` (k) indices a
 *      cycle — the pass's kernel planes are interleaved in (row, column, plane) order, so
 *      the rows in range are one contiguous span,
 *   3. selects the indices inside the column range, F at a time (a kernel vector),
 *   4. multiplies each kernel vector with the image vector (F x I multipliers), one pair a
 *      cycle, products scattered to `banks` accumulator banks.
 * Scan and multiply are pipelined: an image vector costs max(scan cycles, kernel vectors)
 * plus its bank-conflict cycles; a PE pays `range_latency` once per pass to fill the range
 * pipeline; `pes_per_kernel_port` PEs sharing one kernel-buffer read port divide its scan
 * rate. The pass lasts as long as the busiest PE. An out-of-range kernel element costs only
 * its share of the scan; the products that remain redundant are pairs inside the union range
 * that are not individually valid. Only valid products are computed, after the timing walk
 * and in kernel-stream order, so that ANT's tensors are bit-identical to the other modes'. */
#include <string.h>

#include "outer_product_state.h"

int ant_run_anticipating_pe(ant_array *a, const csr_plane *s, const ant_broadcast_job *jobs, uint32_t n_jobs,
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
                            a->contributed[(size_t)job->output_id * a->n_tiles + t] = 1;
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
    ant_accumulate_in_stream_order(a, s, jobs);
    return 0;
}
