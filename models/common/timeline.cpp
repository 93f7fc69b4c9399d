#include "common/timeline.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace ant {

namespace {

uint64_t to_ps(sc_core::sc_time t) { return uint64_t(std::llround(t.to_seconds() * 1e12)); }

// Trace-event times are microseconds; six decimals keep SystemC's picoseconds.
std::string micros(uint64_t ps)
{
    char b[40];
    std::snprintf(b, sizeof b, "%llu.%06llu", static_cast<unsigned long long>(ps / 1000000),
                  static_cast<unsigned long long>(ps % 1000000));
    return b;
}

}  // namespace

timeline::timeline(size_t max_slices, size_t max_bins) : max_slices_(max_slices), max_bins_(std::max<size_t>(2, max_bins)) {}

std::string timeline::quote(const std::string& text)
{
    std::string out = "\"";
    for (unsigned char ch : text) {
        if (ch == '"' || ch == '\\') {
            out += '\\';
            out += char(ch);
        } else if (ch < 0x20 || ch >= 0x7f) {
            // Names come from the models (ASCII); anything else is shown escaped, never as
            // bytes that could make the file invalid UTF-8.
            char b[8];
            std::snprintf(b, sizeof b, "\\u%04x", ch);
            out += b;
        } else {
            out += char(ch);
        }
    }
    return out + "\"";
}

std::string timeline::number(double value)
{
    if (!std::isfinite(value))
        return "0";
    char b[40];
    if (value == std::floor(value) && std::fabs(value) < 9e15)
        std::snprintf(b, sizeof b, "%.0f", value);
    else
        std::snprintf(b, sizeof b, "%.6g", value);
    return b;
}

uint32_t timeline::group(const std::string& name)
{
    for (uint32_t i = 0; i < groups_.size(); ++i)
        if (groups_[i] == name)
            return i;
    groups_.push_back(name);
    return uint32_t(groups_.size() - 1);
}

timeline::track_id timeline::track(const std::string& group_name, const std::string& name)
{
    const uint32_t g = group(group_name);
    for (track_id i = 0; i < tracks_.size(); ++i)
        if (tracks_[i].group == g && tracks_[i].name == name)
            return i;
    tracks_.push_back({g, name});
    return track_id(tracks_.size() - 1);
}

void timeline::slice(track_id track, sc_core::sc_time start, sc_core::sc_time end, const std::string& name,
                     args arguments, bool essential)
{
    if (track >= tracks_.size() || end < start)
        return;
    if (!essential && slices_.size() >= max_slices_) {
        ++dropped_;
        return;
    }
    std::string rendered;
    for (size_t a = 0; a < arguments.size(); ++a)
        rendered += (a ? "," : "") + quote(arguments[a].first) + ":" + arguments[a].second;
    slices_.push_back({track, to_ps(start), to_ps(end), name, std::move(rendered)});
}

void timeline::sample(const std::string& group_name, const std::string& counter, sc_core::sc_time at,
                      const std::vector<std::pair<std::string, double>>& values)
{
    if (samples_.size() >= max_slices_) {
        ++dropped_;
        return;
    }
    samples_.push_back({group(group_name), counter, to_ps(at), values});
}

timeline::rate_id timeline::rate(const std::string& group_name, const std::string& counter,
                                 const std::vector<std::string>& series, double full_scale_per_ns)
{
    rate_info r;
    r.group = group(group_name);
    r.counter = counter;
    r.series = series;
    r.full_scale_per_ns = full_scale_per_ns;
    rates_.push_back(std::move(r));
    return rate_id(rates_.size() - 1);
}

void timeline::add(rate_id counter, unsigned series, sc_core::sc_time at, double amount)
{
    if (counter >= rates_.size() || series >= rates_[counter].series.size())
        return;
    rate_info& r = rates_[counter];
    const uint64_t ps = to_ps(at);
    // Widen the bins until the instant falls inside the bounded range.
    while (ps / r.bin_ps >= max_bins_) {
        std::vector<std::vector<double>> merged((r.bins.size() + 1) / 2, std::vector<double>(r.series.size(), 0.0));
        for (size_t i = 0; i < r.bins.size(); ++i)
            for (size_t s = 0; s < r.series.size(); ++s)
                merged[i / 2][s] += r.bins[i][s];
        r.bins = std::move(merged);
        r.bin_ps *= 2;
    }
    const size_t bin = size_t(ps / r.bin_ps);
    if (r.bins.size() <= bin)
        r.bins.resize(bin + 1, std::vector<double>(r.series.size(), 0.0));
    r.bins[bin][series] += amount;
}

void timeline::note(const std::string& key, const std::string& json_value)
{
    for (auto& [k, v] : notes_)
        if (k == key) {
            v = json_value;
            return;
        }
    notes_.emplace_back(key, json_value);
}

