/* train_step: one SWAT training iteration of a small network, run by the firmware with the
 * ANT accelerator (docs/train_step.md).
 *
 * Inputs (ant-vp run --load): `net` (the network description, network.h), `params` (every
 * weight, flat), `x` (the input batch, N x C x H x W) and `labels` (N class indices).
 * Forward: conv layers are FW jobs with SWAT-sparse weights (top-K on the core) whose outputs
 * the post-processing unit turns into ReLU'd, top-K'd CSR activations that the next job
 * reads as they are; fc layers are SPMM jobs; add, average pooling and batch normalisation
 * run on the core. Loss: softmax cross-entropy. Backward, in reverse layer order: BD and BW
 * jobs for conv and fc layers (a conv's output gradient masked by its surviving
 * activations), the core layers' gradients on the core. Then SGD. Outputs (--save): loss,
 * params_new, grads, dx (the input gradient), acts (every layer's output) and act_grads
 * (every layer's output gradient as its backward pass used it), flat, in layer order.
 *
 * Exit 0; 3 bad or missing inputs (one line names the layer or tensor and the reason);
 * 4 out of DRAM scratch (the layer is named); 5 no accelerator; 6 no room in the manifest;
 * 20 a job failed (its layer, op, ant_error and the accelerator's reason are printed). */
#include <stdio.h>
#include <string.h>

#include "ant_manifest_access.h"
#include "core_layers.h"
#include "hal.h"
#include "train_state.h"

static ant_manifest *const manifest = (ant_manifest *)ANT_MANIFEST_ADDRESS;
static ts_state state;

static const ant_manifest_tensor *input(const char *name) { return ant_manifest_find(name, 0); }

static int forward(ts_state *s, uint32_t j)
{
    switch (s->net.layer[j].type) {
    case TS_CONV: return conv_forward(s, j);
    case TS_FC: return fc_forward(s, j);
    default: return core_forward(s, j);
    }
}

static int backward(ts_state *s, uint32_t j)
{
    if (!s->tensor[j].grad)
        return 0; /* nothing downstream depends on this tensor */
    switch (s->net.layer[j].type) {
    case TS_CONV: return conv_backward(s, j);
    case TS_FC: return fc_backward(s, j);
    default: return core_backward(s, j);
    }
}

static int publish(const char *name, const float *data, uint32_t ndim, const uint32_t *shape)
{
    return ant_manifest_publish(name, data, ndim, shape) == ANT_OK;
}

/* Every layer's output (after ReLU/top-K) or its gradient, back to back in layer order. */
static float *gather(ts_state *s, int grads, uint32_t count)
{
    float *all = ts_take(s, (size_t)count * 4u), *at = all;
    if (!all)
        return NULL;
    for (uint32_t j = 1; j <= s->net.layers; j++) {
        const size_t bytes = (size_t)ts_elements(&s->net.shape[j]) * 4u;
        const float *from = grads ? s->tensor[j].grad : s->tensor[j].dense;
        if (!grads && !ts_dense_of(s, j))
            return NULL;
        if (from)
            memcpy(at, from, bytes);
        else
            memset(at, 0, bytes);
        at += bytes / 4u;
    }
    return all;
}

static int publish_results(ts_state *s, float loss)
{
    const ts_network *net = &s->net;
    uint32_t acts_count = 0;
    for (uint32_t j = 1; j <= net->layers; j++)
        acts_count += ts_elements(&net->shape[j]);
    float *loss_out = ts_take(s, 4), *acts = gather(s, 0, acts_count), *act_grads = gather(s, 1, acts_count),
          *updated = ts_take(s, (size_t)net->params * 4u);
    if (!loss_out || !acts || !act_grads || !updated || !ts_grad_of(s, 0))
        return EXIT_NO_MEMORY;
    *loss_out = loss;
    const uint64_t start = ts_instructions();
    core_sgd(s->params, s->grads, updated, net->params, net->learning_rate);
    ts_report_core(&s->report, 0, "all", "sgd", ts_instructions() - start);
    const uint32_t one = 1, x_shape[4] = {net->shape[0].n, net->shape[0].c, net->shape[0].h, net->shape[0].w};
    if (!publish("loss", loss_out, 1, &one) || !publish("params_new", updated, 1, &net->params) ||
        !publish("grads", s->grads, 1, &net->params) || !publish("dx", s->tensor[0].grad, 4, x_shape) ||
        !publish("acts", acts, 1, &acts_count) || !publish("act_grads", act_grads, 1, &acts_count)) {
        printf("train_step: the job manifest has no room for the outputs\n");
        return EXIT_MANIFEST_FULL;
    }
    return 0;
}

