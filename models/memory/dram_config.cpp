#include "memory/dram_config.h"

#include <cmath>
#include <functional>
#include <map>
#include <sstream>

namespace ant {

namespace {

bool is_pow2(std::uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

std::string full(const std::string& key) { return "dram." + key; }

[[noreturn]] void bad(const std::string& key, const std::string& what)
{
    throw config_error(full(key) + ": " + what);
}

std::uint64_t as_u64(const std::string& key, const nlohmann::json& v)
{
    if (v.is_number_unsigned())
        return v.get<std::uint64_t>();
    if (v.is_number_integer()) {  // a signed JSON integer (e.g. an int from C++)
        if (v.get<std::int64_t>() >= 0)
            return static_cast<std::uint64_t>(v.get<std::int64_t>());
        bad(key, "expected a non-negative integer, got " + v.dump());
    }
    if (v.is_number_float()) {
        double d = v.get<double>();
        if (d >= 0 && std::floor(d) == d && d < 1.8e19)
            return static_cast<std::uint64_t>(d);
        bad(key, "expected a non-negative integer, got " + v.dump());
    }
    if (v.is_string()) {  // CLI values may arrive as strings, e.g. "0x80000000"
        const auto& s = v.get_ref<const std::string&>();
        try {
            std::size_t used = 0;
            if (!s.empty() && s[0] != '-') {
                std::uint64_t r = std::stoull(s, &used, 0);
                if (used == s.size())
                    return r;
            }
        } catch (const std::exception&) {
        }
        bad(key, "expected a non-negative integer, got " + v.dump());
    }
    bad(key, "expected a non-negative integer, got " + v.dump());
}

unsigned as_unsigned(const std::string& key, const nlohmann::json& v)
{
    std::uint64_t r = as_u64(key, v);
    if (r > 0xFFFF'FFFFull)
        bad(key, "value " + std::to_string(r) + " is too large");
    return static_cast<unsigned>(r);
}

unsigned as_positive_unsigned(const std::string& key, const nlohmann::json& v)
{
    const unsigned r = as_unsigned(key, v);
    if (r == 0)
        bad(key, "must be greater than zero");
    return r;
}

double as_positive_double(const std::string& key, const nlohmann::json& v)
{
    double d = 0;
    if (v.is_number())
        d = v.get<double>();
    else if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        try {
            std::size_t used = 0;
            d = std::stod(s, &used);
            if (used != s.size())
                bad(key, "expected a number, got " + v.dump());
        } catch (const std::logic_error&) {
            bad(key, "expected a number, got " + v.dump());
        }
    } else
        bad(key, "expected a number, got " + v.dump());
    if (!(d > 0) || !std::isfinite(d))
        bad(key, "must be a positive number, got " + v.dump());
    return d;
}

bool as_bool(const std::string& key, const nlohmann::json& v)
{
    if (v.is_boolean())
        return v.get<bool>();
    if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        if (s == "true" || s == "1")
            return true;
        if (s == "false" || s == "0")
            return false;
    }
    bad(key, "expected true or false, got " + v.dump());
}

std::string as_string(const std::string& key, const nlohmann::json& v)
{
    if (!v.is_string())
        bad(key, "expected a string, got " + v.dump());
    return v.get<std::string>();
}

using setter = std::function<void(dram_config&, const std::string&, const nlohmann::json&)>;

// The one table of keys: order here is the documentation order.
const std::vector<std::pair<std::string, setter>>& key_table()
{
    static const std::vector<std::pair<std::string, setter>> table = {
        {"preset", [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             std::string name = as_string(k, v);
             c = dram_preset(name);
         }},
        {"model", [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             std::string s = as_string(k, v);
             if (s == "detailed")
                 c.model = dram_model::detailed;
             else if (s == "simple")
                 c.model = dram_model::simple;
             else
                 bad(k, "unknown model \"" + s + "\" (known: detailed, simple)");
         }},
        {"base", [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             c.base = as_u64(k, v);
         }},
        {"size_bytes", [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             std::uint64_t s = as_u64(k, v);
             if (s == 0)
                 bad(k, "must be greater than zero");
             c.size_bytes = s;
         }},
        {"channels", [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             c.channels = as_positive_unsigned(k, v);
         }},
        {"ranks", [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             c.ranks = as_positive_unsigned(k, v);
         }},
        {"banks", [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             c.banks = as_positive_unsigned(k, v);
         }},
        {"bankgroups", [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             c.bankgroups = as_positive_unsigned(k, v);
         }},
        {"bus_width_bits", [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             c.bus_width_bits = as_positive_unsigned(k, v);
         }},
        {"row_bytes", [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             c.row_bytes = as_positive_unsigned(k, v);
         }},
        {"page_policy", [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             std::string s = as_string(k, v);
             if (s == "open")
                 c.page_policy = dram_page_policy::open;
             else if (s == "closed")
                 c.page_policy = dram_page_policy::closed;
             else
                 bad(k, "unknown page policy \"" + s + "\" (known: open, closed)");
         }},
        {"address_mapping", [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             c.address_mapping = as_string(k, v);
         }},
        {"scheduler", [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             std::string s = as_string(k, v);
             if (s == "frfcfs")
                 c.scheduler = dram_scheduler::frfcfs;
             else if (s == "fcfs")
                 c.scheduler = dram_scheduler::fcfs;
             else
                 bad(k, "unknown scheduler \"" + s + "\" (known: frfcfs, fcfs)");
         }},
        {"queue_depth", [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             c.queue_depth = as_positive_unsigned(k, v);
         }},
        {"write_buffer", [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             c.write_buffer = as_unsigned(k, v);
         }},
        {"write_high_watermark",
         [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             c.write_high_watermark = as_unsigned(k, v);
         }},
        {"write_low_watermark",
         [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             c.write_low_watermark = as_unsigned(k, v);
         }},
        // null = derived from the detailed parameters (what to_json writes for "derived").
        {"latency_ns", [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             c.latency_ns = v.is_null() ? 0.0 : as_positive_double(k, v);
         }},
        {"bandwidth_gbps", [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             c.bandwidth_gbps = v.is_null() ? 0.0 : as_positive_double(k, v);
         }},
        {"timing.tCK_ns", [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             c.timing.tCK_ns = as_positive_double(k, v);
         }},
#define ANT_DRAM_CYCLES(field)                                                              \
    {"timing." #field, [](dram_config& c, const std::string& k, const nlohmann::json& v) { \
         c.timing.field = as_positive_unsigned(k, v);                                       \
     }}
        ANT_DRAM_CYCLES(CL),
        ANT_DRAM_CYCLES(CWL),
        ANT_DRAM_CYCLES(tRCD),
        ANT_DRAM_CYCLES(tRP),
        ANT_DRAM_CYCLES(tRAS),
        ANT_DRAM_CYCLES(tWR),
        ANT_DRAM_CYCLES(tRRD_S),
        ANT_DRAM_CYCLES(tRRD_L),
        ANT_DRAM_CYCLES(tFAW),
        ANT_DRAM_CYCLES(tCCD_S),
        ANT_DRAM_CYCLES(tCCD_L),
        ANT_DRAM_CYCLES(tWTR_S),
        ANT_DRAM_CYCLES(tWTR_L),
        ANT_DRAM_CYCLES(tRTW),
        ANT_DRAM_CYCLES(tRTP),
        ANT_DRAM_CYCLES(tRFC),
        ANT_DRAM_CYCLES(tRFCpb),
        ANT_DRAM_CYCLES(tREFI),
        ANT_DRAM_CYCLES(burst_length),
        ANT_DRAM_CYCLES(data_rate),
#undef ANT_DRAM_CYCLES
        // tRTRS may be 0 (no rank-switch gap), unlike the other timings.
        {"timing.tRTRS", [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             c.timing.tRTRS = as_unsigned(k, v);
         }},
        {"timing.refresh", [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             c.timing.refresh = as_bool(k, v);
         }},
        {"timing.refresh_mode",
         [](dram_config& c, const std::string& k, const nlohmann::json& v) {
             std::string s = as_string(k, v);
             if (s == "all_bank")
                 c.timing.refresh_mode = dram_refresh_mode::all_bank;
             else if (s == "per_bank")
                 c.timing.refresh_mode = dram_refresh_mode::per_bank;
             else
                 bad(k, "unknown refresh mode \"" + s + "\" (known: all_bank, per_bank)");
         }},
    };
    return table;
}

}  // namespace

