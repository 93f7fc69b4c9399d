// After a run that ended in an unhandled trap, prints the trap dump (platform/debug/trap_dump.h)
// on stderr: from the hart itself after a trap loop or a core failure, or from the frame the
// firmware's HAL saved when its default handler gave up (exit HAL_EXIT_UNHANDLED_TRAP).
#pragma once

#include <ostream>
#include <string>

#include "soc.h"

namespace ant {

// Returns true when a dump was printed.
bool report_unhandled_trap(soc& platform, const run_result& r, const std::string& elf_path, std::ostream& out);

}  // namespace ant
