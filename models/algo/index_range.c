#include "index_range.h"

static int32_t floor_div(int32_t a, int32_t b)
{
    int32_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int32_t ceil_div(int32_t a, int32_t b) { return -floor_div(-a, b); }

/* Clamps a stepped range to [0, n - 1] keeping it on its lattice lo + j*step. */
static ant_range clamp(int32_t lo, int32_t hi, int32_t step, int32_t n)
{
    ant_range r;
    if (lo < 0)
        lo += ceil_div(-lo, step) * step;
    if (hi > n - 1)
        hi = n - 1;
    if (lo <= hi)
        hi = lo + (hi - lo) / step * step;
    r.lo = lo;
    r.hi = hi;
    r.step = step;
    return r;
}

/* One axis of a convolution: broadcast span [b0, b1] -> stationary range. */
static ant_range conv_axis(const ant_geometry *g, int axis, int32_t b0, int32_t b1)
{
    const int32_t st = g->stride[axis], p = g->pad[axis];
    const int32_t n = g->stationary[axis];
    switch (g->op) {
    case ANT_OP_FW: /* i = o*st + r - p, o in [0, Ho-1] */
        /* One kernel row reaches only inputs on its stride lattice; a span of rows covers
         * several lattices, so the step must fall back to 1 to stay a superset. */
        return clamp(b0 - p, b1 - p + st * (g->out[axis] - 1), b0 == b1 ? st : 1, n);
    case ANT_OP_BD: /* o = (i + p - r) / st with i in [0, H-1] */
        return clamp(ceil_div(p - b1, st), floor_div(g->in[axis] - 1 + p - b0, st), 1, n);
    case ANT_OP_BW_GS: /* o with r = i - o*st + p in [0, R-1], i in [b0, b1] */
        return clamp(ceil_div(b0 + p - g->kernel[axis] + 1, st), floor_div(b1 + p, st), 1, n);
    default: /* BW: i = o*st - p + r, r in [0, R-1] */
        return clamp(b0 * st - p, b1 * st - p + g->kernel[axis] - 1, 1, n);
    }
}

void ant_index_window(const ant_geometry *g, int32_t r0, int32_t r1, int32_t c0, int32_t c1,
                      ant_window *w)
{
    if (g->op == ANT_OP_SPMM) {
        /* A's columns are the contraction index: they select B's rows; B's columns are
         * all useful. */
        w->rows = clamp(c0, c1, 1, g->stationary[ANT_ROW]);
        w->cols = clamp(0, g->stationary[ANT_COL] - 1, 1, g->stationary[ANT_COL]);
        (void)r0;
        (void)r1;
        return;
    }
    w->rows = conv_axis(g, ANT_ROW, r0, r1);
    w->cols = conv_axis(g, ANT_COL, c0, c1);
}

/* One axis of a convolution: stationary span [s0, s1] -> broadcast (kernel) range. */
static ant_range conv_kernel_axis(const ant_geometry *g, int axis, int32_t s0, int32_t s1)
{
    const int32_t st = g->stride[axis], p = g->pad[axis];
    const int32_t n = g->broadcast[axis];
    switch (g->op) {
    case ANT_OP_FW: /* r = i + p - o*st, o in [0, Ho-1] */
        return clamp(s0 + p - st * (g->out[axis] - 1), s1 + p, 1, n);
    case ANT_OP_BD: /* r = i - o*st + p, i in [0, H-1] */
        return clamp(p - s1 * st, g->in[axis] - 1 + p - s0 * st, 1, n);
    case ANT_OP_BW_GS: /* i = o*st - p + r, o in [s0, s1], r in [0, R-1] */
        return clamp(s0 * st - p, s1 * st - p + g->kernel[axis] - 1, 1, n);
    default: /* BW: o with r = i - o*st + p in [0, R-1] */
        return clamp(ceil_div(s0 + p - g->kernel[axis] + 1, st), floor_div(s1 + p, st), 1, n);
    }
}

void ant_kernel_window(const ant_geometry *g, int32_t r0, int32_t r1, int32_t c0, int32_t c1,
                       ant_window *w)
{
    if (g->op == ANT_OP_SPMM) {
        /* B's rows are the contraction index: they select A's columns; every A row meets
         * them. */
        w->rows = clamp(0, g->broadcast[ANT_ROW] - 1, 1, g->broadcast[ANT_ROW]);
        w->cols = clamp(r0, r1, 1, g->broadcast[ANT_COL]);
        (void)c0;
        (void)c1;
        return;
    }
    w->rows = conv_kernel_axis(g, ANT_ROW, r0, r1);
    w->cols = conv_kernel_axis(g, ANT_COL, c0, c1);
}
