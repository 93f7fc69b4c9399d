/* Misaligned stores trap with cause 6 and the address in mtval; memory is untouched. */
#include "test_macros.h"
    .data
    .align 2
buf: .word 0x11111111, 0x22222222
#define AT(label) la t0, label
TEST_MAIN
    la a0, buf
    li s5, 0
    /* misaligned stores: memory untouched */
    addi a2, a0, 2
7:  sw zero, 0(a2)
    AT(7b)
    CHECK(7, s2, 6)
    CHECK_REG(7, s3, t0)
    CHECK_REG(7, s4, a2)
    lw a1, 0(a0)
    CHECK(7, a1, 0x11111111)
    lw a1, 4(a0)
    CHECK(7, a1, 0x22222222)
8:  sh zero, 5(a0)
    AT(8b)
    CHECK(8, s2, 6)
    addi a2, a0, 5
    CHECK_REG(8, s4, a2)
    CHECK(16, s5, 2)           /* exactly one trap per faulting instruction */
    PASS
RECORDING_TRAP_HANDLER
