#include "energy_model.h"

#include <cmath>

#include "common/config_error.h"

namespace ant {

namespace {

double value(const std::vector<std::pair<std::string, statistics>>& blocks, const std::string& block,
             const std::string& name)
{
    for (const auto& [b, list] : blocks)
        if (b == block)
            for (const auto& s : list)
                if (s.name == name)
                    return s.value;
    return 0.0;
}

double* field(energy_table& t, const std::string& key)
{
    if (key == "mult_pj") return &t.mult_pj;
    if (key == "add_pj") return &t.add_pj;
    if (key == "int_op_pj") return &t.int_op_pj;
    if (key == "sram_word_pj") return &t.sram_word_pj;
    if (key == "dram_bit_pj") return &t.dram_bit_pj;
    return nullptr;
}

}  // namespace

constexpr double max_event_pj = 1e6;

void set_energy_key(energy_table& table, const std::string& key, const nlohmann::json& v)
{
    double* f = field(table, key);
    if (!f)
        throw config_error("unknown config key 'energy." + key + "'");
    // Per-event energies are pJ to tens of pJ; the bound keeps a whole job's total finite.
    if (!v.is_number() || !(v.get<double>() >= 0.0) || !(v.get<double>() <= max_event_pj))
        throw config_error("config key 'energy." + key + "' needs a number from 0 to 1e6 (pJ per event), got " +
                           v.dump());
    *f = v.get<double>();
}

nlohmann::json to_json(const energy_table& t)
{
    return {{"energy.mult_pj", t.mult_pj},         {"energy.add_pj", t.add_pj},
            {"energy.int_op_pj", t.int_op_pj},     {"energy.sram_word_pj", t.sram_word_pj},
            {"energy.dram_bit_pj", t.dram_bit_pj},
            {"source", "Horowitz, Computing's energy problem, ISSCC 2014 (45 nm); configurable"}};
}

energy_breakdown job_energy(const energy_table& t, const std::vector<std::pair<std::string, statistics>>& b)
{
    energy_breakdown e;
    e.multiply_pj = value(b, "pe_array", "products_issued") * t.mult_pj;
    e.accumulate_pj = value(b, "pe_array", "accumulator_updates") * t.add_pj;
    // Index work: a range per vector (a handful of adds), an output coordinate per product.
    e.index_pj = (value(b, "index_range_calculator", "vectors") * 8 + value(b, "pe_array", "products_issued") * 2 +
                  value(b, "pe_array", "window_rows_searched") * 4 + value(b, "pe_array", "ranges_computed") * 8) *
                 t.int_op_pj;
    // SRAM: buffer ports move 64-byte accesses (8 words); the PEs read stationary entries
    // (6 bytes, most of a word) and read-modify-write an accumulator (two half-word accesses)
    // per valid product.
    double words = 0;
    for (const char* buffer : {"image_buffer", "kernel_buffer", "accumulator_buffer", "output_buffer"})
        words += (value(b, buffer, "read_bytes") + value(b, buffer, "write_bytes")) / 8.0;
    words += value(b, "pe_array", "stationary_reads") * 0.75 + value(b, "pe_array", "accumulator_updates");
    // Kernel-buffer reads by the PEs: 16-bit indices scanned and 32-bit values selected.
    words += value(b, "pe_array", "kernel_index_reads") * 0.25 + value(b, "pe_array", "kernel_value_reads") * 0.5;
    e.sram_pj = words * t.sram_word_pj;
    e.dram_pj = (value(b, "dma_engine", "dram_read_bytes") + value(b, "dma_engine", "dram_write_bytes")) * 8 *
                t.dram_bit_pj;
    return e;
}

nlohmann::json to_json(const energy_breakdown& e)
{
    return {{"multiply_pj", e.multiply_pj}, {"accumulate_pj", e.accumulate_pj}, {"index_pj", e.index_pj},
            {"sram_pj", e.sram_pj},         {"dram_pj", e.dram_pj},             {"total_pj", e.total_pj()}};
}

}  // namespace ant
