#include "target_description.h"

namespace ant {

const std::vector<described_csr>& described_csrs()
{
    static const std::vector<described_csr> csrs = {
        {0x300, "mstatus"},  {0x301, "misa"},    {0x304, "mie"},      {0x305, "mtvec"},
        {0x340, "mscratch"}, {0x341, "mepc"},    {0x342, "mcause"},   {0x343, "mtval"},
        {0x344, "mip"},      {0x7a0, "tselect"}, {0x7a1, "tdata1"},   {0x7a2, "tdata2"},
        {0x7a4, "tinfo"},    {0xb00, "mcycle"},  {0xb02, "minstret"}, {0xb80, "mcycleh"},
        {0xb82, "minstreth"}, {0xf11, "mvendorid"}, {0xf12, "marchid"}, {0xf13, "mimpid"},
        {0xf14, "mhartid"},
        {0x3a0, "pmpcfg0"},   {0x3a1, "pmpcfg1"},   {0x3a2, "pmpcfg2"},   {0x3a3, "pmpcfg3"},
        {0x3b0, "pmpaddr0"},  {0x3b1, "pmpaddr1"},  {0x3b2, "pmpaddr2"},  {0x3b3, "pmpaddr3"},
        {0x3b4, "pmpaddr4"},  {0x3b5, "pmpaddr5"},  {0x3b6, "pmpaddr6"},  {0x3b7, "pmpaddr7"},
        {0x3b8, "pmpaddr8"},  {0x3b9, "pmpaddr9"},  {0x3ba, "pmpaddr10"}, {0x3bb, "pmpaddr11"},
        {0x3bc, "pmpaddr12"}, {0x3bd, "pmpaddr13"}, {0x3be, "pmpaddr14"}, {0x3bf, "pmpaddr15"},
    };
    return csrs;
}

std::string rv32_target_xml()
{
    // ABI names; GDB accepts them (or xN) for the integer registers.
    static const char* const x_names[32] = {"zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2",
                                            "fp",   "s1", "a0", "a1", "a2",  "a3",  "a4", "a5",
                                            "a6",   "a7", "s2", "s3", "s4",  "s5",  "s6", "s7",
                                            "s8",   "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
    std::string xml =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n"
        "<architecture>riscv:rv32</architecture>\n<feature name=\"org.gnu.gdb.riscv.cpu\">\n";
    for (unsigned i = 0; i < 32; ++i) {
        const char* type = i == 1 ? "code_ptr" : (i == 2 || i == 8) ? "data_ptr" : "int";
        xml += "<reg name=\"" + std::string(x_names[i]) + "\" bitsize=\"32\" type=\"" + type + "\" regnum=\"" +
               std::to_string(i) + "\"/>\n";
    }
    xml += "<reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\" regnum=\"" + std::to_string(gdb_pc_regnum) + "\"/>\n";
    xml += "</feature>\n<feature name=\"org.gnu.gdb.riscv.csr\">\n";
    for (const described_csr& c : described_csrs())
        xml += "<reg name=\"" + std::string(c.name) + "\" bitsize=\"32\" type=\"int\" group=\"csr\" regnum=\"" +
               std::to_string(gdb_first_csr_regnum + c.number) + "\"/>\n";
    xml += "</feature>\n</target>\n";
    return xml;
}

}  // namespace ant
