/* Illegal instructions trap with cause 2, mepc at them and their bits in mtval. */
#include "test_macros.h"
    .data
    .align 2
buf: .word 0x11111111, 0x22222222
#define AT(label) la t0, label
TEST_MAIN
    la a0, buf
    li s5, 0
    /* illegal instruction: mtval holds the encoding */
    li s5, 0
1:  .word 0x00003003            /* ld x0, 0(x0): RV64 only */
    AT(1b)
    CHECK_TRAP(1, 2, t0, 0x00003003)
2:  .word 0x10200073            /* sret: no S mode */
    AT(2b)
    CHECK_TRAP(2, 2, t0, 0x10200073)
3:  .word 0xffffffff            /* 48/64-bit encodings are not supported */
    AT(3b)
    CHECK_TRAP(3, 2, t0, 0xffffffff)
    CHECK(16, s5, 3)           /* exactly one trap per faulting instruction */
    PASS
RECORDING_TRAP_HANDLER
