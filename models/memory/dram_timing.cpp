#include "memory/dram_timing.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

namespace ant {

namespace {

// Bookings older than this behind the latest arrival are forgotten, and a request arriving
// even earlier is served as if it arrived then: bounds memory and search time while
// leaving room for initiators that run up to a quantum apart.
constexpr double keep_ns = 10'000.0;
constexpr double eps = 1e-9;
constexpr std::uint64_t no_stream = ~std::uint64_t{0};

}  // namespace

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
    trtp_ = t.tRTP * tck_;
    trrd_s_ = t.tRRD_S * tck_;
    trrd_l_ = (cfg_.bankgroups > 1 ? t.tRRD_L : t.tRRD_S) * tck_;
    tfaw_ = t.tFAW * tck_;
    trefi_ = t.tREFI * tck_;
    per_bank_refresh_ = t.refresh_mode == dram_refresh_mode::per_bank;
    // Refresh first precharges (all banks, or the one bank), then refreshes.
    refresh_busy_ns_ = trp_ + (per_bank_refresh_ ? t.tRFCpb : t.tRFC) * tck_;

    // Minimum distance between two column commands of one channel, first -> second. With
    // one bank group the _L values do not apply.
    const double ccd_s = std::max(tburst_, t.tCCD_S * tck_);
    const double ccd_l = cfg_.bankgroups > 1 ? std::max(tburst_, t.tCCD_L * tck_) : ccd_s;
    const double wtr_s = cwl_ + tburst_ + t.tWTR_S * tck_;
    const double wtr_l = cfg_.bankgroups > 1 ? cwl_ + tburst_ + t.tWTR_L * tck_ : wtr_s;
    const double rtrs = t.tRTRS * tck_;
    const double rtw = t.tRTW * tck_;
    separation_[0][0] = {ccd_l, ccd_s, tburst_ + rtrs};                // read -> read
    separation_[1][1] = {ccd_l, ccd_s, tburst_ + rtrs};                // write -> write
    separation_[0][1] = {rtw, rtw, cl_ + tburst_ + rtrs - cwl_};       // read -> write
    separation_[1][0] = {wtr_l, wtr_s, cwl_ + tburst_ + rtrs - cl_};   // write -> read
    for (const auto& a : separation_)
        for (const auto& b : a)
            for (double v : b)
                max_separation_ = std::max(max_separation_, v);
    for (int me = 0; me < 2; ++me)
        for (int w = 0; w < 2; ++w)
            for (int rel = 0; rel < 3; ++rel) {
                column_needs& n = needs_[me];
                n.before[w][rel] = std::max(0.0, separation_[w][me][rel]);
                n.after[w][rel] = separation_[me][w][rel];
                n.max_before[w] = std::max(n.max_before[w], n.before[w][rel]);
            }

    const std::size_t nranks = std::size_t{cfg_.channels} * cfg_.ranks;
    banks_.resize(nranks * cfg_.banks);
    ranks_.resize(nranks);
    channels_.resize(cfg_.channels);
    simple_latency_ns_ = dram_simple_latency_ns(cfg_);
    simple_bytes_per_ns_ = dram_peak_bandwidth_gbps(cfg_);
    stream_ends_.fill(no_stream);
}

void dram_timing::reset_counters()
{
    bursts_ = hits_ = misses_ = conflicts_ = 0;
    drains_ = forwarded_ = stalls_ = requests_ = streaming_ = 0;
    stall_ns_ = 0;
    stream_ends_.fill(no_stream);  // streaming share since the reset
    stream_next_ = 0;
}

// ---- refresh ------------------------------------------------------------------------

double dram_timing::refresh_offset(unsigned rank, unsigned bank) const
{
    // Ranks (or every bank of every rank) staggered evenly over tREFI.
    if (per_bank_refresh_)
        return trefi_ * (rank * cfg_.banks + bank) / (cfg_.ranks * cfg_.banks);
    return trefi_ * rank / cfg_.ranks;
}

