/* A conv layer's accelerator jobs (train_state.h): FW with SWAT-sparse weights, then BD and
 * BW in the backward pass. */
#include <string.h>

#include "core_layers.h"
#include "train_state.h"

static ant_conv_layer conv_of(const ts_state *s, uint32_t j)
{
    const ts_layer *l = &s->net.layer[j];
    const ts_shape *in = &s->net.shape[l->src];
    const ant_conv_layer c = {in->n, in->c, l->out_channels, in->h, in->w, l->kernel, l->kernel, l->stride, l->pad};
    return c;
}

int conv_forward(ts_state *s, uint32_t j)
{
    const ts_layer *l = &s->net.layer[j];
    const ant_conv_layer c = conv_of(s, j);
    /* SWAT: the forward and backward-data passes see the top-K weights. */
    const float *w = s->params + l->param_offset;
    if (l->weight_topk) {
        uint64_t *keys = ts_take(s, (size_t)l->param_count * 8u);
        float *sparse = ts_take(s, (size_t)l->param_count * 4u);
        if (!sparse || !keys)
            return EXIT_NO_MEMORY;
        const uint64_t start = ts_instructions();
        core_topk(w, sparse, l->param_count, l->weight_topk, keys);
        ts_report_core(&s->report, j, "conv", "weight top-K", ts_instructions() - start);
        w = sparse;
    }
    if (!ts_csr_of(s, l->src) ||
        !ts_compress(s, &s->weight_csr[j], w, c.k * c.c, c.r, c.s))
        return EXIT_NO_MEMORY;
    ant_job_desc *d = ts_take(s, sizeof *d);
    const uint32_t flags = (l->relu ? ANT_JOB_FLAG_RELU : 0u) | (l->act_topk ? ANT_JOB_FLAG_TOPK : 0u);
    /* A sparsified output is written as CSR, which the next job reads as it lies in DRAM
     * (chaining); a plain one (before a batchnorm or a residual add) is dense, which the
     * core reads directly and which is smaller than CSR for a dense tensor. */
    const uint32_t format = flags ? ANT_FORMAT_CSR : ANT_FORMAT_DENSE;
    if (!d || ant_layer_fw(d, &c, s->net.mode, &s->tensor[l->src].csr, &s->weight_csr[j], flags, l->act_topk, format,
                           &s->arena) != ANT_OK)
        return EXIT_NO_MEMORY;
    const int rc = ts_job(s, j, "FW", d);
    if (format == ANT_FORMAT_CSR) {
        s->tensor[j].csr = d->out;
        s->tensor[j].has_csr = 1;
    } else {
        s->tensor[j].dense = (float *)(uintptr_t)d->out.values;
    }
    return rc;
}

int conv_backward(ts_state *s, uint32_t j)
{
    const ts_layer *l = &s->net.layer[j];
    const ts_shape *out = &s->net.shape[j];
    const ant_conv_layer c = conv_of(s, j);
    ts_tensor *y = &s->tensor[j];
    /* ReLU and top-K pass gradient only where the output survived. */
    if (l->relu || l->act_topk) {
        if (!ts_dense_of(s, j))
            return EXIT_NO_MEMORY;
        const uint64_t start = ts_instructions();
        core_mask_by_nonzeros(y->grad, y->dense, ts_elements(out));
        ts_report_core(&s->report, j, "conv", "mask", ts_instructions() - start);
    }
    ant_tensor_desc dy;
    ant_job_desc *bw = ts_take(s, sizeof *bw), *bd = ts_take(s, sizeof *bd);
    if (!bw || !bd || !ts_csr_of(s, l->src) ||
        !ts_compress(s, &dy, y->grad, out->n * out->c, out->h, out->w))
        return EXIT_NO_MEMORY;
    if (ant_layer_bw(bw, &c, s->net.mode, &s->tensor[l->src].csr, &dy, &s->arena) != ANT_OK ||
        ant_layer_bd(bd, &c, s->net.mode, &dy, &s->weight_csr[j], ANT_FORMAT_DENSE, &s->arena) != ANT_OK ||
        !ts_grad_of(s, l->src))
        return EXIT_NO_MEMORY;
    int rc = ts_job(s, j, "BD", bd);
    if (rc == 0)
        rc = ts_job(s, j, "BW", bw);
    if (rc)
        return rc;
    const uint64_t start = ts_instructions();
    core_accumulate(s->tensor[l->src].grad, (const float *)(uintptr_t)bd->out.values,
                    ts_elements(&s->net.shape[l->src]));
    memcpy(s->grads + l->param_offset, (const void *)(uintptr_t)bw->out.values, (size_t)l->param_count * 4u);
    ts_report_core(&s->report, j, "conv", "gather", ts_instructions() - start);
    return 0;
}
