// The post-processing unit: drains a finished output plane out of the accumulator buffer,
// merges the halo / cross-PE partial sums, applies ReLU if asked, compresses the plane to
// CSR and writes it to the output buffer. For a job with ANT_JOB_FLAG_TOPK it then runs
// SWAT's top-K over the whole output tensor in DRAM (post_processing_topk.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "ant_accel.h"
#include "common/statistics.h"
#include "csr_blob.h"

namespace ant {

// Drains `planes` consecutive dense fp32 planes of the accumulator buffer in one stream and
// writes their CSR blobs back to back into the output buffer.
struct drain_command {
    uint64_t accumulator_address = 0;  // first plane
    uint32_t planes = 1;
    uint32_t rows = 0, cols = 0;
    bool relu = false;
    uint64_t merged_psums = 0;         // partial sums from other PEs to merge first
    uint64_t output_address = 0;       // where the first CSR blob goes in the output buffer
    uint64_t output_capacity = 0;      // bytes available there
    bool dense_output = false;         // write plain rows x cols floats instead of CSR blobs
    uint32_t* plane_nnz = nullptr;     // out, `planes` entries: non-zeros per plane
    // out
    uint64_t nnz = 0;
    uint64_t output_bytes = 0;         // all blobs
    bool overflow = false;             // the compressed planes did not fit
};

// SWAT's top-K over a job's finished output tensor in DRAM: keep the `k` largest
// magnitudes of all its planes together (topk_selection.h), drop the rest. The unit reads
// the tensor back through its DMA port, selects in one streaming pass, and rewrites it: a CSR
// tensor compacted (plane table, row pointers, column indices, values), a DENSE one with the
// dropped elements cleared. Nothing is rewritten when the tensor has at most k non-zeros.
struct topk_command {
    ant_tensor_desc out{};
    uint32_t k = 0;
    // out
    uint64_t candidates = 0;           // non-zeros before the selection
    uint64_t kept = 0;
    uint64_t dram_read_bytes = 0, dram_write_bytes = 0;
    bool bus_error = false;            // a DMA transfer failed
    bool bad_tensor = false;           // the CSR arrays in DRAM are inconsistent
};

struct post_processing_unit_config {
    uint32_t lanes = 64;  // elements processed per cycle (one lane per PE)
};

class post_processing_unit : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<post_processing_unit> drain_target;
    tlm_utils::simple_initiator_socket<post_processing_unit> accumulator_initiator;
    tlm_utils::simple_initiator_socket<post_processing_unit> output_initiator;
    tlm_utils::simple_target_socket<post_processing_unit> topk_target;
    tlm_utils::simple_initiator_socket<post_processing_unit> dma_initiator;  // to the DMA engine

    post_processing_unit(sc_core::sc_module_name name, const post_processing_unit_config& config,
                         sc_core::sc_time clock_period);

    statistics stats() const;
    void reset_stats();

private:
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    bool drain(drain_command& cmd, sc_core::sc_time& delay);
    void topk_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    void topk(topk_command& cmd, sc_core::sc_time& delay);
    void topk_dense(topk_command& cmd, sc_core::sc_time& delay);
    void topk_csr(topk_command& cmd, sc_core::sc_time& delay);
    bool dram(topk_command& cmd, bool write, uint32_t address, void* data, uint64_t bytes, uint32_t kind,
              sc_core::sc_time& delay);
    void stream_cycles(uint64_t elements, sc_core::sc_time& delay);

    post_processing_unit_config config_;
    sc_core::sc_time clock_;
    std::vector<float> plane_;
    std::vector<float> zeros_;        // written to the accumulators to clear them; only grows
    std::vector<unsigned char> out_;  // the drained planes, kept from drain to drain
    std::vector<uint32_t> row_ptr_;
    std::vector<uint16_t> col_idx_;
    std::vector<float> val_;
    blob_buffer blob_;
    uint64_t planes_ = 0, elements_ = 0, nnz_out_ = 0, relu_zeroed_ = 0, cycles_ = 0;
    uint64_t topk_jobs_ = 0, topk_dropped_ = 0, topk_cycles_ = 0;
};

}  // namespace ant