/* j = 0: not a layer's work (`what` says whose). */
static int out_of_scratch(ts_state *s, uint32_t j, const char *what)
{
    const unsigned long used = (unsigned long)(s->arena.next - manifest->scratch_base),
                        room = (unsigned long)(s->arena.end - manifest->scratch_base);
    if (j)
        printf("train_step: out of DRAM scratch at layer %lu (%s) %s: %lu of %lu bytes used\n", (unsigned long)j,
               ts_layer_type_name(s->net.layer[j].type), what, used, room);
    else
        printf("train_step: out of DRAM scratch for the %s: %lu of %lu bytes used\n", what, used, room);
    return EXIT_NO_MEMORY;
}

static int train(ts_state *s)
{
    ts_network *net = &s->net;
    for (uint32_t j = 1; j <= net->layers; j++) {
        const int rc = forward(s, j);
        if (rc)
            return rc == EXIT_NO_MEMORY ? out_of_scratch(s, j, "forward") : rc;
    }
    const uint32_t last = net->layers;
    if (!ts_dense_of(s, last) || !ts_grad_of(s, last))
        return out_of_scratch(s, last, "loss");
    const uint64_t start = ts_instructions();
    const float loss = core_softmax_cross_entropy(s->tensor[last].dense, s->labels, s->tensor[last].grad,
                                                  net->shape[0].n, net->classes);
    ts_report_core(&s->report, last, "loss", "softmax-xent", ts_instructions() - start);
    for (uint32_t j = net->layers; j >= 1; j--) {
        const int rc = backward(s, j);
        if (rc)
            return rc == EXIT_NO_MEMORY ? out_of_scratch(s, j, "backward") : rc;
    }
    const int rc = publish_results(s, loss);
    if (rc == EXIT_NO_MEMORY)
        return out_of_scratch(s, 0, "outputs");
    ts_report_summary(&s->report, loss);
    return rc;
}

int main(void)
{
    ts_state *s = &state;
    hal_uart_init();
    ts_report_start(&s->report);
    if (manifest->magic != ANT_MANIFEST_MAGIC || manifest->version != ANT_MANIFEST_VERSION) {
        printf("train_step: no job manifest in DRAM (run with --load net=... --load params=... --load x=... "
               "--load labels=...)\n");
        return EXIT_BAD_INPUT;
    }
    if (!ts_network_read(&s->net, manifest))
        return EXIT_BAD_INPUT;
    s->params = (const float *)(uintptr_t)input("params")->address;
    s->labels = (const float *)(uintptr_t)input("labels")->address;
    s->tensor[0].dense = (float *)(uintptr_t)input("x")->address;
    printf("train_step: %lu layers, batch %lu, %lu parameters, mode %s\n", (unsigned long)s->net.layers,
           (unsigned long)s->net.shape[0].n, (unsigned long)s->net.params, ts_mode_name(s->net.mode));
    const ant_status status = ant_init();
    if (status != ANT_OK) {
        printf("train_step: ant_init: %s\n", ant_error_name(status));
        return EXIT_NO_ACCELERATOR;
    }
    if (ant_arena_init(&s->arena, manifest->scratch_base,
                       manifest->scratch_end ? manifest->scratch_end : 0xFFFFFFC0u) != ANT_OK) {
        printf("train_step: no DRAM scratch after the inputs\n");
        return EXIT_NO_MEMORY;
    }
    if (!(s->grads = ts_zeros(s, s->net.params)))
        return out_of_scratch(s, 0, "weight gradients");
    return train(s);
}
