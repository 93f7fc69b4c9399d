#include "outer_product.h"

#include <stdlib.h>
#include <string.h>

#include "dataflow.h"
#include "outer_product_state.h"
#include "planar_tiling.h"

const char *ant_mode_name(ant_mode mode)
{
    switch (mode) {
    case ANT_MODE_DENSE: return "dense";
    case ANT_MODE_SCNN: return "scnn";
    case ANT_MODE_ANT: return "ant";
    case ANT_MODE_IDEAL: return "ideal";
    }
    return "unknown";
}

const char *ant_anticipator_name(ant_anticipator a)
{
    return a == ANT_ANTICIPATOR_BROADCAST ? "broadcast" : "pe";
}

const char *ant_scnn_packing_name(ant_scnn_packing p)
{
    return p == ANT_SCNN_PER_PLANE ? "per_plane" : "cross_channel";
}

const char *ant_scnn_spmm_name(ant_scnn_spmm s)
{
    return s == ANT_SCNN_SPMM_CARTESIAN ? "cartesian" : "contraction";
}

const char *ant_mapping_name(ant_mapping mapping)
{
    return mapping == ANT_MAPPING_CHANNEL ? "channel" : "planar";
}

void ant_counters_add(ant_counters *into, const ant_counters *c)
{
    into->cycles += c->cycles;
    into->compute_cycles += c->compute_cycles;
    into->broadcast_vectors += c->broadcast_vectors;
    into->vector_pairs += c->vector_pairs;
    into->products_issued += c->products_issued;
    into->products_valid += c->products_valid;
    into->bank_conflict_cycles += c->bank_conflict_cycles;
    into->pe_busy_cycles += c->pe_busy_cycles;
    into->pe_vector_skips += c->pe_vector_skips;
    into->stationary_reads += c->stationary_reads;
    into->window_rows_searched += c->window_rows_searched;
    into->ranges_computed += c->ranges_computed;
    into->kernel_index_reads += c->kernel_index_reads;
    into->kernel_value_reads += c->kernel_value_reads;
    into->scan_bound_cycles += c->scan_bound_cycles;
}

/* Below this many (image entry, kernel entry) pairs a pass runs on the calling thread: it
 * takes tens of microseconds, about what waking a helper costs. */
#define ANT_PARALLEL_MIN_WORK 32768u

void ant_array_set_min_parallel_work(ant_array *a, uint64_t pairs) { a->min_parallel_work = pairs; }

static int start_threads(ant_array *a, uint32_t threads);

uint32_t ant_pass_workers(ant_array *a, const csr_plane *s, const ant_broadcast_job *jobs, uint32_t n_jobs)
{
    if (a->threads_wanted <= 1 || a->threads_failed)
        return 1;
    uint64_t kernel = 0;
    for (uint32_t j = 0; j < n_jobs; ++j)
        kernel += csr_nnz(jobs[j].plane);
    if ((uint64_t)csr_nnz(s) * kernel < a->min_parallel_work)
        return 1;
    /* Threads that cannot be started leave the array on the calling thread: same results. */
    if (!a->pool && start_threads(a, a->threads_wanted) != 0)
        a->threads_failed = 1;
    return a->pool ? a->n_scratch : 1;
}

void ant_array_build_prefix(ant_array *a, const csr_plane *s)
{
    a->prefix_of = s;
    if (!a->prefix)
        return;
    const uint32_t width = s->cols + 1;
    for (uint32_t r = 0; r < s->rows; ++r) {
        uint32_t *row = a->prefix + (size_t)r * width;
        uint32_t e = s->row_ptr[r];
        const uint32_t end = s->row_ptr[r + 1];
        for (uint32_t c = 0; c < width; ++c) {
            while (e < end && s->col_idx[e] < c)
                ++e;
            row[c] = e - s->row_ptr[r];
        }
    }
}

/* Unpacks a vector's members and their exact windows once for all PEs. */
static void load_members(ant_array *a, const csr_plane *b, const ant_vector *v)
{
    int32_t br = v->row0;
    for (uint32_t k = 0; k < v->count; ++k) {
        const uint32_t e = v->first + k;
        while (b->row_ptr[br + 1] <= e)
            ++br;
        a->member_row[k] = br;
        a->member_col[k] = b->col_idx[e];
        a->member_val[k] = b->val[e];
        ant_index_window(&a->g, br, br, b->col_idx[e], b->col_idx[e], &a->member_win[k]);
    }
}

