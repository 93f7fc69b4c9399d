// The timeline recorder (models/common/timeline.h) on its own: what the file holds when
// slices overlap, when the slice budget runs out, when a rate outgrows its bins, and for
// names that need escaping. The document is parsed back with nlohmann::json.
#define BOOST_TEST_MODULE timeline
#include <boost/test/unit_test.hpp>

#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "common/timeline.h"

using ant::timeline;
using sc_core::sc_time;
using sc_core::SC_NS;

namespace {

nlohmann::json parse(const timeline& t) { return nlohmann::json::parse(t.json()); }

// thread name -> its slices
std::map<std::string, std::vector<nlohmann::json>> slices_by_track(const nlohmann::json& doc)
{
    std::map<std::pair<int, int>, std::string> names;
    for (const auto& e : doc["traceEvents"])
        if (e["ph"] == "M" && e["name"] == "thread_name")
            names[{e["pid"].get<int>(), e["tid"].get<int>()}] = e["args"]["name"].get<std::string>();
    std::map<std::string, std::vector<nlohmann::json>> out;
    for (const auto& e : doc["traceEvents"])
        if (e["ph"] == "X")
            out[names.at({e["pid"].get<int>(), e["tid"].get<int>()})].push_back(e);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(timeline_recorder)

BOOST_AUTO_TEST_CASE(slices_keep_picosecond_times_in_microseconds)
{
    timeline t;
    const auto track = t.track("accelerator", "job sequencer");
    t.slice(track, sc_time(1.5, SC_NS), sc_time(2001.5, SC_NS), "fw ant", {{"cycles", "2000"}}, true);
    const auto tracks = slices_by_track(parse(t));
    const auto& s = tracks.at("job sequencer").at(0);
    BOOST_TEST(s["ts"].get<double>() == 0.0015, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(s["dur"].get<double>() == 2.0, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(s["args"]["cycles"].get<int>() == 2000);
}

BOOST_AUTO_TEST_CASE(overlapping_slices_go_to_a_second_lane)
{
    timeline t;
    const auto track = t.track("accelerator", "DMA");
    t.slice(track, sc_time(0, SC_NS), sc_time(10, SC_NS), "read");
    t.slice(track, sc_time(5, SC_NS), sc_time(15, SC_NS), "read");
    t.slice(track, sc_time(12, SC_NS), sc_time(20, SC_NS), "read");
    const auto tracks = slices_by_track(parse(t));
    BOOST_TEST(tracks.at("DMA").size() == 2u);      // 0-10, then 12-20 fits after it
    BOOST_TEST(tracks.at("DMA (2)").size() == 1u);  // 5-15 overlaps the first
}

BOOST_AUTO_TEST_CASE(detail_slices_beyond_the_budget_are_counted_essential_ones_kept)
{
    timeline t(3);
    const auto pe = t.track("accelerator", "PE array");
    const auto jobs = t.track("accelerator", "job sequencer");
    for (int i = 0; i < 5; ++i)
        t.slice(pe, sc_time(i * 10, SC_NS), sc_time(i * 10 + 5, SC_NS), "busy");
    t.slice(jobs, sc_time(0, SC_NS), sc_time(50, SC_NS), "fw ant", {}, true);
    BOOST_TEST(t.dropped() == 2u);
    const auto doc = parse(t);
    BOOST_TEST(doc["otherData"]["dropped_slices"].get<int>() == 2);
    const auto tracks = slices_by_track(doc);
    BOOST_TEST(tracks.at("PE array").size() == 3u);
    BOOST_TEST(tracks.at("job sequencer").size() == 1u);
}

BOOST_AUTO_TEST_CASE(rate_bins_widen_and_keep_the_total)
{
    timeline t(100, 10);  // at most 10 bins
    const auto r = t.rate("DRAM", "bw", {"read", "write"}, 100.0);
    double total = 0;
    for (int i = 0; i < 1000; ++i) {  // 64 bytes every 10 ns for 10 us
        t.add(r, unsigned(i % 2), sc_time(i * 10.0, SC_NS), 64.0);
        total += 64.0;
    }
    const auto doc = parse(t);
    const double bin_ns = doc["otherData"]["bw bin_ns"].get<double>();
    BOOST_TEST(bin_ns >= 1000.0);  // 10 us in at most 10 bins
    // Counters hold their value until the next sample: integrate rate x time back to bytes.
    std::vector<std::pair<double, double>> samples;  // (ts us, read + write GB/s)
    for (const auto& e : doc["traceEvents"])
        if (e["ph"] == "C" && e["name"] == "bw")
            samples.emplace_back(e["ts"].get<double>(), e["args"]["read"].get<double>() + e["args"]["write"].get<double>());
    BOOST_REQUIRE(samples.size() >= 2u);
    BOOST_TEST(samples.size() <= 11u);
    double bytes = 0;
    for (size_t i = 0; i + 1 < samples.size(); ++i)
        bytes += samples[i].second * (samples[i + 1].first - samples[i].first) * 1000.0;  // GB/s x ns
    BOOST_TEST(bytes == total, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(samples.back().second == 0.0);  // back to zero after the last bin
}

BOOST_AUTO_TEST_CASE(names_are_escaped_into_valid_json)
{
    timeline t;
    const auto track = t.track("g\"roup", "tr\\ack\n");
    t.slice(track, sc_time(0, SC_NS), sc_time(1, SC_NS), "na\"me\x01", {{"error", timeline::quote("a \"b\"\n")}});
    const auto doc = parse(t);  // throws if the escaping were wrong
    const auto tracks = slices_by_track(doc);
    BOOST_TEST(tracks.at("tr\\ack\n").at(0)["name"].get<std::string>() == "na\"me\x01");
    BOOST_TEST(tracks.at("tr\\ack\n").at(0)["args"]["error"].get<std::string>() == "a \"b\"\n");
}

BOOST_AUTO_TEST_SUITE_END()
