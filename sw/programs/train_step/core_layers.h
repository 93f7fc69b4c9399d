/* What train_step computes on the core in C (soft-float on the RV32IMAC core, so every
 * operation is counted as core instructions): the layers the accelerator does not run, the
 * loss, the masks and the SGD update. Tensors are dense float32, N x C x H x W. */
#ifndef TRAIN_STEP_CORE_LAYERS_H
#define TRAIN_STEP_CORE_LAYERS_H

#include <stdint.h>

/* out = a + b, then ReLU if asked. */
void core_add(const float *a, const float *b, float *out, uint32_t count, int relu);
/* Average over k x k windows with stride k; backward adds grad / k^2 to each window. */
void core_avgpool(const float *in, float *out, uint32_t planes, uint32_t h, uint32_t w, uint32_t k);
void core_avgpool_backward(const float *grad_out, float *grad_in, uint32_t planes, uint32_t h, uint32_t w,
                           uint32_t k);
/* out[n][o] = sum_f in[n][f] * weight[o][f] (no bias). */
void core_fc(const float *in, const float *weight, float *out, uint32_t n, uint32_t features, uint32_t outputs);
/* grad_weight[o][f] = sum_n grad_out[n][o] in[n][f]; grad_in[n][f] += sum_o grad_out[n][o] weight[o][f]. */
void core_fc_backward(const float *in, const float *weight, const float *grad_out, float *grad_in, float *grad_weight,
                      uint32_t n, uint32_t features, uint32_t outputs);
/* Mean softmax cross-entropy of n rows of logits; grad = (softmax - one_hot) / n. */
float core_softmax_cross_entropy(const float *logits, const float *labels, float *grad, uint32_t n, uint32_t classes);
/* grad[i] = 0 where act[i] == 0 (ReLU and top-K masks: a dropped or clipped output passes no gradient). */
void core_mask_by_nonzeros(float *grad, const float *act, uint32_t count);
/* acc += x. */
void core_accumulate(float *acc, const float *x, uint32_t count);
/* out = x with only the k largest magnitudes kept (ties: the earlier element), as the
 * post-processing unit's top-K ranks them; `keys` has room for count entries. */
void core_topk(const float *x, float *out, uint32_t count, uint32_t k, uint64_t *keys);
/* out = params - learning_rate * grads. */
void core_sgd(const float *params, const float *grads, float *out, uint32_t count, float learning_rate);

#endif