double dram_timing::refresh_start_ns(unsigned rank, std::uint64_t k) const
{
    return static_cast<double>(k) * trefi_ + trefi_ * rank / cfg_.ranks;
}

std::uint64_t dram_timing::refreshes_until(double t_ns) const
{
    if (cfg_.model != dram_model::detailed || !cfg_.timing.refresh || t_ns <= 0)
        return 0;
    std::uint64_t n = 0;
    const unsigned banks = per_bank_refresh_ ? cfg_.banks : 1;
    for (unsigned r = 0; r < cfg_.ranks; ++r)
        for (unsigned b = 0; b < banks; ++b) {
            const double off = refresh_offset(r, b);
            if (t_ns >= off)
                n += static_cast<std::uint64_t>(std::floor((t_ns - off) / trefi_));
        }
    return n * cfg_.channels;
}

double dram_timing::last_refresh_start(unsigned rank, unsigned bank, double t) const
{
    const double off = refresh_offset(rank, bank);
    if (!cfg_.timing.refresh || t < off + trefi_)
        return -1e300;
    return off + std::floor((t - off) / trefi_) * trefi_;
}

double dram_timing::out_of_refresh(unsigned rank, unsigned bank, double t) const
{
    const double start = last_refresh_start(rank, bank, t);
    return t < start + refresh_busy_ns_ ? start + refresh_busy_ns_ : t;
}

double dram_timing::leave_refresh(unsigned rank, unsigned bank, double t,
                                  refresh_window& w) const
{
    if (w.holds(t))
        return t;
    t = out_of_refresh(rank, bank, t);
    w = refresh_window_at(rank, bank, t);
    return t;
}

dram_timing::refresh_window dram_timing::refresh_window_at(unsigned rank, unsigned bank,
                                                           double t) const
{
    constexpr double inf = std::numeric_limits<double>::infinity();
    if (!cfg_.timing.refresh)
        return {-1e300, -inf, inf};
    const double off = refresh_offset(rank, bank);
    if (t < off + trefi_)
        return {-1e300, -inf, off + trefi_};  // before the first window
    // The same arithmetic as last_refresh_start, so `start` is the same number.
    const double k = std::floor((t - off) / trefi_);
    const double start = off + k * trefi_;
    if (k > 1e9)
        return {start, t, t};  // the margin below would not be safe: hold nothing
    // Up to a margin far above the rounding of (t - off) / trefi_, still window k.
    return {start, start + refresh_busy_ns_, off + (k + 1) * trefi_ - 1e-6 * trefi_};
}

// ---- slot search --------------------------------------------------------------------

// Earliest ACT >= a for this bank: tRRD_S/L to every booked ACT of the rank on either side,
// at most four ACTs in any tFAW window, outside refresh.
double dram_timing::activate_slot(rank_state& rank, const dram_coordinates& at, double a) const
{
    const auto& v = rank.acts;
    const auto before = [](const activate& x, double t) { return x.t < t; };
    for (;;) {
        a = out_of_refresh(at.rank, at.bank, a);
        if (cfg_.scheduler == dram_scheduler::fcfs)
            a = std::max(a, rank.latest_act_ns);
        bool moved = false;
        auto lo = std::lower_bound(v.begin(), v.end(), a - trrd_l_, before);
        for (auto it = lo; it != v.end() && it->t < a + trrd_l_; ++it) {
            const double need = it->group == at.group ? trrd_l_ : trrd_s_;
            if (std::abs(a - it->t) < need - eps) {
                a = it->t + need;
                moved = true;
                break;
            }
        }
        if (moved)
            continue;
        // Neighbours within tFAW: s = [up to 4 before, a, up to 4 after].
        const auto pos = std::lower_bound(v.begin(), v.end(), a, before);
        std::array<double, 9> s{};
        std::size_t nb = 0;
        for (auto it = pos; it != v.begin() && nb < 4;) {
            --it;
            if (it->t <= a - tfaw_)
                break;
            ++nb;
        }
        std::size_t n = 0;
        for (auto it = pos - static_cast<std::ptrdiff_t>(nb); it != pos; ++it)
            s[n++] = it->t;
        s[n++] = a;
        for (auto it = pos; it != v.end() && n < s.size() && it->t < a + tfaw_; ++it)
            s[n++] = it->t;
        for (std::size_t first = nb >= 4 ? nb - 4 : 0; first <= nb && first + 4 < n; ++first) {
            if (s[first + 4] - s[first] < tfaw_ - eps) {
                // a last in the window: wait for the oldest to leave it; else move past it.
                a = first + 4 == nb ? s[first] + tfaw_ : s[first + 4] + trrd_s_;
                moved = true;
                break;
            }
        }
        if (!moved)
            return a;
    }
}

