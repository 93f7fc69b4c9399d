// Latency distribution with constant memory: 1/8 ns buckets up to 4096 ns, exact values
// above (rare). Percentiles are bucket midpoints, so they are exact to +-1/16 ns.
#pragma once

#include <cstdint>
#include <vector>

#include "common/zeroed_array.h"

namespace ant {

class latency_histogram {
public:
    static constexpr double bucket_ns = 0.125;
    static constexpr std::size_t buckets = 32768;  // 4096 ns

    void add(double ns);
    void clear();
    std::uint64_t count() const { return count_; }
    double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
    double max() const { return max_; }
    // p in [0, 1]; 0 when empty.
    double percentile(double p) const;

private:
    // Zeroed lazily and cleared up to `used_` only: a run that sees a few latencies touches
    // a few of the table's 64 pages.
    zeroed_array<std::uint64_t> counts_{buckets};
    std::size_t used_ = 0;  // one past the highest bucket counted since the last clear
    mutable std::vector<double> overflow_;
    std::uint64_t count_ = 0;
    double sum_ = 0, max_ = 0;
};

}  // namespace ant
