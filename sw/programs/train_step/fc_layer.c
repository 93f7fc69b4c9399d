/* An fc layer as SPMM accelerator jobs (train_state.h). With x the N x F input, W the O x F
 * weights (as `params` holds them) and dy the N x O output gradient:
 *   FW  W (O x F)    * x^T (F x N) = y^T (O x N)
 *   BD  dy (N x O)   * W (O x F)   = dx (N x F)
 *   BW  dy^T (O x N) * x (N x F)   = dW (O x F)
 * so the weights are never transposed; the core transposes only N-row matrices. */
#include <string.h>

#include "core_layers.h"
#include "train_state.h"

/* A one-plane CSR matrix of `rows` x `cols` from dense values. */
static int matrix(ts_state *s, ant_tensor_desc *t, const float *dense, uint32_t rows, uint32_t cols)
{
    return ts_compress(s, t, dense, 1, rows, cols);
}

/* A transposed copy (rows x cols -> cols x rows) on the core, counted as layer j's work. */
static float *transposed(ts_state *s, uint32_t j, const float *m, uint32_t rows, uint32_t cols)
{
    float *t = ts_take(s, (size_t)rows * cols * 4u);
    if (!t)
        return NULL;
    const uint64_t start = ts_instructions();
    core_transpose(m, t, rows, cols);
    ts_report_core(&s->report, j, "fc", "transpose", ts_instructions() - start);
    return t;
}

int fc_forward(ts_state *s, uint32_t j)
{
    const ts_layer *l = &s->net.layer[j];
    const ts_shape *in = &s->net.shape[l->src];
    const uint32_t n = in->n, features = in->c * in->h * in->w, outputs = l->out_channels;
    ant_tensor_desc x_t;
    ant_job_desc *d = ts_take(s, sizeof *d);
    if (!d || !ts_dense_of(s, l->src))
        return EXIT_NO_MEMORY;
    const float *xt = transposed(s, j, s->tensor[l->src].dense, n, features);
    if (!xt || !matrix(s, &s->weight_csr[j], s->params + l->param_offset, outputs, features) ||
        !matrix(s, &x_t, xt, features, n) ||
        ant_layer_spmm(d, s->net.mode, &s->weight_csr[j], &x_t, 0, ANT_FORMAT_DENSE, &s->arena) != ANT_OK)
        return EXIT_NO_MEMORY;
    const int rc = ts_job(s, j, "FW", d);
    if (rc)
        return rc;
    return (s->tensor[j].dense = transposed(s, j, (const float *)(uintptr_t)d->out.values, outputs, n)) != NULL
               ? 0
               : EXIT_NO_MEMORY;
}

int fc_backward(ts_state *s, uint32_t j)
{
    const ts_layer *l = &s->net.layer[j];
    const ts_shape *in = &s->net.shape[l->src];
    const uint32_t n = in->n, features = in->c * in->h * in->w, outputs = l->out_channels;
    const float *dy = s->tensor[j].grad, *dy_t = transposed(s, j, dy, n, outputs);
    ant_tensor_desc dy_csr, dy_t_csr, x_csr;
    ant_job_desc *bd = ts_take(s, sizeof *bd), *bw = ts_take(s, sizeof *bw);
    if (!bd || !bw || !dy_t || !ts_grad_of(s, l->src) || !matrix(s, &dy_csr, dy, n, outputs) ||
        !matrix(s, &dy_t_csr, dy_t, outputs, n) || !matrix(s, &x_csr, s->tensor[l->src].dense, n, features) ||
        ant_layer_spmm(bd, s->net.mode, &dy_csr, &s->weight_csr[j], 0, ANT_FORMAT_DENSE, &s->arena) != ANT_OK ||
        ant_layer_spmm(bw, s->net.mode, &dy_t_csr, &x_csr, 0, ANT_FORMAT_DENSE, &s->arena) != ANT_OK)
        return EXIT_NO_MEMORY;
    int rc = ts_job(s, j, "BD", bd);
    if (rc == 0)
        rc = ts_job(s, j, "BW", bw);
    if (rc)
        return rc;
    const uint64_t start = ts_instructions();
    core_accumulate(s->tensor[l->src].grad, (const float *)(uintptr_t)bd->out.values, n * features);
    memcpy(s->grads + l->param_offset, (const void *)(uintptr_t)bw->out.values, (size_t)l->param_count * 4u);
    ts_report_core(&s->report, j, "fc", "gather", ts_instructions() - start);
    return 0;
}
