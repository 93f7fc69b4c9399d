#include "layer_geometry.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "csr.h"

const char *ant_op_name(ant_op op)
{
    switch (op) {
    case ANT_OP_FW: return "fw";
    case ANT_OP_BD: return "bd";
    case ANT_OP_BW: return "bw";
    case ANT_OP_BW_GS: return "bw";
    case ANT_OP_SPMM: return "spmm";
    }
    return "unknown";
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int reject(char *msg, size_t msg_len, const char *fmt, ...)
{
    if (msg_len > 0) {
        va_list args;
        va_start(args, fmt);
        vsnprintf(msg, msg_len, fmt, args);
        va_end(args);
    }
    return -1;
}

static void set2(int32_t dst[2], int32_t a, int32_t b)
{
    dst[ANT_ROW] = a;
    dst[ANT_COL] = b;
}

int ant_geometry_conv(ant_geometry *g, ant_op op, int32_t h, int32_t w, int32_t r, int32_t s,
                      int32_t stride_h, int32_t stride_w, int32_t pad_h, int32_t pad_w,
                      char *msg, size_t msg_len)
{
    memset(g, 0, sizeof *g);
    if (op != ANT_OP_FW && op != ANT_OP_BD && op != ANT_OP_BW && op != ANT_OP_BW_GS)
        return reject(msg, msg_len, "operation %d is not a convolution", (int)op);
    if (h < 1 || w < 1)
        return reject(msg, msg_len, "input plane is %d high and %d wide; both must be at least 1", h, w);
    if (r < 1 || s < 1)
        return reject(msg, msg_len, "kernel is %d high and %d wide; both must be at least 1", r, s);
    if (stride_h < 1 || stride_w < 1)
        return reject(msg, msg_len, "stride is %d vertically and %d horizontally; both must be at least 1",
                      stride_h, stride_w);
    if (pad_h < 0 || pad_w < 0)
        return reject(msg, msg_len, "padding %dx%d must not be negative", pad_h, pad_w);
    if (h + 2 * pad_h < r || w + 2 * pad_w < s)
        return reject(msg, msg_len, "kernel %dx%d is larger than the padded input %dx%d", r, s,
                      h + 2 * pad_h, w + 2 * pad_w);
    if ((uint32_t)w > CSR_MAX_COLS)
        return reject(msg, msg_len, "plane width %d exceeds the 16-bit column index", w);
    g->op = op;
    set2(g->in, h, w);
    set2(g->kernel, r, s);
    set2(g->stride, stride_h, stride_w);
    set2(g->pad, pad_h, pad_w);
    set2(g->out, (h + 2 * pad_h - r) / stride_h + 1, (w + 2 * pad_w - s) / stride_w + 1);
    switch (op) {
    case ANT_OP_FW:
        memcpy(g->stationary, g->in, sizeof g->in);
        memcpy(g->broadcast, g->kernel, sizeof g->kernel);
        memcpy(g->output, g->out, sizeof g->out);
        break;
    case ANT_OP_BD:
        memcpy(g->stationary, g->out, sizeof g->out);
        memcpy(g->broadcast, g->kernel, sizeof g->kernel);
        memcpy(g->output, g->in, sizeof g->in);
        break;
    case ANT_OP_BW_GS:
        memcpy(g->stationary, g->out, sizeof g->out);
        memcpy(g->broadcast, g->in, sizeof g->in);
        memcpy(g->output, g->kernel, sizeof g->kernel);
        break;
    default: /* BW */
        memcpy(g->stationary, g->in, sizeof g->in);
        memcpy(g->broadcast, g->out, sizeof g->out);
        memcpy(g->output, g->kernel, sizeof g->kernel);
        break;
    }
    return 0;
}

int ant_geometry_spmm(ant_geometry *g, int32_t m, int32_t k, int32_t n, char *msg,
                      size_t msg_len)
{
    memset(g, 0, sizeof *g);
    if (m < 1 || k < 1 || n < 1)
        return reject(msg, msg_len, "matrix sizes m=%d k=%d n=%d must be at least 1", m, k, n);
    if ((uint32_t)k > CSR_MAX_COLS || (uint32_t)n > CSR_MAX_COLS)
        return reject(msg, msg_len, "k=%d or n=%d exceeds the 16-bit column index", k, n);
    g->op = ANT_OP_SPMM;
    g->m = m;
    g->k = k;
    g->n = n;
    set2(g->stride, 1, 1);
    set2(g->stationary, k, n);
    set2(g->broadcast, m, k);
    set2(g->output, m, n);
    return 0;
}

/* Per axis of a convolution: broadcast index b, stationary index s -> output index. */
int ant_axis_output(const ant_geometry *g, int axis, int32_t b, int32_t s, int32_t *o)
{
    const int32_t st = g->stride[axis], p = g->pad[axis];
    int32_t t;
    switch (g->op) {
    case ANT_OP_FW: /* b = r, s = i, o = (i + p - r) / st */
        t = s + p - b;
        if (t < 0 || t % st != 0)
            return 0;
        *o = t / st;
        return *o < g->out[axis];
    case ANT_OP_BD: /* b = r, s = o, i = o*st + r - p */
        *o = s * st + b - p;
        return *o >= 0 && *o < g->in[axis];
    case ANT_OP_BW_GS: /* b = i, s = o, r = i - o*st + p */
        *o = b - s * st + p;
        return *o >= 0 && *o < g->kernel[axis];
    default: /* BW: b = o, s = i, r = i - o*st + p */
        *o = s - b * st + p;
        return *o >= 0 && *o < g->kernel[axis];
    }
}

int ant_output_coord(const ant_geometry *g, int32_t br, int32_t bc, int32_t sr, int32_t sc,
                     int32_t *orow, int32_t *ocol)
{
    if (g->op == ANT_OP_SPMM) { /* A[m][k] * B[k'][n] is useful only when k == k' */
        if (bc != sr)
            return 0;
        *orow = br;
        *ocol = sc;
        return 1;
    }
    return ant_axis_output(g, ANT_ROW, br, sr, orow) && ant_axis_output(g, ANT_COL, bc, sc, ocol);
}
