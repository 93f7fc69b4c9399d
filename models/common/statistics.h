// Counters a module exposes: each figure carries its unit and a one-line meaning,
// so one writer can serialise every module's numbers without knowing the module.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ant {

struct statistic {
    std::string name;         // dotted, module-relative, e.g. "reads_bytes"
    double value;
    std::string unit;         // "cycles", "bytes", "products", "ns", "1" for ratios
    std::string description;  // one line
};

using statistics = std::vector<statistic>;

// Prefixes every name with "<module>." so that lists from several modules can be merged.
inline statistics prefixed(const std::string& module, statistics list)
{
    for (auto& s : list)
        s.name = module + "." + s.name;
    return list;
}

}  // namespace ant
