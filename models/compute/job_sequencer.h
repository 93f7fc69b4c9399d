// The job sequencer: takes layer jobs from its queue and runs them on the compute blocks.
// It checks the descriptor (dims, formats, addresses inside DRAM, alignment), reads the
// operands' plane tables from DRAM, plans the stationary passes of the operation, has the
// DMA engine bring each pass's planes from DRAM into the image and kernel buffers
// (reloading only what changed), groups output planes so that they fit the accumulator
// buffer, commands the fetch unit pass by pass and the post-processing unit group by group,
// and has the DMA engine write the outputs back to DRAM. The pass loop and the choice of loop
// order for passes whose kernel planes exceed the buffer are in job_sequencer_passes.cpp.
//
// Timing: operand loads are double-buffered behind the previous pass (a pass costs the
// longer of its compute and the next load); drains and write-backs are serial. An initiator
// with a quantum keeper, so its local time runs ahead of the kernel within the quantum.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "common/statistics.h"
#include "common/timeline.h"
#include "csr_blob.h"
#include "csr_fetch_unit.h"
#include "dataflow.h"
#include "dma_engine.h"
#include "layer_job.h"
#include "plane_placement.h"

namespace ant {

struct sequencer_limits {
    uint64_t image = 0, kernel = 0, accumulator = 0, output = 0;  // buffer capacities, bytes
    uint64_t dram_base = 0x80000000u, dram_size = uint64_t(1) << 30;
    // Not limits but the one dataflow choice the sequencer makes itself: which operand a
    // BW job in mode scnn / ant tiles (it decides which tensor is fetched as the image).
    ant_bw_stationary scnn_bw_stationary = ANT_BW_STATIONARY_ACTIVATION;
    ant_bw_stationary ant_bw_tiling = ANT_BW_STATIONARY_ACTIVATION;
};

class job_sequencer : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<job_sequencer> dma_initiator;
    tlm_utils::simple_initiator_socket<job_sequencer> fetch_initiator;
    tlm_utils::simple_initiator_socket<job_sequencer> pe_initiator;
    tlm_utils::simple_initiator_socket<job_sequencer> ppu_initiator;

    job_sequencer(sc_core::sc_module_name name, const sequencer_limits& limits, sc_core::sc_time clock_period);

    // Queues a job; `done` is notified when it finishes (job->ok tells how).
    void submit(layer_job* job);
    const sc_core::sc_event& done() const { return done_; }
    bool idle() const { return queue_.empty() && !busy_; }

    statistics stats() const;
    void reset_stats();

    // Records the PE array's passes and stalls, and drains on `t` (nullptr: off).
    void set_timeline(timeline* t);

