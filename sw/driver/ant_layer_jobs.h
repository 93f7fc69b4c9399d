/* Descriptor builders for one convolution layer's jobs (FW, BD, BW) and SPMM, with chaining:
 * a job's input is any tensor descriptor, including the `out` of an earlier job, so the
 * accelerator reads what it wrote without the core touching it. A firmware engineer writes
 * a schedule in terms of layers and tensors, never descriptor bit fields.
 *
 *   ant_conv_layer L = {n, c, k, h, w, r, s, stride, pad};
 *   ant_layer_fw(&fw, &L, mode, &x, &w_sparse, ANT_JOB_FLAG_RELU | ANT_JOB_FLAG_TOPK, keep,
 *                ANT_FORMAT_CSR, &arena);            fw.out is the next layer's activation
 *   ant_layer_bd(&bd, &L, mode, &dy, &w_sparse, ANT_FORMAT_DENSE, &arena);   input gradient
 *   ant_layer_bw(&bw, &L, mode, &fw_input, &dy, &arena);                     dense weight gradient
 *   ant_layer_spmm(&fc, mode, &a, &b, ANT_JOB_FLAG_RELU, ANT_FORMAT_CSR, &arena);  FC layer + ReLU
 *
 * Operands are CSR or DENSE tensor descriptors (ant_tensor_*), checked against the layer's
 * shapes; outputs are allocated from the arena with room for every element (a CSR output
 * can then never overflow). Each returns ANT_OK, ANT_DRV_INVALID (shapes disagree, bad
 * flags) or ANT_DRV_NO_MEMORY. See docs/accelerator_interface.md. */
#ifndef ANT_LAYER_JOBS_H
#define ANT_LAYER_JOBS_H

#include "ant_driver.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ant_conv_layer {
    uint32_t n, c, k;      /* batch, input channels, output channels */
    uint32_t h, w;         /* input rows, columns */
    uint32_t r, s;         /* kernel rows, columns */
    uint32_t stride, pad;  /* square */
} ant_conv_layer;

/* Output rows and columns (0 when the kernel does not fit). */
uint32_t ant_layer_out_h(const ant_conv_layer *l);
uint32_t ant_layer_out_w(const ant_conv_layer *l);

/* FW: act (N*C planes of H x W) * weight (K*C of R x S) -> out (N*K of Ho x Wo) in out_format.
 * flags: ANT_JOB_FLAG_RELU, ANT_JOB_FLAG_TOPK (then `topk` >= 1 entries are kept). */
ANT_MUST_CHECK ant_status ant_layer_fw(ant_job_desc *d, const ant_conv_layer *l, uint32_t mode,
                                       const ant_tensor_desc *act, const ant_tensor_desc *weight, uint32_t flags,
                                       uint32_t topk, uint32_t out_format, ant_arena *arena);
/* BD: output gradient (N*K of Ho x Wo) and weight (K*C of R x S) -> input gradient (N*C of H x W). */
ANT_MUST_CHECK ant_status ant_layer_bd(ant_job_desc *d, const ant_conv_layer *l, uint32_t mode,
                                       const ant_tensor_desc *grad_out, const ant_tensor_desc *weight,
                                       uint32_t out_format, ant_arena *arena);
/* BW: the layer's input activation and its output gradient -> dense weight gradient
 * (K*C of R x S, summed over the batch). */
ANT_MUST_CHECK ant_status ant_layer_bw(ant_job_desc *d, const ant_conv_layer *l, uint32_t mode,
                                       const ant_tensor_desc *act, const ant_tensor_desc *grad_out,
                                       ant_arena *arena);
/* SPMM: a (M x K) * b (K x N) -> out (M x N) in out_format; flags: 0 or ANT_JOB_FLAG_RELU
 * (a fully connected layer with its activation). */
ANT_MUST_CHECK ant_status ant_layer_spmm(ant_job_desc *d, uint32_t mode, const ant_tensor_desc *a,
                                         const ant_tensor_desc *b, uint32_t flags, uint32_t out_format,
                                         ant_arena *arena);

/* Submits one job and sleeps until it has finished: ANT_OK or its error. */
ANT_MUST_CHECK ant_status ant_run_job(ant_job_desc *d);

#ifdef __cplusplus
}
#endif

#endif /* ANT_LAYER_JOBS_H */
