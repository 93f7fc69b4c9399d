// One layer job as the job sequencer runs it: a job descriptor (sw/include/ant_accel.h)
// whose tensors live in DRAM, and the results the sequencer reports back. Firmware writes
// the descriptor into DRAM and the register file reads it; the command-line runner places
// the tensors in DRAM and fills the descriptor itself.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ant_accel.h"
#include "outer_product.h"

namespace ant {

struct layer_job {
    ant_job_desc desc{};
    uint64_t desc_address = 0;  // where the descriptor's status word is written back (0: nowhere)

    // Results, filled in by the sequencer.
    bool ok = false;
    ant_error error_code = ANT_ERR_NONE;
    std::string error;                  // one line, for people
    ant_geometry geometry{};            // the shape it ran (valid when ok)
    uint64_t cycles = 0;                // job start to output written back
    uint64_t vector_pairs = 0;
    uint64_t products_valid = 0;
    uint64_t products_rcp = 0;
    uint64_t scnn_products_issued = 0;  // what an SCNN-like array would issue on the same data
    uint64_t dram_read_bytes = 0;
    uint64_t dram_write_bytes = 0;
    uint64_t load_stall_cycles = 0;     // operand loads not hidden behind compute
    uint64_t drain_cycles = 0;          // post-processing and write-back
};

// Helpers for hosts that build descriptors (runner, tests).
ant_mode mode_of(const ant_job_desc& d);
ant_mapping mapping_of(const ant_job_desc& d);

}  // namespace ant
