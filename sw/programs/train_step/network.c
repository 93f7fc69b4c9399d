/* Reading and checking the network description (network.h). */
#include "network.h"

#include <stdio.h>
#include <string.h>

#include "ant_accel.h"

const char *ts_layer_type_name(uint32_t type)
{
    switch (type) {
    case TS_CONV: return "conv";
    case TS_ADD: return "add";
    case TS_AVGPOOL: return "avgpool";
    case TS_FC: return "fc";
    case TS_BATCHNORM: return "batchnorm";
    }
    return "?";
}

uint32_t ts_elements(const ts_shape *s) { return s->n * s->c * s->h * s->w; }

static const ant_manifest_tensor *find(const ant_manifest *m, const char *name)
{
    for (uint32_t i = 0; i < m->inputs && i < ANT_MANIFEST_MAX_TENSORS; i++)
        if (strncmp(m->tensors[i].name, name, ANT_MANIFEST_NAME_BYTES) == 0)
            return &m->tensors[i];
    return NULL;
}

/* A field that must be a whole number in [0, 2^24) (exact in float32). */
static int whole(float v, uint32_t *out)
{
    if (!(v >= 0.0f && v < 16777216.0f) || (float)(uint32_t)v != v)
        return 0;
    *out = (uint32_t)v;
    return 1;
}

static int bad(uint32_t j, const char *type, const char *why)
{
    printf("train_step: bad network: layer %lu (%s): %s\n", (unsigned long)j, type, why);
    return 0;
}

static int check_layer(ts_network *net, uint32_t j)
{
    ts_layer *l = &net->layer[j];
    const char *name = ts_layer_type_name(l->type);
    if (l->src >= j || (l->type == TS_ADD && l->src2 >= j))
        return bad(j, name, "an input is not an earlier tensor");
    const ts_shape in = net->shape[l->src];
    ts_shape *out = &net->shape[j];
    *out = in;
    l->param_count = 0;
    switch (l->type) {
    case TS_CONV: {
        if (!l->out_channels || !l->kernel || !l->stride)
            return bad(j, name, "out_channels, kernel and stride must be at least 1");
        if (in.h + 2 * l->pad < l->kernel || in.w + 2 * l->pad < l->kernel)
            return bad(j, name, "the kernel is larger than the padded input");
        out->c = l->out_channels;
        out->h = (in.h + 2 * l->pad - l->kernel) / l->stride + 1;
        out->w = (in.w + 2 * l->pad - l->kernel) / l->stride + 1;
        l->param_count = l->out_channels * in.c * l->kernel * l->kernel;
        if (l->weight_topk > l->param_count)
            return bad(j, name, "weight_topk exceeds the weight count");
        break;
    }
    case TS_ADD: {
        const ts_shape b = net->shape[l->src2];
        if (b.n != in.n || b.c != in.c || b.h != in.h || b.w != in.w)
            return bad(j, name, "the two inputs have different shapes");
        break;
    }
    case TS_AVGPOOL:
        if (!l->kernel || l->stride != l->kernel || in.h % l->kernel || in.w % l->kernel)
            return bad(j, name, "needs stride = kernel dividing the input rows and columns");
        out->h = in.h / l->kernel;
        out->w = in.w / l->kernel;
        break;
    case TS_FC:
        if (!l->out_channels)
            return bad(j, name, "out_channels must be at least 1");
        out->c = l->out_channels;
        out->h = out->w = 1;
        l->param_count = l->out_channels * in.c * in.h * in.w;
        break;
    case TS_BATCHNORM:
        l->param_count = 2 * in.c; /* gamma, then beta */
        break;
    default:
        return bad(j, "unknown", "unknown layer type");
    }
    if (l->weight_topk && l->type != TS_CONV)
        return bad(j, name, "weight_topk applies to conv layers only");
    if (l->act_topk && l->type != TS_CONV && l->type != TS_BATCHNORM)
        return bad(j, name, "act_topk applies to conv and batchnorm layers only");
    if (l->relu && l->type != TS_CONV && l->type != TS_ADD && l->type != TS_BATCHNORM)
        return bad(j, name, "ReLU applies to conv, add and batchnorm layers only");
    if (l->act_topk > ts_elements(out))
        return bad(j, name, "act_topk exceeds the output's elements");
    if (l->param_count && (l->param_offset > net->params || l->param_count > net->params - l->param_offset))
        return bad(j, name, "its weights lie outside `params`");
    if (out->c > 0xFFFFu || out->w > 0xFFFFu)
        return bad(j, name, "output too large");
    return 1;
}

int ts_network_read(ts_network *net, const ant_manifest *m)
{
    const ant_manifest_tensor *t = find(m, "net"), *params = find(m, "params"), *x = find(m, "x"),
                              *labels = find(m, "labels");
    if (!t || !params || !x || !labels) {
        printf("train_step: missing input: need net, params, x and labels (--load name=file.npy)\n");
        return 0;
    }
    if (t->ndim != 2 || t->shape[1] != TS_NET_COLUMNS || t->shape[0] < 2 || t->shape[0] > TS_MAX_LAYERS + 1) {
        printf("train_step: bad network: net must be (1 + layers) x %lu with 1 to %lu layers\n",
               (unsigned long)TS_NET_COLUMNS, (unsigned long)TS_MAX_LAYERS);
        return 0;
    }
    const float *row = (const float *)(uintptr_t)t->address;
    uint32_t version;
    if (!whole(row[TS_H_VERSION], &version) || version != TS_NET_VERSION || !whole(row[TS_H_LAYERS], &net->layers) ||
        net->layers != t->shape[0] - 1 || !whole(row[TS_H_MODE], &net->mode) || net->mode > ANT_MODE_CODE_IDEAL) {
        printf("train_step: bad network: header row (version 1, layers = rows - 1, mode 0..3)\n");
        return 0;
    }
    net->learning_rate = row[TS_H_LEARNING_RATE];
    if (x->ndim != 4 || params->ndim != 1 || labels->ndim != 1 || labels->shape[0] != x->shape[0]) {
        printf("train_step: x must be N x C x H x W, params 1-D and labels N entries\n");
        return 0;
    }
    net->params = params->shape[0];
    net->shape[0] = (ts_shape){x->shape[0], x->shape[1], x->shape[2], x->shape[3]};
    for (uint32_t j = 1; j <= net->layers; j++) {
        const float *f = row + j * TS_NET_COLUMNS;
        ts_layer *l = &net->layer[j];
        uint32_t *fields[] = {&l->type, &l->src, &l->src2, &l->out_channels, &l->kernel, &l->stride,
                              &l->pad, &l->relu, &l->act_topk, &l->weight_topk, &l->param_offset};
        for (uint32_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
            if (!whole(f[i], fields[i]))
                return bad(j, "?", "a field is not a whole number in [0, 2^24)");
        if (l->relu > 1)
            return bad(j, ts_layer_type_name(l->type), "relu must be 0 or 1");
        if (!check_layer(net, j))
            return 0;
    }
    const ts_shape *logits = &net->shape[net->layers];
    if (logits->h != 1 || logits->w != 1) {
        printf("train_step: bad network: the last layer must give N x classes logits (an fc layer)\n");
        return 0;
    }
    net->classes = logits->c;
    const float *lab = (const float *)(uintptr_t)labels->address;
    for (uint32_t i = 0; i < labels->shape[0]; i++) {
        uint32_t v;
        if (!whole(lab[i], &v) || v >= net->classes) {
            printf("train_step: labels[%lu] is not a class index below %lu\n", (unsigned long)i,
                   (unsigned long)net->classes);
            return 0;
        }
    }
    return 1;
}
