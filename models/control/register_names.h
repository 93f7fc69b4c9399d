// Names of the accelerator's registers (sw/include/ant_accel.h) by offset, for traces.
#pragma once

#include <cstdint>
#include <string>

namespace ant {

// "STATUS", "CYCLES_LO", "ERROR_TEXT+8", ...; "?" plus the offset for an offset with no register.
std::string accelerator_register_name(uint32_t offset);

}  // namespace ant
