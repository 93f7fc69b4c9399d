/* train_step: one SWAT training iteration of a small network, run by the firmware with the
 * ANT accelerator (docs/train_step.md).
 *
 * Inputs (ant-vp run --load): `net` (the network description, network.h), `params` (every
 * weight, flat), `x` (the input batch, N x C x H x W) and `labels` (N class indices).
 * Forward: conv layers are FW jobs with SWAT-sparse weights (top-K on the core) whose outputs
 * the post-processing unit turns into ReLU'd, top-K'd CSR activations that the next job
 * reads as they are; add, average pooling and fc run on the core. Loss: softmax
 * cross-entropy. Backward, in reverse layer order: BD and BW jobs for conv layers (the
 * output gradient masked by the layer's surviving activations), the core layers' gradients on
 * the core. Then SGD. Outputs (--save): loss, params_new, grads, dx (the input gradient),
 * acts (every layer's output, flat, in layer order).
 *
 * Exit 0; 3 bad or missing inputs (one line names the layer or tensor and the reason);
 * 4 out of DRAM scratch; 5 no accelerator; 6 no room in the manifest; 20 a job failed (its
 * layer, op and ant_error are printed). */
#include <stdio.h>
#include <string.h>

#include "ant_layer_jobs.h"
#include "ant_manifest.h"
#include "core_layers.h"
#include "hal.h"
#include "network.h"
#include "report.h"

enum { EXIT_BAD_INPUT = 3, EXIT_NO_MEMORY = 4, EXIT_NO_ACCELERATOR = 5, EXIT_MANIFEST_FULL = 6, EXIT_JOB_FAILED = 20 };

static ant_manifest *const manifest = (ant_manifest *)ANT_MANIFEST_ADDRESS;

/* One tensor of the network: dense on the core, CSR for the accelerator, or both. */
typedef struct ts_tensor {
    float *dense;
    ant_tensor_desc csr;
    int has_csr;
    float *grad;
} ts_tensor;

static ts_network net;
static ts_tensor tensor[TS_MAX_LAYERS + 1];
static ant_tensor_desc weight_csr[TS_MAX_LAYERS + 1]; /* SWAT-sparse conv weights */
static ant_arena arena;
static const float *params, *labels;
static float *grads;
static ts_report report;

static void *take(size_t bytes)
{
    void *p = NULL;
    if (ant_arena_alloc(&arena, bytes ? bytes : 4u, 64, &p) != ANT_OK)
        return NULL;
    return p;
}

static float *zeros(uint32_t count)
{
    float *p = take((size_t)count * 4u);
    if (p)
        memset(p, 0, (size_t)count * 4u);
    return p;
}

static const ant_manifest_tensor *input(const char *name)
{
    for (uint32_t i = 0; i < manifest->inputs; i++)
        if (strncmp(manifest->tensors[i].name, name, ANT_MANIFEST_NAME_BYTES) == 0)
            return &manifest->tensors[i];
    return NULL;
}

static int dense_of(uint32_t t)
{
    if (tensor[t].dense)
        return 1;
    const uint32_t count = ts_elements(&net.shape[t]);
    return (tensor[t].dense = take((size_t)count * 4u)) && ant_tensor_to_dense(&tensor[t].csr, tensor[t].dense) == ANT_OK;
}

static int csr_of(uint32_t t)
{
    if (tensor[t].has_csr)
        return 1;
    const ts_shape *s = &net.shape[t];
    tensor[t].has_csr =
        ant_tensor_csr_from_dense(&tensor[t].csr, tensor[t].dense, s->n * s->c, s->h, s->w, &arena) == ANT_OK;
    return tensor[t].has_csr;
}

static int grad_of(uint32_t t)
{
    return tensor[t].grad || (tensor[t].grad = zeros(ts_elements(&net.shape[t]))) != NULL;
}

