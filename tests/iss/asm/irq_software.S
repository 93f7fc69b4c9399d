/* Writing msip raises a machine software interrupt at once (before the next instruction);
 * clearing msip lowers mip.MSIP. */
#include "test_macros.h"
TEST_MAIN
    li s5, 0
    li t0, 8
    csrw mie, t0
    csrsi mstatus, 8
    li t1, CLINT_MSIP
    li t0, 1
1:  sw t0, 0(t1)
2:  addi s6, zero, 1            /* must run after the handler, not before */
    CHECK(1, s5, 1)
    CHECK(2, s2, 0x80000003)
    la t0, 2b
    CHECK_REG(3, s3, t0)        /* mepc = the instruction after the msip store */
    CHECK(4, s7, 0)             /* s6 was still 0 when the handler ran */
    csrr a1, mip
    CHECK(5, a1, 0)
    li t1, CLINT_MSIP
    lw a1, 0(t1)
    CHECK(6, a1, 0)
    PASS

    .align 2
    .globl test_trap_handler
test_trap_handler:
    csrr s2, mcause
    csrr s3, mepc
    mv s7, s6
    addi s5, s5, 1
    li t3, CLINT_MSIP
    sw zero, 0(t3)
    mret
