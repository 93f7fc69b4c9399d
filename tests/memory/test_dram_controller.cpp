// The controller of the detailed model against closed-form expectations: first-ready
// scheduling up to the tFAW limit, write batches paying one turnaround each, bank-group
// interleaving, the queue limit's backpressure, posted writes and per-bank refresh.
#define BOOST_TEST_MODULE memory_dram_controller
#include <boost/test/unit_test.hpp>

#include <random>

#include "memory/address_mapping.h"
#include "memory/dram_config.h"
#include "memory/dram_timing.h"
#include "stream.h"

namespace {

ant::dram_config ddr4(bool refresh)
{
    ant::dram_config c = ant::dram_preset("ddr4-3200");
    c.timing.refresh = refresh;
    ant::validate(c);
    return c;
}

double ns(const ant::dram_config& c, unsigned cycles) { return cycles * c.timing.tCK_ns; }

// 64 B reads with `window` in flight; returns GB/s.
double read_stream(ant::dram_timing& t, bool random, std::uint64_t requests, unsigned window)
{
    return memtest::run_stream([&](std::uint64_t o, std::uint64_t n,
                                   double at) { return t.access(o, n, false, at); },
                               64, requests, window, random, t.config().size_bytes)
        .gbps();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dram_controller)

BOOST_AUTO_TEST_CASE(saturating_random_reads_approach_the_tfaw_limit)
{
    // Every random 64 B read needs an ACT; a rank allows four ACTs per tFAW, and refresh
    // takes (tRP + tRFC) of every tREFI: limit = 4 x 64 B / tFAW x (1 - (tRP + tRFC) / tREFI).
    const auto c = ddr4(true);
    const double limit = 4 * 64 / ns(c, c.timing.tFAW) *
                         (1 - static_cast<double>(c.timing.tRP + c.timing.tRFC) / c.timing.tREFI);
    ant::dram_timing frfcfs(c);
    const double got = read_stream(frfcfs, true, 60'000, 64);
    auto in_order = c;
    in_order.scheduler = ant::dram_scheduler::fcfs;
    ant::dram_timing fcfs(in_order);
    const double strict = read_stream(fcfs, true, 60'000, 64);
    BOOST_TEST_MESSAGE("random reads: " << got << " GB/s (fcfs " << strict << "), tFAW limit "
                                        << limit);
    BOOST_TEST(got <= limit * 1.0001);
    BOOST_TEST(got >= 0.88 * limit);
    BOOST_TEST(strict < 0.7 * got);  // in arrival order a busy bank holds up the rest
}

BOOST_AUTO_TEST_CASE(read_write_mix_loses_one_turnaround_per_drained_batch)
{
    // Sequential read, read, write. Writes are posted and written in batches of
    // write_buffer; each batch switches the bus read -> write -> read once:
    //   R->W: write data starts tRTW + CWL - CL - tBURST after the read data ends;
    //   W->R: read data starts CL + tWTR after the write data ends (tWTR_S to another bank
    //         group, tWTR_L to the same one: the bound below allows either).
    const auto c = ddr4(false);
    ant::dram_timing t(c);
    const std::uint64_t requests = 30'000;
    const auto r = memtest::run_stream(
        [&](std::uint64_t o, std::uint64_t n, double at) {
            return t.access(o, n, (o / 64) % 3 == 2, at);
        },
        64, requests, 32, false, c.size_bytes);
    const double tburst = ant::dram_burst_ns(c);
    const double drains = static_cast<double>(t.write_drains());
    const double rtw = ns(c, c.timing.tRTW + c.timing.CWL - c.timing.CL) - tburst;
    const double wtr_s = ns(c, c.timing.CL + c.timing.tWTR_S);
    const double wtr_l = ns(c, c.timing.CL + c.timing.tWTR_L);
    const double first = ns(c, c.timing.tRCD + c.timing.CL);
    const double lost_per_drain = (r.span_ns - first - requests * tburst) / drains;
    BOOST_TEST_MESSAGE("read/read/write: " << r.gbps() << " GB/s, " << drains
                                           << " drains, lost per drain " << lost_per_drain
                                           << " ns, turnaround " << rtw + wtr_s << " .. "
                                           << rtw + wtr_l);
    BOOST_TEST(drains == std::floor(requests / 3.0 / c.write_buffer), boost::test_tools::tolerance(0.02));
    BOOST_TEST(lost_per_drain >= 0.9 * (rtw + wtr_s));
    BOOST_TEST(lost_per_drain <= 1.1 * (rtw + wtr_l) + tburst);
}

BOOST_AUTO_TEST_CASE(sequential_with_bank_groups_low_reaches_peak_high_pays_tccd_l)
{
    // Bank group bits just above the burst: consecutive bursts alternate groups (tCCD_S =
    // tBURST), so the stream reaches the peak. Bank group bits on top: the whole stream in
    // one bank group, consecutive bursts tCCD_L apart: 64 B per tCCD_L.
    auto low = ddr4(false);
    low.address_mapping = "row:rank:bank:column:bankgroup:channel";
    auto high = ddr4(false);
    high.address_mapping = "bankgroup:row:rank:bank:column:channel";
    ant::dram_timing tl(low), th(high);
    const double peak = ant::dram_peak_bandwidth_gbps(low);
    const double got_low = read_stream(tl, false, 60'000, 32);
    const double got_high = read_stream(th, false, 60'000, 32);
    const double tccd_l_limit = 64 / ns(high, high.timing.tCCD_L);
    BOOST_TEST_MESSAGE("sequential: bank groups low " << got_low << " GB/s (peak " << peak
                                                      << "), high " << got_high
                                                      << " (64 B / tCCD_L = " << tccd_l_limit
                                                      << ")");
    BOOST_TEST(got_low >= 0.98 * peak);
    BOOST_TEST(got_high <= tccd_l_limit * 1.0001);
    BOOST_TEST(got_high >= 0.97 * tccd_l_limit);
}

BOOST_AUTO_TEST_CASE(full_queue_pushes_back_instead_of_growing_latency)
{
    // 128 random reads in flight against a 32-entry queue: the controller's own latency
    // stays where it is with 32 in flight; the extra wait is returned to the initiator.
    const auto c = ddr4(true);
    auto controller_latency = [&](unsigned window, unsigned depth, double* stalls) {
        auto cfg = c;
        cfg.queue_depth = depth;
        ant::dram_timing t(cfg);
        double sum = 0;
        std::uint64_t n = 0;
        memtest::run_stream(
            [&](std::uint64_t o, std::uint64_t len, double at) {
                const double done = t.access(o, len, false, at);
                sum += done - t.last_admission_ns();
                ++n;
                return done;
            },
            64, 40'000, window, true, cfg.size_bytes);
        *stalls = static_cast<double>(t.admission_stalls());
        return sum / static_cast<double>(n);
    };
    double stalls32 = 0, stalls128 = 0, stalls_deep = 0;
    const double at32 = controller_latency(32, 32, &stalls32);
    const double at128 = controller_latency(128, 32, &stalls128);
    const double deep = controller_latency(128, 128, &stalls_deep);
    BOOST_TEST_MESSAGE("controller latency: 32 in flight " << at32 << " ns, 128 in flight "
                                                           << at128 << " ns (queue 32), "
                                                           << deep << " ns (queue 128)");
    BOOST_TEST(stalls32 == 0.0);
    BOOST_TEST(stalls128 > 0.0);
    BOOST_TEST(at128 <= 1.25 * at32);
    BOOST_TEST(deep >= 2.0 * at32);  // without the limit the queueing shows in the latency
}

BOOST_AUTO_TEST_CASE(writes_are_posted_and_reads_of_buffered_data_forwarded)
{
    const auto c = ddr4(false);
    ant::dram_timing t(c);
    BOOST_TEST(t.access(4096, 64, true, 100.0) == 100.0 + c.timing.tCK_ns,
               boost::test_tools::tolerance(1e-12));
    BOOST_TEST(t.bursts() == 0u);  // still in the buffer
    BOOST_TEST(t.access(4096, 64, false, 200.0) == 200.0 + c.timing.tCK_ns,
               boost::test_tools::tolerance(1e-12));
    BOOST_TEST(t.forwarded_reads() == 1u);
    // Filling the buffer to its high watermark writes the batch to the DRAM.
    for (unsigned i = 1; i < c.write_high_watermark; ++i)
        t.access(4096 + 64 * i, 64, true, 300.0);
    BOOST_TEST(t.write_drains() == 1u);
    BOOST_TEST(t.bursts() == c.write_high_watermark - c.write_low_watermark);
    // Unposted writes (write_buffer = 0) complete when their data is written.
    auto unposted = c;
    unposted.write_buffer = 0;
    ant::dram_timing u(unposted);
    BOOST_TEST(u.access(0, 64, true, 0.0) ==
                   ns(c, c.timing.tRCD + c.timing.CWL) + ant::dram_burst_ns(c),
               boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(per_bank_refresh_blocks_only_the_refreshing_bank)
{
    auto c = ddr4(true);
    c.timing.refresh_mode = ant::dram_refresh_mode::per_bank;
    c.timing.tRFCpb = 200;
    ant::validate(c);
    const ant::address_mapping m(c);
    // Offsets of bank 0 and bank 5 (row 0, column 0).
    std::uint64_t bank0 = 0, bank5 = 0;
    for (std::uint64_t off = 0; off < (1u << 20); off += 64) {
        const auto d = m.decode(off);
        if (d.row == 0 && d.column == 0 && d.bank == 5) {
            bank5 = off;
            break;
        }
    }
    BOOST_REQUIRE(m.decode(bank5).bank == 5u);
    // Bank 0's first window: [tREFI, tREFI + tRP + tRFCpb); banks are staggered by
    // tREFI / 16, so bank 5 is free then.
    const double start = ns(c, c.timing.tREFI);
    const double busy = ns(c, c.timing.tRP + c.timing.tRFCpb);
    const double miss = ns(c, c.timing.tRCD + c.timing.CL) + ant::dram_burst_ns(c);
    ant::dram_timing t(c);
    const double arrival = start + 10.0;
    BOOST_TEST(t.access(bank0, 64, false, arrival) - arrival == start + busy - arrival + miss,
               boost::test_tools::tolerance(1e-9));
    BOOST_TEST(t.access(bank5, 64, false, arrival) - arrival == miss,
               boost::test_tools::tolerance(1e-9));
    // By 2.99 tREFI every bank (the last starts 15/16 tREFI late) had two windows.
    BOOST_TEST(t.refreshes_until(ns(c, c.timing.tREFI) * 2.99) == 2u * 16u);
}

BOOST_AUTO_TEST_SUITE_END()