static void free_scratch(ant_scratch *sc)
{
    free(sc->bank_count);
    free(sc->col_out);
    free(sc->member_row);
    free(sc->member_col);
    free(sc->member_out);
    free(sc->member_hash);
    free(sc->win_val);
    free(sc->win_out);
    free(sc->win_vec);
    free(sc->vhist);
    free(sc->vmax);
    free(sc->vtouched);
}

static int alloc_scratch(ant_scratch *sc, const ant_array_params *p, const ant_geometry *g)
{
    sc->col_out = malloc(sizeof(int32_t) * (size_t)g->stationary[ANT_COL]);
    sc->bank_count = calloc(p->banks, sizeof(uint64_t));
    sc->stamp = 1;
    sc->banks = p->banks;
    sc->member_row = malloc(sizeof(int32_t) * p->i);
    sc->member_col = malloc(sizeof(int32_t) * p->i);
    sc->member_out = malloc(sizeof(int32_t) * p->i);
    sc->member_hash = malloc(sizeof(uint32_t) * p->i);
    return sc->col_out && sc->bank_count && sc->member_row && sc->member_col && sc->member_out && sc->member_hash ? 0
                                                                                                            : -1;
}

ant_array *ant_array_create(const ant_array_params *params, const ant_geometry *g,
                            uint32_t n_outputs)
{
    const ant_array_params *p = params;
    if (p->pe_rows == 0 || p->pe_cols == 0 || p->f == 0 || p->i == 0 || p->banks == 0 ||
        p->banks > 65535 || p->fifo_depth == 0 || p->broadcasts_per_cycle == 0 ||
        p->scan_width == 0 || p->pes_per_kernel_port == 0 || n_outputs == 0)
        return NULL;
    ant_array *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->p = *p;
    a->g = *g;
    a->n_pe = p->pe_rows * p->pe_cols;
    a->n_outputs = n_outputs;
    const int channel = p->mapping == ANT_MAPPING_CHANNEL;
    if (ant_tiling_init(&a->tiling, g, channel ? 1 : p->pe_rows, channel ? 1 : p->pe_cols) != 0) {
        free(a);
        return NULL;
    }
    a->n_tiles = a->tiling.pe_rows * a->tiling.pe_cols;
    const size_t rows = (size_t)g->stationary[ANT_ROW];
    const size_t tile_cols = a->tiling.pe_cols;
    const size_t tile_h = (size_t)a->tiling.tile_h;
    a->sv_max = (uint32_t)ceil_div_u64((uint64_t)a->tiling.tile_h * (uint64_t)a->tiling.tile_w,
                                       p->i) + 1;
    a->tile_words = (a->n_tiles + 63) / 64;
    a->contributed = calloc((size_t)n_outputs * a->tile_words, sizeof(uint64_t));
    a->output_dirty = calloc(n_outputs, 1);
    a->dirty_outputs = malloc(sizeof(uint32_t) * n_outputs);
    a->output_psums = calloc(n_outputs, sizeof(uint64_t));
    a->tile_row_first = malloc(sizeof(uint32_t) * rows * tile_cols);
    a->tile_row_base = malloc(sizeof(uint32_t) * rows * tile_cols);
    a->tile_nnz = malloc(sizeof(uint32_t) * a->n_pe);
    a->win_first = malloc(sizeof(uint32_t) * a->n_pe * tile_h);
    a->win_base = malloc(sizeof(uint32_t) * a->n_pe * tile_h);
    a->touched = malloc(sizeof(uint32_t) * a->n_pe);
    a->work = calloc(a->n_pe, sizeof(uint64_t));
    a->finish = calloc(a->n_pe, sizeof(uint64_t));
    a->busy = calloc(a->n_pe, sizeof(uint64_t));
    a->fifo = calloc((size_t)a->n_pe * p->fifo_depth, sizeof(uint64_t));
    a->fifo_n = calloc(a->n_pe, sizeof(uint64_t));
    a->slots = calloc(p->broadcasts_per_cycle, sizeof(uint64_t));
    a->hist = calloc((size_t)a->sv_max * p->banks, sizeof(uint16_t));
    a->hist_max = calloc(a->sv_max, sizeof(uint16_t));
    a->valid_pe = calloc(a->n_pe, sizeof(uint64_t));
    a->load = calloc(a->n_pe, sizeof(uint64_t));
    const size_t prefix_entries = rows * ((size_t)g->stationary[ANT_COL] + 1);
    if (prefix_entries <= ((size_t)1 << 22))
        a->prefix = malloc(sizeof(uint32_t) * prefix_entries);
    a->member_row = malloc(sizeof(int32_t) * p->f);
    a->member_col = malloc(sizeof(int32_t) * p->f);
    a->member_val = malloc(sizeof(float) * p->f);
    a->member_win = malloc(sizeof(ant_window) * p->f);
    a->img_first = malloc(sizeof(uint32_t) * ((size_t)a->n_tiles + 1));
    a->pe_time = calloc(a->n_pe, sizeof(uint64_t));
    a->pe_extra = calloc(a->n_pe, sizeof(uint64_t));
    a->n_scratch = 1;
    a->min_parallel_work = ANT_PARALLEL_MIN_WORK;
    a->scratch = calloc(a->n_scratch, sizeof(ant_scratch));
    a->task_ctr = calloc((size_t)a->n_scratch * ANT_MAX_TASKS_PER_WORKER, sizeof(ant_counters));
    for (uint32_t w = 0; a->scratch && w < a->n_scratch; ++w)
        if (alloc_scratch(&a->scratch[w], p, g) != 0) {
            ant_array_destroy(a);
            return NULL;
        }
    if (!a->scratch || !a->task_ctr || !a->member_row || !a->member_col || !a->member_val || !a->member_win || !a->load || !a->contributed || !a->output_dirty || !a->dirty_outputs || !a->output_psums || !a->tile_row_first || !a->tile_row_base || !a->tile_nnz ||
        !a->win_first || !a->win_base || !a->touched || !a->work || !a->finish || !a->busy ||
        !a->fifo || !a->fifo_n || !a->slots || !a->hist || !a->hist_max || !a->valid_pe ||
        !a->img_first || !a->pe_time || !a->pe_extra) {
        ant_array_destroy(a);
        return NULL;
    }
    return a;
}

