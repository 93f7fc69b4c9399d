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

void ant_scnn_plus_walk(ant_array *a, const csr_plane *s, uint64_t kv0, uint64_t kv1, ant_scratch *sc,
                        uint64_t *extra, uint64_t *valid)
{
    const ant_kernel_stream *ks = &a->ks;
    const uint32_t F = a->p.f, banks = a->p.banks;
    uint32_t *touched = sc->vtouched;
    uint32_t pos = 0, window_pos = UINT32_MAX, n_window = 0;
    uint64_t count = 0;
    memset(extra, 0, sizeof(uint64_t) * a->n_tiles);
    for (uint64_t kv = kv0; kv < kv1; ++kv) {
        const uint32_t e0 = (uint32_t)kv * F, e1 = (uint32_t)((kv + 1) * F < ks->nnz ? (kv + 1) * F : ks->nnz);
        uint32_t n_touched = 0;
        for (uint32_t e = e0; e < e1; ++e) {
            while (ks->pos_start[pos + 1] <= e)
                ++pos;
            if (pos != window_pos) {
                int32_t br, bc;
                ant_kernel_stream_coord(ks, (int32_t)(pos / (uint32_t)ks->minors),
                                        (int32_t)(pos % (uint32_t)ks->minors), &br, &bc);
                n_window = ant_position_window(a, s, br, bc, sc);
                window_pos = pos;
            }
            if (n_window == 0)
                continue;
            const uint32_t plane_hash = a->job_hash[ks->plane[e]];
            uint64_t *contributed = a->contributed + a->job_contrib[ks->plane[e]];
            count += n_window;
            for (uint32_t i = 0; i < n_window; ++i) {
                const uint32_t iv = sc->win_vec[i];
                ant_mark_contributed(contributed, a->vec_tile[iv]);
                if (sc->vmax[iv] == 0)
                    touched[n_touched++] = iv;
                const uint16_t h = ++sc->vhist[(size_t)iv * banks +
                                               ant_bank_of_hash(plane_hash + sc->win_out[i] * ANT_BANK_HASH, banks)];
                if (h > sc->vmax[iv])
                    sc->vmax[iv] = h;
            }
        }
        for (uint32_t k = 0; k < n_touched; ++k) {
            const uint32_t iv = touched[k];
            extra[a->vec_tile[iv]] += sc->vmax[iv] - 1u;
            sc->vmax[iv] = 0;
            memset(sc->vhist + (size_t)iv * banks, 0, sizeof(uint16_t) * banks);
        }
    }
    *valid = count;
}

/* One pass's tasks: the accumulation of every output (task 0, functional), then walks over
 * ranges of kernel vectors (timing); they touch disjoint state, so they run in one batch. */
typedef struct scnn_pass {
    ant_array *a;
    const csr_plane *s;
    const ant_broadcast_job *jobs;
    uint32_t n_jobs, n_walks;
} scnn_pass;

static void scnn_pass_task(void *context, uint32_t task, uint32_t worker)
{
    scnn_pass *p = context;
    ant_array *a = p->a;
    if (task == 0) {
        ant_accumulate_planes(a, p->s, p->jobs, 0, p->n_jobs, &a->scratch[worker]);
        return;
    }
    const uint32_t walk = task - 1, n_kvec = (uint32_t)ceil_div_u64(a->ks.nnz, a->p.f);
    uint32_t lo, hi;
    ant_split(n_kvec, p->n_walks, walk, &lo, &hi);
    uint64_t *extra = p->n_walks == 1 ? a->pe_extra : a->task_extra + (size_t)walk * a->n_tiles;
    ant_scnn_plus_walk(a, p->s, lo, hi, &a->scratch[worker], extra, &a->task_ctr[walk].products_valid);
}

int ant_run_scnn_plus(ant_array *a, const csr_plane *s, const ant_broadcast_job *jobs, uint32_t n_jobs,
                      ant_counters *ctr)
{
    uint32_t workers = ant_pass_workers(a, s, jobs, n_jobs);
    if (ant_prepare_cross_channel(a, s, jobs, n_jobs) != 0)
        return -1;
    const ant_kernel_stream *ks = &a->ks;
    const uint32_t F = a->p.f, I = a->p.i;
    const uint32_t n_vectors = a->n_tiles ? a->img_first[a->n_tiles] : 0;
    const uint64_t n_kvec = ceil_div_u64(ks->nnz, F);
    if (workers > 1 && ant_reserve_task_extra(a) != 0)
        workers = 1;
    for (uint32_t w = 0; w < workers; ++w)
        if (ant_reserve_vector_scratch(&a->scratch[w], a->p.banks, n_vectors ? n_vectors : 1) != 0)
            return -1;
    scnn_pass pass = {a, s, jobs, n_jobs, 1};
    if (workers > 1) {
        const uint32_t walks = workers * ANT_MAX_TASKS_PER_WORKER;
        pass.n_walks = n_kvec < walks ? (n_kvec ? (uint32_t)n_kvec : 1) : walks;
    }
    ant_worker_pool_run(workers > 1 ? a->pool : NULL, 1 + pass.n_walks, scnn_pass_task, &pass);
    uint64_t valid = 0;
    for (uint32_t k = 0; k < pass.n_walks; ++k)
        valid += a->task_ctr[k].products_valid;
    if (pass.n_walks > 1)
        for (uint32_t t = 0; t < a->n_tiles; ++t) {
            a->pe_extra[t] = 0;
            for (uint32_t k = 0; k < pass.n_walks; ++k)
                a->pe_extra[t] += a->task_extra[(size_t)k * a->n_tiles + t];
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
    ctr->stationary_reads += n_kvec * image_nnz;
    ctr->kernel_index_reads += ks->nnz;
    ctr->kernel_value_reads += ks->nnz;
    return 0;
}
