// The ANT accelerator's compute subsystem, wired: job sequencer, CSR fetch unit,
// index-range calculator, PE array, post-processing unit and the four on-chip buffers.
//
//   job_sequencer --> dma_engine --> DRAM (dma_initiator), image/kernel/output buffers
//   job_sequencer --> csr_fetch_unit --> image/kernel buffers, index_range_calculator,
//                                        pe_array --DMI--> accumulator buffer
//   job_sequencer --> post_processing_unit --> accumulator buffer, output buffer
//   intake --> post_processing_unit (top-K pass) --> dma_engine
// Jobs enter through the intake: it hands each one to the sequencer and, for a job with
// ANT_JOB_FLAG_TOPK, has the post-processing unit run SWAT's top-K over the finished output
// before the job counts as done (its cycles and DRAM bytes include that pass).
// The DMA engine's DRAM port is the accelerator's only way out: bind dma_initiator to a
// DRAM target or to the platform bus.
#pragma once

#include <deque>
#include <string>
#include <utility>
#include <vector>

#include <systemc>

#include "accelerator_config.h"
#include "csr_fetch_unit.h"
#include "dma_engine.h"
#include "index_range_calculator.h"
#include "job_sequencer.h"
#include "pe_array.h"
#include "post_processing_unit.h"
#include "sram_buffer.h"

namespace ant {

class ant_accelerator : public sc_core::sc_module {
public:
    ant_accelerator(sc_core::sc_module_name name, const accelerator_config& config);

    // Queues a job; `done` is notified when it has finished (job->ok tells how).
    void submit(layer_job* job);
    const sc_core::sc_event& done() const { return done_; }

    // Host access to DRAM through the DMA port (no time, no counters): place tensors, read
    // results. Returns the bytes moved.
    uint64_t debug_dram(bool write, uint64_t address, void* data, uint64_t bytes)
    {
        return dma.debug_access(write, address, data, bytes);
    }

    // Every block's counters, by block name, in wiring order.
    std::vector<std::pair<std::string, statistics>> block_stats() const;
    // Records the blocks' activity on `t` (nullptr: off); see common/timeline.h.
    void set_timeline(timeline* t);
    void reset_stats();

    const accelerator_config config;
    const sc_core::sc_time clock_period;
    sram_buffer image_buffer, kernel_buffer, accumulator_buffer, output_buffer;
    index_range_calculator ranges;
    dma_engine dma;
    tlm_utils::simple_initiator_socket<dma_engine>& dma_initiator;
    pe_array array;
    csr_fetch_unit fetch;
    post_processing_unit ppu;
    job_sequencer sequencer;
    tlm_utils::simple_initiator_socket<ant_accelerator> topk_initiator;

private:
    void intake();
    void run_topk(layer_job& job);
    void record_job(const layer_job& job, sc_core::sc_time start);

    std::deque<layer_job*> queue_;
    sc_core::sc_event work_, done_;
    timeline* timeline_ = nullptr;
    uint64_t jobs_recorded_ = 0;
};

}  // namespace ant
