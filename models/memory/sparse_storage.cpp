#include "memory/sparse_storage.h"

#include <algorithm>
#include <cstring>

namespace ant {

void sparse_storage::read(std::uint64_t offset, unsigned char* out, std::uint64_t length) const
{
    while (length > 0) {
        const std::uint64_t index = offset / page_bytes;
        const std::uint64_t in_page = offset % page_bytes;
        const std::uint64_t n = std::min(length, page_bytes - in_page);
        auto it = pages_.find(index);
        if (it == pages_.end())
            std::memset(out, 0, n);
        else
            std::memcpy(out, it->second.get() + in_page, n);
        out += n;
        offset += n;
        length -= n;
    }
}

void sparse_storage::write(std::uint64_t offset, const unsigned char* in, std::uint64_t length)
{
    while (length > 0) {
        const std::uint64_t in_page = offset % page_bytes;
        const std::uint64_t n = std::min(length, page_bytes - in_page);
        std::memcpy(page(offset) + in_page, in, n);
        in += n;
        offset += n;
        length -= n;
    }
}

unsigned char* sparse_storage::page(std::uint64_t offset)
{
    auto& p = pages_[offset / page_bytes];
    if (!p) {
        p = std::make_unique<unsigned char[]>(page_bytes);  // value-initialised: zeros
    }
    return p.get();
}

std::uint64_t sparse_storage::page_length(std::uint64_t offset) const
{
    const std::uint64_t start = page_start(offset);
    return std::min(page_bytes, size_ - start);
}

}  // namespace ant
