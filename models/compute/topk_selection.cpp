#include "topk_selection.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>

namespace ant {

uint64_t topk_key(float x, uint32_t position)
{
    const float magnitude = std::fabs(x);
    uint32_t bits;
    std::memcpy(&bits, &magnitude, 4);
    // Lower positions rank higher among equal magnitudes.
    return (uint64_t(bits) << 32) | (0xFFFFFFFFu - position);
}

uint64_t topk_threshold(std::vector<uint64_t>& keys, uint64_t k)
{
    if (k >= keys.size())
        return 0;
    if (k == 0)
        return UINT64_MAX;  // nothing survives
    // Keys are unique (they contain the position): exactly k are >= the k-th largest.
    auto kth = keys.begin() + long(k - 1);
    std::nth_element(keys.begin(), kth, keys.end(), std::greater<uint64_t>());
    return *kth;
}

}  // namespace ant
