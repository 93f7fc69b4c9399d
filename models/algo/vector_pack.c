#include "vector_pack.h"

uint32_t ant_pack_bound(const csr_plane *p, uint32_t width, int row_bounded)
{
    uint32_t nnz = csr_nnz(p);
    return (nnz + width - 1) / width + (row_bounded ? p->rows : 0);
}

uint32_t ant_pack_vectors(const csr_plane *p, uint32_t width, int row_bounded,
                          ant_vector *out)
{
    uint32_t n = 0;
    ant_vector *open = NULL;
    for (uint32_t r = 0; r < p->rows; ++r) {
        if (row_bounded)
            open = NULL;
        for (uint32_t e = p->row_ptr[r]; e < p->row_ptr[r + 1]; ++e) {
            int32_t c = p->col_idx[e];
            if (open == NULL || open->count == width) {
                open = &out[n++];
                open->first = e;
                open->count = 0;
                open->row0 = (int32_t)r;
                open->col0 = c;
                open->col1 = c;
            }
            open->row1 = (int32_t)r;
            if (c < open->col0)
                open->col0 = c;
            if (c > open->col1)
                open->col1 = c;
            ++open->count;
        }
    }
    return n;
}
