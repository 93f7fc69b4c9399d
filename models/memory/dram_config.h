// Configuration of the DRAM model: one typed struct with its defaults in one place, the
// shipped presets (with their sources), and the key setter the JSON/CLI layer calls.
// Keys are relative to "dram." (see docs/dram.md for the full list and units).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/config_error.h"

namespace ant {

enum class dram_model { detailed, simple };
enum class dram_page_policy { open, closed };
enum class dram_scheduler { frfcfs, fcfs };
enum class dram_refresh_mode { all_bank, per_bank };

// JEDEC timings, all in clock cycles of tCK (nCK) except tCK itself, as in DRAMSys memspecs.
struct dram_timing_config {
    double tCK_ns = 0.625;          // clock period
    unsigned CL = 22;               // read latency: RD command -> first data
    unsigned CWL = 16;              // write latency: WR command -> first data
    unsigned tRCD = 22;             // ACT -> RD/WR
    unsigned tRP = 22;              // PRE -> ACT
    unsigned tRAS = 52;             // ACT -> PRE (minimum row open time)
    unsigned tWR = 24;              // end of write data -> PRE (write recovery)
    unsigned tRRD_S = 4;            // ACT -> ACT, banks of different bank groups of a rank
    unsigned tRRD_L = 8;            // ACT -> ACT, banks of the same bank group
    unsigned tFAW = 34;             // window holding at most four ACTs per rank
    unsigned tCCD_S = 4;            // RD->RD / WR->WR, different bank groups
    unsigned tCCD_L = 8;            // RD->RD / WR->WR, same bank group
    unsigned tWTR_S = 4;            // end of write data -> RD, different bank groups
    unsigned tWTR_L = 12;           // end of write data -> RD, same bank group
    unsigned tRTW = 12;             // RD -> WR command, same rank (bus turnaround)
    unsigned tRTP = 12;             // RD -> PRE
    unsigned tRTRS = 1;             // extra data-bus gap when the rank changes
    unsigned tRFC = 560;            // all-bank refresh cycle time: rank unavailable
    unsigned tRFCpb = 560;          // per-bank refresh cycle time: one bank unavailable
    unsigned tREFI = 12480;         // refresh interval (of every bank)
    unsigned burst_length = 8;      // beats per burst (BL)
    unsigned data_rate = 2;         // beats per clock (2 = DDR)
    bool refresh = true;            // model refresh at all
    dram_refresh_mode refresh_mode = dram_refresh_mode::all_bank;
};

struct dram_config {
    std::string preset = "ddr4-3200";        // informational once keys are overridden
    dram_model model = dram_model::detailed;
    std::uint64_t base = 0x8000'0000ull;     // first byte address
    std::uint64_t size_bytes = 1ull << 30;   // capacity (1 GiB)

    // Detailed model organisation.
    unsigned channels = 1;                   // independent channels, each with its data bus
    unsigned ranks = 1;                      // ranks per channel (share the data bus)
    unsigned banks = 16;                     // banks per rank (all bank groups)
    unsigned bankgroups = 4;                 // bank groups per rank; divides banks
    unsigned bus_width_bits = 64;            // data bus width of one channel
    unsigned row_bytes = 8192;               // row (page) size seen by one channel
    dram_page_policy page_policy = dram_page_policy::open;
    std::string address_mapping = "row:rank:bank:column:bankgroup:channel";  // MSB -> LSB
    dram_timing_config timing;

    // Controller (per channel), see docs/dram.md "Controller".
    dram_scheduler scheduler = dram_scheduler::frfcfs;
    unsigned queue_depth = 32;               // read bursts held until their data is done
    unsigned write_buffer = 32;              // posted write bursts; 0 = writes not posted
    unsigned write_high_watermark = 32;      // buffered writes that start a drain
    unsigned write_low_watermark = 0;        // a drain stops at this many

    // Simple model (model = simple). 0 = derived from the detailed parameters above
    // (unloaded row-miss latency and peak bandwidth), so switching a detailed preset to
    // simple keeps its headline numbers.
    double latency_ns = 0.0;
    double bandwidth_gbps = 0.0;             // GB/s = 1e9 bytes/s = bytes/ns
};

// Derived figures.
std::uint64_t dram_burst_bytes(const dram_config& c);  // bus_width_bits/8 * burst_length
double dram_burst_ns(const dram_config& c);             // tBURST = BL / data_rate * tCK
double dram_peak_bandwidth_gbps(const dram_config& c);  // all channels, or the simple value
double dram_simple_latency_ns(const dram_config& c);    // latency_ns or tRCD+CL+tBURST

// Known presets: "ddr4-3200", "lpddr4-4266", "hbm2", "scnn-50gbps".
std::vector<std::string> dram_preset_names();
// Throws config_error naming the key "dram.preset" and listing the known presets.
dram_config dram_preset(const std::string& name);

// Sets one key (relative to "dram.", e.g. "timing.tRCD"). "preset" replaces the whole
// configuration by the preset; apply it first. Throws config_error naming the key on an
// unknown key, a wrong JSON type or a value out of range.
void set_dram_key(dram_config& c, const std::string& key, const nlohmann::json& value);

// Every key set_dram_key accepts, in documentation order.
std::vector<std::string> dram_config_keys();

// Cross-field checks (powers of two, mapping fields, simple-only keys in detailed mode,
// JEDEC relations such as tRAS >= tRCD, watermarks).
// Throws config_error naming the key. The dram module calls it on construction.
void validate(const dram_config& c);

// The whole configuration, for result files. Feeding each key back through set_dram_key
// reproduces it.
nlohmann::json to_json(const dram_config& c);

const char* to_string(dram_model m);
const char* to_string(dram_page_policy p);
const char* to_string(dram_scheduler s);
const char* to_string(dram_refresh_mode m);

}  // namespace ant
