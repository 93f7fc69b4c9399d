// A recorder of what the models do over simulated time, written as Chrome/Perfetto
// trace-event JSON (the "JSON Object Format": traceEvents plus metadata), for
// `ant-vp run --timeline` and `ant-vp layer --timeline`. See docs/tracing.md.
//
// Tracks are trace-event threads ("tid") inside groups ("pid"): slices on a track are
// complete events ("ph":"X") and must not overlap; should a module report overlapping ones
// anyway, they go to extra lanes of the track ("name (2)"), so the viewer never mis-nests.
// Rates (DRAM bytes) are summed into time bins and written as counter events ("ph":"C"):
// the bins widen (pairs merge) whenever more than `max_bins` would be needed, so a long run
// costs no more than a short one. Slices (and counter samples) beyond `max_slices` are
// dropped and counted (the file says how many); essential ones (jobs) are always kept.
//
// Modules hold a `timeline*` that is null unless a timeline was asked for: recording costs
// nothing else when it is off.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <systemc>

namespace ant {

class timeline {
public:
    using track_id = uint32_t;
    using rate_id = uint32_t;
    // Arguments shown with a slice: (key, value already in JSON form).
    using args = std::vector<std::pair<std::string, std::string>>;

    explicit timeline(size_t max_slices = 200000, size_t max_bins = 2000);

    // The track `name` in group `group`, created on first use (groups and tracks are shown in
    // the order they were first asked for).
    track_id track(const std::string& group, const std::string& name);

    // A slice [start, end) of simulated time. Essential slices are never dropped.
    void slice(track_id track, sc_core::sc_time start, sc_core::sc_time end, const std::string& name,
               args arguments = {}, bool essential = false);
    // A counter sample that holds until the next sample of the same counter.
    void sample(const std::string& group, const std::string& counter, sc_core::sc_time at,
                const std::vector<std::pair<std::string, double>>& values);

    // A rate counter: amounts (e.g. bytes) added at instants, written per time bin as amount
    // per ns for each series (bytes/ns = GB/s), plus the bin's total as a percentage of
    // `full_scale_per_ns` when that is positive.
    rate_id rate(const std::string& group, const std::string& counter, const std::vector<std::string>& series,
                 double full_scale_per_ns = 0.0);
    void add(rate_id counter, unsigned series, sc_core::sc_time at, double amount);

    // Instants and metadata.
    void note(const std::string& key, const std::string& json_value);

    size_t slices() const { return slices_.size(); }
    size_t dropped() const { return dropped_; }

    // The whole document.
    std::string json() const;

    // Helpers for args.
    static std::string quote(const std::string& text);
    static std::string number(double value);

private:
    struct track_info {
        uint32_t group;
        std::string name;
    };
    struct slice_info {
        track_id track;
        uint64_t start_ps, end_ps;
        std::string name;
        std::string arguments;  // rendered JSON members, "" for none: one allocation a slice
    };
    struct sample_info {
        uint32_t group;
        std::string counter;
        uint64_t at_ps;
        std::vector<std::pair<std::string, double>> values;
    };
    struct rate_info {
        uint32_t group;
        std::string counter;
        std::vector<std::string> series;
        double full_scale_per_ns;
        uint64_t bin_ps = 10000;                 // 10 ns to start with
        std::vector<std::vector<double>> bins;   // [bin][series]
    };

    uint32_t group(const std::string& name);

    size_t max_slices_, max_bins_;
    std::vector<std::string> groups_;
    std::vector<track_info> tracks_;
    std::vector<slice_info> slices_;
    std::vector<sample_info> samples_;
    std::vector<rate_info> rates_;
    std::vector<std::pair<std::string, std::string>> notes_;
    size_t dropped_ = 0;
};

}  // namespace ant
