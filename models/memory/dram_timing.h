// The DRAM timing model as plain C++ (no SystemC kernel). The module feeds it the arrival
// time of each transaction (sc_time_stamp() + delay) and adds (completion - arrival) to
// the delay. Times are in ns (double).
//
// Detailed model: a per-channel controller in front of channels x ranks x bank groups x
// banks (docs/dram.md, "Controller" and "Timing"). Transactions are split into
// burst-aligned bursts. Each burst
//   * enters the controller when an entry is free (queue_depth reads in flight per channel,
//     write_buffer posted writes): a full queue delays it (backpressure);
//   * is served in order within its bank, but takes the earliest ACT and column-command
//     slots that satisfy every timing against what is already booked: a burst to a ready
//     bank overtakes one waiting for a busy bank (first-ready scheduling). ACTs respect
//     tRRD_S/L and tFAW as a sliding window over booked slots; column commands respect
//     tCCD_S/L, tWTR_S/L, tRTW and the rank switch, which also keeps the data bus free of
//     overlaps;
//   * writes are posted into a buffer and written in batches (high/low watermark, or when
//     the channel runs out of reads), so turnarounds are paid once per batch.
// Refresh: all-bank (PREA + REF: the rank is unavailable tRP + tRFC every tREFI) or
// per-bank (each bank tRP + tRFCpb, staggered).
//
// Simple model: one queue of bandwidth_gbps bytes/ns; a transaction of n bytes occupies it
// for n / bandwidth and completes latency_ns after its transfer ends. It also measures how
// far the traffic is from streaming (streaming_share) so the module can warn.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "memory/address_mapping.h"
#include "memory/booking_list.h"
#include "memory/dram_config.h"

namespace ant {

enum class row_outcome { hit, miss, conflict };

class dram_timing {
public:
    explicit dram_timing(const dram_config& config);  // config must be validated

    // Schedules an access of `length` bytes at byte `offset` from the DRAM base arriving at
    // `arrival_ns`; returns when the initiator may consider it done (ns): reads when their
    // last data beat leaves the DRAM, posted writes when the write buffer took them.
    double access(std::uint64_t offset, std::uint64_t length, bool is_write, double arrival_ns);

    // When the controller accepted the most recent access's last burst (>= its arrival;
    // later when the queue was full). Controller latency = completion - this.
    double last_admission_ns() const { return last_admission_ns_; }

    // Counters since construction or reset_counters().
    std::uint64_t bursts() const { return bursts_; }
    std::uint64_t row_hits() const { return hits_; }
    std::uint64_t row_misses() const { return misses_; }
    std::uint64_t row_conflicts() const { return conflicts_; }
    std::uint64_t write_drains() const { return drains_; }
    std::uint64_t forwarded_reads() const { return forwarded_; }
    std::uint64_t admission_stalls() const { return stalls_; }
    double admission_wait_ns() const { return stall_ns_; }
    // Simple model: requests, and those continuing one of the recent sequential streams.
    std::uint64_t requests() const { return requests_; }
    std::uint64_t streaming_requests() const { return streaming_; }
    void reset_counters();

    // Number of refresh windows (rank windows, or bank windows in per-bank mode, over all
    // channels) starting in (0, t_ns].
    std::uint64_t refreshes_until(double t_ns) const;

    // Outcome of the most recently scheduled burst (for tests).
    row_outcome last_outcome() const { return last_outcome_; }

    // Time refresh window k >= 1 of a rank starts (all-bank mode; ns).
    double refresh_start_ns(unsigned rank, std::uint64_t k) const;

