// The job sequencer: takes layer jobs from its queue and runs them on the compute blocks.
// It plans the stationary passes of the operation, places operands in the image and kernel
// buffers (reloading only what changed), groups output planes so that they fit the
// accumulator buffer, commands the fetch unit pass by pass and the post-processing unit
// plane by plane, and reads the compressed outputs back.
//
// Timing: operand loads are double-buffered behind the previous pass (a pass costs the
// longer of its compute and the next load); drains are serial. An initiator with a quantum
// keeper, so its local time runs ahead of the kernel within the quantum.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "common/statistics.h"
#include "csr_blob.h"
#include "layer_job.h"
#include "pe_array.h"

namespace ant {

struct buffer_capacities {
    uint64_t image = 0, kernel = 0, accumulator = 0, output = 0;
};

class job_sequencer : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<job_sequencer> image_initiator;
    tlm_utils::simple_initiator_socket<job_sequencer> kernel_initiator;
    tlm_utils::simple_initiator_socket<job_sequencer> output_initiator;
    tlm_utils::simple_initiator_socket<job_sequencer> fetch_initiator;
    tlm_utils::simple_initiator_socket<job_sequencer> pe_initiator;
    tlm_utils::simple_initiator_socket<job_sequencer> ppu_initiator;

    job_sequencer(sc_core::sc_module_name name, const buffer_capacities& capacities,
                  sc_core::sc_time clock_period);

    // Queues a job; `done` is notified when it finishes (job->ok tells how).
    void submit(layer_job* job);
    const sc_core::sc_event& done() const { return done_; }
    bool idle() const { return queue_.empty() && !busy_; }

    statistics stats() const;
    void reset_stats();

private:
    struct pass_plan;
    void run();
    void execute(layer_job& job);
    bool check_operands(layer_job& job);
    void run_drain_set(layer_job& job, const std::vector<uint32_t>& outputs,
                       const std::vector<pass_plan>& passes);

    buffer_capacities capacities_;
    sc_core::sc_time clock_;
    tlm_utils::tlm_quantumkeeper qk_;
    std::deque<layer_job*> queue_;
    sc_core::sc_event work_, done_;
    bool busy_ = false;
    uint32_t job_id_ = 0;

    // Per-job working state.
    csr_tensor stationary_, broadcast_;
    std::vector<uint64_t> stationary_nonzeros_, broadcast_nonzeros_;
    int64_t resident_stationary_ = -1;
    std::vector<uint32_t> resident_broadcasts_;
    sc_core::sc_time job_time_, previous_pass_;
    uint64_t psums_reported_ = 0;
    std::string failure_;

    uint64_t jobs_ = 0, passes_ = 0, stationary_loads_ = 0, broadcast_loads_ = 0;
    uint64_t cycles_ = 0, load_stall_cycles_ = 0, drain_cycles_ = 0, output_groups_ = 0;
};

}  // namespace ant
