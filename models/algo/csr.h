/* Compressed sparse row storage of one 2-D plane, the format the accelerator reads.
 *
 * The arrays are owned by the caller (firmware has no heap; the models keep whole tensors
 * in one allocation), so every function here works on caller-provided memory. */
#ifndef ANT_CSR_H
#define ANT_CSR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Column indices are 16-bit in hardware: no plane may be wider than this. */
#define CSR_MAX_COLS 65535u

typedef struct csr_plane {
    uint32_t rows;
    uint32_t cols;
    uint32_t capacity;  /* entries reserved in col_idx/val */
    uint32_t *row_ptr;  /* rows + 1 entries; row_ptr[rows] is nnz */
    uint16_t *col_idx;  /* capacity entries, sorted ascending within a row */
    float *val;         /* capacity entries */
} csr_plane;

typedef enum csr_status {
    CSR_OK = 0,
    CSR_ERR_DIMS,               /* zero rows/cols or too many columns */
    CSR_ERR_ROW_PTR_START,      /* row_ptr[0] != 0 */
    CSR_ERR_ROW_PTR_DECREASING, /* row_ptr not monotone */
    CSR_ERR_OVER_CAPACITY,      /* nnz exceeds capacity */
    CSR_ERR_COL_OUT_OF_RANGE,   /* a column index >= cols */
    CSR_ERR_COL_NOT_SORTED      /* columns not strictly ascending within a row */
} csr_status;

static inline uint32_t csr_nnz(const csr_plane *p) { return p->row_ptr[p->rows]; }

const char *csr_status_name(csr_status status);

/* Checks the structural invariants the fetch unit relies on. On failure writes a one-line
 * explanation naming the offending row/entry into msg (if msg_len > 0). */
csr_status csr_validate(const csr_plane *plane, char *msg, size_t msg_len);

/* Number of non-zeros of a dense row-major plane (the capacity csr_from_dense needs). */
uint32_t csr_count_nonzeros(const float *dense, uint32_t rows, uint32_t cols);

/* Compresses a dense row-major plane. plane->rows/cols/capacity and the arrays must be set;
 * returns CSR_ERR_OVER_CAPACITY (leaving the plane unspecified) when it does not fit. */
csr_status csr_from_dense(csr_plane *plane, const float *dense);

/* Expands into a dense row-major plane of rows*cols floats (zeros where nothing stored). */
void csr_to_dense(const csr_plane *plane, float *dense);

/* Index range [*first, *last) of the stored entries of `row` whose column lies in
 * [col_lo, col_hi] — the min/max search of the fetch unit (binary search). */
void csr_row_window(const csr_plane *plane, uint32_t row, uint32_t col_lo, uint32_t col_hi,
                    uint32_t *first, uint32_t *last);

#ifdef __cplusplus
}
#endif

#endif /* ANT_CSR_H */
