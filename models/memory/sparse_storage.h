// Backing store of the DRAM: real data in 64 KiB pages allocated on first write (or on a
// DMI request); reads of untouched memory return zeros. Pages never move once allocated,
// so DMI pointers stay valid until clear().
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>

namespace ant {

class sparse_storage {
public:
    static constexpr std::uint64_t page_bytes = 64 * 1024;

    explicit sparse_storage(std::uint64_t size_bytes) : size_(size_bytes) {}

    std::uint64_t size() const { return size_; }

    // Offsets are from the start of the store; the range must lie inside it.
    void read(std::uint64_t offset, unsigned char* out, std::uint64_t length) const;
    void write(std::uint64_t offset, const unsigned char* in, std::uint64_t length);

    // The page holding `offset`, allocated (zeroed) if needed; for DMI.
    unsigned char* page(std::uint64_t offset);
    std::uint64_t page_start(std::uint64_t offset) const { return offset / page_bytes * page_bytes; }
    // Length of the page holding `offset` (the last page may be short).
    std::uint64_t page_length(std::uint64_t offset) const;

    std::uint64_t allocated_bytes() const { return pages_.size() * page_bytes; }

    // Frees every page (invalidates pointers returned by page()).
    void clear() { pages_.clear(); }

private:
    std::uint64_t size_;
    std::unordered_map<std::uint64_t, std::unique_ptr<unsigned char[]>> pages_;
};

}  // namespace ant