/* Replaces the array's workers by `threads` (scratch, per-task counters, pool). Returns 0,
 * or -1 with the old ones kept if threads or memory cannot be had. */
static int start_threads(ant_array *a, uint32_t threads)
{
    if (threads == a->n_scratch)
        return 0;
    ant_scratch *scratch = calloc(threads, sizeof(ant_scratch));
    ant_counters *task_ctr = calloc((size_t)threads * ANT_MAX_TASKS_PER_WORKER, sizeof(ant_counters));
    ant_worker_pool *pool = threads > 1 ? ant_worker_pool_create(threads) : NULL;
    int ok = scratch && task_ctr && (threads == 1 || pool);
    for (uint32_t w = 0; ok && w < threads; ++w)
        ok = alloc_scratch(&scratch[w], &a->p, &a->g) == 0;
    if (!ok) {
        for (uint32_t w = 0; scratch && w < threads; ++w)
            free_scratch(&scratch[w]);
        free(scratch);
        free(task_ctr);
        ant_worker_pool_destroy(pool);
        return -1;
    }
    for (uint32_t w = 0; w < a->n_scratch; ++w)
        free_scratch(&a->scratch[w]);
    free(a->scratch);
    free(a->task_ctr);
    ant_worker_pool_destroy(a->pool);
    a->scratch = scratch;
    a->task_ctr = task_ctr;
    free(a->task_extra); /* sized for the old thread count */
    a->task_extra = NULL;
    a->pool = pool;
    a->n_scratch = threads;
    return 0;
}

int ant_array_set_threads(ant_array *a, uint32_t threads)
{
    a->threads_wanted = threads ? threads : 1;
    a->threads_failed = 0;
    /* Workers start with the first pass large enough to use them (ant_pass_workers): a job
     * of small passes never starts a thread. */
    return a->n_scratch > 1 && a->n_scratch != a->threads_wanted ? start_threads(a, 1) : 0;
}

