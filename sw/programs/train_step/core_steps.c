/* The layers train_step runs on the core (train_state.h): residual add, average pooling and
 * batch normalisation, forward and backward, each line of the report counting its
 * instructions. */
#include "core_layers.h"
#include "train_state.h"

static int batchnorm_forward(ts_state *s, uint32_t j)
{
    const ts_layer *l = &s->net.layer[j];
    const ts_shape *in = &s->net.shape[l->src];
    const uint32_t count = ts_elements(in);
    float *out = s->tensor[j].dense;
    uint64_t *keys = l->act_topk ? ts_take(s, (size_t)count * 8u) : NULL;
    if (!(s->bn_mean[j] = ts_take(s, in->c * 4u)) || !(s->bn_inv_std[j] = ts_take(s, in->c * 4u)) ||
        (l->act_topk && !keys))
        return EXIT_NO_MEMORY;
    const float *gamma = s->params + l->param_offset, *beta = gamma + in->c;
    core_batchnorm(s->tensor[l->src].dense, out, gamma, beta, in->n, in->c, in->h * in->w, s->bn_mean[j],
                   s->bn_inv_std[j]);
    /* ReLU and SWAT's top-K follow the normalisation, so they run here, not in the
     * post-processing unit of the conv before it. */
    if (l->relu)
        core_relu(out, count);
    if (l->act_topk)
        core_topk(out, out, count, l->act_topk, keys);
    return 0;
}

int core_forward(ts_state *s, uint32_t j)
{
    const ts_layer *l = &s->net.layer[j];
    const ts_shape *in = &s->net.shape[l->src], *out = &s->net.shape[j];
    if (!ts_dense_of(s, l->src) || (l->type == TS_ADD && !ts_dense_of(s, l->src2)) ||
        !(s->tensor[j].dense = ts_take(s, (size_t)ts_elements(out) * 4u)))
        return EXIT_NO_MEMORY;
    const uint64_t start = ts_instructions();
    int rc = 0;
    switch (l->type) {
    case TS_ADD:
        core_add(s->tensor[l->src].dense, s->tensor[l->src2].dense, s->tensor[j].dense, ts_elements(out),
                 (int)l->relu);
        break;
    case TS_AVGPOOL:
        core_avgpool(s->tensor[l->src].dense, s->tensor[j].dense, in->n * in->c, in->h, in->w, l->kernel);
        break;
    default:
        rc = batchnorm_forward(s, j);
        break;
    }
    ts_report_core(&s->report, j, ts_layer_type_name(l->type), "forward", ts_instructions() - start);
    return rc;
}

int core_backward(ts_state *s, uint32_t j)
{
    const ts_layer *l = &s->net.layer[j];
    const ts_shape *in = &s->net.shape[l->src], *out = &s->net.shape[j];
    float *dy = s->tensor[j].grad;
    if (!ts_grad_of(s, l->src) || (l->type == TS_ADD && !ts_grad_of(s, l->src2)))
        return EXIT_NO_MEMORY;
    const uint64_t start = ts_instructions();
    /* A ReLU'd or top-K'd output passes gradient only where it survived. */
    if (l->relu || l->act_topk)
        core_mask_by_nonzeros(dy, s->tensor[j].dense, ts_elements(out));
    switch (l->type) {
    case TS_ADD:
        core_accumulate(s->tensor[l->src].grad, dy, ts_elements(out));
        core_accumulate(s->tensor[l->src2].grad, dy, ts_elements(out));
        break;
    case TS_AVGPOOL:
        core_avgpool_backward(dy, s->tensor[l->src].grad, in->n * in->c, in->h, in->w, l->kernel);
        break;
    default: {
        float *grad_gamma = s->grads + l->param_offset;
        core_batchnorm_backward(s->tensor[l->src].dense, dy, s->tensor[l->src].grad, s->params + l->param_offset,
                                s->bn_mean[j], s->bn_inv_std[j], grad_gamma, grad_gamma + in->c, in->n, in->c,
                                in->h * in->w);
        break;
    }
    }
    ts_report_core(&s->report, j, ts_layer_type_name(l->type), "backward", ts_instructions() - start);
    return 0;
}
