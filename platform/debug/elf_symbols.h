// ant::elf_symbols — addresses of a firmware ELF turned into "function+offset (file:line)",
// as addr2line would, for messages such as the trap dump. Uses elfutils' libdwfl: the symbol
// table always, the DWARF line table when the firmware was built with -g.
#pragma once

#include <cstdint>
#include <string>

struct Dwfl;

namespace ant {

class elf_symbols {
public:
    // An unreadable or foreign file gives an object that describes nothing (never throws).
    explicit elf_symbols(const std::string& elf_path);
    ~elf_symbols();
    elf_symbols(const elf_symbols&) = delete;
    elf_symbols& operator=(const elf_symbols&) = delete;

    // "main+0x1a (sw/programs/x/main.c:42)", "main+0x1a" without line information, or "" when
    // no symbol covers the address.
    std::string describe(std::uint32_t address) const;

    // Address of a global symbol (data or function); false when there is none.
    bool lookup(const std::string& name, std::uint32_t& address) const;

private:
    Dwfl* dwfl_ = nullptr;
};

}  // namespace ant
