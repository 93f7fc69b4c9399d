// libFuzzer target: the .npy reader (platform/vp/npy.cpp) on arbitrary bytes. A rejection is
// an npy_error; anything else (a crash, another exception, a tensor larger than the data the
// file holds) is a finding.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "npy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    try {
        const ant::dense_tensor t = ant::read_npy(in, "fuzz.npy");
        if (t.data.size() * sizeof(float) > size)
            std::abort();  // the reader must never invent data the file does not hold
        // What it read must survive a round trip through the writer.
        std::istringstream again(ant::npy_bytes(t));
        if (ant::read_npy(again, "again.npy").shape != t.shape)
            std::abort();
    } catch (const ant::npy_error&) {
    }
    return 0;
}
