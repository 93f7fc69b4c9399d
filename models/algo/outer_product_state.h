/* Private to the PE array's C implementation (outer_product.c and the dataflows in
 * scnn_plus.c and anticipating_pe.c): the array's state and the small helpers they share. */
#ifndef ANT_OUTER_PRODUCT_STATE_H
#define ANT_OUTER_PRODUCT_STATE_H

#include <stdint.h>

#include "kernel_stream.h"
#include "outer_product.h"
#include "planar_tiling.h"
#include "worker_pool.h"

/* What one worker of a pass needs for itself: an accumulator-bank histogram and the current
 * image vector's members (timing walks), and the stationary entries of one kernel position's
 * window (functional accumulation). One per thread, so that workers share nothing they
 * write. */
typedef struct ant_scratch {
    uint64_t *bank_count; /* banks: (kernel vector's stamp << 32) | products in the bank; an
                             entry with an older stamp counts as 0, so nothing is cleared */
    uint32_t stamp;       /* the current kernel vector's stamp, never 0 */
    uint32_t banks;
    int32_t *member_row;  /* I: the image vector's rows, */
    int32_t *member_col;  /* columns, */
    int32_t *member_out;  /* output row offset (row * width) for the current kernel row, or -1 */
    uint32_t *member_hash; /* hash of each member's valid output index (see ant_output_bank) */
    float *win_val;       /* stationary values in one kernel position's window */
    uint32_t *win_out;    /* their output indices */
    uint32_t *win_vec;    /* their image vectors */
    int32_t *col_out;     /* stationary cols: output column of each column of the window, or -1 */
    uint32_t win_cap;
    uint16_t *vhist;      /* image vectors * banks: SCNN+ bank occupancy per pair */
    uint16_t *vmax;       /* image vectors */
    uint32_t *vtouched;   /* image vectors touched by the current kernel vector */
    uint32_t vcap;
} ant_scratch;

struct ant_array {
    ant_array_params p;
    ant_geometry g;
    ant_tiling tiling; /* planar: one tile per PE; channel: one tile, the whole plane */
    uint32_t n_tiles;
    uint32_t n_pe;
    uint32_t n_outputs;
    /* Per output, tile_words 64-bit words: bit t set when tile t produced a partial sum for
     * the output. Bits, not bytes: a weight-gradient job has hundreds of thousands of
     * outputs, and every page of the table a pass touches is a page fault. */
    uint64_t *contributed;
    uint32_t tile_words;
    /* Exported partial sums, kept up to date output by output: a report rescans only the
     * outputs that passes met since the last one (a weight-gradient job has thousands of
     * outputs and reports once per output group). */
    uint8_t *output_dirty;   /* n_outputs: a pass met the output since the last report */
    uint32_t *dirty_outputs; /* those outputs, n_dirty of them */
    uint32_t n_dirty;
    uint64_t *output_psums;  /* n_outputs: the output's row of `contributed` as last counted */
    uint64_t exported_psums; /* the sum of output_psums */

    /* Per stationary plane: where each row's part of a tile starts in the tile's packed
     * stream (SCNN packs the whole tile), and how many entries each tile holds. */
    uint32_t *tile_row_first; /* rows * pe_cols: entry index of the row's first tile entry */
    uint32_t *tile_row_base;  /* rows * pe_cols: its position in the tile stream */
    uint32_t *tile_nnz;       /* n_tiles */

    /* Per (vector, PE): the fetched window's rows, to place products in stationary vectors. */
    uint32_t *win_first; /* n_pe * tile_h */
    uint32_t *win_base;  /* n_pe * tile_h */
    uint32_t *touched;   /* PEs with work for the current vector */
    uint64_t *work;      /* n_pe: cycles for the current vector */

    /* Broadcast pipeline state. */
    uint64_t *finish; /* n_pe: cycle the PE finishes its queued work */
    uint64_t *busy;   /* n_pe */
    uint64_t *fifo;   /* n_pe * fifo_depth: start cycles of the last vectors queued */
    uint64_t *fifo_n; /* n_pe: vectors queued so far */
    uint64_t *slots;  /* broadcasts_per_cycle: cycle of the last broadcast in each lane */
    uint64_t n_broadcast, last_broadcast;

