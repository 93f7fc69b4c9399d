#include "tensor.h"

#include <cstring>
#include <numeric>

#include "csr_blob.h"

namespace ant {

dense_tensor::dense_tensor(std::vector<int64_t> dims) : shape(std::move(dims))
{
    data.assign(elements(), 0.0f);
}

size_t dense_tensor::elements() const
{
    return std::accumulate(shape.begin(), shape.end(), size_t{1},
                           [](size_t a, int64_t b) { return a * size_t(b); });
}

std::string dense_tensor::shape_string() const
{
    std::string s;
    for (size_t i = 0; i < shape.size(); ++i)
        s += (i ? "x" : "") + std::to_string(shape[i]);
    return s;
}

csr_tensor::csr_tensor(const float* dense, uint32_t planes, uint32_t rows, uint32_t cols,
                       bool keep_zeros)
    : planes_(planes), rows_(rows), cols_(cols), dense_(keep_zeros), entry_offset_(planes + 1, 0),
      row_ptr_(size_t(planes) * (rows + 1), 0)
{
    const size_t plane_size = size_t(rows) * cols;
    size_t total = 0;
    for (size_t i = 0; i < plane_size * planes; ++i)
        total += keep_zeros || dense[i] != 0.0f;
    col_idx_.reserve(total);
    val_.reserve(total);
    for (uint32_t p = 0; p < planes; ++p) {
        const float* src = dense + p * plane_size;
        uint32_t* rp = &row_ptr_[size_t(p) * (rows + 1)];
        uint32_t n = 0;
        for (uint32_t r = 0; r < rows; ++r) {
            for (uint32_t c = 0; c < cols; ++c) {
                const float x = src[size_t(r) * cols + c];
                if (x == 0.0f && !keep_zeros)
                    continue;
                col_idx_.push_back(uint16_t(c));
                val_.push_back(x);
                ++n;
            }
            rp[r + 1] = n;
        }
        entry_offset_[p + 1] = entry_offset_[p] + n;
    }
}

csr_plane csr_tensor::plane(uint32_t p)
{
    const uint64_t off = entry_offset_[p];
    const uint32_t n = uint32_t(entry_offset_[p + 1] - off);
    return csr_plane{rows_, cols_, n, &row_ptr_[size_t(p) * (rows_ + 1)],
                     col_idx_.data() + off, val_.data() + off};
}

uint64_t csr_tensor::plane_bytes(uint32_t p) const
{
    return dense_ ? uint64_t(rows_) * cols_ * 4 : csr_blob_bytes(rows_, nnz(p));
}

void csr_tensor::write_plane(uint32_t p, unsigned char* dst)
{
    csr_plane view = plane(p);
    if (dense_)
        std::memcpy(dst, view.val, size_t(rows_) * cols_ * 4);  // every element is stored
    else
        csr_blob_write(view, dst);
}

}  // namespace ant
