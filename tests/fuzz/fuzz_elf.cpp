// libFuzzer target: the ELF loader (platform/iss/elf_loader.c) on arbitrary bytes, loading
// into a 1 MiB window at 0x8000_0000 as the platform's DRAM would. The loader must answer
// with a status and a message, never read or write outside what it was given.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

#include "elf_loader.h"

namespace {

constexpr std::uint32_t base = 0x8000'0000u, window = 1u << 20;

int write_window(void* ctx, std::uint32_t addr, const void* data, std::uint32_t size)
{
    auto* memory = static_cast<std::vector<unsigned char>*>(ctx);
    if (addr < base || addr - base > window || size > window - (addr - base))
        return -1;
    if (data)
        std::memcpy(memory->data() + (addr - base), data, size);
    else
        std::memset(memory->data() + (addr - base), 0, size);
    return 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    // The loader takes a path: hand it an in-memory file.
    static const int fd = memfd_create("fuzz.elf", 0);
    static char path[64];
    if (fd < 0)
        std::abort();
    std::snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size))
        std::abort();
    static std::vector<unsigned char> memory(window);
    elf_image_info_t info{};
    char msg[512];
    const elf_load_status_t status = elf_load(path, write_window, &memory, &info, msg, sizeof msg);
    if (status != ELF_LOAD_OK && std::strlen(msg) == 0)
        std::abort();  // every failure explains itself
    return 0;
}
