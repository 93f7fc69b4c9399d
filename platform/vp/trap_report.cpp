#include "trap_report.h"

#include <cstdint>

#include "elf_symbols.h"
#include "trap_dump.h"

namespace ant {

namespace {

// The HAL's contract (sw/hal/hal.h): exit code, symbol name and frame layout.
constexpr std::uint32_t hal_exit_unhandled_trap = 60;
constexpr const char* hal_frame_symbol = "hal_unhandled_trap_frame";
constexpr unsigned hal_frame_words = 34;  // x1..x31, mepc, mcause, mtval

bool hal_frame_state(soc& platform, const elf_symbols& symbols, trap_state& s)
{
    std::uint32_t symbol = 0, frame = 0;
    if (!symbols.lookup(hal_frame_symbol, symbol) || platform.debug_read(symbol, &frame, 4) != 4 || frame == 0)
        return false;
    std::uint32_t w[hal_frame_words];
    if (platform.debug_read(frame, w, sizeof w) != sizeof w)
        return false;
    for (unsigned i = 1; i < 32; ++i)
        s.x[i] = w[i - 1];
    s.mepc = w[31];
    s.mcause = w[32];
    s.mtval = w[33];
    s.pc = s.mepc;
    return true;
}

}  // namespace

bool report_unhandled_trap(soc& platform, const run_result& r, const std::string& elf_path, std::ostream& out)
{
    const bool core_stuck = r.end == run_end::fault_loop ||
                            (r.end == run_end::fatal && platform.core.current_state() == riscv_cpu::state::fatal);
    const bool hal_gave_up = r.end == run_end::exited && r.exit_code == hal_exit_unhandled_trap;
    if (!core_stuck && !hal_gave_up)
        return false;
    const elf_symbols symbols(elf_path);
    trap_state s;
    std::string source;
    if (core_stuck) {
        s = live_trap_state(platform.core.core());
        source = "the hart as it stopped";
    } else if (hal_frame_state(platform, symbols, s)) {
        source = "the frame the firmware's default trap handler saved";
    } else {
        return false;  // exit code 60 without the HAL's frame: the firmware's own choice
    }
    out << "ant-vp: trap dump (" << source << "):\n" << format_trap_dump(s, symbols);
    return true;
}

}  // namespace ant