// Earliest column command >= c: every booked column command of the channel keeps its
// distance on either side (tCCD_S/L, tWTR_S/L, tRTW, rank switch, data-bus overlap).
// Each booking forbids an interval around it; c jumps past the first (in time order)
// forbidden interval holding it until none does. One forward pass: a booking at or
// before c stays satisfied as c grows, so after a jump only the bookings between the old
// c and the one jumped over are looked at again. (Restarting the search after each jump
// made a request behind a long booked backlog quadratic in the backlog.)
double dram_timing::column_slot(const channel_state& ch, const dram_coordinates& at,
                                bool is_write, double c, refresh_window refresh) const
{
    const column_needs& need = needs_[is_write];
    const auto relation = [&](const column_cmd& e) {
        return e.rank != at.rank ? 2 : e.group == at.group ? 0 : 1;
    };
    const auto adjust = [&](double t) {
        if (!refresh.holds(t))  // (the common case inline: no refresh in the way)
            t = leave_refresh(at.rank, at.bank, t, refresh);
        return cfg_.scheduler == dram_scheduler::fcfs ? std::max(t, ch.latest_col_ns) : t;
    };
    c = adjust(c);
    // Bookings further back than they need to be from me cannot hold c (writes need the
    // most, tWTR; none may be that close).
    double look_back = need.max_before[0];
    if (ch.latest_write_col_ns >= c - need.max_before[1])
        look_back = std::max(look_back, need.max_before[1]);
    const auto end = ch.cols.end();
    auto it = ch.cols.first_at_or_after(c - look_back);
    auto first_after_c = end;  // first booking later than c in this pass
    while (it != end && it->t < c + max_separation_) {
        if (it->t <= c) {
            const double after_it = it->t + need.before[it->write][relation(*it)];
            if (c < after_it - eps)
                c = adjust(after_it);
            ++it;
            continue;
        }
        if (first_after_c == end)
            first_after_c = it;
        const int rel = relation(*it);
        if (it->t - c < need.after[it->write][rel] - eps) {
            // c moves past *it: the bookings from the old c to *it are before it now.
            c = adjust(it->t + need.before[it->write][rel]);
            it = first_after_c;
            first_after_c = end;
            continue;
        }
        ++it;
    }
    return c;
}

// ---- one burst ----------------------------------------------------------------------

