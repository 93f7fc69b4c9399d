// Configuration of the virtual platform around the ISS: one typed struct per block with its
// defaults in one place, and the key setter the JSON/CLI layer calls. Keys are hierarchical
// ("cpu.cpi", "sim.quantum_ns", "dram.size_bytes"); the "dram." keys go to ant::set_dram_key.
// See docs/platform.md for the list, units and defaults.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/config_error.h"
#include "memory/dram_config.h"

namespace ant {

// Memory map (design.md). DRAM's base and size come from dram_config.
constexpr std::uint32_t clint_base = 0x0200'0000u;
constexpr std::uint32_t clint_size = 0x1'0000u;
constexpr std::uint32_t uart_base = 0x1000'0000u;
constexpr std::uint32_t uart_size = 0x100u;
constexpr std::uint32_t accelerator_base = 0x4000'0000u;
constexpr std::uint32_t accelerator_size = 0x1'0000u;
constexpr std::uint32_t reset_pc = 0x8000'0000u;

// Per-instruction cost model of the core: every retired instruction costs cpi cycles of a
// clock_mhz clock; time spent in TLM targets (MMIO, non-DMI DRAM) is added on top.
struct cpu_config {
    double clock_mhz = 1000.0;
    double cpi = 1.0;
};

struct clint_config {
    double timebase_mhz = 10.0;  // mtime ticks per microsecond (10 MHz: 100 ns per tick)
};

struct uart_config {
    bool to_stdout = true;  // copy transmitted bytes to the host's stdout
    std::string file;       // also write them to this file ("" = none)
};

struct sim_config {
    double quantum_ns = 10'000.0;      // temporal-decoupling quantum of the core
    std::uint64_t max_instructions = 0;  // 0 = no limit
    double max_time_ms = 0.0;          // simulated-time limit, 0 = no limit
    double max_wall_s = 0.0;           // host-time limit of the run, 0 = no limit
};

struct platform_config {
    cpu_config cpu;
    clint_config clint;
    uart_config uart;
    sim_config sim;
    dram_config dram;
};

// Sets one key, e.g. ("cpu.cpi", 1.5) or ("dram.size_bytes", "0x10000000"). Numbers may come
// as JSON numbers or numeric strings (command line). Throws config_error naming the key on an
// unknown key (listing the known ones), a wrong type or a value out of range.
void set_platform_key(platform_config& c, const std::string& key, const nlohmann::json& value);

// Every key set_platform_key accepts (dram keys with their "dram." prefix).
std::vector<std::string> platform_config_keys();

// Cross-field checks: DRAM must lie above the accelerator window and end below 4 GiB, and
// must contain the reset pc. Throws config_error naming the key.
void validate(const platform_config& c);

// The whole configuration, for result files.
nlohmann::json to_json(const platform_config& c);

}  // namespace ant