    const dram_config& config() const { return cfg_; }

private:
    // A bank's last refresh window before some time t: its start (-1e300 before the first)
    // and the span [from, until) around t where out_of_refresh is the identity, kept so
    // that the many moves of a slot search rarely recompute it.
    struct refresh_window {
        double start = -1e300;
        double from = 0, until = 0;  // empty until computed
        bool holds(double t) const { return t >= from && t < until; }
    };
    struct bank_state {
        bool open = false;
        std::uint64_t row = 0;
        double col_ok_ns = 0;     // bank order: its next column command not before this
        double act_ok_ns = 0;     // earliest ACT once precharged (closed-page)
        double pre_ok_ns = 0;     // earliest PRE (tRAS, tWR, tRTP)
        double last_use_ns = -1;  // end of the last data transfer (refresh closing)
        refresh_window refresh;   // around the bank's latest scheduled time
    };
    struct column_cmd {
        double t;
        unsigned rank;
        unsigned group;
        bool write;
    };
    struct activate {
        double t;
        unsigned group;
    };
    struct posted_write {
        dram_coordinates at;
        std::uint64_t burst;  // burst address (offset >> burst shift), for read forwarding
        bool precharge_after;
        double accepted;      // when the buffer took it
    };
    struct completion {
        double t;
    };
    using completions = booking_list<completion>;  // earliest first
    struct channel_state {
        booking_list<column_cmd> cols;  // booked column commands
        completions reads;            // completion times of reads in the controller
        double reads_idle_ns = 0;     // last completion popped from `reads`
        std::vector<posted_write> pending;  // buffered, not yet scheduled (oldest first)
        completions draining;         // completion times of scheduled buffered writes
        double latest_col_ns = -1e300;
        double latest_write_col_ns = -1e300;  // no write booking is later
    };
    struct rank_state {
        booking_list<activate> acts;  // booked ACTs
        double latest_act_ns = -1e300;
    };

    double simple_access(std::uint64_t offset, std::uint64_t length, double arrival_ns);
    double read_burst(const dram_coordinates& at, std::uint64_t burst, bool precharge_after,
                      double arrival_ns);
    double post_write(const dram_coordinates& at, std::uint64_t burst, bool precharge_after,
                      double arrival_ns);
    double admit(channel_state& ch, completions& queue, std::size_t capacity, double t);
    void drain(channel_state& ch, double t, std::size_t down_to);
    double schedule(const dram_coordinates& at, bool is_write, bool precharge_after, double t);
    double activate_slot(rank_state& rank, const dram_coordinates& at, double a) const;
    double column_slot(const channel_state& ch, const dram_coordinates& at, bool is_write,
                       double c, refresh_window refresh) const;
    // Refresh: t moved past the window holding it; and the start of the last window <= t.
    double out_of_refresh(unsigned rank, unsigned bank, double t) const;
    // out_of_refresh(t), with w the window around the result (reused while it holds t).
    double leave_refresh(unsigned rank, unsigned bank, double t, refresh_window& w) const;
    refresh_window refresh_window_at(unsigned rank, unsigned bank, double t) const;
    double last_refresh_start(unsigned rank, unsigned bank, double t) const;
    double refresh_offset(unsigned rank, unsigned bank) const;
    void prune();

    dram_config cfg_;
    address_mapping mapping_;
    bool per_bank_refresh_ = false;
    double tck_ = 0, tburst_ = 0;
    double cl_ = 0, cwl_ = 0, trcd_ = 0, trp_ = 0, tras_ = 0, twr_ = 0, trtp_ = 0;
    double trrd_s_ = 0, trrd_l_ = 0, tfaw_ = 0;
    double trefi_ = 0, refresh_busy_ns_ = 0;
    // separation_[first write][second write][0 same group, 1 other group, 2 other rank]
    std::array<std::array<std::array<double, 3>, 2>, 2> separation_{};
    double max_separation_ = 0;
    // For a new column command (index: is it a write), what a booking needs from it by the
    // booking's [write][relation]: before it (at least 0), after it; and the most a
    // booking of each direction needs before it.
    struct column_needs {
        std::array<std::array<double, 3>, 2> before{}, after{};
        std::array<double, 2> max_before{};
    };
    std::array<column_needs, 2> needs_{};

    std::vector<bank_state> banks_;      // [channel][rank][bank]
    std::vector<rank_state> ranks_;      // [channel][rank]
    std::vector<channel_state> channels_;
    double latest_arrival_ns_ = 0;
    double horizon_ns_ = -1e300;  // bookings before this are forgotten (see prune)
    double next_prune_ns_ = -1e300;

    double simple_free_ns_ = 0;
    double simple_latency_ns_ = 0, simple_bytes_per_ns_ = 0;
    std::array<std::uint64_t, 8> stream_ends_{};
    unsigned stream_next_ = 0;

    std::vector<dram_coordinates> scratch_;
    double last_admission_ns_ = 0;
    std::uint64_t bursts_ = 0, hits_ = 0, misses_ = 0, conflicts_ = 0;
    std::uint64_t drains_ = 0, forwarded_ = 0, stalls_ = 0, requests_ = 0, streaming_ = 0;
    double stall_ns_ = 0;
    row_outcome last_outcome_ = row_outcome::miss;
};

}  // namespace ant
