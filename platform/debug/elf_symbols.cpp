#include "elf_symbols.h"

#include <cinttypes>
#include <cstdio>

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

namespace ant {

namespace {

// Offline reporting of one executable: the addresses in the file are the addresses in memory.
const Dwfl_Callbacks offline_callbacks = {
    dwfl_build_id_find_elf,
    dwfl_standard_find_debuginfo,
    dwfl_offline_section_address,
    nullptr,
};

Dwfl_Module* only_module(Dwfl* dwfl)
{
    Dwfl_Module* found = nullptr;
    dwfl_getmodules(
        dwfl,
        [](Dwfl_Module* m, void**, const char*, Dwarf_Addr, void* arg) -> int {
            *static_cast<Dwfl_Module**>(arg) = m;
            return DWARF_CB_ABORT;
        },
        &found, 0);
    return found;
}

// "file:line" from the DWARF line table of the compilation unit holding the address. The
// units are searched one by one: dwarf_addrdie relies on .debug_aranges, which picolibc's
// prebuilt objects do not describe in a form libdw accepts.
std::string source_line(Dwfl_Module* m, std::uint32_t address)
{
    Dwarf_Addr bias = 0;
    Dwarf* dwarf = dwfl_module_getdwarf(m, &bias);
    if (!dwarf)
        return "";
    const Dwarf_Addr pc = address - bias;
    Dwarf_Off offset = 0, next = 0;
    size_t header = 0;
    while (dwarf_nextcu(dwarf, offset, &next, &header, nullptr, nullptr, nullptr) == 0) {
        Dwarf_Die unit;
        if (dwarf_offdie(dwarf, offset + header, &unit) && dwarf_haspc(&unit, pc) == 1) {
            Dwarf_Line* line = dwarf_getsrc_die(&unit, pc);
            int lineno = 0;
            const char* file = line ? dwarf_linesrc(line, nullptr, nullptr) : nullptr;
            if (file && dwarf_lineno(line, &lineno) == 0 && lineno > 0)
                return std::string(file) + ":" + std::to_string(lineno);
            return "";
        }
        offset = next;
    }
    return "";
}

}  // namespace

elf_symbols::elf_symbols(const std::string& elf_path)
{
    dwfl_ = dwfl_begin(&offline_callbacks);
    if (!dwfl_)
        return;
    dwfl_report_begin(dwfl_);
    const bool reported = dwfl_report_offline(dwfl_, "firmware", elf_path.c_str(), -1) != nullptr;
    dwfl_report_end(dwfl_, nullptr, nullptr);
    if (!reported) {
        dwfl_end(dwfl_);
        dwfl_ = nullptr;
    }
}

elf_symbols::~elf_symbols()
{
    if (dwfl_)
        dwfl_end(dwfl_);
}

std::string elf_symbols::describe(std::uint32_t address) const
{
    Dwfl_Module* m = dwfl_ ? only_module(dwfl_) : nullptr;
    if (!m)
        return "";
    // The nearest symbol at or below the address that names code or data. RISC-V mapping
    // symbols ($x, $d) and local labels (.L) are markers, not names.
    const char* best = nullptr;
    GElf_Addr best_value = 0;
    const int n = dwfl_module_getsymtab(m);
    for (int i = 1; i < n; ++i) {
        GElf_Sym sym;
        const char* name = dwfl_module_getsym(m, i, &sym, nullptr);
        const int type = GELF_ST_TYPE(sym.st_info);
        if (!name || !*name || name[0] == '$' || (name[0] == '.' && name[1] == 'L') || sym.st_shndx == SHN_UNDEF ||
            sym.st_shndx == SHN_ABS || (type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE))
            continue;
        if (sym.st_value > address || (best && sym.st_value < best_value))
            continue;
        if (sym.st_size != 0 && address >= sym.st_value + sym.st_size)
            continue;  // a sized symbol that ends below the address
        // Of symbols at the same address prefer a function to a plain label.
        if (best && sym.st_value == best_value && type != STT_FUNC)
            continue;
        best = name;
        best_value = sym.st_value;
    }
    if (!best)
        return "";
    char text[32];
    std::snprintf(text, sizeof text, "+0x%" PRIx64, static_cast<std::uint64_t>(address - best_value));
    std::string out = best + std::string(text);
    const std::string line = source_line(m, address);
    if (!line.empty())
        out += " (" + line + ")";
    return out;
}

bool elf_symbols::lookup(const std::string& name, std::uint32_t& address) const
{
    Dwfl_Module* m = dwfl_ ? only_module(dwfl_) : nullptr;
    if (!m)
        return false;
    const int n = dwfl_module_getsymtab(m);
    for (int i = 1; i < n; ++i) {
        GElf_Sym sym;
        const char* s = dwfl_module_getsym(m, i, &sym, nullptr);
        if (s && name == s && sym.st_shndx != SHN_UNDEF && GELF_ST_BIND(sym.st_info) == STB_GLOBAL) {
            address = static_cast<std::uint32_t>(sym.st_value);
            return true;
        }
    }
    return false;
}

}  // namespace ant
