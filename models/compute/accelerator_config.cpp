#include "accelerator_config.h"

#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>

#include "common/config_error.h"

namespace ant {

namespace {

using json = nlohmann::json;

struct key_entry {
    std::function<void(accelerator_config&, const std::string&, const json&)> set;
    std::function<json(const accelerator_config&)> get;
};

template <typename T>
T integer(const std::string& key, const json& v, uint64_t min, uint64_t max)
{
    const bool negative = v.is_number_integer() && !v.is_number_unsigned() && v.get<int64_t>() < 0;
    if (!v.is_number_integer() || negative)
        throw config_error("config key '" + key + "' needs a non-negative integer, got " + v.dump());
    const uint64_t x = v.get<uint64_t>();
    if (x < min || x > max)
        throw config_error("config key '" + key + "' must be in [" + std::to_string(min) + ", " +
                           std::to_string(max) + "], got " + v.dump());
    return T(x);
}

// Clocks and quanta become SystemC times (1 ps resolution, 64-bit): outside these bounds a
// cycle rounds to zero or a time overflows, and the statistics stop meaning anything.
double real_in(const std::string& key, const json& v, double lo, double hi)
{
    if (!v.is_number() || !(v.get<double>() >= lo && v.get<double>() <= hi)) {
        char range[80];
        std::snprintf(range, sizeof range, "%g and %g", lo, hi);
        throw config_error("config key '" + key + "' needs a number between " + range + ", got " + v.dump());
    }
    return v.get<double>();
}

bool boolean(const std::string& key, const json& v)
{
    if (!v.is_boolean())
        throw config_error("config key '" + key + "' needs true or false, got " + v.dump());
    return v.get<bool>();
}

#define U32_KEY(name, field, lo, hi)                                                              \
    {name,                                                                                        \
     {[](accelerator_config& c, const std::string& k, const json& v) {                            \
          c.field = integer<uint32_t>(k, v, lo, hi);                                              \
      },                                                                                          \
      [](const accelerator_config& c) { return json(c.field); }}}
#define U64_KEY(name, field, lo, hi)                                                              \
    {name,                                                                                        \
     {[](accelerator_config& c, const std::string& k, const json& v) {                            \
          c.field = integer<uint64_t>(k, v, lo, hi);                                              \
      },                                                                                          \
      [](const accelerator_config& c) { return json(c.field); }}}
#define BOOL_KEY(name, field)                                                                     \
    {name,                                                                                        \
     {[](accelerator_config& c, const std::string& k, const json& v) { c.field = boolean(k, v); }, \
      [](const accelerator_config& c) { return json(bool(c.field)); }}}
#define REAL_KEY(name, field, lo, hi)                                                             \
    {name,                                                                                        \
     {[](accelerator_config& c, const std::string& k, const json& v) { c.field = real_in(k, v, lo, hi); }, \
      [](const accelerator_config& c) { return json(c.field); }}}
#define BUFFER_KEYS(prefix, member)                                                               \
    U64_KEY(prefix ".capacity_bytes", member.capacity_bytes, 64, uint64_t(1) << 32),              \
        U32_KEY(prefix ".width_bytes", member.width_bytes, 1, 4096),                              \
        U32_KEY(prefix ".banks", member.banks, 1, 4096),                                          \
        U32_KEY(prefix ".latency_cycles", member.latency_cycles, 0, 1000)

mapping_policy policy(const std::string& key, const json& v)
{
    for (mapping_policy p : {mapping_policy::planar, mapping_policy::channel, mapping_policy::hybrid})
        if (v.is_string() && v.get<std::string>() == mapping_policy_name(p))
            return p;
    throw config_error("config key '" + key + "' must be planar, channel or hybrid, got " + v.dump());
}

template <typename E>
E enum_value(const std::string& key, const json& v, std::initializer_list<E> values, const char* (*name)(E))
{
    std::string allowed;
    for (E e : values) {
        if (v.is_string() && v.get<std::string>() == name(e))
            return e;
        allowed += (allowed.empty() ? "" : " or ") + std::string(name(e));
    }
    throw config_error("config key '" + key + "' must be " + allowed + ", got " + v.dump());
}

// A key whose value is one of an enum's names (the name function gives the spelling).
#define ENUM_KEY(name, field, name_of, ...)                                                       \
    {name,                                                                                        \
     {[](accelerator_config& c, const std::string& k, const json& v) {                            \
          c.field = enum_value(k, v, {__VA_ARGS__}, name_of);                                     \
      },                                                                                          \
      [](const accelerator_config& c) { return json(name_of(c.field)); }}}

const std::map<std::string, key_entry>& table()
{
    static const std::map<std::string, key_entry> keys = {
        REAL_KEY("accelerator.clock_ghz", clock_ghz, 1e-3, 1e3),
        REAL_KEY("sim.quantum_ns", quantum_ns, 1e-3, 1e9),
        U32_KEY("sim.threads", threads, 1, 1024),
        U64_KEY("accelerator.dram_base", dram_base, 0, 0xFFFFFFFFu),
        U64_KEY("accelerator.dram_size", dram_size, 4096, uint64_t(1) << 32),
        U32_KEY("dma.burst_bytes", dma.burst_bytes, 4, 4096),
        U32_KEY("dma.outstanding", dma.outstanding, 1, 1024),
        U32_KEY("pe_array.pe_rows", array.pe_rows, 1, 256),
        U32_KEY("pe_array.pe_cols", array.pe_cols, 1, 256),
        U32_KEY("pe_array.f", array.f, 1, 256),
        U32_KEY("pe_array.i", array.i, 1, 256),
        U32_KEY("pe_array.banks", array.banks, 1, 65535),
        U32_KEY("pe_array.fifo_depth", array.fifo_depth, 1, 1 << 20),
        U32_KEY("pe_array.broadcasts_per_cycle", array.broadcasts_per_cycle, 1, 64),
        BOOL_KEY("pe_array.skip_before_fifo", array.skip_before_fifo),
        {"pe_array.mapping",
         {[](accelerator_config& c, const std::string& k, const json& v) { c.mapping = policy(k, v); },
          [](const accelerator_config& c) { return json(mapping_policy_name(c.mapping)); }}},
        ENUM_KEY("pe_array.anticipator", array.anticipator, ant_anticipator_name, ANT_ANTICIPATOR_PE,
                 ANT_ANTICIPATOR_BROADCAST),
        ENUM_KEY("pe_array.scnn_packing", array.scnn_packing, ant_scnn_packing_name, ANT_SCNN_CROSS_CHANNEL,
                 ANT_SCNN_PER_PLANE),
        ENUM_KEY("pe_array.scnn_spmm", array.scnn_spmm, ant_scnn_spmm_name, ANT_SCNN_SPMM_CONTRACTION,
                 ANT_SCNN_SPMM_CARTESIAN),
        ENUM_KEY("pe_array.scnn_bw_stationary", scnn_bw_stationary, ant_bw_stationary_name,
                 ANT_BW_STATIONARY_ACTIVATION, ANT_BW_STATIONARY_GRADIENT),
        ENUM_KEY("pe_array.ant_bw_stationary", ant_bw_tiling, ant_bw_stationary_name, ANT_BW_STATIONARY_ACTIVATION,
                 ANT_BW_STATIONARY_GRADIENT),
        U32_KEY("pe_array.scan_width", array.scan_width, 1, 4096),
        U32_KEY("pe_array.range_latency", array.range_latency, 0, 1000),
        U32_KEY("pe_array.pes_per_kernel_port", array.pes_per_kernel_port, 1, 65536),
        BOOL_KEY("csr_fetch_unit.row_bounded_vectors", fetch.row_bounded_vectors),
        U32_KEY("index_range_calculator.units", ranges.units, 1, 65536),
        U32_KEY("index_range_calculator.vectors_per_cycle", ranges.vectors_per_cycle, 1, 64),
        U32_KEY("index_range_calculator.latency_cycles", ranges.latency_cycles, 0, 1000),
        U32_KEY("post_processing_unit.lanes", ppu.lanes, 1, 65536),
        BUFFER_KEYS("image_buffer", image_buffer),
        BUFFER_KEYS("kernel_buffer", kernel_buffer),
        BUFFER_KEYS("accumulator_buffer", accumulator_buffer),
        BUFFER_KEYS("output_buffer", output_buffer),
    };
    return keys;
}

}  // namespace

void set_accelerator_key(accelerator_config& config, const std::string& key, const json& value)
{
    auto it = table().find(key);
    if (it == table().end())
        throw config_error("unknown config key '" + key + "'");
    it->second.set(config, key, value);
    config.fetch.broadcast_width = config.array.f;  // the fetch unit packs F-wide vectors
    config.fetch.anticipator = config.array.anticipator;
    config.fetch.scnn_packing = config.array.scnn_packing;
    config.fetch.scnn_spmm = config.array.scnn_spmm;
}

std::vector<std::string> accelerator_config_keys()
{
    std::vector<std::string> keys;
    for (const auto& [k, e] : table())
        keys.push_back(k);
    return keys;
}

json to_json(const accelerator_config& config)
{
    json j = json::object();
    for (const auto& [k, e] : table())
        j[k] = e.get(config);
    return j;
}

}  // namespace ant
