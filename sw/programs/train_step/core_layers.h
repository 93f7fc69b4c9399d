/* What train_step computes on the core in C (soft-float on the RV32IMAC core, so every
 * operation is counted as core instructions): the layers the accelerator does not run
 * (residual add, pooling, batch normalisation), the loss, masks, top-K of the weights and of
 * batchnorm outputs, transposes and the SGD update. Tensors are dense float32, N x C x H x W. */
#ifndef TRAIN_STEP_CORE_LAYERS_H
#define TRAIN_STEP_CORE_LAYERS_H

#include <stdint.h>

/* out = a + b, then ReLU if asked. */
void core_add(const float *a, const float *b, float *out, uint32_t count, int relu);
/* x = max(x, 0). */
void core_relu(float *x, uint32_t count);
/* Average over k x k windows with stride k; backward adds grad / k^2 to each window. */
void core_avgpool(const float *in, float *out, uint32_t planes, uint32_t h, uint32_t w, uint32_t k);
void core_avgpool_backward(const float *grad_out, float *grad_in, uint32_t planes, uint32_t h, uint32_t w,
                           uint32_t k);
/* out (cols x rows) = in (rows x cols) transposed. */
void core_transpose(const float *in, float *out, uint32_t rows, uint32_t cols);
/* Batch normalisation in training mode (N x C x HW): per channel, the batch's mean and biased
 * variance over N, H, W; out = gamma (x - mean) inv_std + beta with inv_std =
 * 1 / sqrt(var + CORE_BATCHNORM_EPS), as PyTorch's batch_norm(training=True). mean and
 * inv_std (C each) are kept for the backward pass, which adds to grad_in and sets
 * grad_gamma, grad_beta (C each). */
#define CORE_BATCHNORM_EPS 1e-5f
void core_batchnorm(const float *in, float *out, const float *gamma, const float *beta, uint32_t n, uint32_t c,
                    uint32_t hw, float *mean, float *inv_std);
void core_batchnorm_backward(const float *in, const float *grad_out, float *grad_in, const float *gamma,
                             const float *mean, const float *inv_std, float *grad_gamma, float *grad_beta, uint32_t n,
                             uint32_t c, uint32_t hw);
/* Mean softmax cross-entropy of n rows of logits; grad = (softmax - one_hot) / n. */
float core_softmax_cross_entropy(const float *logits, const float *labels, float *grad, uint32_t n, uint32_t classes);
/* grad[i] = 0 where act[i] == 0 (ReLU and top-K masks: a dropped or clipped output passes no gradient). */
void core_mask_by_nonzeros(float *grad, const float *act, uint32_t count);
/* acc += x. */
void core_accumulate(float *acc, const float *x, uint32_t count);
/* out = x with only the k largest magnitudes kept (ties: the earlier element), as the
 * post-processing unit's top-K ranks them; `keys` has room for count entries; out may be x. */
void core_topk(const float *x, float *out, uint32_t count, uint32_t k, uint64_t *keys);
/* out = params - learning_rate * grads. */
void core_sgd(const float *params, const float *grads, float *out, uint32_t count, float learning_rate);

#endif
