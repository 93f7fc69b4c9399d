// Host-side tensors: a dense float32 array with its shape (what .npy files and the dense
// reference use) and the per-plane CSR form the accelerator reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "csr.h"

namespace ant {

struct dense_tensor {
    std::vector<int64_t> shape;
    std::vector<float> data;

    dense_tensor() = default;
    explicit dense_tensor(std::vector<int64_t> dims);
    size_t elements() const;
    std::string shape_string() const;  // "2x3x4"
};

// planes x (rows x cols) planes, each in CSR. All planes share one allocation per array,
// as in DRAM: plane p's entries are [entry_offset[p], entry_offset[p + 1]).
class csr_tensor {
public:
    csr_tensor() = default;
    // Compresses `planes` consecutive row-major planes of rows x cols floats. When
    // keep_zeros is set every element is stored (the view a dense array has), and the
    // plane's stored form is plain dense values rather than the CSR blob.
    csr_tensor(const float* dense, uint32_t planes, uint32_t rows, uint32_t cols,
               bool keep_zeros = false);

    uint32_t planes() const { return planes_; }
    uint32_t rows() const { return rows_; }
    uint32_t cols() const { return cols_; }
    uint64_t nnz() const { return val_.size(); }
    uint64_t nnz(uint32_t plane) const { return entry_offset_[plane + 1] - entry_offset_[plane]; }

    // A view of one plane (pointers into this tensor; valid while it lives).
    csr_plane plane(uint32_t p);

    bool dense_storage() const { return dense_; }

    // Bytes the plane occupies in a buffer or DRAM: the csr_blob layout, or rows x cols
    // floats for dense storage.
    uint64_t plane_bytes(uint32_t p) const;

    // Writes the plane's stored form (plane_bytes(p) bytes) to dst.
    void write_plane(uint32_t p, unsigned char* dst);

private:
    uint32_t planes_ = 0, rows_ = 0, cols_ = 0;
    bool dense_ = false;
    std::vector<uint64_t> entry_offset_;  // planes + 1
    std::vector<uint32_t> row_ptr_;       // planes * (rows + 1), relative to the plane
    std::vector<uint16_t> col_idx_;
    std::vector<float> val_;
};

}  // namespace ant
