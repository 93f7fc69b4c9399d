/* Packing a CSR plane's non-zeros into the vectors the hardware moves: F-wide broadcast
 * vectors and I-wide stationary vectors. A vector is a run of consecutive stored entries,
 * described by its first entry and its bounding box (what the index-range calculator
 * sees). */
#ifndef ANT_VECTOR_PACK_H
#define ANT_VECTOR_PACK_H

#include <stdint.h>

#include "csr.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ant_vector {
    uint32_t first; /* index of the first member in col_idx/val */
    uint32_t count; /* members, 1..width */
    int32_t row0, row1;
    int32_t col0, col1;
} ant_vector;

/* Upper bound of the vectors ant_pack_vectors can produce, to size its output array. */
uint32_t ant_pack_bound(const csr_plane *plane, uint32_t width, int row_bounded);

/* Packs the plane's entries, in storage order, into vectors of at most `width` members.
 * With row_bounded set a vector never spans two rows (its row window stays exact);
 * otherwise it packs across rows like a plain compressed stream. Returns the count. */
uint32_t ant_pack_vectors(const csr_plane *plane, uint32_t width, int row_bounded,
                          ant_vector *out);

#ifdef __cplusplus
}
#endif

#endif /* ANT_VECTOR_PACK_H */
