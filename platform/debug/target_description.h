// The target description GDB reads (qXfer:features:read:target.xml): an RV32 hart with x0-x31
// and pc in org.gnu.gdb.riscv.cpu and the CSRs this core implements in org.gnu.gdb.riscv.csr,
// numbered as GDB's RISC-V port expects (CSR n is register 65 + n).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ant {

constexpr unsigned gdb_pc_regnum = 32;
constexpr unsigned gdb_first_csr_regnum = 65;

struct described_csr {
    std::uint32_t number;
    const char* name;
};

// The CSRs listed in the description (all readable on this core).
const std::vector<described_csr>& described_csrs();

std::string rv32_target_xml();

}  // namespace ant