void ant_array_destroy(ant_array *a)
{
    if (!a)
        return;
    ant_tiling_free(&a->tiling);
    free(a->contributed);
    free(a->output_dirty);
    free(a->dirty_outputs);
    free(a->output_psums);
    free(a->tile_row_first);
    free(a->tile_row_base);
    free(a->tile_nnz);
    free(a->win_first);
    free(a->win_base);
    free(a->touched);
    free(a->work);
    free(a->finish);
    free(a->busy);
    free(a->fifo);
    free(a->fifo_n);
    free(a->slots);
    free(a->hist);
    free(a->hist_max);
    free(a->valid_pe);
    free(a->load);
    free(a->prefix);
    free(a->member_row);
    free(a->member_col);
    free(a->member_val);
    free(a->member_win);
    ant_kernel_stream_free(&a->ks);
    free(a->ks_keys);
    free(a->img_first);
    free(a->img_order);
    free(a->img_row);
    free(a->img_vec);
    free(a->vec_tile);
    free(a->pe_time);
    free(a->pe_extra);
    free(a->vhist);
    free(a->vmax);
    free(a->vtouched);
    for (uint32_t w = 0; a->scratch && w < a->n_scratch; ++w)
        free_scratch(&a->scratch[w]);
    free(a->scratch);
    free(a->task_ctr);
    free(a->task_extra);
    free(a->job_hash);
    free(a->job_contrib);
    ant_worker_pool_destroy(a->pool);
    free(a);
}

uint64_t ant_array_exported_psums(ant_array *a)
{
    for (uint32_t k = 0; k < a->n_dirty; ++k) {
        const uint32_t o = a->dirty_outputs[k];
        const uint64_t *row = a->contributed + (size_t)o * a->tile_words;
        uint64_t psums = 0;
        for (uint32_t w = 0; w < a->tile_words; ++w)
            for (uint64_t bits = row[w]; bits != 0; bits &= bits - 1)
                psums += a->tiling.tiles[w * 64 + (uint32_t)__builtin_ctzll(bits)].exported_psums;
        a->exported_psums += psums - a->output_psums[o];
        a->output_psums[o] = psums;
        a->output_dirty[o] = 0;
    }
    a->n_dirty = 0;
    return a->exported_psums;
}

void ant_note_pass_outputs(ant_array *a, const ant_broadcast_job *jobs, uint32_t n_jobs)
{
    for (uint32_t j = 0; j < n_jobs; ++j) {
        const uint32_t o = jobs[j].output_id;
        if (o < a->n_outputs && !a->output_dirty[o]) {
            a->output_dirty[o] = 1;
            a->dirty_outputs[a->n_dirty++] = o;
        }
    }
}

/* SCNN packs each tile's entries as one stream: record where every row's slice starts. */
static void index_tiles(ant_array *a, const csr_plane *s)
{
    const uint32_t pe_cols = a->tiling.pe_cols;
    for (uint32_t j = 0; j < a->n_tiles; ++j) {
        const ant_tile *t = &a->tiling.tiles[j];
        uint32_t running = 0;
        for (int32_t r = t->r0; r < t->r1 && !ant_tile_empty(t); ++r) {
            uint32_t first, last;
            csr_row_window(s, (uint32_t)r, (uint32_t)t->c0, (uint32_t)(t->c1 - 1), &first, &last);
            size_t slot = (size_t)r * pe_cols + j % pe_cols;
            a->tile_row_first[slot] = first;
            a->tile_row_base[slot] = running;
            running += last - first;
        }
        a->tile_nnz[j] = running;
    }
}

static void reset_pipeline(ant_array *a)
{
    memset(a->finish, 0, sizeof(uint64_t) * a->n_pe);
    memset(a->busy, 0, sizeof(uint64_t) * a->n_pe);
    memset(a->fifo_n, 0, sizeof(uint64_t) * a->n_pe);
    memset(a->slots, 0, sizeof(uint64_t) * a->p.broadcasts_per_cycle);
    a->n_broadcast = 0;
    a->last_broadcast = 0;
}

/* ANT's fetch for one (vector, PE): min/max search of each window row inside the tile.
 * Returns the entries fetched and fills the per-row stream positions. */
static uint32_t fetch_window(ant_array *a, const csr_plane *s, const ant_window *w, uint32_t j,
                             ant_counters *ctr)
{
    const ant_tile *t = &a->tiling.tiles[j];
    const int32_t clo = max32(w->cols.lo, t->c0), chi = min32(w->cols.hi, t->c1 - 1);
    uint32_t *first = a->win_first + (size_t)j * (size_t)a->tiling.tile_h;
    uint32_t *base = a->win_base + (size_t)j * (size_t)a->tiling.tile_h;
    uint32_t m = 0;
    if (clo > chi)
        return 0;
    const int32_t rhi = min32(w->rows.hi, t->r1 - 1);
    for (int32_t r = align_up(w->rows.lo, w->rows.step, t->r0); r <= rhi; r += w->rows.step) {
        uint32_t f, l;
        row_window(a, s, r, clo, chi, &f, &l);
        first[r - t->r0] = f;
        base[r - t->r0] = m;
        m += l - f;
        ++ctr->window_rows_searched;
    }
    return m;
}

