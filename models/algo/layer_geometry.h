/* The shape of one layer job and which operand plays which role on the array.
 *
 * ANT is input stationary: one operand's plane is tiled over the PEs and stays there, the
 * other operand's non-zeros are broadcast as vectors. Which tensor is which depends on the
 * operation, and every later block (index ranges, fetch, PE array) only ever sees the roles
 * "stationary", "broadcast" and "output". */
#ifndef ANT_LAYER_GEOMETRY_H
#define ANT_LAYER_GEOMETRY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ant_op {
    ANT_OP_FW = 0,  /* O[n][k]  += W[k][c] * A[n][c]   stationary A,  broadcast W  */
    ANT_OP_BD = 1,  /* dA[n][c] += W[k][c] * dO[n][k]  stationary dO, broadcast W  */
    ANT_OP_BW = 2,  /* dW[k][c] += dO[n][k] * A[n][c]  stationary A,  broadcast dO */
    ANT_OP_SPMM = 3, /* C = A * B                      stationary B,  broadcast A  */
    /* BW with the roles swapped: the output gradient tiled over the PEs, the activations
     * streamed past it. Never a descriptor's op: the sequencer chooses it for a BW job when
     * the dataflow says so (dataflow.h, ant_job_op). */
    ANT_OP_BW_GS = 4 /* dW[k][c] += A[n][c] * dO[n][k]  stationary dO, broadcast A */
} ant_op;

enum { ANT_ROW = 0, ANT_COL = 1 };

typedef struct ant_geometry {
    ant_op op;
    /* Convolution view (SPMM leaves these at their defaults). [ANT_ROW] / [ANT_COL]. */
    int32_t in[2];     /* H, W: input activation plane */
    int32_t kernel[2]; /* R, S */
    int32_t out[2];    /* Ho, Wo */
    int32_t stride[2];
    int32_t pad[2];
    /* SPMM: A is m x k, B is k x n. */
    int32_t m, k, n;
    /* Derived plane shapes per role (rows, cols) */
    int32_t stationary[2];
    int32_t broadcast[2];
    int32_t output[2];
} ant_geometry;

const char *ant_op_name(ant_op op);

/* Fills a convolution geometry (FW/BD/BW/BW_GS) from the input plane, kernel, stride and padding.
 * Returns 0, or -1 with a one-line reason in msg when the shape is impossible (zero sizes,
 * stride < 1, negative padding, kernel larger than the padded input, more than 65535
 * columns). */
int ant_geometry_conv(ant_geometry *g, ant_op op, int32_t h, int32_t w, int32_t r, int32_t s,
                      int32_t stride_h, int32_t stride_w, int32_t pad_h, int32_t pad_w,
                      char *msg, size_t msg_len);

/* Fills an SPMM geometry C(m x n) = A(m x k) * B(k x n). Same error convention. */
int ant_geometry_spmm(ant_geometry *g, int32_t m, int32_t k, int32_t n, char *msg,
                      size_t msg_len);

/* Output coordinate produced by broadcast element (br, bc) times stationary element
 * (sr, sc); returns 1 and sets orow and ocol if the product is valid (lands inside the
 * output), 0 if it is a redundant Cartesian product. This is the definition every range and
 * every count is checked against. */
int ant_output_coord(const ant_geometry *g, int32_t br, int32_t bc, int32_t sr, int32_t sc,
                     int32_t *orow, int32_t *ocol);

/* One axis of a convolution (not SPMM): broadcast index b times stationary index s
 * gives output index *o; returns 1 when it lies inside the output. */
int ant_axis_output(const ant_geometry *g, int axis, int32_t b, int32_t s, int32_t *o);

#ifdef __cplusplus
}
#endif

#endif /* ANT_LAYER_GEOMETRY_H */
