// The CSR fetch unit: reads the stationary plane and the broadcast planes of one pass out
// of the image and kernel buffers, packs broadcast non-zeros into F-wide vectors, asks the
// index-range calculator for each vector's window (ANT only) and hands the batch to the PE
// array, whose fetch stage then reads only the entries inside each window (ANT) or the
// whole tile (SCNN-like).
//
// Fetching and multiplying are pipelined in hardware: a pass costs the longer of the two.
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "common/statistics.h"
#include "csr_blob.h"
#include "outer_product.h"

namespace ant {

// A CSR plane stored in a buffer in the csr_blob layout.
struct buffer_plane {
    uint64_t address = 0;
    uint64_t bytes = 0;
};

struct fetch_command {
    uint32_t job_id = 0;
    const ant_geometry* geometry = nullptr;
    ant_mode mode = ANT_MODE_ANT;
    bool stationary_dense = false;  // planes stored as plain rows x cols floats, not CSR blobs
    bool broadcast_dense = false;
    ant_mapping mapping = ANT_MAPPING_PLANAR;
    uint32_t n_outputs = 0;
    buffer_plane stationary;                      // in the image buffer
    const buffer_plane* broadcasts = nullptr;     // in the kernel buffer
    const uint64_t* output_addresses = nullptr;   // accumulator buffer, per broadcast plane
    const uint32_t* output_ids = nullptr;         // per broadcast plane
    const uint32_t* lanes = nullptr;              // per broadcast plane: position in the pass
    const uint32_t* plane_ids = nullptr;          // per broadcast plane: index in its tensor (optional)
    uint32_t n_broadcasts = 0;
    // out
    ant_counters counters{};
    bool bad_tensor = false;    // a CSR plane broke its invariants (the pass did not run)
    uint64_t scnn_products = 0; // non-zero pairs an SCNN-like array would multiply in this pass
    uint64_t fetch_cycles = 0;  // buffer reads and range computation
    uint64_t array_cycles = 0;  // PE array
};

struct csr_fetch_unit_config {
    uint32_t broadcast_width = 4;   // F
    bool row_bounded_vectors = true;
    // Independent broadcast streams the array consumes per job kind: 1 under planar
    // mapping (one broadcast bus), one per PE under channel mapping. The range calculator
    // serves that many streams in parallel (up to its unit count).
    uint32_t planar_streams = 1;
    uint32_t channel_streams = 64;
    // Which dataflow the outer-product modes use (the PE array's parameters): the
    // cross-channel dataflows read whole planes and need no packed broadcast vectors.
    ant_anticipator anticipator = ANT_ANTICIPATOR_PE;
    ant_scnn_packing scnn_packing = ANT_SCNN_CROSS_CHANNEL;
    // How SCNN maps SPMM decides its reference count of issued products.
    ant_scnn_spmm scnn_spmm = ANT_SCNN_SPMM_CONTRACTION;
};

class csr_fetch_unit : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<csr_fetch_unit> command_target;
    tlm_utils::simple_initiator_socket<csr_fetch_unit> image_initiator;
    tlm_utils::simple_initiator_socket<csr_fetch_unit> kernel_initiator;
    tlm_utils::simple_initiator_socket<csr_fetch_unit> range_initiator;
    tlm_utils::simple_initiator_socket<csr_fetch_unit> pe_initiator;

    csr_fetch_unit(sc_core::sc_module_name name, const csr_fetch_unit_config& config,
                   sc_core::sc_time clock_period);

    statistics stats() const;
    void reset_stats();

private:
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    bool run(fetch_command& cmd, sc_core::sc_time& delay);
    bool view_broadcasts(const fetch_command& cmd, unsigned char* blob, uint64_t base, bool skip_empty);

    csr_fetch_unit_config config_;
    sc_core::sc_time clock_;
    blob_buffer stationary_bytes_;
    // One streaming read per pass, into the blob the current views do not point into: when a
    // pass reads the same planes at the same places and finds the same bytes as the pass
    // before (a weight-gradient job's output-gradient planes meet every input channel of a
    // sample), the views, their validation and their non-zero count are the previous pass's.
    blob_buffer broadcast_bytes_[2];
    int live_blob_ = 0;
    struct broadcast_key {
        std::vector<buffer_plane> planes;
        uint32_t rows = 0, cols = 0;
        uint64_t span = 0;
        bool stored_dense = false, skip_empty = false, valid = false;
        ant_mode mode = ANT_MODE_DENSE;
    } viewed_;
    uint64_t viewed_nonzeros_ = 0;  // non-zero values of the viewed planes (SCNN's count)
    std::vector<csr_plane> broadcast_planes_;
    // A dense plane seen as CSR with every element stored: one index pattern per shape.
    struct dense_pattern {
        std::vector<uint32_t> row_ptr;
        std::vector<uint16_t> col_idx;
        csr_plane view(float* values, uint32_t rows, uint32_t cols);
    } stationary_pattern_, broadcast_pattern_;
    // Planes whose stored format is not the one the mode computes on (a dense array reading
    // CSR, a sparse mode reading dense values) go through the fetch path's format converter.
    struct converted_plane {
        std::vector<uint32_t> row_ptr;
        std::vector<uint16_t> col_idx;
        std::vector<float> val;
    };
    std::vector<converted_plane> converted_;
    bool view_plane(unsigned char* stored, uint64_t bytes, bool stored_dense, ant_mode mode, uint32_t rows,
                    uint32_t cols, dense_pattern& pattern, converted_plane& scratch, csr_plane& view);
    std::vector<ant_vector> vectors_;
    std::vector<ant_window> windows_;
    std::vector<ant_broadcast_job> jobs_;
    // The dataflows that stream whole planes (SCNN+, ANT's per-PE anticipator) get only the
    // planes with entries: an empty CSR plane adds no kernel entry, and a pass of a 1x1 layer
    // holds hundreds of them.
    std::vector<uint8_t> empty_;
    std::vector<uint64_t> job_outputs_;
    uint64_t commands_ = 0, vectors_packed_ = 0, fetch_bound_cycles_ = 0;
};

}  // namespace ant