static ant_conv_layer conv_of(uint32_t j)
{
    const ts_layer *l = &net.layer[j];
    const ts_shape *in = &net.shape[l->src];
    const ant_conv_layer c = {in->n, in->c, l->out_channels, in->h, in->w, l->kernel, l->kernel, l->stride, l->pad};
    return c;
}

/* Runs a job, prints its line; 0 or the exit code. */
static int job(uint32_t j, const char *op, ant_job_desc *d)
{
    const ant_status s = ant_run_job(d);
    ts_report_job(&report, j, ts_layer_type_name(net.layer[j].type), op, s);
    if (s != ANT_OK) {
        printf("train_step: FAILED: layer %lu (%s) %s job: %s (ant_error %d)\n", (unsigned long)j,
               ts_layer_type_name(net.layer[j].type), op, ant_error_name(s), (int)s);
        return EXIT_JOB_FAILED;
    }
    return 0;
}

static int forward_conv(uint32_t j)
{
    const ts_layer *l = &net.layer[j];
    const ant_conv_layer c = conv_of(j);
    /* SWAT: the forward and backward-data passes see the top-K weights. */
    const float *w = params + l->param_offset;
    float *sparse = NULL;
    if (l->weight_topk) {
        uint64_t *keys = take((size_t)l->param_count * 8u);
        if (!(sparse = take((size_t)l->param_count * 4u)) || !keys)
            return EXIT_NO_MEMORY;
        core_topk(w, sparse, l->param_count, l->weight_topk, keys);
        w = sparse;
    }
    if (!csr_of(l->src) ||
        ant_tensor_csr_from_dense(&weight_csr[j], w, c.k * c.c, c.r, c.s, &arena) != ANT_OK)
        return EXIT_NO_MEMORY;
    ant_job_desc *d = take(sizeof *d);
    const uint32_t flags = (l->relu ? ANT_JOB_FLAG_RELU : 0u) | (l->act_topk ? ANT_JOB_FLAG_TOPK : 0u);
    if (!d || ant_layer_fw(d, &c, net.mode, &tensor[l->src].csr, &weight_csr[j], flags, l->act_topk,
                           ANT_FORMAT_CSR, &arena) != ANT_OK)
        return EXIT_NO_MEMORY;
    const int rc = job(j, "FW", d);
    /* Chained: the next job reads this CSR output as it lies in DRAM. */
    tensor[j].csr = d->out;
    tensor[j].has_csr = 1;
    return rc;
}

static int forward(uint32_t j)
{
    const ts_layer *l = &net.layer[j];
    if (l->type == TS_CONV)
        return forward_conv(j);
    const ts_shape *in = &net.shape[l->src], *out = &net.shape[j];
    if (!dense_of(l->src) || (l->type == TS_ADD && !dense_of(l->src2)) ||
        !(tensor[j].dense = take((size_t)ts_elements(out) * 4u)))
        return EXIT_NO_MEMORY;
    const uint64_t start = ts_instructions();
    switch (l->type) {
    case TS_ADD:
        core_add(tensor[l->src].dense, tensor[l->src2].dense, tensor[j].dense, ts_elements(out), (int)l->relu);
        break;
    case TS_AVGPOOL:
        core_avgpool(tensor[l->src].dense, tensor[j].dense, in->n * in->c, in->h, in->w, l->kernel);
        break;
    default:
        core_fc(tensor[l->src].dense, params + l->param_offset, tensor[j].dense, in->n, in->c * in->h * in->w,
                l->out_channels);
        break;
    }
    ts_report_core(&report, j, ts_layer_type_name(l->type), "forward", ts_instructions() - start);
    return 0;
}

