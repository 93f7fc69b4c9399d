#include "instruction_trace.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace ant {

namespace {

const char* const abi_names[32] = {"zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
                                   "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
                                   "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

// Lines are built by hand: printf's format parsing costs more than the simulation of the
// instruction itself, and a trace of millions of lines should cost little beyond the write.
struct line_buffer {
    char text[192];
    unsigned n = 0;
    void put(const char* s)
    {
        while (*s && n < sizeof text - 1)
            text[n++] = *s++;
    }
    void put(char c)
    {
        if (n < sizeof text - 1)
            text[n++] = c;
    }
    void hex(std::uint32_t v, unsigned digits)
    {
        static const char xd[] = "0123456789abcdef";
        for (unsigned i = digits; i-- > 0;)
            put(xd[(v >> (4 * i)) & 15u]);
    }
    void dec(unsigned long long v, unsigned min_digits = 1)
    {
        char b[24];
        unsigned k = 0;
        do {
            b[k++] = char('0' + v % 10);
            v /= 10;
        } while (v || k < min_digits);
        while (k)
            put(b[--k]);
    }
    // Simulated time in ns with picosecond digits, then the instruction count.
    void stamp(sc_core::sc_time at, std::uint64_t instret)
    {
        const auto ps = static_cast<unsigned long long>(std::llround(at.to_seconds() * 1e12));
        dec(ps / 1000);
        put('.');
        dec(ps % 1000, 3);
        put(' ');
        dec(instret);
        put(' ');
    }
    void write(std::FILE* f)
    {
        text[n++] = '\n';
        std::fwrite(text, 1, n, f);
    }
};

}  // namespace

const char* trap_cause_name(std::uint32_t mcause)
{
    if (mcause & 0x8000'0000u) {
        switch (mcause & 0x7fff'ffffu) {
        case 3: return "machine software interrupt";
        case 7: return "machine timer interrupt";
        case 11: return "machine external interrupt";
        default: return "interrupt";
        }
    }
    switch (mcause) {
    case 0: return "instruction address misaligned";
    case 1: return "instruction access fault";
    case 2: return "illegal instruction";
    case 3: return "breakpoint";
    case 4: return "load address misaligned";
    case 5: return "load access fault";
    case 6: return "store/AMO address misaligned";
    case 7: return "store/AMO access fault";
    case 11: return "environment call from M-mode";
    default: return "exception";
    }
}

instruction_trace::instruction_trace(const std::string& path) : path_(path)
{
    out_ = std::fopen(path.c_str(), "w");
    if (!out_)
        throw std::runtime_error(path + ": cannot write the instruction trace (" + std::strerror(errno) + ")");
    // Lines are small and many: a large buffer keeps the cost at formatting.
    std::setvbuf(out_, nullptr, _IOFBF, 1 << 20);
    std::fputs("# ant-vp instruction trace 1: time_ns instret pc insn mnemonic [reg=value] [mem]\n"
               "# time_ns instret trap <exception|interrupt> mcause name mtval= mepc= handler=\n",
               out_);
}

instruction_trace::~instruction_trace()
{
    if (out_)
        std::fclose(out_);
}

void instruction_trace::retired(sc_core::sc_time at, std::uint64_t instret, const iss_retire_t& r)
{
    line_buffer l;
    l.stamp(at, instret);
    l.hex(r.pc, 8);
    l.put(' ');
    if (r.len == 2) {
        l.hex(r.insn, 4);
        l.put("     ");
    } else {
        l.hex(r.insn, 8);
        l.put(' ');
    }
    l.put(iss_op_name(r.op));
    if (r.rd) {
        l.put(' ');
        l.put(abi_names[r.rd & 31u]);
        l.put('=');
        l.hex(r.rd_value, 8);
    }
    if (r.mem == 1) {
        l.put(" load[");
        l.hex(r.mem_address, 8);
        l.put(']');
    } else if (r.mem == 2) {
        l.put(" store[");
        l.hex(r.mem_address, 8);
        l.put("]=");
        l.hex(r.store_value, 8);
    }
    l.write(out_);
    ++lines_;
}

void instruction_trace::trap(sc_core::sc_time at, std::uint64_t instret, const iss_trap_t& t)
{
    if (t.kind == ISS_TRAP_RETURN)
        return;  // the mret line says it
    line_buffer l;
    l.stamp(at, instret);
    l.put(t.kind == ISS_TRAP_INTERRUPT ? "trap interrupt " : "trap exception ");
    l.hex(t.cause, 8);
    l.put(" \"");
    l.put(trap_cause_name(t.cause));
    l.put("\" mtval=");
    l.hex(t.tval, 8);
    l.put(" mepc=");
    l.hex(t.epc, 8);
    l.put(" handler=");
    l.hex(t.target, 8);
    l.write(out_);
    ++lines_;
}

bool instruction_trace::finish(const std::string& how)
{
    std::fprintf(out_, "# end: %s\n", how.c_str());
    const bool ok = std::fflush(out_) == 0 && !std::ferror(out_);
    return ok;
}

}  // namespace ant
