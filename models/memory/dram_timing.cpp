#include "memory/dram_timing.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace ant {

dram_timing::dram_timing(const dram_config& config) : cfg_(config), mapping_(config)
{
    const auto& t = cfg_.timing;
    tck_ = t.tCK_ns;
    tburst_ = dram_burst_ns(cfg_);
    cl_ = t.CL * tck_;
    cwl_ = t.CWL * tck_;
    trcd_ = t.tRCD * tck_;
    trp_ = t.tRP * tck_;
    tras_ = t.tRAS * tck_;
    twr_ = t.tWR * tck_;
    trrd_ = t.tRRD * tck_;
    tfaw_ = t.tFAW * tck_;
    trfc_ = t.tRFC * tck_;
    trefi_ = t.tREFI * tck_;
    const std::size_t nranks = std::size_t{cfg_.channels} * cfg_.ranks;
    banks_.resize(nranks * cfg_.banks);
    ranks_.resize(nranks);
    bus_free_ns_.assign(cfg_.channels, 0.0);
    simple_latency_ns_ = dram_simple_latency_ns(cfg_);
    simple_bytes_per_ns_ = dram_peak_bandwidth_gbps(cfg_);
}

double dram_timing::refresh_start_ns(unsigned rank, std::uint64_t k) const
{
    // Ranks of a channel are staggered evenly over tREFI; the first window is at tREFI.
    return static_cast<double>(k) * trefi_ + trefi_ * rank / cfg_.ranks;
}

std::uint64_t dram_timing::refreshes_until(double t_ns) const
{
    if (cfg_.model != dram_model::detailed || !cfg_.timing.refresh || t_ns <= 0)
        return 0;
    std::uint64_t n = 0;
    for (unsigned r = 0; r < cfg_.ranks; ++r) {
        double off = trefi_ * r / cfg_.ranks;
        if (t_ns >= off)
            n += static_cast<std::uint64_t>(std::floor((t_ns - off) / trefi_));
    }
    return n * cfg_.channels;
}

// Moves t out of the rank's refresh window and closes the bank's row if a refresh
// happened since its last use.
double dram_timing::after_refresh(unsigned rank, double t, bank_state* bank) const
{
    if (!cfg_.timing.refresh)
        return t;
    const double off = trefi_ * rank / cfg_.ranks;
    if (t < off + trefi_)
        return t;
    const double k = std::floor((t - off) / trefi_);
    const double start = off + k * trefi_;
    if (bank != nullptr && bank->last_use_ns < start)
        bank->open = false;  // REF needs all banks precharged
    if (t < start + trfc_)
        t = start + trfc_;
    return t;
}

double dram_timing::burst(const dram_coordinates& at, bool is_write, bool precharge_after,
                          double arrival_ns)
{
    const std::size_t rank_index = std::size_t{at.channel} * cfg_.ranks + at.rank;
    rank_state& rank = ranks_[rank_index];
    bank_state& bank = banks_[rank_index * cfg_.banks + at.bank];

    double t = std::max(arrival_ns, bank.ready_ns);
    t = after_refresh(at.rank, t, &bank);

    double cmd = t;
    if (bank.open && bank.row == at.row) {
        last_outcome_ = row_outcome::hit;
        ++hits_;
    } else {
        double act = t;
        if (bank.open) {
            last_outcome_ = row_outcome::conflict;
            ++conflicts_;
            const double pre = std::max(t, bank.pre_ok_ns);
            act = pre + trp_;
        } else {
            last_outcome_ = row_outcome::miss;
            ++misses_;
        }
        act = std::max({act, rank.last_act_ns + trrd_, rank.acts[rank.next] + tfaw_});
        act = after_refresh(at.rank, act, nullptr);
        rank.acts[rank.next] = act;
        rank.next = (rank.next + 1) % 4;
        rank.last_act_ns = std::max(rank.last_act_ns, act);
        bank.open = true;
        bank.row = at.row;
        bank.act_ns = act;
        bank.pre_ok_ns = act + tras_;
        cmd = act + trcd_;
    }
    ++bursts_;

    const double latency = is_write ? cwl_ : cl_;
    double& bus = bus_free_ns_[at.channel];
    const double data_start = std::max(cmd + latency, bus);
    const double data_end = data_start + tburst_;
    bus = data_end;

    const double cmd_effective = data_start - latency;
    bank.ready_ns = cmd_effective + tburst_;  // tCCD = tBURST
    bank.pre_ok_ns = std::max(bank.pre_ok_ns, is_write ? data_end + twr_ : cmd_effective + tburst_);
    bank.last_use_ns = data_end;
    if (precharge_after) {
        bank.open = false;
        bank.ready_ns = std::max(bank.ready_ns, bank.pre_ok_ns + trp_);
    }
    return data_end;
}

double dram_timing::simple_access(std::uint64_t length, double arrival_ns)
{
    const double start = std::max(arrival_ns, simple_free_ns_);
    simple_free_ns_ = start + static_cast<double>(length) / simple_bytes_per_ns_;
    return simple_free_ns_ + simple_latency_ns_;
}

double dram_timing::access(std::uint64_t offset, std::uint64_t length, bool is_write,
                           double arrival_ns)
{
    if (length == 0)
        return arrival_ns;
    if (cfg_.model == dram_model::simple)
        return simple_access(length, arrival_ns);

    const unsigned shift = mapping_.burst_shift();
    const std::uint64_t first = offset >> shift;
    const std::uint64_t last = (offset + length - 1) >> shift;
    const bool closed = cfg_.page_policy == dram_page_policy::closed;

    double done = arrival_ns;
    if (first == last) {
        return std::max(done, burst(mapping_.decode(first << shift), is_write, closed,
                                    arrival_ns));
    }
    scratch_.clear();
    for (std::uint64_t b = first; b <= last; ++b)
        scratch_.push_back(mapping_.decode(b << shift));
    // Closed page: precharge after the transaction's last burst to that bank and row.
    std::map<std::tuple<unsigned, unsigned, unsigned, std::uint64_t>, std::size_t> last_use;
    if (closed)
        for (std::size_t i = 0; i < scratch_.size(); ++i) {
            const auto& c = scratch_[i];
            last_use[{c.channel, c.rank, c.bank, c.row}] = i;
        }
    for (std::size_t i = 0; i < scratch_.size(); ++i) {
        const auto& c = scratch_[i];
        const bool pre = closed && last_use[{c.channel, c.rank, c.bank, c.row}] == i;
        done = std::max(done, burst(c, is_write, pre, arrival_ns));
    }
    return done;
}

}  // namespace ant
