#include "platform_config.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace ant {

namespace {

[[noreturn]] void bad(const std::string& key, const std::string& what)
{
    throw config_error(key + ": " + what);
}

double as_number(const std::string& key, const nlohmann::json& v)
{
    if (v.is_number())
        return v.get<double>();
    if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        try {
            std::size_t used = 0;
            const double d = std::stod(s, &used);
            if (used == s.size())
                return d;
        } catch (const std::exception&) {
        }
    }
    bad(key, "expected a number, got " + v.dump());
}

// Settings that become SystemC times or event periods must stay physical: a 1e13 MHz
// timebase would re-arm the timer every picosecond forever, a 1e300 ms limit overflows
// sc_time. The bounds are documented in docs/platform.md.
double as_in_range(const std::string& key, const nlohmann::json& v, double lo, double hi)
{
    const double d = as_number(key, v);
    if (!(d >= lo && d <= hi)) {
        char range[96];
        std::snprintf(range, sizeof range, "must be between %g and %g, got ", lo, hi);
        bad(key, range + v.dump());
    }
    return d;
}

std::uint64_t as_u64(const std::string& key, const nlohmann::json& v)
{
    if (v.is_number_unsigned())
        return v.get<std::uint64_t>();
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (d >= 0 && std::floor(d) == d && d < 1.8e19)
            return static_cast<std::uint64_t>(d);
    }
    if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        try {
            std::size_t used = 0;
            if (!s.empty() && s[0] != '-') {
                const std::uint64_t r = std::stoull(s, &used, 0);
                if (used == s.size())
                    return r;
            }
        } catch (const std::exception&) {
        }
    }
    bad(key, "expected a non-negative integer, got " + v.dump());
}

bool as_bool(const std::string& key, const nlohmann::json& v)
{
    if (v.is_boolean())
        return v.get<bool>();
    if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        if (s == "true")
            return true;
        if (s == "false")
            return false;
    }
    bad(key, "expected true or false, got " + v.dump());
}

const std::vector<std::string> own_keys = {
    "cpu.clock_mhz", "cpu.cpi", "clint.timebase_mhz", "uart.stdout", "uart.file",
    "sim.quantum_ns", "sim.max_instructions", "sim.max_time_ms", "sim.max_wall_s"};

}  // namespace

std::vector<std::string> platform_config_keys()
{
    std::vector<std::string> keys = own_keys;
    for (const auto& k : dram_config_keys())
        keys.push_back("dram." + k);
    return keys;
}

void set_platform_key(platform_config& c, const std::string& key, const nlohmann::json& v)
{
    if (key.rfind("dram.", 0) == 0) {
        set_dram_key(c.dram, key.substr(5), v);
        return;
    }
    if (key == "cpu.clock_mhz")
        c.cpu.clock_mhz = as_in_range(key, v, 1e-3, 1e6);
    else if (key == "cpu.cpi")
        c.cpu.cpi = as_in_range(key, v, 1e-3, 1e6);
    else if (key == "clint.timebase_mhz")
        c.clint.timebase_mhz = as_in_range(key, v, 1e-6, 1e6);
    else if (key == "uart.stdout")
        c.uart.to_stdout = as_bool(key, v);
    else if (key == "uart.file") {
        if (!v.is_string())
            bad(key, "expected a file name, got " + v.dump());
        c.uart.file = v.get<std::string>();
    } else if (key == "sim.quantum_ns")
        c.sim.quantum_ns = as_in_range(key, v, 1e-3, 1e9);
    else if (key == "sim.max_instructions")
        c.sim.max_instructions = as_u64(key, v);
    else if (key == "sim.max_time_ms")
        c.sim.max_time_ms = as_in_range(key, v, 0, 1e9);
    else if (key == "sim.max_wall_s")
        c.sim.max_wall_s = as_in_range(key, v, 0, 1e9);
    else {
        std::string known;
        for (const auto& k : own_keys)
            known += (known.empty() ? "" : ", ") + k;
        bad(key, "unknown configuration key (known: " + known + ", dram.*)");
    }
}

void validate(const platform_config& c)
{
    validate(c.dram);
    const std::uint64_t end = c.dram.base + c.dram.size_bytes;
    if (c.dram.base < accelerator_base + accelerator_size)
        bad("dram.base", "must not lie below 0x40010000 (the accelerator registers end there)");
    if (end > (1ull << 32))
        bad("dram.size_bytes", "DRAM must end at or below 4 GiB (RV32 address space); base + size = " +
                                   std::to_string(end));
    if (reset_pc < c.dram.base || reset_pc >= end)
        bad("dram.base", "DRAM must contain the reset pc 0x80000000");
    if (c.cpu.clock_mhz / c.cpu.cpi > 1e6)
        bad("cpu.clock_mhz", "an instruction must take at least 1 ps (clock_mhz / cpi <= 1e6)");
}

nlohmann::json to_json(const platform_config& c)
{
    nlohmann::json j;
    j["cpu"] = {{"clock_mhz", c.cpu.clock_mhz}, {"cpi", c.cpu.cpi}};
    j["clint"] = {{"timebase_mhz", c.clint.timebase_mhz}};
    j["uart"] = {{"stdout", c.uart.to_stdout}, {"file", c.uart.file}};
    j["sim"] = {{"quantum_ns", c.sim.quantum_ns},
                {"max_instructions", c.sim.max_instructions},
                {"max_time_ms", c.sim.max_time_ms},
                {"max_wall_s", c.sim.max_wall_s}};
    j["dram"] = to_json(c.dram);
    return j;
}

}  // namespace ant
