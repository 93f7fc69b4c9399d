/* Core-side layers, loss, masks and update (core_layers.h). */
#include "core_layers.h"

#include <math.h>
#include <string.h>

void core_add(const float *a, const float *b, float *out, uint32_t count, int relu)
{
    for (uint32_t i = 0; i < count; i++) {
        const float v = a[i] + b[i];
        out[i] = relu && v < 0.0f ? 0.0f : v;
    }
}

void core_relu(float *x, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++)
        if (x[i] < 0.0f)
            x[i] = 0.0f;
}

void core_avgpool(const float *in, float *out, uint32_t planes, uint32_t h, uint32_t w, uint32_t k)
{
    const uint32_t ho = h / k, wo = w / k;
    const float scale = 1.0f / (float)(k * k);
    for (uint32_t p = 0; p < planes; p++)
        for (uint32_t y = 0; y < ho; y++)
            for (uint32_t x = 0; x < wo; x++) {
                float sum = 0.0f;
                for (uint32_t dy = 0; dy < k; dy++)
                    for (uint32_t dx = 0; dx < k; dx++)
                        sum += in[((size_t)p * h + y * k + dy) * w + x * k + dx];
                out[((size_t)p * ho + y) * wo + x] = sum * scale;
            }
}

void core_avgpool_backward(const float *grad_out, float *grad_in, uint32_t planes, uint32_t h, uint32_t w,
                           uint32_t k)
{
    const uint32_t ho = h / k, wo = w / k;
    const float scale = 1.0f / (float)(k * k);
    for (uint32_t p = 0; p < planes; p++)
        for (uint32_t y = 0; y < h; y++)
            for (uint32_t x = 0; x < w; x++)
                grad_in[((size_t)p * h + y) * w + x] += grad_out[((size_t)p * ho + y / k) * wo + x / k] * scale;
}

void core_transpose(const float *in, float *out, uint32_t rows, uint32_t cols)
{
    for (uint32_t r = 0; r < rows; r++)
        for (uint32_t c = 0; c < cols; c++)
            out[(size_t)c * rows + r] = in[(size_t)r * cols + c];
}

void core_batchnorm(const float *in, float *out, const float *gamma, const float *beta, uint32_t n, uint32_t c,
                    uint32_t hw, float *mean, float *inv_std)
{
    const float count = (float)(n * hw);
    for (uint32_t ch = 0; ch < c; ch++) {
        float sum = 0.0f;
        for (uint32_t s = 0; s < n; s++)
            for (uint32_t i = 0; i < hw; i++)
                sum += in[((size_t)s * c + ch) * hw + i];
        const float m = sum / count;
        /* Two passes: the variance from squared deviations, not E[x^2] - m^2, which cancels. */
        float squares = 0.0f;
        for (uint32_t s = 0; s < n; s++)
            for (uint32_t i = 0; i < hw; i++) {
                const float d = in[((size_t)s * c + ch) * hw + i] - m;
                squares += d * d;
            }
        const float inv = 1.0f / sqrtf(squares / count + CORE_BATCHNORM_EPS);
        mean[ch] = m;
        inv_std[ch] = inv;
        for (uint32_t s = 0; s < n; s++)
            for (uint32_t i = 0; i < hw; i++) {
                const size_t at = ((size_t)s * c + ch) * hw + i;
                out[at] = gamma[ch] * (in[at] - m) * inv + beta[ch];
            }
    }
}

