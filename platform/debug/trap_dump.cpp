#include "trap_dump.h"

#include <cstdio>

#include "elf_symbols.h"

namespace ant {

namespace {

const char* const abi_names[32] = {"zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
                                   "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
                                   "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

std::string hex32(std::uint32_t v)
{
    char b[16];
    std::snprintf(b, sizeof b, "0x%08x", static_cast<unsigned>(v));
    return b;
}

// "0x80000124 main+0x8 (main.c:9)"
std::string code_address(std::uint32_t a, const elf_symbols& symbols)
{
    const std::string where = symbols.describe(a);
    return where.empty() ? hex32(a) : hex32(a) + " " + where;
}

}  // namespace

trap_state live_trap_state(const iss_core_t* core)
{
    trap_state s;
    for (unsigned i = 1; i < 32; ++i)
        s.x[i] = iss_get_reg(core, i);
    s.pc = iss_get_pc(core);
    iss_get_csr(core, 0x341, &s.mepc);
    iss_get_csr(core, 0x342, &s.mcause);
    iss_get_csr(core, 0x343, &s.mtval);
    s.has_origin = iss_trap_chain_origin(core, &s.origin_mepc, &s.origin_mcause, &s.origin_mtval) == 0 &&
                   (s.origin_mepc != s.mepc || s.origin_mcause != s.mcause || s.origin_mtval != s.mtval);
    return s;
}

std::string mcause_text(std::uint32_t mcause)
{
    static const char* const exceptions[] = {"instruction address misaligned", "instruction access fault",
                                             "illegal instruction", "breakpoint", "load address misaligned",
                                             "load access fault", "store/AMO address misaligned",
                                             "store/AMO access fault", "environment call from U-mode",
                                             "environment call from S-mode", "reserved cause 10",
                                             "environment call from M-mode", "instruction page fault",
                                             "load page fault", "reserved cause 14", "store/AMO page fault"};
    static const char* const interrupts[] = {"reserved interrupt 0", "supervisor software interrupt",
                                             "reserved interrupt 2", "machine software interrupt",
                                             "reserved interrupt 4", "supervisor timer interrupt",
                                             "reserved interrupt 6", "machine timer interrupt",
                                             "reserved interrupt 8", "supervisor external interrupt",
                                             "reserved interrupt 10", "machine external interrupt"};
    const std::uint32_t code = mcause & 0x7FFF'FFFFu;
    if (mcause & 0x8000'0000u)
        return code < 12 ? interrupts[code] : "platform interrupt " + std::to_string(code);
    return code < 16 ? exceptions[code] : "reserved cause " + std::to_string(code);
}

std::string format_trap_dump(const trap_state& s, const elf_symbols& symbols)
{
    std::string out;
    out += "  mcause " + hex32(s.mcause) + " (" + mcause_text(s.mcause) + ")  mtval " + hex32(s.mtval) + "\n";
    out += "  mepc   " + code_address(s.mepc, symbols) + "\n";
    if (s.has_origin)
        out += "  first trap of the chain: mcause " + hex32(s.origin_mcause) + " (" + mcause_text(s.origin_mcause) +
               ")  mtval " + hex32(s.origin_mtval) + "  mepc " + code_address(s.origin_mepc, symbols) + "\n";
    out += "  pc     " + code_address(s.pc, symbols) + "\n";
    out += "  ra     " + code_address(s.x[1], symbols) + "\n";
    for (unsigned row = 0; row < 8; ++row) {
        out += " ";
        for (unsigned col = 0; col < 4; ++col) {
            const unsigned i = row * 4 + col;
            char cell[32];
            std::snprintf(cell, sizeof cell, " %4s %s", abi_names[i], hex32(s.x[i]).c_str());
            out += cell;
        }
        out += "\n";
    }
    return out;
}

}  // namespace ant
