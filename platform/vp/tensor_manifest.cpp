#include "tensor_manifest.h"

#include <cstring>

namespace ant {

const ant_manifest_tensor* find_manifest_entry(const ant_manifest& manifest, const std::string& name)
{
    const std::uint32_t count = manifest.count < ANT_MANIFEST_MAX_TENSORS ? manifest.count : ANT_MANIFEST_MAX_TENSORS;
    for (std::uint32_t i = count; i-- > 0;)  // the latest entry of a name wins
        if (std::strncmp(manifest.tensors[i].name, name.c_str(), ANT_MANIFEST_NAME_BYTES) == 0)
            return &manifest.tensors[i];
    return nullptr;
}

bool manifest_entry_shape(const ant_manifest_tensor& entry, std::uint64_t dram_base, std::uint64_t dram_end,
                          std::vector<std::int64_t>& shape, std::string& why)
{
    shape.clear();
    if (entry.ndim == 0 || entry.ndim > ANT_MANIFEST_MAX_DIMS) {
        why = std::to_string(entry.ndim) + " dimensions (1 to " + std::to_string(ANT_MANIFEST_MAX_DIMS) + " allowed)";
        return false;
    }
    // bytes is 32 bits, so a product that passes bytes / 4 is already wrong: stop there
    // rather than let 65536^4 wrap around to 0.
    const std::uint64_t limit = entry.bytes / sizeof(float);
    std::uint64_t elements = 1;
    std::string dims;
    for (std::uint32_t d = 0; d < entry.ndim; ++d) {
        dims += (d ? "x" : "") + std::to_string(entry.shape[d]);
        shape.push_back(entry.shape[d]);
    }
    for (std::uint32_t d = 0; d < entry.ndim; ++d) {
        if (entry.shape[d] == 0) {
            why = "shape " + dims + " is empty";
            return false;
        }
        if (elements > limit / entry.shape[d] + 1) {
            elements = limit + 1;  // too big; the comparison below reports it
            break;
        }
        elements *= entry.shape[d];
    }
    if (entry.bytes == 0 || entry.bytes % sizeof(float) != 0 || elements != limit) {
        why = "shape " + dims + " does not match " + std::to_string(entry.bytes) + " bytes of float32";
        return false;
    }
    if (entry.address < dram_base || entry.address + std::uint64_t(entry.bytes) > dram_end) {
        why = "data outside DRAM";
        return false;
    }
    return true;
}

}  // namespace ant
