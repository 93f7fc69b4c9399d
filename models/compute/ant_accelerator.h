// The ANT accelerator's compute subsystem, wired: job sequencer, CSR fetch unit,
// index-range calculator, PE array, post-processing unit and the four on-chip buffers.
//
//   job_sequencer --> image/kernel buffers        (operand loads)
//   job_sequencer --> csr_fetch_unit --> image/kernel buffers, index_range_calculator,
//                                        pe_array --DMI--> accumulator buffer
//   job_sequencer --> post_processing_unit --> accumulator buffer, output buffer
//   job_sequencer --> output buffer               (read-back)
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <systemc>

#include "accelerator_config.h"
#include "csr_fetch_unit.h"
#include "index_range_calculator.h"
#include "job_sequencer.h"
#include "pe_array.h"
#include "post_processing_unit.h"
#include "sram_buffer.h"

namespace ant {

class ant_accelerator : public sc_core::sc_module {
public:
    ant_accelerator(sc_core::sc_module_name name, const accelerator_config& config);

    void submit(layer_job* job) { sequencer.submit(job); }

    // Every block's counters, by block name, in wiring order.
    std::vector<std::pair<std::string, statistics>> block_stats() const;
    void reset_stats();

    const accelerator_config config;
    const sc_core::sc_time clock_period;
    sram_buffer image_buffer, kernel_buffer, accumulator_buffer, output_buffer;
    index_range_calculator ranges;
    pe_array array;
    csr_fetch_unit fetch;
    post_processing_unit ppu;
    job_sequencer sequencer;
};

}  // namespace ant