void core_batchnorm_backward(const float *in, const float *grad_out, float *grad_in, const float *gamma,
                             const float *mean, const float *inv_std, float *grad_gamma, float *grad_beta, uint32_t n,
                             uint32_t c, uint32_t hw)
{
    const float count = (float)(n * hw);
    for (uint32_t ch = 0; ch < c; ch++) {
        float sum_dy = 0.0f, sum_dy_xhat = 0.0f;
        for (uint32_t s = 0; s < n; s++)
            for (uint32_t i = 0; i < hw; i++) {
                const size_t at = ((size_t)s * c + ch) * hw + i;
                sum_dy += grad_out[at];
                sum_dy_xhat += grad_out[at] * (in[at] - mean[ch]) * inv_std[ch];
            }
        grad_gamma[ch] = sum_dy_xhat;
        grad_beta[ch] = sum_dy;
        /* dx = gamma inv_std (dy - mean(dy) - xhat mean(dy xhat)): the batch statistics depend on x too. */
        const float scale = gamma[ch] * inv_std[ch], mean_dy = sum_dy / count, mean_dy_xhat = sum_dy_xhat / count;
        for (uint32_t s = 0; s < n; s++)
            for (uint32_t i = 0; i < hw; i++) {
                const size_t at = ((size_t)s * c + ch) * hw + i;
                const float xhat = (in[at] - mean[ch]) * inv_std[ch];
                grad_in[at] += scale * (grad_out[at] - mean_dy - xhat * mean_dy_xhat);
            }
    }
}

float core_softmax_cross_entropy(const float *logits, const float *labels, float *grad, uint32_t n, uint32_t classes)
{
    float loss = 0.0f;
    for (uint32_t s = 0; s < n; s++) {
        const float *z = logits + (size_t)s * classes;
        float *g = grad + (size_t)s * classes;
        float top = z[0];
        for (uint32_t c = 1; c < classes; c++)
            top = z[c] > top ? z[c] : top;
        float sum = 0.0f;
        for (uint32_t c = 0; c < classes; c++) {
            g[c] = expf(z[c] - top);
            sum += g[c];
        }
        const uint32_t label = (uint32_t)labels[s];
        loss += logf(sum) - (z[label] - top);
        for (uint32_t c = 0; c < classes; c++)
            g[c] = (g[c] / sum - (c == label ? 1.0f : 0.0f)) / (float)n;
    }
    return loss / (float)n;
}

void core_mask_by_nonzeros(float *grad, const float *act, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++)
        if (act[i] == 0.0f)
            grad[i] = 0.0f;
}

void core_accumulate(float *acc, const float *x, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++)
        acc[i] += x[i];
}

/* Larger keys rank higher: |x| as bits, then the earlier position. */
static uint64_t key_of(float x, uint32_t position)
{
    const float magnitude = fabsf(x);
    uint32_t bits;
    memcpy(&bits, &magnitude, 4);
    return ((uint64_t)bits << 32) | (0xFFFFFFFFu - position);
}

/* The k-th largest (1-based) of keys[0..count), reordering them (quickselect). */
static uint64_t kth_largest(uint64_t *keys, uint32_t count, uint32_t k)
{
    uint32_t lo = 0, hi = count - 1, want = k - 1;
    while (lo < hi) {
        const uint64_t pivot = keys[lo + (hi - lo) / 2];
        uint32_t i = lo, j = hi;
        while (i <= j) {
            while (keys[i] > pivot)
                i++;
            while (keys[j] < pivot)
                j--;
            if (i <= j) {
                const uint64_t t = keys[i];
                keys[i] = keys[j];
                keys[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (want <= j)
            hi = j;
        else if (want >= i)
            lo = i;
        else
            break;
    }
    return keys[want];
}

void core_topk(const float *x, float *out, uint32_t count, uint32_t k, uint64_t *keys)
{
    uint32_t candidates = 0;
    for (uint32_t i = 0; i < count; i++)
        if (x[i] != 0.0f)
            keys[candidates++] = key_of(x[i], i);
    const uint64_t threshold = k == 0 ? UINT64_MAX : k >= candidates ? 0 : kth_largest(keys, candidates, k);
    for (uint32_t i = 0; i < count; i++)
        out[i] = x[i] != 0.0f && key_of(x[i], i) >= threshold ? x[i] : 0.0f;
}

void core_sgd(const float *params, const float *grads, float *out, uint32_t count, float learning_rate)
{
    for (uint32_t i = 0; i < count; i++)
        out[i] = params[i] - learning_rate * grads[i];
}
