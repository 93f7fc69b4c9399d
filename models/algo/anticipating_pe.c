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
 * and in kernel-stream order, so that ANT's tensors are bit-identical to the other modes'.
 *
 * The walk's cost follows kernel positions and valid products, not vector pairs: an image
 * vector's members are mapped to their output index once per kernel position of its range
 * (every plane's entry at that position shares it), entries at a position where no member
 * lands are skipped as a block, and per entry only the members that land are hashed into
 * banks. Tiles are independent, so ranges of them may run on different workers. */
#include <string.h>

#include "outer_product_state.h"

/* The accumulator banks of one PE while a kernel vector is built: per bank, (stamp << 32) |
 * products in it; an entry with an older stamp counts as 0, so starting a kernel vector is a
 * new stamp instead of clearing every bank. Held in locals by the walk (stores into the
 * counts would otherwise make the compiler reload everything reached through pointers). */
typedef struct bank_tally {
    uint64_t *restrict count;
    uint64_t stamped; /* the current stamp, << 32 */
    uint32_t stamp, banks;
} bank_tally;

/* The kernel vector in progress is complete: its bank collisions cost max(per bank) - 1. */
static inline void settle_kernel_vector(bank_tally *b, uint32_t *pair_max, uint64_t *conflicts)
{
    if (*pair_max > 1)
        *conflicts += *pair_max - 1u;
    *pair_max = 0;
    if (++b->stamp == 0) { /* wrapped: older stamps could come back */
        memset(b->count, 0, sizeof(uint64_t) * b->banks);
        b->stamp = 1;
    }
    b->stamped = (uint64_t)b->stamp << 32;
}

/* One more product in a bank of the current kernel vector; returns the bank's count. */
static inline uint32_t count_in_bank(bank_tally *b, uint32_t bank)
{
    const uint64_t v = b->count[bank];
    const uint64_t next = (v & ~(uint64_t)UINT32_MAX) == b->stamped ? v + 1 : b->stamped | 1u;
    b->count[bank] = next;
    return (uint32_t)next;
}

/* Members' output row offsets for kernel major position mj (convolutions: the kernel row). */
static void map_member_rows(const ant_geometry *g, ant_scratch *sc, uint32_t members, int32_t br, int32_t out_w)
{
    for (uint32_t m = 0; m < members; ++m) {
        const int32_t o = axis_index(g, ANT_ROW, br, sc->member_row[m]);
        sc->member_out[m] = o < 0 ? -1 : o * out_w;
    }
}

/* Hashes of the members' output indices at kernel position (br, bc) for those that land;
 * returns how many do. */
static uint32_t map_members(const ant_geometry *g, ant_scratch *sc, uint32_t members, int32_t br, int32_t bc,
                            int32_t out_w)
{
    uint32_t n = 0;
    if (g->op == ANT_OP_SPMM) { /* A[m][k] meets B[k'][n] only when k == k' */
        for (uint32_t m = 0; m < members; ++m)
            if (sc->member_row[m] == bc)
                sc->member_hash[n++] = (uint32_t)(br * out_w + sc->member_col[m]) * ANT_BANK_HASH;
        return n;
    }
    for (uint32_t m = 0; m < members; ++m) {
        if (sc->member_out[m] < 0)
            continue;
        const int32_t oc = axis_index(g, ANT_COL, bc, sc->member_col[m]);
        if (oc >= 0)
            sc->member_hash[n++] = (uint32_t)(sc->member_out[m] + oc) * ANT_BANK_HASH;
    }
    return n;
}

void ant_anticipate_tiles(ant_array *a, const csr_plane *s, uint32_t t0, uint32_t t1, ant_scratch *sc,
                          ant_counters *ctr)
{
    const ant_geometry *g = &a->g;
    const ant_kernel_stream *ks = &a->ks;
    const uint32_t F = a->p.f, I = a->p.i, banks = a->p.banks;
    const uint32_t k_scan = a->p.scan_width, share = a->p.pes_per_kernel_port;
    const int spmm = g->op == ANT_OP_SPMM;
    const int32_t out_w = g->output[ANT_COL];
    const uint32_t *restrict entry_plane = ks->plane;
    const uint32_t *restrict job_hash = a->job_hash, *restrict job_contrib = a->job_contrib;
    const uint32_t *member_hash = sc->member_hash; /* rewritten per kernel position */
    uint64_t *contributed = a->contributed;
    bank_tally tally = {sc->bank_count, (uint64_t)sc->stamp << 32, sc->stamp, banks};

    for (uint32_t t = t0; t < t1; ++t) {
        const uint32_t first = a->img_first[t], last = a->img_first[t + 1];
        uint64_t time = 0;
        for (uint32_t v0 = first; v0 < last; v0 += I) {
            const uint32_t v1 = v0 + I < last ? v0 + I : last, members = v1 - v0;
            int32_t c0 = INT32_MAX, c1 = -1;
            for (uint32_t m = 0; m < members; ++m) {
                const int32_t c = s->col_idx[a->img_order[v0 + m]];
                sc->member_row[m] = a->img_row[v0 + m];
                sc->member_col[m] = c;
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

            uint64_t selected = 0, conflicts = 0, valid = 0;
            uint32_t pair_max = 0, fill = 0; /* fill: entries in the kernel vector being built */
            for (int32_t mj = major.lo; mj <= major.hi; ++mj) {
                if (!spmm)
                    map_member_rows(g, sc, members, mj, out_w);
                const uint32_t *pos = ks->pos_start + (uint32_t)mj * (uint32_t)ks->minors;
                for (int32_t mn = minor.lo; mn <= minor.hi; ++mn) {
                    const uint32_t e0 = pos[mn], e1 = pos[mn + 1];
                    if (e0 == e1)
                        continue;
                    int32_t br, bc;
                    ant_kernel_stream_coord(ks, mj, mn, &br, &bc);
                    const uint32_t landing = map_members(g, sc, members, br, bc, out_w);
                    selected += e1 - e0;
                    if (landing == 0) { /* selected and multiplied, but every product is redundant */
                        if (fill + (e1 - e0) > F) /* a kernel vector completes inside the block */
                            settle_kernel_vector(&tally, &pair_max, &conflicts);
                        fill = (fill + (e1 - e0) - 1) % F + 1;
                        continue;
                    }
                    valid += (uint64_t)landing * (e1 - e0);
                    for (uint32_t e = e0; e < e1; ++e) {
                        if (fill == F) {
                            settle_kernel_vector(&tally, &pair_max, &conflicts);
                            fill = 0;
                        }
                        ++fill;
                        const uint32_t job = entry_plane[e];
                        ant_mark_contributed(contributed + job_contrib[job], t);
                        const uint32_t plane_hash = job_hash[job];
                        for (uint32_t m = 0; m < landing; ++m) {
                            const uint32_t h =
                                count_in_bank(&tally, ant_bank_of_hash(plane_hash + member_hash[m], banks));
                            if (h > pair_max)
                                pair_max = h;
                        }
                    }
                }
            }
            settle_kernel_vector(&tally, &pair_max, &conflicts);
            const uint64_t kernel_vectors = ceil_div_u64(selected, F);
            ctr->products_valid += valid;
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
    }
    sc->stamp = tally.stamp;
}

/* One pass's tasks: the accumulation of every output (task 0, functional), then walks over
 * tile ranges (timing); they touch disjoint state, so they run in one batch. */
typedef struct pe_pass {
    ant_array *a;
    const csr_plane *s;
    const ant_broadcast_job *jobs;
    uint32_t n_jobs, n_walks;
} pe_pass;

static void pe_pass_task(void *context, uint32_t task, uint32_t worker)
{
    const pe_pass *p = context;
    if (task == 0) {
        ant_accumulate_planes(p->a, p->s, p->jobs, 0, p->n_jobs, &p->a->scratch[worker]);
        return;
    }
    uint32_t lo, hi;
    ant_split(p->a->n_tiles, p->n_walks, task - 1, &lo, &hi);
    p->a->task_ctr[task - 1] = (ant_counters){0};
    ant_anticipate_tiles(p->a, p->s, lo, hi, &p->a->scratch[worker], &p->a->task_ctr[task - 1]);
}

int ant_run_anticipating_pe(ant_array *a, const csr_plane *s, const ant_broadcast_job *jobs, uint32_t n_jobs,
                            ant_counters *ctr)
{
    const uint32_t workers = ant_pass_workers(a, s, jobs, n_jobs);
    if (ant_prepare_cross_channel(a, s, jobs, n_jobs) != 0)
        return -1;
    pe_pass pass = {a, s, jobs, n_jobs, 1};
    if (workers > 1) {
        const uint32_t walks = workers * ANT_MAX_TASKS_PER_WORKER;
        pass.n_walks = a->n_tiles < walks ? (a->n_tiles ? a->n_tiles : 1) : walks;
    }
    ant_worker_pool_run(workers > 1 ? a->pool : NULL, 1 + pass.n_walks, pe_pass_task, &pass);
    for (uint32_t k = 0; k < pass.n_walks; ++k)
        ant_counters_add(ctr, &a->task_ctr[k]);
    uint64_t busiest = 0;
    for (uint32_t t = 0; t < a->n_tiles; ++t)
        busiest = max64(busiest, a->pe_time[t]);
    ctr->cycles += busiest;
    ctr->compute_cycles += busiest;
    return 0;
}
