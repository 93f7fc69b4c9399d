// The DMA engine: moves CSR arrays and dense arrays between DRAM and the on-chip buffers in
// bursts, keeping several requests outstanding so that DRAM latency overlaps.
//
// A command gathers DRAM segments into one contiguous buffer region (operand loads) or
// scatters a buffer region into DRAM segments (output write-back). Timing is loosely timed:
// burst i is issued when burst i - outstanding has completed; each burst's completion is
// what the DRAM target adds to the delay, so DRAM bandwidth and latency (and its row-buffer
// behaviour) decide the transfer time.
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

#include "common/statistics.h"
#include "common/timeline.h"

namespace ant {

enum class dma_buffer { image = 0, kernel = 1, output = 2 };

struct dma_segment {
    uint64_t dram_address = 0;
    uint64_t bytes = 0;
    uint64_t buffer_offset = 0;  // relative to the command's buffer_address
};

struct dma_command {
    bool to_dram = false;        // false: DRAM -> buffer, true: buffer -> DRAM
    dma_buffer buffer = dma_buffer::image;
    unsigned char* local = nullptr;  // if set: the requester's own small memory instead of a buffer
    uint64_t buffer_address = 0;
    uint64_t buffer_bytes = 0;   // size of the buffer region the segments fall in
    const dma_segment* segments = nullptr;
    uint32_t n_segments = 0;
    uint32_t tensor_kind = 0;    // index into the per-kind byte counters (see dma_tensor_kind)
    // out
    uint64_t dram_bytes = 0;
    bool bus_error = false;      // a DRAM access failed (address error)
};

// What a transfer carries, for the DRAM traffic statistics.
enum dma_tensor_kind : uint32_t { dma_stationary = 0, dma_broadcast = 1, dma_output = 2, dma_metadata = 3, dma_kinds = 4 };

struct dma_engine_config {
    uint32_t burst_bytes = 64;  // one DRAM burst per request
    uint32_t outstanding = 64;  // requests in flight
};

class dma_engine : public sc_core::sc_module {
public:
    // Commands from the job sequencer and from the post-processing unit's top-K pass.
    tlm_utils::multi_passthrough_target_socket<dma_engine> command_target;
    tlm_utils::simple_initiator_socket<dma_engine> dram_initiator;
    tlm_utils::simple_initiator_socket<dma_engine> image_initiator;
    tlm_utils::simple_initiator_socket<dma_engine> kernel_initiator;
    tlm_utils::simple_initiator_socket<dma_engine> output_initiator;

    dma_engine(sc_core::sc_module_name name, const dma_engine_config& config, sc_core::sc_time clock_period);

    // Host/debugger access to DRAM through this engine's port (debug transport: no time, no
    // counters), used to place tensors before a job and read results after it. Returns the
    // bytes moved.
    uint64_t debug_access(bool write, uint64_t address, void* data, uint64_t bytes);

    uint64_t read_bytes() const { return read_bytes_[0] + read_bytes_[1] + read_bytes_[2] + read_bytes_[3]; }
    uint64_t write_bytes() const { return write_bytes_[0] + write_bytes_[1] + write_bytes_[2] + write_bytes_[3]; }
    statistics stats() const;
    void reset_stats();

    // Records one slice per command (a burst group, never one per burst) on `t`, a track per
    // kind of tensor (nullptr: off).
    void set_timeline(timeline* t);

private:
    void b_transport(int from, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    bool run(dma_command& cmd, sc_core::sc_time& delay);
    bool bursts(bool write, uint64_t address, unsigned char* data, uint64_t bytes, uint32_t kind,
                sc_core::sc_time start, sc_core::sc_time& end);
    tlm_utils::simple_initiator_socket<dma_engine>& buffer_socket(dma_buffer b);

    dma_engine_config config_;
    sc_core::sc_time clock_;
    std::vector<unsigned char> staging_;
    // Reused from command to command and burst to burst: a deep layer issues thousands of
    // small gathers, and a generic payload allocates its extension array when constructed.
    std::vector<dma_segment> order_;
    std::vector<unsigned char> run_data_;
    tlm::tlm_generic_payload burst_trans_;
    std::vector<sc_core::sc_time> in_flight_;  // completion times of the last requests
    size_t issued_ = 0;
    uint64_t read_bytes_[dma_kinds] = {}, write_bytes_[dma_kinds] = {};
    uint64_t bursts_ = 0, commands_ = 0, bus_errors_ = 0;
    sc_core::sc_time busy_;
    timeline* timeline_ = nullptr;
    timeline::track_id tracks_[dma_kinds] = {};
};

}  // namespace ant
