// SWAT's top-K as the post-processing unit computes it: which entries of a tensor survive
// when only the K largest magnitudes are kept. Exact: min(K, candidates) entries survive.
// Ties in magnitude are ranked by position (the earlier entry wins), so the choice does not
// depend on how the tensor was produced. Zeros are never candidates.
#pragma once

#include <cstdint>
#include <vector>

namespace ant {

// The ranking key of the entry at `position` with value `x`: larger keys rank higher.
// Magnitudes compare as the bit patterns of |x| (monotonic for non-negative floats; a NaN
// ranks above every number, deterministically).
uint64_t topk_key(float x, uint32_t position);

// The smallest key that survives among `keys` when `k` are kept (0 when all survive,
// UINT64_MAX when k is 0).
// Reorders `keys`.
uint64_t topk_threshold(std::vector<uint64_t>& keys, uint64_t k);

}  // namespace ant
