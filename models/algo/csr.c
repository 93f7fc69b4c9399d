#include "csr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *csr_status_name(csr_status status)
{
    switch (status) {
    case CSR_OK: return "ok";
    case CSR_ERR_DIMS: return "bad dimensions";
    case CSR_ERR_ROW_PTR_START: return "row_ptr does not start at 0";
    case CSR_ERR_ROW_PTR_DECREASING: return "row_ptr decreases";
    case CSR_ERR_OVER_CAPACITY: return "nnz exceeds capacity";
    case CSR_ERR_COL_OUT_OF_RANGE: return "column index out of range";
    case CSR_ERR_COL_NOT_SORTED: return "column indices not sorted";
    }
    return "unknown csr status";
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static csr_status fail(csr_status status, char *msg, size_t msg_len, const char *fmt, ...)
{
    if (msg_len > 0) {
        va_list args;
        va_start(args, fmt);
        vsnprintf(msg, msg_len, fmt, args);
        va_end(args);
    }
    return status;
}

/* Nonzero if the n columns are not strictly increasing. Kept apart, with size_t indices, so
 * that the compiler vectorizes it: validation runs on every plane of every pass. */
static unsigned columns_unsorted(const uint16_t *col, size_t n)
{
    unsigned bad = 0;
    for (size_t e = 1; e < n; ++e)
        bad |= (unsigned)(col[e] <= col[e - 1]);
    return bad;
}

csr_status csr_validate(const csr_plane *p, char *msg, size_t msg_len)
{
    if (msg_len > 0)
        msg[0] = '\0';
    if (p->rows == 0 || p->cols == 0 || p->cols > CSR_MAX_COLS)
        return fail(CSR_ERR_DIMS, msg, msg_len, "plane has %u rows and %u columns (rows must be at least 1, columns 1..%u)",
                    (unsigned)p->rows, (unsigned)p->cols, (unsigned)CSR_MAX_COLS);
    if (p->row_ptr[0] != 0)
        return fail(CSR_ERR_ROW_PTR_START, msg, msg_len, "row_ptr[0] is %u, must be 0",
                    (unsigned)p->row_ptr[0]);
    for (uint32_t r = 0; r < p->rows; ++r)
        if (p->row_ptr[r + 1] < p->row_ptr[r])
            return fail(CSR_ERR_ROW_PTR_DECREASING, msg, msg_len,
                        "row_ptr[%u] = %u is below row_ptr[%u]", (unsigned)(r + 1),
                        (unsigned)p->row_ptr[r + 1], (unsigned)r);
    if (csr_nnz(p) > p->capacity)
        return fail(CSR_ERR_OVER_CAPACITY, msg, msg_len, "nnz %u exceeds capacity %u",
                    (unsigned)csr_nnz(p), (unsigned)p->capacity);
    /* The common case, a valid plane, in one branch-free sweep (columns strictly increasing
     * in every row and the last below cols); the entry-by-entry search below only runs to
     * name the first bad entry. */
    unsigned bad = 0;
    for (uint32_t r = 0; r < p->rows; ++r) {
        const uint32_t first = p->row_ptr[r], last = p->row_ptr[r + 1];
        if (first == last)
            continue;
        bad |= columns_unsorted(p->col_idx + first, last - first);
        bad |= p->col_idx[last - 1] >= p->cols;
    }
    if (!bad)
        return CSR_OK;
    for (uint32_t r = 0; r < p->rows; ++r) {
        for (uint32_t e = p->row_ptr[r]; e < p->row_ptr[r + 1]; ++e) {
            if (p->col_idx[e] >= p->cols)
                return fail(CSR_ERR_COL_OUT_OF_RANGE, msg, msg_len,
                            "entry %u (row %u) has column %u", (unsigned)e, (unsigned)r,
                            (unsigned)p->col_idx[e]);
            if (e > p->row_ptr[r] && p->col_idx[e] <= p->col_idx[e - 1])
                return fail(CSR_ERR_COL_NOT_SORTED, msg, msg_len,
                            "entry %u (row %u) has column %u not above its predecessor", (unsigned)e,
                            (unsigned)r, (unsigned)p->col_idx[e]);
        }
    }
    return CSR_OK;
}

uint32_t csr_count_nonzeros(const float *dense, uint32_t rows, uint32_t cols)
{
    uint32_t n = 0;
    for (size_t i = 0; i < (size_t)rows * cols; ++i)
        n += dense[i] != 0.0f;
    return n;
}

csr_status csr_from_dense(csr_plane *p, const float *dense)
{
    uint32_t n = 0;
    p->row_ptr[0] = 0;
    for (uint32_t r = 0; r < p->rows; ++r) {
        const float *row = dense + (size_t)r * p->cols;
        for (uint32_t c = 0; c < p->cols; ++c) {
            if (row[c] == 0.0f)
                continue;
            if (n == p->capacity)
                return CSR_ERR_OVER_CAPACITY;
            p->col_idx[n] = (uint16_t)c;
            p->val[n] = row[c];
            ++n;
        }
        p->row_ptr[r + 1] = n;
    }
    return CSR_OK;
}

void csr_to_dense(const csr_plane *p, float *dense)
{
    memset(dense, 0, sizeof(float) * (size_t)p->rows * p->cols);
    for (uint32_t r = 0; r < p->rows; ++r)
        for (uint32_t e = p->row_ptr[r]; e < p->row_ptr[r + 1]; ++e)
            dense[(size_t)r * p->cols + p->col_idx[e]] = p->val[e];
}

static uint32_t lower_bound(const uint16_t *cols, uint32_t first, uint32_t last, uint32_t key)
{
    while (first < last) {
        uint32_t mid = first + (last - first) / 2;
        if (cols[mid] < key)
            first = mid + 1;
        else
            last = mid;
    }
    return first;
}

void csr_row_window(const csr_plane *p, uint32_t row, uint32_t col_lo, uint32_t col_hi,
                    uint32_t *first, uint32_t *last)
{
    uint32_t b = p->row_ptr[row], e = p->row_ptr[row + 1];
    if (col_lo > col_hi) {
        *first = *last = b;
        return;
    }
    *first = lower_bound(p->col_idx, b, e, col_lo);
    *last = lower_bound(p->col_idx, *first, e, col_hi + 1);
}
