#include "memory/latency_histogram.h"

#include <algorithm>
#include <cmath>

namespace ant {

void latency_histogram::add(double ns)
{
    if (ns < 0)
        ns = 0;
    const double b = std::floor(ns / bucket_ns);
    if (b < static_cast<double>(buckets)) {
        const auto i = static_cast<std::size_t>(b);
        ++counts_[i];
        used_ = std::max(used_, i + 1);
    } else
        overflow_.push_back(ns);
    ++count_;
    sum_ += ns;
    max_ = std::max(max_, ns);
}

void latency_histogram::clear()
{
    std::fill(counts_.data(), counts_.data() + used_, 0);
    used_ = 0;
    overflow_.clear();
    count_ = 0;
    sum_ = max_ = 0;
}

double latency_histogram::percentile(double p) const
{
    if (count_ == 0)
        return 0.0;
    // Rank of the wanted sample (nearest-rank method), 1-based.
    auto rank = static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(count_)));
    rank = std::clamp<std::uint64_t>(rank, 1, count_);
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < used_; ++i) {
        seen += counts_[i];
        if (seen >= rank)
            return (static_cast<double>(i) + 0.5) * bucket_ns;
    }
    std::sort(overflow_.begin(), overflow_.end());
    return overflow_[rank - seen - 1];
}

}  // namespace ant
