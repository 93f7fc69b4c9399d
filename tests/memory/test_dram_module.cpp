// The dram module driven directly through its socket, without sc_start: b_transport never
// waits, so a test can play a temporally decoupled initiator by choosing the delay argument
// (arrival time = sc_time_stamp() + delay = delay here). Each case builds its own module.
#define BOOST_TEST_MODULE memory_dram
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "memory/address_mapping.h"
#include "memory/dram.h"

namespace {

using sc_core::SC_NS;
using sc_core::sc_time;

// The initiator side: a module holding the socket, counting DMI invalidations.
struct tester : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<tester> socket;
    int invalidations = 0;
    explicit tester(const sc_core::sc_module_name& n) : sc_core::sc_module(n), socket("socket")
    {
        socket.register_invalidate_direct_mem_ptr(this, &tester::invalidate);
    }
    void invalidate(sc_dt::uint64, sc_dt::uint64) { ++invalidations; }
};

// A dram with an initiator socket bound to it.
struct bench {
    ant::dram mem;
    tester init;
    tlm_utils::simple_initiator_socket<tester>& socket;

    explicit bench(const ant::dram_config& c, const std::string& name = unique_name())
        : mem(name.c_str(), c), init((name + "_initiator").c_str()), socket(init.socket)
    {
        socket.bind(mem.mem_target);
    }

    static std::string unique_name()
    {
        static int n = 0;
        return "dram" + std::to_string(n++);
    }

    // Runs one transaction arriving at `arrival`; returns its latency; status in `status`.
    sc_time access(tlm::tlm_command cmd, std::uint64_t address, unsigned char* data,
                   unsigned length, sc_time arrival = sc_core::SC_ZERO_TIME,
                   tlm::tlm_response_status* status = nullptr)
    {
        tlm::tlm_generic_payload t;
        t.set_command(cmd);
        t.set_address(address);
        t.set_data_ptr(data);
        t.set_data_length(length);
        t.set_streaming_width(length);
        t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_time delay = arrival;
        socket->b_transport(t, delay);
        if (status)
            *status = t.get_response_status();
        else
            BOOST_REQUIRE(t.is_response_ok());
        return delay - arrival;
    }

    sc_time read(std::uint64_t address, unsigned length = 64,
                 sc_time arrival = sc_core::SC_ZERO_TIME)
    {
        std::vector<unsigned char> buf(length);
        return access(tlm::TLM_READ_COMMAND, address, buf.data(), length, arrival);
    }