std::string timeline::json() const
{
    std::string out;
    out.reserve(256 + slices_.size() * 160);
    bool first = true;
    auto event = [&](const std::string& body) {
        out += first ? "\n" : ",\n";
        out += body;
        first = false;
    };
    out += "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[";
    for (uint32_t g = 0; g < groups_.size(); ++g) {
        const std::string pid = std::to_string(g + 1);
        event("{\"ph\":\"M\",\"pid\":" + pid + ",\"tid\":0,\"name\":\"process_name\",\"args\":{\"name\":" +
              quote(groups_[g]) + "}}");
        event("{\"ph\":\"M\",\"pid\":" + pid + ",\"tid\":0,\"name\":\"process_sort_index\",\"args\":{\"sort_index\":" +
              std::to_string(g) + "}}");
    }

    // Lanes: slices of a track by start time (longer first on ties); each goes to the first
    // lane that is free by then.
    std::vector<size_t> order(slices_.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const slice_info &x = slices_[a], &y = slices_[b];
        if (x.track != y.track)
            return x.track < y.track;
        if (x.start_ps != y.start_ps)
            return x.start_ps < y.start_ps;
        return x.end_ps > y.end_ps;
    });
    std::vector<std::vector<uint64_t>> lane_end(tracks_.size());
    std::vector<uint32_t> lane_of(slices_.size(), 0);
    for (size_t i : order) {
        std::vector<uint64_t>& ends = lane_end[slices_[i].track];
        uint32_t lane = 0;
        while (lane < ends.size() && ends[lane] > slices_[i].start_ps)
            ++lane;
        if (lane == ends.size())
            ends.push_back(0);
        ends[lane] = slices_[i].end_ps;
        lane_of[i] = lane;
    }
    // tid: tracks first (1..), extra lanes after them.
    std::vector<std::vector<uint32_t>> tid(tracks_.size());
    uint32_t next_tid = uint32_t(tracks_.size()) + 1;
    for (track_id t = 0; t < tracks_.size(); ++t) {
        tid[t].push_back(t + 1);
        for (size_t lane = 1; lane < lane_end[t].size(); ++lane)
            tid[t].push_back(next_tid++);
        for (size_t lane = 0; lane < tid[t].size(); ++lane) {
            const std::string name = lane == 0 ? tracks_[t].name : tracks_[t].name + " (" + std::to_string(lane + 1) + ")";
            const std::string head = "{\"ph\":\"M\",\"pid\":" + std::to_string(tracks_[t].group + 1) +
                                     ",\"tid\":" + std::to_string(tid[t][lane]);
            event(head + ",\"name\":\"thread_name\",\"args\":{\"name\":" + quote(name) + "}}");
            event(head + ",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":" +
                  std::to_string(t * 16 + lane) + "}}");
        }
    }
    for (size_t i : order) {
        const slice_info& s = slices_[i];
        std::string e = "{\"ph\":\"X\",\"pid\":" + std::to_string(tracks_[s.track].group + 1) +
                        ",\"tid\":" + std::to_string(tid[s.track][lane_of[i]]) + ",\"ts\":" + micros(s.start_ps) +
                        ",\"dur\":" + micros(s.end_ps - s.start_ps) + ",\"name\":" + quote(s.name);
        if (!s.arguments.empty())
            e += ",\"args\":{" + s.arguments + "}";
        event(e + "}");
    }
    auto counter = [&](uint32_t g, const std::string& name, uint64_t ps,
                       const std::vector<std::pair<std::string, double>>& values) {
        std::string e = "{\"ph\":\"C\",\"pid\":" + std::to_string(g + 1) + ",\"tid\":0,\"ts\":" + micros(ps) +
                        ",\"name\":" + quote(name) + ",\"args\":{";
        for (size_t a = 0; a < values.size(); ++a)
            e += (a ? "," : "") + quote(values[a].first) + ":" + number(values[a].second);
        event(e + "}}");
    };
    for (const sample_info& s : samples_)
        counter(s.group, s.counter, s.at_ps, s.values);
    for (const rate_info& r : rates_) {
        const double bin_ns = double(r.bin_ps) / 1000.0;
        std::vector<double> shown;  // a counter holds its value: write only the changes
        for (size_t b = 0; b <= r.bins.size(); ++b) {  // one past the last: back to zero
            std::vector<std::pair<std::string, double>> values;
            std::vector<double> now;
            double total = 0;
            for (size_t s = 0; s < r.series.size(); ++s) {
                const double v = b < r.bins.size() ? r.bins[b][s] / bin_ns : 0.0;
                values.emplace_back(r.series[s], v);
                now.push_back(v);
                total += v;
            }
            if (now == shown)
                continue;
            shown = now;
            counter(r.group, r.counter, b * r.bin_ps, values);
            if (r.full_scale_per_ns > 0)
                counter(r.group, r.counter + " utilisation (%)", b * r.bin_ps,
                        {{"utilisation", 100.0 * total / r.full_scale_per_ns}});
        }
    }
    out += "\n],\"otherData\":{\"format\":\"ant-vp timeline 1\",\"time_unit_of_ts\":\"us\",\"dropped_slices\":" +
           std::to_string(dropped_);
    for (const rate_info& r : rates_)
        out += "," + quote(r.counter + " bin_ns") + ":" + number(double(r.bin_ps) / 1000.0);
    for (const auto& [k, v] : notes_)
        out += "," + quote(k) + ":" + v;
    out += "}}\n";
    return out;
}

}  // namespace ant
