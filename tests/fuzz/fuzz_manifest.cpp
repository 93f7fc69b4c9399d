// libFuzzer target: reading the job manifest the firmware publishes (platform/vp/
// tensor_manifest.cpp), as `ant-vp run --save` does. Every accepted entry must describe
// exactly `bytes` bytes of float32 inside DRAM, so the tensor allocated from its shape is
// the size of the data read into it.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tensor.h"
#include "tensor_manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    ant_manifest m;
    std::memset(&m, 0, sizeof m);
    std::memcpy(&m, data, size < sizeof m ? size : sizeof m);
    const std::uint64_t dram_base = 0x8000'0000u, dram_end = 0x1'0000'0000ull;
    for (const char* name : {"y", "dx", "dw", "out"}) {
        const ant_manifest_tensor* e = ant::find_manifest_entry(m, name);
        if (!e)
            continue;
        std::vector<std::int64_t> shape;
        std::string why;
        if (!ant::manifest_entry_shape(*e, dram_base, dram_end, shape, why)) {
            if (why.empty())
                std::abort();
            continue;
        }
        std::uint64_t elements = 1;
        for (std::int64_t d : shape)
            elements *= std::uint64_t(d);
        if (shape.empty() || elements * sizeof(float) != e->bytes || e->address < dram_base ||
            e->address + std::uint64_t(e->bytes) > dram_end)
            std::abort();
        if (e->bytes <= (1u << 20)) {  // allocate what --save would, when it is small
            const ant::dense_tensor t(shape);
            if (t.data.size() * sizeof(float) != e->bytes)
                std::abort();
        }
    }
    return 0;
}
