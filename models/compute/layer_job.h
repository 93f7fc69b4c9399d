// One layer job as the job sequencer runs it: the operation and its shape, the mode, the
// operand tensors and where the result goes. Firmware builds the same thing from a
// descriptor in DRAM; the command-line runner builds it from .npy files.
//
// Operand roles (natural layouts, as PyTorch stores them):
//   fw:   a = activation N x C x H x W,        b = weight K x C x R x S   -> N x K x Ho x Wo
//   bd:   a = output gradient N x K x Ho x Wo, b = weight K x C x R x S   -> N x C x H x W
//   bw:   a = activation N x C x H x W,        b = output gradient        -> K x C x R x S
//   spmm: a = M x K,                           b = K x N                  -> M x N
#pragma once

#include <cstdint>
#include <string>

#include "outer_product.h"
#include "tensor.h"

namespace ant {

struct layer_job {
    ant_geometry geometry{};
    uint32_t n = 1, c = 1, k = 1;  // batch, input channels, output channels (1 for spmm)
    ant_mode mode = ANT_MODE_ANT;
    // How the plane pairs are spread over the PEs: a scheduling choice made per job (the
    // configuration's pe_array.mapping policy gives the default, see mapping_for()).
    ant_mapping mapping = ANT_MAPPING_PLANAR;
    bool relu = false;
    const dense_tensor* a = nullptr;
    const dense_tensor* b = nullptr;
    dense_tensor* output = nullptr;  // shaped and filled by the sequencer

    // Results, filled in by the sequencer.
    bool ok = false;
    std::string error;
    uint64_t cycles = 0;              // job start to last output drained
    uint64_t scnn_products_issued = 0;  // what an SCNN-like array would issue on the same data
    uint64_t load_stall_cycles = 0;     // operand loads not hidden behind compute
    uint64_t drain_cycles = 0;
};

// Output tensor shape of a job.
std::vector<int64_t> layer_output_shape(const layer_job& job);

}  // namespace ant
