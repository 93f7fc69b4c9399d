// The DRAM timing state machine as plain C++ (no SystemC kernel): per-bank row buffers and
// busy-until bookkeeping, per-rank activate limits and refresh windows, per-channel data
// bus. The module feeds it the arrival time of each transaction (sc_time_stamp() + delay)
// and adds (completion - arrival) to the delay. Times are in ns (double).
//
// Detailed model, per burst (bursts are burst_bytes aligned; a transaction covering
// several bursts is split and its bursts spread over channels/banks by the mapping):
//   t     = max(arrival, bank ready)                       (queueing behind earlier work)
//   if t falls in a refresh window of the rank, t = end of the window; a refresh closes
//   every row of the rank.
//   row hit:      CMD at t
//   row closed:   ACT at max(t, tRRD / tFAW limits),               CMD = ACT + tRCD
//   row conflict: PRE at max(t, ACT + tRAS, write data end + tWR),
//                 ACT = PRE + tRP (and tRRD / tFAW),              CMD = ACT + tRCD
//   data  = [max(CMD + CL (CWL for writes), channel bus free), + tBURST]
// Closed-page policy precharges a bank after the transaction's last burst in that row.
//
// Simple model: one queue of bandwidth_gbps bytes/ns; a transaction of n bytes occupies it
// for n / bandwidth and completes latency_ns after its transfer ends.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "memory/address_mapping.h"
#include "memory/dram_config.h"

namespace ant {

enum class row_outcome { hit, miss, conflict };

class dram_timing {
public:
    explicit dram_timing(const dram_config& config);  // config must be validated

    // Schedules an access of `length` bytes at byte `offset` from the DRAM base arriving at
    // `arrival_ns`; returns the time its last data beat leaves the DRAM (ns).
    double access(std::uint64_t offset, std::uint64_t length, bool is_write, double arrival_ns);

    // Counters since construction or reset_counters().
    std::uint64_t bursts() const { return bursts_; }
    std::uint64_t row_hits() const { return hits_; }
    std::uint64_t row_misses() const { return misses_; }
    std::uint64_t row_conflicts() const { return conflicts_; }
    void reset_counters() { bursts_ = hits_ = misses_ = conflicts_ = 0; }

    // Number of rank refreshes (over all channels) whose window starts in (0, t_ns].
    std::uint64_t refreshes_until(double t_ns) const;

    // Outcome of the most recent burst (for tests).
    row_outcome last_outcome() const { return last_outcome_; }

    // Time a refresh window of (channel, rank) number k >= 1 starts (ns).
    double refresh_start_ns(unsigned rank, std::uint64_t k) const;

    const dram_config& config() const { return cfg_; }

private:
    struct bank_state {
        bool open = false;
        std::uint64_t row = 0;
        double act_ns = 0;        // last ACT
        double ready_ns = 0;      // earliest next command
        double pre_ok_ns = 0;     // earliest PRE (tRAS, tWR, read-to-precharge)
        double last_use_ns = -1;  // end of the last data transfer (refresh closing)
    };
    struct rank_state {
        std::array<double, 4> acts{{-1e300, -1e300, -1e300, -1e300}};  // tFAW ring
        unsigned next = 0;
        double last_act_ns = -1e300;
    };

    double burst(const dram_coordinates& at, bool is_write, bool precharge_after,
                 double arrival_ns);
    double after_refresh(unsigned rank, double t, bank_state* bank) const;
    double simple_access(std::uint64_t length, double arrival_ns);

    dram_config cfg_;
    address_mapping mapping_;
    double tck_ = 0, tburst_ = 0;
    double cl_ = 0, cwl_ = 0, trcd_ = 0, trp_ = 0, tras_ = 0, twr_ = 0, trrd_ = 0, tfaw_ = 0;
    double trfc_ = 0, trefi_ = 0;
    std::vector<bank_state> banks_;   // [channel][rank][bank]
    std::vector<rank_state> ranks_;   // [channel][rank]
    std::vector<double> bus_free_ns_;  // [channel]
    double simple_free_ns_ = 0;
    double simple_latency_ns_ = 0, simple_bytes_per_ns_ = 0;
    std::vector<dram_coordinates> scratch_;

    std::uint64_t bursts_ = 0, hits_ = 0, misses_ = 0, conflicts_ = 0;
    row_outcome last_outcome_ = row_outcome::miss;
};

}  // namespace ant
