// The timing state machine without a SystemC kernel: bandwidth of streams and refresh cost.
// (Latencies of single accesses are proven through the module, in test_dram_module.cpp.)
#define BOOST_TEST_MODULE memory_dram_timing
#include <boost/test/unit_test.hpp>

#include "memory/address_mapping.h"
#include "memory/dram_config.h"
#include "memory/dram_timing.h"
#include "stream.h"

namespace {

ant::dram_config preset(const char* name, bool refresh)
{
    ant::dram_config c = ant::dram_preset(name);
    c.timing.refresh = refresh;
    ant::validate(c);
    return c;
}

// Sequential or random reads of `request_bytes` with `window` in flight for ~duration_ns.
memtest::stream_result stream(const ant::dram_config& c, bool random, double duration_ns,
                              std::uint64_t request_bytes = 64, unsigned window = 64)
{
    ant::dram_timing t(c);
    const auto requests = static_cast<std::uint64_t>(
        duration_ns * ant::dram_peak_bandwidth_gbps(c) / static_cast<double>(request_bytes));
    return memtest::run_stream(
        [&](std::uint64_t off, std::uint64_t n, double at) { return t.access(off, n, false, at); },
        request_bytes, requests, window, random, c.size_bytes);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dram_timing)

BOOST_AUTO_TEST_CASE(sequential_stream_reaches_peak_ddr4_3200)
{
    const auto c = preset("ddr4-3200", false);
    const auto r = stream(c, false, 200'000.0);
    const double peak = ant::dram_peak_bandwidth_gbps(c);
    BOOST_TEST_MESSAGE("ddr4-3200 sequential: " << r.gbps() << " GB/s of " << peak);
    BOOST_TEST(r.gbps() >= 0.97 * peak);
    BOOST_TEST(r.gbps() <= peak * 1.0000001);
}

BOOST_AUTO_TEST_CASE(sequential_stream_reaches_peak_hbm2)
{
    const auto c = preset("hbm2", false);
    const auto r = stream(c, false, 100'000.0, 64, 256);
    const double peak = ant::dram_peak_bandwidth_gbps(c);
    BOOST_TEST_MESSAGE("hbm2 sequential: " << r.gbps() << " GB/s of " << peak);
    BOOST_TEST(r.gbps() >= 0.97 * peak);
    BOOST_TEST(r.gbps() <= peak * 1.0000001);
}

BOOST_AUTO_TEST_CASE(sequential_stream_reaches_peak_lpddr4_4266)
{
    const auto c = preset("lpddr4-4266", false);
    const auto r = stream(c, false, 100'000.0, 64, 64);
    const double peak = ant::dram_peak_bandwidth_gbps(c);
    BOOST_TEST_MESSAGE("lpddr4-4266 sequential: " << r.gbps() << " GB/s of " << peak);
    BOOST_TEST(r.gbps() >= 0.97 * peak);
}

BOOST_AUTO_TEST_CASE(sequential_stream_with_refresh_loses_trfc_over_trefi)
{
    for (const char* name : {"ddr4-3200", "hbm2"}) {
        const auto on = preset(name, true);
        const double expected_loss =
            static_cast<double>(on.timing.tRFC) / static_cast<double>(on.timing.tREFI);
        const double with = stream(on, false, 400'000.0, 64, 256).gbps();
        const double without = stream(preset(name, false), false, 400'000.0, 64, 256).gbps();
        const double loss = 1.0 - with / without;
        BOOST_TEST_MESSAGE(name << ": refresh loss " << loss << ", tRFC/tREFI "
                                << expected_loss << " (" << with << " vs " << without
                                << " GB/s)");
        BOOST_TEST(loss >= 0.8 * expected_loss);
        BOOST_TEST(loss <= 1.25 * expected_loss);
    }
}

BOOST_AUTO_TEST_CASE(random_stream_reaches_clearly_less_than_peak)
{
    for (const char* name : {"ddr4-3200", "hbm2"}) {
        const auto c = preset(name, true);
        const double peak = ant::dram_peak_bandwidth_gbps(c);
        const double seq = stream(c, false, 50'000.0, 64, 256).gbps();
        const double rnd = stream(c, true, 50'000.0, 64, 256).gbps();
        BOOST_TEST_MESSAGE(name << ": random " << rnd << " GB/s, sequential " << seq
                                << ", peak " << peak);
        BOOST_TEST(rnd < 0.75 * seq);
    }
}

BOOST_AUTO_TEST_CASE(random_stream_is_mostly_row_conflicts_sequential_mostly_hits)
{
    const auto c = preset("ddr4-3200", false);
    ant::dram_timing seq(c), rnd(c);
    memtest::run_stream([&](std::uint64_t o, std::uint64_t n,
                            double at) { return seq.access(o, n, false, at); },
                        64, 100'000, 64, false, c.size_bytes);
    memtest::run_stream([&](std::uint64_t o, std::uint64_t n,
                            double at) { return rnd.access(o, n, false, at); },
                        64, 100'000, 64, true, c.size_bytes);
    const double seq_hits = static_cast<double>(seq.row_hits()) / static_cast<double>(seq.bursts());
    const double rnd_hits = static_cast<double>(rnd.row_hits()) / static_cast<double>(rnd.bursts());
    BOOST_TEST_MESSAGE("row hit rate: sequential " << seq_hits << ", random " << rnd_hits);
    BOOST_TEST(seq_hits > 0.98);  // 127 of 128 bursts of an 8 KiB row
    BOOST_TEST(rnd_hits < 0.05);
    BOOST_TEST(rnd.row_conflicts() > rnd.row_misses());
}

BOOST_AUTO_TEST_CASE(large_transaction_is_split_into_bursts_over_channels)
{
    const auto c = preset("hbm2", false);
    ant::dram_timing t(c);
    const std::uint64_t bytes = 64 * 1024;
    const double done = t.access(0, bytes, false, 0.0);
    BOOST_TEST(t.bursts() == bytes / ant::dram_burst_bytes(c));
    // All eight channels work in parallel: the transfer takes bytes / peak plus the
    // unloaded latency of the first burst, not bytes / one channel; opening the rows of the
    // other bank groups staggers the start by at most (bankgroups - 1) x tRRD_S.
    const double ideal = static_cast<double>(bytes) / ant::dram_peak_bandwidth_gbps(c);
    const double first = (c.timing.tRCD + c.timing.CL) * c.timing.tCK_ns;
    const double stagger = (c.bankgroups - 1) * c.timing.tRRD_S * c.timing.tCK_ns;
    BOOST_TEST(done <= ideal + first + stagger + 1e-9);
    BOOST_TEST(done >= ideal);
}

BOOST_AUTO_TEST_CASE(simple_model_is_latency_plus_bytes_over_bandwidth)
{
    ant::dram_config c = ant::dram_preset("scnn-50gbps");
    ant::validate(c);
    ant::dram_timing t(c);
    BOOST_TEST(t.access(0, 64, false, 0.0) == c.latency_ns + 64 / c.bandwidth_gbps,
               boost::test_tools::tolerance(1e-12));
    const auto r = stream(c, true, 100'000.0, 256, 64);
    BOOST_TEST(r.gbps() >= 0.99 * c.bandwidth_gbps);
    BOOST_TEST(r.gbps() <= c.bandwidth_gbps * 1.0000001);
}

BOOST_AUTO_TEST_CASE(address_mapping_follows_documented_field_order)
{
    // DDR4-3200, row:rank:bank:column:bankgroup:channel: bits 0-5 byte, 6-7 bank group,
    // 8-14 column, 15-16 bank in the group, 17.. row (docs/dram.md).
    const auto c = preset("ddr4-3200", true);
    const ant::address_mapping m(c);
    const std::uint64_t off = (std::uint64_t{4321} << 17) | (std::uint64_t{2} << 15) |
                              (std::uint64_t{100} << 8) | (std::uint64_t{3} << 6) | 17;
    const auto d = m.decode(off);
    BOOST_TEST(d.row == 4321u);
    BOOST_TEST(d.group == 3u);
    BOOST_TEST(d.bank == 3u * 4 + 2);  // bank number in the rank: group x 4 + bank
    BOOST_TEST(d.column == 100u);
    BOOST_TEST(d.channel == 0u);
    BOOST_TEST(d.rank == 0u);
    // HBM2, row:rank:bank:column:bankgroup:channel: consecutive 64 B bursts go round-robin
    // over the eight channels, then over the four bank groups, then to the next column.
    const auto h = preset("hbm2", true);
    const ant::address_mapping hm(h);
    for (unsigned i = 0; i < 64; ++i) {
        const auto x = hm.decode(std::uint64_t{64} * i);
        BOOST_TEST(x.channel == i % 8);
        BOOST_TEST(x.group == (i / 8) % 4);
        BOOST_TEST(x.column == i / 32);
        BOOST_TEST(x.bank == x.group * 4);
    }
    // Without a bankgroup field the bank field holds every bank bit and the bank group is
    // the bank number's low bits.
    auto g = preset("ddr4-3200", true);
    g.address_mapping = "row:rank:bank:channel:column";
    ant::validate(g);
    const ant::address_mapping gm(g);
    BOOST_TEST(gm.decode(std::uint64_t{9} << 13).bank == 9u);
    BOOST_TEST(gm.decode(std::uint64_t{9} << 13).group == 1u);
    // Another order: channel bits above the column.
    auto o = preset("hbm2", true);
    o.address_mapping = "row:bank:rank:channel:column";
    ant::validate(o);
    const ant::address_mapping om(o);
    BOOST_TEST(om.decode(2048).channel == 1u);  // one 2 KiB row per channel
    BOOST_TEST(om.decode(2047).channel == 0u);
    BOOST_TEST(om.decode(8 * 2048).bank == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
