#include "kernel_stream.h"

#include <stdlib.h>
#include <string.h>

/* Grows two parallel arrays to hold at least `want` elements each. */
static int grow2(void **a, size_t a_elem, void **b, size_t b_elem, uint32_t *capacity, uint32_t want)
{
    if (*capacity >= want)
        return 0;
    void *na = realloc(*a, a_elem * (size_t)want);
    if (na)
        *a = na;
    void *nb = realloc(*b, b_elem * (size_t)want);
    if (nb)
        *b = nb;
    if (!na || !nb)
        return -1;
    *capacity = want;
    return 0;
}

int ant_kernel_stream_build(ant_kernel_stream *ks, const ant_geometry *g,
                            const csr_plane *const *planes, uint32_t n)
{
    const int spmm = g->op == ANT_OP_SPMM;
    ks->major_is_row = !spmm;
    ks->majors = spmm ? g->broadcast[ANT_COL] : g->broadcast[ANT_ROW];
    ks->minors = spmm ? g->broadcast[ANT_ROW] : g->broadcast[ANT_COL];
    const uint32_t positions = (uint32_t)ks->majors * (uint32_t)ks->minors;
    uint32_t total = 0;
    for (uint32_t p = 0; p < n; ++p)
        total += csr_nnz(planes[p]);
    if (grow2((void **)&ks->pos_start, sizeof(uint32_t), (void **)&ks->count, sizeof(uint32_t),
              &ks->pos_capacity, positions + 1) != 0 ||
        grow2((void **)&ks->plane, sizeof(uint32_t), (void **)&ks->val, sizeof(float), &ks->capacity,
              total ? total : 1) != 0)
        return -1;
    ks->nnz = total;

    memset(ks->count, 0, sizeof(uint32_t) * positions);
    /* Empty planes are skipped outright: at SWAT's densities most 1x1 and many 3x3 weight
     * planes are, and a pass may hold hundreds of them. */
    for (uint32_t p = 0; p < n; ++p) {
        const csr_plane *s = planes[p];
        if (csr_nnz(s) == 0)
            continue;
        for (uint32_t r = 0; r < s->rows; ++r)
            for (uint32_t e = s->row_ptr[r]; e < s->row_ptr[r + 1]; ++e) {
                const uint32_t c = s->col_idx[e];
                ++ks->count[spmm ? c * (uint32_t)ks->minors + r : r * (uint32_t)ks->minors + c];
            }
    }
    uint32_t running = 0;
    for (uint32_t q = 0; q < positions; ++q) {
        ks->pos_start[q] = running;
        running += ks->count[q];
        ks->count[q] = ks->pos_start[q]; /* becomes the fill cursor */
    }
    ks->pos_start[positions] = running;
    /* Planes in pass order: inside a position, entries stay sorted by plane (SCNN's k). */
    for (uint32_t p = 0; p < n; ++p) {
        const csr_plane *s = planes[p];
        if (csr_nnz(s) == 0)
            continue;
        for (uint32_t r = 0; r < s->rows; ++r)
            for (uint32_t e = s->row_ptr[r]; e < s->row_ptr[r + 1]; ++e) {
                const uint32_t c = s->col_idx[e];
                const uint32_t q = spmm ? c * (uint32_t)ks->minors + r : r * (uint32_t)ks->minors + c;
                const uint32_t at = ks->count[q]++;
                ks->plane[at] = p;
                ks->val[at] = s->val[e];
            }
    }
    return 0;
}

void ant_kernel_stream_free(ant_kernel_stream *ks)
{
    free(ks->pos_start);
    free(ks->count);
    free(ks->plane);
    free(ks->val);
    memset(ks, 0, sizeof *ks);
}
