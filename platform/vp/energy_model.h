// Energy per job from the blocks' event counters and a table of energies per event. The
// table's defaults are public 45 nm figures (Horowitz, "Computing's energy problem", ISSCC
// 2014) and a DRAM energy per bit; every entry is a configuration key (energy.*), and every
// result names the table that produced it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/statistics.h"

namespace ant {

struct energy_table {
    double mult_pj = 3.7;             // fp32 multiply (Horowitz 2014, 45 nm)
    double add_pj = 0.9;              // fp32 add: one accumulation (Horowitz 2014)
    double int_op_pj = 0.1;           // 32-bit integer add: index arithmetic (Horowitz 2014)
    double sram_word_pj = 10.0;       // 64-bit read of an 8 KB SRAM, the size of a per-PE bank (Horowitz 2014)
    double dram_bit_pj = 20.0;        // DRAM access per bit, DDR class (Horowitz 2014: 1.3-2.6 nJ per 64 bit)
};

void set_energy_key(energy_table& table, const std::string& key, const nlohmann::json& value);
nlohmann::json to_json(const energy_table& table);

struct energy_breakdown {
    double multiply_pj = 0, accumulate_pj = 0, index_pj = 0, sram_pj = 0, dram_pj = 0;
    double total_pj() const { return multiply_pj + accumulate_pj + index_pj + sram_pj + dram_pj; }
};

// From the blocks' statistics of one job (names as the blocks report them).
energy_breakdown job_energy(const energy_table& table,
                            const std::vector<std::pair<std::string, statistics>>& blocks);

nlohmann::json to_json(const energy_breakdown& e);

}  // namespace ant
