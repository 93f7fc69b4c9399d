/* The PE array's arithmetic and timing for one stationary plane: input-stationary outer
 * products of broadcast vectors with the stationary tiles, scatter into accumulator banks,
 * and the broadcast FIFO pipeline that decides the cycle count.
 *
 * Only valid products are computed; redundant Cartesian products are counted from the
 * vector-pair structure (issued minus valid), never multiplied. */
#ifndef ANT_OUTER_PRODUCT_H
#define ANT_OUTER_PRODUCT_H

#include <stdint.h>

#include "csr.h"
#include "index_range.h"
#include "layer_geometry.h"
#include "vector_pack.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ant_mode {
    ANT_MODE_DENSE = 0, /* dense array, same multipliers, every MAC including zeros */
    ANT_MODE_SCNN = 1,  /* every non-zero pair in the tile is multiplied */
    ANT_MODE_ANT = 2,   /* vector pairs outside the index window are never fetched */
    ANT_MODE_IDEAL = 3  /* oracle: only valid products, perfectly packed */
} ant_mode;

const char *ant_mode_name(ant_mode mode);

/* How work is spread over the PEs. */
typedef enum ant_mapping {
    ANT_MAPPING_PLANAR = 0, /* SCNN: the stationary plane is tiled over the PE grid and every
                               broadcast vector goes to all PEs through their FIFOs */
    ANT_MAPPING_CHANNEL = 1 /* each PE holds whole planes and takes whole (stationary,
                               broadcast) plane pairs, spread by the jobs' lanes */
} ant_mapping;

const char *ant_mapping_name(ant_mapping mapping);

/* Where ANT anticipates (mode ant). */
typedef enum ant_anticipator {
    ANT_ANTICIPATOR_PE = 0,       /* the paper's: every PE computes the kernel range of each of
                                     its image vectors, scans the kernel index buffer over the
                                     rows in range (k indices a cycle) and builds kernel
                                     vectors from in-range elements only; no broadcast */
    ANT_ANTICIPATOR_BROADCAST = 1 /* kernel vectors broadcast lock-step to all PEs, a range
                                     calculator window per vector (SCNN's broadcast kept) */
} ant_anticipator;

/* How SCNN (mode scnn) packs the broadcast kernel vectors. */
typedef enum ant_scnn_packing {
    ANT_SCNN_CROSS_CHANNEL = 0, /* SCNN's: F non-zeros across the output channels of the pass,
                                   in (r, s, k) order, one stream per pass */
    ANT_SCNN_PER_PLANE = 1      /* each kernel plane packed on its own */
} ant_scnn_packing;

/* How SCNN (mode scnn) runs SPMM. */
typedef enum ant_scnn_spmm {
    ANT_SCNN_SPMM_CONTRACTION = 0, /* as SCNN runs a fully-connected layer: a 1x1 convolution,
                                      one contraction index per pass, no RCPs */
    ANT_SCNN_SPMM_CARTESIAN = 1    /* every A vector against every B vector of a tile, as a
                                      convolution pass would pair them */
} ant_scnn_spmm;

const char *ant_anticipator_name(ant_anticipator a);
const char *ant_scnn_spmm_name(ant_scnn_spmm s);
const char *ant_scnn_packing_name(ant_scnn_packing p);

typedef struct ant_array_params {
    uint32_t pe_rows, pe_cols;       /* planar tiling grid; P = pe_rows * pe_cols */
    uint32_t f, i;                   /* multipliers per PE: F broadcast x I stationary */
    uint32_t banks;                  /* accumulator banks per PE */
    uint32_t fifo_depth;             /* broadcast FIFO entries per PE */
    uint32_t broadcasts_per_cycle;   /* vectors the broadcast path delivers per cycle */
    int skip_before_fifo;            /* ANT: a PE outside a vector's range never queues it */
    ant_mapping mapping;
    ant_anticipator anticipator;     /* mode ant: where ranges are computed */
    ant_scnn_packing scnn_packing;   /* mode scnn: how kernel vectors are packed */
    uint32_t scan_width;             /* k: kernel indices a PE's anticipator reads per cycle */
    uint32_t range_latency;          /* cycles to fill a PE's range pipeline once per pass */
    uint32_t pes_per_kernel_port;    /* PEs sharing one kernel-buffer read port (1: replicated) */
    ant_scnn_spmm scnn_spmm;         /* mode scnn: how SPMM is mapped */
} ant_array_params;