/* Computes the valid products of one (vector, PE), accumulates them, and returns the extra
 * cycles lost to accumulator-bank conflicts. Products are grouped into the stationary
 * vectors the PE issues (I consecutive fetched entries) to find same-cycle collisions. */
static uint64_t multiply_valid(ant_array *a, ant_mode mode, const csr_plane *s,
                               const ant_broadcast_job *job, const ant_vector *v, uint32_t j,
                               uint32_t n_sv, uint64_t *valid)
{
    const ant_geometry *g = &a->g;
    const ant_tile *t = &a->tiling.tiles[j];
    const int32_t out_w = g->output[ANT_COL];
    const uint32_t out_size = (uint32_t)(g->output[ANT_ROW] * out_w);
    const uint32_t banks = a->p.banks, width = a->p.i;
    const uint32_t pe_col = j % a->tiling.pe_cols;
    const size_t win_off = (size_t)j * (size_t)a->tiling.tile_h;
    float *out = job->output;
    uint64_t count = 0;

    for (uint32_t k = 0; k < v->count; ++k) {
        const int32_t br = a->member_row[k], bc = a->member_col[k];
        const float wv = a->member_val[k];
        const ant_window ew = a->member_win[k];
        const int32_t clo = align_up(ew.cols.lo, ew.cols.step, t->c0);
        const int32_t chi = min32(ew.cols.hi, t->c1 - 1);
        const int32_t rhi = min32(ew.rows.hi, t->r1 - 1);
        if (clo > chi)
            continue;
        for (int32_t r = align_up(ew.rows.lo, ew.rows.step, t->r0); r <= rhi; r += ew.rows.step) {
            uint32_t f, l;
            row_window(a, s, r, clo, chi, &f, &l);
            if (f == l)
                continue;
            uint32_t stream0, entry0;
            if (mode == ANT_MODE_ANT) {
                stream0 = a->win_base[win_off + (size_t)(r - t->r0)];
                entry0 = a->win_first[win_off + (size_t)(r - t->r0)];
            } else {
                stream0 = a->tile_row_base[(size_t)r * a->tiling.pe_cols + pe_col];
                entry0 = a->tile_row_first[(size_t)r * a->tiling.pe_cols + pe_col];
            }
            const int32_t row_base = axis_out(g, ANT_ROW, br, r) * out_w;
            for (uint32_t se = f; se < l; ++se) {
                const int32_t sc = s->col_idx[se];
                if (ew.cols.step > 1 && (sc - ew.cols.lo) % ew.cols.step != 0)
                    continue;
                const uint32_t out_idx = (uint32_t)(row_base + axis_out(g, ANT_COL, bc, sc));
                if (out_idx >= out_size)
                    continue; /* cannot happen with exact windows; guards the output plane */
                out[out_idx] += wv * s->val[se];
                ++count;
                const uint32_t sv = (stream0 + (se - entry0)) / width;
                const uint16_t h = ++a->hist[(size_t)sv * banks + out_idx % banks];
                if (h > a->hist_max[sv])
                    a->hist_max[sv] = h;
            }
        }
    }
    uint64_t extra = 0;
    for (uint32_t sv = 0; sv < n_sv; ++sv) {
        if (a->hist_max[sv] == 0)
            continue;
        extra += a->hist_max[sv] - 1u;
        a->hist_max[sv] = 0;
        memset(a->hist + (size_t)sv * banks, 0, sizeof(uint16_t) * banks);
    }
    *valid = count;
    return extra;
}

/* The broadcast of one vector and its PEs' work: the vector leaves when a broadcast lane is
 * free and no receiving FIFO is full; each PE starts it when done with earlier ones. */
