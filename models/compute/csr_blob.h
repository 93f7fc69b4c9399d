// The byte layout of one CSR plane inside an on-chip buffer (and in DRAM):
//   row_ptr[rows + 1] u32 | col_idx[nnz] u16, padded to 4 bytes | val[nnz] f32
// Everything is 4-byte aligned so a reader can view the bytes in place.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "csr.h"

namespace ant {

inline uint64_t csr_blob_bytes(uint32_t rows, uint64_t nnz)
{
    return uint64_t(rows + 1) * 4 + (nnz * 2 + 3) / 4 * 4 + nnz * 4;
}

inline void csr_blob_write(const csr_plane& p, unsigned char* dst)
{
    const uint64_t nnz = csr_nnz(&p);
    std::memcpy(dst, p.row_ptr, size_t(p.rows + 1) * 4);
    dst += size_t(p.rows + 1) * 4;
    // An all-zero plane may have no entry arrays at all (null pointers), and memcpy from
    // null is undefined even for zero bytes.
    if (nnz == 0)
        return;
    std::memcpy(dst, p.col_idx, size_t(nnz) * 2);
    dst += (nnz * 2 + 3) / 4 * 4;
    std::memcpy(dst, p.val, size_t(nnz) * 4);
}

// A plane viewing a blob held in 4-byte-aligned memory.
inline csr_plane csr_blob_view(unsigned char* blob, uint32_t rows, uint32_t cols)
{
    csr_plane p{};
    p.rows = rows;
    p.cols = cols;
    p.row_ptr = reinterpret_cast<uint32_t*>(blob);
    const uint32_t nnz = p.row_ptr[rows];
    p.capacity = nnz;
    p.col_idx = reinterpret_cast<uint16_t*>(blob + size_t(rows + 1) * 4);
    p.val = reinterpret_cast<float*>(blob + size_t(rows + 1) * 4 + (uint64_t(nnz) * 2 + 3) / 4 * 4);
    return p;
}

// Scratch bytes with 4-byte alignment for reading blobs out of a buffer.
class blob_buffer {
public:
    unsigned char* reserve(uint64_t bytes)
    {
        words_.resize(size_t((bytes + 3) / 4));
        return reinterpret_cast<unsigned char*>(words_.data());
    }
    const unsigned char* data() const { return reinterpret_cast<const unsigned char*>(words_.data()); }

private:
    std::vector<uint32_t> words_;
};

}  // namespace ant
