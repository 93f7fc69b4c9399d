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
 * computed; the rest are counted.
 *
 * The timing walk enumerates the valid products only to find each pair's collisions: a
 * kernel position's window (stationary entries, their image vectors and output indices) is
 * built once for all the planes' entries at that position; the products themselves are added
 * afterwards in kernel-stream order, the order every mode uses. Tiles are independent, so
 * ranges of them may run on different workers. */
#include <string.h>
#include <stdlib.h>

#include "outer_product_state.h"

void ant_scnn_plus_tiles(ant_array *a, const csr_plane *s, const ant_broadcast_job *jobs, uint32_t t0, uint32_t t1,
                         ant_scratch *sc, uint64_t *valid)
{
    const ant_kernel_stream *ks = &a->ks;
    const uint32_t F = a->p.f, banks = a->p.banks;
    const uint32_t out_size = (uint32_t)(a->g.output[ANT_ROW] * a->g.output[ANT_COL]);
    const uint64_t n_kvec = ceil_div_u64(ks->nnz, F);
    const uint32_t v0 = a->img_first[t0] == a->img_first[a->n_tiles] ? 0 : a->img_vec[a->img_order[a->img_first[t0]]];
    uint32_t *touched = sc->vtouched;
    uint32_t pos = 0, window_pos = UINT32_MAX, n_window = 0;
    uint64_t count = 0;
    for (uint32_t t = t0; t < t1; ++t)
        a->pe_extra[t] = 0;
    for (uint64_t kv = 0; kv < n_kvec; ++kv) {
        const uint32_t e0 = (uint32_t)kv * F, e1 = (uint32_t)((kv + 1) * F < ks->nnz ? (kv + 1) * F : ks->nnz);
        uint32_t n_touched = 0;
        for (uint32_t e = e0; e < e1; ++e) {
            while (ks->pos_start[pos + 1] <= e)
                ++pos;
            if (pos != window_pos) {
                int32_t br, bc;
                ant_kernel_stream_coord(ks, (int32_t)(pos / (uint32_t)ks->minors),
                                        (int32_t)(pos % (uint32_t)ks->minors), &br, &bc);
                n_window = ant_position_window(a, s, br, bc, t0, t1, sc);
                window_pos = pos;
            }
            if (n_window == 0)
                continue;
            const uint32_t oid = jobs[ks->plane[e]].output_id;
            const uint32_t plane_hash = oid * out_size * ANT_BANK_HASH;
            uint8_t *contributed = a->contributed + (size_t)oid * a->n_tiles;
            count += n_window;
            for (uint32_t i = 0; i < n_window; ++i) {
                const uint32_t iv = sc->win_vec[i];
                const uint32_t local = iv - v0;
                contributed[a->vec_tile[iv]] = 1;
                if (sc->vmax[local] == 0)
                    touched[n_touched++] = local;
                const uint16_t h = ++sc->vhist[(size_t)local * banks +
                                               ant_bank_of_hash(plane_hash + sc->win_out[i] * ANT_BANK_HASH, banks)];
                if (h > sc->vmax[local])
                    sc->vmax[local] = h;
            }
        }
        for (uint32_t k = 0; k < n_touched; ++k) {
            const uint32_t local = touched[k];
            a->pe_extra[a->vec_tile[v0 + local]] += sc->vmax[local] - 1u;
            sc->vmax[local] = 0;
            memset(sc->vhist + (size_t)local * banks, 0, sizeof(uint16_t) * banks);
        }
    }
    *valid = count;
}

int ant_run_scnn_plus(ant_array *a, const csr_plane *s, const ant_broadcast_job *jobs, uint32_t n_jobs,
                      ant_counters *ctr)
{
    if (ant_prepare_cross_channel(a, s, jobs, n_jobs) != 0)
        return -1;
    const ant_kernel_stream *ks = &a->ks;
    const uint32_t F = a->p.f, I = a->p.i;
    const uint32_t n_vectors = a->n_tiles ? a->img_first[a->n_tiles] : 0;
    if (ant_reserve_vector_scratch(&a->scratch[0], a->p.banks, n_vectors ? n_vectors : 1) != 0)
        return -1;
    const uint64_t n_kvec = ceil_div_u64(ks->nnz, F);
    uint64_t valid = 0;
    ant_scnn_plus_tiles(a, s, jobs, 0, a->n_tiles, &a->scratch[0], &valid);

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
    ctr->stationary_reads += n_kvec * image_nnz;
    ctr->kernel_index_reads += ks->nnz;
    ctr->kernel_value_reads += ks->nnz;
    /* The products themselves, in the order every mode uses (the walk above only counted). */
    ant_accumulate_in_stream_order(a, s, jobs);
    return 0;
}