    // A tensor in DRAM as the sequencer sees it once its plane table is read.
    struct dram_tensor {
        ant_tensor_desc d{};
        std::vector<uint32_t> offsets;  // CSR: planes + 1 entry offsets
        bool dense() const { return d.format == ANT_FORMAT_DENSE; }
        // Inline: asked for every plane of every pass.
        uint64_t nnz(uint32_t p) const { return dense() ? uint64_t(d.rows) * d.cols : offsets[p + 1] - offsets[p]; }
        uint64_t plane_bytes(uint32_t p) const
        {
            return dense() ? uint64_t(d.rows) * d.cols * 4 : csr_blob_bytes(d.rows, nnz(p));
        }
    };

private:
    // A pass of the plan: one stationary plane and the (broadcast plane, output plane) pairs it meets.
    struct pass_plan {
        uint32_t stationary = 0;
        std::vector<std::pair<uint32_t, uint32_t>> pairs;
    };
    // A pass restricted to the outputs of the current accumulator group; `lanes` keeps each
    // pair's position in the full pass, which the PE array's per-lane state is keyed by.
    struct group_pass {
        uint32_t stationary = 0;
        std::vector<std::pair<uint32_t, uint32_t>> pairs;
        std::vector<uint32_t> lanes;
        uint64_t broadcast_bytes = 0;
    };
    struct job_error {
        ant_error code;
        std::string text;
    };
    void run();
    void execute(layer_job& job);
    void check_descriptor(layer_job& job);
    void check_range(uint64_t address, uint64_t bytes, uint32_t align, const char* what);
    void read_tensor(dram_tensor& t, const char* what);
    void run_drain_set(layer_job& job, const std::vector<uint32_t>& outputs, const std::vector<pass_plan>& passes);
    // passes[0, n_passes) are the group's (the vector keeps storage beyond them).
    void run_passes(layer_job& job, const std::vector<group_pass>& passes, size_t n_passes,
                    const std::vector<int32_t>& slot, uint64_t out_plane_bytes);
    void run_chunked_passes(layer_job& job, const std::vector<group_pass>& passes, size_t n_passes, size_t first,
                            size_t last,
                            const std::vector<int32_t>& slot, uint64_t out_plane_bytes);
    void issue_pass(layer_job& job, const std::vector<group_pass>& passes, size_t pi, size_t lookahead_end, size_t p0,
                    size_t p1, const std::vector<buffer_plane>& planes, sc_core::sc_time load,
                    const std::vector<int32_t>& slot, uint64_t out_plane_bytes);
    void drain_group(layer_job& job, const std::vector<uint32_t>& outputs, size_t g0, size_t g1, uint64_t out_plane_bytes);
    void advance(sc_core::sc_time load);
    void load_planes(const dram_tensor& t, const std::vector<uint32_t>& planes, dma_buffer buffer,
                     uint32_t kind, sc_core::sc_time& delay);
    void order_planes(const std::vector<uint32_t>& planes);
    void write_outputs(layer_job& job, uint32_t first_output, uint32_t count, const std::vector<uint32_t>& nnz,
                       uint64_t bytes, sc_core::sc_time& delay);
    template <typename PlanesOf>
    const std::vector<uint32_t>& prefetch_group(size_t passes, uint64_t capacity, const dram_tensor& t,
                                                PlanesOf planes_of);
    sc_core::sc_time load_group(const dram_tensor& t, const std::vector<uint32_t>& group, dma_buffer buffer,
                                uint32_t kind, plane_placement& placed);
    [[noreturn]] void fail(ant_error code, const std::string& text);

    sequencer_limits limits_;
    sc_core::sc_time clock_;
    tlm_utils::tlm_quantumkeeper qk_;
    std::deque<layer_job*> queue_;
    sc_core::sc_event work_, done_;
    bool busy_ = false;
    uint32_t job_id_ = 0;

    // Per-job working state.
    ant_geometry g_{};
    uint32_t n_ = 1, c_ = 1, k_ = 1;
    dram_tensor stationary_, broadcast_, output_;
    plane_placement stationary_at_;  // stationary plane -> image buffer address
    plane_placement resident_at_;    // broadcast plane -> kernel buffer address
    // Scratch reused from pass to pass (a deep layer at a large batch has thousands of passes
    // of tiny planes, where allocating these each time would cost more than the pass).
    std::vector<uint32_t> group_, pass_planes_, group_extra_;
    std::vector<uint8_t> chosen_;  // by plane: already in group_ (all zero between calls)
    std::vector<group_pass> group_passes_;
    std::vector<dma_segment> segments_;
    std::vector<uint64_t> plane_offsets_;
    std::vector<uint64_t> plane_order_;
    std::vector<uint64_t> plane_bits_;   // order_planes: the group's planes as a bitmap
    std::vector<uint32_t> plane_slot_;   // order_planes: by plane, its position in the group
    std::vector<buffer_plane> buffer_planes_;
    std::vector<uint64_t> pass_acc_;
    std::vector<uint32_t> pass_ids_, pass_plane_ids_;
    sc_core::sc_time previous_pass_;
    uint64_t psums_reported_ = 0;
    uint64_t output_entries_ = 0;  // CSR entries written to the output so far
    uint64_t dram_read_ = 0, dram_write_ = 0;  // bytes this job moved

    timeline* timeline_ = nullptr;
    timeline::track_id pe_track_ = 0, drain_track_ = 0;
    sc_core::sc_time absolute_now() const { return sc_core::sc_time_stamp() + qk_.get_local_time(); }

    uint64_t jobs_ = 0, failed_ = 0, passes_ = 0, stationary_loads_ = 0, broadcast_loads_ = 0;
    uint64_t cycles_ = 0, load_stall_cycles_ = 0, drain_cycles_ = 0, output_groups_ = 0;
    uint64_t chunk_outer_runs_ = 0;
};

}  // namespace ant
