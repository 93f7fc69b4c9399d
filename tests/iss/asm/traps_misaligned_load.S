/* Misaligned loads trap with cause 4 and the address in mtval; rd is untouched. */
#include "test_macros.h"
    .data
    .align 2
buf: .word 0x11111111, 0x22222222
#define AT(label) la t0, label
TEST_MAIN
    la a0, buf
    li s5, 0
    /* misaligned loads: mtval is the effective address; rd untouched */
    li a1, 0x5555
    addi a2, a0, 1
4:  lw a1, 0(a2)
    AT(4b)
    CHECK(4, s2, 4)
    CHECK_REG(4, s3, t0)
    CHECK_REG(4, s4, a2)
    CHECK(4, a1, 0x5555)
    addi a2, a0, 3
5:  lh a1, 0(a2)
    AT(5b)
    CHECK(5, s2, 4)
    CHECK_REG(5, s3, t0)
    CHECK_REG(5, s4, a2)
6:  lhu a1, 1(a0)
    AT(6b)
    CHECK(6, s2, 4)
    addi a2, a0, 1
    CHECK_REG(6, s4, a2)
    CHECK(16, s5, 3)           /* exactly one trap per faulting instruction */
    PASS
RECORDING_TRAP_HANDLER
