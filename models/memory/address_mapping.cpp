#include "memory/address_mapping.h"

#include <sstream>
#include <string>

namespace ant {

namespace {

unsigned log2_ceil(std::uint64_t v)
{
    unsigned bits = 0;
    while ((std::uint64_t{1} << bits) < v)
        ++bits;
    return bits;
}

}  // namespace

address_mapping::address_mapping(const dram_config& c)
{
    burst_shift_ = log2_ceil(dram_burst_bytes(c));
    const std::uint64_t per_row_all =
        std::uint64_t{c.row_bytes} * c.banks * c.ranks * c.channels;
    const std::uint64_t rows = (c.size_bytes + per_row_all - 1) / per_row_all;

    std::vector<std::string> names;
    std::stringstream ss(c.address_mapping);
    std::string name;
    while (std::getline(ss, name, ':'))
        names.push_back(name);

    bankgroups_ = c.bankgroups;
    banks_per_group_ = c.banks / c.bankgroups;
    for (const auto& n : names)
        group_field_ = group_field_ || n == "bankgroup";

    unsigned shift = burst_shift_;
    // Walk from the least significant field (the last name) upwards.
    for (std::size_t i = names.size(); i-- > 0;) {
        const std::string& n = names[i];
        kind what = column;
        unsigned bits = 0;
        if (n == "row") {
            what = row;
            bits = log2_ceil(rows);
        } else if (n == "rank") {
            what = rank;
            bits = log2_ceil(c.ranks);
        } else if (n == "bank") {
            what = bank;
            bits = log2_ceil(group_field_ ? banks_per_group_ : c.banks);
        } else if (n == "bankgroup") {
            what = bankgroup;
            bits = log2_ceil(c.bankgroups);
        } else if (n == "channel") {
            what = channel;
            bits = log2_ceil(c.channels);
        } else {
            bits = log2_ceil(c.row_bytes >> burst_shift_);
        }
        // Only the row, when most significant, grows beyond its nominal width. A field
        // entirely above bit 63 reads as 0.
        std::uint64_t mask = bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
        if (i == 0 && what == row)
            mask = ~std::uint64_t{0};
        if (shift >= 64)
            mask = 0;
        fields_.push_back(field{what, shift >= 64 ? 0 : shift, mask});
        shift += bits;
    }
}

dram_coordinates address_mapping::decode(std::uint64_t offset) const
{
    std::uint64_t v[kinds] = {};
    for (const field& f : fields_)
        v[f.what] = (offset >> f.shift) & f.mask;
    dram_coordinates d;
    d.row = v[row];
    d.rank = static_cast<unsigned>(v[rank]);
    d.bank = static_cast<unsigned>(v[bank]);
    d.group = static_cast<unsigned>(v[bankgroup]);
    d.channel = static_cast<unsigned>(v[channel]);
    d.column = v[column];
    if (group_field_)
        d.bank += d.group * banks_per_group_;
    else
        d.group = d.bank % bankgroups_;
    return d;
}

}  // namespace ant