typedef struct ant_counters {
    uint64_t cycles;               /* array cycles, stationary planes back to back */
    uint64_t compute_cycles;       /* busiest PE's busy cycles, summed over planes */
    uint64_t broadcast_vectors;    /* vectors sent on the broadcast path */
    uint64_t vector_pairs;         /* (broadcast, stationary) vector pairs issued */
    uint64_t products_issued;      /* multiplications performed */
    uint64_t products_valid;       /* of those, landing inside the output */
    uint64_t bank_conflict_cycles; /* extra cycles when products collide on a bank */
    uint64_t pe_busy_cycles;       /* summed over PEs */
    uint64_t pe_vector_skips;      /* (vector, PE) pairs skipped: no entry in the window */
    uint64_t stationary_reads;     /* stationary entries read out by the fetch units */
    uint64_t window_rows_searched; /* rows whose column window was min/max searched */
    uint64_t ranges_computed;      /* per-PE anticipator: image-vector ranges computed */
    uint64_t kernel_index_reads;   /* kernel indices read by the PEs (anticipator scans) */
    uint64_t kernel_value_reads;   /* kernel values read by the PEs (or broadcast once) */
    uint64_t scan_bound_cycles;    /* PE cycles the index scan took beyond the multiplies */
} ant_counters;

/* One broadcast plane of a stationary pass and the output plane its products land in. */
typedef struct ant_broadcast_job {
    const csr_plane *plane;
    const ant_vector *vectors;
    uint32_t n_vectors;
    const ant_window *windows; /* per vector; required in ANT mode, ignored otherwise */
    float *output;             /* row-major output plane (geometry output dims) */
    uint32_t output_id;        /* index of the output plane in the job, < n_outputs */
    uint32_t lane;             /* channel mapping: the plane pair runs on PE lane mod P; the
                                  same output must keep the same lane across passes */
    uint32_t plane_key;        /* 0, or an id unique to the plane within the job (its index
                                  in the tensor + 1): lets the cross-channel dataflows reuse a
                                  pass's kernel stream when the next pass has the same planes */
} ant_broadcast_job;

/* Adds every counter of c to into. */
void ant_counters_add(ant_counters *into, const ant_counters *c);

typedef struct ant_array ant_array;

/* Creates the array for one job's geometry; n_outputs is the number of distinct output
 * planes (for cross-PE partial-sum accounting). NULL on bad parameters or no memory. */
ant_array *ant_array_create(const ant_array_params *params, const ant_geometry *g,
                            uint32_t n_outputs);
void ant_array_destroy(ant_array *array);

/* Runs one stationary plane against the broadcast jobs in order, accumulating into the
 * jobs' output planes and adding to the counters. In dense mode the planes must hold every
 * element (zeros included), as a dense array reads them. Returns 0, or -1 if memory runs
 * out. */
int ant_array_run(ant_array *array, ant_mode mode, const csr_plane *stationary,
                   const ant_broadcast_job *jobs, uint32_t n_jobs, ant_counters *counters);

/* Host threads computing a pass from now on (1, the default: the caller's only). The
 * cross-channel dataflows (SCNN+ and ANT's per-PE anticipator) spread a large pass's walk
 * over them and accumulate its outputs on one of them; any count gives the same counters and
 * outputs. The threads start with the first pass large enough to use them; if they cannot be
 * started, the array computes on the calling thread. Returns 0, or -1 if memory runs out. */
int ant_array_set_threads(ant_array *array, uint32_t threads);

/* Passes with fewer (image entry, kernel entry) pairs than `pairs` run on the calling thread
 * only, where waking helper threads would cost more than they save (default 32768). Results
 * do not depend on it; 0 spreads every pass, which tests use on small planes. */
void ant_array_set_min_parallel_work(ant_array *array, uint64_t pairs);

/* Partial sums the PEs exchanged (halos) or reduced across PEs so far: for every (PE,
 * output plane) it contributed to, the outputs its tile reaches but does not own. */
uint64_t ant_array_exported_psums(ant_array *array);

#ifdef __cplusplus
}
#endif

#endif /* ANT_OUTER_PRODUCT_H */
