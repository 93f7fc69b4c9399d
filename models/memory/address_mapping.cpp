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
        field f{kind::row, shift, 0, i == 0};
        const std::string& n = names[i];
        if (n == "row") {
            f.what = kind::row;
            f.bits = log2_ceil(rows);
        } else if (n == "rank") {
            f.what = kind::rank;
            f.bits = log2_ceil(c.ranks);
        } else if (n == "bank") {
            f.what = kind::bank;
            f.bits = log2_ceil(group_field_ ? banks_per_group_ : c.banks);
        } else if (n == "bankgroup") {
            f.what = kind::bankgroup;
            f.bits = log2_ceil(c.bankgroups);
        } else if (n == "channel") {
            f.what = kind::channel;
            f.bits = log2_ceil(c.channels);
        } else {
            f.what = kind::column;
            f.bits = log2_ceil(c.row_bytes >> burst_shift_);
        }
        if (f.top && f.what != kind::row)
            f.top = false;  // only the row may grow beyond its nominal width
        shift += f.bits;
        fields_.push_back(f);
    }
}

dram_coordinates address_mapping::decode(std::uint64_t offset) const
{
    dram_coordinates d;
    for (const field& f : fields_) {
        std::uint64_t v = f.shift >= 64 ? 0 : offset >> f.shift;
        if (!f.top)
            v &= f.bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << f.bits) - 1;
        switch (f.what) {
        case kind::row: d.row = v; break;
        case kind::rank: d.rank = static_cast<unsigned>(v); break;
        case kind::bank: d.bank = static_cast<unsigned>(v); break;
        case kind::bankgroup: d.group = static_cast<unsigned>(v); break;
        case kind::channel: d.channel = static_cast<unsigned>(v); break;
        case kind::column: d.column = v; break;
        }
    }
    if (group_field_)
        d.bank += d.group * banks_per_group_;
    else
        d.group = d.bank % bankgroups_;
    return d;
}

}  // namespace ant
