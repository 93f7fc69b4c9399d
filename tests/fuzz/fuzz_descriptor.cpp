// libFuzzer target: what the accelerator checks before it trusts a job descriptor's
// tensors — the layer geometry a descriptor describes (models/algo/layer_geometry.c) and a
// CSR plane blob as the fetch unit reads it from a buffer (csr_blob_bytes, csr_blob_view,
// csr_validate, then csr_to_dense and csr_row_window on what validated). A blob that
// validates must be safe to walk; anything else is a finding.
#include <cstdint>
#include <cstring>
#include <vector>

#include "csr.h"
#include "csr_blob.h"
#include "layer_geometry.h"

namespace {

std::uint32_t word(const std::uint8_t*& p, std::size_t& left)
{
    std::uint32_t v = 0;
    const std::size_t n = left < 4 ? left : 4;
    std::memcpy(&v, p, n);
    p += n;
    left -= n;
    return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::uint8_t* p = data;
    std::size_t left = size;
    // Geometry of a convolution or SPMM descriptor: fields as 16-bit values, as a
    // descriptor holds them.
    const std::uint32_t op = word(p, left) % 4;
    const std::uint32_t f[8] = {word(p, left) & 0xFFFF, word(p, left) & 0xFFFF, word(p, left) & 0xFFFF,
                                word(p, left) & 0xFFFF, word(p, left) & 0xFFFF, word(p, left) & 0xFFFF,
                                word(p, left) & 0xFFFF, word(p, left) & 0xFFFF};
    ant_geometry g;
    char msg[256];
    if (op == ANT_OP_SPMM)
        ant_geometry_spmm(&g, int32_t(f[0]), int32_t(f[1]), int32_t(f[2]), msg, sizeof msg);
    else
        ant_geometry_conv(&g, ant_op(op), int32_t(f[0]), int32_t(f[1]), int32_t(f[2]), int32_t(f[3]),
                          int32_t(f[4]), int32_t(f[5]), int32_t(f[6]), int32_t(f[7]), msg, sizeof msg);

    // A CSR plane blob: rows and cols (bounded like a descriptor's), then the blob bytes.
    const std::uint32_t rows = word(p, left) % 512 + 1, cols = word(p, left) % 512 + 1;
    std::vector<std::uint32_t> words((left + 3) / 4 + 1, 0);
    std::memcpy(words.data(), p, left);
    auto* blob = reinterpret_cast<unsigned char*>(words.data());
    const std::uint64_t bytes = left;
    if (bytes < std::uint64_t(rows + 1) * 4)
        return 0;
    const std::uint32_t nnz = reinterpret_cast<const std::uint32_t*>(blob)[rows];
    if (ant::csr_blob_bytes(rows, nnz) != bytes)
        return 0;
    const csr_plane view = ant::csr_blob_view(blob, rows, cols);
    if (csr_validate(&view, msg, sizeof msg) != CSR_OK)
        return 0;
    std::vector<float> dense(std::size_t(rows) * cols);
    csr_to_dense(&view, dense.data());
    std::uint32_t first = 0, last = 0;
    for (std::uint32_t r = 0; r < rows; ++r)
        csr_row_window(&view, r, 0, cols - 1, &first, &last);
    return 0;
}