const char* to_string(dram_model m) { return m == dram_model::simple ? "simple" : "detailed"; }
const char* to_string(dram_page_policy p)
{
    return p == dram_page_policy::closed ? "closed" : "open";
}
const char* to_string(dram_scheduler s) { return s == dram_scheduler::fcfs ? "fcfs" : "frfcfs"; }
const char* to_string(dram_refresh_mode m)
{
    return m == dram_refresh_mode::per_bank ? "per_bank" : "all_bank";
}

std::uint64_t dram_burst_bytes(const dram_config& c)
{
    return std::uint64_t{c.bus_width_bits} / 8 * c.timing.burst_length;
}

double dram_burst_ns(const dram_config& c)
{
    return static_cast<double>(c.timing.burst_length) / c.timing.data_rate * c.timing.tCK_ns;
}

double dram_peak_bandwidth_gbps(const dram_config& c)
{
    if (c.model == dram_model::simple && c.bandwidth_gbps > 0)
        return c.bandwidth_gbps;
    return static_cast<double>(c.channels) * static_cast<double>(dram_burst_bytes(c)) /
           dram_burst_ns(c);
}

double dram_simple_latency_ns(const dram_config& c)
{
    if (c.latency_ns > 0)
        return c.latency_ns;
    return (c.timing.tRCD + c.timing.CL) * c.timing.tCK_ns + dram_burst_ns(c);
}