static int backward_conv(uint32_t j)
{
    const ts_layer *l = &net.layer[j];
    const ts_shape *out = &net.shape[j];
    const ant_conv_layer c = conv_of(j);
    /* ReLU and top-K pass gradient only where the output survived. */
    if (l->relu || l->act_topk) {
        if (!dense_of(j))
            return EXIT_NO_MEMORY;
        const uint64_t start = ts_instructions();
        core_mask_by_nonzeros(tensor[j].grad, tensor[j].dense, ts_elements(out));
        ts_report_core(&report, j, "conv", "mask", ts_instructions() - start);
    }
    ant_tensor_desc dy;
    ant_job_desc *bw = take(sizeof *bw), *bd = take(sizeof *bd);
    if (!bw || !bd || ant_tensor_csr_from_dense(&dy, tensor[j].grad, out->n * out->c, out->h, out->w, &arena) != ANT_OK)
        return EXIT_NO_MEMORY;
    if (ant_layer_bw(bw, &c, net.mode, &tensor[l->src].csr, &dy, &arena) != ANT_OK ||
        ant_layer_bd(bd, &c, net.mode, &dy, &weight_csr[j], ANT_FORMAT_DENSE, &arena) != ANT_OK || !grad_of(l->src))
        return EXIT_NO_MEMORY;
    int rc = job(j, "BD", bd);
    if (rc == 0)
        rc = job(j, "BW", bw);
    if (rc)
        return rc;
    const uint64_t start = ts_instructions();
    core_accumulate(tensor[l->src].grad, (const float *)(uintptr_t)bd->out.values, ts_elements(&net.shape[l->src]));
    memcpy(grads + l->param_offset, (const void *)(uintptr_t)bw->out.values, (size_t)l->param_count * 4u);
    ts_report_core(&report, j, "conv", "gather", ts_instructions() - start);
    return 0;
}

static int backward(uint32_t j)
{
    const ts_layer *l = &net.layer[j];
    if (!tensor[j].grad)
        return 0; /* nothing downstream depends on this tensor */
    if (l->type == TS_CONV)
        return backward_conv(j);
    const ts_shape *in = &net.shape[l->src], *out = &net.shape[j];
    if (!grad_of(l->src) || (l->type == TS_ADD && !grad_of(l->src2)))
        return EXIT_NO_MEMORY;
    const uint64_t start = ts_instructions();
    switch (l->type) {
    case TS_ADD:
        if (l->relu)
            core_mask_by_nonzeros(tensor[j].grad, tensor[j].dense, ts_elements(out));
        core_accumulate(tensor[l->src].grad, tensor[j].grad, ts_elements(out));
        core_accumulate(tensor[l->src2].grad, tensor[j].grad, ts_elements(out));
        break;
    case TS_AVGPOOL:
        core_avgpool_backward(tensor[j].grad, tensor[l->src].grad, in->n * in->c, in->h, in->w, l->kernel);
        break;
    default:
        core_fc_backward(tensor[l->src].dense, params + l->param_offset, tensor[j].grad, tensor[l->src].grad,
                         grads + l->param_offset, in->n, in->c * in->h * in->w, l->out_channels);
        break;
    }
    ts_report_core(&report, j, ts_layer_type_name(l->type), "backward", ts_instructions() - start);
    return 0;
}

static int publish(const char *name, const float *data, uint32_t ndim, const uint32_t *shape)
{
    if (manifest->count >= ANT_MANIFEST_MAX_TENSORS)
        return 0;
    ant_manifest_tensor *t = &manifest->tensors[manifest->count];
    memset(t, 0, sizeof *t);
    strncpy(t->name, name, ANT_MANIFEST_NAME_BYTES - 1);
    t->address = (uint32_t)(uintptr_t)data;
    t->ndim = ndim;
    t->bytes = 4;
    for (uint32_t d = 0; d < ANT_MANIFEST_MAX_DIMS; d++) {
        t->shape[d] = d < ndim ? shape[d] : 1u;
        t->bytes *= t->shape[d];
    }
    manifest->count++;
    return 1;
}

