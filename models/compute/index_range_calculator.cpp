#include "index_range_calculator.h"

#include <algorithm>

#include "command_extension.h"

namespace ant {

index_range_calculator::index_range_calculator(sc_core::sc_module_name name,
                                               const index_range_calculator_config& config,
                                               sc_core::sc_time clock_period)
    : sc_module(name), range_target("range_target"), config_(config), clock_(clock_period)
{
    range_target.register_b_transport(this, &index_range_calculator::b_transport);
}

void index_range_calculator::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay)
{
    range_request* req = command_extension<range_request>::of(trans);
    if (req == nullptr || req->geometry == nullptr || (req->count > 0 && !req->windows)) {
        trans.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
    }
    for (uint32_t v = 0; v < req->count; ++v) {
        const ant_vector& vec = req->vectors[v];
        ant_window& w = req->windows[v];
        ant_index_window(req->geometry, vec.row0, vec.row1, vec.col0, vec.col1, &w);
        const int32_t cells = ant_range_count(w.rows) * ant_range_count(w.cols);
        empty_windows_ += cells == 0;
        window_cells_ += uint64_t(cells);
    }
    vectors_ += req->count;
    ++batches_;
    // One broadcast stream keeps one unit busy; several streams spread over the units.
    const uint64_t rate = uint64_t(config_.vectors_per_cycle) * std::max(1u, std::min(config_.units, req->streams));
    const uint64_t cycles = config_.latency_cycles + (req->count + rate - 1) / rate;
    delay += clock_ * double(cycles);
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

statistics index_range_calculator::stats() const
{
    return {
        {"vectors", double(vectors_), "vectors", "broadcast vectors whose window was computed"},
        {"empty_windows", double(empty_windows_), "vectors",
         "vectors with no stationary index in range (never fetched)"},
        {"window_cells", double(window_cells_), "cells",
         "stationary positions covered by the windows, summed"},
        {"batches", double(batches_), "transactions", "range requests served"},
    };
}

void index_range_calculator::reset_stats() { vectors_ = empty_windows_ = batches_ = window_cells_ = 0; }

}  // namespace ant
