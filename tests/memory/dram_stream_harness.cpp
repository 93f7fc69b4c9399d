// dram_stream_harness: drives the DRAM timing model (no SystemC kernel) with one of the
// standard address streams of results/dram_validation and prints one JSON line with the
// bandwidth and read latencies. The streams are defined here and, identically, in the
// reference driver described in results/dram_validation/README.md:
//   sequential  64 B reads at 0, 64, 128, ... (wrapping at --range)
//   random      64 B reads at uniformly random 64 B-aligned offsets in [0, range),
//               std::mt19937_64(seed), offset = (rng() % (range / 64)) * 64
//   rrw         sequential addresses, every third request (i % 3 == 2) a write
//   stride      64 B reads at i x --stride (wrapping at --range)
// Closed loop: up to --window requests in flight, the next issued when the oldest
// completes. --interval-ns N instead issues request i at i x N (open loop).
//
//   dram_stream_harness --stream random --requests 200000 --window 32
//       [--set dram_key=value ...]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "common/config_error.h"
#include "memory/dram_config.h"
#include "memory/dram_timing.h"

namespace {

struct options {
    std::string stream = "sequential";
    std::uint64_t requests = 100'000, range = 1ull << 30, stride = 8192;
    unsigned window = 32, seed = 1;
    double interval_ns = 0;
    ant::dram_config dram = ant::dram_preset("ddr4-3200");
};

[[noreturn]] void usage(const std::string& why)
{
    std::fprintf(stderr, "dram_stream_harness: %s\n", why.c_str());
    std::exit(2);
}

std::uint64_t number(const char* what, const std::string& s)
{
    try {
        std::size_t used = 0;
        const auto v = std::stoull(s, &used, 0);
        if (used == s.size())
            return v;
    } catch (const std::exception&) {
    }
    usage(std::string(what) + ": expected a non-negative integer, got \"" + s + "\"");
}

options parse(int argc, char** argv)
{
    options o;
    std::vector<std::pair<std::string, std::string>> sets;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc)
            usage(a + " needs a value");
        const std::string v = argv[++i];
        if (a == "--stream")
            o.stream = v;
        else if (a == "--requests")
            o.requests = number("--requests", v);
        else if (a == "--window")
            o.window = static_cast<unsigned>(number("--window", v));
        else if (a == "--range")
            o.range = number("--range", v);
        else if (a == "--stride")
            o.stride = number("--stride", v);
        else if (a == "--seed")
            o.seed = static_cast<unsigned>(number("--seed", v));
        else if (a == "--interval-ns")
            o.interval_ns = static_cast<double>(number("--interval-ns", v));
        else if (a == "--set") {
            const auto eq = v.find('=');
            if (eq == std::string::npos)
                usage("--set expects key=value, got \"" + v + "\"");
            sets.emplace_back(v.substr(0, eq), v.substr(eq + 1));
        } else
            usage("unknown option " + a);
    }
    if (o.stream != "sequential" && o.stream != "random" && o.stream != "rrw" &&
        o.stream != "stride")
        usage("--stream must be sequential, random, rrw or stride");
    if (o.window == 0 || o.requests == 0 || o.range < 64)
        usage("--window and --requests must be > 0, --range >= 64");
    // The preset first, then the other keys in order.
    std::stable_partition(sets.begin(), sets.end(),
                          [](const auto& kv) { return kv.first == "preset"; });
    for (const auto& [k, v] : sets)
        ant::set_dram_key(o.dram, k, v);
    ant::validate(o.dram);
    return o;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv)
{
    try {
        const options o = parse(argc, argv);
        ant::dram_timing t(o.dram);
        std::mt19937_64 rng(o.seed);
        std::deque<double> in_flight;  // completion times, sorted
        std::vector<double> latency, total_latency;
        double issue = 0, last_done = 0;
        for (std::uint64_t i = 0; i < o.requests; ++i) {
            if (o.interval_ns > 0)
                issue = static_cast<double>(i) * o.interval_ns;
            else if (in_flight.size() == o.window) {
                issue = std::max(issue, in_flight.front());
                in_flight.pop_front();
            }
            std::uint64_t offset = 0;
            bool write = false;
            if (o.stream == "random")
                offset = (rng() % (o.range / 64)) * 64;
            else if (o.stream == "stride")
                offset = (i * o.stride) % o.range;
            else
                offset = (i * 64) % o.range;
            if (o.stream == "rrw")
                write = i % 3 == 2;
            const double done = t.access(offset, 64, write, issue);
            if (!write) {
                latency.push_back(done - t.last_admission_ns());
                total_latency.push_back(done - issue);
            }
            if (o.interval_ns <= 0)
                in_flight.insert(std::upper_bound(in_flight.begin(), in_flight.end(), done),
                                 done);
            last_done = std::max(last_done, done);
        }
        double sum = 0, total = 0;
        for (std::size_t i = 0; i < latency.size(); ++i) {
            sum += latency[i];
            total += total_latency[i];
        }
        const double n = static_cast<double>(std::max<std::size_t>(latency.size(), 1));
        std::printf("{\"model\": \"ant\", \"stream\": \"%s\", \"requests\": %llu, \"window\": %u, "
                    "\"gbps\": %.4f, \"read_latency_avg_ns\": %.3f, \"read_latency_p50_ns\": %.3f, "
                    "\"read_latency_p99_ns\": %.3f, \"read_total_latency_avg_ns\": %.3f, "
                    "\"row_hits\": %llu, \"bursts\": %llu, \"write_drains\": %llu, "
                    "\"admission_stalls\": %llu}\n",
                    o.stream.c_str(), static_cast<unsigned long long>(o.requests), o.window,
                    static_cast<double>(o.requests * 64) / last_done, sum / n,
                    percentile(latency, 0.5), percentile(latency, 0.99), total / n,
                    static_cast<unsigned long long>(t.row_hits()),
                    static_cast<unsigned long long>(t.bursts()),
                    static_cast<unsigned long long>(t.write_drains()),
                    static_cast<unsigned long long>(t.admission_stalls()));
        return 0;
    } catch (const ant::config_error& e) {
        std::fprintf(stderr, "dram_stream_harness: %s\n", e.what());
        return 2;
    }
}
