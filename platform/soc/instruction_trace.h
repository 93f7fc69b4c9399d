// ant::instruction_trace — the text log of `ant-vp run --trace-instructions FILE`: one line
// per retired instruction (time, count, pc, raw encoding, mnemonic, register written, memory
// address) and one per trap entry (cause, mtval, mepc, handler). Written as the run goes
// (a log, not a result: a run that ends badly keeps everything up to its end, which is when
// a trace is most wanted) through a large stdio buffer. Format in docs/tracing.md.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include <systemc>

#include "iss.h"

namespace ant {

class instruction_trace {
public:
    // Opens (truncates) `path`; throws std::runtime_error with a one-line reason.
    explicit instruction_trace(const std::string& path);
    ~instruction_trace();
    instruction_trace(const instruction_trace&) = delete;
    instruction_trace& operator=(const instruction_trace&) = delete;

    void retired(sc_core::sc_time at, std::uint64_t instret, const iss_retire_t& r);
    void trap(sc_core::sc_time at, std::uint64_t instret, const iss_trap_t& t);
    // A last line saying how the run ended, then flush; false when writing failed (disk full).
    bool finish(const std::string& how);

    std::uint64_t lines() const { return lines_; }

private:
    std::FILE* out_ = nullptr;
    std::string path_;
    std::uint64_t lines_ = 0;
};

// The name of an mcause value ("environment call from M-mode", "machine timer interrupt").
const char* trap_cause_name(std::uint32_t mcause);

}  // namespace ant