double dram_timing::schedule(const dram_coordinates& at, bool is_write, bool precharge_after,
                             double t)
{
    const std::size_t rank_index = std::size_t{at.channel} * cfg_.ranks + at.rank;
    channel_state& ch = channels_[at.channel];
    rank_state& rank = ranks_[rank_index];
    bank_state& bank = banks_[rank_index * cfg_.banks + at.bank];

    t = std::max({t, bank.col_ok_ns, horizon_ns_});
    t = leave_refresh(at.rank, at.bank, t, bank.refresh);
    if (bank.open && bank.last_use_ns < bank.refresh.start)
        bank.open = false;  // the refresh precharged it

    double col = t;
    if (bank.open && bank.row == at.row) {
        last_outcome_ = row_outcome::hit;
        ++hits_;
    } else {
        double act = std::max(t, bank.act_ok_ns);
        if (bank.open) {
            last_outcome_ = row_outcome::conflict;
            ++conflicts_;
            act = std::max(act, std::max(t, bank.pre_ok_ns) + trp_);
        } else {
            last_outcome_ = row_outcome::miss;
            ++misses_;
        }
        act = activate_slot(rank, at, act);
        rank.acts.insert(activate{act, at.group});
        rank.latest_act_ns = std::max(rank.latest_act_ns, act);
        bank.open = true;
        bank.row = at.row;
        bank.pre_ok_ns = act + tras_;
        col = act + trcd_;
    }
    ++bursts_;

    col = column_slot(ch, at, is_write, col, bank.refresh);
    ch.cols.insert(column_cmd{col, at.rank, at.group, is_write});
    ch.latest_col_ns = std::max(ch.latest_col_ns, col);
    if (is_write)
        ch.latest_write_col_ns = std::max(ch.latest_write_col_ns, col);

    const double data_end = col + (is_write ? cwl_ : cl_) + tburst_;
    bank.col_ok_ns = col;
    bank.pre_ok_ns = std::max(bank.pre_ok_ns, is_write ? data_end + twr_ : col + trtp_);
    bank.last_use_ns = data_end;
    if (precharge_after) {
        bank.open = false;
        bank.act_ok_ns = bank.pre_ok_ns + trp_;
    }
    return data_end;
}

// Bookings this far behind the horizon can no longer constrain a slot (every search starts
// at or after the horizon), so forgetting them, now or a little later, changes nothing.
void dram_timing::prune()
{
    for (channel_state& ch : channels_)
        while (!ch.cols.empty() && ch.cols.front().t < horizon_ns_ - max_separation_)
            ch.cols.pop_front();
    for (rank_state& rank : ranks_)
        while (!rank.acts.empty() && rank.acts.front().t < horizon_ns_ - tfaw_ - trrd_l_)
            rank.acts.pop_front();
}

// ---- controller queues --------------------------------------------------------------

double dram_timing::admit(channel_state& ch, completions& queue, std::size_t capacity, double t)
{
    const bool reads = &queue == &ch.reads;
    while (!queue.empty() && queue.front().t <= t) {
        if (reads)
            ch.reads_idle_ns = std::max(ch.reads_idle_ns, queue.front().t);
        queue.pop_front();
    }
    if (queue.size() + (reads ? 0 : ch.pending.size()) >= capacity) {
        if (queue.empty())  // every entry is a buffered write: write some now
            drain(ch, t, cfg_.write_low_watermark);
        const double free = queue.front().t;
        queue.pop_front();
        ++stalls_;
        stall_ns_ += free - t;
        t = free;
    }
    return t;
}

void dram_timing::drain(channel_state& ch, double t, std::size_t down_to)
{
    if (ch.pending.size() <= down_to)
        return;
    ++drains_;
    // Write mode starts after the column commands already booked: one turnaround a batch.
    const double start = std::max(t, ch.latest_col_ns);
    const std::size_t n = ch.pending.size() - down_to;
    for (std::size_t i = 0; i < n; ++i) {
        const posted_write& w = ch.pending[i];
        ch.draining.insert({schedule(w.at, true, w.precharge_after, std::max(start, w.accepted))});
    }
    ch.pending.erase(ch.pending.begin(), ch.pending.begin() + static_cast<std::ptrdiff_t>(n));
}

double dram_timing::read_burst(const dram_coordinates& at, std::uint64_t burst,
                               bool precharge_after, double arrival_ns)
{
    channel_state& ch = channels_[at.channel];
    for (const posted_write& w : ch.pending)
        if (w.burst == burst && w.accepted <= arrival_ns) {
            ++forwarded_;  // the data is still in the write buffer
            last_admission_ns_ = arrival_ns;
            return arrival_ns + tck_;
        }
    const double t = admit(ch, ch.reads, cfg_.queue_depth, arrival_ns);
    if (ch.reads.empty() && !ch.pending.empty())
        drain(ch, ch.reads_idle_ns, 0);  // the channel ran out of reads: write the buffer
    const double done = schedule(at, false, precharge_after, t);
    ch.reads.insert({done});
    last_admission_ns_ = t;
    return done;
}