static void pipeline_step(ant_array *a, uint32_t n_touched, uint64_t *plane_end)
{
    const uint32_t depth = a->p.fifo_depth, lanes = a->p.broadcasts_per_cycle;
    uint64_t t = a->last_broadcast;
    if (a->n_broadcast >= lanes)
        t = max64(t, a->slots[a->n_broadcast % lanes] + 1);
    for (uint32_t k = 0; k < n_touched; ++k) {
        const uint32_t j = a->touched[k];
        if (a->fifo_n[j] >= depth)
            t = max64(t, a->fifo[(size_t)j * depth + a->fifo_n[j] % depth]);
    }
    a->slots[a->n_broadcast % lanes] = t;
    a->last_broadcast = t;
    ++a->n_broadcast;
    *plane_end = max64(*plane_end, t + 1);
    for (uint32_t k = 0; k < n_touched; ++k) {
        const uint32_t j = a->touched[k];
        const uint64_t start = max64(t, a->finish[j]);
        a->finish[j] = start + a->work[j];
        a->busy[j] += a->work[j];
        a->fifo[(size_t)j * depth + a->fifo_n[j] % depth] = start;
        ++a->fifo_n[j];
        *plane_end = max64(*plane_end, a->finish[j]);
    }
}

static void run_outer_product(ant_array *a, ant_mode mode, const csr_plane *s,
                              const ant_broadcast_job *jobs, uint32_t n_jobs, ant_counters *ctr)
{
    const ant_tiling *tl = &a->tiling;
    const int queue_all = mode == ANT_MODE_SCNN || !a->p.skip_before_fifo;
    uint64_t plane_end = 0;
    index_tiles(a, s);
    ant_array_build_prefix(a, s);
    reset_pipeline(a);
    uint32_t non_empty = 0;
    for (uint32_t j = 0; j < a->n_pe; ++j)
        non_empty += a->tile_nnz[j] > 0;
    for (uint32_t jb = 0; jb < n_jobs; ++jb) {
        const ant_broadcast_job *job = &jobs[jb];
        for (uint32_t vi = 0; vi < job->n_vectors; ++vi) {
            const ant_vector *v = &job->vectors[vi];
            const int ant = mode == ANT_MODE_ANT;
            ant_window w;
            if (ant) {
                w = job->windows[vi];
                if (ant_range_empty(w.rows) || ant_range_empty(w.cols))
                    continue; /* anticipated: the vector is never fetched */
            } else {
                /* SCNN has no range hardware; the simulator still uses the window to know
                 * which tiles can hold valid products, so that the others are counted,
                 * not searched. */
                ant_index_window(&a->g, v->row0, v->row1, v->col0, v->col1, &w);
            }
            const int any = !ant_range_empty(w.rows) && !ant_range_empty(w.cols);
            const uint32_t pr0 = any ? (uint32_t)(w.rows.lo / tl->tile_h) : 1, pr1 = any ? (uint32_t)(w.rows.hi / tl->tile_h) : 0;
            const uint32_t pc0 = any ? (uint32_t)(w.cols.lo / tl->tile_w) : 1, pc1 = any ? (uint32_t)(w.cols.hi / tl->tile_w) : 0;
            uint32_t n_touched = 0, issued = 0;
            load_members(a, job->plane, v);
            /* Every PE queues the vector (SCNN, or ANT skipping at the FIFO head), or only
             * those whose tile meets the window (ANT skipping before the FIFO). */
            const uint32_t r_first = queue_all ? 0 : pr0, r_last = queue_all ? tl->pe_rows - 1 : pr1;
            const uint32_t c_first = queue_all ? 0 : pc0, c_last = queue_all ? tl->pe_cols - 1 : pc1;
            for (uint32_t pr = r_first; pr <= r_last && pr < tl->pe_rows; ++pr) {
                for (uint32_t pc = c_first; pc <= c_last && pc < tl->pe_cols; ++pc) {
                    const uint32_t j = pr * tl->pe_cols + pc;
                    const int in_window = pr >= pr0 && pr <= pr1 && pc >= pc0 && pc <= pc1;
                    a->work[j] = 0;
                    if (a->tile_nnz[j] == 0)
                        continue;
                    const uint32_t m = !ant ? a->tile_nnz[j] : in_window ? fetch_window(a, s, &w, j, ctr) : 0;
                    if (m == 0) {
                        if (queue_all)
                            a->touched[n_touched++] = j;
                        continue;
                    }
                    const uint32_t n_sv = (uint32_t)ceil_div_u64(m, a->p.i);
                    uint64_t valid = 0, extra = 0;
                    if (in_window)
                        extra = multiply_valid(a, mode, s, job, v, j, n_sv, &valid);
                    ctr->products_issued += (uint64_t)v->count * m;
                    ctr->products_valid += valid;
                    ctr->vector_pairs += n_sv;
                    ctr->stationary_reads += m;
                    ctr->bank_conflict_cycles += extra;
                    if (valid)
                        ant_mark_contributed(a->contributed + (size_t)job->output_id * a->tile_words, j);
                    a->work[j] = n_sv + extra;
                    a->touched[n_touched++] = j;
                    ++issued;
                }
            }
            ctr->pe_vector_skips += non_empty - issued;
            ++ctr->broadcast_vectors;
            pipeline_step(a, n_touched, &plane_end);
        }
    }
    uint64_t busiest = 0;
    for (uint32_t j = 0; j < a->n_pe; ++j) {
        busiest = max64(busiest, a->busy[j]);
        ctr->pe_busy_cycles += a->busy[j];
    }
    ctr->cycles += plane_end;
    ctr->compute_cycles += busiest;
}

