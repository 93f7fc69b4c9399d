/* The state of one train_step iteration shared by its parts: the network, every tensor in
 * its dense and/or CSR form with its gradient, the SWAT-sparse conv weights, the DRAM arena
 * and the report. Exit codes of the program (docs/train_step.md). */
#ifndef TRAIN_STEP_TRAIN_STATE_H
#define TRAIN_STEP_TRAIN_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "ant_layer_jobs.h"
#include "network.h"
#include "report.h"

enum { EXIT_BAD_INPUT = 3, EXIT_NO_MEMORY = 4, EXIT_NO_ACCELERATOR = 5, EXIT_MANIFEST_FULL = 6, EXIT_JOB_FAILED = 20 };

/* One tensor of the network: dense on the core, CSR for the accelerator, or both. */
typedef struct ts_tensor {
    float *dense;
    ant_tensor_desc csr;
    int has_csr;
    float *grad;
} ts_tensor;

typedef struct ts_state {
    ts_network net;
    ts_tensor tensor[TS_MAX_LAYERS + 1];
    ant_tensor_desc weight_csr[TS_MAX_LAYERS + 1]; /* conv: SWAT-sparse weights; fc: the weights */
    float *bn_mean[TS_MAX_LAYERS + 1];             /* batchnorm: batch mean and 1/sqrt(var + eps) */
    float *bn_inv_std[TS_MAX_LAYERS + 1];
    ant_arena arena;
    const float *params, *labels;
    float *grads;
    ts_report report;
} ts_state;

/* DRAM scratch (64-byte aligned) or NULL. */
void *ts_take(ts_state *s, size_t bytes);
float *ts_zeros(ts_state *s, uint32_t count);
/* Make tensor t available densely / as CSR / give it a zeroed gradient: 1, or 0 when out of scratch. */
int ts_dense_of(ts_state *s, uint32_t t);
/* Compresses dense planes to a CSR tensor in the arena, counting the instructions as CSR
 * conversion in the report: 1, or 0 when out of scratch. */
int ts_compress(ts_state *s, ant_tensor_desc *t, const float *dense, uint32_t planes, uint32_t rows, uint32_t cols);
int ts_csr_of(ts_state *s, uint32_t t);
int ts_grad_of(ts_state *s, uint32_t t);
/* Runs layer j's job `op`, prints its line; 0 or EXIT_JOB_FAILED (the layer, op and ant_error printed). */
int ts_job(ts_state *s, uint32_t j, const char *op, ant_job_desc *d);

/* Accelerator layers: conv (FW, BD, BW) and fc (as SPMM jobs). 0 or an exit code. */
int conv_forward(ts_state *s, uint32_t j);
int conv_backward(ts_state *s, uint32_t j);
int fc_forward(ts_state *s, uint32_t j);
int fc_backward(ts_state *s, uint32_t j);
/* Core layers: add, avgpool, batchnorm. 0 or an exit code. */
int core_forward(ts_state *s, uint32_t j);
int core_backward(ts_state *s, uint32_t j);

#endif