std::vector<std::string> dram_preset_names()
{
    return {"ddr4-3200", "lpddr4-4266", "hbm2", "scnn-50gbps"};
}

dram_config dram_preset(const std::string& name)
{
    dram_config c;  // the defaults are DDR4-3200
    c.preset = name;
    if (name == "ddr4-3200") {
        // JEDEC JESD79-4B speed bin DDR4-3200AA (22-22-22, tCK = 0.625 ns), one 64-bit
        // channel (DIMM of eight x8 8 Gb devices, e.g. Micron MT40A1G8): 25.6 GB/s.
        // tRAS 32 ns, tWR 15 ns, tRRD_S 2.5 ns (4 nCK), tRRD_L 4.9 ns (8 nCK), tFAW 21 ns
        // (1 KB page), tCCD_S 4, tCCD_L 5 ns (8 nCK), tWTR_S 2.5 ns (4), tWTR_L 7.5 ns
        // (12), tRTP 7.5 ns (12), tRTW = RL + BL/2 - WL + 2 = 12, tRFC 350 ns (8 Gb),
        // tREFI 7.8 us, BL8, CWL 16, 4 bank groups of 4 banks. Row = 8 x 1 KB device pages.
        // DDR4 has no per-bank refresh: tRFCpb = tRFC only serves what-if runs.
        // These are the struct defaults; listed here so the preset is readable.
        c.model = dram_model::detailed;
        c.channels = 1;
        c.ranks = 1;
        c.banks = 16;
        c.bankgroups = 4;
        c.bus_width_bits = 64;
        c.row_bytes = 8192;
        c.address_mapping = "row:rank:bank:column:bankgroup:channel";
        c.timing = dram_timing_config{};
    } else if (name == "lpddr4-4266") {
        // JEDEC JESD209-4B LPDDR4-4266 (tCK = 0.46875 ns), four x16 channels (a 64-bit
        // package, e.g. Micron MT53E 8 Gb/channel): 4 x 8.53 = 34.1 GB/s.
        // RL 36 (DBI off), WL 18 (set A), tRCD = tRPpb = tWR = max(18 ns, 4 nCK) -> 39,
        // tRAS 42 ns -> 90, tRRD 7.5 ns -> 16, tFAW 40 ns -> 86, tRFCab 280 ns -> 598,
        // tRFCpb 140 ns -> 299, tREFI 3.904 us -> 8329, BL16 (tCCD = 8), tWTR max(10 ns,
        // 8 nCK) -> 22, tRTP max(7.5 ns, 8 nCK) -> 16, tRTW = RL + BL/2 - WL + 2 = 28,
        // 8 banks without bank groups, 2 KB page.
        c.model = dram_model::detailed;
        c.channels = 4;
        c.ranks = 1;
        c.banks = 8;
        c.bankgroups = 1;
        c.bus_width_bits = 16;
        c.row_bytes = 2048;
        c.address_mapping = "row:rank:bank:column:channel";
        c.timing.tCK_ns = 0.46875;
        c.timing.CL = 36;
        c.timing.CWL = 18;
        c.timing.tRCD = 39;
        c.timing.tRP = 39;
        c.timing.tRAS = 90;
        c.timing.tWR = 39;
        c.timing.tRRD_S = 16;
        c.timing.tRRD_L = 16;
        c.timing.tFAW = 86;
        c.timing.tCCD_S = 8;
        c.timing.tCCD_L = 8;
        c.timing.tWTR_S = 22;
        c.timing.tWTR_L = 22;
        c.timing.tRTW = 28;
        c.timing.tRTP = 16;
        c.timing.tRFC = 598;
        c.timing.tRFCpb = 299;
        c.timing.tREFI = 8329;
        c.timing.burst_length = 16;
    } else if (name == "hbm2") {
        // JEDEC JESD235A HBM2, one stack at 2 Gb/s/pin (tCK = 1 ns): 8 legacy channels x
        // 128 bit x 2 Gb/s = 8 x 32 = 256 GB/s. Timings as in DRAMsim3's HBM config
        // (CL = tRCD = tRP = 14 ns, tRAS 34 ns, tWR 16 ns, tRRD_S 8 ns, tFAW 40 ns,
        // tREFI 3.9 us, kept in ns and expressed at 1 GHz) and tRFC 260 ns (4 Gb die); BL4 (64 B per burst),
        // 16 banks in 4 bank groups, 2 KB page; tWTR_S 6, tWTR_L 8, tRTP 6 as in DRAMsim3's
        // HBM2 config. CWL 4 nCK, tCCD_L 4 nCK (two bursts), tRTW = RL + BL/2 - WL + 2 = 14
        // and tRFCpb 160 ns are assumed.
        c.model = dram_model::detailed;
        c.channels = 8;
        c.ranks = 1;
        c.banks = 16;
        c.bankgroups = 4;
        c.bus_width_bits = 128;
        c.row_bytes = 2048;
        c.address_mapping = "row:rank:bank:column:bankgroup:channel";
        c.timing.tCK_ns = 1.0;
        c.timing.CL = 14;
        c.timing.CWL = 4;
        c.timing.tRCD = 14;
        c.timing.tRP = 14;
        c.timing.tRAS = 34;
        c.timing.tWR = 16;
        c.timing.tRRD_S = 8;
        c.timing.tRRD_L = 8;
        c.timing.tFAW = 40;
        c.timing.tCCD_S = 2;
        c.timing.tCCD_L = 4;
        c.timing.tWTR_S = 6;
        c.timing.tWTR_L = 8;
        c.timing.tRTW = 14;
        c.timing.tRTP = 6;
        c.timing.tRFC = 260;
        c.timing.tRFCpb = 160;
        c.timing.tREFI = 3900;
        c.timing.burst_length = 4;
    } else if (name == "scnn-50gbps") {
        // SCNN (Parashar et al., ISCA 2017) evaluates with a nominal 50 GB/s DRAM and
        // gives no latency; 100 ns unloaded latency is *assumed*. Simple model.
        c.model = dram_model::simple;
        c.bandwidth_gbps = 50.0;
        c.latency_ns = 100.0;
    } else {
        std::string known;
        for (const auto& n : dram_preset_names())
            known += (known.empty() ? "" : ", ") + n;
        throw config_error("dram.preset: unknown preset \"" + name + "\" (known: " + known +
                           ")");
    }
    return c;
}

