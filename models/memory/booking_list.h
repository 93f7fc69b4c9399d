// Bookings of the DRAM controller (ACTs, column commands, completion times of queue
// entries), sorted by time: new ones go in near the end, the oldest are dropped from the
// front, and the slot search walks them in order. A vector with a moving start rather than
// a std::deque or a heap: the walk is the hot loop of the detailed model, contiguous
// storage keeps each step to a pointer increment, and times arrive nearly in order, so an
// insertion rarely moves more than a few entries.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace ant {

template <class Booking>
class booking_list {
public:
    using const_iterator = typename std::vector<Booking>::const_iterator;

    const_iterator begin() const { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
    const_iterator end() const { return items_.end(); }
    bool empty() const { return head_ == items_.size(); }
    std::size_t size() const { return items_.size() - head_; }
    const Booking& front() const { return items_[head_]; }

    // The first booking at or after t (std::lower_bound), searched from the newest end:
    // slot searches look just behind the latest bookings.
    const_iterator first_at_or_after(double t) const
    {
        const auto earlier = [](const Booking& e, double x) { return e.t < x; };
        auto hi = end();  // everything in [hi, end) is at or after t
        std::size_t step = 1;
        for (;;) {
            const auto left = static_cast<std::size_t>(hi - begin());
            if (left == 0)
                return hi;
            const auto probe = hi - static_cast<std::ptrdiff_t>(std::min(step, left));
            if (probe->t < t)
                return std::lower_bound(probe + 1, hi, t, earlier);
            hi = probe;
            step *= 2;
        }
    }

    // Keeps the order by time: after every booking at the same time (first come first).
    void insert(const Booking& b)
    {
        if (empty() || !(b.t < items_.back().t)) {
            items_.push_back(b);
            return;
        }
        const auto pos = std::upper_bound(begin(), end(), b.t,
                                          [](double t, const Booking& e) { return t < e.t; });
        items_.insert(pos, b);
    }

    void pop_front()
    {
        ++head_;
        // Reclaim the dropped prefix once it is as large as what is kept (amortised O(1)).
        if (head_ >= 256 && 2 * head_ >= items_.size()) {
            items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
            head_ = 0;
        }
    }

private:
    std::vector<Booking> items_;
    std::size_t head_ = 0;
};

}  // namespace ant
