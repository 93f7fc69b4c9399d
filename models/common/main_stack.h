// AddressSanitizer and SystemC's coroutines on the main stack (docs/robustness.md).
//
// Debian's libsystemc runs SC_THREADs on QuickThreads coroutines (chosen when the library is
// built; the package offers no pthreads variant). It announces each switch to ASan with the
// target's stack bounds, but the main coroutine has none recorded, so after the first switch
// back ASan believes the main stack is empty. From then on, an exception thrown on the main
// stack (after or inside sc_start) cannot clear the poisoned redzones of the frames it
// unwinds: ASan prints "ignoring requested __asan_handle_no_return" and leftover poison can
// later be reported as a stack-buffer-overflow that is not one. The thread that finishes
// is not announced either, leaving the bounds of a dead coroutine stack in place.
//
// main_stack_guard, held around every sc_start of the program, puts that right when sc_start
// returns or throws: it announces the main thread's real stack to ASan again and clears the
// poison left in the dead part of the stack below the current frame, which is what ASan
// would have done itself. Without ASan it compiles to nothing.
#pragma once

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ANT_MAIN_STACK_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(ANT_MAIN_STACK_ASAN)
#define ANT_MAIN_STACK_ASAN 1
#endif

#ifdef ANT_MAIN_STACK_ASAN
#include <pthread.h>
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#include <cstddef>
#include <cstdint>
#endif

namespace ant {

#ifdef ANT_MAIN_STACK_ASAN
// Not inlined, so that its frame lies below the caller's and everything under it is dead.
__attribute__((noinline)) inline void restore_main_stack_for_asan()
{
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return;
    void* low = nullptr;
    std::size_t size = 0;
    const bool known = pthread_attr_getstack(&attr, &low, &size) == 0;
    pthread_attr_destroy(&attr);
    if (!known)
        return;
    // A switch from the main stack to itself, with its bounds: ASan's documented fiber API.
    void* fake_stack = nullptr;
    __sanitizer_start_switch_fiber(&fake_stack, low, size);
    __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
    const auto bottom = reinterpret_cast<std::uintptr_t>(low);
    const auto here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
    if (here <= bottom || here - bottom > size)
        return;
    // As ASan bounds its own clean-up: no more than 64 MiB, whatever the stack limit.
    const std::uintptr_t span = here - bottom < (std::uintptr_t(64) << 20) ? here - bottom : std::uintptr_t(64) << 20;
    __asan_unpoison_memory_region(reinterpret_cast<void*>(here - span), span);
}
#endif

class main_stack_guard {
public:
    main_stack_guard() = default;
    main_stack_guard(const main_stack_guard&) = delete;
    main_stack_guard& operator=(const main_stack_guard&) = delete;
    ~main_stack_guard()
    {
#ifdef ANT_MAIN_STACK_ASAN
        restore_main_stack_for_asan();
#endif
    }
};

}  // namespace ant
