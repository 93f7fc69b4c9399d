// The main-stack guard under AddressSanitizer (models/common/main_stack.h), one process per
// scenario: `main_stack_test guarded` or `main_stack_test unguarded`.
//
// An SC_METHOD runs on the main stack; it throws and catches an exception through deep
// frames with stack arrays. Debian's libsystemc has left ASan without main-stack bounds, so
// the throw cannot clear those frames' redzones. After sc_start, code that ASan does not
// instrument (here one function built without ASan, as libc or libstdc++ are) hands a stack
// buffer over that area to an intercepted memset. Unguarded, ASan reports a stack-buffer
// overflow that is not one; with the guard around sc_start the run is clean.
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include <systemc>

#include "common/main_stack.h"

namespace {

__attribute__((noinline)) void throw_from_deep_frames(int depth)
{
    volatile char frame_array[64];
    frame_array[0] = static_cast<char>(depth);
    if (depth == 0)
        throw std::runtime_error("from the deepest frame");
    throw_from_deep_frames(depth - 1);
    frame_array[1] = 0;
}

struct method_that_throws : sc_core::sc_module {
    SC_HAS_PROCESS(method_that_throws);
    explicit method_that_throws(sc_core::sc_module_name name) : sc_module(name)
    {
        SC_THREAD(wait_a_little);  // so the kernel switches coroutines before the method runs
        SC_METHOD(throw_and_catch);
    }
    void wait_a_little() { wait(10, sc_core::SC_NS); }
    void throw_and_catch()
    {
        if (sc_core::sc_time_stamp() > sc_core::SC_ZERO_TIME) {
            try {
                throw_from_deep_frames(200);
            } catch (const std::runtime_error&) {
            }
        }
        next_trigger(5, sc_core::SC_NS);
    }
};

// Through a volatile pointer, so the compiler keeps the call that ASan intercepts.
void* (*volatile intercepted_memset)(void*, int, std::size_t) = std::memset;

__attribute__((noinline, no_sanitize("address"))) int uninstrumented_buffer_user()
{
    char buffer[1 << 16];
    intercepted_memset(buffer, 1, sizeof buffer);
    int sum = 0;
    for (const char c : buffer)
        sum += c;
    return sum;
}

}  // namespace

int sc_main(int argc, char* argv[])
{
    const std::string mode = argc == 2 ? argv[1] : "";
    if (mode != "guarded" && mode != "unguarded") {
        std::fprintf(stderr, "usage: main_stack_test guarded|unguarded\n");
        return 2;
    }
    method_that_throws m("m");
    if (mode == "guarded") {
        ant::main_stack_guard guard;
        sc_core::sc_start(20, sc_core::SC_NS);
    } else {
        sc_core::sc_start(20, sc_core::SC_NS);
    }
    const int sum = uninstrumented_buffer_user();
    std::printf("buffer sum %d\n", sum);
    return sum == (1 << 16) ? 0 : 1;
}