/* Channel-parallel: each broadcast plane (and its output plane) belongs to one PE, which
 * streams the plane's vectors past its own copy of the whole stationary plane. No global
 * broadcast, no halos; the pass lasts as long as the most loaded PE. */
static void run_channel_parallel(ant_array *a, ant_mode mode, const csr_plane *s,
                                 const ant_broadcast_job *jobs, uint32_t n_jobs, ant_counters *ctr)
{
    index_tiles(a, s);
    ant_array_build_prefix(a, s);
    memset(a->load, 0, sizeof(uint64_t) * a->n_pe);
    const uint32_t nnz = a->tile_nnz[0];
    for (uint32_t jb = 0; jb < n_jobs; ++jb) {
        const ant_broadcast_job *job = &jobs[jb];
        uint64_t cycles = 0;
        int contributed = 0;
        for (uint32_t vi = 0; vi < job->n_vectors && nnz > 0; ++vi) {
            const ant_vector *v = &job->vectors[vi];
            uint32_t m = nnz;
            if (mode == ANT_MODE_ANT) {
                const ant_window *w = &job->windows[vi];
                if (ant_range_empty(w->rows) || ant_range_empty(w->cols))
                    continue; /* anticipated: never fetched */
                m = fetch_window(a, s, w, 0, ctr);
            }
            ++ctr->broadcast_vectors;
            if (m == 0) {
                ++ctr->pe_vector_skips;
                cycles += 1; /* the PE still reads the vector and finds nothing in range */
                continue;
            }
            load_members(a, job->plane, v);
            const uint32_t n_sv = (uint32_t)ceil_div_u64(m, a->p.i);
            uint64_t valid = 0;
            const uint64_t extra = multiply_valid(a, mode, s, job, v, 0, n_sv, &valid);
            ctr->products_issued += (uint64_t)v->count * m;
            ctr->products_valid += valid;
            ctr->vector_pairs += n_sv;
            ctr->stationary_reads += m;
            ctr->bank_conflict_cycles += extra;
            contributed |= valid > 0;
            cycles += n_sv + extra;
        }
        if (contributed)
            ant_mark_contributed(a->contributed + (size_t)job->output_id * a->tile_words, 0);
        a->load[job->lane % a->n_pe] += cycles;
    }
    uint64_t busiest = 0;
    for (uint32_t j = 0; j < a->n_pe; ++j) {
        busiest = max64(busiest, a->load[j]);
        ctr->pe_busy_cycles += a->load[j];
    }
    ctr->cycles += busiest;
    ctr->compute_cycles += busiest;
}

