// Address mapping of the detailed DRAM model: splits a byte offset (from the DRAM base)
// into channel, rank, bank, row and column. Pure function, no SystemC.
//
// The configured order names the fields from the most to the least significant bits,
// e.g. "row:rank:bank:column:bankgroup:channel". Below the last field sit the bits
// addressing a byte inside one burst (log2(burst bytes)). Field widths: column =
// log2(row_bytes / burst bytes) (column counts bursts), channel/rank = log2(count),
// bankgroup = log2(bankgroups), bank = log2(banks / bankgroups) with a bankgroup field or
// log2(banks) without one (the bank group is then the bank number's low bits), row = what
// remains of the capacity; the most significant field takes all remaining address bits.
#pragma once

#include <cstdint>
#include <vector>

#include "memory/dram_config.h"

namespace ant {

struct dram_coordinates {
    unsigned channel = 0;
    unsigned rank = 0;
    unsigned bank = 0;   // in the rank, 0 .. banks-1 (bank groups included)
    unsigned group = 0;  // bank group of that bank
    std::uint64_t row = 0;
    std::uint64_t column = 0;  // in bursts inside the row
};

class address_mapping {
public:
    explicit address_mapping(const dram_config& config);  // config must be validated

    dram_coordinates decode(std::uint64_t offset) const;

    unsigned burst_shift() const { return burst_shift_; }

private:
    enum kind { row, rank, bank, bankgroup, channel, column, kinds };
    struct field {
        kind what;
        unsigned shift;       // from bit 0 of the offset (< 64)
        std::uint64_t mask;   // after the shift; all ones for the top field
    };
    unsigned burst_shift_ = 0;
    unsigned bankgroups_ = 1;
    unsigned banks_per_group_ = 1;
    bool group_field_ = false;
    std::vector<field> fields_;
};

}  // namespace ant
