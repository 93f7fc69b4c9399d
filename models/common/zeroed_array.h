// A fixed-size array of zeros whose pages are touched only when used.
//
// A std::vector value-initialises every element, so a 512 KiB buffer faults in all of its
// pages when it is built, whether the job uses them or not. calloc hands out fresh pages
// from the kernel, which are already zero, without writing them. In a virtual machine each
// fault is expensive: on the reference machine zero-filling ant-vp's four SRAM buffers at
// start-up cost about 600 page faults, a large part of a small layer's whole run.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <type_traits>

namespace ant {

template <typename T>
class zeroed_array {
    static_assert(std::is_trivial_v<T>, "zero bytes must be a valid T");

public:
    explicit zeroed_array(std::size_t n) : data_(static_cast<T*>(std::calloc(n ? n : 1, sizeof(T)))), size_(n)
    {
        if (!data_)
            throw std::bad_alloc();
    }

    T* data() { return data_.get(); }
    const T* data() const { return data_.get(); }
    std::size_t size() const { return size_; }
    T& operator[](std::size_t i) { return data_[i]; }
    const T& operator[](std::size_t i) const { return data_[i]; }

private:
    struct free_deleter {
        void operator()(T* p) const { std::free(p); }
    };
    std::unique_ptr<T[], free_deleter> data_;
    std::size_t size_;
};

}  // namespace ant
