/* Loads, stores and fetches at unmapped addresses raise access faults (5, 7, 1). */
#include "test_macros.h"
    .data
    .align 2
buf: .word 0x11111111, 0x22222222
#define AT(label) la t0, label
TEST_MAIN
    la a0, buf
    li s5, 0
    /* access faults on unmapped addresses */
9:  lw a1, 0(zero)
    AT(9b)
    CHECK_TRAP(9, 5, t0, 0)
    li a2, 0x20000000
10: sb zero, 3(a2)
    AT(10b)
    CHECK_TRAP(10, 7, t0, 0x20000003)
    li a2, 0x30000000
    jalr ra, 0(a2)              /* fetch fault: mepc = mtval = target */
    CHECK_TRAP(11, 1, a2, 0x30000000)
    CHECK(16, s5, 3)           /* exactly one trap per faulting instruction */
    PASS
RECORDING_TRAP_HANDLER