static int publish_results(float loss)
{
    uint32_t acts_count = 0;
    for (uint32_t j = 1; j <= net.layers; j++)
        acts_count += ts_elements(&net.shape[j]);
    float *loss_out = take(4), *acts = take((size_t)acts_count * 4u), *updated = take((size_t)net.params * 4u);
    if (!loss_out || !acts || !updated || !grad_of(0))
        return EXIT_NO_MEMORY;
    *loss_out = loss;
    float *at = acts;
    for (uint32_t j = 1; j <= net.layers; j++) {
        if (!dense_of(j))
            return EXIT_NO_MEMORY;
        memcpy(at, tensor[j].dense, (size_t)ts_elements(&net.shape[j]) * 4u);
        at += ts_elements(&net.shape[j]);
    }
    const uint64_t start = ts_instructions();
    core_sgd(params, grads, updated, net.params, net.learning_rate);
    ts_report_core(&report, 0, "all", "sgd", ts_instructions() - start);
    const uint32_t one = 1, x_shape[4] = {net.shape[0].n, net.shape[0].c, net.shape[0].h, net.shape[0].w};
    if (!publish("loss", loss_out, 1, &one) || !publish("params_new", updated, 1, &net.params) ||
        !publish("grads", grads, 1, &net.params) || !publish("dx", tensor[0].grad, 4, x_shape) ||
        !publish("acts", acts, 1, &acts_count)) {
        printf("train_step: the job manifest has no room for the outputs\n");
        return EXIT_MANIFEST_FULL;
    }
    return 0;
}

static int train(void)
{
    int rc = 0;
    for (uint32_t j = 1; j <= net.layers && !rc; j++)
        rc = forward(j);
    if (rc)
        return rc;
    const uint32_t last = net.layers;
    if (!dense_of(last) || !grad_of(last))
        return EXIT_NO_MEMORY;
    uint64_t start = ts_instructions();
    const float loss = core_softmax_cross_entropy(tensor[last].dense, labels, tensor[last].grad, net.shape[0].n,
                                                  net.classes);
    ts_report_core(&report, last, "loss", "softmax-xent", ts_instructions() - start);
    for (uint32_t j = net.layers; j >= 1 && !rc; j--)
        rc = backward(j);
    if (rc)
        return rc;
    rc = publish_results(loss);
    ts_report_summary(&report, loss);
    return rc;
}

int main(void)
{
    hal_uart_init();
    ts_report_start(&report);
    if (manifest->magic != ANT_MANIFEST_MAGIC || manifest->version != ANT_MANIFEST_VERSION) {
        printf("train_step: no job manifest in DRAM (run with --load net=... --load params=... --load x=... "
               "--load labels=...)\n");
        return EXIT_BAD_INPUT;
    }
    if (!ts_network_read(&net, manifest))
        return EXIT_BAD_INPUT;
    params = (const float *)(uintptr_t)input("params")->address;
    labels = (const float *)(uintptr_t)input("labels")->address;
    tensor[0].dense = (float *)(uintptr_t)input("x")->address;
    printf("train_step: %lu layers, batch %lu, %lu parameters, mode %s\n", (unsigned long)net.layers,
           (unsigned long)net.shape[0].n, (unsigned long)net.params, ts_mode_name(net.mode));
    const ant_status s = ant_init();
    if (s != ANT_OK) {
        printf("train_step: ant_init: %s\n", ant_error_name(s));
        return EXIT_NO_ACCELERATOR;
    }
    if (ant_arena_init(&arena, manifest->scratch_base, manifest->scratch_end ? manifest->scratch_end : 0xFFFFFFC0u) !=
            ANT_OK ||
        !(grads = zeros(net.params))) {
        printf("train_step: out of DRAM scratch\n");
        return EXIT_NO_MEMORY;
    }
    const int rc = train();
    if (rc == EXIT_NO_MEMORY)
        printf("train_step: out of DRAM scratch (%lu bytes used)\n",
               (unsigned long)(arena.next - manifest->scratch_base));
    return rc;
}
