// Where the planes of one tensor sit in an on-chip buffer (byte offset), for the planes that
// are there. Planes are small dense indices, so a flat table replaces a hash map: the job
// sequencer asks for every plane of every pass, and on deep layers at a large batch that is
// millions of lookups. Clearing costs only the planes placed since the last clear.
#pragma once

#include <cstdint>
#include <vector>

namespace ant {

class plane_placement {
public:
    bool contains(uint32_t plane) const { return plane < at_.size() && at_[plane] != absent; }

    // The plane's offset; only for a plane that contains() reports.
    uint64_t at(uint32_t plane) const { return at_[plane]; }

    void place(uint32_t plane, uint64_t offset)
    {
        if (plane >= at_.size())
            at_.resize(size_t(plane) + 1, absent);
        if (at_[plane] == absent)
            placed_.push_back(plane);
        at_[plane] = offset;
    }

    void clear()
    {
        for (uint32_t plane : placed_)
            at_[plane] = absent;
        placed_.clear();
    }

private:
    static constexpr uint64_t absent = ~uint64_t(0);
    std::vector<uint64_t> at_;
    std::vector<uint32_t> placed_;
};

}  // namespace ant
