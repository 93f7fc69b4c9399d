/* The network description train_step reads from the job manifest (docs/train_step.md): a
 * float32 tensor `net` of (1 + layers) rows by TS_NET_COLUMNS, every field a small
 * non-negative integer except the learning rate. Row 0 is the header, row j (1-based) is
 * layer j, whose output is tensor j; tensor 0 is the input batch `x`. */
#ifndef TRAIN_STEP_NETWORK_H
#define TRAIN_STEP_NETWORK_H

#include <stdint.h>

#include "ant_manifest.h"

#define TS_NET_COLUMNS 12u
#define TS_NET_VERSION 1u
#define TS_MAX_LAYERS 64u

/* Header row. */
enum { TS_H_VERSION = 0, TS_H_LAYERS = 1, TS_H_MODE = 2, TS_H_LEARNING_RATE = 3 };
/* Layer rows. */
enum {
    TS_F_TYPE = 0, TS_F_SRC = 1, TS_F_SRC2 = 2, TS_F_OUT_CHANNELS = 3, TS_F_KERNEL = 4, TS_F_STRIDE = 5,
    TS_F_PAD = 6, TS_F_RELU = 7, TS_F_ACT_TOPK = 8, TS_F_WEIGHT_TOPK = 9, TS_F_PARAM_OFFSET = 10
};
enum { TS_CONV = 1, TS_ADD = 2, TS_AVGPOOL = 3, TS_FC = 4, TS_BATCHNORM = 5 };

typedef struct ts_shape {
    uint32_t n, c, h, w;
} ts_shape;

typedef struct ts_layer {
    uint32_t type, src, src2, out_channels, kernel, stride, pad, relu, act_topk, weight_topk;
    uint32_t param_offset, param_count;  /* weights: elements of `params` */
} ts_layer;

typedef struct ts_network {
    uint32_t layers, mode;
    float learning_rate;
    uint32_t params, classes;           /* elements of `params`; logits per sample */
    ts_layer layer[TS_MAX_LAYERS + 1];  /* 1..layers */
    ts_shape shape[TS_MAX_LAYERS + 1];  /* tensor 0..layers */
} ts_network;

const char *ts_layer_type_name(uint32_t type);
uint32_t ts_elements(const ts_shape *s);

/* Reads and checks the description against the loaded tensors (net, params, x, labels);
 * on failure prints one line naming the layer (or tensor) and the reason and returns 0. */
int ts_network_read(ts_network *net, const ant_manifest *manifest);

#endif
