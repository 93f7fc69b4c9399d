// Address mapping of the detailed DRAM model: splits a byte offset (from the DRAM base)
// into channel, rank, bank, row and column. Pure function, no SystemC.
//
// The configured order names the fields from the most to the least significant bits,
// e.g. "row:rank:bank:channel:column". Below the last field sit the bits addressing a
// byte inside one burst (log2(burst bytes)). Field widths: column = log2(row_bytes /
// burst bytes) (column counts bursts), channel/rank/bank = log2(count), row = what remains
// of the capacity; the most significant field takes all remaining address bits.
#pragma once

#include <cstdint>
#include <vector>

#include "memory/dram_config.h"

namespace ant {

struct dram_coordinates {
    unsigned channel = 0;
    unsigned rank = 0;
    unsigned bank = 0;
    std::uint64_t row = 0;
    std::uint64_t column = 0;  // in bursts inside the row
};

class address_mapping {
public:
    explicit address_mapping(const dram_config& config);  // config must be validated

    dram_coordinates decode(std::uint64_t offset) const;

    unsigned burst_shift() const { return burst_shift_; }

private:
    enum class kind { row, rank, bank, channel, column };
    struct field {
        kind what;
        unsigned shift;  // from bit 0 of the offset
        unsigned bits;
        bool top;        // most significant: not masked
    };
    unsigned burst_shift_ = 0;
    std::vector<field> fields_;
};

}  // namespace ant
