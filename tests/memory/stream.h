// A temporally decoupled initiator in miniature: keeps up to `window` requests in flight,
// issuing each as soon as the (i - window)-th has completed. `access(offset, bytes, issue)`
// returns the completion time (ns). Used with dram_timing directly (no kernel).
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <random>

namespace memtest {

struct stream_result {
    double bytes = 0;
    double span_ns = 0;
    double gbps() const { return bytes / span_ns; }
};

// pattern: sequential from offset 0, or uniformly random request-aligned offsets in
// [0, range).
template <typename Access>
stream_result run_stream(Access access, std::uint64_t request_bytes, std::uint64_t requests,
                         unsigned window, bool random, std::uint64_t range, unsigned seed = 1)
{
    std::mt19937_64 rng(seed);
    std::deque<double> in_flight;
    double issue = 0, last_done = 0;
    for (std::uint64_t i = 0; i < requests; ++i) {
        if (in_flight.size() == window) {
            issue = std::max(issue, in_flight.front());
            in_flight.pop_front();
        }
        const std::uint64_t offset =
            random ? (rng() % (range / request_bytes)) * request_bytes
                   : (i * request_bytes) % range;
        const double done = access(offset, request_bytes, issue);
        in_flight.insert(std::upper_bound(in_flight.begin(), in_flight.end(), done), done);
        last_done = std::max(last_done, done);
    }
    return {static_cast<double>(request_bytes * requests), last_done};
}

}  // namespace memtest
