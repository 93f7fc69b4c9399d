// Reading what the firmware published in the job manifest (sw/include/ant_manifest.h) for
// `ant-vp run --save`: the manifest lives in guest DRAM, so every field is untrusted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ant_manifest.h"

namespace ant {

// The latest entry named `name` among the manifest's first `count` entries (count is
// clamped to the table), or nullptr.
const ant_manifest_tensor* find_manifest_entry(const ant_manifest& manifest, const std::string& name);

// The shape of a published tensor when the entry is well formed: 1 to 4 dimensions, each
// at least 1 (an empty tensor cannot be loaded back, so it is not saved either), bytes
// equal to 4 x their product without overflow, and the data inside DRAM [dram_base,
// dram_end). Otherwise returns false with `why` saying what is wrong.
bool manifest_entry_shape(const ant_manifest_tensor& entry, std::uint64_t dram_base, std::uint64_t dram_end,
                          std::vector<std::int64_t>& shape, std::string& why);

}  // namespace ant