void set_dram_key(dram_config& c, const std::string& key, const nlohmann::json& value)
{
    for (const auto& [name, set] : key_table()) {
        if (name == key) {
            dram_config copy = c;  // strong guarantee: c is untouched on error
            set(copy, key, value);
            c = copy;
            return;
        }
    }
    throw config_error(full(key) + ": unknown key (known: " + [] {
        std::string s;
        for (const auto& [name, set] : key_table())
            s += (s.empty() ? "" : ", ") + name;
        return s;
    }() + ")");
}

std::vector<std::string> dram_config_keys()
{
    std::vector<std::string> keys;
    for (const auto& entry : key_table())
        keys.push_back(entry.first);
    return keys;
}

void validate(const dram_config& c)
{
    if (c.size_bytes == 0)
        bad("size_bytes", "must be greater than zero");
    if (c.base + c.size_bytes < c.base)
        bad("size_bytes", "base + size_bytes overflows the 64-bit address space");
    if (c.model == dram_model::simple) {
        if (c.bandwidth_gbps <= 0 && c.bandwidth_gbps != 0)
            bad("bandwidth_gbps", "must be a positive number");
    } else {
        if (c.bandwidth_gbps != 0)
            bad("bandwidth_gbps",
                "only applies to model = simple; the detailed model's peak bandwidth follows "
                "from channels, bus_width_bits, timing.burst_length and timing.tCK_ns");
        if (c.latency_ns != 0)
            bad("latency_ns", "only applies to model = simple; the detailed model's latency "
                              "follows from its timings");
    }
    // The organisation is checked under the simple model too: its fields still derive the
    // simple model's default latency and bandwidth, and a value that is wrong is wrong
    // whichever model reads it.
    if (!is_pow2(c.channels))
        bad("channels", "must be a power of two, got " + std::to_string(c.channels));
    if (!is_pow2(c.ranks))
        bad("ranks", "must be a power of two, got " + std::to_string(c.ranks));
    if (!is_pow2(c.banks))
        bad("banks", "must be a power of two, got " + std::to_string(c.banks));
    if (c.banks % c.bankgroups != 0 || !is_pow2(c.bankgroups))
        bad("bankgroups", "must be a power of two dividing banks (" +
                              std::to_string(c.banks) + "), got " +
                              std::to_string(c.bankgroups));
    if (c.bus_width_bits % 8 != 0 || !is_pow2(c.bus_width_bits))
        bad("bus_width_bits",
            "must be a power of two multiple of 8, got " + std::to_string(c.bus_width_bits));
    if (!is_pow2(c.timing.burst_length))
        bad("timing.burst_length", "must be a power of two");
    if (!is_pow2(c.row_bytes) || c.row_bytes < dram_burst_bytes(c))
        bad("row_bytes", "must be a power of two of at least one burst (" +
                             std::to_string(dram_burst_bytes(c)) + " bytes)");
    const auto& t = c.timing;
    if (t.tRFC >= t.tREFI)
        bad("timing.tRFC", "must be smaller than timing.tREFI");
    if (t.tRFCpb >= t.tREFI)
        bad("timing.tRFCpb", "must be smaller than timing.tREFI");
    // JEDEC relations the scheduler relies on (each names the key that breaks it).
    auto need = [](bool ok, const char* key, const std::string& rule) {
        if (!ok)
            bad(key, "violates " + rule);
    };
    const unsigned burst_cycles = t.burst_length / t.data_rate;
    need(t.burst_length % t.data_rate == 0, "timing.burst_length",
         "burst_length being a multiple of data_rate");
    need(t.tRAS >= t.tRCD, "timing.tRAS", "tRAS >= tRCD (" + std::to_string(t.tRAS) + " < " +
                                              std::to_string(t.tRCD) + ")");
    need(t.tRRD_L >= t.tRRD_S, "timing.tRRD_L", "tRRD_L >= tRRD_S");
    need(t.tFAW >= t.tRRD_S, "timing.tFAW", "tFAW >= tRRD_S");
    need(t.tCCD_S >= burst_cycles, "timing.tCCD_S",
         "tCCD_S >= burst_length / data_rate (" + std::to_string(burst_cycles) + ")");
    need(t.tCCD_L >= t.tCCD_S, "timing.tCCD_L", "tCCD_L >= tCCD_S");
    need(t.tWTR_L >= t.tWTR_S, "timing.tWTR_L", "tWTR_L >= tWTR_S");
    need(t.tRTW + t.CWL >= t.CL + burst_cycles, "timing.tRTW",
         "tRTW >= CL + burst_length / data_rate - CWL (read data must end before write "
         "data starts)");
    if (c.write_buffer > 0) {
        if (c.write_high_watermark == 0 || c.write_high_watermark > c.write_buffer)
            bad("write_high_watermark", "must be between 1 and write_buffer (" +
                                            std::to_string(c.write_buffer) + ")");
        if (c.write_low_watermark >= c.write_high_watermark)
            bad("write_low_watermark", "must be smaller than write_high_watermark");
    }
    if (c.queue_depth == 0)
        bad("queue_depth", "must be greater than zero");
    // Address mapping: row, rank, bank, channel and column exactly once; bankgroup at most
    // once (without it the bank group is the bank number's low bits).
    std::map<std::string, int> seen;
    std::stringstream ss(c.address_mapping);
    std::string field;
    while (std::getline(ss, field, ':'))
        ++seen[field];
    for (const char* f : {"row", "rank", "bank", "channel", "column"})
        if (seen[f] != 1)
            bad("address_mapping", "\"" + c.address_mapping +
                                       "\" must name row, rank, bank, channel and column "
                                       "exactly once each (bankgroup at most once), "
                                       "separated by ':'");
    if (seen.count("bankgroup") != 0 && seen["bankgroup"] != 1)
        bad("address_mapping", "\"" + c.address_mapping + "\" names bankgroup twice");
    if (seen.size() != 5 + seen.count("bankgroup"))
        bad("address_mapping", "\"" + c.address_mapping + "\" has an unknown field");
}