/* Dense and ideal arrays: only the set of valid products matters, not how vectors meet. */
static void run_valid_only(ant_array *a, ant_mode mode, const csr_plane *s,
                           const ant_broadcast_job *jobs, uint32_t n_jobs, ant_counters *ctr)
{
    const ant_geometry *g = &a->g;
    const ant_tiling *tl = &a->tiling;
    const int32_t out_w = g->output[ANT_COL];
    const uint64_t lanes = (uint64_t)a->p.f * a->p.i;
    const int channel = a->p.mapping == ANT_MAPPING_CHANNEL;
    memset(a->valid_pe, 0, sizeof(uint64_t) * a->n_pe);
    for (uint32_t jb = 0; jb < n_jobs; ++jb) {
        const ant_broadcast_job *job = &jobs[jb];
        const csr_plane *b = job->plane;
        for (uint32_t br = 0; br < b->rows; ++br) {
            for (uint32_t e = b->row_ptr[br]; e < b->row_ptr[br + 1]; ++e) {
                const int32_t bc = b->col_idx[e];
                const float wv = b->val[e];
                ant_window ew;
                ant_index_window(g, (int32_t)br, (int32_t)br, bc, bc, &ew);
                if (ant_range_empty(ew.cols))
                    continue;
                for (int32_t r = ew.rows.lo; r <= ew.rows.hi; r += ew.rows.step) {
                    uint32_t f, l;
                    csr_row_window(s, (uint32_t)r, (uint32_t)ew.cols.lo, (uint32_t)ew.cols.hi,
                                   &f, &l);
                    const uint32_t tile_row = (uint32_t)(r / tl->tile_h) * tl->pe_cols;
                    for (uint32_t se = f; se < l; ++se) {
                        const int32_t sc = s->col_idx[se];
                        int32_t orow, ocol;
                        if (ew.cols.step > 1 && (sc - ew.cols.lo) % ew.cols.step != 0)
                            continue;
                        if (!ant_output_coord(g, (int32_t)br, bc, r, sc, &orow, &ocol))
                            continue;
                        job->output[orow * out_w + ocol] += wv * s->val[se];
                        const uint32_t tile = tile_row + (uint32_t)(sc / tl->tile_w);
                        ++a->valid_pe[channel ? job->lane % a->n_pe : tile];
                        ant_mark_contributed(a->contributed + (size_t)job->output_id * a->tile_words, tile);
                    }
                }
            }
        }
    }
    uint64_t total = 0, busiest = 0, pairs = 0;
    for (uint32_t j = 0; j < a->n_pe; ++j) {
        const uint64_t c = ceil_div_u64(a->valid_pe[j], lanes);
        total += a->valid_pe[j];
        busiest = max64(busiest, c);
        pairs += c;
    }
    ctr->products_issued += total;
    ctr->products_valid += total;
    if (mode == ANT_MODE_DENSE) {
        /* A dense array keeps every multiplier busy whatever the plane shape: it is not
         * bound to the planar tiling, so its time is the MAC count over all multipliers. */
        const uint64_t cycles = ceil_div_u64(total, lanes * a->n_pe);
        ctr->cycles += cycles;
        ctr->compute_cycles += cycles;
        ctr->vector_pairs += ceil_div_u64(total, lanes);
        ctr->pe_busy_cycles += cycles * a->n_pe;
    } else {
        ctr->cycles += busiest;
        ctr->compute_cycles += busiest;
        ctr->vector_pairs += pairs;
        ctr->pe_busy_cycles += pairs;
    }
    ctr->stationary_reads += total;
}

int ant_array_run(ant_array *a, ant_mode mode, const csr_plane *s,
                  const ant_broadcast_job *jobs, uint32_t n_jobs, ant_counters *ctr)
{
    ant_note_pass_outputs(a, jobs, n_jobs);
    switch (ant_dataflow_of(mode, a->p.mapping, a->p.anticipator, a->p.scnn_packing)) {
    case ANT_DATAFLOW_DENSE:
    case ANT_DATAFLOW_IDEAL: run_valid_only(a, mode, s, jobs, n_jobs, ctr); return 0;
    case ANT_DATAFLOW_SCNN_PLUS:
        if (a->g.op == ANT_OP_SPMM && a->p.scnn_spmm == ANT_SCNN_SPMM_CONTRACTION)
            return ant_run_scnn_plus_spmm(a, s, jobs, n_jobs, ctr);
        return ant_run_scnn_plus(a, s, jobs, n_jobs, ctr);
    case ANT_DATAFLOW_ANT_PE: return ant_run_anticipating_pe(a, s, jobs, n_jobs, ctr);
    case ANT_DATAFLOW_CHANNEL: run_channel_parallel(a, mode, s, jobs, n_jobs, ctr); return 0;
    case ANT_DATAFLOW_SCNN_PER_PLANE:
    case ANT_DATAFLOW_ANT_BROADCAST: run_outer_product(a, mode, s, jobs, n_jobs, ctr); return 0;
    }
    return 0;
}
