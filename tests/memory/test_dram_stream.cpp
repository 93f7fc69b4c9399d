// Scenarios under a running SystemC kernel: an SC_THREAD initiator with a quantum keeper
// streams reads through the socket with a window of outstanding requests. SystemC
// elaborates once per process, so ctest runs each case in its own process (--run_test).
#define BOOST_TEST_MODULE memory_dram_stream
#include <boost/test/unit_test.hpp>

#include <deque>
#include <random>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "memory/dram.h"

namespace {

using sc_core::SC_NS;
using sc_core::sc_time;

// A DMA-like initiator: keeps `window` reads in flight (a read is issued when the oldest
// outstanding one completes), temporally decoupled with a 1 us quantum.
struct stream_initiator : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<stream_initiator> mem_initiator;
    std::uint64_t base = 0, range = 0, request_bytes = 64, requests = 0;
    unsigned window = 64;
    bool random = false;
    sc_time first_issue, last_done;
    unsigned errors = 0;

    SC_HAS_PROCESS(stream_initiator);
    explicit stream_initiator(const sc_core::sc_module_name& n)
        : sc_core::sc_module(n), mem_initiator("mem_initiator")
    {
        SC_THREAD(run);
    }

    void run()
    {
        tlm_utils::tlm_quantumkeeper qk;
        qk.set_global_quantum(sc_time(1, sc_core::SC_US));
        qk.reset();
        std::mt19937_64 rng(7);
        std::vector<unsigned char> buf(request_bytes);
        std::deque<sc_time> in_flight;  // completion times, sorted
        sc_time issue = sc_core::sc_time_stamp();
        first_issue = issue;
        for (std::uint64_t i = 0; i < requests; ++i) {
            if (in_flight.size() == window) {
                issue = std::max(issue, in_flight.front());
                in_flight.pop_front();
            }
            const std::uint64_t offset = random ? (rng() % (range / request_bytes)) * request_bytes
                                                : (i * request_bytes) % range;
            tlm::tlm_generic_payload t;
            t.set_command(tlm::TLM_READ_COMMAND);
            t.set_address(base + offset);
            t.set_data_ptr(buf.data());
            t.set_data_length(static_cast<unsigned>(request_bytes));
            t.set_streaming_width(static_cast<unsigned>(request_bytes));
            t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
            qk.set(issue - sc_core::sc_time_stamp());
            sc_time delay = qk.get_local_time();
            mem_initiator->b_transport(t, delay);
            if (!t.is_response_ok())
                ++errors;
            const sc_time done = sc_core::sc_time_stamp() + delay;
            in_flight.insert(std::upper_bound(in_flight.begin(), in_flight.end(), done), done);
            last_done = std::max(last_done, done);
            if (qk.need_sync())
                qk.sync();
        }
    }
};

struct scenario {
    ant::dram mem;
    stream_initiator init;
    scenario(const ant::dram_config& c, bool random, std::uint64_t request_bytes, unsigned window,
             double duration_ns)
        : mem("mem", c), init("init")
    {
        init.mem_initiator.bind(mem.mem_target);
        init.base = c.base;
        init.range = c.size_bytes;
        init.random = random;
        init.request_bytes = request_bytes;
        init.window = window;
        init.requests = static_cast<std::uint64_t>(
            duration_ns * ant::dram_peak_bandwidth_gbps(c) / static_cast<double>(request_bytes));
    }
    double gbps() const
    {
        const double ns = (init.last_done - init.first_issue).to_seconds() * 1e9;
        return static_cast<double>(init.requests * init.request_bytes) / ns;
    }
    double stat(const std::string& name) const
    {
        for (const auto& s : mem.stats())
            if (s.name == name)
                return s.value;
        BOOST_FAIL("no statistic " + name);
        return 0;
    }
};

void run_sequential_at_peak(const char* preset, unsigned window)
{
    auto c = ant::dram_preset(preset);
    scenario s(c, false, 64, window, 200'000.0);
    sc_core::sc_start();
    const double peak = ant::dram_peak_bandwidth_gbps(c);
    const double refresh_share =
        static_cast<double>(c.timing.tRFC) / static_cast<double>(c.timing.tREFI);
    BOOST_TEST_MESSAGE(preset << " sequential through the socket: " << s.gbps()
                              << " GB/s, peak " << peak << ", peak x (1 - tRFC/tREFI) "
                              << peak * (1 - refresh_share) << ", refreshes "
                              << s.stat("refreshes"));
    BOOST_TEST(s.init.errors == 0u);
    // Refresh is on: the reachable peak is peak x (1 - tRFC/tREFI).
    BOOST_TEST(s.gbps() >= 0.97 * peak * (1 - refresh_share));
    BOOST_TEST(s.gbps() <= peak);
    BOOST_TEST(s.stat("bandwidth_achieved") == s.gbps(), boost::test_tools::tolerance(1e-3));
    BOOST_TEST(s.stat("refreshes") > 0.0);
    BOOST_TEST(s.stat("row_hit_rate") > 0.9);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dram_stream)

BOOST_AUTO_TEST_CASE(sequential_reads_reach_peak_ddr4_3200) { run_sequential_at_peak("ddr4-3200", 64); }

BOOST_AUTO_TEST_CASE(sequential_reads_reach_peak_hbm2) { run_sequential_at_peak("hbm2", 256); }

BOOST_AUTO_TEST_CASE(random_reads_reach_clearly_less_than_peak_ddr4_3200)
{
    auto c = ant::dram_preset("ddr4-3200");
    scenario s(c, true, 64, 64, 100'000.0);
    sc_core::sc_start();
    const double peak = ant::dram_peak_bandwidth_gbps(c);
    BOOST_TEST_MESSAGE("ddr4-3200 random through the socket: " << s.gbps() << " GB/s, peak "
                                                               << peak << ", p99 latency "
                                                               << s.stat("read_latency_p99")
                                                               << " ns");
    BOOST_TEST(s.init.errors == 0u);
    BOOST_TEST(s.gbps() < 0.7 * peak);
    BOOST_TEST(s.stat("row_hit_rate") < 0.05);
}

BOOST_AUTO_TEST_SUITE_END()