nlohmann::json to_json(const dram_config& c)
{
    const auto& t = c.timing;
    return nlohmann::json{
        {"preset", c.preset},
        {"model", to_string(c.model)},
        {"base", c.base},
        {"size_bytes", c.size_bytes},
        {"channels", c.channels},
        {"ranks", c.ranks},
        {"banks", c.banks},
        {"bankgroups", c.bankgroups},
        {"bus_width_bits", c.bus_width_bits},
        {"row_bytes", c.row_bytes},
        {"page_policy", to_string(c.page_policy)},
        {"address_mapping", c.address_mapping},
        {"scheduler", to_string(c.scheduler)},
        {"queue_depth", c.queue_depth},
        {"write_buffer", c.write_buffer},
        {"write_high_watermark", c.write_high_watermark},
        {"write_low_watermark", c.write_low_watermark},
        {"latency_ns", c.latency_ns > 0 ? nlohmann::json(c.latency_ns) : nlohmann::json()},
        {"bandwidth_gbps",
         c.bandwidth_gbps > 0 ? nlohmann::json(c.bandwidth_gbps) : nlohmann::json()},
        {"timing",
         {{"tCK_ns", t.tCK_ns},
          {"CL", t.CL},
          {"CWL", t.CWL},
          {"tRCD", t.tRCD},
          {"tRP", t.tRP},
          {"tRAS", t.tRAS},
          {"tWR", t.tWR},
          {"tRRD_S", t.tRRD_S},
          {"tRRD_L", t.tRRD_L},
          {"tFAW", t.tFAW},
          {"tCCD_S", t.tCCD_S},
          {"tCCD_L", t.tCCD_L},
          {"tWTR_S", t.tWTR_S},
          {"tWTR_L", t.tWTR_L},
          {"tRTW", t.tRTW},
          {"tRTP", t.tRTP},
          {"tRFC", t.tRFC},
          {"tRFCpb", t.tRFCpb},
          {"tREFI", t.tREFI},
          {"burst_length", t.burst_length},
          {"data_rate", t.data_rate},
          {"tRTRS", t.tRTRS},
          {"refresh", t.refresh},
          {"refresh_mode", to_string(t.refresh_mode)}}},
        {"derived",
         {{"burst_bytes", dram_burst_bytes(c)},
          {"tBURST_ns", dram_burst_ns(c)},
          {"peak_bandwidth_gbps", dram_peak_bandwidth_gbps(c)}}},
    };
}

}  // namespace ant
