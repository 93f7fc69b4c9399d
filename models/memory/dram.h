// ant::dram — the DRAM as a loosely-timed TLM-2.0 target.
//
// One plain simple_target_socket (mem_target), so DRAMSys or another TLM DRAM model can
// replace it. b_transport never waits: it computes the transaction's arrival time
// (sc_time_stamp() + delay), asks the timing model (dram_timing) when the data is done
// against what its controller has booked, and adds the difference to delay. Back-to-back
// requests of a temporally decoupled initiator therefore see queueing and bandwidth limits;
// a full controller queue shows as a longer returned delay (backpressure, docs/dram.md).
// Data lives in a sparse_storage; transport_dbg loads/reads it without timing; DMI is
// granted per 64 KiB page. See docs/dram.md.
#pragma once

#include <cstdint>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "common/statistics.h"
#include "common/timeline.h"
#include "memory/dram_config.h"
#include "memory/dram_timing.h"
#include "memory/latency_histogram.h"
#include "memory/sparse_storage.h"

namespace ant {

class dram : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<dram> mem_target;

    // Validates the configuration (throws config_error naming the key).
    dram(const sc_core::sc_module_name& name, const dram_config& config);

    const dram_config& config() const { return cfg_; }
    std::uint64_t base() const { return cfg_.base; }
    std::uint64_t size() const { return cfg_.size_bytes; }

    // Counters (names in docs/dram.md), each with its unit.
    statistics stats() const;
    void reset_stats();

    // Records the bytes of every transaction at its completion time on `t`, as read and
    // write bandwidth and utilisation of the peak (nullptr: off).
    void set_timeline(timeline* t);

    // Frees all data (memory reads zero again) and invalidates every DMI pointer.
    void clear_storage();

private:
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    unsigned int transport_dbg(tlm::tlm_generic_payload& trans);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);

    bool in_range(std::uint64_t address, std::uint64_t length) const;
    void address_error(tlm::tlm_generic_payload& trans);
    void check_simple_model_fit();

    dram_config cfg_;
    dram_timing timing_;
    sparse_storage storage_;
    latency_histogram read_latency_;
    double controller_latency_sum_ns_ = 0;  // reads, admission to data (no queue wait)

    std::uint64_t read_bytes_ = 0, write_bytes_ = 0;
    std::uint64_t reads_ = 0, writes_ = 0;
    std::uint64_t address_errors_ = 0, unsupported_ = 0, dmi_grants_ = 0;
    double first_arrival_ns_ = 0, last_completion_ns_ = 0;
    bool any_ = false;
    bool warned_ = false;
    bool warned_simple_ = false;
    timeline* timeline_ = nullptr;
    timeline::rate_id traffic_ = 0;
};

}  // namespace ant
