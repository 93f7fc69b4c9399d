/* The kernel buffer's organisation for one pass: the non-zeros of all the pass's kernel
 * (broadcast) planes interleaved in position order — (row, column, plane) for convolutions,
 * SCNN's (r, s, k) weight order — so that
 *   - SCNN+ broadcasts F-wide vectors packed across output channels straight from it, and
 *   - ANT's per-PE anticipator finds the entries of a row range as one contiguous span (its
 *     index scan) and those of a column range inside a row as one sub-span (its selection).
 * For SPMM the contraction index (A's column) is the major axis, so that an image vector's
 * contraction range selects whole major positions, as the paper's SpMM extension does. */
#ifndef ANT_KERNEL_STREAM_H
#define ANT_KERNEL_STREAM_H

#include <stdint.h>

#include "csr.h"
#include "layer_geometry.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ant_kernel_stream {
    int32_t majors, minors; /* positions per plane along the major / minor axis */
    int major_is_row;       /* convolutions: the kernel row; SPMM: A's column */
    uint32_t nnz, capacity;
    uint32_t pos_capacity;
    uint32_t *pos_start; /* majors * minors + 1: first entry of position (major, minor) */
    uint32_t *plane;     /* nnz: index of the entry's plane in the pass */
    float *val;          /* nnz */
    uint32_t *count;     /* scratch: entries per position while building */
} ant_kernel_stream;

/* Builds the stream of n planes of the geometry's broadcast shape. Reuses the stream's
 * memory; returns 0, or -1 if memory runs out. */
int ant_kernel_stream_build(ant_kernel_stream *ks, const ant_geometry *g,
                            const csr_plane *const *planes, uint32_t n);
void ant_kernel_stream_free(ant_kernel_stream *ks);

/* Broadcast-plane coordinates of position (major, minor). */
static inline void ant_kernel_stream_coord(const ant_kernel_stream *ks, int32_t major,
                                           int32_t minor, int32_t *row, int32_t *col)
{
    *row = ks->major_is_row ? major : minor;
    *col = ks->major_is_row ? minor : major;
}

static inline uint32_t ant_kernel_stream_at(const ant_kernel_stream *ks, int32_t major,
                                            int32_t minor)
{
    return ks->pos_start[(uint32_t)major * (uint32_t)ks->minors + (uint32_t)minor];
}

#ifdef __cplusplus
}
#endif

#endif /* ANT_KERNEL_STREAM_H */