    /* Accumulator-bank occupancy of the stationary vectors of one (vector, PE). */
    uint16_t *hist;     /* sv_max * banks */
    uint16_t *hist_max; /* sv_max */
    uint32_t sv_max;

    uint64_t *valid_pe; /* n_pe: valid products of the plane (dense / ideal) */

    /* Per stationary plane: entries of row r with column < c, so that a row's column
     * window is two loads instead of a binary search (only when the table is small). */
    uint32_t *prefix;  /* rows * (cols + 1), or NULL */
    const csr_plane *prefix_of;

    /* Per vector: each member's coordinates, value and exact window, shared by all PEs. */
    int32_t *member_row, *member_col;
    float *member_val;
    ant_window *member_win;
    uint64_t *load;     /* n_pe: channel mapping, cycles assigned in the current pass */

    /* Cross-channel dataflows (SCNN+ and ANT's per-PE anticipator). */
    ant_kernel_stream ks;   /* the pass's kernel planes in (row, col, plane) order */
    uint32_t *ks_keys;      /* plane keys the stream was built from (reused while equal) */
    uint32_t ks_n, ks_keys_cap;
    int ks_valid;
    uint32_t *img_first;    /* n_tiles + 1: a tile's entries in img_order */
    uint32_t *img_order;    /* stationary entries grouped by tile, row-major in a tile */
    int32_t *img_row;       /* row of each img_order entry */
    uint32_t *img_vec;      /* per stationary entry: its image vector (global id) */
    uint32_t *vec_tile;     /* per image vector: its tile */
    uint32_t img_cap;
    uint64_t *pe_time;      /* n_pe */
    uint64_t *pe_extra;     /* n_pe */
    uint16_t *vhist;        /* image vectors * banks: SCNN+ bank occupancy per pair */
    uint16_t *vmax;         /* image vectors */
    uint32_t *vtouched;     /* image vectors touched by the current kernel vector */
    uint32_t vcap;

    ant_scratch *scratch; /* n_scratch: one per worker */
    uint32_t n_scratch;
    ant_worker_pool *pool; /* NULL: one thread */
    uint32_t threads_wanted; /* ant_array_set_threads */
    int threads_failed;      /* they could not be started: one thread from then on */
    uint64_t min_parallel_work;
    ant_counters *task_ctr; /* ANT_MAX_TASKS_PER_WORKER * n_scratch: per-task counters */
    uint64_t *task_extra;   /* ANT_MAX_TASKS_PER_WORKER * n_scratch * n_tiles, or NULL */
    uint32_t *job_hash;     /* per job of the pass: its plane's term of the bank hash */
    uint32_t *job_contrib;  /* per job: its output's row of `contributed` (output_id * tile_words) */
    uint32_t job_cap;
};

/* Marks the outputs of a pass's jobs for the next ant_array_exported_psums: only they can
 * gain entries in `contributed` during the pass. Every pass calls it before its dataflow. */
void ant_note_pass_outputs(ant_array *a, const ant_broadcast_job *jobs, uint32_t n_jobs);

/* Sets tile t's bit in an output's row of `contributed`. Walks over different tiles or kernel
 * vectors may set bits of one word at once, hence the atomic OR; it is skipped when the bit
 * is already set, which is almost always. */
static inline void ant_mark_contributed(uint64_t *row, uint32_t tile)
{
    uint64_t *word = row + (tile >> 6);
    const uint64_t bit = (uint64_t)1 << (tile & 63);
    if (!(__atomic_load_n(word, __ATOMIC_RELAXED) & bit))
        __atomic_fetch_or(word, bit, __ATOMIC_RELAXED);
}

/* Walk tasks a pass is cut into per worker: more than one, so that a worker with light
 * tiles takes another range while a busy one finishes. The accumulation is one more task,
 * run first: it shares no state with the walks, and one task builds each kernel position's
 * window once. */
#define ANT_MAX_TASKS_PER_WORKER 4

