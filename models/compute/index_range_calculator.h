// The index-range calculator: for each broadcast vector, the window of stationary rows and
// columns that can yield a valid product (models/algo/index_range.h does the arithmetic).
// A pipelined block: a batch of vectors costs its latency plus one cycle per
// `vectors_per_cycle` vectors.
#pragma once

#include <cstdint>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "common/statistics.h"
#include "index_range.h"
#include "vector_pack.h"

namespace ant {

struct range_request {
    const ant_geometry* geometry = nullptr;
    const ant_vector* vectors = nullptr;
    uint32_t count = 0;
    ant_window* windows = nullptr;  // out: count entries
    uint32_t streams = 1;           // independent vector streams the batch holds
};

struct index_range_calculator_config {
    uint32_t units = 64;              // calculators; ANT's is small enough for one per PE
    uint32_t vectors_per_cycle = 1;   // per unit
    uint32_t latency_cycles = 2;
};

class index_range_calculator : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<index_range_calculator> range_target;

    index_range_calculator(sc_core::sc_module_name name,
                           const index_range_calculator_config& config,
                           sc_core::sc_time clock_period);

    statistics stats() const;
    void reset_stats();

private:
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

    index_range_calculator_config config_;
    sc_core::sc_time clock_;
    uint64_t vectors_ = 0, empty_windows_ = 0, batches_ = 0, window_cells_ = 0;
};

}  // namespace ant