double dram_timing::post_write(const dram_coordinates& at, std::uint64_t burst,
                               bool precharge_after, double arrival_ns)
{
    channel_state& ch = channels_[at.channel];
    const double t = admit(ch, ch.draining, cfg_.write_buffer, arrival_ns);
    last_admission_ns_ = t;
    for (posted_write& w : ch.pending)
        if (w.burst == burst) {  // merged with the buffered write of the same burst
            w.accepted = std::max(w.accepted, t);
            return t + tck_;
        }
    ch.pending.push_back(posted_write{at, burst, precharge_after, t});
    if (ch.pending.size() >= cfg_.write_high_watermark)
        drain(ch, t, cfg_.write_low_watermark);
    return t + tck_;  // posted: done once the buffer holds it
}

// ---- transactions -------------------------------------------------------------------

double dram_timing::simple_access(std::uint64_t offset, std::uint64_t length, double arrival_ns)
{
    // Streaming = continuing where one of the last few requests ended.
    ++requests_;
    bool streaming = false;
    for (auto& end : stream_ends_)
        if (end == offset) {
            end = offset + length;
            streaming = true;
            ++streaming_;
            break;
        }
    if (!streaming) {
        stream_ends_[stream_next_] = offset + length;
        stream_next_ = (stream_next_ + 1) % static_cast<unsigned>(stream_ends_.size());
    }
    const double start = std::max(arrival_ns, simple_free_ns_);
    simple_free_ns_ = start + static_cast<double>(length) / simple_bytes_per_ns_;
    last_admission_ns_ = arrival_ns;
    return simple_free_ns_ + simple_latency_ns_;
}

double dram_timing::access(std::uint64_t offset, std::uint64_t length, bool is_write,
                           double arrival_ns)
{
    if (length == 0)
        return arrival_ns;
    if (cfg_.model == dram_model::simple)
        return simple_access(offset, length, arrival_ns);

    latest_arrival_ns_ = std::max(latest_arrival_ns_, arrival_ns);
    horizon_ns_ = latest_arrival_ns_ - keep_ns;
    arrival_ns = std::max(arrival_ns, horizon_ns_);
    if (horizon_ns_ >= next_prune_ns_) {
        prune();
        next_prune_ns_ = horizon_ns_ + keep_ns / 8;
    }

    const unsigned shift = mapping_.burst_shift();
    const std::uint64_t first = offset >> shift;
    const std::uint64_t last = (offset + length - 1) >> shift;
    const bool closed = cfg_.page_policy == dram_page_policy::closed;
    const bool posted = is_write && cfg_.write_buffer > 0;
    auto burst = [&](std::uint64_t b, const dram_coordinates& c, bool pre) {
        if (posted)
            return post_write(c, b, pre, arrival_ns);
        if (!is_write)
            return read_burst(c, b, pre, arrival_ns);
        channel_state& ch = channels_[c.channel];
        const double t = admit(ch, ch.reads, cfg_.queue_depth, arrival_ns);
        last_admission_ns_ = t;
        const double done = schedule(c, true, pre, t);
        ch.reads.insert({done});  // an unposted write holds a queue entry like a read
        return done;
    };

    if (first == last)
        return std::max(arrival_ns, burst(first, mapping_.decode(first << shift), closed));
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
    double done = arrival_ns;
    for (std::size_t i = 0; i < scratch_.size(); ++i) {
        const auto& c = scratch_[i];
        const bool pre = closed && last_use[{c.channel, c.rank, c.bank, c.row}] == i;
        done = std::max(done, burst(first + i, c, pre));
    }
    return done;
}

}  // namespace ant