/* Item k's share [*lo, *hi) of n items cut into `parts` ranges. */
static inline void ant_split(uint32_t n, uint32_t parts, uint32_t k, uint32_t *lo, uint32_t *hi)
{
    *lo = (uint32_t)((uint64_t)n * k / parts);
    *hi = (uint32_t)((uint64_t)n * (k + 1) / parts);
}

/* Workers to use for a pass of image plane s against the jobs' planes, starting them on the
 * first pass that needs them: passes with fewer (image entry, kernel entry) pairs than
 * min_parallel_work stay on the calling thread, where waking helpers would cost more than
 * they save. Call it before the pass's preparation, which sizes every worker's scratch. */
uint32_t ant_pass_workers(ant_array *a, const csr_plane *s, const ant_broadcast_job *jobs, uint32_t n_jobs);

static inline uint64_t ceil_div_u64(uint64_t a, uint64_t b) { return (a + b - 1) / b; }
static inline int32_t max32(int32_t a, int32_t b) { return a > b ? a : b; }
static inline int32_t min32(int32_t a, int32_t b) { return a < b ? a : b; }
static inline uint64_t max64(uint64_t a, uint64_t b) { return a > b ? a : b; }

/* First lattice point lo + j*step that is >= from. */
static inline int32_t align_up(int32_t lo, int32_t step, int32_t from)
{
    return from <= lo ? lo : lo + (from - lo + step - 1) / step * step;
}

void ant_array_build_prefix(ant_array *a, const csr_plane *s);

/* Entries [*first, *last) of row r with column in [lo, hi] (lo <= hi, both in the plane). */
static inline void row_window(const ant_array *a, const csr_plane *s, int32_t r, int32_t lo, int32_t hi,
                              uint32_t *first, uint32_t *last)
{
    if (a->prefix) {
        const uint32_t *row = a->prefix + (size_t)r * (s->cols + 1);
        *first = s->row_ptr[r] + row[lo];
        *last = s->row_ptr[r] + row[hi + 1];
    } else {
        csr_row_window(s, (uint32_t)r, (uint32_t)lo, (uint32_t)hi, first, last);
    }
}

/* Output index along one axis for a pair already known to be valid (exact windows). */
static inline int32_t axis_out(const ant_geometry *g, int axis, int32_t b, int32_t s)
{
    switch (g->op) {
    case ANT_OP_FW: return (s + g->pad[axis] - b) / g->stride[axis];
    case ANT_OP_BD: return s * g->stride[axis] + b - g->pad[axis];
    case ANT_OP_BW: return s - b * g->stride[axis] + g->pad[axis];
    case ANT_OP_BW_GS: return b - s * g->stride[axis] + g->pad[axis];
    default: return axis == ANT_ROW ? b : s; /* SPMM: row from A's row, column from B's */
    }
}

/* Output index along one axis of a convolution for broadcast index b and stationary index
 * s, or -1 when the product falls outside the output (the same arithmetic as
 * ant_axis_output, inlined: it runs once per (image member, kernel position) pair). */
static inline int32_t axis_index(const ant_geometry *g, int axis, int32_t b, int32_t s)
{
    const int32_t st = g->stride[axis];
    int32_t o;
    switch (g->op) {
    case ANT_OP_FW:
        o = s + g->pad[axis] - b;
        if (o < 0)
            return -1;
        if (st > 1) {
            if (o % st != 0)
                return -1;
            o /= st;
        }
        return o < g->out[axis] ? o : -1;
    case ANT_OP_BD: o = s * st + b - g->pad[axis]; return o >= 0 && o < g->in[axis] ? o : -1;
    case ANT_OP_BW_GS: o = b - s * st + g->pad[axis]; return o >= 0 && o < g->kernel[axis] ? o : -1;
    default: o = s - b * st + g->pad[axis]; return o >= 0 && o < g->kernel[axis] ? o : -1; /* BW */
    }
}

/* The multiplier of ant_output_bank's hash: the bank of (plane, index) is
 * ((plane * plane_size + index) * ANT_BANK_HASH mod 2^32) * banks / 2^32, which splits into a
 * per-plane and a per-index term that the kernels compute once each. */
