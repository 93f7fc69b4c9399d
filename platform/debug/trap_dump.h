// The trap dump: what a firmware engineer needs after an unhandled trap — every general
// register under its ABI name, pc, mcause decoded, mtval, mepc, each code address with its
// function+offset and file:line from the ELF.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "iss.h"

namespace ant {

class elf_symbols;

struct trap_state {
    std::array<std::uint32_t, 32> x{};  // x[0] is zero
    std::uint32_t pc = 0, mepc = 0, mcause = 0, mtval = 0;
    // The trap that started a chain of traps (a handler that faults overwrites the CSRs).
    bool has_origin = false;
    std::uint32_t origin_mepc = 0, origin_mcause = 0, origin_mtval = 0;
};

// The hart's state as it stands.
trap_state live_trap_state(const iss_core_t* core);

// The privileged spec's name of an mcause value ("load access fault", "machine timer
// interrupt", "reserved cause 24").
std::string mcause_text(std::uint32_t mcause);

// Several lines, each ending in '\n', each starting with two spaces.
std::string format_trap_dump(const trap_state& s, const elf_symbols& symbols);

}  // namespace ant
