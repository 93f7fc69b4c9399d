// The accelerator's configuration: one typed struct per block, defaults in one place, and
// hierarchical keys ("pe_array.f", "kernel_buffer.capacity_bytes") to set any of them from
// JSON or the command line. Unknown keys and bad values raise ant::config_error naming the
// key.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "csr_fetch_unit.h"
#include "dataflow.h"
#include "dma_engine.h"
#include "index_range_calculator.h"
#include "outer_product.h"
#include "pe_array.h"
#include "post_processing_unit.h"
#include "worker_pool.h"
#include "sram_buffer.h"

namespace ant {

struct accelerator_config {
    double clock_ghz = 1.0;       // SCNN and ANT are evaluated at ~1 GHz
    double quantum_ns = 1000.0;   // temporal-decoupling quantum
    // Host threads the PE array computes a pass on (SystemC itself stays on one); every count
    // gives the same statistics and tensors. Default: every online processor.
    uint32_t threads = ant_online_cpus();
    // The DRAM window the accelerator may address (the platform's DRAM).
    uint64_t dram_base = 0x80000000u;
    uint64_t dram_size = uint64_t(1) << 30;
    dma_engine_config dma{};
    // SCNN's PT-IS-CP-sparse organisation: 8x8 PEs, 4x4 multipliers, 2*F*I banks, a
    // 50-entry weight FIFO (Parashar et al., ISCA 2017).
    // ANT's anticipator per PE as the paper builds it, reading k = 16 kernel indices a cycle
    // (assumed: one 256-bit read of 16-bit indices), a 2-cycle range pipeline, a kernel-buffer
    // port per PE (replicated read path); SCNN's cross-channel weight packing; SPMM in
    // mode scnn as SCNN runs a fully-connected layer (a 1x1 convolution, one contraction
    // index per pass).
    ant_array_params array{8, 8, 4, 4, 32, 50, 1, 1, ANT_MAPPING_PLANAR,
                           ANT_ANTICIPATOR_PE, ANT_SCNN_CROSS_CHANNEL, 16, 2, 1,
                           ANT_SCNN_SPMM_CONTRACTION};
    mapping_policy mapping = mapping_policy::planar;
    // SCNN+ in BW tiles the activations, as the paper's roles draw it (docs/compute_model.md, dataflow).
    ant_bw_stationary scnn_bw_stationary = ANT_BW_STATIONARY_ACTIVATION;
    ant_bw_stationary ant_bw_tiling = ANT_BW_STATIONARY_ACTIVATION;  // ANT as the paper draws it
    csr_fetch_unit_config fetch{};
    index_range_calculator_config ranges{};
    post_processing_unit_config ppu{};
    // SCNN: 10 KB input and 10 KB output RAM per PE (64 PEs), so every buffer is 64 banks,
    // one per PE. The kernel buffer's size and its banking (so that a channel-parallel
    // mapping can feed every PE its own vector stream) are assumed.
    sram_buffer_config image_buffer{64 * 10 * 1024, 64, 64, 2};
    sram_buffer_config kernel_buffer{512 * 1024, 64, 64, 2};
    sram_buffer_config accumulator_buffer{64 * 10 * 1024, 64, 64, 2};
    sram_buffer_config output_buffer{64 * 10 * 1024, 64, 64, 2};
};

void set_accelerator_key(accelerator_config& config, const std::string& key,
                         const nlohmann::json& value);
std::vector<std::string> accelerator_config_keys();
nlohmann::json to_json(const accelerator_config& config);

}  // namespace ant