#define ANT_BANK_HASH 2654435761u

static inline uint32_t ant_bank_of_hash(uint32_t hash, uint32_t banks)
{
    return (uint32_t)(((uint64_t)hash * banks) >> 32);
}

/* Accumulator bank of an output (plane, index) in the cross-channel dataflows: a
 * multiplicative hash of the output address. SCNN chooses the bank from output channel and
 * position; a plain modulo would alias whenever the channel stride of the output planes is a
 * multiple of the bank count (a weight gradient's planes are C apart), which no real design
 * would leave in. */
static inline uint32_t ant_output_bank(uint32_t plane, uint32_t index, uint32_t plane_size, uint32_t banks)
{
    const uint32_t address = plane * plane_size + index;
    return ant_bank_of_hash(address * ANT_BANK_HASH, banks);
}

/* The cross-channel dataflows: one stationary (image) plane against all the pass's kernel
 * planes. Both return 0, or -1 if memory runs out. */
int ant_run_scnn_plus(ant_array *a, const csr_plane *s, const ant_broadcast_job *jobs, uint32_t n_jobs,
                      ant_counters *ctr);
/* SCNN+ on SPMM, one contraction index per pass (scnn_plus_spmm.c). */
int ant_run_scnn_plus_spmm(ant_array *a, const csr_plane *s, const ant_broadcast_job *jobs, uint32_t n_jobs,
                           ant_counters *ctr);
int ant_run_anticipating_pe(ant_array *a, const csr_plane *s, const ant_broadcast_job *jobs, uint32_t n_jobs,
                            ant_counters *ctr);

/* Adds the pass's valid products for the outputs of jobs j0..j1-1 in kernel-stream order
 * (each kernel element, then its image rows and columns ascending): for any output, the
 * order of its terms is the order of their kernel positions, as in every other mode's
 * functional path — so that all modes produce bit-identical tensors whatever order their
 * timing model visits pairs in. Returns the number of products. */
uint64_t ant_accumulate_planes(ant_array *a, const csr_plane *s, const ant_broadcast_job *jobs, uint32_t j0,
                               uint32_t j1, ant_scratch *sc);

/* The stationary entries in the window of kernel position (br, bc), in
 * the order products are added (rows, then columns, ascending), with the output index and
 * image vector of each, into the scratch's win_* arrays. Returns how many. */
uint32_t ant_position_window(const ant_array *a, const csr_plane *s, int32_t br, int32_t bc, ant_scratch *sc);

/* SCNN+'s per-image-vector bank histograms for `vectors` image vectors in the scratch.
 * Returns 0, or -1 if memory runs out. */
int ant_reserve_vector_scratch(ant_scratch *sc, uint32_t banks, uint32_t vectors);

/* SCNN+'s walk (timing only) over kernel vectors kv0..kv1-1: each tile's bank-conflict
 * cycles into extra (n_tiles), the valid products into *valid. */
void ant_scnn_plus_walk(ant_array *a, const csr_plane *s, uint64_t kv0, uint64_t kv1, ant_scratch *sc,
                        uint64_t *extra, uint64_t *valid);

/* Room for per-task bank-conflict cycles of every tile (task_extra). Returns 0, or -1 if
 * memory runs out. */
int ant_reserve_task_extra(ant_array *a);

/* ANT's per-PE walk (timing only) over tiles t0..t1-1, with the worker's scratch. */
void ant_anticipate_tiles(ant_array *a, const csr_plane *s, uint32_t t0, uint32_t t1, ant_scratch *sc,
                          ant_counters *ctr);

/* Prepares a pass of the cross-channel dataflows: the kernel stream (reused while the planes stay the same) and the
 * image plane's tiles and vectors. Returns 0, or -1 if memory runs out. */
int ant_prepare_cross_channel(ant_array *a, const csr_plane *s, const ant_broadcast_job *jobs, uint32_t n_jobs);

#endif /* ANT_OUTER_PRODUCT_STATE_H */
