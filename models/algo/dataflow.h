/* The dataflow of a layer job as data: which operand plays image (stationary) and kernel
 * (streamed), which outer-product dataflow a mode runs, and the pass plan — the image planes
 * in order, the (kernel plane, output plane) pairs each meets, grouped into drain sets (the
 * outputs a run of passes completes). The job sequencer executes the plan, the fetch unit
 * asks it whether to pack vectors, the PE array which kernel to run. */
#ifndef ANT_DATAFLOW_H
#define ANT_DATAFLOW_H

#include <stdint.h>

#include "layer_geometry.h"
#include "outer_product.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Operand roles as the paper draws them (FW image A, kernel W; BD dO, W; BW A, dO): the text names the tensors. */
typedef struct ant_roles {
    const char *image;  /* stationary, tiled over the PEs */
    const char *kernel; /* streamed past them */
    const char *output;
} ant_roles;

ant_roles ant_op_roles(ant_op op);

/* Which operand SCNN+ tiles over the PEs in BW. The paper's roles tile the
 * activations and stream the dense output gradient; SCNN itself never ran BW, and tiling the
 * gradient instead streams the sparse activations past a dense stationary plane — far fewer
 * broadcast vectors, at the cost of a dense image. Which one SCNN+ used decides how far ANT's
 * BW speedup goes, so it is a parameter. */
typedef enum ant_bw_stationary {
    ANT_BW_STATIONARY_ACTIVATION = 0, /* the paper's roles: A tiled, dO streamed */
    ANT_BW_STATIONARY_GRADIENT = 1    /* dO tiled, A streamed (ANT_OP_BW_GS) */
} ant_bw_stationary;

const char *ant_bw_stationary_name(ant_bw_stationary s);

/* The operation the array runs for a descriptor's op in a mode: BW in mode scnn (ant)
 * becomes ANT_OP_BW_GS when SCNN+ (ANT) tiles the gradient; everything else runs as
 * described. */
ant_op ant_job_op(ant_op op, ant_mode mode, ant_bw_stationary scnn_bw, ant_bw_stationary ant_bw);

typedef enum ant_dataflow {
    ANT_DATAFLOW_DENSE,          /* every MAC over all multipliers */
    ANT_DATAFLOW_IDEAL,          /* only valid products, perfectly packed per PE */
    ANT_DATAFLOW_SCNN_PLUS,      /* SCNN's PT-IS-CP: cross-channel kernel vectors broadcast */
    ANT_DATAFLOW_SCNN_PER_PLANE, /* SCNN-like broadcast, each kernel plane packed alone */
    ANT_DATAFLOW_ANT_PE,         /* the paper's anticipator in every PE */
    ANT_DATAFLOW_ANT_BROADCAST,  /* a range window per broadcast vector */
    ANT_DATAFLOW_CHANNEL         /* channel-parallel mapping (scnn or ant), per-plane vectors */
} ant_dataflow;

ant_dataflow ant_dataflow_of(ant_mode mode, ant_mapping mapping, ant_anticipator anticipator,
                             ant_scnn_packing packing);
const char *ant_dataflow_name(ant_dataflow d);
/* Whether the fetch unit must pack F-wide broadcast vectors per plane for this dataflow, and
 * whether the central index-range calculator computes their windows. */
int ant_dataflow_packs_vectors(ant_dataflow d);
int ant_dataflow_uses_range_calculator(ant_dataflow d);

/* A job's pass plan. Planes are indices into the job's tensors (image: N*C for FW/BW, N*K
 * for BD; kernel: K*C weights or N*K gradients; outputs: N*K, N*C or K*C), as the natural
 * layouts number them. SPMM is one pass of one pair. */
typedef struct ant_pair {
    uint32_t kernel_plane;
    uint32_t output_plane;
} ant_pair;

typedef struct ant_pass {
    uint32_t image_plane;
    uint32_t first_pair, n_pairs; /* into ant_plan.pairs */
} ant_pass;

typedef struct ant_drain_set {
    uint32_t first_output, n_outputs; /* into ant_plan.outputs */
    uint32_t first_pass, n_passes;    /* into ant_plan.passes */
} ant_drain_set;

typedef struct ant_plan {
    ant_drain_set *sets;
    uint32_t n_sets;
    ant_pass *passes;
    uint32_t n_passes;
    ant_pair *pairs;
    uint32_t n_pairs;
    uint32_t *outputs;
    uint32_t n_outputs;
} ant_plan;

/* FW and BD: one drain set per sample (its outputs complete after the C or K passes of the
 * sample); BW: one drain set for the whole job (weight gradients sum over the batch), passes
 * over the N*C activation planes (BW) or the N*K gradient planes (BW_GS).
 * Returns 0, or -1 if memory runs out (the plan is then empty). */
int ant_plan_job(ant_op op, uint32_t n, uint32_t c, uint32_t k, ant_plan *plan);
void ant_plan_free(ant_plan *plan);

#ifdef __cplusplus
}
#endif

#endif /* ANT_DATAFLOW_H */