    unsigned debug(tlm::tlm_command cmd, std::uint64_t address, unsigned char* data,
                   unsigned length)
    {
        tlm::tlm_generic_payload t;
        t.set_command(cmd);
        t.set_address(address);
        t.set_data_ptr(data);
        t.set_data_length(length);
        return socket->transport_dbg(t);
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

ant::dram_config ddr4()
{
    return ant::dram_preset("ddr4-3200");
}

sc_time cycles(const ant::dram_config& c, unsigned n) { return sc_time(n * c.timing.tCK_ns, SC_NS); }
unsigned burst_bytes(const ant::dram_config& c)
{
    return static_cast<unsigned>(ant::dram_burst_bytes(c));
}
sc_time burst(const ant::dram_config& c) { return sc_time(ant::dram_burst_ns(c), SC_NS); }
// Same bank, next row, for a mapping with the row field most significant.
std::uint64_t row_stride(const ant::dram_config& c)
{
    return std::uint64_t{c.row_bytes} * c.banks * c.ranks * c.channels;
}

// Same channel, rank, bank and row, the next column: where that is depends on the mapping
// (with bank groups in the low bits, the next burst address is another bank group).
std::uint64_t next_column_offset(const ant::dram_config& c)
{
    const ant::address_mapping m(c);
    const auto first = m.decode(0);
    for (std::uint64_t off = ant::dram_burst_bytes(c); off < c.size_bytes;
         off += ant::dram_burst_bytes(c)) {
        const auto d = m.decode(off);
        if (d.channel == first.channel && d.rank == first.rank && d.bank == first.bank &&
            d.row == first.row && d.column == first.column + 1)
            return off;
    }
    BOOST_FAIL("no next column");
    return 0;
}

void check_close(const sc_time& got, const sc_time& want)
{
    const double diff = (got - want).to_seconds() * 1e12;  // sc_time is unsigned: got >= want
    const double diff2 = (want - got).to_seconds() * 1e12;
    BOOST_TEST_MESSAGE("latency " << got << ", expected " << want);
    BOOST_TEST((got >= want ? diff : diff2) <= 1.0);  // 1 ps: the time resolution
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dram)

BOOST_AUTO_TEST_CASE(row_miss_latency_equals_trcd_plus_cl_plus_burst)
{
    for (const char* p : {"ddr4-3200", "lpddr4-4266", "hbm2"}) {
        const auto c = ant::dram_preset(p);
        bench b(c);
        check_close(b.read(c.base, burst_bytes(c)),
                    cycles(c, c.timing.tRCD + c.timing.CL) + burst(c));
        BOOST_TEST(b.stat("row_misses") == 1.0);
    }
}

BOOST_AUTO_TEST_CASE(row_hit_latency_equals_cl_plus_burst)
{
    for (const char* p : {"ddr4-3200", "lpddr4-4266", "hbm2"}) {
        const auto c = ant::dram_preset(p);
        bench b(c);
        const sc_time first = b.read(c.base, burst_bytes(c));
        // Same row, another column, once the first access is long done.
        const sc_time later = first + sc_time(100, SC_NS);
        check_close(b.read(c.base + next_column_offset(c), burst_bytes(c), later),
                    cycles(c, c.timing.CL) + burst(c));
        BOOST_TEST(b.stat("row_hits") == 1.0);
    }
}

BOOST_AUTO_TEST_CASE(row_conflict_latency_equals_trp_plus_trcd_plus_cl_plus_burst)
{
    const auto c = ddr4();
    bench b(c);
    b.read(c.base);
    // Arrive after tRAS has elapsed since the ACT at 0.
    const sc_time later = cycles(c, c.timing.tRAS) + sc_time(50, SC_NS);
    check_close(b.read(c.base + row_stride(c), 64, later),
                cycles(c, c.timing.tRP + c.timing.tRCD + c.timing.CL) + burst(c));
    BOOST_TEST(b.stat("row_conflicts") == 1.0);
}

BOOST_AUTO_TEST_CASE(row_conflict_waits_for_tras)
{
    const auto c = ddr4();
    bench b(c);
    const sc_time first = b.read(c.base);  // ACT at 0
    BOOST_REQUIRE(first < cycles(c, c.timing.tRAS));  // 30 ns < 32.5 ns for DDR4-3200
    // Arrive as the first completes: PRE must wait until tRAS after the ACT.
    const sc_time expected = (cycles(c, c.timing.tRAS) - first) +
                             cycles(c, c.timing.tRP + c.timing.tRCD + c.timing.CL) + burst(c);
    check_close(b.read(c.base + row_stride(c), 64, first), expected);
}

BOOST_AUTO_TEST_CASE(closed_page_policy_makes_every_access_a_row_miss)
{
    auto c = ddr4();
    c.page_policy = ant::dram_page_policy::closed;
    bench b(c);
    b.read(c.base);
    const sc_time later(200, SC_NS);
    check_close(b.read(c.base + 64, 64, later),
                cycles(c, c.timing.tRCD + c.timing.CL) + burst(c));
    BOOST_TEST(b.stat("row_hits") == 0.0);
    BOOST_TEST(b.stat("row_misses") == 2.0);
}

BOOST_AUTO_TEST_CASE(request_in_refresh_window_waits_for_it)
{
    const auto c = ddr4();
    bench b(c);
    b.read(c.base);  // opens the row; the refresh will close it
    // All-bank refresh: PREA (tRP), then REF (tRFC); the rank is busy for both.
    const sc_time window_start = cycles(c, c.timing.tREFI);
    const sc_time window_end = window_start + cycles(c, c.timing.tRP + c.timing.tRFC);
    const sc_time arrival = window_start + cycles(c, c.timing.tRFC / 2);
    const sc_time expected =
        (window_end - arrival) + cycles(c, c.timing.tRCD + c.timing.CL) + burst(c);
    const std::uint64_t next = next_column_offset(c);
    check_close(b.read(c.base + next, 64, arrival), expected);
    BOOST_TEST(b.stat("row_misses") == 2.0);  // the refresh closed the row
    // Well after the window: the reopened row hits again, no waiting.
    b.mem.reset_stats();
    const sc_time after = window_end + sc_time(1000, SC_NS);
    check_close(b.read(c.base + 2 * next, 64, after), cycles(c, c.timing.CL) + burst(c));
}

BOOST_AUTO_TEST_CASE(back_to_back_requests_queue_on_the_data_bus)
{
    const auto c = ddr4();
    bench b(c);
    // 16 reads of one row all arriving at time 0: the n-th completes n bursts after the first.
    const sc_time first = b.read(c.base);
    for (unsigned i = 1; i < 16; ++i)
        check_close(b.read(c.base + 64 * i), first + burst(c) * i);
    BOOST_TEST(b.stat("bandwidth_achieved") > 0.0);
}

BOOST_AUTO_TEST_CASE(simple_model_latency_is_fixed_plus_bytes_over_bandwidth)
{
    auto c = ant::dram_preset("scnn-50gbps");
    bench b(c);
    check_close(b.read(c.base, 256), sc_time(c.latency_ns + 256 / c.bandwidth_gbps, SC_NS));
    // Switching a detailed preset to simple keeps its peak bandwidth and row-miss latency.
    auto s = ddr4();
    ant::set_dram_key(s, "model", "simple");
    bench b2(s);
    check_close(b2.read(s.base, 64),
                cycles(s, s.timing.tRCD + s.timing.CL) + burst(s) + sc_time(64 / 25.6, SC_NS));
}

BOOST_AUTO_TEST_CASE(simple_model_warns_once_on_non_streaming_traffic)
{
    auto c = ddr4();
    ant::set_dram_key(c, "model", "simple");
    bench seq(c);
    for (unsigned i = 0; i < 4096; ++i)  // two interleaved sequential streams
        seq.read(c.base + (i % 2 ? 0x100000 : 0) + 64 * (i / 2));
    BOOST_TEST(seq.stat("streaming_share") > 0.99);
    BOOST_TEST(sc_core::sc_report_handler::get_count("ant/dram") == 0);
    bench rnd(c);
    std::uint64_t x = 12345;
    for (unsigned i = 0; i < 4096; ++i) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        rnd.read(c.base + ((x >> 20) % (c.size_bytes / 64)) * 64);
    }
    BOOST_TEST(rnd.stat("streaming_share") < 0.01);
    BOOST_TEST(sc_core::sc_report_handler::get_count("ant/dram") == 1);  // once, not per request
}

BOOST_AUTO_TEST_CASE(data_written_reads_back_across_page_boundaries)
{
    const auto c = ddr4();
    bench b(c);
    // 200 KiB straddling three 64 KiB storage pages, written by b_transport in odd chunks.
    const std::uint64_t start = c.base + 64 * 1024 - 1000;
    std::vector<unsigned char> data(200 * 1024);
    for (std::size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<unsigned char>(i * 7 + (i >> 9));
    for (std::size_t off = 0; off < data.size(); off += 4093) {
        const auto n = static_cast<unsigned>(std::min<std::size_t>(4093, data.size() - off));
        b.access(tlm::TLM_WRITE_COMMAND, start + off, data.data() + off, n);
    }
    std::vector<unsigned char> back(data.size());
    b.access(tlm::TLM_READ_COMMAND, start, back.data(), static_cast<unsigned>(back.size()));
    BOOST_TEST(std::memcmp(back.data(), data.data(), data.size()) == 0);
    // Debug transport sees the same bytes.
    std::vector<unsigned char> dbg(data.size());
    BOOST_TEST(b.debug(tlm::TLM_READ_COMMAND, start, dbg.data(),
                       static_cast<unsigned>(dbg.size())) == dbg.size());
    BOOST_TEST(std::memcmp(dbg.data(), data.data(), data.size()) == 0);
    BOOST_TEST(b.stat("write_bytes") == static_cast<double>(data.size()));
    BOOST_TEST(b.stat("read_bytes") == static_cast<double>(data.size()));
}

BOOST_AUTO_TEST_CASE(debug_writes_read_back_through_b_transport_and_take_no_time)
{
    const auto c = ddr4();
    bench b(c);
    std::vector<unsigned char> data(70000);
    for (std::size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<unsigned char>(255 - i % 251);
    const std::uint64_t at = c.base + (512u << 20) - 30000;
    BOOST_TEST(b.debug(tlm::TLM_WRITE_COMMAND, at, data.data(),
                       static_cast<unsigned>(data.size())) == data.size());
    BOOST_TEST(b.stat("write_bytes") == 0.0);  // debug accesses are not traffic
    std::vector<unsigned char> back(data.size());
    b.access(tlm::TLM_READ_COMMAND, at, back.data(), static_cast<unsigned>(back.size()));
    BOOST_TEST(std::memcmp(back.data(), data.data(), data.size()) == 0);
    // Debug reads clip at the end of memory and say how many bytes they moved.
    unsigned char tail[16];
    BOOST_TEST(b.debug(tlm::TLM_READ_COMMAND, c.base + c.size_bytes - 4, tail, 16) == 4u);
    BOOST_TEST(b.debug(tlm::TLM_READ_COMMAND, c.base - 16, tail, 16) == 0u);
}

BOOST_AUTO_TEST_CASE(untouched_memory_reads_zero_and_one_gib_is_not_allocated)
{
    const auto c = ddr4();
    BOOST_REQUIRE(c.size_bytes == (1ull << 30));
    bench b(c);
    std::vector<unsigned char> buf(4096, 0xAA);
    b.access(tlm::TLM_READ_COMMAND, c.base + (700u << 20), buf.data(), 4096);
    BOOST_TEST(std::all_of(buf.begin(), buf.end(), [](unsigned char x) { return x == 0; }));
    BOOST_TEST(b.stat("allocated_bytes") == 0.0);  // reads allocate nothing
    // Touch the first and the last byte: two 64 KiB pages, not 1 GiB.
    unsigned char one = 1;
    b.access(tlm::TLM_WRITE_COMMAND, c.base, &one, 1);
    b.access(tlm::TLM_WRITE_COMMAND, c.base + c.size_bytes - 1, &one, 1);
    BOOST_TEST(b.stat("allocated_bytes") == 2.0 * 64 * 1024);
}

BOOST_AUTO_TEST_CASE(address_outside_dram_is_an_address_error_counted)
{
    const auto c = ddr4();
    bench b(c);
    unsigned char buf[64] = {};
    tlm::tlm_response_status st{};
    b.access(tlm::TLM_READ_COMMAND, c.base - 64, buf, 64, sc_core::SC_ZERO_TIME, &st);
    BOOST_TEST(st == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    b.access(tlm::TLM_WRITE_COMMAND, c.base + c.size_bytes, buf, 64, sc_core::SC_ZERO_TIME, &st);
    BOOST_TEST(st == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    b.access(tlm::TLM_READ_COMMAND, 0, buf, 4, sc_core::SC_ZERO_TIME, &st);
    BOOST_TEST(st == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_TEST(b.stat("address_errors") == 3.0);
    // Reported once through SC_REPORT_WARNING with the module's message type.
    BOOST_TEST(sc_core::sc_report_handler::get_count("ant/dram") == 1);
}

BOOST_AUTO_TEST_CASE(burst_crossing_the_end_is_an_address_error)
{
    const auto c = ddr4();
    bench b(c);
    unsigned char buf[64] = {};
    tlm::tlm_response_status st{};
    b.access(tlm::TLM_WRITE_COMMAND, c.base + c.size_bytes - 32, buf, 64, sc_core::SC_ZERO_TIME,
             &st);
    BOOST_TEST(st == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_TEST(b.stat("address_errors") == 1.0);
    BOOST_TEST(b.stat("allocated_bytes") == 0.0);  // nothing was written
    // The last 32 bytes themselves are fine.
    b.access(tlm::TLM_WRITE_COMMAND, c.base + c.size_bytes - 32, buf, 32, sc_core::SC_ZERO_TIME,
             &st);
    BOOST_TEST(st == tlm::TLM_OK_RESPONSE);
}

BOOST_AUTO_TEST_CASE(byte_enables_and_streaming_width_are_rejected)
{
    const auto c = ddr4();
    bench b(c);
    unsigned char buf[8] = {};
    unsigned char be[8] = {0xff, 0, 0xff, 0, 0xff, 0, 0xff, 0};
    tlm::tlm_generic_payload t;
    t.set_command(tlm::TLM_WRITE_COMMAND);
    t.set_address(c.base);
    t.set_data_ptr(buf);
    t.set_data_length(8);
    t.set_streaming_width(8);
    t.set_byte_enable_ptr(be);
    t.set_byte_enable_length(8);
    sc_time d = sc_core::SC_ZERO_TIME;
    b.socket->b_transport(t, d);
    BOOST_TEST(t.get_response_status() == tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    t.set_byte_enable_ptr(nullptr);
    t.set_streaming_width(4);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    b.socket->b_transport(t, d);
    BOOST_TEST(t.get_response_status() == tlm::TLM_BURST_ERROR_RESPONSE);
    BOOST_TEST(b.stat("unsupported_requests") == 2.0);
}

BOOST_AUTO_TEST_CASE(bad_configuration_is_a_config_error_not_a_crash)
{
    auto c = ddr4();
    c.banks = 12;
    BOOST_CHECK_EXCEPTION(ant::dram("bad_banks", c), ant::config_error,
                          [](const ant::config_error& e) {
                              return std::string(e.what()).find("dram.banks") != std::string::npos;
                          });
}

BOOST_AUTO_TEST_CASE(dmi_grants_a_page_and_shares_data_with_transport)
{
    const auto c = ddr4();
    bench b(c);
    tlm::tlm_generic_payload t;
    t.set_address(c.base + 0x12345);
    tlm::tlm_dmi dmi;
    BOOST_REQUIRE(b.socket->get_direct_mem_ptr(t, dmi));
    BOOST_TEST(dmi.get_start_address() == c.base + 0x10000);
    BOOST_TEST(dmi.get_end_address() == c.base + 0x1ffff);
    BOOST_TEST(dmi.is_read_write_allowed());
    check_close(dmi.get_read_latency(), sc_time(1.0 / 25.6, SC_NS));
    dmi.get_dmi_ptr()[0x2345] = 0x5a;
    unsigned char v = 0;
    b.debug(tlm::TLM_READ_COMMAND, c.base + 0x12345, &v, 1);
    BOOST_TEST(v == 0x5a);
    // Outside: refused.
    t.set_address(c.base + c.size_bytes);
    tlm::tlm_dmi none;
    BOOST_TEST(!b.socket->get_direct_mem_ptr(t, none));
    // Freeing the storage invalidates the pointers handed out.
    b.mem.clear_storage();
    BOOST_TEST(b.init.invalidations == 1);
    BOOST_TEST(b.stat("allocated_bytes") == 0.0);
}

BOOST_AUTO_TEST_CASE(statistics_have_units_and_reset)
{
    const auto c = ddr4();
    bench b(c);
    for (unsigned i = 0; i < 100; ++i)
        b.read(c.base + 64 * i);
    for (const auto& s : b.mem.stats()) {
        BOOST_TEST(!s.unit.empty(), s.name);
        BOOST_TEST(!s.description.empty(), s.name);
    }
    BOOST_TEST(b.stat("read_transactions") == 100.0);
    // 100 sequential bursts spread over the 4 bank groups: 4 rows opened, 96 hits.
    BOOST_TEST(b.stat("row_hit_rate") == 0.96, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(b.stat("read_latency_p50") > 0.0);
    BOOST_TEST(b.stat("read_latency_p99") >= b.stat("read_latency_p95"));
    BOOST_TEST(b.stat("read_latency_p95") >= b.stat("read_latency_p50"));
    BOOST_TEST(b.stat("bandwidth_peak") == 25.6, boost::test_tools::tolerance(1e-9));
    b.mem.reset_stats();
    BOOST_TEST(b.stat("read_transactions") == 0.0);
    BOOST_TEST(b.stat("row_hits") == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
